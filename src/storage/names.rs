//! The names index (`images/names.json`: tagged name → image ID) and podman's lookup rules.
//!
//! Names live ONLY here (not in the image records), so `tag`, `untag` and a pull that moves a
//! tag to a new image are one atomic rename of one file, done under the images lock.
use crate::reference::{is_hex, Reference};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NamesIndex {
    /// `registry/repo:tag` → 64-hex image ID.
    pub names: BTreeMap<String, String>,
}

/// What a lookup string resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Id(String),
    None,
    /// An ID prefix or short name matching several images.
    Ambiguous(Vec<String>),
}

/// Minimal view of an image for lookups (ID plus digests and repositories it was pulled from).
pub struct Candidate<'a> {
    pub id: &'a str,
    pub digests: Vec<&'a str>,
    pub repos: Vec<&'a str>,
}

impl NamesIndex {
    /// Names pointing at `id`, sorted.
    pub fn names_of(&self, id: &str) -> Vec<String> {
        self.names
            .iter()
            .filter(|(_, v)| v.as_str() == id)
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Resolve `input` with podman's order: full ID, exact or short name (`busybox` matches
    /// `*/busybox:latest` at a path boundary), name@digest, then a unique ID prefix (≥ 3 hex).
    pub fn lookup(&self, input: &str, images: &[Candidate]) -> Lookup {
        let raw = input.strip_prefix("sha256:").unwrap_or(input);
        if raw.len() == 64 && is_hex(raw) && images.iter().any(|c| c.id == raw) {
            return Lookup::Id(raw.to_string());
        }
        if let Ok(r) = Reference::parse(input) {
            match self.by_reference(&r, images) {
                Lookup::None => {}
                found => return found,
            }
        }
        if raw.len() >= 3 && is_hex(raw) {
            let ids: Vec<String> = images
                .iter()
                .filter(|c| c.id.starts_with(raw))
                .map(|c| c.id.to_string())
                .collect();
            return match ids.len() {
                0 => Lookup::None,
                1 => Lookup::Id(ids.into_iter().next().unwrap()),
                _ => Lookup::Ambiguous(ids),
            };
        }
        Lookup::None
    }

    /// A lookup by name only (no digest, not a full ID): what [`NamesIndex::lookup`] finds
    /// first for such input, without needing the image records.
    pub fn lookup_name(&self, input: &str) -> Lookup {
        let raw = input.strip_prefix("sha256:").unwrap_or(input);
        if raw.len() == 64 && is_hex(raw) {
            return Lookup::None;
        }
        match Reference::parse(input) {
            Ok(r) if r.digest.is_none() => self.by_reference(&r, &[]),
            _ => Lookup::None,
        }
    }

    /// The stored tagged name `input` refers to, if `input` is a name (not an ID or digest):
    /// the exact key for a qualified reference, the (first) suffix match for a short name.
    pub fn matching_name(&self, input: &str) -> Option<String> {
        let r = Reference::parse(input).ok()?;
        if r.digest.is_some() {
            return None;
        }
        let tag = r.tag_or_latest()?;
        if r.is_qualified() {
            let k = format!("{}:{tag}", r.name());
            return self.names.contains_key(&k).then_some(k);
        }
        self.names
            .keys()
            .find(|n| {
                let (name, t) = split_tag(n);
                t == tag && name_matches(&r.name(), name, false)
            })
            .cloned()
    }

    fn by_reference(&self, r: &Reference, images: &[Candidate]) -> Lookup {
        if let Some(d) = &r.digest {
            let hits: Vec<String> = images
                .iter()
                .filter(|c| c.digests.iter().any(|x| x == d))
                .filter(|c| {
                    let repos = c.repos.iter().copied().map(str::to_string);
                    let named = self.names_of(c.id).into_iter().map(|n| strip_tag(&n));
                    repos
                        .chain(named)
                        .any(|n| name_matches(&r.name(), &n, r.is_qualified()))
                })
                .map(|c| c.id.to_string())
                .collect();
            return pick(hits);
        }
        let tag = r.tag_or_latest().unwrap_or("latest");
        if r.is_qualified() {
            return match self.names.get(&format!("{}:{tag}", r.name())) {
                Some(id) => Lookup::Id(id.clone()),
                None => Lookup::None,
            };
        }
        let mut hits: Vec<String> = self
            .names
            .iter()
            .filter(|(n, _)| {
                let (name, t) = split_tag(n);
                t == tag && name_matches(&r.name(), name, false)
            })
            .map(|(_, id)| id.clone())
            .collect();
        hits.dedup();
        pick(hits)
    }
}

fn pick(mut hits: Vec<String>) -> Lookup {
    hits.sort();
    hits.dedup();
    match hits.len() {
        0 => Lookup::None,
        1 => Lookup::Id(hits.remove(0)),
        _ => Lookup::Ambiguous(hits),
    }
}

/// `want` (a short or full repository name) matches stored full name `have`: equal, or for a
/// short name equal to a suffix of `have` starting after a `/`.
fn name_matches(want: &str, have: &str, qualified: bool) -> bool {
    if want == have {
        return true;
    }
    !qualified && have.ends_with(want) && have[..have.len() - want.len()].ends_with('/')
}

/// `registry/repo:tag` → (`registry/repo`, `tag`). The tag is after the last `/`.
pub fn split_tag(n: &str) -> (&str, &str) {
    let slash = n.rfind('/').map(|i| i + 1).unwrap_or(0);
    match n[slash..].rfind(':') {
        Some(i) => (&n[..slash + i], &n[slash + i + 1..]),
        None => (n, ""),
    }
}

fn strip_tag(n: &str) -> String {
    split_tag(n).0.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx() -> NamesIndex {
        let mut n = NamesIndex::default();
        let a = "a".repeat(64);
        let b = format!("ab{}", "b".repeat(62));
        n.names
            .insert("127.0.0.1:5100/busybox:latest".into(), a.clone());
        n.names
            .insert("127.0.0.1:5100/busybox:v2s2".into(), b.clone());
        n.names
            .insert("docker.io/library/debian:bookworm".into(), b.clone());
        n
    }

    #[test]
    fn lookups() {
        let a = "a".repeat(64);
        let b = format!("ab{}", "b".repeat(62));
        let d = format!("sha256:{}", "c".repeat(64));
        let imgs = vec![
            Candidate {
                id: &a,
                digests: vec![&d],
                repos: vec!["127.0.0.1:5100/busybox"],
            },
            Candidate {
                id: &b,
                digests: vec![],
                repos: vec![],
            },
        ];
        let n = idx();
        assert_eq!(n.lookup("busybox", &imgs), Lookup::Id(a.clone()));
        assert_eq!(n.lookup("busybox:latest", &imgs), Lookup::Id(a.clone()));
        assert_eq!(n.lookup("busybox:v2s2", &imgs), Lookup::Id(b.clone()));
        assert_eq!(n.lookup("box", &imgs), Lookup::None);
        assert_eq!(n.lookup("debian:bookworm", &imgs), Lookup::Id(b.clone()));
        assert_eq!(
            n.lookup("library/debian:bookworm", &imgs),
            Lookup::Id(b.clone())
        );
        assert_eq!(
            n.lookup("127.0.0.1:5100/busybox", &imgs),
            Lookup::Id(a.clone())
        );
        assert_eq!(n.lookup("other.io/busybox", &imgs), Lookup::None);
        assert_eq!(n.lookup(&a, &imgs), Lookup::Id(a.clone()));
        assert_eq!(
            n.lookup(&format!("sha256:{a}"), &imgs),
            Lookup::Id(a.clone())
        );
        assert_eq!(n.lookup("aaa", &imgs), Lookup::Id(a.clone()));
        assert!(matches!(n.lookup("a", &imgs), Lookup::None));
        assert!(matches!(n.lookup("abb", &imgs), Lookup::Id(_)));
        assert_eq!(
            n.lookup(&format!("busybox@{d}"), &imgs),
            Lookup::Id(a.clone())
        );
        assert_eq!(
            n.lookup(&format!("127.0.0.1:5100/busybox@{d}"), &imgs),
            Lookup::Id(a.clone())
        );
        assert_eq!(n.lookup(&format!("x.io/busybox@{d}"), &imgs), Lookup::None);
    }

    #[test]
    fn ambiguous_prefix() {
        let a = format!("abc{}", "1".repeat(61));
        let b = format!("abc{}", "2".repeat(61));
        let imgs = vec![
            Candidate {
                id: &a,
                digests: vec![],
                repos: vec![],
            },
            Candidate {
                id: &b,
                digests: vec![],
                repos: vec![],
            },
        ];
        assert!(matches!(
            NamesIndex::default().lookup("abc", &imgs),
            Lookup::Ambiguous(v) if v.len() == 2
        ));
    }

    #[test]
    fn split() {
        assert_eq!(
            split_tag("127.0.0.1:5100/a/b:t"),
            ("127.0.0.1:5100/a/b", "t")
        );
        assert_eq!(split_tag("127.0.0.1:5100/a"), ("127.0.0.1:5100/a", ""));
    }
}
