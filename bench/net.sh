#!/bin/sh
# bench/net.sh — rctr's networking against rootless podman's, side by side in one run:
#   (a) start-up: `run --rm busybox true` with the default network, with --network none, and
#       podman's default-network run (hyperfine medians);
#   (b) -p download: the host fetching SIZE MiB from busybox httpd (a tmpfs in the container)
#       through each tool's -p (curl's average speed, best of 3);
#   (c) container → host upload through slirp: `nc 10.0.2.2 PORT` from the container to a
#       receiver on the host's loopback (allow_host_loopback=true for both; podman's
#       slirp4netns at the same MTU), measured by the receiver (first byte to EOF, best of 3);
#   (d) the detached monitor's peak RSS (VmHWM) with and without the network, its RssAnon and
#       Pss with the network, and podman's per-container helpers (conmon + slirp4netns VmHWM).
#
# Run as root on a machine set up by tests/lab/setup.sh; every tool runs as rctrtest. All
# traffic stays on the host's loopback and the containers' own namespaces.
#
#   sudo bench/net.sh [--release-bin PATH] [--runs N] [--size MIB] [--quick]
#
# Targets (issue 16): default network <= none + 3 ms and >= 10x faster than podman's
# default; -p download >= podman's; upload >= podman's slirp4netns; monitor RSS <= 6 MiB.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
RUNS=30
SIZE=512
BENCH_USAGE="[--release-bin PATH] [--runs N] [--size MIB] [--quick]"
bench_opt() { case "$1" in --size) SIZE=$2 ;; *) return 1 ;; esac; }
bench_quick() { RUNS=10; SIZE=256; }
bench_parse_args "$@"
bench_need_root
bench_need_tools hyperfine podman jq curl python3 setpriv
bench_need_registry
bench_binary
bench_setup_user
bench_workdir /var/tmp/rctr-bench-net
bench_userdirs "$work/data" "$work/out"
BB=127.0.0.1:5100/busybox
bench_cleanup_hook() {
  $asuser $R rm -af -t 0 >/dev/null 2>&1 || true
  $asuser podman rm -af -t 0 >/dev/null 2>&1 || true
  $asuser $R system reset --force >/dev/null 2>&1 || true
}
trap bench_cleanup EXIT INT TERM
$asuser $R pull -q $BB >/dev/null
$asuser podman pull -q $BB >/dev/null 2>&1

bench() { bench_as_user 3 "$@"; } # name json command
gbit() { awk -v b="$1" 'BEGIN{printf "%.2f Gb/s", b*8/1e9}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "rctr network benchmark: $(uname -r), $(nproc) CPUs, $RUNS runs, ${SIZE} MiB transfers, as $U"
echo "binary: $BIN; podman $(podman --version | awk '{print $3}'), $(slirp4netns --version 2>/dev/null | head -1)"
echo

# ---------------------------------------------------------------- (a) start-up
o=$work/out
bench "rctr default" "$o/d.json" "$R run --rm $BB true"
bench "rctr none" "$o/n.json" "$R run --rm --network none $BB true"
bench "podman default" "$o/p.json" "podman run --rm $BB true"
d=$(median "$o/d.json"); n=$(median "$o/n.json"); p=$(median "$o/p.json")

# ---------------------------------------------------------------- (b) -p download
serve="mkdir -p /www && head -c ${SIZE}m /dev/zero > /www/big && exec httpd -f -p 80 -h /www"
download() { # tool → best bytes/s of 3
  port=$(free_port)
  if [ "$1" = rctr ]; then
    id=$($asuser $R run -d --tmpfs /www:size=$((SIZE + 64))m -p "$port:80" $BB sh -c "$serve")
  else
    id=$($asuser podman run -d --tmpfs /www:size=$((SIZE + 64))m -p "$port:80" $BB sh -c "$serve")
  fi
  best=0
  for _ in 1 2 3; do
    i=0
    until s=$(curl -sf -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$port/big") && [ "${s%.*}" -gt 0 ]; do
      i=$((i + 1)); [ $i -lt 200 ] || { echo "$BENCH_NAME: $1 -p never served" >&2; exit 1; }
      sleep 0.05
    done
    best=$(awk -v a="$best" -v b="$s" 'BEGIN{print (b > a) ? b : a}')
  done
  if [ "$1" = rctr ]; then $asuser $R rm -f -t 0 "$id" >/dev/null; else $asuser podman rm -f -t 0 "$id" >/dev/null; fi
  echo "$best"
}
dl_r=$(download rctr); dl_p=$(download podman)

# ---------------------------------------------------------------- (c) upload through slirp
# The receiver: counts bytes from the first one to EOF, prints bytes/s.
cat > "$work/sink.py" <<'EOF'
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); n = 0; t0 = None
while True:
    b = c.recv(1 << 20)
    if not b:
        break
    if t0 is None:
        t0 = time.monotonic()
    n += len(b)
print(n / max(time.monotonic() - t0, 1e-9), flush=True)
EOF
upload() { # tool → best bytes/s of 3
  best=0
  for _ in 1 2 3; do
    fifo=$work/sink.$$; rm -f "$fifo"; mkfifo "$fifo"
    python3 "$work/sink.py" > "$fifo" &
    exec 7< "$fifo"; read -r port <&7
    send="head -c ${SIZE}m /dev/zero | nc 10.0.2.2 $port"
    if [ "$1" = rctr ]; then
      $asuser $R run --rm --network slirp4netns:allow_host_loopback=true $BB sh -c "$send"
    else
      $asuser podman run --rm --network slirp4netns:allow_host_loopback=true,mtu=65520 $BB sh -c "$send"
    fi
    read -r s <&7; exec 7<&-; wait; rm -f "$fifo"
    best=$(awk -v a="$best" -v b="$s" 'BEGIN{print (b > a) ? b : a}')
  done
  echo "$best"
}
up_r=$(upload rctr); up_p=$(upload podman)

# ---------------------------------------------------------------- (d) monitor RSS
hwm() { # network args → "VmHWM RssAnon Pss" of the monitor in KiB, read while the container runs
  id=$($asuser $R run -d $1 $BB sleep 600)
  pid=$(cat /run/user/$uid/rctr/containers/$id/monitor.pid 2>/dev/null || $asuser $R inspect --format '{{.State.ConmonPid}}' "$id")
  kb=$(awk '/^VmHWM:/{h=$2} /^RssAnon:/{a=$2} END{print h, a}' /proc/$pid/status)
  pss=$(awk '/^Pss:/{print $2}' /proc/$pid/smaps_rollup)
  $asuser $R rm -f -t 0 "$id" >/dev/null
  echo "$kb $pss"
}
m=$(hwm ""); set -- $m; rss_net=$1; anon_net=$2; pss_net=$3
m=$(hwm "--network none"); set -- $m; rss_none=$1
# podman's per-container helpers for the same container: conmon, and the slirp4netns of that
# container (the user's slirp4netns with the container's PID 1, older podman, or its netns
# path, podman 4's --netns-type=path, as one of its arguments) → "conmon-KiB slirp-KiB|none"
podman_helpers() {
  id=$($asuser podman run -d $BB sleep 600)
  ins=$($asuser podman inspect --format '{{.State.ConmonPid}} {{.State.Pid}} {{.NetworkSettings.SandboxKey}}' "$id")
  set -- $ins
  conmon=$1; pats=$2; [ -z "${3:-}" ] || pats="$pats
$3"
  slirp=""
  for p in $(pgrep -u "$uid" -x slirp4netns || true); do
    if tr '\0' '\n' < /proc/$p/cmdline 2>/dev/null | grep -qFx "$pats"; then slirp=$p; fi
  done
  c_kb=$(awk '/^VmHWM:/{print $2}' /proc/$conmon/status)
  s_kb=none; [ -z "$slirp" ] || s_kb=$(awk '/^VmHWM:/{print $2}' /proc/$slirp/status)
  $asuser podman rm -f -t 0 "$id" >/dev/null
  echo "$c_kb $s_kb"
}
kib2() { awk -v a="$1" -v s="$2" -v b="$3" 'BEGIN{printf "%.1f %s %.1f MiB", a/1024, s, b/1024}'; } # KiB op KiB
m=$(podman_helpers); set -- $m; p_conmon=$1; p_slirp=$2
[ "$p_slirp" != none ] || { echo "$BENCH_NAME: podman's slirp4netns for the container not found (counted as 0)" >&2; p_slirp=0; }

printf '%-52s %12s\n' "(a) run --rm busybox true (median)" "time"
printf '%-52s %12s\n' "rctr, default network (slirp4netns)" "$(ms "$d")"
printf '%-52s %12s\n' "rctr, --network none" "$(ms "$n")"
printf '%-52s %12s\n' "podman, default network" "$(ms "$p")"
printf '%-52s %12s\n' "(b) -p download, ${SIZE} MiB, host <- container" ""
printf '%-52s %12s\n' "rctr (splice forwarder)" "$(gbit "$dl_r")"
printf '%-52s %12s\n' "podman (rootlessport)" "$(gbit "$dl_p")"
printf '%-52s %12s\n' "(c) upload through slirp, ${SIZE} MiB, container -> host" ""
printf '%-52s %12s\n' "rctr (libslirp in the monitor, MTU 65520)" "$(gbit "$up_r")"
printf '%-52s %12s\n' "podman (slirp4netns, MTU 65520)" "$(gbit "$up_p")"
printf '%-52s %12s\n' "(d) monitor peak RSS, with network / none" "$(awk -v a="$rss_net" -v b="$rss_none" 'BEGIN{printf "%.1f / %.1f MiB", a/1024, b/1024}')"
printf '%-52s %12s\n' "rctr monitor with network: RssAnon / Pss" "$(kib2 "$anon_net" / "$pss_net")"
printf '%-52s %12s\n' "podman helpers, VmHWM: conmon + slirp4netns" "$(kib2 "$p_conmon" + "$p_slirp")"
printf '%-52s %12s\n' "per container, VmHWM: rctr monitor / podman helpers" "$(kib2 "$rss_net" / "$(awk -v a="$p_conmon" -v b="$p_slirp" 'BEGIN{print a+b}')")"
echo
printf '%-52s %10s  %s\n' "default - none (target <= 3 ms)" "$(ms "$(awk -v a="$d" -v b="$n" 'BEGIN{print a-b}')")" "$(check "$d - $n <= 0.003")"
printf '%-52s %10s  %s\n' "podman default / rctr default (target >= 10x)" "$(ratio "$p" "$d")" "$(check "$p / $d >= 10")"
printf '%-52s %10s  %s\n' "-p download rctr / podman (target >= 1x)" "$(ratio "$dl_r" "$dl_p")" "$(check "$dl_r >= $dl_p")"
printf '%-52s %10s  %s\n' "upload rctr / podman (target >= 1x)" "$(ratio "$up_r" "$up_p")" "$(check "$up_r >= $up_p")"
printf '%-52s %10s  %s\n' "monitor RSS with network (target <= 6 MiB)" "$(awk -v a="$rss_net" 'BEGIN{printf "%.1f MiB", a/1024}')" "$(check "$rss_net <= 6144")"
