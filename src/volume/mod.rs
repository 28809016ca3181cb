//! Named volumes (podman's `local` driver): a directory per volume in the store.
//!
//! ```text
//! <data_dir>/volumes/<name>/volume.json   the record (atomically replaced)
//! <data_dir>/volumes/<name>/_data/        the content, bind-mounted into containers
//! <data_dir>/volumes/volumes.lock         guards create/remove
//! ```
//! A new volume is empty and marked `needs_copy_up`: the first container that mounts it over
//! a directory of its image copies that directory in (podman's copy-up), then the mark goes.
use crate::context::Context;
use crate::fsutil::{atomic_write_json, FileLock};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Errors callers tell apart (`volume rm` of a missing one, in use, …).
#[derive(Debug, thiserror::Error)]
pub enum VolumeError {
    #[error("no volume with name {0:?} found: no such volume")]
    NotFound(String),
    #[error("volume with name {0} already exists: volume already exists")]
    Exists(String),
    #[error("volume {0} is being used by the following container(s): {1}: volume is being used")]
    InUse(String, String),
    #[error("invalid volume name {0:?}: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*")]
    BadName(String),
}

/// `volume.json`, in podman's inspect shape.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Volume {
    pub name: String,
    pub driver: String,
    pub mountpoint: PathBuf,
    pub created_at: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    pub scope: String,
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// Created for one container (`-v /path`), removed with it by `--rm`.
    #[serde(default)]
    pub anonymous: bool,
    /// Still to be initialised from the first image directory it is mounted over.
    #[serde(default)]
    pub needs_copy_up: bool,
}

pub fn volumes_root(ctx: &Context) -> PathBuf {
    ctx.data_dir.join("volumes")
}

/// podman's rule for volume names.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

fn record_path(ctx: &Context, name: &str) -> PathBuf {
    volumes_root(ctx).join(name).join("volume.json")
}

/// The volume called `name`.
pub fn get(ctx: &Context, name: &str) -> anyhow::Result<Volume> {
    if !valid_name(name) {
        return Err(VolumeError::BadName(name.into()).into());
    }
    let p = record_path(ctx, name);
    match std::fs::read(&p) {
        Ok(b) => Ok(
            serde_json::from_slice(&b).with_context(|| format!("{} is corrupt", p.display()))?
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(VolumeError::NotFound(name.into()).into())
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", p.display())),
    }
}

/// Create a volume (`name` None: an anonymous one with a random 64-hex name).
pub fn create(
    ctx: &Context,
    name: Option<&str>,
    labels: BTreeMap<String, String>,
) -> anyhow::Result<Volume> {
    let root = volumes_root(ctx);
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    let _l = FileLock::exclusive(&root.join("volumes.lock"))?;
    let (name, anonymous) = match name {
        Some(n) => (n.to_string(), false),
        None => (crate::fsutil::random_id()?, true),
    };
    if !valid_name(&name) {
        return Err(VolumeError::BadName(name).into());
    }
    let dir = root.join(&name);
    if dir.join("volume.json").exists() {
        return Err(VolumeError::Exists(name).into());
    }
    std::fs::create_dir_all(dir.join("_data"))
        .with_context(|| format!("creating {}", dir.display()))?;
    let v = Volume {
        mountpoint: dir.join("_data"),
        name,
        driver: "local".into(),
        created_at: crate::storage::now_rfc3339(),
        labels,
        scope: "local".into(),
        options: BTreeMap::new(),
        anonymous,
        needs_copy_up: true,
    };
    atomic_write_json(&dir.join("volume.json"), &v)?;
    Ok(v)
}

/// The volume called `name`, created when missing (what `-v name:/path` does).
pub fn get_or_create(ctx: &Context, name: &str) -> anyhow::Result<Volume> {
    match get(ctx, name) {
        Err(e)
            if matches!(
                e.downcast_ref::<VolumeError>(),
                Some(VolumeError::NotFound(_))
            ) =>
        {
            match create(ctx, Some(name), BTreeMap::new()) {
                Err(e)
                    if matches!(
                        e.downcast_ref::<VolumeError>(),
                        Some(VolumeError::Exists(_))
                    ) =>
                {
                    get(ctx, name)
                }
                r => r,
            }
        }
        r => r,
    }
}

/// Clear the copy-up mark once a container has initialised the volume.
pub fn mark_copied(ctx: &Context, name: &str) -> anyhow::Result<()> {
    let _l = FileLock::exclusive(&volumes_root(ctx).join("volumes.lock"))?;
    let mut v = get(ctx, name)?;
    if v.needs_copy_up {
        v.needs_copy_up = false;
        atomic_write_json(&record_path(ctx, name), &v)?;
    }
    Ok(())
}

/// Every volume, by name.
pub fn list(ctx: &Context) -> anyhow::Result<Vec<Volume>> {
    let rd = match std::fs::read_dir(volumes_root(ctx)) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(e.into()),
    };
    let mut v: Vec<Volume> = rd
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| get(ctx, &n).ok())
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(v)
}

/// Delete volume `v` and its content, whoever uses it: the "in use" rules (`volume rm`,
/// `volume rm -f`, `rm -v`) span containers and volumes and live above both, in
/// [`crate::ops`].
pub fn delete(ctx: &Context, v: &Volume) -> anyhow::Result<()> {
    let name = &v.name;
    let root = volumes_root(ctx);
    let _l = FileLock::exclusive(&root.join("volumes.lock"))?;
    let dir = root.join(name);
    // Rename first: the volume vanishes atomically, then its files go (possibly owned by
    // subordinate IDs, which storage::remove_tree handles inside the user namespace).
    let doomed = root.join(format!(".removing-{name}"));
    std::fs::rename(&dir, &doomed).with_context(|| format!("removing volume {name}"))?;
    crate::storage::remove_tree(ctx, &doomed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(valid_name("data"));
        assert!(valid_name("my_vol.1-x"));
        assert!(!valid_name("-x"));
        assert!(!valid_name("a/b"));
        assert!(!valid_name(""));
    }
}
