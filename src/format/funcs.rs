//! The functions templates may call: Go's builtins (`len index print printf println not and or
//! eq ne lt le gt ge`) and containers/common `report.DefaultFuncs` (`json join lower upper title
//! split truncate pad`).
use super::exec::{kind, print_value, text, truth};
use super::TemplateError;
use serde_json::Value;

fn err(msg: impl Into<String>) -> TemplateError {
    TemplateError(msg.into())
}

fn want_str<'v>(name: &str, v: &'v Value) -> Result<std::borrow::Cow<'v, str>, TemplateError> {
    match v {
        Value::String(s) => Ok(std::borrow::Cow::Borrowed(s)),
        Value::Null => Ok(std::borrow::Cow::Borrowed("")),
        Value::Number(_) | Value::Bool(_) => Ok(std::borrow::Cow::Owned(text(v))),
        other => Err(err(format!("{name}: expected string; got {}", kind(other)))),
    }
}

fn want_int(name: &str, v: &Value) -> Result<i64, TemplateError> {
    v.as_i64()
        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
        .ok_or_else(|| err(format!("{name}: expected integer; got {}", kind(v))))
}

fn arity(name: &str, args: &[Value], n: usize) -> Result<(), TemplateError> {
    if args.len() != n {
        return Err(err(format!(
            "wrong number of args for {name}: want {n} got {}",
            args.len()
        )));
    }
    Ok(())
}

/// Compare like Go's `eq`/`lt`: numbers by value, strings lexically, bools/nil for equality.
fn compare(a: &Value, b: &Value) -> Result<std::cmp::Ordering, TemplateError> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).ok_or_else(|| err("incomparable numbers"))
        }
        (Value::String(x), Value::String(y)) => Ok(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Ok(x.cmp(y)),
        (Value::Null, Value::Null) => Ok(std::cmp::Ordering::Equal),
        _ => Err(err(format!(
            "incompatible types for comparison: {} and {}",
            kind(a),
            kind(b)
        ))),
    }
}

fn equal(a: &Value, b: &Value) -> Result<bool, TemplateError> {
    match (a, b) {
        (Value::Array(_), _)
        | (Value::Object(_), _)
        | (_, Value::Array(_))
        | (_, Value::Object(_)) => Err(err("non-comparable type")),
        _ => Ok(compare(a, b)? == std::cmp::Ordering::Equal),
    }
}

/// Go's `fmt.Sprint`: a space between operands when neither side is a string.
fn sprint(args: &[Value]) -> String {
    let mut s = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !a.is_string() && !args[i - 1].is_string() {
            s.push(' ');
        }
        print_value(&mut s, a, false);
    }
    s
}

pub(crate) fn call(name: &str, args: &[Value]) -> Result<Value, TemplateError> {
    use Value::*;
    let s = |x: std::string::String| Ok(String(x));
    match name {
        "json" => {
            arity(name, args, 1)?;
            // containers/common encodes without HTML escaping and trims the newline.
            s(serde_json::to_string(&args[0]).unwrap_or_default())
        }
        "upper" => {
            arity(name, args, 1)?;
            s(want_str(name, &args[0])?.to_uppercase())
        }
        "lower" => {
            arity(name, args, 1)?;
            s(want_str(name, &args[0])?.to_lowercase())
        }
        "title" => {
            arity(name, args, 1)?;
            let src = want_str(name, &args[0])?;
            let mut out = std::string::String::new();
            let mut start = true;
            for c in src.chars() {
                if start && c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                start = !c.is_alphanumeric() && c != '\'';
            }
            s(out)
        }
        "join" => {
            arity(name, args, 2)?;
            let sep = want_str(name, &args[1])?;
            match &args[0] {
                Array(a) => s(a.iter().map(text).collect::<Vec<_>>().join(&sep)),
                Null => s(std::string::String::new()),
                String(x) => s(x.clone()),
                other => Err(err(format!("join: expected list; got {}", kind(other)))),
            }
        }
        "split" => {
            arity(name, args, 2)?;
            let (x, sep) = (want_str(name, &args[0])?, want_str(name, &args[1])?);
            Ok(Array(
                x.split(sep.as_ref())
                    .map(|p| String(p.to_string()))
                    .collect(),
            ))
        }
        "truncate" => {
            arity(name, args, 2)?;
            let n = want_int(name, &args[1])?.max(0) as usize;
            s(want_str(name, &args[0])?.chars().take(n).collect())
        }
        "pad" => {
            arity(name, args, 3)?;
            let (l, r) = (
                want_int(name, &args[1])?.max(0) as usize,
                want_int(name, &args[2])?.max(0) as usize,
            );
            s(format!(
                "{}{}{}",
                " ".repeat(l),
                want_str(name, &args[0])?,
                " ".repeat(r)
            ))
        }
        "len" => {
            arity(name, args, 1)?;
            Ok(Value::from(match &args[0] {
                String(x) => x.len(),
                Array(a) => a.len(),
                Object(m) => m.len(),
                Null => 0,
                other => return Err(err(format!("len of type {}", kind(other)))),
            }))
        }
        "index" => {
            if args.is_empty() {
                return Err(err("wrong number of args for index: want at least 1 got 0"));
            }
            let mut cur = args[0].clone();
            for k in &args[1..] {
                cur = match (&cur, k) {
                    // A missing key gives the zero value, "" for podman's string maps.
                    (Object(m), String(key)) => m
                        .get(key)
                        .cloned()
                        .unwrap_or(String(std::string::String::new())),
                    (Array(a), _) => {
                        let i = want_int(name, k)?;
                        a.get(usize::try_from(i).unwrap_or(usize::MAX))
                            .cloned()
                            .ok_or_else(|| err(format!("index out of range: {i}")))?
                    }
                    (Null, _) => return Err(err("index of untyped nil")),
                    (c, _) => return Err(err(format!("can't index item of type {}", kind(c)))),
                };
            }
            Ok(cur)
        }
        "print" => s(sprint(args)),
        "println" => {
            let parts: Vec<_> = args.iter().map(text).collect();
            s(parts.join(" ") + "\n")
        }
        "printf" => {
            let Some((f, rest)) = args.split_first() else {
                return Err(err(
                    "wrong number of args for printf: want at least 1 got 0",
                ));
            };
            s(super::printf::sprintf(&want_str(name, f)?, rest))
        }
        "not" => {
            arity(name, args, 1)?;
            Ok(Bool(!truth(&args[0])))
        }
        "and" => Ok(args
            .iter()
            .find(|a| !truth(a))
            .or(args.last())
            .cloned()
            .unwrap_or(Null)),
        "or" => Ok(args
            .iter()
            .find(|a| truth(a))
            .or(args.last())
            .cloned()
            .unwrap_or(Null)),
        "eq" => {
            if args.len() < 2 {
                return Err(err("missing argument for comparison"));
            }
            for b in &args[1..] {
                if equal(&args[0], b)? {
                    return Ok(Bool(true));
                }
            }
            Ok(Bool(false))
        }
        "ne" => {
            arity(name, args, 2)?;
            Ok(Bool(!equal(&args[0], &args[1])?))
        }
        "lt" | "le" | "gt" | "ge" => {
            arity(name, args, 2)?;
            use std::cmp::Ordering::*;
            let o = compare(&args[0], &args[1])?;
            Ok(Bool(match name {
                "lt" => o == Less,
                "le" => o != Greater,
                "gt" => o == Greater,
                _ => o != Less,
            }))
        }
        _ => Err(err(format!("function {name:?} not defined"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn functions() {
        assert_eq!(
            call("join", &[json!(["a", "b"]), json!(",")]).unwrap(),
            json!("a,b")
        );
        assert_eq!(
            call("index", &[json!({"k": "v"}), json!("k")]).unwrap(),
            json!("v")
        );
        assert_eq!(
            call("index", &[json!({"k": "v"}), json!("z")]).unwrap(),
            json!("")
        );
        assert_eq!(
            call("eq", &[json!("a"), json!("b"), json!("a")]).unwrap(),
            json!(true)
        );
        assert_eq!(
            call("title", &[json!("hello world")]).unwrap(),
            json!("Hello World")
        );
        assert_eq!(
            call("truncate", &[json!("abcdef"), json!(3)]).unwrap(),
            json!("abc")
        );
        assert_eq!(
            call("json", &[json!({"a": "<b>"})]).unwrap(),
            json!(r#"{"a":"<b>"}"#)
        );
        assert_eq!(
            call("print", &[json!(1), json!(2), json!("x")]).unwrap(),
            json!("1 2x")
        );
        assert!(call("nope", &[]).unwrap_err().0.contains("not defined"));
        assert!(call("lt", &[json!(1), json!("a")]).is_err());
    }
}
