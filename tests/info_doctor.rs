//! `rctr info` and `rctr doctor`, run as the unprivileged lab users: the report must tell the
//! truth about this host (checked here independently of rctr's own code) and every bad input
//! must give a clear WARN/FAIL with its fix, never a crash.
mod common;
use common::*;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Instant;

fn info(sb: &Sandbox, extra: &[&str]) -> Value {
    let mut args = extra.to_vec();
    args.extend(["info", "--format", "json"]);
    let out = sb.rctr(&args);
    assert_ok(&out);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("info --format json is not JSON ({e})\n{}", describe(&out)))
}

fn map(v: &Value) -> Vec<(u64, u64, u64)> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list: {v}"))
        .iter()
        .map(|m| {
            (
                m["container_id"].as_u64().unwrap(),
                m["host_id"].as_u64().unwrap(),
                m["size"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn kernel_release() -> String {
    nix::sys::utsname::uname()
        .unwrap()
        .release()
        .to_string_lossy()
        .into_owned()
}

/// The cgroup layout, read from mountinfo (not from rctr's own detection code).
fn cgroup_layout() -> &'static str {
    let mi = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    let fstype = |mp: &str| {
        mi.lines().rev().find_map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            let sep = f.iter().position(|x| *x == "-")?;
            (f.get(4)? == &mp).then(|| f[sep + 1].to_string())
        })
    };
    match fstype("/sys/fs/cgroup").as_deref() {
        Some("cgroup2") => "v2",
        Some("tmpfs") if fstype("/sys/fs/cgroup/unified").as_deref() == Some("cgroup2") => "hybrid",
        _ => "v1",
    }
}

/// A dir in the sandbox the test user can read, holding `files` (name, content, mode).
fn user_dir(sb: &Sandbox, name: &str, files: &[(&str, &str, u32)]) -> std::path::PathBuf {
    let d = sb.path().join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
    for (f, text, mode) in files {
        let p = d.join(f);
        std::fs::write(&p, text).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(*mode)).unwrap();
    }
    d
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

/// The line after the one containing `needle` (the `fix:` line).
fn fix_after<'a>(text: &'a str, needle: &str) -> &'a str {
    let mut it = text.lines().skip_while(|l| !l.contains(needle));
    it.next()
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"));
    let fix = it.next().unwrap_or("");
    assert!(
        fix.starts_with("      fix: "),
        "no fix under {needle:?}:\n{text}"
    );
    fix
}

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

#[test]
fn rctrnosub_is_single_id_mode_with_the_usermod_fix() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new_nosub();
    let v = info(&sb, &[]);
    let ids = &v["rctr"]["subordinateIds"];
    assert_eq!(ids["mode"], "single-id");
    let why = ids["singleIdReason"].as_str().unwrap();
    assert!(why.contains("no subordinate UIDs for rctrnosub"), "{why}");
    let n = nosub_user();
    assert_eq!(
        map(&v["host"]["idMappings"]["uidmap"]),
        vec![(0, n.uid.into(), 1)]
    );
    assert_eq!(
        map(&v["host"]["idMappings"]["gidmap"]),
        vec![(0, n.gid.into(), 1)]
    );
    assert_eq!(v["rctr"]["userNamespace"]["works"], true);
    assert_eq!(v["rctr"]["overlay"]["native"]["supported"], true);

    let out = sb.rctr(&["doctor"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(line_with(&text, "user namespace")
        .starts_with("PASS  user namespace: single-ID mapping works"));
    let l = line_with(&text, "subordinate IDs");
    assert!(
        l.starts_with("WARN") && l.contains("single-ID mode"),
        "{text}"
    );
    let fix = fix_after(&text, "subordinate IDs");
    // usermod --add-subuids A-B --add-subgids A-B rctrnosub, with A-B free in both files.
    let f: Vec<&str> = fix.split_whitespace().collect();
    assert_eq!(
        f[1..],
        [
            "usermod",
            "--add-subuids",
            f[3],
            "--add-subgids",
            f[3],
            "rctrnosub"
        ]
    );
    let (a, b) = f[3].split_once('-').unwrap();
    let (a, b): (u64, u64) = (a.parse().unwrap(), b.parse().unwrap());
    assert_eq!(b - a + 1, 65536);
    for file in ["/etc/subuid", "/etc/subgid"] {
        for l in std::fs::read_to_string(file).unwrap_or_default().lines() {
            let p: Vec<&str> = l.split(':').collect();
            if let (Some(s), Some(c)) = (p.get(1), p.get(2)) {
                let (s, c): (u64, u64) = (s.parse().unwrap_or(0), c.parse().unwrap_or(0));
                assert!(b < s || a >= s + c, "{fix} overlaps {file}: {l}");
            }
        }
    }
}

#[test]
fn malformed_uid_keyed_and_overlapping_subid_files() {
    if !require_users() {
        return;
    }
    let u = user();
    let (su, sg) = (subuid_range(&u), subgid_range(&u));
    let sb = Sandbox::new(&u);
    // The ranges newuidmap really grants (from /etc) plus junk, a uid-keyed gid line and
    // another user overlapping rctrtest's range.
    let subuid = format!(
        "# comment\n{}:{}:{}\nbad line\nbob:{}:100\nx:1:y\n",
        u.name,
        su.start,
        su.count,
        su.start + su.count / 2
    );
    let subgid = format!(
        "{}:{}:{}\n\u{0}\u{1}garbage:::\n",
        u.uid, sg.start, sg.count
    );
    let d = user_dir(
        &sb,
        "subids",
        &[("subuid", &subuid, 0o644), ("subgid", &subgid, 0o644)],
    );
    sb.env("RCTR_SUBUID_FILE", d.join("subuid"));
    sb.env("RCTR_SUBGID_FILE", d.join("subgid"));
    let v = info(&sb, &[]);
    let ids = &v["rctr"]["subordinateIds"];
    assert_eq!(ids["mode"], "full", "{ids}");
    assert_eq!(ids["overridden"], true);
    assert_eq!(ids["subgid"]["matchedBy"], serde_json::json!(["uid"]));
    let lines: Vec<u64> = ids["subuid"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 5]);
    assert_eq!(ids["subgid"]["problems"][0]["line"], 2);
    let bob = format!("bob:{}:100", su.start + su.count / 2);
    assert!(ids["subuid"]["overlaps"][0]
        .as_str()
        .unwrap()
        .contains(&bob));
    assert_eq!(v["rctr"]["userNamespace"]["works"], true);

    let out = sb.rctr(&["doctor"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let l = line_with(&text, "malformed line 3");
    assert!(l.starts_with("WARN") && l.contains("line 5"), "{text}");
    assert!(fix_after(&text, "malformed line 3").contains("correct or delete lines 3, 5"));
    let l = line_with(&text, "overlaps bob");
    assert!(l.starts_with("WARN"), "{text}");
    let fix = fix_after(&text, "overlaps bob");
    assert!(
        fix.contains(&format!(
            "usermod --del-subuids {} --add-subuids ",
            su.dashed()
        )) && fix.ends_with(" rctrtest"),
        "{fix}"
    );
}

#[test]
fn unreadable_subuid_file_is_reported_not_fatal() {
    if !require_users() {
        return;
    }
    let u = user();
    let su = subuid_range(&u);
    let sb = Sandbox::new(&u);
    let line = format!("{}:{}:{}\n", u.name, su.start, su.count);
    let d = user_dir(&sb, "subids", &[("subuid", &line, 0o600)]);
    // Root-owned 0600: rctrtest cannot read it.
    sb.env("RCTR_SUBUID_FILE", d.join("subuid"));
    let v = info(&sb, &[]);
    let ids = &v["rctr"]["subordinateIds"];
    assert_eq!(ids["mode"], "single-id");
    assert!(ids["subuid"]["readError"]
        .as_str()
        .unwrap()
        .contains("ermission denied"));
    let out = sb.rctr(&["doctor"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(line_with(&text, "cannot read").starts_with("WARN"));
    assert_eq!(
        fix_after(&text, "cannot read").trim(),
        format!("fix: chmod 0644 {}", d.join("subuid").display())
    );
}

#[test]
fn newuidmap_without_setuid_first_on_path_falls_back_to_single_id() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    let bin = user_dir(&sb, "bin", &[]);
    for h in ["newuidmap", "newgidmap"] {
        // A plain copy: no setuid bit, no file capability.
        std::fs::copy(format!("/usr/bin/{h}"), bin.join(h)).unwrap();
        std::fs::set_permissions(bin.join(h), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    sb.env("PATH", format!("{}:{USER_PATH}", bin.display()));
    let v = info(&sb, &[]);
    let ids = &v["rctr"]["subordinateIds"];
    assert_eq!(ids["mode"], "single-id");
    assert!(
        ids["singleIdReason"]
            .as_str()
            .unwrap()
            .contains("neither setuid root"),
        "{ids}"
    );
    assert_eq!(v["rctr"]["idHelpers"]["newuidmap"]["setuidRoot"], false);
    assert_eq!(v["rctr"]["userNamespace"]["works"], true);
    let out = sb.rctr(&["doctor"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    let fix = fix_after(&text, "newuidmap is neither setuid root");
    let u = bin.join("newuidmap");
    let g = bin.join("newgidmap");
    assert!(fix.contains(&format!("chmod u+s {}", u.display())), "{fix}");
    assert!(
        fix.contains(&format!("setcap cap_setuid+ep {}", u.display())),
        "{fix}"
    );
    assert!(
        fix.contains(&format!("setcap cap_setgid+ep {}", g.display())),
        "{fix}"
    );
}

#[test]
fn no_newuidmap_in_path() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    let empty = user_dir(&sb, "emptybin", &[]);
    sb.env("PATH", empty.as_os_str());
    let v = info(&sb, &[]);
    assert_eq!(v["rctr"]["subordinateIds"]["mode"], "single-id");
    assert!(v["rctr"]["idHelpers"]["newuidmap"]["path"].is_null());
    let out = sb.rctr(&["doctor"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        line_with(&text, "not found in PATH").starts_with("WARN"),
        "{text}"
    );
    assert!(fix_after(&text, "not found in PATH").contains("apt-get install uidmap"));
}

#[test]
fn xdg_runtime_dir_unset_foreign_or_open_uses_fallback() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    // Owned by root (another user), 0700.
    let foreign = sb.path().join("foreign-run");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::set_permissions(&foreign, std::fs::Permissions::from_mode(0o700)).unwrap();
    sb.env("XDG_RUNTIME_DIR", foreign.as_os_str());
    let v = info(&sb, &[]);
    let d = &v["rctr"]["dirs"];
    assert_eq!(d["runtimeSource"], "fallback");
    assert!(d["runtimeFallbackReason"]
        .as_str()
        .unwrap()
        .contains("owned by uid 0"));
    assert_eq!(
        d["runtimeBase"],
        sb.tmp_dir()
            .join(format!("rctr-run-{}", sb.user().uid))
            .to_str()
            .unwrap()
    );
    let text = stdout(&sb.rctr(&["doctor"]));
    assert!(line_with(&text, "runtime dir").starts_with("WARN"));
    assert!(fix_after(&text, "runtime dir").contains("unset XDG_RUNTIME_DIR"));

    // Ours but group/world-accessible.
    std::fs::set_permissions(sb.run_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    sb.env("XDG_RUNTIME_DIR", sb.run_dir());
    let text = stdout(&sb.rctr(&["doctor"]));
    assert!(
        line_with(&text, "runtime dir").contains("not 0700"),
        "{text}"
    );
    assert_eq!(
        fix_after(&text, "runtime dir").trim(),
        format!("fix: chmod 0700 {}", sb.run_dir().display())
    );

    sb.unset("XDG_RUNTIME_DIR");
    let out = sb.rctr(&["doctor"]);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(line_with(&text, "runtime dir").contains("XDG_RUNTIME_DIR is not set"));
    assert!(fix_after(&text, "runtime dir").contains("loginctl enable-linger rctrtest"));
}

#[test]
fn home_unset_uses_passwd_home() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    sb.unset("HOME");
    let v = info(&sb, &[]);
    assert_eq!(v["rctr"]["dirs"]["homeSource"], "passwd");
    assert_eq!(v["rctr"]["dirs"]["home"], "/home/rctrtest");
    // XDG_DATA_HOME still decides the store.
    assert_eq!(v["store"]["graphRoot"], sb.store().to_str().unwrap());
    let text = sb.rctr_ok(&["doctor"]);
    assert!(line_with(&text, "HOME is not set").starts_with("WARN"));
    assert!(fix_after(&text, "HOME is not set").contains("export HOME=/home/rctrtest"));
}

#[test]
fn unusable_store_fails_doctor_with_exit_1() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    // A root-owned dir the user cannot write into.
    let locked = sb.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let root = locked.join("store");
    let root_s = root.to_str().unwrap();
    let out = sb.rctr(&["--root", root_s, "doctor"]);
    assert_exit(&out, 1);
    let text = stdout(&out);
    let l = line_with(&text, "  store: ");
    assert!(
        l.starts_with("FAIL") && l.contains("cannot create"),
        "{text}"
    );
    assert!(fix_after(&text, "  store: ").contains("--root"), "{text}");
    // The overlay could not be tested there: the line says so and points at the store.
    let l = line_with(&text, "native overlay");
    assert!(l.starts_with("WARN") && l.contains("not tested"), "{text}");
    assert!(text.lines().last().unwrap().contains("1 failure"), "{text}");
    // info still answers, with the error in its field.
    let v = info(&sb, &["--root", root_s]);
    assert!(v["rctr"]["store"]["dir"]["problem"]
        .as_str()
        .unwrap()
        .contains("cannot create"));
    assert!(v["rctr"]["overlay"]["native"]["error"].is_string());
}

#[test]
fn store_on_tmpfs_is_named_and_overlay_still_works() {
    if !require_users() {
        return;
    }
    require!(Path::new("/dev/shm").is_dir(), "no /dev/shm");
    let sb = Sandbox::new(&user());
    let shm = tempfile::Builder::new()
        .prefix("rctr-it-h2-")
        .tempdir_in("/dev/shm")
        .unwrap();
    std::os::unix::fs::chown(shm.path(), Some(sb.user().uid), Some(sb.user().gid)).unwrap();
    let root = shm.path().join("store");
    let v = info(&sb, &["--root", root.to_str().unwrap()]);
    let fs = &v["rctr"]["store"]["filesystem"];
    assert_eq!(fs["type"], "tmpfs", "{fs}");
    assert_eq!(fs["network"], false);
    assert_eq!(v["store"]["graphStatus"]["Backing Filesystem"], "tmpfs");
    // Native overlay is a per-filesystem verdict: tested again on tmpfs.
    let n = &v["rctr"]["overlay"]["native"];
    assert_eq!(n["fromCache"], false);
    assert!(n["supported"].is_boolean(), "{n}");
}

#[test]
fn usage_errors_are_125() {
    if !require_users() {
        return;
    }
    let sb = Sandbox::new(&user());
    for args in [
        &["info", "--bogus"][..],
        &["doctor", "--bogus"],
        &["doctor", "--format", "{{.X}}"],
        &["info", "--format"],
    ] {
        let out = sb.rctr(args);
        assert_exit(&out, 125);
        let err = stderr(&out);
        assert!(err.contains("rror"), "{}", describe(&out));
    }
}
