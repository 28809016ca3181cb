#!/bin/bash
# packaging/build.sh [--check] [--no-rpm] [--profile release|dev]
#
# Builds rctr_<version>_<arch>.deb (dpkg-deb, from a staged tree) and rctr-<version>-1.<arch>.rpm
# (rpmbuild with packaging/rctr.spec, from the same staged tree) out of a cargo release build,
# into target/packages/. Contents: /usr/bin/rctr (stripped), man pages (man/*.1, gzipped),
# bash/zsh/fish completions (completions/), README.
# --check: afterwards verify that both packages list the binary, every man page and every
# completion, and that the .deb's binary runs (--version).
# --profile dev: package the debug build instead of a release build. CI uses it to check the
# packaging itself without a second full (LTO) compile, which costs ~6 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
CHECK=0
RPM=1
PROFILE=release
while [ $# -gt 0 ]; do
  case $1 in
    --check) CHECK=1 ;;
    --no-rpm) RPM=0 ;;
    --profile) PROFILE=${2:-}; shift ;;
    *) echo "usage: $0 [--check] [--no-rpm] [--profile release|dev]" >&2; exit 2 ;;
  esac
  shift
done
case $PROFILE in
  release) TARGET_SUBDIR=release ;;
  dev) TARGET_SUBDIR=debug ;;
  *) echo "packaging/build.sh: unknown profile '$PROFILE' (release or dev)" >&2; exit 2 ;;
esac
if ! command -v cargo >/dev/null; then
  for d in "${HOME:-/root}/.cargo/bin" /root/.cargo/bin; do [ -x "$d/cargo" ] && PATH="$d:$PATH" && break; done
fi
die() { echo "packaging/build.sh: $*" >&2; exit 1; }
command -v dpkg-deb >/dev/null || die "dpkg-deb missing"

VERSION=$(cargo metadata --no-deps --format-version 1 | jq -r '.packages[] | select(.name=="rctr") | .version')
DEB_ARCH=$(dpkg --print-architecture)
RPM_ARCH=$(uname -m)
OUT=$REPO/target/packages
STAGE=$OUT/stage
mkdir -p "$OUT"

cargo build --profile "$PROFILE" --bin rctr
ls man/*.1 >/dev/null 2>&1 || die "man/ is empty: run scripts/gen-docs.sh"

# ------------------------------------------------------------------ staged tree (/usr)
rm -rf "$STAGE"
install -D -m 0755 "target/$TARGET_SUBDIR/rctr" "$STAGE/usr/bin/rctr"
strip --strip-unneeded "$STAGE/usr/bin/rctr"
for m in man/*.1; do
  install -D -m 0644 "$m" "$STAGE/usr/share/man/man1/$(basename "$m")"
  gzip -9n "$STAGE/usr/share/man/man1/$(basename "$m")"
done
install -D -m 0644 completions/rctr.bash "$STAGE/usr/share/bash-completion/completions/rctr"
install -D -m 0644 completions/_rctr "$STAGE/usr/share/zsh/vendor-completions/_rctr"
install -D -m 0644 completions/rctr.fish "$STAGE/usr/share/fish/vendor_completions.d/rctr.fish"
install -D -m 0644 README.md "$STAGE/usr/share/doc/rctr/README.md"

# ------------------------------------------------------------------ .deb
# Shared-library dependencies: the Debian package owning each library the binary links.
libdeps=$(ldd "$STAGE/usr/bin/rctr" | awk '$3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u |
  while read -r lib; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true; done |
  cut -d: -f1 | sort -u | paste -sd, | sed 's/,/, /g')
DEB_ROOT=$OUT/deb-root
rm -rf "$DEB_ROOT"
cp -a "$STAGE" "$DEB_ROOT"
install -d "$DEB_ROOT/DEBIAN"
cat > "$DEB_ROOT/DEBIAN/control" <<CONTROL
Package: rctr
Version: $VERSION
Architecture: $DEB_ARCH
Maintainer: rctr developers <rctr@example.invalid>
Installed-Size: $(du -sk "$STAGE" | cut -f1)
Depends: ${libdeps:+$libdeps, }uidmap, fuse-overlayfs
Recommends: slirp4netns, passt
Section: admin
Priority: optional
Homepage: https://example.invalid/rctr
Description: rootless, daemonless containers with podman's command line
 rctr runs OCI containers as the calling, unprivileged user: no daemon, no
 root, no setuid binary of its own. User namespaces (newuidmap/newgidmap and
 /etc/subuid, or single-ID mode), native rootless overlayfs (or
 fuse-overlayfs), images from OCI registries, podman's flags, output formats
 and exit codes.
CONTROL
DEB=$OUT/rctr_${VERSION}_${DEB_ARCH}.deb
dpkg-deb --root-owner-group -Zxz --build "$DEB_ROOT" "$DEB" >/dev/null
echo "built $DEB ($(stat -c %s "$DEB") bytes; Depends: ${libdeps:+$libdeps, }uidmap, fuse-overlayfs)"

# ------------------------------------------------------------------ .rpm
RPMF=
if [ "$RPM" = 1 ]; then
  command -v rpmbuild >/dev/null || die "rpmbuild missing (Debian package rpm; tests/lab/setup.sh installs it)"
  TOP=$OUT/rpmbuild
  rm -rf "$TOP"
  mkdir -p "$TOP"/{BUILD,RPMS,SOURCES,SPECS,SRPMS,BUILDROOT}
  rpmbuild -bb --quiet --nodeps \
    --define "_topdir $TOP" \
    --define "rctr_version $VERSION" \
    --define "rctr_arch $RPM_ARCH" \
    --define "rctr_stage $STAGE" \
    --define "_binary_payload w6.xzdio" \
    packaging/rctr.spec
  RPMF=$(find "$TOP/RPMS" -name 'rctr-*.rpm' | head -1)
  [ -n "$RPMF" ] || die "rpmbuild produced no package"
  cp "$RPMF" "$OUT/"
  RPMF=$OUT/$(basename "$RPMF")
  echo "built $RPMF ($(stat -c %s "$RPMF") bytes)"
fi

# ------------------------------------------------------------------ --check
if [ "$CHECK" = 1 ]; then
  want=(/usr/bin/rctr /usr/share/bash-completion/completions/rctr
        /usr/share/zsh/vendor-completions/_rctr /usr/share/fish/vendor_completions.d/rctr.fish)
  for m in man/*.1; do want+=("/usr/share/man/man1/$(basename "$m").gz"); done
  deb_c=$(dpkg-deb -c "$DEB")
  deb_list=$(awk '{print $6}' <<<"$deb_c" | sed 's|^\./|/|')
  bad=0
  for f in "${want[@]}"; do
    grep -qxF "$f" <<<"$deb_list" || { echo "MISSING in .deb: $f" >&2; bad=1; }
  done
  grep -q '^-rwxr-xr-x root/root .* \./usr/bin/rctr$' <<<"$deb_c" || { echo ".deb: /usr/bin/rctr not 0755 root:root" >&2; bad=1; }
  if [ -n "$RPMF" ]; then
    rpm_list=$(rpm -qlp "$RPMF" 2>/dev/null)
    for f in "${want[@]}"; do
      grep -qxF "$f" <<<"$rpm_list" || { echo "MISSING in .rpm: $f" >&2; bad=1; }
    done
  fi
  x=$(mktemp -d)
  dpkg-deb -x "$DEB" "$x"
  "$x/usr/bin/rctr" --version | grep -qx "rctr $VERSION" || { echo ".deb: rctr --version is not 'rctr $VERSION'" >&2; bad=1; }
  rm -rf "$x"
  [ "$bad" = 0 ] || die "package check failed"
  echo "package check: ok (${#want[@]} paths in the .deb${RPMF:+ and the .rpm}, binary runs)"
fi
