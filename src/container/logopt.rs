//! `--log-opt` (podman's spelling): `max-size=SIZE`, `path=FILE`, `tag=TAG`, kept in the
//! container record so the monitor of a `-d` container and a foreground `run` honour the same
//! options.
//!
//! `max-size` is parsed as podman does (go-units `FromHumanSize`: decimal units, `10mb` and
//! `10m` are 10,000,000 bytes); as in containers.conf's `log_size_max`, a cap must be at least
//! 8192 bytes (one record always fits), and `-1` means no cap. Without `max-size` the log is
//! capped at [`DEFAULT_LOG_SIZE_MAX`]: podman's default is no cap, which lets one container
//! printing without end fill its user's disk. When the cap would be exceeded the log starts
//! over empty, as conmon does (see `monitor::log`).
use serde::{Deserialize, Serialize};

/// The cap when `max-size` is not given: 128 MiB (a log this size still holds days of a
/// chatty service's lines; a runaway writer costs at most this much disk per container).
pub const DEFAULT_LOG_SIZE_MAX: u64 = 128 << 20;

/// The smallest cap (containers.conf: "must be >= 8192 to match/exceed conmon's read buffer").
pub const MIN_LOG_SIZE_MAX: u64 = 8192;

/// The container's logging options (`container.json` `log`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LogConfig {
    /// `max-size` in bytes; -1 no cap; `None`: [`DEFAULT_LOG_SIZE_MAX`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_max: Option<i64>,
    /// `path`: the log file instead of `<container dir>/ctr.log`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `tag` (podman uses it for journald; kept for inspect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

impl LogConfig {
    pub fn is_default(&self) -> bool {
        self == &LogConfig::default()
    }

    /// The cap the log writer applies (`None`: none).
    pub fn cap(&self) -> Option<u64> {
        match self.size_max {
            None => Some(DEFAULT_LOG_SIZE_MAX),
            Some(n) if n < 0 => None,
            Some(n) => Some(n as u64),
        }
    }
}

/// Parse the `--log-opt` values (one line of error naming the bad one).
pub fn parse_log_opts(opts: &[String]) -> anyhow::Result<LogConfig> {
    let mut c = LogConfig::default();
    for o in opts {
        let Some((k, v)) = o.split_once('=').filter(|(_, v)| !v.is_empty()) else {
            anyhow::bail!(
                "invalid --log-opt {o:?}: use KEY=VALUE (max-size=10mb, path=FILE, tag=TAG)"
            );
        };
        match k.to_ascii_lowercase().as_str() {
            "max-size" => c.size_max = Some(parse_max_size(v)?),
            "path" => {
                if !v.starts_with('/') {
                    anyhow::bail!("invalid --log-opt path={v:?}: the log path must be absolute");
                }
                c.path = Some(v.to_string());
            }
            "tag" => c.tag = Some(v.to_string()),
            _ => anyhow::bail!(
                "unsupported --log-opt {k:?}: rctr's k8s-file logs take max-size, path and tag"
            ),
        }
    }
    Ok(c)
}

fn parse_max_size(v: &str) -> anyhow::Result<i64> {
    if v == "-1" {
        return Ok(-1);
    }
    let bad = || {
        anyhow::anyhow!(
            "invalid --log-opt max-size={v:?}: use a size of at least 8192 bytes (8k, 10mb, 1g) or -1 for no limit"
        )
    };
    let n = human_size(v).ok_or_else(bad)?;
    if n < MIN_LOG_SIZE_MAX as f64 || n >= i64::MAX as f64 {
        return Err(bad());
    }
    Ok(n as i64)
}

/// go-units `FromHumanSize`: `NUMBER[ ][kmgtp][i][b]`, case-insensitive, decimal units.
fn human_size(s: &str) -> Option<f64> {
    let num_len = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(num_len);
    if num.is_empty() || !num.starts_with(|c: char| c.is_ascii_digit()) || num.ends_with('.') {
        return None;
    }
    let n: f64 = num.parse().ok()?;
    let unit = unit.strip_prefix(' ').unwrap_or(unit).to_ascii_lowercase();
    let mut u = unit.as_str();
    let mult = match u.chars().next() {
        Some(c @ ('k' | 'm' | 'g' | 't' | 'p')) => {
            u = &u[1..];
            1000f64.powi("kmgtp".find(c)? as i32 + 1)
        }
        _ => 1.0,
    };
    u = u.strip_prefix('i').unwrap_or(u);
    u = u.strip_prefix('b').unwrap_or(u);
    u.is_empty().then_some(n * mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(v: &[&str]) -> anyhow::Result<LogConfig> {
        parse_log_opts(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn sizes_as_podman_parses_them() {
        assert_eq!(human_size("10mb"), Some(10_000_000.0));
        assert_eq!(human_size("10M"), Some(10_000_000.0));
        assert_eq!(human_size("10MiB"), Some(10_000_000.0));
        assert_eq!(human_size("1.5k"), Some(1500.0));
        assert_eq!(human_size("8192"), Some(8192.0));
        assert_eq!(human_size("2 GB"), Some(2e9));
        for bad in ["", "mb", "10x", "1..5k", "-5", "1.k", "10kbb"] {
            assert_eq!(human_size(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_log_opts() {
        let c = opts(&["max-size=10mb", "path=/tmp/x.log", "tag=web"]).unwrap();
        assert_eq!(c.cap(), Some(10_000_000));
        assert_eq!(c.path.as_deref(), Some("/tmp/x.log"));
        assert_eq!(c.tag.as_deref(), Some("web"));
        assert_eq!(opts(&["max-size=-1"]).unwrap().cap(), None);
        assert_eq!(opts(&[]).unwrap().cap(), Some(DEFAULT_LOG_SIZE_MAX));
        assert!(opts(&[]).unwrap().is_default());
        assert_eq!(opts(&["Max-Size=9k"]).unwrap().size_max, Some(9000));
        assert_eq!(opts(&["max-size=8192"]).unwrap().size_max, Some(8192));
    }

    #[test]
    fn refuses_bad_log_opts_in_one_line() {
        for (v, want) in [
            ("max-size=abc", "invalid --log-opt max-size=\"abc\""),
            ("max-size=100", "at least 8192 bytes"),
            ("max-size=0", "at least 8192 bytes"),
            ("max-size=-2", "invalid --log-opt max-size"),
            ("max-size=", "use KEY=VALUE"),
            ("nokey", "use KEY=VALUE"),
            ("path=rel.log", "must be absolute"),
            ("max-file=3", "unsupported --log-opt \"max-file\""),
        ] {
            let e = opts(&[v]).unwrap_err().to_string();
            assert!(e.contains(want) && !e.contains('\n'), "{v}: {e}");
        }
    }
}
