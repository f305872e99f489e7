//! Calls the hints change: calls to `@elidable` functions, and calls through green function
//! pointers.
//!
//! An elidable call whose arguments are all constants runs now, in the IR interpreter (the
//! semantic reference), on the objects residual code will see (prebuilt objects at the
//! backend's addresses, [`super::CompileServices::prebuilt_address`]); its result becomes a
//! constant. Scalars and function pointers are taken as they are; an object (one the program
//! holds, as a type's attribute or a namespace's global, or one the run made, as a map's new
//! transition: the interpreter allocates in the same collected heap as compiled code) is
//! taken when the driver keeps it alive as long as code may embed its address
//! ([`super::CompileServices::keep_alive`]), so a method or a global looked up through an
//! elidable function on promoted arguments is a constant. When the run fails (a run-time
//! error: an elidable function fails the same way on the same arguments at run time) the
//! residual call is emitted and ends the path, as a green op that would fail does; when it
//! cannot be made at all, the call stays residual. Otherwise the call is emitted once per
//! distinct argument list on a path: a later equal call (same constants, same residual
//! variables) reuses the result, which dominates it ([`JitState::elided`], forgotten at merge
//! points and flexswitches).
//!
//! A call through a green function pointer ([`Insn::IndirectCall`]) finds the constant
//! target among those the analysis considered ([`JitCode::indirect`]) and is that direct call:
//! followed into the target's JitCode, elidable, or residual (`call`, not `call_indirect`).
//!
//! The interpreter those runs use is made once per compilation, on the program precompiled
//! once for all of them ([`ElidableRuns`], kept with the JitCode): precompiling the whole
//! interpreter program per compilation was most of the engine's time.
//!
//! [`Insn::IndirectCall`]: crate::jitcode::Insn::IndirectCall
//! [`JitCode::indirect`]: crate::jitcode::JitCode::indirect

use super::run::assign;
use super::{Compiler, GiveUp, Step, Val};
use crate::jitcode::CallTarget;
use crate::state::{JitState, RedBox};

use rpy_ir::ir::Program;
use rpy_ir::ir::{Aux, Block, Const, GraphIdx, OpIdx, Value, Var};
use rpy_ir::llinterp::{Interp, Precompiled};
use rpy_ir::ops::Opcode;
use rpy_ir::runtime::RtValue;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;
use std::sync::{Arc, Mutex};

/// The program as the IR interpreter runs it at compile time ([`Precompiled`]), for the
/// prebuilt objects' addresses where residual code runs: built by the first compilation that
/// runs an elidable call, shared by the next ones (one per [`crate::jitcode::JitCodes`]).
#[derive(Default)]
pub struct ElidableRuns {
    pre: Mutex<Option<Arc<Precompiled>>>,
    /// How many times the program was precompiled.
    builds: std::sync::atomic::AtomicU32,
}

impl ElidableRuns {
    /// The program precompiled for prebuilt objects at `words`: the one built before if it
    /// was for the same addresses, else a new one (kept for the next calls).
    pub fn precompiled(&self, program: &Program, words: &[u64]) -> Arc<Precompiled> {
        let mut pre = self.pre.lock().unwrap_or_else(|e| e.into_inner());
        match &*pre {
            Some(p) if p.prebuilt_words() == words => p.clone(),
            _ => {
                self.builds.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let p = Arc::new(Precompiled::new(program, words));
                *pre = Some(p.clone());
                p
            }
        }
    }

    /// How many times the program was precompiled (once, unless the addresses changed).
    pub fn builds(&self) -> u32 {
        self.builds.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Clone for ElidableRuns {
    fn clone(&self) -> ElidableRuns {
        let pre = self.pre.lock().unwrap_or_else(|e| e.into_inner()).clone();
        ElidableRuns { pre: Mutex::new(pre), builds: self.builds().into() }
    }
}

impl std::fmt::Debug for ElidableRuns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ElidableRuns").field("builds", &self.builds()).finish()
    }
}

/// One call as the hints see it: the callee, the operands passed, where the result goes.
struct CallSite {
    callee: GraphIdx,
    args: Vec<Value>,
    result: Option<Var>,
    span: Span,
}

impl<'a> Compiler<'a> {
    /// A direct call to an elidable function; false when it ends the path (it fails).
    pub(super) fn elidable_call(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<bool> {
        let od = &self.graph_of(st).ops[op];
        let Aux::Graph(callee) = od.aux else { unreachable!("a call names its callee") };
        let site = CallSite { callee, args: od.args.clone(), result: od.result, span: od.span };
        self.elide(st, cur, &site)
    }

    /// A call through a green function pointer: the direct call to its target. `None`: the
    /// path ended (an elidable target failed).
    pub(super) fn indirect_call(
        &mut self,
        st: &mut JitState,
        cur: Block,
        op: OpIdx,
    ) -> Step<Option<Block>> {
        let od = &self.graph_of(st).ops[op];
        let target = match self.get(st, od.args[0]) {
            Val::Green(Const::Func(g)) | Val::Red(RedBox::Const(Const::Func(g))) => g,
            other => {
                return Err(GiveUp::Unsupported(format!(
                    "a green function pointer is not a function at compile time: {other:?}"
                )))
            }
        };
        let code = &self.codes.codes[st.top().code];
        let how = code.indirect[&op].iter().find(|(g, _)| *g == target).map(|(_, t)| *t);
        let site = CallSite {
            callee: target,
            args: od.args[1..].to_vec(),
            result: od.result,
            span: od.span,
        };
        match how {
            Some(CallTarget::Follow(c)) => {
                self.push_frame(st, op, c, &site.args, site.result)?;
                Ok(Some(cur))
            }
            Some(CallTarget::Elidable) => Ok(self.elide(st, cur, &site)?.then_some(cur)),
            Some(CallTarget::Residual) | None => {
                // A target the analysis did not consider cannot be: its address is never taken.
                if how.is_none() {
                    return Err(GiveUp::Unsupported(format!(
                        "call through a pointer to '{}', whose address the program never takes",
                        self.program.graphs[target].name
                    )));
                }
                self.flush_if(st, cur, true, |_| true)?;
                let r = self.emit_call(st, cur, &site)?;
                self.set_result(st, site.result, r)?;
                Ok(Some(self.quasi_check_after_callee(st, cur, Some(target))?))
            }
        }
    }

    /// An elidable call: run now on constants, reused on a path, or emitted.
    fn elide(&mut self, st: &mut JitState, cur: Block, site: &CallSite) -> Step<bool> {
        let consts: Option<Vec<Const>> = site
            .args
            .iter()
            .map(|a| match self.get(st, *a) {
                Val::Green(c) | Val::Red(RedBox::Const(c)) => Some(c),
                Val::Red(_) => None,
            })
            .collect();
        // A compile-time run reads memory: not while stores it may read are delayed
        // (`elidable_reads.rs`).
        let pointers =
            consts.iter().flatten().any(|c| matches!(c, Const::Ptr(..) | Const::Prebuilt(_)));
        let delayed = pointers && self.run_may_read_delayed(st, site.callee);
        if let (Some(consts), false) = (consts, pointers && delayed) {
            match self.run_now(site.callee, &consts) {
                Some(Ok(c)) => {
                    self.set_result(st, site.result, Some(Value::Const(c)))?;
                    return Ok(true);
                }
                Some(Err(())) => {
                    // It fails at run time too, the same way: the call ends the path.
                    let args = self.values(st, cur, &site.args);
                    let ty = self.program.graphs[site.callee].ret;
                    let aux = Aux::Graph(site.callee);
                    self.emit(cur, Opcode::Call, args, aux, ty, site.span)?;
                    let ret = self.out.ret;
                    self.out.blocks[cur].exit =
                        rpy_ir::ir::Exit::Return(Const::zero(ret).map(Value::Const));
                    return Ok(false);
                }
                None => {}
            }
        }
        let args = self.values(st, cur, &site.args);
        if let Some((_, _, r)) = st.elided.iter().find(|(g, a, _)| *g == site.callee && *a == args)
        {
            let r = *r;
            self.set_result(st, site.result, Some(r))?;
            return Ok(true);
        }
        // It may read memory: delayed stores are made first. Nothing it does is observable,
        // so what the heap cache knows stays true.
        self.flush_if(st, cur, false, |_| true)?;
        let ty = self.program.graphs[site.callee].ret;
        let r =
            self.emit(cur, Opcode::Call, args.clone(), Aux::Graph(site.callee), ty, site.span)?;
        let r = r.map(Value::Var);
        if let Some(r) = r {
            st.elided.push((site.callee, args, r));
        }
        self.set_result(st, site.result, r)?;
        Ok(true)
    }

    /// Emits a residual direct call of the site's callee, its arguments made real.
    fn emit_call(&mut self, st: &mut JitState, cur: Block, site: &CallSite) -> Step<Option<Value>> {
        let args = self.values(st, cur, &site.args);
        let ty = self.program.graphs[site.callee].ret;
        let r = self.emit(cur, Opcode::Call, args, Aux::Graph(site.callee), ty, site.span)?;
        Ok(r.map(Value::Var))
    }

    /// Writes a call's result into its register (green or red as the JitCode says).
    fn set_result(&mut self, st: &mut JitState, dst: Option<Var>, v: Option<Value>) -> Step<()> {
        let (Some(dst), Some(v)) = (dst, v) else { return Ok(()) };
        let val = match v {
            Value::Const(c) => Val::Green(c),
            Value::Var(x) => Val::Red(RedBox::Var(x)),
        };
        let green = self.is_green(st, dst);
        assign(st.top_mut(), dst, green, val)
    }

    /// Runs `callee` on constant arguments in the IR interpreter: `Some(Ok)` its result as a
    /// constant, `Some(Err)` when it fails, `None` when it cannot be run or its result not
    /// handed over.
    fn run_now(&mut self, callee: GraphIdx, args: &[Const]) -> Option<Result<Const, ()>> {
        let ret = self.program.graphs[callee].ret;
        if !matches!(ret, Ty::Int | Ty::Float | Ty::Bool | Ty::Char | Ty::Func(_) | Ty::Ref(_)) {
            return None;
        }
        let services = self.services;
        if matches!(ret, Ty::Ref(_)) && services.is_none() {
            return None;
        }
        let address = |p| services.and_then(|s| s.prebuilt_address(p));
        // Arguments naming prebuilt objects need their addresses where residual code runs.
        let mut rt = Vec::with_capacity(args.len());
        for c in args {
            rt.push(match c {
                Const::Prebuilt(p) => RtValue::Ref(address(*p)? as usize as *mut u8),
                c => RtValue::from_const(*c, |_| RtValue::Void),
            });
        }
        if self.elidable_interp.is_none() {
            let program = self.program;
            let words: Option<Vec<u64>> = program.prebuilt.keys().map(address).collect();
            self.elidable_interp = Some(match words {
                Some(w) => {
                    let pre = self.codes.elidable.precompiled(program, &w);
                    (Interp::with_precompiled(program, pre), true)
                }
                None => (Interp::new(program), false),
            });
        }
        let (interp, shared) = self.elidable_interp.as_mut().expect("made above");
        let shared = *shared;
        match interp.call(callee, &rt) {
            // An object is embedded only if it lives where residual code runs (not in prebuilt
            // objects of the interpreter's own) and is kept alive with the code.
            Ok(RtValue::Ref(p)) if !p.is_null() => {
                let kept = shared && services.is_some_and(|s| s.keep_alive(p as u64));
                kept.then(|| RtValue::Ref(p).to_const(ret).map(Ok)).flatten()
            }
            Ok(v) => v.to_const(ret).map(Ok),
            Err(_) => Some(Err(())),
        }
    }
}
