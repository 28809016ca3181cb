# bench/lib.sh — the set-up every bench/*.sh repeats; sourced (POSIX sh) with
#   here=$(cd "$(dirname "$0")/.." && pwd); . "$here/bench/lib.sh"
# The caller keeps its own options, measurements and output; this file only defines variables
# and functions (nothing runs at source time but LC_ALL and the defaults below).

LC_ALL=C
export LC_ALL
# The prefix of every message: the script's name as the user typed it from the checkout.
BENCH_NAME=bench/$(basename "$0")
BIN=""
BENCH_USAGE="[--release-bin PATH] [--runs N] [--quick]"
QUICK_RUNS=""
# Paths removed by bench_cleanup (bench_rm_at_exit adds to it).
BENCH_RM=""
bench_pause_file=""

# One error style for every precondition: name the script, exit 2 (as before the split).
bench_fail() { echo "$BENCH_NAME: $*" >&2; exit 2; }

# --quick's effect; a script with more than RUNS to shorten (net.sh: SIZE) redefines it.
bench_quick() { RUNS=$QUICK_RUNS; }

# A script's own two-word options (name value); return 1 for "not mine". Redefined by net.sh.
bench_opt() { return 1; }

# The options all scripts share (--release-bin, --runs, --quick), in order, plus bench_opt's.
bench_parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --release-bin) BIN=$2; shift 2 ;;
      --runs) RUNS=$2; shift 2 ;;
      --quick) bench_quick; shift ;;
      *) if [ $# -ge 2 ] && bench_opt "$1" "$2"; then shift 2
         else echo "usage: $0 $BENCH_USAGE" >&2; exit 2; fi ;;
    esac
  done
}

# The tools run as the test user, and root is what lets us switch to it.
bench_need_root() { [ "$(id -u)" = 0 ] || bench_fail "run as root (it runs the tools as rctrtest)"; }

# Fail early, naming the missing tool, rather than half-way through a measurement.
bench_need_tools() {
  for t in "$@"; do
    command -v "$t" >/dev/null || bench_fail "$t missing: run tests/lab/setup.sh"
  done
}

# Every script pulls busybox (and more) from the lab registry on the loopback.
bench_need_registry() {
  curl -sf http://127.0.0.1:5100/v2/ >/dev/null || bench_fail "registry 127.0.0.1:5100 down: tests/lab/registry.sh start"
}

# Without --release-bin, measure a fresh release build of this checkout.
bench_binary() {
  if [ -z "$BIN" ]; then
    (cd "$here" && cargo build --release --quiet)
    BIN=$here/target/release/rctr
  fi
}

# The unprivileged user of tests/lab/setup.sh, looked up (never hard-coded), and $asuser, the
# command prefix that runs a tool as that user with a clean, complete environment.
bench_setup_user() {
  U=rctrtest
  uid=$(id -u $U); gid=$(id -g $U)
  uhome=$(getent passwd $U | cut -d: -f6)
  asuser="setpriv --reuid=$uid --regid=$gid --init-groups env -i HOME=$uhome USER=$U PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin XDG_RUNTIME_DIR=/run/user/$uid XDG_CONFIG_HOME=$uhome/.config"
}

# A private work dir (TEMPLATE.XXXXXX) the user can read, with a copy of the binary in it (the
# user may not reach $BIN's directory); $R is rctr on the store $work/data.
bench_workdir() {
  work=$(mktemp -d "$1.XXXXXX")
  chmod 755 "$work"
  cp "$BIN" "$work/rctr"; chmod 755 "$work/rctr"
  R="$work/rctr --root $work/data"
  bench_rm_at_exit "$work"
}

# Directories the user writes into (stores, runtime dirs, hyperfine exports).
# 0700: rctr refuses (and fixes, with a notice) a store other users can read.
bench_userdirs() { mkdir -p "$@"; chmod 700 "$@"; chown $U: "$@"; }

# Temp paths (no white space: mktemp and $$ names) that bench_cleanup removes.
bench_rm_at_exit() { BENCH_RM="$BENCH_RM $*"; }

# Rootless podman leaves a pause process behind: note the current one, to stop only ours.
bench_pause_mark() {
  bench_pause_file=/run/user/$uid/libpod/tmp/pause.pid
  bench_pause_before=$(cat "$bench_pause_file" 2>/dev/null || true)
}

# The script's own clean-up (containers, stores), run first by bench_cleanup; redefined.
bench_cleanup_hook() { :; }

# The EXIT/INT/TERM trap: the script's hook, podman's pause process if this run started it,
# then the temp paths.
bench_cleanup() {
  bench_cleanup_hook || true
  if [ -n "$bench_pause_file" ]; then
    p=$(cat "$bench_pause_file" 2>/dev/null || true)
    if [ -n "$p" ] && [ "$p" != "$bench_pause_before" ] && kill -0 "$p" 2>/dev/null; then kill "$p"; fi
  fi
  # shellcheck disable=SC2086 # a list of plain paths
  [ -z "$BENCH_RM" ] || rm -rf $BENCH_RM || true
}

# A report's head: the machine, the runs, the user, the load, the binary measured.
bench_banner() { # what (e.g. "rctr run benchmark")
  echo "$1: $(uname -r), $(nproc) CPUs, $RUNS runs each, as $U; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "binary: $BIN"
  echo
}

# hyperfine run as the user (no per-run setpriv in the timings); on failure, show why once.
bench_as_user() { # warm-up name json command
  $asuser hyperfine -N --style none -w "$1" -r "$RUNS" --export-json "$3" "$4" >/dev/null 2>&1 \
    || { echo "$BENCH_NAME: '$2' failed; running it once to show why:" >&2; $asuser sh -c "$4"; exit 1; }
}

# The median of a hyperfine JSON export, in seconds.
median() { jq -r '.results[0].median' "$1"; }
# Seconds as "12.3 ms".
ms() { awk -v s="$1" 'BEGIN{printf "%.1f ms", s*1000}'; }
# KiB as "4.2 MiB".
mib() { awk -v k="$1" 'BEGIN{printf "%.1f MiB", k/1024}'; }
# a/b as "2.50x" ("n/a" when b is 0, e.g. a transfer that never ran).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2fx", a/b; else print "n/a" }'; }
# PASS/FAIL of an awk condition over the measured numbers.
check() { if awk "BEGIN{exit !($1)}"; then echo "PASS"; else echo "FAIL"; fi; }
