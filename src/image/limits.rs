//! Caps on what an image source (a registry, an archive) can make rctr read, and syntax checks
//! for the digests it sends before any of them becomes part of a path.
//!
//! Limits (the first four are containers/image's `internal/iolimits`, which podman applies):
//! * manifests and indexes: 4 MiB ([`MAX_MANIFEST`]);
//! * image configs: 4 MiB ([`MAX_CONFIG`]);
//! * bearer-token responses: 1 MiB ([`MAX_TOKEN`]);
//! * registry error bodies: 1 MiB ([`MAX_ERROR_BODY`]);
//! * one PAX extended header (`x` or `g`) in a layer tar: 1 MiB ([`MAX_PAX_HEADER`]);
//! * a GNU long name or long link name (`L`/`K`): 4096 bytes ([`MAX_LONG_NAME`]);
//! * an entry's path or link target, however it was spelled: 4096 bytes, Linux's PATH_MAX
//!   ([`MAX_PATH`]);
//! * a GNU sparse map: 1 MiB of extension blocks ([`MAX_SPARSE_BLOCKS`]);
//! * entries in one layer or archive: 1,000,000 ([`MAX_ENTRIES`]; a Debian base image has
//!   ~9,000).
//!
//! Every blob is also bounded by its descriptor: a registry or archive sending more bytes than
//! the manifest declares is refused while the bytes arrive, not after.

pub const MIB: u64 = 1 << 20;
pub const MAX_MANIFEST: u64 = 4 * MIB;
pub const MAX_CONFIG: u64 = 4 * MIB;
pub const MAX_TOKEN: u64 = MIB;
pub const MAX_ERROR_BODY: u64 = MIB;
pub const MAX_PAX_HEADER: u64 = MIB;
pub const MAX_LONG_NAME: u64 = 4096;
pub const MAX_PATH: usize = 4096;
pub const MAX_SPARSE_BLOCKS: u64 = MAX_PAX_HEADER / 512;
pub const MAX_ENTRIES: u64 = 1_000_000;

/// Whether `s` is `sha256:` + 64 lowercase hex digits (OCI image-spec descriptor.md, the
/// registered `sha256` algorithm). Only such a digest may name a file in the store.
pub fn is_sha256_digest(s: &str) -> bool {
    s.strip_prefix("sha256:")
        .is_some_and(|h| h.len() == 64 && crate::reference::is_hex(h))
}

/// Refuse a digest that is not [`is_sha256_digest`]: digests from manifests and configs become
/// paths (`layers/<hex>`, lock files), so `../../x` would be a path traversal (CWE-22).
/// `origin` and `kind` name it: `image config: diff ID "../../x" is not a sha256 digest`.
pub fn check_digest(origin: &str, kind: &str, d: &str) -> anyhow::Result<()> {
    if is_sha256_digest(d) {
        Ok(())
    } else {
        anyhow::bail!("{origin}: {kind} {d:?} is not a sha256 digest")
    }
}

/// Check every diff ID of an image config (before any of them is used).
pub fn check_diff_ids(diff_ids: &[String]) -> anyhow::Result<()> {
    diff_ids
        .iter()
        .try_for_each(|d| check_digest("image config", "diff ID", d))
}

/// A descriptor's declared size as a byte count, refused when negative or above `cap`.
pub fn declared_size(what: &str, size: i64, cap: u64) -> anyhow::Result<u64> {
    let Ok(n) = u64::try_from(size) else {
        anyhow::bail!("{what}: the descriptor has no valid size ({size})");
    };
    if n > cap {
        anyhow::bail!(
            "{what}: the manifest declares {n} bytes, more than the {} limit",
            human(cap)
        );
    }
    Ok(n)
}

/// `4 MiB`, `4096 bytes`: limits in messages.
pub fn human(n: u64) -> String {
    if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_syntax() {
        let good = format!("sha256:{}", "ab".repeat(32));
        assert!(is_sha256_digest(&good));
        for bad in [
            "../../x".to_string(),
            "sha256:../../x".into(),
            format!("sha256:{}", "AB".repeat(32)),
            format!("sha256:{}", "ab".repeat(31)),
            format!("sha256:{}0", "ab".repeat(32)),
            format!("sha512:{}", "ab".repeat(32)),
            format!("sha256:{}/", "ab".repeat(32)),
            "ab".repeat(32),
            String::new(),
        ] {
            assert!(!is_sha256_digest(&bad), "{bad:?}");
        }
        let e = check_diff_ids(&[good.clone(), "../../x".into()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "image config: diff ID \"../../x\" is not a sha256 digest"
        );
        assert!(check_diff_ids(&[good]).is_ok());
    }

    #[test]
    fn declared_sizes() {
        assert_eq!(declared_size("config", 10, MAX_CONFIG).unwrap(), 10);
        assert!(declared_size("config", -1, MAX_CONFIG)
            .unwrap_err()
            .to_string()
            .contains("no valid size"));
        let e = declared_size("config", 5 << 20, MAX_CONFIG).unwrap_err();
        assert!(e.to_string().contains("more than the 4 MiB limit"), "{e}");
        assert_eq!(human(4096), "4096 bytes");
    }
}
