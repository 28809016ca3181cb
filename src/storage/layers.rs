//! Layers, temp dirs, removal and garbage collection.
//!
//! Files in layers belong to subordinate IDs, which the user cannot delete from the host
//! namespace; all removal goes through one helper re-exec (`__rm-tree`) inside the store's
//! user namespace.
use super::{ImageMeta, Store};
use crate::context::Context;
use crate::fsutil::FileLock;
use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `layers/<hex>/layer.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LayerMeta {
    pub diff_id: String,
    /// Bytes of the uncompressed tar stream.
    pub size: u64,
    /// Compressed blob digests this layer was fetched as (compressed digest → diff ID map).
    #[serde(default)]
    pub compressed: Vec<String>,
    pub created_at: String,
    /// Owners that could not be set (single-ID mode) were recorded in `user.rctr.owner`.
    #[serde(default)]
    pub foreign_owners: bool,
    /// Device nodes the user may not create (skipped).
    #[serde(default)]
    pub skipped_devices: u64,
}

/// A directory under `tmp/` owned by a live process (its `.lock` sibling is held).
/// A crashed creator releases the lock, which is how [`Store::cleanup_tmp`] knows it is stale.
pub struct TempEntry {
    path: PathBuf,
    lock_path: PathBuf,
    _lock: FileLock,
}

impl TempEntry {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempEntry {
    fn drop(&mut self) {
        // Best effort: entries holding subordinate-owned files are removed by the caller via
        // `remove_trees` first; a leftover is collected by the next `cleanup_tmp`.
        if self.path.exists() && std::fs::remove_dir_all(&self.path).is_err() {
            return; // keep the lock file name free for the cleaner's try-lock
        }
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

impl Store {
    /// A new private work dir under `tmp/` (same filesystem as `layers/` and `images/`, so the
    /// finished result is published with one `rename`).
    pub fn new_temp(&self, kind: &str) -> anyhow::Result<TempEntry> {
        use std::os::unix::fs::DirBuilderExt;
        self.ensure_dirs()?;
        let name = format!("{kind}-{}", crate::fsutil::unique_suffix());
        let path = self.tmp_root().join(&name);
        let lock_path = self.tmp_root().join(format!("{name}.lock"));
        // Lock first, then create: a cleaner that sees the dir always finds the lock held.
        let lock = FileLock::exclusive(&lock_path)?;
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .with_context(|| format!("creating {}", path.display()))?;
        Ok(TempEntry {
            path,
            lock_path,
            _lock: lock,
        })
    }

    /// Remove work dirs left by crashed processes (their lock is free). Returns how many.
    pub fn cleanup_tmp(&self) -> anyhow::Result<usize> {
        let rd = match std::fs::read_dir(self.tmp_root()) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e).context("reading the store's tmp dir"),
        };
        let mut stale = Vec::new();
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".lock") || name.starts_with(".tmp-") {
                if name.ends_with(".lock")
                    && !self.tmp_root().join(&name[..name.len() - 5]).exists()
                {
                    // an orphan lock file: remove it only if nobody holds it
                    let p = e.path();
                    if let Ok(Some(_g)) = FileLock::try_exclusive(&p) {
                        let _ = std::fs::remove_file(&p);
                    }
                }
                continue;
            }
            let lock_path = self.tmp_root().join(format!("{name}.lock"));
            if let Some(g) = FileLock::try_exclusive(&lock_path)? {
                stale.push((e.path(), lock_path, g));
            }
        }
        if stale.is_empty() {
            return Ok(0);
        }
        // The creator is dead, but an unpack helper it started may still be writing (it holds
        // a shared lock on the dir until its input, now closed, runs out): wait for it.
        let mut busy = Vec::new();
        for (p, _, _) in &stale {
            if let Ok(fd) = rustix::fs::open(
                p,
                rustix::fs::OFlags::RDONLY
                    | rustix::fs::OFlags::DIRECTORY
                    | rustix::fs::OFlags::CLOEXEC,
                rustix::fs::Mode::empty(),
            ) {
                rustix::fs::flock(&fd, rustix::fs::FlockOperation::LockExclusive)?;
                busy.push(fd);
            }
        }
        let paths: Vec<PathBuf> = stale.iter().map(|s| s.0.clone()).collect();
        self.remove_trees(&paths)?;
        drop(busy);
        for (_, lock_path, _g) in &stale {
            let _ = std::fs::remove_file(lock_path);
        }
        Ok(stale.len())
    }

    /// Remove directory trees that may hold subordinate-owned files, inside the store's user
    /// namespace (one helper process for all of them).
    pub fn remove_trees(&self, paths: &[PathBuf]) -> anyhow::Result<()> {
        let paths: Vec<&PathBuf> = paths
            .iter()
            .filter(|p| std::fs::symlink_metadata(p).is_ok())
            .collect();
        if paths.is_empty() {
            return Ok(());
        }
        let mut cmd = crate::userns::self_command("__rm-tree");
        cmd.args(paths.iter().map(|p| p.as_os_str()));
        cmd.stdin(std::process::Stdio::null());
        let child = crate::userns::spawn_mapped(&mut cmd, &self.mapping)?;
        let out = child.wait_with_output()?;
        if !out.status.success() {
            bail!(
                "could not remove {} from the store (helper exited with {})",
                paths[0].display(),
                out.status
            );
        }
        Ok(())
    }

    /// Shared "in use" lock on a layer: held by a pull from the moment it relies on the layer
    /// until its image record is committed, so GC never removes it in between.
    pub fn layer_use_lock(&self, diff_id: &str) -> anyhow::Result<FileLock> {
        self.ensure_dirs()?;
        FileLock::shared(
            &self
                .locks_dir()
                .join(format!("layer-{}.lock", super::hex_of(diff_id))),
        )
    }

    /// Exclusive download lock on a layer: two pulls of one layer download it once.
    pub fn layer_download_lock(&self, diff_id: &str) -> anyhow::Result<FileLock> {
        self.ensure_dirs()?;
        FileLock::exclusive_unbounded(
            &self
                .locks_dir()
                .join(format!("layer-{}.dl", super::hex_of(diff_id))),
        )
    }

    /// Publish an unpacked layer: `tmp` holds `diff/`; `layer.json` is written and the whole
    /// dir renamed to `layers/<hex>` (visible only when complete and verified).
    pub fn install_layer(&self, tmp: &TempEntry, meta: &LayerMeta) -> anyhow::Result<()> {
        // A plain write: the file becomes visible only with the rename of its directory below
        // (no fsync: the unpacked files themselves are not synced either).
        std::fs::write(
            tmp.path().join("layer.json"),
            serde_json::to_vec_pretty(meta)?,
        )?;
        let dest = self.layer_dir(&meta.diff_id);
        if dest.exists() {
            // Only possible after a crash mid-GC; the old copy is equally valid but may be
            // partial, so replace it.
            let t = self.new_temp("rm")?;
            std::fs::rename(&dest, t.path().join("layer"))?;
            self.remove_trees(&[t.path().to_path_buf()])?;
        }
        std::fs::rename(tmp.path(), &dest)
            .with_context(|| format!("installing layer {}", dest.display()))
    }

    pub fn layer_meta(&self, diff_id: &str) -> Option<LayerMeta> {
        let b = std::fs::read(self.layer_dir(diff_id).join("layer.json")).ok()?;
        serde_json::from_slice(&b).ok()
    }

    /// Remove layers no image references (all of them, or just `only`). Layers in use by a
    /// running pull are skipped. Returns the number removed.
    pub fn gc_layers(&self, only: Option<&[String]>) -> anyhow::Result<usize> {
        let doomed = {
            let _g = self.lock_images()?;
            let referenced: HashSet<String> = self
                .load_metas()?
                .into_iter()
                .flat_map(|m: ImageMeta| m.layers)
                .map(|d| super::hex_of(&d).to_string())
                .collect();
            let candidates: Vec<String> = match only {
                Some(v) => v.iter().map(|d| super::hex_of(d).to_string()).collect(),
                None => match std::fs::read_dir(self.layers_dir()) {
                    Ok(rd) => rd
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect(),
                    Err(_) => Vec::new(),
                },
            };
            let mut doomed = Vec::new();
            for hex in candidates {
                if referenced.contains(&hex) || !self.layers_dir().join(&hex).exists() {
                    continue;
                }
                let lock = self.locks_dir().join(format!("layer-{hex}.lock"));
                let Some(g) = FileLock::try_exclusive(&lock)? else {
                    continue; // a pull is using it right now
                };
                let t = self.new_temp("rm")?;
                std::fs::rename(self.layers_dir().join(&hex), t.path().join("layer"))?;
                doomed.push((t, g));
            }
            doomed
        };
        let paths: Vec<PathBuf> = doomed.iter().map(|(t, _)| t.path().to_path_buf()).collect();
        self.remove_trees(&paths)?;
        Ok(doomed.len())
    }

    /// Remove image `id`: its names and record, then the layers nobody else needs.
    pub fn remove_image(&self, id: &str) -> anyhow::Result<()> {
        let layers = {
            let _g = self.lock_images()?;
            let mut names = self.load_names()?;
            names.names.retain(|_, v| v != id);
            self.save_names(&names)?;
            let layers = self.load_meta(id)?.map(|m| m.layers).unwrap_or_default();
            let dir = self.image_dir(id);
            if dir.exists() {
                // Rename first so readers never see a half-removed record.
                let t = self.new_temp("rmimg")?;
                std::fs::rename(&dir, t.path().join("img"))?;
            }
            layers
        };
        self.gc_layers(Some(&layers))?;
        Ok(())
    }
}

/// Hidden `__rm-tree PATH…`: runs inside the store's user namespace, where root owns every
/// mapped ID, and removes each tree (missing paths are fine: removal is idempotent).
pub fn rm_tree_main(args: &[OsString]) -> anyhow::Result<ExitCode> {
    crate::userns::child_enter(0)?;
    let mut failed = false;
    for a in args {
        let p = Path::new(a);
        match std::fs::remove_dir_all(p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if e.raw_os_error() == Some(libc::ENOTDIR) => {
                let _ = std::fs::remove_file(p);
            }
            Err(e) => {
                eprintln!("Error: removing {}: {e}", p.display());
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
/// Remove a directory tree in the store (a container's, a volume's). Fast path as the user; overlay leaves `work/work`
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
    let store = Store::open(ctx)?;
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
