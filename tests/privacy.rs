//! Private state on a shared machine, black-box as TWO unprivileged users: `rctrtest` (A)
//! keeps images, containers, volumes and logs; `rctrnosub` (B) is the other account on the
//! login node and must reach none of it. The sandboxes' homes and XDG dirs are 0755, as
//! Debian's homes are, so only rctr's own modes stand between B and A's state.
mod common;
mod lifecycle_support;
use common::*;
use lifecycle_support::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().mode() & 0o7777
}

/// B's attempt at `script`; must fail with "Permission denied".
fn b_denied(b: &Sandbox, script: &str) {
    let out = b.sh(script);
    assert!(
        !out.status.success() && stderr(&out).contains("Permission denied"),
        "user B ran `{script}`: {}",
        describe(&out)
    );
}

#[test]
fn second_user_reaches_nothing_of_the_first() {
    require_lab!();
    let a = sandbox();
    let b = Sandbox::new_nosub();
    // A container that plants setuid copies of a shell in its writable layer and in a named
    // volume, with a secret in its environment and its log.
    let id = run_d(
        &a,
        &[
            "-e",
            "SECRET=hunter2",
            "-v",
            "pv:/v",
            "busybox",
            "sh",
            "-c",
            "cp /bin/busybox /suid && chmod 4755 /suid && cp /bin/busybox /v/suid && chmod 4755 /v/suid && echo logged-secret && touch /v/ready && exec sleep 1000",
        ],
    );
    let store = a.store();
    eventually(30, "the container planted its files", || {
        a.sh(&format!(
            "test -e {}/volumes/pv/_data/ready",
            store.display()
        ))
        .status
        .success()
    });
    // As A, the setuid files are there (owned by A: container root is A).
    let found = a.sh(&format!("find {} -perm -4000 -type f", store.display()));
    let suid: Vec<String> = stdout(&found).lines().map(str::to_string).collect();
    assert!(
        suid.iter()
            .any(|p| p.ends_with("/v/suid") || p.contains("/volumes/pv/"))
            && suid.len() >= 2,
        "setuid files in A's store: {suid:?}"
    );
    assert_eq!(mode(&store), 0o700, "store mode");
    let rundir = a.run_dir().join("rctr");
    assert_eq!(mode(&rundir), 0o700, "runtime dir mode");
    // As B: nothing listed, read or executed.
    b_denied(&b, &format!("ls {}", store.display()));
    b_denied(&b, &format!("ls {}", rundir.display()));
    for p in &suid {
        b_denied(&b, &format!("{p} id -u"));
    }
    let cdir = store.join("containers").join(&id);
    b_denied(&b, &format!("cat {}/bundle/config.json", cdir.display()));
    b_denied(&b, &format!("cat {}/ctr.log", cdir.display()));
    b_denied(&b, &format!("ls {}/volumes/pv/_data", store.display()));
    b_denied(&b, &format!("ls {}/layers", store.display()));
    // B cannot even open a lock of A's to stall A's rctr.
    b_denied(
        &b,
        &format!("flock -n {}/locks/images.lock true", store.display()),
    );
    assert_ok(&a.rctr(&["rm", "-f", "-t", "0", &id]));
    assert_no_leftovers(&a);
}

#[test]
fn store_too_open_is_tightened_and_writable_one_refused() {
    require_lab!();
    let a = sandbox();
    let store = a.store();
    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = a.rctr(&["images", "-q"]);
    assert_ok(&out);
    let err = stderr(&out);
    assert!(
        err.lines().count() == 1 && err.contains("Notice:") && err.contains("0700"),
        "one notice: {err:?}"
    );
    assert_eq!(mode(&store), 0o700);
    let out = a.rctr(&["images", "-q"]);
    assert!(stderr(&out).is_empty(), "said once: {}", describe(&out));

    std::fs::set_permissions(&store, std::fs::Permissions::from_mode(0o775)).unwrap();
    let out = a.rctr(&["images", "-q"]);
    assert_exit(&out, 125);
    let err = stderr(&out);
    assert!(
        err.lines().count() == 1
            && err.contains("writable by other users")
            && err.contains(&format!("chmod 700 {}", store.display())),
        "{err:?}"
    );
    assert_eq!(
        mode(&store),
        0o775,
        "refused, not changed behind the user's back"
    );
    // `info` still reports (with the warning) so the user can see the machine.
    let out = a.rctr(&["info"]);
    assert_ok(&out);
    assert!(stderr(&out).contains("Warning:"), "{}", describe(&out));
}

/// A shared, sticky temp dir like /tmp, for A's fallback runtime dir.
fn shared_tmp() -> PathBuf {
    let d = tempfile::Builder::new()
        .prefix("shared-")
        .tempdir_in("/tmp/rctr-it")
        .unwrap()
        .keep();
    std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o1777)).unwrap();
    d
}

#[test]
fn fallback_runtime_dir_planted_by_another_user_is_refused() {
    require_lab!();
    let a = sandbox();
    let b = Sandbox::new_nosub();
    let tmp = shared_tmp();
    a.env("TMPDIR", &tmp).unset("XDG_RUNTIME_DIR");
    let fallback = tmp.join(format!("rctr-run-{}", a.user().uid));
    // B plants the dir with an auth.json whose credential helper would run as A.
    let marker = b.home().join("helper-ran");
    let planted = format!(
        "mkdir -p {f}/containers && chmod 777 {f} && echo '{{\"credHelpers\":{{\"{REGISTRY}\":\"evil\"}}}}' > {f}/containers/auth.json",
        f = fallback.display()
    );
    assert_ok(&b.sh(&planted));
    for args in [&["images"][..], &["pull", "-q", "busybox"], &["info"]] {
        let out = a.rctr(args);
        let err = stderr(&out);
        if args[0] == "info" {
            assert_ok(&out);
            assert!(
                err.contains("Warning:") && err.contains("owned by uid"),
                "{err:?}"
            );
        } else {
            assert_exit(&out, 125);
            assert!(
                err.lines().count() == 1
                    && err.contains(&fallback.display().to_string())
                    && err.contains(&format!("owned by uid {}", b.user().uid)),
                "{args:?}: {err:?}"
            );
        }
    }
    assert!(!marker.exists());
    // The same dir as a symlink to a directory of B's.
    assert_ok(&b.sh(&format!(
        "rm -rf {f} && mkdir -p {h}/mine && ln -s {h}/mine {f}",
        f = fallback.display(),
        h = b.home().display()
    )));
    let out = a.rctr(&["images"]);
    assert_exit(&out, 125);
    assert!(stderr(&out).contains("is a symlink"), "{}", describe(&out));
    assert_eq!(std::fs::read_dir(b.home().join("mine")).unwrap().count(), 0);
    // A --runroot of B's is refused the same way.
    let out = a.rctr(&[
        "--runroot",
        &b.home().join("mine").display().to_string(),
        "images",
    ]);
    assert_exit(&out, 125);
    assert!(stderr(&out).contains("owned by uid"), "{}", describe(&out));
    // Gone: A's rctr makes its own, private.
    assert_ok(&b.sh(&format!("rm {}", fallback.display())));
    assert_ok(&a.rctr(&["run", "--rm", "--network", "none", "busybox", "true"]));
    let m = std::fs::symlink_metadata(&fallback).unwrap();
    assert!(m.is_dir() && m.uid() == a.user().uid && m.mode() & 0o7777 == 0o700);
}

#[test]
fn lock_wait_ends_with_the_holder_named() {
    require_lab!();
    if !require(Path::new("/usr/bin/flock").exists(), "util-linux flock") {
        return;
    }
    let a = sandbox();
    let lock = a.store().join("locks/images.lock");
    // A stuck process of A's own holds the images lock.
    let mut holder = a.sh_cmd(&format!("exec flock {} sleep 600", lock.display()));
    let mut child = holder.spawn().unwrap();
    eventually(10, "flock holds the lock", || {
        std::fs::read_to_string("/proc/locks")
            .unwrap()
            .lines()
            .any(|l| l.contains(&format!(" {} ", child.id())))
    });
    a.env("RCTR_LOCK_TIMEOUT", "1");
    let out = a.rctr(&["tag", "busybox", "busybox:other"]);
    let _ = child.kill();
    let _ = child.wait();
    assert_exit(&out, 125);
    let err = stderr(&out);
    assert!(
        err.contains("timed out after 1 s waiting for the lock")
            && err.contains("images.lock")
            && err.contains("(flock "),
        "{err:?}"
    );
}
