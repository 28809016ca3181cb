//! The container's cgroup, as the monitor holds it: the pre-start hook places PID 1 (a
//! systemd scope or a cgroupfs child, `cgroups::place`), and a poller of the monitor's loop
//! watches `memory.events` for OOM kills (inotify, no polling), so that inspect can say
//! `OOMKilled`. When the loop ends the count is read once more, the verdict left in the run
//! dir for `supervise::finish`, and a cgroup rctr made itself is removed.
use super::event::Poller;
use crate::cgroups::place::{self, Placed};
use crate::container::Container;
use crate::context::Context;
use std::cell::RefCell;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;

/// What the hook placed, for the watcher made after the start.
pub(super) type Slot = Rc<RefCell<Option<Placed>>>;
/// The pre-start step, given PID 1.
pub(super) type Step = Box<dyn FnOnce(i32) -> anyhow::Result<()>>;
/// What runs while the runtime's helper sets up the namespaces.
pub(super) type Meanwhile = Box<dyn FnOnce()>;

/// The marker `finish` reads: the container lost a process to the OOM killer.
pub fn oom_marker(run_dir: &Path) -> PathBuf {
    run_dir.join("oom")
}

/// The marker's contents: the kernel counted an OOM kill, or the cgroup was at its memory
/// limit when it vanished (see `OomWatch::check`).
const OOM_KILLED: &[u8] = b"oom_kill";
const AT_LIMIT: &[u8] = b"at-limit";

/// Did the container (exit `code`) lose a process to the OOM killer, by the marker?
pub fn oom_killed(run_dir: &Path, code: u8) -> bool {
    match std::fs::read(oom_marker(run_dir)) {
        Ok(m) if m == AT_LIMIT => code == 128 + libc::SIGKILL as u8,
        Ok(_) => true,
        Err(_) => false,
    }
}

/// The pre-start step of a container with a recorded placement: place PID 1 (the limits
/// that could not be applied are in the slot's `warnings`, for whoever shows the user).
/// With systemd, the bus connection is made meanwhile (see `systemd::connect`).
pub(super) fn step(ctx: &Context, c: &Container) -> Option<(Step, Slot, Option<Meanwhile>)> {
    let placement = c.rec.cgroup.clone()?;
    let _ = c.ensure_run_dir(ctx);
    let bus = crate::cgroups::user_bus(ctx);
    let uid = ctx.uid;
    type Early = Rc<RefCell<Option<anyhow::Result<crate::cgroups::dbus::Bus>>>>;
    let early: Early = Rc::new(RefCell::new(None));
    let meanwhile = match (&placement.manager, &bus) {
        (crate::cgroups::ManagerKind::Systemd, Some(path)) => {
            let (path, into) = (path.clone(), early.clone());
            let f: Meanwhile = Box::new(move || {
                let conn = crate::cgroups::systemd::connect(&path, uid, place::SCOPE_TIMEOUT);
                *into.borrow_mut() = Some(conn);
            });
            Some(f)
        }
        _ => None,
    };
    let id = c.id().to_string();
    let res = c.rec.resources.clone();
    let slot: Slot = Rc::new(RefCell::new(None));
    let out = slot.clone();
    let f = Box::new(move |pid: i32| {
        let t0 = std::time::Instant::now();
        let conn = early.borrow_mut().take();
        let placed = match place::place(&placement, bus.as_deref(), conn, uid, &id, pid, &res) {
            Ok(p) => p,
            Err(e) if res.any() => {
                anyhow::bail!("placing the container in a cgroup for its limits: {e:#}")
            }
            // Nothing was asked of the cgroup (it is there for `stats`): run without it.
            Err(e) => {
                *out.borrow_mut() = Some(Placed {
                    dir: std::path::PathBuf::new(),
                    warnings: vec![format!(
                        "Warning: the container runs without a cgroup of its own (no stats): {e:#}"
                    )],
                    remove: false,
                });
                return Ok(());
            }
        };
        ::log::debug!(
            "cgroup: {} placed in {} ({} µs)",
            placement.manager.as_str(),
            placed.dir.display(),
            t0.elapsed().as_micros()
        );
        *out.borrow_mut() = Some(placed);
        Ok(())
    });
    Some((f, slot, meanwhile))
}

/// The poller for what the hook placed (none when nothing was), and the placement's warnings.
pub(super) fn watcher(slot: &Slot, run_dir: &Path) -> (Option<Box<dyn Poller>>, Vec<String>) {
    let Some(mut placed) = slot.borrow_mut().take() else {
        return (None, Vec::new());
    };
    let warnings = std::mem::take(&mut placed.warnings);
    if placed.dir.as_os_str().is_empty() {
        return (None, warnings); // not placed after all
    }
    // SAFETY: inotify_init1 returns a new fd we own (or -1).
    let fd = unsafe { libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC) };
    let inotify = (fd >= 0).then(|| {
        // SAFETY: fresh fd from inotify_init1.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        let path = std::ffi::CString::new(
            placed
                .dir
                .join("memory.events")
                .into_os_string()
                .into_encoded_bytes(),
        )
        .ok();
        // Without the memory controller there is no file to watch: the final read decides.
        if let Some(p) = path {
            // SAFETY: valid fd and NUL-terminated path.
            unsafe { libc::inotify_add_watch(fd.as_raw_fd(), p.as_ptr(), libc::IN_MODIFY) };
        }
        fd
    });
    let w: Box<dyn Poller> = Box::new(OomWatch {
        inotify,
        index: None,
        marker: oom_marker(run_dir),
        placed,
        marked: false,
        at_limit: false,
    });
    (Some(w), warnings)
}

struct OomWatch {
    inotify: Option<OwnedFd>,
    /// Where our fd is in this round's poll set.
    index: Option<usize>,
    marker: PathBuf,
    placed: Placed,
    marked: bool,
    /// The cgroup reached its memory limit (memory.events `max`) at some reading.
    at_limit: bool,
}

impl OomWatch {
    fn check(&mut self) {
        if self.marked {
            return;
        }
        match std::fs::read_to_string(self.placed.dir.join("memory.events")) {
            Ok(t) => {
                let n = |k| place::key_value(&t, k).unwrap_or(0);
                if n("oom_kill") > 0 {
                    self.marked = std::fs::write(&self.marker, OOM_KILLED).is_ok();
                }
                self.at_limit |= n("max") > 0 || n("oom") > 0;
            }
            // systemd trims an emptied scope at once, and the kernel may hold the OOM
            // event's notification back (10 ms rate limit): when the scope is gone before
            // the last reading, a container that was at its limit and died of SIGKILL was
            // OOM-killed (`finish` checks the signal).
            Err(_) if self.at_limit => {
                self.marked = std::fs::write(&self.marker, AT_LIMIT).is_ok();
            }
            Err(_) => {}
        }
    }

    /// Read the pending inotify events; whether there were any.
    fn drain(&self) -> bool {
        let Some(fd) = &self.inotify else {
            return false;
        };
        let mut buf = [0u8; 1024];
        let mut any = false;
        // SAFETY: read into a valid buffer from our non-blocking fd.
        while unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) } > 0 {
            any = true;
        }
        any
    }
}

impl Poller for OomWatch {
    fn prepare(&mut self, fds: &mut Vec<libc::pollfd>) -> Option<Duration> {
        self.index = self.inotify.as_ref().map(|fd| {
            fds.push(libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            });
            fds.len() - 1
        });
        None
    }

    fn dispatch(&mut self, fds: &[libc::pollfd]) {
        if let Some(p) = self.index.and_then(|i| fds.get(i)) {
            if p.revents & libc::POLLIN != 0 {
                self.drain();
                self.check();
            }
        }
    }
}

impl Drop for OomWatch {
    fn drop(&mut self) {
        // memory.events changed since the last reading: with no memory.high set, that is the
        // limit being hit (max, oom, oom_kill), even if the scope is gone before we read it.
        if self.drain() {
            self.at_limit = true;
        }
        self.check();
        if self.placed.remove {
            place::remove(&self.placed.dir);
        }
    }
}
