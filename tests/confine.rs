//! Confinement against hostile neighbours and images, black-box as the unprivileged user:
//! a volume copy-up racing another container that plants symlinks, seccomp's ptrace rule,
//! `--security-opt` values rctr cannot apply, and images whose /proc or /sys is a symlink.
mod common;
use common::*;
use sha2::Digest;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// Container A keeps planting symlinks (to a host file and a host directory of the user,
/// paths as the host sees them) at the names of the image's /etc in volume V, and removing
/// them again so that V is empty most of the time, while container B starts with V over its
/// /etc and copies the image's content in. Nothing may be written through the links: the
/// host file keeps its content and mode, the host directory stays empty.
#[test]
fn volume_copy_up_with_a_planted_symlink_writes_only_inside_the_volume() {
    require_lab!();
    let sb = Sandbox::new(&user());
    assert_ok(&sb.rctr(&["pull", "-q", "debian:bookworm"]));
    let victim = sb.home().join("victim");
    let victim_dir = sb.home().join("victim-dir");
    let out = sb.sh(&format!(
        "printf 'host\\n' > {f} && chmod 0604 {f} && mkdir -m 0700 {d}",
        f = victim.display(),
        d = victim_dir.display()
    ));
    assert_ok(&out);
    let planter = format!(
        "while :; do for n in $(ls /etc); do \
           if [ -d /etc/$n ]; then t={d}; else t={f}; fi; \
           ln -s $t /v/$n 2>/dev/null; rm -f /v/$n 2>/dev/null; \
         done; done",
        f = victim.display(),
        d = victim_dir.display()
    );
    for i in 0..6 {
        let vol = format!("shared{i}");
        // nocopy: A's mount leaves V marked for copy-up, so B's start does it.
        let a = sb.rctr_ok(&[
            "run",
            "-d",
            "-v",
            &format!("{vol}:/v:nocopy"),
            "debian:bookworm",
            "sh",
            "-c",
            &planter,
        ]);
        let b = sb.rctr(&[
            "run",
            "--rm",
            "-v",
            &format!("{vol}:/etc"),
            "debian:bookworm",
            "true",
        ]);
        // B may lose the race for an entry (it is left to A); a failure is one clear line.
        if b.status.code() != Some(0) {
            assert_exit(&b, 125);
            assert_eq!(stderr(&b).trim().lines().count(), 1, "{}", describe(&b));
        }
        sb.rctr_ok(&["rm", "-f", "-t", "0", a.trim()]);
        assert_eq!(
            std::fs::read_to_string(&victim).unwrap(),
            "host\n",
            "round {i}"
        );
        let md = std::fs::metadata(&victim).unwrap();
        assert_eq!(
            md.mode() & 0o7777,
            0o604,
            "mode of the host file, round {i}"
        );
        assert_eq!(md.uid(), user().uid);
        assert!(
            std::fs::read_dir(&victim_dir).unwrap().next().is_none(),
            "written into the host directory, round {i}"
        );
        assert_eq!(
            std::fs::metadata(&victim_dir).unwrap().mode() & 0o7777,
            0o700
        );
    }
}

/// syscall numbers for perl's syscall(): ptrace, process_vm_readv, process_vm_writev.
#[cfg(target_arch = "x86_64")]
const PTRACE_NRS: [u32; 3] = [101, 310, 311];
#[cfg(target_arch = "aarch64")]
const PTRACE_NRS: [u32; 3] = [117, 270, 271];

/// `ptrace(PTRACE_TRACEME)` and zero-length `process_vm_readv/writev` on itself, each printed
/// as 0 (allowed) or its errno (debian's perl-base makes the raw syscalls).
fn ptrace_probe(sb: &Sandbox, extra: &[&str]) -> String {
    let [p, r, w] = PTRACE_NRS;
    let script = format!(
        "for my $c ([{p},0,0,0,0], [{r},$$,0,0,0,0,0], [{w},$$,0,0,0,0,0]) {{ \
           my $rc = syscall(@$c); print $rc == -1 ? $!+0 : $rc, \" \" }}"
    );
    let mut args = vec!["run", "--rm"];
    args.extend_from_slice(extra);
    args.extend(["debian:bookworm", "perl", "-e", &script]);
    sb.rctr_ok(&args).trim().to_string()
}

#[test]
fn ptrace_needs_cap_sys_ptrace() {
    require_lab!();
    let sb = Sandbox::new(&user());
    assert_ok(&sb.rctr(&["pull", "-q", "debian:bookworm"]));
    // EPERM (1) from seccomp without the capability…
    assert_eq!(ptrace_probe(&sb, &[]), "1 1 1");
    // …allowed with it.
    assert_eq!(ptrace_probe(&sb, &["--cap-add", "SYS_PTRACE"]), "0 0 0");
    // seccomp=unconfined: no filter at all.
    assert_eq!(
        ptrace_probe(&sb, &["--security-opt", "seccomp=unconfined"]),
        "0 0 0"
    );
}

#[test]
fn security_opts_rctr_cannot_apply_are_named() {
    require_lab!();
    let sb = Sandbox::new(&user());
    assert_ok(&sb.rctr(&["pull", "-q", "busybox"]));
    // Honoured as they are: rctr applies no SELinux label and no AppArmor profile.
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--security-opt",
        "label=disable",
        "--security-opt",
        "apparmor=unconfined",
        "busybox",
        "true",
    ]);
    assert_ok(&out);
    assert_eq!(stderr(&out), "", "no warning for what is honoured");
    // A confinement rctr cannot apply: one warning line each, and the container runs.
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--security-opt",
        "label=type:spc_t",
        "--security-opt",
        "apparmor=my-profile",
        "busybox",
        "echo",
        "ran",
    ]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "ran\n");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("Warning: --security-opt label=type:spc_t is ignored"),
        "{err}"
    );
    assert!(
        lines[1].contains("apparmor=my-profile") && lines[1].contains("AppArmor"),
        "{err}"
    );
    // What rctr does not know is refused before anything exists.
    for o in [
        "seccomp=/nonexistent.json",
        "label=bogus",
        "unmask=ALL",
        "bogus",
    ] {
        let out = sb.rctr(&["run", "--rm", "--security-opt", o, "busybox", "true"]);
        assert_exit(&out, 125);
        let err = stderr(&out);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(o), "{err}");
    }
    assert_eq!(sb.rctr_ok(&["ps", "-aq"]), "");
}

/// A docker-archive of busybox whose `dir` (proc or sys) is a symlink to `tmp/fake-<dir>`.
fn symlinked_image(dir: &str, tag: &str) -> Vec<u8> {
    let src = std::fs::File::open(lab_dir().join("build/busybox.tar")).unwrap();
    let mut layer = tar::Builder::new(Vec::new());
    let mut input = tar::Archive::new(src);
    for e in input.entries().unwrap() {
        let mut e = e.unwrap();
        let path = e.path().unwrap().into_owned();
        if path.starts_with(dir) {
            continue;
        }
        let h = e.header().clone();
        layer.append(&h, &mut e).unwrap();
    }
    let fake = format!("tmp/fake-{dir}");
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Directory);
    h.set_mode(0o755);
    h.set_size(0);
    layer
        .append_data(&mut h, format!("{fake}/"), &[][..])
        .unwrap();
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_mode(0o777);
    h.set_size(0);
    layer.append_link(&mut h, dir, &fake).unwrap();
    let layer = layer.into_inner().unwrap();
    let diff_id = format!("sha256:{}", hex::encode(sha2::Sha256::digest(&layer)));
    let config = serde_json::json!({
        "architecture": if cfg!(target_arch = "aarch64") { "arm64" } else { "amd64" },
        "os": "linux",
        "config": {"Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
    });
    let manifest = serde_json::json!([{
        "Config": "config.json", "RepoTags": [tag], "Layers": ["layer.tar"],
    }]);
    let mut out = tar::Builder::new(Vec::new());
    for (name, data) in [
        ("manifest.json", serde_json::to_vec(&manifest).unwrap()),
        ("config.json", serde_json::to_vec(&config).unwrap()),
        ("layer.tar", layer),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        out.append_data(&mut h, name, data.as_slice()).unwrap();
    }
    out.into_inner().unwrap()
}

#[test]
fn an_image_with_proc_or_sys_as_a_symlink_is_refused() {
    require_lab!();
    let sb = Sandbox::new(&user());
    for dir in ["proc", "sys"] {
        let tag = format!("localhost/symlinked-{dir}:latest");
        let archive = sb.tmp_dir().join(format!("{dir}.tar"));
        std::fs::write(&archive, symlinked_image(dir, &tag)).unwrap();
        std::fs::set_permissions(&archive, std::fs::Permissions::from_mode(0o644)).unwrap();
        sb.rctr_ok(&["load", "-q", "-i", archive.to_str().unwrap()]);
        let out = sb.rctr(&["run", "--rm", &tag, "true"]);
        assert_exit(&out, 125);
        let err = stderr(&out);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains(&format!("makes /{dir} a symbolic link")),
            "{err}"
        );
        // The --rm container went with the failure.
        assert_no_leftover(&sb);
    }
}

#[track_caller]
fn assert_no_leftover(sb: &Sandbox) {
    assert_eq!(sb.rctr_ok(&["ps", "-aq"]), "");
    let dir = sb.store().join("containers");
    let left = std::fs::read_dir(&dir)
        .map(|d| d.flatten().filter(|e| e.file_name().len() == 64).count())
        .unwrap_or(0);
    assert_eq!(left, 0, "containers left in {}", Path::new(&dir).display());
}
