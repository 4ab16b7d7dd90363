#!/usr/bin/env bash
# Sets up a fresh Debian machine (idempotent), then runs the whole test suite against the real
# daemon. Services this script started are stopped again when it ends.
source "$(dirname "$0")/lib.sh"
bash "$SCRIPTS_DIR/setup.sh"
cd "$PROJECT_DIR"
started=()
cleanup() {
  for pidfile in "${started[@]+"${started[@]}"}"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
}
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
mvn -B -ntp verify "$@"
