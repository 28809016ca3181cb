//! Holding a container to its limits with cgroup v2, rootless: through a systemd transient
//! scope (the user's manager delegates it) where a user bus exists, else in a delegated
//! cgroupfs subtree, else not at all — and then one line says why and what would fix it.
//!
//! This module decides and explains; placing the container's PID 1 happens in the monitor's
//! pre-start hook, before the command runs.
pub mod dbus;
pub mod limits;
pub mod place;
pub mod stats;
pub mod systemd;

pub use limits::{Requested, Resources};

use crate::context::Context;
use crate::probe::cgroups::{CgroupInfo, Layout};
use serde::{Deserialize, Serialize};

/// `--cgroups` (podman's spellings, plus `required`: fail rather than run unlimited).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CgroupsMode {
    /// Limits where the host allows them, a warning where it does not.
    #[default]
    Enabled,
    /// No cgroup of its own, and no limits (a requested one is an error).
    Disabled,
    /// Like `Enabled`, but a limit the host cannot apply fails the create (exit 125).
    Required,
}

impl CgroupsMode {
    pub fn parse(s: &str) -> anyhow::Result<CgroupsMode> {
        match s {
            "enabled" => Ok(CgroupsMode::Enabled),
            "disabled" => Ok(CgroupsMode::Disabled),
            "required" => Ok(CgroupsMode::Required),
            "no-conmon" | "split" => anyhow::bail!(
                "--cgroups={s} is not supported by rctr: use enabled, disabled or required"
            ),
            _ => anyhow::bail!("invalid --cgroups value {s:?}: use enabled, disabled or required"),
        }
    }
}

/// Why limits cannot be applied here, and what would change that, in one sentence each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    pub why: String,
    pub fix: String,
}

/// What the host offers the calling user for limits: `None` when limits can be applied
/// (a delegated cgroup v2 subtree), else why not.
pub fn unavailable(ctx: &Context, info: &CgroupInfo) -> Option<Unavailable> {
    if let Some(job) = ctx.var_str("SLURM_JOB_ID").filter(|j| !j.is_empty()) {
        if !info.limits_available {
            return Some(Unavailable {
                why: format!("inside Slurm job {job}, whose cgroup is not yours to divide"),
                fix: "the job's own limits apply: ask Slurm for them (srun/sbatch --mem, --cpus-per-task)".into(),
            });
        }
    }
    if info.limits_available {
        return None;
    }
    let user = ctx.user.clone().unwrap_or_else(|| ctx.uid.to_string());
    let fix = match info.version {
        Layout::V1 | Layout::Hybrid | Layout::None => {
            "an administrator can boot the host with systemd.unified_cgroup_hierarchy=1 (cgroup v2)".to_string()
        }
        Layout::V2 if info.delegated_dir.is_none() => {
            let sd = crate::probe::session::systemd(ctx);
            if sd.pid1_systemd && !sd.linger && sd.user_bus.is_none() {
                format!("run `loginctl enable-linger {user}` (your systemd user manager then delegates a cgroup to you)")
            } else {
                "an administrator adds Delegate=yes for user@.service (systemctl edit user@.service)".into()
            }
        }
        Layout::V2 => "an administrator delegates the controllers: Delegate=cpu cpuset io memory pids in a drop-in for user@.service".into(),
    };
    Some(Unavailable {
        why: info.note.clone(),
        fix,
    })
}

/// `--cgroup-manager` / containers.conf's `cgroup_manager`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ManagerKind {
    /// A transient scope from the user's systemd, over D-Bus (podman's default).
    Systemd,
    /// A directory rctr makes in a delegated cgroup v2 subtree.
    Cgroupfs,
}

impl ManagerKind {
    pub fn parse(s: &str) -> anyhow::Result<ManagerKind> {
        match s {
            "systemd" => Ok(ManagerKind::Systemd),
            "cgroupfs" => Ok(ManagerKind::Cgroupfs),
            _ => anyhow::bail!("invalid cgroup manager {s:?}: use systemd or cgroupfs"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ManagerKind::Systemd => "systemd",
            ManagerKind::Cgroupfs => "cgroupfs",
        }
    }
}

/// Where a container's cgroup comes from, decided at create time and recorded: the monitor
/// places PID 1 accordingly at every start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub manager: ManagerKind,
    /// systemd: the slice (`None`: the manager's default); cgroupfs: the parent cgroup path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// What the user asked for: `--cgroups`, `--cgroup-manager` (or the config's), `--cgroup-parent`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    pub mode: CgroupsMode,
    pub manager: Option<ManagerKind>,
    pub parent: Option<String>,
}

/// The decision for one container: where it goes (`None`: it stays in the caller's cgroup)
/// and the one line to print when asked-for limits cannot be applied.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub placement: Option<Placement>,
    pub warning: Option<String>,
}

/// Decide where a container with limits `res` goes. Where a user bus exists every container
/// gets a scope (as podman, so `stats` works); without one and without limits or cgroup
/// flags nothing is probed at all (the run path pays nothing). `Err`: `--cgroups=required`
/// (or `disabled`) with limits that cannot be applied; nothing is created.
pub fn plan(ctx: &Context, res: &Resources, want: &Wanted) -> anyhow::Result<Plan> {
    if want.mode == CgroupsMode::Disabled {
        if res.any() {
            anyhow::bail!(
                "{} cannot be applied with --cgroups=disabled: drop one or the other",
                res.flag_names().join(", ")
            );
        }
        return Ok(Plan::default());
    }
    let bus = user_bus(ctx);
    let asked = res.any() || want.manager.is_some() || want.parent.is_some();
    if !asked && bus.is_none() {
        return Ok(Plan::default());
    }
    let info = crate::probe::cgroups::detect(ctx.uid);
    let placement = choose(ctx, &info, bus.is_some(), want)?;
    if placement.is_some() || !res.any() {
        return Ok(Plan {
            placement,
            warning: None,
        });
    }
    let u = unavailable(ctx, &info).unwrap_or_else(|| Unavailable {
        why: format!("{}, but no systemd user bus is reachable and no cgroup of yours can be divided", info.note),
        fix: "log in through a systemd session (or `loginctl enable-linger`), or use --cgroup-manager=cgroupfs with --cgroup-parent".into(),
    });
    if want.mode == CgroupsMode::Required {
        anyhow::bail!(
            "{} cannot be applied (--cgroups=required): {}; {}",
            res.flag_names().join(", "),
            u.why,
            u.fix
        );
    }
    Ok(Plan {
        placement: None,
        warning: Some(warning(res, &u)),
    })
}

/// The manager and parent for this host, or `None` where rctr creates nothing: not pure
/// cgroup v2, or inside a Slurm job whose cgroup is not delegated to the user (the job's
/// cgroup and limits are the container's, as with enroot). Where Slurm did delegate the
/// job's cgroup, the container goes below it (cgroupfs), never to systemd: the job's limits
/// and accounting must cover it.
fn choose(
    ctx: &Context,
    info: &CgroupInfo,
    bus: bool,
    want: &Wanted,
) -> anyhow::Result<Option<Placement>> {
    if info.version != Layout::V2 {
        return Ok(None);
    }
    if in_slurm_job(ctx, info) {
        // Only the job's own cgroup: never the user manager's, outside the job.
        let parent = place::cgroupfs_parent(info, ctx.uid, want.parent.as_deref(), false)?;
        return Ok(parent.map(|parent| Placement {
            manager: ManagerKind::Cgroupfs,
            parent: Some(parent),
        }));
    }
    let systemd_ok = bus && info.limits_available;
    match want.manager {
        Some(ManagerKind::Systemd) | None if systemd_ok => {
            if let Some(p) = want.parent.as_deref().filter(|p| !p.ends_with(".slice")) {
                anyhow::bail!("--cgroup-parent {p:?} with the systemd cgroup manager must be a slice name (e.g. user.slice), or use --cgroup-manager=cgroupfs");
            }
            Ok(Some(Placement {
                manager: ManagerKind::Systemd,
                parent: want.parent.clone(),
            }))
        }
        _ => Ok(
            place::cgroupfs_parent(info, ctx.uid, want.parent.as_deref(), true)?.map(|parent| {
                Placement {
                    manager: ManagerKind::Cgroupfs,
                    parent: Some(parent),
                }
            }),
        ),
    }
}

/// A Slurm task: `SLURM_JOB_ID` set and the process in the job's cgroup.
fn in_slurm_job(ctx: &Context, info: &CgroupInfo) -> bool {
    ctx.var_str("SLURM_JOB_ID").is_some_and(|j| !j.is_empty())
        && info
            .own_cgroup
            .as_deref()
            .is_some_and(|c| c.contains("/job_"))
}

/// The user's bus socket: `$DBUS_SESSION_BUS_ADDRESS`'s `unix:path=`, else
/// `$XDG_RUNTIME_DIR/bus`, when it is a socket.
pub fn user_bus(ctx: &Context) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::FileTypeExt;
    let from_addr = ctx.var_str("DBUS_SESSION_BUS_ADDRESS").and_then(|a| {
        a.split(';')
            .find_map(|t| t.strip_prefix("unix:"))
            .and_then(|kv| kv.split(',').find_map(|p| p.strip_prefix("path=")))
            .map(std::path::PathBuf::from)
    });
    let p = from_addr.or_else(|| {
        ctx.var("XDG_RUNTIME_DIR")
            .map(|d| std::path::Path::new(d).join("bus"))
    })?;
    std::fs::metadata(&p)
        .is_ok_and(|m| m.file_type().is_socket())
        .then_some(p)
}

/// The one line for limits the host cannot apply.
pub fn warning(res: &Resources, u: &Unavailable) -> String {
    format!(
        "Warning: {} not applied: {}; {}",
        res.flag_names().join(", "),
        u.why,
        u.fix
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgroups_mode_spellings() {
        assert_eq!(CgroupsMode::parse("enabled").unwrap(), CgroupsMode::Enabled);
        assert_eq!(
            CgroupsMode::parse("required").unwrap(),
            CgroupsMode::Required
        );
        assert!(CgroupsMode::parse("split")
            .unwrap_err()
            .to_string()
            .contains("not supported"));
        assert!(CgroupsMode::parse("x").is_err());
    }

    #[test]
    fn the_warning_names_the_flags_and_the_fix() {
        let r = Resources {
            memory: Some(64 << 20),
            pids_limit: Some(10),
            ..Default::default()
        };
        let w = warning(
            &r,
            &Unavailable {
                why: "cgroup v1".into(),
                fix: "boot with v2".into(),
            },
        );
        assert_eq!(
            w,
            "Warning: --memory, --pids-limit not applied: cgroup v1; boot with v2"
        );
    }
}
