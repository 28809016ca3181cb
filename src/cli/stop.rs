//! `rctr stop`: the stop signal (the image's StopSignal), `-t` seconds, then SIGKILL.
use super::exit::Cmd;
use super::targets::{each, Rule};
use crate::container::{is_not_found, select};
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct StopArgs {
    /// Stop all running containers
    #[arg(short, long)]
    pub all: bool,
    /// Ignore errors when a specified container is missing
    #[arg(short, long)]
    pub ignore: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Seconds to wait for stop before killing the container (default: its StopTimeout, 10)
    #[arg(short = 't', long = "time", alias = "timeout", value_name = "SECONDS")]
    pub time: Option<u32>,
    /// Read the container ID from the file (accepted for podman compatibility)
    #[arg(long)]
    pub cidfile: Vec<std::path::PathBuf>,
    /// Containers to stop
    pub containers: Vec<String>,
}

pub fn run(args: StopArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut names = args.containers.clone();
    for f in &args.cidfile {
        names.push(std::fs::read_to_string(f)?.trim().to_string());
    }
    let targets = select(ctx, &names, args.all, args.latest)?;
    Ok(each(targets, Cmd::Stop, Rule::Last, |(arg, c)| {
        match c.and_then(|mut c| c.stop(args.time, None)) {
            Ok(()) => println!("{arg}"),
            Err(e) if args.ignore && is_not_found(&e) => {}
            Err(e) => return Err(e),
        }
        Ok(())
    }))
}
