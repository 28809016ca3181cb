//! rctr: a rootless, daemonless, podman-style container engine.
//!
//! The binary (`src/main.rs`) is thin; every concern lives in a module here:
//! `cli` (clap definition and one module per command), `context` (environment and XDG
//! lookups), `idmap`/`userns` (subordinate IDs and user-namespace entry), `image`, `storage`,
//! `runtime`, `network`, `cgroups`, `probe` (host capability probes for `info`/`doctor`),
//! `reference` (image reference parsing, below `storage` and `image`), `ops` (rules spanning
//! containers, images and volumes: "in use", `volume rm -f`, `rm -v`). Layers call down only;
//! `tests/layering.rs` enforces it.
pub mod cli;
pub mod container;
pub mod context;
pub mod error;
pub mod format;
pub mod fsutil;
pub mod idmap;
pub mod image;
pub mod internal;
pub mod monitor;
pub mod ops;
pub mod privdir;
pub mod probe;
pub mod reference;
pub mod runtime;
pub mod storage;
pub mod userns;
pub mod volume;
pub mod wire;
