//! `rctr top CONTAINER`: the container's processes, read from the host's /proc (every
//! process in the container's PID namespace), with podman's default columns.
use crate::container::Container;
use crate::context::Context;
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct TopArgs {
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// CONTAINER [FORMAT-DESCRIPTORS] (only podman's default columns are shown)
    pub args: Vec<String>,
}

struct Proc {
    ns_pid: String,
    ns_ppid: String,
    uid: u32,
    start: u64,
    cpu_ticks: u64,
    tty: String,
    cmd: String,
}

fn ticks_per_sec() -> f64 {
    // SAFETY: sysconf has no preconditions.
    (unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).max(1) as f64
}

fn uptime() -> f64 {
    std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

fn hms(secs: u64) -> String {
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

fn elapsed(secs: f64) -> String {
    let s = secs.max(0.0);
    // podman (Go's Duration.String()): 1m2.5s
    let m = (s / 60.0) as u64;
    if m > 0 {
        format!("{m}m{:.3}s", s - (m * 60) as f64)
    } else {
        format!("{s:.6}s")
    }
}

fn read(pid: &str, host_to_ns: &std::collections::HashMap<String, String>) -> Option<Proc> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ppid = f.get(1)?.to_string();
    let tty_nr: u32 = f.get(4)?.parse().ok()?;
    let cpu_ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    let start = f.get(19)?.parse().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |k: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(k))
            .map(str::trim)
    };
    let uid = field("Uid:")?.split_whitespace().nth(1)?.parse().ok()?;
    let ns_pid = field("NSpid:")?.split_whitespace().last()?.to_string();
    let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let mut cmd: String = String::from_utf8_lossy(&cmd)
        .replace('\0', " ")
        .trim()
        .to_string();
    if cmd.is_empty() {
        cmd = format!("[{}]", field("Name:").unwrap_or(""));
    }
    let major = (tty_nr >> 8) & 0xfff;
    let minor = (tty_nr & 0xff) | ((tty_nr >> 12) & 0xfff00);
    let tty = if tty_nr == 0 {
        "?".into()
    } else if major == 136 {
        format!("pts/{minor}")
    } else {
        "?".into()
    };
    Some(Proc {
        ns_pid,
        ns_ppid: host_to_ns.get(&ppid).cloned().unwrap_or_else(|| "0".into()),
        uid,
        start,
        cpu_ticks,
        tty,
        cmd,
    })
}

/// Host UID → container UID through the container's uid_map.
fn to_container_uid(uid_map: &str, host: u32) -> Option<u32> {
    uid_map.lines().find_map(|l| {
        let v: Vec<u64> = l
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        let (inside, outside, len) = (*v.first()?, *v.get(1)?, *v.get(2)?);
        (host as u64 >= outside && (host as u64) < outside + len)
            .then(|| (inside + host as u64 - outside) as u32)
    })
}

pub fn run(args: TopArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let c = if args.latest {
        Container::latest(ctx)?
    } else {
        let name = args
            .args
            .first()
            .ok_or_else(|| anyhow::anyhow!("you must provide a container name or ID"))?;
        Container::lookup(ctx, name)?
    };
    let pid1 = c.live_pid().ok_or_else(|| {
        anyhow::anyhow!(
            "top can only be used on running containers: {} is {}",
            c.name(),
            c.state().status.as_str()
        )
    })?;
    let ns = std::fs::read_link(format!("/proc/{}/ns/pid", pid1.pid))?;
    let uid_map =
        std::fs::read_to_string(format!("/proc/{}/uid_map", pid1.pid)).unwrap_or_default();
    let passwd =
        std::fs::read_to_string(format!("/proc/{}/root/etc/passwd", pid1.pid)).unwrap_or_default();
    let mut pids = Vec::new();
    for e in std::fs::read_dir("/proc")?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.bytes().all(|b| b.is_ascii_digit())
            && std::fs::read_link(format!("/proc/{name}/ns/pid"))
                .ok()
                .as_ref()
                == Some(&ns)
        {
            pids.push(name);
        }
    }
    let host_to_ns: std::collections::HashMap<String, String> = pids
        .iter()
        .filter_map(|p| {
            let st = std::fs::read_to_string(format!("/proc/{p}/status")).ok()?;
            let nsp = st
                .lines()
                .find_map(|l| l.strip_prefix("NSpid:"))?
                .split_whitespace()
                .last()?
                .to_string();
            Some((p.clone(), nsp))
        })
        .collect();
    let mut procs: Vec<Proc> = pids.iter().filter_map(|p| read(p, &host_to_ns)).collect();
    procs.sort_by_key(|p| p.ns_pid.parse::<u64>().unwrap_or(0));
    let (hz, up) = (ticks_per_sec(), uptime());
    let mut out = String::from("USER\tPID\tPPID\t%CPU\tELAPSED\tTTY\tTIME\tCOMMAND\n");
    for p in procs {
        let cuid = to_container_uid(&uid_map, p.uid).unwrap_or(65534);
        let user = passwd
            .lines()
            .find_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                (f.get(2)?.parse::<u32>().ok()? == cuid).then(|| f[0].to_string())
            })
            .unwrap_or_else(|| cuid.to_string());
        let age = up - p.start as f64 / hz;
        let cpu = p.cpu_ticks as f64 / hz;
        let pct = if age > 0.0 { 100.0 * cpu / age } else { 0.0 };
        out.push_str(&format!(
            "{user}\t{}\t{}\t{pct:.3}\t{}\t{}\t{}\t{}\n",
            p.ns_pid,
            p.ns_ppid,
            elapsed(age),
            p.tty,
            hms(cpu as u64),
            p.cmd
        ));
    }
    print!("{}", crate::format::tabwriter::align(&out));
    Ok(ExitCode::SUCCESS)
}
