//! `rctr exec`: run a command in a running container (all its namespaces, its caps, seccomp
//! and user); the exit code is the command's, 125/126/127 as in `run`.
use crate::container::{exec::ExecOptions, Container};
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
#[command(trailing_var_arg = true)]
pub struct ExecArgs {
    /// Run the command in the background and print nothing
    #[arg(short, long)]
    pub detach: bool,
    /// Set environment variables (`KEY=VALUE`, or `KEY` to pass rctr's own value)
    #[arg(short, long)]
    pub env: Vec<String>,
    /// Read environment variables from a file (`KEY=VALUE` lines, # comments)
    #[arg(long = "env-file", value_name = "FILE")]
    pub env_file: Vec<std::path::PathBuf>,
    /// Keep STDIN open
    #[arg(short, long)]
    pub interactive: bool,
    /// Allocate a pseudo-TTY
    #[arg(short, long)]
    pub tty: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Give extended privileges to the command (all capabilities, no seccomp)
    #[arg(long)]
    pub privileged: bool,
    /// Run as user[:group] (names from the container's /etc/passwd and /etc/group)
    #[arg(short, long)]
    pub user: Option<String>,
    /// Working directory inside the container
    #[arg(short, long, value_name = "DIR")]
    pub workdir: Option<String>,
    /// Key sequence for detaching (accepted)
    #[arg(long)]
    pub detach_keys: Option<String>,
    /// Pass N additional file descriptors (accepted only as 0)
    #[arg(long, default_value_t = 0)]
    pub preserve_fds: u32,
    /// CONTAINER COMMAND [ARG...] (COMMAND [ARG...] with --latest)
    #[arg(required = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

/// podman's env-file rules: `KEY=VALUE`; a bare `KEY` takes rctr's own value; `#` comments.
pub fn read_env_file(ctx: &Context, path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading env file {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| expand_env(ctx, l))
        .collect())
}

fn expand_env(ctx: &Context, e: &str) -> Option<String> {
    if e.contains('=') {
        return Some(e.to_string());
    }
    ctx.var_str(e).map(|v| format!("{e}={v}"))
}

pub fn run(args: ExecArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if args.preserve_fds != 0 {
        anyhow::bail!("--preserve-fds is not supported by rctr");
    }
    let (c, command) = if args.latest {
        (Container::latest(ctx)?, args.args.clone())
    } else {
        let (name, rest) = args.args.split_first().expect("clap requires one argument");
        (Container::lookup(ctx, name)?, rest.to_vec())
    };
    if command.is_empty() {
        anyhow::bail!("must provide a non-empty command to start an exec session");
    }
    let mut env = Vec::new();
    for f in &args.env_file {
        env.extend(read_env_file(ctx, f)?);
    }
    env.extend(args.env.iter().filter_map(|e| expand_env(ctx, e)));
    let opts = ExecOptions {
        command,
        env,
        workdir: args.workdir,
        user: args.user,
        tty: args.tty,
        interactive: args.interactive,
        detach: args.detach,
        privileged: args.privileged,
    };
    let code = c.exec(&opts)?;
    Ok(ExitCode::from(code))
}
