#!/usr/bin/env bash
# Test registries from Debian's docker-registry, each with its own config under $STATE_DIR,
# listening on 127.0.0.1 only (the stock Debian service listens on all addresses: it is kept
# stopped and never used). Idempotent.
#
#   start-registry.sh start   starts each instance whose port does not answer GET /v2/ yet and
#                             prints, one per line, the pid files of the instances IT started
#                             (so a test runner stops exactly those).
#   start-registry.sh stop    stops the instances recorded in their pid files.
#
# Instances:
#   open  127.0.0.1:5000  no auth
#   auth  127.0.0.1:5001  htpasswd (bcrypt); test-only user cbuser / cb-registry-pass
source "$(dirname "$0")/lib.sh"

AUTH_USER=cbuser
AUTH_PASSWORD=cb-registry-pass   # test-only credentials for the local test registry
INSTANCES=("open:5000" "auth:5001")

pid_file() { echo "$STATE_DIR/registry-$1.pid"; }
log_file() { echo "$STATE_DIR/registry-$1.log"; }

# HTTP status of GET /v2/ on the port, or 000 when nothing answers.
status_of() { curl -s -o /dev/null --max-time 2 -w '%{http_code}' "http://127.0.0.1:$1/v2/" 2>/dev/null || true; }

answers() { # NAME PORT
  local code
  code=$(status_of "$2")
  case "$1" in
    open) [ "$code" = 200 ] ;;
    auth) [ "$code" = 200 ] || [ "$code" = 401 ] ;;
  esac
}

install_registry() {
  if ! command -v docker-registry >/dev/null || ! command -v htpasswd >/dev/null; then
    # Keep the package's stock service (all addresses, port 5000) from starting on install.
    local policy=/usr/sbin/policy-rc.d made_policy=""
    if [ ! -e "$policy" ]; then
      need_root
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
    fi
    apt_install docker-registry apache2-utils
    [ -n "$made_policy" ] && rm -f "$policy"
  fi
  # If the stock service runs anyway (installed earlier, other init), stop it: it is never used.
  if [ -f /var/run/docker-registry.pid ] && kill -0 "$(cat /var/run/docker-registry.pid)" 2>/dev/null; then
    log "stopping the stock docker-registry service (listens on all addresses)"
    /etc/init.d/docker-registry stop >&2 || kill "$(cat /var/run/docker-registry.pid)" 2>/dev/null || true
  fi
}

write_config() { # NAME PORT -> prints the config path
  local name="$1" port="$2" dir="$STATE_DIR/registry-$1"
  mkdir -p "$dir/data"
  local cfg="$dir/config.yml"
  {
    echo "version: 0.1"
    echo "log:"
    echo "  level: info"
    echo "  fields:"
    echo "    service: registry-$name"
    echo "storage:"
    echo "  filesystem:"
    echo "    rootdirectory: $dir/data"
    echo "  delete:"
    echo "    enabled: true"
    echo "http:"
    echo "  addr: 127.0.0.1:$port"
    echo "  headers:"
    echo "    X-Content-Type-Options: [nosniff]"
    if [ "$name" = auth ]; then
      echo "auth:"
      echo "  htpasswd:"
      echo "    realm: container-build-test"
      echo "    path: $dir/htpasswd"
    fi
  } >"$cfg"
  if [ "$name" = auth ]; then
    htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$dir/htpasswd"
  fi
  echo "$cfg"
}

start_one() { # NAME PORT
  local name="$1" port="$2" pidf logf cfg
  pidf=$(pid_file "$name"); logf=$(log_file "$name")
  if answers "$name" "$port"; then
    log "registry $name already answers on 127.0.0.1:$port"
    return 0
  fi
  cfg=$(write_config "$name" "$port")
  log "starting registry $name on 127.0.0.1:$port (log: $logf)"
  # A clean environment: REGISTRY_* variables would override the config file.
  nohup env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin docker-registry serve "$cfg" \
    >>"$logf" 2>&1 </dev/null &
  echo $! >"$pidf"
  if ! wait_for 30 answers "$name" "$port"; then
    echo "---- last lines of $logf ----" >&2
    tail -n 30 "$logf" >&2 || true
    kill "$(cat "$pidf")" 2>/dev/null || true
    rm -f "$pidf"
    die "registry $name did not answer on 127.0.0.1:$port within 30 s (status $(status_of "$port"))"
  fi
  echo "$pidf"
}

stop_one() { stop_pid_file "$(pid_file "$1")" "registry $1"; } # NAME

case "${1:-start}" in
  start)
    install_registry
    for inst in "${INSTANCES[@]}"; do start_one "${inst%%:*}" "${inst##*:}"; done
    ;;
  stop)
    for inst in "${INSTANCES[@]}"; do stop_one "${inst%%:*}"; done
    ;;
  *) die "usage: $0 start|stop" ;;
esac
