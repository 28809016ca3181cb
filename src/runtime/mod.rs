//! rctr's built-in rootless OCI runtime: it executes a bundle's `config.json` and knows
//! nothing about registries, images or command-line flags.
//!
//! ```text
//! start(bundle, mapping, opts)            the caller (rctr run, or the container monitor)
//!   └─ rctr __init BUNDLE FD [--rm]       helper: user ns (newuidmap) + mount/uts/ipc/net/pid
//!        │                                ns, root overlay (native or FUSE), then waits
//!        └─ PID 1                         own mount ns, spec mounts, pivot_root, /proc /dev
//!                                         /sys, masks, hostname, user, caps, seccomp → execve
//! ```
//!
//! The helper is a fresh single-threaded re-exec (a threaded process cannot create a user
//! namespace), it stays outside the container's PID namespace, and it relays the container's
//! exit status as its own (128+N for a death by signal N). Every link of the chain has a
//! parent-death signal, so SIGKILL of the caller takes the container down with it.
//!
//! Things the OCI spec has no field for travel as annotations (`io.rctr.*`, below): the
//! overlay layers of the root, the user to resolve against the image's own passwd file, the
//! volumes to initialise from the image, and `--init`.
pub mod caps;
mod chan;
mod copyup;
pub mod env;
mod hold;
mod init;
pub mod kernel;
pub mod mount;
pub mod netdev;
pub mod overlay;
pub mod process;
pub mod pty;
pub mod rootfs;
pub mod seccomp;
pub mod syscall;
pub mod user;

pub use init::main as init_main;
pub use process::StartFailure;

use crate::idmap::IdMapping;
use anyhow::Context as _;
use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

/// Lower layer directories of the root overlay, top-most first (JSON array of paths).
pub const ANN_LOWER: &str = "io.rctr.rootfs.lower";
/// The container's writable layer.
pub const ANN_UPPER: &str = "io.rctr.rootfs.upper";
/// Overlay's work directory (same filesystem as the upper one).
pub const ANN_WORK: &str = "io.rctr.rootfs.work";
/// A FUSE mount program to use instead of the kernel's overlay (fuse-overlayfs).
pub const ANN_MOUNT_PROGRAM: &str = "io.rctr.rootfs.mount-program";
/// uid/gid mappings for the mount program (`--userns=keep-id` shifts owners with it).
pub const ANN_FUSE_UIDMAP: &str = "io.rctr.rootfs.fuse-uidmapping";
pub const ANN_FUSE_GIDMAP: &str = "io.rctr.rootfs.fuse-gidmapping";
/// "true"/"false": whether the kernel's overlay takes `lowerdir+` (found by the caller's
/// cached probe, so the start never tries the refused form: each refusal logs a kernel error).
pub const ANN_LOWERDIR_APPEND: &str = "io.rctr.rootfs.lowerdir-append";
/// `user[:group]` to resolve against the container's /etc/passwd and /etc/group after the root
/// is mounted (names cannot be resolved before: the image is only visible inside).
pub const ANN_USER: &str = "io.rctr.user";
/// Mount destinations (JSON array) whose volume is initialised from the image on first use.
pub const ANN_COPY_UP: &str = "io.rctr.copy-up";
/// "true": PID 1 is rctr's minimal reaper and the command runs as its child (`--init`).
pub const ANN_INIT: &str = "io.rctr.init";
/// Where `linux.devices` come from on the host, when not at their container path, and which
/// are bound read-only (a JSON object: container path → [`DeviceSource`]).
pub const ANN_DEVICE_SOURCES: &str = "io.rctr.device-sources";
/// A squashfs file to mount read-only (JSON [`SquashMount`]) before the overlay, at a
/// directory that is one of the lower ones: the runtime mounts the file it is told to with
/// the FUSE program it is told to, and knows nothing of where the file came from.
pub const ANN_SQUASHFS: &str = "io.rctr.rootfs.squashfs";
/// A directory where the compiled seccomp program may be cached across containers
/// (see [`seccomp::bpf`]); without it the profile is compiled at every start (~15 ms).
pub const ANN_SECCOMP_CACHE: &str = "io.rctr.seccomp-cache";

/// The root filesystem's layering, read from the annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layers {
    pub lower: Vec<PathBuf>,
    pub upper: PathBuf,
    pub work: PathBuf,
    pub mount_program: Option<PathBuf>,
    pub lowerdir_append: Option<bool>,
    pub fuse_uidmapping: Option<String>,
    pub fuse_gidmapping: Option<String>,
    pub squashfs: Option<SquashMount>,
}

/// See [`ANN_SQUASHFS`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SquashMount {
    /// The squashfs file (absolute).
    pub file: PathBuf,
    /// The empty directory it is mounted on (named in [`Layers::lower`]).
    pub at: PathBuf,
    /// `squashfuse_ll` or `squashfuse`.
    pub program: PathBuf,
}

impl Layers {
    /// `None` when the spec's root is a plain directory.
    pub fn from_annotations(a: &HashMap<String, String>) -> anyhow::Result<Option<Layers>> {
        let Some(lower) = a.get(ANN_LOWER) else {
            return Ok(None);
        };
        let lower: Vec<PathBuf> =
            serde_json::from_str(lower).context("bad io.rctr.rootfs.lower annotation")?;
        let get = |k: &str| a.get(k).filter(|v| !v.is_empty()).cloned();
        Ok(Some(Layers {
            lower,
            upper: get(ANN_UPPER)
                .context("io.rctr.rootfs.upper missing")?
                .into(),
            work: get(ANN_WORK).context("io.rctr.rootfs.work missing")?.into(),
            mount_program: get(ANN_MOUNT_PROGRAM).map(PathBuf::from),
            lowerdir_append: get(ANN_LOWERDIR_APPEND).map(|v| v == "true"),
            fuse_uidmapping: get(ANN_FUSE_UIDMAP),
            fuse_gidmapping: get(ANN_FUSE_GIDMAP),
            squashfs: get(ANN_SQUASHFS)
                .map(|v| serde_json::from_str(&v))
                .transpose()
                .context("bad io.rctr.rootfs.squashfs annotation")?,
        }))
    }

    /// Write these layers into `a` (the inverse of [`Layers::from_annotations`]).
    pub fn annotate(&self, a: &mut HashMap<String, String>) {
        a.insert(
            ANN_LOWER.into(),
            serde_json::to_string(&self.lower).unwrap_or_default(),
        );
        a.insert(ANN_UPPER.into(), self.upper.to_string_lossy().into_owned());
        a.insert(ANN_WORK.into(), self.work.to_string_lossy().into_owned());
        let mut opt = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                a.insert(k.into(), v.clone());
            }
        };
        opt(
            ANN_MOUNT_PROGRAM,
            &self
                .mount_program
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned()),
        );
        opt(
            ANN_LOWERDIR_APPEND,
            &self.lowerdir_append.map(|b| b.to_string()),
        );
        opt(ANN_FUSE_UIDMAP, &self.fuse_uidmapping);
        opt(ANN_FUSE_GIDMAP, &self.fuse_gidmapping);
        opt(
            ANN_SQUASHFS,
            &self
                .squashfs
                .as_ref()
                .and_then(|q| serde_json::to_string(q).ok()),
        );
    }
}

/// How to start a bundle.
pub struct StartOptions {
    /// The container's stdio when `process.terminal` is false (with a terminal, the pty
    /// master is returned in [`Started::pty`] and these are ignored).
    pub stdin: Stdio,
    pub stdout: Stdio,
    pub stderr: Stdio,
    /// Remove the writable layer (upper/work) once the container has exited (`--rm`). Done
    /// by the helper, inside the user namespace, where files the container created under
    /// subordinate IDs can be deleted.
    pub remove_rootfs: bool,
    /// Print the helper's and PID 1's timeline (each step, µs since the helper started) on
    /// our stderr (`--log-level debug`).
    pub trace: bool,
    /// Run before the container's command is released: PID 1 exists (in its namespaces, on
    /// its root) and waits until the hook returns. The place to put the process in a cgroup
    /// and to take the network namespace's devices. An error stops the start (PID 1 exits,
    /// the helper cleans up) and comes back as a [`StartFailure::Runtime`] with its text.
    /// Without a hook PID 1 does not wait at all. With one, PID 1 makes its cgroup namespace
    /// (and mounts cgroup2) only after the hook, so that namespace is rooted in the cgroup
    /// the hook chose.
    pub pre_start: Option<PreStartHook>,
    /// Run once the helper is spawned, while it sets up the namespaces (~10 ms the caller
    /// would otherwise spend waiting): work the caller needs soon after, such as loading a
    /// library. It must not fail the start (the caller checks its result afterwards).
    pub meanwhile: Option<Box<dyn FnOnce()>>,
}

/// What a [`StartOptions::pre_start`] hook gets to see of the starting container.
#[derive(Debug)]
pub struct PreStart {
    /// The container's PID 1 as seen from the host.
    pub pid: i32,
}

/// See [`StartOptions::pre_start`].
pub type PreStartHook = Box<dyn FnOnce(&PreStart) -> anyhow::Result<()>>;

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            stdin: Stdio::inherit(),
            stdout: Stdio::inherit(),
            stderr: Stdio::inherit(),
            remove_rootfs: false,
            trace: false,
            pre_start: None,
            meanwhile: None,
        }
    }
}

/// A running container.
#[derive(Debug)]
pub struct Started {
    /// The container's PID 1, as seen from the host: signal it with [`Started::signal`].
    pub pid: i32,
    /// The pty master when the spec asked for a terminal.
    pub pty: Option<OwnedFd>,
    /// The TAP device's fd when the spec asked for one (`netdev::ANN_TAP`).
    pub tap: Option<OwnedFd>,
    helper: Child,
}

impl Started {
    /// PID of the helper process (the container's parent, outside its PID namespace).
    pub fn helper_pid(&self) -> u32 {
        self.helper.id()
    }

    /// Send `sig` to the container's PID 1.
    pub fn signal(&self, sig: i32) -> std::io::Result<()> {
        // SAFETY: plain kill(2).
        if unsafe { libc::kill(self.pid, sig) } < 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    /// Wait for the container to exit (and for `remove_rootfs` to be done). Returns the
    /// container's exit status; a death by signal N is 128+N, like a shell reports it.
    pub fn wait(&mut self) -> std::io::Result<u8> {
        let st = wait_retry(&mut self.helper)?;
        Ok(exit_code(Ok(st)))
    }

    /// Non-blocking [`Started::wait`].
    pub fn try_wait(&mut self) -> std::io::Result<Option<u8>> {
        Ok(self.helper.try_wait()?.map(|st| exit_code(Ok(st))))
    }
}

/// Start the bundle in `bundle_dir` (its `config.json`) in a user namespace mapped with
/// `mapping`: the store's (the one the image's layers were unpacked with), or the container's
/// own for `--userns=keep-id` (recorded as `ContainerRecord::idmapping`; the spec's
/// `linux.uidMappings` show the same). Returns once the command has been exec'd — or the
/// reason it could not be, with podman's exit code.
pub fn start(
    bundle_dir: &Path,
    mapping: &IdMapping,
    opts: StartOptions,
) -> Result<Started, StartFailure> {
    let rt = |e: anyhow::Error| StartFailure::runtime(&e);
    let (ours, low) = chan::pair().map_err(|e| rt(e.into()))?;
    // Keep the helper's end clear of the fd numbers spawn_mapped dup2()s onto (3).
    let theirs = rustix::io::fcntl_dupfd_cloexec(&low, 10).map_err(|e| rt(e.into()))?;
    drop(low); // EOF on `ours` must mean the helper side is gone: no stray copy here
    let their_fd = theirs.as_raw_fd();
    let exe = ExeImage::for_mapping(mapping).map_err(rt)?;
    let mut cmd = exe.command();
    cmd.arg("__init").arg(bundle_dir).arg(their_fd.to_string());
    if opts.remove_rootfs {
        cmd.arg("--rm");
    }
    if opts.trace {
        cmd.arg("--trace");
    }
    let mut pre_start = opts.pre_start;
    if pre_start.is_some() {
        cmd.arg("--hold");
    }
    let t0 = std::time::Instant::now();
    cmd.env_clear()
        .stdin(opts.stdin)
        .stdout(opts.stdout)
        .stderr(opts.stderr);
    // SAFETY: fcntl and sigprocmask are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            if libc::fcntl(their_fd, libc::F_SETFD, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            // The caller may block the signals it forwards (to read them from a signalfd);
            // a blocked mask survives execve, and the container must not inherit it.
            let mut empty: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut empty);
            libc::pthread_sigmask(libc::SIG_SETMASK, &empty, std::ptr::null_mut());
            Ok(())
        });
    }
    let mut helper = crate::userns::spawn_mapped(&mut cmd, mapping).map_err(rt)?;
    drop(theirs);
    drop(exe);
    if let Some(f) = opts.meanwhile {
        f();
    }
    log::debug!(
        "start: helper spawned and its user namespace mapped (+{} µs)",
        t0.elapsed().as_micros()
    );
    let (mut pid, mut pty, mut tap, mut failure) = (None, None, None, None);
    loop {
        match ours.recv_with_fds::<chan::StartMsg>() {
            Ok(None) => break,
            Ok(Some((msg, mut fds))) => match msg {
                chan::StartMsg::Pid(p) => {
                    pid = Some(p);
                    if let Some(hook) = pre_start.take() {
                        if let Err(e) = release(hook, p, &ours) {
                            // Closing our end is PID 1's word to give up.
                            drop(ours);
                            let _ = wait_retry(&mut helper);
                            return Err(e);
                        }
                    }
                }
                chan::StartMsg::Pty => pty = fds.pop(),
                chan::StartMsg::Tap => tap = fds.pop(),
                chan::StartMsg::Trace(line) => log::debug!("{line}"),
                chan::StartMsg::Go => {}
                chan::StartMsg::Failed(f) => failure = Some(StartFailure::from(f)),
            },
            Err(e) => {
                failure.get_or_insert(StartFailure::Runtime(format!(
                    "reading from the container init: {e}"
                )));
                break;
            }
        }
    }
    if failure.is_none() && pid.is_none() {
        // Only a helper that died without a word gets here (every error it can see is sent
        // on the channel): say how it died, and where its own trace is.
        let how = crate::error::describe_status(wait_retry(&mut helper));
        failure = Some(StartFailure::Runtime(format!(
            "the container's runtime helper died before starting the command ({how}); rerun with --log-level debug for its trace"
        )));
    }
    if let Some(f) = failure {
        let _ = wait_retry(&mut helper);
        return Err(f);
    }
    Ok(Started {
        pid: pid.unwrap_or(0),
        pty,
        tap,
        helper,
    })
}

/// Run the pre-start hook for PID 1 (`pid`), then tell it to go on.
fn release(hook: PreStartHook, pid: i32, chan: &crate::wire::Channel) -> Result<(), StartFailure> {
    let t0 = std::time::Instant::now();
    hook(&PreStart { pid })
        .map_err(|e| StartFailure::Runtime(format!("before starting the command: {e:#}")))?;
    chan.send(&chan::StartMsg::Go)
        .map_err(|e| StartFailure::Runtime(format!("releasing the container init: {e}")))?;
    log::debug!(
        "start: pre-start hook done ({} µs)",
        t0.elapsed().as_micros()
    );
    Ok(())
}

// Wait-status decoding lives in one place for every caller.
use crate::exitstatus::{code_of as exit_code, wait_child as wait_retry};

/// The binary the helper is exec'd from, protected as the CVE-2019-5736 fixes require.
///
/// That CVE: a container process re-executes the runtime's own binary (entrypoint
/// `/proc/self/exe`, or a `#!/proc/self/exe` script, or `/proc/PID/exe` of a runtime process
/// it can see) and then opens it for writing, replacing the host's runtime. Here the PID 1
/// that execs the command is an rctr process, so the command can reach our binary that way.
/// It is only a threat when some ID mapped into the container may write the binary: then
/// the helper runs from a sealed memfd copy, which nothing can write. A normal install (root
/// owned, 0755) is outside every rootless mapping, and the copy is skipped (it costs ~1 ms).
/// Either way no rctr process stays inside the container's PID namespace after the execve,
/// except the `--init` reaper, which is non-dumpable (its /proc/1/exe needs CAP_SYS_PTRACE).
struct ExeImage {
    memfd: Option<OwnedFd>,
}

impl ExeImage {
    fn for_mapping(mapping: &IdMapping) -> anyhow::Result<ExeImage> {
        use std::os::unix::fs::MetadataExt;
        let md = std::fs::metadata("/proc/self/exe").context("stat /proc/self/exe")?;
        let mapped = |map: &[crate::idmap::IdMap], id: u32| {
            map.iter()
                .any(|m| id >= m.host_id && id - m.host_id < m.size)
        };
        // An owner inside the mapping can chmod the file even when it is read-only now.
        let writable = mapped(&mapping.uid_map, md.uid())
            || (mapped(&mapping.gid_map, md.gid()) && md.mode() & 0o020 != 0)
            || md.mode() & 0o002 != 0;
        if !writable {
            return Ok(ExeImage { memfd: None });
        }
        let fd = rustix::fs::memfd_create(
            "rctr-runtime",
            rustix::fs::MemfdFlags::CLOEXEC | rustix::fs::MemfdFlags::ALLOW_SEALING,
        )
        .context("memfd_create")?;
        let mut src = std::fs::File::open("/proc/self/exe")?;
        let mut dst = std::fs::File::from(fd);
        std::io::copy(&mut src, &mut dst).context("copying rctr into a sealed memfd")?;
        let fd = OwnedFd::from(dst);
        rustix::fs::fcntl_add_seals(
            &fd,
            rustix::fs::SealFlags::SEAL
                | rustix::fs::SealFlags::SHRINK
                | rustix::fs::SealFlags::GROW
                | rustix::fs::SealFlags::WRITE,
        )
        .context("sealing the memfd")?;
        Ok(ExeImage { memfd: Some(fd) })
    }

    fn command(&self) -> std::process::Command {
        match &self.memfd {
            // execve of /proc/self/fd/N works for a close-on-exec fd: the kernel opens the
            // file before it closes the fds.
            Some(fd) => std::process::Command::new(format!("/proc/self/fd/{}", fd.as_raw_fd())),
            None => std::process::Command::new("/proc/self/exe"),
        }
    }
}
