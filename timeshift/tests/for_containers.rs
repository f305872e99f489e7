//! The JIT on `for` loops over containers (residual-code shapes, on the IR interpreter): a
//! loop over a list or a dict makes no iterator object (the walk is a counter and inline
//! reads of the container's fields, `rpy-ir/src/front/lower/container_walks.rs`), so a small
//! list made and walked inside a compiled loop stays virtual, and a walk over a red list is
//! field and array reads only. Every residual graph is verified and run against llinterp.

mod common;
use common::*;

const WALKS: &str = "
def walk_small(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        l: list[int] = [i, 2, 3]
        for x in l:
            s += x
        i += 1
    return s

def numbered_small(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        for j, x in enumerate([i, i * 2]):
            s += j * x
        i += 1
    return s

def walk_red(l: list[int]) -> int:
    s = 0
    for x in l:
        s += x
    return s

def make_and_walk(n: int) -> int:
    l: list[int] = []
    for i in range(n):
        l.append(i * 3)
    return walk_red(l)

def dict_sum(n: int) -> int:
    s = 0
    i = 0
    while i < n:
        d: dict[int, int] = {1: i, 2: 5}
        for k, v in d.items():
            s += k * v
        i += 1
    return s
";

#[test]
fn a_small_list_walked_inside_a_compiled_loop_stays_virtual() {
    let r = timeshift(WALKS, "walk_small", &[Int(10)], &[]);
    r.check_ops(&[("malloc", 0), ("malloc_array", 0), ("call", 0), ("getarrayitem", 0)]);
    assert_eq!(r.stats.virtuals_forced, 0, "the list was forced:\n{}", r.text());
    let in_loop = r.loop_ops("");
    for op in ["getfield", "setfield", "setarrayitem", "arraylen"] {
        assert_eq!(in_loop.get(op), None, "{op} in the loop:\n{}", r.text());
    }
    for n in [0, 1, 7] {
        rerun(&r, "walk_small", &[n], &[false]);
    }
}

#[test]
fn enumerate_over_a_small_list_leaves_only_arithmetic() {
    let r = timeshift(WALKS, "numbered_small", &[Int(10)], &[]);
    r.check_ops(&[("malloc", 0), ("malloc_array", 0), ("call", 0), ("getarrayitem", 0)]);
    for n in [0, 1, 7] {
        rerun(&r, "numbered_small", &[n], &[false]);
    }
}

#[test]
fn a_walk_over_a_red_list_is_reads_only() {
    let r = timeshift(WALKS, "make_and_walk", &[Int(10)], &[]);
    // The walk over the list: per item, the length and the items array read and one
    // array read; no call, nothing allocated for the walk.
    let in_loop = r.loop_ops("");
    assert_eq!(in_loop.get("call"), None, "{}", r.text());
    assert_eq!(in_loop.get("malloc"), None, "{}", r.text());
    for n in [0, 1, 5] {
        rerun(&r, "make_and_walk", &[n], &[false]);
    }
}

#[test]
fn a_small_dict_walked_inside_a_compiled_loop_stays_virtual() {
    let r = timeshift(WALKS, "dict_sum", &[Int(6)], &[]);
    r.check_ops(&[("malloc", 0), ("malloc_array", 0), ("call", 0)]);
    for n in [0, 1, 4] {
        rerun(&r, "dict_sum", &[n], &[false]);
    }
}
