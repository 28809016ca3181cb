//! `rctr inspect` (containers and images) and `rctr image inspect`: podman-shaped JSON arrays,
//! or `--format` templates rendered per object.
//!
//! Lookup order for `inspect` (podman's): a container first, then an image. The image half
//! lives here; the container half is `lookup_container` below (container engineer's hook).
use crate::context::Context;
use crate::storage::Store;
use anyhow::bail;
use serde_json::Value;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InspectType {
    Container,
    Image,
    All,
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Names or IDs of containers or images
    #[arg(value_name = "NAME", required_unless_present = "latest")]
    pub names: Vec<String>,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Format the output with a Go template, or `json`
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Only look up objects of this type
    #[arg(short = 't', long = "type", value_enum, default_value = "all")]
    pub kind: InspectType,
    /// Display the total file size (accepted; sizes are always shown)
    #[arg(short, long)]
    pub size: bool,
}

#[derive(Debug, clap::Args)]
pub struct ImageInspectArgs {
    /// Names or IDs of images
    #[arg(value_name = "IMAGE", required = true)]
    pub names: Vec<String>,
    /// Format the output with a Go template, or `json`
    #[arg(short, long, value_name = "FORMAT")]
    pub format: Option<String>,
}

/// The inspect JSON of container `name`, if it names one (an ambiguous ID prefix is an
/// error). Reads the container record only: no image store.
pub fn lookup_container(ctx: &Context, name: &str) -> anyhow::Result<Option<Value>> {
    match crate::container::Container::lookup(ctx, name) {
        Ok(c) => Ok(Some(crate::container::view::inspect_json(&c))),
        Err(e) if crate::container::is_not_found(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The inspect JSON of image `name`, if it names one.
pub fn lookup_image(store: &Store, name: &str) -> anyhow::Result<Option<Value>> {
    Ok(store
        .resolve_image(name)?
        .map(|img| crate::image::view::inspect(store, &img)))
}

fn print(format: Option<&str>, objs: &[Value]) -> anyhow::Result<()> {
    match format {
        Some(f) if !crate::format::is_json(f) => {
            for o in objs {
                print!("{}", crate::format::render_one(f, o)?);
            }
            Ok(())
        }
        _ => crate::format::print_json_pretty(&objs),
    }
}

pub fn run(args: InspectArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    // The store is opened only when a name is not a container (container inspect stays cheap).
    let mut store: Option<Store> = None;
    let mut objs = Vec::new();
    let mut missing = Vec::new();
    let mut names = args.names.clone();
    if args.latest {
        names.push(crate::container::Container::latest(ctx)?.rec.id);
    }
    for n in &names {
        let mut found = None;
        if args.kind != InspectType::Image {
            found = lookup_container(ctx, n)?;
        }
        if found.is_none() && args.kind != InspectType::Container {
            if store.is_none() {
                store = Some(Store::open(ctx)?);
            }
            found = lookup_image(store.as_ref().expect("opened above"), n)?;
        }
        match found {
            Some(v) => objs.push(v),
            None => missing.push(n.clone()),
        }
    }
    print(args.format.as_deref(), &objs)?;
    if let Some(m) = missing.first() {
        bail!("no such object: {m:?}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_image(args: ImageInspectArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = Store::open(ctx)?;
    let mut objs = Vec::new();
    let mut missing = Vec::new();
    for n in &args.names {
        match lookup_image(&store, n)? {
            Some(v) => objs.push(v),
            None => missing.push(n.clone()),
        }
    }
    print(args.format.as_deref(), &objs)?;
    if let Some(m) = missing.first() {
        bail!("{m}: image not known");
    }
    Ok(ExitCode::SUCCESS)
}
