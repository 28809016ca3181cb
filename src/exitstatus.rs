//! Wait statuses, decoded in one place: the exit code podman reports for a child (its code, or
//! 128+N for a death by signal N, as a shell reports it) and the words for an error message.
//!
//! A base layer: the runtime's helper and PID 1 (raw `waitpid` statuses), the runtime's
//! caller, exec, the user-namespace helper and the monitor all decode statuses here.
use crate::error::EXIT_ENGINE;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};

/// A raw wait(2) status as the exit code podman reports: the code, or 128+N for signal N;
/// anything else (a stopped child) is an engine failure.
pub fn code(st: libc::c_int) -> u8 {
    if libc::WIFEXITED(st) {
        libc::WEXITSTATUS(st) as u8
    } else if libc::WIFSIGNALED(st) {
        (128 + libc::WTERMSIG(st)) as u8
    } else {
        EXIT_ENGINE
    }
}

/// [`code`] of a waited `std::process` child; a status that could not be read is 125.
pub fn code_of(st: std::io::Result<ExitStatus>) -> u8 {
    st.map_or(EXIT_ENGINE, |st| code(st.into_raw()))
}

/// "exit status N" or "killed by signal N (SIGNAME)", for error messages.
pub fn describe(st: std::io::Result<ExitStatus>) -> String {
    match st {
        Err(e) => format!("its status could not be read: {e}"),
        Ok(st) => match (st.code(), st.signal()) {
            (Some(c), _) => format!("exit status {c}"),
            (_, Some(sig)) => {
                let name = nix::sys::signal::Signal::try_from(sig)
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_else(|_| "unknown".into());
                format!("killed by signal {sig} ({name})")
            }
            _ => format!("status {st}"),
        },
    }
}

/// `child.wait()`, retried while a signal interrupts it (the callers forward signals).
pub fn wait_child(child: &mut Child) -> std::io::Result<ExitStatus> {
    loop {
        match child.wait() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

/// Wait for the child `pid` (retrying on EINTR) and return [`code`] of its status; 125 when
/// it cannot be waited for.
pub fn wait_pid(pid: libc::pid_t) -> u8 {
    let mut st = 0;
    loop {
        // SAFETY: waitpid with a valid status pointer.
        let r = unsafe { libc::waitpid(pid, &mut st, 0) };
        if r == pid {
            return code(st);
        }
        if r < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return EXIT_ENGINE;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_words() {
        // Raw statuses as the kernel encodes them: exit code in bits 8-15, signal in 0-6.
        assert_eq!(code(7 << 8), 7);
        assert_eq!(code(libc::SIGKILL), 137);
        assert_eq!(code(0x7f | (libc::SIGSTOP << 8)), EXIT_ENGINE); // stopped
        assert_eq!(code_of(Ok(ExitStatus::from_raw(3 << 8))), 3);
        assert_eq!(code_of(Err(std::io::Error::other("x"))), EXIT_ENGINE);
        assert_eq!(describe(Ok(ExitStatus::from_raw(2 << 8))), "exit status 2");
        assert_eq!(
            describe(Ok(ExitStatus::from_raw(libc::SIGTERM))),
            "killed by signal 15 (SIGTERM)"
        );
    }

    #[test]
    #[allow(clippy::zombie_processes)] // the second child is reaped by wait_pid
    fn waits_for_children() {
        let mut c = std::process::Command::new("/bin/sh")
            .args(["-c", "exit 4"])
            .spawn()
            .unwrap();
        assert_eq!(code_of(wait_child(&mut c)), 4);
        let c = std::process::Command::new("/bin/sh")
            .args(["-c", "kill -9 $$"])
            .spawn()
            .unwrap();
        assert_eq!(wait_pid(c.id() as i32), 137);
    }
}
