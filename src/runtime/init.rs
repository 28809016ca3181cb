//! `rctr __init BUNDLE FD [--rm] [--trace] [--hold]`: the runtime's helper and the container's
//! PID 1.
//!
//! The helper enters the user namespace (mapped by the caller) together with fresh mount,
//! UTS, IPC, network and PID namespaces, mounts the root overlay, forks PID 1, reports its
//! PID, and waits. PID 1 takes its own mount namespace (so `pivot_root` does not move the
//! helper), builds the container's view, sets up the process and execs the command. With
//! `--hold` it first waits for the caller's [`StartMsg::Go`]: the caller's pre-start hook
//! (cgroup placement, network devices) runs while PID 1 builds the view, and nothing of the
//! command runs before it is done.
use super::hold::{as_root_again, caller_as_real_uid, late_cgroup_namespace, released, Hold};
use super::{
    chan, process, pty, rootfs, Layers, StartFailure, ANN_INIT, ANN_SECCOMP_CACHE, ANN_USER,
};
use crate::wire::{Channel, Failure, FailureKind, Framing};
use anyhow::{anyhow, Context as _};
use chan::StartMsg;
use oci_spec::runtime::{LinuxNamespaceType, Spec};
use std::ffi::OsString;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Args {
    bundle: PathBuf,
    /// Taken (closed) by the helper once PID 1 holds the only other copy.
    chan: Option<Channel>,
    remove_rootfs: bool,
    hold: bool,
}

fn parse(args: &[OsString]) -> anyhow::Result<Args> {
    const USAGE: &str = "usage: __init BUNDLE FD [--rm] [--trace] [--hold]";
    let bundle = PathBuf::from(args.first().context(USAGE)?);
    let fd: RawFd = args
        .get(1)
        .and_then(|s| s.to_str())
        .and_then(|s| s.parse().ok())
        .context(USAGE)?;
    // SAFETY: the caller passed us this fd and nothing else in this process owns it.
    let chan = Channel::new(unsafe { OwnedFd::from_raw_fd(fd) }, Framing::Packet);
    set_cloexec(fd);
    let (mut remove_rootfs, mut hold) = (false, false);
    for a in &args[2..] {
        match a.to_str() {
            Some("--rm") => remove_rootfs = true,
            Some("--hold") => hold = true,
            Some("--trace") => trace::enable(fd),
            _ => anyhow::bail!(USAGE),
        }
    }
    Ok(Args {
        bundle,
        chan: Some(chan),
        remove_rootfs,
        hold,
    })
}

/// `--trace`: each step of the helper and PID 1, with µs since the helper started, sent as
/// [`StartMsg::Trace`] messages on the start channel (the caller prints them with `--log-level debug`).
pub(super) mod trace {
    use std::sync::atomic::{AtomicI32, Ordering};
    use std::sync::OnceLock;
    use std::time::Instant;
    static FD: AtomicI32 = AtomicI32::new(-1);
    static T0: OnceLock<Instant> = OnceLock::new();

    pub fn enable(fd: i32) {
        T0.get_or_init(Instant::now);
        FD.store(fd, Ordering::Relaxed);
    }

    pub fn step(who: &str, what: &str) {
        let fd = FD.load(Ordering::Relaxed);
        if fd < 0 {
            return;
        }
        let us = T0.get().map_or(0, |t| t.elapsed().as_micros());
        let line = super::StartMsg::Trace(format!("{who}: {what} (+{us} µs)"));
        // SAFETY: the start channel's fd, open in this process until the helper hands it
        // over or PID 1 execs (and a send to a closed fd only fails).
        let sock = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        let _ = super::chan::send(sock, &line, None);
    }
}

fn set_cloexec(fd: RawFd) {
    // SAFETY: fcntl on our own fd.
    unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
}

/// Entry point (dispatched from `internal`).
pub fn main(args: &[OsString]) -> anyhow::Result<ExitCode> {
    let mut a = parse(args)?;
    // `helper` only fails while the channel is still open (it closes it once PID 1 runs);
    // the error must be sent before `a` (and with it the channel) is dropped, or the caller
    // sees a bare end of file and cannot tell the user why.
    match helper(&mut a) {
        Ok(code) => Ok(ExitCode::from(code)),
        Err(e) => {
            let msg = process::describe(&e);
            match &a.chan {
                Some(c) => {
                    let f = StartMsg::Failed(Failure::new(FailureKind::Runtime, msg));
                    let _ = c.send(&f);
                }
                None => eprintln!("Error: rctr: {msg}"),
            }
            Ok(ExitCode::from(crate::error::EXIT_ENGINE))
        }
    }
}

/// The spec's namespaces: the `CLONE_*` flags of those to create, and the existing ones to
/// join (a user namespace path, and a network one inside it).
struct Namespaces {
    new: libc::c_int,
    user: Option<PathBuf>,
    join: Vec<(PathBuf, libc::c_int)>,
}

fn namespaces(spec: &Spec) -> anyhow::Result<Namespaces> {
    let mut ns_plan = Namespaces {
        new: libc::CLONE_NEWNS, // the helper always needs its own mounts
        user: None,
        join: Vec::new(),
    };
    for ns in spec
        .linux()
        .as_ref()
        .and_then(|l| l.namespaces().clone())
        .unwrap_or_default()
    {
        if let Some(p) = ns.path() {
            match ns.typ() {
                LinuxNamespaceType::User => ns_plan.user = Some(p.clone()),
                LinuxNamespaceType::Network => ns_plan.join.push((p.clone(), libc::CLONE_NEWNET)),
                t => anyhow::bail!(
                    "joining an existing {t} namespace ({}) is not supported by rctr's runtime",
                    p.display()
                ),
            }
            continue;
        }
        ns_plan.new |= match ns.typ() {
            LinuxNamespaceType::Pid => libc::CLONE_NEWPID,
            LinuxNamespaceType::Network => libc::CLONE_NEWNET,
            LinuxNamespaceType::Ipc => libc::CLONE_NEWIPC,
            LinuxNamespaceType::Uts => libc::CLONE_NEWUTS,
            LinuxNamespaceType::Cgroup => libc::CLONE_NEWCGROUP,
            _ => 0,
        };
    }
    if !ns_plan.join.is_empty() && ns_plan.user.is_none() {
        // A namespace owned by another user namespace grants nothing from outside it.
        anyhow::bail!(
            "joining an existing network namespace needs the path of its user namespace too"
        );
    }
    Ok(ns_plan)
}

fn pdeathsig() {
    // SAFETY: prctl with integer arguments.
    unsafe {
        libc::prctl(
            libc::PR_SET_PDEATHSIG,
            libc::SIGKILL as libc::c_ulong,
            0,
            0,
            0,
        )
    };
}

fn rootfs_path(bundle: &Path, spec: &Spec) -> PathBuf {
    let p = spec
        .root()
        .as_ref()
        .map(|r| r.path().clone())
        .unwrap_or_else(|| "rootfs".into());
    if p.is_absolute() {
        p
    } else {
        bundle.join(p)
    }
}

fn helper(a: &mut Args) -> anyhow::Result<u8> {
    let parent = nix::unistd::getppid();
    let caller_uid = nix::unistd::getuid().as_raw();
    // One read and a slice parse: quicker than serde's reader on a 20-30 KB spec.
    let spec: Spec = std::fs::read(a.bundle.join("config.json"))
        .map_err(anyhow::Error::from)
        .and_then(|b| Ok(serde_json::from_slice(&b)?))
        .context("reading the bundle's config.json")?;
    let ns = namespaces(&spec)?;
    // With a pre-start hook PID 1 makes its cgroup namespace only once released: the hook
    // may move it into the container's own cgroup, which must become the namespace's root.
    let late_cgroupns = a.hold && ns.new & libc::CLONE_NEWCGROUP != 0;
    let flags = ns.new
        & !if late_cgroupns {
            libc::CLONE_NEWCGROUP
        } else {
            0
        };
    trace::step("helper", "read config.json");
    match &ns.user {
        Some(user) => crate::userns::child_join(user, &ns.join, flags)?,
        None => crate::userns::child_enter(flags)?,
    }
    trace::step("helper", "in the mapped user namespace and new namespaces");
    // Set after child_enter: changing credentials clears the parent-death signal.
    pdeathsig();
    if nix::unistd::getppid() != parent {
        return Err(anyhow!("rctr exited while the container was starting"));
    }
    // Out of the caller's session: a Ctrl-C on its terminal is for the caller to forward,
    // not for this helper to die of.
    let _ = nix::unistd::setsid();
    // Nothing mounted from here on may propagate back to the host's namespace.
    rustix::mount::mount_change(
        "/",
        rustix::mount::MountPropagationFlags::DOWNSTREAM
            | rustix::mount::MountPropagationFlags::REC,
    )
    .context("making mounts private")?;
    if flags & libc::CLONE_NEWNET != 0 {
        loopback_up().context("bringing up lo in the container's network namespace")?;
    }
    let annotations = spec.annotations().clone().unwrap_or_default();
    if let Some(req) = annotations.get(super::netdev::ANN_TAP) {
        anyhow::ensure!(
            flags & libc::CLONE_NEWNET != 0,
            "a TAP device needs the container's own network namespace"
        );
        let req = super::netdev::TapRequest::from_annotation(req)?;
        let tap = super::netdev::create(&req)?;
        let chan_fd = a.chan.as_ref().context("internal: start channel closed")?;
        chan::send(chan_fd.as_fd(), &StartMsg::Tap, Some(tap.as_fd()))
            .context("sending the TAP device to rctr")?;
        trace::step("helper", "tap device created");
    }
    let layers = Layers::from_annotations(&annotations)?;
    let root = rootfs_path(&a.bundle, &spec);
    let fuse = match &layers {
        Some(l) => rootfs::mount_root(l, &root)?,
        None => Vec::new(),
    };
    trace::step("helper", "root mounted");
    // PID 1 watches this pipe to learn, race-free, whether the helper died before PID 1 had
    // armed its own parent-death signal (getppid() is 0 across the PID namespace border).
    let (alive_r, alive_w) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
    let chan_fd = a
        .chan
        .as_ref()
        .context("internal: start channel closed")?
        .as_fd();
    // SAFETY: single-threaded process (fresh exec, no threads started).
    match unsafe { libc::fork() } {
        -1 => Err(anyhow!("fork: {}", std::io::Error::last_os_error())),
        0 => {
            drop(alive_w);
            let cache = annotations.get(ANN_SECCOMP_CACHE).map(PathBuf::from);
            let code = container_init(
                &spec,
                &root,
                layers.is_some(),
                cache.as_deref(),
                chan_fd,
                &alive_r,
                Hold {
                    hold: a.hold,
                    late_cgroupns,
                    caller_uid,
                },
            );
            // SAFETY: leave without running destructors of the helper's state.
            unsafe { libc::_exit(code as i32) };
        }
        pid => {
            drop(alive_r);
            chan::send(chan_fd, &StartMsg::Pid(pid), None)?;
            // From now on only PID 1 holds the channel, and its close-on-exec tells the
            // caller the command was exec'd.
            drop(a.chan.take());
            let code = process::wait_for(pid);
            drop(alive_w);
            cleanup(&root, fuse, layers.as_ref().filter(|_| a.remove_rootfs));
            Ok(code)
        }
    }
}

/// A new network namespace has `lo` down; runc and crun bring it up, so do we.
fn loopback_up() -> anyhow::Result<()> {
    // SAFETY: socket/ioctl with a zeroed, correctly sized ifreq.
    unsafe {
        let sock = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if sock < 0 {
            return Err(std::io::Error::last_os_error().into());
        }
        let sock = OwnedFd::from_raw_fd(sock);
        let mut ifr: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo".iter().enumerate() {
            ifr.ifr_name[i] = *b as libc::c_char;
        }
        if libc::ioctl(sock.as_raw_fd(), libc::SIOCGIFFLAGS, &mut ifr) < 0 {
            return Err(std::io::Error::last_os_error().into());
        }
        ifr.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
        if libc::ioctl(sock.as_raw_fd(), libc::SIOCSIFFLAGS, &ifr) < 0 {
            return Err(std::io::Error::last_os_error().into());
        }
    }
    Ok(())
}

fn cleanup(root: &Path, fuse: Vec<rootfs::Daemon>, remove: Option<&Layers>) {
    if !fuse.is_empty() || remove.is_some() {
        let _ = rustix::mount::unmount(root, rustix::mount::UnmountFlags::DETACH);
    }
    rootfs::stop_daemons(fuse);
    if let Some(l) = remove {
        for d in [&l.upper, &l.work] {
            if let Err(e) = std::fs::remove_dir_all(d) {
                if e.kind() != std::io::ErrorKind::NotFound {
                    eprintln!("Warning: removing {}: {e}", d.display());
                }
            }
        }
    }
}

/// PID 1: never returns on success (the command replaces it). Returns the exit code to use
/// after reporting a failure on the channel.
fn container_init(
    spec: &Spec,
    root: &Path,
    layered: bool,
    seccomp_cache: Option<&Path>,
    chan_fd: BorrowedFd<'_>,
    alive: &OwnedFd,
    hold: Hold,
) -> u8 {
    pdeathsig();
    let mut pfd = [libc::pollfd {
        fd: alive.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    }];
    // SAFETY: poll on one valid fd, no timeout.
    if unsafe { libc::poll(pfd.as_mut_ptr(), 1, 0) } != 0 {
        return crate::error::EXIT_ENGINE; // the helper is gone: nobody to run for
    }
    let fail = |f: StartFailure| {
        chan::send_failure(chan_fd, &f);
        f.exit_code()
    };
    let real_uid_changed = hold.hold && caller_as_real_uid(hold.caller_uid);
    // Compiled (or read from the cache) while the host's tree is still visible.
    let profile = spec.linux().as_ref().and_then(|l| l.seccomp().clone());
    let prog = match profile
        .map(|p| super::seccomp::bpf(&p, seccomp_cache))
        .transpose()
    {
        Ok(p) => p,
        Err(e) => return fail(StartFailure::runtime(&e)),
    };
    trace::step("pid1", "seccomp program ready");
    let mut spec = spec.clone();
    if let Err(e) = prepare(&mut spec, root, layered, chan_fd, hold.late_cgroupns) {
        return fail(classify(e));
    }
    if hold.hold && !released(chan_fd) {
        return crate::error::EXIT_ENGINE; // the caller gave up (its hook failed, or it died)
    }
    if real_uid_changed {
        if let Err(e) = as_root_again() {
            return fail(classify(e));
        }
    }
    if hold.late_cgroupns {
        if let Err(e) = late_cgroup_namespace(&spec) {
            return fail(classify(e));
        }
    }
    let process = spec.process().clone().unwrap_or_default();
    if let Err(e) = process::finalize(&process, prog.as_deref()) {
        return fail(classify(e));
    }
    trace::step("pid1", "credentials, capabilities and seccomp set: execve");
    let init = spec
        .annotations()
        .as_ref()
        .and_then(|a| a.get(ANN_INIT))
        .is_some_and(|v| v == "true");
    if init {
        return reaper(&process, chan_fd, fail);
    }
    fail(process::exec(&process))
}

/// podman's exit code for a setup error: a user that cannot be set up is 126.
fn classify(e: anyhow::Error) -> StartFailure {
    if e.chain()
        .any(|c| c.downcast_ref::<process::UserError>().is_some())
    {
        StartFailure::CannotInvoke(format!("{e:#}"))
    } else {
        StartFailure::runtime(&e)
    }
}

/// Everything PID 1 does as root of the namespaces: mounts, pivot_root, hardening, user
/// resolution, terminal.
fn prepare(
    spec: &mut Spec,
    root: &Path,
    layered: bool,
    chan_fd: BorrowedFd<'_>,
    late_cgroupns: bool,
) -> anyhow::Result<()> {
    let _ = nix::unistd::setsid();
    // Own mount namespace: pivot_root must not move the helper, which still needs the host's
    // view to clean up.
    nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNS).context("unshare(CLONE_NEWNS)")?;
    let root_fd = rootfs::populate(spec, root, layered, late_cgroupns)?;
    trace::step("pid1", "spec mounts and devices in place");
    rootfs::pivot(&root_fd)?;
    drop(root_fd);
    trace::step("pid1", "pivot_root done");
    rootfs::harden(spec)?;
    trace::step("pid1", "masked and read-only paths done");
    let mut process = spec.process().clone().unwrap_or_default();
    if let Some(u) = spec.annotations().as_ref().and_then(|a| a.get(ANN_USER)) {
        super::user::apply(&mut process, u)?;
    }
    // podman creates a missing working directory.
    let cwd = process.cwd().clone();
    if !cwd.as_os_str().is_empty() && !cwd.exists() {
        std::fs::create_dir_all(&cwd)
            .with_context(|| format!("creating the working directory {}", cwd.display()))?;
    }
    if process.terminal().unwrap_or(false) {
        let size = process
            .console_size()
            .map(|b| (b.height() as u16, b.width() as u16));
        let (master, slave, path) = pty::open_in_container(size)?;
        let u = process.user();
        nix::unistd::fchown(&slave, Some(u.uid().into()), None).context("chown of the pty")?;
        bind_console(&path).context("binding the pty on /dev/console")?;
        chan::send(chan_fd, &StartMsg::Pty, Some(master.as_fd()))
            .context("sending the pty to rctr")?;
        drop(master);
        pty::make_controlling(&slave)?;
    }
    spec.set_process(Some(process));
    Ok(())
}

/// The terminal also appears as /dev/console, as with runc and crun.
fn bind_console(slave: &Path) -> anyhow::Result<()> {
    use rustix::fs::{Mode, OFlags};
    use std::os::fd::AsFd;
    let root = rustix::fs::open(
        "/",
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let console = super::mount::resolve_in_root(
        root.as_fd(),
        Path::new("/dev/console"),
        super::mount::Want::File,
    )?;
    let m = super::mount::bind_tree(slave, false, 0, 0, 0)?;
    super::mount::attach(&m, &console)?;
    Ok(())
}

/// `--init`: stay as a minimal PID 1 that forwards signals to the command and reaps orphans
/// (what catatonit/tini do), exiting with the command's status.
fn reaper(
    process: &oci_spec::runtime::Process,
    chan_fd: BorrowedFd<'_>,
    fail: impl Fn(StartFailure) -> u8,
) -> u8 {
    use nix::sys::signal::{SigSet, SigmaskHow, Signal};
    let mut set = SigSet::all();
    for s in [
        Signal::SIGKILL,
        Signal::SIGSTOP,
        Signal::SIGSEGV,
        Signal::SIGBUS,
        Signal::SIGILL,
        Signal::SIGFPE,
    ] {
        set.remove(s);
    }
    let mut old = SigSet::empty();
    if nix::sys::signal::pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&set), Some(&mut old)).is_err()
    {
        return fail(StartFailure::Runtime("blocking signals in the init".into()));
    }
    // SAFETY: single-threaded; the child only execs (or reports and exits).
    let child = unsafe { libc::fork() };
    if child == 0 {
        let _ = nix::sys::signal::pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
        pdeathsig();
        let code = fail(process::exec(process));
        // SAFETY: leave the forked child without unwinding.
        unsafe { libc::_exit(code as i32) };
    }
    // SAFETY: closing the init's copy: the command's copy closes on its execve.
    unsafe { libc::close(chan_fd.as_raw_fd()) };
    if child < 0 {
        return crate::error::EXIT_ENGINE;
    }
    // A non-dumpable PID 1 keeps /proc/1/exe (rctr's binary) away from the container's
    // processes unless they hold CAP_SYS_PTRACE (CVE-2019-5736).
    // SAFETY: prctl with integer arguments.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
    loop {
        let Ok(sig) = set.wait() else { continue };
        if sig == Signal::SIGCHLD {
            loop {
                let mut st = 0;
                // SAFETY: waitpid with a valid status pointer.
                let r = unsafe { libc::waitpid(-1, &mut st, libc::WNOHANG) };
                if r <= 0 {
                    break;
                }
                if r == child {
                    return process::status_code(st);
                }
            }
        } else {
            // SAFETY: plain kill(2) to our child.
            unsafe { libc::kill(child, sig as i32) };
        }
    }
}
