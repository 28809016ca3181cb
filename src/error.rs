//! The statuses an error can carry, and the default exit code of an error chain.
//!
//! podman's convention: 125 = the engine itself failed, 126 = the contained command could not
//! be invoked, 127 = the contained command was not found; otherwise the container's own status.
//! Which code a command ends with for a kind of failure (`rm nosuch` 1, `stop nosuch` 125, …)
//! is chosen in `cli/exit.rs` from the library's typed errors, not here.
use std::process::ExitCode;

/// Engine failure (podman's 125).
pub const EXIT_ENGINE: u8 = 125;
/// Command found but could not be invoked (podman's 126).
pub const EXIT_CANNOT_INVOKE: u8 = 126;
/// Command not found (podman's 127).
pub const EXIT_NOT_FOUND: u8 = 127;

/// An error that carries a status passed through from below: a container's own exit status,
/// or a start failure's 125/126/127 (`runtime::StartFailure`, `wire::Failure`). Not for
/// choosing a command's code: return a typed error and let `cli/exit.rs` map it.
#[derive(Debug, thiserror::Error)]
#[error("{msg}")]
pub struct ExitError {
    pub code: u8,
    pub msg: String,
}

impl ExitError {
    pub fn new(code: u8, msg: impl Into<String>) -> Self {
        ExitError {
            code,
            msg: msg.into(),
        }
    }
}

/// The exit status for an error chain: the first `ExitError` found, else 125.
pub fn exit_code_for(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|e| e.downcast_ref::<ExitError>().map(|x| x.code))
        .unwrap_or(EXIT_ENGINE)
}

/// Print the error chain once, podman style (`Error: outer: inner`), and return the status.
pub fn report(err: &anyhow::Error) -> ExitCode {
    eprintln!("Error: {err:#}");
    ExitCode::from(exit_code_for(err))
}

/// "exit status N" or "killed by signal N (SIGNAME)": decoded with the other wait statuses.
pub use crate::exitstatus::describe as describe_status;

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    #[test]
    fn default_is_125_and_exit_error_wins_through_context() {
        let e = anyhow::anyhow!("boom");
        assert_eq!(exit_code_for(&e), 125);
        let e: anyhow::Error = Err::<(), _>(ExitError::new(127, "nope"))
            .context("running container")
            .unwrap_err();
        assert_eq!(exit_code_for(&e), 127);
    }
}
