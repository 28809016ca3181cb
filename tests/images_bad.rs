//! Bad input for pulls, black-box as the unprivileged user: each case must end with ONE clear
//! error line, exit 125 and NOTHING left in the store. Broken images are built here and pushed
//! to the lab registry (127.0.0.1:5100) under test-specific repository names; a corrupt blob is
//! made by damaging the registry's own storage, a cut download by a TCP relay in front of it.
mod common;
use common::*;
use sha2::Digest;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use tar::EntryType as T;

fn sha(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(b)))
}

fn unique(name: &str) -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("rctr-test/{name}-{}-{n:x}", std::process::id())
}

fn curl(args: &[&str], body: Option<&[u8]>) -> String {
    let mut c = std::process::Command::new("curl");
    c.args(["-sS", "-f"]).args(args);
    let dir = tempfile::tempdir().unwrap();
    if let Some(b) = body {
        let f = dir.path().join("body");
        std::fs::write(&f, b).unwrap();
        c.arg("--data-binary").arg(format!("@{}", f.display()));
    }
    let out = c.output().expect("curl");
    assert!(out.status.success(), "curl {args:?}: {}", describe(&out));
    stdout(&out)
}

fn push_blob(repo: &str, data: &[u8]) -> String {
    let d = sha(data);
    let head = curl(
        &[
            "-i",
            "-X",
            "POST",
            &format!("http://{REGISTRY}/v2/{repo}/blobs/uploads/"),
        ],
        None,
    );
    let loc = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("Location: ")
                .or_else(|| l.strip_prefix("location: "))
        })
        .expect("upload location")
        .trim()
        .to_string();
    let loc = if loc.starts_with("http") {
        loc
    } else {
        format!("http://{REGISTRY}{loc}")
    };
    let sep = if loc.contains('?') { '&' } else { '?' };
    curl(
        &[
            "-X",
            "PUT",
            "-H",
            "Content-Type: application/octet-stream",
            &format!("{loc}{sep}digest={d}"),
        ],
        Some(data),
    );
    d
}

fn push_manifest(repo: &str, tag: &str, body: &[u8], media_type: &str) {
    curl(
        &[
            "-X",
            "PUT",
            "-H",
            &format!("Content-Type: {media_type}"),
            &format!("http://{REGISTRY}/v2/{repo}/manifests/{tag}"),
        ],
        Some(body),
    );
}

/// A tar written header by header (tar::Builder refuses hostile paths).
fn tar_of(entries: &[(&str, T, &str, &[u8])]) -> Vec<u8> {
    tar_owned(
        &entries
            .iter()
            .map(|&(p, k, l, d)| (p, k, l, d, 0))
            .collect::<Vec<_>>(),
    )
}

/// Like [`tar_of`], with an owner (uid = gid) and, for devices, major 1 minor 3.
fn tar_owned(entries: &[(&str, T, &str, &[u8], u64)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (path, kind, link, data, owner) in entries {
        let mut h = tar::Header::new_ustar();
        {
            let old = h.as_old_mut();
            old.name[..path.len()].copy_from_slice(path.as_bytes());
            old.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
        h.set_entry_type(*kind);
        h.set_mode(if *kind == T::Directory { 0o755 } else { 0o644 });
        h.set_size(data.len() as u64);
        h.set_uid(*owner);
        h.set_gid(*owner);
        if matches!(kind, T::Char | T::Block) {
            h.set_device_major(1).unwrap();
            h.set_device_minor(3).unwrap();
        }
        h.set_mtime(1_700_000_000);
        h.set_cksum();
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

const LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

struct Pushed {
    reference: String,
    layer_digests: Vec<String>,
}

/// Push an image of uncompressed `layers`; `config`/`manifest` tweaks break it on purpose.
fn push_image(
    name: &str,
    layers: &[Vec<u8>],
    tweak_config: impl FnOnce(&mut serde_json::Value),
    layer_type: &str,
) -> Pushed {
    let repo = unique(name);
    let diff_ids: Vec<String> = layers.iter().map(|l| sha(l)).collect();
    let mut config = serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    });
    tweak_config(&mut config);
    let config = match config {
        serde_json::Value::String(raw) => raw.into_bytes(), // raw bytes wanted as-is
        v => serde_json::to_vec(&v).unwrap(),
    };
    let cfg_digest = push_blob(&repo, &config);
    let mut descs = Vec::new();
    let mut layer_digests = Vec::new();
    for l in layers {
        let d = push_blob(&repo, l);
        descs.push(serde_json::json!({"mediaType": layer_type, "digest": d, "size": l.len()}));
        layer_digests.push(d);
    }
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": config.len()},
        "layers": descs,
    }))
    .unwrap();
    push_manifest(&repo, "t", &manifest, OCI_MANIFEST);
    Pushed {
        reference: format!("{REGISTRY}/{repo}:t"),
        layer_digests,
    }
}

/// The store holds no image, no layer and no work in progress.
fn assert_store_empty(root: &Path) {
    if let Ok(names) = std::fs::read_to_string(root.join("images/names.json")) {
        let v: serde_json::Value = serde_json::from_str(&names).unwrap();
        assert!(v["names"].as_object().unwrap().is_empty(), "names: {names}");
    }
    for d in ["images", "layers", "tmp"] {
        let left: Vec<String> = std::fs::read_dir(root.join(d))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n != "names.json")
                    .collect()
            })
            .unwrap_or_default();
        assert!(left.is_empty(), "{d}/ not empty: {left:?}");
    }
}

/// Pull `reference`, expect exit 125 with one error line containing `want`, and no trace.
#[track_caller]
fn expect_failure(sb: &Sandbox, reference: &str, want: &str) {
    let out = sb.rctr(&["pull", "-q", reference]);
    assert_exit(&out, 125);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one error line:\n{err}");
    assert!(lines[0].starts_with("Error: "), "{err}");
    assert!(lines[0].contains(want), "expected {want:?} in:\n{err}");
    assert_eq!(stdout(&out), "", "no image ID printed");
    assert_store_empty(&sb.store());
}

#[test]
fn unknown_image_tag_and_unreachable_registry() {
    require_lab!();
    let sb = Sandbox::new(&user());
    expect_failure(&sb, "nosuch-image", "manifest unknown");
    expect_failure(&sb, "busybox:nosuchtag", "manifest unknown");
    expect_failure(
        &sb,
        "127.0.0.1:1/busybox",
        "cannot connect to registry 127.0.0.1:1",
    );
    expect_failure(&sb, "Busybox", "must be lowercase");
}

#[test]
fn wrong_password() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let out = sb.rctr(&[
        "pull",
        "-q",
        "--creds",
        "rctr:wrong",
        "127.0.0.1:5101/busybox",
    ]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("rctr login 127.0.0.1:5101"),
        "{}",
        describe(&out)
    );
    assert_store_empty(&sb.store());
}

fn blob_file(digest: &str) -> PathBuf {
    let hex = digest.trim_start_matches("sha256:");
    lab_dir()
        .join("registry-5100/data/docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(hex)
        .join("data")
}

fn unique_layer(tag: &str) -> Vec<u8> {
    let body = format!("{tag} {:?}\n", std::time::SystemTime::now()).repeat(2000);
    tar_of(&[
        ("data/", T::Directory, "", b""),
        ("data/f", T::Regular, "", body.as_bytes()),
    ])
}

#[test]
fn blob_that_does_not_match_its_digest() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let p = push_image("corrupt", &[unique_layer("corrupt")], |_| {}, LAYER_TAR);
    // Damage the registry's copy in place (same length, different bytes).
    let f = blob_file(&p.layer_digests[0]);
    let mut b = std::fs::read(&f).unwrap();
    let n = b.len();
    b[n - 2000] ^= 0xff;
    std::fs::write(&f, &b).unwrap();
    expect_failure(&sb, &p.reference, "does not match its digest");
}

#[test]
fn truncated_blob_on_the_registry() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let p = push_image("short", &[unique_layer("short")], |_| {}, LAYER_TAR);
    let f = blob_file(&p.layer_digests[0]);
    let b = std::fs::read(&f).unwrap();
    std::fs::write(&f, &b[..b.len() / 2]).unwrap();
    expect_failure(&sb, &p.reference, &p.layer_digests[0]);
}

/// A relay in front of the lab registry that cuts the response for `cut` after its headers
/// and `keep` body bytes, or replaces the body of `replace` (a path fragment) with new bytes.
fn start_relay(cut: Option<(String, usize)>, replace: Option<(String, Vec<u8>)>) -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(mut c) = c else { continue };
            let cut = cut.clone();
            let replace = replace.clone();
            std::thread::spawn(move || {
                let mut req = Vec::new();
                let mut b = [0u8; 1];
                while !req.ends_with(b"\r\n\r\n") {
                    if c.read(&mut b).unwrap_or(0) == 0 {
                        return;
                    }
                    req.push(b[0]);
                }
                let text = String::from_utf8_lossy(&req).into_owned();
                let first = text.lines().next().unwrap_or("").to_string();
                // One request per connection keeps the relay trivial.
                let text: String = text
                    .lines()
                    .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
                    .filter(|l| !l.is_empty())
                    .map(|l| format!("{l}\r\n"))
                    .collect::<String>()
                    + "Connection: close\r\n\r\n";
                let mut up = std::net::TcpStream::connect(REGISTRY).unwrap();
                up.write_all(text.as_bytes()).unwrap();
                let mut resp = Vec::new();
                let _ = up.read_to_end(&mut resp);
                let split = resp
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map(|i| i + 4);
                let Some(split) = split else {
                    let _ = c.write_all(&resp);
                    return;
                };
                if let Some((frag, keep)) = &cut {
                    if first.contains(frag.as_str()) {
                        let end = (split + keep).min(resp.len());
                        let _ = c.write_all(&resp[..end]);
                        return; // connection dropped mid-body
                    }
                }
                if let Some((frag, body)) = &replace {
                    if first.contains(frag.as_str()) {
                        let head = String::from_utf8_lossy(&resp[..split]).into_owned();
                        let head: String = head
                            .lines()
                            .filter(|l| {
                                let l = l.to_ascii_lowercase();
                                !l.starts_with("content-length:")
                                    && !l.starts_with("docker-content-digest:")
                            })
                            .filter(|l| !l.is_empty())
                            .map(|l| format!("{l}\r\n"))
                            .collect();
                        let _ = c.write_all(
                            format!("{head}Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
                        );
                        let _ = c.write_all(body);
                        return;
                    }
                }
                let _ = c.write_all(&resp);
            });
        }
    });
    port
}

fn with_relay_registry(sb: &Sandbox, port: u16) {
    let conf = sb.home().join(".config/containers/registries.conf");
    let mut text = std::fs::read_to_string(&conf).unwrap();
    text.push_str(&format!(
        "\n[[registry]]\nlocation = \"127.0.0.1:{port}\"\ninsecure = true\n"
    ));
    std::fs::write(&conf, text).unwrap();
}

#[test]
fn download_cut_mid_stream() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let p = push_image("cut", &[unique_layer("cut")], |_| {}, LAYER_TAR);
    let hex = p.layer_digests[0].trim_start_matches("sha256:").to_string();
    let port = start_relay(Some((hex, 10_000)), None);
    with_relay_registry(&sb, port);
    let r = p.reference.replace(REGISTRY, &format!("127.0.0.1:{port}"));
    expect_failure(&sb, &r, "blob sha256:");
}

#[test]
fn manifest_that_is_not_json() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let p = push_image("badmanifest", &[unique_layer("bm")], |_| {}, LAYER_TAR);
    let port = start_relay(None, Some(("/manifests/".into(), b"{not json".to_vec())));
    with_relay_registry(&sb, port);
    let r = p.reference.replace(REGISTRY, &format!("127.0.0.1:{port}"));
    expect_failure(&sb, &r, "manifest is not valid JSON");
}

#[test]
fn config_that_is_not_json() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let p = push_image(
        "badconfig",
        &[unique_layer("bc")],
        |c| *c = serde_json::Value::String("{\"rootfs\": oops".into()),
        LAYER_TAR,
    );
    expect_failure(&sb, &p.reference, "config is not valid JSON");
}

#[test]
fn unsupported_layer_media_type() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let p = push_image(
        "weird",
        &[unique_layer("w")],
        |_| {},
        "application/vnd.example.not-a-layer",
    );
    expect_failure(&sb, &p.reference, "unsupported layer media type");
}

#[test]
fn diff_id_mismatch() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let p = push_image(
        "diffid",
        &[unique_layer("d")],
        |c| c["rootfs"]["diff_ids"][0] = sha(b"something else").into(),
        LAYER_TAR,
    );
    expect_failure(&sb, &p.reference, "does not match the diff ID");
}

/// A world-writable dir outside any store: a vulnerable unpacker running as the user could
/// write here.
fn escape_target() -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let d = PathBuf::from(format!("/tmp/rctr-it/escape-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o777)).unwrap();
    d
}

fn assert_untouched(d: &Path) {
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "written outside the layer: {left:?}");
}

#[test]
fn hostile_layers_never_write_outside() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let target = escape_target();
    let t = target.to_str().unwrap();
    let dotdot = format!("../../../../../../..{t}/dotdot");
    // `..` entries
    let p = push_image(
        "dotdot",
        &[tar_of(&[(&dotdot, T::Regular, "", b"x")])],
        |_| {},
        LAYER_TAR,
    );
    expect_failure(&sb, &p.reference, "tries to leave the layer");
    // a symlink to the outside, then a file through it
    let pwn = tar_of(&[
        ("link", T::Symlink, t, b""),
        ("link/pwned", T::Regular, "", b"x"),
    ]);
    let p = push_image("symlink", &[pwn], |_| {}, LAYER_TAR);
    expect_failure(&sb, &p.reference, "goes through a symlink");
    // hard links to files outside the layer
    let p = push_image(
        "hardlink",
        &[tar_of(&[("h", T::Link, "/etc/passwd", b"")])],
        |_| {},
        LAYER_TAR,
    );
    expect_failure(&sb, &p.reference, "not in this layer");
    let hl = format!("../../..{t}/x");
    let p = push_image(
        "hardlink2",
        &[tar_of(&[("h", T::Link, &hl, b"")])],
        |_| {},
        LAYER_TAR,
    );
    expect_failure(&sb, &p.reference, "tries to leave the layer");
    assert_untouched(&target);
    // Absolute paths are re-rooted into the layer: the pull works, nothing lands outside.
    let abs = format!("{t}/abs");
    let p = push_image(
        "abs",
        &[tar_of(&[(&abs, T::Regular, "", b"inside")])],
        |_| {},
        LAYER_TAR,
    );
    sb.rctr_ok(&["pull", "-q", &p.reference]);
    assert_untouched(&target);
    // A symlink planted by a LOWER layer, written through by the next one: each layer is
    // unpacked into its own dir, so the upper layer gets a real directory.
    let lower = tar_of(&[("evil", T::Symlink, t, b"")]);
    let upper = tar_of(&[("evil/pwned", T::Regular, "", b"x")]);
    let p = push_image("lowerlink", &[lower, upper], |_| {}, LAYER_TAR);
    sb.rctr_ok(&["pull", "-q", &p.reference]);
    assert_untouched(&target);
    let out = sb.rctr(&[
        "__image-mount",
        &p.reference,
        "test -d \"$RCTR_ROOTFS/evil\" && ! test -L \"$RCTR_ROOTFS/evil\" && cat \"$RCTR_ROOTFS/evil/pwned\"",
    ]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "x");
    assert_untouched(&target);
    let _ = std::fs::remove_dir_all(&target);
}

#[test]
fn disk_full_mid_pull_leaves_nothing() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let root = sb.path().join("small");
    std::fs::create_dir(&root).unwrap();
    let st = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs"])
        .arg(&root)
        .status()
        .unwrap();
    assert!(st.success(), "mount a 2 MiB tmpfs");
    std::os::unix::fs::chown(&root, Some(sb.user().uid), Some(sb.user().gid)).unwrap();
    let store = root.join("store");
    let out = sb.rctr(&[
        "--root",
        store.to_str().unwrap(),
        "pull",
        "-q",
        "debian:bookworm",
    ]);
    let _cleanup = Unmount(root.clone());
    assert_exit(&out, 125);
    let err = stderr(&out);
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line:\n{err}");
    assert_store_empty(&store);
}

struct Unmount(PathBuf);
impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn owner_beyond_the_subordinate_range_is_explained() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let layer = tar_owned(&[("big-uid", T::Regular, "", b"x", 70_000)]);
    let p = push_image("biguid", &[layer], |_| {}, LAYER_TAR);
    expect_failure(&sb, &p.reference, "potentially insufficient UIDs or GIDs");
    // In single-ID mode the same image works: the owner is recorded, not applied.
    let sb = Sandbox::new_nosub();
    sb.rctr_ok(&["pull", "-q", &p.reference]);
}

#[test]
fn device_nodes_are_skipped_with_one_warning() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let layer = tar_owned(&[
        ("dev/", T::Directory, "", b"", 0),
        ("dev/null", T::Char, "", b"", 0),
        ("dev/zero", T::Char, "", b"", 0),
        ("dev/sda", T::Block, "", b"", 0),
        ("etc/x", T::Regular, "", b"x", 0),
    ]);
    let p = push_image("devices", &[layer], |_| {}, LAYER_TAR);
    let out = sb.rctr(&["pull", "-q", &p.reference]);
    assert_ok(&out);
    let err = stderr(&out);
    assert_eq!(
        err.matches("Warning: skipping device node").count(),
        1,
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}
