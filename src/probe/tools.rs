//! Finding and asking host tools (`fuse-overlayfs --version`, …) without hanging `info`.
use crate::context::Context;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A tool found in `PATH`, with the first line of its version output.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    pub executable: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// Look `prog` up in the context's `PATH`.
pub fn find(ctx: &Context, prog: &str) -> Option<PathBuf> {
    crate::idmap::find_in_path_in(ctx.path(), prog)
}

/// Find `prog` and run `prog <args>` for its version line (the first line mentioning
/// `keyword`, else the first line).
pub fn find_with_version(ctx: &Context, prog: &str, args: &[&str], keyword: &str) -> Option<Tool> {
    let executable = find(ctx, prog)?;
    let version = version_line(&executable, args, keyword);
    Some(Tool {
        executable,
        version,
    })
}

fn version_line(exe: &Path, args: &[&str], keyword: &str) -> Option<String> {
    let mut cmd = Command::new(exe);
    cmd.args(args);
    let (_, out, err) = run_with_timeout(&mut cmd, Duration::from_secs(2)).ok()?;
    let text = if out.trim().is_empty() { err } else { out };
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines
        .iter()
        .find(|l| l.contains(keyword))
        .or(lines.first())
        .map(|l| l.to_string())
}

/// Run `cmd` with piped output and no stdin; kill it after `limit`.
/// Returns (success, stdout, stderr).
pub fn run_with_timeout(
    cmd: &mut Command,
    limit: Duration,
) -> anyhow::Result<(bool, String, String)> {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    wait_with_timeout(child, limit)
}

/// Collect a spawned child's piped stdout/stderr and status; kill it after `limit`.
pub fn wait_with_timeout(
    mut child: std::process::Child,
    limit: Duration,
) -> anyhow::Result<(bool, String, String)> {
    let mut so = child.stdout.take();
    let mut se = child.stderr.take();
    // Drain stderr on a thread so a chatty child cannot block on a full pipe.
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(e) = se.as_mut() {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(o) = so.as_mut() {
            let _ = o.read_to_string(&mut s);
        }
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait()? {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            anyhow::bail!("timed out after {} s", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    Ok((status.success(), out, err))
}
