//! What the command line decided for a container, validated (no I/O): the input of
//! [`specgen::build`](super::build).
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
    /// Another container's namespace (`--network container:`), with its user namespace: the
    /// start fills in their paths (that container's PID changes with each of its starts).
    Joined,
}

/// The base of the container's /etc/hosts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum HostsBase {
    /// The host's /etc/hosts (podman's default).
    #[default]
    Host,
    /// Nothing but rctr's own entries.
    Empty,
    /// The image's /etc/hosts.
    Image,
    /// A file of the user's.
    File(PathBuf),
}

impl HostsBase {
    /// containers.conf's `base_hosts_file` spelling: `""`, `none`, `image` or a path.
    pub fn parse(s: &str) -> HostsBase {
        match s {
            "" => HostsBase::Host,
            "none" => HostsBase::Empty,
            "image" => HostsBase::Image,
            p => HostsBase::File(p.into()),
        }
    }
}

/// What kind of mount a [`UserMount`] is (named volumes are binds of their directory).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MountType {
    Bind,
    Tmpfs,
}

impl MountType {
    /// The OCI spec's mount type.
    pub fn as_str(self) -> &'static str {
        match self {
            MountType::Bind => "bind",
            MountType::Tmpfs => "tmpfs",
        }
    }
}

/// A mount requested by the user (`-v`, `--mount`, `--tmpfs`, named volumes), validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserMount {
    pub destination: String,
    pub typ: MountType,
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
    /// A TAP device for the container's network namespace (user-mode networking): created
    /// by the runtime, its address in `/etc/hosts`, its gateway as `host.containers.internal`
    /// and its DNS forwarder (gateway + 1) in `resolv.conf`.
    pub tap: Option<crate::runtime::netdev::TapRequest>,
    /// The user-mode network's DNS forwarder, `resolv.conf`'s nameserver unless `--dns`.
    pub dns_forwarder: Option<std::net::Ipv4Addr>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub privileged: bool,
    pub no_new_privileges: bool,
    pub seccomp_unconfined: bool,
    /// Root emulation: ownership and id changes succeed without effect (seccomp).
    pub root_emulation: bool,
    /// `--ulimit`: (type, soft, hard).
    pub ulimits: Vec<(PosixRlimitType, u64, u64)>,
    pub mounts: Vec<UserMount>,
    /// `--device` and CDI device nodes, checked on the host.
    pub devices: Vec<crate::cdi::Device>,
    pub init: bool,
    /// Where the runtime may cache compiled seccomp programs (the store's cache dir).
    pub seccomp_cache: Option<PathBuf>,
    /// `--add-host NAME:IP`, as /etc/hosts lines.
    pub extra_hosts: Vec<(String, String)>,
    /// `--dns` and `--dns-search`: replace the host's nameservers / search domains.
    pub dns_servers: Vec<String>,
    pub dns_search: Vec<String>,
    /// `--dns-option`: resolv.conf `options`.
    pub dns_options: Vec<String>,
    /// `--network container:`: the other container's `userdata` directory, whose `hosts` and
    /// `resolv.conf` this one shares (copied at create, as podman does).
    pub joined_files: Option<PathBuf>,
    /// What the container's /etc/hosts starts from (containers.conf `base_hosts_file`).
    pub hosts_base: HostsBase,
    /// The address `host.containers.internal` names, if any.
    pub host_internal: Option<std::net::IpAddr>,
    /// `--no-hosts`: leave the image's /etc/hosts alone.
    pub no_hosts: bool,
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

/// What one `--security-opt` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityOpt {
    NoNewPrivileges(bool),
    SeccompUnconfined,
    /// Honoured by doing nothing: rctr applies no SELinux label and no AppArmor profile, so
    /// `label=disable` and `apparmor=unconfined` are what every container gets.
    Honoured,
    /// Accepted as podman does on a host without SELinux or AppArmor, but not applied: the
    /// one-line warning to print, so nobody believes the container is confined by it.
    NotApplied(String),
}

/// Parse one `--security-opt` (podman's `key=value`, or the older `key:value`). An option
/// rctr does not know, or cannot honour without weakening what the user asked for
/// (`seccomp=<profile file>`, `mask=`/`unmask=` paths), is an error.
pub fn parse_security_opt(o: &str) -> Result<SecurityOpt, String> {
    let (key, val) = match o.find(['=', ':']) {
        Some(i) => (&o[..i], Some(&o[i + 1..])),
        None => (o, None),
    };
    let known = "rctr knows no-new-privileges[=true|false], seccomp=unconfined, \
                 label=disable|type:…|user:…|role:…|level:…|filetype:…|nested, \
                 apparmor=unconfined|<profile> and mask= (empty)";
    let bad = || Err(format!("unsupported --security-opt {o:?}: {known}"));
    match (key, val) {
        ("no-new-privileges", None | Some("true")) => Ok(SecurityOpt::NoNewPrivileges(true)),
        ("no-new-privileges", Some("false")) => Ok(SecurityOpt::NoNewPrivileges(false)),
        ("seccomp", Some("unconfined")) => Ok(SecurityOpt::SeccompUnconfined),
        ("label", Some("disable" | "nested")) | ("apparmor", Some("unconfined")) => {
            Ok(SecurityOpt::Honoured)
        }
        ("label", Some(v))
            if ["type:", "user:", "role:", "level:", "filetype:"]
                .iter()
                .any(|p| v.starts_with(p)) =>
        {
            Ok(SecurityOpt::NotApplied(format!(
                "--security-opt {o} is ignored: rctr applies no SELinux labels"
            )))
        }
        ("apparmor", Some(v)) if !v.is_empty() => Ok(SecurityOpt::NotApplied(format!(
            "--security-opt {o} is ignored: rctr applies no AppArmor profiles"
        ))),
        ("mask", Some("")) => Ok(SecurityOpt::Honoured),
        _ => bad(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_opts_parse() {
        use SecurityOpt::*;
        let ok = |o| parse_security_opt(o).unwrap();
        assert_eq!(ok("no-new-privileges"), NoNewPrivileges(true));
        assert_eq!(ok("no-new-privileges:true"), NoNewPrivileges(true));
        assert_eq!(ok("no-new-privileges=false"), NoNewPrivileges(false));
        assert_eq!(ok("seccomp=unconfined"), SeccompUnconfined);
        for o in [
            "label=disable",
            "label:disable",
            "label=nested",
            "apparmor=unconfined",
        ] {
            assert_eq!(ok(o), Honoured, "{o}");
        }
        for o in [
            "label=type:spc_t",
            "label=level:s0:c1,c2",
            "apparmor=my-profile",
        ] {
            assert!(
                matches!(ok(o), NotApplied(w) if w.contains(o) && !w.contains('\n')),
                "{o}"
            );
        }
        for o in [
            "seccomp=/etc/profile.json",
            "label=bogus",
            "apparmor=",
            "mask=/x",
            "unmask=ALL",
            "bogus",
        ] {
            let e = parse_security_opt(o).unwrap_err();
            assert!(e.contains(o) && !e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn ulimits_parse() {
        let (t, a, b) = parse_ulimit("nofile=1024:2048").unwrap();
        assert_eq!((t, a, b), (PosixRlimitType::RlimitNofile, 1024, 2048));
        assert_eq!(parse_ulimit("core=-1").unwrap().1, u64::MAX);
        assert!(parse_ulimit("nofile=10:5").is_err());
        assert!(parse_ulimit("bogus=1").is_err());
    }
}
