//! Mount primitives on the new mount API (fsopen/fsconfig/fsmount, open_tree, move_mount,
//! mount_setattr) and symlink-safe target resolution inside the container's root.
//!
//! Why the new API: `mount_setattr` changes only the flags asked for, so making a bind mount
//! read-only inside a user namespace never trips over the flags the host locked (nosuid,
//! nodev…) the way `MS_REMOUNT|MS_BIND|MS_RDONLY` does; and overlay's `lowerdir+` avoids
//! the one-page limit on the mount data string. Kernels older than a feature get the
//! fallback in [`super::kernel`] (the floor is 5.10).
use anyhow::anyhow;
use rustix::fs::{Mode, OFlags, ResolveFlags, CWD};
use rustix::mount::{
    fsconfig_create, fsconfig_set_flag, fsconfig_set_string, fsmount, fsopen, move_mount,
    open_tree, FsMountFlags, FsOpenFlags, MountAttrFlags, MoveMountFlags, OpenTreeFlags,
};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

pub const ATTR_RDONLY: u64 = 0x1;
pub const ATTR_NOSUID: u64 = 0x2;
pub const ATTR_NODEV: u64 = 0x4;
pub const ATTR_NOEXEC: u64 = 0x8;
pub const ATTR_ATIME_MASK: u64 = 0x70;
pub const ATTR_NOATIME: u64 = 0x10;
pub const ATTR_STRICTATIME: u64 = 0x20;
pub const ATTR_NODIRATIME: u64 = 0x80;

/// fstab-style options split into what the new mount API wants.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MountOpts {
    /// MOUNT_ATTR_* to set.
    pub set: u64,
    /// MOUNT_ATTR_* to clear (e.g. `rw` clears RDONLY).
    pub clear: u64,
    pub bind: bool,
    pub recursive: bool,
    /// MS_PRIVATE/MS_SLAVE/… for the new mount.
    pub propagation: u64,
    /// Filesystem options for fsconfig (`mode=755`, `newinstance`, …).
    pub data: Vec<(String, Option<String>)>,
}

impl MountOpts {
    pub fn parse(opts: &[String]) -> MountOpts {
        let mut m = MountOpts::default();
        for o in opts {
            match o.as_str() {
                "ro" => m.set |= ATTR_RDONLY,
                "rw" => m.clear |= ATTR_RDONLY,
                "nosuid" => m.set |= ATTR_NOSUID,
                "suid" => m.clear |= ATTR_NOSUID,
                "nodev" => m.set |= ATTR_NODEV,
                "dev" => m.clear |= ATTR_NODEV,
                "noexec" => m.set |= ATTR_NOEXEC,
                "exec" => m.clear |= ATTR_NOEXEC,
                "noatime" => m.set |= ATTR_NOATIME,
                "strictatime" => m.set |= ATTR_STRICTATIME,
                "relatime" | "atime" | "norelatime" | "async" | "defaults" => {}
                "nodiratime" => m.set |= ATTR_NODIRATIME,
                "bind" => m.bind = true,
                "rbind" => {
                    m.bind = true;
                    m.recursive = true
                }
                "private" | "rprivate" => m.propagation = libc::MS_PRIVATE,
                "slave" | "rslave" => m.propagation = libc::MS_SLAVE,
                "shared" | "rshared" => m.propagation = libc::MS_SHARED,
                "unbindable" | "runbindable" => m.propagation = libc::MS_UNBINDABLE,
                // SELinux relabel requests and podman volume hints: nothing to do here.
                "z" | "Z" | "copy" | "nocopy" | "U" | "idmap" => {}
                other => match other.split_once('=') {
                    Some((k, v)) => m.data.push((k.to_string(), Some(v.to_string()))),
                    None => m.data.push((other.to_string(), None)),
                },
            }
        }
        m
    }
}

#[repr(C)]
struct MountAttr {
    attr_set: u64,
    attr_clr: u64,
    propagation: u64,
    userns_fd: u64,
}

/// `mount_setattr(2)` on `fd` (or on `path` relative to `fd`).
pub fn setattr(
    fd: BorrowedFd,
    path: &str,
    recursive: bool,
    set: u64,
    clear: u64,
    propagation: u64,
) -> std::io::Result<()> {
    let mut clr = clear;
    if set & ATTR_ATIME_MASK != 0 {
        clr |= ATTR_ATIME_MASK; // the atime mode is a field: clear it to set a new one
    }
    let attr = MountAttr {
        attr_set: set,
        attr_clr: clr,
        propagation,
        userns_fd: 0,
    };
    let p = std::ffi::CString::new(path)
        .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
    let mut flags = if path.is_empty() {
        libc::AT_EMPTY_PATH
    } else {
        0
    };
    if recursive {
        flags |= libc::AT_RECURSIVE;
    }
    // SAFETY: valid fd, C string and struct of the size passed.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_mount_setattr,
            fd.as_raw_fd(),
            p.as_ptr(),
            flags,
            &attr as *const MountAttr,
            std::mem::size_of::<MountAttr>(),
        )
    };
    if rc < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

fn attr_flags(set: u64) -> MountAttrFlags {
    MountAttrFlags::from_bits_retain(set as u32)
}

/// Read the kernel's explanation for a failed fsconfig/fsmount from the fs context fd.
pub(super) fn fs_log(fs: &OwnedFd) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 512];
    for _ in 0..8 {
        match rustix::io::read(fs, &mut buf) {
            Ok(n) if n > 0 => out.push(String::from_utf8_lossy(&buf[..n]).trim().to_string()),
            _ => break,
        }
    }
    if out.is_empty() {
        String::new()
    } else {
        format!(" ({})", out.join("; "))
    }
}

/// A failed mount call as an error whose chain keeps the errno (an `io::Error`), so a
/// caller can branch on the kind (ENOENT, ENOSYS) instead of on the text.
fn os_err(e: rustix::io::Errno, what: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(std::io::Error::from(e)).context(what.to_string())
}

/// Create a detached mount of filesystem `fstype` with `data` options and `attrs`.
pub fn fs_mount(
    fstype: &str,
    source: Option<&str>,
    data: &[(String, Option<String>)],
    attrs: u64,
) -> anyhow::Result<Mnt> {
    let fs = fsopen(fstype, FsOpenFlags::FSOPEN_CLOEXEC)
        .map_err(|e| os_err(e, format!("fsopen {fstype}")))?;
    let res = (|| -> rustix::io::Result<OwnedFd> {
        if let Some(s) = source {
            fsconfig_set_string(&fs, "source", s)?;
        }
        for (k, v) in data {
            match v {
                Some(v) => fsconfig_set_string(&fs, k.as_str(), v.as_str())?,
                None => fsconfig_set_flag(&fs, k.as_str())?,
            }
        }
        fsconfig_create(&fs)?;
        fsmount(&fs, FsMountFlags::FSMOUNT_CLOEXEC, attr_flags(attrs))
    })();
    res.map(Mnt::from)
        .map_err(|e| os_err(e, format!("mounting {fstype}{}", fs_log(&fs))))
}

/// Escape `\`, `:` and `,` in a path for the legacy overlay/fuse-overlayfs option string.
pub fn escape_overlay_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | ':' | ',') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// A detached mount, and the flags still to apply once it is attached (kernels without
/// `mount_setattr` can only change an attached mount's flags).
pub struct Mnt {
    fd: OwnedFd,
    deferred: Option<Deferred>,
}

struct Deferred {
    recursive: bool,
    set: u64,
    clear: u64,
    propagation: u64,
}

impl From<OwnedFd> for Mnt {
    fn from(fd: OwnedFd) -> Mnt {
        Mnt { fd, deferred: None }
    }
}

impl Mnt {
    fn apply_deferred(&self) -> std::io::Result<()> {
        if let Some(d) = &self.deferred {
            // The mount fd now names the attached mount's root: remount through it.
            let p = PathBuf::from(format!("/proc/self/fd/{}", self.fd.as_raw_fd()));
            super::kernel::remount(&p, d.recursive, d.set, d.clear, d.propagation)?;
        }
        Ok(())
    }
}

/// A detached copy of the mount at `src` (recursive for rbind), with `set`/`clear` applied
/// (at attach time where the kernel has no `mount_setattr`).
pub fn bind_tree(
    src: &Path,
    recursive: bool,
    set: u64,
    clear: u64,
    propagation: u64,
) -> anyhow::Result<Mnt> {
    let mut fl = OpenTreeFlags::OPEN_TREE_CLONE | OpenTreeFlags::OPEN_TREE_CLOEXEC;
    if recursive {
        fl |= OpenTreeFlags::AT_RECURSIVE;
    }
    // The errno stays in the chain (as an io::Error) so a caller can branch on its kind.
    let fd = open_tree(CWD, src, fl).map_err(|e| {
        anyhow::Error::new(std::io::Error::from(e)).context(src.display().to_string())
    })?;
    let mut mnt = Mnt::from(fd);
    if set != 0 || clear != 0 || propagation != 0 {
        match setattr_checked(mnt.fd.as_fd(), "", recursive, set, clear, propagation) {
            Ok(true) => {}
            Ok(false) => {
                mnt.deferred = Some(Deferred {
                    recursive,
                    set,
                    clear,
                    propagation,
                })
            }
            Err(e) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("setting mount flags on {}", src.display())))
            }
        }
    }
    Ok(mnt)
}

/// A detached bind mount of the null device, for masking files. `/dev/null` is looked up in
/// the container's tree, so it is opened without following a symlink and checked to be the
/// character device 1:3 before it is bound: binding whatever an image or a process put there
/// over /proc/sysrq-trigger & co. would unmask them, or mask them with a writable file
/// (runc's CVE-2025-31133).
pub fn bind_null() -> anyhow::Result<Mnt> {
    let fd = rustix::fs::open(
        "/dev/null",
        OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| os_err(e, "/dev/null"))?;
    let st = rustix::fs::fstat(&fd).map_err(|e| os_err(e, "/dev/null"))?;
    let is_null = rustix::fs::FileType::from_raw_mode(st.st_mode)
        == rustix::fs::FileType::CharacterDevice
        && rustix::fs::major(st.st_rdev) == 1
        && rustix::fs::minor(st.st_rdev) == 3;
    if !is_null {
        return Err(anyhow!(
            "/dev/null in the container is not the null device: refusing to mask with it"
        ));
    }
    let mnt = open_tree(
        &fd,
        "",
        OpenTreeFlags::OPEN_TREE_CLONE
            | OpenTreeFlags::OPEN_TREE_CLOEXEC
            | OpenTreeFlags::AT_EMPTY_PATH,
    )
    .map_err(|e| os_err(e, "/dev/null"))?;
    Ok(Mnt::from(mnt))
}

/// `mount_setattr`, remembering ENOSYS: `Ok(false)` when the kernel has none (5.11 and older).
fn setattr_checked(
    fd: BorrowedFd,
    path: &str,
    recursive: bool,
    set: u64,
    clear: u64,
    propagation: u64,
) -> std::io::Result<bool> {
    use super::kernel::MOUNT_SETATTR;
    if !MOUNT_SETATTR.maybe() {
        return Ok(false);
    }
    match setattr(fd, path, recursive, set, clear, propagation) {
        Ok(()) => {
            MOUNT_SETATTR.set(true);
            Ok(true)
        }
        Err(e) if e.raw_os_error() == Some(libc::ENOSYS) => {
            MOUNT_SETATTR.set(false);
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Change the flags of the attached mount at the absolute `path` (mount_setattr, else a
/// remount keeping the locked flags).
pub fn set_flags(path: &Path, set: u64, clear: u64) -> std::io::Result<()> {
    let s = path
        .to_str()
        .ok_or_else(|| std::io::Error::from_raw_os_error(libc::EINVAL))?;
    if !setattr_checked(CWD, s, false, set, clear, 0)? {
        super::kernel::remount(path, false, set, clear, 0)?;
    }
    Ok(())
}

/// Another detached copy of the detached mount `mnt` (same superblock, same flags), or
/// `None` where the kernel cannot clone a detached mount (6.12 and older: EINVAL).
pub fn clone_detached(mnt: &Mnt) -> anyhow::Result<Option<Mnt>> {
    use super::kernel::CLONE_DETACHED;
    if !CLONE_DETACHED.maybe() || mnt.deferred.is_some() {
        return Ok(None);
    }
    match open_tree(
        &mnt.fd,
        "",
        OpenTreeFlags::OPEN_TREE_CLONE
            | OpenTreeFlags::OPEN_TREE_CLOEXEC
            | OpenTreeFlags::AT_EMPTY_PATH,
    ) {
        Ok(fd) => {
            CLONE_DETACHED.set(true);
            Ok(Some(fd.into()))
        }
        Err(rustix::io::Errno::INVAL) if CLONE_DETACHED.known().is_none() => {
            CLONE_DETACHED.set(false);
            Ok(None)
        }
        Err(e) => Err(os_err(e, "cloning a mount")),
    }
}

/// Attach a detached mount `mnt` on the (already resolved, O_PATH) `target`.
pub fn attach(mnt: &Mnt, target: &OwnedFd) -> std::io::Result<()> {
    move_mount(
        &mnt.fd,
        "",
        target,
        "",
        MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH | MoveMountFlags::MOVE_MOUNT_T_EMPTY_PATH,
    )?;
    mnt.apply_deferred()
}

/// Attach a detached mount on an absolute path of the current root.
pub fn attach_path(mnt: &Mnt, target: &Path) -> std::io::Result<()> {
    move_mount(
        &mnt.fd,
        "",
        CWD,
        target,
        MoveMountFlags::MOVE_MOUNT_F_EMPTY_PATH,
    )?;
    mnt.apply_deferred()
}

/// What to create when a mount target is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Dir,
    File,
}

fn open_in_root(root: BorrowedFd, rel: &Path) -> rustix::io::Result<OwnedFd> {
    rustix::fs::openat2(
        root,
        rel,
        OFlags::PATH | OFlags::CLOEXEC,
        Mode::empty(),
        // Symlinks resolve as if `root` were `/` (a hostile image cannot point a mount target
        // at the host), and magic links (/proc/self/fd/N) are refused outright.
        ResolveFlags::IN_ROOT | ResolveFlags::NO_MAGICLINKS,
    )
}

/// Refuse a mount on `/proc` or `/sys` (or under them) when the image makes any component of
/// the target a symlink: procfs or sysfs would land somewhere else while the container's
/// `/proc` points into the image, where masks and read-only paths no longer apply (runc's
/// CVE-2019-16884 and CVE-2019-19921 class).
pub fn refuse_symlinked_kernel_target(root: BorrowedFd, dest: &Path) -> anyhow::Result<()> {
    let rel: PathBuf = dest
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    let first = rel.components().next().map(|c| c.as_os_str().as_bytes());
    if !matches!(first, Some(b"proc") | Some(b"sys")) {
        return Ok(());
    }
    match rustix::fs::openat2(
        root,
        &rel,
        OFlags::PATH | OFlags::CLOEXEC,
        Mode::empty(),
        ResolveFlags::IN_ROOT | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
    ) {
        Ok(_) | Err(rustix::io::Errno::NOENT) => Ok(()),
        Err(rustix::io::Errno::LOOP) => Err(anyhow!(
            "the image makes {} a symbolic link: refusing to mount there",
            dest.display()
        )),
        Err(e) => Err(os_err(
            e,
            format!("resolving {} in the container", dest.display()),
        )),
    }
}

/// Resolve `dest` (a container path) inside the root opened as `root`, creating missing
/// directories (and the last component as `want`), and return an O_PATH fd to it.
pub fn resolve_in_root(root: BorrowedFd, dest: &Path, want: Want) -> anyhow::Result<OwnedFd> {
    resolve_depth(root, dest, want, 0)
}

fn resolve_depth(root: BorrowedFd, dest: &Path, want: Want, depth: u32) -> anyhow::Result<OwnedFd> {
    if depth > 40 {
        return Err(anyhow!(
            "resolving {}: too many levels of symbolic links",
            dest.display()
        ));
    }
    let rel: PathBuf = dest
        .components()
        .filter(|c| matches!(c, Component::Normal(_)))
        .collect();
    if rel.as_os_str().is_empty() {
        return Ok(rustix::io::fcntl_dupfd_cloexec(root, 0)?);
    }
    match open_in_root(root, &rel) {
        Ok(fd) => return Ok(fd),
        Err(rustix::io::Errno::NOENT) => {}
        Err(e) => {
            return Err(os_err(
                e,
                format!("resolving {} in the container", dest.display()),
            ))
        }
    }
    let comps: Vec<_> = rel.components().collect();
    let mut prefix = PathBuf::new();
    let mut parent: OwnedFd = rustix::io::fcntl_dupfd_cloexec(root, 0)?;
    for (i, c) in comps.iter().enumerate() {
        let name = c.as_os_str();
        let last = i + 1 == comps.len();
        prefix.push(c);
        let fd = match open_in_root(root, &prefix) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::NOENT) => {
                let made = if last && want == Want::File {
                    rustix::fs::mknodat(
                        &parent,
                        name,
                        rustix::fs::FileType::RegularFile,
                        Mode::from_raw_mode(0o644),
                        0,
                    )
                } else {
                    rustix::fs::mkdirat(&parent, name, Mode::from_raw_mode(0o755))
                };
                match made {
                    Ok(()) => {}
                    Err(rustix::io::Errno::EXIST) => {
                        // A dangling symlink: create what it points to, inside the root.
                        let target = rustix::fs::readlinkat(&parent, name, Vec::new())
                            .map_err(|e| os_err(e, format!("resolving {}", prefix.display())))?;
                        let target = PathBuf::from(std::ffi::OsStr::from_bytes(target.as_bytes()));
                        let mut next = if target.is_absolute() {
                            target
                        } else {
                            prefix.parent().unwrap_or(Path::new("")).join(target)
                        };
                        for rest in &comps[i + 1..] {
                            next.push(rest);
                        }
                        return resolve_depth(root, &normalize(&next), want, depth + 1);
                    }
                    Err(e) => {
                        return Err(os_err(
                            e,
                            format!("creating {} in the container", prefix.display()),
                        ))
                    }
                }
                open_in_root(root, &prefix)
                    .map_err(|e| os_err(e, format!("resolving {}", prefix.display())))?
            }
            Err(e) => {
                return Err(os_err(
                    e,
                    format!("resolving {} in the container", prefix.display()),
                ))
            }
        };
        parent = fd;
    }
    Ok(parent)
}

/// Lexically resolve `.` and `..` (never above the root): the result is looked up again
/// with RESOLVE_IN_ROOT anyway.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options() {
        let o: Vec<String> = [
            "nosuid",
            "noexec",
            "rbind",
            "ro",
            "mode=755",
            "newinstance",
            "rprivate",
            "Z",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let m = MountOpts::parse(&o);
        assert_eq!(m.set, ATTR_NOSUID | ATTR_NOEXEC | ATTR_RDONLY);
        assert!(m.bind && m.recursive);
        assert_eq!(m.propagation, libc::MS_PRIVATE);
        assert_eq!(
            m.data,
            vec![
                ("mode".into(), Some("755".into())),
                ("newinstance".into(), None)
            ]
        );
        assert_eq!(escape_overlay_path(Path::new("/a:b,c")), "/a\\:b\\,c");
    }

    #[test]
    fn resolve_stays_inside_root() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        // A hostile symlink pointing at the host's /tmp.
        std::os::unix::fs::symlink("/tmp", root.join("evil")).unwrap();
        let rfd = rustix::fs::open(&root, OFlags::PATH | OFlags::DIRECTORY, Mode::empty()).unwrap();
        let fd = resolve_in_root(rfd.as_fd(), Path::new("/evil/x/y"), Want::File).unwrap();
        drop(fd);
        assert!(root.join("tmp/x/y").is_file(), "created inside the root");
        let fd = resolve_in_root(rfd.as_fd(), Path::new("/etc/hosts"), Want::File).unwrap();
        drop(fd);
        assert!(root.join("etc/hosts").is_file());
    }
}
