#!/usr/bin/env bash
# Test service: a standalone buildkitd on unix:///run/container-build-buildkitd.sock and, with mutual TLS,
# tcp://127.0.0.1:1235 (see ../start-buildkitd.sh). `start` prints its pid file when it started the daemon;
# scripts/test.sh stops it by that pid.
exec bash "$(dirname "$0")/../start-buildkitd.sh" "$@"
