//! Getting one layer into the store, shared by `pull` (bytes from the network) and `load`
//! (bytes from an archive): dedupe locks, the unpack helper in the store's user namespace,
//! diff-ID verification, atomic install.
use super::unpack::{Compression, UnpackReport};
use crate::fsutil::FileLock;
use crate::storage::{now_rfc3339, LayerMeta, Store, TempEntry};
use anyhow::{bail, Context as _};
use std::process::{Child, Output, Stdio};

/// A layer a caller relies on: its use-lock is held until the image record is committed.
pub struct LayerHold {
    pub diff_id: String,
    pub _use_lock: FileLock,
    /// Installed by this process (removed again if the image is not committed).
    pub installed: bool,
    pub size: u64,
    pub report: Option<UnpackReport>,
}

/// Work in progress on a layer the store does not have yet.
pub struct LayerJob {
    pub diff_id: String,
    _dl: FileLock,
    use_lock: FileLock,
    pub tmp: TempEntry,
}

/// Either the store already has the layer (held), or we must fetch it (`LayerJob`).
pub enum Prepared {
    Have(LayerHold),
    Fetch(LayerJob),
}

/// Take the layer's locks (blocking) and check the store. Two processes wanting the same layer
/// serialize on the download lock: the second finds it installed and skips the download.
pub fn prepare(store: &Store, diff_id: &str) -> anyhow::Result<Prepared> {
    let dl = store.layer_download_lock(diff_id)?;
    let use_lock = store.layer_use_lock(diff_id)?;
    if store.has_layer(diff_id) {
        return Ok(Prepared::Have(LayerHold {
            diff_id: diff_id.to_string(),
            _use_lock: use_lock,
            installed: false,
            size: store.layer_meta(diff_id).map(|m| m.size).unwrap_or(0),
            report: None,
        }));
    }
    let tmp = store.new_temp("layer")?;
    let diff = tmp.path().join("diff");
    std::fs::create_dir(&diff).with_context(|| format!("creating {}", diff.display()))?;
    Ok(Prepared::Fetch(LayerJob {
        diff_id: diff_id.to_string(),
        _dl: dl,
        use_lock,
        tmp,
    }))
}

impl LayerJob {
    /// The (empty) directory the layer is unpacked into.
    pub fn diff_dir(&self) -> std::path::PathBuf {
        self.tmp.path().join("diff")
    }
}

/// Start an unpack helper (user namespace + ID mapping set up) that waits for its job on
/// stdin (see [`job_line`]). Starting it early overlaps the namespace setup with the network.
pub fn spawn_unpacker(store: &Store, stdin: Stdio) -> anyhow::Result<Child> {
    let mut cmd = crate::userns::self_command("__unpack-layer");
    cmd.stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    crate::userns::spawn_mapped(&mut cmd, store.mapping())
}

/// The first line an unpack helper reads: `DEST<TAB>COMPRESSION<LF>`.
pub fn job_line(diff_dir: &std::path::Path, compression: Compression) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let mut v = diff_dir.as_os_str().as_bytes().to_vec();
    v.push(b'\t');
    v.extend_from_slice(compression.as_str().as_bytes());
    v.push(b'\n');
    v
}

/// The helper's one-line error (its last stderr line without `Error: `).
pub fn helper_error(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .map(|l| l.trim_start_matches("Error: ").to_string())
        .unwrap_or_else(|| format!("unpack helper exited with {}", out.status))
}

/// Parse the helper's report (after a successful exit).
pub fn report(out: &Output) -> anyhow::Result<UnpackReport> {
    if !out.status.success() {
        bail!("{}", helper_error(out));
    }
    serde_json::from_slice(&out.stdout).context("reading the unpack helper's report")
}

/// Verify the unpacked content against the expected diff ID and publish the layer.
/// On any failure the work dir is removed (inside the user namespace).
pub fn install(
    store: &Store,
    job: LayerJob,
    rep: UnpackReport,
    blob_digest: &str,
) -> anyhow::Result<LayerHold> {
    if rep.diff_id != job.diff_id {
        let expected = job.diff_id.clone();
        discard(store, job);
        bail!(
            "layer {blob_digest} does not match the diff ID in the image config (expected {expected}, got {}): the image is corrupt",
            rep.diff_id
        );
    }
    let meta = LayerMeta {
        diff_id: job.diff_id.clone(),
        size: rep.size,
        compressed: vec![blob_digest.to_string()],
        created_at: now_rfc3339(),
        foreign_owners: rep.foreign_owners,
        skipped_devices: rep.skipped_devices,
    };
    if let Err(e) = store.install_layer(&job.tmp, &meta) {
        discard(store, job);
        return Err(e);
    }
    Ok(LayerHold {
        diff_id: job.diff_id,
        _use_lock: job.use_lock,
        installed: true,
        size: rep.size,
        report: Some(rep),
    })
}

/// Throw away a job's work dir (files may belong to subordinate IDs).
pub fn discard(store: &Store, job: LayerJob) {
    let _ = store.remove_trees(&[job.tmp.path().to_path_buf()]);
}

/// After a failed pull/load: remove the layers this process installed that no image uses.
pub fn rollback(store: &Store, holds: Vec<LayerHold>) {
    let installed: Vec<String> = holds
        .iter()
        .filter(|h| h.installed)
        .map(|h| h.diff_id.clone())
        .collect();
    drop(holds); // release the use-locks so GC may take them
    if !installed.is_empty() {
        let _ = store.gc_layers(Some(&installed));
    }
}
