//! The residual code of a float loop's hot loop (issue 18: "the residual code of the hot
//! loops ... kept as golden files, showing no boxing, no frame traffic, no dictionary
//! lookups"). The loop is the first compilation at the global merge point of `LOOP`'s `f`
//! (`RPY_JIT_LOG=residual`, everything compiled: `RPY_JIT_PAYOFF=off`); its blocks are those
//! on a cycle of the graph's gotos, branches and switches.
//!
//! The shape check: no allocation, no field or array access (the frame's locals and stack
//! stay in registers), no call in the loop; float arithmetic unboxed. The golden file
//! (`tests/residual/float_loop.txt`, rewritten with `BLESS=1`) shows the loop itself. What
//! it still holds (7 December 2026): the type tests of `n` and `y`, which do not change in
//! the loop, made again every iteration.

use std::collections::{BTreeMap, BTreeSet};

mod support;

const LOOP: &str = "def f(n):
    x = 0.0
    y = 1.5
    i = 0
    while i < n:
        x = x * 0.5 + y * 0.25
        i += 1
    return x
print(f(1000000))
";

/// The text of the first graph compiled at the merge point, and stdout.
fn merge_point_graph() -> (String, String) {
    let (stderr, stdout) = support::jit_logged(LOOP, "residual");
    let start = stderr
        .find("graph eval_frame__merge")
        .unwrap_or_else(|| panic!("no graph compiled at the merge point:\n{stderr}"));
    let end = stderr[start..].find("\n}").map_or(stderr.len(), |e| start + e + 2);
    (stderr[start..end].to_string(), stdout)
}

/// The blocks of a graph's text: name, lines, and the blocks its exit names.
fn blocks(graph: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for line in graph.lines() {
        if line.starts_with("block") {
            let name = line.split(['(', ':']).next().unwrap_or(line).to_string();
            out.push((name, vec![line.to_string()], Vec::new()));
        } else if let Some((_, lines, succs)) = out.last_mut() {
            lines.push(line.to_string());
            for word in line.split(|c: char| !c.is_ascii_alphanumeric()) {
                if word.starts_with("block") && word.len() > 5 {
                    succs.push(word.to_string());
                }
            }
        }
    }
    out
}

/// The names of the blocks on a cycle.
fn loop_blocks(blocks: &[(String, Vec<String>, Vec<String>)]) -> BTreeSet<String> {
    let succs: BTreeMap<&str, &Vec<String>> =
        blocks.iter().map(|(n, _, s)| (n.as_str(), s)).collect();
    let reaches_itself = |start: &str| {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = succs[start].iter().map(String::as_str).collect();
        while let Some(b) = stack.pop() {
            if b == start {
                return true;
            }
            if seen.insert(b) {
                stack.extend(succs.get(b).into_iter().flat_map(|s| s.iter().map(String::as_str)));
            }
        }
        false
    };
    blocks.iter().map(|(n, _, _)| n.clone()).filter(|n| reaches_itself(n)).collect()
}

#[test]
fn a_float_loop_runs_unboxed_without_frame_traffic() {
    let (graph, stdout) = merge_point_graph();
    assert_eq!(stdout, "0.75\n");
    let blocks = blocks(&graph);
    let in_loop = loop_blocks(&blocks);
    assert!(!in_loop.is_empty(), "no loop in the graph:\n{graph}");
    let text: String = blocks
        .iter()
        .filter(|(n, _, _)| in_loop.contains(n))
        .flat_map(|(_, lines, _)| lines.iter().map(|l| format!("{l}\n")))
        .collect();
    for banned in ["malloc", "getfield", "setfield", "getarrayitem", "setarrayitem", "call"] {
        assert!(!text.contains(banned), "'{banned}' in the loop:\n{text}");
    }
    for wanted in ["float_mul", "float_add", "int_lt"] {
        assert!(text.contains(wanted), "no '{wanted}' in the loop:\n{text}");
    }
    let golden =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/residual/float_loop.txt");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, &text).expect("write the golden file");
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(text, want, "the loop differs from {} (BLESS=1 rewrites it)", golden.display());
}
