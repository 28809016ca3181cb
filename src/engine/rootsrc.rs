//! Where a new container's root comes from: an image in the store (pulled when the policy
//! says so), a squashfs image file (`rctr run FILE.sqsh`, or `--rootfs FILE`: mounted by the
//! runtime with squashfuse under the container's writable layer, its image config giving the
//! defaults), or a directory used as it is (`--rootfs DIR`, podman's meaning).
use super::spec::{ContainerSpec, UsernsMode};
use crate::context::Context;
use crate::image::squash::{self, SquashError};
use crate::specgen::bundle::RootInput;
use crate::storage::Store;
use anyhow::bail;
use oci_spec::image::ImageConfiguration;
use std::path::Path;

/// The root, resolved: what the record names and what the bundle mounts.
pub struct Root {
    /// The record's image name (the file or directory for a root that is not an image).
    pub name: String,
    /// The image ID; empty for a file or directory (nothing in the store is in use).
    pub id: String,
    pub config: Option<ImageConfiguration>,
    pub input: RootInput,
}

/// Resolve `spec.image` (and `--rootfs`) to the container's root.
pub fn resolve(ctx: &Context, store: &Store, spec: &ContainerSpec) -> anyhow::Result<Root> {
    let path = ctx.cwd()?.join(&spec.image);
    if spec.rootfs {
        if path.is_dir() {
            refuse_keep_id(spec, "--rootfs")?;
            return Ok(Root {
                name: path.to_string_lossy().into_owned(),
                id: String::new(),
                config: None,
                input: RootInput::Dir(path),
            });
        }
        if !path.is_file() {
            bail!(
                "--rootfs {}: no such directory or squashfs file",
                spec.image
            );
        }
        return squash_root(ctx, spec, &path);
    }
    if squash::is_squash_file(&path) {
        return squash_root(ctx, spec, &path);
    }
    let img = crate::image::ensure_image(ctx, store, &spec.image, spec.pull, &spec.pull_options)?;
    Ok(Root {
        name: img.names.first().cloned().unwrap_or_else(|| img.id.clone()),
        id: img.id.clone(),
        input: RootInput::Layers(store.lower_dirs(&img)),
        config: Some(img.config),
    })
}

fn squash_root(ctx: &Context, spec: &ContainerSpec, path: &Path) -> anyhow::Result<Root> {
    refuse_keep_id(spec, "a squashfs image")?;
    let img = squash::open(ctx, path)?;
    let program = ["squashfuse_ll", "squashfuse"]
        .iter()
        .find_map(|p| crate::idmap::find_in_path_in(ctx.path(), p))
        .ok_or(SquashError::Missing(
            "running a squashfs image",
            "squashfuse",
            "squashfuse",
        ))?;
    Ok(Root {
        name: img.file.to_string_lossy().into_owned(),
        id: String::new(),
        config: img.config,
        input: RootInput::Squash {
            file: img.file,
            program,
        },
    })
}

/// keep-id shifts the store's layer owners through fuse-overlayfs; a file's or directory's
/// owners are not the store's, so there is nothing right to shift them by.
fn refuse_keep_id(spec: &ContainerSpec, what: &str) -> anyhow::Result<()> {
    if spec.userns == UsernsMode::KeepId {
        bail!("--userns=keep-id is not supported with {what}");
    }
    Ok(())
}
