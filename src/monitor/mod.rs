//! The per-container monitor: what conmon is to podman, built into rctr.
//!
//! It starts the container through the runtime (`runtime::start`), records it running,
//! copies its stdout/stderr into the k8s-file log (never letting a full pipe block the
//! container), forwards signals, reaps it, records the exit code and finish time, kills the
//! helpers it leaves behind, removes `--rm` containers, and exits when the container does.
//! It lives outside the container's namespaces (and, with systemd, must stay outside the
//! container's scope: an OOM kill of the scope would take the monitor with it).
//!
//! Two ways in, one loop ([`supervise`]):
//! - [`start_detached`] (`run -d`, `start`): a `__monitor` re-exec that detaches (setsid,
//!   double fork, stdio on /dev/null) and says "running" (or why not) over a pipe; the
//!   caller returns as soon as the container runs.
//! - [`run_foreground`] (`run` without `-d`, `start -a`): the same loop in this process,
//!   with output also copied to our stdout/stderr, stdin forwarded with `-i`, a raw terminal
//!   and window size forwarding with `-t`.
pub mod event;
pub mod log;
pub mod logread;
pub mod ready;
mod supervise;

pub use supervise::{finish, signal_mask, supervise, Io, FORWARDED_SIGNALS};

use crate::container::{Container, ContainerError};
use crate::context::{Context, ContextOptions};
use crate::error::ExitError;
use crate::wire::{Failure, FailureKind};
use anyhow::Context as _;
use std::ffi::OsString;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{ExitCode, Stdio};

/// Start `c` (status created or exited) under a detached monitor. Returns once the
/// container's command runs; a start failure comes back as an [`ExitError`] with podman's
/// code (125/126/127) and the runtime's message.
pub fn start_detached(ctx: &Context, c: &mut Container) -> anyhow::Result<()> {
    warn_linger(ctx);
    let _starting = start_lock(c)?;
    let (r, w) = pipe()?;
    let wfd = w.as_raw_fd();
    let mut cmd = crate::userns::self_command("__monitor");
    cmd.arg(c.id())
        .arg(wfd.to_string())
        .arg(&ctx.data_dir)
        .arg(&ctx.runtime_base)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setsid and fcntl are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            // Its own session: no controlling terminal, so closing the terminal that ran
            // `run -d` sends it no SIGHUP.
            if libc::setsid() < 0 || libc::fcntl(wfd, libc::F_SETFD, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().context("starting the container monitor")?;
    drop(w);
    let said = ready::read(r);
    // The first fork exits right after the second one; reap it.
    let _ = child.wait();
    if let Some(ready::Ready::Failed(f)) = said {
        return Err(ExitError::from(f).into());
    }
    if !matches!(said, Some(ready::Ready::Running)) {
        c.reload()?;
        let why = c
            .rec
            .state
            .error
            .clone()
            .unwrap_or_else(|| "no reason recorded".into());
        anyhow::bail!("the container monitor exited before the container started: {why}");
    }
    c.reload()?;
    Ok(())
}

/// How an attached (foreground) run connects to the terminal.
#[derive(Debug, Clone, Copy, Default)]
pub struct Foreground {
    /// `-i`: forward our stdin to the container.
    pub interactive: bool,
}

/// Run `c` with the monitor loop in this process (the container is our child): output goes to
/// the log AND our stdout/stderr; `-i` forwards stdin; a terminal (the spec's
/// `process.terminal`) puts ours in raw mode. Returns the container's exit code.
pub fn run_foreground(ctx: &Context, c: &mut Container, fg: Foreground) -> anyhow::Result<u8> {
    let mut starting = Some(start_lock(c)?);
    let started = start_runtime(ctx, c, fg.interactive)?;
    let (started, io) = (started.0, started.1);
    let _raw = if io.tty && fg.interactive {
        crate::runtime::pty::RawMode::enter(0)
    } else {
        None
    };
    let io = Io {
        attached: true,
        stdin: if fg.interactive { io.stdin } else { None },
        ..io
    };
    supervise(ctx, c, started, io, &mut || drop(starting.take()))
}

/// Serialize starts of one container: held from "not running" until "running" (or failed),
/// so two concurrent `start`s cannot both run it (the second one sees it running). Not the
/// record lock: the monitor takes that one to record the start.
fn start_lock(c: &mut Container) -> anyhow::Result<crate::fsutil::FileLock> {
    let lock = crate::fsutil::FileLock::exclusive(&c.dir().join("start.lock"))?;
    if !c.reload()? {
        return Err(ContainerError::NotFound(c.id().to_string()).into());
    }
    if c.state().status == crate::container::Status::Running {
        return Err(ExitError::new(
            crate::error::EXIT_ENGINE,
            format!("container {} is already running", c.name()),
        )
        .into());
    }
    Ok(lock)
}

/// Start the runtime with pipes (or the pty it returns); on failure record why, honour
/// `--rm`, and return podman's exit code as an [`ExitError`].
fn start_runtime(
    ctx: &Context,
    c: &mut Container,
    stdin_pipe: bool,
) -> anyhow::Result<(crate::runtime::Started, Io)> {
    let store = crate::storage::Store::open(ctx)?;
    let (out_r, out_w) = pipe()?;
    let (err_r, err_w) = pipe()?;
    let (in_r, in_w) = if stdin_pipe {
        let (r, w) = pipe()?;
        (Stdio::from(r), Some(w))
    } else {
        (Stdio::null(), None)
    };
    let opts = crate::runtime::StartOptions {
        stdin: in_r,
        stdout: Stdio::from(out_w),
        stderr: Stdio::from(err_w),
        remove_rootfs: c.rec.auto_remove,
        trace: ctx.debug,
    };
    let mapping = c
        .rec
        .idmapping
        .clone()
        .unwrap_or_else(|| store.mapping().clone());
    match crate::runtime::start(&c.bundle_dir(), &mapping, opts) {
        Ok(mut started) => {
            let io = match started.pty.take() {
                Some(m) => {
                    let m2 = m.try_clone()?;
                    Io {
                        stdout: Some(m),
                        stderr: None,
                        stdin: Some(m2),
                        attached: false,
                        tty: true,
                        reap_orphans: false,
                    }
                }
                None => Io {
                    stdout: Some(out_r),
                    stderr: Some(err_r),
                    stdin: in_w,
                    attached: false,
                    tty: false,
                    reap_orphans: false,
                },
            };
            Ok((started, io))
        }
        Err(f) => {
            let code = f.exit_code();
            let msg = f.to_string();
            let _ = c.update(|r| r.state.error = Some(msg.clone()));
            if c.rec.auto_remove {
                let _ = crate::ops::remove_with_volumes(ctx, c);
            }
            Err(ExitError::new(code, msg).into())
        }
    }
}

fn pipe() -> anyhow::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two fds we then own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } < 0 {
        return Err(std::io::Error::last_os_error()).context("pipe2");
    }
    // SAFETY: fresh fds.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// Hidden `__monitor ID READY-FD DATA-DIR RUNTIME-BASE` (see [`start_detached`]).
pub fn main(args: &[OsString]) -> anyhow::Result<ExitCode> {
    let [id, fd, root, runroot] = args else {
        anyhow::bail!("usage: __monitor ID FD ROOT RUNROOT");
    };
    let fd: i32 = fd.to_str().and_then(|s| s.parse().ok()).context("bad fd")?;
    // SAFETY: the fd was handed to us by start_detached and is ours alone.
    let ready = ready::writer(unsafe { OwnedFd::from_raw_fd(fd) });
    // Nothing we start may inherit it: `run -d` reads until it closes.
    // SAFETY: fcntl on our own fd.
    unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    // We outlive the command that started us: keep none of its other descriptors (a pipe
    // it forgot to mark close-on-exec would stay open for the container's lifetime).
    // SAFETY: close_range on fds this fresh process does not use (all but stdio and `fd`).
    unsafe {
        if fd > 3 {
            libc::syscall(libc::SYS_close_range, 3u32, (fd - 1) as u32, 0u32);
        }
        libc::syscall(libc::SYS_close_range, (fd + 1) as u32, u32::MAX, 0u32);
    }
    // Second fork: the session leader exits, so the monitor can never reacquire a
    // controlling terminal, and it is reparented away from `run -d` (no zombie there).
    // SAFETY: single-threaded here (a fresh re-exec dispatched before anything else).
    match unsafe { libc::fork() } {
        -1 => anyhow::bail!("fork: {}", std::io::Error::last_os_error()),
        0 => {}
        // SAFETY: leave without running destructors or atexit handlers of the parent.
        _ => unsafe { libc::_exit(0) },
    }
    // Orphans of the container's helpers become our children, so none outlives the container.
    // SAFETY: prctl with integer arguments.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
    let opts = ContextOptions {
        root: Some(root.into()),
        runroot: Some(runroot.into()),
        ..Default::default()
    };
    let ctx = Context::from_env(&opts)?;
    // The dirs we were handed are checked again: nothing is read or written (the pidfile,
    // the record) in a directory another user could have put in our way.
    ctx.secure_dirs()?;
    crate::fsutil::set_lock_timeout(ctx.lock_timeout);
    let id = id.to_string_lossy().into_owned();
    let mut c = match Container::load(&ctx, &id)? {
        Some(c) => c,
        None => {
            let msg = ContainerError::NotFound(id).to_string();
            let f = Failure::new(FailureKind::Runtime, msg);
            let _ = ready.send(&ready::Ready::Failed(f));
            return Ok(ExitCode::from(125));
        }
    };
    let (started, mut io) = match start_runtime(&ctx, &mut c, false) {
        Ok(s) => s,
        Err(e) => {
            let f = Failure::from_error(&e);
            let code = f.code();
            let _ = ready.send(&ready::Ready::Failed(f));
            return Ok(ExitCode::from(code));
        }
    };
    io.reap_orphans = true;
    let mut ready = Some(ready);
    let c_for_cache = c.clone();
    let res = supervise(&ctx, &mut c, started, io, &mut || {
        if let Some(r) = ready.take() {
            let _ = r.send(&ready::Ready::Running);
        }
        // After `run -d` has returned: make the first `exec` as fast as the next ones.
        crate::container::exec::precompile_seccomp(&c_for_cache);
    });
    match res {
        Ok(code) => Ok(ExitCode::from(code)),
        Err(e) => {
            let why = format!("container monitor: {e:#}");
            let _ = c.update(|r| r.state.error = Some(why));
            Err(e)
        }
    }
}

/// Warn when systemd-logind will kill a detached container at logout (KillUserProcesses=yes
/// without linger, podman#12001). Silent when logind is not in use (no systemd as PID 1).
fn warn_linger(ctx: &Context) {
    if !std::path::Path::new("/run/systemd/system").exists() {
        return;
    }
    let Some(user) = ctx.user.as_deref() else {
        return;
    };
    if std::path::Path::new("/var/lib/systemd/linger")
        .join(user)
        .exists()
    {
        return;
    }
    let mut files = vec![std::path::PathBuf::from("/etc/systemd/logind.conf")];
    if let Ok(rd) = std::fs::read_dir("/etc/systemd/logind.conf.d") {
        let mut more: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        more.sort();
        files.extend(more);
    }
    let mut kill = false;
    for f in files {
        for line in std::fs::read_to_string(f).unwrap_or_default().lines() {
            if let Some(v) = line.trim().strip_prefix("KillUserProcesses=") {
                kill = matches!(v.trim(), "yes" | "true" | "1" | "on");
            }
        }
    }
    if kill {
        eprintln!(
            "Warning: systemd-logind kills your processes at logout (KillUserProcesses=yes) and {user} has no linger: this container will stop when you log out; run `loginctl enable-linger {user}` to keep it"
        );
    }
}
