//! The portal frame's fallback continuations: cut at the global merge point, sharing one copy
//! of the interpreter loop, and (optionally) asking the JIT there so compiled code takes over
//! again.
//!
//! Vocabulary. A fallback ([`crate::fallback`]) runs the rest of a portal call in
//! *continuations*, copies of the interpreter's graphs. The portal frame's continuation from
//! a position is *cut* at the global merge point ([`cut_at_merge`]): the merge point's block
//! only calls the *shared continuation*, the interpreter loop from the start of that block,
//! compiled once per run; so a fallback compiles the rest of one instruction, not a copy of
//! the whole interpreter (each position used to get its own, ~320 ops for TLC's, and its
//! hot loop compiled again at the hot tier).
//!
//! With [`crate::JitConfig::resume`], both also *ask* at the merge point: `jit_merge
//! #g(greens..., reds..., RESUME_TAG)`, the tiered interpreter's op with one more operand,
//! the tag. The driver answers an ask (`JitDriver::enter_at_merge_point`, which tells asks
//! from the tiered interpreter's visits by the tag) either "go on" (the key is not compiled
//! — an ask never compiles —, or it is the first ask since the last flexswitch miss: a
//! fallback interprets at least one ask interval), or "resume": it records the key's
//! compiled code and the red values, and the continuation returns at once (its result is
//! not used). Every frame between the continuation and the driver's call of compiled code
//! passes the result through (a flexswitch case is in tail position, a fallback returns its
//! portal continuation's result), so the call returns to the driver, which sees the record
//! and calls the recorded code with the red values instead of returning (a *trampoline*:
//! the native stack does not grow with the number of fallbacks). An ask's visits are not
//! observed by the payoff model (work interpreted in a continuation paid for more compiling,
//! which did not pay back on the corpus). Without resuming, one
//! deferred or refused case runs the rest of the portal call in the shared continuation.
//! Resuming is off by default: measured on issue 17's corpus, the first-tier code resumed
//! (state forced at every fallback, cases still deferred by the payoff model) ran slower
//! than the shared continuation it replaced.
//!
//! With [`crate::JitConfig::resume_deferred`] (the default) the continuations ask too, but
//! the driver observes the asks' visits as work and answers "resume" only when a flexswitch
//! case was deferred by the payoff model since the last resume and the work now pays for a
//! retry ([`crate::payoff::Payoff::for_retry`], twice the code compiled so far): compiled
//! code then meets the deferred value again and compiles its case, so a deferral is not
//! permanent for a program whose work is one portal call.
//!
//! The shared continuation ([`shared_continuation`]) depends on the program only, so a
//! language may have it translated with its interpreter
//! ([`crate::tiering::tiered_with_shared_continuation`]): the driver then calls that copy
//! (found by its name, [`shared_name`]) instead of compiling one at run time.
//!
//! Invariants: only the portal frame's continuation (frame 0 of a snapshot) is cut or asks —
//! an inner frame's result is used by its caller's continuation; a resume is recorded only
//! by an ask, and only while a driver call of compiled code is in progress to take it
//! (`JitDriver::call`, `JitDriver::enter_at_merge_point`); between the record and the call
//! nothing allocates (the red values are held in the driver's state, which the conservative
//! GC does not scan). A backend that answers no `jit_merge` (the IR interpreter's) runs the
//! shared continuation to its end.

use crate::fallback::Position;
use crate::tiering::MergePoint;
use rpy_ir::ir::{Aux, Block, Const, Exit, Graph, GraphIdx, Value, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::types::Ty;

/// The last operand of a resumable continuation's `jit_merge`: what tells its asks from the
/// tiered interpreter's visits (which pass exactly the merge point's greens and reds).
pub const RESUME_TAG: i64 = 0x5E5_0BE;

/// The portal graph `g` with an ask at the start of the merge point's block (before its
/// ops), and `at` moved past it when `at` is in that block: the graph a resumable
/// continuation is copied from ([`crate::fallback::continuation`]).
pub fn with_ask(g: &Graph, mp: &MergePoint, at: Position) -> (Graph, Position) {
    let mut g = g.clone();
    push_ask(&mut g, mp, mp.block);
    // `push_op` appends: the ask goes first, so it runs on every arrival at the merge point.
    g.blocks[mp.block].ops.rotate_right(1);
    let at = if at.block == mp.block { Position { block: at.block, op: at.op + 1 } } else { at };
    (g, at)
}

/// The name of the shared continuation of portal graph `g` ([`shared_continuation`]).
pub fn shared_name(g: &Graph, mp: &MergePoint) -> String {
    format!("{}__cont_{}_0_shared", g.name, mp.block)
}

/// The *shared continuation* of the portal `g` (the interpreter loop from the start of the
/// merge point's block, asking there if `ask`) and the variables its parameters stand for.
/// The driver compiles it on the first fallback, unless the backend's interpreter was
/// translated with it ([`crate::tiering::tiered_with_shared_continuation`]): then fallbacks
/// call the translated copy, and a run that defers goes on at the translated interpreter's
/// speed without compiling a copy of it (issue 17: that copy cost ~0.15 s of LLVM per run).
pub fn shared_continuation(g: &Graph, mp: &MergePoint, ask: bool) -> (Graph, Vec<Var>) {
    let at = Position { block: mp.block, op: 0 };
    let name = shared_name(g, mp);
    if !ask {
        return crate::fallback::continuation(g, at, &name);
    }
    let (asking, at) = with_ask(g, mp, at);
    crate::fallback::continuation(&asking, at, &name)
}

/// The portal graph `g` cut at the merge point: its block holds only an ask (if `ask`),
/// then a call of `shared` (the *shared continuation*: the interpreter loop from the start
/// of that block, see [`with_ask`]) with `inputs` (its parameters' variables), whose result
/// it returns. A fallback's continuation copied from it holds the rest of one instruction,
/// not a copy of the whole interpreter: every fallback shares one such copy. (Where the ask
/// resumes, the call is not reached; a backend answering no ask goes on in the shared
/// continuation, to the portal call's end.)
pub fn cut_at_merge(
    g: &Graph,
    mp: &MergePoint,
    shared: GraphIdx,
    inputs: &[Var],
    ask: bool,
) -> Graph {
    let mut g = g.clone();
    g.blocks[mp.block].ops.clear();
    if ask {
        push_ask(&mut g, mp, mp.block);
    }
    let span = g.blocks[mp.block].span;
    let args = inputs.iter().map(|v| Value::Var(*v)).collect();
    let (ret, call) = (g.ret, Aux::Graph(shared));
    let r = g.push_op(mp.block, Opcode::Call, args, call, ret, span);
    g.blocks[mp.block].exit = Exit::Return(r.map(Value::Var));
    g
}

/// Appends an ask to `block` of `g`.
fn push_ask(g: &mut Graph, mp: &MergePoint, block: Block) {
    let args = mp
        .greens
        .iter()
        .chain(&mp.reds)
        .map(|(v, _)| Value::Var(*v))
        .chain(std::iter::once(Value::Const(Const::Int(RESUME_TAG))))
        .collect();
    let span = g.blocks[block].span;
    let hook = Aux::Hook(mp.greens.len() as u32);
    g.push_op(block, Opcode::JitMerge, args, hook, Ty::Void, span);
}

/// Whether a merge point visit with `values` is an ask of a resumable continuation (the
/// merge point's greens and reds, then [`RESUME_TAG`]); `n` is the number of greens and reds.
pub fn is_ask(values: &[rpy_ir::runtime::RtValue], n: usize) -> bool {
    values.len() == n + 1
        && matches!(values[n], rpy_ir::runtime::RtValue::Int(t) if t == RESUME_TAG)
}
