//! `rctr restart`: stop (signal, grace period, SIGKILL) then start again, detached.
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
    let mut rc = 0u8;
    for (arg, c) in select(ctx, &args.containers, args.all, args.latest)? {
        let res = c.and_then(|mut c| {
            if args.running && c.state().status != Status::Running {
                return Ok(false);
            }
            c.stop(args.time, None)?;
            c.update(|r| r.state.restart_count += 1)?;
            crate::engine::start(ctx, &mut c, None, crate::engine::Mode::Detached).map(|_| true)
        });
        match res {
            Ok(true) => println!("{arg}"),
            Ok(false) => {}
            Err(e) => {
                rc = crate::error::exit_code_for(&e);
                eprintln!("Error: {e:#}");
            }
        }
    }
    Ok(ExitCode::from(rc))
}
