//! Faults and concurrency of the container lifecycle, black-box, as the unprivileged lab
//! user: a killed monitor, a container killed behind rctr's back, a deleted runtime dir, a
//! closed terminal under `run -d`, a log flood, 20 parallel `run -d`, concurrent `rm -f`.
mod common;
mod lifecycle_support;
use common::*;
use lifecycle_support::*;
use std::time::Instant;

#[test]
fn log_flood_does_not_deadlock() {
    require_lab!();
    let sb = sandbox();
    let t = Instant::now();
    let id = run_d(
        &sb,
        // 50 MB of 80-byte lines as fast as the container can write them (a 1 MB block
        // written 50 times).
        &[
            "busybox",
            "sh",
            "-c",
            "seq 1 12500 | sed 's/.*/&-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz/' > /tmp/b; for i in $(seq 50); do cat /tmp/b; done; echo done",
        ],
    );
    assert_eq!(sb.rctr_ok(&["wait", &id]).trim(), "0");
    let took = t.elapsed();
    assert_eq!(sb.rctr_ok(&["logs", "--tail", "1", &id]), "done\n");
    let size = std::fs::metadata(
        sb.data_dir()
            .join("rctr/containers")
            .join(&id)
            .join("ctr.log"),
    )
    .unwrap()
    .len();
    assert!(size > 48_000_000, "log has {size} bytes");
    visible(&format!("50 MB of output logged in {took:?}"));
    assert_ok(&sb.rctr(&["rm", &id]));
}

#[test]
fn parallel_run_d_and_concurrent_rm_f() {
    require_lab!();
    let sb = sandbox();
    let outs: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..20)
            .map(|_| s.spawn(|| sb.rctr(&["run", "-d", "busybox", "sleep", "1000"])))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut ids: Vec<String> = outs
        .iter()
        .map(|o| {
            assert_ok(o);
            stdout(o).trim().to_string()
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 20);
    let names = sb.rctr_ok(&["ps", "--format", "{{.Names}}"]);
    let mut n: Vec<&str> = names.lines().collect();
    assert_eq!(n.len(), 20, "running: {names}");
    n.sort();
    n.dedup();
    assert_eq!(n.len(), 20, "names must be unique: {names}");
    // Two `rm -f` of the same container at once: both succeed, it is gone, nothing is left.
    let target = ids[0].clone();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| sb.rctr(&["rm", "-f", "-t", "0", &target]));
        let b = s.spawn(|| sb.rctr(&["rm", "-f", "-t", "0", &target]));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_ok(&a);
    assert_ok(&b);
    assert_exit(&sb.rctr(&["inspect", &target]), 125);
    assert_eq!(sb.rctr_ok(&["ps", "-aq"]).lines().count(), 19);
    assert_ok(&sb.rctr(&["rm", "-a", "-f", "-t", "0"]));
    assert_eq!(sb.rctr_ok(&["ps", "-aq"]), "");
    // `rm` deletes the files in a detached helper: they go shortly after.
    let left = || -> Vec<String> {
        std::fs::read_dir(sb.data_dir().join("rctr/containers"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "names" && n != "names.lock")
            .collect()
    };
    eventually(10, "containers/ emptied", || left().is_empty());
    assert_no_leftovers(&sb);
}

#[test]
fn faults_monitor_killed_container_killed_runtime_dir_deleted() {
    require_lab!();
    let sb = sandbox();
    // 1. The monitor dies (SIGKILL): the container goes with it and ps says so.
    run_d(&sb, &["--name", "m", "busybox", "sleep", "1000"]);
    let mon: i32 = inspect(&sb, "m", "{{.State.ConmonPid}}").parse().unwrap();
    assert!(mon > 0);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(mon),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    eventually(5, "ps shows m exited", || {
        ps_status(&sb, "m").starts_with("exited|Exited (-1)")
    });
    assert_ok(&sb.rctr(&["rm", "m"]));
    // 2. The container is killed behind rctr's back: the monitor records it.
    run_d(&sb, &["--name", "k", "busybox", "sleep", "1000"]);
    let pid: i32 = inspect(&sb, "k", "{{.State.Pid}}").parse().unwrap();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGKILL,
    )
    .unwrap();
    eventually(5, "ps shows k exited 137", || {
        ps_status(&sb, "k").starts_with("exited|Exited (137)")
    });
    assert_ok(&sb.rctr(&["rm", "k"]));
    // 3. The runtime dir vanishes (as after a reboot): ps still tells the truth.
    run_d(&sb, &["--name", "r", "busybox", "sleep", "1000"]);
    std::fs::remove_dir_all(sb.run_dir().join("rctr")).unwrap();
    assert!(
        ps_status(&sb, "r").starts_with("running|"),
        "{}",
        ps_status(&sb, "r")
    );
    assert_ok(&sb.rctr(&["stop", "-t", "0", "r"]));
    assert!(
        ps_status(&sb, "r").starts_with("exited|Exited (137)"),
        "{}",
        ps_status(&sb, "r")
    );
    assert_ok(&sb.rctr(&["rm", "r"]));
    assert_no_leftovers(&sb);
}

/// PIDs of processes in process group `pgid` that are not zombies.
fn live_in_process_group(pgid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // After the command name's ')': state, ppid, pgrp, …
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        let f: Vec<&str> = rest.split(' ').collect();
        if f.len() > 2 && f[2] == pgid.to_string() && f[0] != "Z" && f[0] != "X" {
            out.push(pid);
        }
    }
    out
}

#[test]
fn closing_the_terminal_keeps_detached_containers() {
    require_lab!();
    let sb = sandbox();
    // A session with a terminal (script allocates a pty) runs `run -d`, then the whole
    // session is killed, as when a terminal window closes.
    let script = format!(
        "setsid script -qfec '{} run -d --name t busybox sleep 1000; sleep 1000' /dev/null > /dev/null 2>&1 & echo $!",
        rctr_bin().display()
    );
    let sid: i32 = stdout(&sb.sh(&script)).trim().parse().unwrap();
    eventually(10, "t running", || {
        ps_status(&sb, "t").starts_with("running|")
    });
    // SIGHUP then SIGKILL to the session's process group (the terminal hanging up).
    let pg = nix::unistd::Pid::from_raw(-sid);
    let _ = nix::sys::signal::kill(pg, nix::sys::signal::Signal::SIGHUP);
    let _ = nix::sys::signal::kill(pg, nix::sys::signal::Signal::SIGKILL);
    // The terminal's processes are gone (zombies left for a non-reaping PID 1 do not count:
    // they run nothing) before the container is looked at again.
    eventually(10, "the session's processes gone", || {
        live_in_process_group(sid).is_empty()
    });
    assert!(
        ps_status(&sb, "t").starts_with("running|"),
        "{}",
        ps_status(&sb, "t")
    );
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", "t"]));
}
