//! Resource limits on a host that cannot apply them rootless (cgroup v1/hybrid, or nothing
//! delegated: this lab host), as the unprivileged user: one line naming the limits, why and
//! the fix, then the container runs; `--cgroups=required` fails with 125 and creates
//! nothing; bad values are refused in one line; inspect shows what was asked.
mod common;
use common::*;

fn sandbox() -> Sandbox {
    Sandbox::with_busybox(&user())
}

/// cgroup v1 or hybrid: the fix is cgroup v2, which only an administrator can switch to.
fn host_is_v1_or_hybrid() -> bool {
    const CGROUP2_SUPER_MAGIC: i64 = 0x6367_7270;
    rustix::fs::statfs("/sys/fs/cgroup").is_ok_and(|s| s.f_type != CGROUP2_SUPER_MAGIC)
}

#[test]
fn limits_the_host_cannot_apply_warn_once_or_fail_when_required() {
    require_lab!();
    let sb = sandbox();
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--memory",
        "64m",
        "--pids-limit",
        "20",
        "busybox",
        "echo",
        "ran",
    ]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "ran\n");
    let e = stderr(&out);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.starts_with("Warning: --memory, --pids-limit not applied: "),
        "{e}"
    );
    if host_is_v1_or_hybrid() {
        assert!(e.contains("systemd.unified_cgroup_hierarchy=1"), "{e}");
    }
    // No limit asked: not a word.
    let out = sb.rctr(&["run", "--rm", "busybox", "true"]);
    assert_ok(&out);
    assert_eq!(stderr(&out), "");
    for (mode, says) in [
        (
            "--cgroups=required",
            "--memory cannot be applied (--cgroups=required): ",
        ),
        (
            "--cgroups=disabled",
            "--memory cannot be applied with --cgroups=disabled",
        ),
    ] {
        let out = sb.rctr(&["run", "--rm", mode, "--memory", "64m", "busybox", "true"]);
        assert_exit(&out, 125);
        let e = stderr(&out);
        assert!(e.contains(says), "{mode}: {e}");
        assert_eq!(e.lines().count(), 1, "{e}");
    }
    // Inside a Slurm job the job's limits apply, and the line says so.
    sb.env("SLURM_JOB_ID", "4242");
    let out = sb.rctr(&["run", "--rm", "--cpus", "0.5", "busybox", "true"]);
    assert_ok(&out);
    let e = stderr(&out);
    assert!(
        e.contains("Slurm job 4242") && e.contains("--cpus-per-task"),
        "{e}"
    );
    assert!(sb.containers_in_store().is_empty());
}

#[test]
fn bad_limits_are_refused_and_inspect_shows_good_ones() {
    require_lab!();
    let sb = sandbox();
    for (args, says) in [
        (
            &["--memory", "1m"][..],
            "minimum memory limit allowed is 6MB",
        ),
        (&["--memory", "lots"][..], "--memory \"lots\""),
        (&["--memory-swap", "1g"][..], "needs --memory"),
        (&["--cpus", "0"][..], "smallest CPU limit"),
        (&["--cpuset-cpus", "a-b"][..], "--cpuset-cpus"),
        (&["--pids-limit", "x"][..], "--pids-limit"),
        (&["--cgroups", "split"][..], "not supported"),
    ] {
        let mut a = vec!["create"];
        a.extend(args);
        a.extend(["busybox", "true"]);
        let out = sb.rctr(&a);
        assert_exit(&out, 125);
        let e = stderr(&out);
        assert!(e.contains(says), "{args:?}: {e}");
        assert_eq!(e.lines().count(), 1, "{e}");
    }
    assert!(sb.containers_in_store().is_empty());
    let id = sb.rctr_ok(&[
        "create",
        "--memory",
        "64m",
        "--cpus",
        "1.5",
        "--cpu-shares",
        "512",
        "--cpuset-cpus",
        "0",
        "--pids-limit",
        "20",
        "busybox",
        "true",
    ]);
    let hc = sb.rctr_ok(&["inspect", "--format", "{{json .HostConfig}}", id.trim()]);
    let hc: serde_json::Value = serde_json::from_str(&hc).unwrap();
    assert_eq!(hc["Memory"], 64 << 20);
    assert_eq!(hc["NanoCpus"], 1_500_000_000u64);
    assert_eq!(hc["CpuQuota"], 150_000);
    assert_eq!(hc["CpuPeriod"], 100_000);
    assert_eq!(hc["CpuShares"], 512);
    assert_eq!(hc["CpusetCpus"], "0");
    assert_eq!(hc["PidsLimit"], 20);
}

/// The cgroup manager is chosen by `--cgroup-manager` or containers.conf's `[engine]
/// cgroup_manager`; a bad value in either is one line and exit 125, and nothing is created.
#[test]
fn the_cgroup_manager_flag_and_config_key_are_checked() {
    require_lab!();
    let sb = sandbox();
    let out = sb.rctr(&["--cgroup-manager", "upstart", "create", "busybox", "true"]);
    assert_exit(&out, 125);
    let e = stderr(&out);
    assert!(e.contains("invalid cgroup manager \"upstart\""), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    let conf = sb.config_home().join("containers/containers.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(&conf, "[engine]\ncgroup_manager = \"nope\"\n").unwrap();
    let out = sb.rctr(&["create", "busybox", "true"]);
    assert_exit(&out, 125);
    let e = stderr(&out);
    assert!(e.contains("[engine] cgroup_manager"), "{e}");
    assert!(sb.containers_in_store().is_empty());
    // A good value: on this host (no cgroup v2 of the user's) the container stays where it
    // is, without a word, and inspect says no manager placed it.
    std::fs::write(&conf, "[engine]\ncgroup_manager = \"cgroupfs\"\n").unwrap();
    let out = sb.rctr(&["create", "busybox", "true"]);
    assert_ok(&out);
    assert_eq!(stderr(&out), "");
    let m = sb.rctr_ok(&[
        "inspect",
        "--format",
        "{{.HostConfig.CgroupManager}}|",
        stdout(&out).trim(),
    ]);
    assert_eq!(m.trim(), "|");
}

/// `stats` of a container without a cgroup of its own: one warning line, and podman's
/// columns with `--` (never made-up numbers); JSON in podman's keys; an unknown name is 125.
#[test]
fn stats_without_a_cgroup_says_so() {
    require_lab!();
    let sb = sandbox();
    sb.rctr_ok(&["run", "-d", "--name", "st", "busybox", "sleep", "600"]);
    let out = sb.rctr(&["stats", "--no-stream"]);
    assert_ok(&out);
    let o = stdout(&out);
    let mut lines = o.lines();
    let head: Vec<&str> = lines
        .next()
        .unwrap()
        .split("  ")
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        head.iter().map(|s| s.trim()).collect::<Vec<_>>(),
        [
            "ID",
            "NAME",
            "CPU %",
            "MEM USAGE / LIMIT",
            "MEM %",
            "NET IO",
            "BLOCK IO",
            "PIDS",
            "CPU TIME",
            "AVG CPU %"
        ]
    );
    assert!(lines.next().unwrap().contains(" st "), "{o}");
    let e = stderr(&out);
    assert!(e.starts_with("Warning: st has no cgroup of its own"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    let j = sb.rctr_ok(&["stats", "--no-stream", "--format", "json", "st"]);
    let j: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(j[0]["name"], "st");
    assert_eq!(j[0]["pids"], "--");
    let out = sb.rctr(&["stats", "--no-stream", "nosuch"]);
    assert_exit(&out, 125);
    sb.rctr_ok(&["rm", "-f", "-t", "0", "st"]);
}
