//! Lexing of `--format` templates: splitting text from `{{ }}` actions (trim markers,
//! comments) and tokenising the inside of an action.
use super::TemplateError;

fn err(msg: impl Into<String>) -> TemplateError {
    TemplateError(msg.into())
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Field(Vec<String>, bool), // chain, attached to the previous token (no space)
    Var(String, Vec<String>),
    Str(String),
    Num(serde_json::Number),
    Ident(String),
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
}

/// A raw piece of the template: literal text or the inside of one `{{ }}`.
pub(crate) enum Piece {
    Text(String),
    Action(String),
}

/// Split the template into text and action pieces, applying trim markers and dropping comments.
pub(crate) fn split(src: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = src;
    let mut trim_next = false;
    while let Some(start) = rest.find("{{") {
        let mut text = &rest[..start];
        if trim_next {
            text = text.trim_start();
        }
        let after = &rest[start + 2..];
        // `{{- ` trims the text before it (Go requires the space after the dash).
        let (after, trim_prev) = match after.strip_prefix("- ") {
            Some(a) => (a, true),
            None => match after
                .strip_prefix("-\t")
                .or_else(|| after.strip_prefix("-\n"))
            {
                Some(a) => (a, true),
                None => (after, false),
            },
        };
        if trim_prev {
            text = text.trim_end();
        }
        if !text.is_empty() {
            out.push(Piece::Text(text.to_string()));
        }
        let end = find_close(after)?;
        let mut inner = &after[..end];
        trim_next = false;
        if let Some(i) = inner
            .strip_suffix(" -")
            .or_else(|| inner.strip_suffix("\t-"))
        {
            inner = i;
            trim_next = true;
        } else if inner.ends_with("\n-") {
            inner = &inner[..inner.len() - 2];
            trim_next = true;
        }
        let t = inner.trim();
        if !(t.starts_with("/*") && t.ends_with("*/")) {
            out.push(Piece::Action(inner.to_string()));
        }
        rest = &after[end + 2..];
    }
    let text = if trim_next { rest.trim_start() } else { rest };
    if !text.is_empty() {
        out.push(Piece::Text(text.to_string()));
    }
    Ok(out)
}

/// Index of the `}}` closing an action, skipping string literals.
fn find_close(s: &str) -> Result<usize, TemplateError> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'`' => {
                i += 1;
                while i < b.len() && b[i] != b'`' {
                    i += 1;
                }
            }
            b'}' if b.get(i + 1) == Some(&b'}') => return Ok(i),
            _ => {}
        }
        i += 1;
    }
    Err(err("unclosed action: missing \"}}\""))
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(crate) fn lex(src: &str) -> Result<Vec<Tok>, TemplateError> {
    let chars: Vec<char> = src.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut spaced = true;
    let read_ident = |i: &mut usize| -> String {
        let s = *i;
        while *i < chars.len() && is_ident_char(chars[*i]) {
            *i += 1;
        }
        chars[s..*i].iter().collect()
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            spaced = true;
            i += 1;
            continue;
        }
        let was_spaced = spaced;
        spaced = false;
        match c {
            '|' => {
                toks.push(Tok::Pipe);
                i += 1;
            }
            '(' => {
                toks.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                toks.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            ':' if chars.get(i + 1) == Some(&'=') => {
                toks.push(Tok::Declare);
                i += 2;
            }
            '=' => {
                toks.push(Tok::Assign);
                i += 1;
            }
            '.' if chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()) => {
                toks.push(Tok::Num(lex_number(&chars, &mut i)?));
            }
            '.' => {
                let mut chain = Vec::new();
                while i < chars.len() && chars[i] == '.' {
                    i += 1;
                    let name = read_ident(&mut i);
                    if name.is_empty() {
                        break;
                    }
                    chain.push(name);
                }
                toks.push(Tok::Field(chain, !was_spaced));
            }
            '$' => {
                i += 1;
                let name = read_ident(&mut i);
                let mut chain = Vec::new();
                while i < chars.len() && chars[i] == '.' {
                    i += 1;
                    let f = read_ident(&mut i);
                    if f.is_empty() {
                        return Err(err(format!("bad field after ${name}")));
                    }
                    chain.push(f);
                }
                toks.push(Tok::Var(name, chain));
            }
            '"' => {
                i += 1;
                let mut s = String::new();
                loop {
                    let Some(&c) = chars.get(i) else {
                        return Err(err("unterminated quoted string"));
                    };
                    i += 1;
                    match c {
                        '"' => break,
                        '\\' => {
                            let e = chars.get(i).copied().unwrap_or('\\');
                            i += 1;
                            s.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                'r' => '\r',
                                '0' => '\0',
                                other => other,
                            });
                        }
                        c => s.push(c),
                    }
                }
                toks.push(Tok::Str(s));
            }
            '`' => {
                i += 1;
                let s0 = i;
                while i < chars.len() && chars[i] != '`' {
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(err("unterminated raw quoted string"));
                }
                toks.push(Tok::Str(chars[s0..i].iter().collect()));
                i += 1;
            }
            c if c.is_ascii_digit()
                || ((c == '-' || c == '+')
                    && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) =>
            {
                toks.push(Tok::Num(lex_number(&chars, &mut i)?));
            }
            c if is_ident_char(c) => {
                let name = read_ident(&mut i);
                toks.push(Tok::Ident(name));
            }
            other => return Err(err(format!("unexpected {other:?} in action"))),
        }
    }
    Ok(toks)
}

fn lex_number(chars: &[char], i: &mut usize) -> Result<serde_json::Number, TemplateError> {
    let s0 = *i;
    *i += 1;
    while *i < chars.len()
        && (chars[*i].is_ascii_alphanumeric() || chars[*i] == '.' || chars[*i] == '_')
    {
        *i += 1;
    }
    let text: String = chars[s0..*i].iter().filter(|c| **c != '_').collect();
    if let Ok(n) = text.parse::<i64>() {
        return Ok(n.into());
    }
    if let Some(h) = text.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(h, 16) {
            return Ok(n.into());
        }
    }
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .ok_or_else(|| err(format!("bad number syntax: {text:?}")))
}
