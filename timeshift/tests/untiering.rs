//! A driver over a tiered program made in place (`JitDriver::untiering`): the program tiered
//! in place is the tiered copy, the driver's program made again from it is the original
//! (whatever graphs the backend appended since), and the driver compiles from it as a
//! driver given the original does.

use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use rpy_ir::text::print_program;
use rpy_ir::types::{HeapType, Ty};
use timeshift::driver::tier_in_place;
use timeshift::tiering::{tiered, tiered_with_shared_continuation, MergePoint};
use timeshift::{Backend, JitConfig, JitDriver, LlinterpBackend};

/// The bytecode interpreter of `tiering.rs` (`programs/vm.rpy`).
const VM: &str = include_str!("programs/vm.rpy");

fn program() -> Program {
    rpy_ir::front::compile("vm.rpy", VM).unwrap_or_else(|d| panic!("{d}"))
}

fn merge_point(p: &Program) -> MergePoint {
    let d = JitDriver::new(p, "run", &["code"], LlinterpBackend::new(p)).unwrap();
    d.merge_point().expect("a global merge point").clone()
}

#[test]
fn tiering_in_place_makes_the_tiered_copy_and_untiering_the_original() {
    let p = program();
    let mp = merge_point(&p);
    for shared in [false, true] {
        let mut t = p.clone();
        let untier = tier_in_place(&mut t, &mp, shared);
        let copy = if shared { tiered_with_shared_continuation(&p, &mp) } else { tiered(&p, &mp) };
        assert_eq!(print_program(&t), print_program(&copy), "shared continuation: {shared}");
        assert_eq!(print_program(&untier.program(&t)), print_program(&p));
        // Graphs and prebuilt objects a backend appends later (residual code) are left out.
        let extra = t.graphs[mp.graph].clone();
        t.add_graph(extra);
        t.intern_str("a constant of residual code");
        assert_eq!(print_program(&untier.program(&t)), print_program(&p));
    }
}

/// A code array of `p`'s interpreter holding `items`.
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

#[test]
fn an_untiering_driver_compiles_at_the_merge_point_as_a_driver_given_the_program_does() {
    let p = program();
    let mp = merge_point(&p);
    let config = JitConfig { hot_merges: 2, ..Default::default() };
    let d = JitDriver::untiering(p.clone(), "run", &["code"], config, mp.clone(), true, |t| {
        Ok(LlinterpBackend::new(&t))
    })
    .unwrap();
    // The backend runs the tiered program (it has the shared continuation).
    assert_eq!(d.backend().program().graphs.len(), p.graphs.len() + 1);
    // State at the merge point, pc 0, of `acc += x; x -= 1; while x > 0` with x = 10.
    let mut interp = Interp::new(&p);
    let c = code(&mut interp, &p, &[1, 2, 5, 4, 0, 6]);
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
    let values: Vec<RtValue> = mp.greens.iter().chain(&mp.reds).map(|(v, _)| value(*v)).collect();
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), None, "not hot yet");
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), Some(want), "analysed, compiled, run");
    assert_eq!(d.enter_at_merge_point(&values, 1).unwrap(), Some(want), "compiled once");
    assert_eq!(d.reports().len(), 1);
}
