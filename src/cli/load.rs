//! `rctr load`: import images from an oci-archive or docker-archive tar.
use crate::context::Context;
use crate::storage::Store;
use anyhow::{bail, Context as _};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct LoadArgs {
    /// Read from FILE (default: stdin)
    #[arg(short, long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Suppress progress output
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: LoadArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = Store::open(ctx)?;
    let loaded = match &args.input {
        Some(p) => {
            let f = std::fs::File::open(p).with_context(|| format!("opening {}", p.display()))?;
            crate::image::archive::load(&store, std::io::BufReader::new(f))
        }
        None => {
            if std::io::stdin().is_terminal() {
                bail!("no archive given: use -i FILE or pipe one on stdin");
            }
            crate::image::archive::load(&store, std::io::stdin().lock())
        }
    }
    .with_context(|| match &args.input {
        Some(p) => format!("loading {}", p.display()),
        None => "loading from stdin".into(),
    })?;
    for (id, names) in loaded {
        if names.is_empty() {
            println!("Loaded image: sha256:{id}");
        }
        for n in names {
            println!("Loaded image: {n}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
