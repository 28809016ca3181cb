//! Image references with podman's (containers/image's) rules.
//!
//! `[registry/]path[:tag][@algo:hex]`. The first component is a registry only when it contains
//! `.` or `:` or is `localhost` (docker/distribution `reference` grammar); otherwise the
//! reference is a *short name* that must be resolved against `unqualified-search-registries`.
//! On docker.io a one-component path gets `library/` (docker.io/busybox → docker.io/library/busybox).
//!
//! Pure parsing with no dependencies, so it sits at the bottom: `storage` (name lookup) and
//! `image` (pulls, registries.conf) both use it.
use std::fmt;

/// Why a reference string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error("invalid reference format: repository name must be lowercase: {0:?}")]
    Uppercase(String),
    #[error("invalid reference format: {0:?}")]
    Invalid(String),
    #[error("invalid reference format: bad digest in {0:?} (expected sha256:<64 hex>)")]
    BadDigest(String),
    #[error("invalid reference format: bad tag in {0:?}")]
    BadTag(String),
}

/// A parsed reference. `registry` is `None` for a short name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

pub const DOCKER_HUB: &str = "docker.io";

impl Reference {
    /// Parse `s` (no network, no config). Short names keep `registry: None`.
    pub fn parse(s: &str) -> Result<Reference, RefError> {
        let s = s.trim();
        if s.is_empty() || s.contains("://") || s.chars().any(char::is_whitespace) {
            return Err(RefError::Invalid(s.to_string()));
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                if !valid_digest(d) {
                    return Err(RefError::BadDigest(s.to_string()));
                }
                (r, Some(d.to_string()))
            }
            None => (s, None),
        };
        // A tag is a `:` after the last `/` (a `:` before it is a registry port).
        let last_slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
        let (name, tag) = match rest[last_slash..].find(':') {
            Some(i) => {
                let t = &rest[last_slash + i + 1..];
                validate_tag(t).map_err(|_| RefError::BadTag(s.to_string()))?;
                (&rest[..last_slash + i], Some(t.to_string()))
            }
            None => (rest, None),
        };
        let (registry, path) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_string()), path)
            }
            _ => (None, name),
        };
        if let Some(r) = &registry {
            validate_registry(r).map_err(|_| RefError::Invalid(s.to_string()))?;
        }
        if path.chars().any(|c| c.is_ascii_uppercase()) {
            return Err(RefError::Uppercase(s.to_string()));
        }
        validate_path(path).map_err(|_| RefError::Invalid(s.to_string()))?;
        let mut r = Reference {
            registry: None,
            repository: path.to_string(),
            tag,
            digest,
        };
        if let Some(reg) = registry {
            r = r.qualify(&reg);
        }
        Ok(r)
    }

    /// Whether the reference names a registry (not a short name).
    pub fn is_qualified(&self) -> bool {
        self.registry.is_some()
    }

    /// This reference placed on `registry`, with docker.io's `library/` rule.
    pub fn qualify(&self, registry: &str) -> Reference {
        let registry = if registry == "index.docker.io" || registry == "registry-1.docker.io" {
            DOCKER_HUB
        } else {
            registry
        };
        let repository = if registry == DOCKER_HUB && !self.repository.contains('/') {
            format!("library/{}", self.repository)
        } else {
            self.repository.clone()
        };
        Reference {
            registry: Some(registry.to_string()),
            repository,
            tag: self.tag.clone(),
            digest: self.digest.clone(),
        }
    }

    /// The tag, defaulting to `latest` when neither tag nor digest is given (podman's rule).
    pub fn tag_or_latest(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// `registry/repository` (or just the repository for a short name).
    pub fn name(&self) -> String {
        match &self.registry {
            Some(r) => format!("{r}/{}", self.repository),
            None => self.repository.clone(),
        }
    }

    /// The name stored for a tag: `registry/repository:tag` (`latest` implied), or `None` for a
    /// digest-only reference.
    pub fn tagged_name(&self) -> Option<String> {
        self.tag_or_latest().map(|t| format!("{}:{t}", self.name()))
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.name())?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// `sha256:<64 lowercase hex>` (what registries use in practice) or `sha512:<128 hex>`.
pub fn valid_digest(d: &str) -> bool {
    match d.split_once(':') {
        Some(("sha256", h)) => h.len() == 64 && is_hex(h),
        Some(("sha512", h)) => h.len() == 128 && is_hex(h),
        _ => false,
    }
}

pub fn is_hex(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn validate_tag(t: &str) -> Result<(), ()> {
    let b = t.as_bytes();
    if b.is_empty() || b.len() > 128 {
        return Err(());
    }
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    if !word(b[0]) || !b.iter().all(|&c| word(c) || c == b'.' || c == b'-') {
        return Err(());
    }
    Ok(())
}

fn validate_registry(r: &str) -> Result<(), ()> {
    let (host, port) = match r.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (r, None),
    };
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()) {
            return Err(());
        }
    }
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty()
        || !host
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-' || c == b':')
    {
        return Err(());
    }
    Ok(())
}

/// Path components: `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*` separated by `/`.
fn validate_path(p: &str) -> Result<(), ()> {
    if p.is_empty() || p.len() > 255 {
        return Err(());
    }
    for comp in p.split('/') {
        let b = comp.as_bytes();
        if b.is_empty() || !b[0].is_ascii_alphanumeric() || !b[b.len() - 1].is_ascii_alphanumeric()
        {
            return Err(());
        }
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                i += 1;
                continue;
            }
            // separator run
            let start = i;
            while i < b.len() && matches!(b[i], b'.' | b'_' | b'-') {
                i += 1;
            }
            let sep = &comp[start..i];
            let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|c| c == b'-');
            if !ok {
                return Err(());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_qualified() {
        let r = Reference::parse("busybox").unwrap();
        assert!(!r.is_qualified());
        assert_eq!(r.tag_or_latest(), Some("latest"));
        let q = r.qualify("docker.io");
        assert_eq!(q.tagged_name().unwrap(), "docker.io/library/busybox:latest");
        let r = Reference::parse("127.0.0.1:5100/busybox:v2s2").unwrap();
        assert_eq!(r.registry.as_deref(), Some("127.0.0.1:5100"));
        assert_eq!(r.repository, "busybox");
        assert_eq!(r.tag.as_deref(), Some("v2s2"));
        let r = Reference::parse("localhost/foo/bar").unwrap();
        assert_eq!(r.registry.as_deref(), Some("localhost"));
        assert_eq!(r.tagged_name().unwrap(), "localhost/foo/bar:latest");
        let r = Reference::parse("docker.io/busybox").unwrap();
        assert_eq!(r.name(), "docker.io/library/busybox");
        let r = Reference::parse("index.docker.io/library/busybox:1").unwrap();
        assert_eq!(r.name(), "docker.io/library/busybox");
        let r = Reference::parse("foo/bar:1.0").unwrap();
        assert!(!r.is_qualified());
        assert_eq!(r.repository, "foo/bar");
        let r = Reference::parse("quay.io:443/a/b-c__d.e").unwrap();
        assert_eq!(r.registry.as_deref(), Some("quay.io:443"));
    }

    #[test]
    fn digests() {
        let d = format!("sha256:{}", "a".repeat(64));
        let r = Reference::parse(&format!("127.0.0.1:5100/busybox@{d}")).unwrap();
        assert_eq!(r.digest.as_deref(), Some(d.as_str()));
        assert_eq!(r.tag_or_latest(), None);
        assert_eq!(r.to_string(), format!("127.0.0.1:5100/busybox@{d}"));
        let r = Reference::parse(&format!("busybox:1@{d}")).unwrap();
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert!(Reference::parse("busybox@sha256:abc").is_err());
    }

    #[test]
    fn rejects() {
        assert!(matches!(
            Reference::parse("BusyBox"),
            Err(RefError::Uppercase(_))
        ));
        for bad in [
            "",
            "a b",
            "-x",
            "x-",
            "a//b",
            "a:",
            "a:-x",
            "http://x/y",
            "a/../b",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad}");
        }
    }
}
