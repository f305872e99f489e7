//! Graphviz export of a flow graph.
//!
//! Format: a `digraph` with one node per block, named like the block (`block3`), whose
//! HTML-like label is a table: the block header on the first row, then its ops and exit, one
//! per line, in the text syntax of [`crate::text`] (HTML-escaped). One edge per exit target,
//! labelled `true`/`false` for branches and with the case value or `default` for switches
//! (gotos are unlabelled). Variables can be coloured (`<font color="...">`): the hint analysis
//! shows green and red variables this way. The output is deterministic: blocks and edges in
//! layout order.

use crate::ir::{Block, Const, Exit, Graph, GraphIdx, Program, Value, Var};
use crate::text::{case_label, GraphPrinter, Sink};
use crate::types::Ty;
use std::fmt::Write;

/// The graph as a Graphviz `digraph`, without colours.
pub fn graph_to_dot(program: &Program, graph: GraphIdx) -> String {
    graph_to_dot_with(program, graph, &|_| None)
}

/// The graph as a Graphviz `digraph`, with every variable for which `var_color` gives a
/// colour (a Graphviz colour name or `#rrggbb`) drawn in that colour.
pub fn graph_to_dot_with(
    program: &Program,
    graph: GraphIdx,
    var_color: &dyn Fn(Var) -> Option<&'static str>,
) -> String {
    let g = &program.graphs[graph];
    let printer = GraphPrinter::new(program, g);
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&g.name));
    out.push_str("    node [shape=plaintext, fontname=\"monospace\"];\n");
    out.push_str("    edge [fontname=\"monospace\"];\n");
    for b in g.blocks.keys() {
        let mut label = HtmlSink { out: String::new(), var_color };
        label.out.push_str("<table border=\"0\" cellborder=\"1\" cellspacing=\"0\">");
        label.out.push_str("<tr><td align=\"left\" balign=\"left\"><b>");
        printer.write_block_header(&mut label, b);
        if b == g.entry {
            label.out.push_str(" (entry)");
        }
        label.out.push_str("</b></td></tr><tr><td align=\"left\" balign=\"left\">");
        printer.write_block_body(&mut label, b, "");
        // `write_block_body` ends every line with a newline: the last one is not a break.
        let body = label.out.trim_end_matches("<br/>").to_string();
        let _ = writeln!(out, "    {b} [label=<{body}</td></tr></table>>];");
    }
    for (b, data) in g.blocks.iter() {
        for (target, label) in edges(g, &data.exit) {
            match label {
                Some(l) => {
                    let _ = writeln!(out, "    {b} -> {target} [label={}];", quote(&l));
                }
                None => {
                    let _ = writeln!(out, "    {b} -> {target};");
                }
            }
        }
    }
    out.push_str("}\n");
    out
}

/// The edges out of a block: target and label.
fn edges(g: &Graph, exit: &Exit) -> Vec<(Block, Option<String>)> {
    match exit {
        Exit::Goto(t) => vec![(t.block, None)],
        Exit::Branch { if_true, if_false, .. } => {
            vec![(if_true.block, Some("true".into())), (if_false.block, Some("false".into()))]
        }
        Exit::Switch { value, cases, default } => {
            let chars = match value {
                Value::Var(v) => g.vars.get(*v).is_some_and(|d| d.ty == Ty::Char),
                Value::Const(c) => matches!(c, Const::Char(_)),
            };
            cases
                .iter()
                .map(|(c, t)| (t.block, Some(case_label(*c, chars))))
                .chain([(default.block, Some("default".into()))])
                .collect()
        }
        Exit::Return(_) => Vec::new(),
    }
}

/// A DOT double-quoted string.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Collects printer output as the inside of an HTML-like label.
struct HtmlSink<'a> {
    out: String,
    var_color: &'a dyn Fn(Var) -> Option<&'static str>,
}

impl Sink for HtmlSink<'_> {
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' => self.out.push_str("&quot;"),
                '\n' => self.out.push_str("<br/>"),
                // Graphviz collapses runs of spaces; keep the printer's indentation.
                ' ' if self.out.ends_with(' ') || self.out.ends_with("&#160;") => {
                    self.out.push_str("&#160;")
                }
                c => self.out.push(c),
            }
        }
    }

    fn var(&mut self, v: Var) {
        match (self.var_color)(v) {
            Some(color) => {
                let _ = write!(self.out, "<font color=\"{}\">{v}</font>", color.replace('"', ""));
            }
            None => {
                let _ = write!(self.out, "{v}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::parse_program;
    use cranelift_entity::EntityRef;

    const TEXT: &str = r#"graph g(int, char) -> int {
block0(v0: int, v1: char):
    v2 = int_lt v0, 0
    branch v2, block1(), block2(v1)

block1():
    v5 = call_indirect fn(int, char) -> int @g(1, '<')
    goto block3(v5)

block2(v3: char):
    switch v3, ['a': block3(2), '"': block3(3)], default block3(v0)

block3(v4: int):
    return v4
}
"#;

    /// Checks that a label uses only the tags the exporter writes and escapes everything else.
    fn assert_well_formed(label: &str) {
        let allowed =
            ["table", "/table", "tr", "/tr", "td", "/td", "b", "/b", "br/", "font", "/font"];
        let mut rest = label;
        while let Some(open) = rest.find('<') {
            assert!(!rest[..open].contains('>'), "stray `>` in {label}");
            let close = open + rest[open..].find('>').expect("unclosed tag");
            let name = rest[open + 1..close].split(' ').next().unwrap();
            assert!(allowed.contains(&name), "unexpected tag <{name}> in {label}");
            rest = &rest[close + 1..];
        }
        assert!(!rest.contains('>'), "stray `>` in {label}");
    }

    #[test]
    fn every_block_and_edge() {
        let p = parse_program(TEXT).unwrap();
        let dot = graph_to_dot(&p, GraphIdx::new(0));
        assert!(dot.starts_with("digraph \"g\" {\n"), "{dot}");
        assert!(dot.ends_with("}\n"));
        for b in 0..4 {
            let line = dot
                .lines()
                .find(|l| l.starts_with(&format!("    block{b} [label=<")))
                .expect("node");
            let label = line
                .strip_prefix(&format!("    block{b} [label=<"))
                .unwrap()
                .strip_suffix(">];")
                .unwrap();
            assert_well_formed(label);
        }
        for edge in [
            "block0 -> block1 [label=\"true\"];",
            "block0 -> block2 [label=\"false\"];",
            "block1 -> block3;",
            "block2 -> block3 [label=\"'a'\"];",
            "block2 -> block3 [label=\"'\\\"'\"];",
            "block2 -> block3 [label=\"default\"];",
        ] {
            assert!(dot.contains(edge), "missing {edge} in\n{dot}");
        }
        assert_eq!(dot.matches(" -> block").count(), 6);
        assert!(dot.contains("<b>block0(v0: int, v1: char): (entry)</b>"), "{dot}");
        assert!(
            dot.contains("v2 = int_lt v0, 0<br/>branch v2, block1(), block2(v1)</td>"),
            "{dot}"
        );
        assert!(dot.contains("call_indirect fn(int, char) -&gt; int @g(1, '&lt;')"), "{dot}");
        assert!(
            dot.contains("switch v3, ['a': block3(2), '&quot;': block3(3)], default block3(v0)"),
            "{dot}"
        );
    }

    #[test]
    fn variables_are_coloured() {
        let p = parse_program(TEXT).unwrap();
        let colour = |v: Var| match v.index() {
            0 => Some("green"),
            2 => Some("red"),
            _ => None,
        };
        let dot = graph_to_dot_with(&p, GraphIdx::new(0), &colour);
        assert!(dot.contains("<font color=\"green\">v0</font>: int, v1: char"), "{dot}");
        assert!(
            dot.contains(
                "<font color=\"red\">v2</font> = int_lt <font color=\"green\">v0</font>, 0"
            ),
            "{dot}"
        );
        assert!(dot.contains("branch <font color=\"red\">v2</font>, block1()"), "{dot}");
        for line in dot.lines().filter(|l| l.contains("[label=<")) {
            let label = line.split_once("[label=<").unwrap().1.strip_suffix(">];").unwrap();
            assert_well_formed(label);
        }
    }
}
