//! `rctr info` and `rctr doctor` on bad host setups, as the unprivileged lab users: missing or
//! malformed subordinate-ID files, newuidmap missing or without setuid, an unusable runtime
//! dir, home or store. Each gives a clear WARN/FAIL with its fix, never a crash.
mod common;
mod info_support;
use common::*;
use info_support::*;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

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
