//! The monitor's loop: one poll(2) over the container's output, the caller's stdin, a
//! signalfd and a pidfd of the runtime helper. Output goes to the log (and, attached, to our
//! stdout/stderr) as soon as it is read, so a container that floods its output never blocks
//! on a full pipe; signals are forwarded to the container's PID 1; the helper's exit ends it.
use super::log::{LogWriter, Stream};
use crate::container::{live, now_rfc3339, Container, Status};
use crate::context::Context;
use crate::runtime::Started;
use nix::sys::signal::{SigSet, Signal};
use nix::sys::signalfd::{SfdFlags, SignalFd};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};

/// Where the container's stdio is connected on our side.
pub struct Io {
    /// Read ends of the container's stdout and stderr (or the pty master as `stdout`).
    pub stdout: Option<OwnedFd>,
    pub stderr: Option<OwnedFd>,
    /// Write end of the container's stdin (or the pty master again, for a terminal).
    pub stdin: Option<OwnedFd>,
    /// Attached: copy output to our own stdout/stderr and our stdin to the container.
    pub attached: bool,
    /// The container has a terminal (`stdout` is the pty master): forward window size.
    pub tty: bool,
    /// We are a child subreaper (the detached monitor): helpers orphaned by the container's
    /// runtime are our children and are killed when it exits.
    pub reap_orphans: bool,
}

/// Signals forwarded to the container (what conmon/podman's sig-proxy forward).
pub const FORWARDED_SIGNALS: &[Signal] = &[
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
    Signal::SIGWINCH,
];

fn set_nonblocking(fd: RawFd) {
    // SAFETY: fcntl on an fd we own.
    unsafe {
        let fl = libc::fcntl(fd, libc::F_GETFL);
        if fl >= 0 {
            libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK);
        }
    }
}

fn write_all_fd(fd: RawFd, mut data: &[u8]) {
    while !data.is_empty() {
        // SAFETY: write from a valid slice.
        let n = unsafe { libc::write(fd, data.as_ptr().cast(), data.len()) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            match e.kind() {
                std::io::ErrorKind::Interrupted => continue,
                std::io::ErrorKind::WouldBlock => {
                    let mut p = libc::pollfd {
                        fd,
                        events: libc::POLLOUT,
                        revents: 0,
                    };
                    // SAFETY: one valid pollfd.
                    unsafe { libc::poll(&mut p, 1, 1000) };
                    continue;
                }
                _ => return, // the reader went away: drop the output, keep logging
            }
        }
        data = &data[n as usize..];
    }
}

/// Read what is available on `fd`; Ok(false) at EOF.
fn pump(fd: RawFd, buf: &mut [u8], mut sink: impl FnMut(&[u8])) -> bool {
    loop {
        // SAFETY: read into a valid buffer.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n > 0 {
            sink(&buf[..n as usize]);
            // Return to poll after one buffer so no stream or the exit check starves.
            return true;
        }
        if n == 0 {
            return false;
        }
        let e = std::io::Error::last_os_error();
        match e.kind() {
            std::io::ErrorKind::Interrupted => continue,
            std::io::ErrorKind::WouldBlock => return true,
            // EIO on a pty master: the slave side is gone for good.
            _ => return false,
        }
    }
}

/// Record the start (then call `on_running`), supervise until the container exits, record
/// the exit, honour `--rm`. Returns the container's exit code (128+N for signal N).
pub fn supervise(
    ctx: &Context,
    c: &mut Container,
    mut started: Started,
    io: Io,
    on_running: &mut dyn FnMut(),
) -> anyhow::Result<u8> {
    let me = live::identify(std::process::id() as i32);
    let pid = live::identify(started.pid);
    let boot = live::boot_id();
    c.update(|r| {
        r.state.status = Status::Running;
        r.state.pid = Some(started.pid);
        r.state.pid_start = pid.map(|p| p.start);
        r.state.monitor_pid = me.map(|p| p.pid);
        r.state.monitor_start = me.map(|p| p.start);
        r.state.boot_id = Some(boot);
        r.state.started_at = Some(now_rfc3339());
        r.state.finished_at = None;
        r.state.exit_code = None;
        r.state.error = None;
    })?;
    // Live state for tools that look for it (podman's pidfile / conmon.pid); liveness itself
    // is decided from the record (PID + start time + boot ID), never from these files.
    if let Ok(d) = c.ensure_run_dir(ctx) {
        let _ = std::fs::write(d.join("pidfile"), started.pid.to_string());
        let _ = std::fs::write(d.join("monitor.pid"), std::process::id().to_string());
    }
    on_running();
    let reap = io.reap_orphans;
    let code = pump_until_exit(c, &mut started, io)?;
    if reap {
        kill_orphans();
    }
    finish(ctx, c, code, None)?;
    Ok(code)
}

/// Record the exit (`why` for abnormal ends) and honour `--rm`.
pub fn finish(
    ctx: &Context,
    c: &mut Container,
    code: u8,
    why: Option<String>,
) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(c.run_dir());
    let recorded = c.update(|r| {
        r.state.status = Status::Exited;
        r.state.exit_code = Some(code as i32);
        r.state.finished_at = Some(now_rfc3339());
        r.state.error = why;
    });
    if c.rec.auto_remove {
        // Already removed by someone (`rm -f`) is fine.
        let _ = crate::ops::remove_with_volumes(ctx, c);
        return Ok(());
    }
    recorded
}

fn pump_until_exit(c: &Container, started: &mut Started, io: Io) -> anyhow::Result<u8> {
    // The record's `--log-opt max-size` (or the default cap): the same for `-d` and
    // foreground runs, both of which supervise from here.
    let mut log = LogWriter::open(&c.log_path(), c.rec.log.cap())?;
    let mut mask = SigSet::empty();
    for s in FORWARDED_SIGNALS {
        mask.add(*s);
    }
    mask.thread_block()?;
    let sfd = SignalFd::with_flags(&mask, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)?;
    // SAFETY: pidfd_open of our own child (not reaped yet, so its PID cannot be reused).
    let hfd = unsafe { libc::syscall(libc::SYS_pidfd_open, started.helper_pid() as i32, 0) };
    if hfd < 0 {
        anyhow::bail!("pidfd_open: {}", std::io::Error::last_os_error());
    }
    // SAFETY: fresh fd owned here.
    let hfd = unsafe { OwnedFd::from_raw_fd(hfd as i32) };
    let mut out = io.stdout;
    let mut err = io.stderr;
    let mut cin = io.stdin;
    for f in [&out, &err].into_iter().flatten() {
        set_nonblocking(f.as_raw_fd());
    }
    let mut our_stdin_open = io.attached && cin.is_some();
    if io.tty && io.attached {
        if let (Some((r, col)), Some(m)) = (crate::runtime::pty::winsize(0), &out) {
            crate::runtime::pty::set_winsize(m.as_raw_fd(), r, col);
        }
    }
    let mut buf = vec![0u8; 64 * 1024];
    let mut exited: Option<u8> = None;
    let mut drain_deadline: Option<std::time::Instant> = None;
    loop {
        if exited.is_some() && out.is_none() && err.is_none() {
            break;
        }
        let mut fds: Vec<libc::pollfd> = Vec::with_capacity(5);
        let mut tags: Vec<u8> = Vec::with_capacity(5);
        let mut add = |fd: RawFd, tag: u8| {
            fds.push(libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            });
            tags.push(tag);
        };
        if let Some(f) = &out {
            add(f.as_raw_fd(), b'o');
        }
        if let Some(f) = &err {
            add(f.as_raw_fd(), b'e');
        }
        if exited.is_none() {
            add(hfd.as_raw_fd(), b'h');
            add(sfd.as_fd().as_raw_fd(), b's');
            if our_stdin_open {
                add(0, b'i');
            }
        }
        let timeout = match drain_deadline {
            // After the exit, output still buffered in the pipes is read; a writer that
            // escaped the container (it cannot: the PID namespace dies with PID 1) would
            // otherwise keep us here forever.
            Some(d) => d
                .saturating_duration_since(std::time::Instant::now())
                .as_millis() as i32,
            None => -1,
        };
        // SAFETY: fds is a valid array of pollfd.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            anyhow::bail!("poll: {}", std::io::Error::last_os_error());
        }
        if n == 0 && drain_deadline.is_some() {
            break;
        }
        for (p, tag) in fds.iter().zip(&tags) {
            if p.revents == 0 {
                continue;
            }
            match tag {
                b'o' | b'e' => {
                    let (slot, stream, fwd) = if *tag == b'o' {
                        (&mut out, Stream::Stdout, 1)
                    } else {
                        (&mut err, Stream::Stderr, 2)
                    };
                    let Some(f) = slot.as_ref() else { continue };
                    let open = pump(f.as_raw_fd(), &mut buf, |chunk| {
                        // A full disk must not stop the container: logging is best effort.
                        let _ = log.write_chunk(stream, chunk);
                        if io.attached {
                            write_all_fd(fwd, chunk);
                        }
                    });
                    if !open {
                        *slot = None;
                    }
                }
                b'i' => {
                    // SAFETY: read into a valid buffer from our stdin.
                    let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
                    if n > 0 {
                        if let Some(w) = &cin {
                            write_all_fd(w.as_raw_fd(), &buf[..n as usize]);
                        }
                    } else if n == 0
                        || std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted
                    {
                        our_stdin_open = false;
                        // EOF on our stdin closes the container's (a pty master stays: the
                        // terminal's EOF is a ^D byte, already forwarded).
                        if !io.tty {
                            cin = None;
                        }
                    }
                }
                b's' => {
                    while let Ok(Some(si)) = sfd.read_signal() {
                        let sig = si.ssi_signo as i32;
                        if sig == libc::SIGWINCH {
                            if let (true, Some(m), Some((r, col))) =
                                (io.tty, &out, crate::runtime::pty::winsize(0))
                            {
                                crate::runtime::pty::set_winsize(m.as_raw_fd(), r, col);
                            }
                            continue;
                        }
                        let _ = started.signal(sig);
                    }
                }
                b'h' => {
                    exited = Some(started.wait()?);
                    cin = None;
                    drain_deadline =
                        Some(std::time::Instant::now() + std::time::Duration::from_secs(2));
                }
                _ => {}
            }
        }
    }
    let _ = mask.thread_unblock();
    drop(cin);
    match exited {
        Some(c) => Ok(c),
        None => Ok(started.wait()?),
    }
}

/// As a child subreaper, orphaned helpers (fuse-overlayfs, network helpers) end up as our
/// children: they live exactly as long as the container, so kill and reap them now.
pub fn kill_orphans() {
    let me = std::process::id().to_string();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let ppid = stat
            .rfind(')')
            .and_then(|i| stat[i + 2..].split(' ').nth(1));
        if ppid == Some(me.as_str()) {
            // SAFETY: plain kill of our own child, then reap it.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, std::ptr::null_mut(), 0);
            }
        }
    }
}
