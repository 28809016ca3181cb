//! `save` / `load`: images as an OCI layout (`oci-archive`) or `docker save` layout
//! (`docker-archive`) in one tar. Layers are written uncompressed, rebuilt byte-exact from
//! the store (see `tarsplit`), so configs, diff IDs and image IDs survive the round trip.
use super::layer::{self, LayerHold, Prepared};
use super::limits;
use super::registry::{self, Manifest};
use super::unpack::Compression;
use crate::storage::{hex_of, now_rfc3339, ImageMeta, ImageRecord, Store};
use anyhow::{anyhow, bail, Context as _};
use serde_json::{json, Value};
use sha2::Digest;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveFormat {
    /// An OCI image layout in a tar
    OciArchive,
    /// The `docker save` layout in a tar (podman's default)
    DockerArchive,
}

const OCI_LAYER_TAR: &str = "application/vnd.oci.image.layer.v1.tar";
const REF_NAME: &str = "org.opencontainers.image.ref.name";

fn sha256_hex(b: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(b))
}

fn file_header(size: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(0);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

fn append_bytes<W: Write>(b: &mut tar::Builder<W>, path: &str, data: &[u8]) -> anyhow::Result<()> {
    let mut h = file_header(data.len() as u64);
    b.append_data(&mut h, path, data)?;
    Ok(())
}

/// Hashes and counts what passes through.
struct HashRead<R> {
    inner: R,
    h: sha2::Sha256,
    n: u64,
}

impl<R: Read> Read for HashRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.h.update(&buf[..n]);
        self.n += n as u64;
        Ok(n)
    }
}

/// Append the rebuilt layer `diff_id` at `path`, verifying size and digest.
fn append_layer<W: Write>(
    b: &mut tar::Builder<W>,
    store: &Store,
    diff_id: &str,
    path: &str,
) -> anyhow::Result<u64> {
    let meta = store.layer_meta(diff_id).ok_or_else(|| {
        anyhow!("layer {diff_id} is missing from the store: pull the image again")
    })?;
    let dir = store.layer_dir(diff_id);
    if !dir.join("tar-split").exists() {
        bail!("layer {diff_id} has no tar-split record (stored by an older rctr): pull the image again to save it");
    }
    let mut cmd = crate::userns::self_command("__save-layer");
    cmd.arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = crate::userns::spawn_mapped(&mut cmd, store.mapping())?;
    let stdout = child.stdout.take().expect("piped");
    let mut r = HashRead {
        inner: stdout,
        h: sha2::Sha256::new(),
        n: 0,
    };
    let mut h = file_header(meta.size);
    let res = b.append_data(&mut h, path, &mut r);
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("rebuilding layer {diff_id}: {}", layer::helper_error(&out));
    }
    res?;
    let got = format!("sha256:{}", hex::encode(r.h.finalize()));
    if r.n != meta.size || got != diff_id {
        bail!("layer {diff_id} could not be rebuilt byte-exact (got {got}, {} bytes): it was modified in the store", r.n);
    }
    Ok(meta.size)
}

/// Write `images` (each with the names to record) as one archive to `out`.
pub fn save<W: Write>(
    store: &Store,
    images: &[(ImageRecord, Vec<String>)],
    format: ArchiveFormat,
    out: W,
) -> anyhow::Result<()> {
    let mut b = tar::Builder::new(out);
    let mut written = std::collections::HashSet::new();
    match format {
        ArchiveFormat::OciArchive => {
            append_bytes(&mut b, "oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#)?;
            let mut index = Vec::new();
            for (img, names) in images {
                let mut layers = Vec::new();
                for d in &img.layers {
                    let path = format!("blobs/sha256/{}", hex_of(d));
                    let size = match written.insert(path.clone()) {
                        true => append_layer(&mut b, store, d, &path)?,
                        false => store.layer_meta(d).map(|m| m.size).unwrap_or(0),
                    };
                    layers.push(json!({"mediaType": OCI_LAYER_TAR, "digest": d, "size": size}));
                }
                let config = store.config_bytes(&img.id)?;
                if written.insert(img.id.clone()) {
                    append_bytes(&mut b, &format!("blobs/sha256/{}", img.id), &config)?;
                }
                let manifest = serde_json::to_vec(&json!({
                    "schemaVersion": 2,
                    "mediaType": registry::OCI_MANIFEST,
                    "config": {"mediaType": registry::OCI_CONFIG, "digest": format!("sha256:{}", img.id), "size": config.len()},
                    "layers": layers,
                }))?;
                let mhex = sha256_hex(&manifest);
                if written.insert(mhex.clone()) {
                    append_bytes(&mut b, &format!("blobs/sha256/{mhex}"), &manifest)?;
                }
                let desc = |name: Option<&String>| {
                    let mut d = json!({"mediaType": registry::OCI_MANIFEST, "digest": format!("sha256:{mhex}"), "size": manifest.len()});
                    if let Some(n) = name {
                        d["annotations"] = json!({ REF_NAME: n });
                    }
                    d
                };
                if names.is_empty() {
                    index.push(desc(None));
                }
                for n in names {
                    index.push(desc(Some(n)));
                }
            }
            let idx = serde_json::to_vec(&json!({"schemaVersion": 2, "manifests": index}))?;
            append_bytes(&mut b, "index.json", &idx)?;
        }
        ArchiveFormat::DockerArchive => {
            let mut manifest = Vec::new();
            for (img, names) in images {
                let mut paths = Vec::new();
                for d in &img.layers {
                    let path = format!("{}/layer.tar", hex_of(d));
                    if written.insert(path.clone()) {
                        append_layer(&mut b, store, d, &path)?;
                    }
                    paths.push(path);
                }
                let cfg_path = format!("{}.json", img.id);
                if written.insert(cfg_path.clone()) {
                    append_bytes(&mut b, &cfg_path, &store.config_bytes(&img.id)?)?;
                }
                manifest.push(json!({"Config": cfg_path, "RepoTags": names, "Layers": paths}));
            }
            append_bytes(&mut b, "manifest.json", &serde_json::to_vec(&manifest)?)?;
        }
    }
    b.into_inner()?.flush()?;
    Ok(())
}

/// Extract an archive into `dir` (regular files and directories only; paths confined).
fn extract<R: Read>(input: R, dir: &Path) -> anyhow::Result<()> {
    // The archive's own headers are capped like a layer's (see `targuard`).
    let guard = super::targuard::TarGuard::new(input);
    let pos = guard.entry_position();
    let mut ar = tar::Archive::new(guard);
    for e in ar.entries().context("reading the archive")? {
        let mut e = e.context("reading the archive")?;
        super::targuard::agrees(&pos, e.raw_header_position()).context("reading the archive")?;
        let raw = e.path_bytes().into_owned();
        super::targuard::check_path_len("archive entry path", &raw)?;
        let comps = super::unpack::clean_path(&raw)?;
        if comps.is_empty() {
            continue;
        }
        let mut p = dir.to_path_buf();
        for c in &comps {
            p.push(std::ffi::OsStr::new(
                std::str::from_utf8(c).context("non-UTF-8 path in archive")?,
            ));
        }
        // `dir` holds only what this loop created (directories and regular files, never a
        // symlink), so no path below it can lead outside.
        match e.header().entry_type() {
            tar::EntryType::Directory => std::fs::create_dir_all(&p)?,
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                if let Some(parent) = p.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let mut f = std::fs::File::create(&p)
                    .with_context(|| format!("extracting {}", p.display()))?;
                std::io::copy(&mut e, &mut f)
                    .with_context(|| format!("extracting {}", p.display()))?;
            }
            _ => {} // links etc. are not part of either layout
        }
    }
    Ok(())
}

/// A small JSON file of the archive (manifest, config, index), read only when it is at most
/// `cap` bytes and, given a descriptor `size`, exactly that large.
fn read_capped(p: &Path, what: &str, size: Option<i64>, cap: u64) -> anyhow::Result<Vec<u8>> {
    let len = std::fs::metadata(p)
        .with_context(|| format!("the archive lacks {what}"))?
        .len();
    if let Some(want) = size {
        limits::declared_size(&format!("the archive's {what}"), want, cap)?;
        if len != want as u64 {
            bail!("the archive's {what} is {len} bytes, its descriptor declares {want}: the archive is corrupt");
        }
    }
    if len > cap {
        bail!(
            "the archive's {what} is {len} bytes, more than the {} limit",
            limits::human(cap)
        );
    }
    std::fs::read(p).with_context(|| format!("reading {what} from the archive"))
}

fn read_blob(dir: &Path, digest: &str, size: i64, cap: u64) -> anyhow::Result<Vec<u8>> {
    let p = blob_path(dir, digest)?;
    let b = read_capped(&p, &format!("blob {digest}"), Some(size), cap)?;
    if format!("sha256:{}", sha256_hex(&b)) != digest {
        bail!("blob {digest} in the archive does not match its digest");
    }
    Ok(b)
}

fn blob_path(dir: &Path, digest: &str) -> anyhow::Result<PathBuf> {
    let hex = digest
        .strip_prefix("sha256:")
        .filter(|_| limits::is_sha256_digest(digest))
        .ok_or_else(|| anyhow!("unsupported digest {digest:?} in the archive"))?;
    Ok(dir.join("blobs/sha256").join(hex))
}

/// A layer blob of an archive: its file, digest, declared size and compression.
struct ArchiveLayer {
    path: PathBuf,
    digest: String,
    size: u64,
    compression: Compression,
}

/// An image found in an archive, ready to import.
struct Found {
    manifest: Vec<u8>,
    manifest_type: String,
    config: Vec<u8>,
    layers: Vec<ArchiveLayer>,
    names: Vec<String>,
}

/// Normalize a name from an archive: a full reference keeps its registry; a short name goes
/// to `localhost/`; a bare tag (`latest`, as skopeo writes) gives no name.
fn archive_name(n: &str) -> Option<String> {
    if !n.contains('/') && !n.contains(':') && !n.contains('.') && n != "localhost" {
        // "latest"-like bare tags vs. short names: podman treats a plain word as a tag.
        return None;
    }
    super::remove::normalize_new_name(n).ok()
}

fn scan_oci(dir: &Path) -> anyhow::Result<Vec<Found>> {
    let idx = read_capped(
        &dir.join("index.json"),
        "index.json",
        None,
        limits::MAX_MANIFEST,
    )?;
    let idx: Value =
        serde_json::from_slice(&idx).context("index.json in the archive is not valid JSON")?;
    let want = registry::wanted_platform(None, None)?;
    let mut out: Vec<Found> = Vec::new();
    for m in idx["manifests"].as_array().cloned().unwrap_or_default() {
        let digest = m["digest"].as_str().unwrap_or_default().to_string();
        let size = m["size"].as_i64().unwrap_or(-1);
        let name = m["annotations"][REF_NAME].as_str().and_then(archive_name);
        let mut bytes = read_blob(dir, &digest, size, limits::MAX_MANIFEST)?;
        let mut parsed = registry::parse_manifest(&bytes)?;
        if let Manifest::Index { manifests } = &parsed {
            let d = registry::choose_platform(manifests, &want).map_err(|e| anyhow!(e))?;
            bytes = read_blob(dir, &d.digest, d.size, limits::MAX_MANIFEST)?;
            parsed = registry::parse_manifest(&bytes)?;
        }
        let Manifest::Image {
            media_type,
            config,
            layers,
        } = parsed
        else {
            bail!("nested image indexes are not supported");
        };
        if let Some(f) = out.iter_mut().find(|f| f.manifest == bytes) {
            f.names.extend(name);
            continue;
        }
        let config = read_blob(dir, &config.digest, config.size, limits::MAX_CONFIG)?;
        let layers = layers
            .iter()
            .map(|l| {
                Ok(ArchiveLayer {
                    path: blob_path(dir, &l.digest)?,
                    digest: l.digest.clone(),
                    size: limits::declared_size(&l.digest, l.size, u64::MAX)?,
                    compression: registry::layer_compression(&l.media_type)?,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        out.push(Found {
            manifest: bytes,
            manifest_type: media_type,
            config,
            layers,
            names: name.into_iter().collect(),
        });
    }
    Ok(out)
}

fn scan_docker(dir: &Path) -> anyhow::Result<Vec<Found>> {
    let m = read_capped(
        &dir.join("manifest.json"),
        "manifest.json",
        None,
        limits::MAX_MANIFEST,
    )?;
    let m: Value =
        serde_json::from_slice(&m).context("manifest.json in the archive is not valid JSON")?;
    let mut out = Vec::new();
    for e in m.as_array().cloned().unwrap_or_default() {
        let rel = |v: &Value| -> anyhow::Result<PathBuf> {
            let s = v
                .as_str()
                .ok_or_else(|| anyhow!("manifest.json: missing path"))?;
            let comps = super::unpack::clean_path(s.as_bytes())?;
            Ok(comps.iter().fold(dir.to_path_buf(), |p, c| {
                p.join(String::from_utf8_lossy(c).as_ref())
            }))
        };
        let config = read_capped(&rel(&e["Config"])?, "config", None, limits::MAX_CONFIG)?;
        let mut layers = Vec::new();
        let mut descs = Vec::new();
        for l in e["Layers"].as_array().cloned().unwrap_or_default() {
            let p = rel(&l)?;
            let digest = format!("sha256:{}", sha256_file(&p)?);
            let size = std::fs::metadata(&p)?.len();
            descs.push(json!({"mediaType": OCI_LAYER_TAR, "digest": digest, "size": size}));
            layers.push(ArchiveLayer {
                path: p,
                digest,
                size,
                compression: Compression::None,
            });
        }
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2, "mediaType": registry::OCI_MANIFEST,
            "config": {"mediaType": registry::OCI_CONFIG, "digest": format!("sha256:{}", sha256_hex(&config)), "size": config.len()},
            "layers": descs,
        }))?;
        let names = e["RepoTags"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_str().and_then(archive_name))
                    .collect()
            })
            .unwrap_or_default();
        out.push(Found {
            manifest,
            manifest_type: registry::OCI_MANIFEST.into(),
            config,
            layers,
            names,
        });
    }
    Ok(out)
}

fn sha256_file(p: &Path) -> anyhow::Result<String> {
    let mut f = std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?;
    let mut h = sha2::Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// Import every image of the archive read from `input`. Returns (id, names) per image.
pub fn load<R: Read>(store: &Store, input: R) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let mut store = store.clone();
    let _ = store.cleanup_tmp();
    let tmp = store.new_temp("load")?;
    extract(input, tmp.path())?;
    let found = if tmp.path().join("index.json").exists() {
        scan_oci(tmp.path())?
    } else if tmp.path().join("manifest.json").exists() {
        scan_docker(tmp.path())?
    } else {
        bail!("the archive is neither an OCI layout (index.json) nor a docker-archive (manifest.json)");
    };
    if found.is_empty() {
        bail!("the archive contains no image");
    }
    let mut result = Vec::new();
    for f in found {
        let config: oci_spec::image::ImageConfiguration = serde_json::from_slice(&f.config)
            .context("the image config in the archive is not valid JSON")?;
        let diff_ids = config.rootfs().diff_ids().clone();
        limits::check_diff_ids(&diff_ids)?;
        if diff_ids.len() != f.layers.len() {
            bail!(
                "the archive's manifest lists {} layers but the config has {} diff IDs",
                f.layers.len(),
                diff_ids.len()
            );
        }
        let mut holds: Vec<LayerHold> = Vec::new();
        for (l, diff_id) in f.layers.iter().zip(&diff_ids) {
            match import_layer(&store, l, diff_id) {
                Ok(h) => holds.push(h),
                Err(e) => {
                    layer::rollback(&store, holds);
                    return Err(e);
                }
            }
        }
        let id = sha256_hex(&f.config);
        let meta = ImageMeta {
            id: id.clone(),
            digest: format!("sha256:{}", sha256_hex(&f.manifest)),
            list_digest: None,
            digests: Vec::new(),
            repos: f
                .names
                .iter()
                .map(|n| crate::storage::names::split_tag(n).0.to_string())
                .collect(),
            layers: diff_ids,
            created: config.created().clone(),
            size: holds.iter().map(|h| h.size).sum(),
            pulled_at: now_rfc3339(),
            manifest_media_type: f.manifest_type.clone(),
        };
        {
            let _g = store.lock_images()?;
            store.commit_image(meta, &f.config, &f.manifest, &f.names)?;
        }
        drop(holds);
        result.push((id, f.names));
    }
    Ok(result)
}

fn import_layer(store: &Store, l: &ArchiveLayer, diff_id: &str) -> anyhow::Result<LayerHold> {
    let (digest, comp) = (l.digest.as_str(), l.compression);
    let job = match layer::prepare(store, diff_id)? {
        Prepared::Have(h) => return Ok(h),
        Prepared::Fetch(j) => j,
    };
    let run = || -> anyhow::Result<super::unpack::UnpackReport> {
        let f = std::fs::File::open(&l.path)
            .with_context(|| format!("the archive lacks layer {digest}"))?;
        let len = f.metadata()?.len();
        if len != l.size {
            bail!("layer {digest} in the archive is {len} bytes, its descriptor declares {}: the archive is corrupt", l.size);
        }
        // Never more than the descriptor declares, even if the file grows meanwhile.
        let mut f = f.take(l.size);
        let mut child = layer::spawn_unpacker(store, Stdio::piped())?;
        // One pass over the blob: hash it while feeding the helper.
        let mut stdin = child.stdin.take().expect("piped");
        let mut h = sha2::Sha256::new();
        let fed = (|| -> std::io::Result<()> {
            stdin.write_all(&layer::job_line(&job.diff_dir(), comp))?;
            let mut buf = vec![0u8; 256 * 1024];
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    return Ok(());
                }
                h.update(&buf[..n]);
                stdin.write_all(&buf[..n])?;
            }
        })();
        drop(stdin);
        let out = child.wait_with_output()?;
        if fed.is_err() && !out.status.success() {
            bail!("{}", layer::helper_error(&out));
        }
        fed.with_context(|| format!("reading layer {digest} from the archive"))?;
        let got = format!("sha256:{}", hex::encode(h.finalize()));
        if got != digest {
            bail!("layer {digest} in the archive does not match its digest (got {got})");
        }
        layer::report(&out)
    };
    match run() {
        Ok(rep) => layer::install(store, job, rep, digest),
        Err(e) => {
            layer::discard(store, job);
            Err(e)
        }
    }
}

/// Hidden `__save-layer LAYERDIR`: inside the store's user namespace (files may be unreadable
/// to the user outside), write the layer's original tar stream to stdout.
pub fn save_layer_main(args: &[std::ffi::OsString]) -> anyhow::Result<std::process::ExitCode> {
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    crate::userns::child_enter(0)?;
    let dir = PathBuf::from(args.first().context("usage: __save-layer LAYERDIR")?);
    let split = std::fs::read(dir.join("tar-split")).context("reading tar-split")?;
    let root = rustix::fs::open(
        dir.join("diff"),
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout().lock());
    super::tarsplit::rebuild(
        &split,
        |p| {
            // Paths from our own record, still resolved inside the layer and never through a
            // symlink: the layer's content is image-controlled.
            let fd = rustix::fs::openat2(
                &root,
                <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(p),
                OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
                ResolveFlags::IN_ROOT | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
            )?;
            Ok(Box::new(std::fs::File::from(fd)))
        },
        &mut out,
    )?;
    out.flush()?;
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_archives() {
        assert_eq!(archive_name("latest"), None);
        assert_eq!(
            archive_name("127.0.0.1:5100/busybox:latest").as_deref(),
            Some("127.0.0.1:5100/busybox:latest")
        );
        assert_eq!(
            archive_name("foo/bar:1").as_deref(),
            Some("localhost/foo/bar:1")
        );
    }
}
