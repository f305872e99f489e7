//! Coloured graphs, as text (for golden tests and `RPY_JIT_LOG=colours` logs) and as Graphviz.
//!
//! Text form: one section per specialisation, `spec3 name(green*, red) -> red`, then each block
//! reached with its parameters' abstract values, each op prefixed by its result's abstract
//! value (`green`, `green*` frozen, `red`, `red+class`), or by `red` for residual effects and
//! `-` for the merge point; followed and residual calls are marked; branch and switch exits
//! are prefixed by the colour of the value they test.

use crate::analyse::{Analysis, CallKind, Spec, SpecIdx};
use rpy_ir::ir::{Aux, Exit, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::text::GraphPrinter;
use std::fmt::Write;

/// The whole analysis as text: every specialisation, portal first.
pub fn colours_text(a: &Analysis) -> String {
    let mut out = String::new();
    for (s, _) in a.specs.iter() {
        out.push_str(&spec_text(a, s));
        out.push('\n');
    }
    out
}

fn abs_name(spec: &Spec, v: Var) -> String {
    spec.vars[v].map_or("unreached".to_string(), |a| a.to_string())
}

/// One specialisation as text.
pub fn spec_text(a: &Analysis, s: SpecIdx) -> String {
    let spec = &a.specs[s];
    let g = &a.program.graphs[spec.graph];
    let printer = GraphPrinter::new(a.program, g);
    let mut out = String::new();
    let args: Vec<String> = spec.args.iter().map(|x| x.to_string()).collect();
    let ret = spec.ret.map_or("void".to_string(), |r| r.to_string());
    let portal = if s == a.portal { "  [portal]" } else { "" };
    let _ = writeln!(out, "{s} {}({}) -> {ret}{portal}", g.name, args.join(", "));
    for (b, data) in g.blocks.iter() {
        if !spec.reached.contains(b) {
            let _ = writeln!(out, "{b}: not reached");
            continue;
        }
        let params: Vec<String> =
            data.params.iter().map(|p| format!("{p}: {}", abs_name(spec, *p))).collect();
        let lh = if spec.loop_headers.contains(&b) { "  ; loop header" } else { "" };
        let _ = writeln!(out, "{b}({}):{lh}", params.join(", "));
        for &op in &data.ops {
            let od = &g.ops[op];
            let marker = match (od.result, &od.opcode, &od.aux) {
                (Some(r), _, _) => abs_name(spec, r),
                (None, Opcode::Hint, Aux::Hint(f)) if f.global_merge_point => "-".to_string(),
                (None, _, _) => "red".to_string(),
            };
            let call = match spec.calls.get(&op) {
                Some(CallKind::Follow(c)) => format!("  ; follow {c}"),
                Some(CallKind::Residual) => "  ; residual".to_string(),
                Some(CallKind::Elidable) => "  ; elidable".to_string(),
                Some(CallKind::Indirect) => {
                    let targets: Vec<String> = spec.indirect[&op]
                        .iter()
                        .map(|(g, k)| match k {
                            CallKind::Follow(c) => format!("{} {c}", a.program.graphs[*g].name),
                            CallKind::Elidable => format!("{} elidable", a.program.graphs[*g].name),
                            _ => format!("{} residual", a.program.graphs[*g].name),
                        })
                        .collect();
                    format!("  ; indirect: {}", targets.join(", "))
                }
                None => String::new(),
            };
            let _ = writeln!(out, "    {marker:<9} {}{call}", printer.op(op));
        }
        let tested = match &data.exit {
            Exit::Branch { cond, .. } => Some(*cond),
            Exit::Switch { value, .. } => Some(*value),
            _ => None,
        };
        let marker = tested.map_or(String::new(), |v| spec.value(v).colour_name().to_string());
        let _ = writeln!(out, "    {marker:<9} {}", printer.exit(b));
    }
    out
}

/// One specialisation as Graphviz DOT, green variables in green and red ones in red.
pub fn spec_dot(a: &Analysis, s: SpecIdx) -> String {
    let spec = &a.specs[s];
    let colour = |v: Var| -> Option<&'static str> {
        spec.vars[v].map(|x| if x.is_green() { "darkgreen" } else { "red3" })
    };
    rpy_ir::dot::graph_to_dot_with(a.program, spec.graph, &colour)
}
