//! `rctr run`: create a container from an image and run it (podman's flags, output and exit
//! codes). Parse → validate into `specgen::Settings` → resolve the image → create the record
//! and its bundle (`config.json`) → start it with the built-in runtime.
//!
//! [`ContainerFlags`] and [`create_container`] are shared with `rctr create`.
use crate::cli::pull::PullFlags;
use crate::container::{Container, ContainerConfig, CreateOptions};
use crate::context::Context;
use crate::error::ExitError;
use crate::image::PullPolicy;
use crate::monitor::Io;
use crate::ops::mounts::{self, Request};
use crate::probe::overlay::RootMount;
use crate::runtime::bundle::{self, BundleInput};
use crate::runtime::settings::{self, Network, SecurityOpt, Settings};
use crate::runtime::specgen;
use crate::storage::Store;
use anyhow::Context as _;
use nix::sys::signal::{SigSet, Signal};
use std::path::PathBuf;
use std::process::ExitCode;

/// The flags of `run` and `create` (podman's names).
#[derive(Debug, Clone, clap::Args)]
pub struct ContainerFlags {
    /// Assign a name to the container
    #[arg(long)]
    pub name: Option<String>,
    /// Remove the container (and its anonymous volumes) when it exits
    #[arg(long)]
    pub rm: bool,
    /// Set environment variables (VAR=value, or VAR to pass the host's value)
    #[arg(short = 'e', long = "env", value_name = "VAR[=VALUE]")]
    pub env: Vec<String>,
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
    /// Make the root filesystem read-only
    #[arg(long)]
    pub read_only: bool,
    /// With --read-only, mount tmpfs on /run, /tmp and /var/tmp
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub read_only_tmpfs: bool,
    /// Container hostname (default: the first 12 characters of its ID)
    #[arg(short = 'h', long)]
    pub hostname: Option<String>,
    /// Network: none (default: a private namespace with only lo; user-mode networking is not
    /// implemented yet) or host
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
    /// Add a line to /etc/hosts (HOST:IP)
    #[arg(long = "add-host", value_name = "HOST:IP")]
    pub add_host: Vec<String>,
    /// Nameserver for /etc/resolv.conf (replaces the host's)
    #[arg(long, value_name = "IP")]
    pub dns: Vec<String>,
    /// Search domain for /etc/resolv.conf
    #[arg(long = "dns-search", value_name = "DOMAIN")]
    pub dns_search: Vec<String>,
    /// Add an annotation to the container's OCI spec (KEY=VALUE)
    #[arg(long, value_name = "KEY=VALUE")]
    pub annotation: Vec<String>,
    /// Write the container ID to FILE
    #[arg(long, value_name = "FILE")]
    pub cidfile: Option<PathBuf>,
    /// Memory limit (accepted; not enforced without a delegated cgroup, with a warning)
    #[arg(short = 'm', long, value_name = "BYTES")]
    pub memory: Option<String>,
    /// Memory+swap limit (see --memory)
    #[arg(long, value_name = "BYTES")]
    pub memory_swap: Option<String>,
    /// CPU limit (see --memory)
    #[arg(long, value_name = "N")]
    pub cpus: Option<String>,
    /// CPU shares (see --memory)
    #[arg(short = 'c', long, value_name = "N")]
    pub cpu_shares: Option<String>,
    /// Process limit (see --memory)
    #[arg(long, value_name = "N")]
    pub pids_limit: Option<String>,
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
    /// Image to run
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

#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct RunArgs {
    /// Run in the background and print the container ID
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Forward signals to the container (always on)
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set, hide = true)]
    pub sig_proxy: bool,
    /// Print help
    #[arg(long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    #[command(flatten)]
    pub flags: ContainerFlags,
}

fn usage(msg: String) -> anyhow::Error {
    ExitError::new(crate::error::EXIT_ENGINE, msg).into()
}

/// `-e` and `--env-file` in podman's order (files first, then -e), `VAR` alone taking the
/// host's value (and dropped when the host has none).
fn environment(f: &ContainerFlags, ctx: &Context) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut one = |item: &str| {
        if item.contains('=') {
            out.push(item.to_string());
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
    Ok(out)
}

/// Validate the flags into settings (no image, no store yet).
pub fn settings(f: &ContainerFlags, ctx: &Context) -> anyhow::Result<(Settings, Vec<Request>)> {
    let mut s = Settings {
        command: f.command.clone(),
        env: environment(f, ctx)?,
        workdir: f.workdir.clone(),
        user: f.user.clone(),
        tty: f.tty,
        read_only: f.read_only,
        read_only_tmpfs: f.read_only_tmpfs,
        hostname: f.hostname.clone(),
        cap_add: f.cap_add.clone(),
        cap_drop: f.cap_drop.clone(),
        privileged: f.privileged,
        init: f.init,
        seccomp_cache: Some(ctx.data_dir.join("cache").join("seccomp")),
        ..Default::default()
    };
    if let Some(n) = &f.name {
        crate::container::names::validate_name(n)?;
    }
    if let Some(w) = &s.workdir {
        if !w.starts_with('/') {
            return Err(usage(format!(
                "the working directory {w:?} must be an absolute path"
            )));
        }
    }
    s.entrypoint = f.entrypoint.as_ref().map(|e| {
        if e.trim_start().starts_with('[') {
            serde_json::from_str::<Vec<String>>(e).unwrap_or_else(|_| vec![e.clone()])
        } else if e.is_empty() {
            vec![]
        } else {
            vec![e.clone()]
        }
    });
    s.network = Some(match f.network.as_deref() {
        None | Some("none") | Some("private") | Some("") => Network::Private,
        Some("host") => Network::Host,
        Some(other) => return Err(usage(format!(
            "network mode {other:?} is not supported yet: use --network none (a private namespace with only lo) or --network host"
        ))),
    });
    for o in &f.security_opt {
        match settings::parse_security_opt(o).map_err(usage)? {
            SecurityOpt::NoNewPrivileges(b) => s.no_new_privileges = b,
            SecurityOpt::SeccompUnconfined => s.seccomp_unconfined = true,
            SecurityOpt::Honoured => {}
            SecurityOpt::NotApplied(w) => eprintln!("Warning: {w}"),
        }
    }
    for u in &f.ulimit {
        s.ulimits.push(settings::parse_ulimit(u)?);
    }
    crate::runtime::caps::resolve(s.privileged, &s.cap_add, &s.cap_drop)?; // unknown capability names fail here, before anything exists
    if let Some(u) = f.userns.as_deref() {
        if !matches!(u, "" | "keep-id" | "host") {
            return Err(usage(format!("--userns={u} is not supported: use keep-id")));
        }
    }
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
    for h in &f.add_host {
        s.extra_hosts
            .push(settings::split_pair(h, ':', "--add-host (HOST:IP)")?);
    }
    s.dns_servers = f.dns.clone();
    s.dns_search = f.dns_search.clone();
    for a in &f.annotation {
        s.annotations
            .push(settings::split_pair(a, '=', "--annotation (KEY=VALUE)")?);
    }
    let limits = [
        &f.memory,
        &f.memory_swap,
        &f.cpus,
        &f.cpu_shares,
        &f.pids_limit,
    ];
    if limits.iter().any(|l| l.is_some()) {
        // podman on a cgroup v1/hybrid rootless host: a warning, not a failure.
        let cg = crate::probe::cgroups::detect(ctx.uid);
        let why = if cg.limits_available {
            "rctr does not apply cgroup limits yet".to_string()
        } else {
            cg.note
        };
        eprintln!(
            "Warning: resource limits (--memory, --cpus, --pids-limit, …) are ignored: {why}"
        );
    }
    s.cgroupns = cgroup2_host();
    if f.tty {
        s.console_size =
            crate::runtime::pty::winsize(0).or_else(|| crate::runtime::pty::winsize(1));
    }
    Ok((s, reqs))
}

/// A pure cgroup v2 host: containers get their own cgroup namespace (podman's default there).
/// Hybrid and v1 hosts (this one) keep the host's, as podman does rootless.
fn cgroup2_host() -> bool {
    const CGROUP2_SUPER_MAGIC: i64 = 0x6367_7270;
    rustix::fs::statfs("/sys/fs/cgroup").is_ok_and(|s| s.f_type == CGROUP2_SUPER_MAGIC)
}

/// A created container, ready to start.
pub struct Created {
    pub container: Container,
    pub mapping: crate::idmap::IdMapping,
}

/// Print the store's single-ID notice, once per store (a marker file remembers it).
fn single_id_notice(store: &Store) {
    if let Some(why) = store.single_id_notice() {
        let marker = store.root().join(".single-id-notice");
        if !marker.exists()
            && std::fs::create_dir_all(store.root()).is_ok()
            && std::fs::write(&marker, why).is_ok()
        {
            eprintln!("Notice: single-ID mode ({why}): containers see only your own user as root; other IDs are not mapped");
        }
    }
}

/// Everything `run` and `create` share: settings, image, record, bundle.
pub fn create_container(f: &ContainerFlags, ctx: &Context) -> anyhow::Result<Created> {
    let log = crate::container::parse_log_opts(&f.log_opt)?;
    let (mut s, reqs) = settings(f, ctx)?;
    let store = Store::open(ctx).map_err(|e| {
        // The store cannot be used with the mapping planned now: when that plan fell back to
        // single-ID mode because of a broken helper (newuidmap), that is the news to give.
        match crate::idmap::plan_for(ctx).single_reason {
            Some(why) if !why.starts_with("no subordinate") => {
                e.context(format!("cannot use your subordinate IDs: {why}"))
            }
            _ => e,
        }
    })?;
    single_id_notice(&store);
    let img = crate::image::ensure_image(
        ctx,
        &store,
        &f.image,
        f.pull,
        &f.pull_flags.options(f.quiet),
    )?;
    let (user_mounts, records) = mounts::resolve(ctx, &reqs)?;
    s.mounts = user_mounts;
    let (mapping, root_mount, fuse_maps) = userns_plan(f, ctx, &store, &mut s)?;
    let cfg = img.config.config().clone();
    let image_name = img.names.first().cloned().unwrap_or_else(|| img.id.clone());
    let mut labels = std::collections::BTreeMap::new();
    for l in &f.label {
        let (k, v) = l.split_once('=').unwrap_or((l, ""));
        labels.insert(k.to_string(), v.to_string());
    }
    let c = cfg.as_ref();
    let c_opts = CreateOptions {
        name: f.name.clone(),
        image: image_name.clone(),
        image_id: img.id.clone(),
        command: specgen::command(cfg.as_ref(), &s)?,
        config: ContainerConfig {
            entrypoint: s
                .entrypoint
                .clone()
                .or_else(|| c.and_then(|c| c.entrypoint().clone()))
                .unwrap_or_default(),
            cmd: if f.command.is_empty() {
                c.and_then(|c| c.cmd().clone()).unwrap_or_default()
            } else {
                f.command.clone()
            },
            env: s.env.clone(),
            working_dir: s
                .workdir
                .clone()
                .or_else(|| c.and_then(|c| c.working_dir().clone()))
                .unwrap_or_else(|| "/".into()),
            user: s
                .user
                .clone()
                .or_else(|| c.and_then(|c| c.user().clone()))
                .unwrap_or_default(),
            labels,
            stop_signal: f
                .stop_signal
                .clone()
                .or_else(|| c.and_then(|c| c.stop_signal().clone()))
                .unwrap_or_default(),
            stop_timeout: f.stop_timeout.unwrap_or(0),
            tty: f.tty,
            interactive: f.interactive,
            ..Default::default()
        },
        mounts: records,
        network: if s.network == Some(Network::Host) {
            crate::container::NetworkMode::Host
        } else {
            crate::container::NetworkMode::None
        },
        auto_remove: f.rm,
        create_command: ctx.args(),
        // keep-id: the monitor must start it with this mapping, not the store's.
        idmapping: (&mapping != store.mapping()).then(|| mapping.clone()),
        log,
        ..Default::default()
    };
    if let Some(p) = f.cidfile.as_ref().filter(|p| p.exists()) {
        anyhow::bail!("container id file {} exists: remove it first", p.display());
    }
    let container = Container::create(ctx, c_opts)?;
    s.id = container.id().to_string();
    s.name = container.name().to_string();
    s.image_name = image_name;
    s.image_id = img.id.clone();
    let input = BundleInput {
        settings: &s,
        image_config: cfg.as_ref(),
        lower: store.lower_dirs(&img),
        mapping: &mapping,
        mount_program: root_mount.mount_program,
        lowerdir_append: root_mount.lowerdir_append,
        fuse_maps,
        durable: !f.rm,
    };
    let written = bundle::write(container.dir(), &container.bundle_dir(), &input).and_then(|_| {
        match &f.cidfile {
            Some(p) => std::fs::write(p, container.id())
                .with_context(|| format!("writing --cidfile {}", p.display())),
            None => Ok(()),
        }
    });
    if let Err(e) = written {
        let _ = container.remove(ctx);
        return Err(e);
    }
    for m in container
        .rec
        .mounts
        .iter()
        .filter(|m| m.kind == crate::container::MountKind::Volume)
    {
        if s.mounts
            .iter()
            .any(|u| u.copy_up && u.destination == m.destination)
        {
            let _ = crate::volume::mark_copied(ctx, &m.name);
        }
    }
    Ok(Created { container, mapping })
}

/// The user namespace for the container: the store's mapping, or `--userns=keep-id` (the
/// caller keeps their own UID inside). Layers are owned per the store's mapping, so with
/// keep-id the root is mounted through fuse-overlayfs with a uid/gid shift (podman's way
/// without a copy of the image).
#[allow(clippy::type_complexity)]
fn userns_plan(
    f: &ContainerFlags,
    ctx: &Context,
    store: &Store,
    s: &mut Settings,
) -> anyhow::Result<(crate::idmap::IdMapping, RootMount, Option<(String, String)>)> {
    let forced = f
        .storage_opt
        .iter()
        .find_map(|o| o.strip_prefix("overlay.mount_program=").map(PathBuf::from));
    let base = store.mapping().clone();
    if f.userns.as_deref() != Some("keep-id") {
        let root = match forced {
            Some(p) => RootMount {
                mount_program: Some(p),
                lowerdir_append: None,
            },
            None => crate::probe::overlay::root_mount(ctx)?,
        };
        return Ok((base, root, None));
    }
    let keep = base.keep_id(ctx.uid, ctx.gid);
    if s.user.is_none() {
        s.user = Some(format!("{}:{}", ctx.uid, ctx.gid));
    }
    if base.mode == crate::idmap::MappingMode::SingleId {
        // Every file of the image is the caller's already: nothing to shift.
        let root = match forced {
            Some(p) => RootMount {
                mount_program: Some(p),
                lowerdir_append: None,
            },
            None => crate::probe::overlay::root_mount(ctx)?,
        };
        return Ok((keep, root, None));
    }
    let prog = forced
        .or_else(|| crate::idmap::find_in_path_in(ctx.path(), "fuse-overlayfs"))
        .context("--userns=keep-id needs fuse-overlayfs (to show the image's files with their owners without copying the image): install it")?;
    let maps = crate::runtime::specgen::shift_maps(&base, &keep);
    let root = RootMount {
        mount_program: Some(prog),
        lowerdir_append: None,
    };
    Ok((keep, root, Some(maps)))
}

pub fn run(args: RunArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let f = &args.flags;
    // Signals that arrive while the container starts stay pending and are forwarded by the
    // monitor loop (it reads them from a signalfd); children start with a clean mask.
    let forwarded = [
        Signal::SIGINT,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGQUIT,
        Signal::SIGUSR1,
        Signal::SIGUSR2,
        Signal::SIGWINCH,
    ];
    if !args.detach {
        let mut set = SigSet::empty();
        forwarded.iter().for_each(|s| set.add(*s));
        set.thread_block().context("blocking signals")?;
    }
    let Created {
        mut container,
        mapping,
    } = create_container(f, ctx)?;
    if args.detach {
        crate::monitor::start_detached(ctx, &mut container)?;
        println!("{}", container.id());
        return Ok(ExitCode::SUCCESS);
    }
    if !f.rm {
        let fg = crate::monitor::Foreground {
            interactive: f.interactive,
        };
        let code = crate::monitor::run_foreground(ctx, &mut container, fg)?;
        return Ok(ExitCode::from(code));
    }
    // --rm in the foreground: nothing outlives this command (no log to keep), so the
    // container gets our stdio itself (a pty: proxied) and nothing copies its output.
    let opts = crate::runtime::StartOptions {
        stdin: if f.interactive {
            std::process::Stdio::inherit()
        } else {
            std::process::Stdio::null()
        },
        remove_rootfs: true,
        trace: ctx.debug,
        ..Default::default()
    };
    let mut started = match crate::runtime::start(&container.bundle_dir(), &mapping, opts) {
        Ok(s) => s,
        Err(fail) => {
            let _ = crate::ops::remove_with_volumes(ctx, &container);
            return Err(ExitError::new(fail.exit_code(), format!("rctr: {fail}")).into());
        }
    };
    let (io, raw) = match started.pty.take() {
        Some(master) => {
            let input = if f.interactive {
                Some(master.try_clone()?)
            } else {
                None
            };
            let raw = if f.interactive {
                crate::runtime::pty::RawMode::enter(0)
            } else {
                crate::runtime::pty::RawMode::output_only(1)
            };
            let io = Io {
                stdout: Some(master),
                stderr: None,
                stdin: input,
                attached: true,
                tty: true,
                reap_orphans: false,
            };
            (io, raw)
        }
        None => (
            Io {
                stdout: None,
                stderr: None,
                stdin: None,
                attached: false,
                tty: false,
                reap_orphans: false,
            },
            None,
        ),
    };
    let code = crate::monitor::supervise(ctx, &mut container, started, io, &mut || {});
    drop(raw); // the caller's terminal back to normal before we return
               // The monitor loop removed the container (--rm) and its anonymous volumes.
    Ok(ExitCode::from(code?))
}
