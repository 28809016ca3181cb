# tests/lab/subids.sh — subordinate-ID ranges for the lab user, as pure functions over files
# (sourced by setup.sh; unit-tested by test-subids.sh on temporary copies, never on /etc).
#
# An entry is `owner:start:count`, owner a user name or a numeric uid (subuid(5)); comments,
# blank and malformed lines take no IDs. "Others" are entries whose owner is neither the
# given name nor the given uid.

# subid_own NAME UID FILE: print NAME's range as START:COUNT when FILE has exactly one entry
# for it (by name or uid); print nothing otherwise (none, or several: setup replaces them).
subid_own() {
  awk -F: -v u="$1" -v id="$2" '
    /^[[:space:]]*(#|$)/ { next }
    ($1 == u || $1 == id) && NF == 3 && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { n++; r = $2 ":" $3; next }
    $1 == u || $1 == id { n += 2 }
    END { if (n == 1) print r }' "$3"
}

# subid_overlaps START COUNT NAME UID FILE...: exit 0 when [START, START+COUNT) shares an ID
# with another owner's entry in any FILE.
subid_overlaps() {
  awk -F: -v s="$1" -v c="$2" -v u="$3" -v id="$4" '
    /^[[:space:]]*(#|$)/ { next }
    $1 != u && $1 != id && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && s < $2 + $3 && $2 < s + c { bad = 1 }
    END { exit !bad }' "${@:5}"
}

# subid_pick COUNT BASE NAME UID FILE...: print the first START = BASE + k*COUNT (k >= 0)
# whose range [START, START+COUNT) overlaps no other owner's entry in any FILE, so that one
# START serves /etc/subuid and /etc/subgid alike. BASE is Debian's SUB_UID_MIN (100000): on
# a machine where nobody else has a range, the lab gets what `useradd` would have given.
# Exit 1 when no such range fits below 2^32.
subid_pick() {
  awk -F: -v c="$1" -v b="$2" -v u="$3" -v id="$4" '
    /^[[:space:]]*(#|$)/ { next }
    $1 != u && $1 != id && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ && $3 > 0 {
      n++; lo[n] = $2 + 0; hi[n] = $2 + $3
    }
    END {
      start = b
      while (start + c <= 4294967296) {
        moved = 0
        for (i = 1; i <= n; i++) {
          if (start < hi[i] && lo[i] < start + c) {
            # Skip past this entry, staying on the BASE + k*COUNT grid.
            start = b + int((hi[i] - b + c - 1) / c) * c
            moved = 1
          }
        }
        if (!moved) { printf "%.0f\n", start; exit 0 }
      }
      exit 1
    }' "${@:5}"
}
