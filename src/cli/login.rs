//! `rctr login`: verify credentials against a registry, then store them where podman does.
use crate::context::Context;
use crate::image::auth::{self, Credentials};
use anyhow::{bail, Context as _};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// Registry to log in to, e.g. 127.0.0.1:5101 (or registry/namespace)
    #[arg(value_name = "REGISTRY")]
    pub registry: Option<String>,
    /// Username
    #[arg(short, long)]
    pub username: Option<String>,
    /// Password (visible in the process list: prefer --password-stdin)
    #[arg(short, long)]
    pub password: Option<String>,
    /// Read the password from stdin
    #[arg(long)]
    pub password_stdin: bool,
    /// Path of the authentication file
    #[arg(long, value_name = "PATH")]
    pub authfile: Option<PathBuf>,
    /// Require HTTPS and verify certificates
    #[arg(long, value_name = "BOOL", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub tls_verify: Option<bool>,
    /// Print the username stored for REGISTRY and exit
    #[arg(long)]
    pub get_login: bool,
}

/// `https://host/v2/` or `host/ns` → `host/ns` (podman accepts URLs here).
pub fn normalize_registry(r: &str) -> String {
    r.trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

fn prompt(label: &str, hide: bool) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        bail!("cannot prompt for the {label} without a terminal: pass it with -u/-p or --password-stdin");
    }
    eprint!("{label}: ");
    std::io::stderr().flush()?;
    let saved = if hide {
        let t = nix::sys::termios::tcgetattr(&stdin).ok();
        if let Some(t) = &t {
            let mut q = t.clone();
            q.local_flags.remove(nix::sys::termios::LocalFlags::ECHO);
            let _ = nix::sys::termios::tcsetattr(&stdin, nix::sys::termios::SetArg::TCSANOW, &q);
        }
        t
    } else {
        None
    };
    let mut line = String::new();
    let res = stdin.lock().read_line(&mut line);
    if let Some(t) = saved {
        let _ = nix::sys::termios::tcsetattr(&stdin, nix::sys::termios::SetArg::TCSANOW, &t);
        eprintln!();
    }
    res?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

pub fn run(args: LoginArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let Some(registry) = args.registry.as_deref().map(normalize_registry) else {
        bail!("please provide a registry to log in to (e.g. rctr login 127.0.0.1:5101)");
    };
    let host = registry.split('/').next().unwrap_or(&registry).to_string();
    if args.get_login {
        return match auth::lookup(ctx, args.authfile.as_deref(), &host, "")? {
            Some(c) => {
                println!("{}", c.username);
                Ok(ExitCode::SUCCESS)
            }
            None => bail!("not logged into {registry}"),
        };
    }
    if args.password.is_some() && args.password_stdin {
        bail!("--password and --password-stdin are mutually exclusive");
    }
    let username = match args.username {
        Some(u) => u,
        None => prompt("Username", false)?,
    };
    let password = if args.password_stdin {
        let mut s = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut s)
            .context("reading the password from stdin")?;
        s.trim_end_matches(['\n', '\r']).to_string()
    } else {
        match args.password {
            Some(p) => p,
            None => prompt("Password", true)?,
        }
    };
    if username.is_empty() || password.is_empty() {
        bail!("username and password must not be empty");
    }
    let creds = Credentials { username, password };
    let regs = crate::image::registries::Registries::load(ctx)?;
    let insecure = match args.tls_verify {
        Some(v) => !v,
        None => regs.insecure_host(&host),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(crate::image::registry::verify_login(
        &host, &creds, insecure,
    ))
    .map_err(|e| anyhow::anyhow!("logging into {registry:?}: {e:#}"))?;
    let path = auth::write_path(ctx, args.authfile.as_deref());
    auth::store(&path, &registry, &creds)?;
    println!("Login Succeeded!");
    Ok(ExitCode::SUCCESS)
}
