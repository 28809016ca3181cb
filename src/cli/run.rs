//! `rctr run`: create a container from an image and run it (podman's flags, output and exit
//! codes): flags → [`ContainerSpec`](crate::engine::ContainerSpec) → `engine::create` →
//! `engine::start` (detached, attached, or with our own stdio for `--rm`).
use crate::cli::container_flags::ContainerFlags;
use crate::context::Context;
use crate::engine::{self, Created, Mode};
use anyhow::Context as _;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct RunArgs {
    /// Run in the background and print the container ID
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// Forward signals to the container (always on)
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set, hide = true)]
    pub sig_proxy: bool,
    /// Print help
    #[arg(long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    #[command(flatten)]
    pub flags: ContainerFlags,
}

pub fn run(args: RunArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let f = &args.flags;
    // Signals that arrive while the container starts stay pending and are forwarded by the
    // monitor loop (it reads them from a signalfd); children start with a clean mask.
    if !args.detach {
        crate::monitor::signal_mask()
            .thread_block()
            .context("blocking signals")?;
    }
    let spec = f.to_spec(ctx)?;
    let Created {
        mut container,
        mapping,
    } = engine::create(ctx, &spec)?;
    let mode = if args.detach {
        Mode::Detached
    } else if f.rm {
        // Nothing outlives this command (no log to keep): the container gets our stdio.
        Mode::Direct {
            interactive: f.interactive,
        }
    } else {
        Mode::Attached {
            interactive: f.interactive,
        }
    };
    match engine::start(ctx, &mut container, Some(&mapping), mode)? {
        None => {
            println!("{}", container.id());
            Ok(ExitCode::SUCCESS)
        }
        Some(code) => Ok(ExitCode::from(code)),
    }
}
