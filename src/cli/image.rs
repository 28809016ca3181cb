//! `rctr image <subcommand>`: podman's image command group (aliases of the top-level commands).
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ImageArgs {
    #[command(subcommand)]
    pub command: ImageCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum ImageCommand {
    /// List images
    #[command(visible_alias = "list")]
    Ls(super::images::ImagesArgs),
    /// Remove images
    Rm(super::rmi::RmiArgs),
    /// Pull images from a registry
    Pull(super::pull::PullArgs),
    /// Add names to an image
    Tag(super::tag::TagArgs),
    /// Remove names from an image
    Untag(super::tag::UntagArgs),
    /// Display the configuration of images
    Inspect(super::inspect::ImageInspectArgs),
    /// Remove unused images
    Prune(PruneArgs),
    /// Exit 0 if the image exists in the store, 1 if not
    Exists(ExistsArgs),
    /// Save images to an archive
    Save(super::save::SaveArgs),
    /// Load images from an archive
    Load(super::load::LoadArgs),
    /// Write an image's flattened root (and its config) to one squashfs file
    Squash(SquashArgs),
}

#[derive(Debug, clap::Args)]
pub struct SquashArgs {
    /// Name or ID of the image
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// The squashfs file to write (run it with `rctr run FILE CMD`)
    #[arg(short, long, value_name = "FILE", required = true)]
    pub output: std::path::PathBuf,
    /// Overwrite FILE if it exists
    #[arg(short, long)]
    pub force: bool,
    /// Compression: lz4 (quickest start), zstd, gzip, xz or lzo
    #[arg(long, value_name = "ALGO", default_value = crate::image::squash::DEFAULT_COMPRESSION)]
    pub compression: String,
}

#[derive(Debug, clap::Args)]
pub struct PruneArgs {
    /// Remove all images not used by containers, not only dangling ones
    #[arg(short, long)]
    pub all: bool,
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExistsArgs {
    /// Name or ID of the image
    #[arg(value_name = "IMAGE")]
    pub image: String,
}

pub fn run(args: ImageArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    match args.command {
        ImageCommand::Ls(a) => super::images::run(a, ctx),
        ImageCommand::Rm(a) => super::rmi::run(a, ctx),
        ImageCommand::Pull(a) => super::pull::run(a, ctx),
        ImageCommand::Tag(a) => super::tag::run(a, ctx),
        ImageCommand::Untag(a) => super::tag::run_untag(a, ctx),
        ImageCommand::Inspect(a) => super::inspect::run_image(a, ctx),
        ImageCommand::Prune(a) => prune(a, ctx),
        ImageCommand::Exists(a) => {
            let store = crate::storage::Store::open(ctx)?;
            Ok(if store.resolve_image(&a.image)?.is_some() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        ImageCommand::Save(a) => super::save::run(a, ctx),
        ImageCommand::Load(a) => super::load::run(a, ctx),
        ImageCommand::Squash(a) => {
            let store = crate::storage::Store::open(ctx)?;
            let opts = crate::image::squash::SquashOptions {
                output: a.output,
                force: a.force,
                compression: a.compression,
            };
            crate::image::squash::squash(ctx, &store, &a.image, &opts)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn prune(args: PruneArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if !args.force {
        use std::io::Write;
        let what = if args.all {
            "all images not in use by containers"
        } else {
            "all dangling images"
        };
        print!("WARNING! This command removes {what}.\nAre you sure you want to continue? [y/N] ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        if !matches!(line.trim(), "y" | "Y" | "yes" | "Yes") {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let store = crate::storage::Store::open(ctx)?;
    for id in crate::ops::images::prune(ctx, &store, args.all)? {
        println!("{id}");
    }
    Ok(ExitCode::SUCCESS)
}
