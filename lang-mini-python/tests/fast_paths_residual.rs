//! The residual calls of a numeric loop's compiled code (issue 18: "unboxed ints and floats in
//! loops"): everything hot compiled (`support::jit_logged`, `RPY_JIT_LOG=residual`), the
//! loop's blocks (those on a cycle of a compiled graph, `support::residual::residual_calls`)
//! call nothing in the object space for what fastpaths.rpy takes in line: float `/` and `**`,
//! a float compared with an int, int `//`, `%`, `<<`, `>>`, unary `-`, `not` of a bool, and
//! a builtin's lookup (`abs`: the builtins namespace is quasi-immutable, so its elidable
//! lookup folds). Before those fast paths this loop's compiled blocks called
//! `binop_generic` 8 times, `ns_lookup` 5, `is_true_generic` 3, `compare_generic` once
//! (and the graphs held 9 615 residual ops, against about 2 000 now).

mod support;

use support::residual::{residual_calls, Place};

const NUMERIC_LOOP: &str = "def f(n):
    total = 0.0
    acc = 0
    flag = False
    i = 1
    while i < n:
        x = i * 0.5
        total += x / 3.0 + x ** 0.5
        if total > 100:
            total -= 100
        acc += (i * 7) // 3 % 5 + (i >> 2) - (i << 1)
        acc = -acc
        flag = not flag
        acc += abs(3)
        i += 1
    return total, acc, flag
print(f(200000))
";

#[test]
fn a_numeric_loop_calls_no_generic_operation() {
    let (stderr, stdout) = support::jit_logged(NUMERIC_LOOP, "residual");
    assert_eq!(stdout, "(3355504210.541412, 200015, True)\n");
    let calls = residual_calls(&stderr);
    assert!(stderr.contains("graph eval_frame__merge"), "nothing compiled:\n{stderr}");
    let banned = [
        "binop_generic",
        "compare_generic",
        "is_true_generic",
        "unary_negative",
        "ns_lookup",
        "name_error",
        "guest_error",
    ];
    let in_loop: Vec<_> = calls
        .iter()
        .filter(|((callee, place), _)| *place == Place::Loop && banned.contains(&callee.as_str()))
        .collect();
    assert!(in_loop.is_empty(), "object-space calls in the compiled loop: {in_loop:?}\n{stderr}");
}
