//! The gates: whether the lab (users, registries, images) is there, and the SKIP rule
//! (a skip is fatal with CI=true).
use super::*;
/// Write a line to the real stderr: libtest captures `eprintln!` of passing tests, but SKIP
/// lines and the "run as uid" line must show up in the CI log.
pub fn visible(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

pub(super) fn test_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("<unnamed test>")
        .to_string()
}

fn skip(reason: &str) -> bool {
    let name = test_name();
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{name}: required lab missing in CI (a skip is fatal when CI=true): {reason}");
    }
    visible(&format!("SKIP {name}: {reason}"));
    false
}

/// Generic gate: `if !require(cond, "why") { return; }`. Prints `SKIP <test>: <reason>`, or
/// panics when `CI=true`.
pub fn require(cond: bool, reason: &str) -> bool {
    cond || skip(reason)
}

/// Why the lab is not usable, or `None` when it is (cached per test process).
pub fn lab_missing() -> Option<String> {
    static WHY: OnceLock<Option<String>> = OnceLock::new();
    WHY.get_or_init(|| {
        if let Some(why) = users_missing() {
            return Some(why);
        }
        if let Err(e) = registry_answers(REGISTRY) {
            return Some(format!(
                "registry {REGISTRY} does not answer /v2/ ({e}): run tests/lab/setup.sh as root"
            ));
        }
        None
    })
    .clone()
}

/// Why the test users cannot be used (not root, or a user missing), or `None`.
pub fn users_missing() -> Option<String> {
    if !nix::unistd::geteuid().is_root() {
        return Some(
            "integration tests must run as root (they drop to the lab users): sudo cargo test"
                .into(),
        );
    }
    for name in ["rctrtest", "rctrnosub"] {
        if lookup_user(name).is_none() {
            return Some(format!(
                "user {name} missing: run tests/lab/setup.sh as root"
            ));
        }
    }
    None
}

/// Gate for tests that only need to run as the test users (no registry).
pub fn require_users() -> bool {
    match users_missing() {
        None => true,
        Some(why) => skip(&why),
    }
}

/// Gate for tests that need the lab (root, both users, the registry on 127.0.0.1:5100).
pub fn require_lab() -> bool {
    match lab_missing() {
        None => true,
        Some(why) => skip(&why),
    }
}

/// `require_lab!();` at the top of a test returns early (after printing SKIP) without the lab.
#[macro_export]
macro_rules! require_lab {
    () => {
        if !$crate::common::require_lab() {
            return;
        }
    };
}

/// `require!(cond, "reason")` returns early (SKIP, or panic in CI) when `cond` is false.
#[macro_export]
macro_rules! require {
    ($cond:expr, $($why:tt)+) => {
        if !$crate::common::require($cond, &format!($($why)+)) {
            return;
        }
    };
}

/// Plain HTTP `GET /v2/` against `addr`; any HTTP answer (200 or 401) counts as alive.
pub fn registry_answers(addr: &str) -> Result<u16, String> {
    let sa: std::net::SocketAddr = addr.parse().map_err(|e| format!("{e}"))?;
    let mut s = std::net::TcpStream::connect_timeout(&sa, Duration::from_secs(2))
        .map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok();
    write!(
        s,
        "GET /v2/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).map_err(|e| e.to_string())?;
    let head = String::from_utf8_lossy(&buf[..n]);
    let code = head
        .strip_prefix("HTTP/1.1 ")
        .or_else(|| head.strip_prefix("HTTP/1.0 "))
        .and_then(|r| r.get(..3))
        .and_then(|c| c.parse::<u16>().ok())
        .ok_or_else(|| format!("not an HTTP answer: {head:?}"))?;
    match code {
        200 | 401 => Ok(code),
        c => Err(format!("HTTP {c}")),
    }
}
