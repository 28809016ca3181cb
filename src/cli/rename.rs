//! `rctr rename CONTAINER NEW_NAME`.
use crate::container::Container;
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct RenameArgs {
    /// The container to rename
    pub container: String,
    /// Its new name
    pub new_name: String,
}

pub fn run(args: RenameArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut c = Container::lookup(ctx, &args.container)?;
    c.rename(ctx, &args.new_name)?;
    Ok(ExitCode::SUCCESS)
}
