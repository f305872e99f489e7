//! Translated code and its runtime: the collector sees what compiled frames hold, output is
//! forwarded byte for byte, function pointers and strings cross the Rust boundary, prebuilt
//! state persists between calls, and programs run from several threads at once.

use backend_llvm::{translate, OptLevel};
use rpy_ir::externs::capture_output_bytes;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;

fn program(src: &str) -> rpy_ir::ir::Program {
    rpy_ir::front::compile("t.rpy", src).unwrap_or_else(|d| panic!("{d}"))
}

const LISTS: &str = "\
struct Node:
    value: int
    label: str
    next: Node

def build(n: int) -> Node:
    head: Node = None
    i = 0
    while i < n:
        junk = int_to_str(i) + \"-garbage-\" + int_to_str(i * 7)
        head = Node(value = i, label = int_to_str(i), next = head)
        i += 1
    return head

def check(n: int) -> int:
    l = build(n)
    total = 0
    while l is not None:
        if not (l.label == int_to_str(l.value)):
            return -1
        total += l.value
        l = l.next
    return total
";

#[test]
fn objects_held_only_by_compiled_frames_survive_collections() {
    let p = program(LISTS);
    let n = 200_000i64;
    for opt in [OptLevel::O0, OptLevel::O2] {
        let mut t = translate(&p, opt).unwrap();
        let r = t.call("check", &[RtValue::Int(n)]).unwrap();
        assert_eq!(r, RtValue::Int(n * (n - 1) / 2), "{opt:?}");
    }
}

#[test]
fn output_is_forwarded_byte_for_byte() {
    let p = program(
        "def show(n: int) -> int:\n    print_char(chr(n))\n    print_str(\"\\n\")\n    \
         print_float(0.1)\n    return n\n",
    );
    let g = p.graph_by_name("show").unwrap();
    let mut interp = Interp::new(&p);
    let mut t = translate(&p, OptLevel::O2).unwrap();
    for n in [65, 200, 255] {
        let args = [RtValue::Int(n)];
        let want = capture_output_bytes(|| interp.call(g, &args).unwrap());
        let got = capture_output_bytes(|| t.call(g, &args).unwrap());
        assert_eq!(got, want);
        let here = capture_output_bytes(|| t.call_here(g, &args).unwrap());
        assert_eq!(here, want);
    }
}

#[test]
fn function_pointers_strings_and_prebuilt_state_cross_the_boundary() {
    let p = program(
        "\
struct Counter:
    count: int

const COUNTER = Counter(count = 0)

def inc(x: int) -> int:
    return x + 1

def dbl(x: int) -> int:
    return 2 * x

def pick(n: int) -> fn(int) -> int:
    if n > 0:
        return inc
    return dbl

def apply(f: fn(int) -> int, x: int) -> int:
    return f(x)

def bump(n: int) -> int:
    COUNTER.count += n
    return COUNTER.count

def shout(s: str) -> str:
    return s + \"!\"
",
    );
    let mut t = translate(&p, OptLevel::O2).unwrap();
    let inc = p.graph_by_name("inc").unwrap();
    let dbl = p.graph_by_name("dbl").unwrap();
    assert_eq!(t.call("pick", &[RtValue::Int(1)]).unwrap(), RtValue::Func(inc));
    assert_eq!(t.call("pick", &[RtValue::Int(0)]).unwrap(), RtValue::Func(dbl));
    assert_eq!(t.call("apply", &[RtValue::Func(dbl), RtValue::Int(21)]).unwrap(), RtValue::Int(42));
    let err = t.call("apply", &[RtValue::Ref(std::ptr::null_mut()), RtValue::Int(1)]).unwrap_err();
    assert!(err.message.contains("null function pointer"), "{}", err.message);
    assert_eq!(t.call("bump", &[RtValue::Int(5)]).unwrap(), RtValue::Int(5));
    assert_eq!(t.call_here("bump", &[RtValue::Int(5)]).unwrap(), RtValue::Int(10));
    let s = t.alloc_str("hey");
    let r = t.call("shout", &[s]).unwrap();
    assert_eq!(rpy_ir::runtime::str_text(r).unwrap(), "hey!");
}

#[test]
fn programs_translate_and_run_on_several_threads_at_once() {
    let handles: Vec<_> = (0..4)
        .map(|k| {
            std::thread::spawn(move || {
                let p = program(LISTS);
                let opt = if k % 2 == 0 { OptLevel::O0 } else { OptLevel::O2 };
                let mut t = translate(&p, opt).unwrap();
                let n = 20_000 + k;
                assert_eq!(
                    t.call_here("check", &[RtValue::Int(n)]).unwrap(),
                    RtValue::Int(n * (n - 1) / 2)
                );
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}
