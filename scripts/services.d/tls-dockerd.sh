#!/usr/bin/env bash
# Test service: a second dockerd on tcp://127.0.0.1:2376 with --tlsverify (see ../start-tls-dockerd.sh).
# `start` prints its pid file when it started the daemon; scripts/test.sh stops it by that pid.
exec bash "$(dirname "$0")/../start-tls-dockerd.sh" "$@"
