//! The spec's mounts: podman's standard filesystems, `--read-only`'s tmpfs, the user's
//! volumes/binds/tmpfs (parents first), and the per-container files from the bundle.
use super::settings::{Network, Settings};
use super::BundleFiles;
use crate::idmap::IdMapping;
use oci_spec::runtime::Mount;
use std::path::PathBuf;

pub(super) fn mount(dest: &str, typ: &str, src: &str, opts: &[&str]) -> Mount {
    let mut m = Mount::default();
    m.set_destination(PathBuf::from(dest));
    m.set_typ(Some(typ.to_string()));
    m.set_source(Some(PathBuf::from(src)));
    m.set_options(Some(opts.iter().map(|s| s.to_string()).collect()));
    m
}

/// /proc, /dev, /dev/pts, /dev/mqueue, /sys, /dev/shm (and a read-only cgroup2 with a
/// private cgroup namespace).
fn standard(s: &Settings, mapping: &IdMapping, network: Network) -> Vec<Mount> {
    let mut mounts = vec![
        mount("/proc", "proc", "proc", &["nosuid", "noexec", "nodev"]),
        mount(
            "/dev",
            "tmpfs",
            "tmpfs",
            &["nosuid", "strictatime", "mode=755", "size=65536k"],
        ),
    ];
    let mut pts = vec![
        "nosuid",
        "noexec",
        "newinstance",
        "ptmxmode=0666",
        "mode=0620",
    ];
    if mapping.host_gid(5).is_some() {
        pts.push("gid=5"); // the image's tty group, when the mapping has it
    }
    mounts.push(mount("/dev/pts", "devpts", "devpts", &pts));
    mounts.push(mount(
        "/dev/mqueue",
        "mqueue",
        "mqueue",
        &["nosuid", "noexec", "nodev"],
    ));
    mounts.push(match network {
        // A joined namespace is owned by the joined user namespace, ours too: sysfs mounts.
        Network::Private | Network::Joined => mount(
            "/sys",
            "sysfs",
            "sysfs",
            &["nosuid", "noexec", "nodev", "ro"],
        ),
        Network::Host => mount(
            "/sys",
            "bind",
            "/sys",
            &["rbind", "nosuid", "noexec", "nodev", "ro"],
        ),
    });
    mounts.push(mount(
        "/dev/shm",
        "tmpfs",
        "shm",
        &["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"],
    ));
    if s.cgroupns {
        // The container's own cgroup (its namespace root), read-only: nothing is delegated.
        mounts.push(mount(
            "/sys/fs/cgroup",
            "cgroup2",
            "cgroup2",
            &["nosuid", "noexec", "nodev", "ro"],
        ));
    }
    mounts
}

/// Every mount of the spec, and the destinations whose volume is initialised from the image.
pub(super) fn mounts(
    s: &Settings,
    mapping: &IdMapping,
    network: Network,
    files: &BundleFiles,
) -> (Vec<Mount>, Vec<String>) {
    let mut mounts = standard(s, mapping, network);
    let user_dests: Vec<&str> = s.mounts.iter().map(|m| m.destination.as_str()).collect();
    if s.read_only && s.read_only_tmpfs {
        for d in ["/run", "/tmp", "/var/tmp"] {
            if !user_dests.contains(&d) {
                mounts.push(mount(
                    d,
                    "tmpfs",
                    "tmpfs",
                    &["rw", "rprivate", "nosuid", "nodev"],
                ));
            }
        }
    }
    // Parents before children: podman sorts user mounts by depth.
    let mut user_mounts = s.mounts.clone();
    user_mounts.sort_by_key(|m| m.destination.trim_end_matches('/').matches('/').count());
    let mut copy_up = Vec::new();
    for m in &user_mounts {
        mounts.retain(|x| x.destination().to_string_lossy() != m.destination);
        let opts: Vec<&str> = m.options.iter().map(|s| s.as_str()).collect();
        mounts.push(mount(&m.destination, m.typ.as_str(), &m.source, &opts));
        if m.copy_up {
            copy_up.push(m.destination.clone());
        }
    }
    // The per-container files go on top of the user's mounts (a volume on /etc keeps them),
    // unless the user mounted that very path.
    for (dest, src) in [
        ("/etc/hosts", &files.hosts),
        ("/etc/hostname", &files.hostname),
        ("/etc/resolv.conf", &files.resolv_conf),
        ("/run/.containerenv", &files.containerenv),
    ] {
        // `--no-hosts`: the image's own /etc/hosts stays.
        let skip = user_dests.contains(&dest) || (s.no_hosts && dest == "/etc/hosts");
        if !skip {
            mounts.push(mount(
                dest,
                "bind",
                &src.to_string_lossy(),
                &["bind", "rprivate"],
            ));
        }
    }
    (mounts, copy_up)
}
