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
//! OCI whiteouts become overlay whiteouts: `.wh.NAME` → char device 0/0 (allowed without
//! CAP_MKNOD since Linux 5.8), `.wh..wh..opq` → `user.overlay.opaque=y` (overlayfs.rst,
//! "whiteouts and opaque directories" + "userxattr").
use anyhow::{bail, Context as _};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, ResolveFlags, Timespec, Timestamps};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::ExitCode;
use std::rc::Rc;

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

fn join(comps: &[&[u8]]) -> Vec<u8> {
    comps.join(&b'/')
}

fn os(b: &[u8]) -> &OsStr {
    OsStr::from_bytes(b)
}

struct Applier {
    root: Rc<OwnedFd>,
    owners: Owners,
    /// Last resolved parent dir (tar entries come grouped by directory).
    cache: Option<(Vec<u8>, Rc<OwnedFd>)>,
    dir_times: Vec<(Vec<u8>, u64)>,
    report: UnpackReport,
    buf: Vec<u8>,
}

const RESOLVE: ResolveFlags = ResolveFlags::IN_ROOT
    .union(ResolveFlags::NO_SYMLINKS)
    .union(ResolveFlags::NO_MAGICLINKS)
    .union(ResolveFlags::NO_XDEV);
/// One component at a time below a directory fd (IN_ROOT and BENEATH are exclusive).
const WALK: ResolveFlags = ResolveFlags::BENEATH
    .union(ResolveFlags::NO_SYMLINKS)
    .union(ResolveFlags::NO_MAGICLINKS)
    .union(ResolveFlags::NO_XDEV);

impl Applier {
    /// The directory `comps` inside the layer, created (0755, root) if missing.
    fn dir(&mut self, comps: &[&[u8]], full: &[u8]) -> anyhow::Result<Rc<OwnedFd>> {
        if comps.is_empty() {
            return Ok(self.root.clone());
        }
        let key = join(comps);
        if let Some((k, fd)) = &self.cache {
            if *k == key {
                return Ok(fd.clone());
            }
        }
        let fd = match self.resolve(&key, full)? {
            Some(fd) => fd,
            None => {
                let mut cur = self.root.clone();
                for c in comps {
                    let next = match rustix::fs::openat2(
                        &*cur,
                        os(c),
                        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                        Mode::empty(),
                        WALK,
                    ) {
                        Ok(fd) => fd,
                        Err(rustix::io::Errno::NOENT) => {
                            rustix::fs::mkdirat(&*cur, os(c), Mode::from_raw_mode(0o755))
                                .map_err(|e| io_ctx(full, "creating parent directory", e))?;
                            rustix::fs::openat2(
                                &*cur,
                                os(c),
                                OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
                                Mode::empty(),
                                WALK,
                            )
                            .map_err(|e| io_ctx(full, "opening parent directory", e))?
                        }
                        Err(e) => return Err(self.resolve_err(e, full)),
                    };
                    cur = Rc::new(next);
                }
                cur
            }
        };
        self.cache = Some((key, fd.clone()));
        Ok(fd)
    }

    /// Open an existing directory `path` (relative to the layer root) as `O_PATH`; `None` if
    /// some component does not exist.
    fn resolve(&self, path: &[u8], full: &[u8]) -> anyhow::Result<Option<Rc<OwnedFd>>> {
        match rustix::fs::openat2(
            &*self.root,
            os(path),
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
            RESOLVE,
        ) {
            Ok(fd) => Ok(Some(Rc::new(fd))),
            Err(rustix::io::Errno::NOENT) => Ok(None),
            Err(e) => Err(self.resolve_err(e, full)),
        }
    }

    fn resolve_err(&self, e: rustix::io::Errno, full: &[u8]) -> anyhow::Error {
        let p = String::from_utf8_lossy(full).into_owned();
        match e {
            rustix::io::Errno::LOOP | rustix::io::Errno::XDEV => {
                UnpackError::ThroughSymlink(p).into()
            }
            rustix::io::Errno::NOTDIR => UnpackError::Bad {
                path: p,
                what: "a parent path component is not a directory".into(),
            }
            .into(),
            e => io_ctx(full, "resolving parent directory", e),
        }
    }

    /// Remove whatever is at `name` in `parent` (unless it is a directory and `keep_dir`).
    /// Returns true if a directory was kept.
    fn clear(&mut self, parent: &OwnedFd, name: &[u8], keep_dir: bool) -> anyhow::Result<bool> {
        let st = match rustix::fs::statat(parent, os(name), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => st,
            Err(rustix::io::Errno::NOENT) => return Ok(false),
            Err(e) => return Err(io_ctx(name, "stat", e)),
        };
        if FileType::from_raw_mode(st.st_mode) == FileType::Directory {
            if keep_dir {
                return Ok(true);
            }
            // The cached parent may live inside the tree being removed.
            self.cache = None;
            let fd = rustix::fs::openat(
                parent,
                os(name),
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| io_ctx(name, "opening directory to replace", e))?;
            remove_contents(&fd).map_err(|e| io_ctx(name, "removing directory", e))?;
            rustix::fs::unlinkat(parent, os(name), AtFlags::REMOVEDIR)
                .map_err(|e| io_ctx(name, "removing directory", e))?;
        } else {
            rustix::fs::unlinkat(parent, os(name), AtFlags::empty())
                .map_err(|e| io_ctx(name, "replacing", e))?;
        }
        Ok(false)
    }

    fn check_owner(&self, path: &[u8], uid: u64, gid: u64) -> Result<(), UnpackError> {
        if let Owners::Full { uid_span, gid_span } = self.owners {
            for (kind, id, span) in [("uid", uid, uid_span), ("gid", gid, gid_span)] {
                if id >= span {
                    return Err(UnpackError::IdOutOfRange {
                        path: format!("/{}", String::from_utf8_lossy(path)),
                        kind,
                        id,
                        max: span.saturating_sub(1),
                    });
                }
            }
        }
        Ok(())
    }

    /// chown (or record the owner in single-ID mode) for an open fd.
    fn own_fd(&mut self, fd: &OwnedFd, uid: u64, gid: u64) -> anyhow::Result<()> {
        match self.owners {
            Owners::Full { .. } => rustix::fs::fchown(
                fd,
                Some(rustix::fs::Uid::from_raw(uid as u32)),
                Some(rustix::fs::Gid::from_raw(gid as u32)),
            )?,
            Owners::Single if uid != 0 || gid != 0 => {
                self.report.foreign_owners = true;
                rustix::fs::fsetxattr(
                    fd,
                    OWNER_XATTR,
                    format!("{uid}:{gid}").as_bytes(),
                    rustix::fs::XattrFlags::empty(),
                )?;
            }
            Owners::Single => {}
        }
        Ok(())
    }

    fn own_at(&mut self, parent: &OwnedFd, name: &[u8], uid: u64, gid: u64) -> anyhow::Result<()> {
        match self.owners {
            Owners::Full { .. } => rustix::fs::chownat(
                parent,
                os(name),
                Some(rustix::fs::Uid::from_raw(uid as u32)),
                Some(rustix::fs::Gid::from_raw(gid as u32)),
                AtFlags::SYMLINK_NOFOLLOW,
            )?,
            // Symlinks and fifos cannot carry user xattrs; the owner is simply the user.
            Owners::Single if uid != 0 || gid != 0 => self.report.foreign_owners = true,
            Owners::Single => {}
        }
        Ok(())
    }

    fn apply<R: Read>(&mut self, mut entry: tar::Entry<R>) -> anyhow::Result<()> {
        let raw = entry.path_bytes().into_owned();
        let comps = clean_path(&raw)?;
        let h = entry.header();
        let kind = h.entry_type();
        let uid = h.uid()?;
        let gid = h.gid()?;
        let mode = h.mode()? & 0o7777;
        let mtime = h.mtime().unwrap_or(0);
        let link = entry.link_name_bytes().map(|l| l.into_owned());
        let (dev_major, dev_minor) = (
            h.device_major().ok().flatten().unwrap_or(0),
            h.device_minor().ok().flatten().unwrap_or(0),
        );
        let mut xattrs: Vec<(String, Vec<u8>)> = Vec::new();
        if let Some(exts) = entry.pax_extensions()? {
            for ext in exts.flatten() {
                if let Ok(k) = ext.key() {
                    if let Some(name) = k.strip_prefix("SCHILY.xattr.") {
                        // Drop xattrs that would forge overlay metadata or need real root.
                        if name.starts_with("user.overlay.")
                            || name.starts_with("trusted.")
                            || name == OWNER_XATTR
                            || name.starts_with("security.selinux")
                        {
                            continue;
                        }
                        xattrs.push((name.to_string(), ext.value_bytes().to_vec()));
                    }
                }
            }
        }
        use tar::EntryType as T;
        if matches!(
            kind,
            T::XGlobalHeader | T::XHeader | T::GNULongName | T::GNULongLink
        ) {
            return Ok(());
        }
        let Some((&name, parents)) = comps.split_last() else {
            // The layer root itself ("./"): take its owner and mode.
            if kind == T::Directory {
                self.check_owner(b"", uid, gid)?;
                let root = self.root.clone();
                let fd = reopen_dir(&root)?;
                self.own_fd(&fd, uid, gid)?;
                rustix::fs::fchmod(&fd, Mode::from_raw_mode(mode))?;
            }
            return Ok(());
        };
        let path = join(&comps);
        // Whiteouts (OCI image-spec layer.md "Whiteouts").
        if let Some(target) = name.strip_prefix(b".wh.") {
            let parent = self.dir(parents, &raw)?;
            if target == b".wh..opq" {
                let fd = reopen_dir(&parent)?;
                rustix::fs::fsetxattr(
                    &fd,
                    "user.overlay.opaque",
                    b"y",
                    rustix::fs::XattrFlags::empty(),
                )
                .map_err(|e| io_ctx(&raw, "marking directory opaque", e))?;
            } else if !target.starts_with(b".wh.") && !target.is_empty() {
                self.clear(&parent, target, false)?;
                rustix::fs::mknodat(
                    &*parent,
                    os(target),
                    FileType::CharacterDevice,
                    Mode::empty(),
                    0,
                )
                .map_err(|e| io_ctx(&raw, "creating whiteout", e))?;
            }
            return Ok(());
        }
        self.check_owner(&path, uid, gid)?;
        let parent = self.dir(parents, &raw)?;
        let times = Timestamps {
            last_access: Timespec {
                tv_sec: mtime as i64,
                tv_nsec: 0,
            },
            last_modification: Timespec {
                tv_sec: mtime as i64,
                tv_nsec: 0,
            },
        };
        match kind {
            T::Directory => {
                if !self.clear(&parent, name, true)? {
                    rustix::fs::mkdirat(&*parent, os(name), Mode::from_raw_mode(0o700))
                        .map_err(|e| io_ctx(&raw, "mkdir", e))?;
                }
                let fd = rustix::fs::openat(
                    &*parent,
                    os(name),
                    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                    Mode::empty(),
                )
                .map_err(|e| io_ctx(&raw, "open dir", e))?;
                self.own_fd(&fd, uid, gid)?;
                rustix::fs::fchmod(&fd, Mode::from_raw_mode(mode))?;
                set_xattrs(&fd, &xattrs, &raw)?;
                self.dir_times.push((path, mtime));
            }
            T::Regular | T::Continuous | T::GNUSparse => {
                self.clear(&parent, name, false)?;
                let fd = rustix::fs::openat(
                    &*parent,
                    os(name),
                    OFlags::WRONLY
                        | OFlags::CREATE
                        | OFlags::EXCL
                        | OFlags::NOFOLLOW
                        | OFlags::CLOEXEC,
                    Mode::from_raw_mode(0o600),
                )
                .map_err(|e| io_ctx(&raw, "create", e))?;
                let mut f = std::fs::File::from(fd);
                loop {
                    let n = entry.read(&mut self.buf)?;
                    if n == 0 {
                        break;
                    }
                    f.write_all(&self.buf[..n])
                        .map_err(|e| io_ctx(&raw, "write", e))?;
                }
                let fd = OwnedFd::from(f);
                self.own_fd(&fd, uid, gid)?;
                // chmod after chown: chown clears setuid/setgid.
                rustix::fs::fchmod(&fd, Mode::from_raw_mode(mode))?;
                set_xattrs(&fd, &xattrs, &raw)?;
                rustix::fs::futimens(&fd, &times)?;
            }
            T::Symlink => {
                let target = link.ok_or_else(|| io_ctx(&raw, "symlink", "no target"))?;
                self.clear(&parent, name, false)?;
                rustix::fs::symlinkat(os(&target), &*parent, os(name))
                    .map_err(|e| io_ctx(&raw, "symlink", e))?;
                self.own_at(&parent, name, uid, gid)?;
                let _ =
                    rustix::fs::utimensat(&*parent, os(name), &times, AtFlags::SYMLINK_NOFOLLOW);
            }
            T::Link => {
                let target = link.ok_or_else(|| io_ctx(&raw, "hard link", "no target"))?;
                let tcomps = clean_path(&target)?;
                let Some((&tname, tparents)) = tcomps.split_last() else {
                    bail!(UnpackError::HardlinkTarget {
                        path: String::from_utf8_lossy(&raw).into(),
                        target: String::from_utf8_lossy(&target).into()
                    });
                };
                if join(&tcomps) == path {
                    return Ok(());
                }
                let missing = || UnpackError::HardlinkTarget {
                    path: String::from_utf8_lossy(&raw).into(),
                    target: String::from_utf8_lossy(&target).into(),
                };
                let tparent = match self.resolve(&join(tparents), &target)? {
                    Some(fd) if !tparents.is_empty() => fd,
                    _ if tparents.is_empty() => self.root.clone(),
                    _ => bail!(missing()),
                };
                match rustix::fs::statat(&*tparent, os(tname), AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(st) if FileType::from_raw_mode(st.st_mode) != FileType::Directory => {}
                    _ => bail!(missing()),
                }
                self.clear(&parent, name, false)?;
                rustix::fs::linkat(&*tparent, os(tname), &*parent, os(name), AtFlags::empty())
                    .map_err(|e| io_ctx(&raw, "hard link", e))?;
            }
            T::Fifo | T::Char | T::Block => {
                self.clear(&parent, name, false)?;
                let ft = match kind {
                    T::Fifo => FileType::Fifo,
                    T::Char => FileType::CharacterDevice,
                    _ => FileType::BlockDevice,
                };
                let dev = rustix::fs::makedev(dev_major, dev_minor);
                match rustix::fs::mknodat(&*parent, os(name), ft, Mode::from_raw_mode(mode), dev) {
                    Ok(()) => {}
                    Err(rustix::io::Errno::PERM) if kind != T::Fifo => {
                        if self.report.skipped_devices == 0 {
                            self.report.warnings.push(format!(
                                "skipping device node /{} (and any others): a rootless user cannot create device nodes",
                                String::from_utf8_lossy(&path)
                            ));
                        }
                        self.report.skipped_devices += 1;
                        return Ok(());
                    }
                    Err(e) => return Err(io_ctx(&raw, "mknod", e)),
                }
                self.own_at(&parent, name, uid, gid)?;
                rustix::fs::chmodat(
                    &*parent,
                    os(name),
                    Mode::from_raw_mode(mode),
                    AtFlags::empty(),
                )?;
                let _ =
                    rustix::fs::utimensat(&*parent, os(name), &times, AtFlags::SYMLINK_NOFOLLOW);
            }
            other => {
                self.report.warnings.push(format!(
                    "ignoring layer entry /{} of unsupported type {other:?}",
                    String::from_utf8_lossy(&path)
                ));
            }
        }
        Ok(())
    }

    /// Directory mtimes last (children changed them while unpacking).
    fn finish_dirs(&mut self) -> anyhow::Result<()> {
        for (p, mtime) in std::mem::take(&mut self.dir_times) {
            let Ok(fd) = rustix::fs::openat2(
                &*self.root,
                os(&p),
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
                RESOLVE,
            ) else {
                continue; // replaced or whited out later in the same layer
            };
            let t = Timespec {
                tv_sec: mtime as i64,
                tv_nsec: 0,
            };
            rustix::fs::futimens(
                &fd,
                &Timestamps {
                    last_access: t,
                    last_modification: t,
                },
            )?;
        }
        Ok(())
    }
}

fn reopen_dir(fd: &OwnedFd) -> anyhow::Result<OwnedFd> {
    Ok(rustix::fs::openat(
        fd,
        ".",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?)
}

fn set_xattrs(fd: &OwnedFd, xattrs: &[(String, Vec<u8>)], raw: &[u8]) -> anyhow::Result<()> {
    for (k, v) in xattrs {
        rustix::fs::fsetxattr(fd, k.as_str(), v, rustix::fs::XattrFlags::empty())
            .map_err(|e| io_ctx(raw, &format!("setting xattr {k}"), e))?;
    }
    Ok(())
}

/// Remove everything inside the directory `dir` (no symlink is ever followed: each entry is
/// opened relative to its parent fd with `O_NOFOLLOW`).
fn remove_contents(dir: &OwnedFd) -> rustix::io::Result<()> {
    let mut names = Vec::new();
    {
        let d = rustix::fs::Dir::read_from(dir)?;
        for e in d {
            let e = e?;
            let n = e.file_name().to_bytes().to_vec();
            if n == b"." || n == b".." {
                continue;
            }
            names.push((n, e.file_type()));
        }
    }
    for (n, ft) in names {
        if ft == FileType::Directory {
            let sub = rustix::fs::openat(
                dir,
                os(&n),
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            remove_contents(&sub)?;
            rustix::fs::unlinkat(dir, os(&n), AtFlags::REMOVEDIR)?;
        } else {
            rustix::fs::unlinkat(dir, os(&n), AtFlags::empty())?;
        }
    }
    Ok(())
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
    let mut ap = Applier {
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
            ap.apply(e)?;
        }
        Ok(())
    })();
    // The diff ID covers the whole stream, including padding after the end-of-archive blocks.
    let mut rest = archive.into_inner();
    let drained = std::io::copy(&mut rest, &mut std::io::sink());
    drop(rest);
    let (diff_id, size) = dec
        .join()
        .map_err(|_| anyhow::anyhow!("layer decompressor thread panicked"))?;
    res?;
    drained.context("reading layer stream")?;
    ap.finish_dirs()?;
    ap.report.diff_id = diff_id;
    ap.report.size = size;
    Ok(ap.report)
}

/// Hidden `__unpack-layer DEST COMPRESSION`: enter the store's user namespace, unpack stdin
/// into DEST, print the [`UnpackReport`] as JSON on stdout. Errors go to stderr (one line).
pub fn helper_main(args: &[OsString]) -> anyhow::Result<ExitCode> {
    crate::userns::child_enter(0)?;
    let (Some(dest), Some(c)) = (args.first(), args.get(1).and_then(|c| c.to_str())) else {
        bail!("usage: __unpack-layer DEST gzip|zstd|none");
    };
    let c = Compression::parse(c).context("unknown compression")?;
    let rep = unpack_stream(std::io::stdin(), c, Path::new(dest))?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &rep)?;
    out.write_all(b"\n")?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean() {
        assert_eq!(
            clean_path(b"./a//b/./c").unwrap(),
            vec![&b"a"[..], b"b", b"c"]
        );
        assert_eq!(
            clean_path(b"/etc/passwd").unwrap(),
            vec![&b"etc"[..], b"passwd"]
        );
        assert!(clean_path(b"./").unwrap().is_empty());
        assert!(matches!(
            clean_path(b"a/../../x"),
            Err(UnpackError::Escape(_))
        ));
        assert!(matches!(clean_path(b".."), Err(UnpackError::Escape(_))));
    }

    /// A tar entry written byte by byte (tar::Builder refuses the hostile paths we need).
    fn raw_entry(out: &mut Vec<u8>, path: &str, kind: tar::EntryType, link: &str, data: &[u8]) {
        let mut h = tar::Header::new_ustar();
        {
            let old = h.as_old_mut();
            old.name[..path.len()].copy_from_slice(path.as_bytes());
            old.linkname[..link.len()].copy_from_slice(link.as_bytes());
        }
        h.set_entry_type(kind);
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_600_000_000);
        h.set_cksum();
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }

    fn run(
        entries: &[(&str, tar::EntryType, &str, &[u8])],
    ) -> (tempfile::TempDir, anyhow::Result<UnpackReport>) {
        let mut t = Vec::new();
        for (p, k, l, d) in entries {
            raw_entry(&mut t, p, *k, l, d);
        }
        t.extend_from_slice(&[0u8; 1024]);
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("diff")).unwrap();
        let r = unpack_stream(
            std::io::Cursor::new(t),
            Compression::None,
            &d.path().join("diff"),
        );
        (d, r)
    }

    use tar::EntryType as T;

    #[test]
    fn hostile_entries_stay_inside() {
        let (d, r) = run(&[("../evil", T::Regular, "", b"x")]);
        assert!(r.unwrap_err().to_string().contains("leave the layer"));
        assert!(!d.path().join("evil").exists());
        // A symlink to the outside, then a write through it.
        let outside = d_outside();
        let (d, r) = run(&[
            ("link", T::Symlink, outside.to_str().unwrap(), b""),
            ("link/pwned", T::Regular, "", b"x"),
        ]);
        assert!(
            r.unwrap_err().to_string().contains("symlink"),
            "through symlink"
        );
        assert!(!outside.join("pwned").exists());
        assert!(d
            .path()
            .join("diff/link")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink());
        // Relative symlink climbing out, then a write through it.
        let (_d, r) = run(&[
            ("up", T::Symlink, "../..", b""),
            ("up/x", T::Regular, "", b"x"),
        ]);
        assert!(r.is_err());
        // Absolute paths are re-rooted.
        let (d, r) = run(&[("/abs/file", T::Regular, "", b"hello")]);
        r.unwrap();
        assert_eq!(
            std::fs::read(d.path().join("diff/abs/file")).unwrap(),
            b"hello"
        );
        // Hard links to outside or through symlinks.
        let (_d, r) = run(&[("h", T::Link, "/etc/passwd", b"")]);
        assert!(r.unwrap_err().to_string().contains("not in this layer"));
        let (_d, r) = run(&[("h", T::Link, "../../etc/passwd", b"")]);
        assert!(r.is_err());
        let (_d, r) = run(&[
            ("s", T::Symlink, "/etc", b""),
            ("h", T::Link, "s/passwd", b""),
        ]);
        assert!(r.is_err());
        // A hard link to a symlink links the symlink itself.
        let (d, r) = run(&[
            ("s", T::Symlink, "/etc/passwd", b""),
            ("h", T::Link, "s", b""),
        ]);
        r.unwrap();
        assert!(d
            .path()
            .join("diff/h")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink());
    }

    fn d_outside() -> std::path::PathBuf {
        let d = tempfile::tempdir().unwrap().keep();
        d
    }

    #[test]
    fn whiteouts_and_replacements() {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let (d, r) = run(&[
            ("dir/", T::Directory, "", b""),
            ("dir/.wh..wh..opq", T::Regular, "", b""),
            ("dir/.wh.gone", T::Regular, "", b""),
            ("a", T::Regular, "", b"file"),
            ("a/", T::Directory, "", b""),
            ("a/b", T::Regular, "", b"x"),
            ("h1", T::Regular, "", b"same"),
            ("h2", T::Link, "h1", b""),
            ("f", T::Fifo, "", b""),
        ]);
        let rep = r.unwrap();
        let root = d.path().join("diff");
        let wh = std::fs::symlink_metadata(root.join("dir/gone")).unwrap();
        assert!(wh.file_type().is_char_device() && wh.rdev() == 0);
        let mut v = vec![0u8; 8];
        let n = rustix::fs::getxattr(&root.join("dir"), "user.overlay.opaque", &mut v[..]).unwrap();
        assert_eq!(&v[..n], b"y");
        assert!(root.join("a/b").is_file());
        assert_eq!(std::fs::metadata(root.join("h1")).unwrap().nlink(), 2);
        assert!(std::fs::symlink_metadata(root.join("f"))
            .unwrap()
            .file_type()
            .is_fifo());
        assert!(rep.diff_id.starts_with("sha256:"));
    }
}
