#!/usr/bin/env bash
# Sets up a fresh Debian machine (idempotent), then runs the whole test suite against the real
# daemon. Services this script started are stopped again when it ends.
source "$(dirname "$0")/lib.sh"
bash "$SCRIPTS_DIR/setup.sh"
cd "$PROJECT_DIR"
started=()
# The images and build cache the run creates are removed at its end: images by what was not there before.
TEST_DAEMONS=(unix:///var/run/docker.sock unix:///run/container-build-docker26-overlay2.sock
  unix:///run/container-build-docker26-containerd.sock unix:///run/container-build-podman.sock)
images_of() { docker -H "$1" image ls -aq --no-trunc 2>/dev/null | sort -u; }
snapshot_images() {
  local i
  for i in "${!TEST_DAEMONS[@]}"; do images_of "${TEST_DAEMONS[$i]}" >"$STATE_DIR/images-before-$i"; done
}
remove_new_images() {
  local i host new
  for i in "${!TEST_DAEMONS[@]}"; do
    host="${TEST_DAEMONS[$i]}"
    [ -f "$STATE_DIR/images-before-$i" ] || continue
    new=$(images_of "$host" | comm -13 "$STATE_DIR/images-before-$i" -)
    if [ -n "$new" ]; then
      log "removing $(wc -l <<<"$new") images the tests left on $host"
      xargs -r docker -H "$host" rmi -f <<<"$new" >/dev/null 2>&1 || true
    fi
    # Podman has no build cache API; on the dockerds this drops the cache no image uses any more.
    docker -H "$host" builder prune -f >/dev/null 2>&1 || true
  done
}
prune_buildkitd() {
  # The buildkitd keeps every test build's cache under its root; like the dockerds' it is dropped after the run.
  local buildctl="$STATE_DIR/buildkitd/bin/buildctl" addr
  addr=$(bash "$SCRIPTS_DIR/start-buildkitd.sh" host)
  if [ -x "$buildctl" ] && [ -S "${addr#unix://}" ]; then
    "$buildctl" --addr "$addr" prune --all >/dev/null 2>&1 || log "could not prune the buildkitd's cache at $addr"
  fi
}
cleanup() {
  remove_new_images
  prune_buildkitd
  for pidfile in "${started[@]+"${started[@]}"}"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
}
rm -f "$STATE_DIR"/images-before-*
trap cleanup EXIT
for svc in "$SCRIPTS_DIR"/services.d/*.sh; do
  [ -e "$svc" ] || continue
  # A service prints the pid files of what it started, one per line (none if already running).
  out=$(bash "$svc" start) || die "service $(basename "$svc") did not start"
  while IFS= read -r pidfile; do
    [ -n "$pidfile" ] && started+=("$pidfile")
  done <<<"$out"
done
# The tests create file names outside ASCII, and Java decodes file names with the locale's charset.
if [ "$(locale charmap 2>/dev/null)" != "UTF-8" ]; then
  export LC_ALL=C.UTF-8
fi
snapshot_images
mvn_plain -B -ntp -Dcb.state.dir="$STATE_DIR" verify "$@"
