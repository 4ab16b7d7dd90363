#!/usr/bin/env bash
# Installs what the build and the tests need from Debian: JDK, Maven, dockerd, busybox-static.
source "$(dirname "$0")/lib.sh"
apt_install openjdk-17-jdk-headless maven docker.io busybox-static ca-certificates curl iptables \
  gcc libc6-dev openssh-client
