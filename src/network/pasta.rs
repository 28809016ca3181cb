//! `--network pasta[:OPTIONS]`: the container's network namespace connected by pasta (Debian
//! `passt`), started by the monitor once PID 1 exists and before its command runs, with
//! podman 5's default arguments. pasta daemonizes once the namespace is configured, so its
//! launcher's exit is the readiness signal; the daemon is stopped when the container is.
use super::ports::PortMapping;
use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Where pasta forwards DNS from inside the container (podman 5's address).
pub const DNS_FORWARD: &str = "169.254.1.1";

/// What a pasta container's record keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastaSettings {
    /// The pasta binary, resolved at create time.
    pub program: PathBuf,
    /// Extra options from `--network pasta:OPT,OPT`.
    pub options: Vec<String>,
}

/// pasta's command line for PID 1 `pid`, publishing `ports`, writing its PID to `pidfile`.
pub fn args(s: &PastaSettings, ports: &[PortMapping], pid: i32, pidfile: &Path) -> Vec<String> {
    let mut a: Vec<String> = [
        "--config-net",
        "--dns-forward",
        DNS_FORWARD,
        "--no-map-gw",
        "--quiet",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    a.extend(s.options.iter().cloned());
    for (flag, udp) in [("-t", false), ("-u", true)] {
        let mine: Vec<&PortMapping> = ports.iter().filter(|p| p.is_udp() == udp).collect();
        if mine.is_empty() {
            a.extend([flag.to_string(), "none".to_string()]);
        }
        for p in mine {
            let host = if p.range > 1 {
                format!("{}-{}", p.host_port, p.host_port + p.range - 1)
            } else {
                p.host_port.to_string()
            };
            let ctr = if p.range > 1 {
                format!("{}-{}", p.container_port, p.container_port + p.range - 1)
            } else {
                p.container_port.to_string()
            };
            let ip = if p.host_ip.is_empty() {
                String::new()
            } else {
                format!("{}/", p.host_ip)
            };
            a.extend([flag.to_string(), format!("{ip}{host}:{ctr}")]);
        }
    }
    a.extend(["-T", "none", "-U", "none"].iter().map(|x| x.to_string()));
    a.extend([
        "--pid".to_string(),
        pidfile.display().to_string(),
        "--userns".to_string(),
        format!("/proc/{pid}/ns/user"),
        "--netns".to_string(),
        format!("/proc/{pid}/ns/net"),
    ]);
    a
}

/// Run pasta for `pid` and wait until it has configured the namespace (its launcher exits
/// 0 once the daemon runs). Its own message when it fails (a port in use, say).
pub fn start(
    s: &PastaSettings,
    ports: &[PortMapping],
    pid: i32,
    pidfile: &Path,
) -> anyhow::Result<()> {
    let out = std::process::Command::new(&s.program)
        .args(args(s, ports, pid, pidfile))
        .env_clear()
        .stdin(std::process::Stdio::null())
        .output()
        .with_context(|| format!("running {}", s.program.display()))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = why
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        bail!(
            "pasta failed ({}): {}",
            crate::error::describe_status(Ok(out.status)),
            if why.is_empty() {
                "no message"
            } else {
                why.as_str()
            }
        );
    }
    Ok(())
}

/// Stop the pasta daemon whose PID is in `pidfile` (if it is still there).
pub fn stop(pidfile: &Path) {
    let Some(pid) = std::fs::read_to_string(pidfile)
        .ok()
        .and_then(|s| s.trim().parse::<i32>().ok())
        .filter(|p| *p > 1)
    else {
        return;
    };
    // SAFETY: plain kill of the daemon we started.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let _ = std::fs::remove_file(pidfile);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podman5_defaults_and_ports() {
        let s = PastaSettings {
            program: "/usr/bin/pasta".into(),
            options: vec![],
        };
        let a = args(&s, &[], 42, Path::new("/r/pasta.pid")).join(" ");
        assert_eq!(
            a,
            "--config-net --dns-forward 169.254.1.1 --no-map-gw --quiet -t none -u none -T none -U none \
             --pid /r/pasta.pid --userns /proc/42/ns/user --netns /proc/42/ns/net"
        );
        let p = vec![
            crate::network::ports::parse_publish("127.0.0.1:8080:80").unwrap(),
            crate::network::ports::parse_publish("5353:53/udp").unwrap(),
        ];
        let a = args(&s, &p, 1, Path::new("/p")).join(" ");
        assert!(a.contains("-t 127.0.0.1/8080:80 -u 5353:53 -T none"), "{a}");
    }
}
