//! Spec generation: an image's config ⊕ validated container settings → ONE OCI runtime spec
//! with podman's defaults (capabilities, seccomp, masked and read-only paths, mounts,
//! namespaces), and the bundle around it (`bundle`: `/etc/hosts` & co., `config.json`).
//!
//! This sits above `runtime`, which executes a bundle and knows nothing of images, flags or
//! stores, and below the engine, which decides the [`Settings`] from what the user asked.
//! The spec is written to the container's bundle as `config.json`, so what will run can be
//! read before it runs. One file per concern: `process` (argv, env, user, rlimits),
//! `security` (caps, seccomp, masks), `mounts`, `namespaces` (and ID mappings).
pub mod bundle;
mod devices;
mod mounts;
mod namespaces;
mod process;
mod security;
pub mod settings;

pub use namespaces::{join as join_namespaces, shift_maps};
pub use process::command;
pub use security::{MASKED_PATHS, READONLY_PATHS};
pub use settings::Settings;

use crate::runtime::{Layers, ANN_COPY_UP, ANN_INIT, ANN_SECCOMP_CACHE, ANN_USER};
use oci_spec::image::Config as ImageConfig;
use oci_spec::runtime::{Root, Spec};
use settings::Network;
use std::collections::HashMap;
use std::path::PathBuf;

/// Files the container gets bind-mounted from its bundle (`/etc/hosts` & co.).
#[derive(Debug, Clone)]
pub struct BundleFiles {
    pub hosts: PathBuf,
    pub hostname: PathBuf,
    pub resolv_conf: PathBuf,
    pub containerenv: PathBuf,
}

/// Merge the image's config with the settings into the spec.
pub fn build(
    img: Option<&ImageConfig>,
    s: &Settings,
    layers: Option<&Layers>,
    rootfs: PathBuf,
    files: &BundleFiles,
    mapping: &crate::idmap::IdMapping,
) -> anyhow::Result<Spec> {
    let hostname = s
        .hostname
        .clone()
        .unwrap_or_else(|| s.id.chars().take(12).collect());
    let user = process::user(img, s);
    let (caps, capset) = security::capabilities(s, &user)?;
    let process = process::process(img, s, &hostname, &user, caps)?;
    let network = s.network.unwrap_or(Network::Private);
    let (mounts, copy_up) = mounts::mounts(s, mapping, network, files);
    let mut linux = namespaces::linux(s, mapping, network);
    security::confine(&mut linux, s, &capset);

    let mut ann: HashMap<String, String> = s.annotations.iter().cloned().collect();
    if let Some(l) = layers {
        l.annotate(&mut ann);
    }
    ann.insert(ANN_USER.to_string(), user);
    if let Some(t) = &s.tap {
        ann.insert(
            crate::runtime::netdev::ANN_TAP.to_string(),
            t.to_annotation(),
        );
    }
    if !copy_up.is_empty() {
        ann.insert(ANN_COPY_UP.to_string(), serde_json::to_string(&copy_up)?);
    }
    devices::apply(&mut linux, &mut ann, &s.devices)?;
    if s.init {
        ann.insert(ANN_INIT.to_string(), "true".to_string());
    }
    if let Some(d) = &s.seccomp_cache {
        ann.insert(
            ANN_SECCOMP_CACHE.to_string(),
            d.to_string_lossy().into_owned(),
        );
    }
    let mut root = Root::default();
    root.set_path(rootfs);
    root.set_readonly(Some(s.read_only));
    let mut spec = Spec::default();
    spec.set_version("1.0.2".to_string());
    spec.set_root(Some(root));
    spec.set_hostname(Some(hostname));
    spec.set_process(Some(process));
    spec.set_mounts(Some(mounts));
    spec.set_linux(Some(linux));
    spec.set_annotations(Some(ann));
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_spec::runtime::LinuxNamespaceType;

    fn settings() -> Settings {
        Settings {
            id: "0123456789abcdef".repeat(4),
            ..Default::default()
        }
    }

    #[test]
    fn keep_id_shift() {
        let r = [crate::idmap::SubIdRange {
            start: 100000,
            count: 65536,
        }];
        let store = crate::idmap::IdMapping::full(1001, 1001, &r, &r);
        let keep = store.keep_id(1001, 1001);
        let (u, _) = shift_maps(&store, &keep);
        // image root (host 1001) is the caller inside: shown as 0; image uid 1000 (host
        // 100999) is container uid 999 on disk: shown as 1000.
        assert_eq!(u, "0:1:1001:1001:0:1:1002:1002:64535");
    }

    #[test]
    fn command_env_and_mounts() {
        let img: ImageConfig = serde_json::from_value(serde_json::json!({
            "Env": ["PATH=/bin", "A=1"], "Entrypoint": ["/ep"], "Cmd": ["x"], "User": "user"
        }))
        .unwrap();
        let mut s = settings();
        s.env = vec!["A=2".into()];
        s.read_only = true;
        s.read_only_tmpfs = true;
        let layers = Layers {
            lower: vec!["/l".into()],
            upper: "/u".into(),
            work: "/w".into(),
            mount_program: None,
            lowerdir_append: None,
            fuse_uidmapping: None,
            fuse_gidmapping: None,
            squashfs: None,
        };
        let files = BundleFiles {
            hosts: "/b/hosts".into(),
            hostname: "/b/hostname".into(),
            resolv_conf: "/b/resolv.conf".into(),
            containerenv: "/b/.containerenv".into(),
        };
        let m = crate::idmap::IdMapping::single(1000, 1000);
        let spec = build(Some(&img), &s, Some(&layers), "/r".into(), &files, &m).unwrap();
        let p = spec.process().as_ref().unwrap();
        assert_eq!(
            p.args().as_ref().unwrap(),
            &vec!["/ep".to_string(), "x".to_string()]
        );
        let env = p.env().as_ref().unwrap();
        assert!(env.contains(&"A=2".to_string()) && !env.contains(&"A=1".to_string()));
        assert_eq!(spec.hostname().as_deref(), Some("0123456789ab"));
        // Non-root image user: capabilities only in the bounding set.
        assert!(p
            .capabilities()
            .as_ref()
            .unwrap()
            .effective()
            .as_ref()
            .unwrap()
            .is_empty());
        let dests: Vec<String> = spec
            .mounts()
            .as_ref()
            .unwrap()
            .iter()
            .map(|m| m.destination().to_string_lossy().into_owned())
            .collect();
        assert!(dests.contains(&"/tmp".to_string()));
        // Single-ID mapping: devpts without gid=5.
        let pts = spec
            .mounts()
            .as_ref()
            .unwrap()
            .iter()
            .find(|m| m.destination().to_string_lossy() == "/dev/pts")
            .unwrap();
        assert!(!pts
            .options()
            .as_ref()
            .unwrap()
            .contains(&"gid=5".to_string()));
        // cgroup v2 hosts: a private cgroup namespace and its read-only cgroup2 mount.
        s.cgroupns = true;
        let spec = build(Some(&img), &s, Some(&layers), "/r".into(), &files, &m).unwrap();
        let ns = spec.linux().as_ref().unwrap().namespaces().clone().unwrap();
        assert!(ns.iter().any(|n| n.typ() == LinuxNamespaceType::Cgroup));
        let cg = spec
            .mounts()
            .as_ref()
            .unwrap()
            .iter()
            .find(|m| m.destination().to_string_lossy() == "/sys/fs/cgroup");
        assert_eq!(cg.unwrap().typ().as_deref(), Some("cgroup2"));
        s.entrypoint = Some(vec![]);
        s.command = vec![];
        assert!(
            build(Some(&img), &s, Some(&layers), "/r".into(), &files, &m)
                .unwrap_err()
                .to_string()
                .contains("no command")
        );
    }
}
