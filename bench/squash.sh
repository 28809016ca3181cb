#!/bin/sh
# bench/squash.sh — `rctr run --rm FILE.sqsh true` (a squashfs made by `rctr image squash`,
# mounted by squashfuse under the writable layer) vs `rctr run --rm busybox true` (the store's
# layers): what running from a single file on a shared filesystem costs at start.
#
# Run as root on a machine set up by tests/lab/setup.sh; hyperfine runs AS rctrtest, both
# with `--network none`. Medians over RUNS runs after warm-up.
#
#   sudo bench/squash.sh [--release-bin PATH] [--runs N] [--quick]
#
# Target (issue 18): the squashfs start within 2x of the store's.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
RUNS=40
QUICK_RUNS=10
bench_parse_args "$@"
bench_need_root
bench_need_tools hyperfine jq setpriv mksquashfs unsquashfs squashfuse
bench_need_registry

bench_binary
bench_setup_user
bench_workdir /var/tmp/rctr-bench-squash
bench_userdirs "$work/data" "$work/out"
bench_cleanup_hook() {
  $asuser "$work/rctr" --root "$work/data" system reset --force >/dev/null 2>&1 || true
}
trap bench_cleanup EXIT INT TERM

# The image and its squashfs in place (not timed).
$asuser $R pull -q 127.0.0.1:5100/busybox >/dev/null
$asuser $R image squash 127.0.0.1:5100/busybox -o "$work/out/busybox.sqsh"

bench_banner "rctr squashfs run benchmark"

s_cmd="$R run --rm --network none $work/out/busybox.sqsh true"
i_cmd="$R run --rm --network none 127.0.0.1:5100/busybox true"
o=$work/out
bench_as_user 5 "squashfs" "$o/s.json" "$s_cmd"
bench_as_user 5 "image" "$o/i.json" "$i_cmd"
s=$(median "$o/s.json"); i=$(median "$o/i.json")

printf '%-44s %10s\n' "run --rm … true (median)" "time"
printf '%-44s %10s\n' "rctr, busybox.sqsh (squashfuse)" "$(ms "$s")"
printf '%-44s %10s\n' "rctr, busybox from the store" "$(ms "$i")"
echo
printf '%-44s %10s  %s\n' "squashfs / store (target <= 2x)" "$(ratio "$s" "$i")" "$(check "$s / $i <= 2")"
