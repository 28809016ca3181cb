//! [`ContainerSpec`]: what a user (or `build`, or a pod) asks of a new container, typed and
//! validated, with no command-line parser in sight. The CLI fills it from flags
//! (`cli/container_flags.rs`); [`super::create`] turns it, with the image and the store,
//! into a container record and its OCI bundle.
use crate::container::LogConfig;
use crate::image::{PullOptions, PullPolicy};
use crate::ops::mounts::Request;
use oci_spec::runtime::PosixRlimitType;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The user namespace a container gets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UsernsMode {
    /// The store's mapping (the caller is root inside).
    #[default]
    Default,
    /// `--userns=keep-id`: the caller keeps their own UID and GID inside.
    KeepId,
}

/// What confines the container beyond podman's defaults.
#[derive(Debug, Clone, Default)]
pub struct Security {
    pub privileged: bool,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    pub no_new_privileges: bool,
    pub seccomp_unconfined: bool,
    /// `--root-emulation`: `None` is on exactly for single-ID containers.
    pub root_emulation: Option<bool>,
}

/// A new container, as asked for.
#[derive(Debug, Clone)]
pub struct ContainerSpec {
    /// The image reference (pulled per `pull`), or the path of a squashfs image file; with
    /// `rootfs`, a root directory or squashfs file.
    pub image: String,
    /// `--rootfs`: `image` is a root filesystem (directory or squashfs file), not an image.
    pub rootfs: bool,
    pub pull: PullPolicy,
    pub pull_options: PullOptions,
    /// A valid container name (checked), or `None` for a generated one.
    pub name: Option<String>,
    /// Arguments after the image name (replace the image's Cmd).
    pub command: Vec<String>,
    /// `Some(vec![])` clears the image's entrypoint.
    pub entrypoint: Option<Vec<String>>,
    /// `VAR=value` items in order (later wins), host values already resolved.
    pub env: Vec<String>,
    /// An absolute path (checked).
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub hostname: Option<String>,
    pub tty: bool,
    /// The terminal's size for a `tty` container (rows, columns).
    pub console_size: Option<(u16, u16)>,
    pub interactive: bool,
    pub init: bool,
    pub read_only: bool,
    pub read_only_tmpfs: bool,
    /// `--rm`: remove the container (and its anonymous volumes) when it exits.
    pub auto_remove: bool,
    pub network: crate::network::Choice,
    /// `-p`: parsed; a host port of 0 is picked at create time.
    pub ports: Vec<crate::network::ports::PortMapping>,
    /// `-P`: also publish the image's `ExposedPorts` on random host ports.
    pub publish_all: bool,
    pub userns: UsernsMode,
    /// Volumes, binds and tmpfs, parsed (sources resolved against the caller's cwd).
    pub mounts: Vec<Request>,
    /// `--device` (host nodes and CDI names) and `--gpus`, parsed; looked up at create.
    pub devices: Vec<crate::cdi::DeviceRequest>,
    pub security: Security,
    /// `--ulimit`: (type, soft, hard).
    pub ulimits: Vec<(PosixRlimitType, u64, u64)>,
    /// `--memory`, `--cpus`, … validated.
    pub resources: crate::cgroups::Resources,
    /// `--cgroups`, `--cgroup-manager`, `--cgroup-parent`.
    pub cgroups: crate::cgroups::Wanted,
    pub labels: BTreeMap<String, String>,
    pub annotations: Vec<(String, String)>,
    pub stop_signal: Option<String>,
    pub stop_timeout: Option<u32>,
    /// `--add-host NAME:IP`.
    pub extra_hosts: Vec<(String, String)>,
    pub dns_servers: Vec<String>,
    pub dns_search: Vec<String>,
    pub dns_options: Vec<String>,
    pub no_hosts: bool,
    /// containers.conf's defaults (DNS, the base hosts file, host.containers.internal's
    /// address): what applies when the flags say nothing.
    pub conf: crate::config::EngineConfig,
    pub log: LogConfig,
    /// Write the new container's ID here (must not exist).
    pub cidfile: Option<PathBuf>,
    /// `--pidfile`: written with PID 1 before the command runs, at every start.
    pub pidfile: Option<PathBuf>,
    /// `--storage-opt overlay.mount_program=…`: a FUSE overlay program to force.
    pub mount_program: Option<PathBuf>,
    /// The command line that created it (`inspect`'s `Config.CreateCommand`).
    pub create_command: Vec<String>,
}

impl ContainerSpec {
    /// A spec for `image` with podman's defaults for everything else.
    pub fn new(image: impl Into<String>) -> ContainerSpec {
        ContainerSpec {
            image: image.into(),
            rootfs: false,
            pull: PullPolicy::Missing,
            pull_options: PullOptions::default(),
            name: None,
            command: vec![],
            entrypoint: None,
            env: vec![],
            workdir: None,
            user: None,
            hostname: None,
            tty: false,
            console_size: None,
            interactive: false,
            init: false,
            read_only: false,
            read_only_tmpfs: true,
            auto_remove: false,
            network: crate::network::Choice::Slirp4netns(Default::default()),
            ports: vec![],
            publish_all: false,
            userns: UsernsMode::Default,
            mounts: vec![],
            devices: vec![],
            security: Security::default(),
            ulimits: vec![],
            resources: Default::default(),
            cgroups: Default::default(),
            labels: BTreeMap::new(),
            annotations: vec![],
            stop_signal: None,
            stop_timeout: None,
            extra_hosts: vec![],
            dns_servers: vec![],
            dns_search: vec![],
            dns_options: vec![],
            no_hosts: false,
            conf: Default::default(),
            log: LogConfig::default(),
            cidfile: None,
            pidfile: None,
            mount_program: None,
            create_command: vec![],
        }
    }
}
