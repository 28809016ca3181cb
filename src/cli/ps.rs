//! `rctr ps` (also `container ls/list/ps`): podman's columns, filters and formats.
//! Reads only container records: no OCI spec, no image store (fast with hundreds of them).
use crate::container::{filter::Filters, view, Container, Status};
use crate::context::Context;
use crate::format::{self, Report};
use std::process::ExitCode;

#[derive(Debug, Clone, clap::Args)]
pub struct PsArgs {
    /// Show all the containers, default is only running containers
    #[arg(short, long)]
    pub all: bool,
    /// Print only the container IDs
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not truncate the output
    #[arg(long)]
    pub no_trunc: bool,
    /// Act on the latest container created
    #[arg(short = 'l', long)]
    pub latest: bool,
    /// Print the n last created containers (all states)
    #[arg(
        short = 'n',
        long = "last",
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub last: Option<i64>,
    /// Filter output based on conditions given (id, name, status, ancestor, label, exited, before, since, until)
    #[arg(short = 'f', long = "filter", value_name = "FILTER")]
    pub filter: Vec<String>,
    /// Pretty-print containers to JSON or using a Go template
    #[arg(long)]
    pub format: Option<String>,
    /// Do not print headers
    #[arg(long, alias = "no-heading")]
    pub noheading: bool,
    /// Show containers in storage not controlled by rctr (accepted; rctr has none)
    #[arg(long)]
    pub external: bool,
    /// Display the total file sizes (accepted; not computed)
    #[arg(short = 's', long)]
    pub size: bool,
    /// Sort output by: command, created, id, image, names, runningfor, status
    #[arg(long, default_value = "created", hide_default_value = true)]
    pub sort: String,
    /// Display info about pods (accepted; rctr has no pods)
    #[arg(short = 'p', long)]
    pub pod: bool,
    /// Display namespace information (accepted)
    #[arg(long)]
    pub ns: bool,
    /// Sync container state (accepted: rctr's state is always checked)
    #[arg(long)]
    pub sync: bool,
}

const DEFAULT: &str =
    "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.CreatedHuman}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
const HEADERS: &[(&str, &str)] = &[
    ("ID", "CONTAINER ID"),
    ("CreatedHuman", "CREATED"),
    ("CreatedAt", "CREATED"),
    ("RunningFor", "CREATED"),
];

pub fn run(args: PsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let filters = Filters::parse(&args.filter)?;
    let sort = args.sort.as_str();
    if ![
        "command",
        "created",
        "id",
        "image",
        "names",
        "runningfor",
        "status",
        "size",
    ]
    .contains(&sort)
    {
        anyhow::bail!("invalid option for --sort {sort:?}: use one of command, created, id, image, names, runningfor, status, size");
    }
    let mut all = Container::list(ctx)?;
    // Make recorded states truthful (a container killed behind rctr's back, a dead monitor).
    for c in all.iter_mut() {
        if c.rec.state.status == Status::Running {
            let _ = c.sync_state();
        }
    }
    all.sort_by(|a, b| a.rec.created.cmp(&b.rec.created));
    // As podman: a status filter looks at every container, not only the running ones.
    let show_all = args.all
        || args.latest
        || args.last.is_some_and(|n| n >= 0)
        || args.filter.iter().any(|f| f.starts_with("status="));
    let mut rows: Vec<(&Container, crate::container::State)> = all
        .iter()
        .map(|c| (c, c.state()))
        .filter(|(c, s)| (show_all || s.status == Status::Running) && filters.matches(c, s, &all))
        .collect();
    let keep_last = if args.latest {
        Some(1)
    } else {
        args.last.filter(|n| *n >= 0).map(|n| n as usize)
    };
    if let Some(n) = keep_last {
        let skip = rows.len().saturating_sub(n);
        rows.drain(..skip);
    }
    match sort {
        "command" => rows.sort_by(|a, b| a.0.rec.command.cmp(&b.0.rec.command)),
        "id" => rows.sort_by(|a, b| a.0.rec.id.cmp(&b.0.rec.id)),
        "image" => rows.sort_by(|a, b| a.0.rec.image.cmp(&b.0.rec.image)),
        "names" => rows.sort_by(|a, b| a.0.rec.name.cmp(&b.0.rec.name)),
        "status" => rows.sort_by_key(|r| r.1.status.as_str()),
        "runningfor" => rows.sort_by(|a, b| b.0.rec.created.cmp(&a.0.rec.created)),
        _ => {}
    }
    let mut out = String::new();
    if args.quiet {
        for (c, _) in &rows {
            out.push_str(if args.no_trunc { c.id() } else { c.short_id() });
            out.push('\n');
        }
    } else if args.format.as_deref().is_some_and(format::is_json) {
        let v: Vec<serde_json::Value> = rows.iter().map(|(c, s)| view::ps_json(c, s)).collect();
        out = format::to_json_pretty(&v);
        out.push('\n');
    } else {
        let v: Vec<serde_json::Value> = rows
            .iter()
            .map(|(c, s)| view::ps_fields(c, s, args.no_trunc))
            .collect();
        let report = Report {
            default_table: DEFAULT,
            headers: HEADERS,
            no_heading: args.noheading,
        };
        out = format::render_report(args.format.as_deref(), &report, &v)?;
    }
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    Ok(ExitCode::SUCCESS)
}
