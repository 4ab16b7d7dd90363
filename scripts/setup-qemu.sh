#!/usr/bin/env bash
# Enables QEMU user emulation so RUN steps of foreign platforms (linux/arm64, linux/arm/v7...)
# execute on this machine. Idempotent: installs, mounts and enables only what is missing, then
# proves it by running an arm64 binary.
source "$(dirname "$0")/lib.sh"

apt_install qemu-user-static binfmt-support

BINFMT=/proc/sys/fs/binfmt_misc
if [ ! -e "$BINFMT/register" ]; then
  need_root
  log "mounting binfmt_misc at $BINFMT"
  mount binfmt_misc -t binfmt_misc "$BINFMT" || die "cannot mount binfmt_misc (a container needs --privileged for this)"
fi

if [ ! -e "$BINFMT/qemu-aarch64" ] || [ ! -e "$BINFMT/qemu-arm" ] \
    || ! grep -q '^enabled' "$BINFMT/qemu-aarch64" 2>/dev/null; then
  need_root
  log "enabling binfmt handlers"
  update-binfmts --enable >&2 || die "update-binfmts --enable failed"
fi
# The daemon starts foreign binaries inside containers, where the interpreter path does not exist:
# the handler must be registered with the F (fix binary) flag, which Debian's qemu-user-static sets.
grep -q '^flags:.*F' "$BINFMT/qemu-aarch64" || die "qemu-aarch64 handler lacks the F flag: foreign RUN steps would fail inside containers"

# Proof: run an arm64 busybox (from the arm64 busybox-static package fetched for the base images).
probe_dir="$STATE_DIR/qemu-probe"
if [ ! -x "$probe_dir/busybox-arm64" ]; then
  mkdir -p "$probe_dir"
  dpkg --print-foreign-architectures | grep -qx arm64 || { need_root; dpkg --add-architecture arm64; rm -f "$APT_UPDATED_MARK"; }
  [ -f "$APT_UPDATED_MARK" ] || { DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=300 >&2; touch "$APT_UPDATED_MARK"; }
  ( cd "$probe_dir" && rm -f busybox-static_*_arm64.deb && apt-get download -qq -o APT::Sandbox::User=root busybox-static:arm64 >&2 \
      && dpkg-deb --fsys-tarfile busybox-static_*_arm64.deb | tar -xO ./bin/busybox >busybox-arm64.tmp \
      && chmod +x busybox-arm64.tmp && mv busybox-arm64.tmp busybox-arm64 )
fi
arch=$("$probe_dir/busybox-arm64" uname -m 2>/dev/null || true)
[ "$arch" = aarch64 ] || die "an arm64 binary did not run through QEMU (uname -m said '$arch')"
log "QEMU user emulation works (arm64 binary says $arch)"
