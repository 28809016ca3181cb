#!/bin/bash
# scripts/test.sh — THE whole test suite, as root on a fresh Debian 12 machine:
#
#   1. tests/lab/setup.sh        packages, users, registries, images (idempotent)
#   2. cargo build --all-targets
#   3. scripts/gen-docs.sh --check   completions/ and man/ match the CLI
#      cargo fmt --check, cargo clippy --all-targets -- -D warnings   (after the build: warm cache)
#   4. cargo test                unit tests + integration tests (run as the unprivileged lab
#                                users by tests/common/mod.rs; with CI=true a skip is a failure)
#   5. tests/vm/matrix.sh        the kernel matrix: a cached Debian 12 VM booted (qemu, TCG) on
#                                Debian 11/12/13's kernels 5.10/6.1/6.12, rctr as unprivileged
#                                users inside (tests/vm/README.md; ≈4.5 min warm, ≈6 min cold)
#   6. packaging/build.sh --check    .deb (and .rpm) build and contain what they should
#   7. no rctr process left behind by the tests
#
# The lab registries stay running afterwards (later runs reuse them). Logs: target/test-logs/.
# Env: CI=true (skips are fatal), RCTR_TEST_SKIP_PACKAGING=1, RCTR_TEST_SKIP_VM=1 (local
# runs only: ignored with CI=true), CARGO_TEST_ARGS="..." (passed to cargo test, e.g.
# "--test cli_basics"); tests/vm/matrix.sh reads RCTR_VM_* (e.g. RCTR_VM_KERNELS="6.1").
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
[ "$(id -u)" = 0 ] || { echo "scripts/test.sh: run as root (sudo scripts/test.sh): the lab needs root and the tests drop to unprivileged users" >&2; exit 1; }
if ! command -v cargo >/dev/null; then
  for d in "${HOME:-/root}/.cargo/bin" /root/.cargo/bin; do [ -x "$d/cargo" ] && PATH="$d:$PATH" && break; done
fi
command -v cargo >/dev/null || { echo "scripts/test.sh: cargo not found: install a Rust toolchain (rustup) for root" >&2; exit 1; }
export CI=${CI:-}
LOGS=$REPO/target/test-logs
mkdir -p "$LOGS"
rm -f "$LOGS"/*.log
T0=$(date +%s)
declare -a SUMMARY=()
FAILED=0

# step NAME COMMAND... : run, log to target/test-logs/NAME.log (and the terminal), time it.
step() {
  local name=$1; shift
  local s rc
  s=$(date +%s)
  printf '\n==== %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$LOGS/$name.log"
  rc=${PIPESTATUS[0]}
  local dt=$(( $(date +%s) - s ))
  if [ "$rc" = 0 ]; then
    SUMMARY+=("$(printf '  %-10s ok      %4ss' "$name" "$dt")")
  else
    SUMMARY+=("$(printf '  %-10s FAILED  %4ss  (exit %s, log %s)' "$name" "$dt" "$rc" "$LOGS/$name.log")")
    FAILED=1
  fi
  return "$rc"
}

finish() {
  echo
  echo "==== summary ($(( $(date +%s) - T0 )) s total, CI=${CI:-unset})"
  printf '%s\n' "${SUMMARY[@]}"
  if [ -f "$LOGS/test.log" ]; then
    awk '/^test result:/ { p += $4; f += $6; i += $8 } END { printf "  tests: %d passed, %d failed, %d ignored\n", p, f, i }' "$LOGS/test.log"
    sk=$(grep -c '^SKIP ' "$LOGS/test.log" || true)
    [ "$sk" != 0 ] && echo "  skipped: $sk (grep '^SKIP ' $LOGS/test.log)"
    grep '^integration tests run as uid' "$LOGS/test.log" | sort -u | sed 's/^/  /'
  fi
  if [ "$FAILED" = 0 ]; then echo "==== PASS"; else echo "==== FAIL"; fi
  exit "$FAILED"
}

# Processes this run's tests started that are still alive: the harness passes RCTR_IT_RUN into
# every command's environment. Listed, then killed by pid (the harness already does this per
# sandbox; this is the last line of defence). Other runs on the same machine are not touched.
RUN_ID="test.sh-$$-$(date +%s%N)"   # not exported: only cargo test gets it
leftovers() {
  local found=0 pid
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    if { tr '\0' '\n' < "$d/environ"; } 2>/dev/null | grep -qxF "RCTR_IT_RUN=$RUN_ID"; then
      echo "left behind: pid $pid $(tr '\0' ' ' < "$d/cmdline" 2>/dev/null)"
      kill -KILL "$pid" 2>/dev/null || true
      found=1
    fi
  done
  [ "$found" = 0 ] && echo "no rctr processes left behind"
  return "$found"
}

step lab tests/lab/setup.sh || finish
step build cargo build --all-targets || finish
step docs scripts/gen-docs.sh --check
step fmt cargo fmt --check
step clippy cargo clippy --all-targets -- -D warnings
# shellcheck disable=SC2086
step test env RCTR_IT_RUN="$RUN_ID" cargo test --no-fail-fast ${CARGO_TEST_ARGS:-}
# The VM stage: skippable on a developer's machine, never in CI (the old kernels are where
# rootless containers break first).
if [ "${RCTR_TEST_SKIP_VM:-0}" = 1 ] && [ "$CI" != true ]; then
  SUMMARY+=("$(printf '  %-10s skipped (RCTR_TEST_SKIP_VM=1)' vm)")
else
  [ "${RCTR_TEST_SKIP_VM:-0}" = 1 ] && echo "RCTR_TEST_SKIP_VM=1 ignored: CI=true runs the VM stage"
  step vm tests/vm/matrix.sh
fi
if [ "${RCTR_TEST_SKIP_PACKAGING:-0}" != 1 ] && [ -x packaging/build.sh ]; then
  # The debug build already made above is packaged: this checks the packaging, not the
  # optimiser, and saves a full release compile (see packaging/build.sh --profile).
  step package packaging/build.sh --check --profile dev
fi
step leftovers leftovers
finish
