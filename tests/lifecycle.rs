//! The daemonless container lifecycle, black-box, as the unprivileged lab user: `run -d`
//! under the monitor, ps/logs/inspect/stop/kill/start/restart/wait/rm, podman's exit
//! codes for unknown or ambiguous names and wrong states. The faults (killed monitor, log
//! flood, parallel runs, closed terminal) are in `lifecycle_faults.rs`, exec in `exec.rs`.
mod common;
mod lifecycle_support;
use common::*;
use lifecycle_support::*;
use std::time::{Duration, Instant};

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
    assert_no_leftovers(&sb);
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
    assert_no_leftovers(&sb);
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
    assert_no_leftovers(&sb);
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
    // (the volume goes right after the record: a volume in use cannot be removed)
    eventually(10, "the anonymous volume is gone", || {
        sb.rctr_ok(&["volume", "ls", "-q"]).is_empty()
    });
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
    assert_no_leftovers(&ns);
}

#[test]
fn attach_follows_output_and_forwards_signals() {
    require_lab!();
    let sb = sandbox();
    run_d(
        &sb,
        &[
            "--name",
            "at",
            "busybox",
            "sh",
            "-c",
            "trap 'echo got-term; exit 5' TERM; while :; do echo tick; sleep 0.1; done",
        ],
    );
    let mut child = sb
        .cmd(&["attach", "at"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // attach blocks the signals it forwards before it follows the output, so a first line
    // relayed live means SIGTERM now reaches the container. The lines go through a channel:
    // a hung attach fails the test after 30 s instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let lines = std::thread::spawn(move || {
        for l in std::io::BufRead::lines(reader).map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let first = rx.recv_timeout(Duration::from_secs(30));
    if first.is_err() {
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
    }
    assert_eq!(first.as_deref(), Ok("tick"), "attach relayed no output");
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let out = child.wait_with_output().unwrap();
    lines.join().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", describe(&out));
    let text: Vec<String> = rx.try_iter().collect();
    assert_eq!(
        text.last().map(String::as_str),
        Some("got-term"),
        "{text:?}"
    );
    assert!(
        text[..text.len() - 1].iter().all(|l| l == "tick"),
        "{text:?}"
    );
    assert_exit(&sb.rctr(&["attach", "at"]), 125);
    assert_ok(&sb.rctr(&["rm", "at"]));
}

#[test]
fn rm_removes_files_written_under_subordinate_ids() {
    require_lab!();
    let sb = sandbox();
    // Files of another container user, in a directory the host user cannot enter.
    assert_ok(&sb.rctr(&[
        "run",
        "--name",
        "owner",
        "busybox",
        "sh",
        "-c",
        "mkdir -p /x/y && touch /x/y/z && chown -R 1000:1000 /x && chmod 700 /x /x/y",
    ]));
    let id = inspect(&sb, "owner", "{{.Id}}");
    assert_ok(&sb.rctr(&["rm", "owner"]));
    let root = sb.data_dir().join("rctr/containers");
    eventually(10, "the container's files are gone", || {
        !root.join(&id).exists() && !root.join(format!(".removing-{id}")).exists()
    });
    assert_no_leftovers(&sb);
}
