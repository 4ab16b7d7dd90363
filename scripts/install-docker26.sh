#!/usr/bin/env bash
# Installs Docker Engine 26.1 (Debian trixie's docker.io, docker-cli and docker-buildx) into a private
# prefix, without upgrading this bookworm system: the .debs are fetched through a private apt
# configuration (same mirror as the system's, suite trixie) and unpacked with dpkg-deb -x.
# dockerd 26 then runs with bookworm's containerd and runc. Idempotent.
#
# Prints nothing on stdout. The prefix is $DOCKER26_PREFIX (default $STATE_DIR/docker26/prefix):
#   $DOCKER26_PREFIX/usr/sbin/dockerd, $DOCKER26_PREFIX/usr/bin/docker, and the buildx plugin in
#   $DOCKER26_PREFIX/cli-config/cli-plugins/ (use DOCKER_CONFIG=$DOCKER26_PREFIX/cli-config).
source "$(dirname "$0")/lib.sh"

DOCKER26_HOME="$STATE_DIR/docker26"
DOCKER26_PREFIX="${DOCKER26_PREFIX:-$DOCKER26_HOME/prefix}"
PACKAGES=(docker.io docker-cli docker-buildx)
MARK="$DOCKER26_PREFIX/.installed"

installed() {
  [ -f "$MARK" ] && [ -x "$DOCKER26_PREFIX/usr/sbin/dockerd" ] && [ -x "$DOCKER26_PREFIX/usr/bin/docker" ] \
    && [ -x "$DOCKER26_PREFIX/cli-config/cli-plugins/docker-buildx" ]
}

if installed; then
  log "Docker Engine 26 already installed in $DOCKER26_PREFIX"
  exit 0
fi
need_root
apt_install containerd runc iproute2 debian-archive-keyring

apt_dir="$DOCKER26_HOME/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s trixie main\n' "$(system_mirror)" \
  >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=/dev/null
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o APT::Sandbox::User=root
  -o DPkg::Lock::Timeout=300)
log "fetching Debian trixie's package lists (private apt configuration in $apt_dir)"
apt-get "${apt_opts[@]}" update -qq >&2 || die "apt-get update for trixie failed"
( cd "$apt_dir/debs" && rm -f ./*.deb && apt-get "${apt_opts[@]}" download -qq "${PACKAGES[@]}" >&2 ) \
  || die "cannot download ${PACKAGES[*]} from trixie"

tmp="$DOCKER26_PREFIX.tmp"
rm -rf "$tmp" && mkdir -p "$tmp"
for deb in "$apt_dir"/debs/*.deb; do
  dpkg-deb -x "$deb" "$tmp"
done
mkdir -p "$tmp/cli-config/cli-plugins"
cp "$tmp/usr/libexec/docker/cli-plugins/docker-buildx" "$tmp/cli-config/cli-plugins/docker-buildx"
rm -rf "$DOCKER26_PREFIX" && mv "$tmp" "$DOCKER26_PREFIX"
touch "$MARK"
log "installed $("$DOCKER26_PREFIX/usr/sbin/dockerd" --version) in $DOCKER26_PREFIX"
