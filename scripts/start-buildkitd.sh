#!/usr/bin/env bash
# A standalone BuildKit daemon (buildkitd v0.13.2, built by install-buildkitd.sh from Debian's packages),
# run as root with the OCI worker (bookworm's runc), no containerd worker, its own root directory, and:
#   unix:///run/container-build-buildkitd.sock   plain gRPC (root only)
#   tcp://127.0.0.1:1235                          gRPC with mutual TLS (client certificate from our test CA)
# The registries 127.0.0.1:5000 and 127.0.0.1:5001 (start-registry.sh) are plain HTTP in its config.
# Idempotent.
#
#   start-buildkitd.sh start   installs buildkitd if needed, generates the test CA and certificates under
#                              $STATE_DIR/buildkitd/certs (once), starts the daemon unless it already
#                              answers on both addresses, and prints its pid file only if this run started
#                              it (so scripts/test.sh stops exactly that).
#   start-buildkitd.sh stop    stops the daemon recorded in the pid file.
#   start-buildkitd.sh host    prints the unix address.
#
# Clients use $STATE_DIR/buildkitd/client (ca.pem, cert.pem, key.pem; the DOCKER_CERT_PATH layout), e.g.
#   buildctl --addr tcp://127.0.0.1:1235 --tlsdir $STATE_DIR/buildkitd/client debug workers
# buildctl is $STATE_DIR/buildkitd/bin/buildctl. Log: $STATE_DIR/buildkitd.log.
source "$(dirname "$0")/lib.sh"

BK_HOME="$STATE_DIR/buildkitd"
BIN_DIR="$BK_HOME/bin"
SOCK=/run/container-build-buildkitd.sock
UNIX_ADDR="unix://$SOCK"
TCP_ADDR=tcp://127.0.0.1:1235
ROOT="$BK_HOME/root"
CONFIG="$BK_HOME/buildkitd.toml"
CERTS_DIR="$BK_HOME/certs"
CLIENT_DIR="$BK_HOME/client"
PID_FILE="$STATE_DIR/buildkitd.pid"
LOG_FILE="$STATE_DIR/buildkitd.log"
PLAIN_HTTP_REGISTRIES=(127.0.0.1:5000 127.0.0.1:5001)

buildctl_at() { timeout 15 "$BIN_DIR/buildctl" --timeout 5 --addr "$@"; }
answers_unix() { buildctl_at "$UNIX_ADDR" debug workers >/dev/null 2>&1; }
answers_tcp() {
  buildctl_at "$TCP_ADDR" --tlscacert "$CLIENT_DIR/ca.pem" --tlscert "$CLIENT_DIR/cert.pem" \
    --tlskey "$CLIENT_DIR/key.pem" debug workers >/dev/null 2>&1
}
answers() { [ -x "$BIN_DIR/buildctl" ] && answers_unix && answers_tcp; }

# CA, server certificate (SANs 127.0.0.1, localhost) and client certificate, in $CERTS_DIR; the client's
# copy (with the CA) in $CLIENT_DIR.
make_certs() {
  if [ ! -f "$CERTS_DIR/server/key.pem" ] || [ ! -f "$CERTS_DIR/client/key.pem" ]; then
    command -v openssl >/dev/null || apt_install openssl
    log "generating the buildkitd test CA and certificates in $CERTS_DIR"
    local t="$CERTS_DIR.tmp"
    rm -rf "$t" && mkdir -p "$t"
    (
      cd "$t"
      umask 077
      make_test_certs "container-build buildkitd test CA" "container-build buildkitd client" || exit 1
      rm -f client/ext.cnf
    ) || die "openssl failed to make the buildkitd certificates"
    rm -rf "$CERTS_DIR" "$CLIENT_DIR" && mv "$t" "$CERTS_DIR"
  fi
  if ! cmp -s "$CERTS_DIR/client/cert.pem" "$CLIENT_DIR/cert.pem" 2>/dev/null; then
    rm -rf "$CLIENT_DIR.tmp" && mkdir -p "$CLIENT_DIR.tmp"
    cp -p "$CERTS_DIR/client/ca.pem" "$CERTS_DIR/client/cert.pem" "$CERTS_DIR/client/key.pem" "$CLIENT_DIR.tmp/"
    rm -rf "$CLIENT_DIR" && mv "$CLIENT_DIR.tmp" "$CLIENT_DIR"
  fi
}

write_config() {
  local runc reg
  runc=$(PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH" command -v runc) || die "runc is not installed"
  {
    echo "# Written by scripts/start-buildkitd.sh; rewritten at each start."
    echo "[worker.oci]"
    echo "  enabled = true"
    echo "  binary = \"$runc\""
    echo "[worker.containerd]"
    echo "  enabled = false"
    for reg in "${PLAIN_HTTP_REGISTRIES[@]}"; do
      echo "[registry.\"$reg\"]"
      echo "  http = true"
    done
  } >"$CONFIG"
}

start() {
  if answers; then
    log "buildkitd already answers on $UNIX_ADDR and $TCP_ADDR"
    return 0
  fi
  need_root
  bash "$SCRIPTS_DIR/install-buildkitd.sh"
  if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    die "a buildkitd (pid $(cat "$PID_FILE")) runs but does not answer on $UNIX_ADDR and $TCP_ADDR; see $LOG_FILE"
  fi
  PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH" command -v runc >/dev/null || apt_install runc
  make_certs
  write_config
  mkdir -p "$ROOT"
  rm -f "$SOCK"
  log "starting buildkitd on $UNIX_ADDR and $TCP_ADDR (mutual TLS) (log: $LOG_FILE)"
  PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH" nohup "$BIN_DIR/buildkitd" --config "$CONFIG" --root "$ROOT" \
    --addr "$UNIX_ADDR" --addr "$TCP_ADDR" \
    --tlscacert "$CERTS_DIR/server/ca.pem" --tlscert "$CERTS_DIR/server/cert.pem" --tlskey "$CERTS_DIR/server/key.pem" \
    --oci-worker=true --containerd-worker=false \
    >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  if ! wait_for 60 answers; then
    echo "---- last lines of $LOG_FILE ----" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
    kill "$(cat "$PID_FILE")" 2>/dev/null || true
    rm -f "$PID_FILE"
    die "buildkitd did not answer on $UNIX_ADDR and $TCP_ADDR within 60 s"
  fi
  echo "$PID_FILE"
}

stop() { stop_pid_file "$PID_FILE" "buildkitd"; }

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  host) printf '%s\n' "$UNIX_ADDR" ;;
  *) die "usage: $0 start|stop|host" ;;
esac
