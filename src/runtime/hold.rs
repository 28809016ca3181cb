//! PID 1 held for the caller's pre-start hook (`__init --hold`): what it waits for, what it
//! is while it waits, and what it does once released.
use super::chan::StartMsg;
use super::init::trace;
use super::rootfs;
use crate::wire::Framing;
use anyhow::Context as _;
use oci_spec::runtime::Spec;
use std::os::fd::BorrowedFd;

/// Whether PID 1 waits for the pre-start hook, and makes its cgroup namespace after it.
#[derive(Clone, Copy)]
pub(super) struct Hold {
    pub hold: bool,
    pub late_cgroupns: bool,
    /// The host uid that started the runtime (see [`caller_as_real_uid`]).
    pub caller_uid: u32,
}

/// While held, PID 1's real uid is the caller's (root stays its effective and saved uid, so
/// it keeps its capabilities and files it makes are root's): the user's systemd attaches a
/// process to a scope only when that process's real uid is the caller's (systemd's
/// AttachProcessesToUnit check), and with `--userns=keep-id` root of the container is a
/// subordinate ID. Returns whether it changed anything (then [`as_root_again`] undoes it).
pub(super) fn caller_as_real_uid(host_uid: u32) -> bool {
    let map = std::fs::read_to_string("/proc/self/uid_map").unwrap_or_default();
    let inside = map.lines().find_map(|l| {
        let f: Vec<u32> = l
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        let [ins, out, n] = f[..] else { return None };
        (host_uid >= out && host_uid - out < n).then(|| ins + (host_uid - out))
    });
    match inside {
        // SAFETY: setresuid with plain ids; -1 leaves the effective and saved uids as they are.
        Some(u) if u != 0 => unsafe { libc::setresuid(u, u32::MAX, u32::MAX) == 0 },
        _ => false,
    }
}

pub(super) fn as_root_again() -> anyhow::Result<()> {
    nix::unistd::setresuid(0.into(), 0.into(), 0.into()).context("setresuid(0) after the hook")
}

/// The cgroup namespace, rooted where the pre-start hook put PID 1, and the spec's cgroup2
/// mounts, which show that root (mounted now, after pivot_root, under the new root).
pub(super) fn late_cgroup_namespace(spec: &Spec) -> anyhow::Result<()> {
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWCGROUP)
        .context("unshare(CLONE_NEWCGROUP)")?;
    rootfs::mount_cgroup2(spec)?;
    trace::step("pid1", "cgroup namespace and cgroup2 mounts done");
    Ok(())
}

/// `--hold`: wait for the caller's go-ahead (false: it closed the channel instead).
pub(super) fn released(chan_fd: BorrowedFd<'_>) -> bool {
    let go = matches!(
        crate::wire::recv::<StartMsg>(chan_fd, Framing::Packet),
        Ok(Some((StartMsg::Go, _)))
    );
    trace::step("pid1", "released by the pre-start hook");
    go
}
