//! The runtime's start channel: a SOCK_SEQPACKET pair between `start` (the caller) and the
//! helper / container init, carrying [`StartMsg`]s in rctr's wire format (`crate::wire`). One
//! message per datagram, so the helper and PID 1 can both write without interleaving. The
//! caller writes only [`StartMsg::Go`], read by a PID 1 that holds (`__init --hold`).
//!
//! End of file means the command was exec'd: the last copy of the socket is close-on-exec.
use super::StartFailure;
use crate::wire::{self, Channel, Failure, FailureKind, Framing, Message, WireError};
use serde::{Deserialize, Serialize};
use std::os::fd::BorrowedFd;

/// What the helper and PID 1 tell `start`.
#[derive(Debug, Serialize, Deserialize)]
pub enum StartMsg {
    /// The container's PID 1 as seen from the host (sent by the helper).
    Pid(i32),
    /// The pty master allocated inside the container (`process.terminal`) comes with this.
    Pty,
    /// The TAP device created in the container's network namespace comes with this (sent
    /// by the helper when the spec asks for one, see `netdev`).
    Tap,
    /// A `--trace` line (step, µs since the helper started).
    Trace(String),
    /// Start failed, with podman's 125/126/127.
    Failed(Failure),
    /// From the caller to a PID 1 started with `--hold`: the pre-start hook is done, go on.
    Go,
}

impl Message for StartMsg {
    fn fds(&self) -> usize {
        matches!(self, StartMsg::Pty | StartMsg::Tap) as usize
    }
}

pub fn pair() -> std::io::Result<(Channel, Channel)> {
    Channel::pair(Framing::Packet)
}

/// Send one message (with the pty master for [`StartMsg::Pty`]).
pub fn send(
    sock: BorrowedFd<'_>,
    msg: &StartMsg,
    fd: Option<BorrowedFd<'_>>,
) -> Result<(), WireError> {
    wire::send(sock, Framing::Packet, msg, fd.as_slice())
}

/// Report a start failure (best effort: the reader may be gone).
pub fn send_failure(sock: BorrowedFd<'_>, f: &StartFailure) {
    let _ = send(sock, &StartMsg::Failed(f.into()), None);
}

impl From<&StartFailure> for Failure {
    fn from(f: &StartFailure) -> Failure {
        let kind = match f {
            StartFailure::NotFound(_) => FailureKind::NotFound,
            StartFailure::CannotInvoke(_) => FailureKind::CannotInvoke,
            StartFailure::Runtime(_) => FailureKind::Runtime,
        };
        Failure::new(kind, f.to_string())
    }
}

impl From<Failure> for StartFailure {
    fn from(f: Failure) -> StartFailure {
        match f.kind {
            FailureKind::NotFound => StartFailure::NotFound(f.message),
            FailureKind::CannotInvoke => StartFailure::CannotInvoke(f.message),
            FailureKind::Runtime | FailureKind::Exit(_) => StartFailure::Runtime(f.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn start_failure_crosses_with_its_code() {
        for f in [
            StartFailure::NotFound("no cmd".into()),
            StartFailure::CannotInvoke("denied".into()),
            StartFailure::Runtime("broken".into()),
        ] {
            let (a, b) = pair().unwrap();
            send_failure(a.as_fd(), &f);
            let Some(StartMsg::Failed(got)) = b.recv::<StartMsg>().unwrap() else {
                panic!("no failure received");
            };
            assert_eq!(got.code(), f.exit_code());
            let back = StartFailure::from(got);
            assert_eq!(
                (back.exit_code(), back.to_string()),
                (f.exit_code(), f.to_string())
            );
        }
    }
}
