//! Spec generation: an image's config ⊕ validated container settings → ONE OCI runtime spec
//! with podman's defaults (capabilities, seccomp, masked and read-only paths, mounts,
//! namespaces). The result is written to the container's bundle as `config.json`, so what
//! will run can be read before it runs; the executing half of `runtime` reads only that.
use super::settings::{Network, Settings};
use super::{caps, seccomp, Layers, ANN_COPY_UP, ANN_INIT, ANN_SECCOMP_CACHE, ANN_USER};
use anyhow::bail;
use oci_spec::image::Config as ImageConfig;
use oci_spec::runtime::{
    Capability, LinuxCapabilities, LinuxIdMapping, LinuxNamespace, LinuxNamespaceType, Mount,
    PosixRlimit, PosixRlimitType, Process, Root, Spec, User,
};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::str::FromStr;

/// podman's masked paths (containers/common pkg/config, podman 4.x).
pub const MASKED_PATHS: [&str; 11] = [
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/fs/selinux",
    "/sys/dev/block",
];

/// podman's read-only paths.
pub const READONLY_PATHS: [&str; 6] = [
    "/proc/asound",
    "/proc/bus",
    "/proc/fs",
    "/proc/irq",
    "/proc/sys",
    "/proc/sysrq-trigger",
];

const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

fn cap_set(names: &[&str]) -> HashSet<Capability> {
    names
        .iter()
        .filter_map(|n| Capability::from_str(n).ok())
        .collect()
}

/// Does `user` (a `-u` value) name root? Root gets the capability set in its effective and
/// permitted sets; any other user only in its bounding set, unless added with --cap-add.
fn is_root(user: &str) -> bool {
    let u = user.split(':').next().unwrap_or("");
    u.is_empty() || u == "0" || u == "root"
}

fn mount(dest: &str, typ: &str, src: &str, opts: &[&str]) -> Mount {
    let mut m = Mount::default();
    m.set_destination(PathBuf::from(dest));
    m.set_typ(Some(typ.to_string()));
    m.set_source(Some(PathBuf::from(src)));
    m.set_options(Some(opts.iter().map(|s| s.to_string()).collect()));
    m
}

/// The container's argv: entrypoint + (arguments | the image's Cmd); `--entrypoint`
/// discards the image's Cmd (podman and docker agree on this).
pub fn command(img: Option<&ImageConfig>, s: &Settings) -> anyhow::Result<Vec<String>> {
    let entrypoint = match &s.entrypoint {
        Some(e) => e.clone(),
        None => img.and_then(|c| c.entrypoint().clone()).unwrap_or_default(),
    };
    let cmd = if !s.command.is_empty() {
        s.command.clone()
    } else if s.entrypoint.is_some() {
        vec![]
    } else {
        img.and_then(|c| c.cmd().clone()).unwrap_or_default()
    };
    let args: Vec<String> = entrypoint.into_iter().chain(cmd).collect();
    if args.is_empty() {
        bail!("no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
    }
    Ok(args)
}

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
    layers: &Layers,
    rootfs: PathBuf,
    files: &BundleFiles,
    mapping: &crate::idmap::IdMapping,
) -> anyhow::Result<Spec> {
    let hostname = s
        .hostname
        .clone()
        .unwrap_or_else(|| s.id.chars().take(12).collect());
    let args = command(img, s)?;
    // Environment: image, then podman's additions, then -e (later wins).
    let mut env: Vec<String> = img.and_then(|c| c.env().clone()).unwrap_or_default();
    if !env.iter().any(|e| e.starts_with("PATH=")) {
        env.insert(0, DEFAULT_PATH.to_string());
    }
    let mut extra = vec![
        format!("HOSTNAME={hostname}"),
        "container=podman".to_string(),
    ];
    if s.tty {
        extra.push("TERM=xterm".into());
    }
    crate::runtime::env::merge(&mut env, extra.into_iter().chain(s.env.iter().cloned()));
    let user = s
        .user
        .clone()
        .or_else(|| img.and_then(|c| c.user().clone()))
        .unwrap_or_default();
    let cwd = s
        .workdir
        .clone()
        .or_else(|| img.and_then(|c| c.working_dir().clone()))
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| "/".into());
    if !cwd.starts_with('/') {
        bail!("the working directory {cwd:?} is not an absolute path");
    }

    let capset = caps::resolve(s.privileged, &s.cap_add, &s.cap_drop)?;
    let full = cap_set(&capset);
    let added: Vec<&str> = s
        .cap_add
        .iter()
        .filter_map(|c| caps::canonical(c))
        .filter(|c| capset.contains(c))
        .collect();
    let mut c = LinuxCapabilities::default();
    c.set_bounding(Some(full.clone()));
    // No inheritable set: podman's fix for CVE-2022-27649 (inheritable caps let a non-root
    // exec of a file with inheritable file capabilities gain them).
    c.set_inheritable(Some(HashSet::new()));
    if is_root(&user) {
        c.set_effective(Some(full.clone()));
        c.set_permitted(Some(full));
        c.set_ambient(Some(HashSet::new()));
    } else {
        let a = cap_set(&added);
        c.set_effective(Some(a.clone()));
        c.set_permitted(Some(a.clone()));
        c.set_ambient(Some(a));
    }

    let mut rlimits: Vec<PosixRlimit> = Vec::new();
    let mut push_rl = |typ: PosixRlimitType, soft: u64, hard: u64| {
        rlimits.retain(|r| r.typ() != typ);
        let r = oci_spec::runtime::PosixRlimitBuilder::default()
            .typ(typ)
            .soft(soft)
            .hard(hard)
            .build();
        rlimits.push(r.expect("all fields set"));
    };
    // podman rootless: the open-files limit is raised to the caller's hard limit.
    if let Ok((_, hard)) =
        nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
    {
        push_rl(PosixRlimitType::RlimitNofile, hard, hard);
    }
    for (t, soft, hard) in &s.ulimits {
        push_rl(*t, *soft, *hard);
    }

    let mut process = Process::default();
    process.set_terminal(Some(s.tty));
    if let (true, Some((rows, cols))) = (s.tty, s.console_size) {
        let b = oci_spec::runtime::BoxBuilder::default()
            .height(rows as u64)
            .width(cols as u64)
            .build();
        process.set_console_size(Some(b.expect("all fields set")));
    }
    let mut u = User::default();
    if let Some(n) = user.split(':').next().and_then(|x| x.parse::<u32>().ok()) {
        u.set_uid(n);
    }
    process.set_user(u);
    process.set_args(Some(args));
    process.set_env(Some(env));
    process.set_cwd(PathBuf::from(&cwd));
    process.set_capabilities(Some(c));
    process.set_rlimits(Some(rlimits));
    process.set_no_new_privileges(Some(s.no_new_privileges));

    let network = s.network.unwrap_or(Network::Private);
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
        Network::Private => mount(
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
        mounts.push(mount(&m.destination, &m.typ, &m.source, &opts));
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
        if !user_dests.contains(&dest) {
            mounts.push(mount(
                dest,
                "bind",
                &src.to_string_lossy(),
                &["bind", "rprivate"],
            ));
        }
    }
    let mut namespaces = Vec::new();
    for t in [
        LinuxNamespaceType::Pid,
        LinuxNamespaceType::Ipc,
        LinuxNamespaceType::Uts,
        LinuxNamespaceType::Mount,
        LinuxNamespaceType::User,
    ] {
        let mut ns = LinuxNamespace::default();
        ns.set_typ(t);
        namespaces.push(ns);
    }
    if s.cgroupns {
        let mut ns = LinuxNamespace::default();
        ns.set_typ(LinuxNamespaceType::Cgroup);
        namespaces.push(ns);
    }
    if network == Network::Private {
        let mut ns = LinuxNamespace::default();
        ns.set_typ(LinuxNamespaceType::Network);
        namespaces.push(ns);
    }
    let idmap = |m: &[crate::idmap::IdMap]| -> Vec<LinuxIdMapping> {
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
    };
    let mut linux = oci_spec::runtime::Linux::default();
    linux.set_resources(None);
    linux.set_namespaces(Some(namespaces));
    linux.set_uid_mappings(Some(idmap(&mapping.uid_map)));
    linux.set_gid_mappings(Some(idmap(&mapping.gid_map)));
    if s.privileged {
        linux.set_masked_paths(None);
        linux.set_readonly_paths(None);
    } else {
        linux.set_masked_paths(Some(MASKED_PATHS.iter().map(|s| s.to_string()).collect()));
        linux.set_readonly_paths(Some(READONLY_PATHS.iter().map(|s| s.to_string()).collect()));
    }
    if !s.privileged && !s.seccomp_unconfined {
        linux.set_seccomp(Some(seccomp::default_profile(&capset)));
    }
    if network == Network::Private {
        // podman's default_sysctls: unprivileged ICMP sockets for root of the container.
        linux.set_sysctl(Some(HashMap::from([(
            "net.ipv4.ping_group_range".to_string(),
            "0 0".to_string(),
        )])));
    } else {
        linux.set_sysctl(None);
    }

    let mut ann: HashMap<String, String> = s.annotations.iter().cloned().collect();
    layers.annotate(&mut ann);
    ann.insert(ANN_USER.to_string(), user);
    if !copy_up.is_empty() {
        ann.insert(ANN_COPY_UP.to_string(), serde_json::to_string(&copy_up)?);
    }
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

/// fuse-overlayfs `uidmapping`/`gidmapping` values (`underlying:presented:size`…) that show
/// the layers, owned per the store's mapping, with the owners the image meant, inside a
/// container mapped with `container` (`--userns=keep-id`). The mount program runs in the
/// container's namespace, where a host ID h reads as container⁻¹(h); the image calls h
/// store⁻¹(h).
pub fn shift_maps(
    store: &crate::idmap::IdMapping,
    container: &crate::idmap::IdMapping,
) -> (String, String) {
    fn compose(store: &[crate::idmap::IdMap], ctr: &[crate::idmap::IdMap]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        };
        let files = BundleFiles {
            hosts: "/b/hosts".into(),
            hostname: "/b/hostname".into(),
            resolv_conf: "/b/resolv.conf".into(),
            containerenv: "/b/.containerenv".into(),
        };
        let m = crate::idmap::IdMapping::single(1000, 1000);
        let spec = build(Some(&img), &s, &layers, "/r".into(), &files, &m).unwrap();
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
        let spec = build(Some(&img), &s, &layers, "/r".into(), &files, &m).unwrap();
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
        assert!(build(Some(&img), &s, &layers, "/r".into(), &files, &m)
            .unwrap_err()
            .to_string()
            .contains("no command"));
    }
}
