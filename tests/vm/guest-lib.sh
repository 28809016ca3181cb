# shellcheck shell=bash
# tests/vm/guest-lib.sh — sourced (bash) by payloads INSIDE the VM, running as root.
#
# The host copies it to /vm/guest-lib.sh at every boot (it is not baked into the image, so
# changing it costs no rebuild). A payload:
#
#   #!/bin/bash
#   set -uo pipefail                  # not -e: one failing check must not stop the others
#   . /vm/guest-lib.sh
#   wait_user_manager rctrtest        # logind + lingering: user@UID, /run/user/UID, user bus
#   start_lab_registry                # the host lab's registry data on the guest's 127.0.0.1:5100
#   user_registries_conf rctrtest     # podman-style registries.conf for the lab registry
#   VM_USER=rctrtest check info ur rctr info
#   my_check() { ur rctr run --rm busybox true; want_eq "stdout" "$OUT" ""; }
#   VM_USER=rctrtest check my-check my_check
#   result "time something 12 ms"     # any other line for the host's summary
#
# Output: one line per check, `ok NAME (1.2s)` or `FAIL NAME: <last lines of its output>`, to
# stdout (the console) and to /vm/out/results; the full output of each check in
# /vm/out/checks/NAME.log (the host keeps them in the run directory).
#
# Users: as_user USER CMD... runs CMD with setpriv (no PAM session: like a batch job or sudo
# -u), a clean environment, HOME as cwd, XDG_RUNTIME_DIR=/run/user/UID and the user bus only
# when logind made them for that user, and a hard per-command timeout (VM_CMD_TIMEOUT); it
# stays in the payload's system cgroup. as_user_unit USER CMD... runs CMD inside the user's
# own systemd manager instead (its cgroup subtree, delegated controllers).

VM_SHARE=${VM_SHARE:-/vm}
VM_OUT=$VM_SHARE/out
VM_RESULTS=$VM_OUT/results
VM_CHECKS=$VM_OUT/checks
VM_CMD_TIMEOUT=${VM_CMD_TIMEOUT:-180}
VM_FAIL_LINES=${VM_FAIL_LINES:-8}
VM_USER=${VM_USER:-rctrtest}
VM_USER_ENV=${VM_USER_ENV:-}   # extra NAME=VALUE words for every as_user command
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8
mkdir -p "$VM_CHECKS"
touch "$VM_RESULTS"

result() {  # LINE... : one line to the console and the results file
  printf '%s\n' "$*" | tee -a "$VM_RESULTS"
}

# note LINE... — a result line from inside a check (whose stdout is its log): fd 3 is the
# payload's stdout there.
note() {
  printf '%s\n' "$*" >> "$VM_RESULTS"
  { printf '%s\n' "$*" >&3; } 2>/dev/null || true
}

# vm_elapsed T0 — seconds since T0 (an $EPOCHREALTIME value), one decimal; no fork.
vm_elapsed() {
  local a=${1/[.,]/} b=${EPOCHREALTIME/[.,]/}
  local ms=$(( (b - a) / 1000 ))
  printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100))
}

# as_user USER CMD... — see the top of the file. Every fork+exec costs tens of ms under TCG,
# so the passwd lookups are cached and the command is only timeout → setpriv → env → CMD.
declare -A _VM_PW=()
as_user() {
  local u=$1 uid gid home pw
  shift
  if [ -z "${_VM_PW[$u]:-}" ]; then
    pw=$(getent passwd "$u") || { echo "as_user: no user $u" >&2; return 125; }
    _VM_PW[$u]=$pw
  fi
  IFS=: read -r _ _ uid gid _ home _ <<< "${_VM_PW[$u]}"
  local envs=(HOME="$home" USER="$u" LOGNAME="$u" SHELL=/bin/bash LANG=C.UTF-8
              PATH=/usr/local/bin:/usr/bin:/bin TERM="${TERM:-linux}")
  # Only a runtime dir logind made for this user (owner checked), as pam_systemd would set it.
  if [ -d "/run/user/$uid" ] && [ "$(stat -c %u "/run/user/$uid")" = "$uid" ]; then
    envs+=(XDG_RUNTIME_DIR="/run/user/$uid")
    [ -S "/run/user/$uid/bus" ] && envs+=(DBUS_SESSION_BUS_ADDRESS="unix:path=/run/user/$uid/bus")
  fi
  # shellcheck disable=SC2206
  [ -n "$VM_USER_ENV" ] && envs+=($VM_USER_ENV)
  (cd "$home" && exec timeout -k 5 "$VM_CMD_TIMEOUT" \
     setpriv --reuid "$uid" --regid "$gid" --init-groups env -i "${envs[@]}" "$@")
}

# as_user_unit USER CMD... — CMD as a transient service of USER's own systemd manager
# (lingering users have one): in user@UID.service's cgroup subtree with what it delegates,
# the manager's environment, stdin/stdout/stderr passed through (--pipe), CMD's exit status.
# For the systemd-cgroup stage; extra systemd-run words (e.g. "-p MemoryMax=64M") in
# VM_UNIT_ARGS. Measured on 6.1 under TCG: ≈1.1 s per call (as_user: ≈0.1 s).
VM_UNIT_ARGS=${VM_UNIT_ARGS:-}
as_user_unit() {
  local u=$1 home
  shift
  home=$(getent passwd "$u" | cut -d: -f6)
  # shellcheck disable=SC2086  # VM_UNIT_ARGS is a word list
  timeout -k 5 "$VM_CMD_TIMEOUT" systemd-run --machine="$u@.host" --user --pipe --wait \
    --quiet --collect --working-directory="$home" $VM_UNIT_ARGS "$@"
}

# ur CMD... — inside a check: run CMD as $VM_USER; echo the command, its stdout and stderr
# into the check's log; keep stdout in $OUT (stderr in $ERR). A non-zero exit fails the check,
# with those lines (the rctr error line last) as the tail of the FAIL line.
OUT=
ERR=
ur() {
  _ur /dev/null "$@"
}

# ur_in FILE CMD... — the same with stdin from FILE (e.g. `rctr run -i … sh -s`).
ur_in() {
  _ur "$@"
}

_ur() {
  local in=$1 rc=0 ef
  shift
  ef=$(mktemp)
  if [ "$in" = /dev/null ]; then echo "+ [$VM_USER] $*"; else echo "+ [$VM_USER] $* < $in"; fi
  local t0=$EPOCHREALTIME
  OUT=$(as_user "$VM_USER" "$@" < "$in" 2> "$ef") || rc=$?
  echo "  ($(vm_elapsed "$t0") s)"
  ERR=$(cat "$ef")
  rm -f "$ef"
  [ -n "$OUT" ] && printf '%s\n' "$OUT"
  [ -n "$ERR" ] && printf '%s\n' "$ERR" | sed 's/^/stderr: /'
  if [ "$rc" != 0 ]; then
    [ "$rc" = 124 ] && echo "(timed out after ${VM_CMD_TIMEOUT}s)"
    echo "=> exit $rc"
    return "$rc"
  fi
}

want_eq() {  # WHAT GOT WANT
  [ "$2" = "$3" ] && return 0
  echo "$1: got '$2', want '$3'"
  return 1
}

want_match() {  # WHAT GOT EXTENDED-REGEX
  printf '%s\n' "$2" | grep -Eq -- "$3" && return 0
  echo "$1: '$2' does not match /$3/"
  return 1
}

# check NAME CMD... — run CMD (usually a shell function using ur/want_*) with `set -e` in a
# subshell, output to checks/NAME.log; print `ok NAME (Ts)` or `FAIL NAME: …` (last
# VM_FAIL_LINES lines of the log joined with " | "). Returns CMD's status.
VM_N_OK=0
VM_N_FAIL=0
check() {
  local name=$1 rc=0 t0 dt
  shift
  local log=$VM_CHECKS/$name.log
  printf '== check %s: %s\n' "$name" "$*" >> "$VM_OUT/progress.log"
  t0=$EPOCHREALTIME
  # Not `( … ) || rc=$?`: bash ignores set -e inside anything on the left of || (the first
  # failing command would not end the check).
  local had_e=0
  case $- in *e*) had_e=1; set +e ;; esac
  ( set -e; "$@" ) 3>&1 > "$log" 2>&1 < /dev/null
  rc=$?
  [ "$had_e" = 1 ] && set -e
  dt=$(vm_elapsed "$t0")
  if [ "$rc" = 0 ]; then
    VM_N_OK=$((VM_N_OK + 1))
    result "ok $name (${dt}s)"
  else
    VM_N_FAIL=$((VM_N_FAIL + 1))
    result "FAIL $name: $(fail_text "$log" "$rc")"
  fi
  return "$rc"
}

# fail_text LOG RC — the FAIL line's text: the log's last VM_FAIL_LINES lines joined with
# " | ", led by the last error-looking line when that one is further up (a diff or an
# assertion after it must not hide the rctr error).
fail_text() {
  local log=$1 rc=$2 t e
  t=$(grep -v '^[[:space:]]*$' "$log" | tail -n "$VM_FAIL_LINES")
  e=$(grep -E 'Error|error:|panicked|not found|denied' "$log" | tail -1 || true)
  if [ -n "$e" ] && ! printf '%s\n' "$t" | grep -qxF -- "$e"; then t="$e"$'\n'"…"$'\n'"$t"; fi
  [ -n "$t" ] || t="exit $rc, no output"
  printf '%s' "$t" | tr '\n' '\a' | sed 's/\a/ | /g'
}

# wait_user_manager USER [SECONDS] — logind starts user@UID.service for lingering users at
# boot, asynchronously: wait for it, /run/user/UID and the user bus.
wait_user_manager() {
  local u=$1 max=${2:-90} uid i
  uid=$(id -u "$u")
  for ((i = 0; i < max * 4; i++)); do
    if systemctl is-active --quiet "user@$uid.service" && [ -S "/run/user/$uid/bus" ]; then
      return 0
    fi
    sleep 0.25
  done
  # shellcheck disable=SC2012  # for a human reading the log
  echo "wait_user_manager: user@$uid.service: $(systemctl is-active "user@$uid.service"); /run/user/$uid: $(ls -la "/run/user/$uid" 2>&1  | tr '\n' ' ')" >&2
  return 1
}

# start_lab_registry — serve the host lab's registry storage (9p share lab-registry, mounted
# read-only at /mnt/lab-registry by the entry) on the guest's 127.0.0.1:5100, the address
# the lab images are named with, so `rctr pull 127.0.0.1:5100/busybox` is a real pull.
start_lab_registry() {
  local data=/mnt/lab-registry cfg=/run/rctr-vm-registry.yml i
  [ -d "$data/docker" ] || { echo "start_lab_registry: $data is not registry storage (no lab share?)" >&2; return 1; }
  # Read-only storage: no upload purging, read-only mode (pushes are refused, pulls work).
  cat > "$cfg" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $data
  maintenance:
    uploadpurging:
      enabled: false
    readonly:
      enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:5100
health:
  storagedriver:
    enabled: false
EOF
  # 3>&-: inside a check fd 3 is the payload's stdout; a daemon holding it open would keep
  # whoever reads that stream waiting for EOF.
  setsid /usr/bin/docker-registry serve "$cfg" > "$VM_OUT/registry.log" 2>&1 < /dev/null 3>&- &
  for ((i = 0; i < 120; i++)); do
    curl -fsS -o /dev/null http://127.0.0.1:5100/v2/ 2>/dev/null && return 0
    sleep 0.25
  done
  echo "start_lab_registry: no answer on 127.0.0.1:5100; log: $(tail -5 "$VM_OUT/registry.log")" >&2
  return 1
}

# user_registries_conf USER — the lab's registries.conf (the same as tests/common/mod.rs).
user_registries_conf() {
  local u=$1 home
  home=$(getent passwd "$u" | cut -d: -f6)
  install -d -o "$u" -g "$u" "$home/.config" "$home/.config/containers"
  cat > "$home/.config/containers/registries.conf" <<'EOF'
# written by tests/vm/guest-lib.sh: the in-guest lab registry only
unqualified-search-registries = ["127.0.0.1:5100"]

[[registry]]
location = "127.0.0.1:5100"
insecure = true
EOF
  chown "$u:" "$home/.config/containers/registries.conf"
}
