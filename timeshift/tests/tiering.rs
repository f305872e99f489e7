//! Tiering: the merge point a tiered interpreter enters the JIT at, the interpreter program
//! with `jit_merge`, and the driver compiling from an interpreter's state once a key is hot.

use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{HeapType, Ty};
use timeshift::tiering::{tiered, MergePoint};
use timeshift::{JitDriver, LlinterpBackend};

/// A small bytecode interpreter (`programs/vm.rpy`, shared with backend-llvm's JIT tests).
const VM: &str = include_str!("programs/vm.rpy");

fn program() -> Program {
    rpy_ir::front::compile("vm.rpy", VM).unwrap_or_else(|d| panic!("{d}"))
}

fn code(interp: &mut Interp, p: &Program, items: &[i64]) -> RtValue {
    let at = p
        .types
        .heap_types()
        .find(|(_, h)| matches!(h, HeapType::Array(a) if !a.immutable && a.elem == Ty::Int))
        .unwrap()
        .0;
    let items: Vec<RtValue> = items.iter().map(|&i| RtValue::Int(i)).collect();
    interp.alloc_array(at, &items)
}

fn names(p: &Program, mp: &MergePoint, vars: &[(rpy_ir::ir::Var, Ty)]) -> Vec<String> {
    let g = &p.graphs[mp.graph];
    vars.iter().map(|(v, _)| g.vars[*v].name.clone().unwrap_or_else(|| v.to_string())).collect()
}

#[test]
fn the_merge_point_is_the_dispatch_loop_with_its_greens_and_reds() {
    let p = program();
    let d = JitDriver::new(&p, "run", &["code"], LlinterpBackend::new(&p)).unwrap();
    let mp = d.merge_point().expect("a global merge point").clone();
    let greens = names(&p, &mp, &mp.greens);
    let reds = names(&p, &mp, &mp.reds);
    assert!(greens.iter().any(|n| n.starts_with("code")), "{greens:?}");
    assert!(greens.iter().any(|n| n.starts_with("pc")), "{greens:?}");
    for red in ["stack", "acc", "x"] {
        assert!(reds.iter().any(|n| n.starts_with(red)), "{red} in {reds:?}");
    }
}

#[test]
fn the_tiered_program_verifies_and_computes_the_same() {
    let p = program();
    let d = JitDriver::new(&p, "run", &["code"], LlinterpBackend::new(&p)).unwrap();
    let t = tiered(&p, d.merge_point().unwrap());
    rpy_ir::verify::verify_program(&t).unwrap_or_else(|e| panic!("{e:?}"));
    let merges = t
        .graphs
        .values()
        .flat_map(|g| g.ops.values())
        .filter(|o| o.opcode == rpy_ir::ops::Opcode::JitMerge);
    assert_eq!(merges.count(), 1);
    let run = p.graph_by_name("run").unwrap();
    for x in [0, 3, 50] {
        let mut a = Interp::new(&p);
        let mut b = Interp::new(&t);
        let (ca, cb) =
            (code(&mut a, &p, &[1, 2, 5, 4, 0, 6]), code(&mut b, &t, &[1, 2, 5, 4, 0, 6]));
        let want = a.call(run, &[ca, RtValue::Int(x)]).unwrap();
        assert_eq!(b.call(run, &[cb, RtValue::Int(x)]).unwrap(), want, "x = {x}");
    }
}

#[test]
fn a_hot_key_is_compiled_from_the_interpreters_state_and_runs_the_rest_of_the_call() {
    let p = program();
    let mut d = JitDriver::new(&p, "run", &["code"], LlinterpBackend::new(&p)).unwrap();
    d.config.hot_merges = 3;
    let mp = d.merge_point().unwrap().clone();
    let mut interp = Interp::new(&p);
    let (values, want) = state_at_merge_point(&p, &mp, &mut interp);
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), None, "not hot yet");
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), None, "not hot yet");
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), Some(want), "hot: compiled and run");
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), Some(want), "compiled once");
    let merges = d.reports().iter().filter(|r| r.what.contains("hot at the merge point")).count();
    assert_eq!(merges, 1);
}

#[test]
fn a_merge_point_survives_its_text_and_a_text_that_does_not_fit_is_refused() {
    let p = program();
    let d = JitDriver::new(&p, "run", &["code"], LlinterpBackend::new(&p)).unwrap();
    let mp = d.merge_point().unwrap().clone();
    let text = mp.to_text();
    assert_eq!(MergePoint::from_text(&p, &text), Some(mp.clone()));
    // A red left out, a register named twice, another block, a block that does not exist,
    // garbage: refused.
    let mut fewer = mp.clone();
    fewer.reds.pop();
    assert_eq!(MergePoint::from_text(&p, &fewer.to_text()), None);
    let mut twice = mp.clone();
    twice.reds.push(twice.greens[0]);
    assert_eq!(MergePoint::from_text(&p, &twice.to_text()), None);
    // The entry block: nothing is live at its start (its parameters are its own).
    assert_ne!(mp.block.as_u32(), 0);
    let moved = text.replace(&format!("block {}", mp.block.as_u32()), "block 0");
    assert_eq!(MergePoint::from_text(&p, &moved), None);
    let missing = text.replace(&format!("block {}", mp.block.as_u32()), "block 100000");
    assert_eq!(MergePoint::from_text(&p, &missing), None);
    assert_eq!(MergePoint::from_text(&p, "merge point\ngraph x\n"), None);
    assert_eq!(MergePoint::from_text(&p, ""), None);
}

/// The interpreter's state at the merge point, pc 0, running `acc += x; x -= 1; while x > 0`
/// with x = 10, as the merge point's greens then reds; and the call's result.
fn state_at_merge_point(
    p: &Program,
    mp: &MergePoint,
    interp: &mut Interp,
) -> (Vec<RtValue>, RtValue) {
    let c = code(interp, p, &[1, 2, 5, 4, 0, 6]);
    let want = interp.call(p.graph_by_name("run").unwrap(), &[c, RtValue::Int(10)]).unwrap();
    let g = &p.graphs[mp.graph];
    let value = |v: rpy_ir::ir::Var| -> RtValue {
        match g.vars[v].name.as_deref().unwrap_or("") {
            n if n.starts_with("code") => c,
            n if n.starts_with("x") => RtValue::Int(10),
            n if n.starts_with("stack") => RtValue::Ref(std::ptr::null_mut()),
            _ => RtValue::Int(0),
        }
    };
    (mp.greens.iter().chain(&mp.reds).map(|(v, _)| value(*v)).collect(), want)
}

#[test]
fn a_driver_given_its_merge_point_analyses_at_the_first_compilation_and_checks_it() {
    let p = program();
    let found = JitDriver::new(&p, "run", &["code"], LlinterpBackend::new(&p)).unwrap();
    let mp = found.merge_point().unwrap().clone();
    let mut config = timeshift::JitConfig { hot_merges: 2, ..Default::default() };
    let d = JitDriver::with_merge_point(
        &p,
        "run",
        &["code"],
        config.clone(),
        Some(mp.clone()),
        |known| {
            assert_eq!(known, Some(&mp));
            Ok(LlinterpBackend::new(&p))
        },
    )
    .unwrap();
    let mut interp = Interp::new(&p);
    let (values, want) = state_at_merge_point(&p, &mp, &mut interp);
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), None, "not hot yet");
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), Some(want), "analysed, compiled, run");
    assert_eq!(d.reports().len(), 1);

    // A merge point the analysis does not find (a green passed as a red): the JIT stays off,
    // the run goes on in the interpreter.
    let mut wrong = mp.clone();
    let pc = wrong.greens.pop().unwrap();
    wrong.reds.insert(0, pc);
    config.hot_merges = 1;
    let d = JitDriver::with_merge_point(&p, "run", &["code"], config, Some(wrong.clone()), |_| {
        Ok(LlinterpBackend::new(&p))
    })
    .unwrap();
    let (values, _) = state_at_merge_point(&p, &wrong, &mut interp);
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), None, "interpreted");
    assert!(d.reports().is_empty());
}
