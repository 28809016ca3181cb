//! Thin binary: hidden re-exec entry points first (no clap, no allocation-heavy setup, so the
//! container start-up path stays short), then parse the one clap definition, dispatch, and map
//! the error chain to podman's exit codes in one place.
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(code) = rctr::internal::dispatch(&args) {
        return code;
    }
    rctr::cli::main(args)
}
