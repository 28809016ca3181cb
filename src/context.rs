//! The one place that reads the process environment and decides directories.
//!
//! Every other module gets paths and identities from a [`Context`], so tests can point rctr at
//! a temporary world by setting variables (or building a `Context` by hand).
use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Where the runtime dir came from, so `info`/`doctor` can say why a fallback was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDirSource {
    /// `$XDG_RUNTIME_DIR` was set, exists, is ours and is mode 0700.
    Xdg,
    /// `--runroot` given on the command line.
    Flag,
    /// A private fallback under the temp dir, and why XDG was not used.
    Fallback(XdgRejected),
}

/// Why `$XDG_RUNTIME_DIR` was not used; `doctor` picks its fix by the kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XdgRejected {
    #[error("XDG_RUNTIME_DIR is not set")]
    Unset,
    #[error("XDG_RUNTIME_DIR is not an absolute path")]
    NotAbsolute,
    #[error("XDG_RUNTIME_DIR {} does not exist", .0.display())]
    Missing(PathBuf),
    #[error("XDG_RUNTIME_DIR {} is not a directory", .0.display())]
    NotADirectory(PathBuf),
    /// su/sudo keep the caller's variable: it points at another user's dir.
    #[error("XDG_RUNTIME_DIR {} is owned by uid {owner}, not {uid}", .path.display())]
    NotOurs { path: PathBuf, owner: u32, uid: u32 },
    #[error("XDG_RUNTIME_DIR {} has mode {mode:o}, not 0700", .path.display())]
    OpenToOthers { path: PathBuf, mode: u32 },
}

/// Where the store came from: `info` shows it, and the first use of a fallback says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreSource {
    /// `$XDG_DATA_HOME/rctr`.
    Default,
    /// `--root`.
    Flag,
    /// `graphroot` in this file (`$XDG_CONFIG_HOME/rctr/storage.conf`).
    Config(PathBuf),
    /// The default is on a network filesystem (`fs`): a private store on this machine instead.
    LocalFallback { fs: String, default: PathBuf },
}

#[derive(Debug, Clone)]
pub struct Context {
    pub uid: u32,
    pub gid: u32,
    /// Login name of `uid` from the passwd database (NSS), if any.
    pub user: Option<String>,
    pub home: Option<PathBuf>,
    /// `$XDG_DATA_HOME/rctr` (or `--root`): the image and container store.
    pub data_dir: PathBuf,
    pub store_source: StoreSource,
    /// `$XDG_CONFIG_HOME` (the parent of `containers/` and `rctr/` config dirs).
    pub config_home: PathBuf,
    /// Base runtime dir (`$XDG_RUNTIME_DIR` or fallback); rctr's state lives in `runtime_dir/rctr`.
    pub runtime_base: PathBuf,
    pub runtime_source: RuntimeDirSource,
    /// `--log-level debug` (or trace).
    pub debug: bool,
    /// How long a lock wait may take (`$RCTR_LOCK_TIMEOUT` seconds, default 60).
    pub lock_timeout: std::time::Duration,
    /// Snapshot of the environment; look up variables through [`Context::var`].
    env: HashMap<String, OsString>,
}

/// Options from the global command line that shape the context.
#[derive(Debug, Clone, Default)]
pub struct ContextOptions {
    pub root: Option<PathBuf>,
    pub runroot: Option<PathBuf>,
    /// `--log-level debug`: the start path prints its timeline and the helpers' traces.
    pub debug: bool,
}

impl Context {
    /// Build from the real process environment.
    pub fn from_env(opts: &ContextOptions) -> anyhow::Result<Context> {
        let env: HashMap<String, OsString> = std::env::vars_os()
            .filter_map(|(k, v)| k.into_string().ok().map(|k| (k, v)))
            .collect();
        Self::from_parts(env, opts)
    }

    /// Build from an explicit environment (tests).
    pub fn from_parts(
        env: HashMap<String, OsString>,
        opts: &ContextOptions,
    ) -> anyhow::Result<Context> {
        let uid = nix::unistd::getuid().as_raw();
        let gid = nix::unistd::getgid().as_raw();
        let pw = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
            .ok()
            .flatten();
        let user = pw.as_ref().map(|p| p.name.clone());
        let home = env
            .get("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .or_else(|| pw.as_ref().map(|p| p.dir.clone()));
        let xdg = |var: &str, fallback: &str| -> anyhow::Result<PathBuf> {
            if let Some(v) = env.get(var).filter(|v| Path::new(v).is_absolute()) {
                return Ok(PathBuf::from(v));
            }
            match &home {
                Some(h) => Ok(h.join(fallback)),
                None => anyhow::bail!(
                    "neither ${var} nor $HOME is set and user {uid} has no home directory: set HOME or {var}"
                ),
            }
        };
        let config_home = xdg("XDG_CONFIG_HOME", ".config")?;
        let (data_dir, store_source) = match &opts.root {
            Some(r) => (absolute(r)?, StoreSource::Flag),
            None => {
                let default = xdg("XDG_DATA_HOME", ".local/share")?.join("rctr");
                choose_store(&config_home, default, uid, &env)?
            }
        };
        let (runtime_base, runtime_source) = match &opts.runroot {
            Some(r) => (absolute(r)?, RuntimeDirSource::Flag),
            None => choose_runtime_dir(env.get("XDG_RUNTIME_DIR").map(PathBuf::from), uid, &env),
        };
        let lock_timeout = env
            .get("RCTR_LOCK_TIMEOUT")
            .and_then(|v| v.to_str()?.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(std::time::Duration::from_secs_f64)
            .unwrap_or(std::time::Duration::from_secs(60));
        Ok(Context {
            lock_timeout,
            uid,
            gid,
            user,
            home,
            data_dir,
            store_source,
            config_home,
            runtime_base,
            runtime_source,
            debug: opts.debug,
            env,
        })
    }

    /// An environment variable as seen when rctr started.
    pub fn var(&self, key: &str) -> Option<&OsString> {
        self.env.get(key)
    }

    pub fn var_str(&self, key: &str) -> Option<&str> {
        self.env.get(key).and_then(|v| v.to_str())
    }

    /// Every variable with a UTF-8 value, sorted by name (`--env-host`, `-e 'SLURM_*'`).
    pub fn vars(&self) -> Vec<(&str, &str)> {
        let mut v: Vec<(&str, &str)> = self
            .env
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.to_str()?)))
            .collect();
        v.sort();
        v
    }

    /// `$PATH` as seen when rctr started (None when unset: callers use their default).
    pub fn path(&self) -> Option<&std::ffi::OsStr> {
        self.var("PATH").map(|p| p.as_os_str())
    }

    /// The running rctr binary (`/proc/self/exe` resolved), for `info`'s runtime path.
    pub fn exe(&self) -> Option<PathBuf> {
        std::env::current_exe().ok()
    }

    /// The caller's working directory (relative `-v` sources are resolved against it).
    pub fn cwd(&self) -> std::io::Result<PathBuf> {
        std::env::current_dir()
    }

    /// rctr's command line, as recorded in a container's `CreateCommand`.
    pub fn args(&self) -> Vec<String> {
        std::env::args().collect()
    }

    /// rctr's own runtime state dir (`<runtime base>/rctr`), created 0700 on demand.
    pub fn runtime_dir(&self) -> PathBuf {
        self.runtime_base.join("rctr")
    }

    /// Create the runtime dir (and a fallback base) with mode 0700 if needed.
    pub fn ensure_runtime_dir(&self) -> anyhow::Result<PathBuf> {
        if let RuntimeDirSource::Fallback(_) = self.runtime_source {
            ensure_private_dir(&self.runtime_base, self.uid)?;
        }
        let d = self.runtime_dir();
        ensure_private_dir(&d, self.uid)?;
        Ok(d)
    }

    /// Verify the store root and the runtime dir before a command reads or writes either:
    /// created 0700 when missing, refused when another user owns or can write them (or, for
    /// the runtime dir, when it is a symlink), tightened when merely readable by others.
    /// Returns the notices to print (once: a tightened dir is private from then on).
    pub fn secure_dirs(&self) -> anyhow::Result<Vec<String>> {
        let mut notes = Vec::new();
        notes.extend(self.secure_store()?);
        // An XDG_RUNTIME_DIR was checked when chosen (ours, 0700, not a symlink); a fallback
        // under the shared temp dir and a --runroot are checked here, before any use.
        if self.runtime_source != RuntimeDirSource::Xdg {
            notes.extend(crate::privdir::ensure_private_dir(
                &self.runtime_base,
                self.uid,
                "runtime dir",
            )?);
        }
        let rd = self.runtime_dir();
        if std::fs::symlink_metadata(&rd).is_ok() {
            notes.extend(crate::privdir::check_private_dir(
                &rd,
                self.uid,
                "runtime dir",
                true,
            )?);
        }
        Ok(notes)
    }

    /// The store root, checked (see [`Context::secure_dirs`]); a store given on a network
    /// filesystem is refused, a local fallback is announced when first made.
    fn secure_store(&self) -> anyhow::Result<Option<String>> {
        let d = &self.data_dir;
        match &self.store_source {
            StoreSource::Flag | StoreSource::Config(_) => {
                if let Some(fs) = crate::probe::fs::network_fs(d) {
                    let how = match &self.store_source {
                        StoreSource::Config(f) => format!("graphroot in {}", f.display()),
                        _ => "--root".into(),
                    };
                    anyhow::bail!(
                        "the store {} ({how}) is on {fs}, a network filesystem: overlay cannot keep containers' writable layers there and root_squash refuses the image files' owners; choose a directory on a local disk (e.g. {})",
                        d.display(),
                        local_store(&self.env, self.uid).display()
                    );
                }
                crate::privdir::ensure_store_root(d, self.uid)
            }
            StoreSource::Default => crate::privdir::ensure_store_root(d, self.uid),
            StoreSource::LocalFallback { fs, default } => {
                if let Some(base) = d.parent() {
                    // Under a shared /var/tmp: ours alone, never one someone planted.
                    crate::privdir::ensure_private_dir(base, self.uid, "store")?;
                }
                let fresh = std::fs::symlink_metadata(d).is_err();
                let note = crate::privdir::ensure_store_root(d, self.uid)?;
                Ok(if fresh {
                    Some(format!(
                        "{} is on {fs}, a network filesystem where overlay cannot keep a store: images and containers are kept on this machine in {} (choose another place with --root DIR, or graphroot in {})",
                        default.display(),
                        d.display(),
                        self.config_home.join("rctr/storage.conf").display()
                    ))
                } else {
                    note
                })
            }
        }
    }

    /// `$XDG_CONFIG_HOME/containers` (podman's per-user config dir).
    pub fn containers_config_dir(&self) -> PathBuf {
        self.config_home.join("containers")
    }

    /// Where CDI spec files are looked for, lowest priority first: the host's
    /// (`/etc/cdi`, `/var/run/cdi`, the CDI library's defaults) and the user's
    /// (`$XDG_CONFIG_HOME/cdi`).
    pub fn cdi_dirs(&self) -> Vec<PathBuf> {
        vec![
            PathBuf::from("/etc/cdi"),
            PathBuf::from("/var/run/cdi"),
            self.config_home.join("cdi"),
        ]
    }

    /// The temp dir (`$TMPDIR` or `/tmp`).
    pub fn tmp_dir(&self) -> PathBuf {
        self.env
            .get("TMPDIR")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .unwrap_or_else(|| PathBuf::from("/tmp"))
    }
}

fn absolute(p: &Path) -> anyhow::Result<PathBuf> {
    Ok(if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    })
}

/// The store: `graphroot` from rctr's own `storage.conf` (podman's key, in a file of rctr's:
/// podman's graphroot has podman's layout), else `default` unless it is on a network
/// filesystem, where a private store on this machine is used instead.
fn choose_store(
    config_home: &Path,
    default: PathBuf,
    uid: u32,
    env: &HashMap<String, OsString>,
) -> anyhow::Result<(PathBuf, StoreSource)> {
    let conf = config_home.join("rctr/storage.conf");
    if let Some(root) = graphroot(&conf)? {
        return Ok((root, StoreSource::Config(conf)));
    }
    Ok(match crate::probe::fs::network_fs(&default) {
        Some(fs) => (
            local_store(env, uid),
            StoreSource::LocalFallback { fs, default },
        ),
        None => (default, StoreSource::Default),
    })
}

/// `[storage] graphroot = "/abs/path"` in `conf`, if the file exists.
fn graphroot(conf: &Path) -> anyhow::Result<Option<PathBuf>> {
    let text = match std::fs::read_to_string(conf) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => anyhow::bail!("reading {}: {e}", conf.display()),
    };
    let doc: toml::Table = toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: not valid TOML: {e}", conf.display()))?;
    let Some(v) = doc.get("storage").and_then(|s| s.get("graphroot")) else {
        return Ok(None);
    };
    match v.as_str().map(PathBuf::from) {
        Some(p) if p.is_absolute() => Ok(Some(p)),
        _ => anyhow::bail!(
            "{}: [storage] graphroot = {v}: expected an absolute path",
            conf.display()
        ),
    }
}

/// The private store on this machine for a user whose home is on a network filesystem:
/// `/var/tmp/rctr-UID/store` (survives reboots, unlike a job's `$TMPDIR`), else under the
/// temp dir.
fn local_store(env: &HashMap<String, OsString>, uid: u32) -> PathBuf {
    let var_tmp = Path::new("/var/tmp");
    let base = if var_tmp.is_dir() {
        var_tmp.to_path_buf()
    } else {
        env.get("TMPDIR")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .unwrap_or_else(|| PathBuf::from("/tmp"))
    };
    base.join(format!("rctr-{uid}")).join("store")
}

/// Decide the runtime dir: `$XDG_RUNTIME_DIR` only when it is a real directory owned by us with
/// no group/other access (podman#14603: su/ssh/Slurm leave it unset or pointing at another
/// user's dir). Otherwise a private `rctr-run-UID` dir under the temp dir.
pub fn choose_runtime_dir(
    xdg: Option<PathBuf>,
    uid: u32,
    env: &HashMap<String, OsString>,
) -> (PathBuf, RuntimeDirSource) {
    let tmp = env
        .get("TMPDIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| PathBuf::from("/tmp"));
    let fallback = tmp.join(format!("rctr-run-{uid}"));
    let why = match xdg {
        None => XdgRejected::Unset,
        Some(p) if p.as_os_str().is_empty() || !p.is_absolute() => XdgRejected::NotAbsolute,
        Some(p) => match std::fs::symlink_metadata(&p) {
            Err(_) => XdgRejected::Missing(p),
            Ok(m) if !m.is_dir() => XdgRejected::NotADirectory(p),
            Ok(m) if m.uid() != uid => XdgRejected::NotOurs {
                path: p,
                owner: m.uid(),
                uid,
            },
            Ok(m) if m.permissions().mode() & 0o077 != 0 => XdgRejected::OpenToOthers {
                path: p,
                mode: m.permissions().mode() & 0o7777,
            },
            Ok(_) => return (p, RuntimeDirSource::Xdg),
        },
    };
    (fallback, RuntimeDirSource::Fallback(why))
}

/// Create `dir` 0700 if missing; refuse one that is a symlink, not ours, or open to others
/// (a world-writable /tmp lets another user pre-create our fallback dir). See [`crate::privdir`].
pub fn ensure_private_dir(dir: &Path, uid: u32) -> anyhow::Result<()> {
    crate::privdir::ensure_private_dir(dir, uid, "runtime dir").map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, OsString> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect()
    }

    #[test]
    fn xdg_vars_and_root_flag() {
        let e = env(&[("HOME", "/h"), ("XDG_DATA_HOME", "/d"), ("TMPDIR", "/t")]);
        let c = Context::from_parts(e.clone(), &ContextOptions::default()).unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/d/rctr"));
        assert_eq!(c.config_home, PathBuf::from("/h/.config"));
        let c = Context::from_parts(
            e,
            &ContextOptions {
                root: Some("/store".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/store"));
    }

    #[test]
    fn runtime_dir_fallbacks() {
        let uid = nix::unistd::getuid().as_raw();
        let e = env(&[("TMPDIR", "/t")]);
        let (p, s) = choose_runtime_dir(None, uid, &e);
        assert_eq!(p, PathBuf::from(format!("/t/rctr-run-{uid}")));
        assert!(matches!(s, RuntimeDirSource::Fallback(_)));
        let (_, s) = choose_runtime_dir(Some("/nonexistent-xyz".into()), uid, &e);
        assert!(matches!(
            s,
            RuntimeDirSource::Fallback(XdgRejected::Missing(_))
        ));
        let td = tempfile::tempdir().unwrap();
        std::fs::set_permissions(td.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let (_, s) = choose_runtime_dir(Some(td.path().into()), uid, &e);
        assert!(matches!(
            s,
            RuntimeDirSource::Fallback(XdgRejected::OpenToOthers { .. })
        ));
        std::fs::set_permissions(td.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        let (p, s) = choose_runtime_dir(Some(td.path().into()), uid, &e);
        assert_eq!((p.as_path(), s), (td.path(), RuntimeDirSource::Xdg));
        let (_, s) = choose_runtime_dir(Some(td.path().into()), uid + 1, &e);
        assert!(matches!(
            s,
            RuntimeDirSource::Fallback(XdgRejected::NotOurs { .. })
        ));
    }
}
