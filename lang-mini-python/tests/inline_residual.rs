//! The residual code of a loop calling a small function (issue 18: "frames virtual across
//! calls"; timeshift's `rainbow/portal_inline`): everything hot compiled
//! (`RPY_JIT_PAYOFF=off`, `RPY_JIT_LOG=residual`) and guest calls inlined
//! (`RPY_JIT_INLINE=2`; off by default), the guest call is inlined into the caller's loop,
//! so the loop allocates no `Frame` for the callee and makes no direct portal call
//! (`jit_direct_calls` brackets one) — which a loop of the same program does with inlining
//! off (`RPY_JIT_INLINE=0`: checked too).
//!
//! The loop: the blocks of a compiled graph (`eval_frame__merge*`, `__entry*`, `__case*`)
//! that reach themselves through the graph's edges. Guard-failure blocks leave the loop (they
//! return), so what is checked is the code run every iteration.
//!
//! And the per-compilation bound on inlined code (`Budgets::max_inlined_ops`, set low with
//! `RPY_JIT_INLINE_OPS`): a loop calling a function at 20 sites inlines some of the calls,
//! then no more (each compilation's `jit cost:` line says how many it inlined, the ops they
//! added, and how many calls the bound refused), and no compilation's inlined calls add more
//! than twice the bound.

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

/// The program run with everything hot compiled, guest calls inlined `depth` deep: its
/// stderr (the residual log) and stdout.
fn run_inlining(depth: &str) -> (String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
        .args(["--mode", "jit", "-c", CALL_LOOP])
        .env("RPY_JIT_LOG", "residual")
        .env("RPY_JIT_PAYOFF", "off")
        .env("RPY_JIT_INLINE", depth)
        .output()
        .expect("lang-mini-python runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (text(&out.stderr), text(&out.stdout))
}

/// The lines of each loop of the graphs the JIT compiled in `log`.
fn compiled_loops(log: &str) -> Vec<String> {
    ["eval_frame__merge", "eval_frame__entry", "eval_frame__case"]
        .iter()
        .flat_map(|p| graphs(log, p))
        .map(|g| loop_lines(g).join("\n"))
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn without_inlining_the_loop_allocates_the_callees_frame() {
    let (stderr, stdout) = run_inlining("0");
    assert_eq!(stdout, "90000000000\n");
    let loops = compiled_loops(&stderr);
    assert!(loops.iter().any(|l| l.contains("malloc Frame")), "no frame allocated:\n{stderr}");
}

#[test]
fn a_loop_calling_a_small_function_allocates_no_frame_and_calls_nothing() {
    let (stderr, stdout) = run_inlining("2");
    assert_eq!(stdout, "90000000000\n");
    let loops = compiled_loops(&stderr);
    assert!(!loops.is_empty(), "no loop in the compiled code:\n{stderr}");
    for text in &loops {
        for banned in ["malloc Frame", "jit_direct_calls"] {
            assert!(!text.contains(banned), "'{banned}' in the loop:\n{text}");
        }
    }
}

/// The bound on inlined ops the bound test sets (`RPY_JIT_INLINE_OPS`): a few calls' worth.
const MAX_INLINED_OPS: usize = 200;

/// A loop calling a small function at 20 sites: inlining every call would add some 20
/// bodies to the loop's compilation.
fn many_calls_loop() -> String {
    let mut p = String::from(
        "def f(a, b):\n    if a > b:\n        return a * b + b\n    return b - a\n\n\
         def main(n):\n    s = 0\n    i = 0\n    while i < n:\n",
    );
    for k in 0..20 {
        p += &format!("        s = s + f(i, {k})\n");
    }
    p += "        i += 1\n    return s\nprint(main(100000))\n";
    p
}

/// `(calls, ops, past the bound)` of each `jit cost:` line that inlined or refused a call.
fn inlining_figures(log: &str) -> Vec<(usize, usize, usize)> {
    let number = |text: &str, after: &str| -> usize {
        let rest = &text[text.find(after).expect("figure") + after.len()..];
        rest.split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
    };
    log.lines()
        .filter(|l| l.starts_with("jit cost:") && l.contains(", inlined "))
        .map(|l| (number(l, ", inlined "), number(l, " calls ("), number(l, "not inlined: ")))
        .collect()
}

#[test]
fn inlining_stops_at_the_bound_of_a_compilation() {
    let program = many_calls_loop();
    let expected: i64 = (0..100000i64)
        .map(|i| (0..20i64).map(|k| if i > k { i * k + k } else { k - i }).sum::<i64>())
        .sum();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
        .args(["--mode", "jit", "-c", &program])
        .env("RPY_JIT_LOG", "cost")
        .env("RPY_JIT_PAYOFF", "off")
        .env("RPY_JIT_BACKGROUND", "0")
        .env("RPY_JIT_INLINE", "2")
        .env("RPY_JIT_INLINE_OPS", MAX_INLINED_OPS.to_string())
        .output()
        .expect("lang-mini-python runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{expected}\n"));
    let figures = inlining_figures(&stderr);
    assert!(figures.iter().any(|&(calls, _, _)| calls > 0), "nothing inlined:\n{stderr}");
    assert!(
        figures.iter().any(|&(_, _, past)| past > 0),
        "no call refused by the bound:\n{stderr}"
    );
    for &(_, ops, _) in &figures {
        assert!(ops <= 2 * MAX_INLINED_OPS, "{ops} inlined ops in one compilation:\n{stderr}");
    }
}
