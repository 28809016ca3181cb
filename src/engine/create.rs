//! [`create`]: a [`ContainerSpec`] → the image (pulled when it must be), the container's
//! record and its OCI bundle, with nothing half-written on failure.
use super::spec::{ContainerSpec, UsernsMode};
use crate::container::{Container, ContainerConfig, CreateOptions};
use crate::context::Context;
use crate::idmap::{IdMapping, MappingMode};
use crate::ops::mounts;
use crate::probe::overlay::RootMount;
use crate::specgen::bundle::{self, BundleInput};
use crate::specgen::settings::{Network, Settings};
use crate::storage::Store;
use anyhow::Context as _;
use oci_spec::image::Config as ImageConfig;

/// A created container, ready to start.
pub struct Created {
    pub container: Container,
    /// The mapping it must be started with (the store's, or its own with keep-id).
    pub mapping: IdMapping,
}

/// The spec's settings for spec generation (no I/O but the host's cgroup type).
fn settings(ctx: &Context, spec: &ContainerSpec) -> Settings {
    Settings {
        command: spec.command.clone(),
        entrypoint: spec.entrypoint.clone(),
        env: spec.env.clone(),
        workdir: spec.workdir.clone(),
        user: spec.user.clone(),
        tty: spec.tty,
        console_size: spec.console_size.filter(|_| spec.tty),
        read_only: spec.read_only,
        read_only_tmpfs: spec.read_only_tmpfs,
        hostname: spec.hostname.clone(),
        network: Some(match &spec.network {
            crate::network::Choice::Host => Network::Host,
            crate::network::Choice::Container(_) => Network::Joined,
            _ => Network::Private,
        }),
        tap: spec.network.slirp().map(|n| n.tap()),
        dns_forwarder: match &spec.network {
            crate::network::Choice::Pasta(_) => Some(
                crate::network::pasta::DNS_FORWARD
                    .parse()
                    .expect("an address"),
            ),
            n => n.slirp().map(|n| n.dns()),
        },
        cap_add: spec.security.cap_add.clone(),
        cap_drop: spec.security.cap_drop.clone(),
        privileged: spec.security.privileged,
        no_new_privileges: spec.security.no_new_privileges,
        seccomp_unconfined: spec.security.seccomp_unconfined,
        ulimits: spec.ulimits.clone(),
        init: spec.init,
        seccomp_cache: Some(ctx.data_dir.join("cache").join("seccomp")),
        extra_hosts: spec.extra_hosts.clone(),
        dns_servers: or_conf(&spec.dns_servers, &spec.conf.dns_servers),
        dns_search: or_conf(&spec.dns_search, &spec.conf.dns_searches),
        dns_options: or_conf(&spec.dns_options, &spec.conf.dns_options),
        hosts_base: crate::specgen::settings::HostsBase::parse(
            spec.conf.base_hosts_file.as_deref().unwrap_or(""),
        ),
        host_internal: host_internal(spec),
        no_hosts: spec.no_hosts,
        annotations: spec.annotations.clone(),
        cgroupns: cgroup2_host(),
        ..Default::default()
    }
}

/// The flags' values, else containers.conf's.
fn or_conf(flags: &[String], conf: &[String]) -> Vec<String> {
    if flags.is_empty() { conf } else { flags }.to_vec()
}

/// `host.containers.internal`: containers.conf's address, else, with slirp, its gateway when
/// the host's loopback is open to the container (`allow_host_loopback`) and the host's own
/// address when it is not (as podman). None for the other modes.
fn host_internal(spec: &ContainerSpec) -> Option<std::net::IpAddr> {
    let slirp = spec.network.slirp()?;
    if let Some(ip) = spec.conf.host_containers_internal_ip.as_deref() {
        // Validated when containers.conf was read; "" means rctr's choice.
        if let Ok(ip) = ip.parse() {
            return Some(ip);
        }
    }
    if slirp.allow_host_loopback {
        return Some(slirp.gateway().into());
    }
    Some(
        crate::network::host_address()
            .unwrap_or(slirp.gateway())
            .into(),
    )
}

/// A pure cgroup v2 host: containers get their own cgroup namespace (podman's default there).
/// Hybrid and v1 hosts keep the host's, as podman does rootless.
fn cgroup2_host() -> bool {
    const CGROUP2_SUPER_MAGIC: i64 = 0x6367_7270;
    rustix::fs::statfs("/sys/fs/cgroup").is_ok_and(|s| s.f_type == CGROUP2_SUPER_MAGIC)
}

/// Print the store's single-ID notice, once per store (a marker file remembers it).
fn single_id_notice(store: &Store) {
    if let Some(why) = store.single_id_notice() {
        let marker = store.root().join(".single-id-notice");
        if !marker.exists()
            && std::fs::create_dir_all(store.root()).is_ok()
            && std::fs::write(&marker, why.to_string()).is_ok()
        {
            eprintln!("Notice: single-ID mode ({why}): containers see only your own user as root; other IDs are not mapped");
        }
    }
}

/// The store, with the news when the ID plan fell back to single-ID mode because the
/// helpers (newuidmap) are broken rather than because the user has no subordinate IDs.
fn open_store(ctx: &Context) -> anyhow::Result<Store> {
    Store::open(ctx).map_err(|e| match crate::idmap::plan_for(ctx).single_reason {
        Some(why) if !why.is_missing_ids() => {
            e.context(format!("cannot use your subordinate IDs: {why}"))
        }
        _ => e,
    })
}

/// The record's view of the container's configuration (what `inspect` shows).
fn record_config(spec: &ContainerSpec, s: &Settings, img: Option<&ImageConfig>) -> ContainerConfig {
    ContainerConfig {
        entrypoint: s
            .entrypoint
            .clone()
            .or_else(|| img.and_then(|c| c.entrypoint().clone()))
            .unwrap_or_default(),
        cmd: if spec.command.is_empty() {
            img.and_then(|c| c.cmd().clone()).unwrap_or_default()
        } else {
            spec.command.clone()
        },
        env: s.env.clone(),
        working_dir: s
            .workdir
            .clone()
            .or_else(|| img.and_then(|c| c.working_dir().clone()))
            .unwrap_or_else(|| "/".into()),
        user: s
            .user
            .clone()
            .or_else(|| img.and_then(|c| c.user().clone()))
            .unwrap_or_default(),
        labels: spec.labels.clone(),
        stop_signal: spec
            .stop_signal
            .clone()
            .or_else(|| img.and_then(|c| c.stop_signal().clone()))
            .unwrap_or_default(),
        stop_timeout: spec.stop_timeout.unwrap_or(0),
        tty: spec.tty,
        interactive: spec.interactive,
        ..Default::default()
    }
}

/// `--network pasta`: the program, found now (a host without it fails the create in one
/// line), and its options.
fn pasta_settings(
    ctx: &Context,
    n: &crate::network::Choice,
) -> anyhow::Result<Option<crate::network::pasta::PastaSettings>> {
    let crate::network::Choice::Pasta(options) = n else {
        return Ok(None);
    };
    let Some(program) = crate::idmap::find_in_path_in(ctx.path(), "pasta") else {
        anyhow::bail!("--network pasta needs the pasta program, which is not installed: install passt (Debian/Ubuntu: apt install passt; Fedora: dnf install passt) or use --network slirp4netns");
    };
    Ok(Some(crate::network::pasta::PastaSettings {
        program,
        options: options.clone(),
    }))
}

/// `-p` and `-P` (the image's `ExposedPorts`), host ports picked and checked; podman's
/// warning and nothing published when the network mode has no ports to forward.
fn published(
    ctx: &Context,
    spec: &ContainerSpec,
    img: Option<&oci_spec::image::Config>,
) -> anyhow::Result<Vec<crate::network::ports::PortMapping>> {
    use crate::network::ports;
    let mut all = spec.ports.clone();
    if spec.publish_all {
        let keys: Vec<String> = img
            .and_then(|c| c.exposed_ports().clone())
            .unwrap_or_default();
        all.extend(ports::exposed(&keys)?);
    }
    if all.is_empty() {
        return Ok(all);
    }
    if !matches!(
        spec.network,
        crate::network::Choice::Slirp4netns(_) | crate::network::Choice::Pasta(_)
    ) {
        eprintln!("Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use");
        return Ok(vec![]);
    }
    let start = ports::unprivileged_port_start();
    for m in &mut all {
        ports::check_unprivileged(m, start, ctx.uid == 0)?;
        ports::assign_random(m)?;
    }
    Ok(all)
}

/// Create the container `spec` asks for: image, record, bundle, `--cidfile`.
pub fn create(ctx: &Context, spec: &ContainerSpec) -> anyhow::Result<Created> {
    let t0 = std::time::Instant::now();
    let mut s = settings(ctx, spec);
    let devices = super::devices::resolve(ctx, &spec.devices)?;
    s.env.extend(devices.env);
    s.devices = devices.devices;
    let cgroup = crate::cgroups::plan(ctx, &spec.resources, &spec.cgroups)?;
    if let Some(w) = &cgroup.warning {
        eprintln!("{w}");
    }
    let store = open_store(ctx)?;
    single_id_notice(&store);
    let root = super::rootsrc::resolve(ctx, &store, spec)?;
    let (user_mounts, records) = mounts::resolve(ctx, &spec.mounts)?;
    s.mounts = user_mounts;
    s.mounts.extend(devices.mounts);
    let (mapping, root_mount, fuse_maps) = userns_plan(spec, ctx, &store, &mut s)?;
    // Only the caller's own ID is mapped: chown to any other owner fails (EINVAL), and so do
    // package managers; emulate root there unless told not to (as `ch-run --seccomp`).
    s.root_emulation = spec
        .security
        .root_emulation
        .unwrap_or(mapping.mode == crate::idmap::MappingMode::SingleId);
    let joined = joined_network(ctx, spec, &mapping, &store)?;
    s.joined_files = joined.as_ref().map(|j| j.dir().join("userdata"));
    log_plan(&mapping, &root_mount, &s);
    let cfg = root.config.as_ref().and_then(|c| c.config().clone());
    let c_opts = CreateOptions {
        name: spec.name.clone(),
        image: root.name.clone(),
        image_id: root.id.clone(),
        command: crate::specgen::command(cfg.as_ref(), &s)?,
        config: record_config(spec, &s, cfg.as_ref()),
        mounts: records,
        devices: s.devices.clone(),
        network: match spec.network {
            crate::network::Choice::Host => crate::container::NetworkMode::Host,
            crate::network::Choice::None => crate::container::NetworkMode::None,
            crate::network::Choice::Slirp4netns(_) => crate::container::NetworkMode::Slirp4netns,
            crate::network::Choice::Pasta(_) => crate::container::NetworkMode::Pasta,
            crate::network::Choice::Container(_) => crate::container::NetworkMode::Container,
        },
        network_container: joined.as_ref().map(|j| j.id().to_string()),
        resources: spec.resources.clone(),
        cgroup: cgroup.placement,
        pasta: pasta_settings(ctx, &spec.network)?,
        slirp: spec.network.slirp().cloned(),
        ports: published(ctx, spec, cfg.as_ref())?,
        auto_remove: spec.auto_remove,
        create_command: spec.create_command.clone(),
        // keep-id: the monitor must start it with this mapping, not the store's.
        idmapping: (&mapping != store.mapping()).then(|| mapping.clone()),
        log: spec.log.clone(),
        // The monitor writes it later, from its own working directory.
        pidfile: match &spec.pidfile {
            Some(p) if p.is_relative() => Some(ctx.cwd()?.join(p)),
            p => p.clone(),
        },
    };
    if let Some(p) = spec.cidfile.as_ref().filter(|p| p.exists()) {
        anyhow::bail!("container id file {} exists: remove it first", p.display());
    }
    let container = Container::create(ctx, c_opts)?;
    if let Some(j) = &joined {
        if let Err(e) = j.add_dependent(container.id()) {
            let _ = container.remove(ctx);
            return Err(e.context(format!("joining the network of container {}", j.name())));
        }
    }
    s.id = container.id().to_string();
    s.name = container.name().to_string();
    s.image_name = root.name;
    s.image_id = root.id;
    let input = BundleInput {
        settings: &s,
        image_config: cfg.as_ref(),
        root: root.input,
        mapping: &mapping,
        mount_program: root_mount.mount_program,
        lowerdir_append: root_mount.lowerdir_append,
        fuse_maps,
        durable: !spec.auto_remove,
    };
    let written = bundle::write(container.dir(), &container.bundle_dir(), &input).and_then(|_| {
        match &spec.cidfile {
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
    log::debug!(
        "create: container {} ready (+{} µs)",
        container.id(),
        t0.elapsed().as_micros()
    );
    Ok(Created { container, mapping })
}

/// `--log-level debug`: what was decided for the container, one line per concern.
fn log_plan(mapping: &IdMapping, root: &RootMount, s: &Settings) {
    if !crate::logging::debug_enabled() {
        return;
    }
    let ranges = |m: &[crate::idmap::IdMap]| {
        m.iter()
            .map(|x| format!("{}:{}:{}", x.container_id, x.host_id, x.size))
            .collect::<Vec<_>>()
            .join(",")
    };
    log::debug!(
        "create: ID mapping {:?}: uids {}, gids {}",
        mapping.mode,
        ranges(&mapping.uid_map),
        ranges(&mapping.gid_map)
    );
    match &root.mount_program {
        Some(p) => log::debug!("create: root overlay through {}", p.display()),
        None => log::debug!(
            "create: root overlay native (lowerdir+: {})",
            root.lowerdir_append
                .map_or("probe at start".to_string(), |b| b.to_string())
        ),
    }
    for m in &s.mounts {
        log::debug!(
            "create: mount {} {} on {} ({})",
            m.typ.as_str(),
            m.source,
            m.destination,
            m.options.join(",")
        );
    }
    log::debug!(
        "create: network namespace {:?}, tap {:?}",
        s.network.unwrap_or(Network::Private),
        s.tap
    );
}

/// `--network container:NAME`: that container, which must exist (it need not run until this
/// one starts) and map IDs as this one will: its user namespace is joined with its network.
fn joined_network(
    ctx: &Context,
    spec: &ContainerSpec,
    mapping: &IdMapping,
    store: &Store,
) -> anyhow::Result<Option<Container>> {
    let crate::network::Choice::Container(name) = &spec.network else {
        return Ok(None);
    };
    // Its names and resolver are the other container's: podman refuses to change them.
    for (given, what) in [
        (!spec.dns_servers.is_empty(), "dns"),
        (!spec.dns_search.is_empty(), "dns search"),
        (!spec.dns_options.is_empty(), "dns option"),
        (!spec.extra_hosts.is_empty(), "cannot add host entries"),
    ] {
        if given {
            anyhow::bail!("conflicting options: {what} and the network mode: container");
        }
    }
    let other =
        Container::lookup(ctx, name).context("looking up container to share net namespace with")?;
    let theirs = other.rec.idmapping.as_ref().unwrap_or(store.mapping());
    if theirs != mapping {
        anyhow::bail!(
            "--network container:{name}: that container maps user IDs differently (--userns), and its network can only be joined with its user namespace: create both with the same --userns"
        );
    }
    Ok(Some(other))
}

/// The root mount with no ID shift: a forced mount program, else the probe's verdict.
fn plain_root(ctx: &Context, spec: &ContainerSpec) -> anyhow::Result<RootMount> {
    match &spec.mount_program {
        Some(p) => Ok(RootMount {
            mount_program: Some(p.clone()),
            lowerdir_append: None,
        }),
        None => crate::probe::overlay::root_mount(ctx),
    }
}

/// The user namespace for the container: the store's mapping, or `--userns=keep-id` (the
/// caller keeps their own UID inside). Layers are owned per the store's mapping, so with
/// keep-id the root is mounted through fuse-overlayfs with a uid/gid shift (podman's way
/// without a copy of the image).
#[allow(clippy::type_complexity)]
fn userns_plan(
    spec: &ContainerSpec,
    ctx: &Context,
    store: &Store,
    s: &mut Settings,
) -> anyhow::Result<(IdMapping, RootMount, Option<(String, String)>)> {
    let base = store.mapping().clone();
    if spec.userns != UsernsMode::KeepId {
        return Ok((base, plain_root(ctx, spec)?, None));
    }
    let keep = base.keep_id(ctx.uid, ctx.gid);
    if s.user.is_none() {
        s.user = Some(format!("{}:{}", ctx.uid, ctx.gid));
    }
    if base.mode == MappingMode::SingleId {
        // Every file of the image is the caller's already: nothing to shift.
        return Ok((keep, plain_root(ctx, spec)?, None));
    }
    let prog = spec.mount_program.clone()
        .or_else(|| crate::idmap::find_in_path_in(ctx.path(), "fuse-overlayfs"))
        .context("--userns=keep-id needs fuse-overlayfs (to show the image's files with their owners without copying the image): install it")?;
    let maps = crate::specgen::shift_maps(&base, &keep);
    let root = RootMount {
        mount_program: Some(prog),
        lowerdir_append: None,
    };
    Ok((keep, root, Some(maps)))
}
