//! Image names on top of the store: tag, untag, podman's normalization of a new tag, and
//! the removal errors callers tell apart. Removing an image a container may use is a rule
//! spanning both: [`crate::ops::images`].
use crate::storage::Store;
use anyhow::bail;

/// Why an image could not be removed, for callers that branch on it (`rmi --ignore`, and
/// the CLI's exit codes: podman's `rmi` exits 1 and 2 for these, see `cli/exit.rs`).
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// No image has this name, ID or ID prefix.
    #[error("{0}: image not known")]
    NotKnown(String),
    /// Containers (their short IDs, comma-separated) were created from it.
    #[error("image used by {0}: image is in use by a container: remove the container(s) first or use --force")]
    InUse(String),
}

/// What a removal did, for podman's `Untagged:` / `Deleted:` lines.
#[derive(Debug, Default)]
pub struct Removed {
    pub untagged: Vec<String>,
    pub deleted: Vec<String>,
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
