//! Writing a container's bundle: the per-container files podman bind-mounts (`/etc/hosts`,
//! `/etc/hostname`, `/etc/resolv.conf`, `/run/.containerenv`), the overlay's upper/work
//! directories, and `config.json` from [`build`](super::build).
use super::settings::{HostsBase, Network, Settings};
use super::BundleFiles;
use crate::idmap::IdMapping;
use crate::runtime::Layers;
use anyhow::Context as _;
use oci_spec::image::Config as ImageConfig;
use oci_spec::runtime::Spec;
use std::path::{Path, PathBuf};

/// What the container's root is made of.
#[derive(Debug, Clone)]
pub enum RootInput {
    /// Image layer directories, top-most first, under the container's writable layer.
    Layers(Vec<PathBuf>),
    /// A squashfs image file, mounted by `program` (squashfuse) under the writable layer.
    Squash { file: PathBuf, program: PathBuf },
    /// A directory used as it is (`--rootfs DIR`: the container writes to it).
    Dir(PathBuf),
}

/// What a bundle is made of besides the settings.
pub struct BundleInput<'a> {
    pub settings: &'a Settings,
    pub image_config: Option<&'a ImageConfig>,
    pub root: RootInput,
    pub mapping: &'a IdMapping,
    /// A FUSE overlay program instead of the kernel's overlay.
    pub mount_program: Option<PathBuf>,
    /// Whether the kernel's overlay takes `lowerdir+` (the caller's cached probe); `None`:
    /// the runtime finds out.
    pub lowerdir_append: Option<bool>,
    /// `(uidmapping, gidmapping)` for the mount program (keep-id).
    pub fuse_maps: Option<(String, String)>,
    /// fsync config.json (a container that outlives this command); `--rm` skips it.
    pub durable: bool,
}

/// What the container's `/etc/hosts` is made of.
pub struct Hosts<'a> {
    pub hostname: &'a str,
    pub name: &'a str,
    /// The base file's text (the host's /etc/hosts by default).
    pub base: &'a str,
    /// `--add-host` (name, address).
    pub extra: &'a [(String, String)],
    /// The container's own address (127.0.0.1 without a network device).
    pub own: Option<std::net::Ipv4Addr>,
    /// `host.containers.internal` (and `host.docker.internal`).
    pub internal: Option<std::net::IpAddr>,
}

/// `/etc/hosts` for the container, as podman writes it: the base file, localhost if it lacks
/// one, the `--add-host` entries, `host.containers.internal`, and the container's own name
/// on its address. A name the file already has is not added again (a base file may name the
/// container's hostname itself).
pub fn hosts_file(h: &Hosts<'_>) -> String {
    let mut s = String::new();
    let has_localhost = h.base.lines().any(|l| {
        let mut f = l.split_whitespace();
        f.next().is_some_and(|a| a == "127.0.0.1") && f.any(|n| n == "localhost")
    });
    if !has_localhost {
        s.push_str(
            "127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n",
        );
        s.push_str("::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n");
    }
    s.push_str(h.base);
    if !s.is_empty() && !s.ends_with('\n') {
        s.push('\n');
    }
    for (host, ip) in h.extra {
        s.push_str(&format!("{ip}\t{host}\n"));
    }
    let named = |text: &str, name: &str| {
        text.lines().any(|l| {
            let l = l.split('#').next().unwrap_or("");
            l.split_whitespace().skip(1).any(|n| n == name)
        })
    };
    if let Some(ip) = h
        .internal
        .filter(|_| !named(&s, "host.containers.internal"))
    {
        s.push_str(&format!(
            "{ip}\thost.containers.internal host.docker.internal\n"
        ));
    }
    if !named(&s, h.hostname) {
        let own = h.own.unwrap_or(std::net::Ipv4Addr::LOCALHOST);
        s.push_str(&format!("{own}\t{} {}\n", h.hostname, h.name));
    }
    s
}

/// `--dns`, `--dns-search`, `--dns-option` and the user-mode network's forwarder.
#[derive(Default)]
pub struct Dns<'a> {
    pub servers: &'a [String],
    pub search: &'a [String],
    pub options: &'a [String],
    pub forwarder: Option<std::net::Ipv4Addr>,
}

/// `/etc/resolv.conf`: the host's, minus loopback nameservers when the container has its own
/// network namespace (they would point at the container itself); `--dns`/`--dns-search`
/// replace the nameservers/search domains. With user-mode networking the nameserver is its
/// DNS `forwarder` (which relays to the host's resolvers, loopback ones included), unless
/// `--dns` names others.
pub fn resolv_conf(network: Network, host: &str, d: &Dns<'_>) -> String {
    let (dns, search) = (d.servers, d.search);
    let fwd = d
        .forwarder
        .filter(|_| dns.is_empty())
        .map(|a| a.to_string());
    let dns: &[String] = match &fwd {
        Some(f) => std::slice::from_ref(f),
        None => dns,
    };
    let mut out: String = host
        .lines()
        .filter(|l| {
            let mut f = l.split_whitespace();
            match f.next() {
                Some("nameserver") if !dns.is_empty() => false,
                Some("search") | Some("domain") if !search.is_empty() => false,
                Some("options") if !d.options.is_empty() => false,
                Some("nameserver") => {
                    network == Network::Host
                        || !f
                            .next()
                            .is_some_and(|a| a.starts_with("127.") || a == "::1")
                }
                _ => true,
            }
        })
        .map(|l| format!("{l}\n"))
        .collect();
    if !search.is_empty() {
        out.insert_str(0, &format!("search {}\n", search.join(" ")));
    }
    if !d.options.is_empty() {
        out.push_str(&format!("options {}\n", d.options.join(" ")));
    }
    for d in dns {
        out.push_str(&format!("nameserver {d}\n"));
    }
    out
}

/// The text of `rel` in the image (its top-most layer that has it as a file); empty if none.
fn image_file(lower: &[PathBuf], rel: &str) -> String {
    lower
        .iter()
        .map(|l| l.join(rel))
        .find(|p| p.is_file())
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default()
}

/// Create the bundle under `dir` (the container's directory; the spec goes to
/// `bundle_dir/config.json`) and return the spec written.
pub fn write(dir: &Path, bundle_dir: &Path, input: &BundleInput) -> anyhow::Result<Spec> {
    let s = input.settings;
    let userdata = dir.join("userdata");
    let overlay = dir.join("overlay");
    for d in [
        &userdata,
        &overlay,
        &overlay.join("diff"),
        &overlay.join("work"),
        &overlay.join("merged"),
    ] {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let files = BundleFiles {
        hosts: userdata.join("hosts"),
        hostname: userdata.join("hostname"),
        resolv_conf: userdata.join("resolv.conf"),
        containerenv: userdata.join(".containerenv"),
    };
    let network = s.network.unwrap_or(Network::Private);
    let hostname = s
        .hostname
        .clone()
        .unwrap_or_else(|| s.id.chars().take(12).collect());
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let containerenv = format!(
        "engine=\"rctr-{}\"\nname=\"{}\"\nid=\"{}\"\nimage=\"{}\"\nimageid=\"{}\"\nrootless=1\n",
        env!("CARGO_PKG_VERSION"),
        s.name,
        s.id,
        s.image_name,
        s.image_id
    );
    // A joined network's names and resolver are the other container's, as with podman.
    let shared = |f: &str| {
        let dir = s.joined_files.as_ref()?;
        std::fs::read_to_string(dir.join(f)).ok()
    };
    let hosts = shared("hosts").unwrap_or_else(|| {
        let base = match &s.hosts_base {
            HostsBase::Host => read("/etc/hosts"),
            HostsBase::Empty => String::new(),
            HostsBase::File(p) => std::fs::read_to_string(p).unwrap_or_default(),
            HostsBase::Image => match &input.root {
                RootInput::Layers(l) => image_file(l, "etc/hosts"),
                RootInput::Dir(d) => image_file(std::slice::from_ref(d), "etc/hosts"),
                RootInput::Squash { .. } => String::new(),
            },
        };
        hosts_file(&Hosts {
            hostname: &hostname,
            name: &s.name,
            base: &base,
            extra: &s.extra_hosts,
            own: s.tap.as_ref().map(|t| t.addr),
            internal: s.host_internal,
        })
    });
    let resolv = shared("resolv.conf").unwrap_or_else(|| {
        resolv_conf(
            network,
            &read("/etc/resolv.conf"),
            &Dns {
                servers: &s.dns_servers,
                search: &s.dns_search,
                options: &s.dns_options,
                forwarder: s.dns_forwarder,
            },
        )
    });
    for (p, text) in [
        (&files.hosts, hosts),
        (&files.hostname, format!("{hostname}\n")),
        (&files.resolv_conf, resolv),
        (&files.containerenv, containerenv),
    ] {
        std::fs::write(p, text).with_context(|| format!("writing {}", p.display()))?;
    }
    let (fuse_uidmapping, fuse_gidmapping) = match &input.fuse_maps {
        Some((u, g)) => (Some(u.clone()), Some(g.clone())),
        None => (None, None),
    };
    let (lower, squashfs) = match &input.root {
        RootInput::Layers(l) => (l.clone(), None),
        RootInput::Squash { file, program } => {
            let at = overlay.join("squash");
            std::fs::create_dir_all(&at).with_context(|| format!("creating {}", at.display()))?;
            let q = crate::runtime::SquashMount {
                file: file.clone(),
                at: at.clone(),
                program: program.clone(),
            };
            (vec![at], Some(q))
        }
        RootInput::Dir(_) => (vec![], None),
    };
    let layers = Layers {
        lower,
        upper: overlay.join("diff"),
        work: overlay.join("work"),
        mount_program: input.mount_program.clone(),
        lowerdir_append: input.lowerdir_append,
        fuse_uidmapping,
        fuse_gidmapping,
        squashfs,
    };
    let (layers, rootfs) = match &input.root {
        RootInput::Dir(d) => (None, d.clone()),
        _ => (Some(&layers), overlay.join("merged")),
    };
    let spec = super::build(input.image_config, s, layers, rootfs, &files, input.mapping)?;
    std::fs::create_dir_all(bundle_dir)?;
    let path = bundle_dir.join("config.json");
    if input.durable {
        crate::fsutil::atomic_write_json(&path, &spec)?;
    } else {
        // A --rm container's bundle is read once, by this very command: no fsync needed.
        let mut v = serde_json::to_vec_pretty(&spec)?;
        v.push(b'\n');
        std::fs::write(&path, v).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolv_conf_drops_loopback_for_private_networks() {
        let host = "search lan\nnameserver 127.0.0.53\nnameserver 10.0.0.1\nnameserver ::1\n";
        assert_eq!(
            resolv_conf(Network::Private, host, &Dns::default()),
            "search lan\nnameserver 10.0.0.1\n"
        );
        assert_eq!(resolv_conf(Network::Host, host, &Dns::default()), host);
        let d = resolv_conf(
            Network::Private,
            host,
            &Dns {
                servers: &["9.9.9.9".into()],
                search: &["x.org".into()],
                options: &["ndots:2".into()],
                forwarder: None,
            },
        );
        assert_eq!(d, "search x.org\noptions ndots:2\nnameserver 9.9.9.9\n");
    }

    #[test]
    fn hosts_has_localhost_and_the_container() {
        let h = |base: &str, extra: &[(String, String)], internal| {
            hosts_file(&Hosts {
                hostname: "abc",
                name: "web",
                base,
                extra,
                own: None,
                internal,
            })
        };
        let out = h("", &[], None);
        assert!(out.starts_with("127.0.0.1\tlocalhost"));
        assert!(out.ends_with("127.0.0.1\tabc web\n"));
        let extra = [("cache".to_string(), "10.0.0.9".to_string())];
        assert_eq!(
            h("127.0.0.1 localhost\n10.0.0.5 db\n", &extra, None),
            "127.0.0.1 localhost\n10.0.0.5 db\n10.0.0.9\tcache\n127.0.0.1\tabc web\n"
        );
        // A base file naming the hostname (after a comment too) and the internal host.
        let internal = Some("192.0.2.7".parse().unwrap());
        let out = h("127.0.0.1 localhost\n10.1.1.1 abc # me\n", &[], internal);
        assert_eq!(
            out,
            "127.0.0.1 localhost\n10.1.1.1 abc # me\n192.0.2.7\thost.containers.internal host.docker.internal\n"
        );
        let out = h("127.0.0.1 localhost\n#1.1.1.1 abc\n", &[], None);
        assert!(out.ends_with("127.0.0.1\tabc web\n"), "{out}");
    }
}
