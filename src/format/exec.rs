//! Executing a parsed template against a `serde_json::Value`, with Go's semantics for truth,
//! printing (`fmt`'s `%v`), variables and the functions podman's templates offer
//! (Go builtins + containers/common `report.DefaultFuncs`: json, join, lower, upper, title,
//! split, truncate, pad).
use super::parse::{Arg, Node, Pipeline};
use super::TemplateError;
use serde_json::Value;

fn err(msg: impl Into<String>) -> TemplateError {
    TemplateError(msg.into())
}

enum Flow {
    Normal,
    Break,
    Continue,
}

pub(crate) struct Exec<'a> {
    pub out: String,
    vars: Vec<(String, Value)>,
    root: &'a Value,
    /// Rendering the header row: field values are header strings, so be lenient where a
    /// function expects a list or number (podman gets the same strings back).
    header: bool,
}

impl<'a> Exec<'a> {
    pub fn new(root: &'a Value, header: bool) -> Self {
        Exec {
            out: String::new(),
            vars: vec![(String::new(), root.clone())],
            root,
            header,
        }
    }

    pub fn run(&mut self, nodes: &[Node], dot: &Value) -> Result<(), TemplateError> {
        match self.list(nodes, dot)? {
            Flow::Normal => Ok(()),
            _ => Err(err("{{break}} or {{continue}} outside {{range}}")),
        }
    }

    fn list(&mut self, nodes: &[Node], dot: &Value) -> Result<Flow, TemplateError> {
        for n in nodes {
            match self.node(n, dot)? {
                Flow::Normal => {}
                f => return Ok(f),
            }
        }
        Ok(Flow::Normal)
    }

    fn scoped(&mut self, nodes: &[Node], dot: &Value) -> Result<Flow, TemplateError> {
        let mark = self.vars.len();
        let r = self.list(nodes, dot);
        self.vars.truncate(mark);
        r
    }

    fn node(&mut self, n: &Node, dot: &Value) -> Result<Flow, TemplateError> {
        match n {
            Node::Text(t) => self.out.push_str(t),
            Node::Action(p) => {
                let v = self.pipeline(p, dot)?;
                if p.vars.is_empty() {
                    print_value(&mut self.out, &v, true);
                }
            }
            Node::If {
                pipe,
                then,
                otherwise,
            } => {
                let mark = self.vars.len();
                let v = self.pipeline(pipe, dot)?;
                let f = if truth(&v) {
                    self.scoped(then, dot)?
                } else {
                    self.scoped(otherwise, dot)?
                };
                self.vars.truncate(mark);
                return Ok(f);
            }
            Node::With {
                pipe,
                body,
                otherwise,
            } => {
                let mark = self.vars.len();
                let v = self.pipeline(pipe, dot)?;
                let f = if truth(&v) {
                    self.scoped(body, &v)?
                } else {
                    self.scoped(otherwise, dot)?
                };
                self.vars.truncate(mark);
                return Ok(f);
            }
            Node::Range {
                pipe,
                body,
                otherwise,
            } => {
                let mark = self.vars.len();
                // The range variables are bound per element below, not to the whole value.
                let mut p = pipe.clone();
                let vars = std::mem::take(&mut p.vars);
                let v = self.pipeline(&p, dot)?;
                let items = self.range_items(&v)?;
                if items.is_empty() {
                    let f = self.scoped(otherwise, dot)?;
                    self.vars.truncate(mark);
                    return Ok(f);
                }
                for (k, item) in items {
                    let m = self.vars.len();
                    match vars.len() {
                        0 => {}
                        1 => self.vars.push((vars[0].clone(), item.clone())),
                        _ => {
                            self.vars.push((vars[0].clone(), k));
                            self.vars.push((vars[1].clone(), item.clone()));
                        }
                    }
                    let f = self.list(body, &item)?;
                    self.vars.truncate(m);
                    if let Flow::Break = f {
                        break;
                    }
                }
                self.vars.truncate(mark);
            }
            Node::Break => return Ok(Flow::Break),
            Node::Continue => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn range_items(&self, v: &Value) -> Result<Vec<(Value, Value)>, TemplateError> {
        Ok(match v {
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, x)| (Value::from(i), x.clone()))
                .collect(),
            // Go ranges over maps in sorted key order.
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                keys.into_iter()
                    .map(|k| (Value::String(k.clone()), m[k].clone()))
                    .collect()
            }
            Value::Null => Vec::new(),
            Value::Number(n) if n.as_i64().is_some() => (0..n.as_i64().unwrap_or(0).max(0))
                .map(|i| (Value::from(i), Value::from(i)))
                .collect(),
            Value::String(_) if self.header => vec![(Value::from(0), v.clone())],
            other => return Err(err(format!("range can't iterate over {}", short(other)))),
        })
    }

    fn pipeline(&mut self, p: &Pipeline, dot: &Value) -> Result<Value, TemplateError> {
        let mut prev: Option<Value> = None;
        for cmd in &p.cmds {
            prev = Some(self.command(cmd, dot, prev, &p.src)?);
        }
        let v = prev.unwrap_or(Value::Null);
        if !p.vars.is_empty() {
            if p.declare {
                self.vars.push((p.vars[0].clone(), v.clone()));
            } else {
                let name = &p.vars[0];
                match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = v.clone(),
                    None => return Err(err(format!("undefined variable: ${name}"))),
                }
            }
        }
        Ok(v)
    }

    fn command(
        &mut self,
        cmd: &[Arg],
        dot: &Value,
        prev: Option<Value>,
        src: &str,
    ) -> Result<Value, TemplateError> {
        if let Arg::Ident(name) = &cmd[0] {
            let mut args = Vec::with_capacity(cmd.len());
            for a in &cmd[1..] {
                args.push(self.arg(a, dot, src)?);
            }
            args.extend(prev);
            return match super::funcs::call(name, &args) {
                Ok(v) => Ok(v),
                Err(e) if self.header => {
                    let _ = e;
                    Ok(args
                        .into_iter()
                        .find(|a| a.is_string())
                        .unwrap_or(Value::String(String::new())))
                }
                Err(e) => Err(err(format!(
                    "executing at <{src}>: error calling {name}: {}",
                    e.0
                ))),
            };
        }
        if cmd.len() > 1 || prev.is_some() {
            return Err(err(format!(
                "executing at <{src}>: can't give argument to non-function"
            )));
        }
        self.arg(&cmd[0], dot, src)
    }

    fn arg(&mut self, a: &Arg, dot: &Value, src: &str) -> Result<Value, TemplateError> {
        match a {
            Arg::Field(chain) => self.fields(dot, chain, std::ptr::eq(dot, self.root), src),
            Arg::Var(name, chain) => {
                let v = match self.vars.iter().rev().find(|(n, _)| n == name) {
                    Some((_, v)) => v.clone(),
                    None => return Err(err(format!("undefined variable: ${name}"))),
                };
                let is_root = name.is_empty();
                self.fields(&v, chain, is_root, src)
            }
            Arg::Str(s) => Ok(Value::String(s.clone())),
            Arg::Num(n) => Ok(Value::Number(n.clone())),
            Arg::Bool(b) => Ok(Value::Bool(*b)),
            Arg::Nil => Ok(Value::Null),
            Arg::Ident(name) => self.command(&[Arg::Ident(name.clone())], dot, None, src),
            Arg::Sub(p, chain) => {
                let v = self.pipeline(p, dot)?;
                self.fields(&v, chain, false, src)
            }
        }
    }

    /// Walk a field chain. A missing key of the top-level record is an error, like a missing
    /// struct field in podman; deeper down (label maps and the like) it is Go's `<no value>`.
    fn fields(
        &self,
        v: &Value,
        chain: &[String],
        is_root: bool,
        src: &str,
    ) -> Result<Value, TemplateError> {
        let mut cur = v.clone();
        for (i, name) in chain.iter().enumerate() {
            cur = match cur {
                Value::Object(mut m) => match m.remove(name) {
                    Some(x) => x,
                    None if i == 0 && is_root && !self.header => {
                        return Err(err(format!(
                            "executing at <{src}>: can't evaluate field {name}"
                        )))
                    }
                    None => Value::Null,
                },
                Value::Null => Value::Null,
                s @ Value::String(_) if self.header => s,
                other => {
                    return Err(err(format!(
                        "executing at <{src}>: can't evaluate field {name} in type {}",
                        kind(&other)
                    )))
                }
            };
        }
        Ok(cur)
    }
}

pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nil",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "map",
    }
}

fn short(v: &Value) -> String {
    let mut s = String::new();
    print_value(&mut s, v, false);
    format!("{s} ({})", kind(v))
}

/// Go's template truth: false, 0, nil, and empty strings/lists/maps are false.
pub(crate) fn truth(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// `fmt`'s `%v`: lists as `[a b]`, maps as `map[k:v]` (sorted), nil as `<no value>` at the top
/// of an action (Go's output for a missing map key) and `<nil>` inside.
pub(crate) fn print_value(out: &mut String, v: &Value, top: bool) {
    match v {
        Value::Null => out.push_str(if top { "<no value>" } else { "<nil>" }),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_text(n)),
        Value::String(s) => out.push_str(s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                print_value(out, x, false);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push_str("map[");
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                print_value(out, &m[k], false);
            }
            out.push(']');
        }
    }
}

fn number_text(n: &serde_json::Number) -> String {
    if n.is_f64() {
        let f = n.as_f64().unwrap_or(0.0);
        // Go's %v for floats is %g: exponent form for large/small magnitudes.
        if f != 0.0 && (f.abs() >= 1e21 || f.abs() < 1e-4) {
            let s = format!("{f:e}");
            return match s.split_once('e') {
                Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e:0>2}"),
                Some((m, e)) => format!("{m}e-{:0>2}", &e[1..]),
                None => s,
            };
        }
        return format!("{f}");
    }
    n.to_string()
}

pub(crate) fn text(v: &Value) -> String {
    let mut s = String::new();
    print_value(&mut s, v, false);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn printing_like_go() {
        let mut s = String::new();
        print_value(&mut s, &json!({"b": [1, "x"], "a": null, "c": 1.5}), true);
        assert_eq!(s, "map[a:<nil> b:[1 x] c:1.5]");
        assert_eq!(
            number_text(&serde_json::Number::from_f64(1e21).unwrap()),
            "1e+21"
        );
    }
}
