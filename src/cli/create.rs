//! `rctr create`: `run`'s flags, the container is created (record + OCI bundle) but not
//! started; prints its ID. Start it with `rctr start`.
use crate::cli::container_flags::ContainerFlags;
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct CreateArgs {
    /// Print help
    #[arg(long, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    #[command(flatten)]
    pub flags: ContainerFlags,
}

pub fn run(args: CreateArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let spec = args.flags.to_spec(ctx)?;
    let created = crate::engine::create(ctx, &spec)?;
    println!("{}", created.container.id());
    Ok(ExitCode::SUCCESS)
}
