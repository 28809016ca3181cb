//! Entering a user namespace with rctr's ID mapping.
//!
//! A multithreaded process cannot `unshare(CLONE_NEWUSER)` (EINVAL) and forking one is unsafe,
//! so namespace work is always done by a fresh, single-threaded re-exec of `/proc/self/exe`
//! into a hidden subcommand (see `internal`). The protocol, over a socketpair on fd 3 in
//! rctr's wire format (`crate::wire`):
//!
//! 1. child: `unshare(CLONE_NEWUSER | extra)`, sends [`FromChild::Unshared`] (or
//!    [`FromChild::Refused`] with the reason);
//! 2. parent: writes the maps (`newuidmap`/`newgidmap` for subordinate ranges, or
//!    `setgroups=deny` + a one-line map of its own id in single-ID mode), then sends
//!    [`FromParent::Mapped`] (or [`FromParent::NotMapped`] if mapping failed);
//! 3. child: continues as root of the new namespace.
use crate::idmap::{IdMapping, MappingMode};
use crate::wire::{Channel, Failure, FailureKind, Framing, Message};
use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

/// The fd number the child finds its end of the sync socket on.
pub const SYNC_FD: i32 = 3;
/// Environment variable telling the child a parent is waiting to map it.
pub const SYNC_ENV: &str = "_RCTR_USERNS_SYNC";

/// What the child says on the sync socket.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromChild {
    /// The user namespace exists: map it.
    Unshared,
    /// The child joined an existing (mapped) user namespace ([`child_join`]): nothing to map.
    Joined,
    /// `unshare` failed, and why.
    Refused(Failure),
}

impl Message for FromChild {}

/// The parent's answer.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromParent {
    Mapped,
    NotMapped,
}

impl Message for FromParent {}

/// `Command` for a hidden rctr subcommand (re-exec of this very binary).
pub fn self_command(subcommand: &str) -> Command {
    let mut c = Command::new("/proc/self/exe");
    c.arg(subcommand);
    c
}

/// Spawn `cmd` (a re-exec into a subcommand that calls [`child_enter`]) and map its user
/// namespace with `mapping`. Returns once the child runs as root of its namespace.
pub fn spawn_mapped(cmd: &mut Command, mapping: &IdMapping) -> anyhow::Result<Child> {
    let (parent, child_end) = Channel::pair(Framing::Stream).context("creating sync socket")?;
    let child_fd = child_end.as_raw_fd();
    cmd.env(SYNC_ENV, SYNC_FD.to_string());
    // SAFETY: only async-signal-safe calls (dup2, fcntl) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if child_fd == SYNC_FD {
                let fl = libc::fcntl(SYNC_FD, libc::F_GETFD);
                if fl < 0 || libc::fcntl(SYNC_FD, libc::F_SETFD, fl & !libc::FD_CLOEXEC) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            } else if libc::dup2(child_fd, SYNC_FD) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().context("starting rctr helper process")?;
    drop(child_end);
    let said = parent.recv::<FromChild>();
    if matches!(said, Ok(Some(FromChild::Joined))) {
        return Ok(child);
    }
    if !matches!(said, Ok(Some(FromChild::Unshared))) {
        // A refusal carries the child's own reason; anything else means it died silently.
        let st = child.wait();
        if let Ok(Some(FromChild::Refused(why))) = said {
            if !why.message.is_empty() {
                return Err(why.into());
            }
        }
        bail!(
            "rctr helper exited before creating its user namespace ({})",
            crate::error::describe_status(st)
        );
    }
    match write_maps(child.id(), mapping) {
        Ok(()) => {
            parent
                .send(&FromParent::Mapped)
                .context("signalling helper")?;
            Ok(child)
        }
        Err(e) => {
            let _ = parent.send(&FromParent::NotMapped);
            let _ = child.kill();
            let _ = child.wait();
            Err(e)
        }
    }
}

/// Write `mapping` for process `pid`, which has just unshared its user namespace.
pub fn write_maps(pid: u32, mapping: &IdMapping) -> anyhow::Result<()> {
    match mapping.mode {
        MappingMode::Full => {
            let run = |tool: &str,
                       map: &[crate::idmap::IdMap]|
             -> anyhow::Result<std::process::Child> {
                let mut c = Command::new(tool);
                c.arg(pid.to_string());
                for m in map {
                    c.arg(m.container_id.to_string())
                        .arg(m.host_id.to_string())
                        .arg(m.size.to_string());
                }
                c.stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .map_err(|e| {
                        if e.kind() == std::io::ErrorKind::NotFound {
                            anyhow::anyhow!("{tool} not found: install the uidmap package (or run `rctr doctor`)")
                        } else {
                            anyhow::anyhow!("cannot run {tool}: {e}")
                        }
                    })
            };
            // Both helpers run at once: they are independent and each costs a setuid exec.
            let u = run("newuidmap", &mapping.uid_map)?;
            let g = run("newgidmap", &mapping.gid_map)?;
            for (tool, child) in [("newuidmap", u), ("newgidmap", g)] {
                let out = child.wait_with_output()?;
                if !out.status.success() {
                    let msg = String::from_utf8_lossy(&out.stderr).trim().to_string();
                    bail!(
                        "cannot set up the user namespace: {tool} failed: {msg} (run `rctr doctor` for the fix)"
                    );
                }
            }
        }
        MappingMode::SingleId => {
            // Without CAP_SETGID in the parent namespace, setgroups must be denied before an
            // unprivileged process may write gid_map (user_namespaces(7), Linux 3.19+).
            let p = format!("/proc/{pid}");
            std::fs::write(format!("{p}/setgroups"), "deny").context("writing setgroups")?;
            std::fs::write(
                format!("{p}/uid_map"),
                IdMapping::map_text(&mapping.uid_map),
            )
            .context("writing uid_map")?;
            std::fs::write(
                format!("{p}/gid_map"),
                IdMapping::map_text(&mapping.gid_map),
            )
            .context("writing gid_map")?;
        }
    }
    Ok(())
}

/// Child side: create the user namespace (plus `extra_flags`, e.g. `CLONE_NEWNS`), wait for the
/// parent to map it, and become root inside. Must run before any thread is started.
pub fn child_enter(extra_flags: libc::c_int) -> anyhow::Result<()> {
    let sock = sync_channel()?;
    // SAFETY: plain syscall; we are single-threaded (fresh exec).
    if unsafe { libc::unshare(libc::CLONE_NEWUSER | extra_flags) } != 0 {
        let e = std::io::Error::last_os_error();
        let msg = format!("cannot create a user namespace: {e} (are unprivileged user namespaces enabled? see `rctr doctor`)");
        let _ = sock.send(&FromChild::Refused(Failure::new(
            FailureKind::Runtime,
            msg.clone(),
        )));
        bail!("{msg}");
    }
    sock.send(&FromChild::Unshared)?;
    if !matches!(sock.recv::<FromParent>()?, Some(FromParent::Mapped)) {
        bail!("user namespace mapping failed");
    }
    become_root()
}

/// The child's end of the sync socket [`spawn_mapped`] set up.
fn sync_channel() -> anyhow::Result<Channel> {
    // The one `std::env` read outside `context.rs`, on purpose: a private handshake between
    // rctr's own processes (the fd number [`spawn_mapped`] set), read and removed before
    // anything else runs so the container never inherits it. It is not the user's
    // environment, and the helpers that call this (runtime init, probes) have no Context.
    let fd: i32 = std::env::var(SYNC_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .context("internal: helper started without a sync socket")?;
    std::env::remove_var(SYNC_ENV);
    // SAFETY: fd 3 was handed to us by the parent and is owned by this process alone.
    let sock = Channel::new(unsafe { OwnedFd::from_raw_fd(fd) }, Framing::Stream);
    let _ = nix::fcntl::fcntl(
        &sock,
        nix::fcntl::FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC),
    );
    Ok(sock)
}

/// Become uid/gid 0 of the namespace explicitly (we already are, via the map of our own id).
fn become_root() -> anyhow::Result<()> {
    nix::unistd::setresgid(0.into(), 0.into(), 0.into())
        .context("setresgid(0) in user namespace")?;
    nix::unistd::setresuid(0.into(), 0.into(), 0.into())
        .context("setresuid(0) in user namespace")?;
    Ok(())
}

/// Child side, the other way in: join the existing user namespace at `user` and then the
/// namespaces in `join` (paths with their `CLONE_*` type, e.g. another container's network),
/// create the ones in `new_flags`, and tell the parent there is nothing to map. The files are
/// opened before the first `setns`, while `/proc` paths still mean the caller's view. Must
/// run before any thread is started (setns of a user namespace refuses a threaded process).
pub fn child_join(
    user: &std::path::Path,
    join: &[(std::path::PathBuf, libc::c_int)],
    new_flags: libc::c_int,
) -> anyhow::Result<()> {
    let sock = sync_channel()?;
    let refuse = |msg: String| {
        let _ = sock.send(&FromChild::Refused(Failure::new(
            FailureKind::Runtime,
            msg.clone(),
        )));
        anyhow::anyhow!("{msg}")
    };
    let open = |p: &std::path::Path| {
        std::fs::File::open(p)
            .map_err(|e| refuse(format!("opening the namespace {}: {e}", p.display())))
    };
    let user_fd = open(user)?;
    let mut fds = Vec::new();
    for (p, flag) in join {
        fds.push((open(p)?, *flag, p));
    }
    let enter = |f: &std::fs::File, flag: libc::c_int, p: &std::path::Path| {
        // SAFETY: setns on an fd we own; single-threaded.
        if unsafe { libc::setns(f.as_raw_fd(), flag) } != 0 {
            let e = std::io::Error::last_os_error();
            return Err(refuse(format!(
                "joining the namespace {}: {e}",
                p.display()
            )));
        }
        Ok(())
    };
    enter(&user_fd, libc::CLONE_NEWUSER, user)?;
    become_root().map_err(|e| refuse(format!("{e:#}")))?;
    for (f, flag, p) in &fds {
        enter(f, *flag, p)?;
    }
    // SAFETY: plain syscall; single-threaded.
    if unsafe { libc::unshare(new_flags) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(refuse(format!("creating the container's namespaces: {e}")));
    }
    sock.send(&FromChild::Joined)?;
    Ok(())
}
