//! `rctr run` with bad input, as the unprivileged lab user: each case gives ONE clear error
//! line, podman's exit code, and leaves no container behind.
mod common;
use common::*;
use std::time::{Duration, Instant};

/// A sandbox (rctrtest, with subordinate IDs) with busybox pulled.
fn sandbox() -> Sandbox {
    Sandbox::with_busybox(&user())
}

/// Run, expect `code`, one `Error:` line containing every `needles`, and nothing left.
#[track_caller]
fn fails(sb: &Sandbox, args: &[&str], code: i32, needles: &[&str]) {
    let out = sb.rctr(args);
    assert_exit(&out, code);
    let err = stderr(&out);
    // podman prints "Trying to pull …" before trying, as we do.
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("Trying to pull"))
        .collect();
    assert_eq!(lines.len(), 1, "one line expected\n{}", describe(&out));
    assert!(lines[0].starts_with("Error: "), "{}", describe(&out));
    for n in needles {
        assert!(lines[0].contains(n), "missing {n:?}\n{}", describe(&out));
    }
    assert!(
        sb.containers_in_store().is_empty(),
        "left behind: {:?}",
        sb.containers_in_store()
    );
}

#[test]
fn missing_image_and_commands() {
    require_lab!();
    let sb = sandbox();
    fails(
        &sb,
        &["run", "--rm", "nosuchimage", "true"],
        125,
        &["nosuchimage"],
    );
    fails(
        &sb,
        &["run", "--pull", "never", "--rm", "debian:nope", "true"],
        125,
        &["debian:nope"],
    );
    fails(
        &sb,
        &["run", "--rm", "busybox", "nosuch"],
        127,
        &[
            "executable file `nosuch` not found in $PATH",
            "OCI runtime attempted to invoke a command that was not found",
        ],
    );
    fails(
        &sb,
        &["run", "--rm", "busybox", "/etc/passwd"],
        126,
        &["/etc/passwd", "permission denied"],
    );
    fails(
        &sb,
        &["run", "--rm", "busybox", "/nonexistent"],
        127,
        &["/nonexistent"],
    );
    fails(
        &sb,
        &["run", "--rm", "--entrypoint", "", "busybox"],
        125,
        &["no command"],
    );
}

#[test]
fn bad_mounts_users_names_and_caps() {
    require_lab!();
    let sb = sandbox();
    fails(
        &sb,
        &[
            "run",
            "--rm",
            "-v",
            "/nonexistent/dir:/x",
            "busybox",
            "true",
        ],
        125,
        &["/nonexistent/dir"],
    );
    fails(
        &sb,
        &["run", "--rm", "-v", "some/rel:/x", "busybox", "true"],
        125,
        &["some/rel", "absolute"],
    );
    fails(
        &sb,
        &["run", "--rm", "-v", "/tmp:rel", "busybox", "true"],
        125,
        &["\"rel\"", "absolute"],
    );
    fails(
        &sb,
        &["run", "--rm", "-u", "nosuchuser", "busybox", "true"],
        126,
        &["unable to find user nosuchuser"],
    );
    // A subordinate range too small for the ID asked for: say so.
    fails(
        &sb,
        &["run", "--rm", "-u", "70000", "busybox", "true"],
        126,
        &["70000", "not mapped", "0-65536"],
    );
    fails(
        &sb,
        &["run", "--rm", "--cap-add", "CAP_BOGUS", "busybox", "true"],
        125,
        &["unknown capability \"CAP_BOGUS\""],
    );
    fails(
        &sb,
        &["run", "--rm", "--network", "bridge", "busybox", "true"],
        125,
        &["bridge"],
    );
    // Conflicting --name: the first container stays, the second is refused.
    sb.rctr_ok(&["run", "-d", "--name", "taken", "busybox", "sleep", "60"]);
    let out = sb.rctr(&["run", "--rm", "--name", "taken", "busybox", "true"]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("\"taken\" is already in use"),
        "{}",
        describe(&out)
    );
    assert_eq!(sb.containers_in_store().len(), 1);
    sb.rctr_ok(&["rm", "-f", "-t", "0", "taken"]);
}

#[test]
fn failing_newuidmap() {
    require_lab!();
    let sb = sandbox();
    let bin = sb.home().join("fakebin");
    assert_ok(&sb.sh(&format!(
        "mkdir -p {0} && printf '#!/bin/sh\\necho \"newuidmap: write to uid_map failed: Operation not permitted\" >&2\\nexit 1\\n' > {0}/newuidmap && chmod +x {0}/newuidmap",
        bin.display()
    )));
    sb.env("PATH", format!("{}:{USER_PATH}", bin.display()));
    // The store was unpacked with the subordinate IDs, which a broken helper cannot map.
    fails(
        &sb,
        &["run", "--rm", "busybox", "true"],
        125,
        &["newuidmap", "subordinate IDs"],
    );
    // A fresh store falls back to single-ID mode (as podman does) and says why, once.
    let fresh = Sandbox::new(&user());
    fresh.env("PATH", format!("{}:{USER_PATH}", bin.display()));
    let out = fresh.rctr(&["run", "--rm", "busybox", "cat", "/proc/self/uid_map"]);
    assert_ok(&out);
    assert_eq!(
        stdout(&out).lines().count(),
        1,
        "single-ID map\n{}",
        describe(&out)
    );
    assert!(stderr(&out).contains("newuidmap"), "{}", describe(&out));
}

/// A failure in the runtime helper before the container's PID 1 exists (here: the mount
/// program cannot be run) reaches the user with its step and errno, for `--rm`, the
/// foreground monitor and `-d` alike — never as a bare "exited before starting".
#[test]
fn helper_failures_name_their_step() {
    require_lab!();
    let sb = sandbox();
    let bad = "overlay.mount_program=/nonexistent/fuse-overlayfs";
    for args in [
        &["run", "--rm", "--storage-opt", bad, "busybox", "true"][..],
        &["run", "--storage-opt", bad, "busybox", "true"][..],
    ] {
        let out = sb.rctr(args);
        assert_exit(&out, 125);
        let err = stderr(&out);
        assert!(
            err.contains("mount program /nonexistent/fuse-overlayfs")
                && err.contains("No such file or directory"),
            "{}",
            describe(&out)
        );
        assert!(!err.contains("exited before"), "{}", describe(&out));
        let _ = sb.rctr(&["rm", "-fa"]);
    }
}

/// `--log-level debug` prints the start path's timeline: the helper's and PID 1's steps.
#[test]
fn debug_log_level_prints_the_start_timeline() {
    require_lab!();
    let sb = sandbox();
    let out = sb.rctr(&["--log-level", "debug", "run", "--rm", "busybox", "true"]);
    assert_ok(&out);
    let err = stderr(&out);
    for step in ["helper: root mounted", "pid1: pivot_root done", "execve"] {
        assert!(err.contains(step), "missing {step:?}\n{}", describe(&out));
    }
    let quiet = sb.rctr(&["run", "--rm", "busybox", "true"]);
    assert!(!stderr(&quiet).contains("DEBU"), "{}", describe(&quiet));
}

#[test]
fn closed_stdin_does_not_hang() {
    require_lab!();
    let sb = sandbox();
    let out = sb.sh(&format!(
        "{} run --rm -i busybox cat <&-; echo status=$?",
        rctr_bin().display()
    ));
    assert_ok(&out);
    assert_eq!(stdout(&out), "status=0\n", "{}", describe(&out));
    let out = sb.sh(&format!(
        "{} run --rm busybox echo hi <&-",
        rctr_bin().display()
    ));
    assert_eq!(stdout(&out), "hi\n", "{}", describe(&out));
}

#[test]
fn sigkill_of_rctr_takes_the_container_down() {
    require_lab!();
    let sb = sandbox();
    let mut child = sb
        .cmd(&[
            "run",
            "--rm",
            "busybox",
            "sh",
            "-c",
            "sleep 1000 & exec sleep 1001",
        ])
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let sleeping = |sb: &Sandbox| {
        sb.leftover_pids()
            .iter()
            .filter(|p| {
                std::fs::read(format!("/proc/{p}/cmdline")).is_ok_and(|c| c.starts_with(b"sleep"))
            })
            .count()
    };
    while sleeping(&sb) < 2 {
        assert!(Instant::now() < deadline, "the container did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    child.wait().unwrap();
    sb.assert_no_leftovers_within(Duration::from_secs(5));
}
