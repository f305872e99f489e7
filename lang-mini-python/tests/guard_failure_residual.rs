//! The residual code of a guard's failure path: only the call of the JIT (`jit_hook`), no
//! write-back of the interpreter frame.
//!
//! A guard (a flexswitch's default, a cold branch's) ends in a *miss block* that calls the
//! JIT with the live values. It used to write back first every delayed store of the state:
//! the frame's `sp`, the value-stack slots and the locals (`setfield Frame.sp`,
//! `setarrayitem` of the stack), about three stores per guard, a third of the residual ops
//! of mini-Python's loops (issue 18: mandelbrot's compilations, 10 228 of 33 886 ops).
//! Now the flexswitch's snapshot carries the delayed stores of run-time objects (timeshift
//! `rainbow/promote.rs`, `Compiler::snapshot_entries`): their objects and values are the
//! hook's live values, the case compiled from the snapshot keeps them delayed, a fallback
//! writes them back first. What a miss block may still store is a constant object's field
//! (the exception state), which the engine reads while compiling a case. (On this loop,
//! before: 104 frame stores in 22 miss blocks; now none.)

mod support;

use support::residual::{blocks, graphs};

const LOOP: &str = "def f(n):
    i = 0
    s = 0
    while i < n:
        if i % 3 == 0:
            s += i
        else:
            s -= 1
        i += 1
    return s
print(f(300000))
";

#[test]
fn guard_failure_paths_write_back_nothing_of_the_frame() {
    let (stderr, stdout) = support::jit_logged(LOOP, "residual");
    assert_eq!(stdout, "14999650000\n");
    let compiled: Vec<&str> = ["eval_frame__merge", "eval_frame__entry", "eval_frame__case"]
        .iter()
        .flat_map(|p| graphs(&stderr, p))
        .collect();
    assert!(!compiled.is_empty(), "nothing compiled:\n{stderr}");
    let mut misses = 0;
    for g in &compiled {
        for b in blocks(g) {
            if !b.lines.iter().any(|l| l.contains("= jit_hook #")) {
                continue;
            }
            misses += 1;
            // A store's object is its first operand: a variable is a run-time object.
            let frame_stores: Vec<&String> = b
                .lines
                .iter()
                .filter(|l| {
                    let l = l.trim_start();
                    let store = l.starts_with("setfield ") || l.starts_with("setarrayitem ");
                    let object = l.split_whitespace().nth(2).unwrap_or("");
                    store && object.starts_with('v')
                })
                .collect();
            assert!(
                frame_stores.is_empty(),
                "a guard's miss block writes back {frame_stores:?}:\n{}",
                b.lines.join("\n")
            );
        }
    }
    assert!(misses > 0, "no guard in the compiled code:\n{}", compiled.join("\n"));
}
