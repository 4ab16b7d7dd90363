#!/usr/bin/env bash
# Starts dockerd when no daemon answers on the local socket. Idempotent.
source "$(dirname "$0")/lib.sh"

SOCK=/var/run/docker.sock
DOCKERD_LOG="$STATE_DIR/dockerd.log"
DOCKERD_PID="$STATE_DIR/dockerd.pid"

daemon_answers() { curl -fsS --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }

if daemon_answers; then
  log "dockerd already answers on $SOCK"
  exit 0
fi
need_root
command -v dockerd >/dev/null || die "dockerd is not installed: run scripts/install-packages.sh"

# cgroup v2 hosts without systemd need the cgroup filesystem mounted before dockerd starts.
if [ ! -e /sys/fs/cgroup/cgroup.controllers ] && ! mountpoint -q /sys/fs/cgroup; then
  mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null || true
fi

log "starting dockerd (log: $DOCKERD_LOG)"
nohup dockerd --host "unix://$SOCK" --pidfile "$STATE_DIR/dockerd-internal.pid" \
  >>"$DOCKERD_LOG" 2>&1 </dev/null &
echo $! >"$DOCKERD_PID"

if ! wait_for 60 daemon_answers; then
  echo "---- last lines of $DOCKERD_LOG ----" >&2
  tail -n 40 "$DOCKERD_LOG" >&2 || true
  die "dockerd did not answer on $SOCK within 60 s"
fi
log "dockerd is up: $(curl -fsS --unix-socket "$SOCK" http://localhost/version | head -c 200)"
