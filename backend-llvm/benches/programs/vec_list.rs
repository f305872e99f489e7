//! The Rust side of `scripts/list_callgrind.sh`: `list_bench` of `containers.rpy` as a
//! program of its own, so that callgrind counts its instructions alone (its `rust_list` is
//! also the Rust side of `benches/containers.rs`): n appends to a `Vec<i64>`, then 4 passes
//! of n reads through `black_box` (the vector is read back from memory at each read, as
//! RPy's list is).
//! Usage: `vec_list N` prints the sum.

use std::hint::black_box;

pub fn rust_list(n: i64) -> i64 {
    let mut l = Vec::new();
    for i in 0..black_box(n) {
        l.push(i * 3);
    }
    let mut s = 0i64;
    for _ in 0..4 {
        for i in 0..n as usize {
            s = s.wrapping_add(black_box(&l)[i]);
        }
    }
    s
}

fn main() {
    let n: i64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).expect("usage: vec_list N");
    println!("{}", rust_list(n));
}
