//! Images: registries.conf, auth, registry pulls and layer unpacking (references: [`crate::reference`]).
//!
//! The only async code of rctr lives under here (oci-client on a current-thread tokio
//! runtime), and only while a pull is running. Namespace work is limited to "unpack inside the
//! store's mapping" (`unpack`, run in a `__unpack-layer` helper re-exec).
pub mod archive;
pub mod auth;
pub mod layer;
pub mod limits;
pub mod progress;
pub mod pull;
pub mod registries;
pub mod registry;
pub mod remove;
pub mod squash;
pub mod targuard;
pub mod tarsplit;
pub mod unpack;
pub mod view;

use crate::context::Context;
use crate::storage::{ImageRecord, Store};
use anyhow::bail;

/// podman's `--pull` policy (its flag spellings: `cli::values`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PullPolicy {
    /// Pull only when the image is not in the store (default).
    #[default]
    Missing,
    /// Always pull (a no-op download when nothing changed).
    Always,
    /// Never pull: fail when the image is not in the store.
    Never,
    /// Pull when the registry has a different manifest than the stored one (checks the
    /// registry; like `always` but quiet when nothing changed).
    Newer,
}

/// Options of a pull (shared by `pull`, `run --pull`, `create`).
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// `os/arch[/variant]` to choose from an index (default: the host's).
    pub platform: Option<String>,
    /// `--arch` override (keeps the OS).
    pub arch: Option<String>,
    /// `--tls-verify` (None = follow registries.conf; Some(false) = plain HTTP allowed and
    /// certificates not verified).
    pub tls_verify: Option<bool>,
    /// `--authfile`.
    pub authfile: Option<std::path::PathBuf>,
    /// `--creds user:pass`.
    pub creds: Option<String>,
    /// `-q`: print nothing but errors.
    pub quiet: bool,
}

/// The image for `reference` per `policy`, pulling it when it must. Used by `run`/`create`.
/// Only starts a (current-thread) tokio runtime when a registry has to be contacted.
pub fn ensure_image(
    ctx: &Context,
    store: &Store,
    reference: &str,
    policy: PullPolicy,
    opts: &PullOptions,
) -> anyhow::Result<ImageRecord> {
    let local = store.resolve_image(reference)?;
    match (policy, local) {
        (PullPolicy::Missing | PullPolicy::Never, Some(img)) => Ok(img),
        (PullPolicy::Never, None) => bail!(
            "{reference}: image not known and --pull=never: pull it first with `rctr pull {reference}`"
        ),
        (PullPolicy::Missing | PullPolicy::Always, _) => pull::pull(ctx, store, reference, opts),
        (PullPolicy::Newer, local) => match pull::pull(ctx, store, reference, opts) {
            Ok(img) => Ok(img),
            Err(e) => match local {
                // podman: with --pull=newer a registry that cannot be reached is not fatal
                // when a local copy exists.
                Some(img) => {
                    eprintln!("Warning: {e:#}; using the local image {}", &img.id[..12]);
                    Ok(img)
                }
                None => Err(e),
            },
        },
    }
}
