//! `rctr run` black-box, as the unprivileged lab users: the container's view (ID mapping,
//! PID 1, network, capabilities, seccomp, masked paths, layered image), terminals,
//! users, exit codes and signals, FUSE and keep-id roots, and debian.
mod common;
mod run_support;
use common::*;
use run_support::*;

#[test]
fn busybox_view_of_the_container() {
    require_lab!();
    let sb = sandbox();
    let u = user();
    let out = run(
        &sb,
        &["busybox", "cat", "/proc/self/uid_map", "/proc/self/gid_map"],
    );
    let lines: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(lines[0], vec!["0", &u.uid.to_string(), "1"], "{out}");
    let r = subuid_range(&u);
    let (start, count) = (r.start.to_string(), r.count.to_string());
    assert_eq!(lines[1], vec!["1", &start, &count], "{out}");
    // The command is PID 1, and the only process.
    let ps = run(&sb, &["busybox", "ps", "-o", "pid,args"]);
    let rows: Vec<&str> = ps.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{ps}");
    assert!(rows[0].trim().starts_with("1 ps -o pid,args"), "{ps}");
    // --network none: a private namespace with lo only, and it is up; the default
    // (slirp4netns) adds tap0.
    for (net, want) in [
        (&["--network", "none"][..], &["lo"][..]),
        (&[], &["lo", "tap0"]),
    ] {
        let mut a = net.to_vec();
        a.extend(["busybox", "cat", "/proc/net/dev"]);
        let dev = run(&sb, &a);
        let ifaces: Vec<&str> = dev
            .lines()
            .skip(2)
            .filter_map(|l| l.split(':').next())
            .map(str::trim)
            .collect();
        assert_eq!(ifaces, want, "{dev}");
    }
    let lo = run(&sb, &["busybox", "ip", "link", "show", "lo"]);
    assert!(lo.contains("UP"), "{lo}");
    // Hostname: the first 12 hex digits of the ID.
    let h = run(&sb, &["busybox", "hostname"]);
    assert_eq!(h.trim().len(), 12, "{h}");
    assert_no_containers(&sb);
}

#[test]
fn podman_default_privileges() {
    require_lab!();
    let sb = sandbox();
    let st = run(&sb, &["busybox", "cat", "/proc/self/status"]);
    let field = |k: &str| {
        st.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    // podman 4's default_capabilities, exactly.
    assert_eq!(field("CapEff"), "00000000800405fb");
    assert_eq!(field("CapPrm"), "00000000800405fb");
    assert_eq!(field("CapBnd"), "00000000800405fb");
    assert_eq!(field("CapInh"), "0000000000000000");
    assert_eq!(field("CapAmb"), "0000000000000000");
    assert_eq!(field("Seccomp"), "2");
    assert_eq!(field("NoNewPrivs"), "0");
    // Masked paths: empty read-only tmpfs over directories, /dev/null over files; read-only
    // /proc/sys.
    let script = "ls -A /sys/firmware | wc -l; cat /proc/keys | wc -c; \
                  echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo sys-writable || echo sys-ro; \
                  mount | grep -c ' /sys/firmware '";
    let out = run(&sb, &["busybox", "sh", "-c", script]);
    assert_eq!(
        out.split_whitespace().collect::<Vec<_>>(),
        vec!["0", "0", "sys-ro", "1"],
        "{out}"
    );
    // --privileged: all capabilities, no filter; no-new-privileges on request.
    let p = run(
        &sb,
        &[
            "--privileged",
            "busybox",
            "grep",
            "-E",
            "^(CapEff|Seccomp):",
            "/proc/self/status",
        ],
    );
    assert!(
        p.contains("Seccomp:\t0") && !p.contains("CapEff:\t00000000800405fb"),
        "{p}"
    );
    let n = run(
        &sb,
        &[
            "--security-opt",
            "no-new-privileges",
            "busybox",
            "grep",
            "NoNewPrivs",
            "/proc/self/status",
        ],
    );
    assert!(n.contains("NoNewPrivs:\t1"), "{n}");
    let c = run(
        &sb,
        &[
            "--cap-drop",
            "all",
            "--cap-add",
            "net_raw",
            "busybox",
            "grep",
            "CapEff",
            "/proc/self/status",
        ],
    );
    assert!(c.contains("0000000000002000"), "{c}");
    // A non-root user gets the set only in its bounding set (podman's rule).
    let u = run(
        &sb,
        &[
            "-u",
            "1000",
            "busybox",
            "grep",
            "CapEff",
            "/proc/self/status",
        ],
    );
    assert!(u.contains("0000000000000000"), "{u}");
}

#[test]
fn layered_image_matches_golden() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let out = sb.rctr_stdin(
        &["run", "--rm", "-i", "layered", "sh", "-s", "/"],
        &list_tree_script(),
    );
    assert_ok(&out);
    assert_eq!(stdout(&out), golden("layered.txt"));
}

#[test]
fn terminal_under_a_real_pty() {
    require_lab!();
    let sb = sandbox();
    let cmd = format!(
        "stty rows 31 cols 97; {} run --rm -it busybox sh -c 'tty; stty size; test -c /dev/console && echo console'",
        rctr_bin().display()
    );
    let out = sb.sh(&format!("script -qec \"{cmd}\" /dev/null"));
    assert_ok(&out);
    let text = stdout(&out);
    assert!(text.contains("/dev/pts/0"), "{text:?}");
    assert!(text.contains("31 97"), "{text:?}");
    assert!(text.contains("console"), "{text:?}");
    // The caller's terminal is restored: `stty -a` after rctr still shows cooked mode.
    let cmd = format!(
        "{} run --rm -it busybox true; stty -a",
        rctr_bin().display()
    );
    let out = sb.sh(&format!("script -qec \"{cmd}\" /dev/null"));
    assert!(stdout(&out).contains(" icanon"), "{}", describe(&out));
}

#[test]
fn image_config_and_flags() {
    require_lab!();
    let sb = sandbox();
    let out = run(
        &sb,
        &[
            "-e",
            "A=1",
            "-e",
            "HOME",
            "-w",
            "/tmp/new",
            "busybox",
            "sh",
            "-c",
            "echo $A $HOME; pwd; echo $container",
        ],
    );
    assert_eq!(
        out,
        format!("1 {}\n/tmp/new\npodman\n", sb.home().display())
    );
    std::fs::write(sb.home().join("envf"), "# c\nB=2\n").unwrap();
    let envf = sb.home().join("envf");
    assert_eq!(
        run(
            &sb,
            &[
                "--env-file",
                envf.to_str().unwrap(),
                "busybox",
                "sh",
                "-c",
                "echo $B"
            ]
        ),
        "2\n"
    );
    assert_eq!(
        run(&sb, &["-u", "user", "busybox", "id"]),
        "uid=1000(user) gid=1000(user) groups=1000(user)\n"
    );
    assert_eq!(run(&sb, &["-u", "1000:33", "busybox", "id", "-g"]), "33\n");
    assert_eq!(
        run(&sb, &["--entrypoint", "echo", "busybox", "a", "b"]),
        "a b\n"
    );
    assert_eq!(run(&sb, &["-h", "box", "busybox", "hostname"]), "box\n");
    assert_eq!(
        run(
            &sb,
            &[
                "--ulimit",
                "nofile=123:456",
                "busybox",
                "sh",
                "-c",
                "ulimit -n; ulimit -Hn"
            ]
        ),
        "123\n456\n"
    );
    let hosts = run(
        &sb,
        &[
            "--name",
            "web1",
            "-h",
            "box",
            "--add-host",
            "cache:10.0.0.9",
            "busybox",
            "cat",
            "/etc/hosts",
        ],
    );
    assert!(
        hosts.contains("10.0.2.100\tbox web1") && hosts.contains("10.0.0.9\tcache"),
        "{hosts}"
    );
    let resolv = run(
        &sb,
        &[
            "--dns",
            "9.9.9.9",
            "--dns-search",
            "x.org",
            "busybox",
            "cat",
            "/etc/resolv.conf",
        ],
    );
    assert_eq!(resolv, "search x.org\nnameserver 9.9.9.9\n");
    // What runs is one OCI spec in the container's bundle, readable by the user.
    let id = sb.rctr_ok(&["run", "-d", "busybox", "sleep", "60"]);
    let spec_path = sb
        .data_dir()
        .join(format!("rctr/containers/{}/bundle/config.json", id.trim()));
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(spec_path).unwrap()).unwrap();
    assert_eq!(spec["process"]["args"], serde_json::json!(["sleep", "60"]));
    assert_eq!(spec["linux"]["seccomp"]["defaultAction"], "SCMP_ACT_ERRNO");
    sb.rctr_ok(&["rm", "-f", "-t", "0", id.trim()]);
}

#[test]
fn exit_codes_and_signals() {
    require_lab!();
    let sb = sandbox();
    assert_exit(
        &sb.rctr(&["run", "--rm", "busybox", "sh", "-c", "exit 7"]),
        7,
    );
    // The container's processes get default signal dispositions: `yes | head` ends (SIGPIPE).
    assert_eq!(
        run(&sb, &["busybox", "sh", "-c", "yes | head -c 1000 | wc -c"]).trim(),
        "1000"
    );
    // Death by signal: 128+N (with --init the command is not PID 1, so SIGKILL applies).
    assert_exit(
        &sb.rctr(&["run", "--rm", "--init", "busybox", "sh", "-c", "kill -9 $$"]),
        137,
    );
    let ps = run(&sb, &["--init", "busybox", "ps", "-o", "pid,comm"]);
    assert!(
        ps.lines().nth(2).unwrap_or("").trim().starts_with("2 ps"),
        "{ps}"
    );
    // SIGTERM to rctr reaches the container's PID 1.
    let mut child = sb
        .cmd(&[
            "run",
            "--rm",
            "busybox",
            "sh",
            "-c",
            "trap 'echo got-term; exit 3' TERM; echo ready; while :; do sleep 0.1; done",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A watchdog: a lost signal must fail the test, not hang it.
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(30));
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
    });
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 6];
    std::io::Read::read_exact(&mut out, &mut first).unwrap();
    assert_eq!(&first, b"ready\n");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    let st = child.wait().unwrap();
    assert_eq!(rest, "got-term\n");
    assert_eq!(st.code(), Some(3));
    assert_no_containers(&sb);
}

#[test]
fn nosub_user_runs_busybox() {
    require_lab!();
    let sb = Sandbox::new_nosub();
    let out = sb.rctr(&[
        "run",
        "--rm",
        "busybox",
        "sh",
        "-c",
        "id -u; cat /proc/self/uid_map",
    ]);
    assert_ok(&out);
    let text = stdout(&out);
    let u = nosub_user();
    assert!(text.starts_with("0\n"), "{text}");
    assert_eq!(
        text.lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>(),
        vec!["0", &u.uid.to_string(), "1"]
    );
    // A second run does not repeat the single-ID notice.
    let again = sb.rctr(&["run", "--rm", "busybox", "true"]);
    assert_ok(&again);
    assert!(
        !stderr(&again).contains("single-ID"),
        "{}",
        describe(&again)
    );
}

#[test]
fn fuse_overlayfs_and_keep_id() {
    require_lab!();
    require!(
        std::path::Path::new("/usr/bin/fuse-overlayfs").exists(),
        "fuse-overlayfs not installed"
    );
    let sb = sandbox();
    let out = sb.rctr_ok(&[
        "--storage-opt",
        "overlay.mount_program=/usr/bin/fuse-overlayfs",
        "run",
        "--rm",
        "busybox",
        "sh",
        "-c",
        "mount | head -1; echo hi > /x; cat /x",
    ]);
    assert!(
        out.starts_with("fuse-overlayfs on / type fuse.fuse-overlayfs"),
        "{out}"
    );
    assert!(out.ends_with("hi\n"));
    // keep-id: the caller's own UID inside; image files keep their owners; bind-mounted
    // files are the caller's.
    let host = sb.home().join("kid");
    assert_ok(&sb.sh(&format!("mkdir -p {}", host.display())));
    let v = format!("{}:/data", host.display());
    let u = user();
    let out = run(
        &sb,
        &[
            "--userns=keep-id",
            "-v",
            &v,
            "busybox",
            "sh",
            "-c",
            "id -u; stat -c %u /bin /home/user; touch /data/f",
        ],
    );
    assert_eq!(out, format!("{}\n0\n1000\n", u.uid));
    assert_eq!(
        stdout(&sb.sh(&format!("stat -c %u {}/f", host.display()))),
        format!("{}\n", u.uid)
    );
    // The FUSE daemon went with the containers.
    assert!(sb.leftover_pids().is_empty(), "{:?}", sb.leftover_pids());
}

#[test]
fn debian_runs() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let out = run(
        &sb,
        &[
            "debian:bookworm",
            "sh",
            "-c",
            "cat /etc/debian_version; id -un; apt-get --version | head -1",
        ],
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("12."), "{out}");
    assert_eq!(lines[1], "root");
    assert!(lines[2].starts_with("apt "), "{out}");
}

#[test]
fn host_network_fds_and_runtime_binary() {
    require_lab!();
    let sb = sandbox();
    // --network host: the host's interfaces, /sys read-only from the host.
    let out = run(
        &sb,
        &[
            "--network",
            "host",
            "busybox",
            "sh",
            "-c",
            "ls /sys/class/net | grep -c .; mount | grep ' /sys '",
        ],
    );
    assert!(
        out.lines().next().unwrap().parse::<u32>().unwrap() > 1,
        "{out}"
    );
    assert!(out.contains("(ro,"), "{out}");
    // Nothing of rctr's leaks into the container (CVE-2024-21626): only stdio, plus the fd
    // `ls` opens itself.
    assert_eq!(
        run(&sb, &["busybox", "ls", "/proc/self/fd"]),
        "0\n1\n2\n3\n"
    );
    // The --init reaper (rctr) is PID 1 but its /proc/1/exe is out of reach (CVE-2019-5736).
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--init",
        "busybox",
        "sh",
        "-c",
        "readlink /proc/1/exe || echo denied",
    ]);
    assert_eq!(stdout(&out).trim(), "denied", "{}", describe(&out));
    // A binary the user owns (so the container's root could write it) runs the helper from a
    // sealed memfd copy instead.
    let own = sb.home().join("rctr-own");
    std::fs::copy(rctr_bin(), &own).unwrap();
    std::os::unix::fs::chown(&own, Some(user().uid), Some(user().gid)).unwrap();
    let mut cmd = sb.sh_cmd(&format!("{} run --rm busybox sleep 3", own.display()));
    let mut child = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let helper_exe = loop {
        let found = sb.leftover_pids().into_iter().find_map(|p| {
            let cmdline = std::fs::read(format!("/proc/{p}/cmdline")).ok()?;
            cmdline
                .windows(6)
                .any(|w| w == b"__init")
                .then(|| std::fs::read_link(format!("/proc/{p}/exe")).ok())
                .flatten()
        });
        if let Some(e) = found {
            break e;
        }
        assert!(std::time::Instant::now() < deadline, "no helper found");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(
        helper_exe
            .to_string_lossy()
            .starts_with("/memfd:rctr-runtime"),
        "{helper_exe:?}"
    );
    assert!(child.wait().unwrap().success());
}
