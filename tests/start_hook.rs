//! The start path's pre-start hook, seen through `--pidfile`: the file holds PID 1 (as the
//! host sees it) before the container's command runs, for every way of starting; a hook
//! that fails stops the start with one clear line, podman's 125, and nothing running.
mod common;
use common::*;

/// A sandbox (rctrtest, with subordinate IDs) with busybox pulled.
fn sandbox() -> Sandbox {
    Sandbox::with_busybox(&user())
}

/// The command reads the pid file through a bind mount of its directory: it was written
/// before the command ran, and it names a process of the host.
#[test]
fn pidfile_is_written_before_the_command_runs() {
    require_lab!();
    let sb = sandbox();
    let dir = sb.tmp_dir().join("pids");
    assert_ok(&sb.sh(&format!("mkdir -p {}", dir.display())));
    let vol = format!("{}:/pids", dir.display());
    let pidfile = dir.join("fg");
    let pf = pidfile.to_string_lossy().into_owned();
    for rm in [true, false] {
        let mut args = vec![
            "run",
            "--pidfile",
            &pf,
            "-v",
            &vol,
            "busybox",
            "cat",
            "/pids/fg",
        ];
        if rm {
            args.insert(1, "--rm");
        }
        let out = sb.rctr(&args);
        assert_ok(&out);
        let said = stdout(&out);
        let pid: i32 = said
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{}", describe(&out)));
        assert!(pid > 1, "{said:?}");
        assert_eq!(
            std::fs::read_to_string(&pidfile).unwrap(),
            said.trim(),
            "no newline, as podman"
        );
    }
    // Detached, and again at `start`: the file follows PID 1 of each start.
    let d = dir.join("d").to_string_lossy().into_owned();
    let id = sb.rctr_ok(&["run", "-d", "--pidfile", &d, "busybox", "sleep", "600"]);
    let id = id.trim();
    let running = sb.rctr_ok(&["inspect", "--format", "{{.State.Pid}}", id]);
    assert_eq!(std::fs::read_to_string(&d).unwrap(), running.trim());
    assert_ok(&sb.rctr(&["stop", "-t", "0", id]));
    assert_ok(&sb.rctr(&["start", id]));
    let again = sb.rctr_ok(&["inspect", "--format", "{{.State.Pid}}", id]);
    assert_ne!(again.trim(), running.trim());
    assert_eq!(std::fs::read_to_string(&d).unwrap(), again.trim());
    assert_ok(&sb.rctr(&["rm", "-f", "-t", "0", id]));
}

/// A pid file that cannot be written: the command never runs, one `Error:` line naming the
/// flag, exit 125, the container not running, no process left.
#[test]
fn a_failing_pre_start_hook_stops_the_start() {
    require_lab!();
    let sb = sandbox();
    let bad = sb.tmp_dir().join("no/such/dir/pid");
    let bad = bad.to_string_lossy().into_owned();
    for detach in [false, true] {
        let name = format!("hookfail{}", detach as u8);
        let mut args = vec![
            "run",
            "--name",
            &name,
            "--pidfile",
            &bad,
            "busybox",
            "echo",
            "RAN",
        ];
        if detach {
            args.insert(1, "-d");
        }
        let out = sb.rctr(&args);
        assert_exit(&out, 125);
        assert!(!stdout(&out).contains("RAN"), "{}", describe(&out));
        let err = stderr(&out);
        let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one line expected\n{}", describe(&out));
        assert!(
            lines[0].starts_with("Error: ") && lines[0].contains("--pidfile"),
            "{}",
            describe(&out)
        );
        let status = sb.rctr_ok(&["inspect", "--format", "{{.State.Status}}", &name]);
        assert_ne!(status.trim(), "running");
        assert_ok(&sb.rctr(&["rm", "-f", &name]));
    }
    sb.assert_no_leftovers_within(std::time::Duration::from_secs(5));
}
