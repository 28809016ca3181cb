//! `rctr doctor`: the `info` probes as PASS/WARN/FAIL lines, each problem with the exact fix
//! an administrator runs. Exit 1 when something blocks running containers at all.
use crate::context::Context;
use crate::probe::{self, doctor::Status};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Output format: json (the checks as a list)
    #[arg(short = 'f', long)]
    pub format: Option<String>,
}

pub fn run(args: DoctorArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if let Some(f) = args.format.as_deref() {
        if !crate::format::is_json(f) {
            anyhow::bail!("unsupported --format {f:?} for doctor: only json");
        }
    }
    // doctor re-runs the overlay mount instead of trusting the cache: it is the tool people run
    // after changing something.
    let report = probe::collect(
        ctx,
        probe::Options {
            fresh_overlay: true,
        },
    );
    let user = ctx.user.clone().unwrap_or_else(|| ctx.uid.to_string());
    let checks = probe::doctor::checks(&report, &user);
    let failed = checks.iter().any(|c| c.status == Status::Fail);
    if args.format.is_some() {
        crate::format::print_json_pretty(&checks)?;
    } else {
        print!("{}", render(&checks));
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `PASS  message` lines, an indented `fix:` under problems, and a one-line summary.
pub fn render(checks: &[probe::doctor::Check]) -> String {
    let mut out = String::new();
    for c in checks {
        let tag = match c.status {
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        };
        out.push_str(&format!("{tag}  {}\n", c.message));
        if let (Some(fix), false) = (&c.fix, c.status == Status::Pass) {
            out.push_str(&format!("      fix: {fix}\n"));
        }
    }
    let n = |s: Status| checks.iter().filter(|c| c.status == s).count();
    out.push_str(&format!(
        "{} passed, {} warning{}, {} failure{}{}\n",
        n(Status::Pass),
        n(Status::Warn),
        if n(Status::Warn) == 1 { "" } else { "s" },
        n(Status::Fail),
        if n(Status::Fail) == 1 { "" } else { "s" },
        if n(Status::Fail) > 0 {
            ": rootless containers cannot run until the failures are fixed"
        } else {
            ""
        }
    ));
    out
}
