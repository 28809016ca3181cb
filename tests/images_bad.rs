//! Bad input for pulls, black-box as the unprivileged user: each case must end with ONE clear
//! error line, exit 125 and NOTHING left in the store. Broken images are built here and pushed
//! to the lab registry (127.0.0.1:5100) under test-specific repository names; a corrupt blob is
//! made by damaging the registry's own storage, a cut download by a TCP relay in front of it.
mod common;
mod images_support;
use common::*;
use images_support::*;
use std::path::{Path, PathBuf};
use tar::EntryType as T;

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
