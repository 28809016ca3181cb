//! Can this user mount the kernel's overlayfs (rctr's fast rootfs), proved by doing it?
//!
//! Unprivileged overlay mounts exist since Linux 5.11 with the `userxattr` option (overlay
//! keeps its metadata in `user.overlay.*` instead of `trusted.*`); distros also patch or
//! restrict it, and the store's filesystem must support user xattrs as an upper dir (NFS does
//! not). So rctr mounts one for real in a throwaway user+mount namespace, in a temp dir on the
//! store's own filesystem, and caches the verdict per kernel release and store filesystem.
use crate::context::Context;
use crate::idmap::IdMapping;
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::{Duration, Instant};

/// Hidden subcommand name (dispatched in `internal.rs`).
pub const CHILD: &str = "__overlay-probe";
/// Cache file name inside the store.
pub const CACHE_FILE: &str = ".overlay-probe.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NativeOverlay {
    pub supported: bool,
    /// Why not (or which step failed), when unsupported.
    pub reason: Option<String>,
    /// Cache key: kernel release + store filesystem (statfs magic and device).
    pub kernel: String,
    pub store_fs: String,
    /// Unix time of the real mount test.
    pub probed_at: i64,
    /// Whether the runtime's mount (new mount API) takes overlay's `lowerdir+` (6.8) or
    /// falls back to one `lowerdir=` string; `None` when no overlay could be mounted.
    #[serde(default)]
    pub lowerdir_append: Option<bool>,
    #[serde(default, skip_deserializing)]
    pub from_cache: bool,
    #[serde(default, skip_deserializing)]
    pub elapsed_ms: f64,
}

/// What the child reports: a definitive verdict.
#[derive(Debug, Serialize, Deserialize)]
struct Verdict {
    supported: bool,
    reason: Option<String>,
    #[serde(default)]
    lowerdir_append: Option<bool>,
}

/// The cheap question `rctr run` asks: may I use native overlay for a rootfs under
/// `ctx.data_dir`? Uses the cached verdict when kernel and store filesystem are unchanged,
/// otherwise mounts one for real (a few ms). Errors mean "could not find out" (e.g. no user
/// namespace at all), not "unsupported".
pub fn native_supported(ctx: &Context) -> anyhow::Result<bool> {
    Ok(native(ctx, true)?.supported)
}

/// How a container's root is mounted, from the cached overlay verdict.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootMount {
    /// fuse-overlayfs instead of the kernel's overlay.
    pub mount_program: Option<PathBuf>,
    /// Whether the kernel's overlay takes `lowerdir+` (known from the probe: the runtime
    /// then never tries the form this kernel refuses, which would log a kernel error at
    /// every start).
    pub lowerdir_append: Option<bool>,
}

/// The FUSE program to mount container roots with where the kernel's overlay cannot be used
/// by this user on this store (Linux < 5.11, NFS, overlay on overlay…): `None` when native
/// overlay works. Never a silent copy: no overlay at all is an error that says what to
/// install. The verdict is cached per kernel and store filesystem, so `run` pays a small
/// file read for it; the notice is printed when the verdict is new.
pub fn root_mount(ctx: &Context) -> anyhow::Result<RootMount> {
    let v = match native(ctx, true) {
        Ok(v) => v,
        // Could not find out (e.g. no user namespace at all): the start reports that itself.
        Err(_) => return Ok(RootMount::default()),
    };
    if v.supported {
        return Ok(RootMount {
            mount_program: None,
            lowerdir_append: v.lowerdir_append,
        });
    }
    let why = v.reason.as_deref().unwrap_or("refused");
    match super::tools::find(ctx, "fuse-overlayfs") {
        Some(p) => {
            if !v.from_cache {
                eprintln!(
                    "Notice: the kernel's overlay is not usable here ({why}): container roots are mounted with fuse-overlayfs (slower; `rctr info` shows this)"
                );
            }
            Ok(RootMount {
                mount_program: Some(p),
                lowerdir_append: None,
            })
        }
        None => anyhow::bail!(
            "cannot mount the container's root: the kernel's overlay is not usable here ({why}) and fuse-overlayfs is not installed: install the fuse-overlayfs package (`rctr doctor` checks this)"
        ),
    }
}

fn cache_key(dir: &Path) -> anyhow::Result<(String, String)> {
    let kernel = nix::sys::utsname::uname()?
        .release()
        .to_string_lossy()
        .into_owned();
    let sf = rustix::fs::statfs(dir).with_context(|| format!("statfs {}", dir.display()))?;
    let dev = std::fs::metadata(dir)?.dev();
    Ok((
        kernel,
        format!(
            "0x{:x}@{}:{}",
            sf.f_type as u64 & 0xFFFF_FFFF,
            libc::major(dev),
            libc::minor(dev)
        ),
    ))
}

/// The verdict for the store: from the cache if `use_cache` and still valid, else probed now
/// (and cached). Creates the store dir if missing.
pub fn native(ctx: &Context, use_cache: bool) -> anyhow::Result<NativeOverlay> {
    let t0 = Instant::now();
    let dir = &ctx.data_dir;
    std::fs::create_dir_all(dir).with_context(|| format!("creating store {}", dir.display()))?;
    let (kernel, store_fs) = cache_key(dir)?;
    let cache = dir.join(CACHE_FILE);
    if use_cache {
        if let Some(mut c) = std::fs::read(&cache)
            .ok()
            .and_then(|b| serde_json::from_slice::<NativeOverlay>(&b).ok())
            .filter(|c| c.kernel == kernel && c.store_fs == store_fs)
        {
            c.from_cache = true;
            c.elapsed_ms = t0.elapsed().as_secs_f64() * 1000.0;
            return Ok(c);
        }
    }
    let v = probe_now(ctx, dir)?;
    let mut out = NativeOverlay {
        supported: v.supported,
        reason: v.reason,
        lowerdir_append: v.lowerdir_append,
        kernel,
        store_fs,
        probed_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
        from_cache: false,
        elapsed_ms: 0.0,
    };
    // A cache write failure (read-only store) only costs a re-probe next time.
    let _ = crate::fsutil::atomic_write_json(&cache, &out);
    out.elapsed_ms = t0.elapsed().as_secs_f64() * 1000.0;
    Ok(out)
}

fn probe_now(ctx: &Context, dir: &Path) -> anyhow::Result<Verdict> {
    use std::os::unix::fs::DirBuilderExt;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let tmp = dir.join(format!(".overlay-probe-{}-{nanos}", std::process::id()));
    std::fs::DirBuilder::new()
        .mode(0o700)
        .create(&tmp)
        .with_context(|| format!("creating {}", tmp.display()))?;
    // Single-ID mapping: overlay support does not depend on subordinate IDs, and it spares
    // two setuid helper execs.
    let res = (|| {
        let mut cmd = crate::userns::self_command(CHILD);
        cmd.arg(&tmp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = crate::userns::spawn_mapped(&mut cmd, &IdMapping::single(ctx.uid, ctx.gid))?;
        let (ok, out, err) = super::tools::wait_with_timeout(child, Duration::from_secs(10))?;
        if !ok {
            anyhow::bail!("{}", err.trim().trim_start_matches("Error: "));
        }
        serde_json::from_str::<Verdict>(out.trim())
            .with_context(|| format!("overlay probe said {out:?}"))
    })();
    // The child cleans up inside the namespace; this is the safety net.
    let _ = std::fs::remove_dir_all(&tmp);
    res
}

/// Child side (`__overlay-probe DIR`): mount overlay in DIR, exercise it, clean up, print the
/// verdict as JSON. Exit 0 with a verdict, non-zero only when the test itself could not run.
pub fn child_main(args: &[std::ffi::OsString]) -> anyhow::Result<ExitCode> {
    let dir = PathBuf::from(args.first().context("usage: __overlay-probe DIR")?);
    // The dir is removed recursively at the end: refuse anything but a probe dir.
    anyhow::ensure!(
        dir.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(".overlay-probe-")),
        "__overlay-probe: {} is not an overlay probe dir",
        dir.display()
    );
    crate::userns::child_enter(libc::CLONE_NEWNS)?;
    // Keep our mounts out of any peer group (mount_namespaces(7)).
    nix::mount::mount(
        None::<&str>,
        "/",
        None::<&str>,
        nix::mount::MsFlags::MS_REC | nix::mount::MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .context("making / private")?;
    std::env::set_current_dir(&dir)?;
    let verdict = match exercise() {
        Ok(()) => Verdict {
            supported: true,
            reason: None,
            lowerdir_append: runtime_mount(&dir),
        },
        Err(e) => Verdict {
            supported: false,
            reason: Some(format!("{e:#}")),
            lowerdir_append: None,
        },
    };
    let _ = nix::mount::umount2("merged", nix::mount::MntFlags::MNT_DETACH);
    std::env::set_current_dir("/")?;
    let _ = std::fs::remove_dir_all(&dir);
    println!("{}", serde_json::to_string(&verdict)?);
    Ok(ExitCode::SUCCESS)
}

/// Mount an overlay the way the runtime does (new mount API, `lowerdir+` or its fallback)
/// and say which way it went.
fn runtime_mount(dir: &Path) -> Option<bool> {
    use crate::runtime::{kernel, overlay};
    for d in ["upper2", "work2", "merged2"] {
        std::fs::create_dir_all(dir.join(d)).ok()?;
    }
    let lower = dir.join("lower");
    let merged = dir.join("merged2");
    overlay::mount_at(&[&lower], &dir.join("upper2"), &dir.join("work2"), &merged).ok()?;
    let _ = nix::mount::umount2(&merged, nix::mount::MntFlags::MNT_DETACH);
    kernel::OVERLAY_LOWERDIR_APPEND.known()
}

/// The test proper, in the current dir: a write goes to upper, a delete leaves a whiteout and
/// hides the lower file, a recreated dir is opaque.
fn exercise() -> anyhow::Result<()> {
    use std::fs;
    for d in ["lower/dir", "upper", "work", "merged"] {
        fs::create_dir_all(d)?;
    }
    fs::write("lower/keep", "lower")?;
    fs::write("lower/gone", "x")?;
    fs::write("lower/dir/x", "x")?;
    // Relative paths: the store path may contain ',' or ':' which the option string cannot
    // carry unescaped.
    nix::mount::mount(
        Some("overlay"),
        "merged",
        Some("overlay"),
        nix::mount::MsFlags::empty(),
        Some("lowerdir=lower,upperdir=upper,workdir=work,userxattr"),
    )
    .map_err(|e| anyhow::anyhow!("mount -t overlay -o userxattr failed: {e}"))?;
    anyhow::ensure!(
        fs::read_to_string("merged/keep")? == "lower",
        "lower file not visible"
    );
    fs::write("merged/new", "upper").context("writing through the overlay")?;
    anyhow::ensure!(
        fs::read_to_string("upper/new").is_ok_and(|s| s == "upper"),
        "write did not land in the upper dir"
    );
    fs::remove_file("merged/gone").context("deleting a lower file")?;
    anyhow::ensure!(
        fs::symlink_metadata("merged/gone").is_err(),
        "deleted lower file still visible"
    );
    let wh = fs::symlink_metadata("upper/gone").context("no whiteout in the upper dir")?;
    let xattr_wh =
        rustix::fs::getxattr("upper/gone", "user.overlay.whiteout", &mut [0u8; 8][..]).is_ok();
    anyhow::ensure!(
        (wh.file_type().is_char_device() && wh.rdev() == 0) || xattr_wh,
        "upper/gone is not a whiteout"
    );
    fs::remove_dir_all("merged/dir").context("deleting a lower dir")?;
    fs::create_dir("merged/dir").context("recreating a dir")?;
    anyhow::ensure!(
        fs::symlink_metadata("merged/dir/x").is_err(),
        "recreated dir is not opaque"
    );
    Ok(())
}

/// fuse-overlayfs (the fallback) and whether /dev/fuse can be opened.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fuse {
    pub fuse_overlayfs: Option<super::tools::Tool>,
    pub dev_fuse: super::DeviceAccess,
}

pub fn fuse(ctx: &Context) -> Fuse {
    Fuse {
        fuse_overlayfs: super::tools::find_with_version(
            ctx,
            "fuse-overlayfs",
            &["--version"],
            "fuse-overlayfs",
        ),
        dev_fuse: super::DeviceAccess::open("/dev/fuse"),
    }
}
