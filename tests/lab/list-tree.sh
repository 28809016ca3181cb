#!/bin/sh
# tests/lab/list-tree.sh ROOT [PATH...]
#
# A stable, filesystem-independent listing of the trees PATH... (default: the paths the
# `layered` test image exercises) below ROOT, one line per entry, sorted by path (C locale):
#
#   path|type|uid:gid|mode|nlink|detail
#
#   path    absolute path inside ROOT ("/data/keep.txt")
#   type    f regular, d directory, l symlink, p fifo, c char dev, b block dev, s socket
#   uid:gid numeric owner as seen by the caller (run it inside the container to see the
#           container's view; from the host a rootless store shows shifted IDs)
#   mode    permission and setuid/setgid/sticky bits, 4 octal digits ("4755")
#   nlink   link count for non-directories; "-" for directories (their link count depends on
#           the filesystem: ext4 and overlayfs differ)
#   detail  f: "sha256=<first 16 hex digits of the content>", plus ",hardlink=<path>" when the
#              file shares its inode with an earlier-listed path;
#           l: "-> <target>" (not followed); other types: "-"
#
# POSIX sh using only find/stat/sha256sum/readlink/sort/awk with options busybox also has, so it
# runs on the host (GNU coreutils) and inside a busybox container alike:
#   rctr run -i IMAGE sh -s / < tests/lab/list-tree.sh
# The golden listing tests/lab/golden/layered.txt is produced by `umoci unpack` + this script
# (tests/lab/make-images.sh); rctr's own rootfs must list identically.
set -eu
LC_ALL=C
export LC_ALL
[ $# -ge 1 ] || { echo "usage: $0 ROOT [PATH...]" >&2; exit 2; }
root=${1%/}
shift
[ $# -gt 0 ] || set -- /data /etc/layered-release /usr/local/bin

for p in "$@"; do
  [ -e "$root$p" ] || [ -L "$root$p" ] || { echo "$p|missing|-|-|-|-|-"; continue; }
  find "$root$p"
done | sort -u | while IFS= read -r f; do
  case "$f" in *"|missing|"*) echo "$f"; continue ;; esac
  rel=${f#"$root"}
  # %f = raw mode in hex: decode type and bits with shell arithmetic (GNU and busybox agree
  # on %f; they disagree on the words %F prints, e.g. "regular empty file").
  set -- $(stat -c '%f %u %g %h %d:%i' "$f")
  m=$((0x$1))
  perm=$(printf '%04o' $((m & 07777)))
  nlink=$4
  detail=-
  case $((m & 0170000)) in
    $((0100000))) t=f; detail="sha256=$(sha256sum "$f" | cut -c1-16)" ;;
    $((0040000))) t=d; nlink=- ;;
    $((0120000))) t=l; detail="-> $(readlink "$f")" ;;
    $((0010000))) t=p ;;
    $((0020000))) t=c ;;
    $((0060000))) t=b ;;
    $((0140000))) t=s ;;
    *) t=? ;;
  esac
  echo "$rel|$t|$2:$3|$perm|$nlink|$detail|$5"
done | awk -F'|' -v OFS='|' '
  # 7th field (dev:inode) only serves to name hardlink partners; it is not printed.
  $2 == "f" && $5 > 1 { if ($7 in first) $6 = $6 ",hardlink=" first[$7]; else first[$7] = $1 }
  { NF = 6; print }'
