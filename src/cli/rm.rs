//! `rctr rm`: remove containers (podman's exit codes: 1 no such container, 2 running).
use crate::container::{is_not_found, select, Status};
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
    /// Remove the containers depending on it (accepted; rctr has no dependencies)
    #[arg(long)]
    pub depend: bool,
    /// Read the container ID from the file
    #[arg(long)]
    pub cidfile: Vec<std::path::PathBuf>,
    /// Containers to remove
    pub containers: Vec<String>,
}

/// podman rm: "One of the specified containers did not exist".
const EXIT_NO_SUCH: u8 = 1;
/// podman rm: "One of the specified containers is paused or running".
const EXIT_RUNNING: u8 = 2;

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
    let mut rc = 0u8;
    for (arg, c) in select(ctx, &names, args.all, args.latest)? {
        let res = c.and_then(|mut c| {
            if c.state().status == Status::Running {
                if !args.force {
                    rc = rc.max(EXIT_RUNNING);
                    anyhow::bail!(
                        "cannot remove container {} as it is running - running or paused containers cannot be removed without force: container state improper",
                        c.id()
                    );
                }
                c.stop(args.time, None)?;
            }
            c.remove_detached(ctx)?;
            if args.volumes {
                crate::ops::remove_anonymous_volumes(ctx, &c)?;
            }
            Ok(())
        });
        match res {
            Ok(()) => println!("{arg}"),
            // `-f` and `--ignore` accept containers that are already gone (also when another
            // `rm` removed it a moment ago).
            Err(e) if is_not_found(&e) && (args.force || args.ignore) => {}
            Err(e) => {
                if is_not_found(&e) {
                    rc = rc.max(EXIT_NO_SUCH);
                } else if rc != EXIT_RUNNING {
                    rc = crate::error::EXIT_ENGINE;
                }
                eprintln!("Error: {e:#}");
            }
        }
    }
    Ok(ExitCode::from(rc))
}
