#!/usr/bin/env bash
# Makes the local base images from Debian's busybox-static (no registry pull), idempotently:
#   local/busybox:latest  linux/amd64 (docker import of a rootfs)
#   local/busybox:amd64   the same image
#   local/busybox:arm64   linux/arm64   (built FROM scratch with platform=linux/arm64)
#   local/busybox:armv7   linux/arm/v7  (built FROM scratch with platform=linux/arm/v7)
# The daemon's image store keeps one image per tag (no manifest lists), so a Dockerfile picks the
# variant by platform with `FROM local/busybox:${TARGETARCH}${TARGETVARIANT}` (see docs/multi-platform.md).
# `docker import --platform` labels images wrongly, hence the FROM-scratch builds through the
# Engine API (BuildKit, /build?version=2&platform=...).
source "$(dirname "$0")/lib.sh"

SOCK=/var/run/docker.sock
api() { curl -fsS --unix-socket "$SOCK" "$@"; }
image_exists() { docker image inspect "$1" >/dev/null 2>&1; }
image_platform() { docker image inspect -f '{{.Os}}/{{.Architecture}}{{if .Variant}}/{{.Variant}}{{end}}' "$1" 2>/dev/null; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# make_rootfs BUSYBOX_BINARY OUT_TAR: a minimal root filesystem with one hard link per applet.
# The applet list is taken from the host's busybox (same Debian version, same applets).
make_rootfs() {
  local bin="$1" out="$2" root
  root=$(mktemp -d "$work/rootfs.XXXX")
  mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" "$root/tmp" "$root/root" \
    "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp "$bin" "$root/bin/busybox"
  chmod 755 "$root/bin/busybox"
  for applet in $(busybox --list); do
    [ "$applet" = busybox ] && continue
    ln -f "$root/bin/busybox" "$root/bin/$applet" 2>/dev/null || true
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  tar -C "$root" -cf "$out" .
}

command -v busybox >/dev/null || die "busybox-static is not installed: run scripts/install-packages.sh"

# --- linux/amd64 -----------------------------------------------------------------------------
if image_exists local/busybox:latest; then
  log "local/busybox:latest already present"
else
  make_rootfs "$(readlink -f "$(command -v busybox)")" "$work/rootfs-amd64.tar"
  docker import --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
    "$work/rootfs-amd64.tar" local/busybox:latest >/dev/null
  log "imported local/busybox:latest"
fi
image_exists local/busybox:amd64 || docker tag local/busybox:latest local/busybox:amd64

# --- foreign platforms -------------------------------------------------------------------------
# build_foreign DEBIAN_ARCH PLATFORM TAG
build_foreign() {
  local deb_arch="$1" platform="$2" tag="$3"
  if image_exists "$tag" && [ "$(image_platform "$tag")" = "$platform" ]; then
    log "$tag already present ($platform)"
    return 0
  fi
  local dl="$STATE_DIR/debs"
  mkdir -p "$dl"
  if ! ls "$dl"/busybox-static_*_"$deb_arch".deb >/dev/null 2>&1; then
    if ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
      need_root
      log "dpkg --add-architecture $deb_arch"
      dpkg --add-architecture "$deb_arch"
      rm -f "$APT_UPDATED_MARK"
    fi
    if [ ! -f "$APT_UPDATED_MARK" ]; then
      # A partial failure (e.g. one foreign index out of sync on the mirror) must not stop us:
      # the download below tells whether the package is reachable.
      DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=300 >&2 || log "apt-get update reported errors; trying anyway"
      touch "$APT_UPDATED_MARK"
    fi
    ( cd "$dl" && apt-get download -qq -o APT::Sandbox::User=root "busybox-static:$deb_arch" >&2 ) \
      || die "cannot download busybox-static:$deb_arch"
  fi
  local x="$work/deb-$deb_arch"
  mkdir -p "$x"
  dpkg-deb -x "$(ls "$dl"/busybox-static_*_"$deb_arch".deb | head -n1)" "$x"
  local ctx="$work/ctx-$deb_arch"
  mkdir -p "$ctx"
  make_rootfs "$x/bin/busybox" "$ctx/rootfs.tar"
  printf 'FROM scratch\nADD rootfs.tar /\nENV PATH=/usr/sbin:/usr/bin:/sbin:/bin\nCMD ["/bin/sh"]\n' >"$ctx/Dockerfile"
  tar -C "$ctx" -cf "$work/ctx-$deb_arch.tar" Dockerfile rootfs.tar
  local q="version=2&platform=$(printf %s "$platform" | sed 's#/#%2F#g')&t=$(printf %s "$tag" | sed 's#/#%2F#g;s#:#%3A#g')"
  local out
  out=$(api -X POST -H 'Content-Type: application/x-tar' --data-binary "@$work/ctx-$deb_arch.tar" \
    "http://localhost/v1.41/build?$q") || die "the daemon refused to build $tag"
  if printf '%s' "$out" | grep -q '"errorDetail"'; then
    die "building $tag failed: $(printf '%s' "$out" | grep -o '"errorDetail":{[^}]*}' | head -n1)"
  fi
  [ "$(image_platform "$tag")" = "$platform" ] || die "$tag has platform '$(image_platform "$tag")', expected $platform"
  log "built $tag ($platform)"
}

build_foreign arm64 linux/arm64 local/busybox:arm64
build_foreign armhf linux/arm/v7 local/busybox:armv7
