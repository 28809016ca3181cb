//! The engine: containers as library calls, under the CLI and above the parts.
//!
//! ```text
//! cli (flags → ContainerSpec)                       cli/container_flags.rs, cli/run.rs
//!  └─ engine::create(ctx, &ContainerSpec)            image (pull), ops::mounts, idmap plan,
//!  │    → Created { container, mapping }            container record, specgen::bundle
//!  └─ engine::start(ctx, &mut c, mapping, Mode)      the one start path
//!       └─ monitor::launch → runtime::start          the one call into the runtime
//!            └─ monitor::supervise                   log, signals, exit, --rm
//! ```
//!
//! `rctr build` (a RUN step is a container), pods and `play kube` create and start
//! containers through the same two calls.
mod create;
mod devices;
mod rootsrc;
pub mod spec;
pub mod start;

pub use create::{create, Created};
pub use spec::{ContainerSpec, Security, UsernsMode};
pub use start::{start, Mode};
