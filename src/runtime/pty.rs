//! Terminals: the container's pty is allocated INSIDE the container, on its own devpts
//! instance (so the slave's path and owner are the container's), and the master is handed to
//! the caller over the start channel; the caller's terminal goes raw while attached.
use anyhow::{anyhow, Context as _};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::PathBuf;

/// Window size of the terminal on `fd`, if it is one.
pub fn winsize(fd: RawFd) -> Option<(u16, u16)> {
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ fills a winsize struct.
    if unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut ws) } == 0 && ws.ws_row > 0 {
        Some((ws.ws_row, ws.ws_col))
    } else {
        None
    }
}

/// Set the window size (rows, cols) of the terminal on `fd`.
pub fn set_winsize(fd: RawFd, rows: u16, cols: u16) {
    let ws = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCSWINSZ reads a winsize struct.
    unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &ws) };
}

/// A pty allocated from the container's `/dev/ptmx`: (master, slave, slave path).
pub fn open_in_container(size: Option<(u16, u16)>) -> anyhow::Result<(OwnedFd, OwnedFd, PathBuf)> {
    // SAFETY: plain open of a path; the returned fd is owned below.
    let m = unsafe {
        libc::open(
            c"/dev/ptmx".as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        )
    };
    if m < 0 {
        return Err(anyhow!(
            "opening /dev/ptmx in the container: {}",
            std::io::Error::last_os_error()
        ));
    }
    // SAFETY: m is a fresh fd we own.
    let master = unsafe { OwnedFd::from_raw_fd(m) };
    let unlock: libc::c_int = 0;
    let mut n: libc::c_uint = 0;
    // SAFETY: ioctls on our master fd with correctly typed arguments.
    unsafe {
        if libc::ioctl(m, libc::TIOCSPTLCK, &unlock) < 0
            || libc::ioctl(m, libc::TIOCGPTN, &mut n) < 0
        {
            return Err(anyhow!(
                "unlocking the pty: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
    // TIOCGPTPEER opens the slave through the master's own devpts instance: no path lookup
    // an image could redirect.
    // SAFETY: ioctl returning a new fd.
    let s = unsafe {
        libc::ioctl(
            m,
            libc::TIOCGPTPEER,
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        )
    };
    if s < 0 {
        return Err(anyhow!(
            "opening the pty slave: {}",
            std::io::Error::last_os_error()
        ));
    }
    // SAFETY: s is a fresh fd we own.
    let slave = unsafe { OwnedFd::from_raw_fd(s) };
    if let Some((r, c)) = size {
        set_winsize(s, r, c);
    }
    Ok((master, slave, PathBuf::from(format!("/dev/pts/{n}"))))
}

/// Make `slave` the controlling terminal and stdio of this (session-leader) process.
pub fn make_controlling(slave: &OwnedFd) -> anyhow::Result<()> {
    let s = slave.as_raw_fd();
    // SAFETY: ioctl/dup2 on fds we own.
    unsafe {
        if libc::ioctl(s, libc::TIOCSCTTY, 0) < 0 {
            return Err(anyhow!("TIOCSCTTY: {}", std::io::Error::last_os_error()));
        }
        for fd in 0..3 {
            if libc::dup2(s, fd) < 0 {
                return Err(anyhow!("dup2 pty: {}", std::io::Error::last_os_error()))
                    .context("stdio");
            }
        }
    }
    Ok(())
}

/// The caller's terminal in raw mode until dropped (restored on every exit path that unwinds
/// or returns; `rctr run` restores it before it exits with the container's status).
pub struct RawMode {
    fd: RawFd,
    saved: libc::termios,
}

impl RawMode {
    /// Put `fd` in raw mode if it is a terminal.
    pub fn enter(fd: RawFd) -> Option<RawMode> {
        Self::set(fd, true)
    }

    /// Only turn output post-processing off (the container's pty already turns "\n" into
    /// "\r\n"): for `-t` without `-i`, where the keyboard still belongs to rctr, so Ctrl-C
    /// raises SIGINT here and is forwarded.
    pub fn output_only(fd: RawFd) -> Option<RawMode> {
        Self::set(fd, false)
    }

    fn set(fd: RawFd, full: bool) -> Option<RawMode> {
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: tcgetattr/tcsetattr on a caller-owned fd with a valid termios.
        unsafe {
            if libc::isatty(fd) != 1 || libc::tcgetattr(fd, &mut t) != 0 {
                return None;
            }
            let saved = t;
            if full {
                libc::cfmakeraw(&mut t);
            } else {
                t.c_oflag &= !libc::OPOST;
            }
            if libc::tcsetattr(fd, libc::TCSANOW, &t) != 0 {
                return None;
            }
            Some(RawMode { fd, saved })
        }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        // SAFETY: restoring the attributes saved in `enter`.
        unsafe { libc::tcsetattr(self.fd, libc::TCSANOW, &self.saved) };
    }
}
