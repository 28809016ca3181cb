//! Pulling an image: resolve the reference, fetch manifest + config, then stream every layer
//! ONCE: download → sha256 (oci-client, while streaming) → pipe → helper in the store's user
//! namespace (decompress ∥ diff-ID hash ∥ untar). Layers run in parallel; a layer becomes
//! visible (`layers/<hex>`) only after its bytes matched both the blob digest and the diff ID,
//! and the image only after all its layers did.
use super::auth::{self, Credentials};
use super::layer::{self, LayerHold};
use super::limits;
use super::progress::Progress;
use super::registries::{Registries, Source};
use super::registry::{self, Descriptor, Manifest, Platform};
use super::unpack::UnpackReport;
use super::PullOptions;
use crate::context::Context;
use crate::reference::Reference;
use crate::storage::{hex_of, now_rfc3339, ImageMeta, ImageRecord, Store};
use anyhow::{anyhow, bail, Context as _};
use futures_util::StreamExt;
use sha2::Digest;
use std::os::fd::OwnedFd;
use std::pin::Pin;
use std::task::{Context as TaskCx, Poll};

/// Layers downloaded at once (2-core machines: more only adds contention).
const PARALLEL_LAYERS: usize = 4;

/// Pull `input` into `store` and return the stored image. Prints podman's progress chatter on
/// stderr (nothing with `opts.quiet`). Starts a current-thread tokio runtime for the duration.
pub fn pull(
    ctx: &Context,
    store: &Store,
    input: &str,
    opts: &PullOptions,
) -> anyhow::Result<ImageRecord> {
    let regs = Registries::load(ctx)?;
    let r = Reference::parse(input)?;
    let cands = regs.candidates(&r)?;
    let want = registry::wanted_platform(opts.platform.as_deref(), opts.arch.as_deref())?;
    let creds = match &opts.creds {
        Some(c) => {
            let (u, p) = c.split_once(':').unwrap_or((c.as_str(), ""));
            Some(Credentials {
                username: u.into(),
                password: p.into(),
            })
        }
        None => None,
    };
    let mut store = store.clone();
    // Work dirs of pulls that were killed: never trusted, removed here (under their locks).
    if let Err(e) = store.cleanup_tmp() {
        eprintln!("Warning: could not clean stale temporary files: {e:#}");
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let progress = Progress::new(opts.quiet);
    let mut errors: Vec<anyhow::Error> = Vec::new();
    for cand in &cands {
        let shown = cand.tagged_name().unwrap_or_else(|| cand.to_string());
        progress.line(&format!("Trying to pull {shown}..."));
        let sources = match regs.sources(cand, opts.tls_verify) {
            Ok(s) => s,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for src in &sources {
            let creds = match &creds {
                Some(c) => Some(c.clone()),
                None => auth::lookup(
                    ctx,
                    opts.authfile.as_deref(),
                    &src.registry,
                    &src.repository,
                )?,
            };
            let job = Job {
                store: &mut store,
                cand,
                shown: &shown,
                src,
                want: &want,
                creds: creds.as_ref(),
                progress: &progress,
            };
            match rt.block_on(job.run()) {
                Ok(rec) => return Ok(rec),
                Err(e) => errors.push(e),
            }
        }
    }
    Err(match errors.len() {
        0 => anyhow!("{input}: no source to pull from"),
        1 => errors.remove(0),
        _ => anyhow!(
            "{}",
            errors
                .iter()
                .map(|e| format!("{e:#}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    })
}

/// An unpack helper started ahead of time (see `Job::run`).
type Spare =
    std::cell::RefCell<Option<tokio::task::JoinHandle<anyhow::Result<std::process::Child>>>>;

struct Job<'a> {
    store: &'a mut Store,
    cand: &'a Reference,
    shown: &'a str,
    src: &'a Source,
    want: &'a Platform,
    creds: Option<&'a Credentials>,
    progress: &'a Progress,
}

impl Job<'_> {
    async fn run(self) -> anyhow::Result<ImageRecord> {
        let what = self.shown;
        let reg = self.src.registry.clone();
        let reg = reg.as_str();
        let auth = registry::registry_auth(self.creds);
        // Start one unpack helper now: its user-namespace setup (newuidmap/newgidmap) runs
        // on another core while the client is built and the manifest and config arrive.
        let spare: Spare = {
            let s = self.store.clone();
            std::cell::RefCell::new(Some(tokio::task::spawn_blocking(move || {
                layer::spawn_unpacker(&s, std::process::Stdio::piped())
            })))
        };
        let res = self.fetch(&auth, &spare, what, reg).await;
        // An unused spare reads EOF instead of a job and exits quietly.
        let left = spare.borrow_mut().take();
        if let Some(h) = left {
            if let Ok(Ok(c)) = h.await {
                let _ = tokio::task::spawn_blocking(move || c.wait_with_output()).await;
            }
        }
        res
    }

    async fn fetch(
        self,
        auth: &oci_client::secrets::RegistryAuth,
        spare: &Spare,
        what: &str,
        reg: &str,
    ) -> anyhow::Result<ImageRecord> {
        let oerr =
            |e: oci_client::errors::OciDistributionError| anyhow!(registry::explain(&e, what, reg));
        let client = registry::client_for(self.src).await;
        let top = registry::oci_ref(
            self.src,
            self.cand.tag_or_latest(),
            self.cand.digest.as_deref(),
        );
        let (bytes, digest) = client
            .pull_manifest_raw(&top, auth, registry::ACCEPT)
            .await
            .map_err(oerr)?;
        let parsed = registry::parse_manifest(&bytes).map_err(|e| anyhow!("{what}: {e:#}"))?;
        let (manifest, digest, list_digest, parsed) = match parsed {
            m @ Manifest::Image { .. } => (bytes, digest, None, m),
            Manifest::Index { manifests } => {
                let d = registry::choose_platform(&manifests, self.want)
                    .map_err(|m| anyhow!("{what}: {m}"))?;
                let r2 = top.clone_with_digest(d.digest.clone());
                let (b2, d2) = client
                    .pull_manifest_raw(&r2, auth, registry::ACCEPT)
                    .await
                    .map_err(oerr)?;
                // The registry may ignore the digest we asked for: check it ourselves.
                let got = format!("sha256:{}", hex::encode(sha2::Sha256::digest(&b2)));
                if got != d.digest {
                    bail!("{what}: manifest {} does not match its digest (got {got}): the registry sent corrupt data", d.digest);
                }
                if b2.len() as i64 != d.size {
                    bail!("{what}: manifest {} is {} bytes, the index declares {}: the image is corrupt", d.digest, b2.len(), d.size);
                }
                match registry::parse_manifest(&b2).map_err(|e| anyhow!("{what}: {e:#}"))? {
                    m @ Manifest::Image { .. } => (b2, d2, Some(digest), m),
                    Manifest::Index { .. } => {
                        bail!("{what}: nested image indexes are not supported")
                    }
                }
            }
        };
        let Manifest::Image {
            media_type,
            config: config_desc,
            layers,
        } = parsed
        else {
            unreachable!()
        };
        let config_bytes = fetch_config(&client, &top, &config_desc, what, reg).await?;
        let id = hex::encode(sha2::Sha256::digest(&config_bytes));
        let config: oci_spec::image::ImageConfiguration = serde_json::from_slice(&config_bytes)
            .map_err(|e| anyhow!("{what}: the image config is not valid JSON: {e}"))?;
        let diff_ids: Vec<String> = config.rootfs().diff_ids().clone();
        limits::check_diff_ids(&diff_ids).map_err(|e| anyhow!("{what}: {e}"))?;
        if diff_ids.len() != layers.len() {
            bail!(
                "{what}: the manifest lists {} layers but the config has {} diff IDs: the image is corrupt",
                layers.len(),
                diff_ids.len()
            );
        }
        self.progress.line("Getting image source signatures");
        let store = &*self.store;
        let results: Vec<anyhow::Result<LayerHold>> = futures_util::stream::iter(
            layers
                .iter()
                .zip(diff_ids.iter())
                .map(|(l, d)| fetch_layer(&client, &top, l, d, store, self.progress, what, spare)),
        )
        .buffered(PARALLEL_LAYERS)
        .collect()
        .await;
        let mut done = Vec::new();
        let mut first_err = None;
        for r in results {
            match r {
                Ok(d) => done.push(d),
                Err(e) if first_err.is_none() => first_err = Some(e),
                Err(_) => {}
            }
        }
        if let Some(e) = first_err {
            layer::rollback(store, done);
            return Err(e);
        }
        let mut warned_owner = false;
        for d in &done {
            if let Some(r) = &d.report {
                for w in &r.warnings {
                    eprintln!("Warning: {w}");
                }
                if r.foreign_owners && !warned_owner {
                    warned_owner = true;
                    eprintln!(
                        "Warning: single-ID mode ({}): files of other owners in this image belong to you; their owners are kept in the user.rctr.owner xattr",
                        store
                            .single_id_notice()
                            .map_or("no subordinate IDs".into(), |r| r.to_string())
                    );
                }
            }
        }
        self.progress.line(&format!("Copying config sha256:{id}"));
        self.progress.line("Writing manifest to image destination");
        self.progress.line("Storing signatures");
        let meta = ImageMeta {
            id: id.clone(),
            digest,
            list_digest,
            digests: Vec::new(),
            repos: vec![self.cand.name()],
            layers: diff_ids,
            created: config.created().clone(),
            size: done.iter().map(|d| d.size).sum(),
            pulled_at: now_rfc3339(),
            manifest_media_type: media_type,
        };
        let names: Vec<String> = self.cand.tagged_name().into_iter().collect();
        {
            let _g = self.store.lock_images()?;
            self.store
                .commit_image(meta, &config_bytes, &manifest, &names)?;
        }
        drop(done);
        self.store.resolve_image(&id)?.ok_or_else(|| {
            anyhow!("{what}: image {id} vanished right after the pull (removed concurrently?)")
        })
    }
}

/// The config blob, at most as large as its descriptor declares (and [`limits::MAX_CONFIG`]):
/// a registry sending more is cut off at the first byte too many.
async fn fetch_config(
    client: &oci_client::Client,
    top: &oci_client::Reference,
    desc: &Descriptor,
    what: &str,
    reg: &str,
) -> anyhow::Result<Vec<u8>> {
    let blob = format!("{what}: image config {}", desc.digest);
    let size = limits::declared_size(&blob, desc.size, limits::MAX_CONFIG)?;
    let mut w = BoundedWriter {
        inner: Some(Vec::with_capacity(size as usize)),
        bar: None,
        seen: 0,
        limit: size,
    };
    client
        .pull_blob(top, desc.digest.as_str(), &mut w)
        .await
        .map_err(|e| anyhow!(registry::explain(&e, &blob, reg)))?;
    w.complete().map_err(|e| anyhow!("{blob}: {e}"))?;
    Ok(w.inner.take().unwrap_or_default())
}

/// Fetch one layer unless the store has it; returns holding its use-lock.
// The per-pull handles (client, store, progress, spare helper) are passed apart; bundling them
// into a struct belongs to a refactor of pull itself, not to this lint.
#[allow(clippy::too_many_arguments)]
async fn fetch_layer(
    client: &oci_client::Client,
    r: &oci_client::Reference,
    desc: &Descriptor,
    diff_id: &str,
    store: &Store,
    progress: &Progress,
    what: &str,
    spare: &Spare,
) -> anyhow::Result<LayerHold> {
    let compression = registry::layer_compression(&desc.media_type)?;
    let (s, d) = (store.clone(), diff_id.to_string());
    let job = match tokio::task::spawn_blocking(move || layer::prepare(&s, &d)).await?? {
        layer::Prepared::Have(h) => {
            progress.skipped(&desc.digest);
            return Ok(h);
        }
        layer::Prepared::Fetch(job) => job,
    };
    match download_and_unpack(client, r, desc, compression, store, &job, progress, spare).await {
        Ok(rep) => {
            layer::install(store, job, rep, &desc.digest).map_err(|e| anyhow!("{what}: {e:#}"))
        }
        Err(e) => {
            layer::discard(store, job);
            Err(anyhow!("{what}: {e:#}"))
        }
    }
}

// Same handles as fetch_layer, plus the job it prepared.
#[allow(clippy::too_many_arguments)]
async fn download_and_unpack(
    client: &oci_client::Client,
    r: &oci_client::Reference,
    desc: &Descriptor,
    compression: super::unpack::Compression,
    store: &Store,
    job: &layer::LayerJob,
    progress: &Progress,
    spare: &Spare,
) -> anyhow::Result<UnpackReport> {
    use tokio::io::AsyncWriteExt;
    // spawn_mapped waits for newuidmap: keep it off the async thread.
    let pending = spare.borrow_mut().take();
    let handle = match pending {
        Some(h) => h,
        None => {
            let s = store.clone();
            tokio::task::spawn_blocking(move || {
                layer::spawn_unpacker(&s, std::process::Stdio::piped())
            })
        }
    };
    let mut child = handle.await??;
    let stdin = child.stdin.take().expect("piped stdin");
    let waiter = tokio::task::spawn_blocking(move || child.wait_with_output());
    let mut sender = tokio::net::unix::pipe::Sender::from_owned_fd(OwnedFd::from(stdin))
        .context("setting up the layer pipe")?;
    sender
        .write_all(&layer::job_line(&job.diff_dir(), compression))
        .await
        .context("starting the unpack helper")?;
    let bar = progress.blob(&desc.digest, desc.size.max(0) as u64);
    let mut writer = BoundedWriter {
        inner: Some(sender),
        bar: bar.clone(),
        seen: 0,
        limit: desc.size.max(0) as u64,
    };
    let dl = client.pull_blob(r, desc.digest.as_str(), &mut writer).await;
    let complete = writer.complete();
    // EOF for the helper: it must not wait for the rest of a blob that was cut off.
    drop(writer);
    let out = waiter.await??;
    let short = &hex_of(&desc.digest)[..12.min(hex_of(&desc.digest).len())];
    let blob = format!("blob {}", desc.digest);
    let res = match dl {
        // A failed or corrupt download explains whatever the helper saw: report it first.
        Err(e) => Err(anyhow!(registry::explain(&e, &blob, r.registry()))),
        Ok(()) if complete.is_err() => Err(anyhow!("{blob}: {}", complete.unwrap_err())),
        Ok(()) => layer::report(&out).map_err(|e| {
            let hint = if format!("{e:#}").contains("os error 28") {
                format!(
                    ": the filesystem of {} is full: free space there or pull into another --root",
                    store.root().display()
                )
            } else {
                String::new()
            };
            anyhow!("unpacking layer {short}: {e:#}{hint}")
        }),
    };
    match &res {
        Ok(_) => progress.done(bar.as_ref()),
        Err(_) => progress.fail(bar.as_ref()),
    }
    res
}

/// Passes a blob on (to the unpack helper, or into memory), never more than the `limit` its
/// descriptor declares: the first byte beyond it fails the download, so a registry cannot
/// make rctr read, hash or unpack more than the manifest promised (CWE-400). Counts bytes into
/// the progress bar. If the helper stops reading (it failed), the rest of the blob is still
/// downloaded and discarded, so oci-client can verify the digest: a corrupt or cut download is
/// reported as such, not as whatever the helper made of the damaged bytes.
struct BoundedWriter<W> {
    inner: Option<W>,
    bar: Option<indicatif::ProgressBar>,
    seen: u64,
    limit: u64,
}

impl<W> BoundedWriter<W> {
    /// After the download: exactly `limit` bytes arrived (fewer is a lying descriptor too).
    fn complete(&self) -> Result<(), String> {
        if self.seen == self.limit {
            return Ok(());
        }
        Err(format!(
            "the registry sent {} bytes, the manifest declares {}: the image is corrupt",
            self.seen, self.limit
        ))
    }
}

impl<W: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for BoundedWriter<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut TaskCx<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if self.seen + buf.len() as u64 > self.limit {
            let msg = format!(
                "the registry sent more than the {} bytes the manifest declares: the image is corrupt",
                self.limit
            );
            self.inner = None;
            return Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                msg,
            )));
        }
        let Some(inner) = self.inner.as_mut() else {
            self.seen += buf.len() as u64;
            return Poll::Ready(Ok(buf.len()));
        };
        match Pin::new(inner).poll_write(cx, buf) {
            Poll::Ready(Err(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.inner = None;
                self.seen += buf.len() as u64;
                Poll::Ready(Ok(buf.len()))
            }
            Poll::Ready(Ok(n)) => {
                self.seen += n as u64;
                if let Some(b) = &self.bar {
                    b.inc(n as u64);
                }
                Poll::Ready(Ok(n))
            }
            other => other,
        }
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskCx<'_>) -> Poll<std::io::Result<()>> {
        match self.inner.as_mut() {
            Some(i) => Pin::new(i).poll_flush(cx),
            None => Poll::Ready(Ok(())),
        }
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut TaskCx<'_>) -> Poll<std::io::Result<()>> {
        match self.inner.as_mut() {
            Some(i) => Pin::new(i).poll_shutdown(cx),
            None => Poll::Ready(Ok(())),
        }
    }
}
