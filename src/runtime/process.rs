//! Process setup shared by the container's first process and `exec`: ids and groups (names
//! resolved by [`user`](super::user)), rlimits, capabilities, `no_new_privs`, seccomp, working
//! directory, host-fd hygiene, the final `execve` with podman's 126/127 distinction, and the
//! exit status of a waited child.
//!
//! Everything here runs in the single-threaded helper, inside the container's namespaces and
//! after `pivot_root`, so paths are container paths.
use super::caps;
use super::syscall::{Linux, Syscall};
use anyhow::{anyhow, Context as _};
use oci_spec::runtime::{PosixRlimitType, Process};
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

pub use super::user::{read_small_file, resolve_user, ExecUser, UserError};

/// Why the container's command could not be started, with podman's exit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartFailure {
    /// 127: the command does not exist.
    #[error("{0}")]
    NotFound(String),
    /// 126: it exists but cannot be executed.
    #[error("{0}")]
    CannotInvoke(String),
    /// 125: the runtime failed before it got to the command.
    #[error("{0}")]
    Runtime(String),
}

impl StartFailure {
    /// A runtime failure (125) from `e`, with the whole chain; a system call the kernel does
    /// not have (ENOSYS) means a kernel below rctr's floor, and the text says so instead of
    /// leaving the user with "Function not implemented".
    pub fn runtime(e: &anyhow::Error) -> StartFailure {
        StartFailure::Runtime(describe(e))
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            StartFailure::NotFound(_) => crate::error::EXIT_NOT_FOUND,
            StartFailure::CannotInvoke(_) => crate::error::EXIT_CANNOT_INVOKE,
            StartFailure::Runtime(_) => crate::error::EXIT_ENGINE,
        }
    }
}

/// `e`'s chain as one line, with the kernel floor named when a system call is missing.
pub fn describe(e: &anyhow::Error) -> String {
    let msg = format!("{e:#}");
    if !lacks_syscall(e) {
        return msg;
    }
    let release = nix::sys::utsname::uname()
        .map(|u| u.release().to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{msg}: kernel {release} lacks a system call rctr needs (rctr supports Linux 5.10 and newer; `rctr doctor` names what is missing)")
}

/// Whether a system call in `e`'s chain failed with ENOSYS, whichever crate made the call.
fn lacks_syscall(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.raw_os_error() == Some(libc::ENOSYS))
            || c.downcast_ref::<nix::errno::Errno>() == Some(&nix::errno::Errno::ENOSYS)
            || c.downcast_ref::<rustix::io::Errno>() == Some(&rustix::io::Errno::NOSYS)
    })
}

fn rlimit_resource(t: PosixRlimitType) -> Option<libc::__rlimit_resource_t> {
    use PosixRlimitType::*;
    Some(match t {
        RlimitCpu => libc::RLIMIT_CPU,
        RlimitFsize => libc::RLIMIT_FSIZE,
        RlimitData => libc::RLIMIT_DATA,
        RlimitStack => libc::RLIMIT_STACK,
        RlimitCore => libc::RLIMIT_CORE,
        RlimitRss => libc::RLIMIT_RSS,
        RlimitNproc => libc::RLIMIT_NPROC,
        RlimitNofile => libc::RLIMIT_NOFILE,
        RlimitMemlock => libc::RLIMIT_MEMLOCK,
        RlimitAs => libc::RLIMIT_AS,
        RlimitLocks => libc::RLIMIT_LOCKS,
        RlimitSigpending => libc::RLIMIT_SIGPENDING,
        RlimitMsgqueue => libc::RLIMIT_MSGQUEUE,
        RlimitNice => libc::RLIMIT_NICE,
        RlimitRtprio => libc::RLIMIT_RTPRIO,
        RlimitRttime => libc::RLIMIT_RTTIME,
    })
}

fn errno() -> std::io::Error {
    std::io::Error::last_os_error()
}

fn cap_mask(set: &Option<oci_spec::runtime::Capabilities>) -> u64 {
    let names: Vec<String> = set.iter().flatten().map(|c| c.to_string()).collect();
    caps::mask(names.iter().map(|s| s.as_str()))
}

/// Is `setgroups(2)` allowed in this user namespace? Not in single-ID mode, where the parent
/// had to write `deny` to be allowed to map its own gid (user_namespaces(7)).
pub fn setgroups_allowed() -> bool {
    std::fs::read_to_string("/proc/self/setgroups")
        .map(|s| s.trim() == "allow")
        .unwrap_or(false)
}

/// Everything between "the root filesystem is in place" and `execve` (`seccomp_bpf` from
/// [`seccomp::bpf`]), with the real syscalls: see [`finalize_with`].
pub fn finalize(process: &Process, seccomp_bpf: Option<&[u8]>) -> anyhow::Result<()> {
    finalize_with(&Linux, process, seccomp_bpf)
}

/// The process setup in the order that keeps each step legal: rlimits (raising a hard limit
/// needs CAP_SYS_RESOURCE), seccomp without `no_new_privs` (needs CAP_SYS_ADMIN, so before
/// the ids change), bounding set, ids (with KEEPCAPS, so the permitted set survives setuid),
/// capability sets, ambient set, umask, `no_new_privs` then seccomp (the filter may forbid
/// prctl), working directory, parent-death signal (cleared by the id change), fd hygiene.
pub fn finalize_with(
    sys: &impl Syscall,
    process: &Process,
    seccomp_bpf: Option<&[u8]>,
) -> anyhow::Result<()> {
    for rl in process.rlimits().iter().flatten() {
        let res = rlimit_resource(rl.typ()).context("unknown rlimit")?;
        sys.setrlimit(res, rl.soft(), rl.hard())
            .with_context(|| format!("setrlimit {}", rl.typ()))?;
    }
    let nnp = process.no_new_privileges().unwrap_or(false);
    if let (Some(prog), false) = (seccomp_bpf, nnp) {
        sys.seccomp(prog)?;
    }
    let c = process.capabilities().clone().unwrap_or_default();
    let bounding = cap_mask(c.bounding());
    for cap in 0..=caps::last_cap() {
        if bounding & (1u64 << cap) == 0 {
            sys.capbset_drop(cap).with_context(|| {
                format!(
                    "dropping {} from the bounding set",
                    caps::NAMES.get(cap as usize).copied().unwrap_or("?")
                )
            })?;
        }
    }
    let user = process.user();
    sys.set_keepcaps(true).context("PR_SET_KEEPCAPS")?;
    if sys.setgroups_allowed() {
        let gids: Vec<libc::gid_t> = user.additional_gids().clone().unwrap_or_default();
        sys.setgroups(&gids).context("setgroups")?;
    }
    let (uid, gid) = (user.uid(), user.gid());
    sys.setresgid(gid).map_err(|e| unmapped("group", gid, e))?;
    sys.setresuid(uid).map_err(|e| unmapped("user", uid, e))?;
    sys.set_keepcaps(false).context("PR_SET_KEEPCAPS")?;
    sys.capset(
        cap_mask(c.effective()),
        cap_mask(c.permitted()),
        cap_mask(c.inheritable()),
    )
    .context("capset")?;
    sys.ambient_clear();
    let ambient = cap_mask(c.ambient());
    for cap in (0..64u32).filter(|cap| ambient & (1u64 << cap) != 0) {
        sys.ambient_raise(cap)
            .context("raising an ambient capability")?;
    }
    sys.umask(user.umask().unwrap_or(0o022));
    if nnp {
        sys.no_new_privs().context("PR_SET_NO_NEW_PRIVS")?;
        if let Some(prog) = seccomp_bpf {
            sys.seccomp(prog)?;
        }
    }
    sys.enter_cwd(process.cwd())?;
    // The kernel clears the parent-death signal when credentials change: set it again so the
    // container cannot outlive its runtime (this survives execve).
    sys.parent_death_signal();
    sys.close_host_fds();
    Ok(())
}

/// The highest container ID + 1 mapped in this user namespace's `kind` map.
fn mapped_span(kind: &str) -> u64 {
    let file = if kind == "user" {
        "/proc/self/uid_map"
    } else {
        "/proc/self/gid_map"
    };
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let f: Vec<u64> = l
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            (f.len() == 3).then(|| f[0] + f[2])
        })
        .max()
        .unwrap_or(0)
}

fn unmapped(kind: &str, id: u32, e: std::io::Error) -> anyhow::Error {
    if e.raw_os_error() != Some(libc::EINVAL) {
        return anyhow!("switching to {kind} {id}: {e}");
    }
    let span = mapped_span(kind);
    let why = if span <= 1 {
        "in single-ID mode (no subordinate IDs) only root (0) exists in the container: run as root, or ask for subordinate IDs in /etc/subuid and /etc/subgid".to_string()
    } else {
        format!(
            "the container's {kind} IDs are 0-{} (your subordinate range in /etc/sub{}id is {} IDs): run as another {kind}, or ask for a larger range",
            span - 1,
            if kind == "user" { "u" } else { "g" },
            span - 1
        )
    };
    UserError(format!(
        "{kind} {id} is not mapped in the container's user namespace: {why}"
    ))
    .into()
}

/// `chdir` into the working directory and make sure it really lies inside the container's
/// root: CVE-2024-21626 let a leaked host directory fd (`/proc/self/fd/N` as cwd) give the
/// process a working directory outside the root. getcwd(2) reports such a directory as
/// "(unreachable)…".
pub fn enter_cwd(cwd: &Path) -> anyhow::Result<()> {
    let c = CString::new(cwd.as_os_str().as_bytes())?;
    // SAFETY: valid C string.
    if unsafe { libc::chdir(c.as_ptr()) } < 0 {
        return Err(anyhow!(
            "chdir to the working directory {}: {}",
            cwd.display(),
            errno()
        ));
    }
    // getcwd(2) of the container process itself, just after the chdir: not the caller's
    // environment (that comes from `Context`), so no `std::env` here.
    match nix::unistd::getcwd() {
        Ok(p) if p.is_absolute() => Ok(()),
        _ => Err(anyhow!(
            "working directory {} is outside the container's root (refusing: CVE-2024-21626)",
            cwd.display()
        )),
    }
}

/// Mark every fd above stderr close-on-exec, so nothing the runtime held (the store, sockets,
/// the host's directories) leaks into the container (CVE-2024-21626).
pub fn close_host_fds() {
    // SAFETY: close_range with CLOSE_RANGE_CLOEXEC only flips flags.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            3u32,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    };
    if rc == 0 {
        return;
    }
    // CLOSE_RANGE_CLOEXEC is Linux 5.11 (5.10 says EINVAL): flag each open fd instead, as
    // listed by /proc/self/fd, else every fd number below the open-files limit.
    let set = |fd: i32| {
        // SAFETY: fcntl on an fd number; a closed one just fails with EBADF.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    };
    match std::fs::read_dir("/proc/self/fd") {
        Ok(dir) => {
            let fds: Vec<i32> = dir
                .flatten()
                .filter_map(|e| e.file_name().to_str()?.parse().ok())
                .filter(|&fd| fd > 2)
                .collect();
            fds.into_iter().for_each(set);
        }
        Err(_) => {
            let max = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
                .map_or(1024, |(soft, _)| soft.min(1 << 20) as i32);
            (3..max).for_each(set);
        }
    }
}

/// A wait(2) status as the exit code podman reports: the code, or 128+N for signal N.
pub fn status_code(st: libc::c_int) -> u8 {
    if libc::WIFEXITED(st) {
        libc::WEXITSTATUS(st) as u8
    } else if libc::WIFSIGNALED(st) {
        (128 + libc::WTERMSIG(st)) as u8
    } else {
        crate::error::EXIT_ENGINE
    }
}

/// Wait for the child `pid` (retrying on EINTR) and return [`status_code`] of its status.
pub fn wait_for(pid: libc::pid_t) -> u8 {
    let mut st = 0;
    loop {
        // SAFETY: waitpid with a valid status pointer.
        let r = unsafe { libc::waitpid(pid, &mut st, 0) };
        if r == pid {
            return status_code(st);
        }
        if r < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return crate::error::EXIT_ENGINE;
        }
    }
}

/// The `PATH` a container gets when neither the image nor the user sets one (podman's), and
/// the one the command is looked up in when the spec's env has none.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Look `arg0` up the way execvp does, in the container's `$PATH` (from the spec's env), and
/// say why not in podman's words.
pub fn find_executable(arg0: &str, env: &[String]) -> Result<CString, StartFailure> {
    let path = env
        .iter()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or(DEFAULT_PATH);
    let check_one = |p: &Path| -> Result<CString, std::io::Error> {
        let m = std::fs::metadata(p)?;
        if m.is_dir() {
            return Err(std::io::Error::from_raw_os_error(libc::EACCES));
        }
        let c = CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL))?;
        // SAFETY: valid C string.
        if unsafe { libc::access(c.as_ptr(), libc::X_OK) } != 0 {
            return Err(errno());
        }
        Ok(c)
    };
    let not_found = |what: String| {
        StartFailure::NotFound(format!(
        "{what}: No such file or directory: OCI runtime attempted to invoke a command that was not found"
    ))
    };
    let denied = |p: &str, e: std::io::Error| {
        let msg =
            std::io::Error::from_raw_os_error(e.raw_os_error().unwrap_or(libc::EACCES)).to_string();
        let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
        StartFailure::CannotInvoke(format!("exec `{p}`: {msg}: OCI permission denied"))
    };
    if arg0.contains('/') {
        return match check_one(Path::new(arg0)) {
            Ok(c) => Ok(c),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(not_found(format!("executable file `{arg0}` not found")))
            }
            Err(e) => Err(denied(arg0, e)),
        };
    }
    let mut first_denied = None;
    for dir in path.split(':').filter(|d| !d.is_empty()) {
        let p = Path::new(dir).join(arg0);
        match check_one(&p) {
            Ok(c) => return Ok(c),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if first_denied.is_none() => first_denied = Some((p, e)),
            Err(_) => {}
        }
    }
    match first_denied {
        Some((p, e)) => Err(denied(&p.to_string_lossy(), e)),
        None => Err(not_found(format!(
            "executable file `{arg0}` not found in $PATH"
        ))),
    }
}

/// Give the container's command the signal state a fresh process expects. Ignored
/// dispositions and the blocked mask survive execve (signal(7)); the Rust runtime ignores
/// SIGPIPE at start-up and rctr's helpers block signals they read via signalfd, so without
/// this `yes | head` in a container never ends and SIGTERM/SIGINT could be masked.
fn reset_signals() {
    // SAFETY: plain signal(2)/sigprocmask(2) calls in a single-threaded process about to exec.
    unsafe {
        for sig in 1..libc::SIGRTMIN() {
            if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                libc::signal(sig, libc::SIG_DFL);
            }
        }
        let mut empty: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut empty);
        libc::sigprocmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
    }
}

/// Replace this process with the container's command. Returns only on failure.
pub fn exec(process: &Process) -> StartFailure {
    let args = process.args().clone().unwrap_or_default();
    let Some(arg0) = args.first() else {
        return StartFailure::Runtime(
            "no command given and the image has none: give one after the image name".into(),
        );
    };
    let env = process.env().clone().unwrap_or_default();
    let prog = match find_executable(arg0, &env) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let cargs: Vec<CString> = args
        .iter()
        .filter_map(|a| CString::new(a.as_str()).ok())
        .collect();
    let cenv: Vec<CString> = env
        .iter()
        .filter_map(|a| CString::new(a.as_str()).ok())
        .collect();
    let mut argv: Vec<*const libc::c_char> = cargs.iter().map(|c| c.as_ptr()).collect();
    argv.push(std::ptr::null());
    let mut envp: Vec<*const libc::c_char> = cenv.iter().map(|c| c.as_ptr()).collect();
    envp.push(std::ptr::null());
    reset_signals();
    // SAFETY: NULL-terminated arrays of valid C strings that outlive the call.
    unsafe { libc::execve(prog.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
    let e = errno();
    let p = prog.to_string_lossy().into_owned();
    match e.raw_os_error() {
        Some(libc::ENOENT) => StartFailure::NotFound(format!(
            "exec `{p}`: No such file or directory (a missing interpreter or dynamic loader?): OCI runtime attempted to invoke a command that was not found"
        )),
        _ => {
            let msg = e.to_string();
            let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
            StartFailure::CannotInvoke(format!("exec `{p}`: {msg}: OCI permission denied"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executable_lookup_reports_podman_wording() {
        let env = vec!["PATH=/nonexistent:/bin".to_string()];
        assert!(find_executable("sh", &env).is_ok());
        let e = find_executable("nosuch-xyz", &env).unwrap_err();
        assert_eq!(e.exit_code(), 127);
        assert!(e.to_string().starts_with(
            "executable file `nosuch-xyz` not found in $PATH: No such file or directory"
        ));
        let e = find_executable("/etc/passwd", &env).unwrap_err();
        assert_eq!(e.exit_code(), 126, "{e}");
        let e = find_executable("/", &env).unwrap_err();
        assert_eq!(e.exit_code(), 126);
    }
}

#[cfg(test)]
#[path = "process_order_tests.rs"]
mod order_tests;
