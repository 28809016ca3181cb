//! Time arguments as podman takes them (`logs --since/--until`, `--filter until=`):
//! RFC 3339 (`2024-01-02T15:04:05Z`, fractions and offsets allowed), a date
//! (`2024-01-02`), Unix seconds (`1700000000`, `1700000000.5`), or a Go duration back from
//! now (`10m`, `1h30m`, `1.5h`, `500ms`).
use chrono::{DateTime, NaiveDate, Utc};

/// Parse a Go duration (`1h30m`, `2.5s`, `300ms`) into seconds.
pub fn parse_go_duration(s: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        if num_len == 0 {
            return None;
        }
        let n: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let mult = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += n * mult;
        rest = &rest[unit_len..];
    }
    Some(total)
}

/// A time argument as an instant.
pub fn parse_time_arg(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc());
    }
    if let Ok(f) = s.parse::<f64>() {
        let secs = f.trunc() as i64;
        let nanos = ((f - f.trunc()) * 1e9) as u32;
        return DateTime::from_timestamp(secs, nanos);
    }
    let d = parse_go_duration(s)?;
    Some(Utc::now() - chrono::Duration::milliseconds((d * 1000.0) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_times() {
        assert_eq!(parse_go_duration("1h30m"), Some(5400.0));
        assert_eq!(parse_go_duration("500ms"), Some(0.5));
        assert_eq!(parse_go_duration("10"), None);
        assert_eq!(parse_go_duration("x"), None);
        assert_eq!(
            parse_time_arg("1700000000").unwrap().timestamp(),
            1700000000
        );
        assert_eq!(
            parse_time_arg("2024-01-02").unwrap().to_rfc3339(),
            "2024-01-02T00:00:00+00:00"
        );
        assert!(parse_time_arg("2024-01-02T15:04:05.5+01:00").is_some());
        let t = parse_time_arg("10m").unwrap();
        assert!((Utc::now() - t).num_seconds() >= 599);
        assert!(parse_time_arg("yesterday").is_none());
    }
}
