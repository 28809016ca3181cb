//! The spec's namespaces, ID mappings and namespace-scoped sysctls; the fuse-overlayfs
//! shift for `--userns=keep-id`.
use super::settings::{Network, Settings};
use crate::idmap::{IdMap, IdMapping};
use oci_spec::runtime::{Linux, LinuxIdMapping, LinuxNamespace, LinuxNamespaceType};
use std::collections::HashMap;

/// pid, ipc, uts, mount, user always; cgroup on cgroup v2 hosts; network unless `host`
/// (for a joined one, without a path until [`join`] names it: a start that missed it would
/// get a namespace of its own, never the host's).
fn namespaces(s: &Settings, network: Network) -> Vec<LinuxNamespace> {
    let mut types = vec![
        LinuxNamespaceType::Pid,
        LinuxNamespaceType::Ipc,
        LinuxNamespaceType::Uts,
        LinuxNamespaceType::Mount,
        LinuxNamespaceType::User,
    ];
    if s.cgroupns {
        types.push(LinuxNamespaceType::Cgroup);
    }
    if network != Network::Host {
        types.push(LinuxNamespaceType::Network);
    }
    types
        .into_iter()
        .map(|t| {
            let mut ns = LinuxNamespace::default();
            ns.set_typ(t);
            ns
        })
        .collect()
}

fn idmap(m: &[IdMap]) -> Vec<LinuxIdMapping> {
    m.iter()
        .map(|x| {
            oci_spec::runtime::LinuxIdMappingBuilder::default()
                .container_id(x.container_id)
                .host_id(x.host_id)
                .size(x.size)
                .build()
                .expect("all fields set")
        })
        .collect()
}

/// The spec's `linux` section without the security parts (see `security::confine`).
pub(super) fn linux(s: &Settings, mapping: &IdMapping, network: Network) -> Linux {
    let mut linux = Linux::default();
    linux.set_resources(None);
    linux.set_namespaces(Some(namespaces(s, network)));
    linux.set_uid_mappings(Some(idmap(&mapping.uid_map)));
    linux.set_gid_mappings(Some(idmap(&mapping.gid_map)));
    if network == Network::Private {
        // podman's default_sysctls: unprivileged ICMP sockets for root of the container.
        linux.set_sysctl(Some(HashMap::from([(
            "net.ipv4.ping_group_range".to_string(),
            "0 0".to_string(),
        )])));
    } else {
        linux.set_sysctl(None);
    }
    linux
}

/// Point `spec`'s user and network namespaces at those of the running process `pid` (the
/// PID 1 of the container whose network is joined): done at each start, as that PID changes.
pub fn join(spec: &mut oci_spec::runtime::Spec, pid: i32) {
    let Some(linux) = spec.linux_mut() else {
        return;
    };
    let mut list = linux.namespaces().clone().unwrap_or_default();
    for (t, file) in [
        (LinuxNamespaceType::User, "user"),
        (LinuxNamespaceType::Network, "net"),
    ] {
        let path = std::path::PathBuf::from(format!("/proc/{pid}/ns/{file}"));
        match list.iter_mut().find(|n| n.typ() == t) {
            Some(n) => {
                n.set_path(Some(path));
            }
            None => {
                let mut n = LinuxNamespace::default();
                n.set_typ(t);
                n.set_path(Some(path));
                list.push(n);
            }
        }
    }
    linux.set_namespaces(Some(list));
}

/// fuse-overlayfs `uidmapping`/`gidmapping` values (`underlying:presented:size`…) that show
/// the layers, owned per the store's mapping, with the owners the image meant, inside a
/// container mapped with `container` (`--userns=keep-id`). The mount program runs in the
/// container's namespace, where a host ID h reads as container⁻¹(h); the image calls h
/// store⁻¹(h).
pub fn shift_maps(store: &IdMapping, container: &IdMapping) -> (String, String) {
    fn compose(store: &[IdMap], ctr: &[IdMap]) -> String {
        let mut out = Vec::new();
        for c in ctr {
            for s in store {
                let lo = c.host_id.max(s.host_id) as u64;
                let hi = (c.host_id as u64 + c.size as u64).min(s.host_id as u64 + s.size as u64);
                if lo < hi {
                    let presented = s.container_id as u64 + (lo - s.host_id as u64);
                    let underlying = c.container_id as u64 + (lo - c.host_id as u64);
                    // fuse-overlayfs reads each triple as "on-disk (its own view):shown:count".
                    out.push(format!("{underlying}:{presented}:{}", hi - lo));
                }
            }
        }
        out.join(":")
    }
    (
        compose(&store.uid_map, &container.uid_map),
        compose(&store.gid_map, &container.gid_map),
    )
}
