//! What the JIT makes of the big-integer externs (`rpy-ir/src/externs/bigint.rs`): those that
//! make a `bigint` allocate, so they are never pure and stay residual `call_extern`s even on
//! constant arguments (each call is a new object, as a `str_concat` is); those that only read
//! one (`big_cmp`, `big_to_int`, `big_sign`, ...) are pure and fold when their arguments are
//! constants, which a `bigint` is only when prebuilt (a module constant), never when an
//! allocating extern made it during the compilation.

// This file uses a part of the shared helpers.
#[allow(dead_code)]
mod common;
use common::*;

const SRC: &str = "
# 10**20 + 7 in the bigint encoding: the sign item, then base-2**16 digits, least first.
const BIG = \"\\U00010001\\U00010007\\U00016310\\U00015e2d\\U00016bc7\\U00010005\"

def mix(n: int, k: int) -> int:
    x = big_pow(big_from_int(n), 30)
    y = big_mul(x, big_from_int(k))
    return big_to_int(big_mod(y, big_from_int(1000003)))

def read_constant(k: int) -> int:
    return big_to_int(big_floordiv(BIG, big_from_int(k))) + big_sign(BIG) * 1000 + big_cmp(BIG, BIG) + big_bit_length(BIG)

def read_only(k: int) -> int:
    return big_sign(BIG) * k + big_bit_length(BIG) + big_hash(BIG) % 1000
";

#[test]
fn allocating_externs_are_residual_calls_even_on_constants() {
    // n is green: big_from_int(n) and big_pow(.., 30) have constant arguments, yet allocate.
    let r = timeshift(SRC, "mix", &[Int(12345), Int(678)], &["n"]);
    // big_from_int x3, big_pow, big_mul, big_mod, big_to_int (its argument is not constant).
    r.check_ops(&[("call_extern", 7), ("call", 0)]);
    assert!(r.text().contains("big_pow"), "{}", r.text());
    rerun(&r, "mix", &[12345, -99], &[true, false]);
    rerun(&r, "mix", &[12345, 0], &[true, false]);
}

#[test]
fn reading_externs_fold_on_a_prebuilt_bigint() {
    let r = timeshift(SRC, "read_only", &[Int(7)], &[]);
    // big_sign, big_bit_length and big_hash of a constant: computed at compile time.
    r.check_ops(&[("call_extern", 0)]);
    rerun(&r, "read_only", &[-3], &[false]);
    // One allocating extern in the middle: it and the pure extern reading its result stay;
    // big_from_int(k) is on a red k; the pure reads of BIG itself fold.
    let r = timeshift(SRC, "read_constant", &[Int(7)], &[]);
    r.check_ops(&[("call_extern", 3)]);
    for name in ["big_from_int", "big_floordiv", "big_to_int"] {
        assert!(r.text().contains(name), "{name} left in\n{}", r.text());
    }
    for name in ["big_sign", "big_cmp", "big_bit_length"] {
        assert!(!r.text().contains(name), "{name} folded in\n{}", r.text());
    }
    rerun(&r, "read_constant", &[-1000], &[false]);
}
