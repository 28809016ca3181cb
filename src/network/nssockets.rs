//! The forwarder's helper: a small rctr process in the container's user and network
//! namespaces that creates unconnected sockets there on request and passes them back with
//! SCM_RIGHTS. A socket keeps the namespace it was created in, so the monitor connecting it
//! reaches the container's 127.0.0.1 (the way rootlesskit's child does it). It lives as long
//! as its channel (EOF ends it; so does the monitor's death, by its parent-death signal).
use crate::wire::{Channel, Framing, Message};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};

/// Which kind of socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Tcp,
    Udp,
}

/// Between the forwarder and its helper.
#[derive(Debug, Serialize, Deserialize)]
pub enum SocketMsg {
    /// Forwarder → helper: create this many sockets.
    Want(Kind, u32),
    /// Helper → forwarder: this many sockets come with the message.
    Sockets(Kind, u32),
    /// Helper → forwarder: it could not join the namespaces or create sockets.
    Failed(String),
}

impl Message for SocketMsg {
    fn fds(&self) -> usize {
        match self {
            SocketMsg::Sockets(_, n) => *n as usize,
            _ => 0,
        }
    }
}

/// The name of the hidden entry point ([`main`]).
pub const ENTRY: &str = "__netns-sockets";

/// Start the helper for the namespaces of `pid`; the channel's other end is its fd 3.
pub fn spawn(pid: i32) -> anyhow::Result<(Channel, std::process::Child)> {
    use std::os::unix::process::CommandExt;
    let (ours, theirs) = Channel::pair(Framing::Packet).context("socketpair")?;
    let their_fd = theirs.as_raw_fd();
    let mut cmd = std::process::Command::new("/proc/self/exe");
    cmd.arg(ENTRY).arg(pid.to_string());
    cmd.env_clear()
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null());
    // SAFETY: dup2 and prctl are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            if libc::dup2(their_fd, 3) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let child = cmd
        .spawn()
        .context("starting the port forwarder's helper")?;
    Ok((ours, child))
}

/// Hidden `__netns-sockets PID` (fd 3: the channel): join PID's user and network
/// namespaces, then hand out TCP sockets created there until the channel closes.
pub fn main(args: &[std::ffi::OsString]) -> anyhow::Result<std::process::ExitCode> {
    let pid: i32 = args
        .first()
        .and_then(|a| a.to_str())
        .and_then(|a| a.parse().ok())
        .context("usage: __netns-sockets PID")?;
    // SAFETY: fd 3 was set up for us by Forwarder::start and is ours alone.
    let chan = Channel::new(unsafe { OwnedFd::from_raw_fd(3) }, Framing::Packet);
    if let Err(e) = join(pid) {
        let _ = chan.send(&SocketMsg::Failed(format!("{e:#}")));
        return Ok(std::process::ExitCode::from(1));
    }
    while let Ok(Some(SocketMsg::Want(kind, n))) = chan.recv::<SocketMsg>() {
        let mut left = n.min(1024) as usize;
        while left > 0 {
            let k = left.min(crate::wire::MAX_FDS);
            let socks: Vec<OwnedFd> = (0..k).filter_map(|_| socket(kind).ok()).collect();
            if socks.is_empty() {
                let _ = chan.send(&SocketMsg::Failed("cannot create sockets".into()));
                return Ok(std::process::ExitCode::from(1));
            }
            let b: Vec<_> = socks.iter().map(|s| s.as_fd()).collect();
            if chan
                .send_with_fds(&SocketMsg::Sockets(kind, b.len() as u32), &b)
                .is_err()
            {
                return Ok(std::process::ExitCode::SUCCESS);
            }
            left -= k;
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// setns into PID's user, then network namespace (this process is a fresh, single-threaded
/// exec, as setns into a user namespace requires).
fn join(pid: i32) -> anyhow::Result<()> {
    let open = |ns: &str| {
        std::fs::File::open(format!("/proc/{pid}/ns/{ns}"))
            .with_context(|| format!("the container is not running (its {ns} namespace)"))
    };
    let (user, net) = (open("user")?, open("net")?);
    for (f, flag, what) in [
        (&user, libc::CLONE_NEWUSER, "user"),
        (&net, libc::CLONE_NEWNET, "network"),
    ] {
        // SAFETY: setns on a namespace fd we own.
        if unsafe { libc::setns(f.as_raw_fd(), flag) } < 0 {
            return Err(std::io::Error::last_os_error())
                .with_context(|| format!("joining the container's {what} namespace"));
        }
    }
    Ok(())
}

fn socket(kind: Kind) -> std::io::Result<OwnedFd> {
    let ty = match kind {
        Kind::Tcp => libc::SOCK_STREAM,
        Kind::Udp => libc::SOCK_DGRAM,
    };
    // SAFETY: plain socket(2).
    let s = unsafe {
        libc::socket(
            libc::AF_INET,
            ty | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    };
    if s < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: fresh fd.
    Ok(unsafe { OwnedFd::from_raw_fd(s) })
}
