//! The monitor's loop: an event table (`super::event`) over the container's output, the
//! caller's stdin, a signalfd and a pidfd of the runtime helper. Output goes to the log (and, attached, to our
//! stdout/stderr) as soon as it is read, so a container that floods its output never blocks
//! on a full pipe; signals are forwarded to the container's PID 1; the helper's exit ends it.
use super::event::{self, EventLoop, Flow, Interest, SourceId};
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
    /// The container's user-mode network stack: polled by the loop, dropped (its host
    /// sockets closed) when the container exits.
    pub net: Vec<Box<dyn event::Poller>>,
    /// Lines for the user from the start (limits that could not be applied), printed by
    /// whoever has the user's stderr.
    pub warnings: Vec<String>,
}

/// Signals forwarded to the container's PID 1 (what conmon/podman's sig-proxy forward).
pub const FORWARDED_SIGNALS: &[Signal] = &[
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
    Signal::SIGUSR1,
    Signal::SIGUSR2,
];

/// Every signal the monitor reads from its signalfd: the forwarded ones and SIGWINCH (our
/// terminal's new size, passed on to the container's pty, never forwarded). A foreground
/// run blocks these before the container starts, so none is lost in between.
pub fn signal_mask() -> SigSet {
    let mut mask = SigSet::empty();
    for s in FORWARDED_SIGNALS {
        mask.add(*s);
    }
    mask.add(Signal::SIGWINCH);
    mask
}

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
        r.state.oom_killed = false;
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
    // The cgroup watcher's verdict, left before the loop ended (see `monitor::cgroup`).
    let oom = super::cgroup::oom_killed(c.run_dir(), code);
    let _ = std::fs::remove_dir_all(c.run_dir());
    let recorded = c.update(|r| {
        r.state.oom_killed = oom;
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

/// What the loop's handlers share (see [`pump_until_exit`]).
struct Pump<'a> {
    started: &'a mut Started,
    log: LogWriter,
    /// Read ends of the container's output (the pty master as `out`); `None` once at EOF.
    out: Option<OwnedFd>,
    err: Option<OwnedFd>,
    /// Write end of the container's stdin (or the pty master again).
    cin: Option<OwnedFd>,
    attached: bool,
    tty: bool,
    sfd: SignalFd,
    buf: Vec<u8>,
    exited: Option<u8>,
    /// Sources that end with the container: our stdin and the signalfd.
    until_exit: Vec<SourceId>,
}

type Loop<'a> = EventLoop<'static, Pump<'a>>;

impl Pump<'_> {
    /// Copy what `stream` has to the log (and, attached, to our stdout/stderr).
    fn output(&mut self, stream: Stream) -> anyhow::Result<Flow> {
        let (slot, fwd) = match stream {
            Stream::Stdout => (&mut self.out, 1),
            Stream::Stderr => (&mut self.err, 2),
        };
        let Some(f) = slot.as_ref() else {
            return Ok(Flow::Remove);
        };
        let (log, attached) = (&mut self.log, self.attached);
        let open = pump(f.as_raw_fd(), &mut self.buf, |chunk| {
            // A full disk must not stop the container: logging is best effort.
            let _ = log.write_chunk(stream, chunk);
            if attached {
                write_all_fd(fwd, chunk);
            }
        });
        if open {
            return Ok(Flow::Keep);
        }
        *slot = None;
        Ok(Flow::Remove)
    }

    fn stdin(&mut self) -> anyhow::Result<Flow> {
        // SAFETY: read into a valid buffer from our stdin.
        let n = unsafe { libc::read(0, self.buf.as_mut_ptr().cast(), self.buf.len()) };
        if n > 0 {
            if let Some(w) = &self.cin {
                write_all_fd(w.as_raw_fd(), &self.buf[..n as usize]);
            }
            return Ok(Flow::Keep);
        }
        if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
            return Ok(Flow::Keep);
        }
        // EOF on our stdin closes the container's (a pty master stays: the terminal's EOF
        // is a ^D byte, already forwarded).
        if !self.tty {
            self.cin = None;
        }
        Ok(Flow::Remove)
    }

    fn signals(&mut self) -> anyhow::Result<Flow> {
        while let Ok(Some(si)) = self.sfd.read_signal() {
            let sig = si.ssi_signo as i32;
            if sig == libc::SIGWINCH {
                self.forward_winsize();
                continue;
            }
            let _ = self.started.signal(sig);
        }
        Ok(Flow::Keep)
    }

    /// Our terminal's size onto the container's (attached with a terminal only).
    fn forward_winsize(&self) {
        if let (true, Some(m), Some((r, col))) =
            (self.tty, &self.out, crate::runtime::pty::winsize(0))
        {
            crate::runtime::pty::set_winsize(m.as_raw_fd(), r, col);
        }
    }

    /// The helper exited: reap it, stop taking input and signals, and give the output
    /// still buffered in the pipes [`DRAIN`] to be read.
    fn helper_exited(&mut self, lp: &mut Loop<'_>) -> anyhow::Result<Flow> {
        self.exited = Some(self.started.wait()?);
        self.cin = None;
        for id in self.until_exit.drain(..) {
            lp.remove(id);
        }
        // A writer that escaped the container (it cannot: the PID namespace dies with
        // PID 1) would otherwise keep us here forever.
        lp.add_timer(event::after(DRAIN), |_, lp| {
            lp.stop();
            Ok(())
        });
        Ok(Flow::Remove)
    }

    fn done(&self) -> bool {
        self.exited.is_some() && self.out.is_none() && self.err.is_none()
    }
}

/// How long output is still read after the container exited.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(2);

/// The event table: the container's stdout and stderr, the helper's pidfd (its exit ends
/// the container), the signalfd, and our stdin when attached, in that order.
fn pump_until_exit(c: &Container, started: &mut Started, io: Io) -> anyhow::Result<u8> {
    // The record's `--log-opt max-size` (or the default cap): the same for `-d` and
    // foreground runs, both of which supervise from here.
    let log = LogWriter::open(&c.log_path(), c.rec.log.cap())?;
    let mask = signal_mask();
    mask.thread_block()?;
    let sfd = SignalFd::with_flags(&mask, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)?;
    // SAFETY: pidfd_open of our own child (not reaped yet, so its PID cannot be reused).
    let hfd = unsafe { libc::syscall(libc::SYS_pidfd_open, started.helper_pid() as i32, 0) };
    if hfd < 0 {
        anyhow::bail!("pidfd_open: {}", std::io::Error::last_os_error());
    }
    // SAFETY: fresh fd owned here.
    let hfd = unsafe { OwnedFd::from_raw_fd(hfd as i32) };
    for f in [&io.stdout, &io.stderr].into_iter().flatten() {
        set_nonblocking(f.as_raw_fd());
    }
    let our_stdin = io.attached && io.stdin.is_some();
    let mut p = Pump {
        started,
        log,
        out: io.stdout,
        err: io.stderr,
        cin: io.stdin,
        attached: io.attached,
        tty: io.tty,
        sfd,
        buf: vec![0u8; 64 * 1024],
        exited: None,
        until_exit: Vec::new(),
    };
    if p.attached {
        p.forward_winsize();
    }
    let mut lp: Loop<'_> = EventLoop::new();
    for (f, stream) in [(&p.out, Stream::Stdout), (&p.err, Stream::Stderr)] {
        if let Some(f) = f {
            lp.add_source(
                f.as_raw_fd(),
                Interest::Readable,
                move |p: &mut Pump, _, _| p.output(stream),
            );
        }
    }
    lp.add_source(
        hfd.as_raw_fd(),
        Interest::Readable,
        |p: &mut Pump, lp, _| p.helper_exited(lp),
    );
    let s = lp.add_source(
        p.sfd.as_fd().as_raw_fd(),
        Interest::Readable,
        |p: &mut Pump, _, _| p.signals(),
    );
    p.until_exit.push(s);
    if our_stdin {
        let s = lp.add_source(0, Interest::Readable, |p: &mut Pump, _, _| p.stdin());
        p.until_exit.push(s);
    }
    for p in io.net {
        lp.add_poller(p);
    }
    let res = lp.run(&mut p, Pump::done);
    // The network goes with the container: its host sockets close here, not at our exit.
    let t0 = std::time::Instant::now();
    drop(lp);
    log::debug!(
        "supervise: loop done, network stopped ({} µs)",
        t0.elapsed().as_micros()
    );
    let _ = mask.thread_unblock();
    res?;
    drop(p.cin.take());
    match p.exited {
        Some(c) => Ok(c),
        None => Ok(p.started.wait()?),
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
