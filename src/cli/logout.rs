//! `rctr logout`: remove stored registry credentials.
use crate::context::Context;
use crate::image::auth;
use anyhow::bail;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct LogoutArgs {
    /// Registry to log out from
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
    /// Remove the credentials of all registries
    #[arg(short, long)]
    pub all: bool,
    /// Path of the authentication file
    #[arg(long, value_name = "PATH")]
    pub authfile: Option<PathBuf>,
}

pub fn run(args: LogoutArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let path = auth::write_path(ctx, args.authfile.as_deref());
    if args.all {
        auth::remove_all(&path)?;
        println!("Removed login credentials for all registries");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(reg) = args
        .registry
        .as_deref()
        .map(super::login::normalize_registry)
    else {
        bail!("please provide a registry to log out from (or use --all)");
    };
    if auth::remove(&path, &reg)? {
        println!("Removed login credentials for {reg}");
        Ok(ExitCode::SUCCESS)
    } else {
        bail!("not logged into {reg}")
    }
}
