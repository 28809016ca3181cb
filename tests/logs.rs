//! Bounded container logs, black-box, as the unprivileged lab user: `--log-opt max-size`
//! (and the default cap) keep the log within its cap however much a container prints, a line
//! of 1 GB without a newline leaves the monitor's and `rctr logs`' memory flat, `rctr logs`
//! joins a long line's `P` records, and a bad `--log-opt` is refused with exit 125.
mod common;
mod lifecycle_support;
use common::*;
use lifecycle_support::*;
use std::time::Instant;

/// rctr's default cap (`container::DEFAULT_LOG_SIZE_MAX`).
const DEFAULT_CAP: u64 = 128 << 20;
/// What "flat" means: the monitor and `rctr logs` stay far below the 1 GB they handle.
const RSS_LIMIT_KIB: u64 = 64 * 1024;
/// 1 GB of `a` without a newline (a 1 MB block written 1000 times: busybox `tr` alone takes
/// 15 s for a gigabyte).
const FLOOD: &str =
    "head -c 1000000 /dev/zero | tr '\\0' a > /tmp/a; for i in $(seq 1000); do cat /tmp/a; done";

fn log_file(sb: &Sandbox, id: &str) -> std::path::PathBuf {
    sb.data_dir()
        .join("rctr/containers")
        .join(id)
        .join("ctr.log")
}

fn vm_hwm_kib(pid: i32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Run `script` as the test user under GNU time; returns (its output, max RSS in KiB).
fn timed(sb: &Sandbox, script: &str) -> (std::process::Output, u64) {
    let rss = sb.tmp_dir().join("rss");
    let out = sb.sh(&format!(
        "/usr/bin/time -f %M -o {} {script}",
        rss.display()
    ));
    let kib = std::fs::read_to_string(&rss)
        .unwrap_or_else(|e| panic!("{}: {e}", describe(&out)))
        .lines()
        .last()
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no max RSS: {}", describe(&out)));
    (out, kib)
}

#[test]
fn a_gigabyte_without_newlines_under_a_small_cap_detached() {
    require_lab!();
    let sb = sandbox();
    let t = Instant::now();
    // The container stays up after the flood so its monitor's peak RSS can be read.
    let id = run_d(
        &sb,
        &[
            "--log-opt",
            "max-size=1mb",
            "busybox",
            "sh",
            "-c",
            &format!("{FLOOD}; echo; echo done; exec sleep 1000"),
        ],
    );
    eventually(120, "the flood is logged", || {
        sb.rctr_ok(&["logs", "--tail", "1", &id]) == "done\n"
    });
    let took = t.elapsed();
    let monitor: i32 = inspect(&sb, &id, "{{.State.ConmonPid}}").parse().unwrap();
    let hwm = vm_hwm_kib(monitor);
    assert!(hwm < RSS_LIMIT_KIB, "monitor peak RSS {hwm} KiB");
    let size = std::fs::metadata(log_file(&sb, &id)).unwrap().len();
    assert!(size <= 1_000_000, "log has {size} bytes");
    // What survived the last start-over: the end of the long line (up to the cap), "done".
    let out = sb.rctr_ok(&["logs", &id]);
    let (line, rest) = out.split_once('\n').unwrap();
    assert_eq!(rest, "done\n");
    assert!(line.bytes().all(|b| b == b'a') && line.len() < 1_000_000);
    assert_eq!(
        inspect(&sb, &id, "{{.HostConfig.LogConfig.Size}}"),
        "1MB",
        "inspect shows the cap"
    );
    visible(&format!(
        "1 GB without newlines logged in {took:?} under max-size=1mb: monitor peak RSS {hwm} KiB, log {size} bytes"
    ));
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", &id]));
}

#[test]
fn a_gigabyte_without_newlines_foreground_default_cap_and_logs_streams_it() {
    require_lab!();
    let sb = sandbox();
    let t = Instant::now();
    let (out, run_kib) = timed(
        &sb,
        &format!(
            "{} run --name fg busybox sh -c '{}' > /dev/null",
            rctr_bin().display(),
            FLOOD.replace('\'', "'\\''")
        ),
    );
    assert_ok(&out);
    let took = t.elapsed();
    assert!(run_kib < RSS_LIMIT_KIB, "rctr run peak RSS {run_kib} KiB");
    let id = inspect(&sb, "fg", "{{.Id}}");
    let size = std::fs::metadata(log_file(&sb, &id)).unwrap().len();
    assert!(size <= DEFAULT_CAP, "log has {size} bytes");
    // `rctr logs` of a log this size streams it: its memory stays flat and it prints the
    // line's records joined, without a newline (the line never ended).
    let count = sb.tmp_dir().join("count");
    let (out, logs_kib) = timed(
        &sb,
        &format!(
            "{} logs fg | tr -d a | wc -c > {}",
            rctr_bin().display(),
            count.display()
        ),
    );
    assert_ok(&out);
    assert!(
        logs_kib < RSS_LIMIT_KIB,
        "rctr logs peak RSS {logs_kib} KiB"
    );
    assert_eq!(std::fs::read_to_string(&count).unwrap().trim(), "0");
    let (_, tail_kib) = timed(
        &sb,
        &format!("{} logs --tail 1 fg > /dev/null", rctr_bin().display()),
    );
    assert!(
        tail_kib < RSS_LIMIT_KIB,
        "rctr logs --tail peak RSS {tail_kib} KiB"
    );
    visible(&format!(
        "1 GB without newlines through a foreground run in {took:?}: rctr run peak RSS {run_kib} KiB, log {size} bytes (default cap), rctr logs peak RSS {logs_kib} KiB"
    ));
    assert_ok(&sb.rctr(&["rm", "fg"]));
}

#[test]
fn logs_join_the_records_of_a_long_line() {
    require_lab!();
    let sb = sandbox();
    let out = sb.rctr(&[
        "run",
        "--name",
        "long",
        "busybox",
        "sh",
        "-c",
        "head -c 100000 /dev/zero | tr '\\0' b; echo; echo short; printf no-newline",
    ]);
    assert_ok(&out);
    let long = "b".repeat(100_000);
    assert_eq!(stdout(&out), format!("{long}\nshort\nno-newline"));
    assert_eq!(
        sb.rctr_ok(&["logs", "long"]),
        format!("{long}\nshort\nno-newline")
    );
    assert_eq!(sb.rctr_ok(&["logs", "--tail", "1", "long"]), "no-newline");
    assert_eq!(
        sb.rctr_ok(&["logs", "--tail", "3", "long"]),
        format!("{long}\nshort\nno-newline")
    );
    // One timestamp per message, not per record.
    let ts = sb.rctr_ok(&["logs", "-t", "--tail", "3", "long"]);
    let first = ts.lines().next().unwrap();
    let (stamp, rest) = first.split_once(' ').unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(stamp).is_ok(),
        "{stamp}"
    );
    assert_eq!(rest, long);
    // On disk: bounded `P` records, then the `F` that ends the line.
    let id = inspect(&sb, "long", "{{.Id}}");
    let log = std::fs::read_to_string(log_file(&sb, &id)).unwrap();
    let records: Vec<&str> = log.lines().collect();
    assert!(
        records.iter().all(|l| l.len() <= 8192),
        "a record over 8 KiB"
    );
    assert!(records.iter().filter(|l| l.contains(" stdout P b")).count() >= 12);
    assert!(records.iter().any(|l| l.ends_with(" stdout F short")));
    assert_ok(&sb.rctr(&["rm", "long"]));
}

#[test]
fn follow_goes_on_across_a_start_over() {
    require_lab!();
    let sb = sandbox();
    let id = run_d(
        &sb,
        &[
            "--log-opt",
            "max-size=10k",
            "busybox",
            "sh",
            "-c",
            "seq 1 20000; echo done",
        ],
    );
    let out = sb.rctr(&["logs", "-f", &id]);
    assert_ok(&out);
    assert!(
        stdout(&out).ends_with("19999\n20000\ndone\n"),
        "{}",
        stdout(&out)
    );
    let size = std::fs::metadata(log_file(&sb, &id)).unwrap().len();
    assert!(size <= 10_000, "log has {size} bytes");
    assert!(!log_file(&sb, &id).with_extension("log.tmp").exists());
    assert_ok(&sb.rctr(&["rm", &id]));
}

#[test]
fn log_opt_values_bad_and_good() {
    require_lab!();
    let sb = sandbox();
    for (opt, want) in [
        ("max-size=abc", "invalid --log-opt max-size=\"abc\""),
        ("max-size=100", "at least 8192 bytes"),
        ("nokey", "use KEY=VALUE"),
        ("path=relative.log", "must be absolute"),
        ("max-file=3", "unsupported --log-opt"),
    ] {
        for cmd in ["run", "create"] {
            let out = sb.rctr(&[cmd, "--log-opt", opt, "busybox", "true"]);
            assert_exit(&out, 125);
            let err = stderr(&out);
            assert!(
                err.contains(want) && err.trim_end().lines().count() == 1,
                "{cmd} --log-opt {opt}: {err}"
            );
        }
    }
    assert_eq!(sb.rctr_ok(&["ps", "-a", "-q"]), "", "nothing was created");
    // A good one is recorded: the cap shows in inspect, the default when none is given.
    sb.rctr_ok(&[
        "create",
        "--name",
        "ok",
        "--log-opt",
        "max-size=10mb",
        "busybox",
        "true",
    ]);
    assert_eq!(inspect(&sb, "ok", "{{.HostConfig.LogConfig.Size}}"), "10MB");
    sb.rctr_ok(&["create", "--name", "dflt", "busybox", "true"]);
    assert_eq!(
        inspect(&sb, "dflt", "{{.HostConfig.LogConfig.Size}}"),
        "134MB"
    );
    // path=: the log goes there, and `logs` reads it from there.
    let p = sb.tmp_dir().join("my.log");
    let out = sb.rctr(&[
        "run",
        "--name",
        "p",
        "--log-opt",
        &format!("path={}", p.display()),
        "busybox",
        "echo",
        "hi",
    ]);
    assert_ok(&out);
    assert!(std::fs::read_to_string(&p)
        .unwrap()
        .ends_with(" stdout F hi\n"));
    assert_eq!(sb.rctr_ok(&["logs", "p"]), "hi\n");
    assert_ok(&sb.rctr(&["rm", "ok", "dflt", "p"]));
}
