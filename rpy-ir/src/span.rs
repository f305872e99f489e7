//! Source positions and source-located diagnostics.
//!
//! Every op and block of a flow graph keeps a [`Span`] so that any later error (type error,
//! verifier failure, runtime error in the IR interpreter or in compiled code) can point at the
//! RPy source line it came from. A span is deliberately small (`Copy`, 12 bytes): file index,
//! 1-based line and column. Line 0 means "no source position" (graphs parsed from IR text).

use std::fmt;

/// A position in a source file: file index into a [`SourceMap`], 1-based line and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// Index of the file in the program's [`SourceMap`].
    pub file: u32,
    /// 1-based line; 0 when the position is unknown.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

impl Span {
    /// The span of something that has no source position.
    pub const UNKNOWN: Span = Span { file: 0, line: 0, col: 0 };

    /// A span at `line:col` of file `file`.
    pub fn new(file: u32, line: u32, col: u32) -> Span {
        Span { file, line, col }
    }

    /// Whether this span names a real source position.
    pub fn is_known(self) -> bool {
        self.line != 0
    }
}

/// One source file: its name as given by the user and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path or name used in messages.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// The source files of a program, indexed by [`Span::file`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// Adds a file and returns its index.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> u32 {
        self.files.push(SourceFile { name: name.into(), text: text.into() });
        (self.files.len() - 1) as u32
    }

    /// The file with index `file`, if any.
    pub fn file(&self, file: u32) -> Option<&SourceFile> {
        self.files.get(file as usize)
    }

    /// `file:line:col` for a span (or `<unknown>` when the span has no position).
    pub fn location(&self, span: Span) -> String {
        match (span.is_known(), self.file(span.file)) {
            (true, Some(f)) => format!("{}:{}:{}", f.name, span.line, span.col),
            (true, None) => format!("<input>:{}:{}", span.line, span.col),
            _ => "<unknown>".to_string(),
        }
    }

    /// The text of the line a span points at, without its newline.
    pub fn line_text(&self, span: Span) -> Option<&str> {
        if !span.is_known() {
            return None;
        }
        self.file(span.file)?.text.lines().nth(span.line as usize - 1)
    }

    /// The excerpt shown under a message about `span`: its source line indented, then a caret
    /// under the column, each line ending in a newline; `None` when the span has no source
    /// line. A line wider than [`EXCERPT_WIDTH`] is clipped to that many characters around
    /// the column, `...` marking each cut (a generated source may hold one huge line).
    pub fn excerpt(&self, span: Span) -> Option<String> {
        let line: Vec<char> = self.line_text(span)?.chars().collect();
        let col = (span.col.saturating_sub(1) as usize).min(line.len());
        let (mut start, mut end) = (0, line.len());
        if line.len() > EXCERPT_WIDTH {
            start = col.saturating_sub(EXCERPT_WIDTH / 2);
            end = (start + EXCERPT_WIDTH).min(line.len());
            start = end - EXCERPT_WIDTH;
        }
        let (open, close) =
            (if start > 0 { "..." } else { "" }, if end < line.len() { "..." } else { "" });
        let shown: String = line[start..end].iter().collect();
        // Tabs stay tabs in the padding so that the caret lines up however they are shown.
        let pad: String = " ".repeat(open.len())
            + &line[start..col]
                .iter()
                .map(|&c| if c == '\t' { '\t' } else { ' ' })
                .collect::<String>();
        Some(format!("    {open}{shown}{close}\n    {pad}^\n"))
    }
}

/// The most characters of a source line a diagnostic shows (see [`SourceMap::excerpt`]).
pub const EXCERPT_WIDTH: usize = 120;

/// An error located in RPy source: rendered as `file:line:col: error: message`, then the
/// source line and a caret under the column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the error is.
    pub span: Span,
    /// What is wrong, in one line.
    pub message: String,
    /// Extra located lines (`note: ...`), e.g. the dependency that makes a hint impossible.
    pub notes: Vec<(Span, String)>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn new(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic { span, message: message.into(), notes: Vec::new() }
    }

    /// Adds a located note.
    pub fn with_note(mut self, span: Span, note: impl Into<String>) -> Diagnostic {
        self.notes.push((span, note.into()));
        self
    }

    /// The full text: header line, source excerpt with caret, then notes the same way.
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        render_one(&mut out, sources, self.span, "error", &self.message);
        for (span, note) in &self.notes {
            render_one(&mut out, sources, *span, "note", note);
        }
        out
    }
}

fn render_one(out: &mut String, sources: &SourceMap, span: Span, kind: &str, message: &str) {
    use std::fmt::Write;
    let _ = writeln!(out, "{}: {kind}: {message}", sources.location(span));
    if let Some(excerpt) = sources.excerpt(span) {
        out.push_str(&excerpt);
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: error: {}", self.span.line, self.span.col, self.message)
    }
}

/// Several diagnostics, rendered against their sources: what the front end returns.
#[derive(Clone, Debug)]
pub struct Diagnostics {
    /// The errors, in source order.
    pub errors: Vec<Diagnostic>,
    /// The sources they point into.
    pub sources: SourceMap,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.errors {
            f.write_str(&d.render(&self.sources))?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(line: &str, col: u32) -> String {
        let mut sources = SourceMap::default();
        let file = sources.add("f.rpy", format!("first\n{line}\nlast\n"));
        sources.excerpt(Span::new(file, 2, col)).unwrap()
    }

    #[test]
    fn short_lines_are_shown_whole() {
        assert_eq!(excerpt("x = y + z", 5), "    x = y + z\n        ^\n");
        assert_eq!(excerpt("\tx = 1", 2), "    \tx = 1\n    \t^\n");
    }

    #[test]
    fn long_lines_are_clipped_around_the_column() {
        let line = format!("{}@{}", "a".repeat(200_000), "b".repeat(200_000));
        let text = excerpt(&line, 200_001);
        let (shown, caret) = text.split_once('\n').unwrap();
        assert!(shown.len() <= 4 + 3 + EXCERPT_WIDTH + 3, "{} chars", shown.len());
        assert!(shown.starts_with("    ...a") && shown.ends_with("b..."), "{shown}");
        assert_eq!(caret.find('^'), shown.find('@'), "{shown}\n{caret}");
        // At either end, one cut only, and the caret still under its character.
        let start = excerpt(&line, 1);
        assert!(start.starts_with("    aaa") && start.contains("a...\n    ^\n"), "{start}");
        let end = excerpt(&line, 400_001);
        let (shown, caret) = end.split_once('\n').unwrap();
        assert!(shown.starts_with("    ...") && shown.ends_with('b'));
        assert_eq!(caret.find('^'), Some(shown.len() - 1));
    }
}
