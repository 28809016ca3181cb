//! `rmi` and `image prune` semantics (podman's libimage rules), on top of the store.
use crate::context::Context;
use crate::error::ExitError;
use crate::storage::{ImageRecord, Store};
use anyhow::bail;

/// podman rmi exit codes: 1 = an image did not exist, 2 = an image is in use.
pub const EXIT_RMI_UNKNOWN: u8 = 1;
pub const EXIT_RMI_IN_USE: u8 = 2;

/// What a removal did, for podman's `Untagged:` / `Deleted:` lines.
#[derive(Debug, Default)]
pub struct Removed {
    pub untagged: Vec<String>,
    pub deleted: Vec<String>,
}

// ---- HOOK: containers using an image ------------------------------------------------------
// The container records (src/container/) say which image each container was created from.
// `rmi` refuses to remove an image a container uses (podman exit 2) unless forced; forced
// removal removes the (stopped) containers first, as podman does. A RUNNING container is
// never stopped from here: the user is told to `rctr rm -f` it.

/// Containers created from image `id`: (id, name, running).
pub fn containers_using(ctx: &Context, id: &str) -> Vec<(String, String, bool)> {
    crate::container::Container::list(ctx)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.rec.image_id == id)
        .map(|c| {
            let running = c.state().status == crate::container::Status::Running;
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
        if let Ok(c) = crate::container::Container::lookup(ctx, cid) {
            c.remove(ctx)?;
        }
    }
    Ok(())
}
// ---- end of hook ---------------------------------------------------------------------------

/// `rmi NAME` / `rmi -f NAME`: untag when NAME is one of several names, else delete the image
/// (and the layers nobody else needs).
pub fn rmi(ctx: &Context, store: &Store, input: &str, force: bool) -> anyhow::Result<Removed> {
    let Some(img) = store.resolve_image(input)? else {
        return Err(ExitError::new(EXIT_RMI_UNKNOWN, format!("{input}: image not known")).into());
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
            return Err(ExitError::new(
                EXIT_RMI_IN_USE,
                format!(
                    "image used by {}: image is in use by a container: remove the container(s) first or use --force",
                    ids.join(", ")
                ),
            )
            .into());
        }
        remove_containers(ctx, &users)?;
    }
    store.remove_image(&img.id)?;
    Ok(Removed {
        untagged: img.names.clone(),
        deleted: vec![img.id.clone()],
    })
}

/// Remove `names` from image `id` (all of its names when `names` is empty).
pub fn untag(store: &Store, id: &str, names: &[String]) -> anyhow::Result<Vec<String>> {
    let _g = store.lock_images()?;
    let mut idx = store.load_names()?;
    let mut removed = Vec::new();
    idx.names.retain(|k, v| {
        let drop = v == id && (names.is_empty() || names.contains(k));
        if drop {
            removed.push(k.clone());
        }
        !drop
    });
    store.save_names(&idx)?;
    Ok(removed)
}

/// Add `names` (already normalized) to image `id`, moving them off other images.
pub fn tag(store: &Store, id: &str, names: &[String]) -> anyhow::Result<()> {
    let _g = store.lock_images()?;
    if store.load_meta(id)?.is_none() {
        bail!("image {id} was removed meanwhile");
    }
    let mut idx = store.load_names()?;
    for n in names {
        idx.names.insert(n.clone(), id.to_string());
    }
    store.save_names(&idx)
}

/// podman's normalization of a new tag: short names go to `localhost/`, `latest` implied.
pub fn normalize_new_name(input: &str) -> anyhow::Result<String> {
    let r = crate::reference::Reference::parse(input)?;
    if r.digest.is_some() {
        bail!("{input}: a tag cannot contain a digest");
    }
    let r = if r.is_qualified() {
        r
    } else {
        r.qualify("localhost")
    };
    Ok(r.tagged_name().expect("tag implied"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_names() {
        assert_eq!(normalize_new_name("foo").unwrap(), "localhost/foo:latest");
        assert_eq!(
            normalize_new_name("foo/bar:1").unwrap(),
            "localhost/foo/bar:1"
        );
        assert_eq!(
            normalize_new_name("127.0.0.1:5100/x:y").unwrap(),
            "127.0.0.1:5100/x:y"
        );
        assert!(normalize_new_name("Foo").is_err());
    }
}
