//! Which kernel features rctr's start path relies on are really there, found out by using
//! them (the runtime's own mount functions, in a throwaway user + mount namespace), never by
//! reading the version; and which fallback the runtime takes where one is missing. The
//! answers are cached per boot (boot ID + release) in the runtime dir: `rctr info` and
//! `doctor` report them; the start path itself tries and falls back on its own
//! (`runtime::kernel`), so a kernel that has everything pays nothing.
use crate::context::Context;
use crate::idmap::IdMapping;
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

/// Hidden subcommand name (dispatched in `internal.rs`).
pub const CHILD: &str = "__kernel-probe";
const CACHE_FILE: &str = "kernel-probe.json";

/// One feature: present, or missing with the fallback (or `None`: rctr cannot run without it).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Feature {
    pub name: String,
    /// The first mainline kernel that has it.
    pub since: String,
    pub present: bool,
    /// What rctr does without it; `None` means containers cannot start.
    pub fallback: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KernelFeatures {
    pub release: String,
    pub boot_id: String,
    pub features: Vec<Feature>,
    #[serde(default, skip_deserializing)]
    pub from_cache: bool,
}

impl KernelFeatures {
    /// Required features that are missing: containers cannot start.
    pub fn missing(&self) -> Vec<&Feature> {
        self.features
            .iter()
            .filter(|f| !f.present && f.fallback.is_none())
            .collect()
    }
    /// Features that are missing but have a fallback in use.
    pub fn fallbacks(&self) -> Vec<&Feature> {
        self.features
            .iter()
            .filter(|f| !f.present && f.fallback.is_some())
            .collect()
    }
}

fn boot_key() -> (String, String) {
    let release = nix::sys::utsname::uname()
        .map(|u| u.release().to_string_lossy().into_owned())
        .unwrap_or_default();
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    (release, boot)
}

/// The features of the running kernel: cached for this boot when `use_cache`, else probed
/// now (a few ms: one helper process) and cached.
pub fn features(ctx: &Context, use_cache: bool) -> anyhow::Result<KernelFeatures> {
    let (release, boot_id) = boot_key();
    let cache = ctx.runtime_dir().join(CACHE_FILE);
    if use_cache {
        if let Some(mut k) = std::fs::read(&cache)
            .ok()
            .and_then(|b| serde_json::from_slice::<KernelFeatures>(&b).ok())
            .filter(|k| k.release == release && k.boot_id == boot_id && !boot_id.is_empty())
        {
            k.from_cache = true;
            return Ok(k);
        }
    }
    let mut cmd = crate::userns::self_command(CHILD);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = crate::userns::spawn_mapped(&mut cmd, &IdMapping::single(ctx.uid, ctx.gid))?;
    let (ok, out, err) = super::tools::wait_with_timeout(child, Duration::from_secs(10))?;
    anyhow::ensure!(ok, "{}", err.trim().trim_start_matches("Error: "));
    let features: Vec<Feature> = serde_json::from_str(out.trim())
        .with_context(|| format!("the kernel probe said {out:?}"))?;
    let k = KernelFeatures {
        release,
        boot_id,
        features,
        from_cache: false,
    };
    if ctx.ensure_runtime_dir().is_ok() {
        // A failed cache write only costs a re-probe next time.
        let _ = crate::fsutil::atomic_write_json(&cache, &k);
    }
    Ok(k)
}

fn syscall_ok(r: libc::c_long) -> Result<(), String> {
    if r < 0 {
        Err(std::io::Error::last_os_error().to_string())
    } else {
        Ok(())
    }
}

/// Child side: in a fresh user + mount namespace, use each feature the way the runtime does.
pub fn child_main() -> anyhow::Result<ExitCode> {
    use crate::runtime::{kernel, mount};
    crate::userns::child_enter(libc::CLONE_NEWNS)?;
    let mut out = Vec::new();
    let mut push = |name: &str, since: &str, r: Result<(), String>, fallback: Option<&str>| {
        out.push(Feature {
            name: name.into(),
            since: since.into(),
            present: r.is_ok(),
            fallback: fallback.map(str::to_string),
            error: r.err(),
        })
    };
    let tmpfs = mount::fs_mount("tmpfs", Some("tmpfs"), &[], 0);
    push(
        "new mount API (fsopen, fsmount, move_mount, open_tree)",
        "5.2",
        tmpfs.as_ref().map(|_| ()).map_err(|e| format!("{e:#}")),
        None,
    );
    let root = rustix::fs::openat2(
        rustix::fs::CWD,
        "/",
        rustix::fs::OFlags::PATH | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
        rustix::fs::ResolveFlags::IN_ROOT,
    );
    push(
        "openat2 with RESOLVE_IN_ROOT",
        "5.6",
        root.map(|_| ()).map_err(|e| e.to_string()),
        None,
    );
    // SAFETY: pidfd_open of ourselves; the fd is closed right away.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, libc::getpid(), 0) };
    push("pidfd_open", "5.3", syscall_ok(pidfd), None);
    if pidfd >= 0 {
        // SAFETY: our own fd.
        unsafe { libc::close(pidfd as i32) };
    }
    // An empty range: nothing is closed, only the call itself is checked.
    // SAFETY: close_range on no fds.
    let r = unsafe { libc::syscall(libc::SYS_close_range, u32::MAX, u32::MAX, 0u32) };
    push("close_range", "5.9", syscall_ok(r), None);
    // SAFETY: as above, with the flag.
    let r = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            u32::MAX,
            u32::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    };
    push(
        "close_range CLOSE_RANGE_CLOEXEC",
        "5.11",
        syscall_ok(r),
        Some("each open fd flagged close-on-exec from /proc/self/fd"),
    );
    if let Ok(t) = &tmpfs {
        let r = mount::clone_detached(t);
        push(
            "open_tree(OPEN_TREE_CLONE) of a detached mount",
            "after 6.12",
            match r {
                Ok(Some(_)) => Ok(()),
                Ok(None) => Err("refused (EINVAL)".into()),
                Err(e) => Err(format!("{e:#}")),
            },
            Some("one mount per masked path instead of clones of one"),
        );
    }
    // Recursive: a user namespace may not clone "/" without the mounts locked under it.
    let bind = mount::bind_tree(Path::new("/"), true, mount::ATTR_RDONLY, 0, 0);
    let setattr = match (&bind, kernel::MOUNT_SETATTR.known()) {
        (Err(e), _) => Err(format!("{e:#}")),
        (Ok(_), Some(false)) => Err("not implemented (ENOSYS)".into()),
        (Ok(_), _) => Ok(()),
    };
    push(
        "mount_setattr",
        "5.12",
        setattr,
        Some("mount(MS_REMOUNT|MS_BIND) after the attach, keeping the locked flags"),
    );
    println!("{}", serde_json::to_string(&out)?);
    Ok(ExitCode::SUCCESS)
}
