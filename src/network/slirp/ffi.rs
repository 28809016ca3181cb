//! libslirp 4.7's C interface (`<slirp/libslirp.h>`), loaded with dlopen when a container
//! needs it, so the rctr binary itself links neither libslirp nor glib (every `rctr ps` would
//! pay for loading them) and a host without `libslirp0` fails only the containers that use
//! it, with one line saying what to install.
//!
//! The structs mirror the header field for field; `layout_matches_the_header` checks the
//! offsets gcc reports for them.
#![allow(non_camel_case_types)]
use libc::{c_char, c_int, c_void, in6_addr, in_addr, sockaddr_in, sockaddr_in6, ssize_t};

pub enum Slirp {}

pub const SLIRP_POLL_IN: c_int = 1 << 0;
pub const SLIRP_POLL_OUT: c_int = 1 << 1;
pub const SLIRP_POLL_PRI: c_int = 1 << 2;
pub const SLIRP_POLL_ERR: c_int = 1 << 3;
pub const SLIRP_POLL_HUP: c_int = 1 << 4;

/// The newest `SlirpConfig.version` 4.7 accepts (`SLIRP_CONFIG_VERSION_MAX`); version 4 adds
/// `disable_dhcp` and the callbacks' `init_completed`/`timer_new_opaque`, which stay NULL.
pub const CONFIG_VERSION: u32 = 4;

pub type SlirpWriteCb = unsafe extern "C" fn(*const c_void, usize, *mut c_void) -> ssize_t;
pub type SlirpTimerCb = unsafe extern "C" fn(*mut c_void);
pub type SlirpAddPollCb = unsafe extern "C" fn(c_int, c_int, *mut c_void) -> c_int;
pub type SlirpGetREventsCb = unsafe extern "C" fn(c_int, *mut c_void) -> c_int;

#[repr(C)]
pub struct SlirpCb {
    pub send_packet: SlirpWriteCb,
    pub guest_error: unsafe extern "C" fn(*const c_char, *mut c_void),
    pub clock_get_ns: unsafe extern "C" fn(*mut c_void) -> i64,
    pub timer_new: unsafe extern "C" fn(SlirpTimerCb, *mut c_void, *mut c_void) -> *mut c_void,
    pub timer_free: unsafe extern "C" fn(*mut c_void, *mut c_void),
    /// `expire_time` is in milliseconds of the `clock_get_ns` clock.
    pub timer_mod: unsafe extern "C" fn(*mut c_void, i64, *mut c_void),
    pub register_poll_fd: unsafe extern "C" fn(c_int, *mut c_void),
    pub unregister_poll_fd: unsafe extern "C" fn(c_int, *mut c_void),
    pub notify: unsafe extern "C" fn(*mut c_void),
    pub init_completed: Option<unsafe extern "C" fn(*mut Slirp, *mut c_void)>,
    pub timer_new_opaque:
        Option<unsafe extern "C" fn(c_int, *mut c_void, *mut c_void) -> *mut c_void>,
}

#[repr(C)]
pub struct SlirpConfig {
    pub version: u32,
    pub restricted: c_int,
    pub in_enabled: bool,
    pub vnetwork: in_addr,
    pub vnetmask: in_addr,
    pub vhost: in_addr,
    pub in6_enabled: bool,
    pub vprefix_addr6: in6_addr,
    pub vprefix_len: u8,
    pub vhost6: in6_addr,
    pub vhostname: *const c_char,
    pub tftp_server_name: *const c_char,
    pub tftp_path: *const c_char,
    pub bootfile: *const c_char,
    pub vdhcp_start: in_addr,
    pub vnameserver: in_addr,
    pub vnameserver6: in6_addr,
    pub vdnssearch: *const *const c_char,
    pub vdomainname: *const c_char,
    pub if_mtu: usize,
    pub if_mru: usize,
    pub disable_host_loopback: bool,
    pub enable_emu: bool,
    pub outbound_addr: *const sockaddr_in,
    pub outbound_addr6: *const sockaddr_in6,
    pub disable_dns: bool,
    pub disable_dhcp: bool,
}

type NewFn = unsafe extern "C" fn(*const SlirpConfig, *const SlirpCb, *mut c_void) -> *mut Slirp;
type CleanupFn = unsafe extern "C" fn(*mut Slirp);
type FillFn = unsafe extern "C" fn(*mut Slirp, *mut u32, SlirpAddPollCb, *mut c_void);
type PollFn = unsafe extern "C" fn(*mut Slirp, c_int, SlirpGetREventsCb, *mut c_void);
type InputFn = unsafe extern "C" fn(*mut Slirp, *const u8, c_int);
type VersionFn = unsafe extern "C" fn() -> *const c_char;

/// The functions rctr calls, resolved from the loaded library.
pub struct Lib {
    pub new: NewFn,
    pub cleanup: CleanupFn,
    pub pollfds_fill: FillFn,
    pub pollfds_poll: PollFn,
    pub input: InputFn,
    pub version_string: VersionFn,
}

/// The soname Debian's `libslirp0` installs.
pub const SONAME: &str = "libslirp.so.0";

impl Lib {
    /// dlopen libslirp once per process (the handle is never closed: the stack may live as
    /// long as the process does).
    pub fn load() -> Result<&'static Lib, String> {
        static LIB: std::sync::OnceLock<Result<Lib, String>> = std::sync::OnceLock::new();
        LIB.get_or_init(|| unsafe { open(SONAME) })
            .as_ref()
            .map_err(Clone::clone)
    }
}

fn dlerror() -> String {
    // SAFETY: dlerror returns NULL or a C string valid until the next dl* call.
    unsafe {
        let e = libc::dlerror();
        if e.is_null() {
            "unknown error".into()
        } else {
            std::ffi::CStr::from_ptr(e).to_string_lossy().into_owned()
        }
    }
}

/// # Safety
/// Resolves symbols by name and trusts them to have the header's signatures.
unsafe fn open(soname: &str) -> Result<Lib, String> {
    let name = std::ffi::CString::new(soname).expect("no NUL");
    let h = libc::dlopen(name.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL);
    if h.is_null() {
        return Err(format!(
            "cannot load {soname} ({}): install libslirp (Debian/Ubuntu: apt install libslirp0; Fedora: dnf install libslirp) or use --network none",
            dlerror()
        ));
    }
    macro_rules! sym {
        ($n:literal, $t:ty) => {{
            let p = libc::dlsym(h, concat!($n, "\0").as_ptr().cast());
            if p.is_null() {
                return Err(format!(
                    "{SONAME} lacks {} ({}): rctr needs libslirp 4.1 or newer",
                    $n,
                    dlerror()
                ));
            }
            std::mem::transmute::<*mut c_void, $t>(p)
        }};
    }
    Ok(Lib {
        new: sym!("slirp_new", NewFn),
        cleanup: sym!("slirp_cleanup", CleanupFn),
        pollfds_fill: sym!("slirp_pollfds_fill", FillFn),
        pollfds_poll: sym!("slirp_pollfds_poll", PollFn),
        input: sym!("slirp_input", InputFn),
        version_string: sym!("slirp_version_string", VersionFn),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    /// A host without libslirp: one line naming the library and the package to install.
    #[test]
    fn a_missing_library_says_what_to_install() {
        // SAFETY: the library does not exist; nothing is resolved.
        let Err(e) = (unsafe { open("libslirp-absent.so.0") }) else {
            panic!("loaded a library that does not exist");
        };
        assert!(e.starts_with("cannot load libslirp-absent.so.0 ("), "{e}");
        assert!(
            e.contains("apt install libslirp0") && !e.contains('\n'),
            "{e}"
        );
    }

    /// Offsets gcc 12 prints for libslirp 4.7's header on x86_64 (offsetof/sizeof).
    #[test]
    #[cfg(target_arch = "x86_64")]
    fn layout_matches_the_header() {
        assert_eq!(offset_of!(SlirpConfig, restricted), 4);
        assert_eq!(offset_of!(SlirpConfig, in_enabled), 8);
        assert_eq!(offset_of!(SlirpConfig, vnetwork), 12);
        assert_eq!(offset_of!(SlirpConfig, in6_enabled), 24);
        assert_eq!(offset_of!(SlirpConfig, vprefix_addr6), 28);
        assert_eq!(offset_of!(SlirpConfig, vprefix_len), 44);
        assert_eq!(offset_of!(SlirpConfig, vhost6), 48);
        assert_eq!(offset_of!(SlirpConfig, vhostname), 64);
        assert_eq!(offset_of!(SlirpConfig, vdhcp_start), 96);
        assert_eq!(offset_of!(SlirpConfig, vnameserver), 100);
        assert_eq!(offset_of!(SlirpConfig, vnameserver6), 104);
        assert_eq!(offset_of!(SlirpConfig, vdnssearch), 120);
        assert_eq!(offset_of!(SlirpConfig, vdomainname), 128);
        assert_eq!(offset_of!(SlirpConfig, if_mtu), 136);
        assert_eq!(offset_of!(SlirpConfig, if_mru), 144);
        assert_eq!(offset_of!(SlirpConfig, disable_host_loopback), 152);
        assert_eq!(offset_of!(SlirpConfig, enable_emu), 153);
        assert_eq!(offset_of!(SlirpConfig, outbound_addr), 160);
        assert_eq!(offset_of!(SlirpConfig, outbound_addr6), 168);
        assert_eq!(offset_of!(SlirpConfig, disable_dns), 176);
        assert_eq!(offset_of!(SlirpConfig, disable_dhcp), 177);
        assert_eq!(size_of::<SlirpConfig>(), 184);
        assert_eq!(offset_of!(SlirpCb, timer_new_opaque), 80);
        assert_eq!(size_of::<SlirpCb>(), 88);
    }
}
