//! Container networking: the user's choice (`--network`, typed and validated once), and the
//! user-mode stack that runs inside the container's monitor ([`slirp`]).
//!
//! Below the engine and beside `container`/`monitor`: it knows nothing of images, stores or
//! flags; the runtime only creates the TAP device it is asked for (`runtime::netdev`).
pub mod forward;
pub mod nssockets;
pub mod pasta;
pub mod ports;
pub mod slirp;

use crate::runtime::netdev::TapRequest;
use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// podman's default MTU for slirp4netns (as large as the loopback's, for throughput).
pub const DEFAULT_MTU: u32 = 65520;
/// The container's address in the virtual network (podman's with slirp4netns): `.100`.
pub const GUEST_HOST_PART: u32 = 100;
pub const TAP_NAME: &str = "tap0";
/// Rootless podman's default network mode, and rctr's.
pub const DEFAULT_MODE: &str = "slirp4netns";

/// How a container is networked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    /// Its own namespace with only `lo` (`--network none`).
    #[default]
    None,
    /// The host's namespace (`--network host`).
    Host,
    /// Its own namespace with `tap0` behind libslirp in the monitor (`--network slirp4netns`).
    Slirp4netns(SlirpSettings),
    /// Its own namespace connected by pasta (`--network pasta[:OPTIONS]`, pasta's own
    /// options, comma-separated as podman takes them).
    Pasta(Vec<String>),
    /// Another container's network namespace (`--network container:NAME|ID`), joined with
    /// its user namespace when this container starts; that container must be running.
    Container(String),
}

/// `--network slirp4netns:OPTIONS` (podman's option names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlirpSettings {
    pub mtu: u32,
    /// The virtual network's base address and prefix (`cidr=10.0.2.0/24`).
    pub network: Ipv4Addr,
    pub prefix: u8,
    pub allow_host_loopback: bool,
    pub enable_ipv6: bool,
}

impl Default for SlirpSettings {
    fn default() -> Self {
        SlirpSettings {
            mtu: DEFAULT_MTU,
            network: Ipv4Addr::new(10, 0, 2, 0),
            prefix: 24,
            allow_host_loopback: false,
            enable_ipv6: false,
        }
    }
}

impl SlirpSettings {
    pub fn gateway(&self) -> Ipv4Addr {
        slirp::host_in(self.network, 2)
    }
    pub fn dns(&self) -> Ipv4Addr {
        slirp::host_in(self.network, 3)
    }
    pub fn guest(&self) -> Ipv4Addr {
        slirp::host_in(self.network, GUEST_HOST_PART)
    }

    /// The device the runtime creates in the container's namespace.
    pub fn tap(&self) -> TapRequest {
        TapRequest {
            name: TAP_NAME.to_string(),
            mtu: self.mtu,
            addr: self.guest(),
            prefix: self.prefix,
            gateway: self.gateway(),
            ipv6: self.enable_ipv6.then(|| {
                let a = |last| std::net::Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, last);
                // slirp4netns' spelling: fd00::100 (hex), gateway fd00::2.
                (a(0x100), a(2))
            }),
        }
    }

    /// What the monitor's stack is built with.
    pub fn stack(&self) -> slirp::Options {
        slirp::Options {
            network: self.network,
            prefix: self.prefix,
            mtu: self.mtu,
            allow_host_loopback: self.allow_host_loopback,
            enable_ipv6: self.enable_ipv6,
        }
    }

    fn set(&mut self, key: &str, value: &str) -> anyhow::Result<()> {
        let flag = |v: &str| match v {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => bail!("slirp4netns option {key}={v:?}: expected true or false"),
        };
        match key {
            "mtu" => {
                let mtu: u32 = value
                    .parse()
                    .ok()
                    .filter(|m| (68..=65521).contains(m))
                    .with_context(|| {
                        format!("slirp4netns option mtu={value:?}: expected a number from 68 to 65521")
                    })?;
                self.mtu = mtu;
            }
            "cidr" => {
                let bad = || format!("slirp4netns option cidr={value:?}: expected an IPv4 network such as 10.0.2.0/24 (prefix 8 to 25)");
                let (a, p) = value.split_once('/').with_context(bad)?;
                let (a, p): (Ipv4Addr, u8) = (a.parse().ok().with_context(bad)?, p.parse().ok().with_context(bad)?);
                if !(8..=25).contains(&p) {
                    bail!(bad());
                }
                let mask = u32::MAX << (32 - u32::from(p));
                self.network = Ipv4Addr::from(u32::from(a) & mask);
                self.prefix = p;
            }
            "allow_host_loopback" => self.allow_host_loopback = flag(value)?,
            "enable_ipv6" => self.enable_ipv6 = flag(value)?,
            // Accepted as podman does; rctr's stack always behaves this way.
            "port_handler" | "outbound_addr" | "outbound_addr6" => {}
            _ => bail!(
                "unknown slirp4netns option {key:?}: rctr knows mtu, cidr, allow_host_loopback, enable_ipv6"
            ),
        }
        Ok(())
    }
}

/// The host's first IPv4 address that is up and not loopback, in the kernel's order (the
/// one `hostname -I` prints first): what podman names `host.containers.internal` when the
/// host's loopback is closed to the container (the host's own address is still reachable
/// through slirp, as any outside address is).
pub fn host_address() -> Option<Ipv4Addr> {
    use nix::net::if_::InterfaceFlags;
    nix::ifaddrs::getifaddrs().ok()?.find_map(|i| {
        let up = i.flags.contains(InterfaceFlags::IFF_UP)
            && !i.flags.contains(InterfaceFlags::IFF_LOOPBACK);
        let a = i.address?.as_sockaddr_in()?.ip();
        (up && !a.is_loopback()).then_some(a)
    })
}

impl Choice {
    /// `--network` as podman spells it: `none`, `host`, `slirp4netns[:k=v,…]` (`slirp` too).
    pub fn parse(s: &str) -> anyhow::Result<Choice> {
        let (mode, opts) = match s.split_once(':') {
            Some((m, o)) => (m, Some(o)),
            None => (s, None),
        };
        let choice = match mode {
            "none" => Choice::None,
            "host" => Choice::Host,
            "slirp4netns" | "slirp" | "private" => {
                let mut st = SlirpSettings::default();
                for kv in opts.unwrap_or("").split(',').filter(|o| !o.is_empty()) {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, "true"));
                    st.set(k, v)?;
                }
                return Ok(Choice::Slirp4netns(st));
            }
            "pasta" => {
                let opts = opts.unwrap_or("").split(',').filter(|o| !o.is_empty());
                return Ok(Choice::Pasta(opts.map(str::to_string).collect()));
            }
            "bridge" | "ns" => bail!(
                "network mode {mode:?} is not supported yet: use --network slirp4netns (the default), pasta, container:NAME, none or host"
            ),
            "container" => {
                let name = opts.unwrap_or("");
                if name.is_empty() {
                    bail!("network mode \"container\" needs a container: --network container:NAME|ID");
                }
                return Ok(Choice::Container(name.to_string()));
            }
            _ => bail!(
                "unknown network mode {s:?}: use slirp4netns[:OPTIONS], pasta[:OPTIONS], container:NAME, none or host"
            ),
        };
        if opts.is_some() {
            bail!("network mode {mode:?} takes no options (got {s:?})");
        }
        Ok(choice)
    }

    /// Does the container get a network namespace of its own (not the host's, not another
    /// container's)?
    pub fn own_namespace(&self) -> bool {
        !matches!(self, Choice::Host | Choice::Container(_))
    }

    pub fn slirp(&self) -> Option<&SlirpSettings> {
        match self {
            Choice::Slirp4netns(s) => Some(s),
            _ => None,
        }
    }

    /// podman's `NetworkMode` string.
    pub fn mode_name(&self) -> &'static str {
        match self {
            Choice::None => "none",
            Choice::Host => "host",
            Choice::Slirp4netns(_) => "slirp4netns",
            Choice::Pasta(_) => "pasta",
            Choice::Container(_) => "container",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_podman_spellings() {
        assert_eq!(Choice::parse("none").unwrap(), Choice::None);
        assert_eq!(Choice::parse("host").unwrap(), Choice::Host);
        let Choice::Slirp4netns(s) =
            Choice::parse("slirp4netns:mtu=1500,allow_host_loopback=true,cidr=10.5.0.7/16")
                .unwrap()
        else {
            panic!()
        };
        assert_eq!(s.mtu, 1500);
        assert!(s.allow_host_loopback);
        assert_eq!(s.network, Ipv4Addr::new(10, 5, 0, 0));
        assert_eq!(s.guest(), Ipv4Addr::new(10, 5, 0, 100));
        assert_eq!(s.gateway(), Ipv4Addr::new(10, 5, 0, 2));
        assert_eq!(
            Choice::parse("container:web").unwrap(),
            Choice::Container("web".into())
        );
        assert_eq!(
            Choice::parse("slirp").unwrap(),
            Choice::Slirp4netns(SlirpSettings::default())
        );
    }

    #[test]
    fn rejects_bad_modes_and_options() {
        for (bad, says) in [
            ("bogus", "unknown network mode"),
            ("host:x=1", "takes no options"),
            ("slirp4netns:mtu=70000", "mtu"),
            ("slirp4netns:cidr=10.0.2.0/30", "cidr"),
            ("slirp4netns:allow_host_loopback=yes", "true or false"),
            ("slirp4netns:frob=1", "unknown slirp4netns option"),
            ("bridge", "not supported yet"),
            ("container:", "needs a container"),
        ] {
            let e = Choice::parse(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
