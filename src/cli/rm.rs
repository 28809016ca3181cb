//! `rctr rm`: remove containers (podman's exit codes: 1 no such container, 2 running).
use super::exit::{self, Cmd, Kind};
use super::targets::{each, Rule};
use crate::container::{is_not_found, select};
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct RmArgs {
    /// Remove all containers
    #[arg(short, long)]
    pub all: bool,
    /// Stop a running container first, then remove it; no error for missing containers
    #[arg(short, long)]
    pub force: bool,
    /// Ignore errors when a specified container is missing
    #[arg(short, long)]
    pub ignore: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Seconds to wait for stop before killing the container (with --force)
    #[arg(short = 't', long = "time", alias = "timeout", value_name = "SECONDS")]
    pub time: Option<u32>,
    /// Remove the anonymous volumes associated with the container
    #[arg(short, long)]
    pub volumes: bool,
    /// Remove the containers that depend on it (join its network) first
    #[arg(long)]
    pub depend: bool,
    /// Read the container ID from the file
    #[arg(long)]
    pub cidfile: Vec<std::path::PathBuf>,
    /// Containers to remove
    pub containers: Vec<String>,
}

pub fn run(args: RmArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut names = args.containers.clone();
    for f in &args.cidfile {
        match std::fs::read_to_string(f) {
            Ok(s) => names.push(s.trim().to_string()),
            Err(_) if args.ignore => {}
            Err(e) => anyhow::bail!("reading CIDFile {}: {e}", f.display()),
        }
    }
    if args.all && args.latest {
        anyhow::bail!("--all and --latest cannot be used together");
    }
    let mut targets = select(ctx, &names, args.all, args.latest)?;
    if args.all {
        // Newest first: a container joining another's network goes before the one it joins.
        targets.reverse();
    }
    // podman: 1 when a container did not exist, 2 when one is running, 125 otherwise; the
    // first of 2 and 125 wins over 1.
    let rule = Rule::FirstOtherThan(exit::code(Cmd::Rm, Kind::NoSuchContainer));
    Ok(each(targets, Cmd::Rm, rule, |(arg, c)| {
        let opts = crate::ops::RemoveOptions {
            force: args.force,
            time: args.time,
            volumes: args.volumes,
            depend: args.depend,
        };
        let res = c.and_then(|c| crate::ops::remove_container(ctx, c, &opts));
        match res {
            Ok(first) => {
                for id in first {
                    println!("{id}");
                }
                println!("{arg}");
            }
            // `-f` and `--ignore` accept containers that are already gone (also when another
            // `rm` removed it a moment ago).
            Err(e) if is_not_found(&e) && (args.force || args.ignore) => {}
            Err(e) => return Err(e),
        }
        Ok(())
    }))
}
