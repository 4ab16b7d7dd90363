#!/usr/bin/env bash
# Builds a standalone BuildKit daemon (buildkitd and buildctl, BuildKit v0.13.2) from Debian's own packages,
# since nothing but Debian's mirror can be downloaded here: Debian trixie's source package docker.io
# (26.1.5+dfsg1) carries BuildKit v0.13.2 as its orig-buildkit tarball, and its Go dependencies are
# Debian golang-*-dev packages. The build runs in a trixie chroot (debootstrap --variant=minbase from the
# system's mirror) in GOPATH mode, as debian/rules does, and yields static binaries. Idempotent.
#
# Prints nothing on stdout. Result: $STATE_DIR/buildkitd/bin/buildkitd and .../buildctl, with the mark
# file .../bin/.installed (first line: the BuildKit version). Everything else under $STATE_DIR/buildkitd
# (the chroot in trixie/, the debootstrap .debs, the source tarballs, the Go build cache) is kept, so a run
# after a failure resumes where it stopped. Details of the slow steps go to $STATE_DIR/buildkitd/install.log.
source "$(dirname "$0")/lib.sh"

BUILDKIT_VERSION=v0.13.2
SUITE=trixie
BK_HOME="$STATE_DIR/buildkitd"
BIN_DIR="$BK_HOME/bin"
MARK="$BIN_DIR/.installed"
CHROOT="$BK_HOME/$SUITE"
DEBOOTSTRAP_CACHE="$BK_HOME/debootstrap-cache"
INSTALL_LOG="$BK_HOME/install.log"
# Marks inside the chroot (so that they go away with it).
CHROOT_MARK="$CHROOT/.cb-chroot-ready"
PACKAGES_MARK="$CHROOT/.cb-packages"
SOURCE_MARK="$CHROOT/build/download/.cb-complete"
TREE_MARK="$CHROOT/build/tree/.cb-complete"

# The Go library packages that buildkitd and buildctl import (found by building: `go list -deps` of
# ./cmd/buildkitd and ./cmd/buildctl, each directory under /usr/share/gocode mapped with dpkg -S).
# The rest comes from buildkit's partial vendor/ and from the engine's source (github.com/docker/docker).
GO_PACKAGES=(
  golang-go
  golang-github-agext-levenshtein-dev golang-github-appc-cni-dev golang-github-armon-circbuf-dev
  golang-github-aws-aws-sdk-go-v2-dev golang-github-aws-smithy-go-dev golang-github-beorn7-perks-dev
  golang-github-cenkalti-backoff-dev golang-github-cespare-xxhash-dev
  golang-github-containerd-console-dev golang-github-containerd-containerd-dev
  golang-github-containerd-continuity-dev golang-github-containerd-errdefs-dev
  golang-github-containerd-fifo-dev golang-github-containerd-go-cni-dev golang-github-containerd-go-runc-dev
  golang-github-containerd-log-dev golang-github-containerd-platforms-dev golang-github-containerd-ttrpc-dev
  golang-github-containerd-typeurl-dev golang-github-coreos-bbolt-dev golang-github-coreos-go-systemd-dev
  golang-github-dimchansky-utfbom-dev golang-github-distribution-reference-dev
  golang-github-docker-docker-credential-helpers-dev golang-github-docker-go-connections-dev
  golang-github-docker-go-events-dev golang-github-docker-go-metrics-dev golang-github-docker-go-units-dev
  golang-github-felixge-httpsnoop-dev golang-github-go-logr-logr-dev golang-github-go-logr-stdr-dev
  golang-github-gofrs-flock-dev golang-github-gogo-googleapis-dev golang-github-gogo-protobuf-dev
  golang-github-golang-groupcache-dev golang-github-golang-jwt-jwt-dev golang-github-golang-protobuf-1-5-dev
  golang-github-google-go-cmp-dev golang-github-google-shlex-dev golang-github-google-uuid-dev
  golang-github-grpc-ecosystem-grpc-gateway-dev golang-github-hashicorp-errwrap-dev
  golang-github-hashicorp-go-immutable-radix-dev golang-github-hashicorp-go-multierror-dev
  golang-github-hashicorp-golang-lru-dev golang-github-in-toto-in-toto-golang-dev
  golang-github-klauspost-compress-dev golang-github-mitchellh-hashstructure-dev
  golang-github-moby-docker-image-spec-dev golang-github-moby-locker-dev golang-github-moby-patternmatcher-dev
  golang-github-moby-sys-dev golang-github-morikuni-aec-dev golang-github-munnerz-goautoneg-dev
  golang-github-opencontainers-go-digest-dev golang-github-opencontainers-image-spec-dev
  golang-github-opencontainers-selinux-dev golang-github-opencontainers-specs-dev
  golang-github-pelletier-go-toml-dev golang-github-pkg-errors-dev golang-github-prometheus-client-golang-dev
  golang-github-prometheus-client-model-dev golang-github-prometheus-common-dev
  golang-github-prometheus-procfs-dev golang-github-secure-systems-lab-go-securesystemslib-dev
  golang-github-shibumi-go-pathspec-dev golang-github-sirupsen-logrus-dev golang-github-tonistiigi-units-dev
  golang-github-vbatts-tar-split-dev golang-github-vishvananda-netlink-dev golang-github-vishvananda-netns-dev
  golang-golang-x-crypto-dev golang-golang-x-net-dev golang-golang-x-sync-dev golang-golang-x-sys-dev
  golang-golang-x-text-dev golang-golang-x-time-dev golang-google-genproto-dev golang-google-grpc-dev
  golang-google-protobuf-dev golang-opentelemetry-contrib-dev golang-opentelemetry-otel-dev
  golang-opentelemetry-proto-dev
)
GO_TAGS="osusergo netgo static_build seccomp"
GO_LDFLAGS="-s -w -X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION"
GO_LDFLAGS+=" -X github.com/moby/buildkit/version.Package=github.com/moby/buildkit"

installed() {
  [ -f "$MARK" ] && [ "$(head -n 1 "$MARK")" = "$BUILDKIT_VERSION" ] \
    && [ -x "$BIN_DIR/buildkitd" ] && [ -x "$BIN_DIR/buildctl" ]
}

# Runs a command with its output appended to $INSTALL_LOG; on failure shows the log's end and dies.
run_logged() {
  local what="$1"; shift
  printf '\n==== %s: %s\n' "$(date -u +%FT%TZ)" "$what" >>"$INSTALL_LOG"
  if ! "$@" >>"$INSTALL_LOG" 2>&1; then
    echo "---- last lines of $INSTALL_LOG ----" >&2
    tail -n 40 "$INSTALL_LOG" >&2 || true
    die "$what failed (full log: $INSTALL_LOG); run the script again to resume"
  fi
}

# Runs a command in the chroot with a clean environment.
in_chroot() {
  chroot "$CHROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# Mount points at or below DIR, deepest first.
mounts_under() {
  awk -v d="$1" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r
}

MOUNTED=()
unmount_all() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTED[$i]}" 2>/dev/null || umount -l "${MOUNTED[$i]}" 2>/dev/null || true
  done
  MOUNTED=()
}

# /proc in the chroot (apt's maintainer scripts, the go tool), and /dev when debootstrap could not make
# the device nodes. Unmounted when the script ends.
mount_chroot() {
  if ! mountpoint -q "$CHROOT/proc"; then
    mount -t proc proc "$CHROOT/proc" && MOUNTED+=("$CHROOT/proc")
  fi
  if [ ! -c "$CHROOT/dev/null" ] && ! mountpoint -q "$CHROOT/dev"; then
    mount --bind /dev "$CHROOT/dev" && MOUNTED+=("$CHROOT/dev")
  fi
  if [ -f /etc/resolv.conf ]; then cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true; fi
}

# Removes a directory tree, never through a mount point (a bound /dev would be emptied).
remove_tree() {
  local dir="$1" m
  [ -e "$dir" ] || return 0
  for m in $(mounts_under "$dir"); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  [ -z "$(mounts_under "$dir")" ] || die "cannot remove $dir: something is still mounted below it"
  rm -rf --one-file-system "$dir"
}

# The chroot's apt configuration: the system's mirror (binary and source), the host's settings that a
# mirror snapshot needs, no recommends, and no service starts.
configure_chroot() {
  local mirror
  mirror=$(system_mirror)
  printf 'deb %s %s main\ndeb-src %s %s main\n' "$mirror" "$SUITE" "$mirror" "$SUITE" >"$CHROOT/etc/apt/sources.list"
  {
    echo 'APT::Install-Recommends "false";'
    echo 'APT::Install-Suggests "false";'
    echo 'Acquire::Languages "none";'
    echo 'Acquire::Check-Valid-Until "false";'
    # Downloads into /build (root's) without the _apt sandbox's warning.
    echo 'APT::Sandbox::User "root";'
    # The host's proxy settings, if any.
    apt-config dump 2>/dev/null | grep -E '^Acquire::(http|https|ftp)::Proxy' || true
  } >"$CHROOT/etc/apt/apt.conf.d/90container-build"
  echo force-unsafe-io >"$CHROOT/etc/dpkg/dpkg.cfg.d/90container-build"
  printf '#!/bin/sh\nexit 101\n' >"$CHROOT/usr/sbin/policy-rc.d"
  chmod +x "$CHROOT/usr/sbin/policy-rc.d"
}

make_chroot() {
  if [ -f "$CHROOT_MARK" ]; then
    configure_chroot
    return 0
  fi
  remove_tree "$CHROOT"
  mkdir -p "$DEBOOTSTRAP_CACHE"
  log "creating a Debian $SUITE chroot in $CHROOT (debootstrap, about a minute)"
  run_logged "debootstrap $SUITE" debootstrap --variant=minbase --cache-dir="$DEBOOTSTRAP_CACHE" \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg "$SUITE" "$CHROOT" "$(system_mirror)"
  configure_chroot
  touch "$CHROOT_MARK"
}

install_chroot_packages() {
  local want
  want=$(printf '%s\n' "${GO_PACKAGES[@]}")
  [ -f "$PACKAGES_MARK" ] && [ "$(cat "$PACKAGES_MARK")" = "$want" ] && return 0
  log "installing golang-go and $((${#GO_PACKAGES[@]} - 1)) Go library packages in the chroot (1-2 minutes)"
  run_logged "apt-get update ($SUITE chroot)" in_chroot apt-get update -q
  run_logged "apt-get install ($SUITE chroot)" in_chroot apt-get install -y -q "${GO_PACKAGES[@]}"
  printf '%s\n' "$want" >"$PACKAGES_MARK"
}

# The docker.io source tarballs (the newest version in trixie) in /build/download of the chroot, checked
# against the Sources index. The .dsc may answer 404 on the mirror (seen with 26.1.5+dfsg1-9+deb13u1):
# it is not needed, everything is unpacked by hand.
download_source() {
  [ -f "$SOURCE_MARK" ] && return 0
  local dl="$CHROOT/build/download" list="$CHROOT/build/uris" name sum
  mkdir -p "$dl"
  log "downloading the docker.io source package from $SUITE"
  run_logged "apt-get update ($SUITE chroot)" in_chroot apt-get update -q
  # With no file present, --print-uris lists every file of the package with its SHA256.
  rm -rf "$list" && mkdir -p "$list"
  in_chroot sh -c 'cd /build/uris && apt-get source --print-uris -qq docker.io' >"$list/uris" 2>>"$INSTALL_LOG" \
    || die "apt-get source --print-uris docker.io failed in the chroot (see $INSTALL_LOG)"
  in_chroot sh -c 'cd /build/download && apt-get source --download-only -q docker.io' >>"$INSTALL_LOG" 2>&1 \
    || log "apt-get source reported errors (a missing .dsc is expected); checking the tarballs"
  : >"$dl/.cb-files"
  while read -r _ name _ sum; do
    case "$name" in *.dsc) continue ;; esac
    [ -f "$dl/$name" ] || die "the docker.io source file $name could not be downloaded (see $INSTALL_LOG)"
    [ "SHA256:$(sha256sum "$dl/$name" | cut -d' ' -f1)" = "$sum" ] || {
      rm -f "$dl/$name"
      die "the docker.io source file $name does not match the Sources index; removed, run again"
    }
    echo "$name" >>"$dl/.cb-files"
  done <"$list/uris"
  grep -q '\.orig-buildkit\.tar\.' "$dl/.cb-files" || die "the docker.io source in $SUITE has no orig-buildkit tarball"
  grep -q '\.debian\.tar\.' "$dl/.cb-files" || die "the docker.io source in $SUITE has no debian tarball"
  rm -rf "$list"
  cp "$dl/.cb-files" "$SOURCE_MARK"
}

# Unpacks the tarballs (engine/, cli/, buildkit/, debian/), applies debian/patches in order, and lays out
# the GOPATH like debian/rules: /build/tree/gopath/src/github.com/{moby/buildkit,docker/docker}.
unpack_source() {
  [ -f "$TREE_MARK" ] && return 0
  local dl="$CHROOT/build/download" tmp="$CHROOT/build/tree.tmp" f comp patch_name
  log "unpacking docker.io and applying its Debian patches"
  rm -rf "$tmp" && mkdir -p "$tmp"
  while read -r f; do
    case "$f" in
      *.debian.tar.*) tar -xf "$dl/$f" -C "$tmp" ;;
      # Upstream tarballs hold ./<top>/engine/... (main) or ./buildkit/..., ./cli/... (components).
      *.orig.tar.*) tar -xf "$dl/$f" -C "$tmp" --strip-components=2 ;;
      *.orig-*.tar.*)
        comp=${f##*.orig-}; comp=${comp%%.tar.*}
        mkdir -p "$tmp/$comp" && tar -xf "$dl/$f" -C "$tmp/$comp" --strip-components=2
        ;;
    esac
  done <"$SOURCE_MARK"
  if [ ! -d "$tmp/buildkit/cmd/buildkitd" ] || [ ! -d "$tmp/engine" ]; then
    die "unexpected layout of the docker.io tarballs"
  fi
  grep -Eq "^[[:space:]]*github.com/moby/buildkit $BUILDKIT_VERSION\$" "$tmp/engine/vendor.mod" \
    || die "the docker.io source in $SUITE does not carry BuildKit $BUILDKIT_VERSION (engine/vendor.mod)"
  if [ -f "$tmp/debian/patches/series" ]; then
    while read -r patch_name _; do
      case "$patch_name" in ''|'#'*) continue ;; esac
      patch -d "$tmp" -p1 -s -N --no-backup-if-mismatch <"$tmp/debian/patches/$patch_name" >>"$INSTALL_LOG" 2>&1 \
        || die "debian/patches/$patch_name does not apply (see $INSTALL_LOG)"
    done <"$tmp/debian/patches/series"
  fi
  mkdir -p "$tmp/gopath/src/github.com/moby" "$tmp/gopath/src/github.com/docker"
  mv "$tmp/buildkit" "$tmp/gopath/src/github.com/moby/buildkit"
  mv "$tmp/engine" "$tmp/gopath/src/github.com/docker/docker"
  cp "$SOURCE_MARK" "$tmp/.cb-complete"
  rm -rf "$CHROOT/build/tree" && mv "$tmp" "$CHROOT/build/tree"
}

build_binaries() {
  log "building buildkitd and buildctl $BUILDKIT_VERSION (go build, 2-3 minutes)"
  rm -rf "$CHROOT/build/out" && mkdir -p "$CHROOT/build/out"
  run_logged "go build" in_chroot sh -c "cd /build/tree/gopath/src/github.com/moby/buildkit && \
    GOPATH=/build/tree/gopath:/usr/share/gocode GO111MODULE=off GOPROXY=off GOFLAGS= CGO_ENABLED=0 \
    GOCACHE=/build/gocache go build -o /build/out/ -tags '$GO_TAGS' -ldflags '$GO_LDFLAGS' \
    ./cmd/buildkitd ./cmd/buildctl"
  local b
  for b in buildkitd buildctl; do
    "$CHROOT/build/out/$b" --version 2>/dev/null | grep -qF " $BUILDKIT_VERSION" \
      || die "the built $b does not report version $BUILDKIT_VERSION"
  done
  mkdir -p "$BIN_DIR"
  rm -f "$MARK"
  for b in buildkitd buildctl; do
    cp "$CHROOT/build/out/$b" "$BIN_DIR/$b.tmp" && mv "$BIN_DIR/$b.tmp" "$BIN_DIR/$b"
  done
  { echo "$BUILDKIT_VERSION"; echo "built from Debian $SUITE docker.io: $(tr '\n' ' ' <"$SOURCE_MARK")"; } >"$MARK"
  rm -rf "$CHROOT/build/out"
}

if installed; then
  log "buildkitd $BUILDKIT_VERSION already installed in $BIN_DIR"
  exit 0
fi
need_root
mkdir -p "$BK_HOME"
# One build at a time (scripts/test.sh and a manual run may meet here).
exec 9>"$BK_HOME/install.lock"
flock -w 900 9 || die "another install-buildkitd.sh holds $BK_HOME/install.lock"
if installed; then
  log "buildkitd $BUILDKIT_VERSION already installed in $BIN_DIR"
  exit 0
fi
apt_install debootstrap debian-archive-keyring xz-utils patch
trap unmount_all EXIT
started=$SECONDS
make_chroot
mount_chroot
install_chroot_packages
download_source
unpack_source
build_binaries
unmount_all
log "installed buildkitd and buildctl $BUILDKIT_VERSION in $BIN_DIR ($((SECONDS - started)) s)"
