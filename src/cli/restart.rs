//! `rctr restart`: stop (signal, grace period, SIGKILL) then start again, detached.
use super::exit::Cmd;
use super::targets::{each, Rule};
use crate::container::{select, Status};
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct RestartArgs {
    /// Restart all containers
    #[arg(short, long)]
    pub all: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Restart only running containers
    #[arg(long)]
    pub running: bool,
    /// Seconds to wait for stop before killing the container
    #[arg(short = 't', long = "time", alias = "timeout", value_name = "SECONDS")]
    pub time: Option<u32>,
    /// Containers to restart
    pub containers: Vec<String>,
}

pub fn run(args: RestartArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let targets = select(ctx, &args.containers, args.all, args.latest)?;
    Ok(each(targets, Cmd::Restart, Rule::Last, |(arg, c)| {
        let mut c = c?;
        if args.running && c.state().status != Status::Running {
            return Ok(());
        }
        c.stop(args.time, None)?;
        c.update(|r| r.state.restart_count += 1)?;
        crate::engine::start(ctx, &mut c, None, crate::engine::Mode::Detached)?;
        println!("{arg}");
        Ok(())
    }))
}
