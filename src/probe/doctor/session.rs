//! The session: runtime dir, HOME, cgroups, systemd.
use super::{c, Check, Status};
use crate::probe::Report;

pub(super) fn session_checks(v: &mut Vec<Check>, r: &Report, user: &str) {
    use Status::*;
    let d = &r.rctr.dirs;
    let uid = r
        .host
        .id_mappings
        .uidmap
        .first()
        .map(|m| m.host_id)
        .unwrap_or(0);
    use crate::context::XdgRejected;
    match &d.runtime_fallback {
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
        Some(kind) => {
            let why = kind.to_string();
            let xdg = d.xdg_runtime_dir.clone().unwrap_or_default();
            let fix = if let XdgRejected::NotOurs { .. } = kind {
                format!("XDG_RUNTIME_DIR belongs to another user (su/sudo keep it): unset XDG_RUNTIME_DIR, or log in as {user} directly (ssh, machinectl shell {user}@)")
            } else if let XdgRejected::OpenToOthers { .. } = kind {
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
            crate::probe::cgroups::Layout::V2 if sd.pid1_systemd => format!(
                "mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' > /etc/systemd/system/user@.service.d/delegate.conf && systemctl daemon-reload && loginctl enable-linger {user}"
            ),
            crate::probe::cgroups::Layout::V2 => format!(
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
    hpc_checks(v, r);
}

/// What a login node or a batch job changes, and what rctr does about it.
fn hpc_checks(v: &mut Vec<Check>, r: &Report) {
    use Status::*;
    let d = &r.rctr.dirs;
    if d.store_source == "local fallback" {
        v.push(c(
            Warn,
            "store-location",
            format!(
                "store: {}: rctr keeps images and containers on this machine in {} (each node keeps its own)",
                d.store_reason.as_deref().unwrap_or("the default is on a network filesystem"),
                d.data_dir.display()
            ),
            Some("to run one image on every node without pulling, `rctr image squash IMAGE -o FILE.sqsh` onto the shared filesystem; or choose the store with graphroot in ~/.config/rctr/storage.conf".into()),
        ));
    }
    if let Some(job) = &d.slurm_job {
        v.push(c(
            Pass,
            "slurm",
            format!("inside Slurm job {job}: containers run in the job's cgroup, held to its limits (ask Slurm for them: srun/sbatch --mem, --cpus-per-task)"),
            None,
        ));
    }
}
