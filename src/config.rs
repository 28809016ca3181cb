//! The engine settings rctr takes from podman's `containers.conf`, so a user's existing file
//! means the same to both tools: `/usr/share/containers/containers.conf`, then
//! `/etc/containers/containers.conf`, then `$XDG_CONFIG_HOME/containers/containers.conf`,
//! each overriding the one before; `CONTAINERS_CONF` names the only file to read instead.
//!
//! Only the keys rctr acts on are read. A file that does not mention them is not parsed at
//! all (the distribution's is ~30 KB of comments, read on every `run`).
use crate::context::Context;
use anyhow::{bail, Context as _};
use std::path::PathBuf;

/// `[network] default_rootless_network_cmd`: the mode of a container created without
/// `--network` (podman 5's key; `slirp4netns` or `pasta`).
const NETWORK_CMD: &str = "default_rootless_network_cmd";

/// What `containers.conf` says, merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineConfig {
    /// The default network mode, and the file that set it (for messages).
    pub default_network: Option<(String, PathBuf)>,
}

/// The files read, lowest precedence first.
fn files(ctx: &Context) -> Vec<PathBuf> {
    if let Some(p) = ctx.var("CONTAINERS_CONF") {
        return vec![PathBuf::from(p)];
    }
    vec![
        PathBuf::from("/usr/share/containers/containers.conf"),
        PathBuf::from("/etc/containers/containers.conf"),
        ctx.containers_config_dir().join("containers.conf"),
    ]
}

impl EngineConfig {
    /// Read and merge the files; a missing one is skipped, a broken one (that sets a key
    /// rctr reads) is an error naming it.
    pub fn load(ctx: &Context) -> anyhow::Result<EngineConfig> {
        let mut cfg = EngineConfig::default();
        for path in files(ctx) {
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
            };
            cfg.merge(&text, path)?;
        }
        Ok(cfg)
    }

    /// Apply one file's text.
    pub fn merge(&mut self, text: &str, path: PathBuf) -> anyhow::Result<()> {
        if !text.contains(NETWORK_CMD) {
            return Ok(());
        }
        let doc: toml::Table =
            toml::from_str(text).with_context(|| format!("{}: not valid TOML", path.display()))?;
        let Some(v) = doc.get("network").and_then(|n| n.get(NETWORK_CMD)) else {
            return Ok(());
        };
        match v.as_str() {
            Some(m @ ("slirp4netns" | "pasta")) => self.default_network = Some((m.into(), path)),
            _ => bail!(
                "{}: [network] {NETWORK_CMD} = {v}: expected \"slirp4netns\" or \"pasta\"",
                path.display()
            ),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_files_override_and_comments_are_not_keys() {
        let mut c = EngineConfig::default();
        c.merge("# default_rootless_network_cmd = \"pasta\"\n", "/a".into())
            .unwrap();
        assert_eq!(c.default_network, None);
        c.merge(
            "[network]\ndefault_rootless_network_cmd = \"pasta\"\n",
            "/b".into(),
        )
        .unwrap();
        c.merge("[engine]\nx = 1\n", "/c".into()).unwrap();
        assert_eq!(c.default_network, Some(("pasta".into(), "/b".into())));
        c.merge(
            "[network]\ndefault_rootless_network_cmd = \"slirp4netns\"\n",
            "/d".into(),
        )
        .unwrap();
        assert_eq!(c.default_network.unwrap().0, "slirp4netns");
    }

    #[test]
    fn bad_values_name_the_file() {
        let mut c = EngineConfig::default();
        let e = c
            .merge(
                "[network]\ndefault_rootless_network_cmd = \"bridge\"\n",
                "/x/containers.conf".into(),
            )
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/x/containers.conf") && e.contains("expected"),
            "{e}"
        );
        let e = c
            .merge("[network\ndefault_rootless_network_cmd = 1", "/y".into())
            .unwrap_err();
        assert!(e.to_string().contains("/y: not valid TOML"), "{e}");
    }
}
