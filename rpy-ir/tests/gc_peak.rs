//! The GC test: an RPy program allocating 10 million short-lived objects runs in the IR
//! interpreter with bounded memory. This file holds a single test so that the process's peak
//! resident set size (`VmHWM` in /proc/self/status) measures this program alone.

use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;

const PROGRAM: &str = r#"
struct Cell:
    value: int
    next: Cell

struct Pair:
    left: Cell
    right: array[int]

def churn(n: int) -> int:
    keep: Cell = None
    i = 0
    while i < n:
        c = Cell(value = i, next = keep)
        p = Pair(left = c, right = array[int](4))
        if i % 100000 == 0:
            keep = None
        else:
            keep = c
        if i % 7 == 0:
            keep = p.left
        i += 1
    return keep.value
"#;

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line =
        status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM in /proc/self/status");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn ten_million_short_lived_objects_stay_in_bounded_memory() {
    // Release builds (make test) run the full 10 million iterations (20 million objects plus
    // 10 million arrays); debug builds a tenth, to keep `cargo test` quick.
    let n: i64 = if cfg!(debug_assertions) { 1_000_000 } else { 10_000_000 };
    let program = rpy_ir::front::compile("churn.rpy", PROGRAM).unwrap();
    let before = peak_rss_kib();
    let mut interp = Interp::new(&program);
    let g = program.graph_by_name("churn").unwrap();
    let result = interp.call(g, &[RtValue::Int(n)]).unwrap();
    assert_eq!(result, RtValue::Int(n - 1));
    let peak = peak_rss_kib();
    let heap = rpy_ir::gc::heap_size();
    eprintln!(
        "gc_peak: {n} iterations, {} objects allocated; peak RSS {} MiB (before the run {} MiB), GC heap {} KiB",
        3 * n,
        peak / 1024,
        before / 1024,
        heap / 1024
    );
    assert!(peak < 200 * 1024, "peak RSS {peak} KiB is over 200 MiB");
}
