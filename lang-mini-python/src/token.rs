//! Tokens: what the lexer hands the parser.
//!
//! Vocabulary: a `Token` is a `Tok` with its start and end (1-based line, 0-based character
//! column, the end exclusive), as CPython's tokenizer positions them. Keywords are `Name`
//! tokens (the parser knows the keyword set, `KEYWORDS`); operators and delimiters are `Op`
//! with their text. String literals keep their raw body: the parser decodes escapes and
//! f-strings, so their errors point into the literal. Integer literals are exact
//! (`IntValue`), whatever their size.

use std::fmt;

/// Python's reserved words (3.11), which the parser treats as keywords.
pub const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Is `name` a reserved word?
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// An exact integer value: a machine word when it fits, else its decimal digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntValue {
    /// Fits an `i64`.
    Small(i64),
    /// Does not fit: the decimal digits (of a non-negative value unless it starts with '-').
    Big(String),
}

impl fmt::Display for IntValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntValue::Small(v) => write!(f, "{v}"),
            IntValue::Big(s) => f.write_str(s),
        }
    }
}

/// A string literal as written: its prefix flags and the raw text between the quotes.
#[derive(Clone, Debug, PartialEq)]
pub struct StrLit {
    /// `r` prefix: backslashes are literal.
    pub raw: bool,
    /// `f` prefix: an f-string.
    pub fstring: bool,
    /// `b` prefix: a bytes literal (decoded by `parser::bytestrings`).
    pub bytes: bool,
    /// The characters between the opening and closing quotes, undecoded.
    pub body: String,
    /// Line of the body's first character.
    pub body_line: u32,
    /// Column of the body's first character.
    pub body_col: u32,
}

/// A token's kind and value.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// An identifier or keyword.
    Name(String),
    /// An integer literal.
    Int(IntValue),
    /// A float literal.
    Float(f64),
    /// An imaginary literal (decoded by `parser::bytestrings`).
    Imaginary,
    /// A string literal.
    Str(Box<StrLit>),
    /// An operator or delimiter.
    Op(&'static str),
    /// The end of a logical line.
    Newline,
    /// An increase of indentation.
    Indent,
    /// A decrease of indentation.
    Dedent,
    /// The end of the input.
    EndMarker,
    /// Where tokenizing stopped on an error (`lexer::tokenize_partial`).
    Error,
}

/// A token with its source span.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// The token.
    pub tok: Tok,
    /// Start line (1-based).
    pub line: u32,
    /// Start column (0-based characters).
    pub col: u32,
    /// End line.
    pub end_line: u32,
    /// End column (exclusive).
    pub end_col: u32,
}

impl Token {
    /// Is this the operator or delimiter `op`?
    pub fn is_op(&self, op: &str) -> bool {
        matches!(&self.tok, Tok::Op(o) if *o == op)
    }

    /// Is this the keyword (or name) `kw`?
    pub fn is_name(&self, kw: &str) -> bool {
        matches!(&self.tok, Tok::Name(n) if n == kw)
    }
}
