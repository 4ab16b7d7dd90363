#!/usr/bin/env bash
# Sets up a fresh Debian machine (idempotent) and builds examples/hello with the CLI.
source "$(dirname "$0")/lib.sh"
bash "$SCRIPTS_DIR/setup.sh"
cd "$PROJECT_DIR"
exec bin/container-build build examples/hello -t container-build/hello:latest --progress plain "$@"
