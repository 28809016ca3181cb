//! Host capability probes behind `rctr info` and `rctr doctor`.
//!
//! Every probe tells the truth by trying the real thing where that is cheap (a user namespace
//! with the planned mapping, an overlay mount, opening /dev/fuse) and never fails the report
//! as a whole: a probe that errors records the error in its own field.
//!
//! For other modules: [`overlay::native_supported`] (cached overlay verdict for `run`),
//! [`cgroups::detect`], [`fs::examine`].
use crate::context::Context;
use crate::idmap::{IdMap, MappingMode, SubIdRange};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

pub mod cgroups;
pub mod doctor;
pub mod fixes;
pub mod fs;
pub mod gonames;
pub mod host;
pub mod kernel;
pub mod overlay;
pub mod registries;
pub mod session;
pub mod tools;
pub mod userns;
pub mod yaml;

/// A probe's value, or the error that stopped it (serialized as `{"error": "..."}`).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Probed<T> {
    Ok(T),
    Failed { error: String },
}

impl<T> Probed<T> {
    pub fn from_result(r: anyhow::Result<T>) -> Self {
        match r {
            Ok(v) => Probed::Ok(v),
            Err(e) => Probed::Failed {
                error: format!("{e:#}"),
            },
        }
    }
    pub fn ok(&self) -> Option<&T> {
        match self {
            Probed::Ok(v) => Some(v),
            Probed::Failed { .. } => None,
        }
    }
    pub fn err(&self) -> Option<&str> {
        match self {
            Probed::Ok(_) => None,
            Probed::Failed { error } => Some(error),
        }
    }
}

/// Can a device node be opened read-write (what FUSE and TAP networking need)?
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceAccess {
    pub path: PathBuf,
    pub usable: bool,
    pub error: Option<String>,
}

impl DeviceAccess {
    pub fn open(path: &str) -> DeviceAccess {
        let r = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path);
        DeviceAccess {
            path: path.into(),
            usable: r.is_ok(),
            error: r.err().map(|e| e.to_string()),
        }
    }
}

/// The whole report (`rctr info`): podman's keys, plus `rctr` for the extra probes.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub host: Host,
    pub store: Store,
    pub registries: Probed<serde_json::Value>,
    pub version: host::Version,
    pub rctr: Extra,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Host {
    #[serde(flatten)]
    pub basics: host::Basics,
    pub cgroup_version: String,
    pub cgroup_manager: String,
    pub cgroup_controllers: Vec<String>,
    pub id_mappings: IdMappings,
    pub security: host::Security,
    pub oci_runtime: OciRuntime,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slirp4netns: Option<tools::Tool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pasta: Option<tools::Tool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IdMappings {
    pub uidmap: Vec<IdMap>,
    pub gidmap: Vec<IdMap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OciRuntime {
    pub name: String,
    pub path: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    pub graph_root: PathBuf,
    pub run_root: PathBuf,
    pub graph_driver_name: String,
    pub graph_options: BTreeMap<String, String>,
    pub graph_status: BTreeMap<String, String>,
    pub graph_root_allocated: u64,
    pub graph_root_used: u64,
    pub image_store: Probed<Count>,
    pub container_store: Probed<ContainerCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub number: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContainerCount {
    pub number: u64,
    pub paused: u64,
    pub running: u64,
    pub stopped: u64,
}

/// rctr's own probes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Extra {
    pub subordinate_ids: SubIds,
    pub id_helpers: Helpers,
    pub user_namespace: userns::UsernsTest,
    /// The kernel features the start path uses, and the fallbacks taken.
    pub kernel: Probed<kernel::KernelFeatures>,
    pub overlay: Overlay,
    pub cgroups: cgroups::CgroupInfo,
    pub systemd: session::Systemd,
    pub dirs: session::Dirs,
    pub store: StoreCheck,
    pub network: Network,
    /// Wall time of all probes.
    pub probe_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubIds {
    pub mode: MappingMode,
    pub single_id_reason: Option<String>,
    /// Where the ranges came from.
    pub source: String,
    pub subuid: SubIdFile,
    pub subgid: SubIdFile,
    /// A range free in both files, for the `usermod` fix.
    pub suggested_range: Option<SubIdRange>,
    /// `RCTR_SUBUID_FILE`/`RCTR_SUBGID_FILE` in effect (newuidmap still reads /etc).
    pub overridden: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubIdFile {
    pub file: PathBuf,
    /// Set when the file cannot be read (a missing file just means no ranges).
    pub read_error: Option<String>,
    pub ranges: Vec<SubIdRange>,
    /// "name", "uid" and/or "getsubids".
    pub matched_by: Vec<String>,
    pub problems: Vec<crate::idmap::SubIdProblem>,
    pub overlaps: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Helpers {
    pub newuidmap: crate::idmap::helper::HelperStatus,
    pub newgidmap: crate::idmap::helper::HelperStatus,
    pub getsubids: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Overlay {
    pub native: Probed<overlay::NativeOverlay>,
    #[serde(flatten)]
    pub fuse: overlay::Fuse,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreCheck {
    pub dir: fs::StoreDir,
    pub filesystem: Probed<fs::FsInfo>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Network {
    pub dev_net_tun: DeviceAccess,
}

/// How to collect.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Re-run the overlay mount test and the kernel probe instead of trusting their caches
    /// (`doctor`).
    pub fresh_overlay: bool,
}

fn subid_file(path: PathBuf, l: &crate::idmap::SubIdLookup) -> SubIdFile {
    let read_error = match std::fs::File::open(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Some(e.to_string()),
        _ => None,
    };
    SubIdFile {
        file: path,
        read_error,
        ranges: l.ranges.clone(),
        matched_by: l.matched_by.clone(),
        problems: l.problems.clone(),
        overlaps: l.overlaps.clone(),
    }
}

fn sub_ids(ctx: &Context, plan: &crate::idmap::IdPlan) -> SubIds {
    let (su, sg, overridden) = crate::idmap::subid_paths(ctx);
    let entries = |p: &PathBuf| {
        crate::idmap::parse_entries(&std::fs::read_to_string(p).unwrap_or_default()).0
    };
    let (eu, eg) = (entries(&su), entries(&sg));
    SubIds {
        mode: plan.mapping.mode,
        single_id_reason: plan.single_reason.as_ref().map(|r| r.to_string()),
        source: plan.source.clone(),
        subuid: subid_file(su, &plan.subuid),
        subgid: subid_file(sg, &plan.subgid),
        suggested_range: crate::idmap::free_range(&[&eu, &eg], 65536),
        overridden,
    }
}

fn statvfs_sizes(p: &std::path::Path) -> (u64, u64) {
    match rustix::fs::statvfs(p) {
        Ok(s) => (
            s.f_blocks * s.f_frsize,
            (s.f_blocks - s.f_bfree) * s.f_frsize,
        ),
        Err(_) => (0, 0),
    }
}

fn image_count(ctx: &Context, plan: &crate::idmap::IdPlan) -> anyhow::Result<Count> {
    // The plan is already made: `Store::open` would make it again (getsubids, helper checks).
    let store = crate::storage::Store::open_with(
        &ctx.data_dir,
        plan.mapping.clone(),
        plan.single_reason.clone(),
    )?;
    let n = store.load_metas()?.len();
    Ok(Count { number: n as u64 })
}

fn container_count(ctx: &Context) -> anyhow::Result<ContainerCount> {
    use crate::container::{Container, Status};
    let all = Container::list(ctx)?;
    let running = all
        .iter()
        .filter(|c| c.state().status == Status::Running)
        .count() as u64;
    Ok(ContainerCount {
        number: all.len() as u64,
        paused: 0,
        running,
        stopped: all.len() as u64 - running,
    })
}

/// Run every probe (the slow ones in parallel) and assemble the report.
pub fn collect(ctx: &Context, opts: Options) -> Report {
    let t0 = Instant::now();
    let plan = crate::idmap::plan_for(ctx);
    let path = ctx.path();
    let store_dir = fs::check_store_dir(&ctx.data_dir, ctx.uid);
    let (userns_test, kern, native, fuse, slirp, pasta) = std::thread::scope(|s| {
        let u = s.spawn(|| userns::test(&plan.mapping));
        let k = s.spawn(|| Probed::from_result(kernel::features(ctx, !opts.fresh_overlay)));
        let n = s.spawn(|| {
            Probed::from_result(match &store_dir.problem {
                Some(p) => Err(anyhow::anyhow!("store unusable: {p}")),
                None => overlay::native(ctx, !opts.fresh_overlay),
            })
        });
        let f = s.spawn(|| overlay::fuse(ctx));
        let sl =
            s.spawn(|| tools::find_with_version(ctx, "slirp4netns", &["--version"], "slirp4netns"));
        let pa = s.spawn(|| tools::find_with_version(ctx, "pasta", &["--version"], "pasta"));
        (
            u.join().expect("userns probe panicked"),
            k.join().expect("kernel probe panicked"),
            n.join().expect("overlay probe panicked"),
            f.join().expect("fuse probe panicked"),
            sl.join().expect("slirp4netns probe panicked"),
            pa.join().expect("pasta probe panicked"),
        )
    });
    let cg = cgroups::detect(ctx.uid);
    let systemd = session::systemd(ctx);
    let filesystem = Probed::from_result(fs::examine(&ctx.data_dir));
    let basics = host::basics();
    let native_ok = native.ok().map(|n| n.supported);
    let mut graph_status = BTreeMap::new();
    if let Some(f) = filesystem.ok() {
        graph_status.insert("Backing Filesystem".into(), f.fs_type.clone());
    }
    graph_status.insert(
        "Native Overlay Diff".into(),
        native_ok.unwrap_or(false).to_string(),
    );
    graph_status.insert("Using metacopy".into(), "false".into());
    let mut graph_options = BTreeMap::new();
    if native_ok != Some(true) {
        if let Some(t) = &fuse.fuse_overlayfs {
            graph_options.insert(
                "overlay.mount_program".into(),
                t.executable.display().to_string(),
            );
        }
    }
    let (alloc, used) = statvfs_sizes(&fs::nearest_existing(&ctx.data_dir));
    let host = Host {
        basics,
        cgroup_version: cg.version.as_str().into(),
        cgroup_manager: if cg.version == cgroups::Layout::V2 && systemd.user_bus.is_some() {
            "systemd"
        } else {
            "cgroupfs"
        }
        .into(),
        cgroup_controllers: if cg.version == cgroups::Layout::V2 {
            cg.delegated.clone()
        } else {
            vec![]
        },
        id_mappings: IdMappings {
            uidmap: plan.mapping.uid_map.clone(),
            gidmap: plan.mapping.gid_map.clone(),
        },
        security: host::security(ctx.uid),
        oci_runtime: OciRuntime {
            name: "rctr (built-in)".into(),
            path: ctx
                .exe()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            version: format!("rctr version {}", env!("CARGO_PKG_VERSION")),
        },
        slirp4netns: slirp,
        pasta,
    };
    let store = Store {
        graph_root: ctx.data_dir.clone(),
        run_root: ctx.runtime_dir(),
        graph_driver_name: "overlay".into(),
        graph_options,
        graph_status,
        graph_root_allocated: alloc,
        graph_root_used: used,
        image_store: Probed::from_result(image_count(ctx, &plan)),
        container_store: Probed::from_result(container_count(ctx)),
    };
    let extra = Extra {
        subordinate_ids: sub_ids(ctx, &plan),
        id_helpers: Helpers {
            newuidmap: crate::idmap::helper::inspect(
                path,
                "newuidmap",
                crate::idmap::helper::CAP_SETUID,
            ),
            newgidmap: crate::idmap::helper::inspect(
                path,
                "newgidmap",
                crate::idmap::helper::CAP_SETGID,
            ),
            getsubids: crate::idmap::find_in_path_in(path, "getsubids"),
        },
        user_namespace: userns_test,
        kernel: kern,
        overlay: Overlay { native, fuse },
        cgroups: cg,
        systemd,
        dirs: session::dirs(ctx),
        store: StoreCheck {
            dir: store_dir,
            filesystem,
        },
        network: Network {
            dev_net_tun: DeviceAccess::open("/dev/net/tun"),
        },
        probe_ms: 0.0,
    };
    let mut r = Report {
        host,
        store,
        registries: Probed::from_result(registries::probe(ctx)),
        version: host::version(),
        rctr: extra,
    };
    r.rctr.probe_ms = (t0.elapsed().as_secs_f64() * 10000.0).round() / 10.0;
    r
}
