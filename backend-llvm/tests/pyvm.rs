//! The Python-shaped example interpreter (`examples/pyvm/pyvm.rpy`) in every mode on LLVM:
//! each example guest program (a counting loop, a function call, a method call, a caught
//! guest exception, an overflow caught and one not caught) run by `main` translated, and by
//! the portal `run` through the JIT driver with [`JitBackend`], gives the IR interpreter's
//! result or error (and the JIT leaves the frame as the interpreter does); the counting
//! loop's compiled residual loop neither allocates nor touches the frame. (The residual
//! shapes on the IR-interpreter backend: `timeshift/tests/pyvm.rs`.)

use backend_llvm::jit::{JitBackend, JitOptions};
use backend_llvm::{translate, OptLevel};
use rpy_ir::ir::{Graph, Program};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use timeshift::{Backend, JitDriver};

const PYVM: &str = include_str!("../../examples/pyvm/pyvm.rpy");

/// The example programs: their number for `main`, the name of their code object, and the
/// arguments they are run on.
const PROGRAMS: [(i64, &str, &[i64]); 6] = [
    (0, "COUNT", &[10, 0, 1, 100_000]),
    (1, "CALLS", &[10, 0, 3, 2_000]),
    (2, "METHODS", &[10, 0, 2_000]),
    (3, "EXCEPT", &[10, 0, 3_000]),
    (4, "OVERFLOW", &[10, 62, 63, 100]),
    (5, "UNCAUGHT", &[1, 5]),
];

fn program() -> &'static Program {
    Box::leak(Box::new(rpy_ir::front::compile("pyvm.rpy", PYVM).unwrap_or_else(|d| panic!("{d}"))))
}

fn call(p: &Program, interp: &mut Interp, func: &str, args: &[RtValue]) -> RtValue {
    let g = p.graph_by_name(func).unwrap();
    interp.call(g, args).unwrap_or_else(|e| panic!("{func}: {e:?}"))
}

fn code(p: &Program, interp: &Interp, name: &str) -> RtValue {
    let found = p.prebuilt_names.iter().find(|(_, n)| n.as_str() == name);
    interp.prebuilt(*found.expect("no such code object").0)
}

#[test]
fn translated_main_agrees_with_the_interpreter_on_every_example() {
    let p = program();
    let mut t = translate(p, OptLevel::O2).unwrap_or_else(|e| panic!("{e}"));
    let main = p.graph_by_name("main").unwrap();
    for (k, name, ns) in PROGRAMS {
        for &n in ns {
            let args = [RtValue::Int(k), RtValue::Int(n)];
            let want = Interp::new(p).call(main, &args);
            let got = t.call(main, &args);
            match (&want, &got) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}({n})"),
                (Err(a), Err(b)) => assert_eq!((a.kind, &a.message), (b.kind, &b.message)),
                _ => panic!("{name}({n}): interpreter {want:?}, translated {got:?}"),
            }
        }
    }
    let overflow = Interp::new(p).call(main, &[RtValue::Int(4), RtValue::Int(100)]);
    assert_eq!(overflow.ok(), Some(RtValue::Int(62)), "the guest caught the overflow");
    let uncaught = Interp::new(p).call(main, &[RtValue::Int(5), RtValue::Int(1)]);
    let e = uncaught.expect_err("an uncaught guest error");
    assert!(e.message.contains("OverflowError: integer overflow"), "{e:?}");
}

/// Whether a residual graph's loops (blocks on a cycle) allocate or touch a frame.
fn loop_allocates_or_touches_memory(g: &Graph) -> bool {
    use rpy_ir::flow::{Dominators, Flow, Loops};
    let flow = Flow::new(g);
    let loops = Loops::new(&flow, &Dominators::new(&flow));
    let banned = ["malloc", "getfield", "setfield", "getarrayitem", "setarrayitem", "typeof"];
    g.blocks
        .keys()
        .filter(|b| loops.depth(*b) > 0)
        .any(|b| g.blocks[b].ops.iter().any(|op| banned.contains(&g.ops[*op].opcode.info().name)))
}

#[test]
fn the_jit_on_llvm_agrees_with_the_interpreter_on_every_example() {
    let p = program();
    let mut interp = Interp::new(p);
    let run = p.graph_by_name("run").unwrap();
    for (_, name, ns) in PROGRAMS {
        let t = translate(p, OptLevel::O0).unwrap_or_else(|e| panic!("{e}"));
        let options = JitOptions { background: false, ..JitOptions::default() };
        let d = JitDriver::new(p, "run", &["code"], JitBackend::new(t, options)).unwrap();
        let c = code(p, &interp, name);
        for &n in ns {
            let want_frame = call(p, &mut interp, "new_frame", &[c, RtValue::Int(n)]);
            let want = interp.call(run, &[c, want_frame]);
            let got_frame = call(p, &mut interp, "new_frame", &[c, RtValue::Int(n)]);
            let got = d.call(&[c, got_frame]);
            match (want, got) {
                (Ok(a), Ok(b)) => {
                    let (a, b) = (
                        call(p, &mut interp, "int_value", &[a]),
                        call(p, &mut interp, "int_value", &[b]),
                    );
                    assert_eq!(a, b, "{name}({n})");
                    let (a, b) = (
                        call(p, &mut interp, "digest", &[want_frame]),
                        call(p, &mut interp, "digest", &[got_frame]),
                    );
                    assert_eq!(a, b, "{name}({n}): the frames differ");
                }
                (Err(a), Err(b)) => {
                    let b = b.to_string();
                    assert!(b.contains(&a.message), "{name}({n}): {a:?} / {b}");
                }
                (want, got) => panic!("{name}({n}): interpreter {want:?}, JIT {got:?}"),
            }
        }
        if name == "COUNT" {
            let prog = d.backend().program();
            let loops: Vec<&Graph> = prog
                .graphs
                .values()
                .filter(|g| g.name.contains("__") && !g.name.contains("__cont"))
                .filter(|g| rpy_ir::flow::Flow::new(g).has_loop())
                .collect();
            assert!(!loops.is_empty(), "a residual loop");
            for g in loops {
                assert!(!loop_allocates_or_touches_memory(g), "{}: its loop", g.name);
            }
        }
    }
}
