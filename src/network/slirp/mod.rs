//! libslirp as a user-mode network stack for one container: frames the container sends on
//! its TAP device go into `slirp_input`, frames libslirp emits (`send_packet`) are written
//! back to the TAP fd, and libslirp's sockets on the host side are polled by the caller's
//! event loop through [`Stack::prepare`] / [`Stack::dispatch`].
//!
//! libslirp is not thread-safe and calls back synchronously: `send_packet` runs inside
//! `slirp_input` and `slirp_pollfds_poll`, so the callbacks here never call libslirp, and
//! none lets a Rust panic unwind into C (each body runs under `catch_unwind`; a panic
//! aborts the process, which the monitor's parent sees as a crash). One `Stack` per thread.
pub mod ffi;

use ffi::{Lib, SlirpCb, SlirpConfig, SlirpTimerCb};
use libc::{c_char, c_int, c_void, pollfd};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

/// What the stack looks like from the container (podman's slirp4netns defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The virtual network, e.g. 10.0.2.0/24: the gateway (the host) is .2, DNS .3.
    pub network: Ipv4Addr,
    pub prefix: u8,
    pub mtu: u32,
    /// Let the container reach the host's 127.0.0.1 through the gateway address.
    pub allow_host_loopback: bool,
    /// fd00::/64, the host at fd00::2, DNS at fd00::3.
    pub enable_ipv6: bool,
}

/// Frames read from the TAP device per readiness report, so one busy direction cannot
/// starve libslirp's sockets (and the rest of the monitor's loop).
const FRAMES_PER_ROUND: usize = 64;

struct Timer {
    cb: SlirpTimerCb,
    cb_opaque: *mut c_void,
    /// Milliseconds on [`Inner::clock_ms`]'s clock; `None` when not armed.
    expire_ms: Option<i64>,
}

/// What libslirp's callbacks reach through their `opaque` pointer (boxed: its address must
/// not move while the `Slirp` lives).
struct Inner {
    tap: OwnedFd,
    base: Instant,
    timers: Vec<*mut Timer>,
    /// Set while `slirp_pollfds_fill` runs: where its fds go.
    fill: *mut Vec<pollfd>,
    /// Set while `slirp_pollfds_poll` runs: the poll results.
    polled: *const [pollfd],
}

impl Inner {
    fn clock_ns(&self) -> i64 {
        self.base.elapsed().as_nanos() as i64
    }
}

pub struct Stack {
    lib: &'static Lib,
    slirp: *mut ffi::Slirp,
    inner: Box<Inner>,
    buf: Vec<u8>,
    /// Index of the TAP fd in the last `prepare`'s vector.
    tap_idx: usize,
}

fn in_addr(a: Ipv4Addr) -> libc::in_addr {
    libc::in_addr {
        s_addr: u32::from(a).to_be(),
    }
}

fn in6_addr(a: Ipv6Addr) -> libc::in6_addr {
    libc::in6_addr {
        s6_addr: a.octets(),
    }
}

/// The `n`th address of `net` (the gateway is 2, the DNS forwarder 3).
pub fn host_in(net: Ipv4Addr, n: u32) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(net) + n)
}

impl Stack {
    /// A stack for the container behind `tap` (non-blocking).
    pub fn new(opts: &Options, tap: OwnedFd) -> anyhow::Result<Stack> {
        let lib = Lib::load().map_err(|e| anyhow::anyhow!(e))?;
        let mask = u32::MAX
            .checked_shl(32 - u32::from(opts.prefix))
            .unwrap_or(0);
        let v6 = |last: u16| Ipv6Addr::new(0xfd00, 0, 0, 0, 0, 0, 0, last);
        let cfg = SlirpConfig {
            version: ffi::CONFIG_VERSION,
            restricted: 0,
            in_enabled: true,
            vnetwork: in_addr(opts.network),
            vnetmask: in_addr(Ipv4Addr::from(mask)),
            vhost: in_addr(host_in(opts.network, 2)),
            in6_enabled: opts.enable_ipv6,
            vprefix_addr6: in6_addr(v6(0)),
            vprefix_len: 64,
            vhost6: in6_addr(v6(2)),
            vhostname: std::ptr::null(),
            tftp_server_name: std::ptr::null(),
            tftp_path: std::ptr::null(),
            bootfile: std::ptr::null(),
            vdhcp_start: in_addr(host_in(opts.network, 15)),
            vnameserver: in_addr(host_in(opts.network, 3)),
            vnameserver6: in6_addr(v6(3)),
            vdnssearch: std::ptr::null(),
            vdomainname: std::ptr::null(),
            if_mtu: opts.mtu as usize,
            if_mru: opts.mtu as usize,
            disable_host_loopback: !opts.allow_host_loopback,
            enable_emu: false,
            outbound_addr: std::ptr::null(),
            outbound_addr6: std::ptr::null(),
            disable_dns: false,
            disable_dhcp: false,
        };
        let mut inner = Box::new(Inner {
            tap,
            base: Instant::now(),
            timers: Vec::new(),
            fill: std::ptr::null_mut(),
            polled: std::ptr::slice_from_raw_parts(std::ptr::null(), 0),
        });
        let opaque: *mut Inner = &mut *inner;
        // SAFETY: cfg and CALLBACKS outlive the call (libslirp copies what it keeps);
        // `opaque` stays valid for the Slirp's life (boxed, dropped after slirp_cleanup).
        let slirp = unsafe { (lib.new)(&cfg, &CALLBACKS, opaque.cast()) };
        if slirp.is_null() {
            anyhow::bail!("libslirp refused the network configuration ({opts:?})");
        }
        Ok(Stack {
            lib,
            slirp,
            inner,
            // One frame of the largest MTU plus its Ethernet header.
            buf: vec![0u8; opts.mtu as usize + 14],
            tap_idx: 0,
        })
    }

    /// libslirp's version string (for `--log-level debug` and `info`).
    pub fn version(&self) -> String {
        // SAFETY: a static C string.
        unsafe { std::ffi::CStr::from_ptr((self.lib.version_string)()) }
            .to_string_lossy()
            .into_owned()
    }

    /// Before the loop sleeps: append the TAP fd and libslirp's sockets to `fds`; returns
    /// how long the loop may sleep at most (libslirp's TCP timers and its own timers).
    pub fn prepare(&mut self, fds: &mut Vec<pollfd>) -> Option<Duration> {
        self.tap_idx = fds.len();
        fds.push(pollfd {
            fd: self.inner.tap.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        });
        let mut timeout: u32 = u32::MAX;
        self.inner.fill = fds;
        // SAFETY: our live Slirp; add_poll only pushes to `fill`, valid during the call.
        unsafe {
            (self.lib.pollfds_fill)(self.slirp, &mut timeout, add_poll, self.opaque());
        }
        self.inner.fill = std::ptr::null_mut();
        let now = self.inner.clock_ns() / 1_000_000;
        let next_timer = self
            .inner
            .timers
            .iter()
            // SAFETY: registered timers are live until timer_free removes them.
            .filter_map(|t| unsafe { (**t).expire_ms })
            .min()
            .map(|at| Duration::from_millis((at - now).max(0) as u64));
        let slirp_timeout = (timeout != u32::MAX).then(|| Duration::from_millis(timeout.into()));
        match (next_timer, slirp_timeout) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// After the loop woke: feed the container's frames to libslirp, let it serve its
    /// sockets (`fds` as filled by [`Stack::prepare`], with poll's results), run due timers.
    pub fn dispatch(&mut self, fds: &[pollfd]) {
        let tap_ready = fds
            .get(self.tap_idx)
            .is_some_and(|p| p.revents & libc::POLLIN != 0);
        let fed = tap_ready && self.read_tap() > 0;
        self.poll_sockets(fds);
        if fed {
            // What the container just sent sits in libslirp's socket buffers, and its sockets
            // were polled before it arrived (without interest in writing): poll them again
            // now, without sleeping, so the data leaves (and the window reopens) this round.
            let mut again = Vec::new();
            let _ = self.prepare(&mut again);
            // SAFETY: a valid pollfd array of its length, no timeout.
            unsafe { libc::poll(again.as_mut_ptr(), again.len() as libc::nfds_t, 0) };
            if let Some(t) = again.get_mut(self.tap_idx) {
                t.revents = 0; // the TAP device waits for the loop's next round
            }
            self.poll_sockets(&again);
        }
        self.run_timers();
    }

    fn poll_sockets(&mut self, fds: &[pollfd]) {
        self.inner.polled = fds;
        // SAFETY: our live Slirp; get_revents only reads `polled`, valid during the call.
        unsafe { (self.lib.pollfds_poll)(self.slirp, 0, get_revents, self.opaque()) };
        self.inner.polled = std::ptr::slice_from_raw_parts(std::ptr::null(), 0);
    }

    fn opaque(&mut self) -> *mut c_void {
        let p: *mut Inner = &mut *self.inner;
        p.cast()
    }

    /// Feed the container's frames to libslirp; how many there were.
    fn read_tap(&mut self) -> usize {
        let fd: RawFd = self.inner.tap.as_raw_fd();
        for i in 0..FRAMES_PER_ROUND {
            // SAFETY: read into our buffer.
            let n = unsafe { libc::read(fd, self.buf.as_mut_ptr().cast(), self.buf.len()) };
            if n <= 0 {
                // EAGAIN: drained. EOF/errors: the device is gone with the namespace.
                return i;
            }
            // SAFETY: our live Slirp and a buffer of n bytes.
            unsafe { (self.lib.input)(self.slirp, self.buf.as_ptr(), n as c_int) };
        }
        FRAMES_PER_ROUND
    }

    fn run_timers(&mut self) {
        let now = self.inner.clock_ns() / 1_000_000;
        let due: Vec<*mut Timer> = self
            .inner
            .timers
            .iter()
            .copied()
            // SAFETY: registered timers are live.
            .filter(|t| unsafe { (**t).expire_ms }.is_some_and(|at| at <= now))
            .collect();
        for t in due {
            // An earlier callback may have freed or re-armed it.
            if !self.inner.timers.contains(&t) {
                continue;
            }
            // SAFETY: still registered, so live; the callback is libslirp's own.
            unsafe {
                (*t).expire_ms = None;
                ((*t).cb)((*t).cb_opaque);
            }
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        let t0 = Instant::now();
        // SAFETY: our Slirp, once; it frees its timers through timer_free.
        unsafe { (self.lib.cleanup)(self.slirp) };
        log::debug!("slirp: cleanup {} µs", t0.elapsed().as_micros());
        for t in self.inner.timers.drain(..) {
            // SAFETY: allocated by timer_new, never freed by libslirp.
            drop(unsafe { Box::from_raw(t) });
        }
    }
}

/// Run a callback body; a panic must not unwind into C.
fn guard<T>(f: impl FnOnce() -> T) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => std::process::abort(),
    }
}

/// # Safety
/// `opaque` is the `Inner` given to slirp_new.
unsafe fn inner<'a>(opaque: *mut c_void) -> &'a mut Inner {
    &mut *opaque.cast::<Inner>()
}

static CALLBACKS: SlirpCb = SlirpCb {
    send_packet,
    guest_error,
    clock_get_ns,
    timer_new,
    timer_free,
    timer_mod,
    register_poll_fd,
    unregister_poll_fd,
    notify,
    init_completed: None,
    timer_new_opaque: None,
};

/// A frame for the container: write it to the TAP device. A full device drops it (TCP
/// retransmits), as libslirp allows.
unsafe extern "C" fn send_packet(buf: *const c_void, len: usize, opaque: *mut c_void) -> isize {
    guard(|| {
        let fd = inner(opaque).tap.as_raw_fd();
        let n = libc::write(fd, buf, len);
        if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::WouldBlock {
            return len as isize;
        }
        n
    })
}

unsafe extern "C" fn guest_error(msg: *const c_char, _opaque: *mut c_void) {
    guard(|| {
        let m = std::ffi::CStr::from_ptr(msg).to_string_lossy();
        log::debug!("slirp: guest error: {m}");
    })
}

unsafe extern "C" fn clock_get_ns(opaque: *mut c_void) -> i64 {
    guard(|| inner(opaque).clock_ns())
}

unsafe extern "C" fn timer_new(
    cb: SlirpTimerCb,
    cb_opaque: *mut c_void,
    opaque: *mut c_void,
) -> *mut c_void {
    guard(|| {
        let t = Box::into_raw(Box::new(Timer {
            cb,
            cb_opaque,
            expire_ms: None,
        }));
        inner(opaque).timers.push(t);
        t.cast()
    })
}

unsafe extern "C" fn timer_free(timer: *mut c_void, opaque: *mut c_void) {
    guard(|| {
        let t = timer.cast::<Timer>();
        let timers = &mut inner(opaque).timers;
        if let Some(i) = timers.iter().position(|x| *x == t) {
            timers.swap_remove(i);
            drop(Box::from_raw(t));
        }
    })
}

unsafe extern "C" fn timer_mod(timer: *mut c_void, expire_ms: i64, _opaque: *mut c_void) {
    guard(|| (*timer.cast::<Timer>()).expire_ms = Some(expire_ms))
}

// Windows-only needs of libslirp; poll(2) is given every fd on each round anyway.
unsafe extern "C" fn register_poll_fd(_fd: c_int, _opaque: *mut c_void) {}
unsafe extern "C" fn unregister_poll_fd(_fd: c_int, _opaque: *mut c_void) {}
// Every round polls again, so there is no sleeping I/O thread to kick.
unsafe extern "C" fn notify(_opaque: *mut c_void) {}

unsafe extern "C" fn add_poll(fd: c_int, events: c_int, opaque: *mut c_void) -> c_int {
    guard(|| {
        let fds = &mut *inner(opaque).fill;
        let mut ev = 0;
        if events & ffi::SLIRP_POLL_IN != 0 {
            ev |= libc::POLLIN;
        }
        if events & ffi::SLIRP_POLL_OUT != 0 {
            ev |= libc::POLLOUT;
        }
        if events & ffi::SLIRP_POLL_PRI != 0 {
            ev |= libc::POLLPRI;
        }
        fds.push(pollfd {
            fd,
            events: ev,
            revents: 0,
        });
        (fds.len() - 1) as c_int
    })
}

unsafe extern "C" fn get_revents(idx: c_int, opaque: *mut c_void) -> c_int {
    guard(|| {
        let polled: &[pollfd] = &*inner(opaque).polled;
        let Some(p) = polled.get(idx as usize) else {
            return 0;
        };
        let r = p.revents;
        let mut out = 0;
        if r & libc::POLLIN != 0 {
            out |= ffi::SLIRP_POLL_IN;
        }
        if r & libc::POLLOUT != 0 {
            out |= ffi::SLIRP_POLL_OUT;
        }
        if r & libc::POLLPRI != 0 {
            out |= ffi::SLIRP_POLL_PRI;
        }
        if r & libc::POLLERR != 0 {
            out |= ffi::SLIRP_POLL_ERR;
        }
        if r & libc::POLLHUP != 0 {
            out |= ffi::SLIRP_POLL_HUP;
        }
        out
    })
}
