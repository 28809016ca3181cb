//! `rctr doctor`: the [`Report`] judged line by line, each problem with the exact command an
//! administrator runs to fix it. FAIL only for what blocks containers outright (no user
//! namespace, no overlay at all, no usable store); degraded modes are WARN.
use super::fixes::{install, Pkg};
use super::{Probed, Report};
use crate::idmap::{IdMap, MappingMode};
use serde::Serialize;

mod ids;
mod session;
mod storage;
#[cfg(test)]
mod tests;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub status: Status,
    /// Short stable name of the area ("userns", "subuid", …).
    pub check: &'static str,
    pub message: String,
    pub fix: Option<String>,
}

fn c(status: Status, check: &'static str, message: String, fix: Option<String>) -> Check {
    Check {
        status,
        check,
        message,
        fix,
    }
}

/// The kernel line: FAIL when a feature without fallback is missing (containers cannot
/// start), else PASS naming the fallbacks in use.
fn kernel_check(v: &mut Vec<Check>, r: &Report) {
    use Status::*;
    let release = &r.host.basics.kernel;
    let k = match &r.rctr.kernel {
        Probed::Ok(k) => k,
        Probed::Failed { error } => {
            v.push(c(
                Warn,
                "kernel",
                format!("kernel {release}: features not tested ({error})"),
                Some("the probe needs a user namespace: fix the lines above, then run rctr doctor again".into()),
            ));
            return;
        }
    };
    let missing = k.missing();
    if !missing.is_empty() {
        let names: Vec<String> = missing
            .iter()
            .map(|f| format!("{} (Linux {})", f.name, f.since))
            .collect();
        v.push(c(
            Fail,
            "kernel",
            format!(
                "kernel {release} lacks {}: containers cannot start (rctr needs Linux 5.10 or newer)",
                names.join(", ")
            ),
            Some("boot a newer kernel (Linux 5.10 or later; your distribution's current one)".into()),
        ));
        return;
    }
    let fb: Vec<String> = k
        .fallbacks()
        .iter()
        .map(|f| {
            format!(
                "no {} (Linux {}): {}",
                f.name,
                f.since,
                f.fallback.as_deref().unwrap_or("")
            )
        })
        .collect();
    let msg = if fb.is_empty() {
        format!("kernel {release}: every feature rctr uses is there")
    } else {
        format!("kernel {release}: fallbacks in use: {}", fb.join("; "))
    };
    v.push(c(Pass, "kernel", msg, None));
}

fn show_map(m: &[IdMap]) -> String {
    m.iter()
        .map(|e| {
            if e.size == 1 {
                format!("{}→{}", e.container_id, e.host_id)
            } else {
                format!(
                    "{}-{}→{}-{}",
                    e.container_id,
                    e.container_id as u64 + e.size as u64 - 1,
                    e.host_id,
                    e.host_id as u64 + e.size as u64 - 1
                )
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Judge the report. `user` is the login name (or uid) used in fixes.
pub fn checks(r: &Report, user: &str) -> Vec<Check> {
    let mut v = Vec::new();
    let x = &r.rctr;
    let distro = &r.host.basics.distribution;
    use Status::*;

    // User namespace: the real test.
    let ut = &x.user_namespace;
    if ut.works {
        let what = match ut.mode {
            MappingMode::Full => "full mapping works",
            MappingMode::SingleId => "single-ID mapping works",
        };
        v.push(c(
            Pass,
            "userns",
            format!(
                "user namespace: {what} (uid {}; gid {}), tested in {:.1} ms",
                show_map(&r.host.id_mappings.uidmap),
                show_map(&r.host.id_mappings.gidmap),
                ut.elapsed_ms
            ),
            None,
        ));
    } else if ut.single_id_works == Some(true) {
        v.push(c(
            Fail,
            "userns",
            format!(
                "user namespace: the subordinate-ID mapping fails: {}",
                ut.error.as_deref().unwrap_or("?")
            ),
            Some(ids::helper_fix(r).unwrap_or_else(|| {
                if x.subordinate_ids.overridden {
                    "RCTR_SUBUID_FILE/RCTR_SUBGID_FILE list ranges newuidmap/newgidmap do not grant (they read /etc/subuid and /etc/subgid): make them agree, or unset the variables".into()
                } else {
                    format!(
                        "newuidmap/newgidmap refuse the ranges rctr read from {} and {}: check those files (and /etc/login.defs, nsswitch.conf `subid:`) with `getsubids {user}`",
                        x.subordinate_ids.subuid.file.display(),
                        x.subordinate_ids.subgid.file.display()
                    )
                }
            })),
        ));
    } else {
        let k = &ut.knobs;
        let fix = if k.max_user_namespaces == Some(0) {
            "sysctl -w user.max_user_namespaces=15000 (persist it in /etc/sysctl.d/)".to_string()
        } else if k.unprivileged_userns_clone == Some(0) {
            "sysctl -w kernel.unprivileged_userns_clone=1 (persist it in /etc/sysctl.d/)".into()
        } else if k.apparmor_restrict_unprivileged_userns == Some(1) {
            "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or add an AppArmor profile for rctr with `userns,`".into()
        } else {
            "unprivileged user namespaces are blocked by a security policy (seccomp, LSM, or an enclosing container): allow unshare(CLONE_NEWUSER) for this user".into()
        };
        v.push(c(
            Fail,
            "userns",
            format!(
                "user namespace: cannot create one: {}",
                ut.error.as_deref().unwrap_or("?")
            ),
            Some(fix),
        ));
    }

    ids::subid_checks(&mut v, r, user);

    // Helpers (needed for the full mapping).
    let hs = [&x.id_helpers.newuidmap, &x.id_helpers.newgidmap];
    let have_ranges = !x.subordinate_ids.subuid.ranges.is_empty();
    if hs.iter().all(|h| h.problem.is_none()) {
        v.push(c(
            Pass,
            "idmap-helpers",
            format!(
                "newuidmap/newgidmap: {}",
                hs.iter()
                    .map(|h| format!(
                        "{} ({})",
                        h.path
                            .as_ref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default(),
                        if h.setuid_root {
                            "setuid root"
                        } else {
                            "file capability"
                        }
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None,
        ));
    } else {
        let mut probs: Vec<String> = hs.iter().filter_map(|h| h.problem.clone()).collect();
        if hs.iter().all(|h| h.path.is_none()) {
            probs = vec!["newuidmap and newgidmap not found in PATH".into()];
        }
        let consequence = if have_ranges {
            "the subordinate-ID mapping cannot be set up: single-ID mode"
        } else {
            "needed once subordinate IDs are configured"
        };
        // A broken full mapping is already a FAIL on the userns line.
        v.push(c(
            Warn,
            "idmap-helpers",
            format!("{}: {consequence}", probs.join("; ")),
            ids::helper_fix(r),
        ));
    }

    kernel_check(&mut v, r);
    storage::overlay_checks(&mut v, r);
    storage::store_checks(&mut v, r, user);
    session::session_checks(&mut v, r, user);

    // Networking.
    let tun = &x.network.dev_net_tun;
    if tun.usable {
        v.push(c(Pass, "tun", "/dev/net/tun: usable".into(), None));
    } else {
        let missing = !tun.path.exists();
        v.push(c(
            Warn,
            "tun",
            format!(
                "/dev/net/tun: cannot open it ({}): only --network none/host works",
                tun.error.as_deref().unwrap_or("?")
            ),
            Some(if missing {
                "modprobe tun".into()
            } else {
                "chmod 0666 /dev/net/tun".into()
            }),
        ));
    }
    let nets: Vec<String> = [
        ("slirp4netns", &r.host.slirp4netns),
        ("pasta", &r.host.pasta),
    ]
    .iter()
    .filter_map(|(n, t)| {
        t.as_ref()
            .map(|t| format!("{n} ({})", t.executable.display()))
    })
    .collect();
    if nets.is_empty() {
        v.push(c(
            Warn,
            "netns-helpers",
            "user-mode networking: neither slirp4netns nor pasta is installed".into(),
            Some(install(distro, &[Pkg::Slirp4netns, Pkg::Passt])),
        ));
    } else {
        v.push(c(
            Pass,
            "netns-helpers",
            format!("user-mode networking: {}", nets.join(", ")),
            None,
        ));
    }
    if r.host.security.seccomp_enabled {
        v.push(c(
            Pass,
            "seccomp",
            "seccomp: supported by the kernel".into(),
            None,
        ));
    } else {
        v.push(c(
            Warn,
            "seccomp",
            "seccomp: not supported by this kernel: containers run without a syscall filter".into(),
            Some("use a kernel built with CONFIG_SECCOMP_FILTER=y".into()),
        ));
    }
    v
}
