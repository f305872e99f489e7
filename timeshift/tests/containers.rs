//! The JIT on the built-in containers (residual-code shapes, on the IR interpreter): the
//! container helpers are ordinary RPy graphs the engine follows, so a small list made and
//! consumed inside a compiled loop stays virtual, and a lookup with a constant key in a frozen
//! dict folds to a constant. Every residual graph is verified and run against llinterp by the
//! `timeshift` helper.

mod common;
use common::*;

const SMALL_LISTS: &str = "
def sum3(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        l: list[int] = [i, i + 1, i + 2]
        s += l[0] + l[1] + l[-1] + len(l)
        i += 1
    return s

def appended(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        l: list[int] = []
        l.append(i)
        l.append(2)
        s += l[0] * l[-1] + len(l)
        i += 1
    return s
";

#[test]
fn a_three_item_list_built_and_summed_in_a_loop_stays_virtual() {
    let r = timeshift(SMALL_LISTS, "sum3", &[Int(10)], &[]);
    r.check_ops(&[("malloc", 0), ("malloc_array", 0), ("call", 0), ("getarrayitem", 0)]);
    assert_eq!(r.stats.virtuals_forced, 0, "the list was forced:\n{}", r.text());
    // The loop is the arithmetic alone: `s += i + (i + 1) + (i + 2) + 3`.
    let in_loop = r.loop_ops("");
    for op in ["getfield", "setfield", "setarrayitem", "ptr_nonzero"] {
        assert_eq!(in_loop.get(op), None, "{op} in the loop:\n{}", r.text());
    }
    for n in [0, 1, 7] {
        rerun(&r, "sum3", &[n], &[false]);
    }
}

#[test]
fn appending_to_a_fresh_list_in_a_loop_stays_virtual() {
    let r = timeshift(SMALL_LISTS, "appended", &[Int(10)], &[]);
    r.check_ops(&[("malloc", 0), ("malloc_array", 0), ("call", 0)]);
    for n in [0, 1, 7] {
        rerun(&r, "appended", &[n], &[false]);
    }
}

const FROZEN: &str = "
const TABLE: dict[int, int] = {1: 10, 2: 20, 34: 340, 66: 660}

def lookup(d: dict[int, int], x: int) -> int:
    d = hint(d, deepfreeze=True)
    return d[1] * x + d[2] + len(d)
";

#[test]
fn a_constant_key_lookup_in_a_frozen_dict_folds() {
    let r = timeshift(FROZEN, "lookup", &[Global("TABLE"), Int(3)], &["d"]);
    // Hash, probe, compare and the value reads all run at compile time: what is left is
    // `x * 10 + 20 + 4`. (Keys 1 and 2 are found at their first probe; a key
    // further down a collision chain, 66 here, leaves the rest of the probe loop: the engine
    // peels one iteration of `dict_find`'s loop and makes its counter red.)
    // The one read left is of the exception state, which the engine does not know to be
    // clear on entry (the same read opens the residual code of any call that may raise).
    r.check_ops(&[("call", 0), ("getfield", 1), ("getarrayitem", 0), ("arraylen", 0)]);
    assert_eq!(r.op_total(), 5, "{}", r.text());
    rerun_args(&r, "lookup", &[Global("TABLE"), Int(5)], &[true, false]);
}
