//! `rctr volume create|ls|rm|inspect|prune` (podman's flags and output).
use super::exit::Cmd;
use super::targets::{each, Rule};
use crate::context::Context;
use crate::volume::{self, Volume, VolumeError};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct VolumeArgs {
    #[command(subcommand)]
    pub command: VolumeCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum VolumeCommand {
    /// Create a new volume
    Create {
        /// Set metadata (KEY=VALUE)
        #[arg(short = 'l', long = "label")]
        label: Vec<String>,
        /// Volume driver (only "local")
        #[arg(short = 'd', long, default_value = "local")]
        driver: String,
        /// Succeed when the volume already exists
        #[arg(long)]
        ignore: bool,
        /// Volume name (default: a random one)
        name: Option<String>,
    },
    /// List volumes
    #[command(alias = "list")]
    Ls {
        /// Go template or json
        #[arg(long)]
        format: Option<String>,
        /// Print only the volume names
        #[arg(short, long)]
        quiet: bool,
        /// Do not print the header
        #[arg(long)]
        noheading: bool,
    },
    /// Remove one or more volumes
    Rm {
        /// Remove the containers using them first
        #[arg(short, long)]
        force: bool,
        /// Remove all volumes
        #[arg(short, long)]
        all: bool,
        names: Vec<String>,
    },
    /// Display detailed information on one or more volumes
    Inspect {
        /// Go template or json
        #[arg(short, long)]
        format: Option<String>,
        /// Inspect all volumes
        #[arg(short, long)]
        all: bool,
        names: Vec<String>,
    },
    /// Remove all volumes no container uses
    Prune {
        /// Do not ask for confirmation
        #[arg(short, long)]
        force: bool,
    },
}

/// podman's JSON for a volume (inspect, `ls --format json`).
fn to_value(v: &Volume) -> serde_json::Value {
    serde_json::json!({
        "Name": v.name,
        "Driver": v.driver,
        "Mountpoint": v.mountpoint,
        "CreatedAt": v.created_at,
        "Labels": v.labels,
        "Scope": v.scope,
        "Options": v.options,
        "Anonymous": v.anonymous,
        "NeedsCopyUp": v.needs_copy_up,
    })
}

pub fn run(args: VolumeArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    match args.command {
        VolumeCommand::Create {
            label,
            driver,
            ignore,
            name,
        } => {
            if driver != "local" {
                anyhow::bail!(
                    "volume driver {driver:?} is not supported: rctr has the local driver only"
                );
            }
            let labels = label
                .iter()
                .map(|l| {
                    let (k, v) = l.split_once('=').unwrap_or((l, ""));
                    (k.to_string(), v.to_string())
                })
                .collect();
            let v = match volume::create(ctx, name.as_deref(), labels) {
                Err(e) if ignore && matches!(e.downcast_ref(), Some(VolumeError::Exists(_))) => {
                    volume::get(ctx, name.as_deref().unwrap_or_default())?
                }
                r => r?,
            };
            println!("{}", v.name);
        }
        VolumeCommand::Ls {
            format,
            quiet,
            noheading,
        } => {
            let rows: Vec<serde_json::Value> = volume::list(ctx)?.iter().map(to_value).collect();
            let format = if quiet {
                Some("{{.Name}}")
            } else {
                format.as_deref()
            };
            let report = crate::format::Report {
                default_table: "table {{.Driver}}\t{{.Name}}",
                headers: &[("Name", "VOLUME NAME")],
                no_heading: noheading,
            };
            print!("{}", crate::format::render_report(format, &report, &rows)?);
        }
        VolumeCommand::Rm { force, all, names } => {
            let names: Vec<String> = if all {
                volume::list(ctx)?.into_iter().map(|v| v.name).collect()
            } else if names.is_empty() {
                anyhow::bail!("choose the volumes to remove, or --all");
            } else {
                names
            };
            // podman: 1 for a missing volume, 2 for one in use, 125 otherwise; the first wins.
            return Ok(each(&names, Cmd::VolumeRm, Rule::First, |n| {
                crate::ops::remove_volume(ctx, n, force)?;
                println!("{n}");
                Ok(())
            }));
        }
        VolumeCommand::Inspect { format, all, names } => {
            let vols: Vec<Volume> = if all {
                volume::list(ctx)?
            } else {
                names
                    .iter()
                    .map(|n| volume::get(ctx, n))
                    .collect::<anyhow::Result<_>>()?
            };
            match format.as_deref() {
                Some(f) if !crate::format::is_json(f) => {
                    for v in &vols {
                        print!("{}", crate::format::render_one(f, &to_value(v))?);
                    }
                }
                _ => crate::format::print_json_pretty(
                    &vols.iter().map(to_value).collect::<Vec<_>>(),
                )?,
            }
        }
        VolumeCommand::Prune { force } => {
            if !force {
                use std::io::{BufRead, IsTerminal, Write};
                if !std::io::stdin().is_terminal() {
                    anyhow::bail!(
                        "volume prune needs confirmation: use --force when stdin is not a terminal"
                    );
                }
                print!("WARNING! This will remove all volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ");
                std::io::stdout().flush()?;
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                if !matches!(line.trim(), "y" | "Y" | "yes") {
                    return Ok(ExitCode::SUCCESS);
                }
            }
            for n in crate::ops::prune_volumes(ctx)? {
                println!("{n}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
