//! podman's `--format`: Go `text/template` semantics for the subset podman scripts use,
//! rendered against a `serde_json::Value`, plus the table/JSON printers the listing commands
//! share (`ps`, `images`, `volume ls`, `info`, `inspect`).
//!
//! Typical use in a listing command:
//! ```ignore
//! let rows: Vec<serde_json::Value> = ...; // one object per row, podman's field names
//! let out = format::render_report(args.format.as_deref(), &format::Report {
//!     default_table: "table {{.ID}}\t{{.Image}}\t{{.Names}}",
//!     headers: &[("ID", "CONTAINER ID")],   // others: field name split at camel case, upper-cased
//!     no_heading: args.noheading,
//! }, &rows)?;
//! print!("{out}");
//! ```
//! and for a single object (`inspect -f`, `info -f`): `print!("{}", format::render_one(fmt, &v)?)`.
//!
//! What podman does, reproduced here (containers/common `pkg/report`):
//! - `json` (or `{{json .}}`) prints the rows as a JSON array indented by 4 spaces;
//! - `table …` strips the prefix, turns `\t`/`\n` escapes and spaces outside actions into
//!   tabs, prints a header row (each field's header) and aligns columns like Go's tabwriter
//!   (minwidth 12, padding 2); a bare `table` is the command's default table;
//! - any other template is rendered per row, `\t`/`\n` escapes replaced, a newline appended if
//!   missing, NOT aligned; a template starting with `{{range .}}` gets the whole list once.
mod exec;
mod funcs;
mod lex;
mod parse;
mod printf;
pub mod tabwriter;

use serde_json::Value;

/// A template that failed to parse or execute; the message reads like Go's (`template: …`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("template: {0}")]
pub struct TemplateError(pub String);

/// A parsed `--format` template.
#[derive(Debug, Clone)]
pub struct Template {
    nodes: Vec<parse::Node>,
    table: bool,
    whole_list: bool,
}

impl Template {
    /// Parse a `--format` value the way podman normalises it (see the module docs).
    pub fn parse(format: &str) -> Result<Template, TemplateError> {
        let (text, table) = normalize(format);
        let whole_list = !table && text.starts_with("{{range .}}");
        Ok(Template {
            nodes: parse::parse(&text)?,
            table,
            whole_list,
        })
    }

    /// True for `table …` formats (header row + aligned columns).
    pub fn is_table(&self) -> bool {
        self.table
    }

    /// Render against one value (a row, or the object of `inspect`/`info`).
    pub fn render(&self, v: &Value) -> Result<String, TemplateError> {
        let mut ex = exec::Exec::new(v, false);
        ex.run(&self.nodes, v)?;
        Ok(ex.out)
    }

    /// The top-level fields the template reads from each row, in order.
    pub fn fields(&self) -> Vec<String> {
        let mut f = Vec::new();
        parse::referenced_fields(&self.nodes, &mut f);
        f
    }

    /// Render the header row: each field replaced by its header name (`overrides` first, else
    /// the field name split at camel case and upper-cased, as podman's `report.Headers`).
    pub fn render_header(&self, overrides: &[(&str, &str)]) -> Result<String, TemplateError> {
        let mut obj = serde_json::Map::new();
        for f in self.fields() {
            let h = header_name(&f, overrides);
            obj.insert(f, Value::String(h));
        }
        let v = Value::Object(obj);
        let mut ex = exec::Exec::new(&v, true);
        ex.run(&self.nodes, &v)?;
        Ok(ex.out)
    }
}

/// podman's `NormalizeFormat`: returns the template text and whether it is a table.
pub fn normalize(format: &str) -> (String, bool) {
    let unescape = |s: &str| s.replace("\\t", "\t").replace("\\n", "\n");
    let (mut text, table) = match format.strip_prefix("table ") {
        Some(rest) => {
            // Spaces between columns become tabs (podman's tableReplacer); we leave spaces
            // inside `{{ }}` alone so string literals in actions survive.
            let mut out = String::with_capacity(rest.len());
            let mut depth_in_action = false;
            let mut i = 0;
            let b = rest.as_bytes();
            while i < b.len() {
                if !depth_in_action && rest[i..].starts_with("{{") {
                    depth_in_action = true;
                    out.push_str("{{");
                    i += 2;
                    continue;
                }
                if depth_in_action && rest[i..].starts_with("}}") {
                    depth_in_action = false;
                    out.push_str("}}");
                    i += 2;
                    continue;
                }
                let c = rest[i..].chars().next().unwrap_or(' ');
                if c == ' ' && !depth_in_action {
                    out.push('\t');
                } else {
                    out.push(c);
                }
                i += c.len_utf8();
            }
            (unescape(&out), true)
        }
        None => (unescape(format), false),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    (text, table)
}

/// podman's `report.IsJSON`: `json` or `{{json .}}` means "print the objects as JSON".
pub fn is_json(format: &str) -> bool {
    let t = format.trim();
    if t == "json" {
        return true;
    }
    t.strip_prefix("{{")
        .and_then(|r| r.strip_suffix("}}"))
        .map(|inner| {
            let w: Vec<&str> = inner.split_whitespace().collect();
            w == ["json"] || w == ["json", "."]
        })
        .unwrap_or(false)
}

/// Split a Go identifier at camel case like github.com/fatih/camelcase (used by podman):
/// `CreatedAt` → [Created, At], `ImageID` → [Image, ID].
pub fn camel_split(s: &str) -> Vec<String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Lower,
        Upper,
        Digit,
        Other,
    }
    let class = |c: char| {
        if c.is_lowercase() {
            Class::Lower
        } else if c.is_uppercase() {
            Class::Upper
        } else if c.is_numeric() {
            Class::Digit
        } else {
            Class::Other
        }
    };
    let mut runs: Vec<(Class, Vec<char>)> = Vec::new();
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some((lk, r)) if *lk == k => r.push(c),
            _ => runs.push((k, vec![c])),
        }
    }
    for i in 0..runs.len().saturating_sub(1) {
        if runs[i].0 == Class::Upper && runs[i + 1].0 == Class::Lower {
            if let Some(c) = runs[i].1.pop() {
                runs[i + 1].1.insert(0, c);
            }
        }
    }
    runs.into_iter()
        .filter(|(_, r)| !r.is_empty())
        .map(|(_, r)| r.into_iter().collect())
        .collect()
}

/// The header of a column for `field`.
pub fn header_name(field: &str, overrides: &[(&str, &str)]) -> String {
    match overrides.iter().find(|(f, _)| *f == field) {
        Some((_, h)) => h.to_uppercase(),
        None => camel_split(field).join(" ").to_uppercase(),
    }
}

/// How a listing command prints when the user gives no `--format` (or `table`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Report<'a> {
    /// The command's default, e.g. `table {{.ID}}\t{{.Image}}`.
    pub default_table: &'a str,
    /// Header overrides (field → header), e.g. `("ID", "CONTAINER ID")`.
    pub headers: &'a [(&'a str, &'a str)],
    /// `--noheading`: omit the header row of a table.
    pub no_heading: bool,
}

/// Render `rows` for a listing command (see the module docs for the rules).
pub fn render_report(
    format: Option<&str>,
    report: &Report,
    rows: &[Value],
) -> anyhow::Result<String> {
    let format = match format {
        None => report.default_table,
        Some(f) if f.is_empty() || f.trim() == "table" => report.default_table,
        Some(f) => f,
    };
    if is_json(format) {
        let mut s = to_json_pretty(&rows);
        s.push('\n');
        return Ok(s);
    }
    let tpl = Template::parse(format)?;
    let mut out = String::new();
    if tpl.whole_list {
        return Ok(tpl.render(&Value::Array(rows.to_vec()))?);
    }
    if tpl.table && !report.no_heading {
        out.push_str(&tpl.render_header(report.headers)?);
    }
    for r in rows {
        out.push_str(&tpl.render(r)?);
    }
    Ok(if tpl.table {
        tabwriter::align(&out)
    } else {
        out
    })
}

/// [`render_report`] with default header names and a header row.
pub fn render_rows(
    format: Option<&str>,
    default_table: &str,
    rows: &[Value],
) -> anyhow::Result<String> {
    render_report(
        format,
        &Report {
            default_table,
            ..Default::default()
        },
        rows,
    )
}

/// One object (`inspect -f`, `info -f`): `json` prints it as indented JSON, anything else is
/// a template rendered against it (newline-terminated). A `table` prefix is accepted and
/// stripped, as podman does.
pub fn render_one(format: &str, v: &Value) -> anyhow::Result<String> {
    if is_json(format) {
        let mut s = to_json_pretty(v);
        s.push('\n');
        return Ok(s);
    }
    let tpl = Template::parse(format)?;
    let out = tpl.render(v)?;
    Ok(if tpl.table {
        tabwriter::align(&out)
    } else {
        out
    })
}

/// JSON indented by 4 spaces, as podman prints (Go's `MarshalIndent(v, "", "    ")`).
pub fn to_json_pretty<T: serde::Serialize + ?Sized>(v: &T) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    // Serializing a Value or a derive(Serialize) type to memory cannot fail.
    let _ = v.serialize(&mut ser);
    String::from_utf8(buf).unwrap_or_default()
}

/// Print [`to_json_pretty`] and a newline to stdout.
pub fn print_json_pretty<T: serde::Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    use std::io::Write;
    let mut s = to_json_pretty(v);
    s.push('\n');
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())?;
    Ok(())
}

/// docker/go-units `HumanDuration`, as podman prints ages: "Less than a second", "1 second",
/// "5 seconds", "About a minute", "3 minutes", "About an hour", "5 hours", "3 days",
/// "2 weeks", "4 months", "2 years". Append " ago" for CREATED columns.
pub fn human_duration(secs: f64) -> String {
    let s = secs.max(0.0);
    let seconds = s as i64;
    let minutes = (s / 60.0) as i64;
    let hours = (s / 3600.0 + 0.5) as i64;
    if seconds < 1 {
        "Less than a second".into()
    } else if seconds == 1 {
        "1 second".into()
    } else if seconds < 60 {
        format!("{seconds} seconds")
    } else if minutes == 1 {
        "About a minute".into()
    } else if minutes < 60 {
        format!("{minutes} minutes")
    } else if hours == 1 {
        "About an hour".into()
    } else if hours < 48 {
        format!("{hours} hours")
    } else if hours < 24 * 7 * 2 {
        format!("{} days", hours / 24)
    } else if hours < 24 * 30 * 2 {
        format!("{} weeks", hours / 24 / 7)
    } else if hours < 24 * 365 * 2 {
        format!("{} months", hours / 24 / 30)
    } else {
        format!("{} years", (s / 3600.0) as i64 / 24 / 365)
    }
}

/// Seconds elapsed since an RFC 3339 time (0 when unparsable).
pub fn seconds_since(rfc3339: &str) -> f64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            (chrono::Utc::now() - t.with_timezone(&chrono::Utc)).num_milliseconds() as f64 / 1000.0
        })
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests;
