//! `rctr stats [CONTAINER...]`: resource usage of running containers, read from each one's
//! own cgroup (`cgroups::stats`), in podman's columns and `--format` fields. CPU % is the
//! share of one core used between two readings (`--interval` apart, or a short gap for
//! `--no-stream`); AVG CPU % is the share since the container started.
use crate::cgroups::stats::{self, Sample};
use crate::container::{Container, Status};
use crate::context::Context;
use crate::format::{self, Report};
use serde_json::{json, Value};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Clone, clap::Args)]
pub struct StatsArgs {
    /// Names or IDs of containers (default: all running ones)
    pub containers: Vec<String>,
    /// Show all containers (stopped ones with empty values)
    #[arg(short, long)]
    pub all: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Print one reading and exit
    #[arg(long)]
    pub no_stream: bool,
    /// Do not clear the terminal between readings
    #[arg(long)]
    pub no_reset: bool,
    /// Format the output with a Go template, or `json`
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Seconds between readings
    #[arg(short, long, value_name = "SECONDS", default_value_t = 5)]
    pub interval: u64,
}

const DEFAULT: &str = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDS}}\t{{.CPU}}\t{{.AVGCPU}}";
const HEADERS: &[(&str, &str)] = &[
    ("CPUPerc", "CPU %"),
    ("MemUsage", "MEM USAGE / LIMIT"),
    ("MemPerc", "MEM %"),
    ("NetIO", "NET IO"),
    ("BlockIO", "BLOCK IO"),
    ("PIDS", "PIDS"),
    ("CPU", "CPU TIME"),
    ("AVGCPU", "AVG CPU %"),
];
/// `--no-stream`'s gap between its two readings (CPU % needs a difference).
const NO_STREAM_GAP: Duration = Duration::from_millis(500);

/// One container being watched: its cgroup and the previous reading.
struct Watched {
    c: Container,
    cgroup: Option<(std::path::PathBuf, i32)>,
    last: Option<Sample>,
}

pub fn run(args: StatsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if args.interval == 0 {
        anyhow::bail!("--interval must be at least 1 second");
    }
    let picked = pick(ctx, &args)?;
    let mut watched: Vec<Watched> = picked
        .into_iter()
        .map(|c| {
            let cgroup = c
                .live_pid()
                .and_then(|p| crate::cgroups::place::container_cgroup(p.pid).map(|d| (d, p.pid)));
            Watched {
                c,
                cgroup,
                last: None,
            }
        })
        .collect();
    let bare: Vec<&str> = watched
        .iter()
        .filter(|w| w.cgroup.is_none() && w.c.live_pid().is_some())
        .map(|w| w.c.name())
        .collect();
    if !bare.is_empty() {
        eprintln!(
            "Warning: {} {} no cgroup of {} own (created where none could be delegated: `rctr info` says why): no usage to show",
            bare.join(", "),
            if bare.len() == 1 { "has" } else { "have" },
            if bare.len() == 1 { "its" } else { "their" },
        );
    }
    let wait = if args.no_stream {
        NO_STREAM_GAP
    } else {
        Duration::from_secs(args.interval)
    };
    read_all(&mut watched);
    loop {
        std::thread::sleep(wait);
        let rows = read_all(&mut watched);
        let report = Report {
            default_table: DEFAULT,
            headers: HEADERS,
            no_heading: false,
        };
        let out = if args.format.as_deref().is_some_and(format::is_json) {
            let j: Vec<Value> = rows.iter().map(json_row).collect();
            format!("{}\n", format::to_json_pretty(&j))
        } else {
            format::render_report(args.format.as_deref(), &report, &rows)?
        };
        if !args.no_stream && !args.no_reset {
            print!("\x1b[2J\x1b[H");
        }
        use std::io::Write;
        let _ = std::io::stdout().lock().write_all(out.as_bytes());
        if args.no_stream {
            return Ok(ExitCode::SUCCESS);
        }
    }
}

/// The containers asked for: named ones, the latest, or all running (all with `-a`).
fn pick(ctx: &Context, args: &StatsArgs) -> anyhow::Result<Vec<Container>> {
    if args.latest {
        return Ok(vec![Container::latest(ctx)?]);
    }
    if !args.containers.is_empty() {
        return args
            .containers
            .iter()
            .map(|n| Container::lookup(ctx, n))
            .collect();
    }
    Ok(Container::list(ctx)?
        .into_iter()
        .filter(|c| args.all || c.state().status == Status::Running)
        .collect())
}

/// A new reading of every container, as template rows.
fn read_all(watched: &mut [Watched]) -> Vec<Value> {
    watched
        .iter_mut()
        .map(|w| {
            let now = w.cgroup.as_ref().map(|(d, pid)| stats::sample(d, *pid));
            let row = row(&w.c, now.as_ref(), w.last.as_ref());
            w.last = now;
            row
        })
        .collect()
}

/// podman's fields for one container (`--` where there is nothing to show).
fn row(c: &Container, now: Option<&Sample>, prev: Option<&Sample>) -> Value {
    let dash = "--";
    let up = c
        .rec
        .state
        .started_at
        .as_deref()
        .map(format::seconds_since)
        .unwrap_or(0.0);
    let Some(s) = now else {
        return json!({
            "ID": c.short_id(), "Name": c.name(), "CPUPerc": dash, "MemUsage": "-- / --",
            "MemUsageBytes": "-- / --", "MemPerc": dash, "NetIO": "-- / --", "BlockIO": "-- / --",
            "PIDS": dash, "CPU": dash, "AVGCPU": dash, "UpTime": go_duration((up * 1e6) as u64),
        });
    };
    let cpu = prev.map_or(dash.to_string(), |p| {
        let dt = s.at.duration_since(p.at).as_micros().max(1) as f64;
        percent(s.cpu_usec.saturating_sub(p.cpu_usec) as f64 / dt)
    });
    let avg = if up > 0.0 {
        percent(s.cpu_usec as f64 / (up * 1e6))
    } else {
        dash.to_string()
    };
    let mem = if s.mem_limit > 0 {
        percent(s.mem_usage as f64 / s.mem_limit as f64)
    } else {
        dash.to_string()
    };
    json!({
        "ID": c.short_id(),
        "Name": c.name(),
        "CPUPerc": cpu,
        "MemUsage": pair(s.mem_usage, s.mem_limit, human_size),
        "MemUsageBytes": pair(s.mem_usage, s.mem_limit, bytes_size),
        "MemPerc": mem,
        "NetIO": pair(s.net_rx, s.net_tx, human_size),
        "BlockIO": pair(s.blk_read, s.blk_write, human_size),
        "PIDS": s.pids.to_string(),
        "CPU": go_duration(s.cpu_usec),
        "AVGCPU": avg,
        "UpTime": go_duration((up * 1e6) as u64),
    })
}

/// `--format json`: podman's lower-case keys.
fn json_row(r: &Value) -> Value {
    let g = |k: &str| r.get(k).cloned().unwrap_or(Value::Null);
    json!({
        "id": g("ID"), "name": g("Name"), "cpu_time": g("CPU"), "cpu_percent": g("CPUPerc"),
        "avg_cpu": g("AVGCPU"), "mem_usage": g("MemUsage"), "mem_percent": g("MemPerc"),
        "net_io": g("NetIO"), "block_io": g("BlockIO"), "pids": g("PIDS"),
    })
}

fn pair(a: u64, b: u64, f: fn(u64) -> String) -> String {
    format!("{} / {}", f(a), f(b))
}

fn percent(share: f64) -> String {
    format!("{:.2}%", share * 100.0)
}

/// Go's `%.4g`: four significant digits, no trailing zeros.
fn g4(v: f64) -> String {
    let digits = if v >= 1000.0 {
        0
    } else if v >= 100.0 {
        1
    } else if v >= 10.0 {
        2
    } else {
        3
    };
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn scaled(n: u64, base: f64, units: &[&str]) -> String {
    let mut v = n as f64;
    let mut i = 0;
    while v >= base && i < units.len() - 1 {
        v /= base;
        i += 1;
    }
    format!("{}{}", g4(v), units[i])
}

/// go-units `HumanSize`: decimal units, 4 significant digits ("3.092MB", "16.7GB").
fn human_size(n: u64) -> String {
    scaled(n, 1000.0, &["B", "kB", "MB", "GB", "TB", "PB"])
}

/// go-units `BytesSize`: binary units ("64MiB").
fn bytes_size(n: u64) -> String {
    scaled(n, 1024.0, &["B", "KiB", "MiB", "GiB", "TiB", "PiB"])
}

/// Go's `time.Duration.String()` of `usec` microseconds ("4.933ms", "4m39.028579s").
fn go_duration(usec: u64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if usec == 0 {
        return "0s".into();
    }
    if usec < 1000 {
        return format!("{usec}µs");
    }
    if usec < 1_000_000 {
        return format!("{}ms", trim(format!("{:.3}", usec as f64 / 1000.0)));
    }
    let (h, m) = (usec / 3_600_000_000, usec / 60_000_000 % 60);
    let s = trim(format!("{:.6}", (usec % 60_000_000) as f64 / 1e6));
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, m) => format!("{m}m{s}s"),
        (h, m) => format!("{h}h{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_as_podman_prints_them() {
        assert_eq!(human_size(3_092_000), "3.092MB");
        assert_eq!(human_size(16_700_000_000), "16.7GB");
        assert_eq!(human_size(648), "648B");
        assert_eq!(bytes_size(64 << 20), "64MiB");
        assert_eq!(go_duration(4933), "4.933ms");
        assert_eq!(go_duration(279_028_579), "4m39.028579s");
        assert_eq!(go_duration(1_500_000), "1.5s");
        assert_eq!(go_duration(250), "250µs");
        assert_eq!(percent(0.5012), "50.12%");
    }
}
