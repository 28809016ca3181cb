//! Putting a starting container's PID 1 in a cgroup of its own, from the monitor's pre-start
//! hook (the process is in its namespaces, its command not yet run): a systemd scope on the
//! user bus, or a child of a delegated cgroupfs subtree. Either way the processes sit in a
//! `container` leaf below the limited node, so no process is in an inner node (cgroup v2's
//! "no internal processes" rule) and the monitor itself stays outside (an OOM kill of the
//! container must not take its supervisor with it).
use super::{ManagerKind, Placement, Resources};
use crate::probe::cgroups::CgroupInfo;
use anyhow::{bail, Context as _};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the cgroup v2 hierarchy is on the hosts where rctr places containers (pure v2).
pub const ROOT: &str = "/sys/fs/cgroup";
/// How long systemd may take to start a scope (its job usually ends within milliseconds).
pub const SCOPE_TIMEOUT: Duration = Duration::from_secs(10);

/// A container placed: its cgroup (the node that holds the limits), one warning line per
/// kind of limit that could not be applied, and whether rctr made the directory (and so
/// removes it).
#[derive(Debug, Clone)]
pub struct Placed {
    pub dir: PathBuf,
    pub warnings: Vec<String>,
    pub remove: bool,
}

/// A cgroup path as `/proc/PID/cgroup` spells it, as a directory.
pub fn abs(rel: &str) -> PathBuf {
    Path::new(ROOT).join(rel.trim_start_matches('/'))
}

/// Is `dir` a cgroup `uid` may divide: owned by it, with writable `cgroup.procs` and
/// `cgroup.subtree_control`?
pub fn delegated(dir: &Path, uid: u32) -> bool {
    let owned = std::fs::metadata(dir).is_ok_and(|m| m.uid() == uid);
    let w = |f: &str| rustix::fs::access(dir.join(f), rustix::fs::Access::WRITE_OK).is_ok();
    owned && w("cgroup.procs") && w("cgroup.subtree_control")
}

/// The cgroupfs manager's parent: `--cgroup-parent` (absolute, delegated), else the parent
/// of the caller's own cgroup (a shell sits in a leaf; its parent is what was delegated),
/// else (`beyond`) the user's delegated cgroup. `Ok(None)`: nothing here is the user's to
/// divide.
pub fn cgroupfs_parent(
    info: &CgroupInfo,
    uid: u32,
    explicit: Option<&str>,
    beyond: bool,
) -> anyhow::Result<Option<String>> {
    if let Some(p) = explicit {
        if p.ends_with(".slice") || !p.starts_with('/') {
            bail!("--cgroup-parent {p:?} with the cgroupfs manager must be an absolute cgroup path (a .slice name is for --cgroup-manager=systemd)");
        }
        if !delegated(&abs(p), uid) {
            bail!("--cgroup-parent {p}: {} is not a cgroup delegated to you (it must exist, be yours, and its cgroup.procs and cgroup.subtree_control writable)", abs(p).display());
        }
        return Ok(Some(p.to_string()));
    }
    if let Some(own) = &info.own_cgroup {
        if let Some(parent) = Path::new(own).parent().and_then(Path::to_str) {
            if parent != "/" && delegated(&abs(parent), uid) {
                return Ok(Some(parent.to_string()));
            }
        }
    }
    if !beyond {
        return Ok(None);
    }
    let mine = info
        .delegated_dir
        .as_deref()
        .and_then(|d| d.strip_prefix(ROOT).ok())
        .map(|r| format!("/{}", r.display()));
    Ok(mine.filter(|m| Some(m) != info.own_cgroup.as_ref()))
}

/// Place PID 1 (`pid`) of container `id` as `p` says, holding it to `res`; for systemd on
/// the connection `early` made ahead ([`super::systemd::connect`]), else on the socket `bus`.
/// On error nothing of ours is left behind (a scope that cannot start is not kept by systemd).
#[allow(clippy::too_many_arguments)] // the placement, its two ways to the bus, and its subject
pub fn place(
    p: &Placement,
    bus: Option<&Path>,
    early: Option<anyhow::Result<super::dbus::Bus>>,
    uid: u32,
    id: &str,
    pid: i32,
    res: &Resources,
) -> anyhow::Result<Placed> {
    match p.manager {
        ManagerKind::Systemd => {
            let mut conn = match early {
                Some(c) => c?,
                None => {
                    let bus = bus.context("the systemd user bus is gone ($XDG_RUNTIME_DIR/bus): use --cgroup-manager=cgroupfs or --cgroups=disabled")?;
                    super::systemd::connect(bus, uid, SCOPE_TIMEOUT)?
                }
            };
            let scope = super::systemd::start_scope_on(
                &mut conn,
                id,
                pid,
                res,
                p.parent.as_deref(),
                SCOPE_TIMEOUT,
            )?;
            let dir = cgroup_of(pid)
                .map(|c| abs(&c))
                .context("reading the container's cgroup after systemd placed it")?;
            nest(&dir, pid)?;
            let mut warnings = Vec::new();
            if !scope.dropped.is_empty() {
                warnings.push(format!("Warning: {} not applied: the systemd user manager refused the setting (an older systemd); the container runs without it", scope.dropped.join(", ")));
            }
            warnings.extend(undelegated(&dir, res));
            Ok(Placed {
                dir,
                warnings,
                remove: false,
            })
        }
        ManagerKind::Cgroupfs => {
            let parent = p
                .parent
                .as_deref()
                .context("internal: cgroupfs placement without a parent")?;
            let parent = abs(parent);
            let dir = parent.join(format!("rctr-{id}"));
            let made = (|| {
                enable(&parent, &res.controllers())?;
                match std::fs::create_dir(&dir) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => bail!("creating the cgroup {}: {e}", dir.display()),
                }
                write_limits(&dir, res)?;
                nest(&dir, pid)
            })();
            if let Err(e) = made {
                remove(&dir);
                return Err(e);
            }
            Ok(Placed {
                dir,
                warnings: Vec::new(),
                remove: true,
            })
        }
    }
}

/// systemd accepts a limit whose controller the user was not delegated, and applies nothing:
/// one line per such controller, naming its flags.
fn undelegated(dir: &Path, res: &Resources) -> Vec<String> {
    let have = std::fs::read_to_string(dir.join("cgroup.controllers")).unwrap_or_default();
    let mut out = Vec::new();
    for c in res.controllers() {
        if have.split_whitespace().any(|h| h == c) {
            continue;
        }
        let flags: Vec<&str> = res
            .files()
            .into_iter()
            .filter(|(_, f, _)| f.split('.').next() == Some(c))
            .map(|(flag, _, _)| flag)
            .collect();
        out.push(format!("Warning: {} not applied: the {c} controller is not delegated to you (an administrator adds it to Delegate= in a drop-in for user@.service); the container runs without it", flags.join(", ")));
    }
    out
}

/// The cgroup v2 path of `pid` as the caller's cgroup namespace shows it.
pub fn cgroup_of(pid: i32) -> Option<String> {
    let t = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).ok()?;
    crate::probe::cgroups::parse_own_v2(&t)
}

/// The cgroup of a running container's PID 1 that holds its limits: the node above the
/// `container` leaf rctr puts it in. `None` when the container has no cgroup of its own.
pub fn container_cgroup(pid: i32) -> Option<PathBuf> {
    let c = cgroup_of(pid)?;
    let dir = abs(&c);
    (dir.file_name()? == "container")
        .then(|| dir.parent().map(Path::to_path_buf))
        .flatten()
}

/// Enable `want` (and whatever else is available, for `stats`) in `dir`'s subtree; a limit's
/// controller that cannot be enabled is an error naming it.
fn enable(dir: &Path, want: &[&str]) -> anyhow::Result<()> {
    let avail = std::fs::read_to_string(dir.join("cgroup.controllers")).unwrap_or_default();
    let ctl = dir.join("cgroup.subtree_control");
    let mut refused = Vec::new();
    for c in avail.split_whitespace() {
        // One at a time: a controller the kernel refuses here must not keep the others off.
        if let Err(e) = std::fs::write(&ctl, format!("+{c}")) {
            refused.push((c.to_string(), e));
        }
    }
    let on = std::fs::read_to_string(&ctl).unwrap_or_default();
    for w in want {
        if on.split_whitespace().any(|c| c == *w) {
            continue;
        }
        if let Some((_, e)) = refused.iter().find(|(c, _)| c == w) {
            bail!("enabling the {w} controller in {}: {e}", ctl.display());
        }
        bail!(
            "the {w} controller is not delegated in {} (available: {}): an administrator adds it to Delegate= for user@.service",
            dir.display(),
            avail.trim()
        );
    }
    Ok(())
}

/// Move `pid` into `dir/container`, then give `dir`'s children every controller it has.
fn nest(dir: &Path, pid: i32) -> anyhow::Result<()> {
    let leaf = dir.join("container");
    match std::fs::create_dir(&leaf) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => bail!("creating the cgroup {}: {e}", leaf.display()),
    }
    std::fs::write(leaf.join("cgroup.procs"), pid.to_string())
        .with_context(|| format!("moving the container into {}", leaf.display()))?;
    enable(dir, &[])
}

/// Write `res` into `dir`'s files; an error names the flag.
fn write_limits(dir: &Path, res: &Resources) -> anyhow::Result<()> {
    for (flag, file, value) in res.files() {
        std::fs::write(dir.join(file), &value)
            .with_context(|| format!("{flag}: writing {value} to {}", dir.join(file).display()))?;
    }
    Ok(())
}

/// Remove a cgroup rctr made (its leaf first; both must be empty of processes by now).
pub fn remove(dir: &Path) {
    let _ = std::fs::remove_dir(dir.join("container"));
    let _ = std::fs::remove_dir(dir);
}

/// How many processes the kernel's OOM killer has killed in `dir` (memory.events'
/// `oom_kill`); 0 when unreadable.
pub fn oom_kills(dir: &Path) -> u64 {
    let t = std::fs::read_to_string(dir.join("memory.events")).unwrap_or_default();
    key_value(&t, "oom_kill").unwrap_or(0)
}

/// `key N` from a flat-keyed cgroup file (memory.events, cpu.stat).
pub fn key_value(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_keyed_files() {
        let t = "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\noom_group_kill 0\n";
        assert_eq!(key_value(t, "oom_kill"), Some(2));
        assert_eq!(key_value(t, "oom"), Some(1));
        assert_eq!(key_value(t, "nope"), None);
    }

    #[test]
    fn paths_are_under_the_v2_root() {
        assert_eq!(
            abs("/user.slice/x.scope"),
            Path::new("/sys/fs/cgroup/user.slice/x.scope")
        );
        assert_eq!(abs("/"), Path::new("/sys/fs/cgroup"));
    }

    #[test]
    fn a_slice_is_not_a_cgroupfs_parent() {
        let info = crate::probe::cgroups::CgroupInfo {
            version: crate::probe::cgroups::Layout::V2,
            unified_mount: None,
            v1_controllers: vec![],
            own_cgroup: None,
            delegated_dir: None,
            delegated: vec![],
            available: vec![],
            limits_available: false,
            note: String::new(),
        };
        let e = cgroupfs_parent(&info, 1000, Some("user.slice"), true).unwrap_err();
        assert!(e.to_string().contains("absolute cgroup path"), "{e}");
        let e = cgroupfs_parent(&info, 1000, Some("/no/such/cgroup"), true).unwrap_err();
        assert!(
            e.to_string().contains("not a cgroup delegated to you"),
            "{e}"
        );
        assert_eq!(cgroupfs_parent(&info, 1000, None, true).unwrap(), None);
    }
}
