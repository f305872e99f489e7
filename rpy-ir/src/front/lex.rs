//! The RPy lexer: source text to a flat token list with Python-style `Newline`, `Indent` and
//! `Dedent` tokens.
//!
//! Conventions (the parser relies on them):
//! - Every token's [`Span`] is the 1-based line and column of its first character; columns
//!   count characters (not bytes), so carets line up under non-ASCII text.
//! - `Newline` ends every logical line that holds a token; its span is the position of the
//!   `\n` (or of the end of the text when the last line has no `\n`). Blank and comment-only
//!   lines produce nothing, and newlines inside `(...)` or `[...]` are ignored.
//! - `Indent` and `Dedent` come right after a `Newline` and carry the span of the first token
//!   of the line that changed the indentation; the `Dedent`s that close the file carry the
//!   span of `Eof`, which is always the last token.
//! - Integer literals are lexed as `u64` so that `-9223372036854775808` can be folded by the
//!   parser; range checking against `i64` happens there.
//!
//! The lexer stops at the first error and returns it as a [`Diagnostic`].

use crate::span::{Diagnostic, Span};

/// One token and the position of its first character.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What the token is.
    pub kind: TokenKind,
    /// Where it starts.
    pub span: Span,
}

/// The kinds of tokens.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// An identifier that is not a keyword.
    Name(String),
    /// An integer literal (unsigned; the parser checks it fits `i64`).
    Int(u64),
    /// A float literal.
    Float(f64),
    /// A char literal `'a'`, `'é'`, `'\u263a'`: one code point.
    Char(char),
    /// A string literal `"..."` with escapes decoded (its code points).
    Str(String),
    /// `def`
    Def,
    /// `struct`
    Struct,
    /// `const`
    Const,
    /// `if`
    If,
    /// `elif`
    Elif,
    /// `else`
    Else,
    /// `while`
    While,
    /// `break`
    Break,
    /// `continue`
    Continue,
    /// `return`
    Return,
    /// `pass`
    Pass,
    /// `and`
    And,
    /// `or`
    Or,
    /// `not`
    Not,
    /// `is`
    Is,
    /// `isa`
    Isa,
    /// `as`
    As,
    /// `True`
    True,
    /// `False`
    False,
    /// `None`
    None,
    /// `immutable`
    Immutable,
    /// `fn`
    Fn,
    /// `array`
    Array,
    /// `frozen`
    Frozen,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `:`
    Colon,
    /// `;`
    Semi,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `->`
    Arrow,
    /// `=`
    Assign,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `//`
    SlashSlash,
    /// `%`
    Percent,
    /// `&`
    Amp,
    /// `|`
    Pipe,
    /// `^`
    Caret,
    /// `~`
    Tilde,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `==`
    EqEq,
    /// `!=`
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+=`
    PlusEq,
    /// `-=`
    MinusEq,
    /// `*=`
    StarEq,
    /// `/=`
    SlashEq,
    /// `//=`
    SlashSlashEq,
    /// `%=`
    PercentEq,
    /// `&=`
    AmpEq,
    /// `|=`
    PipeEq,
    /// `^=`
    CaretEq,
    /// `<<=`
    ShlEq,
    /// `>>=`
    ShrEq,
    /// End of a logical line.
    Newline,
    /// The indentation grew.
    Indent,
    /// The indentation shrank by one level.
    Dedent,
    /// End of the text.
    Eof,
    /// `for`
    For,
    /// `in` (`for x in ...` and membership: `k in d`)
    In,
    /// `try`
    Try,
    /// `except`
    Except,
    /// `finally`
    Finally,
    /// `raise`
    Raise,
    /// `@` (a decorator: `@elidable` before a `def`).
    At,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
}

/// Keywords and the tokens they lex to.
const KEYWORDS: &[(&str, TokenKind)] = &[
    ("def", TokenKind::Def),
    ("struct", TokenKind::Struct),
    ("const", TokenKind::Const),
    ("if", TokenKind::If),
    ("elif", TokenKind::Elif),
    ("else", TokenKind::Else),
    ("while", TokenKind::While),
    ("break", TokenKind::Break),
    ("continue", TokenKind::Continue),
    ("return", TokenKind::Return),
    ("pass", TokenKind::Pass),
    ("and", TokenKind::And),
    ("or", TokenKind::Or),
    ("not", TokenKind::Not),
    ("is", TokenKind::Is),
    ("isa", TokenKind::Isa),
    ("as", TokenKind::As),
    ("True", TokenKind::True),
    ("False", TokenKind::False),
    ("None", TokenKind::None),
    ("immutable", TokenKind::Immutable),
    ("fn", TokenKind::Fn),
    ("array", TokenKind::Array),
    ("frozen", TokenKind::Frozen),
    ("for", TokenKind::For),
    ("in", TokenKind::In),
    ("try", TokenKind::Try),
    ("except", TokenKind::Except),
    ("finally", TokenKind::Finally),
    ("raise", TokenKind::Raise),
];

/// Operators and punctuation, longest first so that the first match is the longest one.
const PUNCT: &[(&str, TokenKind)] = &[
    ("//=", TokenKind::SlashSlashEq),
    ("<<=", TokenKind::ShlEq),
    (">>=", TokenKind::ShrEq),
    ("->", TokenKind::Arrow),
    ("==", TokenKind::EqEq),
    ("!=", TokenKind::NotEq),
    ("<=", TokenKind::Le),
    (">=", TokenKind::Ge),
    ("<<", TokenKind::Shl),
    (">>", TokenKind::Shr),
    ("//", TokenKind::SlashSlash),
    ("+=", TokenKind::PlusEq),
    ("-=", TokenKind::MinusEq),
    ("*=", TokenKind::StarEq),
    ("/=", TokenKind::SlashEq),
    ("%=", TokenKind::PercentEq),
    ("&=", TokenKind::AmpEq),
    ("|=", TokenKind::PipeEq),
    ("^=", TokenKind::CaretEq),
    ("(", TokenKind::LParen),
    (")", TokenKind::RParen),
    ("[", TokenKind::LBracket),
    ("{", TokenKind::LBrace),
    ("}", TokenKind::RBrace),
    ("]", TokenKind::RBracket),
    (":", TokenKind::Colon),
    (";", TokenKind::Semi),
    (",", TokenKind::Comma),
    (".", TokenKind::Dot),
    ("=", TokenKind::Assign),
    ("+", TokenKind::Plus),
    ("-", TokenKind::Minus),
    ("*", TokenKind::Star),
    ("/", TokenKind::Slash),
    ("%", TokenKind::Percent),
    ("&", TokenKind::Amp),
    ("|", TokenKind::Pipe),
    ("^", TokenKind::Caret),
    ("~", TokenKind::Tilde),
    ("@", TokenKind::At),
    ("<", TokenKind::Lt),
    (">", TokenKind::Gt),
];

impl TokenKind {
    /// How the token is named in "expected X, found Y" messages: `'('`, `'def'`, `name 'foo'`,
    /// `'5'`, `string literal`, `newline`, `end of file`...
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Name(n) => format!("name '{n}'"),
            // Numbers are shown by value, as in "expected type, found '5'".
            TokenKind::Int(v) => format!("'{v}'"),
            TokenKind::Float(v) => format!("'{v:?}'"),
            TokenKind::Char(_) => "char literal".to_string(),
            TokenKind::Str(_) => "string literal".to_string(),
            TokenKind::Newline => "newline".to_string(),
            TokenKind::Indent => "indent".to_string(),
            TokenKind::Dedent => "dedent".to_string(),
            TokenKind::Eof => "end of file".to_string(),
            other => format!("'{}'", other.fixed_text().unwrap_or("?")),
        }
    }

    /// The source text of a keyword or punctuation token.
    fn fixed_text(&self) -> Option<&'static str> {
        KEYWORDS.iter().chain(PUNCT).find(|(_, k)| k == self).map(|(s, _)| *s)
    }
}

/// Splits `text` (file index `file`) into tokens, ending with `Eof`.
pub fn lex(text: &str, file: u32) -> Result<Vec<Token>, Diagnostic> {
    let mut lexer = Lexer {
        text,
        src: text.as_bytes(),
        pos: 0,
        line: 1,
        col: 1,
        file,
        toks: Vec::new(),
        indents: vec![0],
        depth: 0,
    };
    lexer.run()?;
    Ok(lexer.toks)
}

/// The lexer state: a cursor into the text plus the indentation stack.
struct Lexer<'a> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    line: u32,
    col: u32,
    file: u32,
    toks: Vec<Token>,
    /// Columns (0-based) of the enclosing indentation levels; the bottom is always 0.
    indents: Vec<u32>,
    /// Open `(` and `[`: newlines and indentation are ignored while it is non-zero.
    depth: u32,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.src.get(self.pos + ahead).copied()
    }

    fn span(&self) -> Span {
        Span::new(self.file, self.line, self.col)
    }

    /// Advances one byte; only the first byte of a UTF-8 sequence moves the column.
    fn bump(&mut self) {
        if let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if b & 0xC0 != 0x80 {
                self.col += 1;
            }
        }
    }

    /// The character at the cursor (the cursor is always on a character boundary here).
    fn current_char(&self) -> char {
        self.text.get(self.pos..).and_then(|s| s.chars().next()).unwrap_or('?')
    }

    fn push(&mut self, kind: TokenKind, span: Span) {
        self.toks.push(Token { kind, span });
    }

    fn skip_comment(&mut self) {
        while !matches!(self.peek(), None | Some(b'\n')) {
            self.bump();
        }
    }

    fn run(&mut self) -> Result<(), Diagnostic> {
        let mut at_line_start = true;
        loop {
            if at_line_start && self.depth == 0 {
                if !self.indentation()? {
                    break;
                }
                at_line_start = false;
            }
            let Some(b) = self.peek() else { break };
            let span = self.span();
            match b {
                b' ' | b'\t' | b'\r' => self.bump(),
                b'#' => self.skip_comment(),
                b'\n' => {
                    if self.depth == 0 {
                        self.push(TokenKind::Newline, span);
                        at_line_start = true;
                    }
                    self.bump();
                }
                b'a'..=b'z' | b'A'..=b'Z' | b'_' => self.name(),
                b'0'..=b'9' => {
                    let kind = self.number()?;
                    self.push(kind, span);
                }
                b'"' => {
                    let text = self.quoted(b'"', "unterminated string literal")?;
                    self.push(TokenKind::Str(text), span);
                }
                b'\'' => {
                    let text = self.quoted(b'\'', "unterminated char literal")?;
                    let mut chars = text.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) => self.push(TokenKind::Char(c), span),
                        _ => return Err(Diagnostic::new(span, "invalid char literal")),
                    }
                }
                _ => self.punct()?,
            }
        }
        let end = self.span();
        if !matches!(self.toks.last(), None | Some(Token { kind: TokenKind::Newline, .. })) {
            self.push(TokenKind::Newline, end);
        }
        while self.indents.len() > 1 {
            self.indents.pop();
            self.push(TokenKind::Dedent, end);
        }
        self.push(TokenKind::Eof, end);
        Ok(())
    }

    /// Measures the indentation of the next line holding a token, skipping blank and comment
    /// lines, and emits `Indent`/`Dedent`; returns false at the end of the text.
    fn indentation(&mut self) -> Result<bool, Diagnostic> {
        loop {
            let mut width = 0u32;
            let mut tab = None;
            while let Some(b @ (b' ' | b'\t' | b'\r')) = self.peek() {
                if b == b'\t' && tab.is_none() {
                    tab = Some(self.span());
                }
                if b == b' ' {
                    width += 1;
                }
                self.bump();
            }
            match self.peek() {
                None => return Ok(false),
                Some(b'#') => self.skip_comment(),
                Some(b'\n') => self.bump(),
                Some(_) => {
                    if let Some(tab) = tab {
                        return Err(Diagnostic::new(tab, "tabs are not allowed in indentation"));
                    }
                    self.change_indent(width);
                    return self.check_dedent(width).map(|()| true);
                }
            }
        }
    }

    /// Emits an `Indent` or the `Dedent`s needed to go to column `width`.
    fn change_indent(&mut self, width: u32) {
        let span = self.span();
        let top = self.indents.last().copied().unwrap_or(0);
        if width > top {
            self.indents.push(width);
            self.push(TokenKind::Indent, span);
            return;
        }
        while self.indents.len() > 1 && self.indents.last().is_some_and(|&t| t > width) {
            self.indents.pop();
            self.push(TokenKind::Dedent, span);
        }
    }

    /// After dedenting, the new column must be one of the enclosing levels.
    fn check_dedent(&self, width: u32) -> Result<(), Diagnostic> {
        if self.indents.last().copied() == Some(width) {
            Ok(())
        } else {
            Err(Diagnostic::new(self.span(), "unindent does not match any outer indentation level"))
        }
    }

    fn name(&mut self) {
        let span = self.span();
        let start = self.pos;
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.peek() {
            self.bump();
        }
        let word = self.text.get(start..self.pos).unwrap_or("");
        let kind = KEYWORDS
            .iter()
            .find(|(k, _)| *k == word)
            .map(|(_, kind)| kind.clone())
            .unwrap_or_else(|| TokenKind::Name(word.to_string()));
        self.push(kind, span);
    }

    /// Lexes an integer (decimal, `0x`, `0b`, `_` separators) or a float (`1.5`, `2e10`).
    fn number(&mut self) -> Result<TokenKind, Diagnostic> {
        let span = self.span();
        let invalid = || Diagnostic::new(span, "invalid number literal");
        let radix = match (self.peek(), self.peek_at(1)) {
            (Some(b'0'), Some(b'x' | b'X')) => 16,
            (Some(b'0'), Some(b'b' | b'B')) => 2,
            _ => 10,
        };
        if radix != 10 {
            self.bump();
            self.bump();
        }
        let start = self.pos;
        let mut is_float = false;
        self.word();
        if radix == 10 {
            if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
                is_float = true;
                self.bump();
                self.word();
            }
            // A decimal word may have stopped at the sign of an exponent (`1e-3`).
            let text = self.text.get(start..self.pos).unwrap_or("");
            if matches!(text.as_bytes().last(), Some(b'e' | b'E'))
                && matches!(self.peek(), Some(b'+' | b'-'))
                && self.peek_at(1).is_some_and(|b| b.is_ascii_digit())
            {
                self.bump();
                self.word();
            }
        }
        let text = self.text.get(start..self.pos).unwrap_or("");
        let bad_underscores = text.starts_with('_') || text.ends_with('_') || text.contains("__");
        let digits: String = text.chars().filter(|&c| c != '_').collect();
        if bad_underscores || digits.is_empty() {
            return Err(invalid());
        }
        if radix == 10 && (is_float || digits.contains(['e', 'E'])) {
            return digits.parse::<f64>().map(TokenKind::Float).map_err(|_| invalid());
        }
        if !digits.chars().all(|c| c.is_digit(radix)) {
            return Err(invalid());
        }
        u64::from_str_radix(&digits, radix)
            .map(TokenKind::Int)
            .map_err(|_| Diagnostic::new(span, "integer literal too large"))
    }

    /// Skips letters, digits and underscores (the body of a number).
    fn word(&mut self) {
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.peek() {
            self.bump();
        }
    }

    /// Lexes a `"..."` or `'...'` literal with escapes (Python's: `\n \t \r \\ \' \" \0`,
    /// `\xHH`, `\uHHHH`, `\UHHHHHHHH`; an escape naming no Unicode scalar value is an error);
    /// the cursor is on the opening quote.
    fn quoted(&mut self, quote: u8, unterminated: &str) -> Result<String, Diagnostic> {
        let start = self.span();
        let unterminated = || Diagnostic::new(start, unterminated);
        self.bump();
        let mut text = String::new();
        loop {
            match self.peek() {
                None | Some(b'\n') => return Err(unterminated()),
                Some(b) if b == quote => {
                    self.bump();
                    return Ok(text);
                }
                Some(b'\\') => {
                    let esc_span = self.span();
                    self.bump();
                    let Some(e) = self.peek() else { return Err(unterminated()) };
                    let simple = match e {
                        b'\n' => return Err(unterminated()),
                        b'n' => Some(b'\n'),
                        b't' => Some(b'\t'),
                        b'r' => Some(b'\r'),
                        b'\\' => Some(b'\\'),
                        b'\'' => Some(b'\''),
                        b'"' => Some(b'"'),
                        b'0' => Some(0),
                        _ => None,
                    };
                    let digits = match e {
                        b'x' => 2,
                        b'u' => 4,
                        b'U' => 8,
                        _ => 0,
                    };
                    if let Some(byte) = simple {
                        text.push(char::from(byte));
                        self.bump();
                    } else if digits > 0 {
                        self.bump();
                        text.push(self.hex_escape(esc_span, e as char, digits)?);
                    } else {
                        let msg = format!("invalid escape sequence '\\{}'", self.current_char());
                        return Err(Diagnostic::new(esc_span, msg));
                    }
                }
                Some(_) => {
                    let c = self.current_char();
                    text.push(c);
                    for _ in 0..c.len_utf8() {
                        self.bump();
                    }
                }
            }
        }
    }

    /// The `digits` hex digits of a `\xHH`, `\uHHHH` or `\UHHHHHHHH` escape (`letter` is
    /// `x`, `u` or `U`); the cursor is after the letter.
    fn hex_escape(
        &mut self,
        esc_span: Span,
        letter: char,
        digits: usize,
    ) -> Result<char, Diagnostic> {
        let mut value = 0u32;
        let mut seen = String::new();
        for _ in 0..digits {
            match self.peek() {
                Some(h) if h.is_ascii_hexdigit() => {
                    seen.push(h as char);
                    value = value * 16 + (h as char).to_digit(16).unwrap_or(0);
                    self.bump();
                }
                other => {
                    if let Some(c) = other.filter(|c| c.is_ascii_graphic() && !b"'\"".contains(c)) {
                        seen.push(c as char);
                    }
                    let msg = format!("invalid escape sequence '\\{letter}{seen}'");
                    return Err(Diagnostic::new(esc_span, msg));
                }
            }
        }
        char::from_u32(value).ok_or_else(|| {
            let msg = format!(
                "escape '\\{letter}{seen}' is not a Unicode scalar value (0..=0x10FFFF, no surrogate)"
            );
            Diagnostic::new(esc_span, msg)
        })
    }

    fn punct(&mut self) -> Result<(), Diagnostic> {
        let span = self.span();
        let rest = self.src.get(self.pos..).unwrap_or(&[]);
        let Some((text, kind)) = PUNCT.iter().find(|(p, _)| rest.starts_with(p.as_bytes())) else {
            let msg = format!("unexpected character {:?}", self.current_char());
            return Err(Diagnostic::new(span, msg));
        };
        match kind {
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace => self.depth += 1,
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace => {
                self.depth = self.depth.saturating_sub(1)
            }
            _ => {}
        }
        for _ in 0..text.len() {
            self.bump();
        }
        self.push(kind.clone(), span);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `text`, one short word each: names and keywords as written, literals by
    /// value, `NL`, `IN`, `DE` for newline, indent and dedent; `Eof` is left out.
    fn show(text: &str) -> String {
        let toks = lex(text, 0).expect("lexes");
        let words: Vec<String> = toks
            .iter()
            .map(|t| match &t.kind {
                TokenKind::Name(n) => n.clone(),
                TokenKind::Int(v) => v.to_string(),
                TokenKind::Float(v) => format!("{v:?}"),
                TokenKind::Char(c) => format!("{c:?}"),
                TokenKind::Str(s) => format!("{s:?}"),
                TokenKind::Newline => "NL".to_string(),
                TokenKind::Indent => "IN".to_string(),
                TokenKind::Dedent => "DE".to_string(),
                TokenKind::Eof => "EOF".to_string(),
                other => other.fixed_text().unwrap_or("?").to_string(),
            })
            .collect();
        assert_eq!(words.last().map(String::as_str), Some("EOF"));
        words[..words.len() - 1].join(" ")
    }

    fn err(text: &str) -> String {
        let d = lex(text, 0).expect_err("should fail");
        format!("{}:{}: {}", d.span.line, d.span.col, d.message)
    }

    #[test]
    fn nested_blocks_indent_and_dedent() {
        let text = "def f():\n    if x:\n        y\n\n  # comment\n    z\nw\n";
        assert_eq!(show(text), "def f ( ) : NL IN if x : NL IN y NL DE z NL DE w NL");
        // Without a final newline, the last line still ends with one, then every dedent.
        assert_eq!(show("a:\n  b:\n    c"), "a : NL IN b : NL IN c NL DE DE");
        assert_eq!(show(""), "");
        assert_eq!(show("# only a comment\n\n"), "");
    }

    #[test]
    fn spans_are_one_based_and_count_characters() {
        let toks = lex("x = \"é\" + y\n  \n", 3).expect("lexes");
        let spans: Vec<(u32, u32)> = toks.iter().map(|t| (t.span.line, t.span.col)).collect();
        assert_eq!(spans, vec![(1, 1), (1, 3), (1, 5), (1, 9), (1, 11), (1, 12), (3, 1)]);
        assert_eq!(toks[0].span.file, 3);
        // Indent and dedent sit at the first token of their line; closing dedents at Eof.
        let toks = lex("if x:\n    y\nz\nif a:\n  b", 0).expect("lexes");
        let at = |kind: TokenKind| {
            let spans = toks.iter().filter(|t| t.kind == kind).map(|t| (t.span.line, t.span.col));
            spans.collect::<Vec<_>>()
        };
        assert_eq!(at(TokenKind::Indent), [(2, 5), (5, 3)]);
        assert_eq!(at(TokenKind::Dedent), [(3, 1), (5, 4)]);
    }

    #[test]
    fn brackets_join_lines() {
        assert_eq!(
            show("f(1,\n      2)\n[3,\n4]\nx = (\n)\n"),
            "f ( 1 , 2 ) NL [ 3 , 4 ] NL x = ( ) NL"
        );
    }

    #[test]
    fn keywords_operators_and_names() {
        let text = "def struct const if elif else while break continue return pass and or not is \
                    isa as True False None immutable fn array frozen hint len int";
        assert_eq!(show(text), format!("{text} NL"));
        let ops =
            "//= // / <<= << <= < >>= >> >= > -> -= - == = != += + *= * %= % &= & |= | ^= ^ ~ \
                   ( ) [ ] : ; , .";
        assert_eq!(show(ops), format!("{ops} NL"));
        assert_eq!(show("a//=b<<c->d"), "a //= b << c -> d NL");
        assert_eq!(TokenKind::Name("foo".into()).describe(), "name 'foo'");
        assert_eq!(TokenKind::Int(5).describe(), "'5'");
        assert_eq!(TokenKind::Str(String::new()).describe(), "string literal");
        assert_eq!(TokenKind::Isa.describe(), "'isa'");
        assert_eq!(TokenKind::Arrow.describe(), "'->'");
        assert_eq!(TokenKind::Eof.describe(), "end of file");
    }

    #[test]
    fn number_literals() {
        let text = "0 42 1_000 0x1F 0XfF 0b101 9223372036854775808 1.5 2e10 1.5e-3 3E+2 x.y 1 .5";
        let expect =
            "0 42 1000 31 255 5 9223372036854775808 1.5 20000000000.0 0.0015 300.0 x . y 1 . 5";
        assert_eq!(show(text), format!("{expect} NL"));
        assert_eq!(err("18446744073709551616"), "1:1: integer literal too large");
        assert_eq!(err("x = 0x"), "1:5: invalid number literal");
        assert_eq!(err("12ab"), "1:1: invalid number literal");
        assert_eq!(err("1__0"), "1:1: invalid number literal");
        assert_eq!(err("1_"), "1:1: invalid number literal");
        assert_eq!(err("0b12"), "1:1: invalid number literal");
        assert_eq!(err("1e"), "1:1: invalid number literal");
    }

    #[test]
    fn char_and_string_literals() {
        let text = r#"'a' '\n' '\x41' '\'' '"' "a\tb\\\"\0\r" "" "it's""#;
        let expect = r#"'a' '\n' 'A' '\'' '"' "a\tb\\\"\0\r" "" "it's" NL"#;
        assert_eq!(show(text), expect);
        let toks = lex("\"\\xff\\x00é\\u263a\\U0001F600😀\"", 0).expect("lexes");
        assert_eq!(toks[0].kind, TokenKind::Str("\u{ff}\0é☺😀😀".into()));
        let toks = lex("'é' '\\u263A' '😀'", 0).expect("lexes");
        assert_eq!(toks[0].kind, TokenKind::Char('é'));
        assert_eq!(toks[1].kind, TokenKind::Char('☺'));
        assert_eq!(toks[2].kind, TokenKind::Char('😀'));
    }

    #[test]
    fn literal_errors() {
        assert_eq!(err("x = \"abc\n"), "1:5: unterminated string literal");
        assert_eq!(err("x = \"abc"), "1:5: unterminated string literal");
        assert_eq!(err("x = \"abc\\"), "1:5: unterminated string literal");
        assert_eq!(err("x = \"a\\qb\""), "1:7: invalid escape sequence '\\q'");
        assert_eq!(err("\"\\xZ1\""), "1:2: invalid escape sequence '\\xZ'");
        assert_eq!(err("\"\\x4\""), "1:2: invalid escape sequence '\\x4'");
        assert_eq!(err("'ab'"), "1:1: invalid char literal");
        assert_eq!(err("''"), "1:1: invalid char literal");
        assert_eq!(err("'éa'"), "1:1: invalid char literal");
        assert_eq!(
            err("\"\\ud800\""),
            "1:2: escape '\\ud800' is not a Unicode scalar value (0..=0x10FFFF, no surrogate)"
        );
        assert_eq!(
            err("'\\U00110000'"),
            "1:2: escape '\\U00110000' is not a Unicode scalar value (0..=0x10FFFF, no surrogate)"
        );
        assert_eq!(err("\"\\u12\""), "1:2: invalid escape sequence '\\u12'");
        assert_eq!(err("x = 'a"), "1:5: unterminated char literal");
    }

    #[test]
    fn character_and_indentation_errors() {
        assert_eq!(err("x = $y"), "1:5: unexpected character '$'");
        assert_eq!(err("x = é"), "1:5: unexpected character 'é'");
        assert_eq!(err("x = `y"), "1:5: unexpected character '`'");
        assert_eq!(show("d = {1: [2]}"), "d = { 1 : [ 2 ] } NL");
        assert_eq!(err("x = a!b"), "1:6: unexpected character '!'");
        assert_eq!(err("if x:\n\ty\n"), "2:1: tabs are not allowed in indentation");
        assert_eq!(err("if x:\n  \ty\n"), "2:3: tabs are not allowed in indentation");
        assert_eq!(
            err("if x:\n    y\n  z\n"),
            "3:3: unindent does not match any outer indentation level"
        );
        // Tabs on blank lines and inside a line are harmless.
        assert_eq!(show("\t\nx\t=\t1\n"), "x = 1 NL");
    }

    #[test]
    fn crlf_line_endings() {
        assert_eq!(show("if x:\r\n    y\r\n"), show("if x:\n    y\n"));
    }
}
