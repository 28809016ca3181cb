//! Hidden entry points for re-execs of `/proc/self/exe`.
//!
//! These run before clap (and before any thread or async runtime exists), which keeps the
//! container start-up path short and makes `unshare(CLONE_NEWUSER)` legal.
use std::ffi::OsString;
use std::process::ExitCode;

/// If `args[1]` names a hidden entry point, run it and return its exit code.
pub fn dispatch(args: &[OsString]) -> Option<ExitCode> {
    let name = args.get(1)?.to_str()?;
    if !name.starts_with("__") {
        return None;
    }
    let rest = &args[2..];
    let res: anyhow::Result<ExitCode> = match name {
        "__userns-probe" => userns_probe(rest),
        "__userns-selftest" => userns_selftest(),
        "__rm-tree" => crate::storage::layers::rm_tree_main(rest),
        _ => return None,
    };
    Some(match res {
        Ok(c) => c,
        Err(e) => crate::error::report(&e),
    })
}

/// Enter a mapped user namespace and print the uid_map seen from inside (a self-test of the
/// mapping path, used by `info`/`doctor` and tests).
fn userns_probe(_rest: &[OsString]) -> anyhow::Result<ExitCode> {
    crate::userns::child_enter(0)?;
    print!("{}", std::fs::read_to_string("/proc/self/uid_map")?);
    Ok(ExitCode::SUCCESS)
}

/// Parent side of the probe: plan the mapping for the calling user and run the probe with it.
fn userns_selftest() -> anyhow::Result<ExitCode> {
    let uid = nix::unistd::getuid().as_raw();
    let gid = nix::unistd::getgid().as_raw();
    let user = nix::unistd::User::from_uid(uid.into())
        .ok()
        .flatten()
        .map(|u| u.name);
    let plan = crate::idmap::plan(&Default::default(), user.as_deref(), uid, gid);
    let mut cmd = crate::userns::self_command("__userns-probe");
    let child = crate::userns::spawn_mapped(&mut cmd, &plan.mapping)?;
    let st = child.wait_with_output()?.status;
    Ok(if st.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
