//! Holding a container to its limits with cgroup v2, rootless: through a systemd transient
//! scope (the user's manager delegates it) where a user bus exists, else in a delegated
//! cgroupfs subtree, else not at all — and then one line says why and what would fix it.
//!
//! This module decides and explains; placing the container's PID 1 happens in the monitor's
//! pre-start hook, before the command runs.
pub mod limits;

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

/// Can `res` be applied under `mode`? `Ok(Some(warning))`: the container runs without them
/// (the line says why and what would fix it); `Err`: `--cgroups=required` (or `disabled`)
/// and limits that cannot be applied: nothing is created. No limits asked: no word, and
/// nothing probed.
pub fn admit(ctx: &Context, res: &Resources, mode: CgroupsMode) -> anyhow::Result<Option<String>> {
    if !res.any() {
        return Ok(None);
    }
    if mode == CgroupsMode::Disabled {
        anyhow::bail!(
            "{} cannot be applied with --cgroups=disabled: drop one or the other",
            res.flag_names().join(", ")
        );
    }
    let info = crate::probe::cgroups::detect(ctx.uid);
    let u = unavailable(ctx, &info).unwrap_or_else(|| Unavailable {
        why: format!(
            "{}, but rctr does not place containers in cgroups yet",
            info.note
        ),
        fix: "run it with podman where the limit matters".into(),
    });
    if mode == CgroupsMode::Required {
        anyhow::bail!(
            "{} cannot be applied (--cgroups=required): {}; {}",
            res.flag_names().join(", "),
            u.why,
            u.fix
        );
    }
    Ok(Some(warning(res, &u)))
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
