//! Atomic writes and file locks: every shared on-disk record goes through here.
//!
//! Rule of the house: write to a temp name in the same directory, fsync, rename over the
//! target; readers never see a half-written file and never wait for a writer.
use anyhow::Context as _;
use std::fs::File;
use std::io::Write;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};

/// Write `data` to `path` atomically (same-dir temp file + fsync + rename).
pub fn atomic_write(path: &Path, data: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = temp_sibling(path);
    let res = (|| -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_data()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("writing {}", path.display()));
    }
    // Make the rename itself durable; failure here is not fatal for correctness.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Serialize `value` as pretty JSON and write it atomically.
pub fn atomic_write_json<T: serde::Serialize>(path: &Path, value: &T) -> anyhow::Result<()> {
    let mut v = serde_json::to_vec_pretty(value)?;
    v.push(b'\n');
    atomic_write(path, &v)
}

/// A unique temp name next to `path` (same filesystem, so `rename` is atomic).
pub fn temp_sibling(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(
        ".tmp-{}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        name
    ))
}

/// An advisory `flock` held until dropped (the lock file itself is never deleted, so two
/// processes can never lock two different inodes of "the same" lock).
pub struct FileLock {
    _file: File,
}

impl FileLock {
    /// Block until an exclusive lock on `path` (created if missing) is held.
    pub fn exclusive(path: &Path) -> anyhow::Result<FileLock> {
        Self::lock(path, rustix::fs::FlockOperation::LockExclusive)
    }

    /// Block until a shared lock on `path` is held.
    pub fn shared(path: &Path) -> anyhow::Result<FileLock> {
        Self::lock(path, rustix::fs::FlockOperation::LockShared)
    }

    /// Try an exclusive lock without waiting; `Ok(None)` when someone else holds it.
    pub fn try_exclusive(path: &Path) -> anyhow::Result<Option<FileLock>> {
        let file = open_lock_file(path)?;
        match rustix::fs::flock(
            file.as_fd(),
            rustix::fs::FlockOperation::NonBlockingLockExclusive,
        ) {
            Ok(()) => Ok(Some(FileLock { _file: file })),
            Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
            Err(e) => Err(e).with_context(|| format!("locking {}", path.display())),
        }
    }

    fn lock(path: &Path, op: rustix::fs::FlockOperation) -> anyhow::Result<FileLock> {
        let file = open_lock_file(path)?;
        loop {
            match rustix::fs::flock(file.as_fd(), op) {
                Ok(()) => return Ok(FileLock { _file: file }),
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e).with_context(|| format!("locking {}", path.display())),
            }
        }
    }
}

fn open_lock_file(path: &Path) -> anyhow::Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("opening lock file {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.json");
        atomic_write(&p, b"one").unwrap();
        atomic_write(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn try_lock_sees_holder() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("lock");
        let held = FileLock::exclusive(&p).unwrap();
        assert!(FileLock::try_exclusive(&p).unwrap().is_none());
        drop(held);
        assert!(FileLock::try_exclusive(&p).unwrap().is_some());
    }
}
