//! The kernel's overlay for a container's root, on every kernel from the 5.10 floor up.
//!
//! Preferred: the new mount API with one `lowerdir+` per layer (Linux 6.8): no limit on the
//! number of layers. Older kernels refuse that key (before 6.5 overlay's options are only
//! parsed at create time, so the refusal shows there), and `fsconfig(2)` copies at most 256
//! bytes of a string value — a `lowerdir=` list of two store paths is already longer. So the
//! fallback is the classic `mount(2)`, whose option string may fill a page, with the layers
//! named relative to their common parent when absolute paths would not fit (the cwd trick
//! podman's storage uses too).
use super::kernel::OVERLAY_LOWERDIR_APPEND as APPEND;
use super::mount::{attach_path, escape_overlay_path, fs_log, Mnt};
use anyhow::{anyhow, bail};
use rustix::fs::{Mode, OFlags};
use rustix::mount::{
    fsconfig_create, fsconfig_set_flag, fsconfig_set_string, fsmount, fsopen, FsMountFlags,
    FsOpenFlags, MountAttrFlags,
};
use std::os::fd::OwnedFd;
use std::path::Path;

/// What `mount(2)` copies of the option string: one page, with its terminating NUL.
const PAGE: usize = 4096;

/// Mount the overlay of `lower` (top-most first), `upper` and `work` on `target`.
pub fn mount_at(lower: &[&Path], upper: &Path, work: &Path, target: &Path) -> anyhow::Result<()> {
    if APPEND.maybe() {
        match with_append(lower, upper, work) {
            Ok(fd) => {
                APPEND.set(true);
                let m = Mnt::from(fd);
                return attach_path(&m, target)
                    .map_err(|e| anyhow!("attaching the overlay on {}: {e}", target.display()));
            }
            Err((rustix::io::Errno::INVAL, _)) if APPEND.known().is_none() => APPEND.set(false),
            Err((e, log)) => bail!("mounting the native overlay: {e}{log}"),
        }
    }
    legacy(lower, upper, work, target)
}

fn with_append(
    lower: &[&Path],
    upper: &Path,
    work: &Path,
) -> Result<OwnedFd, (rustix::io::Errno, String)> {
    let fs = fsopen("overlay", FsOpenFlags::FSOPEN_CLOEXEC).map_err(|e| (e, String::new()))?;
    let res = (|| -> rustix::io::Result<OwnedFd> {
        for l in lower {
            fsconfig_set_string(&fs, "lowerdir+", *l)?;
        }
        fsconfig_set_string(&fs, "upperdir", upper)?;
        fsconfig_set_string(&fs, "workdir", work)?;
        // Unprivileged overlay keeps whiteouts/opaque markers in user.overlay.* xattrs.
        fsconfig_set_flag(&fs, "userxattr")?;
        fsconfig_create(&fs)?;
        fsmount(&fs, FsMountFlags::FSMOUNT_CLOEXEC, MountAttrFlags::empty())
    })();
    res.map_err(|e| (e, fs_log(&fs)))
}

fn legacy(lower: &[&Path], upper: &Path, work: &Path, target: &Path) -> anyhow::Result<()> {
    let rest = format!(
        ",upperdir={},workdir={},userxattr",
        escape_overlay_path(upper),
        escape_overlay_path(work)
    );
    let room = PAGE.saturating_sub(1 + "lowerdir=".len() + rest.len());
    let (cwd, list) = lowerdir_list(lower, room).ok_or_else(|| {
        anyhow!(
            "mounting the native overlay: {} layers do not fit in the one page of mount options this kernel's overlay takes (Linux 6.8 lifts the limit; fuse-overlayfs has none: --storage-opt overlay.mount_program=/usr/bin/fuse-overlayfs)",
            lower.len()
        )
    })?;
    let data = format!("lowerdir={list}{rest}");
    let mount = || {
        nix::mount::mount(
            Some("overlay"),
            target,
            Some("overlay"),
            nix::mount::MsFlags::empty(),
            Some(data.as_str()),
        )
    };
    let r = match cwd {
        // Relative layer names are resolved against the cwd while the options are parsed.
        Some(dir) => {
            let back = rustix::fs::open(".", OFlags::PATH | OFlags::CLOEXEC, Mode::empty())?;
            rustix::process::chdir(dir)
                .map_err(|e| anyhow!("entering the layer dir {}: {e}", dir.display()))?;
            let r = mount();
            rustix::process::fchdir(&back)?;
            r
        }
        None => mount(),
    };
    r.map_err(|e| anyhow!("mounting the native overlay on {}: {e}", target.display()))
}

/// The `lowerdir=` value in at most `room` bytes: absolute paths, else names relative to the
/// layers' common parent (returned as the dir to change to); `None` when neither fits.
fn lowerdir_list<'a>(lower: &[&'a Path], room: usize) -> Option<(Option<&'a Path>, String)> {
    let join = |v: Vec<String>| v.join(":");
    let abs = join(lower.iter().map(|l| escape_overlay_path(l)).collect());
    if abs.len() <= room {
        return Some((None, abs));
    }
    let mut common = lower.first()?.parent();
    while let Some(c) = common {
        if lower.iter().all(|l| l.starts_with(c)) {
            break;
        }
        common = c.parent();
    }
    let c = common?;
    let rel = join(
        lower
            .iter()
            .map(|l| escape_overlay_path(l.strip_prefix(c).unwrap_or(l)))
            .collect(),
    );
    (rel.len() <= room).then_some((Some(c), rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_layer_lists_become_relative_or_refused() {
        let a = Path::new("/s/layers/aaaa/diff");
        let b = Path::new("/s/layers/bbbb/diff");
        assert_eq!(
            lowerdir_list(&[a, b], 100),
            Some((None, "/s/layers/aaaa/diff:/s/layers/bbbb/diff".into()))
        );
        assert_eq!(
            lowerdir_list(&[a, b], 30),
            Some((Some(Path::new("/s/layers")), "aaaa/diff:bbbb/diff".into()))
        );
        assert_eq!(lowerdir_list(&[a, b], 10), None);
        let odd = Path::new("/s/lay:ers/c/diff");
        assert_eq!(
            lowerdir_list(&[odd], 100),
            Some((None, "/s/lay\\:ers/c/diff".into()))
        );
    }
}
