//! Helpers shared by tests/info_doctor.rs and tests/doctor_faults.rs.
#![allow(dead_code)]
use crate::common::*;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;

pub fn info(sb: &Sandbox, extra: &[&str]) -> Value {
    let mut args = extra.to_vec();
    args.extend(["info", "--format", "json"]);
    let out = sb.rctr(&args);
    assert_ok(&out);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("info --format json is not JSON ({e})\n{}", describe(&out)))
}

pub fn map(v: &Value) -> Vec<(u64, u64, u64)> {
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

pub fn kernel_release() -> String {
    nix::sys::utsname::uname()
        .unwrap()
        .release()
        .to_string_lossy()
        .into_owned()
}

/// The cgroup layout, read from mountinfo (not from rctr's own detection code).
pub fn cgroup_layout() -> &'static str {
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
pub fn user_dir(sb: &Sandbox, name: &str, files: &[(&str, &str, u32)]) -> std::path::PathBuf {
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

pub fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

/// The line after the one containing `needle` (the `fix:` line).
pub fn fix_after<'a>(text: &'a str, needle: &str) -> &'a str {
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
