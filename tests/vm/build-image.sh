#!/bin/bash
# tests/vm/build-image.sh OUTDIR SUITE=KERNEL.deb... — build one VM image (as root).
#
# Normally called by vm_image (tests/vm/lib.sh), which computes OUTDIR from a hash of this
# file + tests/vm/image/* + the recipe knobs and skips the build when OUTDIR/ok exists. By
# hand (to debug the build): `. tests/vm/lib.sh; vm_image` or RCTR_VM_REFRESH=1 tests/vm/matrix.sh.
#
# Produces in OUTDIR:
#   rootfs.img          raw ext4 (sparse), a Debian 12 minbase with systemd, booted read-only
#                       by qemu (snapshot=on: writes are thrown away at poweroff)
#   boot/vmlinuz-REL, boot/initrd.img-REL   one pair per kernel (for qemu -kernel/-initrd)
#   kernels.txt         "SHORT RELEASE SUITE" per kernel, e.g. "6.1 6.1.0-50-amd64 bookworm"
#   packages.txt        dpkg -l of the image;  ok   written last (the cache marker)
#
# Recipe (env, from lib.sh): VM_EXTRA_PACKAGES (apt-get install in the chroot), VM_IMAGE_HOOKS
# (scripts run with /bin/bash in the chroot after the packages, before the kernels),
# VM_MIRROR. The kernels come from other Debian releases: they are unpacked with
# `dpkg -i --force-depends` (their Depends name newer kmod/linux-base than bookworm has; the
# bookworm ones work) and their postinst builds each initrd with bookworm's initramfs-tools.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HERE/lib.sh"
[ "$(id -u)" = 0 ] || vm_die "build-image.sh: run as root"
[ $# -ge 2 ] || vm_die "usage: build-image.sh OUTDIR SUITE=KERNEL.deb..."
OUT=$1; shift
TMP=$OUT.tmp
ROOT=$TMP/root
T0=$SECONDS
step() { printf '[build-image %s +%ss] %s\n' "$(date +%T)" "$((SECONDS - T0))" "$*"; }

cleanup() {
  # Only what this script mounted, inside its own tree; never anything of the host's.
  if mountpoint -q "$ROOT/proc" 2>/dev/null; then umount "$ROOT/proc" || umount -l "$ROOT/proc"; fi
  if mountpoint -q "$ROOT/dev/pts" 2>/dev/null; then umount "$ROOT/dev/pts" || true; fi
}
trap cleanup EXIT
rm -rf "$TMP" "$OUT"
mkdir -p "$TMP" "$VM_DIR/debootstrap"

# ------------------------------------------------------------------ 1. debootstrap
# What the stages need in the guest: systemd with logind + a user manager and user bus
# (lingering), rctr's helpers (uidmap, fuse-overlayfs), its shared libraries (libseccomp2;
# the payload checks `ldd rctr` at every boot), kernels' initrd tooling, the lab registry
# (docker-registry, served on the guest's own 127.0.0.1), hyperfine and script(1) (bsdutils,
# in minbase) for the payload, and a few tools to debug with (strace, curl, iproute2).
# slirp4netns/passt: `rctr doctor` checks them, and user-mode networking will need them.
# ca-certificates: every Debian system has them (rctr's HTTP client refuses to start without).
INCLUDE=(
  systemd systemd-sysv dbus dbus-user-session libpam-systemd
  uidmap fuse-overlayfs fuse3 libseccomp2
  initramfs-tools kmod linux-base xz-utils
  util-linux procps hyperfine docker-registry
  slirp4netns passt iproute2 curl strace less ca-certificates
)
step "debootstrap --variant=minbase bookworm (${#INCLUDE[@]} extra packages, cache $VM_DIR/debootstrap)"
debootstrap --variant=minbase --cache-dir="$VM_DIR/debootstrap" \
  --include="$(IFS=,; echo "${INCLUDE[*]}")" bookworm "$ROOT" "$VM_MIRROR"

# Daemons must not start inside the chroot (docker-registry's postinst would try).
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOT/proc"
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

# ------------------------------------------------------------------ 2. extra packages, hooks
if [ -n "$VM_EXTRA_PACKAGES" ]; then
  step "apt-get install $VM_EXTRA_PACKAGES"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  in_root apt-get update -q
  # shellcheck disable=SC2086
  in_root apt-get install -y -q --no-install-recommends $VM_EXTRA_PACKAGES
  rm -f "$ROOT/etc/resolv.conf"
fi
for h in $VM_IMAGE_HOOKS; do
  step "hook $h"
  install -m 0755 "$h" "$ROOT/tmp/rctr-vm-hook"
  in_root /bin/bash /tmp/rctr-vm-hook
  rm -f "$ROOT/tmp/rctr-vm-hook"
done

# ------------------------------------------------------------------ 3. system configuration
step "configure"
echo rctr-vm > "$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost rctr-vm\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$ROOT/etc/hosts"
# Root is a virtio disk mounted rw from the kernel command line; no fsck (snapshot disk).
echo '/dev/vda / ext4 rw,noatime 0 0' > "$ROOT/etc/fstab"
# A fixed machine-id: an empty one would make every boot a "first boot" (slower, and
# systemd-firstboot would ask questions on the console).
in_root systemd-machine-id-setup >/dev/null
mkdir -p "$ROOT/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nForwardToConsole=no\n' > "$ROOT/etc/systemd/journald.conf.d/rctr-vm.conf"
# Small initrds: only what mounting the root disk (and the 9p share) takes. MODULES=most
# would give 30+ MB initrds that TCG takes seconds to unpack. gzip: every kernel here reads it.
cat > "$ROOT/etc/initramfs-tools/conf.d/rctr-vm.conf" <<'EOF'
MODULES=list
COMPRESS=gzip
EOF
cat >> "$ROOT/etc/initramfs-tools/modules" <<'EOF'
# rctr VM: root on virtio-blk (ext4), share over virtio 9p
virtio_pci
virtio_blk
ext4
9pnet_virtio
9p
EOF
# Users may open /dev/fuse and /dev/net/tun (fuse-overlayfs, slirp/pasta). udev's default
# rules say 0666 too; the tmpfiles lines (after kmod-static-nodes made the nodes) cover a
# boot where udev has not run yet.
cat > "$ROOT/etc/udev/rules.d/70-rctr-vm.rules" <<'EOF'
KERNEL=="fuse", MODE="0666"
KERNEL=="tun", MODE="0666"
EOF
cat > "$ROOT/etc/tmpfiles.d/rctr-vm-devices.conf" <<'EOF'
z /dev/fuse 0666 root root -
z /dev/net/tun 0666 root root -
EOF

# Boot time is what the matrix pays three times: no gettys (the console belongs to the
# payload), no timers, nothing that waits for a network, no first-boot or update jobs. The
# lab registry is started by the payload with its own config (guest-lib.sh).
MASK=(
  getty@.service serial-getty@.service console-getty.service
  apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer fstrim.timer
  e2scrub_all.timer e2scrub_reap.service man-db.timer
  docker-registry.service
  systemd-networkd-wait-online.service systemd-pstore.service systemd-firstboot.service
  systemd-hwdb-update.service ldconfig.service systemd-update-done.service
  systemd-journal-catalog-update.service systemd-machine-id-commit.service
  systemd-timesyncd.service systemd-binfmt.service
  proc-sys-fs-binfmt_misc.automount sys-kernel-debug.mount sys-kernel-tracing.mount
  sys-kernel-config.mount dev-hugepages.mount dev-mqueue.mount
  systemd-update-utmp.service systemd-update-utmp-runlevel.service systemd-random-seed.service
  systemd-journal-flush.service modprobe@drm.service modprobe@dm_mod.service
  systemd-pcrphase.service systemd-pcrphase-sysinit.service systemd-repart.service
  # udev: the devices the guest needs are bound in the initrd already (virtio) or static
  # (/dev/fuse, /dev/net/tun from kmod-static-nodes, modes from the tmpfiles lines above);
  # its coldplug of every device costs seconds under TCG. A stage that needs udev (hotplug,
  # device units) unmasks it in a hook: rm /etc/systemd/system/systemd-udev*.
  systemd-udevd.service systemd-udev-trigger.service systemd-udev-settle.service
  systemd-udevd-control.socket systemd-udevd-kernel.socket
)
for u in "${MASK[@]}"; do ln -sf /dev/null "$ROOT/etc/systemd/system/$u"; done
# Generators run before any unit, one exec each: keep fstab, debug (systemd.mask= on the
# command line) and run; the others look for hardware, crypto, sysv scripts or gettys.
mkdir -p "$ROOT/etc/systemd/system-generators"
for g in cryptsetup gpt-auto hibernate-resume integritysetup rc-local system-update sysv \
         veritysetup getty; do
  ln -sf /dev/null "$ROOT/etc/systemd/system-generators/systemd-$g-generator"
done
ln -sf /lib/systemd/system/multi-user.target "$ROOT/etc/systemd/system/default.target"
install -m 0644 "$HERE/image/rctr-vm.service" "$ROOT/etc/systemd/system/rctr-vm.service"
install -m 0755 "$HERE/image/rctr-vm-entry" "$ROOT/usr/local/sbin/rctr-vm-entry"
mkdir -p "$ROOT/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/rctr-vm.service "$ROOT/etc/systemd/system/multi-user.target.wants/rctr-vm.service"

# ------------------------------------------------------------------ 4. users
# rctrtest: subordinate IDs allocated by Debian's useradd (the payload reads the range; the
# tests never assume numbers) and lingering, so logind starts user@UID.service at boot: a
# real user manager, /run/user/UID and a user bus. rctrnosub: no subordinate IDs at all.
step "users"
touch "$ROOT/etc/subuid" "$ROOT/etc/subgid"
in_root useradd -m -s /bin/bash "$LAB_USER"
in_root useradd -m -s /bin/bash -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$LAB_NOSUB_USER"
grep -q "^$LAB_USER:" "$ROOT/etc/subuid" || in_root usermod --add-subuids 100000-165535 --add-subgids 100000-165535 "$LAB_USER"
sed -i "/^$LAB_NOSUB_USER:/d" "$ROOT/etc/subuid" "$ROOT/etc/subgid"
mkdir -p "$ROOT/var/lib/systemd/linger"
touch "$ROOT/var/lib/systemd/linger/$LAB_USER"
echo "users: $(grep "^$LAB_USER:" "$ROOT/etc/passwd" | cut -d: -f1,3) subuid $(grep "^$LAB_USER:" "$ROOT/etc/subuid"); $(grep "^$LAB_NOSUB_USER:" "$ROOT/etc/passwd" | cut -d: -f1,3)"

# ------------------------------------------------------------------ 5. kernels
step "kernels: $*"
mkdir -p "$ROOT/tmp/kernels"
: > "$TMP/kernels.txt"
for arg in "$@"; do
  suite=${arg%%=*}
  deb=${arg#*=}
  [ -f "$deb" ] || vm_die "kernel package $deb missing"
  pkg=$(dpkg-deb -f "$deb" Package)
  rel=${pkg#linux-image-}
  short=$(echo "$rel" | cut -d. -f1,2)
  cp "$deb" "$ROOT/tmp/kernels/"
  echo "$short $rel $suite" >> "$TMP/kernels.txt"
done
# One dpkg run for all: each postinst builds its initrd (the initramfs-tools hook).
in_root sh -c 'dpkg -i --force-depends /tmp/kernels/*.deb'
rm -rf "$ROOT/tmp/kernels"

# Modules nobody needs in a VM with a virtio disk, a 9p share and no NIC: hardware drivers
# are most of the 300–500 MB per kernel. Kept: filesystems (fuse, overlay, nfs…), netfilter,
# virtual network devices (tun, veth, dummy, bridge), virtio, block, crypto, char.
step "strip modules"
while read -r short rel suite; do
  for base in "$ROOT/usr/lib/modules/$rel/kernel" "$ROOT/lib/modules/$rel/kernel"; do
    [ -d "$base" ] && break
  done
  [ -d "$base" ] || vm_die "no modules for $rel"
  before=$(du -sm "$base" | cut -f1)
  (cd "$base" && rm -rf sound \
    drivers/gpu drivers/media drivers/infiniband drivers/staging drivers/iio drivers/bluetooth \
    drivers/usb drivers/isdn drivers/hid drivers/input drivers/scsi drivers/ata drivers/mmc \
    drivers/mtd drivers/hwmon drivers/video drivers/platform drivers/thunderbolt drivers/nfc \
    drivers/leds drivers/power drivers/i2c drivers/spi drivers/gpio drivers/pinctrl drivers/mfd \
    drivers/edac drivers/firewire drivers/pcmcia drivers/w1 drivers/target drivers/nvme \
    drivers/atm drivers/hv drivers/xen drivers/watchdog drivers/comedi drivers/net/wireless \
    drivers/net/ethernet drivers/net/usb drivers/net/can drivers/net/wan drivers/net/hamradio \
    drivers/net/ieee802154 drivers/net/phy drivers/net/dsa drivers/net/pcs drivers/net/fddi \
    drivers/soundwire drivers/misc/mei drivers/accel drivers/cxl drivers/counter drivers/fpga \
    drivers/extcon drivers/regulator drivers/rtc drivers/parport drivers/crypto drivers/md/bcache \
    net/wireless net/mac80211 net/bluetooth net/nfc net/ieee802154 net/mac802154 net/6lowpan \
    net/can net/atm net/dsa)
  in_root depmod -a "$rel"
  echo "  $rel ($suite): modules ${before} MB → $(du -sm "$base" | cut -f1) MB"
  [ -s "$ROOT/boot/initrd.img-$rel" ] || vm_die "no initrd for $rel (dpkg output above)"
  # (to a file: grep -q closing the pipe early would fail the pipeline under pipefail)
  in_root lsinitramfs "/boot/initrd.img-$rel" > "$TMP/initrd-$rel.txt"
  for m in virtio_pci virtio_blk ext4 9pnet_virtio 9p; do
    grep -Eq "/$m\.ko(\.xz|\.zst)?$" "$TMP/initrd-$rel.txt" ||
      grep -q "/$m\.ko$" "$ROOT/usr/lib/modules/$rel/modules.builtin" ||
      vm_die "initrd.img-$rel lacks $m.ko (and it is not built in)"
  done
  rm -f "$TMP/initrd-$rel.txt"
done < "$TMP/kernels.txt"

# ------------------------------------------------------------------ 6. clean, pack
step "clean and pack"
in_root dpkg -l > "$TMP/packages.txt"
rm -f "$ROOT/usr/sbin/policy-rc.d"
cleanup
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/* "$ROOT"/var/cache/debconf/*-old \
  "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* \
  "$ROOT"/var/log/*.log "$ROOT"/tmp/* "$ROOT/debootstrap"
find "$ROOT/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'C.*' -exec rm -rf {} + 2>/dev/null || true
mkdir -p "$TMP/boot"
while read -r short rel suite; do
  cp "$ROOT/boot/vmlinuz-$rel" "$ROOT/boot/initrd.img-$rel" "$TMP/boot/"
done < "$TMP/kernels.txt"
# Free space for the payload's stores (the debian image alone is ~120 MB unpacked per user).
used=$(du -sm "$ROOT" | cut -f1)
size=$((used + 1536))
# orphan_file (on by default in e2fsprogs 1.47) is unknown to kernels before 5.15: 5.10 would
# mount the root read-only.
mkfs.ext4 -q -F -L rctr-vm -O ^orphan_file -d "$ROOT" "$TMP/rootfs.img" "${size}M"
rm -rf "$ROOT"
date -u +%FT%TZ > "$TMP/ok"
mv "$TMP" "$OUT"
step "done: $OUT (${used} MB used of ${size} MB)"
cat "$OUT/kernels.txt"
