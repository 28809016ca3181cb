//! The container's filesystem view: the root overlay (native, or a FUSE mount program), the
//! spec's mounts, device nodes, `pivot_root`, masked and read-only paths.
use super::mount::{self, MountOpts, Want};
use super::{Layers, ANN_COPY_UP, ANN_DEVICE_SOURCES};
use anyhow::{anyhow, bail, Context as _};
use oci_spec::runtime::Spec;
use rustix::fs::{Mode, OFlags, ResolveFlags};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The devices every container gets (OCI runtime spec, "Default Devices"). A user namespace
/// cannot mknod them, so the host's nodes are bind-mounted, as runc and crun do rootless.
pub const DEFAULT_DEVICES: [&str; 6] = [
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
];

const FUSE_SUPER_MAGIC: i64 = 0x6573_5546;

/// A FUSE daemon serving one mount of the root (squashfuse, fuse-overlayfs): its mount point
/// and the process, which the helper stops after the container exits.
pub type Daemon = (PathBuf, std::process::Child);

/// Mount the root filesystem described by `layers` on `target` (run by the helper inside the
/// user and mount namespaces, before the container's PID 1 exists): a squashfs lower first
/// when there is one, then the overlay. Returns the FUSE daemons in mount order.
pub fn mount_root(layers: &Layers, target: &Path) -> anyhow::Result<Vec<Daemon>> {
    let mut daemons = Vec::new();
    if let Some(q) = &layers.squashfs {
        let mut cmd = std::process::Command::new(&q.program);
        cmd.arg("-f").arg(&q.file).arg(&q.at);
        let child = spawn_fuse(cmd, &q.program, &q.at)
            .with_context(|| format!("mounting the squashfs image {}", q.file.display()))?;
        daemons.push((q.at.clone(), child));
    }
    let res = match &layers.mount_program {
        None => {
            if let Some(known) = layers.lowerdir_append {
                super::kernel::OVERLAY_LOWERDIR_APPEND.set(known);
            }
            let lower: Vec<&Path> = layers.lower.iter().map(|p| p.as_path()).collect();
            super::overlay::mount_at(&lower, &layers.upper, &layers.work, target)
        }
        Some(prog) => mount_fuse(prog, layers, target).map(|c| daemons.push((target.into(), c))),
    };
    match res {
        Ok(()) => Ok(daemons),
        Err(e) => {
            stop_daemons(daemons);
            Err(e)
        }
    }
}

/// Unmount what the daemons serve and stop them, last mounted first.
pub fn stop_daemons(daemons: Vec<Daemon>) {
    for (at, mut child) in daemons.into_iter().rev() {
        let _ = rustix::mount::unmount(&at, rustix::mount::UnmountFlags::DETACH);
        // SAFETY: signalling our own child.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let _ = child.wait();
    }
}

fn mount_fuse(prog: &Path, layers: &Layers, target: &Path) -> anyhow::Result<std::process::Child> {
    let lower: Vec<String> = layers
        .lower
        .iter()
        .map(|p| mount::escape_overlay_path(p))
        .collect();
    let mut opts = format!(
        "lowerdir={},upperdir={},workdir={}",
        lower.join(":"),
        mount::escape_overlay_path(&layers.upper),
        mount::escape_overlay_path(&layers.work)
    );
    if let Some(m) = &layers.fuse_uidmapping {
        opts.push_str(&format!(",uidmapping={m}"));
    }
    if let Some(m) = &layers.fuse_gidmapping {
        opts.push_str(&format!(",gidmapping={m}"));
    }
    let mut cmd = std::process::Command::new(prog);
    cmd.arg("-f").arg("-o").arg(&opts).arg(target);
    spawn_fuse(cmd, prog, target)
}

/// Start a FUSE daemon (`cmd`, with `-f`: it stays in the foreground as our child, so it dies
/// with us through PDEATHSIG instead of holding the mount namespace alive as an orphan) and
/// wait until `target` is a FUSE mount.
fn spawn_fuse(
    mut cmd: std::process::Command,
    prog: &Path,
    target: &Path,
) -> anyhow::Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    // SAFETY: prctl is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(
                libc::PR_SET_PDEATHSIG,
                libc::SIGKILL as libc::c_ulong,
                0,
                0,
                0,
            );
            Ok(())
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| anyhow!("cannot run the mount program {}: {e}", prog.display()))?;
    let start = Instant::now();
    loop {
        if let Ok(st) = rustix::fs::statfs(target) {
            if st.f_type == FUSE_SUPER_MAGIC {
                return Ok(child);
            }
        }
        if let Ok(Some(st)) = child.try_wait() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                use std::io::Read;
                let _ = e.read_to_string(&mut err);
            }
            bail!(
                "mount program {} failed ({st}): {}",
                prog.display(),
                err.trim()
            );
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "mount program {} did not mount {} within 10 s",
                prog.display(),
                target.display()
            );
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

fn open_dir(p: &Path) -> anyhow::Result<OwnedFd> {
    rustix::fs::open(
        p,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| anyhow!("opening {}: {e}", p.display()))
}

fn is_dir_source(src: &Path) -> bool {
    std::fs::metadata(src).map(|m| m.is_dir()).unwrap_or(true)
}

/// Mount one spec mount under the root opened as `root`.
fn mount_one(root: &OwnedFd, m: &oci_spec::runtime::Mount, copy_up: bool) -> anyhow::Result<()> {
    let dest = m.destination();
    mount::refuse_symlinked_kernel_target(root.as_fd(), dest)?;
    let opts = MountOpts::parse(m.options().as_deref().unwrap_or(&[]));
    let typ = m
        .typ()
        .as_deref()
        .unwrap_or(if opts.bind { "bind" } else { "none" });
    let source = m.source().clone().unwrap_or_default();
    if opts.bind || typ == "bind" {
        let want = if is_dir_source(&source) {
            Want::Dir
        } else {
            Want::File
        };
        let target = mount::resolve_in_root(root.as_fd(), dest, want)?;
        if copy_up && want == Want::Dir {
            super::copyup::copy_up(&target, &source).with_context(|| {
                format!("initialising volume {} from the image", source.display())
            })?;
        }
        let mnt = mount::bind_tree(
            &source,
            opts.recursive,
            opts.set,
            opts.clear,
            opts.propagation,
        )
        .with_context(|| format!("bind mount for {}", dest.display()))?;
        mount::attach(&mnt, &target)
            .with_context(|| format!("bind mount on {}", dest.display()))?;
        return Ok(());
    }
    let target = mount::resolve_in_root(root.as_fd(), dest, Want::Dir)?;
    let src = source.to_str().filter(|s| !s.is_empty());
    let mnt = match mount::fs_mount(typ, src, &opts.data, opts.set) {
        Ok(m) => m,
        // Without its own network namespace a user namespace may not mount sysfs: show the
        // host's read-only instead (what podman does with --network host).
        Err(_) if typ == "sysfs" => mount::bind_tree(
            Path::new("/sys"),
            true,
            mount::ATTR_RDONLY | opts.set,
            0,
            libc::MS_SLAVE,
        )?,
        // cgroup2 in a user namespace needs cgroup-namespace support the host may lack:
        // show the host's hierarchy read-only rather than fail.
        Err(_) if typ == "cgroup2" => mount::bind_tree(
            Path::new("/sys/fs/cgroup"),
            true,
            mount::ATTR_RDONLY | opts.set,
            0,
            libc::MS_SLAVE,
        )?,
        Err(_) if typ == "mqueue" => {
            mount::bind_tree(Path::new("/dev/mqueue"), false, opts.set, 0, 0)?
        }
        Err(e) => return Err(e.context(format!("mount on {}", dest.display()))),
    };
    mount::attach(&mnt, &target)
        .with_context(|| format!("mounting {typ} on {}", dest.display()))?;
    Ok(())
}

fn is_cgroup2(m: &oci_spec::runtime::Mount) -> bool {
    m.typ().as_deref() == Some("cgroup2")
}

/// After `pivot_root`, in a cgroup namespace made late (see `init`): the spec's cgroup2
/// mounts, which `populate` left out.
pub fn mount_cgroup2(spec: &Spec) -> anyhow::Result<()> {
    let root = open_dir(Path::new("/"))?;
    for m in spec.mounts().iter().flatten().filter(|m| is_cgroup2(m)) {
        mount_one(&root, m, false)?;
    }
    Ok(())
}

/// In the container's PID 1, before `pivot_root`: mount everything the spec asks for under
/// `rootfs` (but cgroup2 when `late_cgroup2`: see [`mount_cgroup2`]), bind the default
/// devices, and add /dev's standard symlinks. Returns the root fd.
pub fn populate(
    spec: &Spec,
    rootfs: &Path,
    layered: bool,
    late_cgroup2: bool,
) -> anyhow::Result<OwnedFd> {
    if !layered {
        // pivot_root needs the new root to be a mount point: a plain directory becomes one.
        let mnt = mount::bind_tree(rootfs, true, 0, 0, 0)?;
        mount::attach_path(&mnt, rootfs)?;
    }
    let root = open_dir(rootfs)?;
    let copy_up: Vec<String> = spec
        .annotations()
        .as_ref()
        .and_then(|a| a.get(ANN_COPY_UP))
        .map(|v| serde_json::from_str(v).unwrap_or_default())
        .unwrap_or_default();
    let mut dev_is_ours = false;
    for m in spec.mounts().iter().flatten() {
        if late_cgroup2 && is_cgroup2(m) {
            continue;
        }
        let d = m.destination().to_string_lossy();
        mount_one(&root, m, copy_up.iter().any(|c| *c == d))?;
        if d == "/dev" {
            dev_is_ours = true;
        }
    }
    bind_devices(spec, &root, dev_is_ours)?;
    if dev_is_ours {
        let dev = mount::resolve_in_root(root.as_fd(), Path::new("/dev"), Want::Dir)?;
        for (link, to) in [
            ("fd", "/proc/self/fd"),
            ("stdin", "/proc/self/fd/0"),
            ("stdout", "/proc/self/fd/1"),
            ("stderr", "/proc/self/fd/2"),
            ("ptmx", "pts/ptmx"),
        ] {
            match rustix::fs::symlinkat(to, &dev, link) {
                Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                Err(e) => bail!("creating /dev/{link}: {e}"),
            }
        }
    }
    Ok(root)
}

/// Where a spec device comes from on the host (see [`ANN_DEVICE_SOURCES`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceSource {
    pub source: PathBuf,
    #[serde(default)]
    pub readonly: bool,
}

/// Bind the default devices (when /dev is the container's own tmpfs) and the spec's: a user
/// namespace cannot mknod, so each is the host's node (its source per the annotation, else
/// the same path), bound at its container path.
fn bind_devices(spec: &Spec, root: &OwnedFd, dev_is_ours: bool) -> anyhow::Result<()> {
    let sources: std::collections::HashMap<PathBuf, DeviceSource> = spec
        .annotations()
        .as_ref()
        .and_then(|a| a.get(ANN_DEVICE_SOURCES))
        .map(|v| serde_json::from_str(v).context("the device sources annotation"))
        .transpose()?
        .unwrap_or_default();
    let mut devices: Vec<PathBuf> = Vec::new();
    if dev_is_ours {
        devices.extend(DEFAULT_DEVICES.iter().map(PathBuf::from));
    }
    for d in spec
        .linux()
        .as_ref()
        .and_then(|l| l.devices().clone())
        .unwrap_or_default()
    {
        if !devices.contains(d.path()) {
            devices.push(d.path().clone());
        }
    }
    for d in &devices {
        let (src, set) = match sources.get(d) {
            Some(s) => (
                s.source.as_path(),
                if s.readonly { mount::ATTR_RDONLY } else { 0 },
            ),
            None => (d.as_path(), 0),
        };
        let target = mount::resolve_in_root(root.as_fd(), d, Want::File)?;
        let mnt = mount::bind_tree(src, false, set, 0, 0)
            .with_context(|| format!("device {}", src.display()))?;
        mount::attach(&mnt, &target).with_context(|| format!("binding device {}", d.display()))?;
    }
    Ok(())
}

/// Make `root` the process's root and detach the old one entirely (nothing of the host's tree
/// stays reachable from the container).
pub fn pivot(root: &OwnedFd) -> anyhow::Result<()> {
    pivot_with(&super::syscall::Linux, root.as_fd())
}

/// [`pivot`] over a [`Syscall`](super::syscall::Syscall): the old root is detached before
/// anything else runs, and the process ends in the new `/`.
pub fn pivot_with(sys: &impl super::syscall::Syscall, root: BorrowedFd<'_>) -> anyhow::Result<()> {
    sys.fchdir(root).context("fchdir to the new root")?;
    // pivot_root(".", ".") stacks the old root under the new one; unmounting "." then
    // removes it (the trick runc uses: no put_old directory needed in the image).
    sys.pivot_root_dot().context("pivot_root")?;
    sys.detach_dot().context("detaching the old root")?;
    sys.chdir_root().context("chdir /")?;
    Ok(())
}

/// After `pivot_root`: sysctls, hostname, masked and read-only paths, read-only root.
pub fn harden(spec: &Spec) -> anyhow::Result<()> {
    let linux = spec.linux().clone().unwrap_or_default();
    if let Some(sysctls) = linux.sysctl().as_ref().filter(|s| !s.is_empty()) {
        write_sysctls(sysctls)?;
    }
    if let Some(h) = spec.hostname().as_deref().filter(|h| !h.is_empty()) {
        nix::unistd::sethostname(h).context("sethostname")?;
    }
    let mut masks = Masks::default();
    for p in linux.masked_paths().iter().flatten() {
        masks
            .mask(Path::new(p))
            .with_context(|| format!("masking {p}"))?;
    }
    for p in linux.readonly_paths().iter().flatten() {
        match mount::bind_tree(Path::new(p), true, mount::ATTR_RDONLY, 0, 0) {
            Ok(mnt) => {
                mount::attach_path(&mnt, Path::new(p)).with_context(|| format!("read-only {p}"))?
            }
            Err(e) if is_enoent(&e) => {}
            Err(e) => return Err(e.context(format!("making {p} read-only"))),
        }
    }
    if spec
        .root()
        .as_ref()
        .and_then(|r| r.readonly())
        .unwrap_or(false)
    {
        mount::set_flags(Path::new("/"), mount::ATTR_RDONLY, 0)
            .context("making the root read-only")?;
    }
    Ok(())
}

const PROC_SUPER_MAGIC: i64 = 0x9fa0;

/// Fail unless `fd` is on a procfs.
fn check_procfs(fd: BorrowedFd, what: &str) -> anyhow::Result<()> {
    let st = rustix::fs::fstatfs(fd).map_err(|e| anyhow!("{what}: {e}"))?;
    if st.f_type != PROC_SUPER_MAGIC {
        bail!(
            "{what} is not on procfs (type {:#x}): refusing to write sysctls there",
            st.f_type
        );
    }
    Ok(())
}

/// Write the spec's sysctls through a verified /proc/sys fd: each file is opened beneath it
/// without following a symlink or leaving the mount, and checked to be procfs again, so a
/// mount or symlink over /proc/sys cannot turn the write into one on another file (runc's
/// CVE-2019-19921 and CVE-2025-52881 class).
fn write_sysctls(sysctls: &std::collections::HashMap<String, String>) -> anyhow::Result<()> {
    use std::io::Write as _;
    let dir = rustix::fs::open(
        "/proc/sys",
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| anyhow!("opening /proc/sys: {e}"))?;
    check_procfs(dir.as_fd(), "/proc/sys")?;
    for (k, v) in sysctls {
        let rel = k.replace('.', "/");
        let fd = rustix::fs::openat2(
            &dir,
            rel.as_str(),
            OFlags::WRONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
            ResolveFlags::BENEATH
                | ResolveFlags::NO_SYMLINKS
                | ResolveFlags::NO_MAGICLINKS
                | ResolveFlags::NO_XDEV,
        )
        .map_err(|e| anyhow!("setting sysctl {k}={v}: /proc/sys/{rel}: {e}"))?;
        check_procfs(fd.as_fd(), &format!("/proc/sys/{rel}"))?;
        std::fs::File::from(fd)
            .write_all(v.as_bytes())
            .with_context(|| format!("setting sysctl {k}={v}"))?;
    }
    Ok(())
}

fn is_enoent(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
    })
}

/// podman's masking: an empty read-only tmpfs over a directory, /dev/null over a file. One
/// tmpfs (and one /dev/null bind) is made and then cloned for each path: a fresh superblock
/// per path costs more than a clone.
#[derive(Default)]
struct Masks {
    empty_dir: Option<mount::Mnt>,
    null: Option<mount::Mnt>,
}

impl Masks {
    fn mask(&mut self, p: &Path) -> anyhow::Result<()> {
        let md = match std::fs::symlink_metadata(p) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let slot = if md.is_dir() {
            &mut self.empty_dir
        } else {
            &mut self.null
        };
        if let Some(first) = slot {
            if let Some(copy) = mount::clone_detached(first)? {
                return Ok(mount::attach_path(&copy, p)?);
            }
        }
        let m = if md.is_dir() {
            mount::fs_mount("tmpfs", Some("tmpfs"), &[], mount::ATTR_RDONLY)?
        } else {
            mount::bind_null()?
        };
        // Keep the first mount to clone the next ones from; where the kernel cannot clone a
        // detached mount, each path gets a mount of its own.
        match mount::clone_detached(&m)? {
            Some(copy) => {
                mount::attach_path(&copy, p)?;
                *slot = Some(m);
            }
            None => mount::attach_path(&m, p)?,
        }
        Ok(())
    }
}
