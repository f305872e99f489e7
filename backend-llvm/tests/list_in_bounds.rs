//! The list prelude's `@in_bounds` fast paths in translated code: `list_getitem`,
//! `list_setitem`, `list_append` and `list_reserve` emit no array null or bounds test of
//! their own (the list's test against `length` is the only one), an ordinary graph indexing
//! an array still does; and every list access agrees with the IR interpreter at O0 and O2,
//! in range, negative, out of range either side (`IndexError`), across growth.

use backend_llvm::{llvm_ir, translate, OptLevel};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{RtValue, RuntimeError};

const LISTS: &str = "
def plain(a: array[int], i: int) -> int:
    return a[i]

def run(n: int, i: int, j: int) -> int:
    l: list[int] = []
    k = 0
    while k < n:
        l.append(k * 3 + 1)
        k += 1
    l[j] = l[i] + 100
    s = 0
    k = 0
    while k < len(l):
        s = s * 7 + l[k]
        k += 1
    return s + l[j] + l[-1]

def caught(n: int, i: int) -> int:
    l: list[int] = [1, 2, 3]
    k = 0
    while k < n:
        l.append(k)
        k += 1
    try:
        return l[i]
    except IndexError:
        return -1
";

/// The body of LLVM function `name` in `ir`.
fn body<'a>(ir: &'a str, name: &str) -> &'a str {
    let start = ir.find(&format!("@rpy.{name}(")).unwrap_or_else(|| panic!("no {name}\n{ir}"));
    let len = ir[start..].find("\n}").expect("a function ends");
    &ir[start..start + len]
}

#[test]
fn in_bounds_graphs_emit_no_array_test_and_others_do() {
    let p = rpy_ir::front::compile("lists.rpy", LISTS).unwrap_or_else(|d| panic!("{d}"));
    let ir = llvm_ir(&p, OptLevel::O0).unwrap();
    // The array bound is the one unsigned comparison the lowering emits (`index >=u len`).
    let bound = "icmp uge i64";
    assert!(body(&ir, "plain").contains(bound), "{}", body(&ir, "plain"));
    for g in ["list_getitem__int", "list_setitem__int", "list_append__int", "list_reserve__int"] {
        let f = body(&ir, g);
        assert!(!f.contains(bound), "{g} tests an array bound:\n{f}");
    }
}

fn key(r: Result<RtValue, RuntimeError>) -> String {
    match r {
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("{:?} {}", e.kind, e.message),
    }
}

#[test]
fn list_accesses_agree_with_llinterp_at_every_level() {
    let p = rpy_ir::front::compile("lists.rpy", LISTS).unwrap_or_else(|d| panic!("{d}"));
    let mut interp = Interp::new(&p);
    let mut modes: Vec<_> =
        [OptLevel::O0, OptLevel::O2].iter().map(|&o| (o, translate(&p, o).unwrap())).collect();
    let (mut values, mut errors) = (0, 0);
    for n in [0i64, 1, 4, 5, 17, 100] {
        for i in [0i64, 1, 3, 4, 16, 99, 100, -1, -5, -100, -101, i64::MIN, i64::MAX] {
            for (g, args) in [
                ("run", vec![n, i, (i + 1) % n.max(1)]),
                ("run", vec![n, 0, i]),
                ("caught", vec![n, i]),
            ] {
                let a: Vec<RtValue> = args.iter().map(|&x| RtValue::Int(x)).collect();
                let g = p.graph_by_name(g).unwrap();
                let want = key(interp.call(g, &a));
                values += want.starts_with("Int") as usize;
                errors += want.contains("IndexError") as usize;
                for (o, t) in &mut modes {
                    assert_eq!(key(t.call_here(g, &a)), want, "{args:?} at {o:?}");
                }
            }
        }
    }
    assert!(values > 50 && errors > 50, "values {values}, IndexErrors {errors}");
}
