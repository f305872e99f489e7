//! What the JIT makes of the RPy helpers of `rpy-ir/src/front/edges.rs`: they are ordinary
//! graphs, so a raising parser on a green string folds (status test, branch and value extern
//! all at compile time; the caller's exception-state check after the inlined call remains),
//! and a string builder that does not escape stays virtual, struct and array, as long as only
//! chars are appended. `builder_append`'s copy loop over a string is a residual loop (the
//! JIT does not unroll loops), into which the char array escapes: the struct stays virtual,
//! the array is allocated.

// This file uses a part of the shared helpers.
#[allow(dead_code)]
mod common;
use common::*;

const SRC: &str = "
const NUMBER = \" 1_234 \"

def parsed(s: str, key: int) -> int:
    return parse_int(NUMBER) + key

def built(s: str, key: int) -> int:
    b = new_builder()
    builder_append_char(b, 'x')
    builder_append(b, \"yz\")
    return b.n + key

def chars(s: str, key: int) -> int:
    b = new_builder()
    builder_append_char(b, 'x')
    builder_append_char(b, 'y')
    return b.n + key
";

#[test]
fn raising_parser_on_a_green_string_folds() {
    let r = timeshift(SRC, "parsed", &[Global("NUMBER"), Int(7)], &[]);
    r.check_ops(&[("call_extern", 0), ("call", 0)]);
    assert!(r.text().contains("1234"), "{}", r.text());
    rerun_args(&r, "parsed", &[Global("NUMBER"), Int(-3)], &[false, false]);
}

#[test]
fn builder_of_chars_is_virtual() {
    let r = timeshift(SRC, "chars", &[Global("NUMBER"), Int(7)], &[]);
    r.check_ops(&[("int_add", 1)]);
    assert_eq!(r.op_total(), 1, "{}", r.text());
    rerun_args(&r, "chars", &[Global("NUMBER"), Int(1)], &[false, false]);
}

#[test]
fn builder_appending_a_string_keeps_the_struct_virtual() {
    let r = timeshift(SRC, "built", &[Global("NUMBER"), Int(7)], &[]);
    r.check_ops(&[("malloc", 0), ("malloc_array", 1), ("call", 0), ("call_extern", 0)]);
    rerun_args(&r, "built", &[Global("NUMBER"), Int(1)], &[false, false]);
}
