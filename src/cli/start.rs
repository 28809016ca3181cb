//! `rctr start`: start created or exited containers under a detached monitor (the writable
//! layer of an exited container is kept), or attached with `-a`/`-i`.
use super::exit::Cmd;
use super::targets::{each, Rule};
use crate::container::{select, Container, ContainerError, Status};
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct StartArgs {
    /// Attach the container's STDOUT and STDERR (one container only)
    #[arg(short, long)]
    pub attach: bool,
    /// Attach the container's STDIN (one container only; implies --attach)
    #[arg(short, long)]
    pub interactive: bool,
    /// Start all containers that are not running
    #[arg(long)]
    pub all: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Filter the containers (with --all): id, name, status, ancestor, label, …
    #[arg(long)]
    pub filter: Vec<String>,
    /// Key sequence for detaching (accepted)
    #[arg(long)]
    pub detach_keys: Option<String>,
    /// Forward signals to the process (accepted: always on when attached)
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set)]
    pub sig_proxy: Option<bool>,
    /// Containers to start
    pub containers: Vec<String>,
}

/// Start one container detached; an error when it already runs.
pub fn start_detached(ctx: &Context, c: &mut Container) -> anyhow::Result<()> {
    if c.state().status == Status::Running {
        return Err(ContainerError::AlreadyRunning {
            name: c.name().to_string(),
            hint: "stop it first, or use `rctr restart`",
        }
        .into());
    }
    crate::engine::start(ctx, c, None, crate::engine::Mode::Detached).map(|_| ())
}

pub fn run(args: StartArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let attach = args.attach || args.interactive;
    let filters = crate::container::filter::Filters::parse(&args.filter)?;
    let targets = select(ctx, &args.containers, args.all, args.latest)?;
    if attach {
        if targets.len() != 1 {
            anyhow::bail!("you cannot start and attach multiple containers at once");
        }
        let (_, c) = targets.into_iter().next().expect("one target");
        let mut c = c?;
        if c.state().status == Status::Running {
            return Err(ContainerError::AlreadyRunning {
                name: c.name().to_string(),
                hint: "use `rctr logs -f` to follow its output",
            }
            .into());
        }
        let mode = crate::engine::Mode::Attached {
            interactive: args.interactive,
        };
        let code = crate::engine::start(ctx, &mut c, None, mode)?.unwrap_or(0);
        return Ok(ExitCode::from(code));
    }
    let all: Vec<Container> = if args.all {
        Container::list(ctx)?
    } else {
        Vec::new()
    };
    Ok(each(targets, Cmd::Start, Rule::Last, |(arg, c)| {
        let mut c = c?;
        if args.all
            && (c.state().status == Status::Running || !filters.matches(&c, &c.state(), &all))
        {
            return Ok(());
        }
        start_detached(ctx, &mut c)?;
        println!("{arg}");
        Ok(())
    }))
}
