//! podman's volume copy-up: a named volume mounted over a directory of the image starts with
//! that directory's content. Runs in the container's PID 1 before the bind mount, inside the
//! user namespace, so owners and modes are kept exactly as the image has them.
use anyhow::Context as _;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// Copy the tree at `src` (an O_PATH fd of a directory inside the container's root) into the
/// volume directory `dst`, but only when `dst` is empty (first use).
pub fn copy_up(src: &OwnedFd, dst: &Path) -> anyhow::Result<()> {
    if std::fs::read_dir(dst)?.next().is_some() {
        return Ok(());
    }
    let src = Path::new("/proc/self/fd").join(src.as_raw_fd().to_string());
    let md = std::fs::metadata(&src)?;
    copy_dir(&src, dst)?;
    std::os::unix::fs::lchown(dst, Some(md.uid()), Some(md.gid()))?;
    std::fs::set_permissions(dst, std::fs::Permissions::from_mode(md.mode() & 0o7777))?;
    Ok(())
}

fn copy_dir(src: &Path, dst: &Path) -> anyhow::Result<()> {
    for e in std::fs::read_dir(src)? {
        let e = e?;
        let (s, d) = (e.path(), dst.join(e.file_name()));
        let md = std::fs::symlink_metadata(&s)?;
        let ft = md.file_type();
        if ft.is_dir() {
            std::fs::create_dir(&d)?;
            copy_dir(&s, &d)?;
        } else if ft.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(&s)?, &d)?;
        } else if ft.is_file() {
            std::fs::copy(&s, &d).with_context(|| format!("copying {}", s.display()))?;
        } else {
            continue; // devices, sockets and FIFOs are not volume content
        }
        std::os::unix::fs::lchown(&d, Some(md.uid()), Some(md.gid()))?;
        if !ft.is_symlink() {
            std::fs::set_permissions(&d, std::fs::Permissions::from_mode(md.mode() & 0o7777))?;
        }
    }
    Ok(())
}
