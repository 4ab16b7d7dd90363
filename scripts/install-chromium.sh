#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests of the rendered summary pages (idempotent).
source "$(dirname "$0")/lib.sh"
apt_install chromium fonts-dejavu-core
