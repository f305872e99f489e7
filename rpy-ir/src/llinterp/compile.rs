//! Precompilation of a flow graph into the interpreter's flat instruction form.
//!
//! Invariants of a compiled graph ([`Code`]):
//! - Registers are 64-bit words in one frame: register `i < nvars` holds variable `v{i}`;
//!   then one scratch register (parallel-move cycles) and one sink register (results nobody
//!   reads); then the constants (`const_base..`, copied from [`Code::consts`] when a frame is
//!   entered). Every register index in [`Code::insts`] is `< nregs`.
//! - Values in registers: ints two's complement, floats IEEE bits, bools 0/1, chars 0..=255,
//!   GC pointers as addresses (0 = null), function pointers as graph index + 1 (0 = null).
//! - Chars and bools are zero-extended words, so their comparisons are int comparisons;
//!   pointer equality is int equality; `cast_char_to_int`, `same_as` and `hint` are moves.
//! - Blocks are laid out in the graph's block order, the entry block first (pc 0). Block
//!   parameters are bound by parallel moves on the edge, sequentialised at compile time into
//!   the move list of a `JumpMoves` (for a `goto`, or in a stub after the block for the
//!   targets of `Branch`, `Switch` and fused branches). Every jump target is a pc.
//! - A block ending in a branch on the result of its last op, an int-like comparison or null
//!   test used nowhere else, ends in one fused compare-and-branch instruction instead.
//! - Each block's exit instruction carries the block's number of IR ops; the interpreter adds
//!   it to its op counter, so a run that completes counts every executed IR op exactly.
//! - [`Code::origins`] maps every pc to the op it came from (for runtime errors' spans).
//! - A `jit_hook` op becomes one `JitHook` instruction naming a [`HookSite`] of
//!   [`Code::hooks`], which keeps the IR types of the operands and result: registers hold
//!   untyped words, the hook takes and returns typed [`super::RtValue`]s.

use super::Reg;
use crate::externs::ExternDef;
use crate::ir::{Aux, Block, Const, Exit, Graph, GraphIdx, OpData, OpIdx, Program, Target, Value};
use crate::layout::Layout;
use crate::ops::Opcode;
use crate::runtime::RtValue;
use crate::types::{HeapType, Ty};
use cranelift_entity::{EntityRef, SecondaryMap};
use indexmap::IndexMap;
use std::collections::HashMap;

/// `MallocArray` flag: items are one byte.
pub(super) const ARRAY_BYTE_ITEMS: u32 = 1;
/// `MallocArray` flag: items are GC pointers (allocate scanned).
pub(super) const ARRAY_HAS_POINTERS: u32 = 2;
/// `MallocArray` flag: items are four bytes (chars).
pub(super) const ARRAY_CHAR_ITEMS: u32 = 4;

/// Declares [`Inst`]: one variant per binary op (`dst, a, b`) and per unary op (`dst, a`),
/// named as its opcode, then the other instructions; and [`binary_inst`] and [`unary_inst`],
/// the instruction of each of those opcodes. The op lists are written once, here.
macro_rules! instructions {
    (
        binary: [$($bin:ident),* $(,)?],
        unary: [$($un:ident),* $(,)?],
        $($(#[$meta:meta])* $other:ident($($field:ty),*),)*
    ) => {
        /// One interpreter instruction. Fields are registers unless named otherwise; the first
        /// field is the destination register where there is one.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub(super) enum Inst {
            $($bin(Reg, Reg, Reg),)*
            $($un(Reg, Reg),)*
            $($(#[$meta])* $other($($field),*),)*
        }

        /// The instruction of a binary op that has one of its own.
        fn binary_inst(opcode: Opcode) -> Option<fn(Reg, Reg, Reg) -> Inst> {
            match opcode {
                $(Opcode::$bin => Some(Inst::$bin),)*
                _ => None,
            }
        }

        /// The instruction of a unary op that has one of its own.
        fn unary_inst(opcode: Opcode) -> Option<fn(Reg, Reg) -> Inst> {
            match opcode {
                $(Opcode::$un => Some(Inst::$un),)*
                _ => None,
            }
        }
    };
}

// The op lists are laid out by hand.
#[rustfmt::skip]
instructions! {
    binary: [
        IntAdd, IntSub, IntMul, IntFloorDiv, IntMod, IntAnd, IntOr, IntXor, IntLshift, IntRshift,
        IntLt, IntLe, IntEq, IntNe, IntGt, IntGe,
        FloatAdd, FloatSub, FloatMul, FloatTrueDiv, FloatLt, FloatLe, FloatEq, FloatNe, FloatGt,
        FloatGe, IntAddOvf, IntSubOvf, IntMulOvf, IntLshiftOvf,
    ],
    unary: [
        IntNeg, IntInvert, FloatNeg, CastIntToFloat, CastFloatToInt, CastIntToChar, BoolNot,
        PtrIsNull, PtrNonNull, IntNegOvf,
    ],
    /// dst, source.
    Move(Reg, Reg),
    /// dst, tag, size in bytes.
    Malloc(Reg, u32, u32),
    /// dst, length, tag, `ARRAY_*` flags.
    MallocArray(Reg, Reg, u32, u32),
    /// dst, object, byte offset.
    GetField(Reg, Reg, u32),
    /// object, byte offset, value.
    SetField(Reg, u32, Reg),
    /// dst, array, index; `W`: 8-byte items, `B`: 1-byte items.
    GetItemW(Reg, Reg, Reg),
    GetItemB(Reg, Reg, Reg),
    /// array, index, value; `W`: 8-byte items, `B`: 1-byte items.
    SetItemW(Reg, Reg, Reg),
    SetItemB(Reg, Reg, Reg),
    /// dst, array, index (4-byte items: chars).
    GetItemC(Reg, Reg, Reg),
    /// array, index, value (4-byte items: chars).
    SetItemC(Reg, Reg, Reg),
    ArrayLen(Reg, Reg),
    TypeOf(Reg, Reg),
    /// dst, object, lowest tag, highest tag: whether the object's tag is in the range
    /// (`InstanceOf`), or the object if it is (`Cast`).
    InstanceOf(Reg, Reg, u32, u32),
    Cast(Reg, Reg, u32, u32),
    /// dst, callee (a graph index, a function-pointer register, an extern index), offset of
    /// `[n, args...]` in the operand pool.
    Call(Reg, u32, u32),
    CallIndirect(Reg, Reg, u32),
    CallExtern(Reg, u32, u32),
    /// `r = call g(args); return r` (or a void call then `return`): the callee replaces the
    /// caller's frame (graph, operand list, ops of the block), so chains of residual code
    /// calling each other at their ends run in constant stack.
    TailCall(u32, u32, u32),
    /// dst, index of the call site in [`Code::hooks`].
    JitHook(Reg, u32),
    /// target pc, ops in the block.
    Jump(u32, u32),
    /// target pc, offset of `[n, dst1, src1, ...]` (sequential moves) in the operand pool, ops
    /// in the block.
    JumpMoves(u32, u32, u32),
    /// Fused int comparison (`<`, `<=`, `==`, `!=`) and branch: ops in the block, a, b, pc if
    /// the comparison holds, pc otherwise.
    BrLt(u16, Reg, Reg, u32, u32),
    BrLe(u16, Reg, Reg, u32, u32),
    BrEq(u16, Reg, Reg, u32, u32),
    BrNe(u16, Reg, Reg, u32, u32),
    /// condition, pc if true, pc if false, ops in the block.
    Branch(Reg, u32, u32, u32),
    /// value, switch table index, ops in the block.
    Switch(Reg, u32, u32),
    /// value, ops in the block.
    Ret(Reg, u32),
    /// ops in the block.
    RetVoid(u32),}

/// The int comparison that an int-like comparison is (chars and bools are zero-extended
/// words, pointers addresses), or `None` if the op is no int-like comparison.
fn int_comparison(opcode: Opcode) -> Option<Opcode> {
    Some(match opcode {
        Opcode::IntLt | Opcode::CharLt => Opcode::IntLt,
        Opcode::IntLe | Opcode::CharLe => Opcode::IntLe,
        Opcode::IntGt | Opcode::CharGt => Opcode::IntGt,
        Opcode::IntGe | Opcode::CharGe => Opcode::IntGe,
        Opcode::IntEq | Opcode::CharEq | Opcode::BoolEq | Opcode::PtrEq => Opcode::IntEq,
        Opcode::IntNe | Opcode::CharNe | Opcode::BoolNe | Opcode::PtrNe => Opcode::IntNe,
        _ => return None,
    })
}

/// Whether the op is a move: its operand's word is its result's.
fn is_move(opcode: Opcode) -> bool {
    matches!(
        opcode,
        Opcode::CastCharToInt | Opcode::CastBoolToInt | Opcode::CastPtrToInt | Opcode::SameAs
    )
}

/// The targets of a `Switch` instruction.
#[derive(Clone, Debug)]
pub(super) enum SwitchTable {
    /// `targets[v - min]` for `v` in range, else `default`.
    Dense { min: i64, targets: Vec<u32>, default: u32 },
    /// Sorted cases, searched by bisection.
    Sparse { cases: Vec<(i64, u32)>, default: u32 },
}

impl SwitchTable {
    /// The pc for value `v`.
    #[inline]
    pub(super) fn target(&self, v: i64) -> u32 {
        match self {
            SwitchTable::Dense { min, targets, default } => {
                let i = v.wrapping_sub(*min) as u64;
                if i < targets.len() as u64 {
                    targets[i as usize]
                } else {
                    *default
                }
            }
            SwitchTable::Sparse { cases, default } => match cases.binary_search_by_key(&v, |c| c.0)
            {
                Ok(i) => cases[i].1,
                Err(_) => *default,
            },
        }
    }
}

/// A `jit_hook` call site: the JIT's number for it and how to convert its words.
#[derive(Clone, Debug)]
pub(super) struct HookSite {
    /// The op's `Aux::Hook` number.
    pub id: u32,
    /// The operands' registers and IR types, in order.
    pub args: Vec<(Reg, Ty)>,
    /// The result type (`Void` when the op has no result).
    pub ret: Ty,
}

/// Where an instruction came from.
pub(super) const NO_OP: u32 = u32::MAX;

/// A graph compiled for the interpreter.
#[derive(Clone, Debug)]
pub(super) struct Code {
    /// The instructions; execution starts at pc 0.
    pub insts: Vec<Inst>,
    /// Per pc: the index of the op it came from, or [`NO_OP`].
    pub origins: Vec<u32>,
    /// Registers in a frame.
    pub nregs: u32,
    /// First constant register.
    pub const_base: u32,
    /// Constant register values, copied into a new frame.
    pub consts: Vec<u64>,
    /// Registers of the parameters, in order.
    pub params: Vec<Reg>,
    /// Argument lists of calls (`[n, r1, ..., rn]` runs) and move lists of jumps.
    pub operands: Vec<u32>,
    /// Switch tables.
    pub switches: Vec<SwitchTable>,
    /// `jit_hook` call sites.
    pub hooks: Vec<HookSite>,
}

/// What precompilation needs beyond the graph: the program, its layout, prebuilt objects'
/// addresses and the extern table being built.
pub(super) struct Env<'a> {
    pub program: &'a Program,
    pub layout: &'a Layout,
    pub prebuilt: &'a [u64],
    /// The externs called so far, by name; an extern's id is its index.
    pub externs: &'a mut IndexMap<String, &'static ExternDef>,
}

/// The word a constant denotes in a register.
pub(super) fn const_word(c: Const, prebuilt: &[u64]) -> u64 {
    RtValue::const_word(c, prebuilt, func_word)
}

/// The word of a function pointer to `g`.
pub(super) fn func_word(g: GraphIdx) -> u64 {
    g.index() as u64 + 1
}

/// The graph a non-null function word names (the inverse of [`func_word`]).
pub(super) fn graph_of_word(w: u64) -> Option<GraphIdx> {
    Some(GraphIdx::new(usize::try_from(w.checked_sub(1)?).ok()?))
}

/// A jump destination during emission: a block's start, or a pc known already (a stub).
#[derive(Clone, Copy)]
enum LabelDef {
    Block(Block),
    Pc(u32),
}

struct Compiler<'e, 'a> {
    env: &'e mut Env<'a>,
    graph: &'a Graph,
    gidx: GraphIdx,
    code: Code,
    const_regs: HashMap<Const, Reg>,
    scratch: Reg,
    sink: Reg,
    labels: Vec<LabelDef>,
    /// Number of uses of each variable (operands and jump arguments).
    uses: SecondaryMap<crate::ir::Var, u32>,
}

/// Compiles graph `g` of the program.
pub(super) fn compile(env: &mut Env<'_>, g: GraphIdx) -> Code {
    let program = env.program;
    let graph = &program.graphs[g];
    let nvars = graph.vars.len() as u32;
    let mut uses = SecondaryMap::new();
    for block in graph.blocks.values() {
        let exit_values: Vec<Value> = match &block.exit {
            Exit::Branch { cond: v, .. }
            | Exit::Switch { value: v, .. }
            | Exit::Return(Some(v)) => vec![*v],
            _ => Vec::new(),
        };
        let op_args = block.ops.iter().flat_map(|&op| graph.ops[op].args.iter().copied());
        let jump_args = block.exit.targets().into_iter().flat_map(|t| t.args.iter().copied());
        for value in op_args.chain(jump_args).chain(exit_values) {
            if let Value::Var(v) = value {
                uses[v] += 1;
            }
        }
    }
    let mut c = Compiler {
        env,
        graph,
        gidx: g,
        code: Code {
            insts: Vec::new(),
            origins: Vec::new(),
            nregs: 0,
            const_base: nvars + 2,
            consts: Vec::new(),
            params: graph.param_vars().iter().map(|v| v.index() as Reg).collect(),
            operands: Vec::new(),
            switches: Vec::new(),
            hooks: Vec::new(),
        },
        const_regs: HashMap::new(),
        scratch: nvars,
        sink: nvars + 1,
        labels: Vec::new(),
        uses,
    };
    assert_eq!(
        c.code.params.len(),
        graph.params.len(),
        "{}: entry block parameters do not match",
        graph.name
    );

    let mut block_pc: SecondaryMap<Block, u32> = SecondaryMap::new();
    // The entry block first: execution starts at pc 0.
    let order =
        std::iter::once(graph.entry).chain(graph.blocks.keys().filter(|&b| b != graph.entry));
    for b in order {
        block_pc[b] = c.code.insts.len() as u32;
        c.block(b);
    }
    c.resolve_labels(&block_pc);
    c.code.nregs = c.code.const_base + c.code.consts.len() as u32;
    c.code
}

impl Compiler<'_, '_> {
    fn reg(&mut self, v: Value) -> Reg {
        match v {
            Value::Var(v) => {
                assert!(
                    v.index() < self.graph.vars.len(),
                    "{}: {v} is not a variable of the graph",
                    self.graph.name
                );
                v.index() as Reg
            }
            Value::Const(c) => {
                if let Some(&r) = self.const_regs.get(&c) {
                    return r;
                }
                let r = self.code.const_base + self.code.consts.len() as Reg;
                self.code.consts.push(const_word(c, self.env.prebuilt));
                self.const_regs.insert(c, r);
                r
            }
        }
    }

    fn emit(&mut self, inst: Inst, origin: u32) {
        self.code.insts.push(inst);
        self.code.origins.push(origin);
    }

    fn label(&mut self, def: LabelDef) -> u32 {
        self.labels.push(def);
        (self.labels.len() - 1) as u32
    }

    /// The call ending block `b` whose result the block returns (a tail call), if any.
    fn tail_call(&self, b: Block) -> Option<OpIdx> {
        if !self.graph.tail_calls {
            return None;
        }
        let block = &self.graph.blocks[b];
        let &last = block.ops.last()?;
        let op = &self.graph.ops[last];
        if op.opcode != Opcode::Call {
            return None;
        }
        let returned = match (&block.exit, op.result) {
            (Exit::Return(Some(Value::Var(v))), Some(r)) => *v == r,
            (Exit::Return(None), None) => true,
            _ => false,
        };
        // The callee must return what the caller returns: same type, so the word passes as is.
        let Aux::Graph(callee) = op.aux else { return None };
        (returned && self.env.program.graphs[callee].ret == self.graph.ret).then_some(last)
    }

    fn malformed(&self, op: &OpData, what: &str) -> ! {
        panic!("llinterp: malformed op `{}` in graph {}: {what}", op.opcode, self.graph.name)
    }

    fn block(&mut self, b: Block) {
        let graph = self.graph;
        let block = &graph.blocks[b];
        let fused = self.fusable_compare(b);
        let tail = self.tail_call(b);
        let plain_ops = if fused.is_some() || tail.is_some() {
            &block.ops[..block.ops.len() - 1]
        } else {
            &block.ops[..]
        };
        for &op in plain_ops {
            self.op(op);
        }
        let n = block.ops.len() as u32;
        if let Some(op) = tail {
            let od = &graph.ops[op];
            let Aux::Graph(callee) = od.aux else { self.malformed(od, "call without a graph") };
            let want = self.env.program.graphs[callee].params.len();
            let a = self.args(od, want);
            let off = self.operand_list(&a);
            self.emit(Inst::TailCall(callee.index() as u32, off, n), op.index() as u32);
            return;
        }
        let mut stubs: Vec<(u32, &Target)> = Vec::new();
        match &block.exit {
            Exit::Goto(t) => self.jump(t, n),
            Exit::Branch { if_true, if_false, .. } if fused.is_some() => {
                let (op_idx, make, a, b) = fused.expect("checked");
                let t = self.edge(if_true, &mut stubs);
                let f = self.edge(if_false, &mut stubs);
                self.emit(make(n as u16, a, b, t, f), op_idx.index() as u32);
            }
            Exit::Branch { cond, if_true, if_false } => {
                let cond = self.reg(*cond);
                let t = self.edge(if_true, &mut stubs);
                let f = self.edge(if_false, &mut stubs);
                self.emit(Inst::Branch(cond, t, f, n), NO_OP);
            }
            Exit::Switch { value, cases, default } => {
                let v = self.reg(*value);
                let mut labelled: Vec<(i64, u32)> =
                    cases.iter().map(|(k, t)| (*k, self.edge(t, &mut stubs))).collect();
                let default = self.edge(default, &mut stubs);
                labelled.sort_by_key(|c| c.0);
                let table = switch_table(labelled, default);
                self.code.switches.push(table);
                let idx = self.code.switches.len() as u32 - 1;
                self.emit(Inst::Switch(v, idx, n), NO_OP);
            }
            Exit::Return(Some(v)) => {
                let r = self.reg(*v);
                self.emit(Inst::Ret(r, n), NO_OP);
            }
            Exit::Return(None) => self.emit(Inst::RetVoid(n), NO_OP),
        }
        for (label, t) in stubs {
            self.labels[label as usize] = LabelDef::Pc(self.code.insts.len() as u32);
            self.jump(t, 0);
        }
    }

    /// If block `b` ends in a branch on the result of its last op, an int-like comparison or
    /// null test used nowhere else: that op, the fused instruction's constructor and operands.
    #[allow(clippy::type_complexity)]
    fn fusable_compare(
        &mut self,
        b: Block,
    ) -> Option<(OpIdx, fn(u16, Reg, Reg, u32, u32) -> Inst, Reg, Reg)> {
        let graph = self.graph;
        let block = &graph.blocks[b];
        let Exit::Branch { cond: Value::Var(c), .. } = block.exit else { return None };
        let &last = block.ops.last()?;
        let op = &graph.ops[last];
        if op.result != Some(c) || self.uses[c] != 1 || block.ops.len() > u16::MAX as usize {
            return None;
        }
        type Br = fn(u16, Reg, Reg, u32, u32) -> Inst;
        let (make, swap): (Br, bool) = match (int_comparison(op.opcode), op.opcode) {
            (Some(Opcode::IntLt), _) => (Inst::BrLt, false),
            (Some(Opcode::IntLe), _) => (Inst::BrLe, false),
            (Some(Opcode::IntGt), _) => (Inst::BrLt, true),
            (Some(Opcode::IntGe), _) => (Inst::BrLe, true),
            (Some(Opcode::IntEq), _) => (Inst::BrEq, false),
            (Some(Opcode::IntNe), _) => (Inst::BrNe, false),
            (_, Opcode::PtrIsNull | Opcode::PtrNonNull) if op.args.len() == 1 => {
                let a = self.reg(op.args[0]);
                let zero = self.reg(Value::Const(Const::Int(0)));
                let make: Br = if op.opcode == Opcode::PtrIsNull { Inst::BrEq } else { Inst::BrNe };
                return Some((last, make, a, zero));
            }
            _ => return None,
        };
        if op.args.len() != 2 {
            return None;
        }
        let (a, b) = (self.reg(op.args[0]), self.reg(op.args[1]));
        Some(if swap { (last, make, b, a) } else { (last, make, a, b) })
    }

    /// A jump to `t`'s block binding its parameters; `n` is the number of ops of the block.
    fn jump(&mut self, t: &Target, n: u32) {
        let moves = self.sequential_moves(t);
        let l = self.label(LabelDef::Block(t.block));
        if moves.is_empty() {
            self.emit(Inst::Jump(l, n), NO_OP);
        } else {
            let off = self.code.operands.len() as u32;
            self.code.operands.push(moves.len() as u32);
            for (d, s) in moves {
                self.code.operands.extend_from_slice(&[d, s]);
            }
            self.emit(Inst::JumpMoves(l, off, n), NO_OP);
        }
    }

    /// The label of an edge: the target block itself, or a stub binding its parameters.
    fn edge<'t>(&mut self, t: &'t Target, stubs: &mut Vec<(u32, &'t Target)>) -> u32 {
        if self.edge_moves(t).is_empty() {
            self.label(LabelDef::Block(t.block))
        } else {
            let l = self.label(LabelDef::Pc(u32::MAX));
            stubs.push((l, t));
            l
        }
    }

    /// The (destination, source) moves binding `t`'s block parameters, minus no-ops.
    fn edge_moves(&mut self, t: &Target) -> Vec<(Reg, Reg)> {
        let params = &self.graph.blocks[t.block].params;
        assert_eq!(
            params.len(),
            t.args.len(),
            "llinterp: jump to {} in graph {} passes {} arguments for {} parameters",
            t.block,
            self.graph.name,
            t.args.len(),
            params.len()
        );
        let mut moves = Vec::with_capacity(params.len());
        for (&p, &a) in params.iter().zip(&t.args) {
            let (d, s) = (p.index() as Reg, self.reg(a));
            if d != s {
                moves.push((d, s));
            }
        }
        moves
    }

    /// The parallel moves of an edge as a sequence, cycles broken with the scratch register.
    fn sequential_moves(&mut self, t: &Target) -> Vec<(Reg, Reg)> {
        let mut pending = self.edge_moves(t);
        let mut out = Vec::with_capacity(pending.len());
        while !pending.is_empty() {
            let ready = pending.iter().position(|&(d, _)| !pending.iter().any(|&(_, s)| s == d));
            match ready {
                Some(i) => out.push(pending.remove(i)),
                None => {
                    // Every destination is still to be read: a cycle. Save one destination's
                    // value in the scratch register and read it from there.
                    let d = pending[0].0;
                    out.push((self.scratch, d));
                    for m in pending.iter_mut() {
                        if m.1 == d {
                            m.1 = self.scratch;
                        }
                    }
                }
            }
        }
        out
    }

    fn resolve_labels(&mut self, block_pc: &SecondaryMap<Block, u32>) {
        let pcs: Vec<u32> = self
            .labels
            .iter()
            .map(|l| match *l {
                LabelDef::Block(b) => block_pc[b],
                LabelDef::Pc(pc) => {
                    debug_assert_ne!(pc, u32::MAX, "stub label never placed");
                    pc
                }
            })
            .collect();
        for inst in &mut self.code.insts {
            match inst {
                Inst::Jump(l, _) | Inst::JumpMoves(l, _, _) => *l = pcs[*l as usize],
                Inst::Branch(_, t, f, _)
                | Inst::BrLt(_, _, _, t, f)
                | Inst::BrLe(_, _, _, t, f)
                | Inst::BrEq(_, _, _, t, f)
                | Inst::BrNe(_, _, _, t, f) => {
                    *t = pcs[*t as usize];
                    *f = pcs[*f as usize];
                }
                _ => {}
            }
        }
        for table in &mut self.code.switches {
            match table {
                SwitchTable::Dense { targets, default, .. } => {
                    for t in targets.iter_mut() {
                        *t = pcs[*t as usize];
                    }
                    *default = pcs[*default as usize];
                }
                SwitchTable::Sparse { cases, default } => {
                    for c in cases.iter_mut() {
                        c.1 = pcs[c.1 as usize];
                    }
                    *default = pcs[*default as usize];
                }
            }
        }
    }

    /// The argument registers of an op, checking their number.
    fn args(&mut self, op: &OpData, n: usize) -> Vec<Reg> {
        if op.args.len() != n {
            self.malformed(op, &format!("expected {n} operands, found {}", op.args.len()));
        }
        op.args.iter().map(|&a| self.reg(a)).collect()
    }

    fn dst(&self, op: &OpData) -> Reg {
        match op.result {
            Some(v) => v.index() as Reg,
            None => self.sink,
        }
    }

    fn op(&mut self, idx: OpIdx) {
        let graph = self.graph;
        let op = &graph.ops[idx];
        let origin = idx.index() as u32;
        let d = self.dst(op);
        let opcode = int_comparison(op.opcode).unwrap_or(op.opcode);
        if let Some(make) = binary_inst(opcode) {
            let a = self.args(op, 2);
            self.emit(make(d, a[0], a[1]), origin);
            return;
        }
        if let Some(make) = unary_inst(op.opcode) {
            let a = self.args(op, 1);
            self.emit(make(d, a[0]), origin);
            return;
        }
        if is_move(op.opcode) {
            let a = self.args(op, 1);
            if d != a[0] {
                self.emit(Inst::Move(d, a[0]), origin);
            }
            return;
        }
        let layout = self.env.layout;
        match op.opcode {
            Opcode::Malloc => {
                self.args(op, 0);
                let t = self.heap_type(op);
                if layout.is_array(t) {
                    self.malformed(op, "malloc of an array type");
                }
                let (tag, size) = (layout.tag(t) as u32, layout.struct_size(t) as u32);
                self.emit(Inst::Malloc(d, tag, size), origin);
            }
            Opcode::MallocArray => {
                let a = self.args(op, 1);
                let t = self.heap_type(op);
                if !layout.is_array(t) {
                    self.malformed(op, "malloc_array of a struct type");
                }
                let mut flags = 0;
                match layout.item_size(t) {
                    1 => flags |= ARRAY_BYTE_ITEMS,
                    4 => flags |= ARRAY_CHAR_ITEMS,
                    _ => {}
                }
                if layout.has_gc_pointers(t) {
                    flags |= ARRAY_HAS_POINTERS;
                }
                self.emit(Inst::MallocArray(d, a[0], layout.tag(t) as u32, flags), origin);
            }
            Opcode::GetField => {
                let a = self.args(op, 1);
                let off = self.field_offset(op);
                self.emit(Inst::GetField(d, a[0], off), origin);
            }
            Opcode::SetField => {
                let a = self.args(op, 2);
                let off = self.field_offset(op);
                self.emit(Inst::SetField(a[0], off, a[1]), origin);
            }
            Opcode::GetArrayItem => {
                let a = self.args(op, 2);
                let inst = match self.item_size(op) {
                    1 => Inst::GetItemB,
                    4 => Inst::GetItemC,
                    _ => Inst::GetItemW,
                };
                self.emit(inst(d, a[0], a[1]), origin);
            }
            Opcode::SetArrayItem => {
                let a = self.args(op, 3);
                let inst = match self.item_size(op) {
                    1 => Inst::SetItemB,
                    4 => Inst::SetItemC,
                    _ => Inst::SetItemW,
                };
                self.emit(inst(a[0], a[1], a[2]), origin);
            }
            Opcode::ArrayLen => {
                let a = self.args(op, 1);
                self.emit(Inst::ArrayLen(d, a[0]), origin);
            }
            Opcode::TypeOf => {
                let a = self.args(op, 1);
                self.emit(Inst::TypeOf(d, a[0]), origin);
            }
            Opcode::InstanceOf | Opcode::Cast => {
                let a = self.args(op, 1);
                let t = self.heap_type(op);
                let (lo, hi) = layout.tag_range(t);
                let make = if op.opcode == Opcode::Cast { Inst::Cast } else { Inst::InstanceOf };
                self.emit(make(d, a[0], lo as u32, hi as u32), origin);
            }
            Opcode::Call => {
                let Aux::Graph(callee) = op.aux else { self.malformed(op, "call without a graph") };
                let want = self.env.program.graphs[callee].params.len();
                let a = self.args(op, want);
                let off = self.operand_list(&a);
                self.emit(Inst::Call(d, callee.index() as u32, off), origin);
            }
            Opcode::CallIndirect => {
                let Aux::Sig(sig) = op.aux else {
                    self.malformed(op, "call_indirect without a signature")
                };
                let want = self.env.program.types.signature(sig).params.len();
                let a = self.args(op, want + 1);
                let off = self.operand_list(&a[1..]);
                self.emit(Inst::CallIndirect(d, a[0], off), origin);
            }
            Opcode::CallExtern => {
                let Aux::Extern(name) = &op.aux else {
                    self.malformed(op, "call_extern without a name")
                };
                let ext = self.extern_id(op, name);
                let want = self.env.externs[ext as usize].params.len();
                let a = self.args(op, want);
                let off = self.operand_list(&a);
                self.emit(Inst::CallExtern(d, ext, off), origin);
            }
            Opcode::JitHook => {
                let Aux::Hook(id) = op.aux else {
                    self.malformed(op, "jit_hook without a hook number")
                };
                let program = self.env.program;
                let args = op
                    .args
                    .iter()
                    .map(|&a| (self.reg(a), self.graph.value_ty(a, program)))
                    .collect();
                let ret = op.result.map_or(Ty::Void, |r| self.graph.vars[r].ty);
                self.code.hooks.push(HookSite { id, args, ret });
                let site = self.code.hooks.len() as u32 - 1;
                self.emit(Inst::JitHook(d, site), origin);
            }
            // The IR interpreter declines to enter the JIT (see the op's documentation).
            Opcode::JitMerge => {}
            Opcode::Hint => {
                if op.args.len() > 1 {
                    self.malformed(op, "hint takes at most one operand");
                }
                if let (Some(&arg), Some(_)) = (op.args.first(), op.result) {
                    let s = self.reg(arg);
                    if s != d {
                        self.emit(Inst::Move(d, s), origin);
                    }
                }
            }
            other => unreachable!("opcode {other} handled above"),
        }
    }

    fn heap_type(&self, op: &OpData) -> crate::types::HeapTypeIdx {
        match op.aux {
            Aux::Type(t) => t,
            _ => self.malformed(op, "expected a type"),
        }
    }

    fn field_offset(&self, op: &OpData) -> u32 {
        let Aux::Field(t, i) = op.aux else { self.malformed(op, "expected a field") };
        match self.env.program.types.heap(t) {
            HeapType::Struct(s) if (i as usize) < s.fields.len() => {
                self.env.layout.field_offset(t, i) as u32
            }
            _ => self.malformed(op, &format!("{t} has no field {i}")),
        }
    }

    /// The item size of the array type `op` accesses (1, 4 or 8 bytes).
    fn item_size(&self, op: &OpData) -> usize {
        let Aux::Array(t) = op.aux else { self.malformed(op, "expected an array type") };
        match self.env.program.types.as_array(t) {
            Some(_) => self.env.layout.item_size(t),
            None => self.malformed(op, &format!("{t} is not an array")),
        }
    }

    fn operand_list(&mut self, regs: &[Reg]) -> u32 {
        let off = self.code.operands.len() as u32;
        self.code.operands.push(regs.len() as u32);
        self.code.operands.extend_from_slice(regs);
        off
    }

    fn extern_id(&mut self, op: &OpData, name: &str) -> u32 {
        if let Some(id) = self.env.externs.get_index_of(name) {
            return id as u32;
        }
        let Some(def) = crate::externs::lookup(name) else {
            self.malformed(op, &format!("unknown extern `{name}` (graph {})", self.gidx))
        };
        if def.params.len() > super::exec::MAX_EXTERN_ARGS {
            self.malformed(
                op,
                &format!(
                    "extern `{name}` takes more than {} arguments",
                    super::exec::MAX_EXTERN_ARGS
                ),
            );
        }
        self.env.externs.insert_full(name.to_string(), def).0 as u32
    }
}

/// A dense table when the cases are close together, a sorted list otherwise.
fn switch_table(cases: Vec<(i64, u32)>, default: u32) -> SwitchTable {
    if let (Some(first), Some(last)) = (cases.first(), cases.last()) {
        let span = last.0 as i128 - first.0 as i128 + 1;
        if span <= 2 * cases.len() as i128 + 16 {
            let mut targets = vec![default; span as usize];
            for &(k, t) in &cases {
                targets[(k as i128 - first.0 as i128) as usize] = t;
            }
            return SwitchTable::Dense { min: first.0, targets, default };
        }
    }
    SwitchTable::Sparse { cases, default }
}
