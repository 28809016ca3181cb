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
        "__userns-probe" => crate::probe::userns::child_main(),
        "__userns-selftest" => userns_selftest(),
        "__overlay-probe" => crate::probe::overlay::child_main(rest),
        "__kernel-probe" => crate::probe::kernel::child_main(),
        "__init" => crate::runtime::init_main(rest),
        "__rm-tree" => crate::storage::layers::rm_tree_main(rest),
        "__unpack-layer" => crate::image::unpack::helper_main(rest),
        "__squash" => crate::image::squash::child_main(rest),
        "__save-layer" => crate::image::archive::save_layer_main(rest),
        "__image-mount" => crate::storage::debug::image_mount_main(rest),
        "__image-mount-child" => crate::storage::debug::image_mount_child(rest),
        "__monitor" => crate::monitor::main(rest),
        "__netns-sockets" => crate::network::nssockets::main(rest),
        "__exec" => crate::container::exec::helper_main(rest),
        "__reap" => crate::container::remove::reap_main(rest),
        _ => return None,
    };
    Some(match res {
        Ok(c) => c,
        Err(e) => crate::error::report(&e),
    })
}

/// Parent side of the probe: plan the mapping for the calling user and test it for real
/// (`rctr info`/`doctor` run the same test, see `probe::userns`).
fn userns_selftest() -> anyhow::Result<ExitCode> {
    let ctx = crate::context::Context::from_env(&Default::default())?;
    let t = crate::probe::userns::test(&crate::idmap::plan_for(&ctx).mapping);
    if let Some(e) = &t.error {
        eprintln!("Error: {e}");
    }
    Ok(if t.works {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
