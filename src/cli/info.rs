//! `rctr info`: podman's `info` shape.
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct InfoArgs {
    /// Output format: json, or a Go template
    #[arg(short = 'f', long)]
    pub format: Option<String>,
}

pub fn run(_args: InfoArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("rctr info: not implemented yet")
}
