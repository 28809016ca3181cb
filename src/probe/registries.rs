//! The `registries` block of `info`, in podman's shape: `search: [...]` plus one entry per
//! `[[registry]]` keyed by prefix. The file itself is read by `image::registries` (the same
//! parsing `pull` uses, drop-ins included), so `info` shows what `pull` will do.
use crate::context::Context;
use crate::image::registries::Registries;
use serde_json::{json, Map, Value};

pub fn summarize(r: &Registries) -> Value {
    let mut out = Map::new();
    out.insert("search".into(), json!(r.search));
    for e in &r.entries {
        let mirrors: Vec<Value> = e
            .mirrors
            .iter()
            .map(|m| json!({ "Location": m.location, "Insecure": m.insecure }))
            .collect();
        out.insert(
            e.prefix.clone(),
            json!({
                "Prefix": e.prefix,
                "Location": e.location,
                "Insecure": e.insecure,
                "Blocked": e.blocked,
                "Mirrors": mirrors,
            }),
        );
    }
    Value::Object(out)
}

pub fn probe(ctx: &Context) -> anyhow::Result<Value> {
    Ok(summarize(&Registries::load(ctx)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_and_registries() {
        let r = Registries::from_str(
            "unqualified-search-registries = [\"127.0.0.1:5100\"]\n\
             [[registry]]\nlocation = \"127.0.0.1:5100\"\ninsecure = true\n",
            std::path::Path::new("/x/registries.conf"),
        )
        .unwrap();
        let v = summarize(&r);
        assert_eq!(v["search"][0], "127.0.0.1:5100");
        assert_eq!(v["127.0.0.1:5100"]["Insecure"], true);
        assert_eq!(v["127.0.0.1:5100"]["Location"], "127.0.0.1:5100");
    }
}
