//! Helpers shared by tests/run*.rs.
#![allow(dead_code)]
use crate::common::*;

/// A sandbox (rctrtest, with subordinate IDs) with busybox pulled.
pub fn sandbox() -> Sandbox {
    Sandbox::with_busybox(&user())
}

pub fn run(sb: &Sandbox, args: &[&str]) -> String {
    let mut a = vec!["run", "--rm"];
    a.extend_from_slice(args);
    sb.rctr_ok(&a)
}

/// Nothing of a `--rm` container may stay in the store.
#[track_caller]
pub fn assert_no_containers(sb: &Sandbox) {
    let left = sb.containers_in_store();
    assert!(left.is_empty(), "containers left behind: {left:?}");
}
