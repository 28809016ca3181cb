//! `rctr images` / `rctr image ls`: list stored images (podman's columns and formats).
use crate::context::Context;
use crate::image::view;
use crate::storage::Store;
use anyhow::bail;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ImagesArgs {
    /// Only list images whose repository matches NAME
    #[arg(value_name = "IMAGE")]
    pub image: Option<String>,
    /// Show all images (rctr keeps no intermediate images: same as without)
    #[arg(short, long)]
    pub all: bool,
    /// Show digests
    #[arg(long)]
    pub digests: bool,
    /// Filter: dangling=true|false, reference=PATTERN, id=ID
    #[arg(short, long, value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Pretty-print with a Go template, or `json`
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Do not print the header row
    #[arg(short = 'n', long)]
    pub noheading: bool,
    /// Do not truncate IDs
    #[arg(long)]
    pub no_trunc: bool,
    /// Print only image IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Sort by created, id, repository, size or tag
    #[arg(long, value_name = "KEY", default_value = "created")]
    pub sort: String,
}

struct Filter {
    dangling: Option<bool>,
    reference: Vec<String>,
    id: Vec<String>,
}

fn parse_filters(f: &[String]) -> anyhow::Result<Filter> {
    let mut out = Filter {
        dangling: None,
        reference: Vec::new(),
        id: Vec::new(),
    };
    for x in f {
        let Some((k, v)) = x.split_once('=') else {
            bail!("invalid filter {x:?}: expected KEY=VALUE");
        };
        match k {
            "dangling" => out.dangling = Some(v == "true" || v == "1"),
            "reference" => out.reference.push(v.to_string()),
            "id" => out.id.push(v.trim_start_matches("sha256:").to_string()),
            _ => bail!("invalid filter {k:?}: rctr supports dangling, reference, id"),
        }
    }
    Ok(out)
}

/// A reference pattern (`busybox`, `127.0.0.1:5100/busybox:*`, `*box`) against a stored name.
fn matches_pattern(pat: &str, name: &str) -> bool {
    let repo = crate::storage::names::split_tag(name).0;
    let pat_has_tag = !crate::storage::names::split_tag(pat).1.is_empty();
    let subject = if pat_has_tag { name } else { repo };
    glob(pat, subject) || subject.ends_with(&format!("/{pat}")) && !pat.contains('*')
}

fn glob(p: &str, s: &str) -> bool {
    match p.split_once('*') {
        None => p == s,
        Some((pre, rest)) => {
            if !s.starts_with(pre) {
                return false;
            }
            let s = &s[pre.len()..];
            (0..=s.len()).any(|i| s.is_char_boundary(i) && glob(rest, &s[i..]))
        }
    }
}

/// How many containers use each image (the container engineer's records).
fn container_counts(ctx: &Context) -> std::collections::HashMap<String, usize> {
    let mut m = std::collections::HashMap::new();
    if let Ok(list) = crate::container::Container::list(ctx) {
        for c in list {
            *m.entry(c.rec.image_id.clone()).or_insert(0) += 1;
        }
    }
    m
}

pub fn run(args: ImagesArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = Store::open(ctx)?;
    let filt = parse_filters(&args.filter)?;
    let mut imgs = store.images()?;
    imgs.retain(|i| {
        filt.dangling.map_or(true, |d| d == i.names.is_empty())
            && (filt.id.is_empty() || filt.id.iter().any(|p| i.id.starts_with(p.as_str())))
            && (filt.reference.is_empty()
                || filt
                    .reference
                    .iter()
                    .any(|p| i.names.iter().any(|n| matches_pattern(p, n))))
            && args
                .image
                .as_ref()
                .map_or(true, |p| i.names.iter().any(|n| matches_pattern(p, n)))
    });
    match args.sort.as_str() {
        "created" => {}
        "id" => imgs.sort_by(|a, b| a.id.cmp(&b.id)),
        "size" => imgs.sort_by_key(|i| std::cmp::Reverse(i.size)),
        "repository" | "tag" => imgs.sort_by(|a, b| a.names.cmp(&b.names)),
        other => bail!("invalid sort key {other:?}: use created, id, repository, size or tag"),
    }
    let counts = container_counts(ctx);
    if args.quiet {
        let mut seen = std::collections::HashSet::new();
        for i in &imgs {
            if seen.insert(&i.id) {
                if args.no_trunc {
                    println!("sha256:{}", i.id);
                } else {
                    println!("{}", &i.id[..12]);
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if args.format.as_deref().is_some_and(crate::format::is_json) {
        let v: Vec<serde_json::Value> = imgs
            .iter()
            .map(|i| view::summary(i, counts.get(&i.id).copied().unwrap_or(0)))
            .collect();
        crate::format::print_json_pretty(&v)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<serde_json::Value> = imgs
        .iter()
        .flat_map(|i| view::rows(i, args.no_trunc, counts.get(&i.id).copied().unwrap_or(0)))
        .collect();
    let default = if args.digests {
        "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.Created}}\t{{.Size}}"
    } else {
        "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Created}}\t{{.Size}}"
    };
    let out = crate::format::render_report(
        args.format.as_deref(),
        &crate::format::Report {
            default_table: default,
            headers: &[("ID", "IMAGE ID")],
            no_heading: args.noheading,
        },
        &rows,
    )?;
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(matches_pattern("busybox", "127.0.0.1:5100/busybox:latest"));
        assert!(matches_pattern(
            "127.0.0.1:5100/busybox",
            "127.0.0.1:5100/busybox:v2s2"
        ));
        assert!(matches_pattern(
            "busybox:v2s2",
            "127.0.0.1:5100/busybox:v2s2"
        ));
        assert!(!matches_pattern(
            "busybox:v2",
            "127.0.0.1:5100/busybox:v2s2"
        ));
        assert!(matches_pattern("*box", "127.0.0.1:5100/busybox:latest"));
        assert!(matches_pattern(
            "*/busybox",
            "127.0.0.1:5100/busybox:latest"
        ));
        assert!(!matches_pattern("box", "127.0.0.1:5100/busybox:latest"));
    }
}
