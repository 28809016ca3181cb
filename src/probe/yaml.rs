//! Render a JSON value as YAML the way podman prints `info` (Go yaml.v2 layout: two-space
//! indent, sequences at their key's level, map keys sorted).
use serde_json::Value;

pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn pad(out: &mut String, n: usize) {
    out.push_str(&" ".repeat(n));
}

fn sorted(m: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut v: Vec<_> = m.iter().collect();
    v.sort_by(|a, b| a.0.cmp(b.0));
    v
}

fn write_map(out: &mut String, m: &serde_json::Map<String, Value>, ind: usize) {
    for (k, v) in sorted(m) {
        pad(out, ind);
        out.push_str(&quote(k));
        out.push(':');
        write_value_after_key(out, v, ind);
    }
}

fn write_value_after_key(out: &mut String, v: &Value, ind: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(out, m, ind + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_seq(out, a, ind);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, a: &[Value], ind: usize) {
    for v in a {
        pad(out, ind);
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => {
                // First key on the dash line, the rest aligned under it.
                let mut first = true;
                for (k, val) in sorted(m) {
                    if !first {
                        pad(out, ind + 2);
                    }
                    first = false;
                    out.push_str(&quote(k));
                    out.push(':');
                    write_value_after_key(out, val, ind + 2);
                }
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, ind + 2);
            }
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// Plain when YAML would read it back as the same string, else double-quoted (a JSON string
/// literal is a valid YAML double-quoted scalar).
fn quote(s: &str) -> String {
    let reserved = matches!(
        s.to_ascii_lowercase().as_str(),
        "" | "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    let numeric = s.parse::<f64>().is_ok() || s.starts_with("0x") || s.starts_with("0o");
    let bad_start = s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@` ".contains(c));
    let bad_inner = s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.ends_with(' ')
        || s.chars().any(|c| c.is_control());
    if reserved || numeric || bad_start || bad_inner {
        serde_json::to_string(s).unwrap_or_default()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn podman_layout() {
        let v = json!({
            "host": {
                "arch": "amd64",
                "cgroupControllers": [],
                "idMappings": {"uidmap": [{"container_id": 0, "host_id": 1001, "size": 1}]},
                "kernel": "6.18.44",
                "list": ["a", "b"],
                "empty": "",
                "weird": "a: b",
                "flag": "true",
                "nothing": null
            }
        });
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "host:\n  arch: amd64\n  cgroupControllers: []\n  empty: \"\"\n  flag: \"true\"\n  \
             idMappings:\n    uidmap:\n    - container_id: 0\n      host_id: 1001\n      size: 1\n  \
             kernel: 6.18.44\n  list:\n  - a\n  - b\n  nothing: null\n  weird: \"a: b\"\n"
        );
    }

    #[test]
    fn escapes_control_and_numbers() {
        assert_eq!(quote("12"), "\"12\"");
        assert_eq!(quote("line\nbreak"), "\"line\\nbreak\"");
        assert_eq!(quote("/usr/bin/x"), "/usr/bin/x");
        assert_eq!(quote("- x"), "\"- x\"");
    }
}
