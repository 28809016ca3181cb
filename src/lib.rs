//! rctr: a rootless, daemonless, podman-style container engine.
//!
//! The binary (`src/main.rs`) is thin; every concern lives in a module here, in layers that
//! call down only (`tests/layering.rs` enforces it; `docs/ARCHITECTURE.md` shows the flow):
//!
//! * `cli`: the clap definition, one thin module per command, exit codes;
//! * `engine`: `ContainerSpec`, `create`, the one start path `start`;
//! * `ops`: rules spanning containers, images and volumes ("in use", `rm -v`, mounts);
//! * `image`, `storage`, `container`, `volume`, `monitor` (the per-container supervisor and
//!   `launch`, the one call into the runtime), `specgen` (settings + image → OCI spec/bundle),
//!   `probe` (host capabilities for `info`/`doctor`), `format` (`--format`);
//! * `runtime`: executes an OCI bundle; knows nothing of images, flags or stores;
//! * `idmap`/`userns`, `reference`, `context` (the one reader of the environment), `privdir`,
//!   `fsutil`, `logging`, `error`.
pub mod cdi;
pub mod cgroups;
pub mod cli;
pub mod config;
pub mod container;
pub mod context;
pub mod engine;
pub mod error;
pub mod exitstatus;
pub mod format;
pub mod fsutil;
pub mod idmap;
pub mod image;
pub mod internal;
pub mod logging;
pub mod monitor;
pub mod network;
pub mod ops;
pub mod privdir;
pub mod probe;
pub mod reference;
pub mod runtime;
pub mod specgen;
pub mod storage;
pub mod userns;
pub mod volume;
pub mod wire;
