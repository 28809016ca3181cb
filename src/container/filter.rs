//! `ps --filter` / `container prune --filter`: podman's container filters. Values of one key
//! are OR'ed, different keys AND'ed (podman's rule).
use super::{Container, State, Status};
use anyhow::bail;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct Filters {
    by_key: BTreeMap<String, Vec<String>>,
    names: Vec<regex::Regex>,
}

const KEYS: &[&str] = &[
    "id", "name", "status", "ancestor", "label", "exited", "before", "since", "until",
];
const STATUSES: &[&str] = &[
    "created",
    "running",
    "paused",
    "exited",
    "stopped",
    "unknown",
    "restarting",
    "removing",
    "configured",
];

impl Filters {
    /// Parse `key=value` arguments; unknown keys and bad values are errors (podman: 125).
    pub fn parse(args: &[String]) -> anyhow::Result<Filters> {
        let mut f = Filters::default();
        for a in args {
            let Some((k, v)) = a.split_once('=') else {
                bail!("invalid filter {a:?}: expected key=value");
            };
            if !KEYS.contains(&k) {
                bail!(
                    "invalid filter {k:?}: supported filters are {}",
                    KEYS.join(", ")
                );
            }
            match k {
                "name" => f.names.push(
                    regex::Regex::new(v)
                        .map_err(|e| anyhow::anyhow!("invalid name filter {v:?}: {e}"))?,
                ),
                "status" if !STATUSES.contains(&v) => {
                    bail!(
                        "invalid status filter {v:?}: use one of {}",
                        STATUSES.join(", ")
                    )
                }
                "exited" if v.parse::<i32>().is_err() => {
                    bail!("invalid exited filter {v:?}: not a number")
                }
                _ => {}
            }
            f.by_key
                .entry(k.to_string())
                .or_default()
                .push(v.to_string());
        }
        Ok(f)
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Whether `c` (with truthful state `s`) passes. `all` is every container, for
    /// `before`/`since`, which name another container.
    pub fn matches(&self, c: &Container, s: &State, all: &[Container]) -> bool {
        self.by_key.iter().all(|(k, vals)| match k.as_str() {
            "name" => self.names.iter().any(|re| re.is_match(&c.rec.name)),
            _ => vals.iter().any(|v| self.one(k, v, c, s, all)),
        })
    }

    fn one(&self, k: &str, v: &str, c: &Container, s: &State, all: &[Container]) -> bool {
        let r = &c.rec;
        match k {
            "id" => r.id.starts_with(v),
            "status" => match v {
                "stopped" => s.status == Status::Exited,
                other => s.status.as_str() == other,
            },
            "exited" => {
                s.status == Status::Exited
                    && s.exit_code.map(|c| c.to_string()).as_deref() == Some(v)
            }
            "ancestor" => ancestor_matches(&r.image, &r.image_id, v),
            "label" => match v.split_once('=') {
                Some((lk, lv)) => r.config.labels.get(lk).map(String::as_str) == Some(lv),
                None => r.config.labels.contains_key(v),
            },
            "before" | "since" => {
                let Some(other) = all.iter().find(|o| {
                    o.rec.id == v || o.rec.name == v || (v.len() >= 3 && o.rec.id.starts_with(v))
                }) else {
                    return false;
                };
                if k == "before" {
                    r.created < other.rec.created
                } else {
                    r.created > other.rec.created
                }
            }
            "until" => until_matches(&r.created, v),
            _ => false,
        }
    }
}

/// `ancestor=`: an image ID prefix, a full name, or a short name (`busybox`,
/// `busybox:latest`, `library/busybox`) matching the end of the repository.
pub fn ancestor_matches(image: &str, image_id: &str, v: &str) -> bool {
    let v = v.strip_prefix("sha256:").unwrap_or(v);
    if v.len() >= 3 && image_id.starts_with(v) {
        return true;
    }
    if image == v {
        return true;
    }
    let (repo, tag) = split_tag(image);
    let (vrepo, vtag) = split_tag(v);
    let repo_ok = repo == vrepo || repo.ends_with(&format!("/{vrepo}"));
    repo_ok && (vtag.is_none() || vtag == tag)
}

fn split_tag(name: &str) -> (&str, Option<&str>) {
    let name = name.split('@').next().unwrap_or(name);
    match name.rfind(':') {
        Some(i) if !name[i..].contains('/') => (&name[..i], Some(&name[i + 1..])),
        _ => (name, None),
    }
}

fn until_matches(created: &str, v: &str) -> bool {
    let Ok(c) = chrono::DateTime::parse_from_rfc3339(created) else {
        return false;
    };
    match crate::container::parse_time_arg(v) {
        Some(t) => c.with_timezone(&chrono::Utc) < t,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors() {
        let (img, id) = ("127.0.0.1:5100/busybox:latest", "ac3a58484f76c713");
        for v in [
            "busybox",
            "busybox:latest",
            "127.0.0.1:5100/busybox",
            img,
            "ac3a58",
            "sha256:ac3a5",
        ] {
            assert!(ancestor_matches(img, id, v), "{v}");
        }
        for v in ["busy", "busybox:v2", "debian", "ac"] {
            assert!(!ancestor_matches(img, id, v), "{v}");
        }
    }

    #[test]
    fn parse_errors() {
        assert!(Filters::parse(&["nope=1".into()]).is_err());
        assert!(Filters::parse(&["status=sleeping".into()]).is_err());
        assert!(Filters::parse(&["name".into()]).is_err());
        assert!(Filters::parse(&["name=^web$".into(), "status=running".into()]).is_ok());
    }
}
