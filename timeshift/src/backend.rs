//! What the JIT needs from a code generator (PyPy's rgenop), and the IR-interpreter backend.
//!
//! A backend compiles residual graphs into something callable, calls it (with the JIT's hook
//! for flexswitch misses), installs the case of a new value at a flexswitch, and calls the
//! interpreter's own graphs (the fallback when a compilation gives up). Methods take `&self`:
//! a flexswitch miss compiles and installs code while compiled code is running.
//!
//! The IR-interpreter backend keeps its program (the interpreter's graphs plus every residual
//! graph) behind a reference-counted snapshot: compiling or installing a case makes a new
//! version of the program; code already running keeps the version it started with (a miss
//! there finds the case compiled and just runs it).

use crate::error::{BackendError, JitError, RunError, RunResult};
use rpy_ir::ir::{Aux, Exit, Graph, GraphIdx, Program, Target, Value};
use rpy_ir::llinterp::Interp;
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::{RtValue, RuntimeError};
use rpy_ir::span::Span;
use std::cell::RefCell;
use std::rc::Rc;

/// The JIT's handler of `jit_hook` (a flexswitch miss), given the hook number and the
/// operands (the value switched on, then the live values).
pub trait MissHook<C> {
    /// Runs the rest of the portal call for this value (compiling its case first if needed)
    /// and returns its result.
    fn run(&self, hook: u32, args: &[RtValue]) -> Result<RtValue, RunError>;

    /// Compiles and installs the case of this value if needed and returns it, without running
    /// it: the case takes the live values, and the caller (compiled code at the switch)
    /// continues in it. `None` when the value has no case of its own (it goes on through
    /// [`MissHook::run`]).
    fn prepare(&self, hook: u32, args: &[RtValue]) -> Result<Option<C>, JitError>;

    /// Compiles `code`'s graph again with the cases its flexswitches have met inline (through
    /// [`Backend::replace`]) if that was put off ([`Backend::inlines_when_hot`]): a backend
    /// calls it before compiling hot code again. Whether it did.
    fn refresh(&self, code: &C) -> bool;
}

/// A miss handler as backends receive it.
pub type Hook<'h, C> = &'h dyn MissHook<C>;

/// A new case of a flexswitch: in `owner`, the switch of `jit_hook` number `hook` jumps to
/// `code` when it sees `value`.
#[derive(Clone, Copy, Debug)]
pub struct SwitchCase<'c, C> {
    /// The code the flexswitch is in.
    pub owner: &'c C,
    /// The `jit_hook` number of the flexswitch.
    pub hook: u32,
    /// The value switched on.
    pub value: i64,
    /// The case's code (it takes the live values of the hook).
    pub code: &'c C,
}

/// What a backend spent turning residual graphs into code, for the driver's `cost` log line
/// ([`Backend::flush_cost`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CodegenCost {
    /// Graphs compiled.
    pub graphs: usize,
    /// IR ops in them.
    pub ops: usize,
    /// Milliseconds building the code generator's IR.
    pub lower_ms: f64,
    /// Milliseconds in its optimisation pipeline.
    pub optimise_ms: f64,
    /// Milliseconds generating machine code (and linking it).
    pub codegen_ms: f64,
    /// The optimisation level, as the backend names it.
    pub level: String,
}

/// A code generator for residual graphs.
pub trait Backend {
    /// A handle to compiled code.
    type Code: Clone;

    /// Compiles a residual graph (already verified by the engine's caller).
    fn compile(&self, graph: Graph) -> Result<Self::Code, BackendError>;

    /// Installs a new case of a flexswitch.
    fn add_case(&self, case: SwitchCase<'_, Self::Code>) -> Result<(), BackendError>;

    /// Calls compiled code; flexswitch misses call `hook`.
    fn call(&self, code: &Self::Code, args: &[RtValue], hook: Hook<Self::Code>) -> RunResult;

    /// Calls one of the interpreter's own graphs (the fallback path).
    fn call_interpreter(&self, graph: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError>;

    /// The current program (interpreter and residual graphs), for printing and tests.
    fn program(&self) -> Rc<Program>;

    /// The graph compiled code was made from, as other residual graphs call it.
    fn graph_of(&self, code: &Self::Code) -> GraphIdx;

    /// Replaces compiled code by a new compilation of the same graph (its flexswitches' known
    /// cases now inline): callers, and later calls, reach the new code.
    fn replace(&self, code: &Self::Code, graph: Graph) -> Result<(), BackendError>;

    /// Compiles now whatever [`Backend::compile`], [`Backend::replace`] and
    /// [`Backend::add_case`] left pending and says what that cost; `None` when the backend
    /// compiles nothing apart (the driver asks only when its `cost` log stage is on, so each
    /// compilation's code is made, and its cost shown, on its own). Default: `None`.
    fn flush_cost(&self) -> Result<Option<CodegenCost>, BackendError> {
        Ok(None)
    }

    /// Whether the JIT should put off compiling a flexswitch's owner again with the cases met
    /// inline until the backend finds the owner hot ([`MissHook::refresh`]): a backend whose
    /// first tier reaches the cases through the switch anyway says yes, and the JIT then
    /// spends nothing on owners that never get hot. Default: no (every new case is inlined at
    /// once).
    fn inlines_when_hot(&self) -> bool {
        false
    }

    /// The flexswitch `code` will reach first when called with `args`, and its operands (the
    /// value switched on, then the live values), if the backend can tell by evaluating the
    /// start of the code on those values (reading the heap, no side effects): the JIT then
    /// compiles that case before the code runs, in the same batch. Default: cannot tell.
    fn predict_hook(&self, code: &Self::Code, args: &[RtValue]) -> Option<(u32, Vec<RtValue>)> {
        let _ = (code, args);
        None
    }

    /// The address of prebuilt object `p` where compiled code runs, if the backend can tell
    /// (the JIT then reads quasi-immutable fields of prebuilt objects as constants, and runs
    /// elidable calls on them at compile time). Default: cannot tell.
    fn prebuilt_address(&self, p: rpy_ir::ir::PrebuiltIdx) -> Option<u64> {
        let _ = p;
        None
    }

    /// Told by the driver as it enters `code` for a tiered interpreter's merge point visit
    /// whose greens are `greens`: until the next write to a quasi-immutable field
    /// (`rpy_ir::runtime::quasi::invalidations` changes), every visit with these greens would
    /// enter `code` with the visit's reds, so a backend may enter it itself at those visits
    /// without asking the driver (its *direct entries*, counted for
    /// [`Backend::take_direct_entries`]). Default: the backend always asks.
    fn enters_at_merge_point(&self, greens: &[RtValue], code: &Self::Code) {
        let _ = (greens, code);
    }

    /// Merge point visits the backend entered compiled code for by itself since the last
    /// call ([`Backend::enters_at_merge_point`]): work the driver's payoff ledger observes.
    fn take_direct_entries(&self) -> u64 {
        0
    }
}

/// Runs residual graphs in the IR interpreter.
pub struct LlinterpBackend {
    program: RefCell<Rc<Program>>,
    /// The program's prebuilt objects (module constants and global state), one set shared by
    /// every run: residual code and the interpreter must see the same objects.
    prebuilt: rpy_ir::gc::RootBuf,
}

impl LlinterpBackend {
    /// A backend over a copy of the interpreter's program, with prebuilt objects of its own.
    pub fn new(program: &Program) -> LlinterpBackend {
        let words = Interp::new(program).prebuilt_words();
        LlinterpBackend::with_prebuilt(program, &words)
    }

    /// A backend whose runs share the prebuilt objects at `words` (an [`Interp`]'s
    /// [`Interp::prebuilt_words`]): the caller's interpreter and compiled code then agree on
    /// module constants and global state. The backend keeps them alive.
    pub fn with_prebuilt(program: &Program, words: &[u64]) -> LlinterpBackend {
        let mut prebuilt = rpy_ir::gc::RootBuf::with_capacity(words.len().max(1));
        for w in words {
            prebuilt.push(*w);
        }
        LlinterpBackend { program: RefCell::new(Rc::new(program.clone())), prebuilt }
    }

    /// Changes a copy of the program with `f`, which returns the graph it changed or added;
    /// the copy replaces the program if that graph verifies.
    fn update(
        &self,
        f: impl FnOnce(&mut Program) -> Result<GraphIdx, BackendError>,
    ) -> Result<GraphIdx, BackendError> {
        let mut p = (**self.program.borrow()).clone();
        let g = f(&mut p)?;
        BackendError::check(&p.graphs[g].name, rpy_ir::verify::verify_graph(&p, g))?;
        *self.program.borrow_mut() = Rc::new(p);
        Ok(g)
    }
}

impl Backend for LlinterpBackend {
    type Code = GraphIdx;

    fn prebuilt_address(&self, p: rpy_ir::ir::PrebuiltIdx) -> Option<u64> {
        self.prebuilt.as_slice().get(p.as_u32() as usize).copied()
    }

    fn compile(&self, graph: Graph) -> Result<GraphIdx, BackendError> {
        self.update(|p| Ok(p.add_graph(graph)))
    }

    fn add_case(&self, case: SwitchCase<'_, GraphIdx>) -> Result<(), BackendError> {
        let SwitchCase { owner, hook, value, code: case } = case;
        self.update(|p| {
            let ret = p.graphs[*owner].ret;
            let g = &mut p.graphs[*owner];
            let miss = g
                .blocks
                .iter()
                .find(|(_, b)| b.ops.iter().any(|o| g.ops[*o].aux == Aux::Hook(hook)))
                .map(|(b, _)| b)
                .ok_or_else(|| BackendError::NoSwitch { hook, graph: Some(g.name.clone()) })?;
            // The case is reached from the miss path, after what it does before the hook
            // (the pending stores it emits: the case starts from the heap up to date): the
            // hook moves to a block of its own, after a switch on the value.
            let ops = &g.blocks[miss].ops;
            let at = ops.iter().position(|o| g.ops[*o].aux == Aux::Hook(hook)).unwrap();
            let hook_op = ops[at];
            let args: Vec<Value> = g.ops[hook_op].args[1..].to_vec();
            // The value as the flexswitch tests it (a pointer or bool is switched on as an int).
            let switched = g
                .blocks
                .values()
                .find_map(|b| match &b.exit {
                    Exit::Switch { value, default, .. } if default.block == miss => Some(*value),
                    _ => None,
                })
                .ok_or_else(|| BackendError::NoSwitch { hook, graph: Some(g.name.clone()) })?;
            let case_block = g.add_block(Span::UNKNOWN);
            let r =
                g.push_op(case_block, Opcode::Call, args, Aux::Graph(*case), ret, Span::UNKNOWN);
            g.blocks[case_block].exit = Exit::Return(r.map(Value::Var));
            // (A later case finds the hook there and adds a switch of its own before it.)
            let hook_block = g.add_block(Span::UNKNOWN);
            let rest = g.blocks[miss].ops.split_off(at);
            g.blocks[hook_block].ops = rest;
            let exit = std::mem::replace(
                &mut g.blocks[miss].exit,
                Exit::Switch {
                    value: switched,
                    cases: vec![(value, Target { block: case_block, args: Vec::new() })],
                    default: Target { block: hook_block, args: Vec::new() },
                },
            );
            g.blocks[hook_block].exit = exit;
            Ok(*owner)
        })
        .map(|_| ())
    }

    fn call(&self, code: &GraphIdx, args: &[RtValue], hook: Hook<GraphIdx>) -> RunResult {
        let program = self.program.borrow().clone();
        let mut interp = Interp::sharing_prebuilt(&program, self.prebuilt.as_slice());
        // The interpreter's hooks fail with the program's errors only: a JIT error stops the
        // run as a stand-in run-time error and is kept here, for the result.
        let jit_error: RefCell<Option<JitError>> = RefCell::new(None);
        let run = |id: u32, a: &[RtValue]| {
            hook.run(id, a).map_err(|e| match e {
                RunError::Program(e) => e,
                RunError::Jit(e) => {
                    let stand_in = RuntimeError::jit(e.to_string());
                    jit_error.borrow_mut().get_or_insert(e);
                    stand_in
                }
            })
        };
        interp.set_jit_hook(&run);
        let result = interp.call(*code, args);
        drop(interp);
        match (result, jit_error.into_inner()) {
            (Err(_), Some(e)) => Err(RunError::Jit(e)),
            (result, _) => result.map_err(RunError::Program),
        }
    }

    fn call_interpreter(&self, graph: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError> {
        let program = self.program.borrow().clone();
        Ok(Interp::sharing_prebuilt(&program, self.prebuilt.as_slice()).call(graph, args)?)
    }

    fn program(&self) -> Rc<Program> {
        self.program.borrow().clone()
    }

    fn graph_of(&self, code: &GraphIdx) -> GraphIdx {
        *code
    }

    fn replace(&self, code: &GraphIdx, graph: Graph) -> Result<(), BackendError> {
        self.update(|p| {
            p.types.sig(graph.params.clone(), graph.ret);
            p.graphs[*code] = graph;
            Ok(*code)
        })
        .map(|_| ())
    }
}
