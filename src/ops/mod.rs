//! Rules that span containers, images and volumes, one floor above all of them (so that
//! `image/` and `storage/` import no container, and `container/` and `volume/` do not import
//! each other). Used by `cli/` and the monitor (`--rm` of a detached container):
//!
//! * an image a container was created from is in use ([`images`]: `rmi`, `image prune`);
//! * a volume a container mounts is in use (`volume rm`, `volume rm -f` removes the stopped
//!   containers using it, `volume prune`);
//! * `rm -v` / `--rm` remove the anonymous volumes the container created;
//! * `-v`/`--mount`/`--tmpfs` resolve to volumes and the container's mount records ([`mounts`]).
pub mod images;
pub mod mounts;

use crate::container::{Container, MountKind};
use crate::context::Context;
use crate::volume::{self, VolumeError};
use anyhow::bail;

/// IDs of containers whose mounts use volume `name`.
pub fn volume_users(ctx: &Context, name: &str) -> anyhow::Result<Vec<String>> {
    Ok(Container::list(ctx)?
        .into_iter()
        .filter(|c| {
            c.rec
                .mounts
                .iter()
                .any(|m| m.kind == MountKind::Volume && m.name == name)
        })
        .map(|c| c.id().to_string())
        .collect())
}

/// Remove a volume; `force` first removes the containers using it (podman's `volume rm -f`
/// removes them, refusing running ones).
pub fn remove_volume(ctx: &Context, name: &str, force: bool) -> anyhow::Result<()> {
    let v = volume::get(ctx, name)?;
    let using = volume_users(ctx, name)?;
    if !using.is_empty() {
        if !force {
            return Err(VolumeError::InUse(name.into(), using.join(", ")).into());
        }
        for id in &using {
            if let Some(c) = Container::load(ctx, id)? {
                if c.live_pid().is_some() {
                    bail!(
                        "volume {name} is used by running container {}: stop it first",
                        c.short_id()
                    );
                }
                c.remove(ctx)?;
            }
        }
    }
    volume::delete(ctx, &v)
}

/// Remove every volume no container uses; returns their names.
pub fn prune_volumes(ctx: &Context) -> anyhow::Result<Vec<String>> {
    let mut used = std::collections::HashSet::new();
    for c in Container::list(ctx)? {
        for m in c.rec.mounts.iter().filter(|m| m.kind == MountKind::Volume) {
            used.insert(m.name.clone());
        }
    }
    let mut removed = Vec::new();
    for v in volume::list(ctx)? {
        if !used.contains(&v.name) {
            remove_volume(ctx, &v.name, false)?;
            removed.push(v.name);
        }
    }
    Ok(removed)
}

/// [`Container::remove`], then the anonymous volumes it created (`rm -v`, `--rm`; named
/// volumes stay, as with podman). The container must already be gone from the volumes'
/// point of view, so the record is removed first.
pub fn remove_with_volumes(ctx: &Context, c: &Container) -> anyhow::Result<()> {
    c.remove(ctx)?;
    remove_anonymous_volumes(ctx, c)
}

/// The anonymous volumes this (removed) container created.
pub fn remove_anonymous_volumes(ctx: &Context, c: &Container) -> anyhow::Result<()> {
    for m in c.rec.mounts.iter().filter(|m| m.kind == MountKind::Volume) {
        if volume::get(ctx, &m.name).is_ok_and(|v| v.anonymous) {
            remove_volume(ctx, &m.name, false)?;
        }
    }
    Ok(())
}

/// How `rm` removes one container.
#[derive(Debug, Clone, Copy, Default)]
pub struct RemoveOptions {
    /// Stop it first when it runs (else a running container is refused).
    pub force: bool,
    /// Seconds `stop` waits before killing (with `force`).
    pub time: Option<u32>,
    /// Its anonymous volumes too (`-v`).
    pub volumes: bool,
    /// The containers joining its network namespace first (`--depend`); without it they make
    /// the removal fail.
    pub depend: bool,
}

/// `rm` of one container: stopped (with `force`), removed, its anonymous volumes with
/// `volumes`. Returns the IDs of the dependents removed before it (`depend`), in order.
pub fn remove_container(
    ctx: &Context,
    mut c: Container,
    o: &RemoveOptions,
) -> anyhow::Result<Vec<String>> {
    let mut removed = Vec::new();
    if o.depend {
        for id in c.dependents(ctx) {
            if let Some(d) = Container::load(ctx, &id)? {
                removed.extend(remove_container(ctx, d, o)?);
                removed.push(id);
            }
        }
    }
    if c.state().status == crate::container::Status::Running {
        if !o.force {
            return Err(
                crate::container::ContainerError::CannotRemoveRunning(c.id().into()).into(),
            );
        }
        c.stop(o.time, None)?;
    }
    c.remove_detached(ctx)?;
    if o.volumes {
        remove_anonymous_volumes(ctx, &c)?;
    }
    Ok(removed)
}
