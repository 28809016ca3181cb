//! `rctr attach`: follow a running container's output live and forward signals to it, until
//! it exits; the exit code is the container's.
//!
//! Limitation (said at run time): the monitor of a detached container holds no stdin for it,
//! so stdin cannot be attached; output and signals can.
use super::logs::{stream, LogsArgs};
use crate::container::{live, Container};
use crate::context::Context;
use nix::sys::signal::SigSet;
use nix::sys::signalfd::{SfdFlags, SignalFd};
use std::os::fd::{AsFd, AsRawFd};
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct AttachArgs {
    /// Key sequence for detaching (accepted; with --sig-proxy=false Ctrl-C detaches)
    #[arg(long)]
    pub detach_keys: Option<String>,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Do not attach STDIN (rctr never does, see above)
    #[arg(long)]
    pub no_stdin: bool,
    /// Forward received signals to the container
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub sig_proxy: bool,
    /// The container
    pub container: Option<String>,
}

pub fn run(args: AttachArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut c = match (&args.container, args.latest) {
        (_, true) => Container::latest(ctx)?,
        (Some(n), false) => Container::lookup(ctx, n)?,
        (None, false) => anyhow::bail!("you must provide a container name or ID, or --latest"),
    };
    let Some(pid) = c.live_pid() else {
        anyhow::bail!(
            "you can only attach to running containers: {} is {}",
            c.name(),
            c.state().status.as_str()
        );
    };
    if c.rec.config.interactive && !args.no_stdin {
        eprintln!("Warning: stdin is not attached: rctr keeps no stdin open for detached containers (output and signals are attached)");
    }
    // With --sig-proxy (the default) signals go to the container, not to us; without, they
    // end `attach` only (their default action), the container runs on.
    let mut mask = SigSet::empty();
    if args.sig_proxy {
        for s in crate::monitor::FORWARDED_SIGNALS {
            mask.add(*s);
        }
        mask.thread_block()?;
    }
    let sfd = SignalFd::with_flags(&mask, SfdFlags::SFD_NONBLOCK | SfdFlags::SFD_CLOEXEC)?;
    let logs = LogsArgs {
        follow: true,
        latest: false,
        names: false,
        since: None,
        until: None,
        tail: 0,
        timestamps: false,
        color: false,
        containers: Vec::new(),
    };
    let mut idle = |d: std::time::Duration| {
        let mut p = libc::pollfd {
            fd: sfd.as_fd().as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        unsafe { libc::poll(&mut p, 1, d.as_millis() as i32) };
        while let Ok(Some(si)) = sfd.read_signal() {
            live::signal(pid, si.ssi_signo as i32);
        }
    };
    stream(&logs, c.clone(), &mut idle)?;
    let _ = mask.thread_unblock();
    // The output has ended because the container stopped: its exit code is ours.
    let code = c.wait()?;
    Ok(ExitCode::from(code.clamp(0, 255) as u8))
}
