//! The ordering rules of [`finalize_with`] and [`pivot_with`](super::super::rootfs::pivot_with),
//! checked on the recorded syscalls: no root, no namespaces.
use super::*;
use crate::runtime::syscall::{Call, Recorder};
use oci_spec::runtime::{Capability, LinuxCapabilitiesBuilder, ProcessBuilder, UserBuilder};
use std::collections::HashSet;

const BPF: &[u8] = &[0u8; 8];

fn process(nnp: bool, ambient: &[Capability]) -> Process {
    let caps: HashSet<Capability> = [Capability::Chown, Capability::NetBindService].into();
    ProcessBuilder::default()
        .user(
            UserBuilder::default()
                .uid(1000u32)
                .gid(1000u32)
                .additional_gids(vec![1000u32, 27])
                .build()
                .unwrap(),
        )
        .cwd("/work")
        .args(vec!["sh".to_string()])
        .no_new_privileges(nnp)
        .capabilities(
            LinuxCapabilitiesBuilder::default()
                .bounding(caps.clone())
                .effective(caps.clone())
                .permitted(caps.clone())
                .inheritable(HashSet::new())
                .ambient(ambient.iter().copied().collect::<HashSet<_>>())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn run(r: &Recorder, p: &Process, bpf: Option<&[u8]>) -> anyhow::Result<()> {
    finalize_with(r, p, bpf)
}

#[test]
fn without_no_new_privs_the_filter_goes_in_while_privileged() {
    let r = Recorder::default();
    run(&r, &process(false, &[]), Some(BPF)).unwrap();
    let seccomp = r.pos(|c| *c == Call::Seccomp);
    assert!(seccomp < r.pos(|c| matches!(c, Call::CapbsetDrop(_))));
    assert!(seccomp < r.pos(|c| matches!(c, Call::Setresuid(_))));
    assert!(!r.calls().contains(&Call::NoNewPrivs));
    assert_eq!(r.calls().iter().filter(|c| **c == Call::Seccomp).count(), 1);
}

#[test]
fn with_no_new_privs_the_filter_follows_it_after_the_id_change() {
    let r = Recorder::default();
    run(&r, &process(true, &[]), Some(BPF)).unwrap();
    let nnp = r.pos(|c| *c == Call::NoNewPrivs);
    let seccomp = r.pos(|c| *c == Call::Seccomp);
    assert!(nnp < seccomp, "{:?}", r.calls());
    assert!(r.pos(|c| matches!(c, Call::Capset(..))) < nnp);
    assert_eq!(r.calls().iter().filter(|c| **c == Call::Seccomp).count(), 1);
}

#[test]
fn capabilities_survive_the_id_change_and_are_set_after_it() {
    let r = Recorder::default();
    run(&r, &process(false, &[Capability::NetBindService]), None).unwrap();
    let calls = r.calls();
    let keep_on = r.pos(|c| *c == Call::KeepCaps(true));
    let groups = r.pos(|c| matches!(c, Call::Setgroups(_)));
    let gid = r.pos(|c| *c == Call::Setresgid(1000));
    let uid = r.pos(|c| *c == Call::Setresuid(1000));
    let keep_off = r.pos(|c| *c == Call::KeepCaps(false));
    let capset = r.pos(|c| matches!(c, Call::Capset(..)));
    let clear = r.pos(|c| *c == Call::AmbientClear);
    let raise = r.pos(|c| matches!(c, Call::AmbientRaise(_)));
    // Bounding set first (needs CAP_SETPCAP), groups and gid before uid (afterwards the
    // process may no longer change them), KEEPCAPS around setuid, then the sets, then ambient.
    let last_drop = calls
        .iter()
        .rposition(|c| matches!(c, Call::CapbsetDrop(_)))
        .unwrap();
    assert!(last_drop < keep_on);
    assert!(keep_on < groups && groups < gid && gid < uid && uid < keep_off);
    assert!(keep_off < capset && capset < clear && clear < raise);
    assert_eq!(calls[groups], Call::Setgroups(vec![1000, 27]));
    let chown = 1u64 << crate::runtime::caps::number("CHOWN").unwrap();
    let nbs = 1u64 << crate::runtime::caps::number("NET_BIND_SERVICE").unwrap();
    assert_eq!(calls[capset], Call::Capset(chown | nbs, chown | nbs, 0));
    assert!(!calls.contains(&Call::CapbsetDrop(
        crate::runtime::caps::number("CHOWN").unwrap()
    )));
}

#[test]
fn cwd_then_parent_death_then_fd_hygiene_come_last() {
    let r = Recorder::default();
    run(&r, &process(true, &[]), Some(BPF)).unwrap();
    let calls = r.calls();
    let n = calls.len();
    assert_eq!(
        calls[n - 3..],
        [
            Call::EnterCwd("/work".into()),
            Call::ParentDeathSignal,
            Call::CloseHostFds
        ]
    );
}

#[test]
fn single_id_mode_skips_setgroups() {
    let r = Recorder {
        no_setgroups: true,
        ..Default::default()
    };
    run(&r, &process(false, &[]), None).unwrap();
    assert!(!r.calls().iter().any(|c| matches!(c, Call::Setgroups(_))));
}

#[test]
fn an_unmapped_uid_is_a_user_error_and_nothing_runs_after_it() {
    let r = Recorder {
        fail: Some(Call::Setresuid(1000)),
        fail_errno: libc::EINVAL,
        ..Default::default()
    };
    let e = run(&r, &process(false, &[]), None).unwrap_err();
    assert!(e.downcast_ref::<UserError>().is_some(), "{e:#}");
    assert!(e.to_string().contains("user 1000 is not mapped"), "{e:#}");
    assert_eq!(r.calls().last(), Some(&Call::Setresuid(1000)));
}

#[test]
fn a_failed_filter_stops_before_the_ids_change() {
    let r = Recorder {
        fail: Some(Call::Seccomp),
        ..Default::default()
    };
    assert!(run(&r, &process(false, &[]), Some(BPF)).is_err());
    assert!(!r.calls().iter().any(|c| matches!(c, Call::Setresuid(_))));
}

#[test]
fn pivot_detaches_the_old_root_before_leaving_it() {
    let r = Recorder::default();
    let dir = std::fs::File::open("/").unwrap();
    crate::runtime::rootfs::pivot_with(&r, std::os::fd::AsFd::as_fd(&dir)).unwrap();
    assert_eq!(
        r.calls(),
        [Call::Fchdir, Call::PivotRoot, Call::Detach, Call::ChdirRoot]
    );
    let r = Recorder {
        fail: Some(Call::PivotRoot),
        ..Default::default()
    };
    let e = crate::runtime::rootfs::pivot_with(&r, std::os::fd::AsFd::as_fd(&dir)).unwrap_err();
    assert!(e.to_string().contains("pivot_root"));
    assert_eq!(r.calls(), [Call::Fchdir, Call::PivotRoot]);
}

#[test]
fn a_missing_system_call_names_the_kernel_floor_by_its_errno() {
    // Whichever crate made the call: std, nix or rustix.
    for e in [
        anyhow::Error::new(std::io::Error::from_raw_os_error(libc::ENOSYS)),
        anyhow::Error::new(nix::errno::Errno::ENOSYS),
        anyhow::Error::new(rustix::io::Errno::NOSYS),
    ] {
        let f = StartFailure::runtime(&e.context("open_tree /"));
        assert_eq!(f.exit_code(), crate::error::EXIT_ENGINE);
        assert!(f.to_string().starts_with("open_tree /: "), "{f}");
        assert!(f.to_string().contains("rctr supports Linux 5.10"), "{f}");
    }
    // The same words without the errno are not a missing system call.
    let e = anyhow::anyhow!("open_tree /: Function not implemented");
    assert_eq!(describe(&e), "open_tree /: Function not implemented");
    let e = anyhow::Error::new(std::io::Error::from_raw_os_error(libc::ENOENT)).context("x");
    assert!(!describe(&e).contains("5.10"));
}
