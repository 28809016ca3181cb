//! podman's volume copy-up: a named volume mounted over a directory of the image starts with
//! that directory's content. Runs in the container's PID 1 before the bind mount, inside the
//! user namespace, so owners and modes are kept exactly as the image has them.
//!
//! The volume may already be mounted in another, running container, which can create, replace
//! or delete entries in it while we copy (a symlink to a host file planted where the copy is
//! about to write is the classic confused-deputy attack: CVE-2018-15664's `docker cp` race,
//! runc's CVE-2021-30465 mount-target swap). So nothing here resolves a path: the volume is one
//! directory fd, every entry is made relative to the fd of its parent with `O_CREAT|O_EXCL`,
//! `mkdirat` or `symlinkat` (none of which follows a symlink at the name), every directory we
//! made is reopened with `RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_XDEV`, and owners and
//! modes are set on the opened fd (`fchown`/`fchmod`), or with `AT_SYMLINK_NOFOLLOW` for a link.
//! An entry that exists already (the other container got there first) is left to it, never
//! written through.
use anyhow::{anyhow, bail, Context as _};
use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags, ResolveFlags, Stat};
use rustix::io::Errno;
use std::ffi::{CStr, CString};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::Path;

/// Deeper image trees are refused rather than run the init process out of fds (two per level).
const MAX_DEPTH: u32 = 128;

/// Copy the tree at `src` (an O_PATH fd of a directory inside the container's root) into the
/// volume directory `dst`, but only when `dst` is empty (first use).
pub fn copy_up(src: &OwnedFd, dst: &Path) -> anyhow::Result<()> {
    let dst = rfs::open(
        dst,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| anyhow!("opening the volume directory {}: {e}", dst.display()))?;
    if !is_empty(dst.as_fd())? {
        return Ok(());
    }
    let src = open_dir(src.as_fd(), c".", ResolveFlags::empty())?;
    let st = rfs::fstat(&src)?;
    copy_tree(src.as_fd(), dst.as_fd())?;
    set_owner_mode(dst.as_fd(), &st).context("setting the volume's owner and mode")
}

/// Whether the directory open as `dir` has no entries (read through the fd: the volume's path
/// is not looked up again).
fn is_empty(dir: BorrowedFd) -> anyhow::Result<bool> {
    for e in rfs::Dir::read_from(dir)? {
        let name = e?.file_name().to_bytes().to_vec();
        if name != b"." && name != b".." {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Copy the content of directory `src` into directory `dst` (both open fds).
fn copy_tree(src: BorrowedFd, dst: BorrowedFd) -> anyhow::Result<()> {
    copy_dir(src, dst, 0, &mut Vec::new())
}

/// Open `name` under `dir` as a readable directory, refusing symlinks anywhere in the walk.
fn open_dir(dir: BorrowedFd, name: &CStr, extra: ResolveFlags) -> rustix::io::Result<OwnedFd> {
    rfs::openat2(
        dir,
        name,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
        ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS | extra,
    )
}

/// The entry names of a directory, read up front so that only two fds per level stay open.
fn entries(dir: BorrowedFd) -> anyhow::Result<Vec<CString>> {
    let mut names = Vec::new();
    for e in rfs::Dir::read_from(dir)? {
        let name = e?.file_name().to_owned();
        if name.as_bytes() != b"." && name.as_bytes() != b".." {
            names.push(name);
        }
    }
    Ok(names)
}

fn copy_dir(
    src: BorrowedFd,
    dst: BorrowedFd,
    depth: u32,
    path: &mut Vec<String>,
) -> anyhow::Result<()> {
    if depth > MAX_DEPTH {
        bail!("{}: more than {MAX_DEPTH} directory levels", path.join("/"));
    }
    for name in entries(src)? {
        path.push(name.to_string_lossy().into_owned());
        copy_entry(src, dst, &name, depth, path).with_context(|| path.join("/"))?;
        path.pop();
    }
    Ok(())
}

/// Copy one entry; `Ok` without copying when the volume already has something by that name.
fn copy_entry(
    src: BorrowedFd,
    dst: BorrowedFd,
    name: &CStr,
    depth: u32,
    path: &mut Vec<String>,
) -> anyhow::Result<()> {
    let st = rfs::statat(src, name, AtFlags::SYMLINK_NOFOLLOW)?;
    match FileType::from_raw_mode(st.st_mode) {
        FileType::Directory => {
            if !made(rfs::mkdirat(dst, name, Mode::from_raw_mode(0o700)))? {
                return Ok(());
            }
            // Reopened without following anything and without leaving the volume's mount:
            // if the other container swapped our new directory for a symlink, this fails.
            let d = open_dir(dst, name, ResolveFlags::NO_XDEV)
                .map_err(|e| anyhow!("the volume changed during the copy: {e}"))?;
            let s = open_dir(src, name, ResolveFlags::empty())?;
            copy_dir(s.as_fd(), d.as_fd(), depth + 1, path)?;
            set_owner_mode(d.as_fd(), &st)
        }
        FileType::Symlink => {
            let target = rfs::readlinkat(src, name, Vec::new())?;
            if !made(rfs::symlinkat(&target, dst, name))? {
                return Ok(());
            }
            rfs::chownat(dst, name, uid(&st), gid(&st), AtFlags::SYMLINK_NOFOLLOW)
                .map_err(|e| anyhow!("setting the owner: {e}"))
        }
        FileType::RegularFile => {
            let s = rfs::openat2(
                src,
                name,
                OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS,
            )?;
            // O_EXCL: fails on any existing name, a dangling symlink included; never opens it.
            let d = match rfs::openat2(
                dst,
                name,
                OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::from_raw_mode(0o600),
                ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_XDEV,
            ) {
                Ok(d) => d,
                Err(Errno::EXIST) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            let (mut s, mut d) = (std::fs::File::from(s), std::fs::File::from(d));
            // copy_file_range where the filesystems allow it, read/write otherwise.
            std::io::copy(&mut s, &mut d)?;
            set_owner_mode(d.as_fd(), &st)
        }
        _ => Ok(()), // devices, sockets and FIFOs are not volume content
    }
}

/// `Ok(true)` when the entry was created, `Ok(false)` when the name exists already.
fn made(r: rustix::io::Result<()>) -> anyhow::Result<bool> {
    match r {
        Ok(()) => Ok(true),
        Err(Errno::EXIST) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn uid(st: &Stat) -> Option<rfs::Uid> {
    Some(rfs::Uid::from_raw(st.st_uid))
}

fn gid(st: &Stat) -> Option<rfs::Gid> {
    Some(rfs::Gid::from_raw(st.st_gid))
}

/// Owner first: chown clears the set-ID bits that the mode then restores.
fn set_owner_mode(fd: BorrowedFd, st: &Stat) -> anyhow::Result<()> {
    rfs::fchown(fd, uid(st), gid(st)).map_err(|e| anyhow!("setting the owner: {e}"))?;
    rfs::fchmod(fd, Mode::from_raw_mode(st.st_mode & 0o7777))
        .map_err(|e| anyhow!("setting the mode: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::path::PathBuf;

    struct World {
        _d: tempfile::TempDir,
        image: PathBuf,
        vol: PathBuf,
        /// A host file outside the volume that a planted symlink points at.
        victim: PathBuf,
    }

    fn world() -> World {
        let d = tempfile::tempdir().unwrap();
        let (image, vol) = (d.path().join("image/etc"), d.path().join("vol"));
        std::fs::create_dir_all(image.join("sub/deeper")).unwrap();
        std::fs::create_dir(&vol).unwrap();
        std::fs::write(image.join("passwd"), "root:x:0:0\n").unwrap();
        std::fs::write(image.join("sub/deeper/f"), "deep").unwrap();
        std::fs::write(image.join("suid"), "#!/bin/sh").unwrap();
        let mode = |p: &Path, m| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m));
        mode(&image.join("suid"), 0o4755).unwrap();
        mode(&image.join("sub"), 0o750).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", image.join("link")).unwrap();
        nix::unistd::mkfifo(&image.join("fifo"), nix::sys::stat::Mode::S_IRWXU).unwrap();
        let victim = d.path().join("host-file");
        std::fs::write(&victim, "host").unwrap();
        mode(&victim, 0o600).unwrap();
        World {
            _d: d,
            image,
            vol,
            victim,
        }
    }

    fn open_path(p: &Path) -> OwnedFd {
        rfs::open(p, OFlags::PATH | OFlags::DIRECTORY, Mode::empty()).unwrap()
    }

    #[track_caller]
    fn assert_victim_untouched(w: &World) {
        assert_eq!(std::fs::read_to_string(&w.victim).unwrap(), "host");
        let md = std::fs::metadata(&w.victim).unwrap();
        assert_eq!(md.mode() & 0o7777, 0o600, "mode of the host file");
    }

    #[test]
    fn copies_content_owners_modes_and_links() {
        let w = world();
        std::fs::set_permissions(&w.image, std::fs::Permissions::from_mode(0o751)).unwrap();
        copy_up(&open_path(&w.image), &w.vol).unwrap();
        let v = &w.vol;
        assert_eq!(
            std::fs::read_to_string(v.join("passwd")).unwrap(),
            "root:x:0:0\n"
        );
        assert_eq!(
            std::fs::read_to_string(v.join("sub/deeper/f")).unwrap(),
            "deep"
        );
        let mode = |p: &str| std::fs::symlink_metadata(v.join(p)).unwrap().mode() & 0o7777;
        assert_eq!(mode("suid"), 0o4755, "set-ID bit kept");
        assert_eq!(mode("sub"), 0o750);
        assert_eq!(
            std::fs::metadata(v).unwrap().mode() & 0o7777,
            0o751,
            "the volume root"
        );
        assert_eq!(
            std::fs::read_link(v.join("link")).unwrap(),
            Path::new("/etc/hostname")
        );
        assert!(!v.join("fifo").exists(), "FIFOs are not copied");
        let (me, src) = (
            std::fs::metadata(v.join("passwd")).unwrap(),
            std::fs::metadata(w.image.join("passwd")).unwrap(),
        );
        assert_eq!((me.uid(), me.gid()), (src.uid(), src.gid()));
    }

    #[test]
    fn a_volume_with_content_is_left_alone() {
        let w = world();
        std::fs::write(w.vol.join("mine"), "x").unwrap();
        copy_up(&open_path(&w.image), &w.vol).unwrap();
        let names: Vec<_> = std::fs::read_dir(&w.vol)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("mine")]);
    }

    #[test]
    fn a_volume_path_that_is_a_symlink_is_refused() {
        let w = world();
        let link = w.vol.with_file_name("vol-link");
        std::os::unix::fs::symlink(&w.vol, &link).unwrap();
        let e = copy_up(&open_path(&w.image), &link).unwrap_err();
        assert!(
            e.to_string().contains("opening the volume directory"),
            "{e}"
        );
        assert!(std::fs::read_dir(&w.vol).unwrap().next().is_none());
    }

    /// What a concurrent writer leaves between the emptiness check and the copy: symlinks at
    /// the very names the copy is about to create, pointing out of the volume.
    #[test]
    fn planted_symlinks_are_never_followed() {
        let w = world();
        let outside = w.victim.with_file_name("outside-dir");
        std::fs::create_dir(&outside).unwrap();
        for n in ["passwd", "suid", "link"] {
            std::os::unix::fs::symlink(&w.victim, w.vol.join(n)).unwrap();
        }
        std::os::unix::fs::symlink(&outside, w.vol.join("sub")).unwrap();
        let src = open_dir(open_path(&w.image).as_fd(), c".", ResolveFlags::empty()).unwrap();
        let dst = rfs::open(&w.vol, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty()).unwrap();
        copy_tree(src.as_fd(), dst.as_fd()).unwrap();
        assert_victim_untouched(&w);
        assert!(
            std::fs::read_dir(&outside).unwrap().next().is_none(),
            "nothing written outside"
        );
        for n in ["passwd", "suid", "link"] {
            assert_eq!(
                std::fs::read_link(w.vol.join(n)).unwrap(),
                w.victim,
                "left to its owner"
            );
        }
    }

    /// A writer that keeps planting and removing symlinks while copy-ups run.
    #[test]
    fn a_concurrent_planter_cannot_redirect_the_copy() {
        let w = world();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (vol, victim, s) = (w.vol.clone(), w.victim.clone(), stop.clone());
        let planter = std::thread::spawn(move || {
            while !s.load(std::sync::atomic::Ordering::Relaxed) {
                for n in ["passwd", "suid", "sub", "deeper", "f"] {
                    let _ = std::os::unix::fs::symlink(&victim, vol.join(n));
                    let _ = std::os::unix::fs::symlink(&victim, vol.join("sub").join(n));
                }
                let _ = std::fs::remove_dir_all(&vol);
                let _ = std::fs::create_dir(&vol);
            }
        });
        for _ in 0..300 {
            // Errors are fine (the volume vanished under us); following a link is not.
            let _ = copy_up(&open_path(&w.image), &w.vol);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        planter.join().unwrap();
        assert_victim_untouched(&w);
    }
}
