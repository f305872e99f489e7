//! The residual code of fib's hot path (issue 18: "the residual code of the hot loops of
//! three of them (fib, a float loop, an attribute-heavy OO one) kept as golden files, showing
//! no boxing, no frame traffic, no dictionary lookups").
//!
//! The code: `fib`'s merge point compiled again with the cases met inline (the last graph
//! `eval_frame__merge*` in the log of `RPY_JIT_LOG=residual` with everything compiled, the one
//! that runs once the program is warm); the path: from its entry through the first direct
//! call of compiled code (`fib(n - 1)`), the second (`fib(n - 2)`), to the return of the sum,
//! each leg the shortest one in the graph's blocks. Addresses are written `ADDR`.
//!
//! The shape check: no dictionary or global lookup on the path (`ns_lookup`, `dict`: the
//! globals are promoted and the elidable lookup folds to the function), both calls direct
//! calls of compiled code (`jit_direct_calls`, not the interpreter's `eval_frame`). What it
//! still holds (7 December 2026), bounded here so that it cannot grow unseen: each call
//! allocates the callee's frame (`Frame`, its locals and its stack) and boxes its argument
//! into a `W_Int`, and the sum is boxed — at most 9 allocations on the path. The golden file
//! (`tests/residual/fib.txt`, rewritten with `BLESS=1`) shows the path itself.

mod support;

use std::collections::{BTreeMap, VecDeque};
use support::residual::{blocks, graphs, without_addresses, BlockText};

const FIB: &str = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\n\ndef main():\n    total = 0\n    for k in range(20, 23):\n        total += fib(k)\n    print(total)\n\n\nmain()\n";

/// The shortest path of blocks from block `from` to the first block (breadth first) other
/// than `from` that `stop` accepts; empty when none is reachable.
fn shortest_path(
    blocks: &[BlockText],
    from: &str,
    stop: impl Fn(&BlockText) -> bool,
) -> Vec<String> {
    let by_name: BTreeMap<&str, &BlockText> = blocks.iter().map(|b| (b.name.as_str(), b)).collect();
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    while let Some(b) = queue.pop_front() {
        let block = by_name[b];
        if b != from && stop(block) {
            let mut path = vec![b.to_string()];
            let mut at = b;
            while let Some(&p) = parent.get(at) {
                path.push(p.to_string());
                at = p;
            }
            path.reverse();
            return path;
        }
        for s in &block.succs {
            if s != from && !parent.contains_key(s.as_str()) && by_name.contains_key(s.as_str()) {
                parent.insert(s.as_str(), b);
                queue.push_back(s.as_str());
            }
        }
    }
    Vec::new()
}

fn calls_directly(b: &BlockText) -> bool {
    b.lines.iter().any(|l| l.contains("jit_direct_calls(1)"))
}

/// A block that leaves the graph with a value (not through the JIT's hook or a fallback).
fn returns_a_value(b: &BlockText) -> bool {
    let n = b.lines.len();
    let before = &b.lines[n.saturating_sub(2)];
    n >= 2
        && b.lines[n - 1].trim_start().starts_with("return ")
        && !before.contains("call")
        && !before.contains("jit_hook")
}

#[test]
fn fib_calls_compiled_code_without_lookups() {
    let (log, stdout) = support::jit_logged(FIB, "residual");
    assert_eq!(stdout, "35422\n");
    let merges = graphs(&log, "eval_frame__merge");
    let graph = *merges.last().expect("fib's merge point is compiled");
    let blocks = blocks(graph);
    let entry = blocks.first().expect("a block").name.clone();
    let first = shortest_path(&blocks, &entry, calls_directly);
    assert!(!first.is_empty(), "no direct call in fib's code:\n{graph}");
    let second = shortest_path(&blocks, first.last().unwrap(), calls_directly);
    assert!(!second.is_empty(), "no second direct call after the first:\n{graph}");
    let ret = shortest_path(&blocks, second.last().unwrap(), returns_a_value);
    assert!(!ret.is_empty(), "no return after the second call:\n{graph}");
    let mut path: Vec<String> = first;
    path.extend(second.into_iter().skip(1));
    path.extend(ret.into_iter().skip(1));
    let by_name: BTreeMap<&str, &BlockText> = blocks.iter().map(|b| (b.name.as_str(), b)).collect();
    let text = path
        .iter()
        .map(|n| by_name[n.as_str()].lines.iter().map(|l| format!("{l}\n")).collect::<String>())
        .collect::<Vec<String>>()
        .join("\n");
    let text = without_addresses(&text);
    for banned in ["ns_lookup", "dict", "call eval_frame(", "load_global"] {
        assert!(!text.contains(banned), "'{banned}' on fib's path:\n{text}");
    }
    assert_eq!(text.matches("call eval_frame__merge").count(), 2, "two direct calls:\n{text}");
    let allocations = text.matches("= malloc").count();
    assert!(allocations <= 9, "{allocations} allocations on fib's path:\n{text}");
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/residual/fib.txt");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&golden, &text).expect("write the golden file");
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    assert_eq!(text, want, "fib's path differs from {} (BLESS=1 rewrites it)", golden.display());
}
