//! The daemonless container lifecycle, black-box, as the unprivileged lab user: `run -d`
//! under the monitor, ps/logs/inspect/exec/stop/kill/start/restart/wait/rm, and the faults:
//! unknown or ambiguous names, exec into a stopped container, a killed monitor, a container
//! killed behind rctr's back, a deleted runtime dir, a closed terminal, a log flood, parallel
//! `run -d` and concurrent `rm -f`.
mod common;
use common::*;
use std::time::{Duration, Instant};

/// A sandbox with busybox pulled.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new(&user());
    assert_ok(&sb.rctr(&["pull", "-q", "busybox"]));
    sb
}

fn run_d(sb: &Sandbox, args: &[&str]) -> String {
    let mut a = vec!["run", "-d"];
    a.extend_from_slice(args);
    let id = sb.rctr_ok(&a).trim().to_string();
    assert_eq!(id.len(), 64, "run -d prints the full ID: {id:?}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    id
}

fn inspect(sb: &Sandbox, c: &str, tpl: &str) -> String {
    sb.rctr_ok(&["inspect", "-f", tpl, c]).trim().to_string()
}

fn ps_status(sb: &Sandbox, name: &str) -> String {
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
fn eventually(secs: u64, what: &str, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if f() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

#[test]
fn detached_httpd_full_loop() {
    require_lab!();
    let sb = sandbox();
    // Started from a shell that then exits: the container must outlive it.
    let out = sb.sh(&format!(
        "{} run -d --name web busybox sh -c 'mkdir -p /www && echo hello-from-httpd > /www/index.html && exec httpd -f -p 8080 -h /www'",
        rctr_bin().display()
    ));
    assert_ok(&out);
    let id = stdout(&out).trim().to_string();
    assert_eq!(id.len(), 64);
    assert!(
        ps_status(&sb, "web").starts_with("running|Up "),
        "{}",
        ps_status(&sb, "web")
    );
    let table = sb.rctr_ok(&["ps"]);
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    for col in [
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "CREATED",
        "STATUS",
        "PORTS",
        "NAMES",
    ] {
        assert!(header.contains(col), "{header}");
    }
    let row = lines.next().unwrap();
    assert!(row.starts_with(&id[..12]) && row.ends_with("web"), "{row}");
    // The server answers from inside the container.
    eventually(10, "httpd answers", || {
        let o = sb.rctr(&["exec", "web", "wget", "-qO-", "http://127.0.0.1:8080/"]);
        o.status.success() && stdout(&o).contains("hello-from-httpd")
    });
    assert_eq!(
        inspect(&sb, "web", "{{.State.Status}} {{.State.Running}} {{.Name}}"),
        "running true web"
    );
    assert_eq!(inspect(&sb, &id[..8], "{{.Id}}"), id);
    let pid: i32 = inspect(&sb, "web", "{{.State.Pid}}").parse().unwrap();
    assert!(pid > 1 && std::path::Path::new(&format!("/proc/{pid}")).exists());
    // httpd as PID 1 has no SIGTERM handler (the kernel ignores such signals for a PID
    // namespace's init, as with podman): the grace period ends in SIGKILL.
    let t = Instant::now();
    assert_eq!(sb.rctr_ok(&["stop", "-t", "1", "web"]).trim(), "web");
    assert!(
        t.elapsed() < Duration::from_secs(4),
        "stop took {:?}",
        t.elapsed()
    );
    assert!(
        ps_status(&sb, "web").starts_with("exited|Exited (137) "),
        "{}",
        ps_status(&sb, "web")
    );
    assert_eq!(sb.rctr_ok(&["wait", "web"]).trim(), "137");
    assert_eq!(sb.rctr_ok(&["rm", "web"]).trim(), "web");
    // A container that handles SIGTERM: stop returns as soon as it exits (pidfd, no polling).
    run_d(
        &sb,
        &[
            "--name",
            "polite",
            "busybox",
            "sh",
            "-c",
            "trap 'exit 0' TERM; while :; do sleep 0.1; done",
        ],
    );
    let t = Instant::now();
    assert_ok(&sb.rctr(&["stop", "polite"]));
    assert!(
        t.elapsed() < Duration::from_secs(3),
        "stop took {:?}",
        t.elapsed()
    );
    assert!(
        ps_status(&sb, "polite").starts_with("exited|Exited (0) "),
        "{}",
        ps_status(&sb, "polite")
    );
    assert_ok(&sb.rctr(&["rm", "polite"]));
    assert_eq!(sb.rctr_ok(&["ps", "-aq"]), "");
    assert!(
        sb.leftover_pids().is_empty(),
        "processes left: {:?}",
        sb.leftover_pids()
    );
}

#[test]
fn unknown_names_and_ambiguous_prefixes_are_125() {
    require_lab!();
    let sb = sandbox();
    for cmd in [
        vec!["inspect", "nosuch"],
        vec!["logs", "nosuch"],
        vec!["exec", "nosuch", "true"],
        vec!["start", "nosuch"],
        vec!["stop", "nosuch"],
        vec!["kill", "nosuch"],
        vec!["port", "nosuch"],
        vec!["wait", "nosuch"],
        vec!["rename", "nosuch", "x"],
    ] {
        let out = sb.rctr(&cmd);
        assert_exit(&out, 125);
        assert!(
            stderr(&out).contains("nosuch"),
            "{cmd:?}: {}",
            describe(&out)
        );
    }
    // podman's rm codes: 1 for a missing container; -f/--ignore accept it.
    assert_exit(&sb.rctr(&["rm", "nosuch"]), 1);
    assert_ok(&sb.rctr(&["rm", "-f", "nosuch"]));
    assert_ok(&sb.rctr(&["rm", "--ignore", "-t", "0", "nosuch"]));
    // Containers until two IDs share a first hex digit.
    let mut ids: Vec<String> = Vec::new();
    let prefix = loop {
        let id = sb
            .rctr_ok(&["create", "busybox", "true"])
            .trim()
            .to_string();
        if let Some(p) = ids.iter().find(|i| i[..1] == id[..1]) {
            break p[..1].to_string();
        }
        ids.push(id);
    };
    let out = sb.rctr(&["inspect", &prefix]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("more than one container"),
        "{}",
        describe(&out)
    );
    assert_exit(&sb.rctr(&["rm", &prefix]), 125);
    assert_ok(&sb.rctr(&["rm", "-a"]));
}

#[test]
fn state_errors_exec_start_rm() {
    require_lab!();
    let sb = sandbox();
    sb.rctr_ok(&["create", "--name", "idle", "busybox", "true"]);
    let out = sb.rctr(&["exec", "idle", "true"]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("can only create exec sessions on running containers"),
        "{}",
        describe(&out)
    );
    // Two concurrent starts of one container: exactly one runs it.
    sb.rctr_ok(&["create", "--name", "twice", "busybox", "sleep", "1000"]);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| sb.rctr(&["start", "twice"]));
        let b = s.spawn(|| sb.rctr(&["start", "twice"]));
        (a.join().unwrap(), b.join().unwrap())
    });
    let ok = [&a, &b].iter().filter(|o| o.status.success()).count();
    assert_eq!(ok, 1, "{}\n{}", describe(&a), describe(&b));
    let failed = if a.status.success() { &b } else { &a };
    assert_exit(failed, 125);
    assert!(
        stderr(failed).contains("already running"),
        "{}",
        describe(failed)
    );
    let pids = sb.rctr_ok(&["top", "twice"]);
    assert_eq!(
        pids.lines().filter(|l| l.contains("sleep 1000")).count(),
        1,
        "{pids}"
    );
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", "twice"]));
    run_d(&sb, &["--name", "s", "busybox", "sleep", "1000"]);
    let out = sb.rctr(&["start", "s"]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("already running"),
        "{}",
        describe(&out)
    );
    let out = sb.rctr(&["rm", "s"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains(
            "as it is running - running or paused containers cannot be removed without force"
        ),
        "{}",
        describe(&out)
    );
    let out = sb.rctr(&["kill", "idle"]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("can only kill running containers"),
        "{}",
        describe(&out)
    );
    assert_eq!(
        sb.rctr_ok(&["rm", "-f", "-t", "0", "s", "idle"]),
        "s\nidle\n"
    );
    assert!(sb.leftover_pids().is_empty());
}

#[test]
fn exec_codes_user_env_workdir() {
    require_lab!();
    let sb = sandbox();
    run_d(&sb, &["--name", "x", "busybox", "sleep", "1000"]);
    assert_ok(&sb.rctr(&["exec", "x", "true"]));
    assert_exit(&sb.rctr(&["exec", "x", "sh", "-c", "exit 7"]), 7);
    assert_exit(&sb.rctr(&["exec", "x", "nosuch-cmd"]), 127);
    assert_exit(&sb.rctr(&["exec", "x", "/etc/passwd"]), 126);
    assert_eq!(
        sb.rctr_ok(&["exec", "-u", "nobody", "x", "id", "-un"])
            .trim(),
        "nobody"
    );
    let out = sb.rctr_ok(&[
        "exec",
        "-e",
        "FOO=bar",
        "-w",
        "/tmp",
        "x",
        "sh",
        "-c",
        "echo $FOO; pwd",
    ]);
    assert_eq!(out, "bar\n/tmp\n");
    // Same namespaces as PID 1: it sees the container's processes, hostname and uid map.
    let ps = sb.rctr_ok(&["exec", "x", "ps", "-o", "pid,args"]);
    assert!(ps.lines().any(|l| l.trim() == "1 sleep 1000"), "{ps}");
    let host = sb.rctr_ok(&["exec", "x", "hostname"]);
    let id = inspect(&sb, "x", "{{.Id}}");
    assert_eq!(host.trim(), &id[..12]);
    let status = sb.rctr_ok(&[
        "exec",
        "x",
        "grep",
        "-E",
        "^(CapEff|Seccomp):",
        "/proc/self/status",
    ]);
    assert!(status.contains("CapEff:\t00000000800405fb"), "{status}");
    assert!(status.contains("Seccomp:\t2"), "{status}");
    let status = sb.rctr_ok(&[
        "exec",
        "--privileged",
        "x",
        "grep",
        "-E",
        "^(CapEff|Seccomp):",
        "/proc/self/status",
    ]);
    assert!(status.contains("Seccomp:\t0"), "{status}");
    assert!(status.contains("CapEff:\t000001ffffffffff"), "{status}");
    // SIGPIPE has its default disposition in exec'd processes: `yes | head` ends.
    assert_eq!(
        sb.rctr_ok(&["exec", "x", "sh", "-c", "yes | head -c 100000 | wc -c"])
            .trim(),
        "100000"
    );
    // stdin with -i
    let out = sb.rctr_stdin(&["exec", "-i", "x", "cat"], b"piped\n");
    assert_eq!(stdout(&out), "piped\n");
    // -d returns at once, the process runs in the container.
    assert_ok(&sb.rctr(&["exec", "-d", "x", "sh", "-c", "echo detached > /tmp/d"]));
    eventually(5, "exec -d ran", || {
        sb.rctr_ok(&["exec", "x", "cat", "/tmp/d"])
            .contains("detached")
    });
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", "x"]));
}

#[test]
fn logs_streams_tail_timestamps_follow() {
    require_lab!();
    let sb = sandbox();
    let id = run_d(
        &sb,
        &[
            "busybox",
            "sh",
            "-c",
            "echo one; echo two >&2; printf 'three'; sleep 1; echo ' four'",
        ],
    );
    let out = sb.rctr(&["logs", "-f", &id]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "one\nthree four\n");
    assert_eq!(stderr(&out), "two\n");
    assert_eq!(sb.rctr_ok(&["logs", "--tail", "1", &id]), "three four\n");
    let ts = sb.rctr_ok(&["logs", "-t", "--tail", "1", &id]);
    let (stamp, rest) = ts.split_once(' ').unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(stamp).is_ok(), "{ts}");
    assert_eq!(rest, "three four\n");
    assert_eq!(sb.rctr_ok(&["logs", "--since", "2099-01-01", &id]), "");
    assert_eq!(sb.rctr_ok(&["logs", "--until", "2000-01-01", &id]), "");
    // The on-disk format is podman's k8s-file.
    let log = std::fs::read_to_string(
        sb.data_dir()
            .join("rctr/containers")
            .join(&id)
            .join("ctr.log"),
    )
    .unwrap();
    assert!(log.lines().any(|l| l.ends_with(" stdout F one")), "{log}");
    assert!(log.lines().any(|l| l.ends_with(" stdout P three")), "{log}");
    assert_ok(&sb.rctr(&["rm", &id]));
}

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
    let left: Vec<_> = std::fs::read_dir(sb.data_dir().join("rctr/containers"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "names" && n != "names.lock")
        .collect();
    assert!(left.is_empty(), "left in containers/: {left:?}");
    assert!(
        sb.leftover_pids().is_empty(),
        "processes left: {:?}",
        sb.leftover_pids()
    );
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
    assert!(
        sb.leftover_pids().is_empty(),
        "processes left: {:?}",
        sb.leftover_pids()
    );
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
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        ps_status(&sb, "t").starts_with("running|"),
        "{}",
        ps_status(&sb, "t")
    );
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", "t"]));
}

#[test]
fn create_start_attach_restart_keep_the_writable_layer() {
    require_lab!();
    let sb = sandbox();
    let id = sb
        .rctr_ok(&[
            "create",
            "--name",
            "c",
            "busybox",
            "sh",
            "-c",
            "date >> /stamp; wc -l < /stamp",
        ])
        .trim()
        .to_string();
    assert!(
        ps_status(&sb, "c").starts_with("created|Created"),
        "{}",
        ps_status(&sb, "c")
    );
    let out = sb.rctr(&["start", "-a", "c"]);
    assert_ok(&out);
    assert_eq!(stdout(&out).trim(), "1");
    assert_eq!(sb.rctr_ok(&["start", "c"]).trim(), "c");
    assert_eq!(sb.rctr_ok(&["wait", "c"]).trim(), "0");
    assert_eq!(sb.rctr_ok(&["restart", "c"]).trim(), "c");
    assert_eq!(sb.rctr_ok(&["wait", &id]).trim(), "0");
    assert_eq!(sb.rctr_ok(&["logs", "--tail", "1", "c"]).trim(), "3");
    assert_eq!(inspect(&sb, "c", "{{.RestartCount}}"), "1");
    // Exit codes through start -a and wait.
    sb.rctr_ok(&["create", "--name", "e", "busybox", "sh", "-c", "exit 3"]);
    assert_exit(&sb.rctr(&["start", "-a", "e"]), 3);
    assert_eq!(sb.rctr_ok(&["wait", "e"]).trim(), "3");
    assert!(
        ps_status(&sb, "e").starts_with("exited|Exited (3)"),
        "{}",
        ps_status(&sb, "e")
    );
    assert_ok(&sb.rctr(&["rm", "c", "e"]));
}

#[test]
fn ps_formats_filters_rename_port() {
    require_lab!();
    let sb = sandbox();
    let a = run_d(
        &sb,
        &[
            "--name",
            "alpha",
            "--label",
            "team=blue",
            "busybox",
            "sleep",
            "1000",
        ],
    );
    let b = sb
        .rctr_ok(&["create", "--name", "beta", "busybox", "true"])
        .trim()
        .to_string();
    assert_eq!(sb.rctr_ok(&["ps", "-q"]), format!("{}\n", &a[..12]));
    assert_eq!(
        sb.rctr_ok(&["ps", "-aq", "--no-trunc"]),
        format!("{a}\n{b}\n")
    );
    assert_eq!(
        sb.rctr_ok(&["ps", "-a", "--format", "{{.Names}}", "-n", "1"]),
        "beta\n"
    );
    assert_eq!(
        sb.rctr_ok(&["ps", "--latest", "--format", "{{.Names}}"]),
        "beta\n"
    );
    assert_eq!(
        sb.rctr_ok(&[
            "ps",
            "-a",
            "--filter",
            "status=created",
            "--format",
            "{{.Names}}"
        ]),
        "beta\n"
    );
    // A status filter implies --all (podman); other filters do not.
    assert_eq!(
        sb.rctr_ok(&["ps", "--filter", "status=created", "--format", "{{.Names}}"]),
        "beta\n"
    );
    assert_eq!(
        sb.rctr_ok(&["ps", "--filter", "name=beta", "--format", "{{.Names}}"]),
        ""
    );
    assert_eq!(
        sb.rctr_ok(&[
            "ps",
            "-a",
            "--filter",
            "label=team=blue",
            "--format",
            "{{.Names}}"
        ]),
        "alpha\n"
    );
    assert_eq!(
        sb.rctr_ok(&[
            "ps",
            "-a",
            "--filter",
            "ancestor=busybox",
            "--format",
            "{{.Names}}"
        ]),
        "alpha\nbeta\n"
    );
    assert_eq!(
        sb.rctr_ok(&[
            "ps",
            "-a",
            "--filter",
            &format!("id={}", &b[..6]),
            "--format",
            "{{.Names}}"
        ]),
        "beta\n"
    );
    assert_eq!(
        sb.rctr_ok(&[
            "ps",
            "-a",
            "--format",
            "{{.Names}} {{.Command}} {{.Image}}",
            "--filter",
            "name=alp"
        ]),
        "alpha sleep 1000 127.0.0.1:5100/busybox:latest\n"
    );
    let table = sb.rctr_ok(&["ps", "-a", "--format", "table {{.ID}} {{.Names}}"]);
    assert_eq!(table.lines().next().unwrap(), "CONTAINER ID  NAMES");
    let json: serde_json::Value =
        serde_json::from_str(&sb.rctr_ok(&["ps", "-a", "--format", "json"])).unwrap();
    assert_eq!(json[0]["Names"][0], "alpha");
    assert_eq!(json[0]["State"], "running");
    assert_eq!(json[1]["Id"], b.as_str());
    assert_exit(&sb.rctr(&["ps", "--filter", "bogus=1"]), 125);
    // rename
    assert_ok(&sb.rctr(&["rename", "beta", "gamma"]));
    assert_eq!(inspect(&sb, "gamma", "{{.Id}}"), b);
    assert_exit(&sb.rctr(&["inspect", "beta"]), 125);
    let out = sb.rctr(&["rename", "gamma", "alpha"]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("already in use"),
        "{}",
        describe(&out)
    );
    // no ports published: nothing listed
    assert_eq!(sb.rctr_ok(&["port", "alpha"]), "");
    assert_ok(&sb.rctr(&["container", "rm", "-f", "-t", "0", "alpha", "gamma"]));
}

#[test]
fn container_prune_and_system_reset() {
    require_lab!();
    let sb = sandbox();
    run_d(&sb, &["--name", "keep", "busybox", "sleep", "1000"]);
    let gone = sb
        .rctr_ok(&["create", "busybox", "true"])
        .trim()
        .to_string();
    assert_eq!(sb.rctr_ok(&["container", "prune", "-f"]).trim(), gone);
    assert_eq!(
        sb.rctr_ok(&["ps", "-a", "--format", "{{.Names}}"]),
        "keep\n"
    );
    // Without -f the prompt decides; "n" keeps everything.
    let out = sb.rctr_stdin(&["system", "reset"], b"n\n");
    assert_ok(&out);
    assert_eq!(
        sb.rctr_ok(&["ps", "-a", "--format", "{{.Names}}"]),
        "keep\n"
    );
    assert_ok(&sb.rctr(&["system", "reset", "-f"]));
    assert!(
        !sb.data_dir().join("rctr").exists(),
        "the store must be gone"
    );
    assert_eq!(sb.rctr_ok(&["ps", "-aq"]), "");
    assert!(
        sb.leftover_pids().is_empty(),
        "processes left: {:?}",
        sb.leftover_pids()
    );
}

#[test]
fn detached_rm_and_single_id_user() {
    require_lab!();
    let sb = sandbox();
    // -d --rm: the monitor removes the container once it exits.
    // Its anonymous volume goes with it; `rm -v` does the same for a kept container.
    let id = run_d(
        &sb,
        &["--rm", "-v", "/data", "busybox", "sh", "-c", "echo bye"],
    );
    eventually(10, "the --rm container is gone", || {
        !sb.rctr(&["container", "exists", &id]).status.success()
    });
    assert_eq!(sb.rctr_ok(&["ps", "-aq"]), "");
    assert_eq!(sb.rctr_ok(&["volume", "ls", "-q"]), "");
    run_d(
        &sb,
        &["--name", "v", "-v", "/data", "busybox", "sleep", "1000"],
    );
    assert_eq!(sb.rctr_ok(&["volume", "ls", "-q"]).lines().count(), 1);
    assert_ok(&sb.rctr(&["rm", "-f", "-v", "-t", "0", "v"]));
    assert_eq!(sb.rctr_ok(&["volume", "ls", "-q"]), "");
    // A user without subordinate IDs (single-ID mode) gets the same lifecycle.
    let ns = Sandbox::new_nosub();
    assert_ok(&ns.rctr(&["pull", "-q", "busybox"]));
    let id = ns
        .rctr_ok(&["run", "-d", "--name", "solo", "busybox", "sleep", "1000"])
        .trim()
        .to_string();
    assert_eq!(id.len(), 64);
    assert_eq!(ns.rctr_ok(&["exec", "solo", "id", "-u"]).trim(), "0");
    let map = ns.rctr_ok(&["exec", "solo", "cat", "/proc/self/uid_map"]);
    assert_eq!(
        map.split_whitespace().collect::<Vec<_>>(),
        ["0", &nosub_user().uid.to_string(), "1"]
    );
    assert_ok(&ns.rctr(&["stop", "-t", "0", "solo"]));
    assert_ok(&ns.rctr(&["rm", "solo"]));
    assert!(
        ns.leftover_pids().is_empty(),
        "processes left: {:?}",
        ns.leftover_pids()
    );
}
