//! The differential loop of the seeded random-program tests (`random_exceptions.rs`,
//! `random_containers.rs`): each generated program's `f4` is run on every argument pair in the
//! IR interpreter and translated at O0 and O2, and the outcomes (value, or error kind and
//! message) must be equal.

use backend_llvm::{translate, OptLevel};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{RtValue, RuntimeError};

/// An outcome, comparable across modes.
fn key(r: Result<RtValue, RuntimeError>) -> String {
    match r {
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("{:?} {}", e.kind, e.message),
    }
}

/// Runs the programs of seeds 1..=12 (`program(seed, 5)`) on `args` in every mode, asserting
/// agreement; returns how many runs gave a value and how many an uncaught exception.
pub fn agree_with_llinterp(
    program: fn(u64, usize) -> String,
    args: &[(i64, i64)],
) -> (usize, usize) {
    let (mut values, mut errors) = (0, 0);
    for seed in 1..=12u64 {
        let src = program(seed * 0x9E37_79B9_7F4A_7C15, 5);
        let p = rpy_ir::front::compile("random.rpy", &src)
            .unwrap_or_else(|d| panic!("seed {seed}: {d}\n{src}"));
        let g = p.graph_by_name("f4").unwrap();
        let mut interp = Interp::new(&p);
        let mut modes: Vec<_> =
            [OptLevel::O0, OptLevel::O2].iter().map(|&o| (o, translate(&p, o).unwrap())).collect();
        for &(x, y) in args {
            let a = [RtValue::Int(x), RtValue::Int(y)];
            let want = key(interp.call(g, &a));
            values += want.starts_with("Int") as usize;
            errors += want.starts_with("Uncaught") as usize;
            for (o, t) in &mut modes {
                assert_eq!(
                    key(t.call_here(g, &a)),
                    want,
                    "seed {seed} f4({x}, {y}) at {o:?}\n{src}"
                );
            }
        }
    }
    (values, errors)
}
