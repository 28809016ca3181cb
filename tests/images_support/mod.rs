//! Building broken images and pushing them to the lab registry (127.0.0.1:5100) with curl,
//! and checking that a failed pull left nothing behind: shared by tests/images_bad.rs and
//! tests/images_bounds.rs.
#![allow(dead_code)]
use crate::common::*;
use sha2::Digest;
use std::io::{Read, Write};
use tar::EntryType as T;

pub fn sha(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(b)))
}

pub fn unique(name: &str) -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("rctr-test/{name}-{}-{n:x}", std::process::id())
}

pub fn curl(args: &[&str], body: Option<&[u8]>) -> String {
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

pub fn push_blob(repo: &str, data: &[u8]) -> String {
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

pub fn push_manifest(repo: &str, tag: &str, body: &[u8], media_type: &str) {
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
pub fn tar_of(entries: &[(&str, T, &str, &[u8])]) -> Vec<u8> {
    tar_owned(
        &entries
            .iter()
            .map(|&(p, k, l, d)| (p, k, l, d, 0))
            .collect::<Vec<_>>(),
    )
}

/// Like [`tar_of`], with an owner (uid = gid) and, for devices, major 1 minor 3.
pub fn tar_owned(entries: &[(&str, T, &str, &[u8], u64)]) -> Vec<u8> {
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

pub const LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

pub struct Pushed {
    pub reference: String,
    pub layer_digests: Vec<String>,
}

/// The parts of an image: its config bytes, layer blobs and manifest (as JSON, to break).
pub struct Built {
    pub config: Vec<u8>,
    pub layers: Vec<Vec<u8>>,
    pub manifest: serde_json::Value,
}

/// An image of `layers` (diff IDs as if uncompressed); `tweak_config` breaks it on purpose
/// (a JSON string is taken as the raw config bytes).
pub fn build_image(
    layers: &[Vec<u8>],
    tweak_config: impl FnOnce(&mut serde_json::Value),
    layer_type: &str,
) -> Built {
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
    let descs: Vec<serde_json::Value> = layers
        .iter()
        .map(|l| serde_json::json!({"mediaType": layer_type, "digest": sha(l), "size": l.len()}))
        .collect();
    let manifest = serde_json::json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(&config), "size": config.len()},
        "layers": descs,
    });
    Built {
        config,
        layers: layers.to_vec(),
        manifest,
    }
}

/// Push `img`'s blobs and its manifest (after `tweak_manifest`) to the lab registry.
pub fn push_built(
    name: &str,
    img: &Built,
    tweak_manifest: impl FnOnce(&mut serde_json::Value),
) -> Pushed {
    let repo = unique(name);
    push_blob(&repo, &img.config);
    let layer_digests = img.layers.iter().map(|l| push_blob(&repo, l)).collect();
    let mut manifest = img.manifest.clone();
    tweak_manifest(&mut manifest);
    push_manifest(
        &repo,
        "t",
        &serde_json::to_vec(&manifest).unwrap(),
        OCI_MANIFEST,
    );
    Pushed {
        reference: format!("{REGISTRY}/{repo}:t"),
        layer_digests,
    }
}

/// Push an image of uncompressed `layers`; `tweak_config` breaks it on purpose.
pub fn push_image(
    name: &str,
    layers: &[Vec<u8>],
    tweak_config: impl FnOnce(&mut serde_json::Value),
    layer_type: &str,
) -> Pushed {
    push_built(name, &build_image(layers, tweak_config, layer_type), |_| {})
}

/// Pull `reference`, expect exit 125 with one error line containing `want`, and no trace.
#[track_caller]
pub fn expect_failure(sb: &Sandbox, reference: &str, want: &str) {
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

/// A relay in front of the lab registry that cuts the response for `cut` after its headers
/// and `keep` body bytes, or replaces the body of `replace` (a path fragment) with new bytes.
pub fn start_relay(cut: Option<(String, usize)>, replace: Option<(String, Vec<u8>)>) -> u16 {
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

pub fn with_relay_registry(sb: &Sandbox, port: u16) {
    let conf = sb.home().join(".config/containers/registries.conf");
    let mut text = std::fs::read_to_string(&conf).unwrap();
    text.push_str(&format!(
        "\n[[registry]]\nlocation = \"127.0.0.1:{port}\"\ninsecure = true\n"
    ));
    std::fs::write(&conf, text).unwrap();
}
