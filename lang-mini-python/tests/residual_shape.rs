//! The size of the JIT's residual code for a trivial mini-Python loop, as the driver's
//! `RPY_JIT_LOG=cost` line reports it for the compilation at the hot merge point.
//!
//! A regression guard, not the goal: PyPy's JIT makes this loop ~10-20 operations (unboxed
//! int arithmetic with overflow guards, a compare, a jump). Ours made ~2 200 ops in 176
//! versions (early December 2026) with `binop`/`compare`/`is_true` residual calls on boxed
//! ints (the whole object space is one recursive component of the call graph). Since the
//! JIT enters a recursive component once from outside they are followed, and their int fast
//! paths are `likely` guards (the true side compiled inline, the other side when first
//! taken): this first compilation now holds the whole loop with int arithmetic unboxed on
//! its hot path, ~5 400 ops in ~300 versions (heap-less versions keep more virtual), most of
//! them every instruction's error path (an unbound local, an overflow into big ints, the
//! handler search, the traceback, with the frame written back) and the module's names:
//! residual `ns_lookup` calls and inlined dict stores (`frame.ns` is red, and every store
//! bumps the namespace's quasi-immutable version). In a function the same loop is ~2 200
//! ops. The bounds below are today's figures with some room; lower them as the code
//! shrinks.
//!
//! Later the same day: cold branches became guards (`timeshift` `rainbow/cold.rs`: an
//! overflow into big ints and the exception test after a call compiled when first taken,
//! not rejoining the loop with a state that knows less) and the interpreter's class tests
//! and unbound-local test guards of their own: the function's loop is ~240 ops in ~40
//! versions, the module-level one ~3 200 ops (its name lookups remain).

mod support;

const LOOP: &str = "i = 0\ns = 0\nwhile i < 1000000:\n    s += i * 2\n    i += 1\nprint(s)\n";

/// (ops, versions) of the first compilation at the global merge point, and stdout.
fn hot_compilation(program: &str) -> ((usize, usize), String) {
    // What is compiled, not whether: mini-Python's payoff model (`host::PAYOFF`) keeps
    // a graph this size from compiling on a loop this short.
    let (stderr, stdout) = support::jit_logged(program, "cost");
    let line = stderr
        .lines()
        .find(|l| l.starts_with("jit cost: eval_frame__merge"))
        .unwrap_or_else(|| panic!("no compilation at the merge point:\n{stderr}"));
    let number_after = |word: &str| -> usize {
        let at = line.find(word).unwrap_or_else(|| panic!("no '{word}' in {line}")) + word.len();
        let digits: String = line[at..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().unwrap_or_else(|_| panic!("no number after '{word}' in {line}"))
    };
    let counts = (number_after(": ops "), number_after(", versions "));
    (counts, stdout)
}

#[test]
fn a_module_level_int_loop_compiles_to_a_bounded_graph() {
    let ((ops, versions), stdout) = hot_compilation(LOOP);
    assert_eq!(stdout, "999999000000\n");
    assert!(ops <= 4_000, "{ops} residual ops (3 183 on 7 December 2026)");
    assert!(versions <= 300, "{versions} versions (219 on 7 December 2026)");
}

const FUNCTION_LOOP: &str = "def f():\n    i = 0\n    s = 0\n    while i < 1000000:\n        \
    s += i * 2\n        i += 1\n    return s\nprint(f())\n";

#[test]
fn a_function_level_int_loop_compiles_to_a_small_graph() {
    let ((ops, versions), stdout) = hot_compilation(FUNCTION_LOOP);
    assert_eq!(stdout, "999999000000\n");
    assert!(ops <= 400, "{ops} residual ops (243 on 7 December 2026)");
    assert!(versions <= 60, "{versions} versions (41 on 7 December 2026)");
}
