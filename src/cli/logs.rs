//! `rctr logs`: print a container's log (podman's k8s-file), `-f` until it exits.
use crate::container::{parse_time_arg, select, Container, Status};
use crate::context::Context;
use crate::monitor::log::{parse_record, tail_messages, Assembler, Message, Stream};
use std::io::{Read, Seek, SeekFrom, Write};
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct LogsArgs {
    /// Follow log output (ends when the container exits)
    #[arg(short, long)]
    pub follow: bool,
    /// Act on the latest container created
    #[arg(short, long)]
    pub latest: bool,
    /// Output the container name (or ID) before each line
    #[arg(short = 'n', long)]
    pub names: bool,
    /// Show logs since TIMESTAMP (RFC 3339, date, Unix time, or a duration like 10m)
    #[arg(long, value_name = "TIMESTAMP")]
    pub since: Option<String>,
    /// Show logs until TIMESTAMP
    #[arg(long, value_name = "TIMESTAMP")]
    pub until: Option<String>,
    /// Output the specified number of lines at the end of the logs (-1: all)
    #[arg(long, default_value_t = -1, allow_negative_numbers = true)]
    pub tail: i64,
    /// Output the timestamps of the log entries
    #[arg(short, long)]
    pub timestamps: bool,
    /// Output the log in color (accepted)
    #[arg(long)]
    pub color: bool,
    /// Containers
    pub containers: Vec<String>,
}

struct Printer<'a> {
    args: &'a LogsArgs,
    since: Option<chrono::DateTime<chrono::Utc>>,
    until: Option<chrono::DateTime<chrono::Utc>>,
    prefix: String,
    out: std::io::StdoutLock<'static>,
    err: std::io::StderrLock<'static>,
}

impl Printer<'_> {
    fn emit(&mut self, m: &Message) -> std::io::Result<()> {
        if self.since.is_some() || self.until.is_some() {
            let t = chrono::DateTime::parse_from_rfc3339(&m.time)
                .map(|t| t.with_timezone(&chrono::Utc));
            if let Ok(t) = t {
                if self.since.is_some_and(|s| t < s) || self.until.is_some_and(|u| t > u) {
                    return Ok(());
                }
            }
        }
        let w: &mut dyn Write = match m.stream {
            Stream::Stdout => &mut self.out,
            Stream::Stderr => &mut self.err,
        };
        if !self.prefix.is_empty() {
            w.write_all(self.prefix.as_bytes())?;
        }
        if self.args.timestamps {
            w.write_all(m.time.as_bytes())?;
            w.write_all(b" ")?;
        }
        w.write_all(&m.content)?;
        if m.complete {
            w.write_all(b"\n")?;
        }
        Ok(())
    }

    /// Print complete records from `data`; returns how many bytes were consumed (a
    /// trailing line without its newline is left for the next read).
    fn feed(&mut self, asm: &mut Assembler, data: &[u8]) -> std::io::Result<usize> {
        let mut used = 0;
        while let Some(i) = data[used..].iter().position(|b| *b == b'\n') {
            let line = &data[used..used + i];
            used += i + 1;
            if let Some(r) = parse_record(line) {
                if let Some(m) = asm.push(&r) {
                    self.emit(&m)?;
                }
            }
        }
        Ok(used)
    }
}

pub fn run(args: LogsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let parse = |s: &Option<String>,
                 what: &str|
     -> anyhow::Result<Option<chrono::DateTime<chrono::Utc>>> {
        match s {
            None => Ok(None),
            Some(v) => parse_time_arg(v)
                .map(Some)
                .ok_or_else(|| anyhow::anyhow!("invalid --{what} value {v:?}: use RFC 3339, a date, Unix seconds or a duration like 10m")),
        }
    };
    let since = parse(&args.since, "since")?;
    let until = parse(&args.until, "until")?;
    let targets = select(ctx, &args.containers, false, args.latest)?;
    let mut containers = Vec::new();
    for (_, c) in targets {
        containers.push(c?);
    }
    let many = containers.len() > 1;
    for c in containers {
        let prefix = if args.names || many {
            format!("{} ", if args.names { c.name() } else { c.short_id() })
        } else {
            String::new()
        };
        let mut p = Printer {
            args: &args,
            since,
            until,
            prefix,
            out: std::io::stdout().lock(),
            err: std::io::stderr().lock(),
        };
        let res = print_one(&mut p, c, &mut |d| std::thread::sleep(d));
        match res {
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
            {
                return Ok(ExitCode::SUCCESS)
            }
            r => r?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Print `c`'s log per `args` (with `follow`: until it stops). `idle` is called while
/// following and nothing new was logged (sleep, or wait for signals to forward).
pub fn stream(
    args: &LogsArgs,
    c: Container,
    idle: &mut dyn FnMut(std::time::Duration),
) -> anyhow::Result<()> {
    let mut p = Printer {
        args,
        since: None,
        until: None,
        prefix: String::new(),
        out: std::io::stdout().lock(),
        err: std::io::stderr().lock(),
    };
    print_one(&mut p, c, idle)
}

fn print_one(
    p: &mut Printer,
    mut c: Container,
    idle: &mut dyn FnMut(std::time::Duration),
) -> anyhow::Result<()> {
    let mut asm = Assembler::default();
    let mut f = match std::fs::File::open(c.log_path()) {
        Ok(f) => Some(f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e.into()),
    };
    let mut pending: Vec<u8> = Vec::new();
    if let Some(f) = f.as_mut() {
        if p.args.tail >= 0 {
            let (msgs, state, off) = tail_messages(f, p.args.tail as usize)?;
            for m in &msgs {
                p.emit(m)?;
            }
            asm = state;
            f.seek(SeekFrom::Start(off))?;
        }
        f.read_to_end(&mut pending)?;
        let used = p.feed(&mut asm, &pending)?;
        pending.drain(..used);
    }
    if p.args.follow {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let running =
                c.reload()? && (c.state().status == Status::Running || c.live_monitor().is_some());
            if f.is_none() {
                f = std::fs::File::open(c.log_path()).ok();
            }
            let mut got = false;
            if let Some(f) = f.as_mut() {
                loop {
                    let n = f.read(&mut buf)?;
                    if n == 0 {
                        break;
                    }
                    got = true;
                    pending.extend_from_slice(&buf[..n]);
                    let used = p.feed(&mut asm, &pending)?;
                    pending.drain(..used);
                }
            }
            p.out.flush()?;
            if !running {
                // Read once more after seeing it stopped: the monitor wrote its last lines
                // before it recorded the exit.
                if !got {
                    break;
                }
                continue;
            }
            if !got {
                idle(std::time::Duration::from_millis(100));
            }
        }
    }
    for m in asm.take_pending() {
        p.emit(&m)?;
    }
    p.out.flush()?;
    Ok(())
}
