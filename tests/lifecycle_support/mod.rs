//! Helpers shared by tests/lifecycle*.rs.
#![allow(dead_code)]
use crate::common::*;
use std::time::{Duration, Instant};

/// A sandbox with busybox pulled.
pub fn sandbox() -> Sandbox {
    let sb = Sandbox::new(&user());
    assert_ok(&sb.rctr(&["pull", "-q", "busybox"]));
    sb
}

pub fn run_d(sb: &Sandbox, args: &[&str]) -> String {
    let mut a = vec!["run", "-d"];
    a.extend_from_slice(args);
    let id = sb.rctr_ok(&a).trim().to_string();
    assert_eq!(id.len(), 64, "run -d prints the full ID: {id:?}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    id
}

pub fn inspect(sb: &Sandbox, c: &str, tpl: &str) -> String {
    sb.rctr_ok(&["inspect", "-f", tpl, c]).trim().to_string()
}

pub fn ps_status(sb: &Sandbox, name: &str) -> String {
    let out = sb.rctr_ok(&[
        "ps",
        "-a",
        "--filter",
        &format!("name=^{name}$"),
        "--format",
        "{{.State}}|{{.Status}}",
    ]);
    out.trim().to_string()
}

/// Wait until `f` holds (polling; tests only), or fail after `secs`.
pub fn eventually(secs: u64, what: &str, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

/// Nothing the sandbox started is still running (detached helpers such as `rm`'s file
/// remover get a moment to finish).
pub fn assert_no_leftovers(sb: &Sandbox) {
    let end = Instant::now() + Duration::from_secs(5);
    while Instant::now() < end && !sb.leftover_pids().is_empty() {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        sb.leftover_pids().is_empty(),
        "processes left: {:?}",
        sb.leftover_pids()
    );
}
