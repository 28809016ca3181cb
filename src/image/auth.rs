//! Registry credentials where podman keeps them (containers-auth.json(5)).
//!
//! Written to `--authfile`, else `$REGISTRY_AUTH_FILE`, else
//! `$XDG_RUNTIME_DIR/containers/auth.json`. Read from the same file first, then
//! `$XDG_CONFIG_HOME/containers/auth.json`, then `$DOCKER_CONFIG/config.json` or
//! `~/.docker/config.json`, honouring `credHelpers` / `credsStore` (`docker-credential-NAME get`).
use crate::context::Context;
use anyhow::{bail, Context as _};
use base64::Engine as _;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// The file `login`/`logout` write.
pub fn write_path(ctx: &Context, authfile: Option<&Path>) -> PathBuf {
    if let Some(p) = authfile {
        return p.to_path_buf();
    }
    if let Some(p) = ctx.var("REGISTRY_AUTH_FILE").filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    ctx.runtime_base.join("containers/auth.json")
}

/// How far a credentials file is trusted before it is read: a file names credential helpers
/// rctr will run, so one found by default must be the user's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Named by the user (`--authfile`, `$REGISTRY_AUTH_FILE`): read as given.
    Given,
    /// A default in the user's own config dirs: owned by them, not writable by others
    /// (symlinks followed: dotfile managers link these).
    Ours,
    /// In the runtime dir (a `/tmp` fallback is shared ground): additionally never through
    /// a symlink (`O_NOFOLLOW`).
    Private,
}

/// Files consulted for credentials, in order, with how each is trusted.
pub fn read_paths(ctx: &Context, authfile: Option<&Path>) -> Vec<(PathBuf, Trust)> {
    let given = authfile.is_some() || ctx.var("REGISTRY_AUTH_FILE").is_some_and(|v| !v.is_empty());
    let first = if given { Trust::Given } else { Trust::Private };
    let mut v = vec![(write_path(ctx, authfile), first)];
    if authfile.is_none() {
        v.push((ctx.containers_config_dir().join("auth.json"), Trust::Ours));
        match ctx.var("DOCKER_CONFIG") {
            Some(d) => v.push((PathBuf::from(d).join("config.json"), Trust::Ours)),
            None => {
                if let Some(h) = &ctx.home {
                    v.push((h.join(".docker/config.json"), Trust::Ours));
                }
            }
        }
    }
    v
}

/// Keys to try for `registry/repository`, most specific first (containers-auth.json(5)).
pub fn keys_for(registry: &str, repository: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut path = format!("{registry}/{repository}");
    loop {
        v.push(path.clone());
        match path.rfind('/') {
            Some(i) => path.truncate(i),
            None => break,
        }
    }
    if registry == "docker.io" {
        v.push("index.docker.io".into());
        v.push("https://index.docker.io/v1/".into());
    }
    v
}

fn normalize_key(k: &str) -> String {
    let k = k
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    let k = k
        .strip_suffix("/v1/")
        .or(k.strip_suffix("/v2/"))
        .unwrap_or(k);
    k.trim_end_matches('/').to_string()
}

/// Credentials for `registry`/`repository`, if any file or helper has them.
pub fn lookup(
    ctx: &Context,
    authfile: Option<&Path>,
    registry: &str,
    repository: &str,
) -> anyhow::Result<Option<Credentials>> {
    let keys = keys_for(registry, repository);
    for (p, trust) in read_paths(ctx, authfile) {
        let Some(doc) = read_trusted(&p, trust, ctx.uid)? else {
            continue;
        };
        if let Some(helper) = doc
            .get("credHelpers")
            .and_then(|h| h.get(registry))
            .and_then(Value::as_str)
        {
            return helper_get(helper, registry);
        }
        if let Some(auths) = doc.get("auths").and_then(Value::as_object) {
            for k in &keys {
                for (ak, av) in auths {
                    if normalize_key(ak) == *k {
                        if let Some(c) = decode_entry(av) {
                            return Ok(Some(c));
                        }
                    }
                }
            }
        }
        if let Some(store) = doc.get("credsStore").and_then(Value::as_str) {
            if let Some(c) = helper_get(store, registry)? {
                return Ok(Some(c));
            }
        }
    }
    Ok(None)
}

fn decode_entry(v: &Value) -> Option<Credentials> {
    let auth = v.get("auth")?.as_str()?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(auth)
        .ok()?;
    let s = String::from_utf8(raw).ok()?;
    let (u, p) = s.split_once(':')?;
    Some(Credentials {
        username: u.to_string(),
        password: p.to_string(),
    })
}

/// Read a credentials file after the checks its [`Trust`] asks for.
fn read_trusted(p: &Path, trust: Trust, uid: u32) -> anyhow::Result<Option<Map<String, Value>>> {
    use std::io::Read;
    use std::os::unix::fs::MetadataExt;
    let file = match trust {
        Trust::Given => return read_doc(p),
        Trust::Private => crate::privdir::open_owned_file(p, uid)?,
        Trust::Ours => match std::fs::File::open(p) {
            Ok(f) => {
                let m = f.metadata()?;
                // root may have provisioned it (root is trusted anyway); another user may not.
                if (m.uid() != uid && m.uid() != 0) || m.mode() & 0o022 != 0 {
                    bail!(
                        "{} is owned by uid {} with mode {:04o}: a credentials file must be yours (or root's) and not writable by others; fix with `chmod 600` or remove it",
                        p.display(),
                        m.uid(),
                        m.mode() & 0o7777
                    );
                }
                Some(f)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("reading {}", p.display())),
        },
    };
    let Some(mut f) = file else { return Ok(None) };
    let mut b = Vec::new();
    // An auth file is a few KiB; a huge one is not credentials.
    (&mut f).take(AUTH_FILE_MAX + 1).read_to_end(&mut b)?;
    if b.len() as u64 > AUTH_FILE_MAX {
        bail!(
            "{} is larger than {} KiB: not an auth file",
            p.display(),
            AUTH_FILE_MAX / 1024
        );
    }
    parse_doc(p, b)
}

const AUTH_FILE_MAX: u64 = 4 << 20;

fn read_doc(p: &Path) -> anyhow::Result<Option<Map<String, Value>>> {
    match std::fs::read(p) {
        Ok(b) => parse_doc(p, b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", p.display())),
    }
}

fn parse_doc(p: &Path, b: Vec<u8>) -> anyhow::Result<Option<Map<String, Value>>> {
    if b.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let v: Value = serde_json::from_slice(&b)
        .with_context(|| format!("{} is not valid JSON: fix or remove it", p.display()))?;
    Ok(v.as_object().cloned())
}

/// `docker-credential-NAME get` with the registry on stdin; JSON `{Username, Secret}` out.
fn helper_get(name: &str, registry: &str) -> anyhow::Result<Option<Credentials>> {
    use std::io::Write;
    let prog = format!("docker-credential-{name}");
    let mut child = match std::process::Command::new(&prog)
        .arg("get")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => bail!("credential helper {prog} (from the auth file) cannot run: {e}"),
    };
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(registry.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        let msg = String::from_utf8_lossy(&out.stdout);
        // The credential-helper protocol says "no entry" only in words (docker-credential-
        // helpers' errCredentialsNotFound text); matching it is the protocol, not a guess.
        if msg.contains("credentials not found") {
            return Ok(None);
        }
        bail!("credential helper {prog} failed: {}", msg.trim());
    }
    let v: Value = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("credential helper {prog} printed invalid JSON"))?;
    let u = v.get("Username").and_then(Value::as_str).unwrap_or("");
    let s = v.get("Secret").and_then(Value::as_str).unwrap_or("");
    if s.is_empty() {
        return Ok(None);
    }
    Ok(Some(Credentials {
        username: u.to_string(),
        password: s.to_string(),
    }))
}

/// Store credentials for `key` (a registry, or registry/namespace) in `path` (0600, atomic).
pub fn store(path: &Path, key: &str, c: &Credentials) -> anyhow::Result<()> {
    let mut doc = read_doc(path)?.unwrap_or_default();
    let auths = doc
        .entry("auths")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(auths) = auths.as_object_mut() else {
        bail!("{}: \"auths\" is not an object", path.display());
    };
    let enc =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", c.username, c.password));
    auths.insert(key.to_string(), serde_json::json!({ "auth": enc }));
    write_doc(path, &doc)
}

/// Remove `key` from `path`; `Ok(false)` when it was not there.
pub fn remove(path: &Path, key: &str) -> anyhow::Result<bool> {
    let Some(mut doc) = read_doc(path)? else {
        return Ok(false);
    };
    let removed = doc
        .get_mut("auths")
        .and_then(Value::as_object_mut)
        .map(|a| {
            let before = a.len();
            a.retain(|k, _| normalize_key(k) != normalize_key(key));
            before != a.len()
        })
        .unwrap_or(false);
    if removed {
        write_doc(path, &doc)?;
    }
    Ok(removed)
}

/// Remove every entry (`logout --all`).
pub fn remove_all(path: &Path) -> anyhow::Result<bool> {
    let Some(mut doc) = read_doc(path)? else {
        return Ok(false);
    };
    doc.insert("auths".into(), Value::Object(Map::new()));
    write_doc(path, &doc)?;
    Ok(true)
}

fn write_doc(path: &Path, doc: &Map<String, Value>) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if let Some(d) = path.parent() {
        std::fs::DirBuilder::new()
            .mode(0o700)
            .recursive(true)
            .create(d)
            .with_context(|| format!("creating {}", d.display()))?;
    }
    let mut v = serde_json::to_vec_pretty(doc)?;
    v.push(b'\n');
    // Secrets: the temp file is made 0600 before any byte is written.
    let tmp = crate::fsutil::temp_sibling(path);
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .with_context(|| format!("writing {}", path.display()))?;
        f.write_all(&v)?;
        f.sync_data()?;
    }
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_roundtrip() {
        assert_eq!(
            keys_for("127.0.0.1:5101", "a/b"),
            vec!["127.0.0.1:5101/a/b", "127.0.0.1:5101/a", "127.0.0.1:5101"]
        );
        assert_eq!(
            normalize_key("https://index.docker.io/v1/"),
            "index.docker.io"
        );
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("c/auth.json");
        let c = Credentials {
            username: "rctr".into(),
            password: "rctr:pass".into(),
        };
        store(&p, "127.0.0.1:5101", &c).unwrap();
        let doc = read_doc(&p).unwrap().unwrap();
        assert_eq!(decode_entry(&doc["auths"]["127.0.0.1:5101"]), Some(c));
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(remove(&p, "127.0.0.1:5101").unwrap());
        assert!(!remove(&p, "127.0.0.1:5101").unwrap());
    }
}
