//! Running a started container in the caller's foreground (`rctr run` without `-d`): signals
//! the caller receives go to the container's PID 1, the pty (if any) is proxied to the
//! caller's terminal in raw mode, window-size changes follow, and the container's exit
//! status comes back.
use super::{pty, Started};
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicI32, Ordering};

/// Signals forwarded to the container (podman's --sig-proxy set, minus those that are about
/// the caller's own terminal or children).
const FORWARDED: [i32; 8] = [
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGTERM,
    libc::SIGALRM,
    libc::SIGCONT,
];

static SIG_PIPE_W: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_signal(sig: libc::c_int) {
    let fd = SIG_PIPE_W.load(Ordering::Relaxed);
    if fd >= 0 {
        let b = sig as u8;
        // SAFETY: write(2) is async-signal-safe; a full pipe just drops the byte.
        unsafe { libc::write(fd, &b as *const u8 as *const libc::c_void, 1) };
    }
}

/// Signal handlers that queue signals into a pipe, installed before the container starts so
/// that a Ctrl-C during start-up is forwarded rather than killing the caller.
pub struct SignalQueue {
    read: OwnedFd,
    _write: OwnedFd,
}

impl SignalQueue {
    pub fn install() -> std::io::Result<SignalQueue> {
        let (r, w) =
            nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC | nix::fcntl::OFlag::O_NONBLOCK)?;
        SIG_PIPE_W.store(w.as_raw_fd(), Ordering::Relaxed);
        for s in FORWARDED.iter().chain([libc::SIGWINCH].iter()) {
            // SAFETY: installing a handler that only calls write(2).
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                sa.sa_flags = libc::SA_RESTART;
                libc::sigaction(*s, &sa, std::ptr::null_mut());
            }
        }
        Ok(SignalQueue { read: r, _write: w })
    }

    fn drain(&self) -> Vec<i32> {
        let mut buf = [0u8; 64];
        let mut out = Vec::new();
        while let Ok(n) = nix::unistd::read(&self.read, &mut buf) {
            if n == 0 {
                break;
            }
            out.extend(buf[..n].iter().map(|b| *b as i32));
        }
        out
    }
}

impl Drop for SignalQueue {
    fn drop(&mut self) {
        SIG_PIPE_W.store(-1, Ordering::Relaxed);
        for s in FORWARDED.iter().chain([libc::SIGWINCH].iter()) {
            // SAFETY: restoring the default disposition.
            unsafe { libc::signal(*s, libc::SIG_DFL) };
        }
    }
}

fn set_nonblock(fd: RawFd) {
    // SAFETY: fcntl on a valid fd.
    unsafe {
        let fl = libc::fcntl(fd, libc::F_GETFL);
        libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK);
    }
}

fn write_all(fd: RawFd, mut buf: &[u8]) -> bool {
    while !buf.is_empty() {
        // SAFETY: writing from a valid buffer.
        let n = unsafe { libc::write(fd, buf.as_ptr() as *const libc::c_void, buf.len()) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            match e.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EAGAIN) => {
                    let mut p = [libc::pollfd {
                        fd,
                        events: libc::POLLOUT,
                        revents: 0,
                    }];
                    // SAFETY: poll on one valid fd.
                    unsafe { libc::poll(p.as_mut_ptr(), 1, 1000) };
                    continue;
                }
                _ => return false,
            }
        }
        buf = &buf[n as usize..];
    }
    true
}

/// Copy what is readable on `from` to `to`; false at end of file or error.
fn pump(from: RawFd, to: RawFd) -> bool {
    let mut buf = [0u8; 16384];
    loop {
        // SAFETY: reading into a valid buffer.
        let n = unsafe { libc::read(from, buf.as_mut_ptr() as *mut libc::c_void, buf.len()) };
        if n > 0 {
            if !write_all(to, &buf[..n as usize]) {
                return false;
            }
            continue;
        }
        if n < 0 {
            match std::io::Error::last_os_error().raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EAGAIN) => return true,
                _ => return false, // EIO: the pty's slave side is gone
            }
        }
        return false;
    }
}

/// Stay attached until the container exits; returns its exit status. `interactive` (`-i`)
/// forwards the caller's stdin to the pty.
pub fn attach(
    started: &mut Started,
    signals: &SignalQueue,
    interactive: bool,
) -> std::io::Result<u8> {
    let pidfd = rustix::process::pidfd_open(
        rustix::process::Pid::from_raw(started.helper_pid() as i32).expect("pid > 0"),
        rustix::process::PidfdFlags::empty(),
    )?;
    let master = started.pty.as_ref().map(|m| m.as_raw_fd());
    let _raw = match master {
        Some(_) if interactive => pty::RawMode::enter(0),
        Some(_) => pty::RawMode::output_only(1),
        None => None,
    };
    if let Some(m) = master {
        set_nonblock(m);
        if interactive {
            set_nonblock(0);
        }
    }
    let (mut stdin_open, mut master_open) = (interactive && master.is_some(), master.is_some());
    loop {
        let mut fds = vec![
            libc::pollfd {
                fd: signals.read.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: pidfd.as_fd().as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        if let (Some(m), true) = (master, master_open) {
            fds.push(libc::pollfd {
                fd: m,
                events: libc::POLLIN,
                revents: 0,
            });
        }
        if stdin_open {
            fds.push(libc::pollfd {
                fd: 0,
                events: libc::POLLIN,
                revents: 0,
            });
        }
        // SAFETY: poll on valid fds.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) };
        if n < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return Err(std::io::Error::last_os_error());
        }
        if fds[0].revents != 0 {
            for sig in signals.drain() {
                if sig == libc::SIGWINCH {
                    if let (Some(m), Some((r, c))) =
                        (master, pty::winsize(0).or_else(|| pty::winsize(1)))
                    {
                        pty::set_winsize(m, r, c);
                    }
                } else {
                    let _ = started.signal(sig);
                }
            }
        }
        for f in &fds[2..] {
            if f.revents == 0 {
                continue;
            }
            if Some(f.fd) == master {
                master_open = pump(f.fd, 1);
            } else if f.fd == 0 && !pump(0, master.unwrap_or(-1)) {
                stdin_open = false;
            }
        }
        if fds[1].revents != 0 {
            if let (Some(m), true) = (master, master_open) {
                pump(m, 1);
            }
            break;
        }
    }
    if interactive && master.is_some() {
        // Give the caller's shell back a blocking stdin.
        // SAFETY: fcntl on fd 0.
        unsafe {
            let fl = libc::fcntl(0, libc::F_GETFL);
            libc::fcntl(0, libc::F_SETFL, fl & !libc::O_NONBLOCK);
        }
    }
    started.wait()
}
