#!/usr/bin/env bash
# Test service: two private dockerd 26.1 daemons (overlay2 and containerd image stores), see ../start-docker26.sh.
# `start` prints the pid files of the daemons it started, one per line.
exec bash "$(dirname "$0")/../start-docker26.sh" "$@"
