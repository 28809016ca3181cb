//! `rctr wait`: block until containers stop, print their exit codes.
use super::exit::Cmd;
use super::targets::{each, Rule};
use crate::container::select;
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct WaitArgs {
    /// Condition to wait on (accepted: stopped, exited; rctr waits for the container to stop)
    #[arg(long)]
    pub condition: Vec<String>,
    /// Time interval to wait before polling (accepted: rctr does not poll)
    #[arg(short, long)]
    pub interval: Option<String>,
    /// Ignore errors when a specified container is missing
    #[arg(long)]
    pub ignore: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Containers to wait for
    pub containers: Vec<String>,
}

pub fn run(args: WaitArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let targets = select(ctx, &args.containers, false, args.latest)?;
    Ok(each(targets, Cmd::Wait, Rule::Last, |(_, c)| {
        match c.and_then(|mut c| c.wait()) {
            Ok(code) => println!("{code}"),
            Err(e) if args.ignore && crate::container::is_not_found(&e) => println!("-1"),
            Err(e) => return Err(e),
        }
        Ok(())
    }))
}
