//! doctor judged on real reports with the situation under test set by hand.
use super::*;
use crate::context::{Context, ContextOptions};
use crate::probe::{collect, Options, Probed};

/// A real report for a throwaway HOME (the probes run; the fields under test are then set
/// by hand to the situation being judged).
fn report() -> (Report, tempfile::TempDir) {
    let d = tempfile::tempdir().unwrap();
    let env = [("HOME", d.path().as_os_str().to_owned())]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let ctx = Context::from_parts(env, &ContextOptions::default()).unwrap();
    (collect(&ctx, Options::default()), d)
}

fn find<'a>(v: &'a [Check], name: &str) -> &'a Check {
    v.iter()
        .find(|c| c.check == name)
        .unwrap_or_else(|| panic!("no {name} check in {v:#?}"))
}

#[test]
fn userns_blocked_names_the_sysctl() {
    let (mut r, _d) = report();
    let u = &mut r.rctr.user_namespace;
    u.works = false;
    u.single_id_works = None;
    u.error = Some("cannot create a user namespace: Operation not permitted".into());
    u.knobs.max_user_namespaces = Some(0);
    let c = checks(&r, "alice");
    let x = find(&c, "userns");
    assert_eq!(x.status, Status::Fail);
    assert!(x
        .fix
        .as_ref()
        .unwrap()
        .contains("sysctl -w user.max_user_namespaces="));
    r.rctr.user_namespace.knobs.max_user_namespaces = Some(1000);
    r.rctr.user_namespace.knobs.unprivileged_userns_clone = Some(0);
    let c = checks(&r, "alice");
    assert!(find(&c, "userns")
        .fix
        .as_ref()
        .unwrap()
        .starts_with("sysctl -w kernel.unprivileged_userns_clone=1"));
}

#[test]
fn full_mapping_refused_is_a_failure_with_the_files_named() {
    let (mut r, _d) = report();
    let u = &mut r.rctr.user_namespace;
    u.works = false;
    u.single_id_works = Some(true);
    u.error = Some("newuidmap: uid range [1-65537) -> [100000-165536) not allowed".into());
    let c = checks(&r, "alice");
    let x = find(&c, "userns");
    assert_eq!(x.status, Status::Fail);
    assert!(x.message.contains("not allowed"));
    assert!(x.fix.as_ref().unwrap().contains("getsubids alice"));
}

#[test]
fn no_overlay_at_all_fails_with_install_and_chmod() {
    let (mut r, _d) = report();
    r.rctr.overlay.native = Probed::Ok(crate::probe::overlay::NativeOverlay {
        supported: false,
        reason: Some("mount -t overlay -o userxattr failed: EINVAL".into()),
        kernel: "5.4.0".into(),
        store_fs: "x".into(),
        probed_at: 0,
        lowerdir_append: None,
        from_cache: false,
        elapsed_ms: 0.0,
    });
    r.rctr.overlay.fuse.fuse_overlayfs = None;
    r.rctr.overlay.fuse.dev_fuse.usable = false;
    r.rctr.overlay.fuse.dev_fuse.path = "/dev/fuse".into();
    r.host.basics.distribution.distribution = "fedora".into();
    let c = checks(&r, "alice");
    let o = find(&c, "overlay");
    assert_eq!(o.status, Status::Fail);
    let fix = o.fix.as_ref().unwrap();
    assert!(fix.starts_with("dnf install fuse-overlayfs && "), "{fix}");
    assert!(fix.contains("kernel >= 5.11"), "{fix}");
    assert_eq!(find(&c, "fuse").status, Status::Fail);
    // With the fallback working it is only a warning.
    r.rctr.overlay.fuse.fuse_overlayfs = Some(crate::probe::tools::Tool {
        executable: "/usr/bin/fuse-overlayfs".into(),
        version: None,
    });
    r.rctr.overlay.fuse.dev_fuse.usable = true;
    let c = checks(&r, "alice");
    assert_eq!(find(&c, "overlay").status, Status::Warn);
    assert_eq!(find(&c, "fuse").status, Status::Pass);
}

#[test]
fn network_store_warns_with_root_flag() {
    let (mut r, _d) = report();
    r.rctr.store.dir.problem = None;
    r.rctr.store.filesystem = Probed::Ok(crate::probe::fs::FsInfo {
        path: "/nfshome/alice/.local/share/rctr".into(),
        fs_type: "nfs4".into(),
        magic: "0x6969".into(),
        mount_point: Some("/nfshome".into()),
        source: Some("srv:/export".into()),
        network: true,
    });
    let c = checks(&r, "alice");
    let s = find(&c, "store");
    assert_eq!(s.status, Status::Warn);
    assert!(s.message.contains("nfs4") && s.message.contains("podman#7091"));
    assert!(s
        .fix
        .as_ref()
        .unwrap()
        .contains("rctr --root /var/tmp/alice/rctr"));
}

#[test]
fn helper_fixes_match_the_problem() {
    let (mut r, _d) = report();
    let h = &mut r.rctr.id_helpers.newuidmap;
    h.path = Some("/usr/bin/newuidmap".into());
    h.problem = Some("/usr/bin/newuidmap is setuid but owned by uid 5, not root".into());
    let g = &mut r.rctr.id_helpers.newgidmap;
    g.path = Some("/usr/bin/newgidmap".into());
    g.problem = Some("/usr/bin/newgidmap has cap_setgid permitted but not effective".into());
    let c = checks(&r, "alice");
    let x = find(&c, "idmap-helpers");
    assert_eq!(x.status, Status::Warn);
    assert_eq!(
        x.fix.as_deref(),
        Some(
            "chown root:root /usr/bin/newuidmap && chmod u+s /usr/bin/newuidmap; \
             setcap cap_setgid+ep /usr/bin/newgidmap"
        )
    );
}

#[test]
fn every_problem_has_a_fix() {
    let (r, _d) = report();
    for c in checks(&r, "alice") {
        if c.status != Status::Pass {
            assert!(c.fix.is_some(), "{c:?}");
        }
    }
}

#[test]
fn kernel_below_the_floor_fails_and_fallbacks_pass() {
    use crate::probe::kernel::{Feature, KernelFeatures};
    let (mut r, _d) = report();
    let f = |name: &str, present: bool, fallback: Option<&str>| Feature {
        name: name.into(),
        since: "5.x".into(),
        present,
        fallback: fallback.map(str::to_string),
        error: None,
    };
    let mut k = KernelFeatures {
        release: "6.1.0".into(),
        boot_id: "b".into(),
        features: vec![
            f("mount_setattr", false, Some("remount")),
            f("openat2", true, None),
        ],
        from_cache: false,
    };
    r.rctr.kernel = Probed::Ok(k.clone());
    let c = checks(&r, "alice");
    let x = c.iter().find(|c| c.check == "kernel").unwrap();
    assert_eq!(x.status, Status::Pass);
    assert!(x.message.contains("no mount_setattr"), "{}", x.message);
    k.features
        .push(f("openat2 with RESOLVE_IN_ROOT", false, None));
    r.rctr.kernel = Probed::Ok(k);
    let c = checks(&r, "alice");
    let x = c.iter().find(|c| c.check == "kernel").unwrap();
    assert_eq!(x.status, Status::Fail);
    assert!(
        x.message.contains("containers cannot start"),
        "{}",
        x.message
    );
}
