//! Small ints stay machine words: in the interpreter's IR, `int_binop` (the `W_Int` x `W_Int`
//! arithmetic of `binop`) adds, subtracts and multiplies with the overflow-checking ops, and
//! the branch that did not overflow boxes the word and returns with no call at all; only the
//! overflow exit reaches the big-int code (`long_binop` over the `big_*` externs). So the
//! JIT's fast path is `int_*_ovf` and a guard, never an extern call.

use std::collections::{BTreeMap, BTreeSet};

use lang_mini_python::host::Interpreter;
use rpy_ir::text::print_graph;

/// The graph's text as block name -> its lines.
fn blocks(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines() {
        if line.starts_with("block") {
            let name = line.split('(').next().unwrap().to_string();
            out.insert(name.clone(), Vec::new());
            current = Some(name);
        } else if let (Some(name), false) = (&current, line.trim().is_empty()) {
            out.get_mut(name).unwrap().push(line.trim().to_string());
        }
    }
    out
}

/// The blocks a line names (`block12(v3)` -> `block12`).
fn targets(line: &str) -> Vec<String> {
    line.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.starts_with("block") && w[5..].chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// Whether some block reachable from `start` has a line containing `needle`.
fn reaches(bs: &BTreeMap<String, Vec<String>>, start: &str, needle: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut todo = vec![start.to_string()];
    while let Some(b) = todo.pop() {
        if !seen.insert(b.clone()) {
            continue;
        }
        for line in &bs[&b] {
            if line.contains(needle) {
                return true;
            }
            todo.extend(targets(line));
        }
    }
    false
}

#[test]
fn int_binop_calls_big_ints_only_on_overflow() {
    let interp = Interpreter::compile().expect("the interpreter compiles");
    let program = interp.rpy_program();
    let g = program.graph_by_name("int_binop").expect("int_binop is in the program");
    let text = print_graph(program, g);
    let bs = blocks(&text);
    let mut checked = BTreeSet::new();
    for lines in bs.values() {
        for (i, line) in lines.iter().enumerate() {
            let Some(op) = ["int_add_ovf", "int_sub_ovf", "int_mul_ovf"]
                .into_iter()
                .find(|op| line.contains(&format!("= {op} v0, v2")))
            else {
                continue;
            };
            let branch = &lines[i + 1];
            assert!(branch.starts_with("branch"), "{op} is followed by its branch: {text}");
            let t = targets(branch);
            let (overflow, fast) = (&t[0], &t[1]);
            let fast_lines = &bs[fast];
            assert!(
                fast_lines.iter().all(|l| !l.contains("call")),
                "{op}: the fast path calls nothing: {fast_lines:?}"
            );
            assert!(
                fast_lines.iter().any(|l| l.contains("malloc W_Int"))
                    && fast_lines.last().is_some_and(|l| l.starts_with("return")),
                "{op}: the fast path boxes the word and returns: {fast_lines:?}"
            );
            assert!(
                reaches(&bs, overflow, "call long_binop"),
                "{op}: the overflow exit redoes the operation on big ints: {text}"
            );
            checked.insert(op);
        }
    }
    assert_eq!(checked.len(), 3, "add, sub and mul found in int_binop: {text}");
}
