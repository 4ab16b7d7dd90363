#!/usr/bin/env bash
# Test service: Podman's API on unix:///run/container-build-podman.sock (see scripts/start-podman.sh).
# `start` prints the pid file when it started the service; scripts/test.sh stops it by that pid.
case "${1:-start}" in
  start) exec bash "$(dirname "$0")/../start-podman.sh" ;;
  *) echo "usage: $0 start" >&2; exit 2 ;;
esac
