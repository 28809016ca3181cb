//! Acting on a container's processes: signals, stop (signal, grace period, SIGKILL), wait.
//! Every wait is on a pidfd (the kernel says when the process is gone), never a sleep loop,
//! and every signal goes through a pidfd checked against the recorded start time, so a
//! reused PID is never hit.
use super::{live, now_rfc3339, Container, Status};
use anyhow::bail;
use std::time::Duration;

/// Parse `SIGTERM`, `TERM`, `term`, `15` (podman's `--signal` / StopSignal forms).
pub fn parse_signal(s: &str) -> anyhow::Result<i32> {
    let t = s.trim();
    if let Ok(n) = t.parse::<i32>() {
        if (1..=64).contains(&n) {
            return Ok(n);
        }
        bail!("invalid signal {s:?}: signal numbers are 1-64");
    }
    let up = t.to_ascii_uppercase();
    let name = if up.starts_with("SIG") {
        up
    } else {
        format!("SIG{up}")
    };
    if let Some(rest) = name.strip_prefix("SIGRTMIN+") {
        if let Ok(n) = rest.parse::<i32>() {
            return Ok(libc::SIGRTMIN() + n);
        }
    }
    name.parse::<nix::sys::signal::Signal>()
        .map(|s| s as i32)
        .map_err(|_| anyhow::anyhow!("invalid signal {s:?}: use a name like SIGTERM or a number"))
}

impl Container {
    /// Send `sig` to the container's PID 1; an error (podman's wording) when not running.
    pub fn kill(&self, sig: i32) -> anyhow::Result<()> {
        match self.live_pid() {
            Some(p) if live::signal(p, sig) => Ok(()),
            _ => Err(super::ContainerError::CannotKill {
                id: self.id().to_string(),
                status: self.state().status.as_str(),
            }
            .into()),
        }
    }

    /// `stop`: the stop signal, up to `timeout` seconds (the record's StopTimeout when None)
    /// for the container to exit, then SIGKILL. Returns once it has exited and the exit is
    /// recorded. A container that is not running is left alone.
    pub fn stop(&mut self, timeout: Option<u32>, signal: Option<i32>) -> anyhow::Result<()> {
        let Some(p) = self.live_pid() else {
            let _ = self.sync_state();
            return Ok(());
        };
        let sig = match signal {
            Some(s) => s,
            None => parse_signal(&self.rec.config.stop_signal).unwrap_or(libc::SIGTERM),
        };
        let grace = timeout.unwrap_or(self.rec.config.stop_timeout);
        let mut used = sig;
        if grace > 0
            && live::signal(p, sig)
            && live::wait_exit(p, Some(Duration::from_secs(grace as u64)))
        {
            // exited within the grace period
        } else {
            used = libc::SIGKILL;
            live::signal(p, libc::SIGKILL);
            live::wait_exit(p, None);
        }
        self.await_exit_record(128 + used)
    }

    /// Block until the container is not running; returns its exit code (`wait`).
    pub fn wait(&mut self) -> anyhow::Result<i32> {
        if let Some(p) = self.live_pid() {
            live::wait_exit(p, None);
        }
        self.await_exit_record(-1)?;
        Ok(self.state().exit_code.unwrap_or(0))
    }

    /// After the container's PID 1 is gone: let its monitor record the exit (it holds the
    /// real status), or record `fallback_code` when there is no monitor (it was killed).
    fn await_exit_record(&mut self, fallback_code: i32) -> anyhow::Result<()> {
        if let Some(m) = self.live_monitor() {
            // The monitor drains the pipes, records and exits right after the container.
            live::wait_exit(m, Some(Duration::from_secs(10)));
        }
        if !self.reload()? {
            return Ok(()); // removed meanwhile (`--rm`)
        }
        if self.rec.state.status == Status::Running
            && self.live_pid().is_none()
            && self.live_monitor().is_none()
        {
            self.update(|r| {
                if r.state.status == Status::Running {
                    r.state.status = Status::Exited;
                    r.state.exit_code = Some(fallback_code);
                    r.state.finished_at = Some(now_rfc3339());
                    if fallback_code < 0 {
                        r.state.error = Some(
                            "the container's exit status was not recorded (its monitor was killed)"
                                .into(),
                        );
                    }
                }
            })?;
        }
        Ok(())
    }

    /// The error `exec`/`attach`-style commands give for a container that is not running.
    pub fn require_running(&self) -> anyhow::Result<live::ProcId> {
        self.live_pid().ok_or_else(|| {
            super::ContainerError::CannotExec {
                name: self.name().to_string(),
                status: self.state().status.as_str(),
            }
            .into()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_parse() {
        assert_eq!(parse_signal("SIGTERM").unwrap(), 15);
        assert_eq!(parse_signal("term").unwrap(), 15);
        assert_eq!(parse_signal("9").unwrap(), 9);
        assert_eq!(parse_signal("KILL").unwrap(), 9);
        assert_eq!(parse_signal("SIGRTMIN+1").unwrap(), libc::SIGRTMIN() + 1);
        assert!(parse_signal("SIGNOPE").is_err());
        assert!(parse_signal("0").is_err());
    }
}
