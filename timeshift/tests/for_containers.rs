//! The JIT on `for` loops over containers (residual-code shapes, on the IR interpreter): a
//! loop over a list or a dict makes no iterator object (the walk is a counter and inline
//! reads of the container's fields, `rpy-ir/src/front/lower/container_walks.rs`), so a small
//! list made and walked inside a compiled loop stays virtual, and a walk over a red list is
//! field and array reads only. Every residual graph is verified and run against llinterp.

#[allow(dead_code)]
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

/// The ops in `r`'s residual code that allocate, as text (`malloc list__int`).
fn allocations(r: &Residual) -> Vec<String> {
    let text = r.text();
    text.lines()
        .filter_map(|l| l.split_once(" = ").map(|(_, op)| op.trim().to_string()))
        .filter(|op| op.starts_with("malloc"))
        .map(|op| op.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn a_small_list_walked_inside_a_compiled_loop_makes_no_iterator() {
    let r = timeshift(WALKS, "walk_small", &[Int(10)], &[]);
    // No iterator object and no call: what is allocated is the list's own struct and
    // array. (The walk's counter is red at the inner loop's header, as every loop counter
    // the engine does not unroll, so the list is forced there: a read at a red index.)
    r.check_ops(&[("call", 0)]);
    for a in allocations(&r) {
        assert!(a == "malloc list__int" || a == "malloc_array array[int]", "{a}:\n{}", r.text());
    }
    // The inner loop (the cycle without an allocation) reads the list and adds, nothing else.
    let walk = r.loop_ops("malloc_array");
    for op in ["call", "malloc", "setfield", "setarrayitem"] {
        assert_eq!(walk.get(op), None, "{op} in the walk:\n{}", r.text());
    }
    assert!(walk.contains_key("getarrayitem"), "{}", r.text());
    for n in [0, 1, 7] {
        rerun(&r, "walk_small", &[n], &[false]);
    }
}

#[test]
fn enumerate_over_a_small_array_makes_no_iterator() {
    let r = timeshift(WALKS, "numbered_small", &[Int(10)], &[]);
    r.check_ops(&[("call", 0), ("malloc", 0)]);
    for n in [0, 1, 7] {
        rerun(&r, "numbered_small", &[n], &[false]);
    }
}

#[test]
fn a_walk_over_a_red_list_is_reads_only() {
    let r = timeshift(WALKS, "make_and_walk", &[Int(10)], &[]);
    // The walk over the list: per item, the length and the items array read and one
    // array read; no call, nothing allocated for the walk.
    // (The loops that fill the list store into it; the walk is the cycle that does not.)
    let walk = r.loop_ops("setarrayitem");
    for op in ["call", "malloc", "malloc_array", "setfield"] {
        assert_eq!(walk.get(op), None, "{op} in the walk:\n{}", r.text());
    }
    assert!(walk.contains_key("getarrayitem"), "{}", r.text());
    for n in [0, 1, 5] {
        rerun(&r, "make_and_walk", &[n], &[false]);
    }
}

#[test]
fn a_dict_walk_calls_nothing() {
    let r = timeshift(WALKS, "dict_sum", &[Int(6)], &[]);
    // `dict_next` is followed like any helper: no residual call; what is allocated is the
    // dict's own struct and arrays, and the exception of `dict_next`'s error path (a dict
    // whose size changed), which this loop never takes.
    r.check_ops(&[("call", 0)]);
    for a in allocations(&r) {
        let dict = a.starts_with("malloc dict__int__int") || a.starts_with("malloc_array");
        assert!(dict || a == "malloc RuntimeError", "{a}");
    }
    for n in [0, 1, 4] {
        rerun(&r, "dict_sum", &[n], &[false]);
    }
}
