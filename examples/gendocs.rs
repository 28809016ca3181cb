//! Regenerate `completions/` and `man/` from the one clap definition:
//! `cargo run --example gendocs -- <repo root>` (see scripts/gen-docs.sh).
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    rctr::cli::docs::generate(&root)
}
