//! Go's `fmt.Sprintf` for the verbs templates use: `%s %v %d %q %x %X %f %t %c %%`, with the
//! flags `-` `0` `+` and width/precision (`%-20s`, `%.12s`, `%05d`, `%.2f`).
use super::exec::print_value;
use serde_json::Value;

struct Spec {
    minus: bool,
    zero: bool,
    plus: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

fn pad(s: String, spec: &Spec, numeric: bool) -> String {
    let n = s.chars().count();
    let Some(w) = spec.width.filter(|w| *w > n) else {
        return s;
    };
    let fill = w - n;
    if spec.minus {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero && numeric {
        let (sign, digits) = match s.strip_prefix('-') {
            Some(d) => ("-", d.to_string()),
            None => ("", s),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

fn plain(v: &Value) -> String {
    let mut s = String::new();
    print_value(&mut s, v, false);
    s
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn one(verb: char, spec: &Spec, v: &Value) -> String {
    let bad = || format!("%!{verb}({})", plain(v));
    match verb {
        's' | 'v' => {
            let mut s = plain(v);
            if let Some(p) = spec.prec {
                s = s.chars().take(p).collect();
            }
            pad(s, spec, false)
        }
        'q' => pad(quote(&plain(v)), spec, false),
        't' => match v {
            Value::Bool(b) => pad(b.to_string(), spec, false),
            _ => bad(),
        },
        'd' => match v.as_i64() {
            Some(i) => {
                let s = if spec.plus && i >= 0 {
                    format!("+{i}")
                } else {
                    i.to_string()
                };
                pad(s, spec, true)
            }
            None => match v.as_u64() {
                Some(u) => pad(u.to_string(), spec, true),
                None => bad(),
            },
        },
        'c' => match v.as_u64().and_then(|u| char::from_u32(u as u32)) {
            Some(c) => pad(c.to_string(), spec, false),
            None => bad(),
        },
        'x' | 'X' => {
            let s = match v {
                Value::Number(n) if n.as_i64().is_some() => {
                    format!("{:x}", n.as_i64().unwrap_or(0))
                }
                Value::String(s) => s.bytes().map(|b| format!("{b:02x}")).collect(),
                _ => return bad(),
            };
            pad(if verb == 'X' { s.to_uppercase() } else { s }, spec, true)
        }
        'f' | 'F' | 'e' | 'g' => match v.as_f64() {
            Some(f) => {
                let p = spec.prec.unwrap_or(6);
                let s = match verb {
                    'e' => format!("{f:.p$e}"),
                    'g' => plain(v),
                    _ => format!("{f:.p$}"),
                };
                let s = if spec.plus && f >= 0.0 {
                    format!("+{s}")
                } else {
                    s
                };
                pad(s, spec, true)
            }
            None => bad(),
        },
        other => format!("%!{other}({})", plain(v)),
    }
}

pub(crate) fn sprintf(fmt: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut it = fmt.chars().peekable();
    let mut next_arg = 0;
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec {
            minus: false,
            zero: false,
            plus: false,
            width: None,
            prec: None,
        };
        while let Some(&f) = it.peek() {
            match f {
                '-' => spec.minus = true,
                '0' => spec.zero = true,
                '+' => spec.plus = true,
                ' ' | '#' => {}
                _ => break,
            }
            it.next();
        }
        let num = |it: &mut std::iter::Peekable<std::str::Chars>| {
            let mut n: Option<usize> = None;
            while let Some(d) = it.peek().and_then(|c| c.to_digit(10)) {
                n = Some(n.unwrap_or(0) * 10 + d as usize);
                it.next();
            }
            n
        };
        spec.width = num(&mut it);
        if it.peek() == Some(&'.') {
            it.next();
            spec.prec = Some(num(&mut it).unwrap_or(0));
        }
        let Some(verb) = it.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        match args.get(next_arg) {
            Some(v) => out.push_str(&one(verb, &spec, v)),
            None => out.push_str(&format!("%!{verb}(MISSING)")),
        }
        next_arg += 1;
    }
    if next_arg < args.len() {
        let extra: Vec<String> = args[next_arg..].iter().map(plain).collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn verbs_flags_width_precision() {
        assert_eq!(
            sprintf(
                "%.12s|%-6s|%6s",
                &[json!("0123456789abcdef"), json!("ab"), json!("cd")]
            ),
            "0123456789ab|ab    |    cd"
        );
        assert_eq!(
            sprintf("%05d %d%% %q", &[json!(-42), json!(7), json!("x")]),
            "-0042 7% \"x\""
        );
        assert_eq!(
            sprintf("%.2f %t %x", &[json!(1.005), json!(true), json!(255)]),
            "1.00 true ff"
        );
        assert_eq!(sprintf("%s %s", &[json!("a")]), "a %!s(MISSING)");
        assert_eq!(sprintf("%v", &[json!(["a", 1])]), "[a 1]");
        assert_eq!(sprintf("%d", &[json!("x")]), "%!d(x)");
    }
}
