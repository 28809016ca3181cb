//! Single-file images (issue 18, HPC): `rctr image squash IMAGE -o FILE.sqsh`, then `rctr run
//! FILE.sqsh` (and `--rootfs`) as the user with subordinate IDs and the one without: the
//! container's view, writes, concurrent runs, nothing mounted or running after `--rm`, the
//! image's owners kept, and bad files refused with one line and nothing left behind.
mod common;
use common::*;

/// A sandbox of `u` with busybox pulled and squashed to `~/bb.sqsh`.
fn squashed_busybox(u: &TestUser) -> (Sandbox, String) {
    let sb = Sandbox::with_busybox(u);
    let file = sb.home().join("bb.sqsh").to_string_lossy().into_owned();
    assert_ok(&sb.rctr(&["image", "squash", "busybox", "-o", &file]));
    (sb, file)
}

/// No mount of `file` in the host's view, and no squashfuse left serving it.
#[track_caller]
fn assert_not_mounted(file: &str) {
    let mi = std::fs::read_to_string("/proc/self/mountinfo").unwrap();
    assert!(!mi.contains(file), "{file} still mounted:\n{mi}");
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let cmd = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        assert!(
            !(cmd.contains("squashfuse") && cmd.contains(file)),
            "left running: {cmd}"
        );
    }
}

/// Nothing of the sandbox's containers in the store (`rm` finishes removing the files in
/// the background: give it a few seconds).
#[track_caller]
fn assert_no_containers(sb: &Sandbox) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !sb.containers_in_store().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let left = sb.containers_in_store();
    assert!(left.is_empty(), "containers left behind: {left:?}");
}

fn run_squashed(u: TestUser) {
    let (sb, file) = squashed_busybox(&u);
    let out = sb.rctr_ok(&["run", "--rm", &file, "echo", "hello from squashfs"]);
    assert_eq!(out, "hello from squashfs\n");
    // The writable layer on top: / and the workdir take writes; the file stays as it was.
    let before = std::fs::read(&file).unwrap();
    let script = "echo x > /new && cat /new && mkdir -p /work && cd /work && echo y > f && cat f && rm /bin/true && ! test -e /bin/true && id -u";
    let out = sb.rctr_ok(&["run", "--rm", &file, "sh", "-c", script]);
    assert_eq!(out, "x\ny\n0\n");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the squashfs changed"
    );
    // The image's config gives the default command (busybox: sh) and environment.
    let out = sb.rctr_ok(&["run", "--rm", &file, "sh", "-c", "echo $PATH"]);
    assert!(out.contains("/bin"), "{out}");
    let out = sb.rctr_stdin(&["run", "--rm", "-i", &file], b"echo default-cmd\n");
    assert_eq!(stdout(&out), "default-cmd\n", "{}", describe(&out));
    // --rootfs FILE is the same root.
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--rootfs",
        &file,
        "cat",
        "/.rctr/config.json",
    ]);
    assert!(out.contains("\"Cmd\""), "{out}");
    assert_not_mounted(&file);
    assert_no_containers(&sb);
}

#[test]
fn squash_and_run_with_subordinate_ids() {
    require_lab!();
    run_squashed(user());
}

#[test]
fn squash_and_run_single_id() {
    require_lab!();
    run_squashed(nosub_user());
}

#[test]
fn concurrent_runs_and_rm() {
    require_lab!();
    let (sb, file) = squashed_busybox(&user());
    let kids: Vec<_> = (0..2)
        .map(|i| {
            let mut c = sb.cmd(&[
                "run",
                "--rm",
                &file,
                "sh",
                "-c",
                &format!("echo {i} > /me; sleep 1; cat /me"),
            ]);
            c.stdout(std::process::Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    for (i, k) in kids.into_iter().enumerate() {
        let out = k.wait_with_output().unwrap();
        assert_ok(&out);
        assert_eq!(stdout(&out), format!("{i}\n"));
    }
    assert_not_mounted(&file);
    // Without --rm: the container stays (stopped) with its writable layer, and rm takes it.
    let id = sb.rctr_ok(&["run", "-d", &file, "sleep", "30"]);
    let id = id.trim();
    assert!(!sb.containers_in_store().is_empty());
    assert_ok(&sb.rctr(&["rm", "-f", id]));
    assert_not_mounted(&file);
    assert_no_containers(&sb);
    // An existing output is refused unless --force.
    let out = sb.rctr(&["image", "squash", "busybox", "-o", &file]);
    assert_exit(&out, 125);
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_ok(&sb.rctr(&["image", "squash", "busybox", "--output", &file, "--force"]));
    assert!(!std::path::Path::new(&format!("{file}.tmp")).exists());
}

#[test]
fn debian_squashed_keeps_owners() {
    require_lab!();
    let sb = Sandbox::new(&user());
    assert_ok(&sb.rctr(&["pull", "-q", "debian:bookworm"]));
    let file = sb.home().join("deb.sqsh").to_string_lossy().into_owned();
    assert_ok(&sb.rctr(&["image", "squash", "debian:bookworm", "-o", &file]));
    let probe = "stat -c '%U:%G %a %n' /etc/shadow /var/mail /usr/bin/passwd";
    let want = sb.rctr_ok(&["run", "--rm", "debian:bookworm", "sh", "-c", probe]);
    assert!(want.contains("root:shadow 640 /etc/shadow"), "{want}");
    let got = sb.rctr_ok(&["run", "--rm", &file, "sh", "-c", probe]);
    assert_eq!(got, want);
    let out = sb.rctr_ok(&["run", "--rm", &file, "cat", "/etc/debian_version"]);
    assert!(out.starts_with("12"), "{out}");
    assert_not_mounted(&file);
}

#[test]
fn bad_files_are_refused() {
    require_lab!();
    let (sb, file) = squashed_busybox(&user());
    let bytes = std::fs::read(&file).unwrap();
    let home = sb.home();
    let truncated = home.join("truncated.sqsh");
    let corrupt = home.join("corrupt.sqsh");
    let garbage = home.join("garbage.squashfs");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    // The superblock intact, the tables at the end (inodes, directories) overwritten.
    let mut c = bytes.clone();
    let n = c.len();
    for b in &mut c[n - 8192..] {
        *b = 0x5a;
    }
    std::fs::write(&corrupt, c).unwrap();
    std::fs::write(&garbage, b"not a squashfs at all\n").unwrap();
    for (f, want) in [
        (&truncated, "truncated squashfs image"),
        (&corrupt, "corrupt squashfs image"),
        (&garbage, "not a squashfs image"),
    ] {
        let f = f.to_string_lossy().into_owned();
        let out = sb.rctr(&["run", "--rm", &f, "true"]);
        assert_exit(&out, 125);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(want) && err.contains(&f), "{err}");
        assert_not_mounted(&f);
    }
    assert_no_containers(&sb);
    // squashfuse missing: one line naming the package. PATH holds only the ID helpers and
    // unsquashfs.
    let bin = home.join("bin");
    std::fs::create_dir(&bin).unwrap();
    for p in ["unsquashfs", "newuidmap", "newgidmap"] {
        std::os::unix::fs::symlink(format!("/usr/bin/{p}"), bin.join(p)).unwrap();
    }
    sb.env("PATH", bin.as_os_str());
    let out = sb.rctr(&["run", "--rm", "--network", "none", &file, "true"]);
    assert_exit(&out, 125);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("install the squashfuse package"), "{err}");
    assert_no_containers(&sb);
}

#[test]
fn rootfs_directory() {
    require_lab!();
    let sb = Sandbox::with_busybox(&user());
    let dir = sb.home().join("root");
    let script = format!(
        "mkdir -p {0}/bin && cp /bin/busybox {0}/bin/ && ln -s busybox {0}/bin/sh",
        dir.display()
    );
    assert_ok(&sb.sh(&script));
    let d = dir.to_string_lossy().into_owned();
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--rootfs",
        &d,
        "/bin/sh",
        "-c",
        "echo hi > /x; echo ok",
    ]);
    assert_eq!(out, "ok\n");
    // podman's --rootfs: the container writes to the directory itself.
    assert_eq!(std::fs::read_to_string(dir.join("x")).unwrap(), "hi\n");
    assert_no_containers(&sb);
}
