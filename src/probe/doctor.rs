//! `rctr doctor`: the [`Report`] judged line by line, each problem with the exact command an
//! administrator runs to fix it. FAIL only for what blocks containers outright (no user
//! namespace, no overlay at all, no usable store); degraded modes are WARN.
use super::fixes::{install, Pkg};
use super::Report;
use crate::idmap::{IdMap, MappingMode};
use serde::Serialize;

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
            Some(helper_fix(r).unwrap_or_else(|| {
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

    subid_checks(&mut v, r, user);

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
            helper_fix(r),
        ));
    }

    overlay_checks(&mut v, r);
    store_checks(&mut v, r, user);
    session_checks(&mut v, r, user);

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

/// The fix for the first broken helper.
fn helper_fix(r: &Report) -> Option<String> {
    let x = &r.rctr.id_helpers;
    let mut fixes = Vec::new();
    for (h, cap) in [(&x.newuidmap, "cap_setuid"), (&x.newgidmap, "cap_setgid")] {
        let Some(prob) = &h.problem else { continue };
        let Some(p) = &h.path else {
            fixes.push(install(&r.host.basics.distribution, &[Pkg::Uidmap]));
            continue;
        };
        let p = p.display();
        fixes.push(if prob.contains("not executable") {
            format!("chmod 0755 {p}")
        } else if prob.contains("not root") {
            format!("chown root:root {p} && chmod u+s {p}")
        } else if prob.contains("not effective") {
            format!("setcap {cap}+ep {p}")
        } else {
            format!("chmod u+s {p} (or: setcap {cap}+ep {p})")
        });
    }
    fixes.dedup();
    (!fixes.is_empty()).then(|| fixes.join("; "))
}

fn subid_checks(v: &mut Vec<Check>, r: &Report, user: &str) {
    use Status::*;
    let s = &r.rctr.subordinate_ids;
    let free = s
        .suggested_range
        .as_ref()
        .map(|f| format!("{}-{}", f.start, f.end() - 1))
        .unwrap_or_else(|| "START-END".into());
    let named = user.parse::<u32>().is_err();
    let add = |flags: &str| {
        if named {
            format!("usermod {flags} {user}")
        } else {
            format!("add a line `{user}:START:65536` (a range no other line overlaps) to /etc/subuid and /etc/subgid")
        }
    };
    for f in [&s.subuid, &s.subgid] {
        if let Some(e) = &f.read_error {
            v.push(c(
                Warn,
                "subuid",
                format!("cannot read {}: {e}", f.file.display()),
                Some(format!("chmod 0644 {}", f.file.display())),
            ));
        }
        if !f.problems.is_empty() {
            let lines: Vec<String> = f
                .problems
                .iter()
                .map(|p| format!("line {} {:?}: {}", p.line, p.text, p.why))
                .collect();
            v.push(c(
                Warn,
                "subuid-syntax",
                format!("{}: malformed {}", f.file.display(), lines.join("; ")),
                Some(format!(
                    "edit {}: correct or delete line{} {} (format: name:start:count)",
                    f.file.display(),
                    if f.problems.len() > 1 { "s" } else { "" },
                    f.problems
                        .iter()
                        .map(|p| p.line.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ));
        }
        for o in &f.overlaps {
            let (mine, _) = o.split_once(" overlaps ").unwrap_or((o, ""));
            let (st, cnt) = mine.split_once(':').unwrap_or(("0", "0"));
            let (st, cnt): (u64, u64) = (st.parse().unwrap_or(0), cnt.parse().unwrap_or(0));
            let flag = if std::ptr::eq(f, &s.subuid) {
                "subuids"
            } else {
                "subgids"
            };
            v.push(c(
                Warn,
                "subuid-overlap",
                format!(
                    "{}: {user}'s range {o}: the two users' containers share host IDs and can touch each other's files",
                    f.file.display()
                ),
                Some(add(&format!(
                    "--del-{flag} {st}-{} --add-{flag} {free}",
                    st + cnt.max(1) - 1
                ))),
            ));
        }
    }
    let (u, g) = (&s.subuid, &s.subgid);
    let how = |f: &super::SubIdFile| {
        let by = f.matched_by.join("+");
        format!(
            "{} in {} (by {by})",
            f.ranges
                .iter()
                .map(|r| format!("{}-{}", r.start, r.end() - 1))
                .collect::<Vec<_>>()
                .join(","),
            if by == "getsubids" {
                "NSS".to_string()
            } else {
                f.file.display().to_string()
            }
        )
    };
    match (u.ranges.is_empty(), g.ranges.is_empty()) {
        (false, false) => v.push(c(
            Pass,
            "subuid",
            format!("subordinate IDs: uids {}, gids {}", how(u), how(g)),
            None,
        )),
        (true, true) => v.push(c(
            Warn,
            "subuid",
            format!(
                "subordinate IDs: {}: single-ID mode (only uid/gid 0 inside; images owning files by other IDs cannot be unpacked)",
                s.single_id_reason
                    .clone()
                    .unwrap_or_else(|| format!("none for {user}"))
            ),
            Some(add(&format!("--add-subuids {free} --add-subgids {free}"))),
        )),
        (true, false) => v.push(c(
            Warn,
            "subuid",
            format!(
                "subordinate IDs: gids {} but no uids in {}: single-ID mode",
                how(g),
                u.file.display()
            ),
            Some(add(&format!("--add-subuids {free}"))),
        )),
        (false, true) => v.push(c(
            Warn,
            "subuid",
            format!(
                "subordinate IDs: uids {} but no gids in {}: single-ID mode",
                how(u),
                g.file.display()
            ),
            Some(add(&format!("--add-subgids {free}"))),
        )),
    }
}

fn overlay_checks(v: &mut Vec<Check>, r: &Report) {
    use Status::*;
    let o = &r.rctr.overlay;
    let distro = &r.host.basics.distribution;
    let fuse_ok = o.fuse.fuse_overlayfs.is_some() && o.fuse.dev_fuse.usable;
    let fuse_fix = || {
        let mut f = Vec::new();
        if o.fuse.fuse_overlayfs.is_none() {
            f.push(install(distro, &[Pkg::FuseOverlayfs]));
        }
        if !o.fuse.dev_fuse.usable {
            f.push(if o.fuse.dev_fuse.path.exists() {
                "chmod 0666 /dev/fuse".to_string()
            } else {
                "modprobe fuse".to_string()
            });
        }
        f.join(" && ")
    };
    let native = o.native.ok();
    match native {
        Some(n) if n.supported => v.push(c(
            Pass,
            "overlay",
            format!(
                "native overlay: mounted with userxattr in the store ({}, kernel {})",
                if n.from_cache {
                    "cached result"
                } else {
                    "tested now"
                },
                n.kernel
            ),
            None,
        )),
        _ => {
            let why = native
                .and_then(|n| n.reason.clone())
                .or_else(|| o.native.err().map(str::to_string))
                .unwrap_or_default();
            let on_network = r.rctr.store.filesystem.ok().is_some_and(|f| f.network);
            let untested = native.is_none();
            let native_fix = if r.rctr.store.dir.problem.is_some() {
                "fix the store (see the store line), then run rctr doctor again".to_string()
            } else if untested {
                "the overlay mount could not be tried: fix the lines above first".into()
            } else if on_network {
                "put the store on a local disk (--root)".into()
            } else {
                "use a kernel >= 5.11 that allows overlay mounts in user namespaces".into()
            };
            let what = if untested {
                format!("native overlay: not tested ({why})")
            } else {
                format!("native overlay unavailable ({why})")
            };
            if fuse_ok {
                v.push(c(
                    Warn,
                    "overlay",
                    format!("{what}: rctr uses fuse-overlayfs (slower)"),
                    Some(native_fix),
                ));
            } else {
                v.push(c(
                    Fail,
                    "overlay",
                    format!("no overlay: {what} and fuse-overlayfs unusable"),
                    Some(format!("{} (or {native_fix})", fuse_fix())),
                ));
            }
        }
    }
    let native_ok = native.is_some_and(|n| n.supported);
    let desc = match &o.fuse.fuse_overlayfs {
        Some(t) => format!(
            "fuse-overlayfs: {} ({})",
            t.executable.display(),
            t.version.as_deref().unwrap_or("version unknown")
        ),
        None => "fuse-overlayfs: not installed".into(),
    };
    let dev = if o.fuse.dev_fuse.usable {
        "/dev/fuse usable".to_string()
    } else {
        format!(
            "/dev/fuse not usable: {}",
            o.fuse.dev_fuse.error.as_deref().unwrap_or("?")
        )
    };
    if fuse_ok {
        v.push(c(Pass, "fuse", format!("{desc}, {dev}"), None));
    } else if native_ok {
        v.push(c(
            Pass,
            "fuse",
            format!("{desc}, {dev} (not needed while native overlay works)"),
            None,
        ));
    } else {
        v.push(c(Fail, "fuse", format!("{desc}, {dev}"), Some(fuse_fix())));
    }
}

fn store_checks(v: &mut Vec<Check>, r: &Report, user: &str) {
    use Status::*;
    let st = &r.rctr.store;
    let p = st.dir.path.display();
    if let Some(prob) = &st.dir.problem {
        let fix = if prob.contains("owned by") {
            format!("chown -R {user}: {p}")
        } else if prob.contains("not writable") {
            format!("chmod u+rwx {p}")
        } else if prob.contains("not a directory") {
            format!("remove {p}, or give rctr another store with --root DIR")
        } else {
            format!("install -d -o {user} {p}, or give rctr another store with --root DIR")
        };
        v.push(c(Fail, "store", format!("store: {prob}"), Some(fix)));
        return;
    }
    match &st.filesystem {
        super::Probed::Ok(f) if f.network => v.push(c(
            Warn,
            "store",
            format!(
                "store {p} is on {} ({}), a network/parallel filesystem: overlay upper dirs, user xattrs and subordinate owners break there (podman#7091)",
                f.fs_type,
                f.source.as_deref().unwrap_or("?")
            ),
            Some(format!(
                "keep the store on local disk: rctr --root /var/tmp/{user}/rctr … (or set XDG_DATA_HOME to a local path)"
            )),
        )),
        super::Probed::Ok(f) => v.push(c(
            Pass,
            "store",
            format!("store: {p} on {} ({})", f.fs_type, f.source.as_deref().unwrap_or("?")),
            None,
        )),
        super::Probed::Failed { error } => v.push(c(
            Warn,
            "store",
            format!("store: {p}: cannot tell its filesystem: {error}"),
            None,
        )),
    }
}

fn session_checks(v: &mut Vec<Check>, r: &Report, user: &str) {
    use Status::*;
    let d = &r.rctr.dirs;
    let uid = r
        .host
        .id_mappings
        .uidmap
        .first()
        .map(|m| m.host_id)
        .unwrap_or(0);
    match &d.runtime_fallback_reason {
        None => v.push(c(
            Pass,
            "runtime-dir",
            format!(
                "runtime dir: {} (from {})",
                d.runtime_dir.display(),
                d.runtime_source
            ),
            None,
        )),
        Some(why) => {
            let xdg = d.xdg_runtime_dir.clone().unwrap_or_default();
            let fix = if why.contains("owned by") {
                format!("XDG_RUNTIME_DIR belongs to another user (su/sudo keep it): unset XDG_RUNTIME_DIR, or log in as {user} directly (ssh, machinectl shell {user}@)")
            } else if why.contains("mode") {
                format!("chmod 0700 {xdg}")
            } else {
                format!("loginctl enable-linger {user} (pam_systemd then provides /run/user/{uid}), or: install -d -m 0700 -o {user} /run/user/{uid} && export XDG_RUNTIME_DIR=/run/user/{uid}")
            };
            v.push(c(
                Warn,
                "runtime-dir",
                format!(
                    "runtime dir: {why}: rctr uses the private fallback {}",
                    d.runtime_base.display()
                ),
                Some(fix),
            ));
        }
    }
    if d.home_source != "HOME" {
        v.push(c(
            Warn,
            "home",
            format!(
                "HOME is not set: using {} from the passwd database",
                d.home
                    .as_ref()
                    .map(|h| h.display().to_string())
                    .unwrap_or_default()
            ),
            Some(format!(
                "export HOME={}",
                d.home
                    .as_ref()
                    .map(|h| h.display().to_string())
                    .unwrap_or_default()
            )),
        ));
    }
    let cg = &r.rctr.cgroups;
    let sd = &r.rctr.systemd;
    if cg.limits_available {
        v.push(c(Pass, "cgroups", cg.note.clone(), None));
    } else {
        let fix = match cg.version {
            super::cgroups::Layout::V2 if sd.pid1_systemd => format!(
                "mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' > /etc/systemd/system/user@.service.d/delegate.conf && systemctl daemon-reload && loginctl enable-linger {user}"
            ),
            super::cgroups::Layout::V2 => format!(
                "delegate a subtree: mkdir /sys/fs/cgroup/{user} && echo '+cpu +memory +pids' > /sys/fs/cgroup/cgroup.subtree_control && chown -R {user}: /sys/fs/cgroup/{user} (and start {user}'s sessions in it)"
            ),
            _ if sd.pid1_systemd => format!(
                "boot with systemd.unified_cgroup_hierarchy=1 (cgroup v2) on the kernel command line, then loginctl enable-linger {user}"
            ),
            _ => format!(
                "add cgroup_no_v1=all to the kernel command line and mount cgroup2 on /sys/fs/cgroup, then delegate a subtree: mkdir /sys/fs/cgroup/{user} && echo '+cpu +memory +pids' > /sys/fs/cgroup/cgroup.subtree_control && chown -R {user}: /sys/fs/cgroup/{user} (and start {user}'s sessions in it)"
            ),
        };
        v.push(c(
            Warn,
            "cgroups",
            format!(
                "cgroups: {} (--memory/--cpus/--pids-limit are ignored with a warning)",
                cg.note
            ),
            Some(fix),
        ));
    }
    match (&sd.user_bus, sd.pid1_systemd) {
        (Some(b), _) => v.push(c(
            Pass,
            "systemd",
            format!("systemd user bus: {}", b.display()),
            None,
        )),
        (None, true) => v.push(c(
            Warn,
            "systemd",
            "systemd is PID 1 but there is no user bus ($XDG_RUNTIME_DIR/bus): no systemd cgroup manager, detached containers end at logout".into(),
            Some(format!("loginctl enable-linger {user}, then log in again")),
        )),
        (None, false) => v.push(c(
            Pass,
            "systemd",
            "systemd: not PID 1, no user bus: rctr manages cgroups and processes itself".into(),
            None,
        )),
    }
}
