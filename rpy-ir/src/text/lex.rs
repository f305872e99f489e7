//! The lexer of the text form: tokens with 1-based line:column positions.
//!
//! Newlines are tokens (they end ops and exits) except inside `(...)` and `[...]`, where lines
//! may be continued freely. `;` starts a comment that runs to the end of the line.

use super::TextError;

/// A token kind.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    /// An identifier (keywords are identifiers too).
    Ident(String),
    /// A decimal integer, possibly negative.
    Int(i64),
    /// A hexadecimal integer `0x...` (float bits).
    Hex(u64),
    /// A float literal, as its bits.
    Float(u64),
    /// A string literal, as bytes.
    Str(String),
    /// A char literal.
    Char(char),
    /// One of `( ) [ ] { } , : = . @ #`.
    Punct(char),
    /// `->`.
    Arrow,
    /// The end of a line.
    Newline,
    /// The end of the text.
    Eof,
}

/// A token and where it starts.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) line: u32,
    pub(super) col: u32,
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    line: u32,
    col: u32,
}

impl Lexer<'_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn offset(&mut self) -> usize {
        self.chars.peek().map_or(self.text.len(), |&(i, _)| i)
    }

    fn err(&self, message: impl Into<String>) -> TextError {
        TextError { line: self.line, col: self.col, message: message.into() }
    }

    /// A number starting at the current position (after an optional `-`, already at `start`).
    fn number(&mut self, start: usize) -> Result<Tok, TextError> {
        if self.text[self.offset()..].starts_with("0x") {
            self.bump();
            self.bump();
            let from = self.offset();
            while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                self.bump();
            }
            let to = self.offset();
            return u64::from_str_radix(&self.text[from..to], 16)
                .map(Tok::Hex)
                .map_err(|_| self.err("bad hexadecimal number"));
        }
        self.digits();
        let mut float = false;
        let rest = &self.text[self.offset()..];
        if rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
            float = true;
            self.bump();
            self.digits();
        }
        let rest = &self.text[self.offset()..];
        if let Some(exp) = rest.strip_prefix(['e', 'E']) {
            let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if exp.starts_with(|c: char| c.is_ascii_digit()) {
                float = true;
                let signs = rest.len() - exp.len();
                for _ in 0..signs {
                    self.bump();
                }
                self.digits();
            }
        }
        let lexeme = &self.text[start..self.offset()];
        if float {
            lexeme
                .parse::<f64>()
                .map(|f| Tok::Float(f.to_bits()))
                .map_err(|_| self.err("bad float"))
        } else {
            lexeme.parse::<i64>().map(Tok::Int).map_err(|_| self.err("integer out of range"))
        }
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
    }

    /// One (possibly escaped) code point of a string or char literal closed by `quote`.
    fn literal_char(&mut self, quote: char, out: &mut String) -> Result<(), TextError> {
        let Some(c) = self.bump() else {
            return Err(self.err("unterminated literal"));
        };
        if c == '\n' {
            return Err(self.err("unterminated literal"));
        }
        if c != '\\' {
            out.push(c);
            return Ok(());
        }
        let c = match self.bump() {
            Some('n') => '\n',
            Some('t') => '\t',
            Some('r') => '\r',
            Some('0') => '\0',
            Some('\\') => '\\',
            Some(q @ ('\'' | '"')) => q,
            Some(e @ ('x' | 'u' | 'U')) => {
                let digits = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let from = self.offset();
                for _ in 0..digits {
                    self.bump();
                }
                let to = self.offset();
                u32::from_str_radix(self.text.get(from..to).unwrap_or(""), 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| self.err(format!("bad \\{e} escape")))?
            }
            _ => return Err(self.err(format!("bad escape in {quote}-quoted literal"))),
        };
        out.push(c);
        Ok(())
    }
}

/// Splits `text` into tokens, ending with [`Tok::Eof`].
pub(super) fn lex(text: &str) -> Result<Vec<Token>, TextError> {
    let mut lx = Lexer { chars: text.char_indices().peekable(), text, line: 1, col: 1 };
    let mut out = Vec::new();
    let mut depth = 0usize;
    loop {
        let (line, col) = (lx.line, lx.col);
        let start = lx.offset();
        let Some(c) = lx.peek() else {
            out.push(Token { tok: Tok::Eof, line, col });
            return Ok(out);
        };
        let tok = match c {
            '\n' => {
                lx.bump();
                if depth > 0 {
                    continue;
                }
                Tok::Newline
            }
            c if c.is_whitespace() => {
                lx.bump();
                continue;
            }
            ';' => {
                while lx.peek().is_some_and(|c| c != '\n') {
                    lx.bump();
                }
                continue;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                while lx.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                    lx.bump();
                }
                Tok::Ident(text[start..lx.offset()].to_string())
            }
            c if c.is_ascii_digit() => lx.number(start)?,
            '-' => {
                lx.bump();
                let rest = &text[lx.offset()..];
                if lx.peek() == Some('>') {
                    lx.bump();
                    Tok::Arrow
                } else if lx.peek().is_some_and(|c| c.is_ascii_digit()) {
                    lx.number(start)?
                } else if rest.starts_with("inf")
                    && !rest[3..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                {
                    for _ in 0..3 {
                        lx.bump();
                    }
                    Tok::Float(f64::NEG_INFINITY.to_bits())
                } else {
                    return Err(TextError { line, col, message: "unexpected `-`".into() });
                }
            }
            '"' => {
                lx.bump();
                let mut text = String::new();
                while lx.peek() != Some('"') {
                    if matches!(lx.peek(), None | Some('\n')) {
                        return Err(TextError { line, col, message: "unterminated string".into() });
                    }
                    lx.literal_char('"', &mut text)?;
                }
                lx.bump();
                Tok::Str(text)
            }
            '\'' => {
                lx.bump();
                let mut text = String::new();
                lx.literal_char('\'', &mut text)?;
                let mut chars = text.chars();
                let (Some(c), None, Some('\'')) = (chars.next(), chars.next(), lx.bump()) else {
                    return Err(TextError { line, col, message: "bad char literal".into() });
                };
                Tok::Char(c)
            }
            '(' | '[' | '{' | ')' | ']' | '}' | ',' | ':' | '=' | '.' | '@' | '#' => {
                lx.bump();
                match c {
                    '(' | '[' => depth += 1,
                    ')' | ']' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                Tok::Punct(c)
            }
            other => {
                return Err(TextError {
                    line,
                    col,
                    message: format!("unexpected character {other:?}"),
                })
            }
        };
        out.push(Token { tok, line, col });
    }
}
