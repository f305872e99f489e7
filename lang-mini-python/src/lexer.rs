//! The tokenizer: source text to `Token`s, with Python's rules.
//!
//! Invariants and vocabulary:
//! - Columns are 0-based character (not byte) offsets; lines are 1-based.
//! - A *logical line* ends in one `Newline` token; blank and comment-only lines make none.
//!   Inside brackets (`depth > 0`) newlines are not tokens (implicit line joining), and a
//!   backslash before a newline joins two physical lines.
//! - Indentation is measured at the start of each logical line as CPython does: tabs to the
//!   next multiple of 8 (`col`) and, to detect inconsistent use, with tabs as 1 (`altcol`);
//!   the two must order the same against the indentation stack or it is a `TabError`.
//!   Every `Indent` is matched by a `Dedent` before `EndMarker`.
//! - Errors carry CPython 3.11's messages and positions (unterminated strings, unclosed or
//!   mismatched brackets, bad number literals, bad indentation).

use crate::error::{ErrorKind, PResult, SyntaxError};
use crate::number::int_from_digits;
use crate::token::{IntValue, StrLit, Tok, Token};

/// Operators and delimiters, longest first so that the first match is the longest.
const OPERATORS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "+", "-", "*", "/", "%", "@", "&", "|",
    "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "=",
];

/// CPython's limit on nested brackets (`MAXLEVEL`).
const MAX_BRACKETS: usize = 200;
/// CPython's limit on indentation levels (`MAXINDENT`).
const MAX_INDENT: usize = 100;

/// Tokenizes a whole source file.
pub fn tokenize(source: &str) -> PResult<Vec<Token>> {
    let lexed = tokenize_partial(source);
    match lexed.error {
        Some(e) => Err(e.error),
        None => Ok(lexed.tokens),
    }
}

/// The tokens of a source up to its first lexical error, if any.
pub struct Lexed {
    /// The tokens; when there is an error, the last one is `Tok::Error` at its position.
    pub tokens: Vec<Token>,
    /// The error, if the source did not tokenize.
    pub error: Option<LexError>,
}

/// A lexical error and how CPython's parser treats it.
pub struct LexError {
    /// The error (its source line filled in).
    pub error: SyntaxError,
    /// CPython's tokenizer raises this one itself (`syntaxerror()`): after a generic
    /// "invalid syntax" earlier in the file, CPython tokenizes on and reports this instead.
    pub overrides_generic: bool,
    /// For "'(' was never closed" at the end of the input: the bracket's line (CPython
    /// reports it instead of an earlier generic error only when the bracket is on an
    /// earlier line than that error).
    pub unclosed_line: Option<u32>,
}

/// Tokenizes as CPython's parser sees it: the tokens before the first error, then the error
/// (which the parser reports when it reaches that token, as CPython's tokenizer is driven by
/// its parser).
pub fn tokenize_partial(source: &str) -> Lexed {
    let mut lx = Lexer::new(source);
    let result = lx.run();
    let mut tokens = lx.tokens;
    let error = result.err().map(|e| {
        let (line, col) = (lx.line, lx.col);
        tokens.push(Token { tok: Tok::Error, line, col, end_line: line, end_col: col });
        let unclosed_line = e.msg.ends_with("was never closed").then_some(e.line);
        let overrides_generic = [
            "unterminated",
            "invalid character",
            "invalid non-printable",
            "invalid decimal literal",
            "invalid hexadecimal literal",
            "invalid octal literal",
            "invalid binary literal",
            "invalid digit",
            "leading zeros",
            "unmatched",
            "closing parenthesis",
            "too many nested parentheses",
        ]
        .iter()
        .any(|p| e.msg.starts_with(p));
        LexError { error: e.with_source(source), overrides_generic, unclosed_line }
    });
    Lexed { tokens, error }
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: u32,
    col: u32,
    tokens: Vec<Token>,
    /// Open brackets: the bracket, its line and column.
    brackets: Vec<(char, u32, u32)>,
    indents: Vec<u32>,
    alt_indents: Vec<u32>,
}

impl Lexer {
    fn new(source: &str) -> Self {
        let mut chars: Vec<char> = source.chars().filter(|&c| c != '\r').collect();
        if chars.first() == Some(&'\u{feff}') {
            chars.remove(0);
        }
        Lexer {
            chars,
            pos: 0,
            line: 1,
            col: 0,
            tokens: Vec::new(),
            brackets: Vec::new(),
            indents: vec![0],
            alt_indents: vec![0],
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 0;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn push(&mut self, tok: Tok, line: u32, col: u32) {
        self.tokens.push(Token { tok, line, col, end_line: self.line, end_col: self.col });
    }

    fn err(&self, msg: impl Into<String>, line: u32, col: u32) -> SyntaxError {
        SyntaxError::new(msg, line, col, col)
    }

    fn run(&mut self) -> PResult<()> {
        let mut at_line_start = true;
        let mut comment_at: Option<u32> = None;
        loop {
            if at_line_start && self.brackets.is_empty() {
                if !self.indentation()? {
                    break;
                }
                at_line_start = false;
            }
            let Some(c) = self.peek() else { break };
            match c {
                ' ' | '\t' | '\x0c' => {
                    self.bump();
                }
                '#' => {
                    comment_at = Some(self.col);
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                '\n' => {
                    let (line, col) = (self.line, self.col);
                    self.bump();
                    if self.brackets.is_empty() {
                        // as in CPython, a NEWLINE after a comment starts where the comment does
                        let (start, end) = match comment_at {
                            Some(c) => (c, col),
                            None => (col, col + 1),
                        };
                        self.tokens.push(Token {
                            tok: Tok::Newline,
                            line,
                            col: start,
                            end_line: line,
                            end_col: end,
                        });
                        at_line_start = true;
                    }
                    comment_at = None;
                }
                '\\' => {
                    let (line, col) = (self.line, self.col);
                    self.bump();
                    match self.peek() {
                        Some('\n') => {
                            self.bump();
                            if self.peek().is_none() {
                                return Err(self.err(
                                    "unexpected EOF while parsing",
                                    line,
                                    col + 1,
                                ));
                            }
                        }
                        None => {
                            return Err(self.err("unexpected EOF while parsing", line, col + 1))
                        }
                        Some(_) => {
                            return Err(self.err(
                                "unexpected character after line continuation character",
                                line,
                                col + 1,
                            ))
                        }
                    }
                }
                c if c.is_ascii_digit()
                    || (c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit())) =>
                {
                    self.number()?
                }
                c if is_id_start(c) => {
                    if let Some(q) = self.string_prefix_len() {
                        self.string(q)?;
                    } else {
                        self.name();
                    }
                }
                '"' | '\'' => self.string(0)?,
                _ => self.operator()?,
            }
        }
        self.finish()
    }

    /// Measures indentation at the start of a line and emits `Indent`/`Dedent`. Returns
    /// false at the end of input.
    fn indentation(&mut self) -> PResult<bool> {
        loop {
            let (mut col, mut alt) = (0u32, 0u32);
            while let Some(c) = self.peek() {
                match c {
                    ' ' => {
                        col += 1;
                        alt += 1;
                    }
                    '\t' => {
                        col = (col / 8 + 1) * 8;
                        alt += 1;
                    }
                    '\x0c' => {
                        col = 0;
                        alt = 0;
                    }
                    _ => break,
                }
                self.bump();
            }
            match self.peek() {
                None => return Ok(false),
                Some('#') | Some('\n') => {
                    // a blank or comment-only line: no tokens, no indentation change
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                    if self.bump().is_none() {
                        return Ok(false);
                    }
                    continue;
                }
                // CPython leaves the indentation alone on a line that starts with a
                // continuation backslash
                Some('\\') => return Ok(true),
                _ => {}
            }
            let top = *self.indents.last().expect("indent stack never empty");
            let alt_top = *self.alt_indents.last().expect("indent stack never empty");
            let line = self.line;
            let tab_error = || {
                SyntaxError::new("inconsistent use of tabs and spaces in indentation", line, 0, 0)
                    .with_kind(ErrorKind::Tab)
            };
            if col == top {
                if alt != alt_top {
                    return Err(tab_error());
                }
            } else if col > top {
                if alt <= alt_top {
                    return Err(tab_error());
                }
                if self.indents.len() >= MAX_INDENT {
                    return Err(SyntaxError::new("too many levels of indentation", line, 0, 0)
                        .with_kind(ErrorKind::Indentation));
                }
                self.indents.push(col);
                self.alt_indents.push(alt);
                self.push(Tok::Indent, line, 0);
            } else {
                // CPython checks the level before it hands out the first DEDENT
                if !self.indents.contains(&col) {
                    // CPython points just past the end of the line
                    let rest =
                        self.chars[self.pos..].iter().take_while(|&&c| c != '\n').count() as u32;
                    let end = self.col + rest;
                    return Err(SyntaxError::new(
                        "unindent does not match any outer indentation level",
                        line,
                        end,
                        end,
                    )
                    .with_kind(ErrorKind::Indentation));
                }
                while col < *self.indents.last().expect("indent stack never empty") {
                    self.indents.pop();
                    self.alt_indents.pop();
                    self.push(Tok::Dedent, line, col);
                }
                if alt != *self.alt_indents.last().expect("indent stack never empty") {
                    return Err(tab_error());
                }
            }
            return Ok(true);
        }
    }

    fn finish(&mut self) -> PResult<()> {
        if let Some(&(b, line, col)) = self.brackets.last() {
            return Err(self.err(format!("'{b}' was never closed"), line, col));
        }
        let needs_newline = !matches!(
            self.tokens.last().map(|t| &t.tok),
            None | Some(Tok::Newline) | Some(Tok::Dedent) | Some(Tok::Indent)
        );
        let (line, col) = (self.line, self.col);
        if needs_newline {
            self.tokens.push(Token {
                tok: Tok::Newline,
                line,
                col,
                end_line: line,
                end_col: col + 1,
            });
        }
        let eof_line = if col == 0 { line } else { line + 1 };
        while self.indents.len() > 1 {
            self.indents.pop();
            self.tokens.push(Token {
                tok: Tok::Dedent,
                line: eof_line,
                col: 0,
                end_line: eof_line,
                end_col: 0,
            });
        }
        self.tokens.push(Token {
            tok: Tok::EndMarker,
            line: eof_line,
            col: 0,
            end_line: eof_line,
            end_col: 0,
        });
        Ok(())
    }

    fn name(&mut self) {
        let (line, col) = (self.line, self.col);
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if !is_id_continue(c) {
                break;
            }
            s.push(c);
            self.bump();
        }
        self.push(Tok::Name(s), line, col);
    }

    /// If a string literal with a prefix starts here, the prefix's length.
    fn string_prefix_len(&self) -> Option<usize> {
        let mut n = 0;
        while n < 2 && self.peek_at(n).is_some_and(|c| "rRbBfFuU".contains(c)) {
            n += 1;
        }
        if n == 0 || !matches!(self.peek_at(n), Some('"') | Some('\'')) {
            return None;
        }
        let prefix: String =
            self.chars[self.pos..self.pos + n].iter().collect::<String>().to_lowercase();
        matches!(prefix.as_str(), "r" | "u" | "f" | "b" | "rb" | "br" | "fr" | "rf").then_some(n)
    }

    fn string(&mut self, prefix_len: usize) -> PResult<()> {
        let (line, col) = (self.line, self.col);
        let mut lit = StrLit {
            raw: false,
            fstring: false,
            bytes: false,
            body: String::new(),
            body_line: 0,
            body_col: 0,
        };
        for _ in 0..prefix_len {
            match self.bump().expect("prefix checked").to_ascii_lowercase() {
                'r' => lit.raw = true,
                'f' => lit.fstring = true,
                'b' => lit.bytes = true,
                _ => {}
            }
        }
        let quote = self.bump().expect("quote checked");
        let triple = self.peek() == Some(quote) && self.peek_at(1) == Some(quote);
        if triple {
            self.bump();
            self.bump();
        }
        lit.body_line = self.line;
        lit.body_col = self.col;
        loop {
            let Some(c) = self.peek() else {
                let last_line =
                    if self.col == 0 && self.line > 1 { self.line - 1 } else { self.line };
                let msg = if triple {
                    format!(
                        "unterminated triple-quoted string literal (detected at line {last_line})"
                    )
                } else {
                    format!("unterminated string literal (detected at line {})", self.line)
                };
                return Err(self.err(msg, line, col));
            };
            if c == quote {
                if !triple {
                    self.bump();
                    break;
                }
                if self.peek_at(1) == Some(quote) && self.peek_at(2) == Some(quote) {
                    self.bump();
                    self.bump();
                    self.bump();
                    break;
                }
            }
            if c == '\n' && !triple {
                let msg = format!("unterminated string literal (detected at line {})", self.line);
                return Err(self.err(msg, line, col));
            }
            self.bump();
            lit.body.push(c);
            if c == '\\' {
                match self.peek() {
                    Some(n) => {
                        self.bump();
                        lit.body.push(n);
                    }
                    None => continue,
                }
            }
        }
        self.push(Tok::Str(Box::new(lit)), line, col);
        Ok(())
    }

    fn number(&mut self) -> PResult<()> {
        let (line, col) = (self.line, self.col);
        let start = self.pos;
        let c0 = self.peek().expect("digit checked");
        let next = self.peek_at(1).map(|c| c.to_ascii_lowercase());
        if c0 == '0' && matches!(next, Some('x') | Some('o') | Some('b')) {
            let (radix, kind) = match next {
                Some('x') => (16, "hexadecimal"),
                Some('o') => (8, "octal"),
                _ => (2, "binary"),
            };
            self.bump();
            self.bump();
            let mut digits = String::new();
            loop {
                match self.peek() {
                    Some('_') if self.peek_at(1).is_some_and(|d| d.is_digit(radix)) => {
                        self.bump();
                    }
                    Some(d) if d.is_digit(radix) => {
                        digits.push(d);
                        self.bump();
                    }
                    _ => break,
                }
            }
            if let Some(d) = self.peek() {
                if d.is_ascii_digit() && radix < 10 {
                    return Err(self.err(
                        format!("invalid digit '{d}' in {kind} literal"),
                        self.line,
                        self.col,
                    ));
                }
            }
            if digits.is_empty() || self.peek().is_some_and(|d| d == '_' || is_id_continue(d)) {
                let (l, c) = (self.line, self.col - 1);
                return Err(self.err(format!("invalid {kind} literal"), l, c));
            }
            self.push(Tok::Int(int_from_digits(&digits, radix)), line, col);
            return Ok(());
        }
        let mut text = String::new();
        self.digits(&mut text)?;
        let mut is_float = false;
        if self.peek() == Some('.') {
            is_float = true;
            text.push('.');
            self.bump();
            if self.peek().is_some_and(|d| d.is_ascii_digit()) {
                self.digits(&mut text)?;
            }
        }
        if matches!(self.peek(), Some('e') | Some('E')) {
            let sign = self.peek_at(1);
            let has_sign = matches!(sign, Some('+') | Some('-'));
            let d = if has_sign { self.peek_at(2) } else { sign };
            if d.is_some_and(|d| d.is_ascii_digit()) {
                is_float = true;
                text.push('e');
                self.bump();
                if has_sign {
                    text.push(self.bump().expect("sign checked"));
                }
                self.digits(&mut text)?;
            } else {
                return Err(self.err(
                    "invalid decimal literal",
                    self.line,
                    self.col.saturating_sub(1),
                ));
            }
        }
        if matches!(self.peek(), Some('j') | Some('J')) {
            self.bump();
            self.check_number_end(line, col)?;
            self.push(Tok::Imaginary, line, col);
            return Ok(());
        }
        self.check_number_end(line, col)?;
        if is_float {
            let v: f64 = text.parse().expect("float literal checked");
            self.push(Tok::Float(v), line, col);
        } else {
            let lit: String = self.chars[start..self.pos].iter().collect();
            if text.len() > 1 && text.starts_with('0') && text.chars().any(|c| c != '0') {
                let _ = lit;
                return Err(SyntaxError::new(
                    "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                    line,
                    col,
                    col,
                ));
            }
            self.push(Tok::Int(int_from_digits(&text, 10)), line, col);
        }
        Ok(())
    }

    /// Decimal digits with single underscores between them, appended to `out`.
    fn digits(&mut self, out: &mut String) -> PResult<()> {
        loop {
            match self.peek() {
                Some(d) if d.is_ascii_digit() => {
                    out.push(d);
                    self.bump();
                }
                Some('_') => {
                    if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) {
                        self.bump();
                    } else {
                        self.bump();
                        return Err(self.err("invalid decimal literal", self.line, self.col - 1));
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// A number may not run into an identifier (`1abc`), except a keyword CPython still
    /// accepts there (`1if x else y`).
    fn check_number_end(&mut self, line: u32, col: u32) -> PResult<()> {
        let Some(c) = self.peek() else { return Ok(()) };
        if !is_id_continue(c) {
            return Ok(());
        }
        for kw in ["and", "else", "for", "if", "in", "is", "not", "or"] {
            let n = kw.len();
            let matches = (0..n).all(|i| self.peek_at(i) == kw.chars().nth(i));
            if matches && !self.peek_at(n).is_some_and(is_id_continue) {
                return Ok(());
            }
        }
        let _ = (line, col);
        Err(self.err("invalid decimal literal", self.line, self.col.saturating_sub(1)))
    }

    fn operator(&mut self) -> PResult<()> {
        let (line, col) = (self.line, self.col);
        let c = self.peek().expect("not at end");
        let op = OPERATORS
            .iter()
            .copied()
            .find(|op| op.chars().enumerate().all(|(i, oc)| self.peek_at(i) == Some(oc)));
        let Some(op) = op else {
            if c.is_ascii() && !c.is_ascii_control() || c == '!' {
                return Err(self.err("invalid syntax", line, col));
            }
            let msg = if c.is_ascii_control() || !c.is_alphanumeric() {
                format!("invalid non-printable character U+{:04X}", c as u32)
            } else {
                format!("invalid character '{}' (U+{:04X})", c, c as u32)
            };
            let msg = if !c.is_control() {
                format!("invalid character '{}' (U+{:04X})", c, c as u32)
            } else {
                msg
            };
            return Err(self.err(msg, line, col));
        };
        for _ in 0..op.chars().count() {
            self.bump();
        }
        match op {
            "(" | "[" | "{" => {
                if self.brackets.len() >= MAX_BRACKETS {
                    return Err(self.err("too many nested parentheses", line, col));
                }
                self.brackets.push((c, line, col));
            }
            ")" | "]" | "}" => match self.brackets.pop() {
                None => return Err(self.err(format!("unmatched '{c}'"), line, col)),
                Some((open, oline, _)) => {
                    let expected = match open {
                        '(' => ')',
                        '[' => ']',
                        _ => '}',
                    };
                    if expected != c {
                        let msg = if oline != line {
                            format!(
                                "closing parenthesis '{c}' does not match opening parenthesis '{open}' on line {oline}"
                            )
                        } else {
                            format!("closing parenthesis '{c}' does not match opening parenthesis '{open}'")
                        };
                        return Err(self.err(msg, line, col));
                    }
                }
            },
            _ => {}
        }
        self.push(Tok::Op(op), line, col);
        Ok(())
    }
}

fn is_id_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_id_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// An integer literal's value, for tests.
pub fn int_literal(v: &Tok) -> Option<&IntValue> {
    match v {
        Tok::Int(i) => Some(i),
        _ => None,
    }
}
