//! `rctr kill`: send a signal (default SIGKILL) to containers' PID 1.
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
    let mut rc = 0u8;
    for (arg, c) in select(ctx, &names, args.all, args.latest)? {
        let res = c.and_then(|c| {
            if args.all && c.live_pid().is_none() {
                return Ok(false); // --all signals the running ones
            }
            c.kill(sig).map(|()| true)
        });
        match res {
            Ok(true) => println!("{arg}"),
            Ok(false) => {}
            Err(e) => {
                eprintln!("Error: {e:#}");
                rc = crate::error::EXIT_ENGINE;
            }
        }
    }
    Ok(ExitCode::from(rc))
}
