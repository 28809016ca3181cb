//! `rctr info` and `rctr doctor`, run as the unprivileged lab users: the report must tell the
//! truth about this host (checked here independently of rctr's own code) and every bad input
//! must give a clear WARN/FAIL with its fix, never a crash. Bad host setups: doctor_faults.rs.
mod common;
mod info_support;
use common::*;
use info_support::*;
use serde_json::Value;
use std::time::Instant;

#[test]
fn info_rctrtest_full_mapping_native_overlay_and_cgroups_truth() {
    if !require_users() {
        return;
    }
    let u = user();
    let (su, sg) = (subuid_range(&u), subgid_range(&u));
    let sb = Sandbox::new(&u);
    let t0 = Instant::now();
    let v = info(&sb, &[]);
    let first_ms = t0.elapsed().as_millis();
    let h = &v["host"];
    assert_eq!(h["kernel"], kernel_release().as_str());
    assert_eq!(h["os"], "linux");
    assert_eq!(h["security"]["rootless"], true);
    assert_eq!(h["ociRuntime"]["name"], "rctr (built-in)");
    assert_eq!(
        map(&h["idMappings"]["uidmap"]),
        vec![(0, u.uid.into(), 1), (1, su.start.into(), su.count.into())]
    );
    assert_eq!(
        map(&h["idMappings"]["gidmap"]),
        vec![(0, u.gid.into(), 1), (1, sg.start.into(), sg.count.into())]
    );
    let x = &v["rctr"];
    let ids = &x["subordinateIds"];
    assert_eq!(ids["mode"], "full");
    assert!(ids["singleIdReason"].is_null());
    assert_eq!(ids["subuid"]["matchedBy"], serde_json::json!(["name"]));
    // The mapping was really set up through newuidmap, and the kernel shows it.
    let ns = &x["userNamespace"];
    assert_eq!(ns["works"], true, "{ns}");
    let inside = ns["uidMapInside"].as_str().unwrap();
    let want = format!("0 {} 1 1 {} {}", u.uid, su.start, su.count);
    assert_eq!(
        inside.split_whitespace().collect::<Vec<_>>(),
        want.split(' ').collect::<Vec<_>>(),
        "{inside:?}"
    );
    assert_eq!(x["idHelpers"]["newuidmap"]["setuidRoot"], true);
    // Native overlay, proved by a mount.
    assert_eq!(
        x["overlay"]["native"]["supported"], true,
        "{}",
        x["overlay"]
    );
    assert_eq!(v["store"]["graphStatus"]["Native Overlay Diff"], "true");
    assert_eq!(x["overlay"]["devFuse"]["usable"], true);
    // cgroups: what this host really has.
    let layout = cgroup_layout();
    assert_eq!(h["cgroupVersion"], layout);
    let cg = &x["cgroups"];
    assert_eq!(cg["version"], layout);
    if layout != "v2" {
        assert_eq!(cg["delegated"], serde_json::json!([]));
        assert_eq!(h["cgroupControllers"], serde_json::json!([]));
        assert_eq!(cg["limitsAvailable"], false);
        assert!(
            cg["note"]
                .as_str()
                .unwrap()
                .contains("none delegated: resource limits unavailable"),
            "{cg}"
        );
    }
    // Dirs and store from the sandbox environment.
    assert_eq!(v["store"]["graphRoot"], sb.store().to_str().unwrap());
    assert_eq!(
        v["store"]["runRoot"],
        sb.run_dir().join("rctr").to_str().unwrap()
    );
    assert_eq!(x["dirs"]["runtimeSource"], "XDG_RUNTIME_DIR");
    assert_eq!(x["store"]["dir"]["problem"], Value::Null);
    assert_eq!(x["store"]["filesystem"]["network"], false);
    assert_eq!(v["registries"]["search"], serde_json::json!([REGISTRY]));
    assert!(v["version"]["RustVersion"]
        .as_str()
        .unwrap()
        .starts_with("1."));
    // Fast: the cached overlay verdict makes a second run cheap.
    let t1 = Instant::now();
    let v2 = info(&sb, &[]);
    let second_ms = t1.elapsed().as_millis();
    assert_eq!(v2["rctr"]["overlay"]["native"]["fromCache"], true);
    visible(&format!(
        "info timing: first {first_ms} ms, cached {second_ms} ms, probes {} ms",
        v2["rctr"]["probeMs"]
    ));
    assert!(second_ms < 1000, "info took {second_ms} ms");
}

#[test]
fn info_default_yaml_and_go_templates() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    let y = sb.rctr_ok(&["info"]);
    assert!(y.starts_with("host:\n  arch: "), "{y}");
    assert!(
        y.contains(&format!("\n  kernel: {}\n", kernel_release())),
        "{y}"
    );
    assert!(y.contains("\nstore:\n") && y.contains("\nversion:\n") && y.contains("\nrctr:\n"));
    let out = sb.rctr_ok(&["info", "--format", "{{.Host.Kernel}}"]);
    assert_eq!(out, format!("{}\n", kernel_release()));
    let out = sb.rctr_ok(&[
        "info",
        "-f",
        "{{.Store.GraphRoot}} {{.Host.Security.Rootless}}",
    ]);
    assert_eq!(out, format!("{} true\n", sb.store().display()));
    let out = sb.rctr(&["info", "-f", "{{.NoSuchField}}"]);
    assert_exit(&out, 125);
    assert!(stderr(&out).contains("NoSuchField"), "{}", describe(&out));
}

#[test]
fn store_counts_follow_pull() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let v = info(&sb, &[]);
    assert_eq!(v["store"]["imageStore"]["number"], 0);
    assert_eq!(v["store"]["containerStore"]["number"], 0);
    sb.rctr_ok(&["pull", "-q", &format!("{REGISTRY}/busybox:latest")]);
    let v = info(&sb, &[]);
    assert_eq!(v["store"]["imageStore"]["number"], 1, "{}", v["store"]);
}

#[test]
fn a_broken_probe_reports_its_error_in_its_field() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    let conf = sb.config_home().join("containers/registries.conf");
    std::fs::write(&conf, "unqualified-search-registries = [\"oops\"\n[[[").unwrap();
    let v = info(&sb, &[]);
    let err = v["registries"]["error"].as_str().unwrap();
    assert!(err.contains("registries.conf"), "{err}");
    assert_eq!(v["rctr"]["userNamespace"]["works"], true);
}

#[test]
fn overlay_probe_is_cached_in_the_store_and_leaves_nothing_behind() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    assert!(!sb.store().exists());
    sb.rctr_ok(&["info"]);
    let cache = sb.store().join(".overlay-probe.json");
    let c: Value = serde_json::from_slice(&std::fs::read(&cache).unwrap()).unwrap();
    assert_eq!(c["supported"], true);
    assert_eq!(c["kernel"], kernel_release().as_str());
    let left: Vec<_> = std::fs::read_dir(sb.store())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".overlay-probe-") || n.starts_with(".tmp-"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    // A cache for another kernel is not trusted: the mount is tried again.
    std::fs::write(
        &cache,
        r#"{"supported":false,"reason":"stale","kernel":"2.6.32","storeFs":"x","probedAt":0}"#,
    )
    .unwrap();
    let v = info(&sb, &[]);
    assert_eq!(v["rctr"]["overlay"]["native"]["supported"], true);
    assert_eq!(v["rctr"]["overlay"]["native"]["fromCache"], false);
    // doctor always re-tests.
    let out = sb.rctr_ok(&["doctor"]);
    assert!(
        line_with(&out, "native overlay").contains("tested now"),
        "{out}"
    );
}

#[test]
fn doctor_rctrtest_passes_with_cgroup_warning_only() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    let out = sb.rctr(&["doctor"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(!text.contains("FAIL"), "{text}");
    assert!(
        line_with(&text, "user namespace").starts_with("PASS  user namespace: full mapping works")
    );
    assert!(
        line_with(&text, "native overlay").starts_with("PASS"),
        "{text}"
    );
    assert!(
        line_with(&text, "subordinate IDs").starts_with("PASS"),
        "{text}"
    );
    if cgroup_layout() != "v2" {
        let l = line_with(&text, "cgroups:");
        assert!(
            l.starts_with("WARN") && l.contains("limits unavailable"),
            "{text}"
        );
        fix_after(&text, "cgroups:");
    }
    assert!(
        text.lines().last().unwrap().contains("0 failures"),
        "{text}"
    );
    // --format json: the same checks as data.
    let j: Value = serde_json::from_str(&sb.rctr_ok(&["doctor", "--format", "json"])).unwrap();
    let checks = j.as_array().unwrap();
    assert!(checks
        .iter()
        .any(|c| c["check"] == "userns" && c["status"] == "PASS"));
    assert!(checks.iter().all(|c| c["status"] != "FAIL"));
}
