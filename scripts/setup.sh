#!/usr/bin/env bash
# All set-up for a fresh Debian machine, idempotent: packages, dockerd, base images.
source "$(dirname "$0")/lib.sh"
bash "$SCRIPTS_DIR/install-packages.sh"
bash "$SCRIPTS_DIR/start-dockerd.sh"
bash "$SCRIPTS_DIR/make-base-images.sh"
bash "$SCRIPTS_DIR/install-chromium.sh"
