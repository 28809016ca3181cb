# shellcheck shell=bash source-path=SCRIPTDIR
# tests/vm/lib.sh — sourced (bash) by the VM stages: build a cached Debian 12 VM image with
# several Debian kernels, boot one kernel with a payload shared in over 9p, collect results.
#
# The four pieces, each usable on its own (a later stage composes them differently):
#
#   vm_image                  ensure the image for the current recipe exists (cached, keyed by
#                             a hash of the recipe), set VM_IMAGE to its directory.
#                             Recipe knobs (env, part of the key): VM_IMAGE_NAME (default
#                             "base"), VM_EXTRA_PACKAGES ("nfs-kernel-server slurm-wlm …"),
#                             VM_IMAGE_HOOKS (scripts run as root in the image's chroot),
#                             VM_KERNEL_SUITES (default "bullseye bookworm trixie").
#   vm_fetch_kernel SUITE     download linux-image-amd64's kernel .deb of a Debian suite
#                             (cached), print its path.
#   vm_kernel_release SHORT   "6.1" / "5.10.0-35-amd64" / "bookworm" → the full release in
#                             VM_IMAGE (as `uname -r` prints it).
#   vm_share_new NAME         a fresh run directory: $VM_RUN/share is what the guest sees
#                             at /vm (payload, binaries, files, out/), $VM_RUN/console.log.
#   vm_share_add_rctr         copy target/debug/rctr (debug info stripped) into the share.
#   vm_boot RELEASE           boot the image (snapshot: every boot starts clean) with that
#                             kernel and $VM_RUN/share; the guest runs /vm/payload as root and
#                             powers off. Hard timeout VM_TIMEOUT; qemu is always killed.
#                             Returns 0 when the payload ran to its end (its exit status is in
#                             $VM_RUN/share/out/rc), 124 on timeout, 1 when no result came back.
#   vm_run_payload RELEASE PAYLOAD [FILE...]
#                             the above in one go (+ the guest helper library, the lab
#                             registry share, files copied to /vm/files).
#
# Inside the guest, payloads source /vm/guest-lib.sh (tests/vm/guest-lib.sh): as_user, check,
# results lines, the in-guest lab registry. See tests/vm/README.md.
#
# State: $VM_DIR (default $RCTR_LAB_DIR/vm = /var/tmp/rctr-lab/vm): apt/ (private apt lists
# per suite), debs/ (kernel packages), debootstrap/ (package cache), images/NAME-KEY/,
# runs/ (one directory per boot; the last few are kept).

VM_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VM_REPO=$(cd "$VM_HERE/../.." && pwd)
# shellcheck source=../lab/env.sh
. "$VM_REPO/tests/lab/env.sh"
VM_DIR=${RCTR_VM_DIR:-$LAB_DIR/vm}
VM_MIRROR=${RCTR_VM_MIRROR:-http://deb.debian.org/debian}
VM_IMAGE_NAME=${VM_IMAGE_NAME:-base}
VM_EXTRA_PACKAGES=${VM_EXTRA_PACKAGES:-}
VM_IMAGE_HOOKS=${VM_IMAGE_HOOKS:-}
VM_KERNEL_SUITES=${VM_KERNEL_SUITES:-bullseye bookworm trixie}
VM_MEM=${RCTR_VM_MEM:-2048}
VM_SMP=${RCTR_VM_SMP:-2}
VM_CPU=${RCTR_VM_CPU:-max}
VM_TIMEOUT=${RCTR_VM_TIMEOUT:-600}
# Extra kernel command line (e.g. "systemd.log_level=debug"); RCTR_VM_VERBOSE=1 drops `quiet`.
VM_CMDLINE_EXTRA=${RCTR_VM_CMDLINE:-}
VM_KEEP_RUNS=${RCTR_VM_KEEP_RUNS:-12}
VM_RCTR_BIN=${RCTR_VM_RCTR:-$VM_REPO/target/debug/rctr}
VM_IMAGE=
VM_RUN=
VM_QEMU_PIDS=()
VM_BG_PIDS=()   # helpers of the caller (console tails, a backgrounded vm_boot): ended too

vm_log() { printf '[vm %s] %s\n' "$(date +%T)" "$*" >&2; }
vm_die() { printf 'tests/vm: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------ host side: packages
# CI runs on a fresh machine: whatever the stage needs is installed here (only what is missing).
vm_host_deps() {
  local p missing=()
  for p in qemu-system-x86 debootstrap e2fsprogs binutils skopeo util-linux coreutils; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} = 0 ] && return 0
  vm_log "installing on the host: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
}

# ------------------------------------------------------------------ kernels
# A private apt configuration per suite: the host's own sources, lists, preferences and dpkg
# status are never read or changed.
vm_apt() {  # SUITE apt-get|apt-cache ARGS...
  local suite=$1 tool=$2; shift 2
  local a=$VM_DIR/apt/$suite
  mkdir -p "$a/lists/partial" "$a/cache/archives/partial"
  echo "deb $VM_MIRROR $suite main" > "$a/sources.list"
  "$tool" -q -o Dir::State::Lists="$a/lists" -o Dir::Cache="$a/cache" \
    -o Dir::Etc::SourceList="$a/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
    -o Dir::State::status=/dev/null -o APT::Architecture=amd64 \
    -o APT::Sandbox::User=root -o Acquire::Languages=none \
    -o Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false \
    -o Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled=false \
    -o Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled=false \
    -o Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false "$@"
}

vm_fetch_kernel() {  # SUITE → path of the kernel image .deb (cached in $VM_DIR/debs)
  local suite=$1 d=$VM_DIR/debs pkg deb
  mkdir -p "$d"
  if [ -s "$d/$suite.txt" ]; then
    deb=$(cut -d' ' -f2 "$d/$suite.txt")
    [ -s "$d/$deb" ] && { echo "$d/$deb"; return 0; }
  fi
  vm_log "kernel for $suite: apt-get update (private lists)"
  vm_apt "$suite" apt-get update >&2 || vm_die "apt-get update for $suite failed"
  # linux-image-amd64 is a metapackage; its first Depends is the versioned kernel package.
  pkg=$(vm_apt "$suite" apt-cache depends linux-image-amd64 |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
  [ -n "$pkg" ] || vm_die "$suite: cannot resolve linux-image-amd64"
  (cd "$d" && vm_apt "$suite" apt-get download "$pkg" >&2) || vm_die "$suite: apt-get download $pkg failed"
  # shellcheck disable=SC2012  # package file names have no odd characters
  deb=$(cd "$d" && ls -t "${pkg}"_*.deb | head -1)
  echo "$pkg $deb" > "$d/$suite.txt"
  echo "$d/$deb"
}

# ------------------------------------------------------------------ the image
# The key covers everything that goes into the image: the build script, the files baked into
# it (tests/vm/image/), the recipe knobs and the hooks' content. Kernel versions are fixed
# when the image is built; RCTR_VM_REFRESH=1 rebuilds (and fetches the newest kernels).
vm_image_key() {
  local h
  {
    cat "$VM_HERE/build-image.sh" "$VM_HERE"/image/*
    printf 'name=%s\npackages=%s\nsuites=%s\nmirror=%s\n' "$VM_IMAGE_NAME" \
      "$VM_EXTRA_PACKAGES" "$VM_KERNEL_SUITES" "$VM_MIRROR"
    for h in $VM_IMAGE_HOOKS; do echo "hook $(basename "$h")"; cat "$h"; done
  } | sha256sum | cut -c1-12
}

vm_image() {
  local key dir lock debs=() s
  key=$(vm_image_key)
  dir=$VM_DIR/images/$VM_IMAGE_NAME-$key
  mkdir -p "$VM_DIR/images"
  if [ "${RCTR_VM_REFRESH:-0}" = 1 ] && [ -e "$dir/ok" ]; then
    vm_log "RCTR_VM_REFRESH=1: rebuilding $dir"
    rm -f "$dir/ok" "$VM_DIR"/debs/*.txt
  fi
  if [ ! -e "$dir/ok" ]; then
    # One build at a time (two stages started together must not race on the same directory).
    lock=$VM_DIR/images/.lock
    exec {s}>"$lock"
    flock "$s"
    if [ ! -e "$dir/ok" ]; then
      vm_host_deps
      local suite
      for suite in $VM_KERNEL_SUITES; do debs+=("$suite=$(vm_fetch_kernel "$suite")"); done
      vm_log "building image $VM_IMAGE_NAME-$key (log $dir.log)"
      local t0=$SECONDS
      if ! VM_IMAGE_NAME=$VM_IMAGE_NAME VM_EXTRA_PACKAGES=$VM_EXTRA_PACKAGES \
           VM_IMAGE_HOOKS=$VM_IMAGE_HOOKS VM_MIRROR=$VM_MIRROR \
           "$VM_HERE/build-image.sh" "$dir" "${debs[@]}" > "$dir.log" 2>&1; then
        tail -30 "$dir.log" >&2
        vm_die "image build failed (log $dir.log)"
      fi
      vm_log "image built in $((SECONDS - t0)) s: $(du -h --apparent-size "$dir/rootfs.img" | cut -f1) apparent, $(du -h "$dir/rootfs.img" | cut -f1) on disk"
      # Older builds of the same image name are dead weight.
      for s in "$VM_DIR/images/$VM_IMAGE_NAME"-*; do
        [ "$s" = "$dir" ] || [ "$s" = "$dir.log" ] || rm -rf "$s"
      done
    fi
    exec {s}>&-
  fi
  VM_IMAGE=$dir
}

vm_kernels() {  # the image's kernels, one "SHORT RELEASE SUITE" per line
  cat "$VM_IMAGE/kernels.txt"
}

vm_kernel_release() {  # SHORT|RELEASE|SUITE → RELEASE
  local want=$1 r
  r=$(awk -v w="$want" '$1 == w || $2 == w || $3 == w { print $2; exit }' "$VM_IMAGE/kernels.txt")
  [ -n "$r" ] || vm_die "no kernel '$want' in the image (have: $(awk '{printf "%s ", $1}' "$VM_IMAGE/kernels.txt"))"
  echo "$r"
}

# ------------------------------------------------------------------ one boot
vm_share_new() {  # NAME → sets VM_RUN; $VM_RUN/share is /vm in the guest
  local name=$1 old
  mkdir -p "$VM_DIR/runs"
  VM_RUN=$VM_DIR/runs/$(date +%Y%m%d-%H%M%S)-$name-$$
  mkdir -p "$VM_RUN/share/out" "$VM_RUN/share/bin" "$VM_RUN/share/files"
  # Keep only the newest runs (each holds a copy of rctr).
  # shellcheck disable=SC2012
  for old in $(ls -1dt "$VM_DIR"/runs/*/ 2>/dev/null | tail -n +$((VM_KEEP_RUNS + 1))); do
    rm -rf "$old"
  done
}

vm_share_add_rctr() {
  # Copied at boot time: the other engineer rebuilds it often. Debug info is 90 % of the
  # debug binary (200 MB → 27 MB) and only slows the 9p copy; RCTR_VM_KEEP_DEBUG=1 keeps it.
  [ -x "$VM_RCTR_BIN" ] || vm_die "$VM_RCTR_BIN missing: run cargo build"
  if [ "${RCTR_VM_KEEP_DEBUG:-0}" = 1 ]; then
    cp "$VM_RCTR_BIN" "$VM_RUN/share/bin/rctr"
  else
    objcopy --strip-debug "$VM_RCTR_BIN" "$VM_RUN/share/bin/rctr"
  fi
}

vm_kill_all() {
  local p
  for p in "${VM_QEMU_PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  [ ${#VM_QEMU_PIDS[@]} = 0 ] || sleep 0.5
  for p in "${VM_QEMU_PIDS[@]}"; do
    kill -KILL "$p" 2>/dev/null || true
  done
  # The qemu process itself (timeout forwards TERM to it, but not if timeout died first).
  if [ -n "$VM_RUN" ] && [ -s "$VM_RUN/qemu.pid" ]; then
    p=$(cat "$VM_RUN/qemu.pid")
    if [ -e "/proc/$p" ] && grep -qF "$VM_RUN" "/proc/$p/cmdline" 2>/dev/null; then
      kill -KILL "$p" 2>/dev/null || true
    fi
  fi
  VM_QEMU_PIDS=()
  for p in "${VM_BG_PIDS[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  VM_BG_PIDS=()
}

# Kill qemu whatever happens to the caller (error, ^C, TERM from a CI timeout). A caller that
# needs its own EXIT trap calls vm_kill_all from it.
trap vm_kill_all EXIT
trap 'vm_kill_all; exit 130' INT
trap 'vm_kill_all; exit 143' TERM

vm_boot() {  # RELEASE → 0 payload ran (rc in share/out/rc), 124 timeout, 1 no result
  local rel=$1 share=$VM_RUN/share console=$VM_RUN/console.log rc lab=() quiet=quiet
  [ -n "$VM_IMAGE" ] || vm_die "vm_boot: call vm_image first"
  [ -f "$VM_IMAGE/boot/vmlinuz-$rel" ] || vm_die "no kernel $rel in $VM_IMAGE"
  [ "${RCTR_VM_VERBOSE:-0}" = 1 ] && quiet=
  # The lab registry's storage, read-only: the guest serves it on its own 127.0.0.1:5100.
  if [ -d "$LAB_DIR/registry-5100/data" ]; then
    lab=(-virtfs "local,path=$LAB_DIR/registry-5100/data,mount_tag=lab-registry,security_model=none,readonly=on")
  fi
  : > "$console"
  # -nodefaults: no VGA/NIC/floppy/CD probing. -nic none: the guest has loopback only.
  # snapshot=on: writes go to a throw-away overlay, so the image stays pristine.
  # panic=-1 + -no-reboot: a kernel panic ends qemu at once instead of at the timeout.
  # virtio-rng: old kernels otherwise wait for entropy under TCG.
  timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 \
    -nodefaults -no-user-config -accel tcg,thread=multi -cpu "$VM_CPU" -machine q35 \
    -smp "$VM_SMP" -m "$VM_MEM" -display none -no-reboot -nic none \
    -kernel "$VM_IMAGE/boot/vmlinuz-$rel" -initrd "$VM_IMAGE/boot/initrd.img-$rel" \
    -append "root=/dev/vda rw rootfstype=ext4 console=ttyS0 panic=-1 systemd.unified_cgroup_hierarchy=1 $quiet $VM_CMDLINE_EXTRA" \
    -drive "file=$VM_IMAGE/rootfs.img,format=raw,if=virtio,snapshot=on,cache=unsafe" \
    -virtfs "local,path=$share,mount_tag=rctrvm,security_model=none" \
    "${lab[@]}" \
    -device virtio-rng-pci \
    -serial "file:$console" \
    -pidfile "$VM_RUN/qemu.pid" \
    > "$VM_RUN/qemu.log" 2>&1 &
  VM_QEMU_PIDS+=("$!")
  wait "$!"
  rc=$?
  VM_QEMU_PIDS=()
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "VM timed out after ${VM_TIMEOUT}s (kernel $rel); console tail ($console; RCTR_VM_VERBOSE=1 shows the kernel's messages too):" >&2
    tail -40 "$console" | sed 's/^/  | /' >&2
    return 124
  fi
  if [ ! -s "$share/out/rc" ]; then
    echo "VM exited (qemu status $rc, kernel $rel) without a result; qemu: $(tr '\n' ' ' < "$VM_RUN/qemu.log"); console tail ($console):" >&2
    tail -40 "$console" | sed 's/^/  | /' >&2
    return 1
  fi
  return 0
}

vm_run_payload() {  # RELEASE PAYLOAD [FILE...] — a fresh share, rctr, the files, boot
  local rel=$1 payload=$2 f; shift 2
  vm_share_new "$(basename "$payload" .sh)-$rel"
  install -m 0755 "$payload" "$VM_RUN/share/payload"
  install -m 0644 "$VM_HERE/guest-lib.sh" "$VM_RUN/share/guest-lib.sh"
  vm_share_add_rctr
  for f in "$@"; do cp -a "$f" "$VM_RUN/share/files/"; done
  vm_boot "$rel"
}
