//! Container records: identity, configuration, state and on-disk layout.
//!
//! # For `rctr run` / `create` (the runtime engineer): how to use this module
//! ```ignore
//! let mut c = container::Container::create(ctx, container::CreateOptions {
//!     name: args.name.clone(),            // None → a generated unique `adjective_noun`
//!     image: img_name, image_id: img.id.clone(),
//!     command: argv.clone(),              // the full argv (entrypoint + cmd) PID 1 runs
//!     config: container::ContainerConfig { entrypoint, cmd, env, working_dir, user, hostname,
//!         labels, stop_signal, tty, interactive, ..Default::default() },
//!     auto_remove: args.rm, mounts, ports, network, create_command,
//!     idmapping: Some(mapping),           // when it differs from the store's (keep-id)
//!     ..Default::default()
//! })?;                                     // NameInUse error (125) when --name is taken
//! // write the OCI spec to c.spec_path() (= c.bundle_dir()/config.json); put the overlay
//! // upper/work dirs under c.dir() (e.g. c.dir().join("overlay")); live state (sockets, pid
//! // files) under c.ensure_run_dir(ctx)?
//! // detached:   crate::engine::start(ctx, &mut c, None, Mode::Detached)?  → c is running
//! // foreground: crate::engine::start(ctx, &mut c, None, Mode::Attached { .. })? → exit code
//! // on any failure before the container ran, and for --rm: crate::ops::remove_with_volumes(ctx, &c)?
//! ```
//! Everything else (stop, kill, wait, exec, remove, rename, liveness) is a method here or
//! in `ops.rs`/`exec.rs`/`remove.rs`; `view.rs` turns records into podman's ps/inspect shapes.
//!
//! # Layout
//! ```text
//! <data_dir>/containers/<id>/container.json   the record (config + state), atomically replaced
//! <data_dir>/containers/<id>/lock             per-container lock (short read-modify-writes only)
//! <data_dir>/containers/<id>/bundle/config.json  the OCI runtime spec (written by run/create)
//! <data_dir>/containers/<id>/ctr.log          stdout/stderr in podman's k8s-file format
//! <data_dir>/containers/<id>/seccomp.bpf      the spec's seccomp filter compiled (exec cache)
//! <data_dir>/containers/<id>/start.lock       held from "not running" to "running"
//! <data_dir>/containers/names/<name> -> <id>  name index (symlinks; see names.rs)
//! <data_dir>/containers/names.lock            guards name reservations and renames
//! <runtime_dir>/containers/<id>/              live state: pidfile, monitor.pid (gone on reboot)
//! ```
//! Readers never lock: they read the last atomically renamed `container.json`. Writers take
//! the container lock only around a read-modify-write (never while waiting for a process).
pub mod exec;
pub mod filter;
pub mod live;
mod logopt;
pub mod names;
pub mod ops;
mod record;
pub mod remove;
mod timearg;
pub mod view;

use crate::context::Context;
use crate::fsutil::{atomic_write_json, FileLock};
use anyhow::Context as _;
use std::path::{Path, PathBuf};

pub use logopt::{parse_log_opts, LogConfig, DEFAULT_LOG_SIZE_MAX};
pub use record::{
    ContainerConfig, ContainerRecord, CreateOptions, MountKind, MountRecord, NetworkMode,
    PortMapping, State, Status, DEFAULT_STOP_TIMEOUT,
};
pub use remove::{cleanup_stale, prune};
pub use timearg::{parse_go_duration, parse_time_arg};

/// Errors callers need to tell apart (all exit 125 unless a command maps them otherwise).
#[derive(Debug, thiserror::Error)]
pub enum ContainerError {
    #[error("no container with name or ID {0:?} found: no such container")]
    NotFound(String),
    #[error("more than one container matches the ID prefix {0:?} ({1}): use more characters of the ID, or the name")]
    Ambiguous(String, String),
    #[error("the container name {name:?} is already in use by {id}. You have to remove that container to be able to reuse that name: that name is already in use")]
    NameInUse { name: String, id: String },
    /// `kill` of a container whose PID 1 is not alive.
    #[error(
        "can only kill running containers. {id} is in state {status}: container state improper"
    )]
    CannotKill { id: String, status: &'static str },
    /// `exec` (and the like) on a container that is not running.
    #[error("can only create exec sessions on running containers: container {name} is {status}: container state improper")]
    CannotExec { name: String, status: &'static str },
    /// `rm` without `--force` of a running container (podman's `rm` exits 2 for it).
    #[error("cannot remove container {0} as it is running - running or paused containers cannot be removed without force: container state improper")]
    CannotRemoveRunning(String),
    /// `rm` of a container whose network namespace others join (without `--depend`).
    #[error("container {id} has dependent containers which must be removed before it: {dependents}: container already exists")]
    HasDependents { id: String, dependents: String },
    /// `start` of a running container; `hint` says what to do instead.
    #[error("container {name} is already running: {hint}")]
    AlreadyRunning { name: String, hint: &'static str },
}

/// `<data_dir>/containers`.
pub fn containers_root(ctx: &Context) -> PathBuf {
    ctx.data_dir.join("containers")
}

/// A container record loaded from disk, with its paths.
#[derive(Debug, Clone)]
pub struct Container {
    pub rec: ContainerRecord,
    dir: PathBuf,
    run_dir: PathBuf,
}

/// One clock format for every record rctr writes (podman's RFC 3339 with nanoseconds).
pub use crate::storage::now_rfc3339;

impl Container {
    fn paths(ctx: &Context, id: &str) -> (PathBuf, PathBuf) {
        (
            containers_root(ctx).join(id),
            ctx.runtime_dir().join("containers").join(id),
        )
    }

    /// Create the record (status `created`): a fresh ID, the name reserved (given names must
    /// be free: [`ContainerError::NameInUse`]; generated ones are retried until unique), the
    /// container dir and its empty `bundle/`. Nothing is started.
    pub fn create(ctx: &Context, opts: CreateOptions) -> anyhow::Result<Container> {
        if let Some(n) = &opts.name {
            names::validate_name(n)?;
        }
        let root = containers_root(ctx);
        let names_dir = root.join("names");
        std::fs::create_dir_all(&names_dir)
            .with_context(|| format!("creating {}", names_dir.display()))?;
        let _names = FileLock::exclusive(&root.join("names.lock"))?;
        let id = loop {
            let id = crate::fsutil::random_id()?;
            match std::fs::create_dir(root.join(&id)) {
                Ok(()) => break id,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e).with_context(|| format!("creating {}", root.display())),
            }
        };
        let (dir, run_dir) = Self::paths(ctx, &id);
        let res = (|| -> anyhow::Result<Container> {
            let exists = |other: &str| root.join(other).join("container.json").exists();
            let name = match &opts.name {
                Some(n) => match names::reserve(&names_dir, n, &id, exists)? {
                    names::Reserve::Done => n.clone(),
                    names::Reserve::Taken(owner) => {
                        return Err(ContainerError::NameInUse {
                            name: n.clone(),
                            id: owner,
                        }
                        .into())
                    }
                },
                None => {
                    let mut attempt = 0;
                    loop {
                        let n = names::generate_name(attempt);
                        if let names::Reserve::Done = names::reserve(&names_dir, &n, &id, exists)? {
                            break n;
                        }
                        attempt += 1;
                    }
                }
            };
            std::fs::create_dir(dir.join("bundle"))?;
            let mut config = opts.config;
            if config.stop_signal.is_empty() {
                config.stop_signal = "SIGTERM".into();
            }
            if config.stop_timeout == 0 {
                config.stop_timeout = DEFAULT_STOP_TIMEOUT;
            }
            let rec = ContainerRecord {
                id: id.clone(),
                name,
                image: opts.image,
                image_id: opts.image_id,
                created: now_rfc3339(),
                command: opts.command,
                config,
                ports: opts.ports,
                mounts: opts.mounts,
                devices: opts.devices,
                network: opts.network,
                slirp: opts.slirp,
                pasta: opts.pasta,
                network_container: opts.network_container,
                resources: opts.resources,
                cgroup: opts.cgroup,
                auto_remove: opts.auto_remove,
                create_command: opts.create_command,
                state: State::default(),
                idmapping: opts.idmapping,
                log: opts.log,
                pidfile: opts.pidfile,
            };
            atomic_write_json(&dir.join("container.json"), &rec)?;
            Ok(Container { rec, dir, run_dir })
        })();
        if res.is_err() {
            if let Some(n) = &opts.name {
                names::release(&names_dir, n, &id);
            }
            let _ = std::fs::remove_dir_all(root.join(&id));
        }
        res
    }

    /// Load the record of a full ID; `Ok(None)` when there is none (or it is being removed).
    pub fn load(ctx: &Context, id: &str) -> anyhow::Result<Option<Container>> {
        let (dir, run_dir) = Self::paths(ctx, id);
        Ok(read_record(&dir)?.map(|rec| Container { rec, dir, run_dir }))
    }

    /// Find a container by full ID, name, or unique ID prefix (podman's order).
    pub fn lookup(ctx: &Context, name_or_id: &str) -> anyhow::Result<Container> {
        let root = containers_root(ctx);
        if names::is_full_id(name_or_id) {
            if let Some(c) = Self::load(ctx, name_or_id)? {
                return Ok(c);
            }
        }
        if let Some(id) = names::read_entry(&root.join("names"), name_or_id) {
            if let Some(c) = Self::load(ctx, &id)? {
                if c.rec.name == name_or_id {
                    return Ok(c);
                }
            }
        }
        let prefix = name_or_id.to_ascii_lowercase();
        if !prefix.is_empty() && prefix.len() < 64 && prefix.bytes().all(|b| b.is_ascii_hexdigit())
        {
            let ids: Vec<String> = list_ids(ctx)?
                .into_iter()
                .filter(|i| i.starts_with(&prefix))
                .collect();
            match ids.len() {
                0 => {}
                1 => {
                    if let Some(c) = Self::load(ctx, &ids[0])? {
                        return Ok(c);
                    }
                }
                _ => {
                    let shown: Vec<&str> = ids.iter().map(|i| &i[..12]).collect();
                    return Err(
                        ContainerError::Ambiguous(name_or_id.into(), shown.join(", ")).into(),
                    );
                }
            }
        }
        Err(ContainerError::NotFound(name_or_id.into()).into())
    }

    /// Every container (unordered; records being created or removed are skipped).
    pub fn list(ctx: &Context) -> anyhow::Result<Vec<Container>> {
        let mut out = Vec::new();
        for id in list_ids(ctx)? {
            if let Some(c) = Self::load(ctx, &id)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// The most recently created container (`--latest`).
    pub fn latest(ctx: &Context) -> anyhow::Result<Container> {
        Self::list(ctx)?
            .into_iter()
            .max_by(|a, b| a.rec.created.cmp(&b.rec.created))
            .ok_or_else(|| {
                anyhow::anyhow!("no containers to act on with --latest: no such container")
            })
    }

    pub fn id(&self) -> &str {
        &self.rec.id
    }
    pub fn short_id(&self) -> &str {
        &self.rec.id[..12]
    }
    pub fn name(&self) -> &str {
        &self.rec.name
    }
    /// `<data_dir>/containers/<id>`: persistent per-container files (overlay upper/work too).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    /// The OCI bundle directory; the spec is `bundle_dir()/config.json`.
    pub fn bundle_dir(&self) -> PathBuf {
        self.dir.join("bundle")
    }
    pub fn spec_path(&self) -> PathBuf {
        self.dir.join("bundle").join("config.json")
    }
    /// The container's log (podman's k8s-file format): `--log-opt path=` or `ctr.log`.
    pub fn log_path(&self) -> PathBuf {
        match &self.rec.log.path {
            Some(p) => PathBuf::from(p),
            None => self.dir.join("ctr.log"),
        }
    }
    /// `<runtime_dir>/containers/<id>` (may not exist; see [`Container::ensure_run_dir`]).
    pub fn run_dir(&self) -> &Path {
        &self.run_dir
    }
    /// Create the runtime dir (0700 chain) and return it.
    pub fn ensure_run_dir(&self, ctx: &Context) -> anyhow::Result<PathBuf> {
        let base = ctx.ensure_runtime_dir()?;
        let d = base.join("containers");
        crate::context::ensure_private_dir(&d, ctx.uid)?;
        crate::context::ensure_private_dir(&self.run_dir, ctx.uid)?;
        Ok(self.run_dir.clone())
    }

    /// The per-container lock (hold it only for short read-modify-writes).
    pub fn lock(&self) -> anyhow::Result<FileLock> {
        FileLock::exclusive(&self.dir.join("lock"))
    }

    /// Re-read the record; false when the container was removed meanwhile.
    pub fn reload(&mut self) -> anyhow::Result<bool> {
        match read_record(&self.dir)? {
            Some(r) => {
                self.rec = r;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Lock, re-read, apply `f`, write atomically. Errors with NotFound when removed.
    pub fn update(&mut self, f: impl FnOnce(&mut ContainerRecord)) -> anyhow::Result<()> {
        let _l = self.lock()?;
        self.update_locked(f)
    }

    /// [`Container::update`] for a caller that already holds [`Container::lock`].
    pub fn update_locked(&mut self, f: impl FnOnce(&mut ContainerRecord)) -> anyhow::Result<()> {
        if !self.reload()? {
            return Err(ContainerError::NotFound(self.rec.id.clone()).into());
        }
        f(&mut self.rec);
        write_record_fast(&self.dir.join("container.json"), &self.rec)
    }

    /// The container's PID 1 as recorded, if it is still that very process.
    pub fn live_pid(&self) -> Option<live::ProcId> {
        let s = &self.rec.state;
        let p = live::ProcId {
            pid: s.pid?,
            start: s.pid_start?,
        };
        (s.boot_id.as_deref() == Some(live::boot_id().as_str()) && live::alive(p)).then_some(p)
    }

    /// The monitor as recorded, if it is still that very process.
    pub fn live_monitor(&self) -> Option<live::ProcId> {
        let s = &self.rec.state;
        let p = live::ProcId {
            pid: s.monitor_pid?,
            start: s.monitor_start?,
        };
        (s.boot_id.as_deref() == Some(live::boot_id().as_str()) && live::alive(p)).then_some(p)
    }

    /// The truthful state: a record saying "running" whose process is gone (monitor killed,
    /// container killed behind rctr's back, reboot) reads as exited with the reason.
    pub fn state(&self) -> State {
        let mut s = self.rec.state.clone();
        if s.status == Status::Running && self.live_pid().is_none() {
            s.status = Status::Exited;
            if s.exit_code.is_none() {
                s.exit_code = Some(-1);
                s.error = Some(LOST_EXIT.into());
            }
        }
        s
    }

    /// Persist [`Container::state`] when it corrects the record and no live monitor is about
    /// to record the real exit status. Never waits: skipped when the lock is busy.
    pub fn sync_state(&mut self) -> anyhow::Result<()> {
        let truth = self.state();
        if truth == self.rec.state || self.live_monitor().is_some() {
            return Ok(());
        }
        let Some(_l) = FileLock::try_exclusive(&self.dir.join("lock"))? else {
            return Ok(());
        };
        if !self.reload()? || self.rec.state.status != Status::Running || self.live_pid().is_some()
        {
            return Ok(());
        }
        self.update_locked(|r| {
            r.state.status = Status::Exited;
            r.state.exit_code = Some(-1);
            r.state.error = Some(LOST_EXIT.into());
            r.state.finished_at = Some(now_rfc3339());
        })
    }
}

/// The containers a command line names: every one (`--all`, oldest first), the newest
/// (`--latest`), or each argument looked up (the per-argument result lets commands report
/// each failure the way podman does). No selection at all is an error.
pub fn select(
    ctx: &Context,
    names: &[String],
    all: bool,
    latest: bool,
) -> anyhow::Result<Vec<(String, anyhow::Result<Container>)>> {
    if all {
        let mut v = Container::list(ctx)?;
        v.sort_by(|a, b| a.rec.created.cmp(&b.rec.created));
        return Ok(v.into_iter().map(|c| (c.rec.id.clone(), Ok(c))).collect());
    }
    if latest {
        let c = Container::latest(ctx)?;
        return Ok(vec![(c.rec.id.clone(), Ok(c))]);
    }
    if names.is_empty() {
        anyhow::bail!("you must provide at least one container name or ID");
    }
    Ok(names
        .iter()
        .map(|n| (n.clone(), Container::lookup(ctx, n)))
        .collect())
}

/// True when `e` says the container does not exist.
pub fn is_not_found(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<ContainerError>(),
        Some(ContainerError::NotFound(_))
    )
}

const LOST_EXIT: &str =
    "the container's process is gone and its exit status was not recorded (its monitor was killed or the host rebooted)";

/// Replace the record atomically (temp file + rename) WITHOUT fsync. Updates are state
/// changes (running, exited, renamed) on the start/stop paths, where an fsync costs
/// milliseconds; readers still only ever see a whole record, and after a crash the state is
/// re-derived from the processes anyway (a record saying "running" is checked against the
/// PID, its start time and the boot ID). The record's creation is fsync'ed.
fn write_record_fast(path: &Path, rec: &ContainerRecord) -> anyhow::Result<()> {
    let tmp = crate::fsutil::temp_sibling(path);
    let mut data = serde_json::to_vec_pretty(rec)?;
    data.push(b'\n');
    let res = std::fs::write(&tmp, &data).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}

fn read_record(dir: &Path) -> anyhow::Result<Option<ContainerRecord>> {
    let p = dir.join("container.json");
    match std::fs::read(&p) {
        Ok(b) => Ok(Some(
            serde_json::from_slice(&b).with_context(|| format!("{} is corrupt", p.display()))?,
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", p.display())),
    }
}

/// IDs of all container dirs (no records read).
pub fn list_ids(ctx: &Context) -> anyhow::Result<Vec<String>> {
    let root = containers_root(ctx);
    let rd = match std::fs::read_dir(&root) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", root.display())),
    };
    Ok(rd
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| names::is_full_id(n))
        .collect())
}

#[cfg(test)]
mod tests;
