#!/bin/bash
# tests/lab/setup.sh — prepare this machine for rctr's tests (Debian 12, run as root).
#
# Idempotent and fast when nothing is missing. It:
#   1. installs the Debian packages the tests and benchmarks need (only missing ones),
#   2. creates the test users: rctrtest (whatever uid useradd gives, and a free range of 65536
#      subordinate IDs: 100000:65536 where nobody else has one) and rctrnosub (none), and
#      records both in $LAB_DIR/users.env (tests/lab/subids.sh picks the range),
#   3. makes /dev/fuse and /dev/net/tun usable by users (0666), newuidmap/newgidmap setuid,
#      /run/user/UID 0700 for both users (as logind would),
#   4. gives rctrtest a podman config (the peer, for benchmarks),
#   5. starts the lab registries (tests/lab/registry.sh) and builds/pushes the test images
#      (tests/lab/make-images.sh).
# Lab state: $RCTR_LAB_DIR (default /var/tmp/rctr-lab). Nothing here touches cgroup mounts.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/env.sh"
. "$HERE/subids.sh"
need_root
T0=$(date +%s)
log() { printf '[setup %s] %s\n' "$(date +%T)" "$*"; }

# ------------------------------------------------------------------ 1. packages
PKGS=(
  # user namespaces, rootfs, networking
  uidmap fuse-overlayfs fuse3 slirp4netns passt iproute2 squashfs-tools squashfuse
  # registry and image tooling for the lab
  docker-registry skopeo umoci busybox-static debootstrap apache2-utils jq curl zstd ca-certificates
  # build dependencies of rctr (libseccomp, libslirp FFI)
  libslirp-dev libseccomp-dev pkg-config gcc libc6-dev git
  # tests, benchmarks and the peer
  hyperfine time procps psmisc libcap2-bin attr acl util-linux podman runc dbus
  # packaging (packaging/build.sh)
  rpm dpkg-dev
  # the VM stage (tests/vm: qemu under TCG, image built with debootstrap + mkfs.ext4 -d,
  # rctr copied in with objcopy --strip-debug)
  qemu-system-x86 e2fsprogs binutils
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  # No init system to speak of here: keep postinsts from starting daemons (docker-registry
  # ships an init script that would grab port 5000). Only our own policy file is removed.
  POLICY=/usr/sbin/policy-rc.d
  OURS=0
  if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\n# temporary, from rctr tests/lab/setup.sh\nexit 101\n' > "$POLICY"
    chmod 0755 "$POLICY"
    OURS=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  [ "$OURS" = 1 ] && rm -f "$POLICY"
else
  log "packages: all ${#PKGS[@]} present"
fi

# ------------------------------------------------------------------ 2. users
if ! getent passwd "$LAB_USER" >/dev/null; then
  # Debian's useradd allocates a subordinate range itself (SUB_UID_MIN.. in login.defs).
  useradd -m -s /bin/bash "$LAB_USER"
fi
if ! getent passwd "$LAB_NOSUB_USER" >/dev/null; then
  useradd -m -s /bin/bash -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$LAB_NOSUB_USER"
fi
# rctrnosub must have no range at all (single-ID mode is what its tests are about).
for f in /etc/subuid /etc/subgid; do
  touch "$f"
  if grep -q "^$LAB_NOSUB_USER:" "$f"; then
    sed -i "/^$LAB_NOSUB_USER:/d" "$f"
  fi
done
# rctrtest needs one range of $LAB_SUBID_COUNT IDs, the same in both files, shared with nobody.
# A range it already has that qualifies is kept (whatever its start); otherwise the first free
# one on the $LAB_SUBID_START + k*$LAB_SUBID_COUNT grid is picked (other users' ranges are
# never touched). The tests read the range from /etc/subuid, never assume it.
lab_uid=$(id -u "$LAB_USER")
have=$(subid_own "$LAB_USER" "$lab_uid" /etc/subuid)
if [ -n "$have" ] && [ "$have" = "$(subid_own "$LAB_USER" "$lab_uid" /etc/subgid)" ] &&
   [ "${have#*:}" = "$LAB_SUBID_COUNT" ] &&
   ! subid_overlaps "${have%%:*}" "$LAB_SUBID_COUNT" "$LAB_USER" "$lab_uid" /etc/subuid /etc/subgid; then
  subid_start=${have%%:*}
else
  subid_start=$(subid_pick "$LAB_SUBID_COUNT" "$LAB_SUBID_START" "$LAB_USER" "$lab_uid" /etc/subuid /etc/subgid) ||
    die "no free range of $LAB_SUBID_COUNT subordinate IDs below 2^32 in /etc/subuid + /etc/subgid"
  for f in /etc/subuid /etc/subgid; do
    sed -i "/^$LAB_USER:/d; /^$lab_uid:/d" "$f"
    echo "$LAB_USER:$subid_start:$LAB_SUBID_COUNT" >> "$f"
  done
  log "/etc/subuid, /etc/subgid: $LAB_USER:$subid_start:$LAB_SUBID_COUNT${have:+ (was $have)}"
fi
# What this machine gave the lab, for people and scripts (the tests ask the system itself).
mkdir -p "$LAB_DIR"
chmod 0755 "$LAB_DIR"
users_env=$(mktemp)
cat > "$users_env" <<EOF
# Written by tests/lab/setup.sh: the lab users as this machine has them (source it).
LAB_USER=$LAB_USER
LAB_USER_UID=$lab_uid
LAB_USER_SUBID_START=$subid_start
LAB_USER_SUBID_COUNT=$LAB_SUBID_COUNT
LAB_NOSUB_USER=$LAB_NOSUB_USER
LAB_NOSUB_UID=$(id -u "$LAB_NOSUB_USER")
EOF
if ! cmp -s "$users_env" "$LAB_DIR/users.env"; then
  install -m 0644 "$users_env" "$LAB_DIR/users.env"
  log "$LAB_DIR/users.env: $LAB_USER uid $lab_uid, subordinate IDs $subid_start:$LAB_SUBID_COUNT"
fi
rm -f "$users_env"

# ------------------------------------------------------------------ 3. devices, helpers, runtime dirs
# Some VMs ship these 0600 (distros ship 0666); rootless fuse-overlayfs and slirp need them.
[ -e /dev/fuse ] || mknod -m 0666 /dev/fuse c 10 229
mkdir -p /dev/net
[ -e /dev/net/tun ] || mknod -m 0666 /dev/net/tun c 10 200
chmod 0666 /dev/fuse /dev/net/tun
for b in /usr/bin/newuidmap /usr/bin/newgidmap; do
  [ -x "$b" ] || die "$b missing (package uidmap)"
  if [ ! -u "$b" ] && ! getcap "$b" | grep -q cap_set; then chmod u+s "$b"; fi
done
for u in "$LAB_USER" "$LAB_NOSUB_USER"; do
  uid=$(id -u "$u")
  install -d -m 0755 /run/user
  install -d -m 0700 -o "$u" -g "$u" "/run/user/$uid"
  chmod 0700 "/run/user/$uid"
done

# ------------------------------------------------------------------ 4. podman config for rctrtest
H=$(getent passwd "$LAB_USER" | cut -d: -f6)
C=$H/.config/containers
install -d -m 0755 -o "$LAB_USER" -g "$LAB_USER" "$H/.config" "$C"
write_user_file() {  # path (content on stdin): replace only when different
  local t; t=$(mktemp)
  cat > "$t"
  if ! cmp -s "$t" "$1"; then install -m 0644 -o "$LAB_USER" -g "$LAB_USER" "$t" "$1"; fi
  rm -f "$t"
}
write_user_file "$C/registries.conf" <<EOF
unqualified-search-registries = ["$LAB_REG"]

[[registry]]
location = "$LAB_REG"
insecure = true

[[registry]]
location = "$LAB_AUTH_REG"
insecure = true
EOF
# No systemd user session here: cgroupfs manager, file events. crun refuses this host's hybrid
# cgroups ("cgroups in hybrid mode not supported"), runc works.
write_user_file "$C/containers.conf" <<'EOF'
[containers]
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
EOF
write_user_file "$C/storage.conf" <<'EOF'
[storage]
driver = "overlay"
EOF

# ------------------------------------------------------------------ 5. registries and images
mkdir -p "$LAB_DIR"
chmod 0755 "$LAB_DIR"
"$HERE/registry.sh" start
"$HERE/make-images.sh"
log "lab ready in $(($(date +%s) - T0)) s: registries $LAB_REG and $LAB_AUTH_REG, users $LAB_USER (uid $lab_uid, subordinate IDs $subid_start:$LAB_SUBID_COUNT) and $LAB_NOSUB_USER ($(id -u "$LAB_NOSUB_USER")), state $LAB_DIR"
