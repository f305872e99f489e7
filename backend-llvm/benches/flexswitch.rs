//! Flexswitch costs, both designs side by side: warm dispatch (ns per call through an owner's
//! site into a case, 1 and 9 cases) and the cost of a miss (ms: the runtime plus the stand-in
//! JIT compiling the case), with the one-off cost of a rewrite.
//! Run with `cargo bench -p backend-llvm --bench flexswitch`. Times are the best of several
//! runs (warm) or medians (misses): the machine is shared and noisy.
//!
//! Owners and cases are compiled at O2 (as residual code would be); rewritten dispatchers at
//! O0 (the runtime's default) and O2. Calls come from a Rust loop through a function pointer;
//! "direct" is the same loop calling the right case through a precomputed pointer (no switch),
//! so `design - direct` is what dispatch adds.

#[path = "../tests/support/flexjit.rs"]
mod flexjit;

use backend_llvm::flexswitch::{
    FlexId, FlexOptions, FlexRuntime, Miss, MissAction, Policy, Retire,
};
use backend_llvm::OptLevel;
use flexjit::Jit;
use rpy_ir::types::{Sig, Ty};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

const VALUES: [i64; 9] = [5, -3, 0, 17, 1 << 40, 8, 2, 9, 123];
const CALLS: usize = 2_000_000;
const RUNS: usize = 7;
const MISS_RUNS: usize = 5;

type Owner = extern "C" fn(i64, i64, i64) -> i64;
type Case = extern "C" fn(i64, i64) -> i64;

fn sig() -> Sig {
    Sig { params: vec![Ty::Int, Ty::Int], ret: Ty::Int }
}

/// Best time per call of `f(value, i)` over `seq` (its length a power of two).
fn per_call(seq: &[i64], f: impl Fn(i64, i64) -> i64) -> f64 {
    let mask = seq.len() - 1;
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let start = Instant::now();
        let mut acc = 0i64;
        for i in 0..CALLS {
            acc = acc.wrapping_add(f(seq[i & mask], i as i64));
        }
        black_box(acc);
        best = best.min(start.elapsed());
    }
    best.as_secs_f64() * 1e9 / CALLS as f64
}

/// 32 dense values (like class tags), to show how the table walk grows.
fn values32() -> Vec<i64> {
    (1000..1032).collect()
}

/// (label, the values, 4096 of them in order): one case, a scrambled cycle of 9 and of 32
/// values, and 9 values in random order. The Rust `match` covers the 9 values only.
fn sequences() -> Vec<(&'static str, Vec<i64>, Vec<i64>)> {
    let mut x = 0x2545F4914F6CDD1Du64;
    let random = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            VALUES[(x % 9) as usize]
        })
        .collect();
    let cycle = |vals: &[i64]| -> Vec<i64> {
        let n = vals.len();
        (0..4096).map(|i| vals[(i * 7 + i / n) % n]).collect()
    };
    vec![
        ("1 case", vec![VALUES[0]], vec![VALUES[0]; 4096]),
        ("9 cases, cycle", VALUES.to_vec(), cycle(&VALUES)),
        ("9 cases, random", VALUES.to_vec(), random),
        ("32 dense, cycle", values32(), cycle(&values32())),
    ]
}

#[inline(never)]
fn rust_match(v: i64, a: i64, b: i64) -> i64 {
    let c = a + 2 * b;
    match v {
        5 => 5000 + c,
        -3 => -3000 + c,
        0 => c,
        17 => 17000 + c,
        1099511627776 => (1i64 << 40) * 1000 + c,
        8 => 8000 + c,
        2 => 2000 + c,
        9 => 9000 + c,
        123 => 123000 + c,
        _ => 0,
    }
}

/// An owner of a fresh switch of `policy`, warmed with every value of `values` (and
/// rewritten unless the policy is the table).
fn warm_owner(
    jit: &Jit,
    policy: Policy,
    opt: OptLevel,
    values: &[i64],
) -> (FlexRuntime, FlexId, Owner) {
    let flex = FlexRuntime::new(
        jit.session.clone(),
        FlexOptions { policy, opt, retire: Retire::Free, log: false },
    );
    let id = flex.create(sig(), 0);
    // SAFETY: built as owner(i64, i64, i64) -> i64.
    let owner: Owner = unsafe { std::mem::transmute(jit.owner(&flex.site(id), false)) };
    let handler = |m: &Miss<'_>| Ok(MissAction::Continue(jit.case(m.value, m.sig)));
    flex.with_handler(&handler, || {
        for &v in values {
            owner(v, 0, 1);
        }
    });
    if policy != Policy::Table {
        flex.rewrite(id).unwrap();
    }
    (flex, id, owner)
}

/// Prints the warm table; returns (sequence, table ns, rewritten-at-O0 ns) per sequence.
fn warm() -> Vec<(&'static str, f64, f64)> {
    println!(
        "== warm dispatch, ns per call (best of {RUNS} x {CALLS} calls; owner and cases at O2)"
    );
    let jit = Jit::new(OptLevel::O2);
    let cases: HashMap<i64, usize> =
        VALUES.iter().chain(&values32()).map(|&v| (v, jit.case(v, &sig()))).collect();
    let designs: [(&str, Policy, OptLevel); 3] = [
        ("(a) table", Policy::Table, OptLevel::O0),
        ("(b) rewritten, O0", Policy::Rewrite, OptLevel::O0),
        ("(b) rewritten, O2", Policy::Rewrite, OptLevel::O2),
    ];
    let mut header = format!("{:<18} {:>12} {:>12}", "sequence", "Rust match", "direct");
    for (name, _, _) in &designs {
        header += &format!(" {name:>18}");
    }
    println!("{header}");
    let mut summary = Vec::new();
    for (label, distinct, seq) in sequences() {
        let rust = if distinct.iter().all(|v| VALUES.contains(v)) {
            let m = black_box(rust_match as fn(i64, i64, i64) -> i64);
            format!("{:.2}", per_call(&seq, |v, i| m(v, i, 1)))
        } else {
            "-".to_string()
        };
        let direct_fns: Vec<Case> = seq
            .iter()
            // SAFETY: cases have signature (i64, i64) -> i64.
            .map(|v| unsafe { std::mem::transmute::<usize, Case>(cases[v]) })
            .collect();
        let mask = seq.len() - 1;
        let direct = {
            let mut best = Duration::MAX;
            for _ in 0..RUNS {
                let start = Instant::now();
                let mut acc = 0i64;
                for i in 0..CALLS {
                    acc = acc.wrapping_add(black_box(direct_fns[i & mask])(i as i64, 1));
                }
                black_box(acc);
                best = best.min(start.elapsed());
            }
            best.as_secs_f64() * 1e9 / CALLS as f64
        };
        let mut line = format!("{label:<18} {rust:>12} {direct:>12.2}");
        let mut row = Vec::new();
        for &(_, policy, opt) in &designs {
            let (flex, id, owner) = warm_owner(&jit, policy, opt, &distinct);
            let owner = black_box(owner);
            let t = per_call(&seq, |v, i| owner(v, i, 1));
            // Results stay right and no miss happened.
            for (i, &v) in seq.iter().take(64).enumerate() {
                assert_eq!(owner(v, i as i64, 1), v.wrapping_mul(1000) + i as i64 + 2);
            }
            let stats = flex.stats(id);
            assert_eq!(stats.handler_calls as usize, distinct.len());
            line += &format!(" {t:>18.2}");
            row.push(t);
        }
        println!("{line}");
        summary.push((label, row[0], row[1]));
    }
    summary
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn misses() -> f64 {
    println!();
    println!(
        "== miss cost, ms per miss (median of {} misses: 9 new values x {MISS_RUNS} fresh switches; the handler compiles each case at O0)",
        9 * MISS_RUNS
    );
    println!("{:<24} {:>10} {:>12} {:>12}", "design", "miss", "of which JIT", "runtime");
    let designs: [(&str, Policy, OptLevel); 3] = [
        ("(a) table", Policy::Table, OptLevel::O0),
        ("(b) rewrite each, O0", Policy::Rewrite, OptLevel::O0),
        ("(b) rewrite each, O2", Policy::Rewrite, OptLevel::O2),
    ];
    let jit = Jit::new(OptLevel::O0);
    // The first modules of a session cost more: warm it.
    for v in 0..5 {
        jit.case(v, &sig());
    }
    for (name, policy, opt) in designs {
        let (mut total, mut handler) = (Vec::new(), Vec::new());
        for _ in 0..MISS_RUNS {
            let flex = FlexRuntime::new(
                jit.session.clone(),
                FlexOptions { policy, opt, retire: Retire::Free, log: false },
            );
            let id = flex.create(sig(), 0);
            // SAFETY: built as owner(i64, i64, i64) -> i64.
            let owner: Owner = unsafe { std::mem::transmute(jit.owner(&flex.site(id), false)) };
            let handler_fn = |m: &Miss<'_>| Ok(MissAction::Continue(jit.case(m.value, m.sig)));
            flex.with_handler(&handler_fn, || {
                for &v in &VALUES {
                    let before = jit.case_time.get();
                    let start = Instant::now();
                    let r = owner(v, 1, 1);
                    total.push(start.elapsed().as_secs_f64() * 1e3);
                    handler.push((jit.case_time.get() - before).as_secs_f64() * 1e3);
                    assert_eq!(r, v.wrapping_mul(1000) + 3);
                }
            });
        }
        let runtime: Vec<f64> = total.iter().zip(&handler).map(|(t, h)| t - h).collect();
        println!(
            "{name:<24} {:>10.3} {:>12.3} {:>12.3}",
            median(total),
            median(handler),
            median(runtime)
        );
    }
    println!();
    println!("== one rewrite with 9 cases inline (median of {MISS_RUNS}), the settle policy's one-off cost");
    let mut rewrite_o0 = 0.0;
    for opt in [OptLevel::O0, OptLevel::O2] {
        let flex = FlexRuntime::new(
            jit.session.clone(),
            FlexOptions { policy: Policy::Table, opt, retire: Retire::Free, log: false },
        );
        // The runtime's first rewrite also creates its target machine: not counted.
        let first = flex.create(sig(), 0);
        flex.add_case(first, 1, 0x1000).unwrap();
        flex.rewrite(first).unwrap();
        let mut times = Vec::new();
        for _ in 0..MISS_RUNS {
            let id = flex.create(sig(), 0);
            for (k, &v) in VALUES.iter().enumerate() {
                flex.add_case(id, v, 0x1000 + k).unwrap();
            }
            let start = Instant::now();
            flex.rewrite(id).unwrap();
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        let t = median(times);
        if opt == OptLevel::O0 {
            rewrite_o0 = t;
        }
        println!("{:<24} {t:>10.3} ms", opt.name());
    }
    rewrite_o0
}

fn main() {
    let summary = warm();
    let rewrite = misses();
    println!();
    println!(
        "== what a rewrite buys (O0 dispatcher): ns saved per call, calls to repay the rewrite"
    );
    for (label, table, rewritten) in summary {
        let saved = table - rewritten;
        let calls =
            if saved > 0.0 { format!("{:.0}", rewrite * 1e6 / saved) } else { "never".into() };
        println!("{label:<18} table {table:.2} ns, rewritten {rewritten:.2} ns: {saved:+.2} ns, {calls} calls");
    }
}
