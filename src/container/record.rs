//! The on-disk record of a container (`container.json`): identity, configuration, state.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// podman's container states (the subset rctr has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Created,
    Running,
    Exited,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Created => "created",
            Status::Running => "running",
            Status::Exited => "exited",
            Status::Unknown => "unknown",
        }
    }
}

/// The mutable part of a record.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct State {
    pub status: Status,
    /// PID of the container's PID 1 (host namespace) and its /proc start time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid_start: Option<u64>,
    /// The monitor (rctr's conmon) supervising the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor_pid: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor_start: Option<u64>,
    /// Boot the PIDs belong to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boot_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// Why the container stopped abnormally or could not start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default)]
    pub oom_killed: bool,
    #[serde(default)]
    pub restart_count: u32,
}

/// What the container was created with (podman's `Config` in inspect).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ContainerConfig {
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub env: Vec<String>,
    pub working_dir: String,
    pub user: String,
    pub hostname: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// e.g. `SIGTERM` (the image's StopSignal, else podman's default).
    pub stop_signal: String,
    /// Seconds `stop` waits before SIGKILL (podman's default 10).
    pub stop_timeout: u32,
    pub tty: bool,
    pub interactive: bool,
}

pub use crate::network::ports::PortMapping;

/// What a [`MountRecord`] mounts; serialised as podman's `Type` strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MountKind {
    /// A host path (`-v /host:/ctr`, `--mount type=bind`).
    #[default]
    Bind,
    /// A named or anonymous volume (its `name` is set).
    Volume,
    /// `--tmpfs`, `--mount type=tmpfs`.
    Tmpfs,
}

/// The container's network mode (`NetworkMode` in inspect); serialised as podman's strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkMode {
    /// A private network namespace with only `lo` (`--network none`, rctr's default).
    #[default]
    None,
    /// The host's network namespace (`--network host`).
    Host,
    /// A private namespace with `tap0` behind the monitor's libslirp (rctr's default).
    Slirp4netns,
    /// A private namespace connected by pasta.
    Pasta,
    /// Another container's namespace (`network_container`); inspect shows `container:ID`.
    Container,
}

/// A mount as shown by inspect/ps (`Mounts`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct MountRecord {
    #[serde(rename = "type")]
    pub kind: MountKind,
    /// Volume name for named volumes.
    pub name: String,
    pub source: String,
    pub destination: String,
    pub options: Vec<String>,
    pub rw: bool,
}

/// `container.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ContainerRecord {
    pub id: String,
    pub name: String,
    /// The image name as resolved (podman's ImageName), and its ID.
    pub image: String,
    pub image_id: String,
    /// RFC 3339 with nanoseconds.
    pub created: String,
    /// The argv PID 1 runs (inspect's Path + Args).
    pub command: Vec<String>,
    #[serde(default)]
    pub config: ContainerConfig,
    #[serde(default)]
    pub ports: Vec<PortMapping>,
    #[serde(default)]
    pub mounts: Vec<MountRecord>,
    /// `--device` and CDI device nodes (inspect's `HostConfig.Devices`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<crate::cdi::Device>,
    #[serde(default)]
    pub network: NetworkMode,
    /// The slirp4netns settings when `network` is `Slirp4netns`: the monitor's stack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slirp: Option<crate::network::SlirpSettings>,
    /// The pasta program and options when `network` is `Pasta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pasta: Option<crate::network::pasta::PastaSettings>,
    /// The ID of the container whose network namespace this one joins (`Container` mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_container: Option<String>,
    /// `--memory`, `--cpus`, … (inspect's HostConfig shows them).
    #[serde(default, skip_serializing_if = "crate::cgroups::Resources::is_default")]
    pub resources: crate::cgroups::Resources,
    /// Where the monitor puts PID 1 at each start (`None`: the caller's own cgroup).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroup: Option<crate::cgroups::Placement>,
    /// `--rm`: removed by whoever sees it exit (monitor or foreground run).
    #[serde(default)]
    pub auto_remove: bool,
    /// The rctr command line that created it (podman's CreateCommand).
    #[serde(default)]
    pub create_command: Vec<String>,
    #[serde(default)]
    pub state: State,
    /// The user-namespace mapping the container runs with (`--userns=keep-id` differs from
    /// the store's). `None`: the store's mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idmapping: Option<crate::idmap::IdMapping>,
    /// `--log-opt` (max-size, path, tag).
    #[serde(default, skip_serializing_if = "super::LogConfig::is_default")]
    pub log: super::LogConfig,
    /// `--pidfile` (absolute): written with PID 1 before the command runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pidfile: Option<std::path::PathBuf>,
    // Records written before the typed fields may hold an `extra` object (always empty in
    // practice): unknown fields are ignored on load, so they still read.
}

/// Input of [`Container::create`].
#[derive(Debug, Clone, Default)]
pub struct CreateOptions {
    pub name: Option<String>,
    pub image: String,
    pub image_id: String,
    pub command: Vec<String>,
    pub config: ContainerConfig,
    pub ports: Vec<PortMapping>,
    pub mounts: Vec<MountRecord>,
    pub devices: Vec<crate::cdi::Device>,
    pub network: NetworkMode,
    pub slirp: Option<crate::network::SlirpSettings>,
    pub pasta: Option<crate::network::pasta::PastaSettings>,
    pub network_container: Option<String>,
    pub resources: crate::cgroups::Resources,
    pub cgroup: Option<crate::cgroups::Placement>,
    pub auto_remove: bool,
    pub create_command: Vec<String>,
    /// The mapping `runtime::start` must use for this container (set it for
    /// `--userns=keep-id`; `None` means the store's mapping). The monitor starts the container
    /// later (`-d`, `start`) and reads it from the record.
    pub idmapping: Option<crate::idmap::IdMapping>,
    pub log: super::LogConfig,
    pub pidfile: Option<std::path::PathBuf>,
}

/// podman's default stop timeout in seconds.
pub const DEFAULT_STOP_TIMEOUT: u32 = 10;

#[cfg(test)]
mod tests {
    use super::*;

    /// A record as rctr wrote it with string-typed fields (and an `extra` map) still loads,
    /// and writes back the same strings.
    #[test]
    fn old_record_loads_and_keeps_its_strings() {
        let old = r#"{"id":"abc","name":"web","image":"i","image_id":"x","created":"t",
            "command":["sh"],"network":"host","extra":{"k":1},
            "mounts":[{"type":"volume","name":"data","source":"/s","destination":"/d",
                       "options":[],"rw":true},
                      {"type":"tmpfs","destination":"/t"},{"type":"bind"}]}"#;
        let r: ContainerRecord = serde_json::from_str(old).unwrap();
        assert_eq!(r.network, NetworkMode::Host);
        let kinds: Vec<MountKind> = r.mounts.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [MountKind::Volume, MountKind::Tmpfs, MountKind::Bind]
        );
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["network"], "host");
        assert_eq!(v["mounts"][0]["type"], "volume");
        assert_eq!(v["mounts"][1]["type"], "tmpfs");
        assert!(v.get("extra").is_none());
        let none: ContainerRecord =
            serde_json::from_str(&old.replace(r#""host""#, r#""none""#)).unwrap();
        assert_eq!(serde_json::to_value(&none).unwrap()["network"], "none");
    }
}
