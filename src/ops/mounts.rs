//! podman's `-v`, `--mount` and `--tmpfs` syntaxes → validated mounts for the spec (and the
//! records `inspect` shows). Named volumes are created on first use.
use crate::container::{MountKind, MountRecord};
use crate::context::Context;
use crate::specgen::settings::{MountType, UserMount};
use crate::volume;
use anyhow::{bail, Context as _};
use std::path::{Path, PathBuf};

/// A parsed mount request, before volumes are looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `-v /host:/ctr[:opts]` or `--mount type=bind,…`.
    Bind {
        source: PathBuf,
        dest: String,
        options: Vec<String>,
    },
    /// `-v name:/ctr[:opts]` (`name` None: an anonymous volume, `-v /ctr`).
    Volume {
        name: Option<String>,
        dest: String,
        options: Vec<String>,
    },
    /// `--tmpfs /ctr[:opts]` or `--mount type=tmpfs,…`.
    Tmpfs { dest: String, options: Vec<String> },
}

fn check_dest(d: &str) -> anyhow::Result<String> {
    if !d.starts_with('/') {
        bail!("invalid container path {d:?}, must be an absolute path");
    }
    Ok(d.to_string())
}

fn known_option(o: &str) -> bool {
    matches!(
        o,
        "ro" | "rw"
            | "z"
            | "Z"
            | "U"
            | "copy"
            | "nocopy"
            | "bind"
            | "rbind"
            | "private"
            | "rprivate"
            | "shared"
            | "rshared"
            | "slave"
            | "rslave"
            | "unbindable"
            | "runbindable"
            | "nosuid"
            | "suid"
            | "nodev"
            | "dev"
            | "noexec"
            | "exec"
            | "O"
            | "idmap"
    )
}

/// `-v SRC:DEST[:OPTS]`, `-v DEST`. `cwd` resolves `./relative` host paths (podman 4 does).
pub fn parse_volume(spec: &str, cwd: &Path) -> anyhow::Result<Request> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (src, dest, opts) = match parts.as_slice() {
        [d] => (None, *d, ""),
        [s, d] => (Some(*s), *d, ""),
        [s, d, o] => (Some(*s), *d, *o),
        _ => bail!("invalid volume {spec:?}: expected SOURCE:DESTINATION[:OPTIONS]"),
    };
    let dest = check_dest(dest)?;
    let options: Vec<String> = opts
        .split(',')
        .filter(|o| !o.is_empty())
        .map(String::from)
        .collect();
    if let Some(bad) = options.iter().find(|o| !known_option(o)) {
        bail!("invalid option {bad:?} in volume {spec:?}");
    }
    Ok(match src {
        None => Request::Volume { name: None, dest, options },
        Some(s) if s.starts_with('/') => Request::Bind { source: PathBuf::from(s), dest, options },
        Some(s) if s.starts_with("./") || s.starts_with("../") || s == "." || s == ".." => Request::Bind {
            source: cwd.join(s),
            dest,
            options,
        },
        Some(s) if s.contains('/') => bail!(
            "invalid volume source {s:?}: a host path must be absolute (or start with ./), and a volume name cannot contain '/'"
        ),
        Some(s) => {
            if !volume::valid_name(s) {
                return Err(volume::VolumeError::BadName(s.into()).into());
            }
            Request::Volume { name: Some(s.into()), dest, options }
        }
    })
}

/// `--mount type=bind|volume|tmpfs,source=…,target=…[,readonly][,…]`.
pub fn parse_mount(spec: &str, cwd: &Path) -> anyhow::Result<Request> {
    let (mut typ, mut src, mut dst) = (None, None, None);
    let mut options = Vec::new();
    for kv in spec.split(',') {
        let (k, v) = match kv.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (kv, None),
        };
        match (k, v) {
            ("type", Some(v)) => typ = Some(v.to_string()),
            ("source" | "src", Some(v)) => src = Some(v.to_string()),
            ("target" | "destination" | "dst", Some(v)) => dst = Some(v.to_string()),
            ("readonly" | "ro", None | Some("true")) => options.push("ro".to_string()),
            ("readonly" | "ro", Some("false")) | ("rw", None) => options.push("rw".to_string()),
            ("bind-propagation", Some(v)) => options.push(v.to_string()),
            ("tmpfs-size", Some(v)) => options.push(format!("size={v}")),
            ("tmpfs-mode", Some(v)) => options.push(format!("mode={v}")),
            ("relabel", _) | ("consistency", _) => {}
            ("bind-nonrecursive", _) => options.push("bind".into()),
            ("volume-nocopy" | "nocopy", _) => options.push("nocopy".into()),
            _ => bail!("invalid --mount option {kv:?} in {spec:?}"),
        }
    }
    let dest = check_dest(&dst.with_context(|| format!("--mount {spec:?}: target= is required"))?)?;
    match typ.as_deref().unwrap_or("volume") {
        "bind" => {
            let s = src.with_context(|| {
                format!("--mount {spec:?}: source= is required for a bind mount")
            })?;
            let source = if s.starts_with('/') {
                PathBuf::from(&s)
            } else {
                cwd.join(&s)
            };
            Ok(Request::Bind {
                source,
                dest,
                options,
            })
        }
        "volume" => Ok(Request::Volume {
            name: src,
            dest,
            options,
        }),
        "tmpfs" => Ok(Request::Tmpfs { dest, options }),
        other => bail!("--mount type {other:?} is not supported: use bind, volume or tmpfs"),
    }
}

/// `--tmpfs /ctr[:opts]`.
pub fn parse_tmpfs(spec: &str) -> anyhow::Result<Request> {
    let (d, o) = spec.split_once(':').unwrap_or((spec, ""));
    Ok(Request::Tmpfs {
        dest: check_dest(d)?,
        options: o
            .split(',')
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect(),
    })
}

fn bind_options(user: &[String]) -> Vec<String> {
    let mut o: Vec<String> = user
        .iter()
        .filter(|x| !matches!(x.as_str(), "z" | "Z" | "U" | "copy" | "nocopy" | "O"))
        .cloned()
        .collect();
    if !o.iter().any(|x| x == "bind" || x == "rbind") {
        o.insert(0, "rbind".into()); // podman binds recursively unless told otherwise
    }
    if !o
        .iter()
        .any(|x| x.ends_with("private") || x.ends_with("shared") || x.ends_with("slave"))
    {
        o.push("rprivate".into());
    }
    o
}

/// Turn requests into spec mounts and inspect records, creating named volumes as needed.
/// Returns also the anonymous volumes created (removed with the container by `--rm`).
pub fn resolve(
    ctx: &Context,
    reqs: &[Request],
) -> anyhow::Result<(Vec<UserMount>, Vec<MountRecord>)> {
    let mut mounts = Vec::new();
    let mut records = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in reqs {
        let dest = match r {
            Request::Bind { dest, .. }
            | Request::Volume { dest, .. }
            | Request::Tmpfs { dest, .. } => dest,
        };
        if !seen.insert(dest.clone()) {
            bail!("duplicate mount destination {dest:?}");
        }
        let rw = |o: &[String]| !o.iter().any(|x| x == "ro");
        match r {
            Request::Bind {
                source,
                dest,
                options,
            } => {
                std::fs::metadata(source).map_err(|e| {
                    anyhow::anyhow!(
                        "bind mount source {}: {}: create it or fix the path",
                        source.display(),
                        e.to_string().split(" (os error").next().unwrap_or("")
                    )
                })?;
                let opts = bind_options(options);
                mounts.push(UserMount {
                    destination: dest.clone(),
                    typ: MountType::Bind,
                    source: source.to_string_lossy().into_owned(),
                    options: opts.clone(),
                    copy_up: false,
                });
                records.push(MountRecord {
                    kind: MountKind::Bind,
                    name: String::new(),
                    source: source.to_string_lossy().into_owned(),
                    destination: dest.clone(),
                    options: opts,
                    rw: rw(options),
                });
            }
            Request::Volume {
                name,
                dest,
                options,
            } => {
                let v = match name {
                    Some(n) => volume::get_or_create(ctx, n)?,
                    None => volume::create(ctx, None, Default::default())?,
                };
                let opts = bind_options(options);
                let copy_up = v.needs_copy_up && !options.iter().any(|o| o == "nocopy");
                mounts.push(UserMount {
                    destination: dest.clone(),
                    typ: MountType::Bind,
                    source: v.mountpoint.to_string_lossy().into_owned(),
                    options: opts.clone(),
                    copy_up,
                });
                records.push(MountRecord {
                    kind: MountKind::Volume,
                    name: v.name.clone(),
                    source: v.mountpoint.to_string_lossy().into_owned(),
                    destination: dest.clone(),
                    options: opts,
                    rw: rw(options),
                });
            }
            Request::Tmpfs { dest, options } => {
                // podman's --tmpfs defaults.
                let mut opts: Vec<String> = vec![
                    "rw".into(),
                    "noexec".into(),
                    "nosuid".into(),
                    "nodev".into(),
                ];
                for o in options {
                    if o == "exec" {
                        opts.retain(|x| x != "noexec");
                    } else if o == "ro" {
                        opts.retain(|x| x != "rw");
                        opts.push(o.clone());
                    } else {
                        opts.push(o.clone());
                    }
                }
                mounts.push(UserMount {
                    destination: dest.clone(),
                    typ: MountType::Tmpfs,
                    source: "tmpfs".into(),
                    options: opts.clone(),
                    copy_up: false,
                });
                records.push(MountRecord {
                    kind: MountKind::Tmpfs,
                    name: String::new(),
                    source: "tmpfs".into(),
                    destination: dest.clone(),
                    options: opts.clone(),
                    rw: rw(&opts),
                });
            }
        }
    }
    Ok((mounts, records))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_syntax() {
        let cwd = Path::new("/w");
        assert_eq!(
            parse_volume("/h:/c:ro,Z", cwd).unwrap(),
            Request::Bind {
                source: "/h".into(),
                dest: "/c".into(),
                options: vec!["ro".into(), "Z".into()]
            }
        );
        assert_eq!(
            parse_volume("./d:/c", cwd).unwrap(),
            Request::Bind {
                source: "/w/./d".into(),
                dest: "/c".into(),
                options: vec![]
            }
        );
        assert_eq!(
            parse_volume("data:/c", cwd).unwrap(),
            Request::Volume {
                name: Some("data".into()),
                dest: "/c".into(),
                options: vec![]
            }
        );
        assert!(matches!(
            parse_volume("/c", cwd).unwrap(),
            Request::Volume { name: None, .. }
        ));
        let e = parse_volume("rel/dir:/c", cwd).unwrap_err().to_string();
        assert!(e.contains("must be absolute"), "{e}");
        let e = parse_volume("/h:rel", cwd).unwrap_err().to_string();
        assert!(e.contains("must be an absolute path"), "{e}");
        assert!(parse_volume("/h:/c:bogus", cwd).is_err());
    }

    #[test]
    fn mount_and_tmpfs_syntax() {
        let cwd = Path::new("/w");
        assert_eq!(
            parse_mount("type=bind,source=/a,target=/b,readonly", cwd).unwrap(),
            Request::Bind {
                source: "/a".into(),
                dest: "/b".into(),
                options: vec!["ro".into()]
            }
        );
        assert!(matches!(
            parse_mount("type=tmpfs,target=/t,tmpfs-size=1m", cwd).unwrap(),
            Request::Tmpfs { .. }
        ));
        assert!(parse_mount("type=bind,target=/b", cwd).is_err());
        assert_eq!(
            parse_tmpfs("/t:size=1m,exec").unwrap(),
            Request::Tmpfs {
                dest: "/t".into(),
                options: vec!["size=1m".into(), "exec".into()]
            }
        );
        assert_eq!(
            bind_options(&["ro".into(), "Z".into()]),
            vec!["rbind", "ro", "rprivate"]
        );
    }
}
