//! Benchmarks of the RPy containers in translated mode (LLVM at O2), side by side with Rust:
//! `list[int]` append + index against `Vec<i64>`, and `dict[int, int]` set + get against
//! `indexmap::IndexMap<i64, i64>` (insertion-ordered, as RPy's dict), with the default
//! SipHash hasher (as a Rust program would use it) and with the identity hash RPy's int keys
//! use (the like-for-like comparison). Run with `cargo bench -p backend-llvm --bench
//! containers`. Times are the best of several runs (the machine is shared and noisy).

use backend_llvm::{translate, OptLevel};
use indexmap::IndexMap;
use rpy_ir::runtime::RtValue;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::hint::black_box;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

/// (what is measured, the RPy function, the Rust version)
type Case = (&'static str, &'static str, fn(i64) -> i64);
const N: i64 = 1_000_000;

fn best_of(mut f: impl FnMut() -> i64) -> (Duration, i64) {
    let mut best = Duration::MAX;
    let mut result = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        result = black_box(f());
        best = best.min(start.elapsed());
    }
    (best, result)
}

/// The Rust list loop, shared with `scripts/list_callgrind.sh`'s program (its `main` unused here).
#[allow(dead_code)]
#[path = "programs/vec_list.rs"]
mod vec_list;
use vec_list::rust_list;

/// The hash RPy's `dict[int, V]` uses: the integer itself.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }

    fn write_i64(&mut self, v: i64) {
        self.0 = v as u64;
    }
}

fn rust_dict(n: i64) -> i64 {
    rust_dict_with::<std::collections::hash_map::RandomState>(n)
}

fn rust_dict_identity(n: i64) -> i64 {
    rust_dict_with::<BuildHasherDefault<IdentityHasher>>(n)
}

fn rust_dict_with<S: BuildHasher + Default>(n: i64) -> i64 {
    let mut d: IndexMap<i64, i64, S> = IndexMap::default();
    for i in 0..black_box(n) {
        d.insert((i * 7919) % 1_000_003, i);
    }
    let mut s = 0i64;
    for _ in 0..4 {
        for i in 0..n {
            s = s.wrapping_add(black_box(&d)[&((i * 7919) % 1_000_003)]);
        }
    }
    s + d.len() as i64
}

fn main() {
    let path = format!("{}/benches/programs/containers.rpy", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let program = rpy_ir::front::compile("containers.rpy", &text).unwrap_or_else(|d| panic!("{d}"));
    let mut t = translate(&program, OptLevel::O2).unwrap();
    println!("== containers, n = {N} (best of {RUNS}; ratio = translated O2 / Rust)");
    println!("{:<28} {:>10} {:>10} {:>8}", "benchmark", "Rust ms", "O2 ms", "ratio");
    let cases: [Case; 3] = [
        ("list append + index", "list_bench", rust_list),
        ("dict set + get (SipHash)", "dict_bench", rust_dict),
        ("dict set + get (identity)", "dict_bench", rust_dict_identity),
    ];
    for (name, func, rust) in cases {
        let (rt, want) = best_of(|| rust(N));
        let args = [RtValue::Int(N)];
        let (ot, got) = best_of(|| t.call(func, &args).unwrap().as_int().unwrap());
        assert_eq!(got, want, "{name}: translated and Rust disagree");
        let (r, o) = (rt.as_secs_f64() * 1e3, ot.as_secs_f64() * 1e3);
        println!("{name:<28} {r:>10.2} {o:>10.2} {:>8.2}", o / r);
    }
}
