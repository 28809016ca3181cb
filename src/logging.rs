//! The one logging facade: `--log-level` sets the level of the `log` crate's macros, and this
//! logger prints rctr's own records on stderr as podman does (`DEBU rctr: …`, `WARN …`).
//! Records of the libraries underneath (HTTP, TLS) are not printed: they speak of their
//! internals, not of what rctr decided.
//!
//! Library code says what it decided with `log::debug!` (mapping, overlay kind, mounts,
//! network, timings); it never checks a flag to print.
use log::{Level, LevelFilter, Log, Metadata, Record};

struct Stderr;

impl Log for Stderr {
    fn enabled(&self, m: &Metadata) -> bool {
        m.level() <= log::max_level() && m.target().starts_with("rctr")
    }

    fn log(&self, r: &Record) {
        if !self.enabled(r.metadata()) {
            return;
        }
        let tag = match r.level() {
            Level::Error => "ERRO",
            Level::Warn => "WARN",
            Level::Info => "INFO",
            Level::Debug => "DEBU",
            Level::Trace => "TRAC",
        };
        eprintln!("{tag} rctr: {}", r.args());
    }

    fn flush(&self) {}
}

/// podman's `--log-level` names (`warning`, `fatal`, `panic` included); anything else is
/// podman's default, `warn`.
pub fn level_filter(name: &str) -> LevelFilter {
    match name {
        "trace" => LevelFilter::Trace,
        "debug" => LevelFilter::Debug,
        "info" => LevelFilter::Info,
        "error" | "fatal" | "panic" => LevelFilter::Error,
        _ => LevelFilter::Warn,
    }
}

/// Install the logger (once per process; a second call only changes the level).
pub fn init(level: LevelFilter) {
    static LOGGER: Stderr = Stderr;
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(level);
}

/// Is `--log-level debug` (or trace) on?
pub fn debug_enabled() -> bool {
    log::max_level() >= LevelFilter::Debug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podman_level_names() {
        assert_eq!(level_filter("debug"), LevelFilter::Debug);
        assert_eq!(level_filter("warning"), LevelFilter::Warn);
        assert_eq!(level_filter("fatal"), LevelFilter::Error);
        assert_eq!(level_filter("nonsense"), LevelFilter::Warn);
    }
}
