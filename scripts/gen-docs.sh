#!/bin/bash
# scripts/gen-docs.sh [--check]
#
# Regenerates completions/ (bash, zsh, fish) and man/ (one page per command) from the one clap
# definition (rctr::cli::docs::generate, via examples/gendocs.rs). With --check, generates into
# a temp dir and fails when the committed files differ (stale docs).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null && [ -x "${HOME:-/root}/.cargo/bin/cargo" ]; then
  PATH="$HOME/.cargo/bin:$PATH"
fi
case "${1:-}" in
  "")
    cargo run --quiet --example gendocs -- .
    echo "gen-docs: wrote completions/ ($(ls completions | wc -l) files) and man/ ($(ls man | wc -l) pages)"
    ;;
  --check)
    t=$(mktemp -d)
    trap 'rm -rf "$t"' EXIT
    cargo run --quiet --example gendocs -- "$t"
    if diff -r completions "$t/completions" >"$t/diff" 2>&1 && diff -r man "$t/man" >>"$t/diff" 2>&1; then
      echo "gen-docs: completions/ and man/ are up to date"
    else
      head -40 "$t/diff" >&2
      echo "completions/man are stale: run scripts/gen-docs.sh" >&2
      exit 1
    fi
    ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
