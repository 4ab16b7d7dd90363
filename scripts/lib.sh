#!/usr/bin/env bash
# Shared helpers for the set-up scripts. Sourced, never run.
set -euo pipefail

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "$SCRIPTS_DIR/.." && pwd)"
# Runtime state (logs, pid files, registry storage) lives outside the work tree.
STATE_DIR="${CONTAINER_BUILD_STATE_DIR:-/var/lib/container-build-dev}"
mkdir -p "$STATE_DIR"

log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

need_root() {
  [ "$(id -u)" -eq 0 ] || die "run as root (the scripts install Debian packages and start dockerd)"
}

APT_UPDATED_MARK="$STATE_DIR/apt-updated"
# Installs the named Debian packages that are not installed yet; runs apt-get update once.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  need_root
  if [ ! -f "$APT_UPDATED_MARK" ] || [ -n "$(find "$APT_UPDATED_MARK" -mmin +720 2>/dev/null)" ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=300 >&2
    touch "$APT_UPDATED_MARK"
  fi
  log "installing: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >&2
}

# Waits until COMMAND succeeds or SECONDS pass.
wait_for() {
  local seconds="$1"; shift
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

# Runs Maven with its output (stdout and stderr, to stdout) stripped of ANSI codes: Debian's Maven 3.8 prints
# colour resets (ESC[0m) even in batch mode with -Dstyle.color=never. Keeps Maven's exit status.
mvn_plain() {
  mvn -Dstyle.color=never "$@" 2>&1 | sed -u $'s/\e\\[[0-9;]*m//g'
  return "${PIPESTATUS[0]}"
}

# Stops the process whose pid PID_FILE holds (waiting up to 30 s for it to end) and removes the file.
# WHAT names it in the log. Does nothing without the file.
stop_pid_file() {
  local pid_file="$1" what="$2" pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $what (pid $pid)"
    kill "$pid" 2>/dev/null || true
    wait_for 30 bash -c "! kill -0 $pid" || log "$what (pid $pid) is still stopping"
  fi
  rm -f "$pid_file"
}

# The Debian mirror the system uses (deb822 or one-line format), so private apt configurations and chroots
# name no host of their own.
system_mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' \
      /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || die "cannot find the system's Debian mirror in /etc/apt/sources.list(.d)"
  printf '%s' "$uri"
}

# Writes into the current directory a test CA (ca/), a server certificate for 127.0.0.1 and localhost signed by it
# (server/) and a client certificate (client/), each directory holding ca.pem, cert.pem and key.pem (the layout of
# DOCKER_CERT_PATH). client/ext.cnf stays for signing further client certificates; the caller removes it. Test
# material only: the client's files are made readable by the test JVM.
make_test_certs() {
  local ca_name=$1 client_name=$2
  mkdir -p ca server client
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$ca_name" \
    -keyout ca/ca-key.pem -out ca/ca.pem 2>/dev/null || return 1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server/ext.cnf
  printf 'extendedKeyUsage=clientAuth\n' >client/ext.cnf
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server/key.pem -out server/csr.pem 2>/dev/null \
    || return 1
  openssl x509 -req -in server/csr.pem -CA ca/ca.pem -CAkey ca/ca-key.pem -CAcreateserial -days 3650 \
    -extfile server/ext.cnf -out server/cert.pem 2>/dev/null || return 1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$client_name" -keyout client/key.pem \
    -out client/csr.pem 2>/dev/null || return 1
  openssl x509 -req -in client/csr.pem -CA ca/ca.pem -CAkey ca/ca-key.pem -CAcreateserial -days 3650 \
    -extfile client/ext.cnf -out client/cert.pem 2>/dev/null || return 1
  cp ca/ca.pem server/ca.pem
  cp ca/ca.pem client/ca.pem
  rm -f server/csr.pem client/csr.pem server/ext.cnf
  chmod 0644 client/*.pem
}
