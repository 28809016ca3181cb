//! `rctr doctor`: the `info` probes as pass/warn/fail lines with the administrator's fix.
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {}

pub fn run(_args: DoctorArgs, _ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("rctr doctor: not implemented yet")
}
