//! `rctr tag` and `rctr untag`.
use crate::context::Context;
use crate::image::remove;
use crate::storage::Store;
use anyhow::bail;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct TagArgs {
    /// The image to tag (name or ID)
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// New names: NAME[:TAG] (short names get podman's `localhost/` prefix)
    #[arg(value_name = "TARGET_NAME", required = true)]
    pub names: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct UntagArgs {
    /// The image to untag (name or ID)
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Names to remove (default: all of the image's names)
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

fn resolve(store: &Store, input: &str) -> anyhow::Result<crate::storage::ImageRecord> {
    match store.resolve_image(input)? {
        Some(i) => Ok(i),
        None => bail!("{input}: image not known"),
    }
}

pub fn run(args: TagArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = Store::open(ctx)?;
    let img = resolve(&store, &args.image)?;
    let names = args
        .names
        .iter()
        .map(|n| remove::normalize_new_name(n))
        .collect::<anyhow::Result<Vec<_>>>()?;
    remove::tag(&store, &img.id, &names)?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_untag(args: UntagArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = Store::open(ctx)?;
    let img = resolve(&store, &args.image)?;
    let idx = store.load_names()?;
    let mut names = Vec::new();
    for n in &args.names {
        match idx.matching_name(n).filter(|k| img.names.contains(k)) {
            Some(k) => names.push(k),
            None => bail!("{n}: tag not known for image {}", &img.id[..12]),
        }
    }
    remove::untag(&store, &img.id, &names)?;
    Ok(ExitCode::SUCCESS)
}
