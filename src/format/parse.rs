//! Parser for the subset of Go's `text/template` that podman users write in `--format`.
//!
//! Supported: literal text, `{{- ... -}}` trim markers, `{{/* comments */}}`, pipelines
//! (`.A.B | upper`), function calls with arguments, parenthesised pipelines (`(index .M "k").X`),
//! variables (`$`, `$x := ...`, `$x = ...`), string/raw-string/number/bool/nil literals, and the
//! actions `if`/`else if`/`else`, `range` (with `$i, $v :=`), `with`, `break`, `continue`, `end`.
//! `define`/`template`/`block` are rejected with a clear error: no podman format needs them.
use super::lex::{lex, split, Piece, Tok};
use super::TemplateError;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Text(String),
    /// A pipeline whose value is printed (unless it declares/assigns a variable).
    Action(Pipeline),
    If {
        pipe: Pipeline,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Range {
        pipe: Pipeline,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    With {
        pipe: Pipeline,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Break,
    Continue,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pipeline {
    /// Variables declared (`:=`) or assigned (`=`) by this pipeline, without the `$`.
    pub vars: Vec<String>,
    pub declare: bool,
    pub cmds: Vec<Vec<Arg>>,
    /// Source text, for error messages (`executing at <.Foo>`).
    pub src: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Arg {
    /// `.` or `.A.B` (an empty chain is dot itself).
    Field(Vec<String>),
    /// `$` / `$x` followed by an optional field chain.
    Var(String, Vec<String>),
    Str(String),
    Num(serde_json::Number),
    Bool(bool),
    Nil,
    /// A function name (only valid first in a command, or as a niladic call).
    Ident(String),
    /// `( pipeline )` with an optional field chain after it.
    Sub(Box<Pipeline>, Vec<String>),
}

fn err(msg: impl Into<String>) -> TemplateError {
    TemplateError(msg.into())
}

struct TokStream {
    toks: Vec<Tok>,
    pos: usize,
}

impl TokStream {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
}

fn parse_pipeline_toks(
    ts: &mut TokStream,
    src: &str,
    in_paren: bool,
) -> Result<Pipeline, TemplateError> {
    let mut pipe = Pipeline {
        vars: Vec::new(),
        declare: false,
        cmds: Vec::new(),
        src: src.trim().to_string(),
    };
    // Variable declaration: `$x :=`, `$i, $v :=`, `$x =`.
    let save = ts.pos;
    let mut vars = Vec::new();
    while let Some(Tok::Var(name, chain)) = ts.peek().cloned() {
        if !chain.is_empty() {
            break;
        }
        ts.pos += 1;
        vars.push(name);
        match ts.peek() {
            Some(Tok::Comma) => {
                ts.pos += 1;
            }
            Some(Tok::Declare) | Some(Tok::Assign) => {
                pipe.declare = ts.next() == Some(Tok::Declare);
                pipe.vars = std::mem::take(&mut vars);
                break;
            }
            _ => break,
        }
    }
    if pipe.vars.is_empty() {
        ts.pos = save;
    }
    let mut cmd: Vec<Arg> = Vec::new();
    while let Some(t) = ts.next() {
        let arg = match t {
            Tok::Pipe => {
                if cmd.is_empty() {
                    return Err(err(format!("missing command before '|' in {src:?}")));
                }
                pipe.cmds.push(std::mem::take(&mut cmd));
                continue;
            }
            Tok::RParen if in_paren => {
                ts.pos -= 1;
                break;
            }
            Tok::RParen => return Err(err(format!("unexpected ')' in {src:?}"))),
            Tok::LParen => {
                let inner = parse_pipeline_toks(ts, src, true)?;
                if ts.next() != Some(Tok::RParen) {
                    return Err(err(format!("unclosed '(' in {src:?}")));
                }
                let mut chain = Vec::new();
                if let Some(Tok::Field(c, true)) = ts.peek().cloned() {
                    ts.pos += 1;
                    chain = c;
                }
                Arg::Sub(Box::new(inner), chain)
            }
            Tok::Field(c, _) => Arg::Field(c),
            Tok::Var(n, c) => Arg::Var(n, c),
            Tok::Str(s) => Arg::Str(s),
            Tok::Num(n) => Arg::Num(n),
            Tok::Ident(id) => match id.as_str() {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                "nil" => Arg::Nil,
                _ => Arg::Ident(id),
            },
            Tok::Comma | Tok::Declare | Tok::Assign => {
                return Err(err(format!("unexpected token in {src:?}")))
            }
        };
        cmd.push(arg);
    }
    if cmd.is_empty() {
        if pipe.cmds.is_empty() {
            return Err(err(format!("missing value in {{{{{}}}}}", src.trim())));
        }
        return Err(err(format!("missing command after '|' in {src:?}")));
    }
    pipe.cmds.push(cmd);
    Ok(pipe)
}

fn parse_pipeline(src: &str) -> Result<Pipeline, TemplateError> {
    let mut ts = TokStream {
        toks: lex(src)?,
        pos: 0,
    };
    parse_pipeline_toks(&mut ts, src, false)
}

/// What ended a list of nodes.
enum Stop {
    Eof,
    End,
    Else(Option<String>), // `else` or `else if <pipeline>` / `else with ...`
}

struct Parser {
    pieces: Vec<Piece>,
    pos: usize,
}

impl Parser {
    fn list(&mut self) -> Result<(Vec<Node>, Stop), TemplateError> {
        let mut nodes = Vec::new();
        while self.pos < self.pieces.len() {
            let idx = self.pos;
            self.pos += 1;
            let action = match &self.pieces[idx] {
                Piece::Text(t) => {
                    nodes.push(Node::Text(t.clone()));
                    continue;
                }
                Piece::Action(a) => a.trim().to_string(),
            };
            let (kw, rest) = match action.find(|c: char| c.is_whitespace()) {
                Some(i) => (&action[..i], action[i..].trim()),
                None => (action.as_str(), ""),
            };
            match kw {
                "end" => return Ok((nodes, Stop::End)),
                "else" => {
                    return Ok((
                        nodes,
                        Stop::Else((!rest.is_empty()).then(|| rest.to_string())),
                    ))
                }
                "if" | "range" | "with" => nodes.push(self.control(kw, rest)?),
                "break" => nodes.push(Node::Break),
                "continue" => nodes.push(Node::Continue),
                "define" | "template" | "block" => {
                    return Err(err(format!(
                        "{{{{{kw}}}}} is not supported in --format templates"
                    )))
                }
                _ => nodes.push(Node::Action(parse_pipeline(&action)?)),
            }
        }
        Ok((nodes, Stop::Eof))
    }

    /// Parse `if`/`range`/`with` after its keyword; handles `else if` chains.
    fn control(&mut self, kw: &str, rest: &str) -> Result<Node, TemplateError> {
        if rest.is_empty() {
            return Err(err(format!("missing value for {kw}")));
        }
        let pipe = parse_pipeline(rest)?;
        let (body, stop) = self.list()?;
        let otherwise = match stop {
            Stop::Eof => {
                return Err(err(format!(
                    "unexpected EOF: {{{{{kw}}}}} without {{{{end}}}}"
                )))
            }
            Stop::End => Vec::new(),
            Stop::Else(None) => match self.list()? {
                (nodes, Stop::End) => nodes,
                (_, Stop::Else(_)) => return Err(err("{{else}} after {{else}}")),
                (_, Stop::Eof) => {
                    return Err(err(format!(
                        "unexpected EOF: {{{{{kw}}}}} without {{{{end}}}}"
                    )))
                }
            },
            Stop::Else(Some(chain)) => {
                // `{{else if X}}` is `{{else}}{{if X}}…{{end}}` sharing one `{{end}}`.
                let (kw2, rest2) = match chain.find(|c: char| c.is_whitespace()) {
                    Some(i) => (chain[..i].to_string(), chain[i..].trim().to_string()),
                    None => (chain.clone(), String::new()),
                };
                if kw2 != "if" && kw2 != "with" {
                    return Err(err(format!("unexpected {{{{else {chain}}}}}")));
                }
                vec![self.control(&kw2, &rest2)?]
            }
        };
        Ok(match kw {
            "if" => Node::If {
                pipe,
                then: body,
                otherwise,
            },
            "range" => Node::Range {
                pipe,
                body,
                otherwise,
            },
            _ => Node::With {
                pipe,
                body,
                otherwise,
            },
        })
    }
}

/// Parse template text (already normalised: escapes replaced, `table` stripped).
pub(crate) fn parse(src: &str) -> Result<Vec<Node>, TemplateError> {
    let mut p = Parser {
        pieces: split(src)?,
        pos: 0,
    };
    match p.list()? {
        (nodes, Stop::Eof) => Ok(nodes),
        (_, Stop::End) => Err(err("unexpected {{end}}")),
        (_, Stop::Else(_)) => Err(err("unexpected {{else}}")),
    }
}

/// Every top-level field name referenced from dot (`.A` in `.A.B`), in order of appearance:
/// the columns of a table header.
pub(crate) fn referenced_fields(nodes: &[Node], out: &mut Vec<String>) {
    fn pipe(p: &Pipeline, out: &mut Vec<String>) {
        for cmd in &p.cmds {
            for a in cmd {
                match a {
                    Arg::Field(c) if !c.is_empty() && !out.contains(&c[0]) => {
                        out.push(c[0].clone());
                    }
                    Arg::Sub(p, _) => pipe(p, out),
                    _ => {}
                }
            }
        }
    }
    for n in nodes {
        match n {
            Node::Action(p) => pipe(p, out),
            Node::If {
                pipe: p,
                then,
                otherwise,
            }
            | Node::Range {
                pipe: p,
                body: then,
                otherwise,
            }
            | Node::With {
                pipe: p,
                body: then,
                otherwise,
            } => {
                pipe(p, out);
                referenced_fields(then, out);
                referenced_fields(otherwise, out);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_text_and_actions_with_trim() {
        let n = parse("a {{- .X -}} b{{/* c */}}!").unwrap();
        assert_eq!(n.len(), 4);
        assert_eq!(n[0], Node::Text("a".into()));
        assert_eq!(n[2], Node::Text("b".into()));
        assert_eq!(n[3], Node::Text("!".into()));
    }

    #[test]
    fn parses_pipelines_and_control() {
        let n = parse(
            r#"{{range $i, $v := .L}}{{if eq $v "x"}}X{{else if $v}}Y{{else}}Z{{end}}{{end}}"#,
        )
        .unwrap();
        match &n[0] {
            Node::Range { pipe, body, .. } => {
                assert_eq!(pipe.vars, vec!["i".to_string(), "v".to_string()]);
                assert!(
                    matches!(&body[0], Node::If { otherwise, .. } if matches!(otherwise[0], Node::If { .. }))
                );
            }
            other => panic!("{other:?}"),
        }
        let n = parse(r#"{{(index .M "k").Name | printf "%s"}}"#).unwrap();
        match &n[0] {
            Node::Action(p) => {
                assert_eq!(p.cmds.len(), 2);
                assert!(matches!(&p.cmds[0][0], Arg::Sub(_, c) if c == &vec!["Name".to_string()]));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_are_clear() {
        assert!(parse("{{.X").unwrap_err().0.contains("unclosed"));
        assert!(parse("{{if .X}}a")
            .unwrap_err()
            .0
            .contains("without {{end}}"));
        assert!(parse("{{end}}")
            .unwrap_err()
            .0
            .contains("unexpected {{end}}"));
        assert!(parse("{{}}").is_err());
    }

    #[test]
    fn fields_referenced() {
        let n = parse("{{.ID}}\t{{.Names | upper}}{{if .State.Running}}{{.ID}}{{end}}").unwrap();
        let mut f = Vec::new();
        referenced_fields(&n, &mut f);
        assert_eq!(f, vec!["ID", "Names", "State"]);
    }
}
