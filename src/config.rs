//! The engine settings rctr takes from podman's `containers.conf`, so a user's existing file
//! means the same to both tools: `/usr/share/containers/containers.conf`, then
//! `/etc/containers/containers.conf`, then `$XDG_CONFIG_HOME/containers/containers.conf`,
//! each overriding the one before; `CONTAINERS_CONF` names the only file to read instead.
//!
//! Only the keys rctr acts on are read. A file that sets none of them (at the start of a
//! line) is not parsed at all: the distribution's is ~30 KB of comments, read on every `run`.
use crate::context::Context;
use anyhow::{bail, Context as _};
use std::path::PathBuf;

/// `[network] default_rootless_network_cmd`: the mode of a container created without
/// `--network` (podman 5's key; `slirp4netns` or `pasta`).
const NETWORK_CMD: &str = "default_rootless_network_cmd";

/// `[engine] cgroup_manager`: `systemd` or `cgroupfs` (`--cgroup-manager` overrides it).
const CGROUP_MANAGER: &str = "cgroup_manager";

/// `[containers]` keys rctr takes.
const CONTAINERS_KEYS: [&str; 5] = [
    "dns_servers",
    "dns_searches",
    "dns_options",
    "base_hosts_file",
    "host_containers_internal_ip",
];

/// What `containers.conf` says, merged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineConfig {
    /// The default network mode, and the file that set it (for messages).
    pub default_network: Option<(String, PathBuf)>,
    /// `dns_servers`, `dns_searches`, `dns_options`: used when the flags give none.
    pub dns_servers: Vec<String>,
    pub dns_searches: Vec<String>,
    pub dns_options: Vec<String>,
    /// `base_hosts_file`: the container's /etc/hosts starts from this file (`""`: the
    /// host's, `"none"`: nothing, `"image"`: the image's).
    pub base_hosts_file: Option<String>,
    /// `host_containers_internal_ip`: the address of `host.containers.internal`.
    pub host_containers_internal_ip: Option<String>,
    /// `[engine] cgroup_manager`, validated.
    pub cgroup_manager: Option<String>,
}

/// Does `text` set `key` on a line of its own (not in a comment)?
fn sets(text: &str, key: &str) -> bool {
    text.lines().any(|l| {
        l.trim_start()
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with('='))
    })
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
        if !sets(text, NETWORK_CMD)
            && !sets(text, CGROUP_MANAGER)
            && !CONTAINERS_KEYS.iter().any(|k| sets(text, k))
        {
            return Ok(());
        }
        let doc: toml::Table =
            toml::from_str(text).with_context(|| format!("{}: not valid TOML", path.display()))?;
        if let Some(c) = doc.get("containers") {
            self.merge_containers(c, &path)?;
        }
        if let Some(v) = doc.get("engine").and_then(|e| e.get(CGROUP_MANAGER)) {
            match v.as_str() {
                Some(m @ ("systemd" | "cgroupfs")) => self.cgroup_manager = Some(m.into()),
                _ => bail!(
                    "{}: [engine] {CGROUP_MANAGER} = {v}: expected \"systemd\" or \"cgroupfs\"",
                    path.display()
                ),
            }
        }
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

    fn merge_containers(&mut self, c: &toml::Value, path: &std::path::Path) -> anyhow::Result<()> {
        let bad = |k: &str, want: &str| {
            anyhow::anyhow!("{}: [containers] {k}: expected {want}", path.display())
        };
        let list = |k: &str, into: &mut Vec<String>| -> anyhow::Result<()> {
            if let Some(v) = c.get(k) {
                let items = v.as_array().ok_or_else(|| bad(k, "a list of strings"))?;
                *into = items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| bad(k, "a list of strings"))?;
            }
            Ok(())
        };
        list("dns_servers", &mut self.dns_servers)?;
        list("dns_searches", &mut self.dns_searches)?;
        list("dns_options", &mut self.dns_options)?;
        for (k, into) in [
            ("base_hosts_file", &mut self.base_hosts_file),
            (
                "host_containers_internal_ip",
                &mut self.host_containers_internal_ip,
            ),
        ] {
            if let Some(v) = c.get(k) {
                *into = Some(v.as_str().ok_or_else(|| bad(k, "a string"))?.to_string());
            }
        }
        if let Some(ip) = &self.host_containers_internal_ip {
            if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
                return Err(bad("host_containers_internal_ip", "an IP address"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cgroup_manager_key() {
        let mut c = EngineConfig::default();
        c.merge("[engine]\ncgroup_manager = \"cgroupfs\"\n", "/a".into())
            .unwrap();
        assert_eq!(c.cgroup_manager.as_deref(), Some("cgroupfs"));
        let e = c
            .merge("[engine]\ncgroup_manager = \"x\"\n", "/b".into())
            .unwrap_err();
        assert!(e.to_string().contains("/b: [engine] cgroup_manager"), "{e}");
    }

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
    fn containers_keys_merge_per_key() {
        let mut c = EngineConfig::default();
        c.merge(
            "[containers]\n  dns_servers = [\"1.1.1.1\", \"8.8.8.8\"]\ndns_searches=[\"example.com\"]\n",
            "/a".into(),
        )
        .unwrap();
        c.merge(
            "[containers]\nbase_hosts_file = \"none\"\nhost_containers_internal_ip = \"10.1.2.3\"\n",
            "/b".into(),
        )
        .unwrap();
        assert_eq!(c.dns_servers, ["1.1.1.1", "8.8.8.8"]);
        assert_eq!(c.dns_searches, ["example.com"]);
        assert_eq!(c.base_hosts_file.as_deref(), Some("none"));
        assert_eq!(c.host_containers_internal_ip.as_deref(), Some("10.1.2.3"));
        let e = c
            .merge("[containers]\ndns_servers = \"1.1.1.1\"\n", "/c".into())
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("/c: [containers] dns_servers: expected a list"),
            "{e}"
        );
        assert!(sets("  dns_options = []", "dns_options"));
        assert!(!sets("#dns_options = []", "dns_options"));
        assert!(!sets("dns_options_x = []", "dns_options"));
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
