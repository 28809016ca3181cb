//! The one start path: every container start — `run` (foreground, `-d`, `--rm`), `start`
//! (`-a` or not), `restart` — goes through [`start`], which serialises starts of one
//! container and then either
//! - re-execs a detached monitor (`__monitor`, see `monitor::main`) and returns once the
//!   command runs ([`Mode::Detached`]),
//! - runs the monitor loop in this process, logging the output and copying it to our
//!   terminal ([`Mode::Attached`]), or
//! - gives the container our stdio itself, for `run --rm` in the foreground where nothing
//!   outlives the command and nothing needs logging ([`Mode::Direct`]).
//!
//! All three reach `runtime::start` through the one call in `monitor::launch`.
use crate::container::{Container, ContainerError, Status};
use crate::context::Context;
use crate::error::ExitError;
use crate::idmap::IdMapping;
use crate::monitor::{self, Io, StdioPlan};
use anyhow::Context as _;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::process::Stdio;

/// How a start connects the container to the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Under a detached monitor; returns once the command runs.
    Detached,
    /// The monitor loop here: output logged and copied to our stdout/stderr; `interactive`
    /// forwards our stdin; a terminal (the spec's) puts ours in raw mode.
    Attached { interactive: bool },
    /// Our own stdio (a terminal's pty proxied); nothing logged (`run --rm` in the
    /// foreground).
    Direct { interactive: bool },
}

/// Start `c` (created or exited) per `mode`. `mapping`: the one it was created with when
/// the caller has it (saves opening the store). Returns the container's exit code, or
/// `None` for [`Mode::Detached`].
pub fn start(
    ctx: &Context,
    c: &mut Container,
    mapping: Option<&IdMapping>,
    mode: Mode,
) -> anyhow::Result<Option<u8>> {
    log::debug!("start: container {} {:?}", c.id(), mode);
    match mode {
        Mode::Detached => start_detached(ctx, c).map(|()| None),
        Mode::Attached { interactive } => run_attached(ctx, c, mapping, interactive).map(Some),
        Mode::Direct { interactive } => run_direct(ctx, c, mapping, interactive).map(Some),
    }
}

/// The mapping `c` starts with: given, else its own (keep-id), else the store's.
fn mapping_for(
    ctx: &Context,
    c: &Container,
    given: Option<&IdMapping>,
) -> anyhow::Result<IdMapping> {
    if let Some(m) = given.or(c.rec.idmapping.as_ref()) {
        return Ok(m.clone());
    }
    Ok(crate::storage::Store::open(ctx)?.mapping().clone())
}

/// Serialize starts of one container: held from "not running" until "running" (or failed),
/// so two concurrent `start`s cannot both run it (the second one sees it running). Not the
/// record lock: the monitor takes that one to record the start.
fn start_lock(c: &mut Container) -> anyhow::Result<crate::fsutil::FileLock> {
    let lock = crate::fsutil::FileLock::exclusive(&c.dir().join("start.lock"))?;
    if !c.reload()? {
        return Err(ContainerError::NotFound(c.id().to_string()).into());
    }
    if c.state().status == Status::Running {
        // Another rctr started it between our check and this lock.
        return Err(ContainerError::AlreadyRunning {
            name: c.name().to_string(),
            hint: "another rctr started it meanwhile",
        }
        .into());
    }
    Ok(lock)
}

/// Start `c` under a detached monitor. Returns once the container's command runs; a start
/// failure comes back as an [`ExitError`] with podman's code (125/126/127) and the
/// runtime's message.
fn start_detached(ctx: &Context, c: &mut Container) -> anyhow::Result<()> {
    monitor::warn_linger(ctx);
    let _starting = start_lock(c)?;
    let (r, w) = monitor::pipe()?;
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
    let said = monitor::ready::read(r);
    // The first fork exits right after the second one; reap it.
    let _ = child.wait();
    if let Some(monitor::ready::Ready::Failed(f)) = said {
        return Err(ExitError::from(f).into());
    }
    if let Some(monitor::ready::Ready::Running(warnings)) = &said {
        for w in warnings {
            eprintln!("{w}");
        }
    }
    if !matches!(said, Some(monitor::ready::Ready::Running(_))) {
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

/// The monitor loop in this process (the container is our child).
fn run_attached(
    ctx: &Context,
    c: &mut Container,
    mapping: Option<&IdMapping>,
    interactive: bool,
) -> anyhow::Result<u8> {
    let mut starting = Some(start_lock(c)?);
    let mapping = mapping_for(ctx, c, mapping)?;
    let (started, io) = monitor::launch(ctx, c, &mapping, StdioPlan::Pipes { stdin: interactive })?;
    io.warnings.iter().for_each(|w| eprintln!("{w}"));
    let _raw = if io.tty && interactive {
        crate::runtime::pty::RawMode::enter(0)
    } else {
        None
    };
    let io = Io {
        attached: true,
        stdin: if interactive { io.stdin } else { None },
        ..io
    };
    monitor::supervise(ctx, c, started, io, &mut || drop(starting.take()))
}

/// Our stdio for the container (a pty: proxied, our terminal raw with `-i`).
fn run_direct(
    ctx: &Context,
    c: &mut Container,
    mapping: Option<&IdMapping>,
    interactive: bool,
) -> anyhow::Result<u8> {
    let mapping = mapping_for(ctx, c, mapping)?;
    let (started, io) =
        monitor::launch(ctx, c, &mapping, StdioPlan::Inherit { stdin: interactive })?;
    io.warnings.iter().for_each(|w| eprintln!("{w}"));
    let raw = match (io.tty, interactive) {
        (false, _) => None,
        (true, true) => crate::runtime::pty::RawMode::enter(0),
        (true, false) => crate::runtime::pty::RawMode::output_only(1),
    };
    let io = Io {
        attached: io.tty,
        stdin: if interactive { io.stdin } else { None },
        ..io
    };
    let code = monitor::supervise(ctx, c, started, io, &mut || {});
    drop(raw); // the caller's terminal back to normal before we return
    code
}
