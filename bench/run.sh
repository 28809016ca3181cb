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

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
RUNS=40
QUICK_RUNS=10
bench_parse_args "$@"
bench_need_root
bench_need_tools hyperfine podman runc jq /usr/bin/time setpriv unshare
bench_need_registry
rootfs_src=${RCTR_LAB_DIR:-/var/tmp/rctr-lab}/export/busybox-rootfs
[ -d "$rootfs_src" ] || bench_fail "$rootfs_src missing: run tests/lab/make-images.sh"

bench_binary
bench_setup_user
# On disk (the store's usual filesystem), readable by the user.
bench_workdir /var/tmp/rctr-bench-run
# A second store on tmpfs: shows what the disk (the record's fsync, unlinks) costs.
shm=$(mktemp -d /dev/shm/rctr-bench-run.XXXXXX)
bench_rm_at_exit "$shm"
bench_userdirs "$shm" "$work/data" "$work/runc-state" "$work/runc" "$work/out"
bench_pause_mark
bench_cleanup_hook() {
  # The user's files (overlay work dirs, subordinate owners) go through rctr itself.
  for store in "$work/data" "$shm"; do
    $asuser "$work/rctr" --root "$store" system reset --force >/dev/null 2>&1 || true
  done
}
trap bench_cleanup EXIT INT TERM

# Images in place (not timed).
$asuser $R pull -q 127.0.0.1:5100/busybox >/dev/null
$asuser "$work/rctr" --root "$shm" pull -q 127.0.0.1:5100/busybox >/dev/null
$asuser podman pull -q 127.0.0.1:5100/busybox >/dev/null 2>&1
# The runc bundle: the same busybox rootfs, owned by the user, `runc spec --rootless`, the
# command `true`, no terminal, plus a network namespace (as rctr and podman have).
cp -a "$rootfs_src" "$work/runc/rootfs" && chown -R $U: "$work/runc/rootfs"
$asuser sh -c "cd $work/runc && runc spec --rootless"
jq '.process.args=["true"] | .process.terminal=false | .linux.namespaces += [{"type":"network"}]' \
  "$work/runc/config.json" > "$work/runc/config.new" && mv "$work/runc/config.new" "$work/runc/config.json"
chmod 644 "$work/runc/config.json"

bench() { bench_as_user 5 "$@"; } # name json command
rss() { # command → KiB
  /usr/bin/time -v -o "$work/rss.txt" $asuser sh -c "$1 >/dev/null 2>&1"
  awk -F': ' '/Maximum resident set size/{print $2}' "$work/rss.txt"
}

bench_banner "rctr run benchmark"

r_cmd="$R run --rm --network none busybox true"
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
