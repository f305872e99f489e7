//! String literals: escapes, raw strings, and f-strings split into literal text and
//! replacement fields (`{expr!r:spec}`), as CPython 3.11 decodes them.
//!
//! Positions: a replacement field's expression is parsed from its own text in parentheses,
//! as CPython 3.11 does: its line is where the field sits, its columns are relative to
//! that text (errors in it show the text, as CPython's do).

use super::{parse_sub_expression, unsupported, Parser};
use crate::ast::{Constant, Expr, ExprKind, FPart, Pos};
use crate::error::{PResult, SyntaxError};
use crate::token::{StrLit, Tok};

/// Decodes one literal into parts (just one `Lit` unless it is an f-string).
pub fn decode(lit: &StrLit, pos: Pos) -> PResult<Vec<FPart>> {
    if !lit.fstring {
        return Ok(vec![FPart::Lit(unescape(&lit.body, lit.raw, pos)?)]);
    }
    let chars: Vec<char> = lit.body.chars().collect();
    let mut i = 0;
    fstring_parts(&chars, &mut i, lit, pos, false)
}

/// Parts of an f-string (or of a format spec, `in_spec`) from `chars[*i..]`; stops at the
/// `}` that closes a spec.
fn fstring_parts(
    chars: &[char],
    i: &mut usize,
    lit: &StrLit,
    pos: Pos,
    in_spec: bool,
) -> PResult<Vec<FPart>> {
    let err = |msg: &str| {
        SyntaxError::new(format!("f-string: {msg}"), pos.end_line, pos.end_col, pos.end_col)
    };
    let mut parts = Vec::new();
    let mut text = String::new();
    while *i < chars.len() {
        let c = chars[*i];
        if c == '{' {
            if !in_spec && chars.get(*i + 1) == Some(&'{') {
                text.push('{');
                *i += 2;
                continue;
            }
            if !text.is_empty() {
                parts.push(FPart::Lit(unescape(&std::mem::take(&mut text), lit.raw, pos)?));
            }
            *i += 1;
            parts.push(field(chars, i, lit, pos)?);
            continue;
        }
        if c == '}' {
            if in_spec {
                break;
            }
            if chars.get(*i + 1) == Some(&'}') {
                text.push('}');
                *i += 2;
                continue;
            }
            return Err(err("single '}' is not allowed"));
        }
        if c == '\\' && !lit.raw && *i + 1 < chars.len() {
            text.push(c);
            text.push(chars[*i + 1]);
            *i += 2;
            continue;
        }
        text.push(c);
        *i += 1;
    }
    if !text.is_empty() {
        parts.push(FPart::Lit(unescape(&text, lit.raw, pos)?));
    }
    Ok(parts)
}

/// A replacement field after its `{`, through its `}`.
fn field(chars: &[char], i: &mut usize, lit: &StrLit, pos: Pos) -> PResult<FPart> {
    let err = |msg: &str| {
        SyntaxError::new(format!("f-string: {msg}"), pos.end_line, pos.end_col, pos.end_col)
    };
    let start = *i;
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    while *i < chars.len() {
        let c = chars[*i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else {
            match c {
                '\'' | '"' => quote = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth > 0 => depth -= 1,
                '}' | ':' if depth == 0 => break,
                '!' if depth == 0 && chars.get(*i + 1) != Some(&'=') => break,
                '\\' => return Err(err("expression part cannot include a backslash")),
                '#' => return Err(err("expression part cannot include '#'")),
                _ => {}
            }
        }
        *i += 1;
    }
    if *i >= chars.len() {
        return Err(err("expecting '}'"));
    }
    let text: String = chars[start..*i].iter().collect();
    if text.trim().is_empty() {
        return Err(err("empty expression not allowed"));
    }
    if text.trim_end().ends_with('=') && !text.trim_end().ends_with("==") {
        return Err(unsupported("the f-string '=' specifier", pos));
    }
    let lines_before = chars[..start].iter().filter(|&&c| c == '\n').count() as u32;
    let value = parse_sub_expression(&format!("({text})"), lit.body_line + lines_before)?;
    let mut conversion = None;
    if chars[*i] == '!' {
        *i += 1;
        match chars.get(*i) {
            Some(&c @ ('s' | 'r' | 'a')) => {
                conversion = Some(c);
                *i += 1;
            }
            _ => return Err(err("invalid conversion character: expected 's', 'r', or 'a'")),
        }
    }
    let mut spec = None;
    if chars.get(*i) == Some(&':') {
        *i += 1;
        spec = Some(fstring_parts(chars, i, lit, pos, true)?);
    }
    if chars.get(*i) != Some(&'}') {
        return Err(err("expecting '}'"));
    }
    *i += 1;
    Ok(FPart::Value { value: Box::new(value), conversion, spec })
}

/// Decodes backslash escapes (unless `raw`).
fn unescape(body: &str, raw: bool, pos: Pos) -> PResult<String> {
    if raw || !body.contains('\\') {
        return Ok(body.to_string());
    }
    let mut out = String::new();
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' || i >= chars.len() {
            out.push(c);
            continue;
        }
        let e = chars[i];
        i += 1;
        match e {
            '\n' => {}
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut v = e.to_digit(8).expect("octal digit");
                let mut n = 1;
                while n < 3 && i < chars.len() && chars[i].is_digit(8) {
                    v = v * 8 + chars[i].to_digit(8).expect("octal digit");
                    i += 1;
                    n += 1;
                }
                out.push(char::from_u32(v).expect("at most 0o777"));
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits: String = chars[i..(i + n).min(chars.len())].iter().collect();
                let bad = || {
                    let msg = format!(
                        "(unicode error) 'unicodeescape' codec can't decode bytes in position {}-{}: truncated \\{}{} escape",
                        i - 2,
                        i - 1 + digits.chars().take_while(|c| c.is_ascii_hexdigit()).count(),
                        e,
                        "X".repeat(n)
                    );
                    SyntaxError::new(msg, pos.end_line, pos.end_col, pos.end_col)
                };
                if digits.len() < n || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Err(bad());
                }
                let v = u32::from_str_radix(&digits, 16).expect("hex digits");
                let Some(ch) = char::from_u32(v) else { return Err(bad()) };
                out.push(ch);
                i += n;
            }
            'N' => return Err(unsupported("the '\\N{...}' escape", pos)),
            other => {
                // an unknown escape keeps its backslash (a DeprecationWarning in CPython)
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

impl Parser {
    /// Adjacent string literals, concatenated (f-strings among them make a `JoinedStr`).
    pub(super) fn strings(&mut self) -> PResult<Expr> {
        let start = Self::span(self.peek());
        let mut parts: Vec<FPart> = Vec::new();
        let mut any_f = false;
        let (mut any_bytes, mut any_str) = (false, false);
        let mut bytes: Vec<u8> = Vec::new();
        let mut bad_escape: Option<String> = None;
        // UTF-8 bytes beyond one per character in the literals, per end line: CPython's
        // column for a bytes literal's error counts bytes
        let mut wide: Vec<(u32, u32)> = Vec::new();
        while let Tok::Str(lit) = &self.peek().tok {
            let lit = lit.clone();
            let t = self.next();
            wide.push((t.end_line, (lit.body.len() - lit.body.chars().count()) as u32));
            if lit.bytes {
                any_bytes = true;
                match super::bytestrings::decode_bytes(&lit) {
                    Ok(b) => bytes.extend(b),
                    Err(super::bytestrings::BytesError::NonAscii) => {
                        let msg = "bytes can only contain ASCII literal characters";
                        bad_escape.get_or_insert(msg.to_string());
                    }
                    Err(super::bytestrings::BytesError::Escape(msg)) => {
                        bad_escape.get_or_insert(msg);
                    }
                }
                continue;
            }
            any_str = true;
            any_f |= lit.fstring;
            for p in decode(&lit, Self::span(&t))? {
                match (p, parts.last_mut()) {
                    (FPart::Lit(s), Some(FPart::Lit(prev))) => prev.push_str(&s),
                    (p, _) => parts.push(p),
                }
            }
        }
        let pos = self.pos_from(start);
        if any_bytes {
            // CPython reports these at the token after the literals
            let at = Self::span(self.peek());
            let extra: u32 = wide.iter().filter(|w| w.0 == at.line).map(|w| w.1).sum();
            let msg = match bad_escape {
                _ if any_str => "cannot mix bytes and nonbytes literals".to_string(),
                Some(msg) => msg,
                None => return Ok(Expr { kind: ExprKind::Constant(Constant::Bytes(bytes)), pos }),
            };
            return Err(SyntaxError::new(msg, at.line, at.col + extra, at.col + extra));
        }
        if !any_f {
            let s = match parts.pop() {
                Some(FPart::Lit(s)) => s,
                _ => String::new(),
            };
            return Ok(Expr { kind: ExprKind::Constant(Constant::Str(s)), pos });
        }
        Ok(Expr { kind: ExprKind::JoinedStr(parts), pos })
    }
}
