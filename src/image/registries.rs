//! `registries.conf` (containers-registries.conf(5), version 2 TOML): search registries for
//! short names, `[[registry]]` prefix/location rewrites, `insecure`, `blocked`, mirrors and
//! `[aliases]`, plus `registries.conf.d/*.conf` drop-ins.
use crate::context::Context;
use crate::reference::Reference;
use anyhow::{bail, Context as _};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
struct RawConf {
    #[serde(rename = "unqualified-search-registries")]
    search: Option<Vec<String>>,
    #[serde(default)]
    registry: Vec<RawRegistry>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    /// v1 format: `[registries.search] registries = [...]` etc.
    registries: Option<RawV1>,
}

#[derive(Debug, Default, Deserialize)]
struct RawV1 {
    search: Option<RawV1List>,
    insecure: Option<RawV1List>,
    block: Option<RawV1List>,
}

#[derive(Debug, Default, Deserialize)]
struct RawV1List {
    #[serde(default)]
    registries: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct RawRegistry {
    prefix: Option<String>,
    location: Option<String>,
    insecure: Option<bool>,
    blocked: Option<bool>,
    #[serde(default)]
    mirror: Vec<RawMirror>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawMirror {
    location: String,
    insecure: Option<bool>,
}

/// One `[[registry]]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    pub prefix: String,
    pub location: String,
    pub insecure: bool,
    pub blocked: bool,
    pub mirrors: Vec<Mirror>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    pub location: String,
    pub insecure: bool,
}

/// Where to fetch a reference from: registry host, repository, and whether plain HTTP and
/// unverified TLS are allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub registry: String,
    pub repository: String,
    pub insecure: bool,
    pub mirror: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Registries {
    /// The main file read (or the one that would be read), for messages.
    pub path: PathBuf,
    pub search: Vec<String>,
    pub entries: Vec<RegistryEntry>,
    pub aliases: BTreeMap<String, String>,
}

impl Registries {
    /// Load the user's file (`$XDG_CONFIG_HOME/containers/registries.conf`) or the system's
    /// (`/etc/containers/registries.conf`); `CONTAINERS_REGISTRIES_CONF` overrides both.
    /// Drop-ins from the `registries.conf.d` next to it are applied in name order.
    pub fn load(ctx: &Context) -> anyhow::Result<Registries> {
        let user = ctx.containers_config_dir().join("registries.conf");
        let path = if let Some(p) = ctx.var("CONTAINERS_REGISTRIES_CONF") {
            PathBuf::from(p)
        } else if user.exists() {
            user
        } else {
            PathBuf::from("/etc/containers/registries.conf")
        };
        let mut r = Registries {
            path: path.clone(),
            ..Default::default()
        };
        if path.exists() {
            r.merge_file(&path)?;
        }
        if let Some(dir) = path.parent().map(|d| d.join("registries.conf.d")) {
            if let Ok(rd) = std::fs::read_dir(&dir) {
                let mut files: Vec<PathBuf> = rd
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "conf"))
                    .collect();
                files.sort();
                for f in files {
                    r.merge_file(&f)?;
                }
            }
        }
        Ok(r)
    }

    /// Parse TOML text (tests).
    pub fn from_str(text: &str, path: &Path) -> anyhow::Result<Registries> {
        let mut r = Registries {
            path: path.to_path_buf(),
            ..Default::default()
        };
        r.merge_text(text, path)?;
        Ok(r)
    }

    fn merge_file(&mut self, p: &Path) -> anyhow::Result<()> {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        self.merge_text(&text, p)
    }

    fn merge_text(&mut self, text: &str, p: &Path) -> anyhow::Result<()> {
        let raw: RawConf = toml::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "{} is not valid registries.conf TOML: {}",
                p.display(),
                e.message()
            )
        })?;
        if let Some(s) = raw.search {
            self.search = s;
        }
        if let Some(v1) = raw.registries {
            if let Some(s) = v1.search {
                self.search = s.registries;
            }
            for (list, insecure, blocked) in [(v1.insecure, true, false), (v1.block, false, true)] {
                for reg in list.map(|l| l.registries).unwrap_or_default() {
                    self.upsert(RegistryEntry {
                        prefix: reg.clone(),
                        location: reg,
                        insecure,
                        blocked,
                        mirrors: Vec::new(),
                    });
                }
            }
        }
        for r in raw.registry {
            let (prefix, location) = match (r.prefix, r.location) {
                (Some(p), Some(l)) => (p, l),
                (Some(p), None) => (p.clone(), p),
                (None, Some(l)) => (l.clone(), l),
                (None, None) => bail!(
                    "{}: a [[registry]] table needs a prefix or a location",
                    p.display()
                ),
            };
            let insecure = r.insecure.unwrap_or(false);
            self.upsert(RegistryEntry {
                prefix: prefix.trim_end_matches('/').to_string(),
                location: location.trim_end_matches('/').to_string(),
                insecure,
                blocked: r.blocked.unwrap_or(false),
                mirrors: r
                    .mirror
                    .into_iter()
                    .map(|m| Mirror {
                        location: m.location.trim_end_matches('/').to_string(),
                        insecure: m.insecure.unwrap_or(false),
                    })
                    .collect(),
            });
        }
        self.aliases.extend(raw.aliases);
        Ok(())
    }

    fn upsert(&mut self, e: RegistryEntry) {
        self.entries.retain(|x| x.prefix != e.prefix);
        self.entries.push(e);
    }

    /// The `[[registry]]` whose prefix matches `name` (`registry/repo`) best (longest), if any.
    pub fn entry_for(&self, name: &str) -> Option<&RegistryEntry> {
        self.entries
            .iter()
            .filter(|e| prefix_matches(&e.prefix, name))
            .max_by_key(|e| e.prefix.len())
    }

    /// Qualified candidates for `r`: itself if qualified; an alias; else one per search
    /// registry. A short name with no search registries is podman's error.
    pub fn candidates(&self, r: &Reference) -> anyhow::Result<Vec<Reference>> {
        if r.is_qualified() {
            return Ok(vec![r.clone()]);
        }
        if let Some(a) = self.aliases.get(&r.repository) {
            let mut q = Reference::parse(a)
                .with_context(|| format!("alias {:?} in {}", r.repository, self.path.display()))?;
            q.tag = r.tag.clone().or(q.tag);
            q.digest = r.digest.clone();
            return Ok(vec![q]);
        }
        if self.search.is_empty() {
            bail!(
                "short-name {:?} did not resolve to an alias and no unqualified-search registries are defined in {:?}",
                r.to_string(),
                self.path.display().to_string()
            );
        }
        Ok(self.search.iter().map(|s| r.qualify(s)).collect())
    }

    /// Where to fetch qualified `r` from: mirrors first, then the (rewritten) location.
    /// `tls_verify == Some(false)` makes every source insecure.
    pub fn sources(&self, r: &Reference, tls_verify: Option<bool>) -> anyhow::Result<Vec<Source>> {
        let name = r.name();
        let force_insecure = tls_verify == Some(false);
        let Some(e) = self.entry_for(&name) else {
            return Ok(vec![Source {
                registry: r.registry.clone().unwrap_or_default(),
                repository: r.repository.clone(),
                insecure: force_insecure,
                mirror: false,
            }]);
        };
        if e.blocked {
            bail!(
                "registry {} is blocked in {}",
                r.registry.as_deref().unwrap_or(""),
                self.path.display()
            );
        }
        let rest = &name[e.prefix.len().min(name.len())..];
        let rewrite = |loc: &str, insecure: bool, mirror: bool| -> Option<Source> {
            let full = format!("{loc}{rest}");
            let (reg, repo) = full.split_once('/')?;
            Some(Source {
                registry: reg.to_string(),
                repository: repo.to_string(),
                insecure: insecure || force_insecure,
                mirror,
            })
        };
        let mut v: Vec<Source> = e
            .mirrors
            .iter()
            .filter_map(|m| rewrite(&m.location, m.insecure, true))
            .collect();
        // tls_verify=true overrides `insecure` for the primary location (podman semantics).
        let insecure = e.insecure && tls_verify != Some(true);
        v.extend(rewrite(&e.location, insecure, false));
        if v.is_empty() {
            bail!(
                "registry location {:?} in {} is not a valid registry/repository",
                e.location,
                self.path.display()
            );
        }
        Ok(v)
    }

    /// Whether plain HTTP is allowed for the registry host `reg` (login/logout).
    pub fn insecure_host(&self, reg: &str) -> bool {
        self.entries.iter().any(|e| {
            e.insecure && (e.location == reg || e.prefix == reg || prefix_matches(&e.prefix, reg))
        })
    }
}

/// containers-registries.conf(5): a prefix matches at a `/` boundary (or equals); `*.example.com`
/// matches any subdomain host.
fn prefix_matches(prefix: &str, name: &str) -> bool {
    if let Some(dom) = prefix.strip_prefix("*.") {
        let host = name.split('/').next().unwrap_or("");
        let host = host.split(':').next().unwrap_or("");
        return host.ends_with(&format!(".{dom}"));
    }
    name == prefix
        || (name.starts_with(prefix)
            && matches!(
                name.as_bytes().get(prefix.len()),
                Some(b'/') | Some(b':') | Some(b'@')
            ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONF: &str = r#"
unqualified-search-registries = ["127.0.0.1:5100", "docker.io"]
[[registry]]
location = "127.0.0.1:5100"
insecure = true
[[registry]]
prefix = "example.com/foo"
location = "127.0.0.1:5100/mirrored"
[[registry.mirror]]
location = "127.0.0.1:5200/m"
insecure = true
[[registry]]
location = "evil.io"
blocked = true
[aliases]
"bb" = "127.0.0.1:5100/busybox"
"#;

    #[test]
    fn search_and_rewrites() {
        let r = Registries::from_str(CONF, Path::new("/x/registries.conf")).unwrap();
        let c = r.candidates(&Reference::parse("busybox").unwrap()).unwrap();
        assert_eq!(c[0].to_string(), "127.0.0.1:5100/busybox");
        assert_eq!(c[1].to_string(), "docker.io/library/busybox");
        let c = r.candidates(&Reference::parse("bb:v2s2").unwrap()).unwrap();
        assert_eq!(c[0].to_string(), "127.0.0.1:5100/busybox:v2s2");
        let s = r
            .sources(&Reference::parse("127.0.0.1:5100/busybox").unwrap(), None)
            .unwrap();
        assert_eq!(s.len(), 1);
        assert!(s[0].insecure);
        let s = r
            .sources(&Reference::parse("example.com/foo/bar:1").unwrap(), None)
            .unwrap();
        assert_eq!(s[0].registry, "127.0.0.1:5200");
        assert_eq!(s[0].repository, "m/bar");
        assert!(s[0].mirror && s[0].insecure);
        assert_eq!(s[1].registry, "127.0.0.1:5100");
        assert_eq!(s[1].repository, "mirrored/bar");
        assert!(!s[1].insecure);
        let e = r
            .sources(&Reference::parse("evil.io/x").unwrap(), None)
            .unwrap_err();
        assert!(e.to_string().contains("blocked"));
        let s = r
            .sources(&Reference::parse("quay.io/x/y").unwrap(), Some(false))
            .unwrap();
        assert!(s[0].insecure);
        assert!(!prefix_matches("example.com/foo", "example.com/foobar"));
    }

    #[test]
    fn no_search_registries_message() {
        let r =
            Registries::from_str("", Path::new("/h/.config/containers/registries.conf")).unwrap();
        let e = r
            .candidates(&Reference::parse("busybox").unwrap())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "short-name \"busybox\" did not resolve to an alias and no unqualified-search registries are defined in \"/h/.config/containers/registries.conf\""
        );
    }
}
