//! Bounded inputs, black-box as the unprivileged user: a blob larger than its descriptor, a
//! tar header extension far over its cap, digests that are paths and whiteouts of `.`/`..`
//! are refused with exit 125 and an empty store — from a registry (`pull`) and from an
//! archive (`load`, whose code path reads blobs and the archive's own tar differently).
mod common;
mod images_support;
use common::*;
use images_support::*;
use std::io::Write;
use tar::EntryType as T;

const GZIP_LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";

fn small_layer(tag: &str) -> Vec<u8> {
    let body = format!("{tag} {:?}\n", std::time::SystemTime::now()).repeat(200);
    tar_of(&[("f", T::Regular, "", body.as_bytes())])
}

/// A gzip'd layer whose first entry is a PAX extended header of `size` bytes (one `comment`
/// record of that length, then a file): ~100 KB on the wire for 100 MB of header.
fn pax_bomb(size: usize) -> (Vec<u8>, String) {
    let mut h = tar::Header::new_ustar();
    h.as_old_mut().name[..9].copy_from_slice(b"PaxHeader");
    h.set_entry_type(T::XHeader);
    h.set_size(size as u64);
    h.set_mode(0o644);
    h.set_cksum();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut raw = sha2::Sha256::default();
    let mut put = |b: &[u8]| {
        sha2::Digest::update(&mut raw, b);
        gz.write_all(b).unwrap();
    };
    put(h.as_bytes());
    let prefix = format!("{size} comment=");
    put(prefix.as_bytes());
    let chunk = vec![b'a'; 1 << 20];
    let mut left = size - prefix.len() - 1;
    while left > 0 {
        let n = left.min(chunk.len());
        put(&chunk[..n]);
        left -= n;
    }
    put(b"\n");
    let pad = size.div_ceil(512) * 512 - size;
    put(&vec![0u8; pad]);
    put(&small_layer("after-pax"));
    let diff_id = format!("sha256:{}", hex::encode(sha2::Digest::finalize(raw)));
    (gz.finish().unwrap(), diff_id)
}

/// One error line containing every `want`, exit 125, nothing stored.
#[track_caller]
fn expect_refused(sb: &Sandbox, out: &std::process::Output, want: &[&str]) {
    assert_exit(out, 125);
    let err = stderr(out);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "exactly one error line:\n{err}");
    for w in want {
        assert!(lines[0].contains(w), "expected {w:?} in:\n{err}");
    }
    assert_store_empty(&sb.store());
}

#[test]
fn blobs_larger_than_their_descriptor() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let img = build_image(&[small_layer("big-config")], |_| {}, LAYER_TAR);
    // The registry serves the real blob; the manifest claims it is smaller.
    let p = push_built("bigconfig", &img, |m| {
        m["config"]["size"] = (img.config.len() - 10).into()
    });
    let want = format!(
        "sent more than the {} bytes the manifest declares",
        img.config.len() - 10
    );
    expect_failure(&sb, &p.reference, &want);
    let img = build_image(&[small_layer("big-layer")], |_| {}, LAYER_TAR);
    let p = push_built("biglayer", &img, |m| m["layers"][0]["size"] = 1000.into());
    expect_failure(
        &sb,
        &p.reference,
        "sent more than the 1000 bytes the manifest declares",
    );
    // Smaller than declared: the descriptor lies too.
    let img = build_image(&[small_layer("short-layer")], |_| {}, LAYER_TAR);
    let real = img.layers[0].len();
    let p = push_built("shortlayer", &img, |m| {
        m["layers"][0]["size"] = (real + 512).into()
    });
    expect_failure(
        &sb,
        &p.reference,
        &format!("sent {real} bytes, the manifest declares {}", real + 512),
    );
    // A config declared over containers/image's 4 MiB limit is not even requested.
    let img = build_image(&[small_layer("huge-config")], |_| {}, LAYER_TAR);
    let p = push_built("hugeconfig", &img, |m| {
        m["config"]["size"] = (5u64 << 20).into()
    });
    expect_failure(&sb, &p.reference, "more than the 4 MiB limit");
}

#[test]
fn layer_with_a_100_mb_pax_header() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let (layer, diff_id) = pax_bomb(100 << 20);
    let img = build_image(
        &[layer],
        |c| c["rootfs"]["diff_ids"][0] = diff_id.clone().into(),
        GZIP_LAYER,
    );
    let p = push_built("paxbomb", &img, |_| {});
    // GNU time's %M: the largest RSS among rctr and the unpack helper it waited for.
    let out = sb.sh(&format!(
        "exec /usr/bin/time -f 'maxrss-kb=%M' {} pull -q {}",
        rctr_bin().display(),
        p.reference
    ));
    assert_exit(&out, 125);
    let err = stderr(&out);
    assert!(
        err.contains("PAX extended header of 104857600 bytes exceeds the 1 MiB limit"),
        "{err}"
    );
    let kb: u64 = err
        .lines()
        .find_map(|l| l.strip_prefix("maxrss-kb="))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no maxrss in {err}"));
    visible(&format!("pull of a 100 MB PAX header: max RSS {kb} KiB"));
    assert!(kb < 60 * 1024, "the header was read into memory: {kb} KiB");
    assert_store_empty(&sb.store());
    // The same layer from an archive (the same helper, fed by `load`).
    let f = sb.tmp_dir().join("paxbomb.tar");
    write_archive(&f, &oci_archive(&img, |_| {}, |_| {}));
    let out = sb.rctr(&["load", "-i", f.to_str().unwrap()]);
    expect_refused(&sb, &out, &["PAX extended header of 104857600 bytes"]);
}

#[test]
fn digests_that_are_paths() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let p = push_image(
        "diffid-path",
        &[small_layer("dp")],
        |c| c["rootfs"]["diff_ids"][0] = "../../x".into(),
        LAYER_TAR,
    );
    expect_failure(
        &sb,
        &p.reference,
        "image config: diff ID \"../../x\" is not a sha256 digest",
    );
    // A layer digest in the manifest: the registry would not store such a manifest, so a
    // relay serves it in place of the real one.
    let p = push_image("digest-path", &[small_layer("lp")], |_| {}, LAYER_TAR);
    let img = build_image(&[small_layer("lp2")], |_| {}, LAYER_TAR);
    let mut bad = img.manifest.clone();
    bad["layers"][0]["digest"] = "sha256:../../../x".into();
    let port = start_relay(
        None,
        Some(("/manifests/".into(), serde_json::to_vec(&bad).unwrap())),
    );
    with_relay_registry(&sb, port);
    let r = p.reference.replace(REGISTRY, &format!("127.0.0.1:{port}"));
    expect_failure(
        &sb,
        &r,
        "manifest: layer digest \"sha256:../../../x\" is not a sha256 digest",
    );
    // The same from an archive.
    let img = build_image(
        &[small_layer("ap")],
        |c| c["rootfs"]["diff_ids"][0] = "../../x".into(),
        LAYER_TAR,
    );
    let f = sb.tmp_dir().join("diffid.tar");
    write_archive(&f, &oci_archive(&img, |_| {}, |_| {}));
    let out = sb.rctr(&["load", "-i", f.to_str().unwrap()]);
    expect_refused(
        &sb,
        &out,
        &["image config: diff ID \"../../x\" is not a sha256 digest"],
    );
}

#[test]
fn whiteouts_of_dot_and_dotdot() {
    require_lab!();
    let sb = Sandbox::new(&user());
    for (name, target) in [(".wh...", ".."), ("d/.wh..", "."), (".wh..", ".")] {
        let layer = tar_of(&[
            ("d/", T::Directory, "", b""),
            ("d/keep", T::Regular, "", b"k"),
            (name, T::Regular, "", b""),
        ]);
        let p = push_image("whdot", &[layer], |_| {}, LAYER_TAR);
        expect_failure(
            &sb,
            &p.reference,
            &format!("a whiteout of {target:?} is not allowed"),
        );
    }
}

#[test]
fn archives_with_oversized_parts() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let load = |name: &str, data: &[u8]| {
        let f = sb.tmp_dir().join(name);
        write_archive(&f, data);
        sb.rctr(&["load", "-i", f.to_str().unwrap()])
    };
    // A config and a layer larger than their descriptors.
    let img = build_image(&[small_layer("arch")], |_| {}, LAYER_TAR);
    let n = img.config.len();
    let a = oci_archive(&img, |m| m["config"]["size"] = (n - 1).into(), |_| {});
    let out = load("bigconfig.tar", &a);
    expect_refused(
        &sb,
        &out,
        &[&format!("is {n} bytes, its descriptor declares {}", n - 1)],
    );
    let a = oci_archive(&img, |m| m["layers"][0]["size"] = 1024.into(), |_| {});
    let out = load("biglayer.tar", &a);
    expect_refused(&sb, &out, &["its descriptor declares 1024"]);
    // The archive's own tar: a PAX header declaring 100 MB (the archive ends right after
    // the header: the cap must hit before any of it is read).
    let mut h = tar::Header::new_ustar();
    h.as_old_mut().name[..9].copy_from_slice(b"PaxHeader");
    h.set_entry_type(T::XHeader);
    h.set_size(100 << 20);
    h.set_cksum();
    let out = load("paxarchive.tar", h.as_bytes());
    expect_refused(
        &sb,
        &out,
        &["PAX extended header of 104857600 bytes exceeds the 1 MiB limit"],
    );
    // A GNU long name of 1 MiB.
    let mut h = tar::Header::new_gnu();
    h.as_old_mut().name[..13].copy_from_slice(b"././@LongLink");
    h.set_entry_type(T::GNULongName);
    h.set_size(1 << 20);
    h.set_cksum();
    let out = load("longname.tar", h.as_bytes());
    expect_refused(&sb, &out, &["GNU long name of 1048576 bytes"]);
}

/// An OCI archive of `img`: `tweak_manifest` edits the manifest (whose digest the index then
/// names), `tweak_index` the index.
fn oci_archive(
    img: &Built,
    tweak_manifest: impl FnOnce(&mut serde_json::Value),
    tweak_index: impl FnOnce(&mut serde_json::Value),
) -> Vec<u8> {
    let mut m = img.manifest.clone();
    tweak_manifest(&mut m);
    let manifest = serde_json::to_vec(&m).unwrap();
    let mut index = serde_json::json!({"schemaVersion": 2, "manifests": [
        {"mediaType": OCI_MANIFEST, "digest": sha(&manifest), "size": manifest.len()}
    ]});
    tweak_index(&mut index);
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |path: &str, data: &[u8]| {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, path, data).unwrap();
    };
    add("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#);
    add("index.json", &serde_json::to_vec(&index).unwrap());
    let blob = |d: &[u8]| format!("blobs/sha256/{}", sha(d).trim_start_matches("sha256:"));
    add(&blob(&manifest), &manifest);
    add(&blob(&img.config), &img.config);
    for l in &img.layers {
        add(&blob(l), l);
    }
    b.into_inner().unwrap()
}

/// Write an archive the test user can read.
fn write_archive(path: &std::path::Path, data: &[u8]) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, data).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
}
