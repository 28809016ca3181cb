//! Removing and renaming containers.
use super::{containers_root, names, Container, ContainerError};
use crate::context::Context;
use crate::fsutil::FileLock;
use anyhow::Context as _;
use std::path::Path;

impl Container {
    /// Remove the record and every file of the container: its name, runtime dir and
    /// container dir. The caller makes sure it is not running (`rm -f` stops it first).
    ///
    /// The record disappears atomically first (the dir is renamed to `.removing-<id>`), so a
    /// concurrent `rm` of the same container waits on the lock and then gets NotFound, and
    /// `ps` never shows a half-removed container.
    pub fn remove(&self, ctx: &Context) -> anyhow::Result<()> {
        let not_found = || anyhow::Error::from(ContainerError::NotFound(self.rec.id.clone()));
        let lock = match FileLock::exclusive(&self.dir.join("lock")) {
            Ok(l) => l,
            Err(_) if !self.dir.exists() => return Err(not_found()),
            Err(e) => return Err(e),
        };
        if !self.dir.join("container.json").exists() {
            return Err(not_found());
        }
        let root = containers_root(ctx);
        let doomed = root.join(format!(".removing-{}", self.rec.id));
        std::fs::rename(&self.dir, &doomed)
            .with_context(|| format!("removing container {}", self.short_id()))?;
        drop(lock);
        {
            let _names = FileLock::exclusive(&root.join("names.lock"))?;
            names::release(&root.join("names"), &self.rec.name, &self.rec.id);
        }
        match std::fs::remove_dir_all(&self.run_dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("removing {}", self.run_dir.display()))
            }
        }
        remove_tree(ctx, &doomed)
    }

    /// [`Container::remove`], then the anonymous volumes it created (`rm -v`, `--rm`; named
    /// volumes stay, as with podman). The container must already be gone from the volumes'
    /// point of view, so the record is removed first.
    pub fn remove_with_volumes(&self, ctx: &Context) -> anyhow::Result<()> {
        self.remove(ctx)?;
        for m in self.rec.mounts.iter().filter(|m| m.kind == "volume") {
            if crate::volume::get(ctx, &m.name).is_ok_and(|v| v.anonymous) {
                crate::volume::remove(ctx, &m.name, false)?;
            }
        }
        Ok(())
    }

    /// Give the container a new name (`rctr rename`).
    pub fn rename(&mut self, ctx: &Context, new_name: &str) -> anyhow::Result<()> {
        names::validate_name(new_name)?;
        let root = containers_root(ctx);
        let names_dir = root.join("names");
        let _names = FileLock::exclusive(&root.join("names.lock"))?;
        let _l = self.lock()?;
        if !self.reload()? {
            return Err(ContainerError::NotFound(self.rec.id.clone()).into());
        }
        if self.rec.name == new_name {
            return Ok(());
        }
        let exists = |other: &str| root.join(other).join("container.json").exists();
        if let names::Reserve::Taken(owner) =
            names::reserve(&names_dir, new_name, &self.rec.id, exists)?
        {
            return Err(ContainerError::NameInUse {
                name: new_name.into(),
                id: owner,
            }
            .into());
        }
        let old = self.rec.name.clone();
        let id = self.rec.id.clone();
        if let Err(e) = self.update_locked(|r| r.name = new_name.to_string()) {
            names::release(&names_dir, new_name, &id);
            return Err(e);
        }
        names::release(&names_dir, &old, &id);
        Ok(())
    }
}

/// Remove a directory tree of a container. Fast path as the user; overlay leaves `work/work`
/// at mode 000, so directories we own are opened up and retried; files owned by subordinate
/// IDs (written by the container) can only be removed inside the store's user namespace.
pub fn remove_tree(ctx: &Context, path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(_) => {}
    }
    open_up(path, ctx.uid);
    if std::fs::remove_dir_all(path).is_ok() || !path.exists() {
        return Ok(());
    }
    let store = crate::storage::Store::open(ctx)?;
    store.remove_trees(&[path.to_path_buf()])
}

/// chmod u+rwx every directory under `path` that `uid` owns (best effort).
fn open_up(path: &Path, uid: u32) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let Ok(m) = std::fs::symlink_metadata(path) else {
        return;
    };
    if !m.is_dir() || m.uid() != uid {
        return;
    }
    let mode = m.permissions().mode();
    if mode & 0o700 != 0o700 {
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode | 0o700));
    }
    if let Ok(rd) = std::fs::read_dir(path) {
        for e in rd.flatten() {
            open_up(&e.path(), uid);
        }
    }
}

/// Remove leftovers of interrupted removals (`.removing-*`) and creations (dirs without a
/// record whose creator is gone). Returns how many were removed.
pub fn cleanup_stale(ctx: &Context) -> anyhow::Result<usize> {
    let root = containers_root(ctx);
    let Ok(rd) = std::fs::read_dir(&root) else {
        return Ok(0);
    };
    // Creations hold names.lock until the record exists: with it held, a record-less dir is
    // an interrupted creation.
    let _names = FileLock::exclusive(&root.join("names.lock"))?;
    let mut n = 0;
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let p = e.path();
        let stale = name.starts_with(".removing-")
            || (names::is_full_id(&name) && !p.join("container.json").exists());
        if stale {
            remove_tree(ctx, &p)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Remove every container that is not running (and matches `filters`); their IDs. Leftovers
/// of interrupted creations and removals go too.
pub fn prune(ctx: &Context, filters: &super::filter::Filters) -> anyhow::Result<Vec<String>> {
    let all = Container::list(ctx)?;
    let mut removed = Vec::new();
    for c in &all {
        let s = c.state();
        if s.status == super::Status::Running || !filters.matches(c, &s, &all) {
            continue;
        }
        match c.remove(ctx) {
            Ok(()) => removed.push(c.rec.id.clone()),
            Err(e) if super::is_not_found(&e) => {}
            Err(e) => return Err(e),
        }
    }
    cleanup_stale(ctx)?;
    Ok(removed)
}
