//! What the command line decided for a container, validated (no I/O): the input of
//! [`specgen::build`](super::specgen::build).
use anyhow::{bail, Context as _};
use oci_spec::runtime::PosixRlimitType;
use std::path::PathBuf;
use std::str::FromStr;

/// The container's network namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    /// A private namespace with only `lo` (podman's `none`; also rctr's default until
    /// user-mode networking lands).
    Private,
    /// The host's namespace (`--network host`).
    Host,
}

/// A mount requested by the user (`-v`, `--mount`, `--tmpfs`, named volumes), validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserMount {
    pub destination: String,
    /// "bind" or "tmpfs".
    pub typ: String,
    pub source: String,
    pub options: Vec<String>,
    /// Initialise the (empty) source from the image's content at `destination` first.
    pub copy_up: bool,
}

/// Everything decided from the command line, validated, before any I/O.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub id: String,
    pub name: String,
    pub image_name: String,
    pub image_id: String,
    pub hostname: Option<String>,
    /// Arguments after the image name.
    pub command: Vec<String>,
    /// `--entrypoint`: `Some(vec![])` clears the image's entrypoint.
    pub entrypoint: Option<Vec<String>>,
    /// `-e`/`--env-file`, in order, already resolved (`-e VAR` → host value).
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub tty: bool,
    pub console_size: Option<(u16, u16)>,
    pub read_only: bool,
    pub read_only_tmpfs: bool,
    pub network: Option<Network>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub privileged: bool,
    pub no_new_privileges: bool,
    pub seccomp_unconfined: bool,
    /// `--ulimit`: (type, soft, hard).
    pub ulimits: Vec<(PosixRlimitType, u64, u64)>,
    pub mounts: Vec<UserMount>,
    pub init: bool,
    /// Where the runtime may cache compiled seccomp programs (the store's cache dir).
    pub seccomp_cache: Option<PathBuf>,
    /// `--add-host NAME:IP`, as /etc/hosts lines.
    pub extra_hosts: Vec<(String, String)>,
    /// `--dns` and `--dns-search`: replace the host's nameservers / search domains.
    pub dns_servers: Vec<String>,
    pub dns_search: Vec<String>,
    /// `--annotation KEY=VALUE`.
    pub annotations: Vec<(String, String)>,
    /// A private cgroup namespace with a read-only /sys/fs/cgroup (cgroup v2 hosts only).
    pub cgroupns: bool,
}

/// `KEY=VALUE` (or `NAME:IP` with `sep` ':') split into its parts.
pub fn split_pair(s: &str, sep: char, what: &str) -> anyhow::Result<(String, String)> {
    match s.split_once(sep) {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => bail!("invalid {what} {s:?}"),
    }
}

/// Parse podman's `--ulimit type=soft[:hard]` (`-1`/`unlimited` for no limit).
pub fn parse_ulimit(s: &str) -> anyhow::Result<(PosixRlimitType, u64, u64)> {
    let (name, vals) = s
        .split_once('=')
        .with_context(|| format!("invalid ulimit {s:?}: expected type=soft[:hard]"))?;
    let typ = PosixRlimitType::from_str(&format!("RLIMIT_{}", name.trim().to_ascii_uppercase()))
        .map_err(|_| anyhow::anyhow!("invalid ulimit type {name:?}"))?;
    let num = |v: &str| -> anyhow::Result<u64> {
        match v.trim() {
            "-1" | "unlimited" => Ok(u64::MAX),
            n => n
                .parse()
                .with_context(|| format!("invalid ulimit value {n:?} in {s:?}")),
        }
    };
    let (soft, hard) = match vals.split_once(':') {
        Some((a, b)) => (num(a)?, num(b)?),
        None => (num(vals)?, num(vals)?),
    };
    if soft > hard {
        bail!("invalid ulimit {s:?}: the soft limit is above the hard limit");
    }
    Ok((typ, soft, hard))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulimits_parse() {
        let (t, a, b) = parse_ulimit("nofile=1024:2048").unwrap();
        assert_eq!((t, a, b), (PosixRlimitType::RlimitNofile, 1024, 2048));
        assert_eq!(parse_ulimit("core=-1").unwrap().1, u64::MAX);
        assert!(parse_ulimit("nofile=10:5").is_err());
        assert!(parse_ulimit("bogus=1").is_err());
    }
}
