//! Login-node conditions that can be made on this host, as the unprivileged users: root
//! emulation for single-ID containers (chown and setuid succeed without effect, on by default
//! without subordinate IDs, `--root-emulation=false` turns it off), and the store chosen by
//! `graphroot` in rctr's storage.conf. The network-filesystem store fallback and Slurm are
//! proven in the VM stage, which has an NFS server of its own.
mod common;
use common::*;

const CHOWN: &str = "touch /tmp/f && chown daemon:daemon /tmp/f && echo chown-ok; setpriv --reuid=1 --regid=1 --clear-groups id -u; stat -c %u /tmp/f";

#[test]
fn single_id_containers_emulate_root_unless_told_not_to() {
    require_lab!();
    let sb = Sandbox::new_nosub();
    assert_ok(&sb.rctr(&["pull", "-q", "debian:bookworm"]));
    let out = sb.rctr(&["run", "--rm", "debian:bookworm", "sh", "-c", CHOWN]);
    assert_ok(&out);
    // Accepted without effect: the file is still root's (the only mapped ID), and the
    // process stayed root.
    assert_eq!(stdout(&out), "chown-ok\n0\n0\n");
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--root-emulation=false",
        "debian:bookworm",
        "sh",
        "-c",
        "touch /tmp/f; chown daemon /tmp/f",
    ]);
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("Invalid argument"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn with_subordinate_ids_chown_is_real() {
    require_lab!();
    let sb = Sandbox::new(&user());
    assert_ok(&sb.rctr(&["pull", "-q", "debian:bookworm"]));
    let out = sb.rctr(&["run", "--rm", "debian:bookworm", "sh", "-c", CHOWN]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "chown-ok\n1\n1\n");
    // Asked for, it applies there too.
    let out = sb.rctr(&[
        "run",
        "--rm",
        "--root-emulation",
        "debian:bookworm",
        "sh",
        "-c",
        CHOWN,
    ]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "chown-ok\n0\n0\n");
}

#[test]
fn graphroot_in_rctrs_storage_conf_chooses_the_store() {
    require_lab!();
    let sb = Sandbox::new(&user());
    let conf = sb.config_home().join("rctr/storage.conf");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    let root = sb.home().join("elsewhere");
    std::fs::write(
        &conf,
        format!("[storage]\ngraphroot = \"{}\"\n", root.display()),
    )
    .unwrap();
    let info = sb.rctr_ok(&["info", "--format", "{{.Store.GraphRoot}}"]);
    assert_eq!(info.trim(), root.display().to_string());
    assert_ok(&sb.rctr(&["pull", "-q", "busybox"]));
    assert!(root.join("images").exists() || root.read_dir().unwrap().next().is_some());
    std::fs::write(&conf, "[storage]\ngraphroot = \"relative/path\"\n").unwrap();
    let out = sb.rctr(&["images"]);
    assert_exit(&out, 125);
    let e = stderr(&out);
    assert!(
        e.contains("graphroot") && e.contains("absolute path"),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1, "{e}");
}

/// A batch job's variables reach the container: `-e 'SLURM_*'` (podman's prefix form),
/// `-e NAME` (the host's value) and `--env-host`; doctor names the job.
#[test]
fn slurm_variables_pass_into_the_container() {
    require_lab!();
    let sb = Sandbox::with_busybox(&user());
    sb.env("SLURM_JOB_ID", "4242");
    sb.env("SLURM_PROCID", "3");
    sb.env("OTHER_VAR", "x");
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "-e",
        "SLURM_*",
        "busybox",
        "sh",
        "-c",
        "env | grep -E '^(SLURM|OTHER)' | sort",
    ]);
    assert_eq!(out, "SLURM_JOB_ID=4242\nSLURM_PROCID=3\n");
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "-e",
        "OTHER_VAR",
        "busybox",
        "sh",
        "-c",
        "echo $OTHER_VAR",
    ]);
    assert_eq!(out, "x\n");
    let out = sb.rctr_ok(&[
        "run",
        "--rm",
        "--env-host",
        "-e",
        "OTHER_VAR=y",
        "busybox",
        "sh",
        "-c",
        "echo $SLURM_PROCID $OTHER_VAR",
    ]);
    assert_eq!(out, "3 y\n");
    let d = sb.rctr(&["doctor"]);
    assert!(
        stdout(&d).contains("inside Slurm job 4242"),
        "{}",
        stdout(&d)
    );
}
