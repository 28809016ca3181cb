//! `rctr run` black-box, as the unprivileged lab users: bind mounts (options, ownership,
//! relabel and propagation flags) and named volumes (copy-up, reuse, `rm -v`).
mod common;
mod run_support;
use common::*;
use run_support::*;

#[test]
fn bind_mounts_and_ownership() {
    require_lab!();
    let sb = sandbox();
    let host = sb.home().join("shared");
    assert_ok(&sb.sh(&format!("mkdir -p {}", host.display())));
    let v = format!("{}:/data", host.display());
    run(
        &sb,
        &[
            "-v",
            &v,
            "busybox",
            "sh",
            "-c",
            "echo hi > /data/f; mkdir /data/d",
        ],
    );
    let owners = sb.sh(&format!("stat -c %u:%g {0}/f {0}/d", host.display()));
    let u = user();
    let want = format!("{0}:{1}\n{0}:{1}\n", u.uid, u.gid);
    assert_eq!(
        stdout(&owners),
        want,
        "files created inside belong to the user on the host"
    );
    // :ro, --mount, --tmpfs, --read-only.
    let ro = sb.rctr(&[
        "run",
        "--rm",
        "-v",
        &format!("{v}:ro"),
        "busybox",
        "touch",
        "/data/x",
    ]);
    assert_exit(&ro, 1);
    let m = format!("type=bind,source={},target=/m,readonly", host.display());
    assert_eq!(run(&sb, &["--mount", &m, "busybox", "cat", "/m/f"]), "hi\n");
    let t = run(
        &sb,
        &[
            "--tmpfs",
            "/scratch:size=1m",
            "busybox",
            "sh",
            "-c",
            "mount | grep /scratch",
        ],
    );
    assert!(t.contains("tmpfs") && t.contains("size=1024k"), "{t}");
    let r = run(
        &sb,
        &[
            "--read-only",
            "busybox",
            "sh",
            "-c",
            "touch /x 2>/dev/null || echo ro; touch /tmp/y && echo tmp",
        ],
    );
    assert_eq!(r, "ro\ntmp\n");
    assert_no_containers(&sb);
}

#[test]
fn named_volumes() {
    require_lab!();
    let sb = sandbox();
    assert_eq!(sb.rctr_ok(&["volume", "create", "v1"]), "v1\n");
    let dup = sb.rctr(&["volume", "create", "v1"]);
    assert_exit(&dup, 125);
    // First use copies the image's directory in; /etc/hostname stays the container's.
    let out = run(
        &sb,
        &[
            "-v",
            "v1:/etc",
            "busybox",
            "sh",
            "-c",
            "cat /etc/passwd | head -1; echo x > /etc/new",
        ],
    );
    assert_eq!(out, "root:x:0:0:root:/root:/bin/sh\n");
    assert_eq!(
        run(&sb, &["-v", "v1:/etc", "busybox", "cat", "/etc/new"]),
        "x\n"
    );
    let ls = sb.rctr_ok(&["volume", "ls"]);
    assert!(
        ls.starts_with("DRIVER") && ls.contains("local       v1"),
        "{ls}"
    );
    let insp = sb.rctr_ok(&["volume", "inspect", "v1"]);
    let j: serde_json::Value = serde_json::from_str(&insp).unwrap();
    assert_eq!(j[0]["Name"], "v1");
    assert!(j[0]["Mountpoint"]
        .as_str()
        .unwrap()
        .ends_with("/volumes/v1/_data"));
    // In use by a (stopped) container: rm refuses with podman's exit code 2.
    sb.rctr_ok(&[
        "run", "-d", "--name", "user1", "-v", "v1:/v", "busybox", "sleep", "60",
    ]);
    assert_exit(&sb.rctr(&["volume", "rm", "v1"]), 2);
    sb.rctr_ok(&["rm", "-f", "-t", "0", "user1"]);
    assert_eq!(sb.rctr_ok(&["volume", "rm", "v1"]), "v1\n");
    assert_exit(&sb.rctr(&["volume", "rm", "v1"]), 1);
    // Anonymous volumes go with a --rm container; prune removes unused named ones.
    run(&sb, &["-v", "/anon", "busybox", "true"]);
    sb.rctr_ok(&["volume", "create", "v2"]);
    assert_eq!(sb.rctr_ok(&["volume", "ls", "-q"]), "v2\n");
    assert_eq!(sb.rctr_ok(&["volume", "prune", "-f"]), "v2\n");
    assert_eq!(sb.rctr_ok(&["volume", "ls", "-q"]), "");
}
