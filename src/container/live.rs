//! Liveness truth for recorded processes.
//!
//! A PID alone proves nothing: after the process dies the number is reused, and after a
//! reboot every recorded PID is meaningless. A process is "the same" only when its
//! `/proc/PID/stat` start time (clock ticks since boot) equals the one recorded when it was
//! started, on the same boot (`/proc/sys/kernel/random/boot_id`), and it is not a zombie.
use std::os::fd::{FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

/// Identity of a process as recorded in a container's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcId {
    pub pid: i32,
    pub start: u64,
}

/// `(state, starttime)` from `/proc/PID/stat`.
fn stat(pid: i32) -> Option<(char, u64)> {
    if pid <= 0 {
        return None;
    }
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // comm (field 2) may hold spaces and ')': the fields resume after the LAST ')'.
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let state = f.first()?.chars().next()?;
    let start = f.get(19)?.parse().ok()?; // field 22 overall
    Some((state, start))
}

/// The start time of `pid`, if it exists (zombies included).
pub fn start_time(pid: i32) -> Option<u64> {
    stat(pid).map(|(_, s)| s)
}

/// Identity of a live process (to record it).
pub fn identify(pid: i32) -> Option<ProcId> {
    start_time(pid).map(|start| ProcId { pid, start })
}

/// True when `p` is still running: same start time, not a zombie or dead task.
pub fn alive(p: ProcId) -> bool {
    matches!(stat(p.pid), Some((st, start)) if start == p.start && st != 'Z' && st != 'X')
}

/// This boot's ID (recorded beside PIDs: a reboot invalidates them).
pub fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// A pidfd for `p`, opened only if it is still the same process (checked after opening, so
/// a reused PID can never be signalled or waited on by mistake).
pub fn pidfd(p: ProcId) -> Option<OwnedFd> {
    // SAFETY: plain syscall; returns a new fd we own or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, p.pid, 0) };
    if fd < 0 {
        return None;
    }
    // SAFETY: fd was just returned by pidfd_open and is owned by nobody else.
    let fd = unsafe { OwnedFd::from_raw_fd(fd as i32) };
    alive(p).then_some(fd)
}

/// Send `sig` through a pidfd (no PID-reuse race). False when the process is gone.
pub fn signal(p: ProcId, sig: i32) -> bool {
    let Some(fd) = pidfd(p) else { return false };
    use std::os::fd::AsRawFd;
    // SAFETY: valid pidfd, null siginfo, flags 0.
    let r = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            fd.as_raw_fd(),
            sig,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    r == 0
}

/// Wait until `p` has exited, up to `timeout` (None = forever). Uses poll(2) on a pidfd: it
/// becomes readable the moment the process exits, so there is no sleep loop. Returns true
/// when the process is gone.
pub fn wait_exit(p: ProcId, timeout: Option<Duration>) -> bool {
    let Some(fd) = pidfd(p) else { return true };
    use std::os::fd::AsRawFd;
    let deadline = timeout.map(|t| Instant::now() + t);
    loop {
        let ms = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return !alive(p);
                }
                left.as_millis().min(i32::MAX as u128) as i32
            }
        };
        let mut pfd = libc::pollfd {
            fd: fd.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let r = unsafe { libc::poll(&mut pfd, 1, ms.max(-1)) };
        if r > 0 {
            return true;
        }
        if r < 0 && std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            // poll on pidfds unsupported (very old kernels): report the current truth.
            return !alive(p);
        }
        if r == 0 && deadline.is_some_and(|d| Instant::now() >= d) {
            return !alive(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_self_and_detects_reuse() {
        let me = identify(std::process::id() as i32).unwrap();
        assert!(alive(me));
        assert!(!alive(ProcId {
            start: me.start + 1,
            ..me
        }));
        assert!(!alive(ProcId { pid: -1, start: 0 }));
        assert!(!boot_id().is_empty());
    }

    #[test]
    fn waits_for_exit_with_pidfd() {
        let mut child = std::process::Command::new("sleep")
            .arg("0.2")
            .spawn()
            .unwrap();
        let p = identify(child.id() as i32).unwrap();
        assert!(!wait_exit(p, Some(Duration::from_millis(10))));
        let t = Instant::now();
        assert!(wait_exit(p, Some(Duration::from_secs(5))));
        assert!(t.elapsed() < Duration::from_secs(2));
        // Exited but not reaped: a zombie is not alive.
        assert!(!alive(p));
        child.wait().unwrap();
    }
}
