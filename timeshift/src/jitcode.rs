//! JitCode: what the codewriter makes of each coloured specialisation, and what the rainbow
//! engine runs at compile time.
//!
//! Vocabulary and invariants:
//! - One [`JitCode`] per specialisation of the hint analysis ([`SpecIdx`]). Its registers are
//!   the graph's variables (register `r7` holds `v7`); the analysis says which are green (hold a
//!   compile-time [`rpy_ir::ir::Const`]) and which red (hold a red box).
//! - Instructions refer to the graph's ops and blocks by index rather than copying them: the
//!   graph stays the single description of what an op does (operands, aux data, span).
//! - Each block starts at a known instruction index; a block where values meet in red code (a
//!   join of the specialisation) starts with a [`Insn::Merge`] listing the red registers live
//!   there — the state the engine compares to close loops.

use cranelift_entity::{EntitySet, PrimaryMap, SecondaryMap};
use hintanalysis::{Analysis, CallKind, SpecIdx};
use rpy_ir::ir::{Block, Exit, Graph, GraphIdx, OpIdx, Value, Var};
use rpy_ir::ops::Opcode;
use std::fmt::Write;

rpy_ir::entity! {
    /// A JitCode in a [`JitCodes`] table.
    JitCodeIdx, "jitcode"
}

/// One instruction of the compile-time interpreter.
#[derive(Clone, Debug, PartialEq)]
pub enum Insn {
    /// Values may meet here: compare the state with those already compiled at this block.
    Merge {
        /// The block starting here.
        block: Block,
        /// Registers live at the block's start (parameters included), green and red.
        live: Vec<Var>,
    },
    /// Run the op now: every operand is green, and so is the result.
    Green(OpIdx),
    /// A red op: fold it on constant boxes, handle it on virtual objects, or emit it.
    Red(OpIdx),
    /// An item read through a green deep-frozen (or immutable) array with a red index: read
    /// at compile time when the index turns out a constant (a lookup unrolled on frozen data
    /// gives one), else a red op.
    FrozenRead(OpIdx),
    /// Follow a call into the callee's JitCode.
    Call(OpIdx, JitCodeIdx),
    /// Emit a residual call.
    ResidualCall(OpIdx),
    /// A hint op (`promote`, `concrete`, ... or the global merge point).
    Hint(OpIdx),
    /// The block's exit: decided now when its tested value is green, split when red.
    Exit {
        /// The block whose exit this is.
        block: Block,
        /// Whether the tested value (branch or switch) is green.
        green: bool,
    },
    /// A call to an `@elidable` function: run at compile time on constant arguments, else one
    /// residual call per distinct argument list on a path.
    ElidableCall(OpIdx),
    /// A `call_indirect` through a green function pointer: a direct call to the constant
    /// target, followed or not as [`JitCode::indirect`] says.
    IndirectCall(OpIdx),
}

/// The JitCode of one specialisation.
#[derive(Clone, Debug)]
pub struct JitCode {
    /// The specialisation.
    pub spec: SpecIdx,
    /// Its graph.
    pub graph: GraphIdx,
    /// The instructions.
    pub insns: Vec<Insn>,
    /// Where each reached block starts.
    pub block_start: SecondaryMap<Block, Option<u32>>,
    /// Which registers are green.
    pub green: EntitySet<Var>,
    /// For each [`Insn::IndirectCall`]: each possible target and what a call to it does.
    pub indirect: std::collections::HashMap<OpIdx, Vec<(GraphIdx, CallTarget)>>,
    /// For each call op that may be followed ([`Insn::Call`], [`Insn::IndirectCall`]): the
    /// registers live after it (sorted). A followed call forgets the caller's other registers,
    /// so the caller's part of a state frozen inside the callee is the same at every visit of
    /// the call, whatever path led there (in SSA, a register live at a point is set on every
    /// path to it); a dead register kept would make two states of one merge key differ in
    /// their positions.
    pub live_after: std::collections::HashMap<OpIdx, Vec<Var>>,
}

/// What a call to one target of an indirect call through a green pointer does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallTarget {
    /// Followed into this JitCode.
    Follow(JitCodeIdx),
    /// A call to an `@elidable` function.
    Elidable,
    /// A residual direct call.
    Residual,
}

/// Every JitCode of an analysis, indexed like its specialisations.
#[derive(Clone, Debug)]
pub struct JitCodes {
    /// One per specialisation.
    pub codes: PrimaryMap<JitCodeIdx, JitCode>,
    /// The portal's.
    pub portal: JitCodeIdx,
    /// Which graphs may touch a virtualizable's fields or items, for residual calls
    /// (computed once here: [`rpy_ir::virtualizable::VirtualizableAccess`]).
    pub vable_access: rpy_ir::virtualizable::VirtualizableAccess,
    /// Graphs whose run may write a quasi-immutable field: a residual call of one is followed
    /// by the validity check of code relying on such fields.
    pub quasi_writers: std::collections::HashSet<GraphIdx>,
    /// The program precompiled for compile-time runs of elidable calls, made once for every
    /// compilation ([`ElidableRuns`](crate::rainbow::ElidableRuns)).
    pub elidable: crate::rainbow::ElidableRuns,
}

/// The codewriter: turns every specialisation of the analysis into JitCode.
pub fn write_all(a: &Analysis) -> JitCodes {
    let mut codes = PrimaryMap::new();
    for (s, _) in a.specs.iter() {
        codes.push(write(a, s));
    }
    let vable_access = rpy_ir::virtualizable::VirtualizableAccess::compute(a.program);
    let quasi_writers = a.program.graphs.keys().filter(|g| a.calls.may_write_quasi(*g)).collect();
    let portal = JitCodeIdx::from_u32(a.portal.as_u32());
    JitCodes { codes, portal, vable_access, quasi_writers, elidable: Default::default() }
}

/// The JitCode of one specialisation.
pub fn write(a: &Analysis, s: SpecIdx) -> JitCode {
    let spec = &a.specs[s];
    let g = &a.program.graphs[spec.graph];
    let mut green = EntitySet::new();
    for (v, abs) in spec.vars.iter() {
        if abs.is_some_and(|x| x.is_green()) {
            green.insert(v);
        }
    }
    let live = live_in(g);
    let mut insns = Vec::new();
    let mut block_start = SecondaryMap::new();
    for (b, data) in g.blocks.iter() {
        if !spec.reached.contains(b) {
            continue;
        }
        block_start[b] = Some(insns.len() as u32);
        if spec.joins.contains(&b) {
            insns.push(Insn::Merge { block: b, live: live[b].clone() });
        }
        for &op in &data.ops {
            let od = &g.ops[op];
            insns.push(match (od.opcode, spec.calls.get(&op)) {
                (Opcode::Call, Some(CallKind::Follow(c))) => {
                    Insn::Call(op, JitCodeIdx::from_u32(c.as_u32()))
                }
                (Opcode::Call, Some(CallKind::Elidable)) => Insn::ElidableCall(op),
                (Opcode::Call, _) => Insn::ResidualCall(op),
                (Opcode::CallIndirect, Some(CallKind::Indirect)) => Insn::IndirectCall(op),
                (Opcode::Hint, _) => Insn::Hint(op),
                // A green `call_extern` is a pure extern on green arguments: folding calls it
                // at compile time (`rpy_ir::fold`, scalar and string arguments).
                _ if spec.is_green_op(a.program, op) => Insn::Green(op),
                (Opcode::GetArrayItem, _) if frozen_array(a, spec, od) => Insn::FrozenRead(op),
                _ => Insn::Red(op),
            });
        }
        let green_exit = match &data.exit {
            Exit::Branch { cond: v, .. } | Exit::Switch { value: v, .. } => {
                spec.value(*v).is_green()
            }
            _ => true,
        };
        insns.push(Insn::Exit { block: b, green: green_exit });
    }
    let indirect = spec
        .indirect
        .iter()
        .map(|(op, targets)| {
            let targets = targets
                .iter()
                .map(|(g, kind)| {
                    let t = match kind {
                        CallKind::Follow(c) => CallTarget::Follow(JitCodeIdx::from_u32(c.as_u32())),
                        CallKind::Elidable => CallTarget::Elidable,
                        _ => CallTarget::Residual,
                    };
                    (*g, t)
                })
                .collect();
            (*op, targets)
        })
        .collect();
    let followed =
        |op: OpIdx| matches!(spec.calls.get(&op), Some(CallKind::Follow(_) | CallKind::Indirect));
    let live_after = live_after_ops(g, &live, |b, op| spec.reached.contains(b) && followed(op));
    JitCode { spec: s, graph: spec.graph, insns, block_start, green, indirect, live_after }
}

/// The variables live right after each op `wanted` selects (given its block and itself), from the blocks' live-in sets.
fn live_after_ops(
    g: &Graph,
    live: &SecondaryMap<Block, Vec<Var>>,
    wanted: impl Fn(Block, OpIdx) -> bool,
) -> std::collections::HashMap<OpIdx, Vec<Var>> {
    let mut out = std::collections::HashMap::new();
    for (b, data) in g.blocks.iter() {
        if !data.ops.iter().any(|op| wanted(b, *op)) {
            continue;
        }
        let mut set = live_out(g, data, live);
        for &op in data.ops.iter().rev() {
            if wanted(b, op) {
                let mut after = set.clone();
                after.sort();
                out.insert(op, after);
            }
            let od = &g.ops[op];
            if let Some(r) = od.result {
                set.retain(|v| *v != r);
            }
            od.args.iter().for_each(|a| add_use(&mut set, a));
        }
    }
    out
}

/// Adds the variable `v` is, if it is one, to `vals`.
fn add_use(vals: &mut Vec<Var>, v: &Value) {
    if let Value::Var(x) = v {
        if !vals.contains(x) {
            vals.push(*x);
        }
    }
}

/// The variables live at the end of a block: those its exit uses and those live into its
/// targets that are not their parameters.
fn live_out(
    g: &Graph,
    data: &rpy_ir::ir::BlockData,
    live: &SecondaryMap<Block, Vec<Var>>,
) -> Vec<Var> {
    let mut set: Vec<Var> = Vec::new();
    for t in data.exit.targets() {
        for v in &live[t.block] {
            if !g.blocks[t.block].params.contains(v) && !set.contains(v) {
                set.push(*v);
            }
        }
        t.args.iter().for_each(|a| add_use(&mut set, a));
    }
    match &data.exit {
        Exit::Branch { cond: v, .. } | Exit::Switch { value: v, .. } | Exit::Return(Some(v)) => {
            add_use(&mut set, v)
        }
        _ => {}
    }
    set
}

/// Whether the array an item read reads is green and deep-frozen or of an immutable type.
fn frozen_array(a: &Analysis, spec: &hintanalysis::Spec, od: &rpy_ir::ir::OpData) -> bool {
    let arr = spec.value(od.args[0]);
    let immutable = match &od.aux {
        rpy_ir::ir::Aux::Array(at) => a.program.types.as_array(*at).is_some_and(|t| t.immutable),
        _ => false,
    };
    arr.is_green() && (arr.frozen || immutable)
}

/// Variables live at the start of each block (backward dataflow to a fixpoint).
pub fn live_in(g: &Graph) -> SecondaryMap<Block, Vec<Var>> {
    let mut live: SecondaryMap<Block, Vec<Var>> = SecondaryMap::new();
    loop {
        let mut changed = false;
        for b in g.blocks.keys().rev() {
            let data = &g.blocks[b];
            let mut set = live_out(g, data, &live);
            for &op in data.ops.iter().rev() {
                let od = &g.ops[op];
                if let Some(r) = od.result {
                    set.retain(|v| *v != r);
                }
                od.args.iter().for_each(|a| add_use(&mut set, a));
            }
            set.retain(|v| !data.params.contains(v));
            set.extend(data.params.iter().copied());
            set.sort();
            if live[b] != set {
                live[b] = set;
                changed = true;
            }
        }
        if !changed {
            return live;
        }
    }
}

/// JitCode as text: one instruction per line with the op it runs (golden tests, logs).
pub fn jitcode_text(program: &rpy_ir::ir::Program, code: &JitCode) -> String {
    let g = &program.graphs[code.graph];
    let printer = rpy_ir::text::GraphPrinter::new(program, g);
    let mut out = String::new();
    let _ = writeln!(out, "jitcode {} ({})", g.name, code.spec);
    for (i, insn) in code.insns.iter().enumerate() {
        let text = match insn {
            Insn::Merge { block, live } => {
                let live: Vec<String> = live.iter().map(|v| v.to_string()).collect();
                format!("merge {block} [{}]", live.join(", "))
            }
            Insn::Green(op) => format!("green  {}", printer.op(*op)),
            Insn::Red(op) => format!("red    {}", printer.op(*op)),
            Insn::FrozenRead(op) => format!("frozen {}", printer.op(*op)),
            Insn::Call(op, c) => format!("call   {}  -> {c}", printer.op(*op)),
            Insn::ResidualCall(op) => format!("rcall  {}", printer.op(*op)),
            Insn::Hint(op) => format!("hint   {}", printer.op(*op)),
            Insn::ElidableCall(op) => format!("ecall  {}", printer.op(*op)),
            Insn::IndirectCall(op) => {
                let targets: Vec<String> = code.indirect[op]
                    .iter()
                    .map(|(g, t)| match t {
                        CallTarget::Follow(c) => format!("{} {c}", program.graphs[*g].name),
                        CallTarget::Elidable => format!("{} elidable", program.graphs[*g].name),
                        CallTarget::Residual => format!("{} residual", program.graphs[*g].name),
                    })
                    .collect();
                format!("icall  {}  -> {}", printer.op(*op), targets.join(", "))
            }
            Insn::Exit { block, green } => {
                format!("{} {}", if *green { "gexit " } else { "rexit " }, printer.exit(*block))
            }
        };
        let label = code
            .block_start
            .iter()
            .find(|(_, s)| **s == Some(i as u32))
            .map(|(b, _)| format!("{b}:"))
            .unwrap_or_default();
        let _ = writeln!(out, "{label:<9}{i:>4}  {text}");
    }
    out
}
