//! Private state on shared machines: the store root and the runtime dir are the user's alone.
//!
//! Everything rctr keeps for a user lives under two roots: the store (`$XDG_DATA_HOME/rctr` or
//! `--root`) and the runtime dir (`$XDG_RUNTIME_DIR/rctr`, a `rctr-run-UID` fallback under the
//! temp dir, or `--runroot`). Both are mode 0700 and owned by the user, checked before anything
//! is read from or written into them, so whatever rctr creates below (layers with setuid files
//! owned by the user, containers' writable layers, volumes, logs, `config.json` with
//! environment secrets, locks) is unreachable for other local users, whatever the umask.
//!
//! Why it matters: layer contents are owned by the pulling user (container root is that user),
//! so a setuid file in an image is setuid *to that user* on the host; a store another user can
//! walk into lets them run it (CVE-2021-41091: moby's data dir let unprivileged users traverse
//! into layers and execute setuid programs in them). A runtime dir another
//! user could create first (`/tmp` is shared) would let them supply `auth.json` and credential
//! helpers or redirect rctr's writes (CWE-377 insecure temporary file / CWE-59 link following).
use anyhow::bail;
use std::fs::File;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Create `dir` 0700 if missing (parents with the default mode); refuse one that is a
/// symlink, not a directory, not ours, or writable by others; tighten one of ours that others
/// can merely read (returns the notice to print once).
///
/// `what` names the directory in messages ("runtime dir", "store").
pub fn ensure_private_dir(dir: &Path, uid: u32, what: &str) -> anyhow::Result<Option<String>> {
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(parent) = dir.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", parent.display()))?;
            }
            return match std::fs::DirBuilder::new().mode(0o700).create(dir) {
                Ok(()) => Ok(None),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    check_private_dir(dir, uid, what, true)
                }
                Err(e) => bail!("cannot create {what} {}: {e}", dir.display()),
            };
        }
        Err(e) => bail!("cannot create {what} {}: {e}", dir.display()),
    }
    check_private_dir(dir, uid, what, true)
}

/// Check an existing private dir (see [`ensure_private_dir`]); `tighten` allows the chmod.
/// A symlink is refused: the directory itself must be the one we checked (lstat), or another
/// user who planted the link would choose where our state goes.
pub fn check_private_dir(
    dir: &Path,
    uid: u32,
    what: &str,
    tighten: bool,
) -> anyhow::Result<Option<String>> {
    let m = std::fs::symlink_metadata(dir)
        .map_err(|e| anyhow::anyhow!("cannot read {what} {}: {e}", dir.display()))?;
    if m.file_type().is_symlink() {
        bail!(
            "{what} {} is a symlink (to {}): another user may have planted it; remove it, or {}",
            dir.display(),
            std::fs::read_link(dir)
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            elsewhere(what)
        );
    }
    check_meta(dir, &m, uid, what, tighten)
}

/// The store root may be a symlink the user made (a store on a scratch disk): its target is
/// checked instead. Created 0700 when missing.
pub fn ensure_store_root(dir: &Path, uid: u32) -> anyhow::Result<Option<String>> {
    match std::fs::metadata(dir) {
        Ok(m) => check_meta(dir, &m, uid, "store", true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => ensure_private_dir(dir, uid, "store"),
        Err(e) => bail!("cannot read store {}: {e}", dir.display()),
    }
}

/// Where else the user can point rctr, per directory.
fn elsewhere(what: &str) -> &'static str {
    if what == "store" {
        "give rctr another store with --root DIR"
    } else {
        "set XDG_RUNTIME_DIR (or --runroot) to a private directory of your own"
    }
}

fn check_meta(
    dir: &Path,
    m: &std::fs::Metadata,
    uid: u32,
    what: &str,
    tighten: bool,
) -> anyhow::Result<Option<String>> {
    let d = dir.display();
    if !m.is_dir() {
        bail!("{what} {d} exists and is not a directory: remove it");
    }
    if m.uid() != uid {
        bail!(
            "{what} {d} is owned by uid {}, not by you (uid {uid}): another user may have created it; use nothing in it: have it removed, or {}",
            m.uid(),
            elsewhere(what)
        );
    }
    let mode = m.mode() & 0o7777;
    if mode & 0o022 != 0 {
        // Others could already have replaced anything inside: tightening would hide that.
        bail!(
            "{what} {d} is writable by other users (mode {mode:04o}): check its contents, then run `chmod 700 {d}`"
        );
    }
    if mode & 0o077 != 0 {
        if !tighten {
            bail!("{what} {d} is readable by other users (mode {mode:04o}): run `chmod 700 {d}`");
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| {
            anyhow::anyhow!("{what} {d} is readable by other users (mode {mode:04o}) and chmod failed: {e}: run `chmod 700 {d}`")
        })?;
        return Ok(Some(format!(
            "{what} {d} was readable by other users (mode {mode:04o}); made it private (0700)"
        )));
    }
    Ok(None)
}

/// Open a file that grants something (credentials, helpers to run) only if it is ours:
/// not a symlink (`O_NOFOLLOW`), a regular file owned by `uid`, not writable by others.
/// `Ok(None)` when it does not exist.
pub fn open_owned_file(path: &Path, uid: u32) -> anyhow::Result<Option<File>> {
    let f = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => bail!(
            "{} is a symlink: refusing to read credentials through it; remove it",
            path.display()
        ),
        Err(e) => bail!("cannot open {}: {e}", path.display()),
    };
    let m = f.metadata()?;
    if !m.is_file() {
        bail!("{} is not a regular file: remove it", path.display());
    }
    if m.uid() != uid {
        bail!(
            "{} is owned by uid {}, not by you (uid {uid}): refusing to use it; remove it",
            path.display(),
            m.uid()
        );
    }
    if m.mode() & 0o022 != 0 {
        bail!(
            "{} is writable by other users (mode {:04o}): run `chmod 600 {}`",
            path.display(),
            m.mode() & 0o7777,
            path.display()
        );
    }
    Ok(Some(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uid() -> u32 {
        nix::unistd::getuid().as_raw()
    }

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().mode() & 0o7777
    }

    #[test]
    fn created_private_whatever_the_umask() {
        let td = tempfile::tempdir().unwrap();
        let d = td.path().join("a/b/store");
        let old = nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0));
        let r = ensure_store_root(&d, uid());
        nix::sys::stat::umask(old);
        assert_eq!(r.unwrap(), None);
        assert_eq!(mode(&d), 0o700);
    }

    #[test]
    fn too_open_is_tightened_writable_refused() {
        let td = tempfile::tempdir().unwrap();
        let d = td.path().join("s");
        std::fs::create_dir(&d).unwrap();
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        let n = ensure_store_root(&d, uid()).unwrap().unwrap();
        assert!(n.contains("0755") && n.contains("0700"), "{n}");
        assert_eq!(mode(&d), 0o700);
        assert_eq!(ensure_store_root(&d, uid()).unwrap(), None, "said once");
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = ensure_store_root(&d, uid()).unwrap_err().to_string();
        assert!(
            e.contains("writable by other users") && e.contains("chmod 700"),
            "{e}"
        );
        assert_eq!(mode(&d), 0o777, "refused, not silently changed");
        let e = ensure_store_root(&d, uid() + 1).unwrap_err().to_string();
        assert!(e.contains("owned by uid"), "{e}");
    }

    #[test]
    fn runtime_dir_symlink_refused_store_symlink_followed() {
        let td = tempfile::tempdir().unwrap();
        let real = td.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o700)).unwrap();
        let link = td.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let e = ensure_private_dir(&link, uid(), "runtime dir")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a symlink"), "{e}");
        assert_eq!(ensure_store_root(&link, uid()).unwrap(), None);
    }

    #[test]
    fn owned_file_checks() {
        let td = tempfile::tempdir().unwrap();
        let f = td.path().join("auth.json");
        assert!(open_owned_file(&f, uid()).unwrap().is_none());
        std::fs::write(&f, "{}").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(open_owned_file(&f, uid()).unwrap().is_some());
        assert!(open_owned_file(&f, uid() + 1).is_err());
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o666)).unwrap();
        assert!(open_owned_file(&f, uid()).is_err());
        let l = td.path().join("l.json");
        std::os::unix::fs::symlink(&f, &l).unwrap();
        let e = open_owned_file(&l, uid()).unwrap_err().to_string();
        assert!(e.contains("symlink"), "{e}");
    }
}
