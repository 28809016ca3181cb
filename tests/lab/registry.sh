#!/bin/bash
# tests/lab/registry.sh start|stop|status
#
# Two CNCF distribution (`docker-registry`) instances for the tests, loopback only:
#   127.0.0.1:5100  plain HTTP, anonymous           state in $LAB_DIR/registry-5100
#   127.0.0.1:5101  plain HTTP, htpasswd (bcrypt)   state in $LAB_DIR/registry-5101
#                   user `rctr`, password `rctrpass`
# Each runs in its own session (setsid) with a pid file; `stop` signals only the recorded pid,
# and only after checking /proc/PID/exe is the registry binary (a stale pid file may name an
# unrelated process by now).
set -euo pipefail
. "$(dirname "$0")/env.sh"
need_root

instances() { printf '%s plain\n%s auth\n' "$LAB_REG" "$LAB_AUTH_REG"; }

state_dir() { echo "$LAB_DIR/registry-${1##*:}"; }

is_running() {  # addr
  local pf; pf="$(state_dir "$1")/registry.pid"
  [ -s "$pf" ] || return 1
  local pid; pid=$(cat "$pf")
  [ -d "/proc/$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$(readlink -f "$REGISTRY_BIN")" ]
}

write_config() {  # addr kind
  local addr=$1 kind=$2 d; d=$(state_dir "$addr")
  mkdir -p "$d/data"
  {
    cat <<CONF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $d/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $addr
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: false
CONF
    if [ "$kind" = auth ]; then
      # htpasswd auth needs a realm (the registry refuses to start without one); only bcrypt
      # entries are accepted, hence `htpasswd -B`.
      if [ ! -s "$d/htpasswd" ] || ! htpasswd -vbB "$d/htpasswd" "$LAB_AUTH_USER" "$LAB_AUTH_PASS" >/dev/null 2>&1; then
        htpasswd -Bbn "$LAB_AUTH_USER" "$LAB_AUTH_PASS" > "$d/htpasswd.tmp"
        mv "$d/htpasswd.tmp" "$d/htpasswd"
      fi
      cat <<CONF
auth:
  htpasswd:
    realm: rctr-lab
    path: $d/htpasswd
CONF
    fi
  } > "$d/config.yml.tmp"
  mv "$d/config.yml.tmp" "$d/config.yml"
}

start_one() {  # addr kind
  local addr=$1 kind=$2 d; d=$(state_dir "$addr")
  if is_running "$addr"; then
    echo "registry $addr ($kind) already running, pid $(cat "$d/registry.pid")"
    return 0
  fi
  [ -x "$REGISTRY_BIN" ] || die "$REGISTRY_BIN missing: run tests/lab/setup.sh (package docker-registry)"
  write_config "$addr" "$kind"
  setsid "$REGISTRY_BIN" serve "$d/config.yml" >"$d/registry.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" > "$d/registry.pid"
  for _ in $(seq 1 100); do
    # 200 (anonymous) or 401 (auth) both mean it is serving.
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://$addr/v2/" || true)
    if [ "$code" = 200 ] || [ "$code" = 401 ]; then
      echo "registry $addr ($kind) started, pid $(cat "$d/registry.pid"), data $d/data"
      return 0
    fi
    # Only "the process is gone" ends the wait early: right after the fork, /proc/PID/exe is
    # still bash or setsid, not the registry (a race that failed CI on a fresh machine).
    [ -d "/proc/$pid" ] || break
    sleep 0.1
  done
  echo "registry $addr failed to start; log $d/registry.log:" >&2
  cat "$d/registry.log" >&2
  return 1
}

stop_one() {  # addr
  local addr=$1 d pid; d=$(state_dir "$addr")
  [ -f "$d/registry.pid" ] || { echo "registry $addr: not running (no pid file)"; return 0; }
  pid=$(cat "$d/registry.pid")
  if is_running "$addr"; then
    kill -TERM "$pid"
    for _ in $(seq 1 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
    [ -d "/proc/$pid" ] && kill -KILL "$pid"
    echo "registry $addr (pid $pid) stopped"
  else
    echo "registry $addr: pid $pid is not the registry; removing the stale pid file"
  fi
  rm -f "$d/registry.pid"
}

rc=0
case "${1:-}" in
start)
  mkdir -p "$LAB_DIR"
  while read -r addr kind; do start_one "$addr" "$kind" || rc=1; done < <(instances)
  ;;
stop)
  while read -r addr kind; do stop_one "$addr" || rc=1; done < <(instances)
  ;;
status)
  while read -r addr kind; do
    if is_running "$addr"; then
      echo "registry $addr ($kind): running, pid $(cat "$(state_dir "$addr")/registry.pid")"
    else
      echo "registry $addr ($kind): not running"; rc=1
    fi
  done < <(instances)
  ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
exit $rc
