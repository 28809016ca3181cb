//! Images, black-box, as the unprivileged lab users: pulls of every lab image, the merged
//! view of `layered` against the golden listing, parallel pulls, SIGKILL mid-pull, the image
//! commands (images/tag/untag/rmi/inspect/prune) and save/load; registry access (login,
//! credential helpers, registries.conf, short names) is in `registries.rs`.
mod common;
use common::*;
use std::path::Path;
use std::time::{Duration, Instant};

const LAB_IMAGES: &[&str] = &[
    "busybox",
    "busybox:v2s2",
    "busybox:zstd",
    "busybox:multi",
    "127.0.0.1:5100/layered",
    "debian:bookworm",
];

fn pull_all(sb: &Sandbox, shadow_owner: &str) {
    for img in LAB_IMAGES {
        let out = sb.rctr(&["pull", img]);
        assert_ok(&out);
        let id = stdout(&out).trim().to_string();
        assert_eq!(id.len(), 64, "pull prints the image ID: {}", describe(&out));
        let err = stderr(&out);
        assert!(err.contains("Trying to pull"), "{err}");
        assert!(
            err.contains("Writing manifest to image destination"),
            "{err}"
        );
    }
    let listed = sb.rctr_ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    for want in [
        "127.0.0.1:5100/busybox:latest",
        "127.0.0.1:5100/busybox:v2s2",
        "127.0.0.1:5100/busybox:zstd",
        "127.0.0.1:5100/busybox:multi",
        "127.0.0.1:5100/layered:latest",
        "127.0.0.1:5100/debian:bookworm",
    ] {
        assert!(
            listed.lines().any(|l| l == want),
            "{want} missing from\n{listed}"
        );
    }
    // busybox, v2s2, zstd and the amd64 entry of multi are the same image (same config).
    let ids = sb.rctr_ok(&["images", "-q"]);
    assert_eq!(ids.lines().count(), 3, "three distinct images:\n{ids}");
    let json: serde_json::Value =
        serde_json::from_str(&sb.rctr_ok(&["images", "--format", "json"])).unwrap();
    let arr = json.as_array().unwrap();
    assert_eq!(arr.len(), 3);
    for k in ["Id", "RepoTags", "RepoDigests", "Created", "Size"] {
        assert!(arr[0].get(k).is_some(), "key {k} in {}", arr[0]);
    }
    // Runs in the container's view: /bin/busybox is there and executable by its owner.
    let out = sb.rctr(&[
        "__image-mount",
        "debian:bookworm",
        "test -x \"$RCTR_ROOTFS/usr/bin/bash\" && stat -c %u:%g \"$RCTR_ROOTFS/etc/shadow\"",
    ]);
    assert_ok(&out);
    assert_eq!(
        stdout(&out).trim(),
        shadow_owner,
        "owner of debian's /etc/shadow"
    );
}

#[test]
fn pulls_every_lab_image_as_rctrtest() {
    require_lab!();
    let sb = Sandbox::new(&user());
    pull_all(&sb, "0:42"); // root:shadow
}

#[test]
fn pulls_every_lab_image_as_rctrnosub() {
    require_lab!();
    let sb = Sandbox::new_nosub();
    let out = sb.rctr(&["pull", "layered"]);
    assert_ok(&out);
    let err = stderr(&out);
    assert_eq!(
        err.matches("single-ID mode").count(),
        1,
        "one explanation of single-ID mode:\n{err}"
    );
    // Single-ID mode: only 0 is mapped, group shadow (42) is recorded in user.rctr.owner.
    pull_all(&sb, "0:0");
}

fn layered_view(sb: &Sandbox) -> String {
    let script = std::fs::read(repo_dir().join("tests/lab/list-tree.sh")).unwrap();
    let out = sb.rctr_stdin(
        &["__image-mount", "layered", "sh -s \"$RCTR_ROOTFS\""],
        &script,
    );
    assert_ok(&out);
    stdout(&out)
}

#[test]
fn layered_merged_view_matches_golden() {
    require_lab!();
    let sb = Sandbox::new(&user());
    sb.rctr_ok(&["pull", "-q", "layered"]);
    let got = layered_view(&sb);
    let want = golden("layered.txt");
    assert_eq!(
        got, want,
        "merged view of layered differs from tests/lab/golden/layered.txt"
    );
}

#[test]
fn layered_in_single_id_mode_keeps_owners_in_xattrs() {
    require_lab!();
    let sb = Sandbox::new_nosub();
    sb.rctr_ok(&["pull", "-q", "layered"]);
    let got = layered_view(&sb);
    let want = golden("layered.txt");
    // Everything but the owner column matches; owners are all the user (0 inside).
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| {
                let mut f: Vec<&str> = l.split('|').collect();
                if f.len() > 2 {
                    f[2] = "-";
                }
                f.join("|")
            })
            .collect()
    };
    assert_eq!(strip(&got), strip(&want));
    let out = sb.sh(&format!(
        "getfattr --absolute-names -n user.rctr.owner --only-values {}/layers/*/diff/data/owned-by-user",
        sb.store().display()
    ));
    assert_ok(&out);
    assert_eq!(stdout(&out), "1000:1000");
}

#[test]
fn parallel_pulls_of_one_image_download_it_once() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let children: Vec<_> = (0..4)
        .map(|_| {
            let mut c = sb.cmd(&["pull", "layered"]);
            c.stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let mut ids = std::collections::HashSet::new();
    let mut downloads = std::collections::HashMap::<String, usize>::new();
    for o in &outs {
        assert_ok(o);
        ids.insert(stdout(o).trim().to_string());
        for l in stderr(o).lines() {
            if let Some(d) = l.strip_prefix("Copying blob ") {
                if !d.contains("skipped") {
                    *downloads.entry(d.trim().to_string()).or_default() += 1;
                }
            }
        }
    }
    assert_eq!(ids.len(), 1, "all pulls give the same image");
    assert_eq!(downloads.len(), 4, "4 layers: {downloads:?}");
    assert!(
        downloads.values().all(|&n| n == 1),
        "each layer downloaded exactly once: {downloads:?}"
    );
    assert_eq!(sb.rctr_ok(&["images", "-q"]).lines().count(), 1);
    assert!(std::fs::read_dir(sb.store().join("tmp"))
        .unwrap()
        .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".lock")));
}

fn wait_for(what: &str, timeout: Duration, mut f: impl FnMut() -> bool) {
    let t = Instant::now();
    while !f() {
        assert!(t.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A layer job's work dir (`tmp/layer-*/diff`) already holds unpacked files.
fn layer_job_has_files(store: &Path) -> bool {
    let Ok(rd) = std::fs::read_dir(store.join("tmp")) else {
        return false;
    };
    rd.flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("layer-"))
        .any(|e| std::fs::read_dir(e.path().join("diff")).is_ok_and(|mut d| d.next().is_some()))
}

#[test]
fn sigkill_mid_pull_leaves_a_consistent_store() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let mut child = sb
        .cmd(&["pull", "-q", "debian:bookworm"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Mid-pull for real: the layer is being unpacked (files in its work dir), not yet installed.
    wait_for(
        "the layer unpack to write its first files",
        Duration::from_secs(60),
        || layer_job_has_files(&sb.store()),
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // Nothing half-done is visible: no image, no layer dir without its metadata.
    assert_eq!(sb.rctr_ok(&["images", "-q"]), "");
    for e in std::fs::read_dir(sb.store().join("layers"))
        .unwrap()
        .flatten()
    {
        assert!(
            e.path().join("layer.json").exists(),
            "partial layer {:?}",
            e.path()
        );
    }
    // The next pull finishes and cleans the dead pull's work dir.
    let out = sb.rctr(&["pull", "-q", "debian:bookworm"]);
    assert_ok(&out);
    assert_eq!(sb.rctr_ok(&["images", "-q"]).lines().count(), 1);
    let left: Vec<String> = std::fs::read_dir(sb.store().join("tmp"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "stale work left in tmp/: {left:?}");
}

#[test]
fn image_commands_tag_untag_rmi_inspect_prune() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let id = sb.rctr_ok(&["pull", "-q", "busybox"]).trim().to_string();
    sb.rctr_ok(&["tag", "busybox", "mybox:1", "127.0.0.1:5100/other:x"]);
    let names = sb.rctr_ok(&["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    assert!(names.contains("localhost/mybox:1"), "{names}");
    // By ID with several names: podman refuses without -f.
    let out = sb.rctr(&["rmi", &id[..12]]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("more than one tag"),
        "{}",
        describe(&out)
    );
    // By name with several names: untags only that one.
    let out = sb.rctr(&["rmi", "mybox:1"]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "Untagged: localhost/mybox:1\n");
    sb.rctr_ok(&["untag", "busybox", "127.0.0.1:5100/other:x"]);
    // inspect, image inspect, templates
    let v: serde_json::Value =
        serde_json::from_str(&sb.rctr_ok(&["image", "inspect", "busybox"])).unwrap();
    assert_eq!(v[0]["Id"], id.as_str());
    assert_eq!(v[0]["RootFS"]["Type"], "layers");
    assert_eq!(v[0]["Config"]["Cmd"][0], "/bin/sh");
    let f = sb.rctr_ok(&[
        "inspect",
        "--format",
        "{{.Os}}/{{.Architecture}} {{index .RepoTags 0}}",
        &id[..6],
    ]);
    assert_eq!(f.trim(), "linux/amd64 127.0.0.1:5100/busybox:latest");
    let out = sb.rctr(&["inspect", "nosuch"]);
    assert_exit(&out, 125);
    // rmi exit codes: 1 unknown, 0 with --ignore
    assert_exit(&sb.rctr(&["rmi", "nosuch"]), 1);
    assert_ok(&sb.rctr(&["rmi", "--ignore", "nosuch"]));
    // A dangling image is pruned; a tagged one only with -a.
    sb.rctr_ok(&["untag", "busybox"]);
    assert_eq!(
        sb.rctr_ok(&["images", "--format", "{{.Repository}} {{.Tag}}"])
            .trim(),
        "<none> <none>"
    );
    assert_eq!(sb.rctr_ok(&["image", "prune", "-f"]).trim(), id);
    sb.rctr_ok(&["pull", "-q", "layered"]);
    let out = sb.rctr_ok(&["rmi", "-a"]);
    assert!(out.contains("Deleted: "), "{out}");
    assert_store_empty(&sb.store());
}

#[test]
fn save_and_load_keep_the_image_id() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let id = sb.rctr_ok(&["pull", "-q", "layered"]).trim().to_string();
    for fmt in ["oci-archive", "docker-archive"] {
        let file = sb.home().join(format!("{fmt}.tar"));
        sb.rctr_ok(&[
            "save",
            "--format",
            fmt,
            "-o",
            file.to_str().unwrap(),
            "layered",
        ]);
        sb.rctr_ok(&["rmi", "-a"]);
        let out = sb.rctr_ok(&["load", "-i", file.to_str().unwrap()]);
        assert_eq!(out, "Loaded image: 127.0.0.1:5100/layered:latest\n");
        assert_eq!(
            sb.rctr_ok(&["images", "-q", "--no-trunc"]).trim(),
            format!("sha256:{id}")
        );
        assert_eq!(
            layered_view(&sb),
            golden("layered.txt"),
            "{fmt}: view after load"
        );
    }
    // The docker-archive layout: manifest.json, <config>.json, <diffid>/layer.tar.
    let file = sb.home().join("docker-archive.tar");
    let out = std::process::Command::new("tar")
        .arg("tf")
        .arg(&file)
        .output()
        .unwrap();
    let list = stdout(&out);
    assert!(
        list.contains("manifest.json") && list.contains(&format!("{id}.json")),
        "{list}"
    );
}

#[test]
fn platform_choice_from_an_index() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let amd = sb.rctr_ok(&["pull", "-q", "busybox:multi"]);
    let arm = sb.rctr_ok(&["pull", "-q", "--platform", "linux/arm64", "busybox:multi"]);
    assert_ne!(amd, arm);
    let v = sb.rctr_ok(&["inspect", "--format", "{{.Architecture}}", arm.trim()]);
    assert_eq!(v.trim(), "arm64");
    let out = sb.rctr(&["pull", "--arch", "s390x", "busybox:multi"]);
    assert_exit(&out, 125);
    assert!(
        stderr(&out).contains("no image for linux/s390x")
            && stderr(&out).contains("linux/arm64/v8"),
        "{}",
        describe(&out)
    );
}

#[test]
fn rmi_refuses_an_image_a_container_uses() {
    require_lab!();
    let sb = Sandbox::new(&user());
    sb.rctr_ok(&["pull", "-q", "busybox"]);
    sb.rctr_ok(&["run", "--name", "user-of-busybox", "busybox", "true"]);
    let out = sb.rctr(&["rmi", "busybox"]);
    assert_exit(&out, 2);
    assert!(
        stderr(&out).contains("in use by a container"),
        "{}",
        describe(&out)
    );
    assert_eq!(sb.rctr_ok(&["images", "-q"]).lines().count(), 1);
    // -f removes the (stopped) container first, as podman does.
    let out = sb.rctr(&["rmi", "-f", "busybox"]);
    assert_ok(&out);
    assert!(stdout(&out).contains("Deleted: "));
    assert_eq!(sb.rctr_ok(&["ps", "-a", "-q"]), "");
}

#[test]
fn concurrent_pulls_and_removals_keep_the_store_consistent() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let spawn = |args: &'static [&'static str]| {
        let mut c = sb.cmd(args);
        c.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        (args, c.spawn().unwrap())
    };
    for _round in 0..3 {
        let kids = vec![
            spawn(&["pull", "-q", "layered"]),
            spawn(&["pull", "-q", "busybox"]),
            spawn(&["rmi", "-a", "-f"]),
            spawn(&["pull", "-q", "layered"]),
            spawn(&["image", "prune", "-a", "-f"]),
            spawn(&["images"]),
        ];
        for (args, k) in kids {
            let out = k.wait_with_output().unwrap();
            // Pulls (and the listing) must succeed; removals may legitimately find nothing
            // to remove, but must still end with an exit code, not a signal or a panic.
            if args[0] == "rmi" || args[0] == "image" {
                assert!(out.status.code().is_some(), "{args:?}: {}", describe(&out));
            } else {
                assert!(out.status.success(), "{args:?}: {}", describe(&out));
            }
            let err = stderr(&out);
            assert!(
                !err.contains("corrupt") && !err.contains("panicked"),
                "{args:?}: {}",
                describe(&out)
            );
        }
        // Every listed image is complete: its overlay mounts and lists.
        for id in sb.rctr_ok(&["images", "-q"]).lines() {
            let out = sb.rctr(&["__image-mount", id, "test -e \"$RCTR_ROOTFS/bin/busybox\""]);
            assert_ok(&out);
        }
    }
    sb.rctr_ok(&["pull", "-q", "layered"]);
    assert_eq!(layered_view(&sb), golden("layered.txt"));
    sb.rctr_ok(&["rmi", "-a"]);
    assert_store_empty(&sb.store());
}

#[test]
fn archives_interoperate_with_podman() {
    require_lab!();
    if !require(
        std::path::Path::new("/usr/bin/podman").exists(),
        "podman (the peer) is not installed",
    ) {
        return;
    }
    let sb = Sandbox::new(&user());
    let id = sb.rctr_ok(&["pull", "-q", "layered"]).trim().to_string();
    let podman = |args: &str| {
        let out = sb.sh(&format!(
            "podman --root $HOME/podman/storage --runroot $HOME/podman/run {args}"
        ));
        assert_ok(&out);
        stdout(&out)
    };
    for fmt in ["docker-archive", "oci-archive"] {
        let f = sb.home().join(format!("rctr-{fmt}.tar"));
        sb.rctr_ok(&[
            "save",
            "--format",
            fmt,
            "-o",
            f.to_str().unwrap(),
            "layered",
        ]);
        podman(&format!("load -q -i {}", f.display()));
        let ids = podman("images -q --no-trunc");
        assert!(
            ids.contains(&id),
            "podman sees the same image ID after {fmt}: {ids}"
        );
        podman("rmi -a -f");
    }
    // And back: podman's archive loads into rctr with the same ID.
    podman("pull -q 127.0.0.1:5100/layered");
    let f = sb.home().join("podman.tar");
    podman(&format!("save -o {} 127.0.0.1:5100/layered", f.display()));
    sb.rctr_ok(&["rmi", "-a"]);
    assert_eq!(
        sb.rctr_ok(&["load", "-i", f.to_str().unwrap()]),
        "Loaded image: 127.0.0.1:5100/layered:latest\n"
    );
    assert_eq!(
        sb.rctr_ok(&["images", "-q", "--no-trunc"]).trim(),
        format!("sha256:{id}")
    );
    assert_eq!(layered_view(&sb), golden("layered.txt"));
    let _ = sb.sh("podman --root $HOME/podman/storage --runroot $HOME/podman/run system reset -f");
}
