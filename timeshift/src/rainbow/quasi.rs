//! Quasi-immutable fields in compiled code.
//!
//! A read of a quasi-immutable field of a constant object (a green or promoted pointer, a
//! prebuilt object) is made now and becomes a constant; the compilation records the
//! dependency (object, field) → its [`Token`] in [`rpy_ir::runtime::quasi`] *before* reading,
//! so a write from then on, even while the code is being compiled, invalidates it. What this
//! compilation itself stored there (the heap cache) wins over memory.
//!
//! The code must not run on a stale value. A write can reach the field only (a) from the
//! interpreter or translated code, before the code is entered: the code tests its token on
//! entry ([`Compiler::entry_check`]; the driver also stops entering invalid code and compiles
//! it again); or (b) from the code itself: its own stores call the write hook, and residual
//! calls may write. So the one run-time check ([`Compiler::quasi_check`], PyPy's
//! `guard_not_invalidated`) comes after the write hook, after a residual call of a graph
//! that may write such a field ([`crate::jitcode::JitCodes::quasi_writers`]), and after a
//! call through a red function pointer: `call_extern jit_quasi_valid(token)`, a load and a
//! branch. Its failure path makes the state real and continues in the interpreter's graphs
//! from that point (the driver's continuation graphs, as a flexswitch's fallback does).
//!
//! Checks are emitted whenever the program has quasi-immutable fields and the driver
//! provides continuations; a compilation that read no such field as a constant drops them
//! all at the end ([`QuasiState::finish`]), so code that does not rely on one pays nothing.

use super::{Compiler, GiveUp, Step};
use crate::jitcode::Insn;
use crate::state::{HeapObj, JitState, Loc, RedBox};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Const, Exit, Graph, GraphIdx, OpData, OpIdx, Program, Target, Value};
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::quasi::{self, Token, VALID_CHECK, WRITE_HOOK};
use rpy_ir::span::Span;
use rpy_ir::types::Ty;

/// A compilation's token and whether its code relies on it.
#[derive(Clone)]
pub(super) struct QuasiState {
    /// The token checks test (`None`: quasi-immutable fields are read at run time).
    token: Option<Token>,
    /// Whether a quasi-immutable field was read as a constant.
    relied: bool,
}

impl QuasiState {
    /// The state of a new compilation of `program`; `services`: whether the driver provides
    /// continuations (the checks' way out).
    pub(super) fn new(program: &Program, services: bool) -> QuasiState {
        let wanted = services && program.types.has_quasi_immutable_fields();
        QuasiState { token: if wanted { quasi::new_token() } else { None }, relied: false }
    }

    /// The finished code's token if it relies on one; otherwise its checks are dropped
    /// (made `true`, which the residual folding removes with their failure paths).
    pub(super) fn finish(&self, out: &mut Graph) -> Option<Token> {
        if self.relied {
            return self.token;
        }
        for od in out.ops.values_mut() {
            if od.opcode == Opcode::CallExtern
                && matches!(&od.aux, Aux::Extern(n) if n == VALID_CHECK)
            {
                od.opcode = Opcode::SameAs;
                od.args = vec![Value::Const(Const::Bool(true))];
                od.aux = Aux::None;
            }
        }
        None
    }
}

impl<'a> Compiler<'a> {
    /// A read of a quasi-immutable field of a constant object, made now (the dependency
    /// recorded first); false when `od` is not one.
    pub(super) fn quasi_read(&mut self, st: &mut JitState, od: &OpData, boxes: &[RedBox]) -> bool {
        let Some(token) = self.quasi.token else { return false };
        let (Opcode::GetField, Aux::Field(t, idx)) = (od.opcode, &od.aux) else { return false };
        let types = &self.program.types;
        if !types.field_is_quasi_immutable(*t, *idx) {
            return false;
        }
        let RedBox::Const(obj) = st.resolve(boxes[0]) else { return false };
        let loc = Loc::Field(types.declaring_struct(*t, *idx), *idx);
        if st.heap.find(HeapObj::Const(obj), loc).is_some() {
            return false;
        }
        let addr = match obj {
            Const::Ptr(a, _) => a,
            Const::Prebuilt(p) => match self.services.and_then(|s| s.prebuilt_address(p)) {
                Some(a) => a,
                None => return false,
            },
            _ => return false,
        };
        quasi::depend(token, addr, *idx);
        let ptr = Const::Ptr(addr, *t);
        let layout = self.folder.layout();
        let Some(c) = crate::heap::read(layout, types, od.opcode, &od.aux, &[ptr]) else {
            return false;
        };
        self.quasi.relied = true;
        self.set_red(st, od.result, RedBox::Const(c));
        true
    }

    /// The write hook of a store to a virtual object (`cast_ptr_to_int` of it, then the hook
    /// on that address), skipped whole: no code can rely on an object that did not exist when
    /// it was compiled, and taking its address would force it. True when `op` starts one.
    pub(super) fn virtual_quasi_write(&mut self, st: &mut JitState, op: OpIdx) -> bool {
        let g = self.graph_of(st);
        let od = &g.ops[op];
        if od.opcode != Opcode::CastPtrToInt {
            return false;
        }
        let Value::Var(obj) = od.args[0] else { return false };
        let (f, code) = (st.top(), &self.codes.codes[st.top().code]);
        let Some(RedBox::Virtual(i)) = f.reds[obj.index()] else { return false };
        if st.virtuals[i].forced.is_some() {
            return false;
        }
        let hook = match code.insns.get(f.pc) {
            Some(Insn::Red(next)) => &g.ops[*next],
            _ => return false,
        };
        let is_hook = hook.opcode == Opcode::CallExtern
            && matches!(&hook.aux, Aux::Extern(n) if n == WRITE_HOOK)
            && od.result.is_some_and(|r| hook.args.first() == Some(&Value::Var(r)));
        if !is_hook {
            return false;
        }
        // The address is used by the hook only.
        let r = od.result.expect("checked above");
        st.top_mut().reds[r.index()] = Some(RedBox::Const(Const::Int(0)));
        st.top_mut().pc += 1;
        true
    }

    /// At the start of a compilation's first state: the entry test of its token.
    pub(super) fn entry_check(&mut self, mut st: JitState, b: Block) -> Step<(JitState, Block)> {
        if self.quasi.token.is_none() {
            return Ok((st, b));
        }
        let b = self.quasi_check(&mut st, b)?;
        Ok((st, b))
    }

    /// After op `op` (run as a red op or a residual call): the check, if the op may write a
    /// quasi-immutable field.
    pub(super) fn quasi_check_after_call(
        &mut self,
        st: &mut JitState,
        cur: Block,
        op: OpIdx,
    ) -> Step<Block> {
        if self.quasi.token.is_none() {
            return Ok(cur);
        }
        let od = &self.graph_of(st).ops[op];
        match (od.opcode, &od.aux) {
            (Opcode::Call, Aux::Graph(g)) => self.quasi_check_after_callee(st, cur, Some(*g)),
            (Opcode::CallIndirect, _) => self.quasi_check_after_callee(st, cur, None),
            (Opcode::CallExtern, Aux::Extern(n)) if n == WRITE_HOOK => self.quasi_check(st, cur),
            _ => Ok(cur),
        }
    }

    /// After a residual call of `callee` (`None`: through a red function pointer): the check,
    /// if it may write a quasi-immutable field.
    pub(super) fn quasi_check_after_callee(
        &mut self,
        st: &mut JitState,
        cur: Block,
        callee: Option<GraphIdx>,
    ) -> Step<Block> {
        if self.quasi.token.is_none() {
            return Ok(cur);
        }
        match callee {
            Some(g) if !self.codes.quasi_writers.contains(&g) => Ok(cur),
            _ => self.quasi_check(st, cur),
        }
    }

    /// Tests the token: on failure the state falls back to the interpreter; returns the block
    /// the state goes on in when the code is still valid.
    pub(super) fn quasi_check(&mut self, st: &mut JitState, cur: Block) -> Step<Block> {
        let token = self.quasi.token.expect("checks only with a token");
        let args = vec![Value::Const(Const::Int(token.0 as i64))];
        let aux = Aux::Extern(VALID_CHECK.to_string());
        let ok = self.emit(cur, Opcode::CallExtern, args, aux, Ty::Bool, Span::UNKNOWN)?;
        let ok = ok.expect("the check has a result");
        let (yes, no) = (self.out.add_block(Span::UNKNOWN), self.out.add_block(Span::UNKNOWN));
        self.out.blocks[cur].exit = Exit::Branch {
            cond: Value::Var(ok),
            if_true: Target { block: yes, args: vec![] },
            if_false: Target { block: no, args: vec![] },
        };
        let mut other = st.clone();
        self.fall_back_here(&mut other, no)?;
        Ok(yes)
    }

    /// Ends the state in `cur` by continuing in the interpreter from where each frame stands:
    /// the heap made up to date, the state real, the continuations called.
    fn fall_back_here(&mut self, st: &mut JitState, cur: Block) -> Step<()> {
        let services = self.services.ok_or_else(|| {
            GiveUp::Unsupported("a quasi-immutable check without a driver".into())
        })?;
        st.elided.clear();
        self.forget_heap(st, cur)?;
        let top = st.frames.len() - 1;
        let mut conts = Vec::with_capacity(st.frames.len());
        for (i, f) in st.frames.iter().enumerate() {
            let mut pc = f.pc;
            // The state at a merge point (an entry graph's start) is where its block starts.
            if i == top
                && matches!(self.codes.codes[f.code].insns.get(pc), Some(Insn::Merge { .. }))
            {
                pc += 1;
            }
            conts.push(services.continuation(f.code, pc)?);
        }
        let result = self.call_continuations(st, cur, &conts)?;
        self.out.blocks[cur].exit = Exit::Return(result);
        Ok(())
    }
}
