//! `-p/--publish` as podman spells it, validated once: `[[IP:][HOSTPORT]:]CTRPORT[/PROTO]`,
//! ranges (`8000-8003:80-83`), a random host port when none is given.
use anyhow::{bail, Context as _};
use serde::{Deserialize, Serialize};
use std::net::Ipv4Addr;

/// One `-p` (a range of `range` consecutive ports), in podman's record shape.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortMapping {
    /// Empty: every address (0.0.0.0).
    pub host_ip: String,
    pub container_port: u16,
    pub host_port: u16,
    pub range: u16,
    /// `tcp` or `udp`.
    pub protocol: String,
}

impl PortMapping {
    pub fn is_udp(&self) -> bool {
        self.protocol == "udp"
    }

    /// The address the host side listens on.
    pub fn host_addr(&self) -> Ipv4Addr {
        self.host_ip.parse().unwrap_or(Ipv4Addr::UNSPECIFIED)
    }

    /// (host port, container port) for every port of the range.
    pub fn pairs(&self) -> impl Iterator<Item = (u16, u16)> + '_ {
        (0..self.range).map(move |i| (self.host_port + i, self.container_port + i))
    }
}

fn port_range(s: &str, what: &str, spec: &str) -> anyhow::Result<(u16, u16)> {
    let bad = || {
        format!("invalid -p {spec:?}: {what} {s:?} is not a port (1-65535) or a range (START-END)")
    };
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: u16 = a.parse().ok().filter(|p| *p > 0).with_context(bad)?;
    let b: u16 = b.parse().ok().filter(|p| *p > 0).with_context(bad)?;
    if b < a {
        bail!(bad());
    }
    Ok((a, b - a + 1))
}

/// Parse one `-p` value. A host port of 0 means "pick a free one" ([`assign_random`]).
pub fn parse_publish(spec: &str) -> anyhow::Result<PortMapping> {
    let (rest, protocol) = match spec.rsplit_once('/') {
        Some((r, p)) => (r, p),
        None => (spec, "tcp"),
    };
    if !matches!(protocol, "tcp" | "udp") {
        bail!("invalid -p {spec:?}: protocol {protocol:?} is not tcp or udp");
    }
    let parts: Vec<&str> = rest.split(':').collect();
    let (ip, host, ctr) = match parts[..] {
        [c] => ("", "", c),
        [h, c] => ("", h, c),
        [ip, h, c] => (ip, h, c),
        _ => bail!("invalid -p {spec:?}: expected [[IP:][HOSTPORT]:]CONTAINERPORT[/PROTOCOL] (IPv6 host addresses are not supported yet)"),
    };
    if !ip.is_empty() && ip.parse::<Ipv4Addr>().is_err() {
        bail!("invalid -p {spec:?}: {ip:?} is not an IPv4 address");
    }
    let (cport, crange) = port_range(ctr, "container port", spec)?;
    let (hport, hrange) = if host.is_empty() {
        if parts.len() == 2 {
            bail!("invalid -p {spec:?}: the host port before ':' is empty");
        }
        (0, crange)
    } else {
        port_range(host, "host port", spec)?
    };
    if hrange != crange {
        bail!(
            "invalid -p {spec:?}: the host range has {hrange} ports and the container range {crange}"
        );
    }
    if hport == 0 && crange > 1 {
        bail!("invalid -p {spec:?}: give the host ports for a range");
    }
    if u32::from(hport) + u32::from(hrange) > 65536 {
        bail!("invalid -p {spec:?}: the host range ends past 65535");
    }
    Ok(PortMapping {
        host_ip: ip.to_string(),
        container_port: cport,
        host_port: hport,
        range: crange,
        protocol: protocol.to_string(),
    })
}

/// The lowest port an unprivileged user may bind (`net.ipv4.ip_unprivileged_port_start`).
pub fn unprivileged_port_start() -> u16 {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1024)
}

/// Refuse host ports below the unprivileged start (we are not root on the host, whatever the
/// container thinks), naming the sysctl that decides it.
pub fn check_unprivileged(m: &PortMapping, start: u16, is_root: bool) -> anyhow::Result<()> {
    if !is_root && m.host_port != 0 && m.host_port < start {
        bail!(
            "host port {} is privileged: ports below {start} need root (net.ipv4.ip_unprivileged_port_start={start}); publish a port of {start} or more, e.g. -p {}:{}",
            m.host_port,
            u32::from(start).max(8000) + u32::from(m.host_port),
            m.container_port
        );
    }
    Ok(())
}

/// Pick a free host port for a mapping without one (podman does it at create time, so
/// `port` and `ps` can show it before the start).
pub fn assign_random(m: &mut PortMapping) -> anyhow::Result<()> {
    if m.host_port != 0 {
        return Ok(());
    }
    let addr = (m.host_addr(), 0);
    let port = if m.is_udp() {
        std::net::UdpSocket::bind(addr).and_then(|s| s.local_addr())
    } else {
        std::net::TcpListener::bind(addr).and_then(|s| s.local_addr())
    }
    .context("finding a free host port")?
    .port();
    m.host_port = port;
    Ok(())
}

/// `-P`: the image's `ExposedPorts` keys (`80/tcp`, `53/udp`, `8080`) on random host ports.
pub fn exposed(keys: &[String]) -> anyhow::Result<Vec<PortMapping>> {
    keys.iter()
        .map(|k| parse_publish(k).with_context(|| format!("the image exposes {k:?}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pm(ip: &str, h: u16, c: u16, range: u16, proto: &str) -> PortMapping {
        PortMapping {
            host_ip: ip.into(),
            container_port: c,
            host_port: h,
            range,
            protocol: proto.into(),
        }
    }

    #[test]
    fn podmans_forms() {
        assert_eq!(
            parse_publish("8080:80").unwrap(),
            pm("", 8080, 80, 1, "tcp")
        );
        assert_eq!(parse_publish("80").unwrap(), pm("", 0, 80, 1, "tcp"));
        assert_eq!(
            parse_publish("127.0.0.1:9000:90/udp").unwrap(),
            pm("127.0.0.1", 9000, 90, 1, "udp")
        );
        assert_eq!(
            parse_publish("127.0.0.1::90").unwrap(),
            pm("127.0.0.1", 0, 90, 1, "tcp")
        );
        assert_eq!(
            parse_publish("8000-8003:80-83").unwrap(),
            pm("", 8000, 80, 4, "tcp")
        );
        let p = parse_publish("8000-8001:80-81").unwrap();
        assert_eq!(p.pairs().collect::<Vec<_>>(), [(8000, 80), (8001, 81)]);
    }

    #[test]
    fn malformed_is_refused_with_the_reason() {
        for (bad, says) in [
            ("80:", "container port \"\""),
            ("a:b", "container port \"b\""),
            ("70000:80", "host port \"70000\""),
            ("1-3:1-2", "3 ports and the container range 2"),
            (":80", "host port before ':' is empty"),
            ("80/sctp", "protocol"),
            ("x:80:80", "not an IPv4 address"),
            ("0:80", "host port \"0\""),
            ("65535-65535:1-1", ""),
        ] {
            match parse_publish(bad) {
                Err(e) => assert!(e.to_string().contains(says), "{bad}: {e}"),
                Ok(p) => assert!(bad.starts_with("65535"), "{bad} parsed as {p:?}"),
            }
        }
    }

    #[test]
    fn privileged_ports_name_the_sysctl() {
        let e = check_unprivileged(&pm("", 80, 80, 1, "tcp"), 1024, false).unwrap_err();
        assert!(
            e.to_string()
                .contains("net.ipv4.ip_unprivileged_port_start=1024"),
            "{e}"
        );
        assert!(check_unprivileged(&pm("", 80, 80, 1, "tcp"), 1024, true).is_ok());
        assert!(check_unprivileged(&pm("", 8080, 80, 1, "tcp"), 1024, false).is_ok());
    }
}
