//! Applying an untrusted layer tar to an empty layer directory, inside the store's user
//! namespace (hidden `__unpack-layer DEST COMPRESSION`, layer blob on stdin, JSON on stdout).
//!
//! SECURITY. The tar comes from a registry and is hostile until proven otherwise:
//! * Every path is cleaned lexically (`..` rejected, leading `/` stripped) and its parent is
//!   resolved with `openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
//!   RESOLVE_NO_XDEV)` relative to the layer root fd, so no entry can reach outside the layer,
//!   and no entry is written *through* a symlink planted earlier (the CVE-2019-14271 /
//!   CVE-2018-15664 family, and the tar crate's open symlink issue with `unpack_in`, which is
//!   therefore never used).
//! * The final component is created with `*at` calls that never follow it (`O_NOFOLLOW`,
//!   `O_EXCL`, `AT_SYMLINK_NOFOLLOW`); hardlink targets are resolved the same way and
//!   `linkat` without `AT_SYMLINK_FOLLOW` links the entry itself, never what it points to.
//! * Owners are checked against the namespace's ID range BEFORE anything is chowned
//!   (podman#1520 "potentially insufficient UIDs or GIDs").
//! * `trusted.*` and `user.overlay.*` xattrs from the image are dropped: the latter would let a
//!   layer forge overlay whiteouts/opaque/redirect markers for the `userxattr` mount.
//!
//! OCI whiteouts become overlay whiteouts: `.wh.NAME` → char device 0/0 (allowed without
//! CAP_MKNOD since Linux 5.8), `.wh..wh..opq` → `user.overlay.opaque=y` (overlayfs.rst,
//! "whiteouts and opaque directories" + "userxattr").
use anyhow::Context as _;
use rustix::fs::{Mode, OFlags};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::ExitCode;
use std::rc::Rc;

mod apply;
#[cfg(test)]
mod tests;

use crate::image::targuard::{self, TarGuard};
use apply::Applier;

/// How the blob on stdin is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    Gzip,
    Zstd,
    None,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::None => "none",
        }
    }
    pub fn parse(s: &str) -> Option<Compression> {
        match s {
            "gzip" => Some(Compression::Gzip),
            "zstd" => Some(Compression::Zstd),
            "none" => Some(Compression::None),
            _ => None,
        }
    }
}

/// What the helper reports on stdout.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UnpackReport {
    /// sha256 of the uncompressed stream (`sha256:…`).
    pub diff_id: String,
    pub size: u64,
    pub foreign_owners: bool,
    pub skipped_devices: u64,
    pub warnings: Vec<String>,
}

/// Layer problems a user can act on (each one line).
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("layer entry {0:?} tries to leave the layer (`..` component)")]
    Escape(String),
    #[error("layer entry {0:?} goes through a symlink; refusing to write through it")]
    ThroughSymlink(String),
    #[error("layer entry {path:?} is owned by {kind} {id}, but your user namespace maps only {kind}s 0-{max}: potentially insufficient UIDs or GIDs (podman#1520); give your user a subordinate range of at least 65536 IDs in /etc/subuid and /etc/subgid (see `rctr doctor`)")]
    IdOutOfRange {
        path: String,
        kind: &'static str,
        id: u64,
        max: u64,
    },
    #[error("layer entry {path:?} is a hard link to {target:?}, which is not in this layer")]
    HardlinkTarget { path: String, target: String },
    #[error("layer entry {path:?}: {what}")]
    Bad { path: String, what: String },
}

/// Owner policy, from the namespace's own `uid_map`/`gid_map`.
#[derive(Debug, Clone, Copy)]
enum Owners {
    /// IDs `0..uid_span` / `0..gid_span` are mapped.
    Full { uid_span: u64, gid_span: u64 },
    /// Only 0 is mapped: other owners are recorded in `user.rctr.owner`.
    Single,
}

/// xattr recording the owner a file should have had (single-ID mode).
pub const OWNER_XATTR: &str = "user.rctr.owner";

fn io_ctx(path: &[u8], what: &str, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!(
        "layer entry {:?}: {what}: {e}",
        String::from_utf8_lossy(path)
    )
}

/// Lexically clean a tar path: drop empty and `.` components and a leading `/`; reject `..`.
pub fn clean_path(raw: &[u8]) -> Result<Vec<&[u8]>, UnpackError> {
    let mut v = Vec::new();
    for c in raw.split(|&b| b == b'/') {
        match c {
            b"" | b"." => {}
            b".." => return Err(UnpackError::Escape(String::from_utf8_lossy(raw).into())),
            c => v.push(c),
        }
    }
    Ok(v)
}

/// Refuse the whiteouts `.wh..` and `.wh...`: their targets `.` and `..` are the entry's own
/// directory and its parent, and replacing "what is there" would empty the directory or,
/// at the layer root, reach the work dir above the layer through `..` (CWE-22; the OCI
/// image-spec layer.md names no such whiteout).
pub fn whiteout_target_ok(target: &[u8], raw: &[u8]) -> Result<(), UnpackError> {
    if target == b"." || target == b".." {
        return Err(UnpackError::Bad {
            path: String::from_utf8_lossy(raw).into(),
            what: format!(
                "a whiteout of {:?} is not allowed: the layer is corrupt or hostile",
                String::from_utf8_lossy(target)
            ),
        });
    }
    Ok(())
}

fn join(comps: &[&[u8]]) -> Vec<u8> {
    comps.join(&b'/')
}

fn os(b: &[u8]) -> &OsStr {
    OsStr::from_bytes(b)
}

/// Chunks of decompressed data from the decoder thread, as a `Read`.
struct ChunkReader {
    rx: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.cur.len() {
            match self.rx.recv() {
                Ok(Ok(v)) => {
                    self.cur = v;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.cur.len() - self.pos);
        out[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

const CHUNK: usize = 256 * 1024;

/// Decompress + hash on a second thread so inflate and file creation overlap (2 cores).
fn spawn_decoder<R: Read + Send + 'static>(
    input: R,
    c: Compression,
) -> (ChunkReader, std::thread::JoinHandle<(String, u64)>) {
    let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(16);
    let h = std::thread::spawn(move || {
        let mut input = std::io::BufReader::with_capacity(CHUNK, input);
        // Trust the magic bytes over the media type (containers/image does the same).
        let c = match std::io::BufRead::fill_buf(&mut input) {
            Ok([0x1f, 0x8b, ..]) => Compression::Gzip,
            Ok([0x28, 0xb5, 0x2f, 0xfd, ..]) => Compression::Zstd,
            Ok(b) if b.len() >= 262 && &b[257..262] == b"ustar" => Compression::None,
            _ => c,
        };
        let mut dec: Box<dyn Read> = match c {
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(input)),
            Compression::Zstd => match zstd::stream::read::Decoder::with_buffer(input) {
                Ok(d) => Box::new(d),
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return (String::new(), 0);
                }
            },
            Compression::None => Box::new(input),
        };
        let mut hasher = sha2::Sha256::new();
        let mut total = 0u64;
        loop {
            let mut v = vec![0u8; CHUNK];
            let mut filled = 0;
            let res = loop {
                match dec.read(&mut v[filled..]) {
                    Ok(0) => break Ok(()),
                    Ok(n) => {
                        filled += n;
                        if filled == v.len() {
                            break Ok(());
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                }
            };
            v.truncate(filled);
            hasher.update(&v);
            total += filled as u64;
            let done = filled == 0 || res.is_err();
            if filled > 0 && tx.send(Ok(v)).is_err() {
                break;
            }
            if let Err(e) = res {
                let _ = tx.send(Err(e));
                break;
            }
            if done {
                break;
            }
        }
        (format!("sha256:{}", hex::encode(hasher.finalize())), total)
    });
    (
        ChunkReader {
            rx,
            cur: Vec::new(),
            pos: 0,
        },
        h,
    )
}

/// Owner policy from this process's own maps (the truth of the namespace we are in).
fn owners_from_proc() -> Owners {
    let span = |f: &str| -> u64 {
        std::fs::read_to_string(f)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let v: Vec<u64> = l
                    .split_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect();
                (v.len() == 3).then(|| v[0] + v[2])
            })
            .max()
            .unwrap_or(1)
    };
    let (u, g) = (span("/proc/self/uid_map"), span("/proc/self/gid_map"));
    if u <= 1 && g <= 1 {
        Owners::Single
    } else {
        Owners::Full {
            uid_span: u,
            gid_span: g,
        }
    }
}

/// Unpack the compressed layer read from `input` into the empty directory `dest`.
pub fn unpack_stream<R: Read + Send + 'static>(
    input: R,
    c: Compression,
    dest: &Path,
) -> anyhow::Result<UnpackReport> {
    let root = rustix::fs::open(
        dest,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening layer dir {}", dest.display()))?;
    let (reader, dec) = spawn_decoder(input, c);
    let split_path = dest.with_file_name("tar-split");
    let split_file = std::fs::File::create(&split_path)
        .with_context(|| format!("creating {}", split_path.display()))?;
    let split = Rc::new(std::cell::RefCell::new(super::tarsplit::Recorder::to_file(
        split_file,
    )));
    let guard = TarGuard::new(reader);
    let guard_pos = guard.entry_position();
    let reader = super::tarsplit::Tee {
        inner: guard,
        rec: split.clone(),
    };
    // The helper runs with umask 0 (see `helper_main`): then create modes are exact.
    let old_umask = rustix::process::umask(Mode::empty());
    rustix::process::umask(old_umask);
    let mut ap = Applier {
        parent_setgid: false,
        umask_zero: old_umask.is_empty(),
        split: split.clone(),
        root: Rc::new(root),
        owners: owners_from_proc(),
        cache: None,
        dir_times: Vec::new(),
        report: UnpackReport::default(),
        buf: vec![0u8; CHUNK],
    };
    let mut archive = tar::Archive::new(reader);
    let res = (|| -> anyhow::Result<()> {
        for e in archive.entries().context("reading layer tar")? {
            let e = e.context("reading layer tar")?;
            targuard::agrees(&guard_pos, e.raw_header_position())?;
            ap.apply(e)?;
        }
        Ok(())
    })();
    // The diff ID covers the whole stream, including padding after the end-of-archive blocks.
    // A refused layer is not read on: dropping the reader stops the decoder thread (a 100 MB
    // PAX header must not be inflated and recorded after all).
    let mut rest = archive.into_inner();
    let drained = match &res {
        Ok(()) => std::io::copy(&mut rest, &mut std::io::sink()),
        Err(_) => Ok(0),
    };
    drop(rest);
    let (diff_id, size) = dec
        .join()
        .map_err(|_| anyhow::anyhow!("layer decompressor thread panicked"))?;
    res?;
    drained.context("reading layer stream")?;
    ap.finish_dirs()?;
    drop(ap.split);
    // Without a complete tar-split the layer still works; only `save` of it is refused.
    let recorded = Rc::try_unwrap(split)
        .ok()
        .and_then(|r| r.into_inner().finish())
        .is_some();
    if !recorded {
        let _ = std::fs::remove_file(&split_path);
    }
    ap.report.diff_id = diff_id;
    ap.report.size = size;
    Ok(ap.report)
}

/// Hidden `__unpack-layer`: enter the store's user namespace, read the job line
/// `DEST<TAB>COMPRESSION<LF>` and then the blob from stdin, unpack into DEST, print the
/// [`UnpackReport`] as JSON on stdout. Errors go to stderr (one line). The job comes on stdin
/// (not argv) so a pull can start the helper — user namespace, newuidmap — while it is still
/// fetching the manifest; EOF before a job line is a quiet exit (the spare was not needed).
pub fn helper_main(args: &[OsString]) -> anyhow::Result<ExitCode> {
    use std::io::BufRead;
    let _ = args;
    crate::userns::child_enter(0)?;
    // Modes come from the image, exactly.
    rustix::process::umask(Mode::empty());
    let mut input = std::io::BufReader::with_capacity(CHUNK, std::io::stdin());
    let mut line = Vec::new();
    input.read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let line = line
        .strip_suffix(b"\n")
        .context("truncated unpack job line")?;
    let tab = line
        .iter()
        .rposition(|&b| b == b'\t')
        .context("malformed unpack job line")?;
    let dest = Path::new(OsStr::from_bytes(&line[..tab]));
    let c = std::str::from_utf8(&line[tab + 1..])
        .ok()
        .and_then(Compression::parse)
        .context("unknown compression in unpack job line")?;
    // Hold a shared lock on the work dir while writing into it: if the pull that started us
    // is killed, `Store::cleanup_tmp` waits for this lock before removing the dir.
    let entry = dest.parent().context("unpack destination has no parent")?;
    let busy = rustix::fs::open(
        entry,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening {}", entry.display()))?;
    rustix::fs::flock(&busy, rustix::fs::FlockOperation::LockShared)?;
    let rep = unpack_stream(input, c, dest)?;
    drop(busy);
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &rep)?;
    out.write_all(b"\n")?;
    Ok(ExitCode::SUCCESS)
}
