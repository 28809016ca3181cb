//! `rctr container <subcommand>`: podman's container command group (aliases of the top-level
//! commands, plus `prune` and `exists`).
use super::exit::{Cmd, Kind};
use crate::container::{filter::Filters, Container};
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ContainerArgs {
    #[command(subcommand)]
    pub command: ContainerCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum ContainerCommand {
    /// List containers
    #[command(visible_alias = "list", alias = "ps")]
    Ls(super::ps::PsArgs),
    /// Run a command in a new container
    Run(super::run::RunArgs),
    /// Create but do not start a container
    Create(super::create::CreateArgs),
    /// Start one or more containers
    Start(super::start::StartArgs),
    /// Stop one or more containers
    Stop(super::stop::StopArgs),
    /// Restart one or more containers
    Restart(super::restart::RestartArgs),
    /// Kill one or more running containers with a specific signal
    Kill(super::kill::KillArgs),
    /// Remove one or more containers
    Rm(super::rm::RmArgs),
    /// Display the configuration of containers
    Inspect(InspectArgs),
    /// Fetch the logs of one or more containers
    Logs(super::logs::LogsArgs),
    /// Run a process in a running container
    Exec(super::exec::ExecArgs),
    /// Block on one or more containers
    Wait(super::wait::WaitArgs),
    /// List port mappings or a specific mapping for the container
    Port(super::port::PortArgs),
    /// Rename an existing container
    Rename(super::rename::RenameArgs),
    /// Display the running processes of a container
    Top(super::top::TopArgs),
    /// Display a live stream of containers' resource usage
    Stats(super::stats::StatsArgs),
    /// Attach to a running container (its output and signals)
    Attach(super::attach::AttachArgs),
    /// Remove all stopped containers
    Prune(PruneArgs),
    /// Exit 0 if the container exists, 1 if not
    Exists(ExistsArgs),
}

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Names or IDs of containers
    #[arg(value_name = "CONTAINER", required_unless_present = "latest")]
    pub names: Vec<String>,
    /// Format the output with a Go template, or `json`
    #[arg(short, long)]
    pub format: Option<String>,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Display the total file size (accepted)
    #[arg(short, long)]
    pub size: bool,
}

#[derive(Debug, clap::Args)]
pub struct PruneArgs {
    /// Do not ask for confirmation
    #[arg(short, long)]
    pub force: bool,
    /// Only prune containers matching the filters (label, until, …)
    #[arg(long)]
    pub filter: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct ExistsArgs {
    /// Also look at containers of other tools in the store (rctr's store holds only its own)
    #[arg(long)]
    pub external: bool,
    /// Name or ID of the container
    pub container: String,
}

impl ContainerArgs {
    /// The global options `container run/create` use.
    pub fn set_globals(&mut self, g: &super::GlobalArgs) {
        match &mut self.command {
            ContainerCommand::Run(a) => a.flags.set_globals(g),
            ContainerCommand::Create(a) => a.flags.set_globals(g),
            _ => {}
        }
    }
}

pub fn run(args: ContainerArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    use ContainerCommand as C;
    match args.command {
        C::Ls(a) => super::ps::run(a, ctx),
        C::Run(a) => super::run::run(a, ctx),
        C::Create(a) => super::create::run(a, ctx),
        C::Start(a) => super::start::run(a, ctx),
        C::Stop(a) => super::stop::run(a, ctx),
        C::Restart(a) => super::restart::run(a, ctx),
        C::Kill(a) => super::kill::run(a, ctx),
        C::Rm(a) => super::rm::run(a, ctx),
        C::Inspect(a) => super::inspect::run(
            super::inspect::InspectArgs {
                names: a.names,
                latest: a.latest,
                format: a.format,
                kind: super::inspect::InspectType::Container,
                size: a.size,
            },
            ctx,
        ),
        C::Logs(a) => super::logs::run(a, ctx),
        C::Exec(a) => super::exec::run(a, ctx),
        C::Wait(a) => super::wait::run(a, ctx),
        C::Port(a) => super::port::run(a, ctx),
        C::Rename(a) => super::rename::run(a, ctx),
        C::Top(a) => super::top::run(a, ctx),
        C::Stats(a) => super::stats::run(a, ctx),
        C::Attach(a) => super::attach::run(a, ctx),
        C::Prune(a) => prune(a, ctx),
        C::Exists(a) => Ok(match Container::lookup(ctx, &a.container) {
            Ok(_) => ExitCode::SUCCESS,
            Err(e) if super::exit::kind(&e) == Kind::NoSuchContainer => {
                ExitCode::from(super::exit::code(Cmd::Exists, Kind::NoSuchContainer))
            }
            Err(e) => return Err(e),
        }),
    }
}

fn prune(args: PruneArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let filters = Filters::parse(&args.filter)?;
    if !args.force
        && !super::system::confirm("WARNING! This will remove all non running containers.")?
    {
        return Ok(ExitCode::SUCCESS);
    }
    for id in crate::container::prune(ctx, &filters)? {
        println!("{id}");
    }
    Ok(ExitCode::SUCCESS)
}
