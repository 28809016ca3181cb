//! `rctr logs`: print a container's log (podman's k8s-file), `-f` until it exits.
use crate::container::{parse_time_arg, select, Container, Status};
use crate::context::Context;
use crate::monitor::log::Stream;
use crate::monitor::logread::{tail_plan, Event, RecordReader, Tail};
use std::io::{Seek, SeekFrom, Write};
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
    /// Per stream, inside a message (after its `P` records): whether it is shown.
    open: [Option<bool>; 2],
    /// The record being read: its stream, whether it is partial, whether it is shown.
    cur: (Stream, bool, bool),
    /// `--tail`: the records of older lines to skip (`None`: print everything).
    tail: Option<Tail>,
}

impl Printer<'_> {
    fn writer(&mut self, s: Stream) -> &mut dyn Write {
        match s {
            Stream::Stdout => &mut self.out,
            Stream::Stderr => &mut self.err,
        }
    }

    /// Shown per --since/--until (by the time of a message's first record).
    fn wanted(&self, time: &str) -> bool {
        if self.since.is_none() && self.until.is_none() {
            return true;
        }
        match chrono::DateTime::parse_from_rfc3339(time) {
            Ok(t) => {
                let t = t.with_timezone(&chrono::Utc);
                !(self.since.is_some_and(|s| t < s) || self.until.is_some_and(|u| t > u))
            }
            Err(_) => true,
        }
    }

    /// Print one event. A message's `P` records are printed as they come, joined: the
    /// prefix and timestamp before the first, the newline after the `F` (podman's output).
    fn event(&mut self, e: Event) -> std::io::Result<()> {
        match e {
            Event::Start(h, offset) => {
                let shown = self.tail.map_or(true, |t| t.shows(h.stream, offset));
                self.cur = (h.stream, h.partial, shown);
                let k = h.stream as usize;
                if !shown {
                    return Ok(());
                }
                if self.open[k].is_none() {
                    let shown = self.wanted(&h.time);
                    self.open[k] = Some(shown);
                    if shown {
                        let (prefix, ts) = (std::mem::take(&mut self.prefix), self.args.timestamps);
                        let w = self.writer(h.stream);
                        w.write_all(prefix.as_bytes())?;
                        if ts {
                            w.write_all(h.time.as_bytes())?;
                            w.write_all(b" ")?;
                        }
                        self.prefix = prefix;
                    }
                }
            }
            Event::Content(c) => {
                if self.cur.2 && self.open[self.cur.0 as usize] == Some(true) {
                    self.writer(self.cur.0).write_all(c)?;
                }
            }
            Event::End => {
                let (s, partial, shown) = self.cur;
                if shown && !partial && self.open[s as usize].take() == Some(true) {
                    self.writer(s).write_all(b"\n")?;
                }
            }
        }
        Ok(())
    }

    /// Print what `f` holds from where it is to its end; true if there was anything.
    fn drain(&mut self, r: &mut RecordReader, f: &mut std::fs::File) -> std::io::Result<bool> {
        let mut got = false;
        while let Some(e) = r.next(f)? {
            got = true;
            self.event(e)?;
        }
        Ok(got)
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
            open: [None; 2],
            cur: (Stream::Stdout, false, false),
            tail: None,
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
        open: [None; 2],
        cur: (Stream::Stdout, false, false),
        tail: None,
    };
    print_one(&mut p, c, idle)
}

/// Open the log (`None`: not written yet).
fn open_log(c: &Container) -> std::io::Result<Option<std::fs::File>> {
    match std::fs::File::open(c.log_path()) {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Has the monitor started a new log (its cap reached) since `f` was opened?
fn replaced(c: &Container, f: &std::fs::File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(c.log_path()), f.metadata()) {
        (Ok(now), Ok(ours)) => now.ino() != ours.ino() || now.dev() != ours.dev(),
        (Err(_), _) => false,
        (_, Err(_)) => true,
    }
}

/// Streams the log through one fixed buffer (never the whole file in memory, whatever a
/// line's length): `--tail` first finds where the last lines begin, reading backwards.
fn print_one(
    p: &mut Printer,
    mut c: Container,
    idle: &mut dyn FnMut(std::time::Duration),
) -> anyhow::Result<()> {
    let mut r = RecordReader::default();
    let mut f = open_log(&c)?;
    if let Some(f) = f.as_mut() {
        if p.args.tail >= 0 {
            let t = tail_plan(f, p.args.tail as usize)?;
            f.seek(SeekFrom::Start(t.start))?;
            r = RecordReader::at(t.start);
            p.tail = Some(t);
        }
        p.drain(&mut r, f)?;
    }
    if p.args.follow {
        loop {
            let running =
                c.reload()? && (c.state().status == Status::Running || c.live_monitor().is_some());
            if f.is_none() {
                f = open_log(&c)?;
            }
            let mut got = false;
            if let Some(file) = f.as_mut() {
                got = p.drain(&mut r, file)?;
                if replaced(&c, file) {
                    // Read to its end above (the monitor finished with it); go on with the
                    // new one from its start.
                    r = RecordReader::default();
                    p.tail = None;
                    f = open_log(&c)?;
                    continue;
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
    p.out.flush()?;
    Ok(())
}
