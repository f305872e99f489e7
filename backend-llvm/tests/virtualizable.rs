//! Virtualizable frames through the JIT on LLVM: the stack VM of timeshift's tests
//! (`timeshift/tests/virtualizable/vm.rpy`), its frame declared virtualizable, run by the
//! driver with [`JitBackend`] — a whole portal call compiled, and the tiered interpreter
//! entering compiled code at the hot merge point with the frame in memory — against the IR
//! interpreter, on results and on the frame's contents afterwards.

use backend_llvm::jit::{JitBackend, JitOptions};
use backend_llvm::{translate, OptLevel};
use rpy_ir::ir::{Graph, Program};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::Ty;
use timeshift::tiering::tiered;
use timeshift::{Backend, JitConfig, JitDriver};

const VM: &str = include_str!("../../timeshift/tests/virtualizable/vm.rpy");

fn program() -> &'static Program {
    Box::leak(Box::new(rpy_ir::front::compile("vm.rpy", VM).unwrap_or_else(|d| panic!("{d}"))))
}

fn call(p: &Program, interp: &mut Interp, func: &str, args: &[RtValue]) -> RtValue {
    let g = p.graph_by_name(func).unwrap();
    interp.call(g, args).unwrap_or_else(|e| panic!("{func}: {e:?}"))
}

fn code(p: &Program, interp: &Interp, name: &str) -> RtValue {
    let found = p.prebuilt_names.iter().find(|(_, n)| n.as_str() == name);
    interp.prebuilt(*found.expect("no such code object").0)
}

/// Whether a residual graph's loops (blocks on a cycle) touch a frame or its arrays.
fn loop_touches_memory(g: &Graph) -> bool {
    use rpy_ir::flow::{Dominators, Flow, Loops};
    let flow = Flow::new(g);
    let loops = Loops::new(&flow, &Dominators::new(&flow));
    g.blocks.keys().filter(|b| loops.depth(*b) > 0).any(|b| {
        g.blocks[b].ops.iter().any(|op| {
            let name = g.ops[*op].opcode.info().name;
            ["getfield", "setfield", "getarrayitem", "setarrayitem"].contains(&name)
        })
    })
}

#[test]
fn a_compiled_call_keeps_the_frame_in_registers_and_leaves_it_as_the_interpreter_does() {
    let p = program();
    let t = translate(p, OptLevel::O0).unwrap_or_else(|e| panic!("{e}"));
    let d = JitDriver::new(p, "run", &["code"], JitBackend::new(t, JitOptions::default())).unwrap();
    let mut interp = Interp::new(p);
    let c = code(p, &interp, "HELPER_LOOP");
    for n in [10, 0, 100_000, 7] {
        let want_frame = call(p, &mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let want = call(p, &mut interp, "run", &[c, want_frame]);
        let got_frame = call(p, &mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let got = d.call(&[c, got_frame]).unwrap_or_else(|e| panic!("n = {n}: {e}"));
        assert_eq!(want, got, "n = {n}");
        let (a, b) = (
            call(p, &mut interp, "digest", &[want_frame]),
            call(p, &mut interp, "digest", &[got_frame]),
        );
        assert_eq!(a, b, "n = {n}: the frames differ");
    }
    let prog = d.backend().program();
    let loops: Vec<&Graph> = prog
        .graphs
        .values()
        .filter(|g| g.name.contains("__") && rpy_ir::flow::Flow::new(g).has_loop())
        .collect();
    assert!(!loops.is_empty(), "a residual loop");
    for g in loops {
        assert!(!loop_touches_memory(g), "{} touches the frame in its loop", g.name);
    }
}

#[test]
fn the_tiered_interpreter_enters_compiled_code_with_the_frame_in_memory_and_agrees() {
    let p = program();
    let d = JitDriver::with_backend(p, "run", &["code"], JitConfig::default(), |mp| {
        let t = translate(&tiered(p, mp.expect("a merge point")), OptLevel::O0)
            .map_err(|e| e.to_string())?;
        Ok(JitBackend::new(t, JitOptions::default()))
    })
    .unwrap();
    let mp = d.merge_point().unwrap().clone();
    let types: Vec<Ty> = mp.greens.iter().chain(&mp.reds).map(|(_, t)| *t).collect();
    let run = p.graph_by_name("run").unwrap();
    let mut interp = Interp::new(p);
    let entry = |values: &[RtValue], visits: u64| d.enter_at_merge_point(values, visits);
    for (name, n) in [("HELPER_LOOP", 5), ("HELPER_LOOP", 50_000), ("PROBE_LOOP", 20_000)] {
        let c = code(p, &interp, name);
        let want_frame = call(p, &mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let want = call(p, &mut interp, "run", &[c, want_frame]);
        let got_frame = call(p, &mut interp, "new_frame", &[c, RtValue::Int(n)]);
        let got = d.backend().with_merge_entry(&types, p.graphs[run].ret, &entry, || {
            d.backend().call_interpreter(run, &[c, got_frame])
        });
        assert_eq!(Ok(want), got.map_err(|e| e.to_string()), "{name}({n})");
        let (a, b) = (
            call(p, &mut interp, "digest", &[want_frame]),
            call(p, &mut interp, "digest", &[got_frame]),
        );
        assert_eq!(a, b, "{name}({n}): the frames differ");
    }
    let hot = d.reports().iter().filter(|r| r.what.contains("hot at the merge point")).count();
    assert!(hot >= 1, "a hot key was compiled: {:?}", d.reports());
    let prog = d.backend().program();
    let entries: Vec<&Graph> = prog
        .graphs
        .values()
        .filter(|g| g.name.contains("__") && rpy_ir::flow::Flow::new(g).has_loop())
        .collect();
    assert!(!entries.is_empty(), "an entry graph with a loop");
    // The helper loop's entry keeps the frame in registers; the probe loop's must write it
    // back before each call and read it after.
    assert!(entries.iter().any(|g| !loop_touches_memory(g)), "a loop free of frame traffic");
}
