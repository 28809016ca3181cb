//! `rctr pull`: fetch images from a registry into the store (podman's flags and output).
use crate::context::Context;
use crate::image::PullOptions;
use crate::storage::Store;
use std::path::PathBuf;
use std::process::ExitCode;

/// Registry/platform flags shared by `pull`, `run`, `create` (flatten into their Args).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PullFlags {
    /// Choose OS/ARCH[/VARIANT] from a multi-platform image (default: this host's)
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
    /// Use ARCH instead of the host's architecture
    #[arg(long, value_name = "ARCH")]
    pub arch: Option<String>,
    /// Use OS instead of linux
    #[arg(long, value_name = "OS")]
    pub os: Option<String>,
    /// Use VARIANT (e.g. v8 for arm64)
    #[arg(long, value_name = "VARIANT")]
    pub variant: Option<String>,
    /// Require HTTPS and verify certificates (default: registries.conf decides)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
    /// Path of the authentication file (default: $XDG_RUNTIME_DIR/containers/auth.json)
    #[arg(long, value_name = "PATH")]
    pub authfile: Option<PathBuf>,
    /// Credentials USERNAME[:PASSWORD] for the registry
    #[arg(long, value_name = "USER[:PASS]")]
    pub creds: Option<String>,
}

impl PullFlags {
    pub fn options(&self, quiet: bool) -> PullOptions {
        let platform = match (&self.platform, &self.os, &self.variant) {
            (Some(p), _, _) => Some(p.clone()),
            (None, None, None) => None,
            (None, os, v) => {
                let arch = self
                    .arch
                    .clone()
                    .unwrap_or_else(|| crate::image::registry::host_arch().to_string());
                let os = os.clone().unwrap_or_else(|| "linux".into());
                Some(match v {
                    Some(v) => format!("{os}/{arch}/{v}"),
                    None => format!("{os}/{arch}"),
                })
            }
        };
        PullOptions {
            platform,
            arch: self.arch.clone(),
            tls_verify: self.tls_verify,
            authfile: self.authfile.clone(),
            creds: self.creds.clone(),
            quiet,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct PullArgs {
    /// Image(s) to pull: NAME[:TAG|@DIGEST]
    #[arg(required = true, value_name = "IMAGE")]
    pub images: Vec<String>,
    /// Print only the image ID
    #[arg(short, long)]
    pub quiet: bool,
    /// Pull all tagged images of the repository (not supported)
    #[arg(short = 'a', long, hide = true)]
    pub all_tags: bool,
    #[command(flatten)]
    pub flags: PullFlags,
}

pub fn run(args: PullArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if args.all_tags {
        anyhow::bail!("--all-tags is not supported by rctr: pull the tags one by one");
    }
    let store = Store::open(ctx)?;
    let opts = args.flags.options(args.quiet);
    for img in &args.images {
        let rec = crate::image::pull::pull(ctx, &store, img, &opts)?;
        println!("{}", rec.id);
    }
    Ok(ExitCode::SUCCESS)
}
