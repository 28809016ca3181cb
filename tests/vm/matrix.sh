#!/bin/bash
# tests/vm/matrix.sh — the kernel-matrix VM stage (as root; scripts/test.sh runs it as `vm`).
#
# Boots the cached Debian 12 VM image (tests/vm/build-image.sh; rebuilt when its recipe
# changes) once per kernel, in sequence — Debian 11's 5.10, Debian 12's 6.1, Debian 13's 6.12
# — and runs tests/vm/payloads/kernel-matrix.sh in each (rctr as unprivileged users against
# an in-guest copy of the lab registry). Prints the payload's lines as they come, then per
# kernel `kernel REL: N ok, M FAIL` with the FAIL, note and time lines. Exit 1 when a check
# failed or a VM did not come back (timeout, no results: the console tail is printed).
#
# Env: RCTR_VM_KERNELS="5.10 6.1 6.12" (a subset / order), RCTR_VM_TIMEOUT=600 (per boot),
# RCTR_VM_REFRESH=1 (rebuild the image, newest kernels), RCTR_VM_MEM=2048, RCTR_VM_SMP=2,
# RCTR_VM_VERBOSE=1 (kernel messages on the console), RCTR_VM_KEEP_DEBUG=1 (unstripped rctr).
# One kernel with an ad-hoc payload: tests/vm/boot.sh (see its header).
# Run directories (console.log, share/out/{results,checks/*.log}): $RCTR_LAB_DIR/vm/runs/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HERE/lib.sh"
[ "$(id -u)" = 0 ] || vm_die "matrix.sh: run as root (sudo $0)"
KERNELS=${RCTR_VM_KERNELS:-5.10 6.1 6.12}
T0=$SECONDS
log() { printf '[vm-matrix %s] %s\n' "$(date +%T)" "$*"; }

# ------------------------------------------------------------------ prerequisites
vm_host_deps
# The images the guest serves and loads come from the host lab (idempotent, <1 s when ready).
if [ ! -d "$LAB_DIR/registry-5100/data/docker" ] || [ ! -s "$LAB_DIR/oci/index.json" ]; then
  log "lab missing: running tests/lab/setup.sh"
  "$VM_REPO/tests/lab/setup.sh"
fi
if [ ! -x "$VM_RCTR_BIN" ]; then
  for d in "${HOME:-/root}/.cargo/bin" /root/.cargo/bin; do [ -x "$d/cargo" ] && PATH="$d:$PATH" && break; done
  log "$VM_RCTR_BIN missing: cargo build --bin rctr"
  (cd "$VM_REPO" && cargo build --bin rctr)
fi

vm_image
log "image $(basename "$VM_IMAGE") ready after $((SECONDS - T0)) s; kernels: $(awk '{printf "%s (%s) ", $2, $3}' "$VM_IMAGE/kernels.txt")"

# Files for /vm/files: the golden view and its lister, and an OCI archive for `rctr load`
# (re-made when the lab's images change).
FILES=$VM_DIR/files
mkdir -p "$FILES"
if [ ! -s "$FILES/busybox-oci.tar" ] || [ "$LAB_DIR/oci/index.json" -nt "$FILES/busybox-oci.tar" ]; then
  rm -f "$FILES/busybox-oci.tar"
  skopeo copy -q "oci:$LAB_DIR/oci:busybox" "oci-archive:$FILES/busybox-oci.tar:localhost/vm-loaded:latest"
fi
cp "$VM_REPO/tests/lab/list-tree.sh" "$VM_REPO/tests/lab/golden/layered.txt" "$FILES/"
chmod 0644 "$FILES"/*

# ------------------------------------------------------------------ one boot per kernel
FAILED=0
declare -a SUMMARY=()
for k in $KERNELS; do
  rel=$(vm_kernel_release "$k")
  log "kernel $rel: booting (timeout ${VM_TIMEOUT}s)"
  t=$SECONDS
  vm_share_new "matrix-$rel"
  install -m 0755 "$HERE/payloads/kernel-matrix.sh" "$VM_RUN/share/payload"
  install -m 0644 "$HERE/guest-lib.sh" "$VM_RUN/share/guest-lib.sh"
  vm_share_add_rctr
  cp "$FILES"/* "$VM_RUN/share/files/"
  res=$VM_RUN/share/out/results
  touch "$res"
  # The payload's lines as they arrive (a boot is minutes of otherwise silent TCG): the boot
  # in the background, tail until it ends (--pid: tail reads what is left, then exits). A
  # TERM/^C still kills qemu: vm_kill_all finds it by its pid file.
  # (both waited for with `wait`: bash runs a trap only between commands or in a wait)
  vm_boot "$rel" &
  bootpid=$!
  tail -n +1 -F --pid="$bootpid" "$res" 2>/dev/null | sed -u "s/^/  [$k] /" &
  VM_BG_PIDS+=("$bootpid" "$!")
  wait "$!" || true
  brc=0
  wait "$bootpid" || brc=$?
  VM_BG_PIDS=()   # ended: nothing for the exit trap to kill
  dt=$((SECONDS - t))
  nok=$(grep -c '^ok ' "$res" || true)
  nfail=$(grep -c '^FAIL ' "$res" || true)
  if [ "$brc" != 0 ]; then
    what="VM did not come back ($([ "$brc" = 124 ] && echo "timeout after ${VM_TIMEOUT}s" || echo "no result")); console $VM_RUN/console.log"
    FAILED=1
  else
    prc=$(cat "$VM_RUN/share/out/rc")
    what="payload exit $prc"
    if [ "$nfail" != 0 ] || [ "$prc" != 0 ] || [ "$nok" = 0 ]; then FAILED=1; fi
  fi
  block="kernel $rel: $nok ok, $nfail FAIL (${dt}s, $what)"
  extra=$(grep -E '^(FAIL|note|time) ' "$res" | sed 's/^/  /' || true)
  [ -n "$extra" ] && block+=$'\n'"$extra"
  block+=$'\n'"  logs: $VM_RUN/share/out/checks/"
  SUMMARY+=("$block")
  log "kernel $rel done in ${dt}s: $nok ok, $nfail FAIL"
done

echo
echo "==== vm kernel matrix ($((SECONDS - T0)) s total)"
printf '%s\n' "${SUMMARY[@]}"
if [ "$FAILED" = 0 ]; then echo "==== vm: PASS"; else echo "==== vm: FAIL"; fi
exit "$FAILED"
