//! The tar-entry applier: every path confined with openat2, every create an `*at` call.
//! See the module docs of `image::unpack` for the security rules this implements.
use super::{
    clean_path, io_ctx, join, os, whiteout_target_ok, Owners, UnpackError, UnpackReport,
    OWNER_XATTR,
};
use anyhow::bail;
use rustix::fs::{AtFlags, FileType, Mode, OFlags, ResolveFlags, Timespec, Timestamps};
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::rc::Rc;

pub(super) struct Applier {
    /// Records the stream minus file contents (see `image::tarsplit`).
    pub(super) split: Rc<std::cell::RefCell<crate::image::tarsplit::Recorder>>,
    pub(super) root: Rc<OwnedFd>,
    pub(super) owners: Owners,
    /// Last resolved parent dir (tar entries come grouped by directory).
    pub(super) cache: Option<(Vec<u8>, Rc<OwnedFd>, bool)>,
    /// Whether the directory last returned by `dir` is setgid (new entries inherit its group).
    pub(super) parent_setgid: bool,
    /// The process umask is 0 (the helper sets it), so create modes are exact.
    pub(super) umask_zero: bool,
    pub(super) dir_times: Vec<(Vec<u8>, u64)>,
    pub(super) report: UnpackReport,
    pub(super) buf: Vec<u8>,
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
            self.parent_setgid = is_setgid(&self.root);
            return Ok(self.root.clone());
        }
        let key = join(comps);
        if let Some((k, fd, sg)) = &self.cache {
            if *k == key {
                self.parent_setgid = *sg;
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
        self.parent_setgid = is_setgid(&fd);
        self.cache = Some((key, fd.clone(), self.parent_setgid));
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

    /// Create `name` in `parent` with `make`; if something is already there (a duplicate
    /// entry in the tar), remove it and try once more. Trying first saves a `stat` per entry.
    fn create<T>(
        &mut self,
        parent: &OwnedFd,
        name: &[u8],
        mut make: impl FnMut(&OwnedFd, &[u8]) -> rustix::io::Result<T>,
    ) -> anyhow::Result<T> {
        match make(parent, name) {
            Err(rustix::io::Errno::EXIST) => {
                self.clear(parent, name, false)?;
                Ok(make(parent, name)?)
            }
            other => Ok(other?),
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

    /// Whether a new entry of owner `uid:gid` needs a chown: we create as 0:0, so only
    /// other owners do, or a group inherited from a setgid parent.
    fn needs_chown(&self, uid: u64, gid: u64) -> bool {
        match self.owners {
            Owners::Full { .. } => uid != 0 || gid != 0 || self.parent_setgid,
            Owners::Single => uid != 0 || gid != 0,
        }
    }

    /// chown (or record the owner in single-ID mode) for an open fd.
    fn own_fd(&mut self, fd: &OwnedFd, uid: u64, gid: u64) -> anyhow::Result<()> {
        if !self.needs_chown(uid, gid) {
            return Ok(());
        }
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
        if !self.needs_chown(uid, gid) {
            return Ok(());
        }
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

    pub(super) fn apply<R: Read>(&mut self, mut entry: tar::Entry<R>) -> anyhow::Result<()> {
        let raw = entry.path_bytes().into_owned();
        crate::image::targuard::check_path_len("layer entry path", &raw)?;
        let comps = clean_path(&raw)?;
        let h = entry.header();
        let kind = h.entry_type();
        let uid = h.uid()?;
        let gid = h.gid()?;
        let mode = h.mode()? & 0o7777;
        let mtime = h.mtime().unwrap_or(0);
        let link = entry.link_name_bytes().map(|l| l.into_owned());
        if let Some(l) = &link {
            crate::image::targuard::check_path_len("layer entry link target", l)?;
        }
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
            whiteout_target_ok(target, &raw)?;
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
                self.create(&parent, target, |p, n| {
                    rustix::fs::mknodat(p, os(n), FileType::CharacterDevice, Mode::empty(), 0)
                })
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
                match rustix::fs::mkdirat(&*parent, os(name), Mode::from_raw_mode(0o700)) {
                    Ok(()) => {}
                    Err(rustix::io::Errno::EXIST) => {
                        if !self.clear(&parent, name, true)? {
                            rustix::fs::mkdirat(&*parent, os(name), Mode::from_raw_mode(0o700))
                                .map_err(|e| io_ctx(&raw, "mkdir", e))?;
                        }
                    }
                    Err(e) => return Err(io_ctx(&raw, "mkdir", e)),
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
                // Created with its final mode when no chown follows (chown clears setuid and
                // setgid, so then the mode is set after it).
                let chown = self.needs_chown(uid, gid);
                // Setuid/setgid bits are set after the content: writing may clear them.
                let exact = !chown && self.umask_zero && mode & 0o7000 == 0;
                let create_mode = if exact { mode } else { 0o600 };
                let fd = self
                    .create(&parent, name, |p, n| {
                        rustix::fs::openat(
                            p,
                            os(n),
                            OFlags::WRONLY
                                | OFlags::CREATE
                                | OFlags::EXCL
                                | OFlags::NOFOLLOW
                                | OFlags::CLOEXEC,
                            Mode::from_raw_mode(create_mode),
                        )
                    })
                    .map_err(|e| io_ctx(&raw, "create", e))?;
                self.split
                    .borrow_mut()
                    .file(entry.raw_file_position(), entry.size(), &path);
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
                if !exact {
                    rustix::fs::fchmod(&fd, Mode::from_raw_mode(mode))?;
                }
                set_xattrs(&fd, &xattrs, &raw)?;
                rustix::fs::futimens(&fd, &times)?;
            }
            T::Symlink => {
                let target = link.ok_or_else(|| io_ctx(&raw, "symlink", "no target"))?;
                self.create(&parent, name, |p, n| {
                    rustix::fs::symlinkat(os(&target), p, os(n))
                })
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
                self.create(&parent, name, |p, n| {
                    rustix::fs::linkat(&*tparent, os(tname), p, os(n), AtFlags::empty())
                })
                .map_err(|e| io_ctx(&raw, "hard link", e))?;
            }
            T::Fifo | T::Char | T::Block => {
                let ft = match kind {
                    T::Fifo => FileType::Fifo,
                    T::Char => FileType::CharacterDevice,
                    _ => FileType::BlockDevice,
                };
                let dev = rustix::fs::makedev(dev_major, dev_minor);
                let made = self.create(&parent, name, |p, n| {
                    rustix::fs::mknodat(p, os(n), ft, Mode::from_raw_mode(mode), dev)
                });
                match made {
                    Ok(()) => {}
                    Err(e)
                        if kind != T::Fifo
                            && e.downcast_ref::<rustix::io::Errno>()
                                == Some(&rustix::io::Errno::PERM) =>
                    {
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
                if !self
                    .report
                    .warnings
                    .iter()
                    .any(|w| w.contains("unsupported type"))
                {
                    self.report.warnings.push(format!(
                        "ignoring layer entry /{} of unsupported type {other:?} (and any others)",
                        String::from_utf8_lossy(&path)
                    ));
                }
            }
        }
        Ok(())
    }

    /// Directory mtimes last (children changed them while unpacking).
    pub(super) fn finish_dirs(&mut self) -> anyhow::Result<()> {
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

fn is_setgid(fd: &OwnedFd) -> bool {
    rustix::fs::fstat(fd).is_ok_and(|st| st.st_mode & 0o2000 != 0)
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
