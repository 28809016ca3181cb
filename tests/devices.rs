//! `--device` black-box, as the unprivileged lab user: host nodes bound at another container
//! path, CDI devices from the user's `$XDG_CONFIG_HOME/cdi` (device nodes, a mount, env),
//! inspect's `HostConfig.Devices`, and the bad cases (one line, exit 125, nothing created).
mod common;
mod run_support;
use common::*;
use run_support::*;
use std::path::Path;

/// Write `text` to `path` as the sandbox's user (rctr reads its spec files as that user).
fn write_as_user(sb: &Sandbox, path: &Path, text: &str) {
    let u = sb.user();
    let dir = path.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::os::unix::fs::chown(dir, Some(u.uid), Some(u.gid)).unwrap();
    std::fs::write(path, text).unwrap();
    std::os::unix::fs::chown(path, Some(u.uid), Some(u.gid)).unwrap();
}

/// A CDI spec with device `d1`: /dev/null at /dev/mynull, /dev/zero (read-only), `share`
/// mounted read-only at /shared, and a variable; the spec's own edits add another.
fn cdi_spec(share: &Path) -> String {
    format!(
        r#"cdiVersion: "0.6.0"
kind: test.example/dev
containerEdits:
  env: [FROM_SPEC=spec]
devices:
  - name: d1
    containerEdits:
      env: [TEST_DEVICE=d1]
      deviceNodes:
        - path: /dev/mynull
          hostPath: /dev/null
        - path: /dev/zero
          permissions: r
      mounts:
        - hostPath: {}
          containerPath: /shared
          options: [ro, nosuid, nodev, bind]
  - name: d2
    containerEdits:
      deviceNodes:
        - path: /dev/full
"#,
        share.display()
    )
}

/// A sandbox with busybox and the test CDI spec; the shared host dir holds `hello`.
fn cdi_sandbox() -> Sandbox {
    let sb = sandbox();
    let share = sb.path().join("share");
    std::fs::create_dir_all(&share).unwrap();
    std::fs::write(share.join("hello"), "from the host\n").unwrap();
    // Root-owned, readable by everyone: the container sees it through the user's mapping.
    assert_ok(&sb.sh(&format!("test -r {}/hello", share.display())));
    write_as_user(
        &sb,
        &sb.config_home().join("cdi/test.yaml"),
        &cdi_spec(&share),
    );
    sb
}

#[test]
fn cdi_device_nodes_mounts_and_env() {
    require_lab!();
    let sb = cdi_sandbox();
    let script = "test -c /dev/mynull && echo x > /dev/mynull && echo null-ok; \
                  test -c /dev/zero && head -c 2 /dev/zero | od -An -tx1; \
                  cat /shared/hello; touch /shared/x 2>/dev/null || echo shared-ro; \
                  echo $TEST_DEVICE $FROM_SPEC; test -e /dev/full && echo full";
    let out = run(
        &sb,
        &[
            "--device",
            "test.example/dev=d1",
            "busybox",
            "sh",
            "-c",
            script,
        ],
    );
    assert_eq!(
        out, "null-ok\n 00 00\nfrom the host\nshared-ro\nd1 spec\nfull\n",
        "the default devices stay (/dev/full), the CDI ones are added"
    );
    // NAME=all: every device of the kind.
    let all = run(
        &sb,
        &[
            "--device",
            "test.example/dev=all",
            "busybox",
            "sh",
            "-c",
            "test -c /dev/mynull && test -c /dev/full && echo both",
        ],
    );
    assert_eq!(all, "both\n");
    assert_no_containers(&sb);
}

#[test]
fn host_device_at_another_path_and_inspect() {
    require_lab!();
    let sb = cdi_sandbox();
    let out = run(
        &sb,
        &[
            "--device",
            "/dev/zero:/dev/myzero",
            "busybox",
            "sh",
            "-c",
            "test -c /dev/myzero && head -c 3 /dev/myzero | od -An -tx1",
        ],
    );
    assert_eq!(out, " 00 00 00\n");
    assert_no_containers(&sb);
    sb.rctr_ok(&[
        "create",
        "--name",
        "dev",
        "--device",
        "/dev/zero:/dev/myzero:r",
        "--device",
        "test.example/dev=d2",
        "busybox",
    ]);
    let devs = sb.rctr_ok(&["inspect", "--format", "{{json .HostConfig.Devices}}", "dev"]);
    let v: serde_json::Value = serde_json::from_str(&devs).unwrap();
    assert_eq!(
        v,
        serde_json::json!([
            {"PathOnHost": "/dev/zero", "PathInContainer": "/dev/myzero", "CgroupPermissions": "r"},
            {"PathOnHost": "/dev/full", "PathInContainer": "/dev/full", "CgroupPermissions": "rwm"},
        ])
    );
    // `rm` leaves the deletion of the files to a detached helper: ps is what counts here.
    sb.rctr_ok(&["rm", "dev"]);
    assert_eq!(sb.rctr_ok(&["ps", "-aq"]), "");
}

/// Run, expect 125, one `Error:` line containing every needle, and no container left.
#[track_caller]
fn fails(sb: &Sandbox, device: &str, needles: &[&str]) {
    let out = sb.rctr(&["run", "--rm", "--device", device, "busybox", "true"]);
    assert_exit(&out, 125);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected\n{}", describe(&out));
    assert!(lines[0].starts_with("Error: "), "{}", describe(&out));
    for n in needles {
        assert!(lines[0].contains(n), "missing {n:?}\n{}", describe(&out));
    }
    assert_no_containers(sb);
}

#[test]
fn bad_devices_one_line_and_nothing_created() {
    require_lab!();
    let sb = cdi_sandbox();
    fails(
        &sb,
        "test.example/dev=nope",
        &["unknown CDI device test.example/dev=nope", "d1, d2"],
    );
    fails(
        &sb,
        "other.example/x=y",
        &[
            "unknown CDI device kind other.example/x",
            "test.example/dev",
        ],
    );
    fails(&sb, "/dev/rctr-no-such-device", &["no such device node"]);
    fails(&sb, "/etc/passwd", &["/etc/passwd is not a device"]);
    fails(
        &sb,
        "/dev/zero:relative",
        &["container path must be absolute"],
    );
    let gpus = sb.rctr(&["run", "--rm", "--gpus", "all", "busybox", "true"]);
    assert_exit(&gpus, 125);
    assert!(
        stderr(&gpus).contains("unknown CDI device kind nvidia.com/gpu"),
        "{}",
        describe(&gpus)
    );
    let broken = sb.config_home().join("cdi/broken.json");
    write_as_user(&sb, &broken, "{\"cdiVersion\": \"0.6.0\", \"kind\": ");
    fails(
        &sb,
        "test.example/dev=missing",
        &["CDI spec", &broken.display().to_string()],
    );
    assert_no_containers(&sb);
}
