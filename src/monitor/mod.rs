//! The per-container monitor: what conmon is to podman, built into rctr.
//!
//! It starts the container through the runtime (`runtime::start`), records it running,
//! copies its stdout/stderr into the k8s-file log (never letting a full pipe block the
//! container), forwards signals, reaps it, records the exit code and finish time, kills the
//! helpers it leaves behind, removes `--rm` containers, and exits when the container does.
//! It lives outside the container's namespaces (and, with systemd, must stay outside the
//! container's scope: an OOM kill of the scope would take the monitor with it).
//!
//! Its parts, used by the engine's one start path (`engine::start`): [`launch`] (the one
//! call into `runtime::start`), [`supervise`] (the loop: log, signals, exit, `--rm`), and
//! [`main`], the detached `__monitor` re-exec (setsid, double fork, stdio on /dev/null) that
//! says "running" (or why not) over a pipe and then supervises until the container exits.
pub mod cgroup;
pub mod event;
pub mod log;
pub mod logread;
mod net;
pub mod ready;
mod supervise;

pub use supervise::{finish, signal_mask, supervise, Io, FORWARDED_SIGNALS};

use crate::container::{Container, ContainerError};
use crate::context::{Context, ContextOptions};
use crate::error::ExitError;
use crate::wire::{Failure, FailureKind};
use anyhow::Context as _;
use std::ffi::OsString;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{ExitCode, Stdio};

/// How the container's stdio is connected by [`launch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdioPlan {
    /// Pipes the monitor loop reads (and logs); a stdin pipe when `stdin`.
    Pipes { stdin: bool },
    /// The caller's own stdout/stderr, and stdin when `stdin` (else /dev/null): nothing is
    /// logged (`run --rm` in the foreground).
    Inherit { stdin: bool },
}

/// What must happen once PID 1 exists and before its command runs, for `c`: its cgroup,
/// `--pidfile`, pasta's network. `None` when there is nothing to do, and the start then does
/// not wait for it at all. The slot gets what the cgroup step placed; the last is what to do
/// while the namespaces are made (the cgroup step's bus connection).
fn pre_start(ctx: &Context, c: &Container) -> Hooks {
    let pidfile = c.rec.pidfile.clone();
    let pasta = net::pasta_step(ctx, c);
    let (cgroup, slot, early) = match cgroup::step(ctx, c) {
        Some((s, slot, early)) => (Some(s), Some(slot), early),
        None => (None, None, None),
    };
    if pidfile.is_none() && pasta.is_none() && cgroup.is_none() {
        return (None, None, None);
    }
    let hook = Box::new(move |p: &crate::runtime::PreStart| {
        // First: the network helper pasta starts must not land in the container's cgroup,
        // but PID 1 must be in it before anything of the container runs.
        if let Some(step) = cgroup {
            step(p.pid)?;
        }
        if let Some(pidfile) = &pidfile {
            // podman's pid file: the number alone, no newline.
            crate::fsutil::atomic_write(pidfile, p.pid.to_string().as_bytes()).map_err(|e| {
                anyhow::anyhow!(
                    "writing --pidfile {}: {}",
                    pidfile.display(),
                    e.root_cause()
                )
            })?;
        }
        if let Some(step) = pasta {
            step(p.pid)?;
        }
        Ok(())
    });
    (Some(hook), slot, early)
}

/// See [`pre_start`].
type Hooks = (
    Option<crate::runtime::PreStartHook>,
    Option<cgroup::Slot>,
    Option<cgroup::Meanwhile>,
);

/// Both things to do while the runtime's helper makes the namespaces.
fn both(a: Option<cgroup::Meanwhile>, b: Option<cgroup::Meanwhile>) -> Option<cgroup::Meanwhile> {
    match (a, b) {
        (Some(a), Some(b)) => Some(Box::new(move || {
            a();
            b();
        })),
        (a, b) => a.or(b),
    }
}

/// The one call into the runtime: start `c`'s bundle with `mapping`, its stdio per `plan`
/// (or the pty the runtime returns). On failure record why, honour `--rm`, and return
/// podman's exit code as an [`ExitError`].
pub fn launch(
    ctx: &Context,
    c: &mut Container,
    mapping: &crate::idmap::IdMapping,
    plan: StdioPlan,
) -> anyhow::Result<(crate::runtime::Started, Io)> {
    let (stdin, stdout, stderr, ours) = match plan {
        StdioPlan::Pipes { stdin } => {
            let (out_r, out_w) = pipe()?;
            let (err_r, err_w) = pipe()?;
            let (in_r, in_w) = if stdin {
                let (r, w) = pipe()?;
                (Stdio::from(r), Some(w))
            } else {
                (Stdio::null(), None)
            };
            let ours = (Some(out_r), Some(err_r), in_w);
            (in_r, Stdio::from(out_w), Stdio::from(err_w), ours)
        }
        StdioPlan::Inherit { stdin } => {
            let i = if stdin {
                Stdio::inherit()
            } else {
                Stdio::null()
            };
            (i, Stdio::inherit(), Stdio::inherit(), (None, None, None))
        }
    };
    let (hook, slot, early) = pre_start(ctx, c);
    let opts = crate::runtime::StartOptions {
        stdin,
        stdout,
        stderr,
        remove_rootfs: c.rec.auto_remove,
        trace: ctx.debug,
        pre_start: hook,
        meanwhile: both(early, net::meanwhile(c)),
    };
    if let Err(e) = net::join(ctx, c) {
        return Err(failed(ctx, c, 125, e));
    }
    // Before anything starts: a host port in use fails here, in one line.
    let plan = match net::before_start(c) {
        Ok(p) => p,
        Err(e) => return Err(failed(ctx, c, 125, e)),
    };
    match crate::runtime::start(&c.bundle_dir(), mapping, opts) {
        Ok(mut started) => {
            let (cg, warnings) = match slot {
                Some(s) => cgroup::watcher(&s, c.run_dir()),
                None => (None, Vec::new()),
            };
            let net = match plan.map(|p| net::after_start(p, started.tap.take(), started.pid)) {
                None => net::others(c),
                Some(Ok(pollers)) => pollers,
                Some(Err(e)) => {
                    let _ = started.signal(libc::SIGKILL);
                    let _ = started.wait();
                    drop(cg);
                    let msg = format!("starting the network: {e:#}");
                    return Err(failed(ctx, c, 125, msg));
                }
            };
            let mut net = net;
            net.extend(cg);
            let (out_r, err_r, in_w) = ours;
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
                        net,
                        warnings,
                    }
                }
                None => Io {
                    stdout: out_r,
                    stderr: err_r,
                    stdin: in_w,
                    attached: false,
                    tty: false,
                    reap_orphans: false,
                    net,
                    warnings,
                },
            };
            Ok((started, io))
        }
        Err(f) => {
            // pasta may have been started by the pre-start hook before the start failed.
            drop(net::others(c));
            drop(slot.map(|s| cgroup::watcher(&s, c.run_dir())));
            Err(failed(ctx, c, f.exit_code(), f.to_string()))
        }
    }
}

/// The start of `c` failed with `msg`: record why, honour `--rm`, and return podman's exit
/// `code` as an [`ExitError`].
fn failed(ctx: &Context, c: &mut Container, code: u8, msg: String) -> anyhow::Error {
    let _ = c.update(|r| r.state.error = Some(msg.clone()));
    if c.rec.auto_remove {
        let _ = crate::ops::remove_with_volumes(ctx, c);
    }
    ExitError::new(code, msg).into()
}

/// A close-on-exec pipe (read end, write end).
pub fn pipe() -> anyhow::Result<(OwnedFd, OwnedFd)> {
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
    let mapping = match c.rec.idmapping.clone() {
        Some(m) => m,
        None => crate::storage::Store::open(&ctx)?.mapping().clone(),
    };
    let (started, mut io) = match launch(&ctx, &mut c, &mapping, StdioPlan::Pipes { stdin: false })
    {
        Ok(s) => s,
        Err(e) => {
            let f = Failure::from_error(&e);
            let code = f.code();
            let _ = ready.send(&ready::Ready::Failed(f));
            return Ok(ExitCode::from(code));
        }
    };
    io.reap_orphans = true;
    let mut warnings = std::mem::take(&mut io.warnings);
    let mut ready = Some(ready);
    let c_for_cache = c.clone();
    let res = supervise(&ctx, &mut c, started, io, &mut || {
        if let Some(r) = ready.take() {
            let _ = r.send(&ready::Ready::Running(std::mem::take(&mut warnings)));
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
pub fn warn_linger(ctx: &Context) {
    if let Some(w) = crate::probe::session::logout_kill_warning(ctx) {
        eprintln!("{w}");
    }
}
