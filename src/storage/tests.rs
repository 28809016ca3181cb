//! Store records, names and the recorded ID mapping (pure file operations, no namespaces).
use super::*;
use crate::idmap::{IdMapping, SubIdRange};

fn full() -> IdMapping {
    let r = [SubIdRange {
        start: 100000,
        count: 65536,
    }];
    IdMapping::full(1001, 1001, &r, &r)
}

fn meta(id: &str, layers: &[&str]) -> ImageMeta {
    ImageMeta {
        id: id.into(),
        digest: format!("sha256:{}", "d".repeat(64)),
        list_digest: None,
        digests: Vec::new(),
        repos: vec!["127.0.0.1:5100/busybox".into()],
        layers: layers.iter().map(|s| s.to_string()).collect(),
        created: Some("2024-01-01T00:00:00Z".into()),
        size: 42,
        pulled_at: now_rfc3339(),
        manifest_media_type: String::new(),
    }
}

const CONFIG: &[u8] =
    br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#;

#[test]
fn commit_resolve_and_move_a_tag() {
    let d = tempfile::tempdir().unwrap();
    let mut s = Store::open_with(d.path(), full(), None).unwrap();
    assert!(s.images().unwrap().is_empty());
    let a = "a".repeat(64);
    let b = "b".repeat(64);
    let name = "127.0.0.1:5100/busybox:latest".to_string();
    s.commit_image(
        meta(&a, &["sha256:11"]),
        CONFIG,
        b"{}",
        std::slice::from_ref(&name),
    )
    .unwrap();
    let img = s.resolve_image("busybox").unwrap().unwrap();
    assert_eq!(img.id, a);
    assert_eq!(img.names, vec![name.clone()]);
    assert_eq!(s.lower_dirs(&img), vec![d.path().join("layers/11/diff")]);
    // A newer pull of the same tag moves the name; the old image stays, dangling.
    s.commit_image(
        meta(&b, &["sha256:22"]),
        CONFIG,
        b"{}",
        std::slice::from_ref(&name),
    )
    .unwrap();
    assert_eq!(s.resolve_image(&name).unwrap().unwrap().id, b);
    let old = s.resolve_image(&a[..5]).unwrap().unwrap();
    assert!(old.names.is_empty());
    // The mapping is recorded with the first image.
    let info: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.path().join("storage.json")).unwrap()).unwrap();
    assert_eq!(info["mapping"]["mode"], "full");
}

#[test]
fn recorded_mapping_is_checked() {
    let d = tempfile::tempdir().unwrap();
    let single = IdMapping::single(1001, 1001);
    let mut s = Store::open_with(
        d.path(),
        single.clone(),
        Some(crate::idmap::SingleReason::BrokenHelper("test".into())),
    )
    .unwrap();
    s.commit_image(meta(&"a".repeat(64), &[]), CONFIG, b"{}", &[])
        .unwrap();
    std::fs::create_dir_all(d.path().join("layers/x")).unwrap();
    // Subordinate IDs added later: the single-ID store stays usable, with a notice.
    let s2 = Store::open_with(d.path(), full(), None).unwrap();
    assert_eq!(s2.mapping(), &single);
    assert!(s2
        .single_id_notice()
        .unwrap()
        .to_string()
        .contains("system reset"));
    // A full-mapping store whose ranges changed is refused with the fix.
    let d = tempfile::tempdir().unwrap();
    let mut s = Store::open_with(d.path(), full(), None).unwrap();
    s.commit_image(meta(&"a".repeat(64), &[]), CONFIG, b"{}", &[])
        .unwrap();
    std::fs::create_dir_all(d.path().join("layers/x")).unwrap();
    let e = Store::open_with(d.path(), single, None).unwrap_err();
    assert!(e.to_string().contains("--root"), "{e}");
}
