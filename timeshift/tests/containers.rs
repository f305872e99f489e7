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
