//! What the running kernel's mount API can do, found out by trying (never from the version),
//! and the fallbacks for what it cannot. rctr's floor is Linux 5.10 (Debian 11).
//!
//! | feature                                   | first kernel | below it                               |
//! |-------------------------------------------|--------------|----------------------------------------|
//! | `mount_setattr(2)`                        | 5.12         | `mount(MS_REMOUNT\|MS_BIND)` after the attach, keeping the flags `statvfs` reports (the locked ones) |
//! | `open_tree(OPEN_TREE_CLONE)` of a detached mount | 6.15-ish (6.12 refuses it) | a fresh mount per path |
//! | overlay `fsconfig("lowerdir+")`           | 6.8          | classic `mount(2)` with one `lowerdir=` string (relative names when long; fsconfig takes only 256 bytes) |
//!
//! Each answer is remembered for the life of the process after the first refusal, so a kernel
//! that has the feature pays nothing and one that lacks it pays one failed syscall per start.
//! `rctr info` reports the same answers, found by the same functions (see `probe::kernel`).
use std::sync::atomic::{AtomicU8, Ordering};

/// A feature's state: not tried yet, present, absent.
pub struct Feature(AtomicU8);

const UNKNOWN: u8 = 0;
const YES: u8 = 1;
const NO: u8 = 2;

impl Feature {
    const fn new() -> Feature {
        Feature(AtomicU8::new(UNKNOWN))
    }
    /// `false` once the kernel refused it.
    pub fn maybe(&self) -> bool {
        self.0.load(Ordering::Relaxed) != NO
    }
    pub fn known(&self) -> Option<bool> {
        match self.0.load(Ordering::Relaxed) {
            YES => Some(true),
            NO => Some(false),
            _ => None,
        }
    }
    pub fn set(&self, have: bool) {
        self.0.store(if have { YES } else { NO }, Ordering::Relaxed);
    }
}

/// `mount_setattr(2)` (5.12).
pub static MOUNT_SETATTR: Feature = Feature::new();
/// Cloning a detached mount with `open_tree(fd, "", OPEN_TREE_CLONE|AT_EMPTY_PATH)`.
pub static CLONE_DETACHED: Feature = Feature::new();
/// Overlay's `lowerdir+` fsconfig key (6.8).
pub static OVERLAY_LOWERDIR_APPEND: Feature = Feature::new();

/// MOUNT_ATTR_* bits as the legacy `MS_*` flags `mount(2)` takes.
pub fn attr_to_ms(attr: u64) -> u64 {
    use super::mount::*;
    let mut ms = 0;
    for (a, m) in [
        (ATTR_RDONLY, libc::MS_RDONLY),
        (ATTR_NOSUID, libc::MS_NOSUID),
        (ATTR_NODEV, libc::MS_NODEV),
        (ATTR_NOEXEC, libc::MS_NOEXEC),
        (ATTR_NOATIME, libc::MS_NOATIME),
        (ATTR_STRICTATIME, libc::MS_STRICTATIME),
        (ATTR_NODIRATIME, libc::MS_NODIRATIME),
    ] {
        if attr & a == a {
            ms |= m;
        }
    }
    ms
}

/// The flags a mount has now (`statvfs`'s ST_*), as `MS_*`: a remount inside a user
/// namespace must repeat the ones the host locked, or it fails with EPERM (what runc does).
fn current_ms(path: &std::ffi::CStr) -> std::io::Result<u64> {
    // SAFETY: statvfs with a valid path and an out struct of the right type.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let mut ms = 0;
    for (s, m) in [
        (libc::ST_RDONLY, libc::MS_RDONLY),
        (libc::ST_NOSUID, libc::MS_NOSUID),
        (libc::ST_NODEV, libc::MS_NODEV),
        (libc::ST_NOEXEC, libc::MS_NOEXEC),
        (libc::ST_NOATIME, libc::MS_NOATIME),
        (libc::ST_NODIRATIME, libc::MS_NODIRATIME),
        (libc::ST_RELATIME, libc::MS_RELATIME),
    ] {
        if st.f_flag & s == s {
            ms |= m;
        }
    }
    Ok(ms)
}

/// Without `mount_setattr`: apply `set`/`clear` (MOUNT_ATTR_*) and `propagation` to the
/// *attached* mount at `path` with `mount(2)`. Only the top mount's flags change (a recursive
/// read-only bind is read-only at its top only, as with runc on these kernels).
pub fn remount(
    path: &std::path::Path,
    recursive: bool,
    set: u64,
    clear: u64,
    propagation: u64,
) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let p = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
    let mount = |flags: u64| {
        // SAFETY: valid C string, null source/type/data as MS_REMOUNT and MS_PRIVATE allow.
        let rc = unsafe {
            libc::mount(
                std::ptr::null(),
                p.as_ptr(),
                std::ptr::null(),
                flags as libc::c_ulong,
                std::ptr::null(),
            )
        };
        if rc != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    };
    if set != 0 || clear != 0 {
        let atime = libc::MS_NOATIME | libc::MS_STRICTATIME | libc::MS_RELATIME;
        let mut flags = current_ms(&p)?;
        let want = attr_to_ms(set);
        if want & atime != 0 {
            flags &= !atime;
        }
        flags = (flags | want) & !attr_to_ms(clear);
        mount(libc::MS_REMOUNT | libc::MS_BIND | flags)?;
    }
    if propagation != 0 {
        mount(propagation | if recursive { libc::MS_REC } else { 0 })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_bits_map_to_ms_flags() {
        use crate::runtime::mount::*;
        assert_eq!(
            attr_to_ms(ATTR_RDONLY | ATTR_NOSUID | ATTR_NODEV | ATTR_NOEXEC),
            libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC
        );
        assert_eq!(attr_to_ms(0), 0);
    }

    #[test]
    fn feature_remembers_a_refusal() {
        let f = Feature::new();
        assert!(f.maybe());
        assert_eq!(f.known(), None);
        f.set(false);
        assert!(!f.maybe());
        assert_eq!(f.known(), Some(false));
    }
}
