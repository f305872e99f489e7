//! Syntax errors, reported exactly as CPython 3.11 prints them.
//!
//! Vocabulary: a `SyntaxError` carries CPython's attributes — the exception class
//! (`ErrorKind`: `SyntaxError`, `IndentationError`, `TabError`), the message, the 1-based
//! `line`, the 1-based character `offset` and the `end_offset` (0 when CPython has none)
//! — and the source line it points into. `render` reproduces CPython's `print_error_text`:
//! the line with leading spaces, tabs and form feeds stripped, the caret moved left by as
//! many characters, one caret or `end_offset - offset` of them, no caret when it would fall
//! left of the text.
//!
//! Errors that are not CPython's (a construct outside mini-Python's subset) use the same
//! format with the class `SyntaxError` and a message that names the construct.

use std::fmt;

/// The exception class of a compile-time error, as CPython names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// `SyntaxError`.
    Syntax,
    /// `IndentationError` (a subclass of SyntaxError in CPython).
    Indentation,
    /// `TabError` (inconsistent tabs and spaces).
    Tab,
    /// `RecursionError` (an expression nested too deeply to compile); CPython reports it
    /// without a location.
    Recursion,
}

impl ErrorKind {
    /// The class name CPython prints.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "SyntaxError",
            ErrorKind::Indentation => "IndentationError",
            ErrorKind::Tab => "TabError",
            ErrorKind::Recursion => "RecursionError",
        }
    }
}

/// A compile-time error at a source position, with CPython's attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// The exception class.
    pub kind: ErrorKind,
    /// The message after `SyntaxError: `.
    pub msg: String,
    /// 1-based line number.
    pub line: u32,
    /// 1-based character offset of the start (0: none).
    pub offset: i64,
    /// 1-based line of the end.
    pub end_line: u32,
    /// 1-based character offset just past the end (0 or -1: none).
    pub end_offset: i64,
    /// The text of the line the error points into (with its newline, as CPython keeps
    /// it), if any.
    pub text: Option<String>,
}

impl SyntaxError {
    /// A `SyntaxError` spanning columns `col..end_col` (0-based characters) of `line`.
    pub fn new(msg: impl Into<String>, line: u32, col: u32, end_col: u32) -> Self {
        SyntaxError {
            kind: ErrorKind::Syntax,
            msg: msg.into(),
            line,
            offset: col as i64 + 1,
            end_line: line,
            end_offset: end_col as i64 + 1,
            text: None,
        }
    }

    /// A `SyntaxError` spanning `pos` (which may end on a later line).
    pub fn spanning(msg: impl Into<String>, pos: crate::ast::Pos) -> Self {
        let mut e = SyntaxError::new(msg, pos.line, pos.col, pos.end_col);
        e.end_line = pos.end_line;
        e
    }

    /// The same error with another exception class.
    pub fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    /// Fills in the source line from `source` when it is not set yet.
    pub fn with_source(mut self, source: &str) -> Self {
        if self.text.is_none() && self.line >= 1 {
            self.text = source
                .split_inclusive('\n')
                .nth(self.line as usize - 1)
                .map(|l| l.replace('\r', ""));
        }
        self
    }

    /// The report CPython writes to stderr for this error raised while compiling `filename`
    /// (`print_exception` and `print_error_text` of CPython 3.11's `pythonrun.c`: only an
    /// exact `SyntaxError` uses its end position; a span over several lines is cut at the
    /// end of the first; the caret never goes past the line).
    pub fn render(&self, filename: &str) -> String {
        if self.kind == ErrorKind::Recursion {
            return format!("RecursionError: {}\n", self.msg);
        }
        let mut out = format!("  File \"{}\", line {}\n", filename, self.line);
        if let Some(text) = &self.text {
            let line_size = text.chars().count() as i64;
            let mut end_offset = if self.kind == ErrorKind::Syntax { self.end_offset } else { -1 };
            if self.kind == ErrorKind::Syntax && self.end_line > self.line {
                end_offset = line_size;
            }
            if end_offset > line_size + 1 {
                end_offset = line_size + 1;
            }
            out.push_str(&render_text(text, self.offset, end_offset));
        }
        out.push_str(&format!("{}: {}\n", self.kind.name(), self.msg));
        out
    }
}

/// CPython's `print_error_text`: the stripped line and its caret line.
fn render_text(text: &str, offset: i64, end_offset: i64) -> String {
    let carets = if end_offset > 0 && end_offset > offset { end_offset - offset } else { 1 };
    let chars: Vec<char> = text.chars().collect();
    let strip = chars.iter().take_while(|c| matches!(c, ' ' | '\t' | '\x0c')).count();
    let mut body: &[char] = &chars[strip..];
    let mut offset = offset - 1 - strip as i64;
    let mut len = body.len() as i64;
    if body.last() == Some(&'\n') {
        len -= 1;
    }
    offset = offset.min(len);
    // skip past newlines embedded in the text
    while let Some(nl) = body.iter().position(|&c| c == '\n') {
        let inl = nl as i64;
        if inl >= offset {
            break;
        }
        body = &body[nl + 1..];
        len -= inl + 1;
        offset -= inl + 1;
    }
    let shown: String = body.iter().collect();
    let mut out = format!("    {shown}");
    if body.get(len.max(0) as usize) != Some(&'\n') {
        out.push('\n');
    }
    if offset < 0 {
        return out;
    }
    out.push_str("    ");
    out.push_str(&" ".repeat(offset as usize));
    out.push_str(&"^".repeat(carets as usize));
    out.push('\n');
    out
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} (line {})", self.kind.name(), self.msg, self.line)
    }
}

impl std::error::Error for SyntaxError {}

/// A result whose error is a `SyntaxError`.
pub type PResult<T> = Result<T, SyntaxError>;
