//! `exec` into a running container, black-box, as the unprivileged lab user: podman's exit
//! codes (125/126/127, the process's own), `-u`/`-e`/`-w`, the same namespaces as PID 1,
//! capabilities and seccomp as `run` (or none with `--privileged`), stdin, `-d`.
mod common;
mod lifecycle_support;
use common::*;
use lifecycle_support::*;

#[test]
fn exec_codes_user_env_workdir() {
    require_lab!();
    let sb = sandbox();
    run_d(&sb, &["--name", "x", "busybox", "sleep", "1000"]);
    assert_ok(&sb.rctr(&["exec", "x", "true"]));
    assert_exit(&sb.rctr(&["exec", "x", "sh", "-c", "exit 7"]), 7);
    assert_exit(&sb.rctr(&["exec", "x", "nosuch-cmd"]), 127);
    assert_exit(&sb.rctr(&["exec", "x", "/etc/passwd"]), 126);
    // A user the image does not know: libpod resolves it before the runtime, so 125.
    let out = sb.rctr(&["exec", "-u", "nosuch", "x", "true"]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("unable to find user nosuch"),
        "{}",
        stderr(&out)
    );
    // `-u uid:gid` numeric, no passwd entry needed; the container's groups stay out.
    assert_eq!(
        sb.rctr_ok(&["exec", "-u", "1234:5678", "x", "id"]).trim(),
        "uid=1234 gid=5678 groups=5678"
    );
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
