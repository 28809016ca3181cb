#!/bin/sh
# bench/pull.sh — cold-pull benchmark: rctr vs rootless podman, on tmpfs and on disk.
#
# Run as root on a machine set up by tests/lab/setup.sh (registry on 127.0.0.1:5100, users,
# podman configured for rctrtest). Both tools run AS rctrtest with an empty store for every
# run; medians over RUNS runs (hyperfine). Also measures the serial-tool floor for the debian
# layer (gunzip -c > /dev/null) and rctr's peak RSS (/usr/bin/time -v).
#
#   sudo bench/pull.sh [--release-bin PATH] [--runs N] [--quick]
#
# Targets (issue 3): debian cold pull >= 2x faster than podman and within 1.3x of the gunzip
# floor; busybox < 40 ms; peak RSS < 64 MiB.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
RUNS=5
QUICK_RUNS=3
bench_parse_args "$@"
bench_need_root
bench_need_tools hyperfine podman curl gunzip /usr/bin/time setpriv jq
bench_need_registry

bench_binary
bench_setup_user
bench_workdir /tmp/rctr-bench-pull
shm=/dev/shm/rctr-bench-pull.$$
disk=/var/tmp/rctr-bench-pull.$$
bench_userdirs "$shm" "$disk"
bench_rm_at_exit "$shm" "$disk"
# rootless podman leaves a pause process behind; stop it only if this run started it
bench_pause_mark
trap bench_cleanup EXIT INT TERM

bench() { # name json prepare command
  hyperfine -N --style none -w 1 -r "$RUNS" --prepare "$3" --export-json "$2" "$4" >/dev/null 2>&1 \
    || { echo "$BENCH_NAME: '$1' failed; running it once to show why:" >&2; sh -c "$3"; sh -c "$4"; exit 1; }
}

row() { printf '%-34s %10s\n' "$1" "$2"; }

bench_banner "rctr pull benchmark"

# The serial floor: decompress the debian layer blob with gunzip (no hashing, no files).
dbg_digest=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
  http://127.0.0.1:5100/v2/debian/manifests/bookworm | jq -r '.layers[0].digest')
curl -sf -o "$work/debian.blob" "http://127.0.0.1:5100/v2/debian/blobs/$dbg_digest"
hyperfine -N --style none -w 1 -r "$RUNS" --export-json "$work/gunzip.json" \
  "sh -c 'gunzip -c $work/debian.blob > /dev/null'" >/dev/null 2>&1
floor=$(median "$work/gunzip.json")
# Reference for the filesystems: plain `tar -xzf` of the same layer (root, no userns).
for fs in tmpfs disk; do
  if [ $fs = tmpfs ]; then d=$shm/tarx; else d=$disk/tarx; fi
  hyperfine -N --style none -w 1 -r "$RUNS" --export-json "$work/tar-$fs.json" \
    --prepare "sh -c 'rm -rf $d; mkdir -p $d; sync'" "tar -xzf $work/debian.blob -C $d" >/dev/null 2>&1
  rm -rf "$d"
done

for fs in tmpfs disk; do
  if [ $fs = tmpfs ]; then base=$shm; else base=$disk; fi
  r_store=$base/rctr
  p_root=$base/podman
  rctr="$asuser XDG_DATA_HOME=$r_store $work/rctr"
  podman="$asuser podman --root $p_root/storage --runroot $base/podman-run"
  for img in busybox debian:bookworm; do
    n=$(echo $img | cut -d: -f1)
    # `sync` after the removal: deferred ext4 work (this VM mounts / with `discard`) must not
    # land in the next timed run of either tool.
    bench "rctr $n $fs" "$work/r-$n-$fs.json" "sh -c 'rm -rf $r_store; sync'" "$rctr pull -q 127.0.0.1:5100/$img"
    bench "podman $n $fs" "$work/p-$n-$fs.json" "sh -c 'rm -rf $p_root $base/podman-run; sync'" "$podman pull -q 127.0.0.1:5100/$img"
  done
done
# peak RSS of a cold debian pull (tmpfs), parent and helpers (ru_maxrss of the process tree)
rm -rf "$shm/rctr"
/usr/bin/time -v -o "$work/rss.txt" sh -c "$asuser XDG_DATA_HOME=$shm/rctr $work/rctr pull -q 127.0.0.1:5100/debian:bookworm >/dev/null"
rss_kb=$(awk -F': ' '/Maximum resident set size/{print $2}' "$work/rss.txt")
rm -rf "$shm/rctr" "$shm/podman" "$shm/podman-run"

printf '%-34s %10s %10s %8s\n' "cold pull (median)" "rctr" "podman" "podman/rctr"
for fs in tmpfs disk; do
  for n in busybox debian; do
    r=$(median "$work/r-$n-$fs.json"); p=$(median "$work/p-$n-$fs.json")
    printf '%-34s %10s %10s %8s\n' "$n ($fs)" "$(ms "$r")" "$(ms "$p")" "$(ratio "$p" "$r")"
  done
done
echo
row "gunzip -c debian layer (floor)" "$(ms "$floor")"
row "tar -xzf debian layer (tmpfs)" "$(ms "$(median "$work/tar-tmpfs.json")")"
row "tar -xzf debian layer (disk)" "$(ms "$(median "$work/tar-disk.json")")"
for fs in tmpfs disk; do
  r=$(median "$work/r-debian-$fs.json")
  row "rctr debian ($fs) / gunzip floor" "$(ratio "$r" "$floor")"
done
row "rctr peak RSS (debian pull)" "$(mib "$rss_kb")"
echo
echo "targets: debian >= 2x faster than podman, <= 1.3x the gunzip floor; busybox < 40 ms; RSS < 64 MiB"
