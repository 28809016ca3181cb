#!/bin/sh
# bench/lifecycle.sh — the container lifecycle commands: rctr vs rootless podman.
#
# Run as root on a machine set up by tests/lab/setup.sh (registry on 127.0.0.1:5100, users,
# podman configured for rctrtest). Both tools run AS rctrtest, each with its own fresh store
# (rctr: a temp XDG_DATA_HOME; podman: a temp --root/--runroot), busybox pulled first.
# Medians over RUNS runs (hyperfine -N), side by side with the ratio podman/rctr.
#
#   sudo bench/lifecycle.sh [--release-bin PATH] [--runs N] [--quick]
#
# Targets (issue 5): ps, logs, inspect, rm of a stopped container <= 15 ms and >= 3x faster
# than podman; exec true <= 20 ms; ps -a with 200 stored containers <= 50 ms.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
RUNS=10
QUICK_RUNS=5
bench_parse_args "$@"
bench_need_root
bench_need_tools hyperfine podman curl setpriv jq
bench_need_registry

bench_binary
bench_setup_user
bench_workdir /var/tmp/rctr-bench-life
mkdir -p "$work/json"
bench_userdirs "$work/rdata" "$work/proot" "$work/prun" "$work/rrun"
chmod 700 "$work/rrun" "$work/prun"

# Here rctr keeps its store in XDG_DATA_HOME (the default layout) and a private runroot.
R="$asuser XDG_DATA_HOME=$work/rdata $work/rctr --runroot $work/rrun"
P="$asuser podman --root $work/proot --runroot $work/prun"

bench_cleanup_hook() {
  $R rm -a -f -t 0 >/dev/null 2>&1 || true
  $P rm -a -f -t 0 >/dev/null 2>&1 || true
  $R system reset -f >/dev/null 2>&1 || true
  $P system reset -f >/dev/null 2>&1 || true
}
trap bench_cleanup EXIT INT TERM

IMG=127.0.0.1:5100/busybox:latest
$R pull -q $IMG >/dev/null
$P pull -q --tls-verify=false $IMG >/dev/null

# median of a hyperfine JSON export, in milliseconds
median_ms() { jq -r '.results[0].median * 1000' "$1"; }

bench() { # tool name prepare command
  j="$work/json/$1-$2.json"
  if [ -n "$3" ]; then
    hyperfine -N --style none -w 1 -r "$RUNS" --prepare "$3" --export-json "$j" "$4" >/dev/null 2>&1 \
      || { echo "$BENCH_NAME: $1 '$2' failed; running it once to show why:" >&2; sh -c "$3" || true; sh -c "$4"; exit 1; }
  else
    hyperfine -N --style none -w 1 -r "$RUNS" --export-json "$j" "$4" >/dev/null 2>&1 \
      || { echo "$BENCH_NAME: $1 '$2' failed; running it once to show why:" >&2; sh -c "$4"; exit 1; }
  fi
}

# A long-running container that says something and stops promptly on SIGTERM, for both.
cat > "$work/trap.sh" <<'EOF2'
trap "exit 0" TERM; echo hello; echo world >&2; sleep 1000 & wait
EOF2
TRAP=$(cat "$work/trap.sh")
for tool in R P; do
  eval "T=\$$tool"
  $T run -d --name web $IMG sh -c "$TRAP" >/dev/null
  # hyperfine -N runs --prepare without a shell: one script per preparation
  printf '#!/bin/sh\n%s rm -f -t 0 s >/dev/null 2>&1\nexec %s run -d --name s %s sh -c %s >/dev/null\n' \
    "$T" "$T" "$IMG" "'$TRAP'" > "$work/prep-stop-$tool.sh"
  printf '#!/bin/sh\n%s rm -f -t 0 r >/dev/null 2>&1\nexec %s create --name r %s true >/dev/null\n' \
    "$T" "$T" "$IMG" > "$work/prep-rm-$tool.sh"
  chmod 755 "$work/prep-stop-$tool.sh" "$work/prep-rm-$tool.sh"
done
sleep 0.5

for tool in R P; do
  eval "T=\$$tool"
  name=$( [ $tool = R ] && echo rctr || echo podman )
  bench $name ps "" "$T ps"
  bench $name logs "" "$T logs web"
  bench $name inspect "" "$T inspect web"
  bench $name exec "" "$T exec web true"
  bench $name stop "$work/prep-stop-$tool.sh" "$T stop s"
  bench $name rm "$work/prep-rm-$tool.sh" "$T rm r"
  # run -d last: every run leaves a running container, removed right after
  bench $name run-d "" "$T run -d $IMG sleep 1000"
  $T rm -a -f -t 0 >/dev/null 2>&1
done

# ps -a with 200 stored containers
for tool in R P; do
  eval "T=\$$tool"
  i=0
  while [ $i -lt 200 ]; do
    $T create $IMG true >/dev/null
    i=$((i + 1))
  done
done
bench rctr ps-a-200 "" "$R ps -a"
bench podman ps-a-200 "" "$P ps -a"

printf '\n%-22s %12s %12s %8s   %s\n' "command (median)" "rctr ms" "podman ms" "ratio" "target"
row() { # key label target
  r=$(median_ms "$work/json/rctr-$1.json"); p=$(median_ms "$work/json/podman-$1.json")
  awk -v l="$2" -v r="$r" -v p="$p" -v t="$3" 'BEGIN { printf "%-22s %12.1f %12.1f %7.1fx   %s\n", l, r, p, p / r, t }'
}
row run-d "run -d" ""
row ps "ps" "<= 15 ms, >= 3x"
row logs "logs" "<= 15 ms, >= 3x"
row inspect "inspect" "<= 15 ms, >= 3x"
row exec "exec true" "<= 20 ms"
row stop "stop" ""
row rm "rm (stopped)" "<= 15 ms, >= 3x"
row ps-a-200 "ps -a (200 stored)" "<= 50 ms"
echo "(runs per command: $RUNS; binary: $BIN)"
