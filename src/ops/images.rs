//! `rmi` and `image prune` (podman's libimage rules): an image a container was created from
//! is "in use". The container records (src/container/) say which image each container was
//! created from. `rmi` refuses to remove an image a container uses ([`ImageError::InUse`]) unless
//! forced; forced removal removes the (stopped) containers first, as podman does. A RUNNING
//! container is never stopped from here: the user is told to `rctr rm -f` it.
use crate::container::{Container, Status};
use crate::context::Context;
use crate::image::remove::{untag, ImageError, Removed};
use crate::storage::{ImageRecord, Store};
use anyhow::bail;

/// Containers created from image `id`: (id, name, running).
pub fn containers_using(ctx: &Context, id: &str) -> Vec<(String, String, bool)> {
    Container::list(ctx)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.rec.image_id == id)
        .map(|c| {
            let running = c.state().status == Status::Running;
            (c.rec.id.clone(), c.rec.name.clone(), running)
        })
        .collect()
}

fn remove_containers(ctx: &Context, users: &[(String, String, bool)]) -> anyhow::Result<()> {
    if let Some((cid, name, _)) = users.iter().find(|u| u.2) {
        bail!(
            "image is in use by running container {} ({name}): stop and remove it first with `rctr rm -f {name}`",
            &cid[..12.min(cid.len())]
        );
    }
    for (cid, _, _) in users {
        if let Ok(c) = Container::lookup(ctx, cid) {
            c.remove(ctx)?;
        }
    }
    Ok(())
}

/// `rmi NAME` / `rmi -f NAME`: untag when NAME is one of several names, else delete the image
/// (and the layers nobody else needs).
pub fn rmi(ctx: &Context, store: &Store, input: &str, force: bool) -> anyhow::Result<Removed> {
    let Some(img) = store.resolve_image(input)? else {
        return Err(ImageError::NotKnown(input.to_string()).into());
    };
    let by_name = store.load_names()?.matching_name(input);
    if let Some(name) = &by_name {
        if img.names.len() > 1 {
            untag(store, &img.id, std::slice::from_ref(name))?;
            return Ok(Removed {
                untagged: vec![name.clone()],
                deleted: Vec::new(),
            });
        }
    } else if img.names.len() > 1 && !force {
        bail!(
            "unable to delete image {:?} by ID with more than one tag ({}): please force removal",
            input,
            img.names.join(", ")
        );
    }
    delete(ctx, store, &img, force)
}

/// Delete `img` entirely (all names), refusing while containers use it unless `force`.
pub fn delete(
    ctx: &Context,
    store: &Store,
    img: &ImageRecord,
    force: bool,
) -> anyhow::Result<Removed> {
    let users = containers_using(ctx, &img.id);
    if !users.is_empty() {
        if !force {
            let ids: Vec<&str> = users.iter().map(|u| &u.0[..12.min(u.0.len())]).collect();
            return Err(ImageError::InUse(ids.join(", ")).into());
        }
        remove_containers(ctx, &users)?;
    }
    store.remove_image(&img.id)?;
    Ok(Removed {
        untagged: img.names.clone(),
        deleted: vec![img.id.clone()],
    })
}

/// `image prune`: dangling images (or, with `all`, every image) no container uses; then any
/// layer no image references. Returns the removed image IDs.
pub fn prune(ctx: &Context, store: &Store, all: bool) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for img in store.images()? {
        if (all || img.names.is_empty()) && containers_using(ctx, &img.id).is_empty() {
            store.remove_image(&img.id)?;
            out.push(img.id);
        }
    }
    store.gc_layers(None)?;
    let _ = store.cleanup_tmp();
    Ok(out)
}
