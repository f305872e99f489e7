//! The JIT knows when to stop: programs that used to make it compile without end (a value
//! stack growing at every iteration and read from its bottom, long straight-line code compiled
//! at once, one method sent to objects of many classes, deep recursion) run through the
//! command line in JIT mode with the same output as the translated interpreter, and the
//! compile work the JIT reports (`RPY_JIT_LOG=summary`: one line per compilation with its
//! residual ops and merge versions) stays within generous bounds. No wall-clock limits: the
//! bounds are counts.
//!
//! The first four are the repros of `shared/repros/jit-robustness/` (`repros/`, at
//! their sizes); the last test runs programs of the same four families with sizes drawn from a
//! fixed-seed generator.

mod repros;

use std::process::Command;

use repros::*;

/// Compilations one run may make, whatever the program (the bounds of `timeshift::Budgets`
/// keep it far lower; this catches a return of compile-per-iteration).
const MAX_COMPILATIONS: usize = 400;

/// Residual ops one run may compile in all.
const MAX_TOTAL_OPS: usize = 60_000;

/// Merge versions one run may make in all.
const MAX_TOTAL_VERSIONS: usize = 30_000;

/// What one run printed and the compile work it reported.
struct Run {
    stdout: String,
    status: Option<i32>,
    compilations: usize,
    /// Compilations of flexswitch cases.
    cases: usize,
    ops: usize,
    versions: usize,
}

fn run(src: &str, input: i64, args: &[&str]) -> Run {
    let dir = std::env::temp_dir().join(format!("tlc-jit-bounds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // One file per run: tests running at once on the same program must not remove each
    // other's file.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let nth = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("p{}-{nth}.tlc.src", fxhash(src)));
    std::fs::write(&path, src).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lang-tlc"))
        .args(args)
        .arg("run")
        .arg(&path)
        .arg(input.to_string())
        .env("RPY_JIT_LOG", "summary")
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let count = |line: &str, what: &str| -> usize {
        line.split(what)
            .nth(1)
            .and_then(|r| r.split(',').next())
            .map_or(0, |n| n.trim().parse().unwrap_or(0))
    };
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains("residual ops")).collect();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        status: out.status.code(),
        compilations: lines.len(),
        cases: lines.iter().filter(|l| l.contains("(flexswitch #")).count(),
        ops: lines.iter().map(|l| count(l, "residual ops ")).sum(),
        versions: lines.iter().map(|l| count(l, "versions ")).sum(),
    }
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3))
}

/// Runs `src` in translated mode and in JIT mode with `jit_args`: same output and status,
/// compile work within the bounds.
fn check(name: &str, src: &str, input: i64, jit_args: &[&str]) {
    let reference = run(src, input, &["--mode", "translated"]);
    let mut args = vec!["--mode", "jit"];
    args.extend_from_slice(jit_args);
    let jit = run(src, input, &args);
    assert_eq!(jit.stdout, reference.stdout, "{name} {input} {jit_args:?}: output");
    assert_eq!(jit.status, reference.status, "{name} {input} {jit_args:?}: status");
    assert!(
        jit.compilations <= MAX_COMPILATIONS
            && jit.ops <= MAX_TOTAL_OPS
            && jit.versions <= MAX_TOTAL_VERSIONS,
        "{name} {input} {jit_args:?}: {} compilations, {} residual ops, {} versions",
        jit.compilations,
        jit.ops,
        jit.versions
    );
}

#[test]
fn a_stack_growing_at_every_iteration_compiles_a_bounded_amount() {
    for n in [1001, 3000] {
        check("growing stack", GROWING_STACK, n, &[]);
        check("growing stack", GROWING_STACK, n, &["--jit-hot", "1"]);
    }
}

/// The promoted depth of the growing stack is new at every iteration: its site gives cases to
/// its first values only (`Budgets::max_unrepeated_cases`, 8), not one per iteration (the
/// other sites of the loop need a few more).
#[test]
fn values_that_never_repeat_get_few_cases() {
    for hot in [&[][..], &["--jit-hot", "1"][..]] {
        let mut args = vec!["--mode", "jit"];
        args.extend_from_slice(hot);
        let jit = run(GROWING_STACK, 3000, &args);
        assert!(jit.cases <= 12, "{hot:?}: {} cases compiled", jit.cases);
    }
}

#[test]
fn long_straight_line_code_compiled_at_once_stays_bounded() {
    for n in [1000, 5000] {
        check("straight line", &straight_line(n), 0, &["--jit-hot", "1"]);
    }
}

#[test]
fn a_send_to_many_classes_compiles_a_bounded_number_of_cases() {
    for k in [40, 100] {
        check("megamorphic", &megamorphic(k), 3, &[]);
        check("megamorphic", &megamorphic(k), 3, &["--jit-hot", "1"]);
    }
}

#[test]
fn deep_recursion_is_an_error_of_tlc_with_bounded_compile_work() {
    check("send recursion", SEND_RECURSION, 50_000, &[]);
    check("send recursion", SEND_RECURSION, 10_000_000, &["--jit-hot", "1"]);
}

/// A fixed-seed xorshift: sizes for the generated programs.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn generated_programs_of_every_family_stay_within_the_bounds() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..6 {
        let hot: &[&str] = if rng.below(2) == 0 { &[] } else { &["--jit-hot", "1"] };
        match rng.below(4) {
            0 => check("growing stack", GROWING_STACK, 900 + rng.below(3000) as i64, hot),
            1 => check("straight line", &straight_line(1 + rng.below(4000) as usize), 0, hot),
            2 => check("megamorphic", &megamorphic(2 + rng.below(120) as usize), 2, hot),
            _ => check("send recursion", SEND_RECURSION, rng.below(200_000) as i64, hot),
        }
    }
}
