#!/bin/bash
# tests/vm/payloads/kernel-matrix.sh — the kernel-matrix stage's payload: runs INSIDE the VM
# as root (booted by tests/vm/matrix.sh once per kernel, or by hand:
# `sudo tests/vm/boot.sh --kernel 5.10 --payload tests/vm/payloads/kernel-matrix.sh`).
#
# Needs in /vm/files (matrix.sh puts them there): list-tree.sh and layered.txt (tests/lab),
# busybox-oci.tar (an OCI archive of the lab's busybox), and the lab registry share.
#
# Prints one line per check, `ok NAME (Ts)` or `FAIL NAME: <last lines of its output>`, plus
# `note …` (doctor's verdict) and `time …` lines (hyperfine, not pass/fail); the full output
# of each check is in /vm/out/checks/NAME.log. Checks run as rctrtest (subordinate IDs, a
# lingering user manager) unless named nosub-*. Exit status: 1 when any check failed.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=../guest-lib.sh
. /vm/guest-lib.sh

U=rctrtest
N=rctrnosub
REG=127.0.0.1:5100
F=/vm/files
BB=$REG/busybox
# podman 4's default capability set (containers.conf default_capabilities: CHOWN DAC_OVERRIDE
# FOWNER FSETID KILL NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT), the value
# rctr's own tests (tests/run.rs) assert. Docker's and podman 3's set (+MKNOD NET_RAW
# AUDIT_WRITE) would be 00000000a80425fb.
CAPEFF_WANT=00000000800405fb
VM_USER=$U

kernel=$(uname -r)
result "info kernel $kernel; $U uid $(id -u "$U") subuid $(grep "^$U:" /etc/subuid | cut -d: -f2,3 || echo none); $N uid $(id -u "$N") subuid $(grep -c "^$N:" /etc/subuid) ranges"

# ------------------------------------------------------------------ the guest's own setup
# Failures here are reported as checks too: every later check would fail for the same reason.
check user-manager wait_user_manager "$U" 90
check lab-registry start_lab_registry
user_registries_conf "$U"
user_registries_conf "$N"

c_libs() {
  ldd /usr/local/bin/rctr
  if ldd /usr/local/bin/rctr | grep 'not found'; then return 1; fi
}
check rctr-libs c_libs

# ------------------------------------------------------------------ info, doctor
check info ur rctr info

# doctor may fail only for honest reasons: on kernels before 5.11 an unprivileged user cannot
# mount overlayfs at all (rctr then needs fuse-overlayfs). Any other FAIL line fails the check.
c_doctor() {
  local rc=0 fails honest='^$' unexpected
  ur rctr doctor || rc=$?
  fails=$(printf '%s\n' "$OUT" | grep '^FAIL' || true)
  note "note doctor: exit $rc${fails:+: $(printf '%s' "$fails" | tr '\n' '\a' | sed 's/\a/ | /g')}"
  [ "$rc" = 0 ] && return 0
  [ "$rc" = 1 ] || { echo "doctor exit $rc (want 0, or 1 with honest FAIL lines)"; return 1; }
  case $kernel in 4.*|5.[0-9].*|5.10.*) honest='^FAIL +native overlay' ;; esac
  unexpected=$(printf '%s\n' "$fails" | grep -Ev "$honest" || true)
  if [ -n "$unexpected" ]; then
    echo "doctor FAIL lines not explained by kernel $kernel:"
    printf '%s\n' "$unexpected"
    return 1
  fi
}
check doctor c_doctor

# ------------------------------------------------------------------ images
c_load() {
  ur rctr load -i "$F/busybox-oci.tar"
  want_match "load output" "$OUT" '^Loaded image'
  local name
  name=$(printf '%s\n' "$OUT" | sed -n 's/^Loaded image[^:]*: *//p' | head -1)
  ur rctr image exists "$name"
}
check load c_load
check pull-busybox ur rctr pull "$BB"
check pull-layered ur rctr pull "$REG/layered"
check pull-debian ur rctr pull "$REG/debian:bookworm"

# ------------------------------------------------------------------ run
c_run_busybox() {
  ur rctr run --rm "$BB" echo hello from the vm
  want_eq stdout "$OUT" "hello from the vm"
}
check run-busybox c_run_busybox

c_run_debian() {
  ur rctr run --rm "$REG/debian:bookworm" cat /etc/debian_version
  want_match stdout "$OUT" '^12\.[0-9]+$'
}
check run-debian c_run_debian

c_layered() {
  ur_in "$F/list-tree.sh" rctr run --rm -i "$REG/layered" sh -s /
  printf '%s\n' "$OUT" > /tmp/layered.out
  if ! diff -u "$F/layered.txt" /tmp/layered.out; then
    echo "layered view differs from tests/lab/golden/layered.txt (diff above: - golden, + rctr)"
    return 1
  fi
}
check layered-golden c_layered

# script(1) gives rctr a terminal. Its stdin stays open (a sleep behind a pipe): at EOF on
# stdin script writes the terminal's EOF character into the pty, whose echo would land in the
# output — a real user at a terminal types nothing here.
c_tty() {
  # shellcheck disable=SC2016  # $? and $! are the inner bash's
  ur bash -c 'exec 3< <(exec sleep 60); script -qec "rctr run --rm -it '"$BB"' tty" /dev/null <&3; rc=$?; kill $! 2>/dev/null; exit $rc' 
  want_match "tty in the container" "$(printf '%s' "$OUT" | tr -d '\r')" '^/dev/pts/0$'
}
check run-it c_tty

c_detached() {
  local i
  # PID 1 of a container ignores SIGTERM unless it handles it: this one does, so stop is the
  # graceful path (no wait for the -t timeout).
  ur rctr run -d --name vm-detached "$BB" sh -c 'trap "exit 0" TERM; echo started; while :; do sleep 1 & wait $!; done'
  want_match "container id" "$OUT" '^[0-9a-f]{64}$'
  ur rctr ps --format '{{.Names}} {{.Status}}'
  want_match "ps" "$OUT" '^vm-detached Up'
  for ((i = 0; i < 20; i++)); do
    ur rctr logs vm-detached
    [ "$OUT" = started ] && break
    sleep 0.5
  done
  want_eq "logs" "$OUT" started
  ur rctr exec vm-detached echo from exec
  want_eq "exec stdout" "$OUT" "from exec"
  ur rctr stop -t 10 vm-detached
  ur rctr ps -a --format '{{.Names}} {{.Status}}'
  want_match "ps -a after stop" "$OUT" '^vm-detached Exited \(0\)'
  ur rctr rm vm-detached
  ur rctr ps -a -q
  want_eq "ps -a after rm" "$OUT" ""
}
check detached-lifecycle c_detached
as_user "$U" rctr rm -f vm-detached >/dev/null 2>&1 || true

c_bind() {
  local d
  d=$(getent passwd "$U" | cut -d: -f6)/vm-bind
  ur mkdir -p "$d"
  ur sh -c "echo from-host > $d/in"
  ur rctr run --rm -v "$d:/b" "$BB" sh -c 'cat /b/in; echo from-container > /b/out'
  want_eq "stdout" "$OUT" from-host
  want_eq "written file" "$(cat "$d/out")" from-container
  want_eq "owner on the host" "$(stat -c %U "$d/out")" "$U"
}
check bind-mount c_bind

c_volume() {
  ur rctr volume create vm-vol
  ur rctr run --rm -v vm-vol:/v "$BB" sh -c 'echo persisted > /v/f'
  ur rctr run --rm -v vm-vol:/v "$BB" cat /v/f
  want_eq "second container reads" "$OUT" persisted
  ur rctr volume rm vm-vol
}
check named-volume c_volume

c_readonly() {
  ur rctr run --rm --read-only "$BB" sh -c 'touch /x 2>/dev/null && echo rw || echo ro; touch /tmp/y && echo tmp'
  want_eq "stdout" "$OUT" "$(printf 'ro\ntmp')"
}
check read-only c_readonly

c_keepid() {
  ur rctr run --rm --userns=keep-id "$BB" sh -c 'id -u; stat -c %u /home/user'
  want_eq "id -u; owner of /home/user" "$OUT" "$(printf '%s\n1000' "$(id -u "$U")")"
}
check keep-id c_keepid

# rctr forces fuse-overlayfs with the global --storage-opt overlay.mount_program=PATH (as
# podman does); it reads no storage.conf.
c_fuse() {
  ur rctr --storage-opt overlay.mount_program=/usr/bin/fuse-overlayfs run --rm "$BB" \
    sh -c 'mount | head -1; echo hi > /x; cat /x'
  want_match "root mount" "$(printf '%s\n' "$OUT" | head -1)" '^fuse-overlayfs on / type fuse\.fuse-overlayfs'
  want_eq "write to /" "$(printf '%s\n' "$OUT" | tail -1)" hi
}
check fuse-overlayfs c_fuse

c_caps() {
  ur rctr run --rm "$BB" grep -E '^(CapEff|Seccomp):' /proc/self/status
  want_eq "CapEff" "$(printf '%s\n' "$OUT" | awk '$1 == "CapEff:" { print $2 }')" "$CAPEFF_WANT"
  want_eq "Seccomp" "$(printf '%s\n' "$OUT" | awk '$1 == "Seccomp:" { print $2 }')" 2
}
check caps-seccomp c_caps

c_masks() {
  ur rctr run --rm "$BB" sh -c 'wc -c < /proc/kcore; grep -c " /proc/kcore " /proc/self/mountinfo;
    echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo sys-writable || echo sys-ro'
  want_eq "kcore bytes, kcore mounts, /proc/sys" "$(printf '%s' "$OUT" | tr -s ' \n' ' ')" "0 1 sys-ro"
}
check masks c_masks

c_nosub() {
  # shellcheck disable=SC2034  # read by ur (guest-lib.sh)
  local VM_USER=$N
  ur rctr run --rm "$BB" echo hello single-id
  want_eq "stdout" "$OUT" "hello single-id"
}
check nosub-run c_nosub

# ------------------------------------------------------------------ cgroups (issue 17)
# rctrtest has a lingering user manager: every container gets a systemd scope
# rctr-ID.scope with Delegate=yes, PID 1 in its `container` leaf, the limits as unit
# properties. The host side (as root) reads the cgroup files the kernel applies.

# cg_dir NAME — the host path of a running container's limited cgroup (the scope).
cg_dir() {
  local pid cg
  ur rctr inspect --format '{{.State.Pid}}' "$1"
  pid=$OUT
  cg=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
  want_match "cgroup of PID 1" "$cg" '/container$'
  CG=/sys/fs/cgroup${cg%/container}
}

c_cg_scope() {
  ur rctr run --rm "$BB" cat /proc/self/cgroup
  want_eq "cgroup namespace root" "$OUT" "0::/"
  ur rctr run -d --name vm-cg --memory 64m --cpus 0.5 --pids-limit 20 "$BB" sleep 600
  local id=$OUT
  cg_dir vm-cg
  want_match "scope" "$CG" "/rctr-$id\.scope$"
  want_eq memory.max "$(cat "$CG/memory.max")" 67108864
  want_eq cpu.max "$(cat "$CG/cpu.max")" "50000 100000"
  want_eq pids.max "$(cat "$CG/pids.max")" 20
  want_eq "processes in the scope itself" "$(cat "$CG/cgroup.procs")" ""
  ur rctr inspect --format '{{.HostConfig.CgroupManager}}' vm-cg
  want_eq CgroupManager "$OUT" systemd
  ur rctr stats --no-stream --format '{{.PIDS}} {{.MemUsage}}' vm-cg
  want_match "stats" "$OUT" '^1 [0-9.]+[kMG]?B / 67.11MB$'
  ur rctr rm -f -t 0 vm-cg
  [ ! -d "$CG" ] || { echo "scope $CG still there after rm"; return 1; }
}
check cgroup-scope c_cg_scope
as_user "$U" rctr rm -f vm-cg >/dev/null 2>&1 || true

c_cg_oom() {
  local rc=0
  ur rctr run --name vm-oom --memory 64m "$BB" dd if=/dev/zero of=/dev/null bs=200M count=1 || rc=$?
  want_eq "exit code" "$rc" 137
  ur rctr inspect --format '{{.State.OOMKilled}} {{.State.ExitCode}}' vm-oom
  want_eq "OOMKilled ExitCode" "$OUT" "true 137"
  ur rctr rm vm-oom
}
check cgroup-oom c_cg_oom
as_user "$U" rctr rm -f vm-oom >/dev/null 2>&1 || true

c_cg_pids() {
  local rc=0 last
  # busybox sh gives up at its first failed fork: the count it reached is what the limit let
  # through (PID 1 itself is one of the 20).
  ur rctr run --rm --pids-limit 20 "$BB" sh -c 'i=0; while [ $i -lt 40 ]; do sleep 600 & i=$((i+1)); echo $i; done' || rc=$?
  [ "$rc" != 0 ] || { echo "the fork loop was not stopped"; return 1; }
  want_match "stderr" "$ERR" "can't fork"
  last=$(printf '%s\n' "$OUT" | tail -1)
  [ "$last" -lt 20 ] || { echo "$last processes started under --pids-limit 20"; return 1; }
}
check cgroup-pids c_cg_pids
as_user "$U" rctr rm -f vm-pids >/dev/null 2>&1 || true

# Debian's user@.service delegates cpu, memory and pids, not cpuset: the limit is refused in
# one line, and the container runs.
c_cg_cpuset_systemd() {
  ur rctr run --rm --cpuset-cpus 0 "$BB" true
  want_match "warning" "$ERR" '^Warning: --cpuset-cpus not applied: the cpuset controller is not delegated'
}
check cgroup-cpuset-systemd c_cg_cpuset_systemd

# The cgroupfs manager on a subtree an administrator delegated by hand: rctr-deleg owned by
# the user, the caller's shell in its leaf; rctr makes rctr-ID beside the leaf.
c_cg_cgroupfs() {
  local d=/sys/fs/cgroup/rctr-deleg
  mkdir -p "$d/leaf"
  echo +cpuset > /sys/fs/cgroup/cgroup.subtree_control
  # The administrator turns the controllers on for the user's subtree (the kernel refuses
  # +cpuset there from the user: EPERM on 6.1), as systemd does for a Delegate= unit.
  echo "+cpuset +cpu +memory +pids" > "$d/cgroup.subtree_control"
  chown "$U" "$d" "$d/cgroup.procs" "$d/cgroup.subtree_control" "$d/leaf" "$d/leaf/cgroup.procs" "$d/leaf/cgroup.subtree_control"
  echo "$BASHPID" > "$d/leaf/cgroup.procs"
  ur rctr --cgroup-manager=cgroupfs run -d --name vm-cgfs --memory 32m --cpus 0.25 --cpuset-cpus 0 "$BB" sleep 600
  local id=$OUT
  cg_dir vm-cgfs
  want_eq "cgroup" "$CG" "$d/rctr-$id"
  want_eq cpu.max "$(cat "$CG/cpu.max")" "25000 100000"
  want_eq memory.max "$(cat "$CG/memory.max")" 33554432
  want_eq cpuset.cpus "$(cat "$CG/cpuset.cpus")" 0
  ur rctr inspect --format '{{.HostConfig.CgroupManager}} {{.HostConfig.CgroupParent}}' vm-cgfs
  want_eq "manager parent" "$OUT" "cgroupfs /rctr-deleg"
  ur rctr rm -f -t 0 vm-cgfs
  [ ! -d "$CG" ] || { echo "$CG still there after rm"; return 1; }
}
check cgroup-cgroupfs c_cg_cgroupfs
as_user "$U" rctr rm -f vm-cgfs >/dev/null 2>&1 || true

# No user manager (rctrnosub does not linger): no bus, nothing delegated — the one line
# names linger as the fix, and the container runs.
c_cg_nobus() {
  # shellcheck disable=SC2034  # read by ur (guest-lib.sh)
  local VM_USER=$N
  ur rctr run --rm --memory 64m "$BB" echo ran
  want_eq "stdout" "$OUT" ran
  want_match "warning" "$ERR" '^Warning: --memory not applied: .*loginctl enable-linger'
}
check nosub-cgroup-warning c_cg_nobus

# ------------------------------------------------------------------ timing (not pass/fail)
c_timing() {
  local csv=/tmp/rctr-vm-hyperfine.csv
  ur hyperfine -N --warmup 3 --runs 20 --export-csv "$csv" \
    "rctr run --rm --network none $BB true" 'unshare -Urmpf --mount-proc true' \
    "rctr run --rm --network none --cgroups=disabled $BB true" || return 1
  # CSV: command,mean,stddev,median,user,system,min,max (seconds); no commas in the commands.
  local r u
  r=$(awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$csv")
  u=$(awk -F, 'NR == 3 { printf "%.1f", $4 * 1000 }' "$csv")
  note "time rctr-run-true median $r ms (rctr run --rm --network none busybox true, 20 runs)"
  note "time unshare-floor median $u ms (unshare -Urmpf --mount-proc true)"
  note "time ratio $(awk -v a="$r" -v b="$u" 'BEGIN { printf "%.1f", a / b }')x"
  local d
  d=$(awk -F, 'NR == 4 { printf "%.1f", $4 * 1000 }' "$csv")
  note "time rctr-run-no-cgroup median $d ms (--cgroups=disabled): the difference is $(awk -v a="$r" -v b="$d" 'BEGIN { printf "%.1f", a - b }') ms"
  # The difference drowns in TCG's noise: the monitor's own clock on the placement (D-Bus
  # round trips to the user manager, the `container` leaf), which overlaps PID 1's setup.
  local i us=()
  for ((i = 0; i < 10; i++)); do
    ur rctr --log-level debug run --rm --network none "$BB" true
    us+=("$(printf '%s\n' "$ERR" | sed -n 's/.*cgroup: systemd placed in .* (\([0-9]*\) µs).*/\1/p' | head -1)")
  done
  note "time scope-placement median $(printf '%s\n' "${us[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }') ms (10 runs, the pre-start hook's StartTransientUnit + JobRemoved + leaf, under TCG)"
}
( set -e; c_timing ) 3>&1 > "$VM_CHECKS/timing.log" 2>&1 < /dev/null
# shellcheck disable=SC2181  # (not `if ! ( … )`: that would switch off set -e inside)
if [ $? != 0 ]; then
  result "time hyperfine: not measured: $(fail_text "$VM_CHECKS/timing.log" 1)"
fi

as_user "$U" rctr rm -af >/dev/null 2>&1 || true
result "summary $VM_N_OK ok, $VM_N_FAIL FAIL"
[ "$VM_N_FAIL" = 0 ]
