//! The content-addressed image store under `ctx.data_dir` (no network code here).
//!
//! Layout (all created lazily):
//! ```text
//! storage.json                 the ID mapping layers are unpacked with (recorded on first image)
//! images/names.json            tagged name → image ID (the ONLY place names live)
//! images/<id>/record.json      ImageMeta: digests, repos, diff IDs, sizes, times
//! images/<id>/config.json      the config blob, byte-exact (its sha256 is the ID)
//! images/<id>/manifest.json    the manifest, byte-exact (its sha256 is the digest)
//! layers/<diffid-hex>/diff/    the unpacked layer: an overlay lowerdir (userxattr whiteouts)
//! layers/<diffid-hex>/layer.json
//! tmp/<kind>-<rand>[.lock]     work in progress; the .lock is held by its live creator
//! locks/                       images.lock, layer-<hex>.lock (in use), layer-<hex>.dl (download)
//! ```
//! Readers never lock: every record is replaced by an atomic rename. Writers of `names.json`
//! and image records hold `locks/images.lock`. A pull holds `layer-<hex>.lock` SHARED from the
//! moment it relies on a layer until its image record is committed; garbage collection only
//! removes a layer whose lock it can take EXCLUSIVE without waiting, so it never deletes a
//! layer out from under a pull.
pub mod debug;
pub mod layers;
pub mod names;
#[cfg(test)]
mod tests;

use crate::context::Context;
use crate::fsutil::{atomic_write_json, FileLock};
use crate::idmap::{IdMapping, SingleReason};
use anyhow::{bail, Context as _};
use names::{Candidate, Lookup, NamesIndex};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub use layers::{remove_tree, LayerMeta, TempEntry};

/// An image in the store, as the rest of rctr sees it.
#[derive(Debug, Clone)]
pub struct ImageRecord {
    /// sha256 hex of the config blob (podman's image ID).
    pub id: String,
    /// Tagged names, e.g. `127.0.0.1:5100/busybox:latest` (sorted).
    pub names: Vec<String>,
    /// Manifest digest `sha256:…` (of the platform manifest when pulled through an index).
    pub digest: String,
    pub config: oci_spec::image::ImageConfiguration,
    /// Diff IDs (`sha256:…`), bottom → top.
    pub layers: Vec<String>,
    /// The config's `created` timestamp.
    pub created: Option<String>,
    /// Uncompressed size of all layers in bytes.
    pub size: u64,
    /// RFC 3339 time the image was (last) pulled or loaded.
    pub pulled_at: String,
    /// Digest of the index / manifest list it was pulled through, if any.
    pub list_digest: Option<String>,
    /// Repositories (`registry/repo`) it was pulled from: with `digests` these give RepoDigests.
    pub repos: Vec<String>,
    /// All manifest (and index) digests it was pulled as, `digest` included.
    pub digests: Vec<String>,
    pub manifest_media_type: String,
}

/// `images/<id>/record.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImageMeta {
    pub id: String,
    pub digest: String,
    #[serde(default)]
    pub list_digest: Option<String>,
    /// Every manifest/index digest this image was pulled as (RepoDigests, name@digest lookup).
    #[serde(default)]
    pub digests: Vec<String>,
    #[serde(default)]
    pub repos: Vec<String>,
    pub layers: Vec<String>,
    #[serde(default)]
    pub created: Option<String>,
    pub size: u64,
    pub pulled_at: String,
    #[serde(default)]
    pub manifest_media_type: String,
}

/// `storage.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoreInfo {
    version: u32,
    mapping: IdMapping,
}

#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    mapping: IdMapping,
    /// Why single-ID mode is in use (for the one-line notice), if it is.
    single_reason: Option<SingleReason>,
    recorded: bool,
}

impl Store {
    /// Open the store at `ctx.data_dir`. Cheap: no network, no tokio, no directories created
    /// (they appear on first write). Fails when the store was unpacked with a mapping this
    /// user can no longer use (subordinate IDs changed), saying what to do.
    pub fn open(ctx: &Context) -> anyhow::Result<Store> {
        let plan = crate::idmap::plan_for(ctx);
        Self::open_with(&ctx.data_dir, plan.mapping, plan.single_reason)
    }

    /// Open with an explicit mapping (tests, tools).
    pub fn open_with(
        root: &Path,
        current: IdMapping,
        single_reason: Option<SingleReason>,
    ) -> anyhow::Result<Store> {
        let info_path = root.join("storage.json");
        let recorded: Option<StoreInfo> = match std::fs::read(&info_path) {
            Ok(b) => Some(
                serde_json::from_slice(&b)
                    .with_context(|| format!("{} is corrupt", info_path.display()))?,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("reading {}", info_path.display())),
        };
        let mut store = Store {
            root: root.to_path_buf(),
            mapping: current.clone(),
            single_reason,
            recorded: recorded.is_some(),
        };
        if let Some(info) = recorded {
            if info.mapping != current {
                let has_layers = std::fs::read_dir(root.join("layers"))
                    .map(|mut d| d.next().is_some())
                    .unwrap_or(false);
                if !has_layers {
                    store.recorded = false; // re-recorded with the current mapping on next commit
                } else if info.mapping.mode == crate::idmap::MappingMode::SingleId
                    && info.mapping.uid_map == single_of(&current).uid_map
                {
                    // Layers unpacked in single-ID mode stay valid (only our own ID is used);
                    // keep using that mapping so on-disk owners and containers agree.
                    store.mapping = info.mapping;
                    store.single_reason = Some(SingleReason::StoreIsSingleId(root.to_path_buf()));
                } else {
                    bail!(
                        "the store {} was unpacked with ID mapping {} but your current mapping is {} \
                         (subordinate IDs in /etc/subuid or /etc/subgid changed): remove the store \
                         (`rctr system reset`) or use another --root",
                        root.display(),
                        describe(&info.mapping),
                        describe(&current)
                    );
                }
            }
        }
        Ok(store)
    }

    /// The store's root directory (`ctx.data_dir`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The ID mapping the layers are unpacked with; containers must run with the same one.
    pub fn mapping(&self) -> &IdMapping {
        &self.mapping
    }

    /// Why single-ID mode is used (one-line notice for users), if it is.
    pub fn single_id_notice(&self) -> Option<&SingleReason> {
        self.single_reason.as_ref()
    }

    /// Find an image by normalized name (podman rules: `busybox` matches `…/busybox:latest`),
    /// full or short (≥ 3 hex, unique) ID, or `name@digest`. `Ok(None)` when nothing matches;
    /// an ambiguous short ID or short name is an error naming the candidates.
    pub fn resolve_image(&self, name_or_id: &str) -> anyhow::Result<Option<ImageRecord>> {
        let names = self.load_names()?;
        // Fast path (the `run` start-up path): a name needs only the names index and one
        // record, not every record in the store.
        match names.lookup_name(name_or_id) {
            Lookup::Id(id) => {
                if let Some(m) = self.load_meta(&id)? {
                    return Ok(Some(self.record_from(m, &names)?));
                }
            }
            Lookup::Ambiguous(_) | Lookup::None => {}
        }
        let metas = self.load_metas()?;
        let cands: Vec<Candidate> = metas
            .iter()
            .map(|m| Candidate {
                id: &m.id,
                digests: std::iter::once(m.digest.as_str())
                    .chain(m.list_digest.as_deref())
                    .chain(m.digests.iter().map(String::as_str))
                    .collect(),
                repos: m.repos.iter().map(String::as_str).collect(),
            })
            .collect();
        match names.lookup(name_or_id, &cands) {
            Lookup::None => Ok(None),
            Lookup::Id(id) => match metas.into_iter().find(|m| m.id == id) {
                Some(m) => Ok(Some(self.record_from(m, &names)?)),
                None => Ok(None), // a name pointing at a record removed meanwhile
            },
            Lookup::Ambiguous(ids) => bail!(
                "{name_or_id:?} matches several images ({}): use a longer ID or a full name",
                ids.iter().map(|i| &i[..12]).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    /// Unpacked layer directories of `img`, TOP-most first (overlay `lowerdir` order).
    pub fn lower_dirs(&self, img: &ImageRecord) -> Vec<PathBuf> {
        img.layers
            .iter()
            .rev()
            .map(|d| self.layer_diff_dir(d))
            .collect()
    }

    /// All images, newest first.
    pub fn images(&self) -> anyhow::Result<Vec<ImageRecord>> {
        let names = self.load_names()?;
        let mut v = Vec::new();
        for m in self.load_metas()? {
            v.push(self.record_from(m, &names)?);
        }
        v.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
        Ok(v)
    }

    // ---- paths -------------------------------------------------------------------------

    pub fn images_dir(&self) -> PathBuf {
        self.root.join("images")
    }
    pub fn image_dir(&self, id: &str) -> PathBuf {
        self.images_dir().join(id)
    }
    pub fn layers_dir(&self) -> PathBuf {
        self.root.join("layers")
    }
    /// `layers/<hex>` for a diff ID `sha256:<hex>`.
    pub fn layer_dir(&self, diff_id: &str) -> PathBuf {
        self.layers_dir().join(hex_of(diff_id))
    }
    pub fn layer_diff_dir(&self, diff_id: &str) -> PathBuf {
        self.layer_dir(diff_id).join("diff")
    }
    pub fn has_layer(&self, diff_id: &str) -> bool {
        self.layer_dir(diff_id).join("layer.json").is_file()
    }
    pub fn locks_dir(&self) -> PathBuf {
        self.root.join("locks")
    }
    pub fn tmp_root(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Create the store's directories (first write).
    pub fn ensure_dirs(&self) -> anyhow::Result<()> {
        for d in [
            self.images_dir(),
            self.layers_dir(),
            self.locks_dir(),
            self.tmp_root(),
        ] {
            std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
        }
        Ok(())
    }

    /// Exclusive lock for writing names and image records.
    pub fn lock_images(&self) -> anyhow::Result<FileLock> {
        self.ensure_dirs()?;
        FileLock::exclusive(&self.locks_dir().join("images.lock"))
    }

    // ---- records -----------------------------------------------------------------------

    pub fn load_names(&self) -> anyhow::Result<NamesIndex> {
        let p = self.images_dir().join("names.json");
        match std::fs::read(&p) {
            Ok(b) => {
                serde_json::from_slice(&b).with_context(|| format!("{} is corrupt", p.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(NamesIndex::default()),
            Err(e) => Err(e).with_context(|| format!("reading {}", p.display())),
        }
    }

    /// Replace the names index (caller holds [`Store::lock_images`]).
    pub fn save_names(&self, n: &NamesIndex) -> anyhow::Result<()> {
        atomic_write_json(&self.images_dir().join("names.json"), n)
    }

    /// All complete image records (directories without a record.json are ignored).
    pub fn load_metas(&self) -> anyhow::Result<Vec<ImageMeta>> {
        let rd = match std::fs::read_dir(self.images_dir()) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).context("reading the image store"),
        };
        let mut v = Vec::new();
        for e in rd {
            let e = e?;
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.len() != 64 {
                continue;
            }
            match std::fs::read(e.path().join("record.json")) {
                Ok(b) => v.push(serde_json::from_slice::<ImageMeta>(&b).with_context(|| {
                    format!("image record {}/record.json is corrupt", e.path().display())
                })?),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => return Err(err).context("reading image record"),
            }
        }
        Ok(v)
    }

    pub fn load_meta(&self, id: &str) -> anyhow::Result<Option<ImageMeta>> {
        match std::fs::read(self.image_dir(id).join("record.json")) {
            Ok(b) => Ok(Some(serde_json::from_slice(&b)?)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The raw config blob of image `id`.
    pub fn config_bytes(&self, id: &str) -> anyhow::Result<Vec<u8>> {
        let p = self.image_dir(id).join("config.json");
        std::fs::read(&p).with_context(|| format!("reading {}", p.display()))
    }

    /// The raw manifest of image `id`.
    pub fn manifest_bytes(&self, id: &str) -> anyhow::Result<Vec<u8>> {
        let p = self.image_dir(id).join("manifest.json");
        std::fs::read(&p).with_context(|| format!("reading {}", p.display()))
    }

    fn record_from(&self, m: ImageMeta, names: &NamesIndex) -> anyhow::Result<ImageRecord> {
        let raw = self.config_bytes(&m.id)?;
        let config: oci_spec::image::ImageConfiguration = serde_json::from_slice(&raw)
            .with_context(|| format!("config of image {} is corrupt", &m.id[..12]))?;
        Ok(ImageRecord {
            names: names.names_of(&m.id),
            id: m.id,
            digest: m.digest.clone(),
            config,
            layers: m.layers,
            created: m.created,
            size: m.size,
            pulled_at: m.pulled_at,
            digests: {
                let mut d: Vec<String> = std::iter::once(m.digest.clone())
                    .chain(m.list_digest.clone())
                    .chain(m.digests)
                    .collect();
                d.dedup();
                let mut seen = std::collections::HashSet::new();
                d.retain(|x| seen.insert(x.clone()));
                d
            },
            list_digest: m.list_digest,
            repos: m.repos,
            manifest_media_type: m.manifest_media_type,
        })
    }

    /// Record the mapping in `storage.json` if not yet done (called when an image is committed:
    /// from then on the layers on disk carry owners of this mapping).
    pub fn record_mapping(&mut self) -> anyhow::Result<()> {
        if self.recorded {
            return Ok(());
        }
        atomic_write_json(
            &self.root.join("storage.json"),
            &StoreInfo {
                version: 1,
                mapping: self.mapping.clone(),
            },
        )?;
        self.recorded = true;
        Ok(())
    }

    /// Commit an image (caller holds [`Store::lock_images`] and shared locks on its layers):
    /// writes `images/<id>/` atomically if new (or refreshes its record), then points
    /// `tag_names` at it (moving them off any other image).
    pub fn commit_image(
        &mut self,
        meta: ImageMeta,
        config: &[u8],
        manifest: &[u8],
        tag_names: &[String],
    ) -> anyhow::Result<()> {
        self.record_mapping()?;
        let dir = self.image_dir(&meta.id);
        if let Some(old) = self.load_meta(&meta.id)? {
            let mut m = meta;
            for r in old.repos {
                if !m.repos.contains(&r) {
                    m.repos.push(r);
                }
            }
            m.repos.sort();
            for d in old
                .digests
                .into_iter()
                .chain(std::iter::once(old.digest))
                .chain(old.list_digest)
            {
                if !m.digests.contains(&d) {
                    m.digests.push(d);
                }
            }
            atomic_write_json(&dir.join("record.json"), &m)?;
        } else {
            let tmp = self.new_temp("img")?;
            std::fs::write(tmp.path().join("config.json"), config)?;
            std::fs::write(tmp.path().join("manifest.json"), manifest)?;
            // Visible only with the rename of the directory below.
            std::fs::write(
                tmp.path().join("record.json"),
                serde_json::to_vec_pretty(&meta)?,
            )?;
            // A directory left by a crash between mkdir and record.json (impossible with the
            // rename below, but cheap to handle) would block the rename.
            if dir.exists() {
                let _ = std::fs::remove_dir_all(&dir);
            }
            std::fs::rename(tmp.path(), &dir)
                .with_context(|| format!("committing image {}", dir.display()))?;
        }
        if !tag_names.is_empty() {
            let mut names = self.load_names()?;
            for n in tag_names {
                names.names.insert(n.clone(), meta_id(&dir));
            }
            self.save_names(&names)?;
        }
        Ok(())
    }
}

fn meta_id(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `sha256:<hex>` → `<hex>` (anything else is returned unchanged).
pub fn hex_of(digest: &str) -> &str {
    digest.split_once(':').map(|(_, h)| h).unwrap_or(digest)
}

/// One-line description of a mapping for messages.
pub fn describe(m: &IdMapping) -> String {
    let part = |v: &[crate::idmap::IdMap]| {
        v.iter()
            .map(|x| format!("{}:{}:{}", x.container_id, x.host_id, x.size))
            .collect::<Vec<_>>()
            .join(",")
    };
    format!("uids {} gids {}", part(&m.uid_map), part(&m.gid_map))
}

/// The single-ID mapping of the same user as `m` (its container-0 entries).
fn single_of(m: &IdMapping) -> IdMapping {
    IdMapping::single(m.host_uid(0).unwrap_or(0), m.host_gid(0).unwrap_or(0))
}

/// Current time as RFC 3339 with nanoseconds (podman's format).
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
}
