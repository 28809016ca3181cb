//! A TAP device inside the container's network namespace, configured with ioctls (the way
//! slirp4netns configures its `tap0`): the runtime's helper creates it right after it entered
//! the new namespaces, and hands the fd to the caller on the start channel. Whoever holds the
//! fd (the monitor's user-mode network stack) reads the frames the container sends and writes
//! the ones it receives. The runtime knows nothing of how the fd is used.
use anyhow::{bail, Context as _};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// The spec annotation asking the helper for a TAP device ([`TapRequest::to_annotation`]).
pub const ANN_TAP: &str = "run.rctr.tap";

/// The device to create, and its address: `tap0`, 10.0.2.100/24 via 10.0.2.2 by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TapRequest {
    pub name: String,
    pub mtu: u32,
    pub addr: Ipv4Addr,
    pub prefix: u8,
    /// The default route's next hop.
    pub gateway: Ipv4Addr,
    /// IPv6 too (`enable_ipv6`): the address (prefix 64) and the default route's next hop.
    pub ipv6: Option<(Ipv6Addr, Ipv6Addr)>,
}

/// The one IPv6 prefix length the device gets (slirp's virtual /64).
const V6_PREFIX: u32 = 64;

impl TapRequest {
    /// `NAME,MTU,ADDR/PREFIX,GATEWAY[,ADDR6/64,GATEWAY6]`.
    pub fn to_annotation(&self) -> String {
        let mut a = format!(
            "{},{},{}/{},{}",
            self.name, self.mtu, self.addr, self.prefix, self.gateway
        );
        if let Some((addr, gw)) = self.ipv6 {
            a.push_str(&format!(",{addr}/{V6_PREFIX},{gw}"));
        }
        a
    }

    pub fn from_annotation(s: &str) -> anyhow::Result<TapRequest> {
        let bad = || format!("malformed {ANN_TAP} annotation {s:?}");
        let fields: Vec<&str> = s.split(',').collect();
        let (name, mtu, cidr, gw, v6) = match fields[..] {
            [n, m, c, g] => (n, m, c, g, None),
            [n, m, c, g, c6, g6] => (n, m, c, g, Some((c6, g6))),
            _ => bail!(bad()),
        };
        let ipv6 = match v6 {
            Some((c6, g6)) => {
                let a6 = c6
                    .strip_suffix(&format!("/{V6_PREFIX}"))
                    .with_context(bad)?;
                Some((a6.parse().with_context(bad)?, g6.parse().with_context(bad)?))
            }
            None => None,
        };
        let (addr, prefix) = cidr.split_once('/').with_context(bad)?;
        let req = TapRequest {
            name: name.to_string(),
            mtu: mtu.parse().with_context(bad)?,
            addr: addr.parse().with_context(bad)?,
            prefix: prefix.parse().with_context(bad)?,
            gateway: gw.parse().with_context(bad)?,
            ipv6,
        };
        if req.name.is_empty() || req.name.len() >= libc::IFNAMSIZ || req.prefix > 32 {
            bail!(bad());
        }
        Ok(req)
    }
}

/// Where the kernel's TUN/TAP clone device lives.
pub const TUN_PATH: &str = "/dev/net/tun";

/// Create and configure `req`'s device in the current network namespace (which must be ours,
/// with CAP_NET_ADMIN over it): the fd is non-blocking and close-on-exec.
pub fn create(req: &TapRequest) -> anyhow::Result<OwnedFd> {
    let tun = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(TUN_PATH)
        .map_err(|e| {
            anyhow::Error::new(e).context(format!(
                "opening {TUN_PATH} for the container's network device (needed by the default \
                 slirp4netns network; --network none or host work without it)"
            ))
        })?;
    let mut ifr = ifreq(&req.name);
    ifr.ifr_ifru.ifru_flags = (libc::IFF_TAP | libc::IFF_NO_PI) as libc::c_short;
    // SAFETY: TUNSETIFF with a valid ifreq on the tun fd.
    if unsafe { libc::ioctl(tun.as_raw_fd(), libc::TUNSETIFF as _, &ifr) } < 0 {
        return Err(std::io::Error::last_os_error()).context(format!(
            "creating {} through {TUN_PATH} (it must be the kernel's TUN/TAP device; \
             --network none or host work without it)",
            req.name
        ));
    }
    // Persistent: closing the last fd then leaves the device alone, and it goes with the
    // namespace, in the kernel's own cleanup work. Without it the close unregisters the
    // device synchronously (an RCU grace period or two, 10-20 ms at the end of every run).
    // SAFETY: TUNSETPERSIST takes an integer argument.
    if unsafe {
        libc::ioctl(
            tun.as_raw_fd(),
            libc::TUNSETPERSIST as _,
            1 as libc::c_ulong,
        )
    } < 0
    {
        return Err(std::io::Error::last_os_error())
            .context(format!("making {} persistent", req.name));
    }
    let sock = inet_socket()?;
    let s = sock.as_raw_fd();
    let mut ifr = ifreq(&req.name);
    ifr.ifr_ifru.ifru_mtu = req.mtu as libc::c_int;
    ioctl(s, libc::SIOCSIFMTU, &ifr, "setting the MTU")?;
    let mut ifr = ifreq(&req.name);
    ifr.ifr_ifru.ifru_addr = sockaddr(req.addr);
    ioctl(s, libc::SIOCSIFADDR, &ifr, "setting the address")?;
    let mask = u32::MAX
        .checked_shl(32 - u32::from(req.prefix))
        .unwrap_or(0);
    let mut ifr = ifreq(&req.name);
    ifr.ifr_ifru.ifru_netmask = sockaddr(Ipv4Addr::from(mask));
    ioctl(s, libc::SIOCSIFNETMASK, &ifr, "setting the netmask")?;
    let mut ifr = ifreq(&req.name);
    ifr.ifr_ifru.ifru_flags = libc::IFF_UP as libc::c_short;
    ioctl(s, libc::SIOCSIFFLAGS, &ifr, "bringing it up")?;
    default_route(s, req)?;
    if let Some((addr, gw)) = req.ipv6 {
        ipv6_setup(&req.name, addr, gw)?;
    }
    Ok(OwnedFd::from(tun))
}

/// `ip -6 addr add ADDR/64 dev NAME` and `ip -6 route add default via GW`, with ioctls on an
/// AF_INET6 socket (as slirp4netns --enable-ipv6 configures it). Duplicate address detection
/// is off for the device first: nothing else is on this link, and DAD would hold the
/// address "tentative" (unusable) for the first second or two of the container's life.
fn ipv6_setup(name: &str, addr: Ipv6Addr, gw: Ipv6Addr) -> anyhow::Result<()> {
    // This process's network namespace is the container's: /proc/sys/net shows its own.
    let dad = format!("/proc/sys/net/ipv6/conf/{name}/accept_dad");
    std::fs::write(&dad, "0").with_context(|| {
        format!("writing {dad} (is IPv6 disabled on this host? enable_ipv6 needs it)")
    })?;
    // SAFETY: plain socket(2); the fd is ours.
    let s = unsafe { libc::socket(libc::AF_INET6, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if s < 0 {
        return Err(std::io::Error::last_os_error()).context("socket(AF_INET6)");
    }
    // SAFETY: fresh fd.
    let sock = unsafe { OwnedFd::from_raw_fd(s) };
    let mut ifr = ifreq(name);
    // SAFETY: SIOCGIFINDEX fills ifru_ifindex of a valid ifreq.
    if unsafe { libc::ioctl(sock.as_raw_fd(), libc::SIOCGIFINDEX as _, &mut ifr) } < 0 {
        return Err(std::io::Error::last_os_error()).context("finding the device's index");
    }
    // SAFETY: the union member SIOCGIFINDEX set.
    let index = unsafe { ifr.ifr_ifru.ifru_ifindex };
    let req = libc::in6_ifreq {
        ifr6_addr: in6(addr),
        ifr6_prefixlen: V6_PREFIX,
        ifr6_ifindex: index,
    };
    ioctl(
        sock.as_raw_fd(),
        libc::SIOCSIFADDR,
        &req,
        "setting the IPv6 address",
    )?;
    let rt = In6Rtmsg {
        dst: in6(Ipv6Addr::UNSPECIFIED),
        src: in6(Ipv6Addr::UNSPECIFIED),
        gateway: in6(gw),
        typ: 0,
        dst_len: 0,
        src_len: 0,
        metric: 1,
        info: 0,
        flags: (libc::RTF_UP | libc::RTF_GATEWAY) as u32,
        ifindex: index,
    };
    ioctl(
        sock.as_raw_fd(),
        libc::SIOCADDRT,
        &rt,
        "adding the IPv6 default route",
    )
}

/// The kernel's `struct in6_rtmsg` (libc's has private fields).
#[repr(C)]
struct In6Rtmsg {
    dst: libc::in6_addr,
    src: libc::in6_addr,
    gateway: libc::in6_addr,
    typ: u32,
    dst_len: u16,
    src_len: u16,
    metric: u32,
    info: libc::c_ulong,
    flags: u32,
    ifindex: libc::c_int,
}

fn in6(a: Ipv6Addr) -> libc::in6_addr {
    libc::in6_addr {
        s6_addr: a.octets(),
    }
}

use std::os::unix::fs::OpenOptionsExt;

fn inet_socket() -> anyhow::Result<OwnedFd> {
    // SAFETY: plain socket(2); the fd is ours.
    let s = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if s < 0 {
        return Err(std::io::Error::last_os_error()).context("socket(AF_INET)");
    }
    // SAFETY: fresh fd.
    Ok(unsafe { OwnedFd::from_raw_fd(s) })
}

fn ifreq(name: &str) -> libc::ifreq {
    // SAFETY: ifreq is plain data; all-zero is valid.
    let mut ifr: libc::ifreq = unsafe { std::mem::zeroed() };
    for (i, b) in name.bytes().take(libc::IFNAMSIZ - 1).enumerate() {
        ifr.ifr_name[i] = b as libc::c_char;
    }
    ifr
}

fn sockaddr(a: Ipv4Addr) -> libc::sockaddr {
    let sin = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: 0,
        sin_addr: libc::in_addr {
            s_addr: u32::from(a).to_be(),
        },
        sin_zero: [0; 8],
    };
    // SAFETY: sockaddr_in and sockaddr have the same size; this is how the ioctls take it.
    unsafe { std::mem::transmute::<libc::sockaddr_in, libc::sockaddr>(sin) }
}

fn ioctl<T>(s: i32, req: libc::c_ulong, arg: &T, what: &str) -> anyhow::Result<()> {
    // SAFETY: the caller passes the argument type `req` expects.
    if unsafe { libc::ioctl(s, req as _, arg as *const T) } < 0 {
        return Err(std::io::Error::last_os_error()).context(what.to_string());
    }
    Ok(())
}

/// `ip route add default via GATEWAY dev NAME`, with the old SIOCADDRT ioctl (no netlink
/// needed for one route).
fn default_route(s: i32, req: &TapRequest) -> anyhow::Result<()> {
    let mut dev: Vec<libc::c_char> = req.name.bytes().map(|b| b as libc::c_char).collect();
    dev.push(0);
    // SAFETY: rtentry is plain data; all-zero is valid.
    let mut rt: libc::rtentry = unsafe { std::mem::zeroed() };
    rt.rt_dst = sockaddr(Ipv4Addr::UNSPECIFIED);
    rt.rt_genmask = sockaddr(Ipv4Addr::UNSPECIFIED);
    rt.rt_gateway = sockaddr(req.gateway);
    rt.rt_flags = libc::RTF_UP | libc::RTF_GATEWAY;
    rt.rt_dev = dev.as_mut_ptr();
    ioctl(s, libc::SIOCADDRT, &rt, "adding the default route")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_round_trips_and_rejects_garbage() {
        let r = TapRequest {
            name: "tap0".into(),
            mtu: 65520,
            addr: Ipv4Addr::new(10, 0, 2, 100),
            prefix: 24,
            gateway: Ipv4Addr::new(10, 0, 2, 2),
            ipv6: None,
        };
        let a = r.to_annotation();
        assert_eq!(a, "tap0,65520,10.0.2.100/24,10.0.2.2");
        assert_eq!(TapRequest::from_annotation(&a).unwrap(), r);
        let r6 = TapRequest {
            ipv6: Some(("fd00::100".parse().unwrap(), "fd00::2".parse().unwrap())),
            ..r
        };
        let a = r6.to_annotation();
        assert_eq!(a, "tap0,65520,10.0.2.100/24,10.0.2.2,fd00::100/64,fd00::2");
        assert_eq!(TapRequest::from_annotation(&a).unwrap(), r6);
        for bad in [
            "",
            "tap0",
            "tap0,x,10.0.2.100/24,10.0.2.2",
            "tap0,1500,10.0.2.100/33,1.1.1.1",
            "tap0,1500,10.0.2.100/24,10.0.2.2,fd00::100/48,fd00::2",
        ] {
            assert!(TapRequest::from_annotation(bad).is_err(), "{bad}");
        }
    }
}
