//! `rctr system prune` and `rctr system reset`.
use crate::container::{filter::Filters, Container};
use crate::context::Context;
use anyhow::Context as _;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct SystemArgs {
    #[command(subcommand)]
    pub command: SystemCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum SystemCommand {
    /// Remove unused data: stopped containers, dangling (with -a: unused) images, volumes
    Prune(PruneArgs),
    /// Remove every container, image, volume and all state rctr stored
    Reset(ResetArgs),
}

#[derive(Debug, clap::Args)]
pub struct PruneArgs {
    /// Remove all unused images, not only dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Prune volumes not used by any container too
    #[arg(long)]
    pub volumes: bool,
    /// Only prune objects matching the filters (accepted for containers)
    #[arg(long)]
    pub filter: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ResetArgs {
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,
}

pub fn run(args: SystemArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    match args.command {
        SystemCommand::Prune(a) => prune(a, ctx),
        SystemCommand::Reset(a) => reset(a, ctx),
    }
}

fn prune(args: PruneArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let filters = Filters::parse(&args.filter)?;
    if !args.force {
        let images = if args.all {
            "all images not used by a container"
        } else {
            "all dangling images"
        };
        let volumes = if args.volumes {
            "\n\t- all volumes not used by at least one container"
        } else {
            ""
        };
        let q = format!(
            "WARNING! This command removes:\n\t- all stopped containers{volumes}\n\t- {images}\n"
        );
        if !confirm(&q)? {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let containers = crate::container::prune(ctx, &filters)?;
    if !containers.is_empty() {
        println!("Deleted Containers");
        for id in &containers {
            println!("{id}");
        }
    }
    if args.volumes {
        let vols = crate::ops::prune_volumes(ctx)?;
        if !vols.is_empty() {
            println!("Deleted Volumes");
            for v in vols {
                println!("{v}");
            }
        }
    }
    let store = crate::storage::Store::open(ctx)?;
    let images = crate::ops::images::prune(ctx, &store, args.all)?;
    if !images.is_empty() {
        println!("Deleted Images");
        for id in images {
            println!("{id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn reset(args: ResetArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if !args.force
        && !confirm(&format!(
            "WARNING! This will remove:\n\t- all containers\n\t- all images\n\t- all volumes\n\t- the store {} and rctr's runtime state {}\n",
            ctx.data_dir.display(),
            ctx.runtime_dir().display()
        ))?
    {
        return Ok(ExitCode::SUCCESS);
    }
    // Stop what runs (no grace period: everything goes), so no monitor writes afterwards.
    for mut c in Container::list(ctx)? {
        let _ = c.stop(Some(0), None);
    }
    match std::fs::remove_dir_all(ctx.runtime_dir()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(e).with_context(|| format!("removing {}", ctx.runtime_dir().display()))
        }
    }
    if !ctx.data_dir.exists() {
        return Ok(ExitCode::SUCCESS);
    }
    // Layers and containers' writable layers hold files owned by subordinate IDs: they can
    // only be removed inside a user namespace. Use the mapping the store recorded (the one its
    // files carry), even when the user's current subordinate IDs differ (reset is the cure
    // for that situation).
    let current = crate::idmap::plan_for(ctx).mapping;
    let mappings: Vec<crate::idmap::IdMapping> =
        recorded_mapping(ctx).into_iter().chain([current]).collect();
    for mapping in &mappings {
        let mut cmd = crate::userns::self_command("__rm-tree");
        cmd.arg(&ctx.data_dir).stdin(std::process::Stdio::null());
        if let Ok(child) = crate::userns::spawn_mapped(&mut cmd, mapping) {
            let _ = child.wait_with_output();
        }
        if !ctx.data_dir.exists() {
            break;
        }
    }
    if ctx.data_dir.exists() {
        // Whatever the user namespace could not remove (files of IDs no longer mapped).
        crate::storage::remove_tree(ctx, &ctx.data_dir).with_context(|| {
            format!(
                "could not remove all of {}: remove what is left as root",
                ctx.data_dir.display()
            )
        })?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Ask "[y/N]" on the terminal; true for yes.
pub fn confirm(question: &str) -> anyhow::Result<bool> {
    use std::io::Write;
    print!("{question}\nAre you sure you want to continue? [y/N] ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}

fn recorded_mapping(ctx: &Context) -> Option<crate::idmap::IdMapping> {
    #[derive(serde::Deserialize)]
    struct Info {
        mapping: crate::idmap::IdMapping,
    }
    let b = std::fs::read(ctx.data_dir.join("storage.json")).ok()?;
    serde_json::from_slice::<Info>(&b).ok().map(|i| i.mapping)
}
