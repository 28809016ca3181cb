#!/bin/sh
# bench/run.sh — `rctr run --rm busybox true` vs rootless podman and bare runc, side by side.
#
# Run as root on a machine set up by tests/lab/setup.sh (registry on 127.0.0.1:5100, users,
# podman configured for rctrtest). hyperfine itself runs AS rctrtest (no per-run wrapper in
# the timings), every tool with `--network none` (rctr's and podman's private network
# namespace with lo only; the runc bundle gets a network namespace too). Medians over RUNS
# runs after warm-up; peak RSS with /usr/bin/time -v (the largest process of the tree).
#
#   sudo bench/run.sh [--release-bin PATH] [--runs N] [--quick]
#
# Targets (issue 4): rctr <= 18 ms median, >= 10x faster than podman, within 1.5x of bare
# `runc run` of an equivalent rootless bundle (`runc spec --rootless`), peak RSS <= 8 MiB.
set -eu
LC_ALL=C
export LC_ALL

here=$(cd "$(dirname "$0")/.." && pwd)
BIN=""
RUNS=40
while [ $# -gt 0 ]; do
  case "$1" in
    --release-bin) BIN=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --quick) RUNS=10; shift ;;
    *) echo "usage: $0 [--release-bin PATH] [--runs N] [--quick]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "bench/run.sh: run as root (it runs the tools as rctrtest)" >&2; exit 2; }
for t in hyperfine podman runc jq /usr/bin/time setpriv unshare; do
  command -v "$t" >/dev/null || { echo "bench/run.sh: $t missing: run tests/lab/setup.sh" >&2; exit 2; }
done
curl -sf http://127.0.0.1:5100/v2/ >/dev/null || { echo "bench/run.sh: registry 127.0.0.1:5100 down: tests/lab/registry.sh start" >&2; exit 2; }
rootfs_src=${RCTR_LAB_DIR:-/var/tmp/rctr-lab}/export/busybox-rootfs
[ -d "$rootfs_src" ] || { echo "bench/run.sh: $rootfs_src missing: run tests/lab/make-images.sh" >&2; exit 2; }

if [ -z "$BIN" ]; then
  (cd "$here" && cargo build --release --quiet)
  BIN=$here/target/release/rctr
fi
U=rctrtest
uid=$(id -u $U); gid=$(id -g $U)
uhome=$(getent passwd $U | cut -d: -f6)
# On disk (the store's usual filesystem), readable by the user.
work=$(mktemp -d /var/tmp/rctr-bench-run.XXXXXX)
chmod 755 "$work"
cp "$BIN" "$work/rctr"; chmod 755 "$work/rctr"
# A second store on tmpfs: shows what the disk (the record's fsync, unlinks) costs.
shm=$(mktemp -d /dev/shm/rctr-bench-run.XXXXXX)
chown $U: "$shm"
mkdir -p "$work/data" "$work/runc-state" "$work/runc" "$work/out"
chown $U: "$work/data" "$work/runc-state" "$work/runc" "$work/out"
pause_file=/run/user/$uid/libpod/tmp/pause.pid
pause_before=$(cat "$pause_file" 2>/dev/null || true)
cleanup() {
  p=$(cat "$pause_file" 2>/dev/null || true)
  if [ -n "$p" ] && [ "$p" != "$pause_before" ] && kill -0 "$p" 2>/dev/null; then kill "$p"; fi
  # The user's files (overlay work dirs, subordinate owners) go through rctr itself.
  for store in "$work/data" "$shm"; do
    setpriv --reuid=$uid --regid=$gid --init-groups env -i HOME=$uhome PATH=/usr/bin:/bin \
      XDG_RUNTIME_DIR=/run/user/$uid "$work/rctr" --root "$store" system reset --force >/dev/null 2>&1 || true
  done
  rm -rf "$work" "$shm"
}
trap cleanup EXIT INT TERM

asuser="setpriv --reuid=$uid --regid=$gid --init-groups env -i HOME=$uhome USER=$U PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin XDG_RUNTIME_DIR=/run/user/$uid XDG_CONFIG_HOME=$uhome/.config"

# Images in place (not timed).
$asuser "$work/rctr" --root "$work/data" pull -q 127.0.0.1:5100/busybox >/dev/null
$asuser "$work/rctr" --root "$shm" pull -q 127.0.0.1:5100/busybox >/dev/null
$asuser podman pull -q 127.0.0.1:5100/busybox >/dev/null 2>&1
# The runc bundle: the same busybox rootfs, owned by the user, `runc spec --rootless`, the
# command `true`, no terminal, plus a network namespace (as rctr and podman have).
cp -a "$rootfs_src" "$work/runc/rootfs" && chown -R $U: "$work/runc/rootfs"
$asuser sh -c "cd $work/runc && runc spec --rootless"
jq '.process.args=["true"] | .process.terminal=false | .linux.namespaces += [{"type":"network"}]' \
  "$work/runc/config.json" > "$work/runc/config.new" && mv "$work/runc/config.new" "$work/runc/config.json"
chmod 644 "$work/runc/config.json"

median() { jq -r '.results[0].median' "$1"; }
bench() { # name json command (run as the user, by hyperfine running as the user)
  $asuser hyperfine -N --style none -w 5 -r "$RUNS" --export-json "$2" "$3" >/dev/null 2>&1 \
    || { echo "bench/run.sh: '$1' failed; running it once to show why:" >&2; $asuser sh -c "$3"; exit 1; }
}
rss() { # command → KiB
  /usr/bin/time -v -o "$work/rss.txt" $asuser sh -c "$1 >/dev/null 2>&1"
  awk -F': ' '/Maximum resident set size/{print $2}' "$work/rss.txt"
}
ms() { awk -v s="$1" 'BEGIN{printf "%.1f ms", s*1000}'; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f MiB", k/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }
check() { if awk "BEGIN{exit !($1)}"; then echo "PASS"; else echo "FAIL"; fi; }

echo "rctr run benchmark: $(uname -r), $(nproc) CPUs, $RUNS runs each, as $U; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary: $BIN"
echo

r_cmd="$work/rctr --root $work/data run --rm --network none busybox true"
t_cmd="$work/rctr --root $shm run --rm --network none busybox true"
p_cmd="podman run --rm --network none 127.0.0.1:5100/busybox true"
c_cmd="runc --root $work/runc-state run --bundle $work/runc bench"
# The kernel's floor: a full newuidmap mapping, PID namespace and /proc, nothing else.
f_cmd="unshare --map-root-user --map-auto --pid --fork --mount-proc --net true"
o=$work/out
bench "rctr" "$o/r.json" "$r_cmd"
bench "rctr-tmpfs" "$o/t.json" "$t_cmd"
bench "podman" "$o/p.json" "$p_cmd"
bench "runc" "$o/c.json" "$c_cmd"
bench "floor" "$o/f.json" "$f_cmd"
r=$(median "$o/r.json"); t=$(median "$o/t.json"); p=$(median "$o/p.json"); c=$(median "$o/c.json"); f=$(median "$o/f.json")
r_rss=$(rss "$r_cmd"); p_rss=$(rss "$p_cmd"); c_rss=$(rss "$c_cmd")

printf '%-44s %10s %10s\n' "run --rm busybox true (median)" "time" "peak RSS"
printf '%-44s %10s %10s\n' "rctr" "$(ms "$r")" "$(mib "$r_rss")"
printf '%-44s %10s\n' "rctr, store on tmpfs" "$(ms "$t")"
printf '%-44s %10s %10s\n' "podman $(podman --version | awk '{print $3}')" "$(ms "$p")" "$(mib "$p_rss")"
printf '%-44s %10s %10s\n' "runc run (runc spec --rootless + netns)" "$(ms "$c")" "$(mib "$c_rss")"
printf '%-44s %10s\n' "floor: unshare --map-auto -pf --mount-proc --net" "$(ms "$f")"
echo
printf '%-44s %10s  %s\n' "podman / rctr (target >= 10x)" "$(ratio "$p" "$r")" "$(check "$p / $r >= 10")"
printf '%-44s %10s  %s\n' "rctr / runc (target <= 1.5x)" "$(ratio "$r" "$c")" "$(check "$r / $c <= 1.5")"
printf '%-44s %10s  %s\n' "rctr median (target <= 18 ms)" "$(ms "$r")" "$(check "$r <= 0.018")"
printf '%-44s %10s  %s\n' "rctr peak RSS (target <= 8 MiB)" "$(mib "$r_rss")" "$(check "$r_rss <= 8192")"
