//! `rctr save`: write images to an archive (docker-archive by default, like podman).
use crate::context::Context;
use crate::image::archive::{self, ArchiveFormat};
use crate::storage::Store;
use anyhow::{bail, Context as _};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct SaveArgs {
    /// Images to save (name or ID)
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<String>,
    /// Write to FILE (default: stdout, which must not be a terminal)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Archive format
    #[arg(long, value_enum, default_value = "docker-archive")]
    pub format: ArchiveFormat,
    /// Suppress progress output
    #[arg(short, long)]
    pub quiet: bool,
    /// Accepted for podman compatibility (layers are always written uncompressed)
    #[arg(long, hide = true)]
    pub compress: bool,
}

pub fn run(args: SaveArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = Store::open(ctx)?;
    let mut imgs = Vec::new();
    for n in &args.images {
        let Some(img) = store.resolve_image(n)? else {
            bail!("{n}: image not known");
        };
        // Record the name the user asked for when it is one of the image's names, else all.
        let names = match store.load_names()?.matching_name(n) {
            Some(k) if img.names.contains(&k) => vec![k],
            _ => img.names.clone(),
        };
        imgs.push((img, names));
    }
    match &args.output {
        Some(path) => {
            // Written to a temp name and renamed: a failed save leaves no half archive.
            let tmp = crate::fsutil::temp_sibling(path);
            let f = std::fs::File::create(&tmp)
                .with_context(|| format!("creating {}", path.display()))?;
            let res = archive::save(&store, &imgs, args.format, std::io::BufWriter::new(f))
                .and_then(|_| std::fs::rename(&tmp, path).map_err(Into::into));
            if res.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            res?;
        }
        None => {
            if std::io::stdout().is_terminal() {
                bail!("refusing to write an archive to a terminal: use -o FILE or redirect stdout");
            }
            archive::save(&store, &imgs, args.format, std::io::stdout().lock())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
