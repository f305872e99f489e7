//! Heapless merge versions (`rainbow/merge_point.rs`, `Budgets::max_heapless_versions`): a
//! loop whose paths differ only in what they know of the heap (which global's field each
//! read) keeps its virtual state virtual past the version budget, where the general versions
//! used to force it at every iteration.

mod common;
use common::*;
use timeshift::Budgets;

/// Five paths through the loop body, each reading a field of another prebuilt point (so each
/// arrives at the loop head knowing another entry of the heap), around a point `p` rebuilt at
/// every iteration: virtual if the loop head's versions keep it so.
const PATHS: &str = "
struct Point:
    x: int
    y: int

const R1 = Point(x = 1, y = 0)
const R2 = Point(x = 2, y = 0)
const R3 = Point(x = 3, y = 0)
const R4 = Point(x = 4, y = 0)
const R5 = Point(x = 5, y = 0)

def paths(n: int) -> int:
    p = Point(x = 0, y = 0)
    i = 0
    while i < n:
        k = i % 5
        d = 0
        if k == 0:
            d = R1.x
        elif k == 1:
            d = R2.x
        elif k == 2:
            d = R3.x
        elif k == 3:
            d = R4.x
        else:
            d = R5.x
        p = Point(x = p.x + d, y = p.y + 1)
        i += 1
    return p.x * 1000 + p.y
";

#[test]
fn paths_that_know_different_fields_keep_the_loop_state_virtual() {
    let r = timeshift(PATHS, "paths", &[Int(7)], &[]);
    r.check_ops(&[("malloc", 0)]);
    for n in [0, 1, 4, 5, 6, 23] {
        rerun(&r, "paths", &[n], &[false]);
    }
    // Without the heapless versions, the general version forces the point.
    let budgets = Budgets { max_heapless_versions: 0, ..Budgets::default() };
    let forced = timeshift_with(PATHS, "paths", &[Int(7)], &[], budgets).unwrap();
    assert!(forced.ops()["malloc"] > 0, "{}", forced.text());
    assert!(forced.stats.virtuals_forced > r.stats.virtuals_forced);
    // And the virtual loop is the smaller code (60 ops against 97 when this was written).
    assert!(r.op_total() < forced.op_total(), "{} ops, forced {}", r.op_total(), forced.op_total());
    for n in [0, 1, 4, 5, 6, 23] {
        rerun(&forced, "paths", &[n], &[false]);
    }
}
