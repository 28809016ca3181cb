//! The login session around rctr: systemd, the user bus, linger, and the XDG dirs chosen.
use crate::context::{Context, RuntimeDirSource};
use serde::Serialize;
use std::os::unix::fs::FileTypeExt;
use std::path::PathBuf;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Systemd {
    /// PID 1 is systemd (sd_booted(3): /run/systemd/system exists).
    pub pid1_systemd: bool,
    /// `$XDG_RUNTIME_DIR/bus` when it is a socket.
    pub user_bus: Option<PathBuf>,
    pub dbus_session_bus_address: Option<String>,
    /// `loginctl enable-linger` done (`/var/lib/systemd/linger/USER`): user services and
    /// detached containers survive logout.
    pub linger: bool,
}

pub fn systemd(ctx: &Context) -> Systemd {
    let booted = std::fs::metadata("/run/systemd/system").is_ok_and(|m| m.is_dir());
    let comm = std::fs::read_to_string("/proc/1/comm").unwrap_or_default();
    let user_bus = ctx
        .var("XDG_RUNTIME_DIR")
        .map(|d| PathBuf::from(d).join("bus"))
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.file_type().is_socket()));
    let linger = ctx.user.as_deref().is_some_and(has_linger);
    Systemd {
        pid1_systemd: booted || comm.trim() == "systemd",
        user_bus,
        dbus_session_bus_address: ctx
            .var_str("DBUS_SESSION_BUS_ADDRESS")
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        linger,
    }
}

/// `loginctl enable-linger USER` done: logind keeps the user's processes after logout.
pub fn has_linger(user: &str) -> bool {
    std::path::Path::new("/var/lib/systemd/linger")
        .join(user)
        .exists()
}

/// logind's `KillUserProcesses=`: logind.conf, then its drop-ins in name order (the last
/// setting wins).
fn kill_user_processes() -> bool {
    let mut files = vec![PathBuf::from("/etc/systemd/logind.conf")];
    if let Ok(rd) = std::fs::read_dir("/etc/systemd/logind.conf.d") {
        let mut more: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        more.sort();
        files.extend(more);
    }
    let mut kill = false;
    for f in files {
        for line in std::fs::read_to_string(f).unwrap_or_default().lines() {
            if let Some(v) = line.trim().strip_prefix("KillUserProcesses=") {
                kill = matches!(v.trim(), "yes" | "true" | "1" | "on");
            }
        }
    }
    kill
}

/// The warning for starting a detached container when systemd-logind will kill it at logout
/// (KillUserProcesses=yes without linger, podman#12001); `None` when it will survive or
/// logind is not in use (no systemd as PID 1).
pub fn logout_kill_warning(ctx: &Context) -> Option<String> {
    if !std::path::Path::new("/run/systemd/system").exists() {
        return None;
    }
    let user = ctx.user.as_deref()?;
    if has_linger(user) || !kill_user_processes() {
        return None;
    }
    Some(format!(
        "Warning: systemd-logind kills your processes at logout (KillUserProcesses=yes) and {user} has no linger: this container will stop when you log out; run `loginctl enable-linger {user}` to keep it"
    ))
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dirs {
    pub home: Option<PathBuf>,
    /// "HOME" or "passwd" (HOME unset or empty: the passwd entry was used).
    pub home_source: String,
    pub data_dir: PathBuf,
    /// "default", "--root", "graphroot" or "local fallback".
    pub store_source: String,
    /// Why the store is not the default one (graphroot's file, or the network filesystem).
    pub store_reason: Option<String>,
    pub config_home: PathBuf,
    pub runtime_base: PathBuf,
    pub runtime_dir: PathBuf,
    /// "XDG_RUNTIME_DIR", "--runroot" or "fallback".
    pub runtime_source: String,
    /// Why XDG_RUNTIME_DIR was not used (fallback only).
    pub runtime_fallback_reason: Option<String>,
    #[serde(skip)]
    pub runtime_fallback: Option<crate::context::XdgRejected>,
    pub xdg_runtime_dir: Option<String>,
    pub tmp_dir: PathBuf,
    /// `$SLURM_JOB_ID`: rctr runs as a task of this job.
    pub slurm_job: Option<String>,
}

pub fn dirs(ctx: &Context) -> Dirs {
    let (src, why) = match &ctx.runtime_source {
        RuntimeDirSource::Xdg => ("XDG_RUNTIME_DIR", None),
        RuntimeDirSource::Flag => ("--runroot", None),
        RuntimeDirSource::Fallback(w) => ("fallback", Some(w)),
    };
    let home_set = ctx.var("HOME").is_some_and(|h| !h.is_empty());
    use crate::context::StoreSource;
    let (store_source, store_reason) = match &ctx.store_source {
        StoreSource::Default => ("default", None),
        StoreSource::Flag => ("--root", None),
        StoreSource::Config(f) => ("graphroot", Some(format!("set in {}", f.display()))),
        StoreSource::LocalFallback { fs, default } => (
            "local fallback",
            Some(format!(
                "{} is on {fs}, a network filesystem",
                default.display()
            )),
        ),
    };
    Dirs {
        home: ctx.home.clone(),
        home_source: if home_set { "HOME" } else { "passwd" }.into(),
        data_dir: ctx.data_dir.clone(),
        store_source: store_source.into(),
        store_reason,
        config_home: ctx.config_home.clone(),
        runtime_base: ctx.runtime_base.clone(),
        runtime_dir: ctx.runtime_dir(),
        runtime_source: src.into(),
        runtime_fallback_reason: why.map(|w| w.to_string()),
        runtime_fallback: why.cloned(),
        xdg_runtime_dir: ctx
            .var("XDG_RUNTIME_DIR")
            .map(|v| v.to_string_lossy().into_owned()),
        tmp_dir: ctx.tmp_dir(),
        slurm_job: ctx
            .var_str("SLURM_JOB_ID")
            .filter(|j| !j.is_empty())
            .map(str::to_string),
    }
}
