//! Unpacker tests with hand-written hostile tars (run as root: full ID range).
use super::*;

#[test]
fn clean() {
    assert_eq!(
        clean_path(b"./a//b/./c").unwrap(),
        vec![&b"a"[..], b"b", b"c"]
    );
    assert_eq!(
        clean_path(b"/etc/passwd").unwrap(),
        vec![&b"etc"[..], b"passwd"]
    );
    assert!(clean_path(b"./").unwrap().is_empty());
    assert!(matches!(
        clean_path(b"a/../../x"),
        Err(UnpackError::Escape(_))
    ));
    assert!(matches!(clean_path(b".."), Err(UnpackError::Escape(_))));
}

/// A tar entry written byte by byte (tar::Builder refuses the hostile paths we need).
fn raw_entry(out: &mut Vec<u8>, path: &str, kind: tar::EntryType, link: &str, data: &[u8]) {
    let mut h = tar::Header::new_ustar();
    {
        let old = h.as_old_mut();
        old.name[..path.len()].copy_from_slice(path.as_bytes());
        old.linkname[..link.len()].copy_from_slice(link.as_bytes());
    }
    h.set_entry_type(kind);
    h.set_mode(0o644);
    h.set_size(data.len() as u64);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(1_600_000_000);
    h.set_cksum();
    out.extend_from_slice(h.as_bytes());
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

fn run(
    entries: &[(&str, tar::EntryType, &str, &[u8])],
) -> (tempfile::TempDir, anyhow::Result<UnpackReport>) {
    let mut t = Vec::new();
    for (p, k, l, d) in entries {
        raw_entry(&mut t, p, *k, l, d);
    }
    t.extend_from_slice(&[0u8; 1024]);
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("diff")).unwrap();
    let r = unpack_stream(
        std::io::Cursor::new(t),
        Compression::None,
        &d.path().join("diff"),
    );
    (d, r)
}

use tar::EntryType as T;

#[test]
fn hostile_entries_stay_inside() {
    let (d, r) = run(&[("../evil", T::Regular, "", b"x")]);
    assert!(r.unwrap_err().to_string().contains("leave the layer"));
    assert!(!d.path().join("evil").exists());
    // A symlink to the outside, then a write through it.
    let outside = d_outside();
    let (d, r) = run(&[
        ("link", T::Symlink, outside.to_str().unwrap(), b""),
        ("link/pwned", T::Regular, "", b"x"),
    ]);
    assert!(
        r.unwrap_err().to_string().contains("symlink"),
        "through symlink"
    );
    assert!(!outside.join("pwned").exists());
    assert!(d
        .path()
        .join("diff/link")
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_symlink());
    // Relative symlink climbing out, then a write through it.
    let (_d, r) = run(&[
        ("up", T::Symlink, "../..", b""),
        ("up/x", T::Regular, "", b"x"),
    ]);
    assert!(r.is_err());
    // Absolute paths are re-rooted.
    let (d, r) = run(&[("/abs/file", T::Regular, "", b"hello")]);
    r.unwrap();
    assert_eq!(
        std::fs::read(d.path().join("diff/abs/file")).unwrap(),
        b"hello"
    );
    // Hard links to outside or through symlinks.
    let (_d, r) = run(&[("h", T::Link, "/etc/passwd", b"")]);
    assert!(r.unwrap_err().to_string().contains("not in this layer"));
    let (_d, r) = run(&[("h", T::Link, "../../etc/passwd", b"")]);
    assert!(r.is_err());
    let (_d, r) = run(&[
        ("s", T::Symlink, "/etc", b""),
        ("h", T::Link, "s/passwd", b""),
    ]);
    assert!(r.is_err());
    // A hard link to a symlink links the symlink itself.
    let (d, r) = run(&[
        ("s", T::Symlink, "/etc/passwd", b""),
        ("h", T::Link, "s", b""),
    ]);
    r.unwrap();
    assert!(d
        .path()
        .join("diff/h")
        .symlink_metadata()
        .unwrap()
        .file_type()
        .is_symlink());
}

fn d_outside() -> std::path::PathBuf {
    tempfile::tempdir().unwrap().keep()
}

#[test]
fn whiteouts_and_replacements() {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let (d, r) = run(&[
        ("dir/", T::Directory, "", b""),
        ("dir/.wh..wh..opq", T::Regular, "", b""),
        ("dir/.wh.gone", T::Regular, "", b""),
        ("a", T::Regular, "", b"file"),
        ("a/", T::Directory, "", b""),
        ("a/b", T::Regular, "", b"x"),
        ("h1", T::Regular, "", b"same"),
        ("h2", T::Link, "h1", b""),
        ("f", T::Fifo, "", b""),
    ]);
    let rep = r.unwrap();
    let root = d.path().join("diff");
    let wh = std::fs::symlink_metadata(root.join("dir/gone")).unwrap();
    assert!(wh.file_type().is_char_device() && wh.rdev() == 0);
    let mut v = [0u8; 8];
    let n = rustix::fs::getxattr(root.join("dir"), "user.overlay.opaque", &mut v[..]).unwrap();
    assert_eq!(&v[..n], b"y");
    assert!(root.join("a/b").is_file());
    assert_eq!(std::fs::metadata(root.join("h1")).unwrap().nlink(), 2);
    assert!(std::fs::symlink_metadata(root.join("f"))
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(rep.diff_id.starts_with("sha256:"));
}

#[test]
fn whiteouts_of_dot_and_dotdot_are_refused() {
    assert!(whiteout_target_ok(b"gone", b".wh.gone").is_ok());
    assert!(whiteout_target_ok(b"...", b".wh....").is_ok());
    for (name, target) in [(".wh..", "."), (".wh...", ".."), ("d/.wh...", "..")] {
        let (d, r) = run(&[
            ("d/", T::Directory, "", b""),
            ("d/keep", T::Regular, "", b"k"),
            (name, T::Regular, "", b""),
        ]);
        let e = r.unwrap_err().to_string();
        assert!(
            e.contains(&format!("a whiteout of {target:?} is not allowed")),
            "{name}: {e}"
        );
        // Nothing beside or above the entry was removed.
        assert!(d.path().join("diff/d/keep").is_file(), "{name}");
        assert!(d.path().join("tar-split").exists(), "{name}");
    }
}

#[test]
fn overlong_paths_and_extension_headers_are_refused() {
    let long = "a/".repeat(2049);
    let mut pax = Vec::new();
    let rec = format!(" path={long}\n");
    let mut n = rec.len() + 1;
    while format!("{n}{rec}").len() != n {
        n += 1;
    }
    raw_entry(
        &mut pax,
        "PaxHeader",
        T::XHeader,
        "",
        format!("{n}{rec}").as_bytes(),
    );
    raw_entry(&mut pax, "short", T::Regular, "", b"x");
    pax.extend_from_slice(&[0u8; 1024]);
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("diff")).unwrap();
    let e = unpack_stream(
        std::io::Cursor::new(pax),
        Compression::None,
        &d.path().join("diff"),
    )
    .unwrap_err();
    assert!(
        format!("{e:#}").contains("layer entry path of 4098 bytes exceeds the 4096 bytes limit"),
        "{e:#}"
    );
}
