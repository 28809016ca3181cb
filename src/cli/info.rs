//! `rctr info`: podman's `info` shape (YAML by default, `--format json`, or a Go template such
//! as `{{.Host.Kernel}}`), with an extra `rctr` section for the rootless probes.
use crate::context::Context;
use crate::probe;
use anyhow::Context as _;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct InfoArgs {
    /// Output format: json, or a Go template (e.g. '{{.Host.Kernel}}')
    #[arg(short = 'f', long)]
    pub format: Option<String>,
}

pub fn run(args: InfoArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let report = probe::collect(ctx, probe::Options::default());
    let v = serde_json::to_value(&report).context("serializing the report")?;
    let out = match args.format.as_deref() {
        None | Some("") | Some("yaml") => probe::yaml::to_yaml(&v),
        Some(f) if crate::format::is_json(f) => crate::format::render_one(f, &v)?,
        // Templates address podman's Go field names ({{.Host.Kernel}}, {{.Store.GraphRoot}}).
        Some(f) => {
            let mut s = crate::format::render_one(f, &probe::gonames::to_go_names(&v))?;
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
