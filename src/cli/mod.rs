//! The one clap definition (the single source for `--help`, `completions/` and `man/`) and the
//! dispatch from subcommand to its module. Each subcommand is one module with an args struct
//! and `run(args, &ctx) -> Result<ExitCode>`.
use crate::context::{Context, ContextOptions};
use clap::{CommandFactory, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

pub mod attach;
pub mod container;
pub mod container_flags;
pub mod create;
pub mod doctor;
pub mod exec;
pub mod exit;
pub mod image;
pub mod images;
pub mod info;
pub mod inspect;
pub mod kill;
pub mod load;
pub mod login;
pub mod logout;
pub mod logs;
pub mod port;
pub mod ps;
pub mod pull;
pub mod rename;
pub mod restart;
pub mod rm;
pub mod rmi;
pub mod run;
pub mod save;
pub mod start;
pub mod stats;
pub mod stop;
pub mod system;
pub mod tag;
pub mod targets;
pub mod top;
pub mod values;
pub mod volume;
pub mod wait;

#[derive(Debug, Parser)]
#[command(
    name = "rctr",
    version,
    about = "Rootless, daemonless containers (podman's command line)",
    propagate_version = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// podman's global options that rctr honours.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Path to the store (images, layers, containers); default $XDG_DATA_HOME/rctr
    #[arg(long, global = true, value_name = "PATH")]
    pub root: Option<PathBuf>,
    /// Path to the runtime state dir; default $XDG_RUNTIME_DIR (checked) or a private fallback
    #[arg(long, global = true, value_name = "PATH")]
    pub runroot: Option<PathBuf>,
    /// Log level (debug: print the container start timeline and the runtime helpers' steps)
    #[arg(
        long,
        global = true,
        value_name = "LEVEL",
        default_value = "warn",
        hide_default_value = true
    )]
    pub log_level: String,
    /// Storage driver option, e.g. overlay.mount_program=/usr/bin/fuse-overlayfs
    #[arg(long = "storage-opt", global = true, value_name = "OPT")]
    pub storage_opt: Vec<String>,
    /// Cgroup manager: systemd (a transient scope on the user bus) or cgroupfs (a delegated
    /// subtree); default containers.conf's cgroup_manager, else systemd where a user bus exists
    #[arg(long, global = true, value_name = "MANAGER")]
    pub cgroup_manager: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Display rctr and host information
    Info(info::InfoArgs),
    /// Check that this host can run rootless containers, and say how to fix what cannot
    Doctor(doctor::DoctorArgs),
    /// Pull images from a registry
    Pull(pull::PullArgs),
    /// List images in local storage
    Images(images::ImagesArgs),
    /// Remove images from local storage
    Rmi(rmi::RmiArgs),
    /// Add names to an image
    Tag(tag::TagArgs),
    /// Remove names from an image
    Untag(tag::UntagArgs),
    /// Display the configuration of containers or images
    Inspect(inspect::InspectArgs),
    /// Manage images
    Image(image::ImageArgs),
    /// Log in to a container registry
    Login(login::LoginArgs),
    /// Log out of a container registry
    Logout(logout::LogoutArgs),
    /// Save images to an archive
    Save(save::SaveArgs),
    /// Load images from an archive
    Load(load::LoadArgs),
    /// List containers
    Ps(ps::PsArgs),
    /// Run a command in a new container
    Run(run::RunArgs),
    /// Manage volumes
    Volume(volume::VolumeArgs),
    /// Fetch the logs of one or more containers
    Logs(logs::LogsArgs),
    /// Stop one or more containers
    Stop(stop::StopArgs),
    /// Kill one or more running containers with a specific signal
    Kill(kill::KillArgs),
    /// Remove one or more containers
    Rm(rm::RmArgs),
    /// Block on one or more containers
    Wait(wait::WaitArgs),
    /// Rename an existing container
    Rename(rename::RenameArgs),
    /// List port mappings or a specific mapping for the container
    Port(port::PortArgs),
    /// Run a process in a running container
    Exec(exec::ExecArgs),
    /// Start one or more containers
    Start(start::StartArgs),
    /// Restart one or more containers
    Restart(restart::RestartArgs),
    /// Create but do not start a container
    Create(create::CreateArgs),
    /// Manage containers
    Container(container::ContainerArgs),
    /// Manage rctr's storage and state
    System(system::SystemArgs),
    /// Display the running processes of a container
    Top(top::TopArgs),
    /// Display a live stream of containers' resource usage
    Stats(stats::StatsArgs),
    /// Attach to a running container (its output and signals)
    Attach(attach::AttachArgs),
}

/// The clap command tree (used by the docs generator too).
pub fn command() -> clap::Command {
    Cli::command()
}

/// Parse `args`, build the context, run the subcommand, map errors to exit codes.
pub fn main(args: Vec<OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind::*;
            let _ = e.print();
            return match e.kind() {
                DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand
                    if e.kind() != DisplayHelpOnMissingArgumentOrSubcommand =>
                {
                    ExitCode::SUCCESS
                }
                // podman: every usage error of the engine itself is 125.
                _ => ExitCode::from(crate::error::EXIT_ENGINE),
            };
        }
    };
    crate::logging::init(crate::logging::level_filter(&cli.global.log_level));
    let opts = ContextOptions {
        root: cli.global.root.clone(),
        runroot: cli.global.runroot.clone(),
        debug: matches!(cli.global.log_level.as_str(), "debug" | "trace"),
    };
    let ctx = match Context::from_env(&opts) {
        Ok(c) => c,
        Err(e) => return crate::error::report(&e),
    };
    crate::fsutil::set_lock_timeout(ctx.lock_timeout);
    // Before any command reads or writes the store or the runtime dir. `info` and `doctor`
    // report on a machine as it is, so for them a refused dir is a warning, not the end.
    let reports = matches!(cli.command, Command::Info(_) | Command::Doctor(_));
    match ctx.secure_dirs() {
        Ok(notes) => notes.iter().for_each(|n| eprintln!("Notice: {n}")),
        Err(e) if reports => eprintln!("Warning: {e:#}"),
        Err(e) => return crate::error::report(&e),
    }
    let res = match cli.command {
        Command::Info(a) => info::run(a, &ctx),
        Command::Doctor(a) => doctor::run(a, &ctx),
        Command::Pull(a) => pull::run(a, &ctx),
        Command::Images(a) => images::run(a, &ctx),
        Command::Rmi(a) => rmi::run(a, &ctx),
        Command::Tag(a) => tag::run(a, &ctx),
        Command::Untag(a) => tag::run_untag(a, &ctx),
        Command::Inspect(a) => inspect::run(a, &ctx),
        Command::Image(a) => image::run(a, &ctx),
        Command::Login(a) => login::run(a, &ctx),
        Command::Logout(a) => logout::run(a, &ctx),
        Command::Save(a) => save::run(a, &ctx),
        Command::Load(a) => load::run(a, &ctx),
        Command::Ps(a) => ps::run(a, &ctx),
        Command::Run(mut a) => {
            a.flags.set_globals(&cli.global);
            run::run(a, &ctx)
        }
        Command::Volume(a) => volume::run(a, &ctx),
        Command::Logs(a) => logs::run(a, &ctx),
        Command::Stop(a) => stop::run(a, &ctx),
        Command::Kill(a) => kill::run(a, &ctx),
        Command::Rm(a) => rm::run(a, &ctx),
        Command::Wait(a) => wait::run(a, &ctx),
        Command::Rename(a) => rename::run(a, &ctx),
        Command::Port(a) => port::run(a, &ctx),
        Command::Exec(a) => exec::run(a, &ctx),
        Command::Start(a) => start::run(a, &ctx),
        Command::Restart(a) => restart::run(a, &ctx),
        Command::Create(mut a) => {
            a.flags.set_globals(&cli.global);
            create::run(a, &ctx)
        }
        Command::Container(mut a) => {
            a.set_globals(&cli.global);
            container::run(a, &ctx)
        }
        Command::System(a) => system::run(a, &ctx),
        Command::Top(a) => top::run(a, &ctx),
        Command::Stats(a) => stats::run(a, &ctx),
        Command::Attach(a) => attach::run(a, &ctx),
    };
    match res {
        Ok(c) => c,
        Err(e) => crate::error::report(&e),
    }
}

pub mod docs {
    //! Shell completions (clap_complete) and man pages (clap_mangen, one per command).
    use std::path::Path;

    pub fn generate(root: &Path) -> std::io::Result<()> {
        use clap_complete::Shell;
        let comp = root.join("completions");
        std::fs::create_dir_all(&comp)?;
        for (shell, name) in [
            (Shell::Bash, "rctr.bash"),
            (Shell::Zsh, "_rctr"),
            (Shell::Fish, "rctr.fish"),
        ] {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut super::command(), "rctr", &mut buf);
            std::fs::write(comp.join(name), buf)?;
        }
        let man = root.join("man");
        if man.exists() {
            for e in std::fs::read_dir(&man)? {
                let p = e?.path();
                if p.extension().is_some_and(|x| x == "1") {
                    std::fs::remove_file(p)?;
                }
            }
        }
        std::fs::create_dir_all(&man)?;
        clap_mangen::generate_to(super::command(), &man)?;
        Ok(())
    }
}
