//! Single-file images for shared filesystems (issue 18, HPC): `rctr image squash` writes an
//! image's flattened root as one SquashFS file that every node of a job can run without a
//! pull (what enroot, apptainer's SIF and podman-hpc do); [`open`] reads such a file back.
//!
//! The file is a plain SquashFS (squashfs-tools' `mksquashfs`, gzip) of the root as the
//! container sees it, plus the image's OCI config blob, byte-exact, at [`CONFIG_PATH`] inside
//! it (so the file is the whole image: copy it anywhere). The root is flattened by mounting
//! the image's layers as the runtime does (native overlay, `userxattr`) in a throwaway user
//! and mount namespace of the store's mapping (hidden `__squash`), and running `mksquashfs`
//! there: whiteouts are applied by the kernel, and owners are stored as the container sees
//! them (subordinate IDs included; in single-ID mode every file is root's, the user's own).
//! The output is written to `FILE.tmp` and renamed, so a failure leaves no half-made file.
use crate::context::Context;
use crate::storage::Store;
use anyhow::{bail, Context as _};
use oci_spec::image::ImageConfiguration;
use std::ffi::OsString;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// Where the image's OCI config is stored inside the squashfs (relative to its root).
pub const CONFIG_PATH: &str = ".rctr/config.json";
/// The SquashFS superblock's magic, as it starts the file.
const MAGIC: &[u8; 4] = b"hsqs";
const SUPERBLOCK: usize = 96;

/// Problems with a squashfs file a user can act on (each one line).
#[derive(Debug, thiserror::Error)]
pub enum SquashError {
    #[error("{0}: not a squashfs image (no hsqs magic)")]
    NotSquashfs(PathBuf),
    #[error("{0}: truncated squashfs image ({1} of {2} bytes)")]
    Truncated(PathBuf, u64, u64),
    #[error("{0}: corrupt squashfs image: {1}")]
    Corrupt(PathBuf, String),
    #[error("{0} needs {1}, which is not installed: install the {2} package (Debian/Ubuntu: apt install {2})")]
    Missing(&'static str, &'static str, &'static str),
}

/// What `mksquashfs -comp` takes (and squashfuse reads).
pub const COMPRESSORS: [&str; 5] = ["lz4", "zstd", "gzip", "xz", "lzo"];
/// lz4: its decompression is what a start from the file pays for every page read (busybox
/// `true`: ~30 ms with gzip, ~15 ms with lz4 over the store's start; zstd is ~10% smaller).
pub const DEFAULT_COMPRESSION: &str = "lz4";

/// What `rctr image squash` writes.
#[derive(Debug, Clone)]
pub struct SquashOptions {
    pub output: PathBuf,
    /// Overwrite an existing output.
    pub force: bool,
    /// One of [`COMPRESSORS`].
    pub compression: String,
}

/// `rctr image squash IMAGE -o FILE`: write the image's flattened root to `output` (an
/// existing file is an error unless `force`). Returns the file written.
pub fn squash(
    ctx: &Context,
    store: &Store,
    image: &str,
    opts: &SquashOptions,
) -> anyhow::Result<PathBuf> {
    let (output, force) = (&opts.output, opts.force);
    if !COMPRESSORS.contains(&opts.compression.as_str()) {
        bail!(
            "--compression {}: not one of {}",
            opts.compression,
            COMPRESSORS.join(", ")
        );
    }
    let Some(img) = store.resolve_image(image)? else {
        bail!("{image}: image not known");
    };
    let out = ctx.cwd()?.join(output);
    if !force && std::fs::symlink_metadata(&out).is_ok() {
        bail!("{}: file exists (--force overwrites it)", out.display());
    }
    let mksquashfs = crate::idmap::find_in_path_in(ctx.path(), "mksquashfs").ok_or(
        SquashError::Missing("rctr image squash", "mksquashfs", "squashfs-tools"),
    )?;
    let mut tmp_out = out.clone().into_os_string();
    tmp_out.push(".tmp");
    let tmp_out = PathBuf::from(tmp_out);
    let work = store.new_temp("squash")?;
    for d in ["upper", "work", "merged"] {
        std::fs::create_dir(work.path().join(d))?;
    }
    let config = work.path().join("config.json");
    std::fs::write(&config, store.config_bytes(&img.id)?)?;
    let mut cmd = crate::userns::self_command("__squash");
    cmd.arg(work.path())
        .arg(&mksquashfs)
        .arg(&tmp_out)
        .arg(&opts.compression)
        .args(store.lower_dirs(&img));
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let res = crate::userns::spawn_mapped(&mut cmd, store.mapping()).and_then(|child| {
        let o = child.wait_with_output()?;
        if !o.status.success() {
            let err = String::from_utf8_lossy(&o.stderr);
            let err = err.trim().trim_start_matches("Error: ");
            bail!("squashing {image}: {err}");
        }
        std::fs::rename(&tmp_out, &out)
            .with_context(|| format!("renaming {} to {}", tmp_out.display(), out.display()))
    });
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp_out);
    }
    let _ = store.remove_trees(&[work.path().to_path_buf()]);
    res.map(|_| out)
}

/// `__squash DIR MKSQUASHFS OUT COMP LOWER…`, inside the store's user namespace: the image's
/// overlay on `DIR/merged` (upper and work in `DIR`, so the layers are never written), the
/// config at [`CONFIG_PATH`] in it, then `mksquashfs` of the whole view to `OUT`.
pub fn child_main(args: &[OsString]) -> anyhow::Result<ExitCode> {
    crate::userns::child_enter(libc::CLONE_NEWNS)?;
    const USAGE: &str = "usage: __squash DIR MKSQUASHFS OUT COMP LOWER...";
    anyhow::ensure!(args.len() >= 5, USAGE);
    let dir = PathBuf::from(&args[0]);
    let lower: Vec<&Path> = args[4..].iter().map(Path::new).collect();
    rustix::mount::mount_change(
        "/",
        rustix::mount::MountPropagationFlags::PRIVATE | rustix::mount::MountPropagationFlags::REC,
    )
    .context("making mounts private")?;
    let merged = dir.join("merged");
    crate::runtime::overlay::mount_at(&lower, &dir.join("upper"), &dir.join("work"), &merged)?;
    let meta = merged.join(CONFIG_PATH);
    if let Some(parent) = meta.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(dir.join("config.json"), &meta).context("adding the image config")?;
    let out = Command::new(&args[1])
        .arg(&merged)
        .arg(&args[2])
        .args(["-noappend", "-quiet", "-no-progress", "-comp"])
        .arg(&args[3])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .context("running mksquashfs")?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        bail!("mksquashfs failed ({}): {}", out.status, err.trim());
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether `arg` names a squashfs image file for `run`: an existing file whose name ends in
/// `.sqsh` or `.squashfs` (checked further by [`open`], so a bad one gets its own error), or
/// any existing file that starts with the squashfs magic.
pub fn is_squash_file(path: &Path) -> bool {
    if !path.is_file() {
        return false;
    }
    let ext = path.extension().and_then(|e| e.to_str());
    matches!(ext, Some("sqsh" | "squashfs")) || has_magic(path)
}

fn has_magic(path: &Path) -> bool {
    let mut m = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut m))
        .is_ok_and(|_| &m == MAGIC)
}

/// A squashfs image file, checked, with the image config it carries (`None`: a squashfs that
/// was not made by `rctr image squash`, such as a plain root tree: no defaults then).
#[derive(Debug)]
pub struct SquashImage {
    pub file: PathBuf,
    pub config: Option<ImageConfiguration>,
}

/// Check the file's superblock (magic, version 4, not shorter than the filesystem it
/// describes) and read its config with `unsquashfs -cat`, which also reads the directory
/// tables at the file's end: a truncated or corrupt file fails here, before anything exists.
pub fn open(ctx: &Context, file: &Path) -> anyhow::Result<SquashImage> {
    let file = ctx.cwd()?.join(file);
    check_superblock(&file)?;
    let unsquashfs = crate::idmap::find_in_path_in(ctx.path(), "unsquashfs").ok_or(
        SquashError::Missing("running a squashfs image", "unsquashfs", "squashfs-tools"),
    )?;
    // One call (each costs a few ms of the start): a missing config is "no matches", any
    // other failure a bad file.
    let cat = Command::new(&unsquashfs)
        .arg("-cat")
        .arg(&file)
        .arg(CONFIG_PATH)
        .stdin(Stdio::null())
        .output()
        .context("running unsquashfs")?;
    if !cat.status.success() {
        let text = String::from_utf8_lossy(&cat.stderr);
        if text.contains("no matches") {
            return Ok(SquashImage { file, config: None });
        }
        let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(SquashError::Corrupt(file, line.trim().to_string()).into());
    }
    let config = serde_json::from_slice(&cat.stdout).map_err(|e| {
        SquashError::Corrupt(
            file.clone(),
            format!("/{CONFIG_PATH} is not an image config: {e}"),
        )
    })?;
    Ok(SquashImage {
        file,
        config: Some(config),
    })
}

fn check_superblock(file: &Path) -> anyhow::Result<()> {
    let mut f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let len = f.metadata()?.len();
    let mut sb = [0u8; SUPERBLOCK];
    if f.read_exact(&mut sb).is_err() || &sb[..4] != MAGIC {
        return Err(SquashError::NotSquashfs(file.into()).into());
    }
    parse_superblock(file, &sb, len)
}

/// The superblock's checks: version 4 (the only one squashfuse reads), and `bytes_used`
/// (offset 40) within the file.
fn parse_superblock(file: &Path, sb: &[u8; SUPERBLOCK], len: u64) -> anyhow::Result<()> {
    let major = u16::from_le_bytes([sb[28], sb[29]]);
    if major != 4 {
        return Err(
            SquashError::Corrupt(file.into(), format!("squashfs version {major}, not 4")).into(),
        );
    }
    let used = u64::from_le_bytes(sb[40..48].try_into().expect("8 bytes"));
    if used > len {
        return Err(SquashError::Truncated(file.into(), len, used).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superblock_checks() {
        let mut sb = [0u8; SUPERBLOCK];
        sb[..4].copy_from_slice(MAGIC);
        sb[28] = 4;
        sb[40..48].copy_from_slice(&8192u64.to_le_bytes());
        let f = Path::new("/x.sqsh");
        assert!(parse_superblock(f, &sb, 8192).is_ok());
        let e = parse_superblock(f, &sb, 4096).unwrap_err().to_string();
        assert_eq!(e, "/x.sqsh: truncated squashfs image (4096 of 8192 bytes)");
        sb[28] = 3;
        assert!(parse_superblock(f, &sb, 8192)
            .unwrap_err()
            .to_string()
            .contains("version 3"));
    }
}
