//! `rctr rmi` / `rctr image rm`: remove images (podman's untag-or-delete rules and exit codes:
//! 1 when an image is not known, 2 when a container uses it).
use super::exit::{self, Cmd, Kind};
use super::targets::{each, Rule};
use crate::context::Context;
use crate::storage::Store;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct RmiArgs {
    /// Images to remove (name, ID or ID prefix)
    #[arg(value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Remove all images
    #[arg(short, long)]
    pub all: bool,
    /// Also remove images used by (stopped) containers, removing those containers, and images
    /// with several names referenced by ID
    #[arg(short, long)]
    pub force: bool,
    /// Do not fail for images that are not known
    #[arg(short, long)]
    pub ignore: bool,
    /// Accepted for podman compatibility (rctr keeps no intermediate images)
    #[arg(long, hide = true)]
    pub no_prune: bool,
}

pub fn run(args: RmiArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if args.images.is_empty() && !args.all {
        anyhow::bail!("image name or ID must be specified (or use --all)");
    }
    if args.all && !args.images.is_empty() {
        anyhow::bail!("when using the --all switch, you may not pass any images names or IDs");
    }
    let store = Store::open(ctx)?;
    let targets: Vec<String> = if args.all {
        store.images()?.into_iter().map(|i| i.id).collect()
    } else {
        args.images.clone()
    };
    // podman removes what it can, prints the first failure last and ends with its code.
    Ok(each(&targets, Cmd::Rmi, Rule::FirstShownLast, |t| {
        match crate::ops::images::rmi(ctx, &store, t, args.force || args.all) {
            Ok(r) => {
                for n in &r.untagged {
                    println!("Untagged: {n}");
                }
                for d in &r.deleted {
                    println!("Deleted: {d}");
                }
            }
            Err(e) if args.ignore && exit::kind(&e) == Kind::NoSuchImage => {}
            Err(e) => return Err(e),
        }
        Ok(())
    }))
}
