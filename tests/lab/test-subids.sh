#!/bin/bash
# tests/lab/test-subids.sh — unit tests of subids.sh on temporary files (no root, touches
# nothing outside its temp dir). Run: bash tests/lab/test-subids.sh (also run by
# `cargo test --test lab_scripts`). Prints one line per failure and exits 1 on any.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/subids.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
check() {  # description, expected, actual
  if [ "$2" != "$3" ]; then
    echo "FAIL $1: expected '$2', got '$3'"
    fails=$((fails + 1))
  fi
}
file() {  # name, content: a temp file, path printed
  printf '%b' "$2" > "$T/$1"
  echo "$T/$1"
}
pick() { subid_pick 65536 100000 rctrtest 1001 "$@"; }

empty=$(file empty '')
check "empty file: Debian's first range" 100000 "$(pick "$empty")"
pick "$T/nonexistent" > /dev/null 2>&1
check "missing file: an error, not a guess" 2 "$?"

# Another user owns part of 100000:65536 (the case setup.sh used to refuse).
u=$(file subuid 'alice:100000:65536\nbob:160000:10000\n')
g=$(file subgid 'alice:100000:65536\n')
check "overlapping entry: next free aligned range" 231072 "$(pick "$u" "$g")"
check "a range only in subgid counts too" 165536 "$(pick "$empty" "$g")"
check "the picked range overlaps nobody" 1 "$(subid_overlaps "$(pick "$u" "$g")" 65536 rctrtest 1001 "$u" "$g"; echo $?)"
check "the old default overlaps alice" 0 "$(subid_overlaps 100000 65536 rctrtest 1001 "$u" "$g"; echo $?)"

# The lab user's own entries (by name or by uid) never block it; comments and junk take no IDs.
own=$(file own '# 100000 is ours\nrctrtest:100000:65536\n1001:170000:10\nbad line\nx:1:y\n\n')
check "own entries and junk are ignored" 100000 "$(pick "$own")"
check "own entries do not overlap" 1 "$(subid_overlaps 100000 65536 rctrtest 1001 "$own"; echo $?)"

# A range of zero IDs takes none; an entry below the base does not move it.
z=$(file zero 'carol:100000:0\ndave:1000:5000\n')
check "zero-count and low entries" 100000 "$(pick "$z")"

# Several entries in a row, one straddling a grid boundary.
many=$(file many 'a:100000:65536\nb:165536:1\nc:231071:65538\n')
check "chain of overlaps" 362144 "$(pick "$many")"

# Full up to the top: no range fits below 2^32.
full=$(file full 'root2:0:4294967295\n')
pick "$full" > /dev/null
check "no free range: exit 1" 1 "$?"
high=$(file high 'e:100000:4294836000\n')
check "last range below 2^32" "" "$(pick "$high")"

# subid_own: exactly one entry (by name or uid), else nothing.
check "own by name" 100000:65536 "$(subid_own rctrtest 1001 "$(file o1 'alice:1:2\nrctrtest:100000:65536\n')")"
check "own by uid" 165536:65536 "$(subid_own rctrtest 1001 "$(file o2 '1001:165536:65536\n')")"
check "two own entries: none" "" "$(subid_own rctrtest 1001 "$(file o3 'rctrtest:100000:65536\n1001:300000:5\n')")"
check "malformed own entry: none" "" "$(subid_own rctrtest 1001 "$(file o4 'rctrtest:100000:x\n')")"
check "no own entry" "" "$(subid_own rctrtest 1001 "$empty")"

[ "$fails" = 0 ] && echo "test-subids: all passed"
[ "$fails" = 0 ]
