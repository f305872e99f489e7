//! The residual code of a loop calling a small function (issue 18: "frames virtual across
//! calls"; timeshift's `rainbow/portal_inline`): everything hot compiled
//! (`support::jit_logged`, `RPY_JIT_LOG=residual`), the guest call is inlined into the
//! caller's loop, so the loop allocates no `Frame` for the callee and makes no direct portal
//! call (`jit_direct_calls` brackets one) — what a loop of the same program does with
//! inlining off (`RPY_JIT_INLINE=0`: this test then fails).
//!
//! The loop: the blocks of a compiled graph (`eval_frame__merge*`, `__entry*`, `__case*`)
//! that reach themselves through the graph's edges. Guard-failure blocks leave the loop (they
//! return), so what is checked is the code run every iteration.

mod support;

use support::residual::{blocks, graphs};

const CALL_LOOP: &str = "def f(a, b):
    return a * 2 + b

def main(n):
    s = 0
    i = 0
    while i < n:
        s = s + f(i, 1)
        i += 1
    return s
print(main(300000))
";

/// The lines of the blocks of `graph` that lie on a cycle of its edges.
fn loop_lines(graph: &str) -> Vec<String> {
    let bs = blocks(graph);
    let index = |name: &str| bs.iter().position(|b| b.name == name);
    let reaches_itself = |start: usize| {
        let mut seen = vec![false; bs.len()];
        let mut stack: Vec<usize> = bs[start].succs.iter().filter_map(|s| index(s)).collect();
        while let Some(b) = stack.pop() {
            if b == start {
                return true;
            }
            if !std::mem::replace(&mut seen[b], true) {
                stack.extend(bs[b].succs.iter().filter_map(|s| index(s)));
            }
        }
        false
    };
    (0..bs.len()).filter(|&b| reaches_itself(b)).flat_map(|b| bs[b].lines.clone()).collect()
}

#[test]
fn a_loop_calling_a_small_function_allocates_no_frame_and_calls_nothing() {
    let (stderr, stdout) = support::jit_logged(CALL_LOOP, "residual");
    assert_eq!(stdout, "89999850000\n");
    let compiled: Vec<&str> = ["eval_frame__merge", "eval_frame__entry", "eval_frame__case"]
        .iter()
        .flat_map(|p| graphs(&stderr, p))
        .collect();
    let loops: Vec<Vec<String>> =
        compiled.iter().map(|g| loop_lines(g)).filter(|l| !l.is_empty()).collect();
    assert!(!loops.is_empty(), "no loop in the compiled code:\n{stderr}");
    for lines in &loops {
        let text = lines.join("\n");
        for banned in ["malloc Frame", "jit_direct_calls"] {
            assert!(!text.contains(banned), "'{banned}' in the loop:\n{text}");
        }
    }
}
