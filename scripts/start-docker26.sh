#!/usr/bin/env bash
# Two private Docker Engine 26.1 daemons beside the system's 20.10 one (see install-docker26.sh):
#   overlay2    unix:///run/container-build-docker26-overlay2.sock   the classic overlay2 image store
#   containerd  unix:///run/container-build-docker26-containerd.sock the containerd image store
# Each has its own data root, exec root (so its own managed containerd), pid file, cgroup parent and
# Linux bridge (made here), no iptables rules, and the local base images loaded from the 20.10 daemon.
# Idempotent.
#
#   start-docker26.sh start [STORE...]  starts the daemons that do not answer yet; prints the pid file of
#                                        each daemon this run started (scripts/test.sh stops exactly those)
#   start-docker26.sh stop [STORE...]   stops the daemons recorded in the pid files
#   start-docker26.sh host STORE        prints the daemon's DOCKER_HOST
#
# NEVER start a private daemon with --bridge=none: dockerd then deletes docker0 (see start-tls-dockerd.sh).
source "$(dirname "$0")/lib.sh"

DOCKER26_PREFIX="${DOCKER26_PREFIX:-$STATE_DIR/docker26/prefix}"
STORES=(overlay2 containerd)
BASE_IMAGES=(local/busybox:latest local/busybox:amd64 local/busybox:arm64 local/busybox:armv7)

sock() { printf '/run/container-build-docker26-%s.sock' "$1"; }
root_of() { printf '%s/docker26-%s' "$STATE_DIR" "$1"; }
pid_file() { printf '%s/docker26-%s.pid' "$STATE_DIR" "$1"; }
bridge_of() { case "$1" in overlay2) echo cb26o0 ;; containerd) echo cb26c0 ;; esac; }
cidr_of() { case "$1" in overlay2) echo 172.31.252.1/24 ;; containerd) echo 172.31.253.1/24 ;; esac; }
answers() { curl -fsS --max-time 2 --unix-socket "$(sock "$1")" http://d/_ping >/dev/null 2>&1; }
check_store() { case "$1" in overlay2|containerd) ;; *) die "unknown image store '$1' (overlay2 or containerd)" ;; esac; }

make_bridge() {
  local br="$1" cidr="$2"
  ip link show "$br" >/dev/null 2>&1 && return 0
  log "creating bridge $br ($cidr)"
  ip link add "$br" type bridge
  ip addr add "$cidr" dev "$br"
  ip link set "$br" up
}

start_one() {
  local store="$1" root sock_path pid_file_path log_file had_docker0=""
  root=$(root_of "$store"); sock_path=$(sock "$store"); pid_file_path=$(pid_file "$store")
  log_file="$root.log"
  if answers "$store"; then
    log "dockerd 26 ($store) already answers on $sock_path"
  else
    need_root
    bash "$SCRIPTS_DIR/install-docker26.sh"
    if [ -f "$pid_file_path" ] && kill -0 "$(cat "$pid_file_path")" 2>/dev/null; then
      die "a dockerd 26 ($store, pid $(cat "$pid_file_path")) runs but does not answer on $sock_path; see $log_file"
    fi
    make_bridge "$(bridge_of "$store")" "$(cidr_of "$store")"
    ip link show docker0 >/dev/null 2>&1 && had_docker0=1
    mkdir -p "$root/data" "/run/cb-d26-$store"
    local snapshotter=false storage=(--storage-driver=overlay2)
    if [ "$store" = containerd ]; then snapshotter=true; storage=(); fi
    printf '{"features": {"containerd-snapshotter": %s}}\n' "$snapshotter" >"$root/daemon.json"
    rm -f "$sock_path"
    log "starting dockerd 26 ($store image store) on unix://$sock_path (log: $log_file)"
    PATH="$DOCKER26_PREFIX/usr/bin:$DOCKER26_PREFIX/usr/sbin:$PATH" nohup "$DOCKER26_PREFIX/usr/sbin/dockerd" \
      --host "unix://$sock_path" --config-file "$root/daemon.json" \
      --data-root "$root/data" --exec-root "/run/cb-d26-$store" --pidfile "$root/dockerd-internal.pid" \
      --bridge="$(bridge_of "$store")" --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
      --cgroup-parent="container-build-d26-$store" "${storage[@]}" \
      >>"$log_file" 2>&1 </dev/null &
    echo $! >"$pid_file_path"
    if ! wait_for 60 answers "$store"; then
      echo "---- last lines of $log_file ----" >&2
      tail -n 40 "$log_file" >&2 || true
      kill "$(cat "$pid_file_path")" 2>/dev/null || true
      rm -f "$pid_file_path"
      die "dockerd 26 ($store) did not answer on $sock_path within 60 s"
    fi
    if [ -n "$had_docker0" ] && ! ip link show docker0 >/dev/null 2>&1; then
      die "docker0 (the main daemon's bridge) disappeared when dockerd 26 ($store) started: check its options"
    fi
    echo "$pid_file_path"
  fi
  load_base_images "$store"
}

# Copies the base images from the system daemon (nothing can be pulled here).
load_base_images() {
  local store="$1" missing=() img
  for img in "${BASE_IMAGES[@]}"; do
    docker -H "unix://$(sock "$store")" image inspect "$img" >/dev/null 2>&1 || missing+=("$img")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  for img in "${missing[@]}"; do
    docker image inspect "$img" >/dev/null 2>&1 || { bash "$SCRIPTS_DIR/make-base-images.sh" >&2; break; }
  done
  log "loading ${missing[*]} into dockerd 26 ($store)"
  docker save "${missing[@]}" | docker -H "unix://$(sock "$store")" load >&2
}

stop_one() { stop_pid_file "$(pid_file "$1")" "dockerd 26 ($1)"; }

cmd="${1:-start}"
[ $# -gt 0 ] && shift
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${STORES[@]}")
for s in "${selected[@]}"; do check_store "$s"; done
case "$cmd" in
  start) for s in "${selected[@]}"; do start_one "$s"; done ;;
  stop) for s in "${selected[@]}"; do stop_one "$s"; done ;;
  host) printf 'unix://%s\n' "$(sock "${selected[0]}")" ;;
  *) die "usage: $0 start|stop|host [overlay2|containerd]" ;;
esac
