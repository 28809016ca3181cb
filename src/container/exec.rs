//! `exec`: run a process in a running container.
//!
//! ```text
//! rctr exec (parent)                 builds the process from the container's OCI spec + flags
//!   └─ rctr __exec PID START         single-threaded re-exec: setns into ALL of PID's
//!        │                           namespaces (user first), chdir /, user lookup in the
//!        │                           container's /etc/passwd, pty from the container's devpts
//!        └─ process                  forked inside the PID namespace; the runtime's process
//!                                    setup (caps, seccomp, rlimits, ids, cwd) → execve
//! ```
//! The helper stays outside the container's PID namespace (invisible to it) and is
//! non-dumpable, as is the child until execve: a container process can neither ptrace it nor
//! open `/proc/PID/exe` to reach the rctr binary (CVE-2019-5736).
use super::live::ProcId;
use super::Container;
use crate::error::ExitError;
use crate::runtime::{env, process, pty, StartFailure, ANN_USER};
use crate::wire::{Channel, Failure, Framing, Message};
use anyhow::{anyhow, Context as _};
use base64::Engine as _;
use oci_spec::runtime::{Capability, LinuxCapabilities, LinuxSeccomp, Process};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};

/// What `rctr exec` asked for.
#[derive(Debug, Clone, Default)]
pub struct ExecOptions {
    pub command: Vec<String>,
    /// `-e`/`--env-file` entries (`KEY=VALUE`), applied over the container's environment.
    pub env: Vec<String>,
    pub workdir: Option<String>,
    pub user: Option<String>,
    pub tty: bool,
    pub interactive: bool,
    pub detach: bool,
    pub privileged: bool,
}

/// The hand-off to the helper.
#[derive(Serialize, Deserialize)]
struct Payload {
    process: Process,
    /// The container's seccomp filter as compiled BPF (base64), see [`seccomp_bpf`].
    seccomp_bpf: Option<String>,
    /// `user[:group]` to resolve inside the container, if any.
    user: Option<String>,
    tty: bool,
}

impl Message for Payload {}

/// The helper's answer, once the command runs or could not be started.
#[derive(Serialize, Deserialize)]
enum ExecReply {
    Started,
    Failed(Failure),
}

impl Message for ExecReply {}

fn all_caps() -> HashSet<Capability> {
    (0..=crate::runtime::caps::last_cap())
        .filter_map(|n| crate::runtime::caps::NAMES.get(n as usize))
        .filter_map(|n| n.parse::<Capability>().ok())
        .collect()
}

impl Container {
    /// Run `opts.command` in this (running) container. Returns its exit code; with `detach`
    /// returns 0 as soon as it runs. Start failures carry podman's 125/126/127.
    pub fn exec(&self, opts: &ExecOptions) -> anyhow::Result<u8> {
        let pid = self.require_running()?;
        let spec = oci_spec::runtime::Spec::load(self.spec_path()).with_context(|| {
            format!(
                "reading the container's spec {}",
                self.spec_path().display()
            )
        })?;
        let mut p = spec.process().clone().unwrap_or_default();
        p.set_args(Some(opts.command.clone()));
        let mut env = p.env().clone().unwrap_or_default();
        env::merge(&mut env, opts.env.iter().cloned());
        if opts.tty && !env::has(&env, "TERM") {
            env.push("TERM=xterm".into());
        }
        p.set_env(Some(env));
        if let Some(w) = &opts.workdir {
            p.set_cwd(PathBuf::from(w));
        }
        p.set_terminal(Some(opts.tty));
        let mut seccomp = spec.linux().as_ref().and_then(|l| l.seccomp().clone());
        if opts.privileged {
            // --privileged: every capability the user namespace can hold, no seccomp filter.
            let all = all_caps();
            let mut c = LinuxCapabilities::default();
            c.set_bounding(Some(all.clone()));
            c.set_effective(Some(all.clone()));
            c.set_permitted(Some(all.clone()));
            c.set_inheritable(Some(HashSet::new()));
            c.set_ambient(Some(HashSet::new()));
            p.set_capabilities(Some(c));
            seccomp = None;
        }
        let user = opts.user.clone().or_else(|| {
            spec.annotations()
                .as_ref()
                .and_then(|a| a.get(ANN_USER).cloned())
        });
        let seccomp_bpf = match &seccomp {
            Some(sc) => {
                Some(base64::engine::general_purpose::STANDARD.encode(seccomp_bpf(self, sc)?))
            }
            None => None,
        };
        let payload = Payload {
            process: p,
            seccomp_bpf,
            user,
            tty: opts.tty,
        };
        run_helper(pid, &payload, opts)
    }
}

/// The container's seccomp profile compiled to BPF, cached beside its spec (which never
/// changes after creation): libseccomp needs ~25 ms to compile the default profile, which
/// would dominate every `exec`. The monitor fills the cache right after the start; the cached
/// program is verified against the profile before it is used.
pub fn seccomp_bpf(c: &Container, sc: &LinuxSeccomp) -> anyhow::Result<Vec<u8>> {
    crate::runtime::seccomp::bpf_cached_at(sc, &c.dir().join("seccomp.bpf"))
}

/// Fill the BPF cache of a started container (best effort; called by the monitor).
pub fn precompile_seccomp(c: &Container) {
    if let Ok(spec) = oci_spec::runtime::Spec::load(c.spec_path()) {
        if let Some(sc) = spec.linux().as_ref().and_then(|l| l.seccomp().clone()) {
            let _ = seccomp_bpf(c, &sc);
        }
    }
}

fn run_helper(pid: ProcId, payload: &Payload, opts: &ExecOptions) -> anyhow::Result<u8> {
    let (ours, theirs) = Channel::pair(Framing::Stream).context("socketpair")?;
    let fd = theirs.as_raw_fd();
    let mut cmd = crate::userns::self_command("__exec");
    cmd.arg(pid.pid.to_string())
        .arg(pid.start.to_string())
        .arg(fd.to_string());
    if !opts.interactive {
        cmd.stdin(Stdio::null());
    }
    if opts.detach {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
    }
    let detach = opts.detach;
    // SAFETY: fcntl/setsid are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            if detach && libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if libc::fcntl(fd, libc::F_SETFD, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().context("starting the exec helper")?;
    drop(theirs);
    ours.send(payload)?;
    let reply = ours.recv::<ExecReply>();
    if let Ok(Some(ExecReply::Failed(f))) = reply {
        let _ = child.wait();
        return Err(ExitError::from(f).into());
    }
    if !matches!(reply, Ok(Some(ExecReply::Started))) {
        let st = child.wait()?;
        return Err(anyhow!(
            "the exec helper exited before starting the command ({st}); rerun with --log-level debug for its trace"
        ));
    }
    if detach {
        // The helper stays, as the process's parent and reaper, in its own session.
        std::mem::forget(child);
        return Ok(0);
    }
    use std::os::unix::process::ExitStatusExt;
    let st = loop {
        match child.wait() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            r => break r?,
        }
    };
    Ok(match (st.code(), st.signal()) {
        (Some(c), _) => c as u8,
        (None, Some(s)) => (128 + s) as u8,
        _ => crate::error::EXIT_ENGINE,
    })
}

/// Tell `rctr exec` why the command could not be started (best effort: it may be gone).
fn report(sock: &Channel, f: Failure) {
    let _ = sock.send(&ExecReply::Failed(f));
}

/// Hidden `__exec PID START FD` (see the module docs). Runs single-threaded.
pub fn helper_main(args: &[OsString]) -> anyhow::Result<ExitCode> {
    let [pid, start, fd] = args else {
        anyhow::bail!("usage: __exec PID START FD")
    };
    let num = |s: &OsString| {
        s.to_str()
            .and_then(|s| s.parse::<i64>().ok())
            .context("bad argument")
    };
    let target = ProcId {
        pid: num(pid)? as i32,
        start: num(start)? as u64,
    };
    // SAFETY: the fd was handed to us by `rctr exec` and is ours alone.
    let sock = Channel::new(
        unsafe { OwnedFd::from_raw_fd(num(fd)? as RawFd) },
        Framing::Stream,
    );
    // SAFETY: fcntl on our own fd.
    unsafe { libc::fcntl(sock.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
    let payload: Payload = match sock.recv() {
        Ok(Some(p)) => p,
        Ok(None) => anyhow::bail!("bad exec payload: none received"),
        Err(e) => return Err(anyhow::Error::from(e).context("bad exec payload")),
    };
    match enter_and_spawn(target, payload, &sock) {
        Ok(code) => Ok(ExitCode::from(code)),
        Err(f) => {
            report(&sock, Failure::from(&f));
            Ok(ExitCode::from(f.exit_code()))
        }
    }
}

/// The container's namespaces, in the order they are joined: the user namespace FIRST, so
/// the others (owned by it) can be joined with the capabilities it grants.
const NAMESPACES: &[(&str, libc::c_int)] = &[
    ("user", libc::CLONE_NEWUSER),
    ("mnt", libc::CLONE_NEWNS),
    ("uts", libc::CLONE_NEWUTS),
    ("ipc", libc::CLONE_NEWIPC),
    ("net", libc::CLONE_NEWNET),
    ("pid", libc::CLONE_NEWPID),
    ("cgroup", libc::CLONE_NEWCGROUP),
];

fn enter_and_spawn(target: ProcId, payload: Payload, sock: &Channel) -> Result<u8, StartFailure> {
    let rt = |e: String| StartFailure::Runtime(e);
    // Open every namespace first (while /proc is the host's), checking it is still the
    // recorded process, then join them.
    let mut fds: Vec<(OwnedFd, libc::c_int, &str)> = Vec::new();
    let me_ns = |n: &str| std::fs::read_link(format!("/proc/self/ns/{n}")).ok();
    for (name, flag) in NAMESPACES {
        let path = format!("/proc/{}/ns/{name}", target.pid);
        // Joining a namespace we already are in is an error for `user` (EINVAL): skip equal ones.
        if std::fs::read_link(&path).ok() == me_ns(name) {
            continue;
        }
        match std::fs::File::open(&path) {
            Ok(f) => fds.push((OwnedFd::from(f), *flag, name)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && *name == "cgroup" => {}
            Err(e) => return Err(rt(format!("the container is not running ({path}: {e})"))),
        }
    }
    if !super::live::alive(target) {
        return Err(rt("the container is not running any more".into()));
    }
    for (fd, flag, name) in &fds {
        // SAFETY: setns on an fd we own.
        if unsafe { libc::setns(fd.as_raw_fd(), *flag) } < 0 {
            return Err(rt(format!(
                "joining the container's {name} namespace: {}",
                std::io::Error::last_os_error()
            )));
        }
    }
    drop(fds);
    std::env::set_current_dir("/").map_err(|e| rt(format!("chdir / in the container: {e}")))?;
    let mut process = payload.process;
    if let Some(u) = &payload.user {
        crate::runtime::user::apply(&mut process, u).map_err(|e| rt(e.0))?;
    }
    let tty = if payload.tty {
        let (m, s, _) =
            pty::open_in_container(pty::winsize(0)).map_err(|e| rt(format!("{e:#}")))?;
        let _ = nix::unistd::fchown(&s, Some(process.user().uid().into()), None);
        Some((m, s))
    } else {
        None
    };
    // Non-dumpable: no container process may ptrace us or open /proc/<us>/exe (CVE-2019-5736).
    // The fork inherits it; execve of the command resets it.
    // SAFETY: prctl with integer arguments.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) };
    let (err_r, err_w) =
        nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).map_err(|e| rt(format!("pipe: {e}")))?;
    // SAFETY: single-threaded process; the child only sets up and execs.
    let child = unsafe { libc::fork() };
    if child < 0 {
        return Err(rt(format!("fork: {}", std::io::Error::last_os_error())));
    }
    if child == 0 {
        drop(err_r);
        let bpf = payload.seccomp_bpf.as_deref().map(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .unwrap_or_default()
        });
        let fail = child_setup(&process, bpf.as_deref(), tty.as_ref().map(|t| &t.1));
        let _ = Channel::new(err_w, Framing::Pipe).send(&Failure::from(&fail));
        // SAFETY: leave the forked child without running the parent's destructors.
        unsafe { libc::_exit(fail.exit_code() as i32) };
    }
    drop(err_w);
    let tty_master = tty.map(|(m, s)| {
        drop(s);
        m
    });
    // End of file (the pipe is close-on-exec) means the command was exec'd.
    if let Ok(Some(f)) = Channel::new(err_r, Framing::Pipe).recv::<Failure>() {
        let _ = process::wait_for(child);
        let code = f.code();
        report(sock, f);
        return Ok(code);
    }
    let _ = sock.send(&ExecReply::Started);
    if let Some(m) = tty_master {
        relay_tty(&m, child);
    }
    Ok(process::wait_for(child))
}

/// In the forked child: session + controlling terminal, process setup, execve.
fn child_setup(p: &Process, bpf: Option<&[u8]>, tty: Option<&OwnedFd>) -> StartFailure {
    // Every Rust program starts with SIGPIPE ignored, and an ignored disposition survives
    // execve: reset it, or `yes | head` in the container would never end.
    // SAFETY: signal(2) with the default disposition.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    if let Some(s) = tty {
        let _ = nix::unistd::setsid();
        if let Err(e) = pty::make_controlling(s) {
            return StartFailure::Runtime(format!("{e:#}"));
        }
    }
    // One order for the seccomp filter, the ids and the capabilities: the runtime's.
    if let Err(e) = process::finalize(p, bpf) {
        return StartFailure::Runtime(format!("{e:#}"));
    }
    process::exec(p)
}

/// `exec -t`: our terminal (raw) ↔ the container pty until the process's side closes.
fn relay_tty(master: &OwnedFd, _child: libc::pid_t) {
    let _raw = pty::RawMode::enter(0);
    let m = master.as_raw_fd();
    let mut buf = [0u8; 16 * 1024];
    let mut stdin_open = true;
    loop {
        let mut fds = [
            libc::pollfd {
                fd: m,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: if stdin_open { 0 } else { -1 },
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: valid pollfd array.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
        if n < 0 {
            if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        if fds[0].revents != 0 {
            // SAFETY: read into a valid buffer.
            let r = unsafe { libc::read(m, buf.as_mut_ptr().cast(), buf.len()) };
            if r <= 0 {
                return; // EIO: the slave side is closed, the process is gone
            }
            let _ = std::io::stdout().write_all(&buf[..r as usize]);
            let _ = std::io::stdout().flush();
        }
        if fds[1].revents != 0 {
            // SAFETY: read into a valid buffer.
            let r = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
            if r <= 0 {
                stdin_open = false;
            } else {
                // SAFETY: write from a valid buffer.
                unsafe { libc::write(m, buf.as_ptr().cast(), r as usize) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privileged_gets_every_capability() {
        let all = all_caps();
        assert!(all.len() >= 38, "{all:?}");
        assert!(all.contains(&Capability::SysAdmin));
    }
}
