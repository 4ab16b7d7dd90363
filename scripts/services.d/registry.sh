#!/usr/bin/env bash
# Test registries (127.0.0.1:5000 open, 127.0.0.1:5001 htpasswd): see ../start-registry.sh.
# `start` prints the pid files of the instances it started, one per line.
exec bash "$(dirname "$0")/../start-registry.sh" "$@"
