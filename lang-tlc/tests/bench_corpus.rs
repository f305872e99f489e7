//! The generated benchmark corpus at CI size (`lang_tlc::benchgen`, issue 17): a few dozen
//! programs of the generator, small, each run in llinterp (the reference), translated, the
//! JIT with its default tiering and the JIT compiling at once (`--jit-hot 1`), which must
//! all print the same result (and the generator promises no errors: every run succeeds).
//! Also: the generator is deterministic, its programs fit the assembler, and its size
//! estimate is within a small factor of the bytecodes a run really executes (counted by the
//! counting interpreter), since the ratio report sizes its runs by it.
//!
//! `TLC_CORPUS_SEEDS=200` checks seeds 0..200 instead of [`SEEDS`].

use std::sync::OnceLock;

use lang_tlc::benchgen::generate;
use lang_tlc::{assemble, Interpreter, Mode};

/// How many seeds the default run checks.
const SEEDS: u64 = 24;

/// The size of the `i`-th program: enough that some loops pass the default threshold (1000
/// visits), small enough for llinterp.
fn target_ops(seed: u64) -> u64 {
    8_000 + (seed % 4) * 4_000
}

/// An interpreter whose JIT compiles at the first visit of a bytecode position.
fn eager() -> &'static Interpreter {
    static EAGER: OnceLock<Interpreter> = OnceLock::new();
    EAGER.get_or_init(|| {
        let mut interp = Interpreter::compile().unwrap_or_else(|e| panic!("{e}"));
        interp.set_jit_hot(1);
        interp
    })
}

fn seeds() -> u64 {
    std::env::var("TLC_CORPUS_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(SEEDS)
}

#[test]
fn generated_programs_agree_in_every_mode() {
    let shared = Interpreter::get();
    for seed in 0..seeds() {
        let p = generate(seed, target_ops(seed));
        let program = assemble(&p.source).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let reference = shared
            .run(&program, p.input, Mode::Llinterp)
            .unwrap_or_else(|e| panic!("seed {seed} failed in llinterp: {e}\n{}", p.source));
        for (name, interp, mode) in [
            ("translated", shared, Mode::Translated),
            ("jit", shared, Mode::Jit),
            ("jit --jit-hot 1", eager(), Mode::Jit),
        ] {
            let got = interp.run(&program, p.input, mode);
            assert_eq!(
                got.as_deref(),
                Ok(reference.as_str()),
                "seed {seed} input {}: {name} differs from llinterp\n{}",
                p.input,
                p.source
            );
        }
    }
}

#[test]
fn the_generator_is_deterministic() {
    for seed in [0, 7, 123, 9999] {
        let (a, b) = (generate(seed, 1_000_000), generate(seed, 1_000_000));
        assert_eq!((&a.source, a.input), (&b.source, b.input), "seed {seed}");
    }
    // The size moves the input, not the program.
    let (small, big) = (generate(5, 100_000), generate(5, 10_000_000));
    assert_eq!(small.source, big.source);
    assert!(big.input > small.input * 10, "{} vs {}", big.input, small.input);
}

#[test]
fn the_size_estimate_is_within_a_small_factor_of_the_bytecodes_executed() {
    let counting = Interpreter::compile_counting().unwrap_or_else(|e| panic!("{e}"));
    let mut ratios = Vec::new();
    for seed in 0..24 {
        let p = generate(seed, 200_000);
        let program = assemble(&p.source).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let (_, executed) = counting
            .run_counting(&program, p.input, Mode::Translated)
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        ratios.push((executed as f64 / p.estimated_ops as f64, seed));
    }
    ratios.sort_by(|a, b| a.0.total_cmp(&b.0));
    eprintln!("executed / estimated, sorted: {ratios:.2?}");
    let (lo, hi) = (ratios[0], ratios[ratios.len() - 1]);
    assert!(lo.0 > 0.1 && hi.0 < 10.0, "executed / estimated: lowest {lo:?}, highest {hi:?}");
    let median = ratios[ratios.len() / 2].0;
    assert!((0.33..3.0).contains(&median), "median executed / estimated {median}");
}
