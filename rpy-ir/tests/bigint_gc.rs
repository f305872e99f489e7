//! GC safety of big integers: `bigint`s (strings the `big_*` externs allocate) reachable only
//! through the RPy heap survive collections. The program runs in the IR interpreter under a
//! 256 KiB starting heap (this file holds one test, so the process's collector is set up for
//! it alone), and the test counts the collections that happened meanwhile.

use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;

#[link(name = "gc")]
extern "C" {
    /// The number of collections so far.
    fn GC_get_gc_no() -> usize;
}

const PROGRAM: &str = r#"
def big(x: int) -> bigint:
    return big_from_int(x)

def churn(n: int) -> int:
    keep = array[bigint](100)
    scale = big_pow(big(7), 200)
    i = 0
    while i < n:
        keep[i % 100] = big_add(big_mul(big(i), scale), big(i))
        garbage = big_pow(big(i + 2), 60)
        garbage = big_mul(garbage, garbage)
        i += 1
    ok = 0
    j = 0
    while j < 100:
        idx = n - 100 + j
        want = big_add(big_mul(big(idx), scale), big(idx))
        if big_cmp(keep[idx % 100], want) == 0 and str_eq(keep[idx % 100], want):
            ok += 1
        j += 1
    return ok
"#;

#[test]
fn bigints_kept_in_the_rpy_heap_survive_collections() {
    // Read by libgc when the collector starts (below, at the first allocation): nothing has
    // allocated in this process yet.
    std::env::set_var("GC_INITIAL_HEAP_SIZE", "262144");
    let program = rpy_ir::front::compile("churn.rpy", PROGRAM).unwrap();
    let mut interp = Interp::new(&program);
    let g = program.graph_by_name("churn").unwrap();
    // SAFETY: reading a counter of the (initialised) collector.
    let before = unsafe { GC_get_gc_no() };
    let result = interp.call(g, &[RtValue::Int(50_000)]).unwrap();
    // SAFETY: as above.
    let collections = unsafe { GC_get_gc_no() } - before;
    eprintln!("bigint_gc: {collections} collections");
    assert_eq!(result, RtValue::Int(100), "every kept bigint has its value");
    assert!(collections >= 10, "only {collections} collections: the test tests nothing");
}
