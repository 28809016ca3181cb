//! cgroup layout and what is delegated to the calling user.
//!
//! Rootless resource limits need a cgroup v2 subtree the user may write (systemd delegates
//! `user@UID.service`; podman#17202). On v1 or hybrid hosts nothing is usable rootless: the
//! truth is "limits unavailable", a warning, never a failure (crun refuses hybrid hosts; rctr
//! must not).
use serde::Serialize;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

const CGROUP2_MAGIC: u64 = 0x6367_7270;
const CGROUP1_MAGIC: u64 = 0x0027_e0eb;
const TMPFS_MAGIC: u64 = 0x0102_1994;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    V1,
    V2,
    /// v1 controllers plus a cgroup2 tree (usually at /sys/fs/cgroup/unified).
    Hybrid,
    None,
}

impl Layout {
    pub fn as_str(&self) -> &'static str {
        match self {
            Layout::V1 => "v1",
            Layout::V2 => "v2",
            Layout::Hybrid => "hybrid",
            Layout::None => "none",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CgroupInfo {
    pub version: Layout,
    /// Where the cgroup2 hierarchy is mounted (v2 or hybrid).
    pub unified_mount: Option<PathBuf>,
    /// v1 hierarchies mounted (v1 or hybrid), by controller list.
    pub v1_controllers: Vec<String>,
    /// The calling process's cgroup2 path (`0::/...` in /proc/self/cgroup).
    pub own_cgroup: Option<String>,
    /// The cgroup2 directory checked for delegation and whether we own/can write it.
    pub delegated_dir: Option<PathBuf>,
    /// Controllers usable by this user (a writable cgroup2 dir's `cgroup.controllers`).
    pub delegated: Vec<String>,
    /// Controllers available in the own cgroup (writable or not), for the record.
    pub available: Vec<String>,
    pub limits_available: bool,
    /// One sentence: what the user can or cannot expect.
    pub note: String,
}

fn fs_magic(p: &Path) -> Option<u64> {
    rustix::fs::statfs(p)
        .ok()
        .map(|s| s.f_type as u64 & 0xFFFF_FFFF)
}

/// The cgroup2 path from `/proc/self/cgroup` text (the `0::` line).
pub fn parse_own_v2(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("0::"))
        .map(|p| p.trim().to_string())
}

fn read_list(p: &Path) -> Vec<String> {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

pub fn detect(uid: u32) -> CgroupInfo {
    let root = Path::new("/sys/fs/cgroup");
    let (version, unified) = match fs_magic(root) {
        Some(CGROUP2_MAGIC) => (Layout::V2, Some(root.to_path_buf())),
        Some(TMPFS_MAGIC) => {
            let u = root.join("unified");
            if fs_magic(&u) == Some(CGROUP2_MAGIC) {
                (Layout::Hybrid, Some(u))
            } else {
                (Layout::V1, None)
            }
        }
        Some(CGROUP1_MAGIC) => (Layout::V1, None),
        _ => (Layout::None, None),
    };
    let mut v1_controllers = Vec::new();
    if matches!(version, Layout::V1 | Layout::Hybrid) {
        for e in std::fs::read_dir(root).into_iter().flatten().flatten() {
            let p = e.path();
            if fs_magic(&p) == Some(CGROUP1_MAGIC) && !e.file_type().is_ok_and(|t| t.is_symlink()) {
                v1_controllers.push(e.file_name().to_string_lossy().into_owned());
            }
        }
        v1_controllers.sort();
    }
    let own_cgroup = std::fs::read_to_string("/proc/self/cgroup")
        .ok()
        .and_then(|t| parse_own_v2(&t));
    let mut info = CgroupInfo {
        version,
        unified_mount: unified.clone(),
        v1_controllers,
        own_cgroup: own_cgroup.clone(),
        delegated_dir: None,
        delegated: vec![],
        available: vec![],
        limits_available: false,
        note: String::new(),
    };
    if let (Some(mnt), Some(own)) = (&unified, &own_cgroup) {
        let own_dir = mnt.join(own.trim_start_matches('/'));
        info.available = read_list(&own_dir.join("cgroup.controllers"));
        // systemd delegates user@UID.service to the user; a process in a login session scope
        // sits outside it, so check both.
        let user_mgr = mnt.join(format!("user.slice/user-{uid}.slice/user@{uid}.service"));
        for d in [own_dir, user_mgr] {
            let owned = std::fs::metadata(&d).is_ok_and(|m| m.uid() == uid);
            let writable = rustix::fs::access(&d, rustix::fs::Access::WRITE_OK).is_ok()
                && rustix::fs::access(
                    d.join("cgroup.subtree_control"),
                    rustix::fs::Access::WRITE_OK,
                )
                .is_ok();
            if owned && writable {
                info.delegated = read_list(&d.join("cgroup.controllers"));
                info.delegated_dir = Some(d);
                break;
            }
        }
    }
    let limits: Vec<&str> = ["memory", "cpu", "pids"]
        .into_iter()
        .filter(|c| info.delegated.iter().any(|d| d == c))
        .collect();
    info.limits_available = version == Layout::V2 && !limits.is_empty();
    info.note = match version {
        Layout::V2 if info.delegated_dir.is_none() => {
            "cgroup v2 but no cgroup is delegated to you: resource limits unavailable".into()
        }
        Layout::V2 if !info.limits_available => format!(
            "cgroup v2, delegated controllers [{}] include none of memory/cpu/pids: resource limits unavailable",
            info.delegated.join(" ")
        ),
        Layout::V2 => format!("cgroup v2, delegated: {}", info.delegated.join(" ")),
        Layout::Hybrid if info.delegated.is_empty() => format!(
            "hybrid (v1 controllers + cgroup2 at {}), none delegated: resource limits unavailable",
            unified.as_deref().unwrap_or(Path::new("?")).display()
        ),
        Layout::Hybrid => format!(
            "hybrid: only [{}] delegated on cgroup2, memory/cpu/pids are v1: resource limits unavailable",
            info.delegated.join(" ")
        ),
        Layout::V1 => "cgroup v1 only, none delegated: resource limits unavailable".into(),
        Layout::None => "no cgroup filesystem mounted: resource limits unavailable".into(),
    };
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_v2_path() {
        let t = "9:name=systemd:/\n4:memory:/x\n0::/user.slice/user-1000.slice/session-1.scope\n";
        assert_eq!(
            parse_own_v2(t).as_deref(),
            Some("/user.slice/user-1000.slice/session-1.scope")
        );
        assert_eq!(parse_own_v2("4:memory:/x\n"), None);
    }

    #[test]
    fn detects_something_here() {
        let i = detect(nix::unistd::getuid().as_raw());
        assert!(!i.note.is_empty());
    }
}
