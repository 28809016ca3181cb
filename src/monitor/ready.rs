//! The detached monitor's readiness pipe: the `__monitor` re-exec tells the command that
//! started it (`run -d`, `start`) that the container runs, or why it does not, in rctr's wire
//! format (`crate::wire`). End of file without a word means the monitor died first.
use crate::wire::{Channel, Failure, Framing, Message};
use serde::{Deserialize, Serialize};
use std::os::fd::OwnedFd;

#[derive(Debug, Serialize, Deserialize)]
pub enum Ready {
    /// The container's command runs; the lines to show the user (limits not applied).
    Running(Vec<String>),
    /// It could not be started: the exit code and message for the caller to end with.
    Failed(Failure),
}

impl Message for Ready {}

/// The monitor's end.
pub fn writer(fd: OwnedFd) -> Channel {
    Channel::new(fd, Framing::Pipe)
}

/// The caller's end: what the monitor said, `None` when it said nothing (or garbage).
pub fn read(fd: OwnedFd) -> Option<Ready> {
    Channel::new(fd, Framing::Pipe).recv().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::FailureKind;

    #[test]
    fn says_running_or_why_not() {
        let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap();
        writer(w)
            .send(&Ready::Failed(Failure::new(FailureKind::NotFound, "no")))
            .unwrap();
        let Some(Ready::Failed(f)) = read(r) else {
            panic!("no failure")
        };
        assert_eq!((f.code(), f.message.as_str()), (127, "no"));
        let (r, w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).unwrap();
        drop(w);
        assert!(read(r).is_none());
    }
}
