//! The JIT on frozen (deepfreeze-hinted) dicts with constant str keys: the hash, the probe,
//! the key comparison and the value read all run at compile time (`str_hash` of a constant
//! string is green; `str_eq` of the key read from the frozen table and the constant key is a
//! red call of a pure extern on constants, which the engine folds like a pure op). Int keys:
//! `containers.rs`, where keys found past their first probe fold too (`dict_find` is
//! `@unroll_safe`: its probe loop unrolls while its counter is a constant).

#[allow(dead_code)]
mod common;
use common::*;

const FROZEN: &str = "
const NAMES: dict[str, int] = {\"a\": 1, \"bb\": 2, \"ccc\": 3, \"load_fast\": 40, \"x\": 5}

def by_name(d: dict[str, int], x: int) -> int:
    d = hint(d, deepfreeze=True)
    return d[\"a\"] * x + d[\"load_fast\"] + d[\"x\"] + len(d)
";

#[test]
fn a_constant_str_key_lookup_in_a_frozen_dict_folds() {
    let r = timeshift(FROZEN, "by_name", &[Global("NAMES"), Int(3)], &["d"]);
    // What is left is `x * 1 + 40 + 5 + 5` (and the read of the exception state, as in
    // every residual graph that may raise).
    r.check_ops(&[("call", 0), ("call_extern", 0), ("getarrayitem", 0), ("arraylen", 0)]);
    assert_eq!(r.op_total(), 5, "{}", r.text());
    rerun_args(&r, "by_name", &[Global("NAMES"), Int(7)], &[true, false]);
}
