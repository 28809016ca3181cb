//! Confinement against hostile neighbours and images, black-box as the unprivileged user:
//! a volume copy-up racing another container that plants symlinks, seccomp's ptrace rule,
//! `--security-opt` values rctr cannot apply, and images whose /proc or /sys is a symlink.
mod common;
use common::*;
use sha2::Digest;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

/// Wait (polling, bounded) until `f` holds.
fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !f() {
        assert!(
            std::time::Instant::now() < end,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The attack: container A has volume V mounted (`nocopy`, so V is still to be initialised)
/// and watches it; the moment container B's copy-up creates the first entry, A plants a
/// symlink at every other name of the image's /etc, pointing into a directory of the user's
/// on the host (path as the host sees it) that holds one victim file. Nothing may be written
/// through the links: the victim keeps its content and mode, nothing else appears beside it.
#[test]
fn volume_copy_up_with_a_planted_symlink_writes_only_inside_the_volume() {
    require_lab!();
    let sb = Sandbox::new(&user());
    assert_ok(&sb.rctr(&["pull", "-q", "debian:bookworm"]));
    let host = sb.home().join("host");
    let victim = host.join("passwd");
    assert_ok(&sb.sh(&format!(
        "mkdir -m 0700 {h} && printf 'host\\n' > {v} && chmod 0604 {v}",
        h = host.display(),
        v = victim.display()
    )));
    // Busy-waits with shell builtins only (a glob), then plants all links with one `ln`.
    let planter = format!(
        "L=; for n in $(ls -A /etc); do L=\"$L {h}/$n\"; done; echo ready; \
         while :; do set -- /v/* /v/.[!.]*; [ -e \"$1\" ] || [ -e \"$2\" ] && break; done; \
         ln -s $L /v/ 2>/dev/null; echo planted",
        h = host.display()
    );
    let mut failed = 0;
    for i in 0..5 {
        let vol = format!("shared{i}");
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
        let a = a.trim();
        wait_for("the planter", || sb.rctr_ok(&["logs", a]).contains("ready"));
        let b = sb.rctr(&[
            "run",
            "--rm",
            "-v",
            &format!("{vol}:/etc"),
            "debian:bookworm",
            "true",
        ]);
        // B may find entries taken (they are left to A), or the volume changed under it:
        // then it fails with one clear line.
        if b.status.code() != Some(0) {
            assert_exit(&b, 125);
            assert_eq!(stderr(&b).trim().lines().count(), 1, "{}", describe(&b));
            failed += 1;
        }
        sb.rctr_ok(&["rm", "-f", "-t", "0", a]);
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
        let beside: Vec<_> = std::fs::read_dir(&host)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            beside,
            vec!["passwd"],
            "written outside the volume, round {i}"
        );
    }
    visible(&format!(
        "copy-up race: B failed cleanly in {failed} of 5 rounds"
    ));
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
        "sub t {{ my $rc = syscall($_[0], @_[1..$#_]); $rc == -1 ? $!+0 : $rc }} \
         print join(' ', t({p},0,0,0,0), t({r},$$,0,0,0,0,0), t({w},$$,0,0,0,0,0))"
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

/// A tar header owned by root, at the epoch.
fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(0);
    h
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
    let mut h = header(tar::EntryType::Directory, 0o755, 0);
    layer
        .append_data(&mut h, format!("{fake}/"), &[][..])
        .unwrap();
    let mut h = header(tar::EntryType::Symlink, 0o777, 0);
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
        let mut h = header(tar::EntryType::Regular, 0o644, data.len() as u64);
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
