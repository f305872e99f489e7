//! Guest calls from compiled code into compiled code (issue 18; timeshift's
//! `rainbow/portal_calls.rs`, PyPy's `call_assembler`): a plain call of a Python function
//! whose code the interpreter promotes (`callfast.rpy`) is a portal call with a constant
//! code; once the callee's merge point has compiled code, residual code calls that graph
//! directly (bracketed by `jit_direct_calls`) instead of the translated interpreter, which
//! went back through the JIT driver at every guest call.
//!
//! Not a golden file yet: the callee's frame is still allocated at each call (it escapes into
//! the call) and ints are boxed across it; what this checks is that recursion is a compiled
//! function calling itself, with the same results.

mod support;

const FIB: &str = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n\n\ndef main():\n    total = 0\n    for k in range(20, 23):\n        total += fib(k)\n    print(total)\n\n\nmain()\n";

/// The graphs of `text` whose name starts with `prefix`, each as its text.
fn graphs<'t>(text: &'t str, prefix: &str) -> Vec<&'t str> {
    let starts: Vec<usize> = text.match_indices("\ngraph ").map(|(i, _)| i + 1).collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &s)| &text[s..starts.get(k + 1).copied().unwrap_or(text.len())])
        .filter(|g| g["graph ".len()..].starts_with(prefix))
        .collect()
}

#[test]
fn recursive_fib_calls_its_own_compiled_code() {
    let (residual, stdout) = support::jit_logged(FIB, "residual");
    assert_eq!(stdout, "35422\n");
    let bracketed = residual.matches("call_extern jit_direct_calls(1)").count();
    assert!(bracketed > 0, "no direct portal call in the residual code:\n{residual}");
    assert_eq!(
        bracketed,
        residual.matches("call_extern jit_direct_calls(-1)").count(),
        "every direct call is bracketed"
    );
    // fib's merge point compiled again with its cases inline (its own code compiled by then)
    // calls compiled code directly.
    let merges = graphs(&residual, "eval_frame__merge");
    let last = merges.last().expect("fib's merge point is compiled");
    assert!(last.contains("jit_direct_calls(1)"), "{last}");
}
