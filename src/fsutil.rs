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
        // O_EXCL: the temp name is predictable, so never write through something already there.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
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

/// A suffix unique among all rctr processes on this host: pid, a clock reading (pids are
/// reused, and a crashed process's temp names may still be on disk) and a per-process counter.
pub fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{}-{:08x}{:x}",
        std::process::id(),
        t,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A unique temp name next to `path` (same filesystem, so `rename` is atomic).
pub fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".tmp-{}-{}", unique_suffix(), name))
}

/// An advisory `flock` held until dropped (the lock file itself is never deleted, so two
/// processes can never lock two different inodes of "the same" lock).
///
/// Waits are bounded ([`set_lock_timeout`], 60 s by default): a lock held by a stuck process
/// ends in one line naming the lock and its holder instead of a hang. Lock files live in the
/// user's private (0700) store or runtime dir, so no other user can open one to stall rctr.
pub struct FileLock {
    _file: File,
}

/// Is `file` the file now at `path` (same device and inode)?
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

static LOCK_TIMEOUT_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(60_000);

/// How long a lock wait may take before it fails (set once from the context at start-up).
pub fn set_lock_timeout(t: std::time::Duration) {
    LOCK_TIMEOUT_MS.store(t.as_millis() as u64, std::sync::atomic::Ordering::Relaxed);
}

fn lock_timeout() -> std::time::Duration {
    std::time::Duration::from_millis(LOCK_TIMEOUT_MS.load(std::sync::atomic::Ordering::Relaxed))
}

impl FileLock {
    /// Wait (bounded) until an exclusive lock on `path` (created if missing) is held.
    pub fn exclusive(path: &Path) -> anyhow::Result<FileLock> {
        Self::lock(path, true, Some(lock_timeout()))
    }

    /// Wait (bounded) until a shared lock on `path` is held.
    pub fn shared(path: &Path) -> anyhow::Result<FileLock> {
        Self::lock(path, false, Some(lock_timeout()))
    }

    /// Exclusive, waiting as long as the holder works: for locks held across a whole
    /// download (a second pull of one layer waits for the first to finish it).
    pub fn exclusive_unbounded(path: &Path) -> anyhow::Result<FileLock> {
        Self::lock(path, true, None)
    }

    /// Try an exclusive lock without waiting; `Ok(None)` when someone else holds it.
    pub fn try_exclusive(path: &Path) -> anyhow::Result<Option<FileLock>> {
        loop {
            let file = open_lock_file(path)?;
            if !try_flock(&file, path, true)? {
                return Ok(None);
            }
            if still_at(&file, path) {
                return Ok(Some(FileLock { _file: file }));
            }
        }
    }

    /// A lock counts only while its file is still the one at `path`: the store's tmp cleaner
    /// unlinks orphan lock files (under their lock), and a process that opened the file just
    /// before that, then got the lock, would hold a lock nobody else can see. It retries.
    fn lock(
        path: &Path,
        exclusive: bool,
        timeout: Option<std::time::Duration>,
    ) -> anyhow::Result<FileLock> {
        loop {
            let l = Self::lock_once(path, exclusive, timeout)?;
            if still_at(&l._file, path) {
                return Ok(l);
            }
        }
    }

    fn lock_once(
        path: &Path,
        exclusive: bool,
        timeout: Option<std::time::Duration>,
    ) -> anyhow::Result<FileLock> {
        let file = open_lock_file(path)?;
        if try_flock(&file, path, exclusive)? {
            return Ok(FileLock { _file: file });
        }
        let Some(timeout) = timeout else {
            let op = if exclusive {
                rustix::fs::FlockOperation::LockExclusive
            } else {
                rustix::fs::FlockOperation::LockShared
            };
            loop {
                match rustix::fs::flock(file.as_fd(), op) {
                    Ok(()) => return Ok(FileLock { _file: file }),
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(e) => return Err(e).with_context(|| format!("locking {}", path.display())),
                }
            }
        };
        // flock has no timeout of its own; poll with a growing pause (1 ms … 50 ms), so a
        // short critical section of another rctr costs us about as much as it takes.
        let start = std::time::Instant::now();
        let mut pause = std::time::Duration::from_millis(1);
        while start.elapsed() < timeout {
            std::thread::sleep(pause);
            pause = (pause * 2).min(std::time::Duration::from_millis(50));
            if try_flock(&file, path, exclusive)? {
                return Ok(FileLock { _file: file });
            }
        }
        anyhow::bail!(
            "timed out after {} s waiting for the lock {}, held by {}: wait for it to finish or stop it",
            timeout.as_secs(),
            path.display(),
            lock_holder(&file).unwrap_or_else(|| "another process".into())
        )
    }
}

fn try_flock(file: &File, path: &Path, exclusive: bool) -> anyhow::Result<bool> {
    use rustix::fs::FlockOperation as Op;
    let op = if exclusive {
        Op::NonBlockingLockExclusive
    } else {
        Op::NonBlockingLockShared
    };
    loop {
        match rustix::fs::flock(file.as_fd(), op) {
            Ok(()) => return Ok(true),
            Err(rustix::io::Errno::WOULDBLOCK) => return Ok(false),
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e).with_context(|| format!("locking {}", path.display())),
        }
    }
}

/// "pid N (command line)" of a process holding a flock on `file`'s inode, from /proc/locks.
fn lock_holder(file: &File) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = file.metadata().ok()?;
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    let pid = holder_in(&locks, m.dev(), m.ino())?;
    let cmd = std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| {
            let s: Vec<String> = b
                .split(|c| *c == 0)
                .filter(|a| !a.is_empty())
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            s.join(" ")
        })
        .unwrap_or_default();
    Some(if cmd.is_empty() {
        format!("pid {pid}")
    } else {
        format!("pid {pid} ({cmd})")
    })
}

/// The pid holding a FLOCK on (dev, ino) in /proc/locks text. Lines look like
/// `1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF`; waiters (`1: -> FLOCK …`) are skipped.
fn holder_in(locks: &str, dev: u64, ino: u64) -> Option<u32> {
    let want = format!(
        "{:02x}:{:02x}:{ino}",
        libc::major(dev as libc::dev_t),
        libc::minor(dev as libc::dev_t)
    );
    locks.lines().find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        (f.get(1) == Some(&"FLOCK") && f.get(5) == Some(&want.as_str()))
            .then(|| f.get(4)?.parse().ok())
            .flatten()
    })
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

/// 32 random bytes as 64 lowercase hex digits (podman/docker container IDs).
pub fn random_id() -> anyhow::Result<String> {
    loop {
        let mut b = [0u8; 32];
        fill_random(&mut b)?;
        let id = hex::encode(b);
        // Like docker's stringid: a short ID made only of digits reads like a number (and
        // `ps -n 5`-style arguments), so draw again.
        if !id[..12].bytes().all(|c| c.is_ascii_digit()) {
            return Ok(id);
        }
    }
}

/// Fill `buf` from getrandom(2).
pub fn fill_random(buf: &mut [u8]) -> anyhow::Result<()> {
    let mut off = 0;
    while off < buf.len() {
        // SAFETY: writes at most buf.len()-off bytes into the slice.
        let n = unsafe { libc::getrandom(buf[off..].as_mut_ptr().cast(), buf.len() - off, 0) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(e).context("getrandom");
        }
        off += n as usize;
    }
    Ok(())
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
    fn bounded_wait_names_the_holder() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("lock");
        let _held = FileLock::exclusive(&p).unwrap();
        // A second open file description of the same file contends like another process.
        let file = open_lock_file(&p).unwrap();
        assert!(!try_flock(&file, &p, true).unwrap());
        let holder = lock_holder(&file).unwrap();
        assert!(
            holder.starts_with(&format!("pid {}", std::process::id())),
            "{holder}"
        );
        let e = FileLock::lock(&p, false, Some(std::time::Duration::from_millis(30)))
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("timed out") && e.contains("held by pid"), "{e}");
    }

    #[test]
    fn proc_locks_parsing() {
        let t = "1: FLOCK  ADVISORY  WRITE 77 fd:01:99 0 EOF\n1: -> FLOCK  ADVISORY  WRITE 78 fd:01:99 0 EOF\n2: POSIX  ADVISORY  WRITE 5 00:1a:99 0 EOF\n";
        let dev = libc::makedev(0xfd, 1);
        assert_eq!(holder_in(t, dev, 99), Some(77));
        assert_eq!(holder_in(t, dev, 98), None);
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
