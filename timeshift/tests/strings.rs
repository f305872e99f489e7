//! What the JIT makes of the string and number externs: a pure extern on green (constant)
//! arguments folds at compile time (no call left), on red arguments it is one residual call;
//! a Unicode char test on a green string folds to nothing; an allocating extern is always a
//! residual call.

// This file uses a part of the shared helpers.
#[allow(dead_code)]
mod common;
use common::*;

const SRC: &str = "
const WORDS = \"héllo wörld 😀\"
const NUMBER = \" 1_234 \"

def lookup(s: str, key: int) -> int:
    i = str_find(WORDS, \"wörld\")
    n = str_to_int(NUMBER, 10)
    c = ord(WORDS[12])
    return i * 100000 + n * 10 + key + c - 128512

def search(s: str, key: int) -> int:
    return str_find(s, \"ö\") + key

def shout(s: str, key: int) -> int:
    t = str_upper(WORDS)
    return len(t) + key
";

#[test]
fn pure_externs_on_green_arguments_fold() {
    let r = timeshift(SRC, "lookup", &[Global("WORDS"), Int(7)], &[]);
    r.check_ops(&[("call_extern", 0), ("getarrayitem", 0), ("cast_char_to_int", 0)]);
    // `str_find` and `str_to_int` ran at compile time (6 * 100000 + 1234 * 10 = 612340) and so
    // did the read of the code point at index 12: only the red additions are left.
    assert!(r.text().contains("612340"), "{}", r.text());
    assert_eq!(r.op_total(), 3, "{}", r.text());
    rerun_args(&r, "lookup", &[Global("WORDS"), Int(-3)], &[false, false]);
}

#[test]
fn pure_externs_on_red_arguments_are_one_residual_call() {
    let r = timeshift(SRC, "search", &[Global("WORDS"), Int(1)], &[]);
    r.check_ops(&[("call_extern", 1), ("int_add", 1)]);
    rerun_args(&r, "search", &[Global("NUMBER"), Int(1)], &[false, false]);
}

#[test]
fn allocating_externs_stay_calls_even_on_constants() {
    let r = timeshift(SRC, "shout", &[Global("WORDS"), Int(0)], &[]);
    r.check_ops(&[("call_extern", 1), ("arraylen", 1)]);
    rerun_args(&r, "shout", &[Global("WORDS"), Int(5)], &[false, false]);
}
