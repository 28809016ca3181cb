//! The container's network, as the monitor holds it: before the start every published host
//! port is bound (a port in use fails the start before anything runs); libslirp is loaded
//! while the runtime's helper builds the namespaces; after the start, the stack serves the TAP device PID 1's helper
//! handed over, UDP ports go through slirp, and TCP ports through the splice forwarder. Both
//! are pollers of the monitor's one loop and end with it.
use super::event::Poller;
use crate::container::Container;
use crate::network::forward::{Forwarder, Listeners};
use crate::network::slirp::Stack;
use crate::network::SlirpSettings;
use std::time::Duration;

/// What was prepared before the start.
pub(super) struct Plan {
    slirp: SlirpSettings,
    listeners: Listeners,
}

/// Where the monitor keeps pasta's PID while the container runs.
fn pasta_pidfile(c: &Container) -> std::path::PathBuf {
    c.run_dir().join("pasta.pid")
}

/// The pre-start step of a pasta container: start pasta for PID 1 and wait until it has
/// configured the namespace.
pub(super) fn pasta_step(
    ctx: &crate::context::Context,
    c: &Container,
) -> Option<Box<dyn FnOnce(i32) -> anyhow::Result<()>>> {
    let settings = c.rec.pasta.clone()?;
    let ports = c.rec.ports.clone();
    let _ = c.ensure_run_dir(ctx);
    let pidfile = pasta_pidfile(c);
    Some(Box::new(move |pid| {
        crate::network::pasta::start(&settings, &ports, pid, &pidfile)
    }))
}

/// Stops pasta when the loop ends (it has no fds of ours to poll).
struct PastaGuard(std::path::PathBuf);

impl Poller for PastaGuard {
    fn prepare(&mut self, _fds: &mut Vec<libc::pollfd>) -> Option<Duration> {
        None
    }
    fn dispatch(&mut self, _fds: &[libc::pollfd]) {}
}

impl Drop for PastaGuard {
    fn drop(&mut self) {
        crate::network::pasta::stop(&self.0);
    }
}

/// The pollers of a started container without a user-mode stack of ours: pasta's guard.
pub(super) fn others(c: &Container) -> Vec<Box<dyn Poller>> {
    match c.rec.pasta {
        Some(_) => vec![Box::new(PastaGuard(pasta_pidfile(c)))],
        None => Vec::new(),
    }
}

/// What the monitor does while the runtime's helper sets up the namespaces: load libslirp
/// (1-2 ms with glib), off the start's critical path. A failure shows when the stack is
/// built, after the start, which then stops the container with the loader's message.
pub(super) fn meanwhile(c: &Container) -> Option<Box<dyn FnOnce()>> {
    c.rec.slirp.as_ref()?;
    Some(Box::new(|| {
        let _ = crate::network::slirp::ffi::Lib::load();
    }))
}

/// `--network container:`: point the spec at the user and network namespaces of the other
/// container's PID 1, which must be running (its PID is new at each of its starts).
pub(super) fn join(ctx: &crate::context::Context, c: &Container) -> Result<(), String> {
    let Some(id) = c.rec.network_container.as_deref() else {
        return Ok(());
    };
    let other = Container::load(ctx, id)
        .map_err(|e| format!("{e:#}"))?
        .ok_or_else(|| {
            format!("the container whose network namespace this one joins ({id}) no longer exists: remove this one and create it again")
        })?;
    let Some(p) = other.live_pid() else {
        return Err(format!(
            "cannot join the network namespace of container {}: it is not running (start it first: rctr start {})",
            other.name(),
            other.name()
        ));
    };
    let path = c.spec_path();
    let patch = || -> anyhow::Result<()> {
        let mut spec: oci_spec::runtime::Spec = serde_json::from_slice(&std::fs::read(&path)?)?;
        crate::specgen::join_namespaces(&mut spec, p.pid);
        crate::fsutil::atomic_write_json(&path, &spec)
    };
    patch().map_err(|e| format!("updating {}: {e:#}", path.display()))
}

/// `None` when the container has no user-mode network; `Err` is the one-line reason.
pub(super) fn before_start(c: &Container) -> Result<Option<Plan>, String> {
    let Some(slirp) = c.rec.slirp.clone() else {
        return Ok(None);
    };
    let listeners =
        crate::network::forward::bind_listeners(&c.rec.ports).map_err(|e| e.to_string())?;
    Ok(Some(Plan { slirp, listeners }))
}

/// Bring the network up for the started container (PID 1 `pid`, its TAP device `tap`).
pub(super) fn after_start(
    plan: Plan,
    tap: Option<std::os::fd::OwnedFd>,
    pid: i32,
) -> anyhow::Result<Vec<Box<dyn Poller>>> {
    let tap = tap.ok_or_else(|| anyhow::anyhow!("the container's runtime sent no TAP device"))?;
    let stack = Stack::new(&plan.slirp.stack(), tap)?;
    ::log::debug!("network: libslirp {} serving tap0", stack.version());
    let mut pollers: Vec<Box<dyn Poller>> = vec![Box::new(stack)];
    if !plan.listeners.is_empty() {
        pollers.push(Box::new(Forwarder::start(plan.listeners, pid)?));
    }
    Ok(pollers)
}

impl Poller for Stack {
    fn prepare(&mut self, fds: &mut Vec<libc::pollfd>) -> Option<Duration> {
        Stack::prepare(self, fds)
    }
    fn dispatch(&mut self, fds: &[libc::pollfd]) {
        Stack::dispatch(self, fds)
    }
}

impl Poller for Forwarder {
    fn prepare(&mut self, fds: &mut Vec<libc::pollfd>) -> Option<Duration> {
        Forwarder::prepare(self, fds)
    }
    fn dispatch(&mut self, fds: &[libc::pollfd]) {
        Forwarder::dispatch(self, fds)
    }
}
