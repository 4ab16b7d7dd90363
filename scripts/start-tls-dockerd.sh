#!/usr/bin/env bash
# A second, private dockerd for the TLS tests: tcp://127.0.0.1:2376 with --tlsverify (client
# certificates signed by a test CA), plus a private unix socket used only to load the base image.
# It has its own data root, exec root (and so its own managed containerd), pid file, cgroup parent
# and Linux bridge (cbtls0, 172.31.254.1/24, made here), and no iptables rules: it never touches the
# main daemon on /var/run/docker.sock. Idempotent.
#
# NEVER start it with --bridge=none: dockerd then DELETES the docker0 interface at start-up
# (removeDefaultBridgeInterface), which is the main daemon's bridge. And BuildKit's RUN steps need a
# bridge network anyway ("network bridge not found" without one).
#
#   start-tls-dockerd.sh start   generates the test CA and certificates under $STATE_DIR/tls (once),
#                                starts the daemon unless it already answers over TLS, loads
#                                local/busybox:latest into it, and prints its pid file only if this
#                                run started it (so scripts/test.sh stops exactly that).
#   start-tls-dockerd.sh stop    stops the daemon recorded in the pid file.
#
# Clients use $STATE_DIR/tls/client (ca.pem, cert.pem, key.pem), e.g.
#   docker -H tcp://127.0.0.1:2376 --tlsverify --tlscacert ca.pem --tlscert cert.pem --tlskey key.pem
# $STATE_DIR/tls/wrong-client holds a client certificate from ANOTHER CA (for negative tests).
source "$(dirname "$0")/lib.sh"

ADDR=127.0.0.1:2376
TLS_DIR="$STATE_DIR/tls"
ROOT="$STATE_DIR/tls-dockerd"
SOCK="$ROOT/docker.sock"
PID_FILE="$STATE_DIR/tls-dockerd.pid"
LOG_FILE="$STATE_DIR/tls-dockerd.log"
BASE=local/busybox:latest
BRIDGE=cbtls0
BRIDGE_CIDR=172.31.254.1/24

answers_tls() {
  curl -fsS --max-time 3 --cacert "$TLS_DIR/client/ca.pem" --cert "$TLS_DIR/client/cert.pem" \
    --key "$TLS_DIR/client/key.pem" "https://$ADDR/_ping" >/dev/null 2>&1
}
answers_unix() { curl -fsS --max-time 2 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }

# CA + server cert (SANs 127.0.0.1, localhost) + client cert, and a second CA with its own client cert.
make_certs() {
  [ -f "$TLS_DIR/client/key.pem" ] && [ -f "$TLS_DIR/server/key.pem" ] && [ -f "$TLS_DIR/wrong-client/key.pem" ] && return 0
  command -v openssl >/dev/null || apt_install openssl
  log "generating the test CA and certificates in $TLS_DIR"
  local t="$TLS_DIR.tmp"
  rm -rf "$t" && mkdir -p "$t/ca" "$t/server" "$t/client" "$t/wrong-ca" "$t/wrong-client"
  (
    cd "$t"
    umask 077
    make_test_certs "container-build test CA" "container-build client" || exit 1
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=container-build other CA" \
      -keyout wrong-ca/ca-key.pem -out wrong-ca/ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=container-build stranger" -keyout wrong-client/key.pem \
      -out wrong-client/csr.pem 2>/dev/null
    openssl x509 -req -in wrong-client/csr.pem -CA wrong-ca/ca.pem -CAkey wrong-ca/ca-key.pem -CAcreateserial \
      -days 3650 -extfile client/ext.cnf -out wrong-client/cert.pem 2>/dev/null
    # The stranger trusts the right CA (so the server's certificate is accepted): only its own is wrong.
    cp ca/ca.pem wrong-client/ca.pem
    rm -f wrong-client/csr.pem client/ext.cnf
    chmod 0644 wrong-client/*.pem   # test-only material, readable by the test JVM
  ) || die "openssl failed to make the TLS dockerd's certificates"
  rm -rf "$TLS_DIR" && mv "$t" "$TLS_DIR"
}

# The daemon's own bridge (dockerd uses, but does not create, a bridge with a non-default name).
make_bridge() {
  ip link show "$BRIDGE" >/dev/null 2>&1 && return 0
  command -v ip >/dev/null || apt_install iproute2
  log "creating bridge $BRIDGE ($BRIDGE_CIDR) for the TLS dockerd"
  ip link add "$BRIDGE" type bridge
  ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  ip link set "$BRIDGE" up
}

docker0_present() { ip link show docker0 >/dev/null 2>&1; }

start() {
  make_certs
  local started=""
  if answers_tls && answers_unix; then
    log "TLS dockerd already answers on $ADDR"
  else
    need_root
    command -v dockerd >/dev/null || die "dockerd is not installed: run scripts/install-packages.sh"
    if [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      die "a TLS dockerd (pid $(cat "$PID_FILE")) runs but does not answer on $ADDR; see $LOG_FILE"
    fi
    make_bridge
    local had_docker0=""
    docker0_present && had_docker0=1
    mkdir -p "$ROOT/data" "$ROOT/exec"
    rm -f "$SOCK"
    log "starting the TLS dockerd on tcp://$ADDR and unix://$SOCK (log: $LOG_FILE)"
    nohup dockerd \
      --host "tcp://$ADDR" --host "unix://$SOCK" \
      --tlsverify --tlscacert "$TLS_DIR/server/ca.pem" --tlscert "$TLS_DIR/server/cert.pem" \
      --tlskey "$TLS_DIR/server/key.pem" \
      --data-root "$ROOT/data" --exec-root "$ROOT/exec" --pidfile "$ROOT/dockerd-internal.pid" \
      --bridge="$BRIDGE" --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
      --cgroup-parent=container-build-tls --storage-driver=overlay2 \
      >>"$LOG_FILE" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
    if ! wait_for 60 answers_tls; then
      echo "---- last lines of $LOG_FILE ----" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      kill "$(cat "$PID_FILE")" 2>/dev/null || true
      rm -f "$PID_FILE"
      die "the TLS dockerd did not answer on $ADDR within 60 s"
    fi
    wait_for 10 answers_unix || die "the TLS dockerd does not answer on $SOCK"
    if [ -n "$had_docker0" ] && ! docker0_present; then
      die "docker0 (the main daemon's bridge) disappeared when the TLS dockerd started: check its options"
    fi
    started="$PID_FILE"
  fi
  if ! docker -H "unix://$SOCK" image inspect "$BASE" >/dev/null 2>&1; then
    docker image inspect "$BASE" >/dev/null 2>&1 || bash "$SCRIPTS_DIR/make-base-images.sh" >&2
    log "loading $BASE into the TLS dockerd"
    docker save "$BASE" | docker -H "unix://$SOCK" load >&2
  fi
  [ -n "$started" ] && echo "$started"
  return 0
}

stop() { stop_pid_file "$PID_FILE" "the TLS dockerd"; }

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: $0 start|stop" ;;
esac
