//! Port forwarding without going through slirp (rootlesskit's "builtin" driver): rctr
//! listens on the host port itself, and joins each accepted connection to a socket connected
//! to the container's port *inside* its network namespace; the bytes then move between the
//! two with splice(2) through a pipe per direction, never copied through user space.
//! UDP the same way, datagram by datagram: a flow per client address, each with its own
//! socket connected to the container's port (slirp's own UDP forwarding answers from an
//! address the container may not reach without `allow_host_loopback`).
//!
//! Sockets of the container's namespace come from the helper in [`nssockets`].
use super::nssockets::{self, Kind, SocketMsg};
use super::ports::PortMapping;
use crate::wire::Channel;
use anyhow::{bail, Context as _};
use libc::pollfd;
use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, UdpSocket};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::process::Child;
use std::time::{Duration, Instant};

/// Sockets kept in stock, so an accepted connection rarely waits for the helper.
const STOCK_LOW: usize = 8;
const STOCK_BATCH: u32 = 16;
/// Connections accepted per listener and round (a flood cannot starve the rest).
const ACCEPTS_PER_ROUND: usize = 32;
/// Descriptors per open connection: two sockets and two pipes.
const FDS_PER_CONN: u64 = 6;
/// Pipe size per direction: fewer, larger splices for bulk transfers.
const PIPE_SIZE: libc::c_int = 1 << 20;

/// The host side of every published port, bound before the container starts (a port in
/// use fails the start, naming it).
#[derive(Default)]
pub struct Listeners {
    tcp: Vec<(TcpListener, u16)>,
    udp: Vec<(UdpSocket, u16)>,
}

impl Listeners {
    pub fn is_empty(&self) -> bool {
        self.tcp.is_empty() && self.udp.is_empty()
    }
}

pub fn bind_listeners(ports: &[PortMapping]) -> anyhow::Result<Listeners> {
    let mut out = Listeners::default();
    for m in ports {
        for (host, ctr) in m.pairs() {
            let addr = SocketAddrV4::new(m.host_addr(), host);
            let err = |e: std::io::Error| anyhow::anyhow!("{}", bind_error(&e, addr, &m.protocol));
            if m.is_udp() {
                let s = UdpSocket::bind(addr).map_err(err)?;
                s.set_nonblocking(true)?;
                out.udp.push((s, ctr));
            } else {
                let l = TcpListener::bind(addr).map_err(err)?;
                l.set_nonblocking(true)?;
                out.tcp.push((l, ctr));
            }
        }
    }
    Ok(out)
}

fn bind_error(e: &std::io::Error, addr: SocketAddrV4, proto: &str) -> String {
    match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "cannot publish port {}/{proto}: {addr} is already in use (`ss -lnp 'sport = :{}'` shows who holds it): choose another host port",
            addr.port(),
            addr.port()
        ),
        std::io::ErrorKind::PermissionDenied => format!(
            "cannot publish port {}/{proto}: binding {addr} needs privileges (net.ipv4.ip_unprivileged_port_start={})",
            addr.port(),
            super::ports::unprivileged_port_start()
        ),
        _ => format!("cannot publish port {}/{proto}: binding {addr}: {e}", addr.port()),
    }
}

/// One direction of a connection: `from` → pipe → `to`.
#[derive(Default)]
struct Dir {
    pipe: Option<(OwnedFd, OwnedFd)>,
    /// Bytes in the pipe not yet written to `to`.
    pending: usize,
    /// `from` reached EOF (and `to` was shut down for writing once the pipe drained).
    eof: bool,
    idx: Option<usize>,
}

struct Conn {
    client: OwnedFd,
    upstream: OwnedFd,
    connecting: bool,
    connect_idx: Option<usize>,
    dirs: [Dir; 2],
}

/// A UDP "connection": datagrams from `peer` to host socket `listener` go out on `up`
/// (connected to the container's port), and what comes back on `up` goes to `peer`.
struct Flow {
    listener: usize,
    peer: SocketAddr,
    up: OwnedFd,
    last: Instant,
    idx: Option<usize>,
}

/// A UDP flow without traffic for this long is closed (conntrack's default for UDP).
const UDP_IDLE: Duration = Duration::from_secs(60);
/// Datagrams held while the helper creates sockets for new flows.
const UDP_WAITING_MAX: usize = 256;

#[derive(Default)]
struct Stock {
    fds: Vec<OwnedFd>,
    /// Asked for and not yet received.
    outstanding: u32,
}

pub struct Forwarder {
    listeners: Vec<(TcpListener, u16, Option<usize>)>,
    udp: Vec<(UdpSocket, u16, Option<usize>)>,
    helper: Channel,
    child: Child,
    helper_idx: Option<usize>,
    tcp_stock: Stock,
    udp_stock: Stock,
    waiting: VecDeque<(OwnedFd, u16)>,
    udp_waiting: VecDeque<(usize, SocketAddr, Vec<u8>)>,
    conns: Vec<Conn>,
    flows: Vec<Flow>,
    /// Beyond this many open connections listeners are not polled (the kernel's backlog
    /// holds the rest), so accept never fails for want of descriptors (and never spins).
    max_conns: usize,
    buf: Vec<u8>,
}

/// Raise our soft descriptor limit to the hard one; the connections that then fit, with
/// room for the monitor's own descriptors.
fn connection_cap() -> usize {
    let mut rl = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid struct.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl) == 0 && rl.rlim_cur < rl.rlim_max {
            rl.rlim_cur = rl.rlim_max.min(1 << 20);
            libc::setrlimit(libc::RLIMIT_NOFILE, &rl);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut rl);
        }
    }
    (rl.rlim_cur.saturating_sub(128) / FDS_PER_CONN).max(8) as usize
}

impl Forwarder {
    /// Start the socket helper in the namespaces of `pid` (the container's PID 1) and serve
    /// `listeners`.
    pub fn start(listeners: Listeners, pid: i32) -> anyhow::Result<Forwarder> {
        let (helper, child) = nssockets::spawn(pid)?;
        let mut f = Forwarder {
            listeners: listeners
                .tcp
                .into_iter()
                .map(|(l, p)| (l, p, None))
                .collect(),
            udp: listeners
                .udp
                .into_iter()
                .map(|(l, p)| (l, p, None))
                .collect(),
            helper,
            child,
            helper_idx: None,
            tcp_stock: Stock::default(),
            udp_stock: Stock::default(),
            waiting: VecDeque::new(),
            udp_waiting: VecDeque::new(),
            conns: Vec::new(),
            flows: Vec::new(),
            max_conns: connection_cap(),
            buf: vec![0u8; 65536],
        };
        // The first batch now, so the first connection finds sockets (and a helper that
        // could not join the namespaces fails the start here).
        f.refill()?;
        f.receive()?;
        Ok(f)
    }

    /// Ask the helper for sockets of each kind in use whose stock runs low.
    fn refill(&mut self) -> anyhow::Result<()> {
        let kinds = [
            (Kind::Tcp, !self.listeners.is_empty(), &mut self.tcp_stock),
            (Kind::Udp, !self.udp.is_empty(), &mut self.udp_stock),
        ];
        for (kind, used, stock) in kinds {
            if used && stock.fds.len() + (stock.outstanding as usize) < STOCK_LOW {
                self.helper
                    .send(&SocketMsg::Want(kind, STOCK_BATCH))
                    .context("asking the port forwarder's helper for sockets")?;
                stock.outstanding += STOCK_BATCH;
            }
        }
        Ok(())
    }

    /// One message from the helper (blocking: called when it is readable, or at start).
    fn receive(&mut self) -> anyhow::Result<()> {
        match self.helper.recv_with_fds::<SocketMsg>() {
            Ok(Some((SocketMsg::Sockets(kind, _), fds))) => {
                let stock = match kind {
                    Kind::Tcp => &mut self.tcp_stock,
                    Kind::Udp => &mut self.udp_stock,
                };
                stock.outstanding = stock.outstanding.saturating_sub(fds.len() as u32);
                stock.fds.extend(fds);
                Ok(())
            }
            Ok(Some((SocketMsg::Failed(why), _))) => bail!("port forwarding: {why}"),
            Ok(Some((SocketMsg::Want(..), _))) => Ok(()),
            Ok(None) => bail!("port forwarding: the helper in the container's namespace exited"),
            Err(e) => bail!("port forwarding: {e}"),
        }
    }

    /// Before poll: the listeners (unless at the connection cap), the helper, and each
    /// connection's current interest; the next UDP flow expiry.
    pub fn prepare(&mut self, fds: &mut Vec<pollfd>) -> Option<Duration> {
        let mut push = |fd: RawFd, events: i16| {
            fds.push(pollfd {
                fd,
                events,
                revents: 0,
            });
            Some(fds.len() - 1)
        };
        let full = self.conns.len() + self.waiting.len() >= self.max_conns;
        for (l, _, idx) in &mut self.listeners {
            *idx = if full {
                None
            } else {
                push(l.as_raw_fd(), libc::POLLIN)
            };
        }
        for (u, _, idx) in &mut self.udp {
            *idx = push(u.as_raw_fd(), libc::POLLIN);
        }
        self.helper_idx = push(self.helper.as_raw_fd(), libc::POLLIN);
        for f in &mut self.flows {
            f.idx = push(f.up.as_raw_fd(), libc::POLLIN);
        }
        for c in &mut self.conns {
            c.connect_idx = None;
            c.dirs.iter_mut().for_each(|d| d.idx = None);
            if c.connecting {
                c.connect_idx = push(c.upstream.as_raw_fd(), libc::POLLOUT);
                continue;
            }
            let ends = [(&c.client, &c.upstream), (&c.upstream, &c.client)];
            for (d, (from, to)) in c.dirs.iter_mut().zip(ends) {
                if d.pending > 0 {
                    d.idx = push(to.as_raw_fd(), libc::POLLOUT);
                } else if !d.eof {
                    d.idx = push(from.as_raw_fd(), libc::POLLIN);
                }
            }
        }
        let oldest = self.flows.iter().map(|f| f.last).min()?;
        Some((oldest + UDP_IDLE).saturating_duration_since(Instant::now()))
    }

    pub fn dispatch(&mut self, fds: &[pollfd]) {
        let ready =
            |idx: Option<usize>| idx.and_then(|i| fds.get(i)).is_some_and(|p| p.revents != 0);
        if ready(self.helper_idx) && self.receive().is_err() {
            // The helper is gone (the container's namespace with it): no new connections.
            self.listeners.clear();
            self.udp.clear();
        }
        let accepted: Vec<(OwnedFd, u16)> = self
            .listeners
            .iter()
            .filter(|(_, _, idx)| ready(*idx))
            .flat_map(|(l, port, _)| accept_some(l).into_iter().map(move |fd| (fd, *port)))
            .collect();
        self.waiting.extend(accepted);
        self.connect_waiting();
        self.pump_conns(&ready);
        self.udp_round(&ready);
        let _ = self.refill();
    }

    fn pump_conns(&mut self, ready: &dyn Fn(Option<usize>) -> bool) {
        for c in &mut self.conns {
            if c.connecting {
                if ready(c.connect_idx) {
                    c.connecting = false;
                    if so_error(&c.upstream) != 0 {
                        c.dirs.iter_mut().for_each(|d| d.eof = true);
                    }
                }
                continue;
            }
            let ends = [(&c.client, &c.upstream), (&c.upstream, &c.client)];
            for (d, (from, to)) in c.dirs.iter_mut().zip(ends) {
                if ready(d.idx) && !pump(d, from, to) {
                    d.eof = true;
                    d.pending = 0;
                }
            }
        }
        // A connection is done when both directions are (or one failed hard).
        self.conns
            .retain(|c| c.connecting || !c.dirs.iter().all(|d| d.eof && d.pending == 0));
    }

    /// Give every waiting client a socket of the container's namespace and connect it.
    fn connect_waiting(&mut self) {
        while let Some((client, port)) = self.waiting.pop_front() {
            let Some(up) = self.tcp_stock.fds.pop() else {
                self.waiting.push_front((client, port));
                break;
            };
            match connect(&up, port) {
                Ok(connecting) => self.conns.push(Conn {
                    client,
                    upstream: up,
                    connecting,
                    connect_idx: None,
                    dirs: Default::default(),
                }),
                // Refused: nothing listens in the container; the client sees the close.
                Err(_) => drop(client),
            }
        }
    }

    /// Datagrams both ways, new flows for new peers, idle flows closed.
    fn udp_round(&mut self, ready: &dyn Fn(Option<usize>) -> bool) {
        for i in 0..self.udp.len() {
            if !ready(self.udp[i].2) {
                continue;
            }
            for _ in 0..ACCEPTS_PER_ROUND {
                let Ok((n, peer)) = self.udp[i].0.recv_from(&mut self.buf) else {
                    break;
                };
                if self.udp_waiting.len() < UDP_WAITING_MAX {
                    self.udp_waiting
                        .push_back((i, peer, self.buf[..n].to_vec()));
                }
            }
        }
        while let Some((i, peer, data)) = self.udp_waiting.pop_front() {
            let known = self
                .flows
                .iter()
                .position(|f| f.listener == i && f.peer == peer);
            let at = match known {
                Some(at) => at,
                None => {
                    let Some(up) = self.udp_stock.fds.pop() else {
                        self.udp_waiting.push_front((i, peer, data));
                        break;
                    };
                    if connect(&up, self.udp[i].1).is_err() {
                        continue;
                    }
                    self.flows.push(Flow {
                        listener: i,
                        peer,
                        up,
                        last: Instant::now(),
                        idx: None,
                    });
                    self.flows.len() - 1
                }
            };
            let f = &mut self.flows[at];
            f.last = Instant::now();
            // SAFETY: send from a valid buffer on our connected socket.
            unsafe { libc::send(f.up.as_raw_fd(), data.as_ptr().cast(), data.len(), 0) };
        }
        for f in &mut self.flows {
            if !ready(f.idx) {
                continue;
            }
            for _ in 0..ACCEPTS_PER_ROUND {
                // SAFETY: recv into our buffer.
                let n = unsafe {
                    libc::recv(
                        f.up.as_raw_fd(),
                        self.buf.as_mut_ptr().cast(),
                        self.buf.len(),
                        0,
                    )
                };
                if n < 0 {
                    break;
                }
                f.last = Instant::now();
                let _ = self.udp[f.listener]
                    .0
                    .send_to(&self.buf[..n as usize], f.peer);
            }
        }
        let now = Instant::now();
        self.flows.retain(|f| now.duration_since(f.last) < UDP_IDLE);
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn accept_some(l: &TcpListener) -> Vec<OwnedFd> {
    let mut out = Vec::new();
    for _ in 0..ACCEPTS_PER_ROUND {
        // SAFETY: accept4 on our listener; the fd is ours.
        let fd = unsafe {
            libc::accept4(
                l.as_raw_fd(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            )
        };
        if fd < 0 {
            break;
        }
        // SAFETY: fresh fd.
        out.push(unsafe { OwnedFd::from_raw_fd(fd) });
    }
    out
}

/// Start connecting `s` to the container's 127.0.0.1:`port`; Ok(true) while in progress.
fn connect(s: &OwnedFd, port: u16) -> std::io::Result<bool> {
    let sin = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr {
            s_addr: u32::from(Ipv4Addr::LOCALHOST).to_be(),
        },
        sin_zero: [0; 8],
    };
    // SAFETY: connect with a valid sockaddr_in.
    let r = unsafe {
        libc::connect(
            s.as_raw_fd(),
            (&sin as *const libc::sockaddr_in).cast(),
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
        )
    };
    if r == 0 {
        return Ok(false);
    }
    let e = std::io::Error::last_os_error();
    if e.raw_os_error() == Some(libc::EINPROGRESS) {
        return Ok(true);
    }
    Err(e)
}

fn so_error(s: &OwnedFd) -> i32 {
    let mut err: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: getsockopt into a c_int.
    unsafe {
        libc::getsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_ERROR,
            (&mut err as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    err
}

fn splice(from: RawFd, to: RawFd, len: usize) -> isize {
    // SAFETY: splice between fds we own; NULL offsets (pipes and sockets).
    unsafe {
        libc::splice(
            from,
            std::ptr::null_mut(),
            to,
            std::ptr::null_mut(),
            len,
            libc::SPLICE_F_MOVE | libc::SPLICE_F_NONBLOCK,
        )
    }
}

fn would_block(n: isize) -> bool {
    n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock
}

/// Move what is ready in direction `d`; false when the direction is finished for good
/// (an error, or EOF with the pipe drained and `to` shut down for writing).
fn pump(d: &mut Dir, from: &OwnedFd, to: &OwnedFd) -> bool {
    if d.pipe.is_none() {
        match nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC | nix::fcntl::OFlag::O_NONBLOCK) {
            Ok((r, w)) => {
                // SAFETY: fcntl on our pipe; a smaller pipe is fine if refused.
                unsafe { libc::fcntl(w.as_raw_fd(), libc::F_SETPIPE_SZ, PIPE_SIZE) };
                d.pipe = Some((r, w));
            }
            Err(_) => return false,
        }
    }
    let (r, w) = d.pipe.as_ref().expect("set above");
    if d.pending == 0 {
        let n = splice(from.as_raw_fd(), w.as_raw_fd(), PIPE_SIZE as usize);
        if would_block(n) {
            return true;
        }
        if n <= 0 {
            // EOF (or a reset): pass the half-close on, keep the other direction going.
            // SAFETY: shutdown of our socket.
            unsafe { libc::shutdown(to.as_raw_fd(), libc::SHUT_WR) };
            return false;
        }
        d.pending = n as usize;
    }
    while d.pending > 0 {
        let n = splice(r.as_raw_fd(), to.as_raw_fd(), d.pending);
        if would_block(n) {
            return true;
        }
        if n <= 0 {
            return false;
        }
        d.pending -= n as usize;
    }
    true
}
