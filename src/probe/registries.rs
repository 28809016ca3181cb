//! The `registries` block of `info`: which registries.conf is in effect, its search list and
//! per-registry settings (podman's rules: `$CONTAINERS_REGISTRIES_CONF`, else the user's
//! `$XDG_CONFIG_HOME/containers/registries.conf`, else `/etc/containers/registries.conf`).
use crate::context::Context;
use anyhow::Context as _;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

/// The registries.conf rctr reads, if any exists.
pub fn config_path(ctx: &Context) -> Option<PathBuf> {
    if let Some(p) = ctx
        .var("CONTAINERS_REGISTRIES_CONF")
        .filter(|v| !v.is_empty())
    {
        return Some(PathBuf::from(p));
    }
    [
        ctx.containers_config_dir().join("registries.conf"),
        PathBuf::from("/etc/containers/registries.conf"),
    ]
    .into_iter()
    .find(|p| p.exists())
}

/// podman's shape: `search: [...]` plus one entry per `[[registry]]` keyed by prefix.
pub fn summarize(text: &str) -> anyhow::Result<Value> {
    let doc: toml::Value = toml::from_str(text)?;
    let mut out = Map::new();
    let search: Vec<Value> = doc
        .get("unqualified-search-registries")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(|s| Value::String(s.into())))
                .collect()
        })
        .unwrap_or_default();
    out.insert("search".into(), Value::Array(search));
    for r in doc
        .get("registry")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
    {
        let s = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let b = |k: &str| r.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
        let location = s("location");
        let prefix = Some(s("prefix"))
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| location.clone());
        let mirrors: Vec<Value> = r
            .get("mirror")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .map(|m| {
                json!({
                    "Location": m.get("location").and_then(|v| v.as_str()).unwrap_or(""),
                    "Insecure": m.get("insecure").and_then(|v| v.as_bool()).unwrap_or(false),
                })
            })
            .collect();
        out.insert(
            prefix.clone(),
            json!({
                "Prefix": prefix,
                "Location": location,
                "Insecure": b("insecure"),
                "Blocked": b("blocked"),
                "Mirrors": mirrors,
            }),
        );
    }
    Ok(Value::Object(out))
}

pub fn probe(ctx: &Context) -> anyhow::Result<Value> {
    let Some(p) = config_path(ctx) else {
        return Ok(json!({ "search": [] }));
    };
    let text = std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))?;
    summarize(&text).with_context(|| format!("parsing {}", p.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_and_registries() {
        let v = summarize(
            "unqualified-search-registries = [\"127.0.0.1:5100\"]\n\
             [[registry]]\nlocation = \"127.0.0.1:5100\"\ninsecure = true\n",
        )
        .unwrap();
        assert_eq!(v["search"][0], "127.0.0.1:5100");
        assert_eq!(v["127.0.0.1:5100"]["Insecure"], true);
        assert!(summarize("this is [not toml").is_err());
    }
}
