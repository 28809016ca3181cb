//! `rctr kill`: send a signal (default SIGKILL) to containers' PID 1.
use super::exit::Cmd;
use super::targets::{each, Rule};
use crate::container::{ops::parse_signal, select};
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct KillArgs {
    /// Signal all running containers
    #[arg(short, long)]
    pub all: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Signal to send to the container
    #[arg(short, long, default_value = "KILL")]
    pub signal: String,
    /// Read the container ID from the file (accepted for podman compatibility)
    #[arg(long)]
    pub cidfile: Vec<std::path::PathBuf>,
    /// Containers to signal
    pub containers: Vec<String>,
}

pub fn run(args: KillArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let sig = parse_signal(&args.signal)?;
    let mut names = args.containers.clone();
    for f in &args.cidfile {
        names.push(std::fs::read_to_string(f)?.trim().to_string());
    }
    let targets = select(ctx, &names, args.all, args.latest)?;
    Ok(each(targets, Cmd::Kill, Rule::Last, |(arg, c)| {
        let c = c?;
        if args.all && c.live_pid().is_none() {
            return Ok(()); // --all signals the running ones
        }
        c.kill(sig)?;
        println!("{arg}");
        Ok(())
    }))
}
