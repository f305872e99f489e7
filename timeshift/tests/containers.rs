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
    // `x * 10 + 20 + 4`. (Keys 1 and 2 are found at their first probe; keys further down a
    // collision chain: the next test.)
    // The one read left is of the exception state, which the engine does not know to be
    // clear on entry (the same read opens the residual code of any call that may raise).
    r.check_ops(&[("call", 0), ("getfield", 1), ("getarrayitem", 0), ("arraylen", 0)]);
    assert_eq!(r.op_total(), 5, "{}", r.text());
    rerun_args(&r, "lookup", &[Global("TABLE"), Int(5)], &[true, false]);
}

const COLLIDING: &str = "
const TABLE: dict[int, int] = {1: 10, 2: 20, 34: 340, 66: 660}

def second(d: dict[int, int], x: int) -> int:
    d = hint(d, deepfreeze=True)
    return d[34] * x + len(d)

def third(d: dict[int, int], x: int) -> int:
    d = hint(d, deepfreeze=True)
    return d[66] * x + d[34] + d[2]

def missing(d: dict[int, int], x: int) -> int:
    d = hint(d, deepfreeze=True)
    if 98 in d:
        return x
    return d.get(130, 7) + x
";

#[test]
fn a_constant_key_found_past_its_first_probe_in_a_frozen_dict_folds() {
    // 2, 34 and 66 share their first slot (the table has 8): 34 is found at the second
    // probe, 66 at the third; `dict_find` is `@unroll_safe`, so its probe loop unrolls on the
    // constant counter and folds (before it, the counter became a variable at the loop's
    // second visit and the rest of the probe stayed in the residual code).
    let r = timeshift(COLLIDING, "second", &[Global("TABLE"), Int(3)], &["d"]);
    // `x * 340 + 4`, and the read of the exception state.
    r.check_ops(&[("call", 0), ("getfield", 1), ("getarrayitem", 0), ("arraylen", 0)]);
    assert_eq!(r.op_total(), 4, "{}", r.text());
    rerun_args(&r, "second", &[Global("TABLE"), Int(5)], &[true, false]);
    let r = timeshift(COLLIDING, "third", &[Global("TABLE"), Int(3)], &["d"]);
    // `x * 660 + 340 + 20`.
    r.check_ops(&[("call", 0), ("getfield", 1), ("getarrayitem", 0), ("arraylen", 0)]);
    assert_eq!(r.op_total(), 5, "{}", r.text());
    rerun_args(&r, "third", &[Global("TABLE"), Int(5)], &[true, false]);
}

#[test]
fn a_missing_constant_key_in_a_frozen_dict_folds_after_the_collision_chain() {
    // 98 and 130 start at the same slot as 2, 34 and 66 and are not there: the probe walks
    // the chain to the empty slot at compile time; `in` is False and `get` its default.
    let r = timeshift(COLLIDING, "missing", &[Global("TABLE"), Int(3)], &["d"]);
    // `7 + x` alone (no lookup is left that could raise: no read of the exception state).
    r.check_ops(&[("call", 0), ("getarrayitem", 0), ("arraylen", 0), ("int_eq", 0)]);
    assert_eq!(r.op_total(), 1, "{}", r.text());
    rerun_args(&r, "missing", &[Global("TABLE"), Int(5)], &[true, false]);
}

#[test]
fn the_unroll_safe_budget_merges_as_before_and_still_compiles() {
    // With no unrolling allowed the probe loop merges as it did before `@unroll_safe`: its
    // counter becomes a variable and the rest of the probe is residual, results unchanged.
    let budgets = timeshift::Budgets { max_unroll_safe: 0, ..Default::default() };
    let r = timeshift_with(COLLIDING, "third", &[Global("TABLE"), Int(3)], &["d"], budgets)
        .expect("the compilation does not give up past the budget");
    // (53 ops: the probe loop, from its second iteration on, and the `KeyError` paths.)
    assert!(r.ops().contains_key("getarrayitem"), "{}", r.text());
    assert!(r.op_total() > 20, "{}", r.text());
    rerun_args(&r, "third", &[Global("TABLE"), Int(5)], &[true, false]);
}
