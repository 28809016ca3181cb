#!/bin/bash
# tests/lab/make-images.sh [--force] [--update-golden]
#
# Builds the test images offline (umoci + skopeo, reproducible tars) and pushes them to the lab
# registries (tests/lab/registry.sh start first; setup.sh does both). Run as root: the layers
# carry files owned by 1000 and 65534, setuid/setgid bits and a fifo.
#
#   127.0.0.1:5100/busybox:latest   1 gzip layer, OCI manifest as umoci writes it (no mediaType)
#   127.0.0.1:5100/busybox:v2s2     same layer, Docker schema2 manifest
#   127.0.0.1:5100/busybox:zstd     same content, zstd layer (mediaType ...tar+zstd, verified)
#   127.0.0.1:5100/busybox:multi    OCI index: linux/amd64 + linux/arm64/v8
#   127.0.0.1:5100/layered:latest   busybox + 3 layers of whiteouts/opaque/hardlinks/... (below)
#   127.0.0.1:5100/debian:bookworm  debootstrap --variant=minbase bookworm, 1 layer, Cmd /bin/bash
#   127.0.0.1:5101/busybox:latest   on the htpasswd registry (rctr / rctrpass)
#
# The merged view of `layered` is unpacked by umoci (an independent implementation) and listed
# with tests/lab/list-tree.sh; the build FAILS when that differs from the committed golden file
# tests/lab/golden/layered.txt (`--update-golden` rewrites it after an intended change).
#
# Fast path: when the registry already holds every image and the inputs (these scripts, the
# busybox binaries, the cached debootstrap) are unchanged, nothing is rebuilt.
# State: $LAB_DIR/{build,oci,oci-zstd,cache,export}; the debootstrap rootfs and the arm64 .deb
# are cached in $LAB_DIR/cache. For benchmarks: $LAB_DIR/export/busybox-oci (OCI layout, tag
# latest), $LAB_DIR/export/busybox-bundle (runtime bundle: config.json + rootfs, unpacked by
# umoci as root) and $LAB_DIR/export/busybox-rootfs (the plain rootfs dir).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/env.sh"
need_root

FORCE=0
UPDATE_GOLDEN=0
for a in "$@"; do
  case $a in
    --force) FORCE=1 ;;
    --update-golden) UPDATE_GOLDEN=1; FORCE=1 ;;
    *) die "usage: $0 [--force] [--update-golden]" ;;
  esac
done

BUILD=$LAB_DIR/build
OCI=$LAB_DIR/oci
CACHE=$LAB_DIR/cache
EXPORT=$LAB_DIR/export
GOLDEN=$HERE/golden/layered.txt
EPOCH=1704067200   # 2024-01-01T00:00:00Z: fixed timestamps make the tars and digests reproducible
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
SKOPEO=(skopeo --insecure-policy)
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mkdir -p "$BUILD" "$CACHE" "$EXPORT"
chmod 0755 "$LAB_DIR"

log() { printf '[make-images %s] %s\n' "$(date +%T)" "$*"; }

for r in "$LAB_REG" "$LAB_AUTH_REG"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://$r/v2/" || true)
  [ "$code" = 200 ] || [ "$code" = 401 ] || die "registry $r does not answer: run tests/lab/registry.sh start"
done

mirror() {
  local m
  m=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$m" ] || m=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if ($i ~ /^https?:/){print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$m" ] || die "no Debian mirror found in the host's apt sources: set MIRROR=URL"
  echo "$m"
}
MIRROR=${MIRROR:-$(mirror)}

# ------------------------------------------------------------------ fast path
ACCEPT='application/vnd.oci.image.manifest.v1+json,application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json'
has_ref() {  # registry repo tag [curl auth args...]
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' -I -H "Accept: $ACCEPT" "${@:4}" "http://$1/v2/$2/manifests/$3" || true)
  [ "$code" = 200 ]
}
all_present() {
  local ref
  for ref in busybox:latest busybox:v2s2 busybox:zstd busybox:multi layered:latest debian:bookworm; do
    has_ref "$LAB_REG" "${ref%%:*}" "${ref#*:}" || return 1
  done
  has_ref "$LAB_AUTH_REG" busybox latest -u "$LAB_AUTH_USER:$LAB_AUTH_PASS"
}
inputs_hash() {
  {
    cat "$HERE/make-images.sh" "$HERE/list-tree.sh" "$HERE/env.sh" "$GOLDEN" 2>/dev/null
    sha256sum /bin/busybox
    ls "$CACHE"/arm64/dl/*.deb 2>/dev/null || true
    cat "$CACHE/debian-rootfs.stamp" 2>/dev/null || true
  } | sha256sum | cut -d' ' -f1
}
STAMP=$LAB_DIR/images.stamp
if [ "$FORCE" = 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(inputs_hash)" ] && all_present &&
   [ -d "$EXPORT/busybox-bundle/rootfs" ]; then
  log "images up to date in $LAB_REG and $LAB_AUTH_REG (inputs unchanged; --force rebuilds)"
  exit 0
fi
rm -f "$STAMP"
T0=$(date +%s)

# ------------------------------------------------------------------ helpers
# Deterministic tar of the CONTENTS of dir $1 into $2: sorted, fixed mtimes, numeric owners,
# no "./" prefix, no atime/ctime pax records.
mktar() {
  local dir=$1 out=$2; shift 2
  (cd "$dir" && LC_ALL=C tar --sort=name --mtime="@$EPOCH" --clamp-mtime --numeric-owner \
     --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
     "$@" -cf "$out" $(LC_ALL=C ls -A))
}

# busybox rootfs: $1 busybox binary (static), $2 target dir, $3 applet list (--list-full)
busybox_rootfs() {
  local bin=$1 root=$2 applets=$3 a
  rm -rf "$root"
  mkdir -p "$root"
  (
    cd "$root"
    install -d -m 0755 bin sbin usr usr/bin usr/sbin etc dev proc sys var var/www home
    install -d -m 0700 root
    install -d -m 1777 tmp
    install -m 0755 "$bin" bin/busybox
    while read -r a; do
      [ -n "$a" ] && [ "$a" != bin/busybox ] && [ ! -e "$a" ] && ln -s /bin/busybox "$a"
    done < "$applets"
    cat > etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
user:x:1000:1000:Linux User:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
    cat > etc/group <<'EOF'
root:x:0:
daemon:x:1:
bin:x:2:
tty:x:5:
www-data:x:33:
user:x:1000:
nogroup:x:65534:
EOF
    chmod 0644 etc/passwd etc/group
    echo '<h1>hello from the rctr lab</h1>' > var/www/index.html
    install -d -m 0755 -o 1000 -g 1000 home/user
  )
}

new_image() {  # tag arch cmd
  umoci new --image "$OCI:$1"
  umoci config --image "$OCI:$1" --no-history --created "$CREATED" --author "rctr lab" \
    --os linux --architecture "$2" --config.env "PATH=$IMAGE_PATH" --config.cmd "$3"
}
add_layer() {  # tag tar comment
  umoci raw add-layer --image "$OCI:$1" --history.created "$CREATED" \
    --history.created_by "tests/lab/make-images.sh: $3" "$2"
}
desc_of() {  # tag -> its descriptor in index.json
  jq -c --arg t "$1" '.manifests[] | select(.annotations."org.opencontainers.image.ref.name"==$t)' "$OCI/index.json"
}
blob() { echo "$OCI/blobs/sha256/${1#sha256:}"; }
put_blob() {  # file -> "sha256:HEX SIZE"
  local d; d=$(sha256sum "$1" | cut -d' ' -f1)
  cp "$1" "$OCI/blobs/sha256/$d"
  echo "sha256:$d $(stat -c %s "$1")"
}
set_index_entry() {  # tag digest size mediaType
  jq --arg t "$1" --arg d "$2" --argjson s "$3" --arg m "$4" \
    '.manifests = ([.manifests[] | select(.annotations."org.opencontainers.image.ref.name"!=$t)]
       + [{mediaType:$m, digest:$d, size:$s, annotations:{"org.opencontainers.image.ref.name":$t}}])' \
    "$OCI/index.json" > "$OCI/index.json.new"
  mv "$OCI/index.json.new" "$OCI/index.json"
}
# umoci has no --variant: rewrite config and manifest by hand (arm64 must say v8).
set_variant() {  # tag variant
  local md cd ncd ncs nmd nms t; t=$(mktemp -d)
  md=$(desc_of "$1" | jq -r .digest)
  cd=$(jq -r .config.digest "$(blob "$md")")
  jq -c --arg v "$2" '. + {variant: $v}' "$(blob "$cd")" > "$t/config"
  read -r ncd ncs < <(put_blob "$t/config")
  jq -c --arg d "$ncd" --argjson s "$ncs" '.config.digest = $d | .config.size = $s' "$(blob "$md")" > "$t/manifest"
  read -r nmd nms < <(put_blob "$t/manifest")
  set_index_entry "$1" "$nmd" "$nms" application/vnd.oci.image.manifest.v1+json
  rm -rf "$t"
}

rm -rf "$OCI"
umoci init --layout "$OCI"

# ------------------------------------------------------------------ busybox (amd64)
[ -x /bin/busybox ] || die "/bin/busybox missing: install busybox-static (tests/lab/setup.sh)"
/bin/busybox --list-full > "$BUILD/applets.txt"
busybox_rootfs /bin/busybox "$BUILD/busybox-rootfs" "$BUILD/applets.txt"
mktar "$BUILD/busybox-rootfs" "$BUILD/busybox.tar"
new_image busybox amd64 /bin/sh
add_layer busybox "$BUILD/busybox.tar" "busybox-static $(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || echo '?')"
log "busybox built"

# ------------------------------------------------------------------ layered
# Layer 1 is the busybox layer; layers 2-4 exercise the OCI layer rules (image-spec
# layer.md: "Whiteouts", "Opaque whiteout", hardlinks, changesets).
L=$BUILD/layered
rm -rf "$L"
mkdir -p "$L/l2" "$L/l3" "$L/l4"
(
  cd "$L/l2"
  install -d -m 0755 data data/opaque data/doomed-dir data/doomed-dir/sub usr usr/local usr/local/bin
  echo 'version 1' > data/modified.txt
  echo 'this file is whited out by layer 3' > data/doomed-file.txt
  echo 'gone with its directory' > data/doomed-dir/sub/deep.txt
  echo 'gone too' > data/doomed-dir/old.txt
  echo 'hidden by the opaque marker' > data/opaque/old-a.txt
  echo 'also hidden' > data/opaque/old-b.txt
  echo 'one inode, two names' > data/hardlink-1.txt
  ln data/hardlink-1.txt data/hardlink-2.txt
  ln -s modified.txt data/symlink-relative
  ln -s /etc/passwd data/symlink-absolute
  ln -s no/such/target data/symlink-dangling
  mkfifo -m 0640 data/fifo
  echo 'a file that becomes a directory' > data/file-to-dir
  install -d -m 0750 -o 1000 -g 1000 data/owned-by-user
  echo 'uid 1000' > data/owned-by-user/file.txt
  chown 1000:1000 data/owned-by-user/file.txt
  echo 'uid 65534' > data/owned-by-nobody.txt
  chown 65534:65534 data/owned-by-nobody.txt
  chmod 0600 data/owned-by-nobody.txt
  install -d -m 2775 -o 0 -g 1000 data/setgid-dir
  install -m 4755 /bin/busybox usr/local/bin/setuid-busybox
  install -m 2755 -g 65534 /bin/busybox usr/local/bin/setgid-busybox
)
(
  cd "$L/l3"
  install -d -m 0755 data data/opaque
  : > data/.wh.doomed-file.txt       # file whiteout
  : > data/.wh.doomed-dir            # directory whiteout (the whole subtree)
  : > data/opaque/.wh..wh..opq       # opaque directory: lower entries hidden, dir kept
  echo 'new in the opaque dir' > data/opaque/new.txt
  echo 'version 2' > data/modified.txt
  rm -f data/file-to-dir
  install -d -m 0755 data/file-to-dir   # file replaced by a directory
  echo 'inside what used to be a file' > data/file-to-dir/inside.txt
)
(
  cd "$L/l4"
  install -d -m 0755 data data/doomed-dir etc
  echo 'recreated after the whiteout' > data/doomed-dir/reborn.txt   # dir re-created
  : > data/.wh.never-existed            # whiteout of nothing: must be harmless
  echo 'layered 1' > etc/layered-release
)
for i in 2 3 4; do mktar "$L/l$i" "$L/l$i.tar"; done
new_image layered amd64 /bin/sh
add_layer layered "$BUILD/busybox.tar" "busybox-static (same layer as busybox:latest)"
add_layer layered "$L/l2.tar" "data, hardlinks, symlinks, fifo, owners, setuid/setgid"
add_layer layered "$L/l3.tar" "whiteouts, opaque dir, modified file, file to dir"
add_layer layered "$L/l4.tar" "dir re-created after whiteout, whiteout of nothing"
log "layered built"

# The merged view according to umoci, listed and compared with the golden file.
rm -rf "$BUILD/layered-bundle"
umoci unpack --image "$OCI:layered" "$BUILD/layered-bundle" >/dev/null
"$HERE/list-tree.sh" "$BUILD/layered-bundle/rootfs" > "$BUILD/layered.txt"
# Sanity of the golden view itself, stated independently of any unpacker.
check_view() {
  local v=$BUILD/layered.txt
  grep -q '^/data/doomed-file.txt|' "$v" && die "umoci view: file whiteout not applied"
  grep -q '^/data/doomed-dir/old.txt|\|^/data/doomed-dir/sub' "$v" && die "umoci view: dir whiteout not applied"
  grep -q '^/data/doomed-dir/reborn.txt|f|' "$v" || die "umoci view: re-created dir missing"
  [ "$(grep -c '^/data/opaque/' "$v")" = 1 ] || die "umoci view: opaque dir not opaque"
  grep -q '^/data/file-to-dir|d|' "$v" || die "umoci view: file->dir change missing"
  grep -q '^/data/hardlink-2.txt|f|.*hardlink=/data/hardlink-1.txt' "$v" || die "umoci view: hardlink lost"
  grep -q '^/usr/local/bin/setuid-busybox|f|0:0|4755|' "$v" || die "umoci view: setuid bit lost"
  grep -q '^/data/owned-by-nobody.txt|f|65534:65534|0600|' "$v" || die "umoci view: owner 65534 lost"
  [ "$(cat "$BUILD/layered-bundle/rootfs/data/modified.txt")" = 'version 2' ] || die "umoci view: modified file wrong"
}
check_view
if [ "$UPDATE_GOLDEN" = 1 ] || [ ! -f "$GOLDEN" ]; then
  cp "$BUILD/layered.txt" "$GOLDEN"
  log "wrote $GOLDEN (review and commit it)"
elif ! diff -u "$GOLDEN" "$BUILD/layered.txt"; then
  die "umoci's merged view of layered differs from $GOLDEN (intended? rerun with --update-golden)"
fi

# ------------------------------------------------------------------ busybox arm64 + index
A=$CACHE/arm64
if ! ls "$A"/dl/busybox-static_*_arm64.deb >/dev/null 2>&1; then
  # Private apt state: the host's apt config, lists and dpkg status stay untouched.
  mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/dl"
  : > "$A/status"
  APT=(-o Dir::State::Lists="$A/lists" -o Dir::Cache="$A/cache" -o Dir::State::status="$A/status"
       -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o Debug::NoLocking=1
       -o APT::Sandbox::User=root)
  apt-get "${APT[@]}" -q update >/dev/null
  (cd "$A/dl" && apt-get "${APT[@]}" download busybox-static:arm64 >/dev/null)
fi
rm -rf "$A/x"
dpkg-deb -x "$(ls "$A"/dl/busybox-static_*_arm64.deb | head -1)" "$A/x"
busybox_rootfs "$A/x/bin/busybox" "$BUILD/busybox-arm64-rootfs" "$BUILD/applets.txt"
mktar "$BUILD/busybox-arm64-rootfs" "$BUILD/busybox-arm64.tar"
new_image busybox-arm64 arm64 /bin/sh
add_layer busybox-arm64 "$BUILD/busybox-arm64.tar" "busybox-static arm64"
set_variant busybox-arm64 v8
t=$(mktemp)
jq -n --argjson a "$(desc_of busybox)" --argjson b "$(desc_of busybox-arm64)" '{
  schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [
    ($a | del(.annotations)) + {platform: {architecture: "amd64", os: "linux"}},
    ($b | del(.annotations)) + {platform: {architecture: "arm64", os: "linux", variant: "v8"}}]}' > "$t"
read -r idig isz < <(put_blob "$t")
rm -f "$t"
set_index_entry busybox-multi "$idig" "$isz" application/vnd.oci.image.index.v1+json
log "busybox multi-arch index built"

# ------------------------------------------------------------------ debian
DR=$CACHE/debian-rootfs
if [ ! -x "$DR/bin/bash" ] || [ ! -f "$CACHE/debian-rootfs.stamp" ]; then
  rm -rf "$DR" "$DR.tmp"
  log "debootstrap --variant=minbase bookworm from $MIRROR (cached in $DR)"
  s=$(date +%s)
  debootstrap --variant=minbase bookworm "$DR.tmp" "$MIRROR" > "$CACHE/debootstrap.log" 2>&1 ||
    { tail -20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log $CACHE/debootstrap.log)"; }
  mv "$DR.tmp" "$DR"
  echo "debootstrap bookworm minbase $MIRROR $(date -u +%FT%TZ) $(($(date +%s) - s))s" > "$CACHE/debian-rootfs.stamp"
fi
mktar "$DR" "$BUILD/debian.tar" --anchored \
  --exclude='dev/*' --exclude='proc/*' --exclude='sys/*' --exclude='run/*' --exclude='tmp/*' \
  --exclude='var/cache/apt/archives/*.deb' --exclude='var/cache/apt/*.bin' \
  --exclude='var/lib/apt/lists/*' --exclude='var/log/*' --exclude='debootstrap'
new_image debian amd64 /bin/bash
add_layer debian "$BUILD/debian.tar" "debootstrap --variant=minbase bookworm"
log "debian built"

umoci gc --layout "$OCI"
# umoci writes blobs 0600; benchmarks read the layout as the test user.
chmod -R a+rX "$OCI"

# ------------------------------------------------------------------ push
push() {  # src-tag dest [skopeo args]
  "${SKOPEO[@]}" copy -q --dest-tls-verify=false "${@:3}" "oci:$OCI:$1" "docker://$2"
  log "pushed $2"
}
push busybox "$LAB_REG/busybox:latest"
push busybox "$LAB_REG/busybox:v2s2" --format v2s2
# zstd: skopeo reuses an existing gzip blob of the same layer when the destination already has
# it, so compress into a FRESH layout first, then push that.
rm -rf "$LAB_DIR/oci-zstd"
"${SKOPEO[@]}" copy -q --format oci --dest-compress --dest-compress-format zstd \
  "oci:$OCI:busybox" "oci:$LAB_DIR/oci-zstd:busybox"
"${SKOPEO[@]}" copy -q --dest-tls-verify=false "oci:$LAB_DIR/oci-zstd:busybox" "docker://$LAB_REG/busybox:zstd"
mt=$(curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  "http://$LAB_REG/v2/busybox/manifests/zstd" | jq -r '.layers[0].mediaType')
[ "$mt" = application/vnd.oci.image.layer.v1.tar+zstd ] || die "busybox:zstd layer has mediaType $mt, not +zstd"
log "pushed $LAB_REG/busybox:zstd ($mt)"
push busybox-multi "$LAB_REG/busybox:multi" --all
push layered "$LAB_REG/layered:latest"
push debian "$LAB_REG/debian:bookworm"
push busybox "$LAB_AUTH_REG/busybox:latest" --dest-creds "$LAB_AUTH_USER:$LAB_AUTH_PASS"

# busybox:latest must keep umoci's manifest without mediaType (clients must not require it).
if curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  "http://$LAB_REG/v2/busybox/manifests/latest" | jq -e 'has("mediaType")' >/dev/null; then
  log "note: busybox:latest manifest carries mediaType (expected umoci to omit it)"
fi

# ------------------------------------------------------------------ exports for benchmarks
rm -rf "$EXPORT/busybox-oci" "$EXPORT/busybox-bundle" "$EXPORT/busybox-rootfs"
"${SKOPEO[@]}" copy -q "oci:$OCI:busybox" "oci:$EXPORT/busybox-oci:latest"
umoci unpack --image "$OCI:busybox" "$EXPORT/busybox-bundle" >/dev/null
cp -a "$BUILD/busybox-rootfs" "$EXPORT/busybox-rootfs"
chmod -R a+rX "$EXPORT/busybox-oci"
chmod a+rx "$EXPORT" "$EXPORT/busybox-bundle"

# ------------------------------------------------------------------ report
{
  echo "# lab images ($(date -u +%FT%TZ)); compressed sizes"
  for ref in busybox:latest busybox:v2s2 busybox:zstd busybox:multi layered:latest debian:bookworm; do
    curl -fsS -H "Accept: $ACCEPT" -o "$BUILD/manifest.json" "http://$LAB_REG/v2/${ref%%:*}/manifests/${ref#*:}"
    raw=$(cat "$BUILD/manifest.json")
    echo "$LAB_REG/$ref sha256:$(sha256sum < "$BUILD/manifest.json" | cut -d' ' -f1) $(jq -r '.mediaType // "(no mediaType)"' <<<"$raw")"
    jq -r 'if .manifests then (.manifests[] | "  \(.platform.os)/\(.platform.architecture)\(.platform.variant // "" | if . == "" then "" else "/" + . end) \(.digest)")
           else (.layers[] | "  layer \(.digest) \(.size) \(.mediaType)") end' <<<"$raw"
  done
} > "$LAB_DIR/images.txt"
inputs_hash > "$STAMP"
log "all images built and pushed in $(($(date +%s) - T0)) s (report $LAB_DIR/images.txt)"
