//! Removing and renaming containers.
use super::{containers_root, names, Container, ContainerError};
use crate::context::Context;
use crate::fsutil::FileLock;
use crate::storage::remove_tree;
use anyhow::Context as _;
use std::path::Path;

/// The directory of a container's dependency markers (see [`Container::add_dependent`]).
const DEPENDENTS: &str = "dependents";
impl Container {
    /// Remove the record and every file of the container: its name, runtime dir and
    /// container dir. The caller makes sure it is not running (`rm -f` stops it first).
    ///
    /// The record disappears atomically first (the dir is renamed to `.removing-<id>`), so a
    /// concurrent `rm` of the same container waits on the lock and then gets NotFound, and
    /// `ps` never shows a half-removed container.
    pub fn remove(&self, ctx: &Context) -> anyhow::Result<()> {
        let doomed = self.unlink(ctx)?;
        remove_tree(ctx, &doomed)
    }

    /// [`Container::remove`] for `rctr rm`: the container is gone (atomically) when this
    /// returns, but its files are deleted by a detached helper. A container's dir holds a
    /// couple of dozen entries, and on a busy ext4 disk every unlink/rmdir waits for the
    /// journal (3-5 ms each measured here): `rm` would take 40 ms instead of 4. Should the
    /// helper die, `container prune` / `system prune` / `system reset` finish the job
    /// (`.removing-*` leftovers).
    pub fn remove_detached(&self, ctx: &Context) -> anyhow::Result<()> {
        let doomed = self.unlink(ctx)?;
        let mut cmd = crate::userns::self_command("__reap");
        cmd.arg(&ctx.data_dir)
            .arg(&doomed)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        // SAFETY: setsid is async-signal-safe.
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
        match cmd.spawn() {
            // Not waited for: it is reparented and reaped by init (or a subreaper).
            Ok(child) => drop(child),
            Err(_) => remove_tree(ctx, &doomed)?,
        }
        Ok(())
    }

    /// The atomic part of a removal: under the container lock the dir becomes
    /// `.removing-<id>` (a concurrent `rm` then gets NotFound, `ps` never sees half a
    /// container), the name is released, the runtime dir removed. Returns the doomed dir.
    fn unlink(&self, ctx: &Context) -> anyhow::Result<std::path::PathBuf> {
        let not_found = || anyhow::Error::from(ContainerError::NotFound(self.rec.id.clone()));
        let lock = match FileLock::exclusive(&self.dir.join("lock")) {
            Ok(l) => l,
            Err(_) if !self.dir.exists() => return Err(not_found()),
            Err(e) => return Err(e),
        };
        if !self.dir.join("container.json").exists() {
            return Err(not_found());
        }
        // Checked under the lock that `add_dependent` takes: no dependent appears meanwhile.
        let deps = self.dependents(ctx);
        if !deps.is_empty() {
            return Err(ContainerError::HasDependents {
                id: self.rec.id.clone(),
                dependents: deps.join(","),
            }
            .into());
        }
        let root = containers_root(ctx);
        let doomed = root.join(format!(".removing-{}", self.rec.id));
        std::fs::rename(&self.dir, &doomed)
            .with_context(|| format!("removing container {}", self.short_id()))?;
        drop(lock);
        if let Some(other) = &self.rec.network_container {
            let _ = std::fs::remove_file(root.join(other).join(DEPENDENTS).join(&self.rec.id));
        }
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
        Ok(doomed)
    }

    /// The IDs of the existing containers that join this one's network namespace (markers
    /// in its `dependents/` directory; one whose container is gone is ignored).
    pub fn dependents(&self, ctx: &Context) -> Vec<String> {
        let root = containers_root(ctx);
        let Ok(rd) = std::fs::read_dir(self.dir.join(DEPENDENTS)) else {
            return Vec::new();
        };
        let mut ids: Vec<String> = rd
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|id| root.join(id).join("container.json").exists())
            .collect();
        ids.sort();
        ids
    }

    /// Record that container `id` joins this one's network namespace, so this one is not
    /// removed under it (podman's dependency). Fails when this one is being removed.
    pub fn add_dependent(&self, id: &str) -> anyhow::Result<()> {
        let _l = self.lock()?;
        if !self.dir.join("container.json").exists() {
            return Err(ContainerError::NotFound(self.rec.id.clone()).into());
        }
        let dir = self.dir.join(DEPENDENTS);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        std::fs::write(dir.join(id), b"").with_context(|| format!("writing {}", dir.display()))
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
    let mut all = Container::list(ctx)?;
    // Newest first: a container that joins another's network is newer than it, and goes first.
    all.sort_by(|a, b| b.rec.created.cmp(&a.rec.created));
    let mut removed = Vec::new();
    for c in &all {
        let s = c.state();
        if s.status == super::Status::Running || !filters.matches(c, &s, &all) {
            continue;
        }
        match c.remove(ctx) {
            Ok(()) => removed.push(c.rec.id.clone()),
            Err(e) if super::is_not_found(&e) => {}
            // A running container still joins its network: it stays, as with podman.
            Err(e) if matches!(e.downcast_ref(), Some(ContainerError::HasDependents { .. })) => {}
            Err(e) => return Err(e),
        }
    }
    cleanup_stale(ctx)?;
    Ok(removed)
}

/// Hidden `__reap DATA_DIR PATH`: delete what `remove_detached` left (see there).
pub fn reap_main(args: &[std::ffi::OsString]) -> anyhow::Result<std::process::ExitCode> {
    let [root, path] = args else {
        anyhow::bail!("usage: __reap DATA_DIR PATH");
    };
    let path = Path::new(path);
    // Only ever a removal leftover inside this store.
    let ok_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(".removing-"));
    if !ok_name || path.parent() != Some(&Path::new(root).join("containers")) {
        anyhow::bail!("__reap: refusing {}", path.display());
    }
    let ctx = Context::from_env(&crate::context::ContextOptions {
        root: Some(root.into()),
        ..Default::default()
    })?;
    remove_tree(&ctx, path)?;
    Ok(std::process::ExitCode::SUCCESS)
}
