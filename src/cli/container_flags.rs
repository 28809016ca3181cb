//! The flags `run` and `create` share (podman's names), and their translation into the
//! engine's typed [`ContainerSpec`]: every value parsed and checked here, once, before
//! anything exists.
use crate::cli::pull::PullFlags;
use crate::context::Context;
use crate::engine::{ContainerSpec, Security, UsernsMode};
use crate::image::PullPolicy;
use crate::ops::mounts;
use crate::specgen::settings::{self, SecurityOpt};
use anyhow::Context as _;
use std::path::PathBuf;

/// The flags of `run` and `create` (podman's names).
#[derive(Debug, Clone, clap::Args)]
pub struct ContainerFlags {
    /// Assign a name to the container
    #[arg(long)]
    pub name: Option<String>,
    /// Remove the container (and its anonymous volumes) when it exits
    #[arg(long)]
    pub rm: bool,
    /// Set environment variables (VAR=value, VAR to pass the host's value, PREFIX* for every
    /// host variable starting with PREFIX)
    #[arg(short = 'e', long = "env", value_name = "VAR[=VALUE]")]
    pub env: Vec<String>,
    /// Pass the whole host environment (before --env-file and --env)
    #[arg(long)]
    pub env_host: bool,
    /// Read environment variables from a file (VAR=value lines)
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_file: Vec<PathBuf>,
    /// Working directory inside the container
    #[arg(short = 'w', long)]
    pub workdir: Option<String>,
    /// Run as USER[:GROUP] (names or numbers, resolved in the image)
    #[arg(short = 'u', long)]
    pub user: Option<String>,
    /// Override the image's entrypoint (a string, or a JSON array)
    #[arg(long)]
    pub entrypoint: Option<String>,
    /// Bind mount or volume: SOURCE:DEST[:ro|rw|z|Z|nocopy], or DEST for an anonymous volume
    #[arg(short = 'v', long = "volume", value_name = "SRC:DEST[:OPTS]")]
    pub volume: Vec<String>,
    /// Mount: type=bind|volume|tmpfs,source=…,target=…[,readonly]
    #[arg(long = "mount", value_name = "OPTS")]
    pub mount: Vec<String>,
    /// Mount a tmpfs at DEST
    #[arg(long = "tmpfs", value_name = "DEST[:OPTS]")]
    pub tmpfs: Vec<String>,
    /// Add a host device (HOST[:CONTAINER][:PERMISSIONS], the host's node bound in) or a CDI
    /// device (VENDOR/CLASS=NAME, NAME=all for every device of the kind; spec files in
    /// /etc/cdi, /var/run/cdi and $XDG_CONFIG_HOME/cdi)
    #[arg(long = "device", value_name = "DEVICE")]
    pub device: Vec<String>,
    /// GPU devices to add (all, or an index): the CDI device nvidia.com/gpu=VALUE
    #[arg(long = "gpus", value_name = "GPUS")]
    pub gpus: Vec<String>,
    /// Make the root filesystem read-only
    #[arg(long)]
    pub read_only: bool,
    /// With --read-only, mount tmpfs on /run, /tmp and /var/tmp
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub read_only_tmpfs: bool,
    /// Container hostname (default: the first 12 characters of its ID)
    #[arg(short = 'h', long)]
    pub hostname: Option<String>,
    /// Network mode: slirp4netns[:mtu=N,cidr=NET/P,allow_host_loopback=true,enable_ipv6=true]
    /// (default: user-mode networking inside rctr's monitor; containers.conf's
    /// default_rootless_network_cmd may choose pasta), pasta[:OPTIONS], container:NAME|ID (its
    /// network namespace), none (only lo) or host
    #[arg(long, alias = "net", value_name = "MODE")]
    pub network: Option<String>,
    /// Keep STDIN open
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// Allocate a pseudo-TTY
    #[arg(short = 't', long)]
    pub tty: bool,
    /// Run a minimal init as PID 1 that forwards signals and reaps zombies
    #[arg(long)]
    pub init: bool,
    /// Pull policy: missing, always, never, newer
    #[arg(long, value_enum, default_value_t = PullPolicy::Missing, num_args = 0..=1, default_missing_value = "always")]
    pub pull: PullPolicy,
    /// Add Linux capabilities (or ALL)
    #[arg(long = "cap-add", value_name = "CAP")]
    pub cap_add: Vec<String>,
    /// Drop Linux capabilities (or ALL)
    #[arg(long = "cap-drop", value_name = "CAP")]
    pub cap_drop: Vec<String>,
    /// All capabilities, no seccomp, no masked paths
    #[arg(long)]
    pub privileged: bool,
    /// no-new-privileges, seccomp=unconfined, label=…, apparmor=…
    #[arg(long = "security-opt", value_name = "OPT")]
    pub security_opt: Vec<String>,
    /// Root emulation: chown, setuid and the like succeed without effect, so package
    /// managers work where only your own ID is mapped (default: on exactly then, with no
    /// subordinate IDs); false turns it off
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true"
    )]
    pub root_emulation: Option<bool>,
    /// Resource limits: TYPE=SOFT[:HARD], e.g. nofile=1024:2048
    #[arg(long, value_name = "TYPE=SOFT[:HARD]")]
    pub ulimit: Vec<String>,
    /// User namespace mode: "" (default) or keep-id
    #[arg(long, value_name = "MODE")]
    pub userns: Option<String>,
    /// Set metadata labels (KEY=VALUE)
    #[arg(short = 'l', long = "label", value_name = "KEY=VALUE")]
    pub label: Vec<String>,
    /// Signal to stop the container (default: the image's, else SIGTERM)
    #[arg(long)]
    pub stop_signal: Option<String>,
    /// Seconds to wait before killing the container on stop
    #[arg(long)]
    pub stop_timeout: Option<u32>,
    /// Suppress pull progress
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Publish a container's port to the host ([[IP:][HOSTPORT]:]CONTAINERPORT[/PROTOCOL],
    /// ranges as START-END)
    #[arg(short = 'p', long = "publish", value_name = "PORT")]
    pub publish: Vec<String>,
    /// Publish every port the image exposes on a random host port
    #[arg(short = 'P', long = "publish-all")]
    pub publish_all: bool,
    /// Add a line to /etc/hosts (HOST:IP)
    #[arg(long = "add-host", value_name = "HOST:IP")]
    pub add_host: Vec<String>,
    /// Nameserver for /etc/resolv.conf (replaces the host's)
    #[arg(long, value_name = "IP")]
    pub dns: Vec<String>,
    /// Search domain for /etc/resolv.conf
    #[arg(long = "dns-search", value_name = "DOMAIN")]
    pub dns_search: Vec<String>,
    /// Option for /etc/resolv.conf (e.g. ndots:2)
    #[arg(long = "dns-option", alias = "dns-opt", value_name = "OPTION")]
    pub dns_option: Vec<String>,
    /// Pass the host's proxy variables (http_proxy, https_proxy, ftp_proxy, no_proxy, and
    /// their upper-case spellings) to the container
    #[arg(long = "http-proxy", value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub http_proxy: bool,
    /// Do not create /etc/hosts for the container (keep the image's)
    #[arg(long = "no-hosts")]
    pub no_hosts: bool,
    /// Add an annotation to the container's OCI spec (KEY=VALUE)
    #[arg(long, value_name = "KEY=VALUE")]
    pub annotation: Vec<String>,
    /// Write the container ID to FILE
    #[arg(long, value_name = "FILE")]
    pub cidfile: Option<PathBuf>,
    /// Write the container's PID 1 (as the host sees it) to FILE when it starts
    #[arg(long, value_name = "FILE")]
    pub pidfile: Option<PathBuf>,
    /// Memory limit, e.g. 512m (cgroup v2 memory.max; where the host delegates no cgroup a
    /// warning says why it is not applied)
    #[arg(short = 'm', long, value_name = "BYTES")]
    pub memory: Option<String>,
    /// Memory plus swap limit (-1: unlimited swap)
    #[arg(long, value_name = "BYTES")]
    pub memory_swap: Option<String>,
    /// Memory soft limit (memory.low)
    #[arg(long, value_name = "BYTES")]
    pub memory_reservation: Option<String>,
    /// CPU limit in CPUs, e.g. 1.5 (cpu.max)
    #[arg(long, value_name = "N")]
    pub cpus: Option<String>,
    /// CPU shares, relative weight (cpu.weight)
    #[arg(short = 'c', long, value_name = "N")]
    pub cpu_shares: Option<String>,
    /// CPUs the container may use, e.g. 0-2,4
    #[arg(long, value_name = "LIST")]
    pub cpuset_cpus: Option<String>,
    /// Memory nodes the container may use, e.g. 0
    #[arg(long, value_name = "LIST")]
    pub cpuset_mems: Option<String>,
    /// Process limit (pids.max; -1 or 0: unlimited)
    #[arg(long, value_name = "N")]
    pub pids_limit: Option<String>,
    /// cgroups for the container: enabled, disabled, or required (fail when a limit cannot
    /// be applied)
    #[arg(long, value_name = "MODE", default_value = "enabled")]
    pub cgroups: String,
    /// Parent of the container's cgroup: a slice (systemd manager, e.g. user.slice) or an
    /// absolute cgroup path delegated to you (cgroupfs manager)
    #[arg(long, value_name = "PATH")]
    pub cgroup_parent: Option<String>,
    /// Logging driver (accepted for podman compatibility; rctr uses k8s-file)
    #[arg(long, hide = true)]
    pub log_driver: Option<String>,
    /// Log option: max-size=SIZE (at SIZE the log starts over; default 128MiB), path=, tag=
    #[arg(long, value_name = "OPT")]
    pub log_opt: Vec<String>,
    #[command(flatten)]
    pub pull_flags: PullFlags,
    /// The global `--storage-opt` values (set by `cli::main`, not a flag of its own).
    #[arg(skip)]
    pub storage_opt: Vec<String>,
    /// The global `--cgroup-manager` (set by `cli::main`).
    #[arg(skip)]
    pub cgroup_manager: Option<String>,
    /// The IMAGE argument is a root filesystem: a directory, or a squashfs file
    #[arg(long)]
    pub rootfs: bool,
    /// Image to run (or a squashfs file made by `rctr image squash`)
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Command and arguments (default: the image's)
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<String>,
}

/// The variables `--http-proxy` passes on.
const PROXY_VARS: [&str; 8] = [
    "http_proxy",
    "https_proxy",
    "ftp_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "FTP_PROXY",
    "NO_PROXY",
];

/// `--env-host`, `-e` and `--env-file` in podman's order (the host's, files, then -e), `VAR`
/// alone taking the host's value (and dropped when the host has none), `PREFIX*` every host
/// variable starting with PREFIX (`-e 'SLURM_*'` in a batch job).
fn environment(f: &ContainerFlags, ctx: &Context) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    if f.env_host {
        out.extend(ctx.vars().iter().map(|(k, v)| format!("{k}={v}")));
    }
    let mut one = |item: &str| {
        if item.contains('=') {
            out.push(item.to_string());
        } else if let Some(prefix) = item.strip_suffix('*') {
            let host = ctx.vars();
            let hits = host.iter().filter(|(k, _)| k.starts_with(prefix));
            out.extend(hits.map(|(k, v)| format!("{k}={v}")));
        } else if let Some(v) = ctx.var_str(item) {
            out.push(format!("{item}={v}"));
        }
    };
    for file in &f.env_file {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("reading --env-file {}", file.display()))?;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            one(line);
        }
    }
    for e in &f.env {
        one(e);
    }
    if f.http_proxy {
        // podman's --http-proxy: the host's values, unless the user set the variable.
        for k in PROXY_VARS {
            let set = out
                .iter()
                .any(|e| e.split_once('=').is_some_and(|(n, _)| n == k));
            if let (false, Some(v)) = (set, ctx.var_str(k)) {
                out.push(format!("{k}={v}"));
            }
        }
    }
    Ok(out)
}

/// `--entrypoint`: a JSON array, a single string, or "" (clear the image's).
fn entrypoint(e: &str) -> Vec<String> {
    if e.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<String>>(e).unwrap_or_else(|_| vec![e.to_string()])
    } else if e.is_empty() {
        vec![]
    } else {
        vec![e.to_string()]
    }
}

fn security(f: &ContainerFlags) -> anyhow::Result<Security> {
    let mut s = Security {
        privileged: f.privileged,
        cap_add: f.cap_add.clone(),
        cap_drop: f.cap_drop.clone(),
        root_emulation: f.root_emulation,
        ..Default::default()
    };
    for o in &f.security_opt {
        match settings::parse_security_opt(o).map_err(anyhow::Error::msg)? {
            SecurityOpt::NoNewPrivileges(b) => s.no_new_privileges = b,
            SecurityOpt::SeccompUnconfined => s.seccomp_unconfined = true,
            SecurityOpt::Honoured => {}
            SecurityOpt::NotApplied(w) => eprintln!("Warning: {w}"),
        }
    }
    Ok(s)
}

/// `--device`, then `--gpus` as podman spells it: the CDI device `nvidia.com/gpu=VALUE`.
fn devices(f: &ContainerFlags) -> anyhow::Result<Vec<crate::cdi::DeviceRequest>> {
    let gpus = f.gpus.iter().map(|g| format!("nvidia.com/gpu={g}"));
    let all = f.device.iter().cloned().chain(gpus);
    Ok(all
        .map(|d| crate::cdi::DeviceRequest::parse(&d))
        .collect::<Result<Vec<_>, _>>()?)
}

impl ContainerFlags {
    /// The global options run/create use (`--storage-opt`, `--cgroup-manager`).
    pub fn set_globals(&mut self, g: &super::GlobalArgs) {
        self.storage_opt = g.storage_opt.clone();
        self.cgroup_manager = g.cgroup_manager.clone();
    }

    /// The engine's request for these flags, every value validated.
    pub fn to_spec(&self, ctx: &Context) -> anyhow::Result<ContainerSpec> {
        let f = self;
        let log = crate::container::parse_log_opts(&f.log_opt)?;
        let env = environment(f, ctx)?;
        if let Some(n) = &f.name {
            crate::container::names::validate_name(n)?;
        }
        if let Some(w) = f.workdir.as_ref().filter(|w| !w.starts_with('/')) {
            anyhow::bail!("the working directory {w:?} must be an absolute path");
        }
        if f.no_hosts && !f.add_host.is_empty() {
            anyhow::bail!("--no-hosts and --add-host cannot be set together");
        }
        let ports = f
            .publish
            .iter()
            .map(|p| crate::network::ports::parse_publish(p))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let conf = crate::config::EngineConfig::load(ctx)?;
        let network = match &f.network {
            Some(n) => crate::network::Choice::parse(n)?,
            None => {
                // containers.conf's default_rootless_network_cmd, else slirp4netns.
                let mode = conf.default_network.as_ref().map(|(m, _)| m.as_str());
                crate::network::Choice::parse(mode.unwrap_or(crate::network::DEFAULT_MODE))?
            }
        };
        let security = security(f)?;
        let ulimits = f
            .ulimit
            .iter()
            .map(|u| settings::parse_ulimit(u))
            .collect::<anyhow::Result<Vec<_>>>()?;
        // Unknown capability names fail here, before anything exists.
        crate::runtime::caps::resolve(security.privileged, &security.cap_add, &security.cap_drop)?;
        let userns = match f.userns.as_deref() {
            None | Some("") | Some("host") => UsernsMode::Default,
            Some("keep-id") => UsernsMode::KeepId,
            Some(u) => anyhow::bail!("--userns={u} is not supported: use keep-id"),
        };
        let cwd = ctx.cwd().unwrap_or_else(|_| "/".into());
        let mut reqs = Vec::new();
        for v in &f.volume {
            reqs.push(mounts::parse_volume(v, &cwd)?);
        }
        for m in &f.mount {
            reqs.push(mounts::parse_mount(m, &cwd)?);
        }
        for t in &f.tmpfs {
            reqs.push(mounts::parse_tmpfs(t)?);
        }
        let devices = devices(f)?;
        let extra_hosts = f
            .add_host
            .iter()
            .map(|h| settings::split_pair(h, ':', "--add-host (HOST:IP)"))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let annotations = f
            .annotation
            .iter()
            .map(|a| settings::split_pair(a, '=', "--annotation (KEY=VALUE)"))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let labels = f
            .label
            .iter()
            .map(|l| {
                let (k, v) = l.split_once('=').unwrap_or((l, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        let console_size = f
            .tty
            .then(|| crate::runtime::pty::winsize(0).or_else(|| crate::runtime::pty::winsize(1)))
            .flatten();
        Ok(ContainerSpec {
            pull: f.pull,
            pull_options: f.pull_flags.options(f.quiet),
            name: f.name.clone(),
            command: f.command.clone(),
            entrypoint: f.entrypoint.as_deref().map(entrypoint),
            env,
            workdir: f.workdir.clone(),
            user: f.user.clone(),
            hostname: f.hostname.clone(),
            tty: f.tty,
            console_size,
            interactive: f.interactive,
            init: f.init,
            read_only: f.read_only,
            read_only_tmpfs: f.read_only_tmpfs,
            auto_remove: f.rm,
            network,
            ports,
            publish_all: f.publish_all,
            userns,
            mounts: reqs,
            devices,
            security,
            ulimits,
            resources: crate::cgroups::Requested {
                memory: f.memory.clone(),
                memory_swap: f.memory_swap.clone(),
                memory_reservation: f.memory_reservation.clone(),
                cpus: f.cpus.clone(),
                cpu_shares: f.cpu_shares.clone(),
                cpuset_cpus: f.cpuset_cpus.clone(),
                cpuset_mems: f.cpuset_mems.clone(),
                pids_limit: f.pids_limit.clone(),
            }
            .parse()?,
            cgroups: crate::cgroups::Wanted {
                mode: crate::cgroups::CgroupsMode::parse(&f.cgroups)?,
                manager: f
                    .cgroup_manager
                    .as_deref()
                    .or(conf.cgroup_manager.as_deref())
                    .map(crate::cgroups::ManagerKind::parse)
                    .transpose()?,
                parent: f.cgroup_parent.clone().filter(|p| !p.is_empty()),
            },
            labels,
            annotations,
            stop_signal: f.stop_signal.clone(),
            stop_timeout: f.stop_timeout,
            extra_hosts,
            dns_servers: f.dns.clone(),
            dns_search: f.dns_search.clone(),
            dns_options: f.dns_option.clone(),
            no_hosts: f.no_hosts,
            conf,
            log,
            cidfile: f.cidfile.clone(),
            pidfile: f.pidfile.clone(),
            mount_program: f
                .storage_opt
                .iter()
                .find_map(|o| o.strip_prefix("overlay.mount_program=").map(PathBuf::from)),
            create_command: ctx.args(),
            rootfs: f.rootfs,
            ..ContainerSpec::new(f.image.clone())
        })
    }
}
