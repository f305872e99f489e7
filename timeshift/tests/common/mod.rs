//! The PyPy-style test helper: `timeshift(source, function, args, greens)` compiles the
//! function for the green arguments' values, checks the residual graph with the verifier, runs
//! it and the original function in the IR interpreter, and requires the same result (or the
//! same runtime error); `check_ops` then states the optimisation the test claims.

use rpy_ir::ir::{Const, Graph, GraphIdx, Program, Value};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use std::collections::BTreeMap;
use timeshift::jitcode::write_all;
use timeshift::{Budgets, Compiler, Engine, Shared, Stats};

/// An argument: a plain int, float, bool or char, or the name of a module constant (a
/// prebuilt object).
#[derive(Clone, Copy)]
#[allow(dead_code)]
pub enum Arg {
    Int(i64),
    Float(f64),
    Bool(bool),
    Char(u8),
    Global(&'static str),
}

#[allow(unused_imports)]
pub use Arg::{Bool, Char, Float, Global, Int};

pub struct Residual {
    pub program: Program,
    pub graph: GraphIdx,
    pub stats: Stats,
}

impl Residual {
    pub fn graph(&self) -> &Graph {
        &self.program.graphs[self.graph]
    }

    /// Counts of each opcode name in the residual graph.
    pub fn ops(&self) -> BTreeMap<String, usize> {
        let g = self.graph();
        let mut counts = BTreeMap::new();
        for b in g.blocks.values() {
            for op in &b.ops {
                *counts.entry(g.ops[*op].opcode.info().name.to_string()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// Counts of each opcode name in the blocks of the residual graph that lie on a cycle
    /// of blocks without a `without` op (the loops that run none: `""` for all loops).
    #[allow(dead_code)]
    pub fn loop_ops(&self, without: &str) -> BTreeMap<String, usize> {
        let g = self.graph();
        let mut counts = BTreeMap::new();
        for b in cycle_blocks(g, without) {
            for op in &g.blocks[b].ops {
                *counts.entry(g.ops[*op].opcode.info().name.to_string()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// Asserts the count of each named opcode (others unconstrained).
    pub fn check_ops(&self, expected: &[(&str, usize)]) {
        let counts = self.ops();
        for (name, n) in expected {
            let got = counts.get(*name).copied().unwrap_or(0);
            assert_eq!(got, *n, "{name}: expected {n}, got {got} in\n{}", self.text());
        }
    }

    /// Number of residual blocks ending in a two-way branch, and in a switch.
    #[allow(dead_code)]
    pub fn splits(&self) -> (usize, usize) {
        let g = self.graph();
        let branches =
            g.blocks.values().filter(|b| matches!(b.exit, rpy_ir::ir::Exit::Branch { .. })).count();
        let switches =
            g.blocks.values().filter(|b| matches!(b.exit, rpy_ir::ir::Exit::Switch { .. })).count();
        (branches, switches)
    }

    pub fn op_total(&self) -> usize {
        self.ops().values().sum()
    }

    pub fn text(&self) -> String {
        rpy_ir::text::print_graph(&self.program, self.graph)
    }
}

fn const_of(program: &Program, a: Arg) -> Const {
    match a {
        Arg::Int(i) => Const::Int(i),
        Arg::Float(f) => Const::float(f),
        Arg::Bool(b) => Const::Bool(b),
        Arg::Char(c) => Const::Char(char::from(c)),
        Arg::Global(name) => {
            let (p, _) = program
                .prebuilt_names
                .iter()
                .find(|(_, n)| n.as_str() == name)
                .expect("no such constant");
            Const::Prebuilt(*p)
        }
    }
}

fn rt_of(interp: &Interp, program: &Program, a: Arg) -> RtValue {
    match a {
        Arg::Int(i) => RtValue::Int(i),
        Arg::Float(f) => RtValue::Float(f),
        Arg::Bool(b) => RtValue::Bool(b),
        Arg::Char(c) => RtValue::Char(char::from(c)),
        Arg::Global(_) => match const_of(program, a) {
            Const::Prebuilt(p) => interp.prebuilt(p),
            _ => unreachable!(),
        },
    }
}

/// The blocks of `g` that lie on a cycle of blocks none of which holds a `without` op (`""`:
/// every block on a cycle).
pub fn cycle_blocks(g: &Graph, without: &str) -> Vec<rpy_ir::ir::Block> {
    let has = |b: rpy_ir::ir::Block| {
        g.blocks[b].ops.iter().any(|op| g.ops[*op].opcode.info().name == without)
    };
    let succs = |b| g.blocks[b].exit.targets().into_iter().map(|t| t.block).filter(|&x| !has(x));
    let cyclic = |b| {
        let (mut seen, mut work): (Vec<_>, Vec<_>) = (Vec::new(), succs(b).collect());
        while let Some(x) = work.pop() {
            if x == b {
                return true;
            }
            if !seen.contains(&x) {
                seen.push(x);
                work.extend(succs(x));
            }
        }
        false
    };
    g.blocks.keys().filter(|&b| !has(b) && cyclic(b)).collect()
}

pub fn compile_program(src: &str) -> Program {
    rpy_ir::front::compile("test.rpy", src).unwrap_or_else(|d| panic!("{d}"))
}

/// Compiles `func` for the green args, runs both versions on `args`, compares.
pub fn timeshift(src: &str, func: &str, args: &[Arg], greens: &[&str]) -> Residual {
    timeshift_with(src, func, args, greens, Budgets::default()).expect("compilation gave up")
}

pub fn timeshift_with(
    src: &str,
    func: &str,
    args: &[Arg],
    greens: &[&str],
    budgets: Budgets,
) -> Result<Residual, timeshift::GiveUp> {
    timeshift_program(compile_program(src), func, args, greens, budgets)
}

/// [`timeshift_with`] on a program already built (from the text IR, say).
pub fn timeshift_program(
    program: Program,
    func: &str,
    args: &[Arg],
    greens: &[&str],
    budgets: Budgets,
) -> Result<Residual, timeshift::GiveUp> {
    let policy = hintanalysis::Policy::new(&program, func, greens).unwrap();
    let analysis = hintanalysis::analyse(&program, &policy).unwrap_or_else(|d| panic!("{d}"));
    let codes = write_all(&analysis);
    let key: Vec<Option<Const>> =
        args.iter().zip(&policy.greens).map(|(a, g)| g.then(|| const_of(&program, *a))).collect();
    let shared = Shared { hooks: &std::cell::Cell::new(0), entries: None, known: None };
    // Cold branches as guards need flexswitches (the driver's): here both sides are compiled.
    let budgets = Budgets { cold_guards: false, ..budgets };
    let engine = Engine { program: &program, codes: &codes, budgets, shared, services: None };
    let compiled = Compiler::compile(engine, &key, &format!("{func}__residual"))?;
    assert!(compiled.snapshots.is_empty(), "use the driver for code with flexswitches");
    let (graph, stats) = (compiled.graph, compiled.stats);
    let mut out = program.clone();
    let g = out.add_graph(graph);
    if let Err(errs) = rpy_ir::verify::verify_graph(&out, g) {
        panic!("invalid residual graph: {}\n{}", errs[0], rpy_ir::text::print_graph(&out, g));
    }
    // The reference: the original function on all arguments.
    let portal = program.graph_by_name(func).unwrap();
    let mut interp = Interp::new(&out);
    let all: Vec<RtValue> = args.iter().map(|a| rt_of(&interp, &out, *a)).collect();
    let want = interp.call(portal, &all);
    let reds: Vec<RtValue> =
        all.iter().zip(&policy.greens).filter(|(_, g)| !**g).map(|(a, _)| *a).collect();
    let mut interp2 = Interp::new(&out);
    let got = interp2.call(g, &reds);
    match (&want, &got) {
        // Objects allocated by two runs differ: compare their types.
        (Ok(RtValue::Ref(a)), Ok(RtValue::Ref(b))) if !a.is_null() && !b.is_null() => {
            assert_eq!(interp.tag_of(RtValue::Ref(*a)), interp2.tag_of(RtValue::Ref(*b)))
        }
        (Ok(a), Ok(b)) => {
            assert_eq!(a, b, "results differ\n{}", rpy_ir::text::print_graph(&out, g))
        }
        (Err(a), Err(b)) => {
            assert_eq!((a.kind, &a.message), (b.kind, &b.message), "errors differ")
        }
        _ => panic!(
            "llinterp gave {want:?}, residual gave {got:?}\n{}",
            rpy_ir::text::print_graph(&out, g)
        ),
    }
    Ok(Residual { program: out, graph: g, stats })
}

/// Runs the residual graph on other red arguments and compares with the original function.
pub fn rerun(r: &Residual, func: &str, args: &[i64], greens_mask: &[bool]) {
    let args: Vec<Arg> = args.iter().map(|a| Arg::Int(*a)).collect();
    rerun_args(r, func, &args, greens_mask)
}

/// [`rerun`] with any arguments (green ones are ignored by the residual graph).
pub fn rerun_args(r: &Residual, func: &str, args: &[Arg], greens_mask: &[bool]) {
    let portal = r.program.graph_by_name(func).unwrap();
    let mut interp = Interp::new(&r.program);
    let all: Vec<RtValue> = args.iter().map(|a| rt_of(&interp, &r.program, *a)).collect();
    let want = interp.call(portal, &all);
    let reds: Vec<RtValue> =
        all.iter().zip(greens_mask).filter(|(_, g)| !**g).map(|(a, _)| *a).collect();
    let got = Interp::new(&r.program).call(r.graph, &reds);
    match (&want, &got) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a.kind, b.kind),
        _ => panic!("llinterp gave {want:?}, residual gave {got:?}"),
    }
}

#[allow(dead_code)]
pub fn uses_const(r: &Residual, c: Const) -> bool {
    let g = r.graph();
    g.ops.values().any(|op| op.args.contains(&Value::Const(c)))
}

/// Asserts the count of each named opcode in graph `g` of `program` (others unconstrained).
#[allow(dead_code)]
pub fn check_ops_of(program: &Program, g: GraphIdx, expected: &[(&str, usize)]) {
    let graph = &program.graphs[g];
    for (name, n) in expected {
        let got = graph
            .blocks
            .values()
            .flat_map(|b| &b.ops)
            .filter(|op| graph.ops[**op].opcode.info().name == *name)
            .count();
        assert_eq!(
            got,
            *n,
            "{name}: expected {n}, got {got} in\n{}",
            rpy_ir::text::print_graph(program, g)
        );
    }
}
