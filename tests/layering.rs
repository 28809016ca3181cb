//! The house rule "layers call down only", checked by reading `src/` (no lab, no root):
//!
//! * nothing outside `src/cli` (and the entry points `main.rs`/`internal.rs`) uses `cli`;
//! * no `clap` outside `src/cli`;
//! * the process environment (variables, argv, cwd, the binary's path) is read only in
//!   `context.rs`, apart from the allowlisted exceptions below;
//! * `storage` imports no `image`; `storage`, `image` and `volume` import no `container`;
//!   `container` imports no `volume` (the rules that span them live in `ops`); nothing below
//!   `ops` imports it;
//! * `runtime` imports none of image/storage/container/volume/monitor/ops/cli/specgen/engine/
//!   network; `network` none of image/storage/container/volume/monitor/ops/cli/specgen/engine;
//!   `specgen` (spec generation, above runtime) none of image/storage/container/volume/
//!   monitor/ops/engine/cli; only `cli` (and the entry points) use `engine`;
//! * one start path: `runtime::start` is called only from `monitor::launch`;
//! * exit codes are chosen in `cli/exit.rs`: no `ExitError::new` in cli, image, volume,
//!   storage, ops, probe, specgen or container (exec's pass-through aside).
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, relative to the crate root, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

struct Source {
    /// `src/...`, with `/` separators.
    path: String,
    /// (line number, code with `//` comments removed).
    lines: Vec<(usize, String)>,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = rust_files(&root.join("src"));
    assert!(
        files.len() > 50,
        "found only {} files under src/",
        files.len()
    );
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let lines = text
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, strip_comment(l).to_string()))
                .collect();
            Source {
                path: p.strip_prefix(root).unwrap().to_string_lossy().into_owned(),
                lines,
            }
        })
        .collect()
}

/// The line without a `//` comment (one outside a string literal).
fn strip_comment(line: &str) -> &str {
    let b = line.as_bytes();
    let mut in_str = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'/' if !in_str && b.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a line names through `crate::` (also inside `use crate::{a, b::c}`).
fn crate_modules(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        // `rctr_crate::x` or `krate::x` are not paths into this crate.
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        out.push(ident_at(&group[j..]).to_string());
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident_at(rest).to_string());
        }
    }
    out
}

fn under(path: &str, dirs: &[&str]) -> bool {
    dirs.iter()
        .any(|d| path == format!("src/{d}.rs") || path.starts_with(&format!("src/{d}/")))
}

/// `lower` (modules or dirs under src/) must not name any of `higher` through `crate::`.
fn imports_violating(srcs: &[Source], lower: &[&str], higher: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    for s in srcs.iter().filter(|s| under(&s.path, lower)) {
        for (n, l) in &s.lines {
            for m in crate_modules(l) {
                if higher.contains(&m.as_str()) {
                    bad.push(format!("{}:{n}: imports crate::{m}: {}", s.path, l.trim()));
                }
            }
        }
    }
    bad
}

fn assert_none(what: &str, bad: Vec<String>) {
    assert!(
        bad.is_empty(),
        "{what} ({} violation(s)):\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn nothing_imports_cli() {
    let srcs = sources();
    let mut bad = Vec::new();
    for s in &srcs {
        if under(&s.path, &["cli", "main", "internal"]) {
            continue;
        }
        for (n, l) in &s.lines {
            if crate_modules(l).iter().any(|m| m == "cli") || l.contains("rctr::cli") {
                bad.push(format!("{}:{n}: {}", s.path, l.trim()));
            }
        }
    }
    assert_none("`cli` used outside src/cli, main.rs, internal.rs", bad);
}

#[test]
fn no_clap_outside_cli() {
    let srcs = sources();
    let mut bad = Vec::new();
    for s in srcs.iter().filter(|s| !under(&s.path, &["cli"])) {
        for (n, l) in &s.lines {
            if l.contains("clap::") || l.contains("clap_") || l.contains("use clap") {
                bad.push(format!("{}:{n}: {}", s.path, l.trim()));
            }
        }
    }
    assert_none(
        "clap used outside src/cli (put flag spellings in src/cli, e.g. cli/values.rs)",
        bad,
    );
}

/// Reads of the process environment outside `context.rs` that are there on purpose.
const ENV_ALLOWED: &[(&str, &str, &str)] = &[
    (
        "src/cgroups/dbus.rs",
        "env::var(\"CI\")",
        "test code only: the SKIP rule of tests/common/gate.rs for the tests against a private dbus-daemon",
    ),
    (
        "src/main.rs",
        "env::args_os",
        "argv is read once at the entry point and handed to the hidden re-exec dispatch or clap",
    ),
    (
        "src/userns.rs",
        "env::var(SYNC_ENV)",
        "the user-namespace helper's sync-fd handshake between rctr's own processes (read and removed before anything runs; the helpers have no Context)",
    ),
    (
        "src/userns.rs",
        "env::remove_var(SYNC_ENV)",
        "same handshake: the variable is removed so the container never inherits it",
    ),
];

#[test]
fn environment_read_only_in_context() {
    let srcs = sources();
    let reads = [
        "env::var(",
        "env::var_os(",
        "env::vars(",
        "env::vars_os(",
        "env::args(",
        "env::args_os(",
        "env::current_dir(",
        "env::current_exe(",
        "env::home_dir(",
        "env::temp_dir(",
        "env::remove_var(",
        "env::set_var(",
    ];
    let mut bad = Vec::new();
    for s in srcs.iter().filter(|s| s.path != "src/context.rs") {
        for (n, l) in &s.lines {
            let compact: String = l.split_whitespace().collect();
            // `use std::env::var;` would hide a later bare `var(..)` from the patterns below.
            if compact.starts_with("usestd::env::") && !compact.starts_with("usestd::env::consts") {
                bad.push(format!("{}:{n}: {}", s.path, l.trim()));
            }
            for r in reads {
                let Some(i) = compact.find(r) else { continue };
                // `set_current_dir` is a chdir, not a read; `std::env::consts` is compile time.
                let prefix = &compact[..i];
                if prefix.ends_with("set_") {
                    continue;
                }
                let allowed = ENV_ALLOWED
                    .iter()
                    .any(|(p, what, _)| *p == s.path && compact.contains(what));
                if !allowed {
                    bad.push(format!("{}:{n}: {}", s.path, l.trim()));
                }
            }
        }
    }
    assert_none(
        "the environment read outside context.rs (use Context: ctx.var(), ctx.path(), ctx.cwd(), ctx.args(), ctx.exe())",
        bad,
    );
    // Every allowlist entry still matches something: a stale entry is removed, not kept.
    for (p, what, why) in ENV_ALLOWED {
        let s = srcs.iter().find(|s| s.path == *p).expect(p);
        let compact: Vec<String> = s
            .lines
            .iter()
            .map(|(_, l)| l.split_whitespace().collect())
            .collect();
        assert!(
            compact.iter().any(|l| l.contains(what)),
            "stale allowlist entry {p}: {what} ({why})"
        );
    }
}

#[test]
fn lower_layers_do_not_import_higher_ones() {
    let srcs = sources();
    let mut bad = Vec::new();
    bad.extend(imports_violating(&srcs, &["storage"], &["image"]));
    bad.extend(imports_violating(
        &srcs,
        &["storage", "image", "volume"],
        &["container"],
    ));
    bad.extend(imports_violating(&srcs, &["container"], &["volume"]));
    bad.extend(imports_violating(
        &srcs,
        &[
            "storage",
            "image",
            "volume",
            "container",
            "runtime",
            "reference",
        ],
        &["ops", "monitor"],
    ));
    bad.extend(imports_violating(
        &srcs,
        &["runtime"],
        &[
            "image",
            "storage",
            "container",
            "volume",
            "monitor",
            "ops",
            "cli",
            "specgen",
            "engine",
        ],
    ));
    // The network stack and its settings sit beside container/monitor, over the runtime:
    // no images, stores, records or flags.
    bad.extend(imports_violating(
        &srcs,
        &["network"],
        &[
            "image",
            "storage",
            "container",
            "volume",
            "monitor",
            "ops",
            "cli",
            "specgen",
            "engine",
        ],
    ));
    bad.extend(imports_violating(&srcs, &["runtime"], &["network", "cdi"]));
    // CDI specs and `--device` values: a model and its lookup, below everything that uses it.
    bad.extend(imports_violating(
        &srcs,
        &["cdi"],
        &[
            "image",
            "storage",
            "container",
            "volume",
            "monitor",
            "ops",
            "cli",
            "specgen",
            "engine",
            "runtime",
            "network",
        ],
    ));
    bad.extend(imports_violating(
        &srcs,
        &["specgen"],
        &[
            "image",
            "storage",
            "container",
            "volume",
            "monitor",
            "ops",
            "engine",
            "cli",
        ],
    ));
    bad.extend(imports_violating(
        &srcs,
        &[
            "storage",
            "image",
            "volume",
            "container",
            "runtime",
            "specgen",
            "monitor",
            "ops",
            "probe",
            "reference",
            "context",
            "fsutil",
            "idmap",
            "userns",
            "error",
            "exitstatus",
        ],
        &["engine"],
    ));
    bad.extend(imports_violating(
        &srcs,
        &[
            "reference",
            "context",
            "fsutil",
            "idmap",
            "userns",
            "error",
            "exitstatus",
        ],
        &[
            "image",
            "storage",
            "container",
            "volume",
            "monitor",
            "ops",
            "runtime",
        ],
    ));
    assert_none("a lower layer imports a higher one", bad);
}

#[test]
fn one_start_path() {
    let srcs = sources();
    let mut bad = Vec::new();
    for s in srcs
        .iter()
        .filter(|s| !under(&s.path, &["runtime"]) && s.path != "src/monitor/mod.rs")
    {
        for (n, l) in &s.lines {
            if l.contains("runtime::start(") {
                bad.push(format!("{}:{n}: {}", s.path, l.trim()));
            }
        }
    }
    assert_none(
        "runtime::start called outside monitor::launch (start containers through engine::start)",
        bad,
    );
}

#[test]
fn exit_codes_are_chosen_in_cli_exit() {
    // The library returns typed errors; only `cli/exit.rs` maps them to a command's code.
    // `ExitError` carries a status across layers only where one is passed through (a
    // container's own exit status, a start failure's 125/126/127: runtime, wire, monitor,
    // engine, exec), never as a way for image/, volume/, container/, ops/ or cli/ to pick a
    // command's code.
    let srcs = sources();
    let mut bad = Vec::new();
    for s in srcs
        .iter()
        .filter(|s| s.path != "src/cli/exit.rs")
        .filter(|s| {
            under(
                &s.path,
                &[
                    "cli", "image", "volume", "storage", "ops", "probe", "specgen",
                ],
            ) || (under(&s.path, &["container"]) && s.path != "src/container/exec.rs")
        })
    {
        for (n, l) in &s.lines {
            if l.contains("ExitError::new(") || l.contains("EXIT_RMI_") {
                bad.push(format!("{}:{n}: {}", s.path, l.trim()));
            }
        }
    }
    assert_none(
        "an exit code picked outside cli/exit.rs (return a typed error instead)",
        bad,
    );
}

#[test]
fn the_scanner_sees_grouped_imports_and_skips_comments() {
    assert_eq!(
        crate_modules("use crate::{container::{self, Container}, volume};"),
        ["container", "volume"]
    );
    assert_eq!(crate_modules("let x = crate::image::pull(ctx);"), ["image"]);
    assert!(crate_modules("let k = krate::image::x;").is_empty());
    assert_eq!(strip_comment("a(); // crate::cli"), "a(); ");
    assert_eq!(strip_comment(r#"f("http://x") // y"#), r#"f("http://x") "#);
}

#[test]
fn no_source_file_over_600_lines() {
    let bad: Vec<String> = sources()
        .iter()
        .filter(|s| s.lines.len() > 600)
        .map(|s| format!("{}: {} lines", s.path, s.lines.len()))
        .collect();
    assert_none("a file over 600 lines (split it by concern)", bad);
}
