//! Hidden test/debug aid: `rctr __image-mount IMAGE SCRIPT` mounts the image's layers as a
//! native overlay (`userxattr`, the way containers will) in a throwaway user + mount
//! namespace and runs `sh -c SCRIPT` there with `$RCTR_ROOTFS` pointing at the merged view.
//! Lets tests compare an image's merged view with a golden listing without `rctr run`.
use crate::context::{Context, ContextOptions};
use crate::storage::Store;
use anyhow::{bail, Context as _};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

/// Parent side: resolve the image, prepare upper/work/merged dirs, spawn the mapped child.
pub fn image_mount_main(args: &[OsString]) -> anyhow::Result<ExitCode> {
    let (Some(image), Some(script)) = (
        args.first().and_then(|a| a.to_str()),
        args.get(1).and_then(|a| a.to_str()),
    ) else {
        bail!("usage: rctr __image-mount IMAGE SCRIPT");
    };
    let ctx = Context::from_env(&ContextOptions::default())?;
    let store = Store::open(&ctx)?;
    let Some(img) = store.resolve_image(image)? else {
        bail!("{image}: image not known");
    };
    let lowers = store.lower_dirs(&img);
    let tmp = store.new_temp("mount")?;
    for d in ["upper", "work", "merged"] {
        std::fs::create_dir(tmp.path().join(d))?;
    }
    let mut cmd = crate::userns::self_command("__image-mount-child");
    cmd.arg(tmp.path()).arg(script);
    for l in &lowers {
        cmd.arg(l);
    }
    let child = crate::userns::spawn_mapped(&mut cmd, store.mapping())?;
    let st = child.wait_with_output()?.status;
    store.remove_trees(&[tmp.path().to_path_buf()])?;
    Ok(ExitCode::from(st.code().unwrap_or(125) as u8))
}

/// Child side (inside the user namespace): private mount ns, overlay, run the script.
pub fn image_mount_child(args: &[OsString]) -> anyhow::Result<ExitCode> {
    crate::userns::child_enter(libc::CLONE_NEWNS)?;
    let dir = PathBuf::from(args.first().context("missing dir")?);
    let script = args.get(1).context("missing script")?;
    let lowers: Vec<String> = args[2..]
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    use nix::mount::{mount, MsFlags};
    mount(
        None::<&str>,
        "/",
        None::<&str>,
        MsFlags::MS_REC | MsFlags::MS_PRIVATE,
        None::<&str>,
    )
    .context("making mounts private")?;
    let merged = dir.join("merged");
    let opts = format!(
        "lowerdir={},upperdir={},workdir={},userxattr",
        lowers.join(":"),
        dir.join("upper").display(),
        dir.join("work").display()
    );
    mount(
        Some("overlay"),
        &merged,
        Some("overlay"),
        MsFlags::empty(),
        Some(opts.as_str()),
    )
    .context("mounting the overlay")?;
    let st = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(script)
        .env("RCTR_ROOTFS", &merged)
        .status()?;
    Ok(ExitCode::from(st.code().unwrap_or(125) as u8))
}
