//! What confines the process: capabilities (podman's default set, `--cap-add/--cap-drop`,
//! `--privileged`), the seccomp profile, masked and read-only paths.
use super::settings::Settings;
use crate::runtime::{caps, seccomp};
use oci_spec::runtime::{Capability, Linux, LinuxCapabilities};
use std::collections::HashSet;
use std::str::FromStr;

/// podman's masked paths (containers/common pkg/config, podman 4.x).
pub const MASKED_PATHS: [&str; 11] = [
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/fs/selinux",
    "/sys/dev/block",
];

/// podman's read-only paths.
pub const READONLY_PATHS: [&str; 6] = [
    "/proc/asound",
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

fn cap_set(names: &[&str]) -> HashSet<Capability> {
    names
        .iter()
        .filter_map(|n| Capability::from_str(n).ok())
        .collect()
}

/// Does `user` (a `-u` value) name root? Root gets the capability set in its effective and
/// permitted sets; any other user only in its bounding set, unless added with --cap-add.
fn is_root(user: &str) -> bool {
    let u = user.split(':').next().unwrap_or("");
    u.is_empty() || u == "0" || u == "root"
}

/// The capability sets for `user`, and the resolved names (the seccomp profile depends on
/// them).
pub(super) fn capabilities(
    s: &Settings,
    user: &str,
) -> anyhow::Result<(LinuxCapabilities, Vec<&'static str>)> {
    let capset = caps::resolve(s.privileged, &s.cap_add, &s.cap_drop)?;
    let full = cap_set(&capset);
    let added: Vec<&str> = s
        .cap_add
        .iter()
        .filter_map(|c| caps::canonical(c))
        .filter(|c| capset.contains(c))
        .collect();
    let mut c = LinuxCapabilities::default();
    c.set_bounding(Some(full.clone()));
    // No inheritable set: podman's fix for CVE-2022-27649 (inheritable caps let a non-root
    // exec of a file with inheritable file capabilities gain them).
    c.set_inheritable(Some(HashSet::new()));
    if is_root(user) {
        c.set_effective(Some(full.clone()));
        c.set_permitted(Some(full));
        c.set_ambient(Some(HashSet::new()));
    } else {
        let a = cap_set(&added);
        c.set_effective(Some(a.clone()));
        c.set_permitted(Some(a.clone()));
        c.set_ambient(Some(a));
    }
    Ok((c, capset))
}

/// Masked/read-only paths and seccomp (none of them with `--privileged`).
pub(super) fn confine(linux: &mut Linux, s: &Settings, capset: &[&str]) {
    if s.privileged {
        linux.set_masked_paths(None);
        linux.set_readonly_paths(None);
    } else {
        linux.set_masked_paths(Some(MASKED_PATHS.iter().map(|s| s.to_string()).collect()));
        linux.set_readonly_paths(Some(READONLY_PATHS.iter().map(|s| s.to_string()).collect()));
    }
    if !s.privileged && !s.seccomp_unconfined {
        let mut p = seccomp::default_profile(capset);
        if s.root_emulation {
            seccomp::emulate_root(&mut p);
        }
        linux.set_seccomp(Some(p));
    }
}
