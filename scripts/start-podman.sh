#!/usr/bin/env bash
# Starts Podman's Docker-compatible API service on a socket of our own, unless one already answers
# there, and makes the local base image available to it. Idempotent.
#
# Prints the pid file on stdout only when this run started the service, so that the caller
# (scripts/test.sh through services.d/podman.sh) stops exactly what it started.
source "$(dirname "$0")/lib.sh"

SOCK="${PODMAN_SOCK:-/run/container-build-podman.sock}"
PODMAN_LOG="$STATE_DIR/podman.log"
PODMAN_PID="$STATE_DIR/podman.pid"
# The service's TMPDIR: where it unpacks each build's context (and build secrets) for the length
# of the request. It is a tmpfs so that nothing a build sends is written to a persistent disk.
PODMAN_TMP="${PODMAN_TMPDIR:-/dev/shm/container-build-podman}"
BASE=local/busybox:latest

answers() { curl -fsS --max-time 2 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }

if ! command -v podman >/dev/null; then
  # Another apt user may hold the dpkg lock: wait for it rather than fail.
  apt_install podman
fi

started=""
if answers; then
  log "podman service already answers on $SOCK"
else
  need_root
  install -d -m 0700 "$PODMAN_TMP"
  rm -f "$SOCK"
  log "starting podman system service on $SOCK (log: $PODMAN_LOG)"
  TMPDIR="$PODMAN_TMP" nohup podman system service --time=0 "unix://$SOCK" >>"$PODMAN_LOG" 2>&1 </dev/null &
  echo $! >"$PODMAN_PID"
  if ! wait_for 60 answers; then
    echo "---- last lines of $PODMAN_LOG ----" >&2
    tail -n 40 "$PODMAN_LOG" >&2 || true
    die "podman service did not answer on $SOCK within 60 s"
  fi
  started="$PODMAN_PID"
fi

# The base image: copied from dockerd (Podman cannot pull here either). `podman load` names it
# localhost/local/busybox:latest; a FROM local/busybox:latest resolves to exactly that name
# (short names without a registry are looked up under localhost/ first), checked below.
if ! podman image exists "localhost/$BASE"; then
  command -v docker >/dev/null || die "docker is needed to copy $BASE into podman"
  docker image inspect "$BASE" >/dev/null 2>&1 || bash "$SCRIPTS_DIR/make-base-images.sh"
  log "loading $BASE into podman"
  docker save "$BASE" | podman load >&2
fi
podman image exists "$BASE" || die "podman does not resolve $BASE after loading it"

[ -n "$started" ] && echo "$started"
exit 0
