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

use support::residual::{blocks, graphs, BlockText};

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
    let graph = *graphs(&stderr, "eval_frame__merge")
        .first()
        .unwrap_or_else(|| panic!("no graph compiled at the merge point:\n{stderr}"));
    (graph.to_string(), stdout)
}

/// The names of the blocks on a cycle.
fn loop_blocks(blocks: &[BlockText]) -> BTreeSet<String> {
    let succs: BTreeMap<&str, &Vec<String>> =
        blocks.iter().map(|b| (b.name.as_str(), &b.succs)).collect();
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
    blocks.iter().map(|b| b.name.clone()).filter(|n| reaches_itself(n)).collect()
}

#[test]
fn a_float_loop_runs_unboxed_without_frame_traffic() {
    let (graph, stdout) = merge_point_graph();
    assert_eq!(stdout, "0.75\n");
    let blocks = blocks(&graph);
    let in_loop = loop_blocks(&blocks);
    assert!(!in_loop.is_empty(), "no loop in the graph:\n{graph}");
    // Each block's lines, then the blank line that parts blocks in the log.
    let text: String = blocks
        .iter()
        .filter(|b| in_loop.contains(&b.name))
        .map(|b| b.lines.iter().map(|l| format!("{l}\n")).collect::<String>() + "\n")
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
