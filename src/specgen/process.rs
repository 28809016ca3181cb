//! The spec's `process`: argv, environment, working directory, user, rlimits, terminal.
use super::settings::Settings;
use anyhow::bail;
use oci_spec::image::Config as ImageConfig;
use oci_spec::runtime::{LinuxCapabilities, PosixRlimit, PosixRlimitType, Process, User};
use std::path::PathBuf;

/// The container's argv: entrypoint + (arguments | the image's Cmd); `--entrypoint`
/// discards the image's Cmd (podman and docker agree on this).
pub fn command(img: Option<&ImageConfig>, s: &Settings) -> anyhow::Result<Vec<String>> {
    let entrypoint = match &s.entrypoint {
        Some(e) => e.clone(),
        None => img.and_then(|c| c.entrypoint().clone()).unwrap_or_default(),
    };
    let cmd = if !s.command.is_empty() {
        s.command.clone()
    } else if s.entrypoint.is_some() {
        vec![]
    } else {
        img.and_then(|c| c.cmd().clone()).unwrap_or_default()
    };
    let args: Vec<String> = entrypoint.into_iter().chain(cmd).collect();
    if args.is_empty() {
        bail!("no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
    }
    Ok(args)
}

/// Environment: image, then podman's additions, then -e (later wins).
fn environment(img: Option<&ImageConfig>, s: &Settings, hostname: &str) -> Vec<String> {
    let mut env: Vec<String> = img.and_then(|c| c.env().clone()).unwrap_or_default();
    if !env.iter().any(|e| e.starts_with("PATH=")) {
        env.insert(0, format!("PATH={}", crate::runtime::process::DEFAULT_PATH));
    }
    let mut extra = vec![
        format!("HOSTNAME={hostname}"),
        "container=podman".to_string(),
    ];
    if s.tty {
        extra.push("TERM=xterm".into());
    }
    crate::runtime::env::merge(&mut env, extra.into_iter().chain(s.env.iter().cloned()));
    env
}

/// The user the command runs as (`-u`, else the image's; resolved inside the container).
pub(super) fn user(img: Option<&ImageConfig>, s: &Settings) -> String {
    s.user
        .clone()
        .or_else(|| img.and_then(|c| c.user().clone()))
        .unwrap_or_default()
}

fn rlimits(s: &Settings) -> Vec<PosixRlimit> {
    let mut rlimits: Vec<PosixRlimit> = Vec::new();
    let mut push_rl = |typ: PosixRlimitType, soft: u64, hard: u64| {
        rlimits.retain(|r| r.typ() != typ);
        let r = oci_spec::runtime::PosixRlimitBuilder::default()
            .typ(typ)
            .soft(soft)
            .hard(hard)
            .build();
        rlimits.push(r.expect("all fields set"));
    };
    // podman rootless: the open-files limit is raised to the caller's hard limit.
    if let Ok((_, hard)) =
        nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
    {
        push_rl(PosixRlimitType::RlimitNofile, hard, hard);
    }
    for (t, soft, hard) in &s.ulimits {
        push_rl(*t, *soft, *hard);
    }
    rlimits
}

/// The spec's `process` for `user` with capabilities `caps`.
pub(super) fn process(
    img: Option<&ImageConfig>,
    s: &Settings,
    hostname: &str,
    user: &str,
    caps: LinuxCapabilities,
) -> anyhow::Result<Process> {
    let args = command(img, s)?;
    let cwd = s
        .workdir
        .clone()
        .or_else(|| img.and_then(|c| c.working_dir().clone()))
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| "/".into());
    if !cwd.starts_with('/') {
        bail!("the working directory {cwd:?} is not an absolute path");
    }
    let mut process = Process::default();
    process.set_terminal(Some(s.tty));
    if let (true, Some((rows, cols))) = (s.tty, s.console_size) {
        let b = oci_spec::runtime::BoxBuilder::default()
            .height(rows as u64)
            .width(cols as u64)
            .build();
        process.set_console_size(Some(b.expect("all fields set")));
    }
    let mut u = User::default();
    if let Some(n) = user.split(':').next().and_then(|x| x.parse::<u32>().ok()) {
        u.set_uid(n);
    }
    process.set_user(u);
    process.set_args(Some(args));
    process.set_env(Some(environment(img, s, hostname)));
    process.set_cwd(PathBuf::from(&cwd));
    process.set_capabilities(Some(caps));
    process.set_rlimits(Some(rlimits(s)));
    process.set_no_new_privileges(Some(s.no_new_privileges));
    Ok(process)
}
