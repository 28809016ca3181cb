//! podman-shaped JSON views of stored images: `images` rows and summaries, `image inspect`.
use crate::storage::names::split_tag;
use crate::storage::{ImageRecord, Store};
use serde_json::{json, Map, Value};

/// go-units `HumanSizeWithPrecision(size, 3)`: decimal units, 3 significant digits
/// ("4.26 MB", "121 MB", "512 B").
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    let s = if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    format!("{s} {}", UNITS[i])
}

/// `repo@digest` for every repository the image came from and every digest it was pulled as.
pub fn repo_digests(img: &ImageRecord) -> Vec<String> {
    let mut repos: Vec<String> = img.repos.clone();
    for n in &img.names {
        let r = split_tag(n).0.to_string();
        if !repos.contains(&r) {
            repos.push(r);
        }
    }
    let mut v = Vec::new();
    for r in &repos {
        for d in &img.digests {
            let s = format!("{r}@{d}");
            if !v.contains(&s) {
                v.push(s);
            }
        }
    }
    v
}

fn created_unix(img: &ImageRecord) -> i64 {
    img.created
        .as_deref()
        .and_then(|c| chrono::DateTime::parse_from_rfc3339(c).ok())
        .map(|t| t.timestamp())
        .unwrap_or(0)
}

fn labels(img: &ImageRecord) -> Value {
    img.config
        .config()
        .as_ref()
        .and_then(|c| c.labels().clone())
        .map(|l| json!(l))
        .unwrap_or(Value::Null)
}

/// `images --format json`: one summary per image (podman's ImageSummary keys).
pub fn summary(img: &ImageRecord, containers: usize) -> Value {
    json!({
        "Id": img.id,
        "ParentId": "",
        "RepoTags": img.names,
        "RepoDigests": repo_digests(img),
        "Size": img.size,
        "SharedSize": 0,
        "VirtualSize": img.size,
        "Labels": labels(img),
        "Containers": containers,
        "ReadOnly": false,
        "Dangling": img.names.is_empty(),
        "Names": img.names,
        "Digest": img.digest,
        "History": img.names,
        "Created": created_unix(img),
        "CreatedAt": img.created.clone().unwrap_or_default(),
    })
}

/// Table/template rows of `images`: one per (repository, tag), `<none>` for untagged images.
pub fn rows(img: &ImageRecord, no_trunc: bool, containers: usize) -> Vec<Value> {
    let id = if no_trunc {
        format!("sha256:{}", img.id)
    } else {
        img.id[..12].to_string()
    };
    let since = img
        .created
        .as_deref()
        .map(|c| {
            format!(
                "{} ago",
                crate::format::human_duration(crate::format::seconds_since(c))
            )
        })
        .unwrap_or_default();
    let pairs: Vec<(String, String)> = if img.names.is_empty() {
        vec![("<none>".into(), "<none>".into())]
    } else {
        img.names
            .iter()
            .map(|n| {
                let (r, t) = split_tag(n);
                (r.to_string(), t.to_string())
            })
            .collect()
    };
    pairs
        .into_iter()
        .map(|(repo, tag)| {
            json!({
                "ID": id,
                "Id": img.id,
                "Repository": repo,
                "Tag": tag,
                "Digest": img.digest,
                "Created": since,
                "CreatedSince": since,
                "CreatedAt": img.created.clone().unwrap_or_default(),
                "CreatedTime": img.created.clone().unwrap_or_default(),
                "Size": human_size(img.size),
                "VirtualSize": human_size(img.size),
                "SharedSize": human_size(0),
                "Containers": containers,
                "Dangling": img.names.is_empty(),
                "ReadOnly": false,
                "IsReadOnly": false,
                "Labels": labels(img),
                "Names": img.names,
                "RepoTags": img.names,
                "RepoDigests": repo_digests(img),
            })
        })
        .collect()
}

/// `image inspect` object (podman's ImageData keys).
pub fn inspect(store: &Store, img: &ImageRecord) -> Value {
    let cfg = serde_json::to_value(&img.config).unwrap_or(Value::Null);
    let get = |k: &str| cfg.get(k).cloned().unwrap_or(Value::Null);
    let lowers: Vec<String> = store
        .lower_dirs(img)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut graph = Map::new();
    if let Some((top, rest)) = lowers.split_first() {
        graph.insert("UpperDir".into(), json!(top));
        graph.insert(
            "WorkDir".into(),
            json!(std::path::Path::new(top)
                .with_file_name("work")
                .display()
                .to_string()),
        );
        if !rest.is_empty() {
            graph.insert("LowerDir".into(), json!(rest.join(":")));
        }
    }
    let author = get("author");
    let history = get("history");
    let user = cfg
        .get("config")
        .and_then(|c| c.get("User"))
        .cloned()
        .unwrap_or(json!(""));
    json!({
        "Id": img.id,
        "Digest": img.digest,
        "RepoTags": img.names,
        "RepoDigests": repo_digests(img),
        "Parent": "",
        "Comment": "",
        "Created": img.created.clone().unwrap_or_default(),
        "Config": cfg.get("config").cloned().unwrap_or(json!({})),
        "Version": "",
        "Author": if author.is_null() { json!("") } else { author },
        "Architecture": get("architecture"),
        "Os": get("os"),
        "Size": img.size,
        "VirtualSize": img.size,
        "GraphDriver": { "Name": "overlay", "Data": graph },
        "RootFS": { "Type": "layers", "Layers": img.layers },
        "Labels": labels(img),
        "Annotations": {},
        "ManifestType": img.manifest_media_type,
        "User": user,
        "History": if history.is_null() { json!([]) } else { history },
        "NamesHistory": img.names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1500), "1.5 kB");
        assert_eq!(human_size(4_260_000), "4.26 MB");
        assert_eq!(human_size(121_400_000), "121 MB");
        assert_eq!(human_size(2_000_000_000), "2 GB");
    }
}
