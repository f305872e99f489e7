//! Inlined guest calls: a residual call of the portal continued, at compile time, into the
//! callee's code instead of calling compiled code (issue 18's "frames virtual across calls").
//!
//! Vocabulary. A *guest call* is a residual call of the portal graph (mini-Python's
//! `eval_frame` of a new frame) from code being compiled. [`super::portal_calls`] makes one a
//! direct call of the callee's compiled code: the callee's frame forced, the caller's state
//! written back, the result boxed. *Inlining* it instead: the portal's prologue runs on a copy
//! of the state (as for a direct call) up to the global merge point, and the state goes on
//! from there in the callee's code, the portal's frame pushed as the frame of a followed call
//! whose result goes to the call's register. Its *key* is the merge point's greens there (the
//! callee's code and position: what the driver's compiled code would be looked up by). The
//! frames from the callee's portal frame inwards are the *inlined call*
//! ([`InlinedCall`], in [`JitState::inlined`], popped with its frame by `return_from`).
//!
//! What qualifies: a driver with a global merge point (services), a compilation that is not
//! a flexswitch's case (cases inside an inlined call compile the rest of the callee, and
//! inlining there again multiplied raytrace's code tenfold), of fewer than
//! [`super::Budgets::split_ops`] residual ops so far (no state splits inside an inlined
//! call, so a large compilation stops growing by inlining), the prologue reaching the merge
//! point without emitting (a constant key), fewer than [`super::Budgets::max_inline_depth`]
//! calls inlined on the path, a key not refused in this compilation and not on the inline
//! stack nor the path's *root key* (the first key its outermost portal frame met at the
//! merge point, kept in the state so the cases and entries compiled from the path have it
//! too: a recursive function's calls of itself stay direct calls), fewer than
//! [`super::Budgets::max_inlined_ops`] residual ops emitted inside the calls inlined so far
//! in this compilation (all paths: the *bound*), and a *call site* (the callee's key and the
//! caller's last merge key) inlined fewer than [`super::Budgets::max_inlines_per_site`] times
//! in this compilation (the peeled iteration and the loop's version; further versions of the
//! caller's loop call it directly). The calls refused by the bound and the site limit, the
//! calls inlined and their ops are counted in [`InlineStats`] (the `cost` log's line).
//!
//! The callee's merge points while inlined are merge points of a followed call, not global
//! ones: the state has more than one frame, so nothing is split, entered or counted hot there
//! (`split`, `enter` and the driver test the frame count), and their keys hold the callers'
//! frames. A callee must not be unrolled: an inlined call whose portal frame meets, on one
//! path, a merge key it met before (a guest loop), or whose paths pass more residual ops than
//! [`super::Budgets::max_inline_ops`] between its merge points, is *taken back*: the run
//! gives up, and the compilation starts again from its *checkpoint* (the residual graph, queue
//! and counters as they were before any state ran) with the key refused, so that call (and
//! every call at that key) is a direct call as before. Any other give-up of a run that
//! inlined something starts it again without inlining at all (an inlined body must never make
//! a compilation fail). At most [`MAX_RESTARTS`] restarts for refused keys. A compilation
//! that cannot start again (states ran before its queue: none do today) inlines nothing. A
//! call inlined already is taken back too when the compilation's inlined ops pass twice the
//! bound (the bound is tested before each call, so calls in flight can pass it).
//!
//! Guards and flexswitches inside an inlined call are a state like any other with several
//! frames: a case compiled later starts from the snapshot, the inlined call still on its
//! stack ([`InlinedCall::inherited`]: not taken back there, since the key cannot be refused
//! in code already compiled; its loops close at versions, as a followed call's do). A
//! fallback calls each frame's continuation, innermost first, each caller's with its
//! callee's result: the inlined portal frame's is the portal's continuation from its
//! position (cut at the merge point, calling the shared continuation, as frame 0's), under
//! `jit_direct_calls` (`rpy_ir::runtime::portal_calls`) so its asks never resume compiled
//! code (its result goes to its caller's continuation, not to the driver's trampoline). So
//! the interpreter sees both frames: the caller's written back with the call in progress,
//! the callee's made real.
//!
//! Off by default ([`super::Budgets::max_inline_depth`] 0; `RPY_JIT_INLINE=2` turns it on,
//! `RPY_JIT_INLINE_OPS` sets the bound). A loop calling a small function runs ~10x faster
//! with payoff off (3M calls: 1.66 -> 0.16 s user). Before the bound, the site limit and no
//! inlining in cases, OO code grew several-fold (raytrace 120 with payoff off: 46 000 residual
//! ops -> 1 020 000, 6.8 -> 117 s user; richards 20: 30 000 -> 467 000); with them it stays
//! within 1.5x (60 000 -> 84 000; 50 000 -> 61 000) but still runs slower than without
//! inlining (raytrace 7.5 -> 11.3 s, deltablue 50 2.5 -> 4.0 s, nqueens 9 0.58 -> 1.03 s;
//! richards, nbody, spectral_norm, generators, fib within noise), so it stays off. What
//! remains: the cases compiled inside an inlined call (a guard or flexswitch there) compile
//! the rest of the callee without splits, from every such snapshot.
//!
//! Exceptions: the callee's raise is the interpreter's store into the exception state and a
//! return, which the caller's code after the call reads, as after any followed call (the
//! portal returns the same way when it raises).

use super::merge_point::MergeKey;
use super::{Compiler, GiveUp, Kind, Step};
use crate::state::JitState;
use rpy_ir::ir::{Aux, Block, Const, OpIdx};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

/// Restarts of one compilation with one more key refused; past them (or after any other
/// failure of a run that inlined) it runs once more with nothing inlined.
pub(super) const MAX_RESTARTS: usize = 8;

/// A guest call inlined on a path (see the module header).
#[derive(Clone, Debug)]
pub struct InlinedCall {
    /// The index of the callee's portal frame in the state's frames.
    pub(super) frame: usize,
    /// The merge point's greens where the callee's code starts.
    key: Vec<Const>,
    /// The merge keys (hashed) its portal frame met on this path.
    seen: Vec<u64>,
    /// Residual ops counted for it on this path, and the compilation's count when last
    /// counted.
    ops: usize,
    mark: usize,
    /// Whether it was inlined before this compilation (a case starting inside it).
    inherited: bool,
}

/// A path's inlined calls ([`JitState::inlined`]).
#[derive(Clone, Debug, Default)]
pub struct InlineStack {
    /// The calls whose portal frames are on the stack, outermost first.
    pub(super) calls: Vec<InlinedCall>,
    /// The *root key*: the first key the outermost portal frame met at the global merge
    /// point (carried to the cases and entries compiled from this path: the same guest
    /// activation).
    root: Option<Vec<Const>>,
}

/// A compilation's inlining: what it refused, whether it can start again.
#[derive(Default)]
pub(super) struct Inlining {
    /// Keys not inlined (taken back in an earlier run of this compilation).
    refused: HashSet<Vec<Const>>,
    /// The key of the call to take back, set with the give-up that ends the run.
    take_back: Option<Vec<Const>>,
    /// Whether this run inlined a call.
    inlined_any: bool,
    /// Restarts made.
    restarts: usize,
    /// Whether the compilation has a checkpoint to start again from.
    restartable: bool,
    /// Nothing more is inlined.
    off: bool,
    /// Residual ops emitted while the running state was inside a call inlined in this
    /// compilation, and the op count from which the running state's are counted (`None`:
    /// it is not inside one).
    ops: usize,
    since: Option<usize>,
    /// Times each call site (hashed: the callee's key and the caller's last merge key) was
    /// inlined in this run.
    sites: HashMap<u64, usize>,
    /// What this run inlined and refused ([`Stats::inlining`](super::Stats::inlining)).
    stats: InlineStats,
}

/// What a compilation inlined, and the limits it met ([`super::Stats::inlining`], logged on
/// the `cost` line).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InlineStats {
    /// Guest calls inlined (in the run that finished).
    pub calls: usize,
    /// Residual ops emitted inside them.
    pub ops: usize,
    /// Calls not inlined because the compilation's inlined ops had reached
    /// [`super::Budgets::max_inlined_ops`].
    pub past_bound: usize,
    /// Calls not inlined because their site had been inlined
    /// [`super::Budgets::max_inlines_per_site`] times.
    pub past_site: usize,
    /// Times the compilation started again (a call taken back, or inlining turned off).
    pub restarts: usize,
}

/// The site of a guest call to `key` from `st`'s innermost portal frame: the callee's key
/// and the caller's position (the last merge key its portal frame met: the global one's greens
/// for the outermost, the last one an inlined call met for one inlined), hashed.
fn call_site(st: &JitState, key: &[Const]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    key.hash(&mut h);
    match st.inlined.calls.last() {
        Some(c) => c.seen.last().hash(&mut h),
        None => st.context.hash(&mut h),
    }
    h.finish()
}

/// Whether `st` is inside a guest call inlined in this compilation (not inherited).
fn inside_fresh(st: &JitState) -> bool {
    st.inlined.calls.iter().any(|c| !c.inherited)
}

/// What a compilation starts again from.
struct Checkpoint {
    out: rpy_ir::ir::Graph,
    queue: Vec<(JitState, Block)>,
    stats: super::Stats,
    safe_casts: Vec<rpy_ir::ir::Var>,
    quasi: super::quasi::QuasiState,
    observed: super::observe::Observed,
}

impl<'a> Compiler<'a> {
    /// Runs the queue ([`Compiler::run_queue`]), starting again from the queue as it is now
    /// when an inlined call is taken back (see the module header).
    pub(super) fn run_queue_inlining(&mut self) -> Step<()> {
        for (st, _) in &mut self.queue {
            st.inlined.calls.iter_mut().for_each(|c| c.inherited = true);
        }
        let checkpoint = (self.budgets.max_inline_depth > 0
            && self.versions.is_empty()
            && self.snapshots.is_empty())
        .then(|| Checkpoint {
            out: self.out.clone(),
            queue: self.queue.clone(),
            stats: self.stats,
            safe_casts: self.safe_casts.clone(),
            quasi: self.quasi.clone(),
            observed: self.observed.clone(),
        });
        self.inlining.restartable = checkpoint.is_some();
        loop {
            let Err(e) = self.run_queue() else {
                self.inline_account(false);
                let i = &self.inlining;
                self.stats.inlining = InlineStats { ops: i.ops, restarts: i.restarts, ..i.stats };
                return Ok(());
            };
            let Some(cp) = &checkpoint else { return Err(e) };
            if !self.inlining.inlined_any {
                return Err(e);
            }
            match self.inlining.take_back.take() {
                Some(key) if self.inlining.restarts < MAX_RESTARTS => {
                    self.inlining.refused.insert(key);
                }
                _ => self.inlining.off = true,
            }
            self.inlining.restarts += 1;
            self.inlining.inlined_any = false;
            self.inlining.ops = 0;
            self.inlining.since = None;
            self.inlining.sites.clear();
            self.inlining.stats = InlineStats::default();
            self.out = cp.out.clone();
            self.queue = cp.queue.clone();
            self.stats = cp.stats;
            self.safe_casts = cp.safe_casts.clone();
            self.quasi = cp.quasi.clone();
            self.observed = cp.observed.clone();
            self.versions.clear();
            self.unrolled.clear();
            self.unrolled_safe.clear();
            self.snapshots.clear();
        }
    }

    /// If residual call `op` (in the innermost frame, whose residual block is `cur`) is a
    /// guest call that qualifies (see the module header): the state goes on at the callee's
    /// merge point, its portal frame pushed, and `true`; else nothing changed, `false`.
    pub(super) fn inline_portal_call(
        &mut self,
        st: &mut JitState,
        cur: Block,
        op: OpIdx,
    ) -> Step<bool> {
        let i = &self.inlining;
        if i.off
            || !i.restartable
            || self.kind == Kind::Case
            || st.inlined.calls.len() >= self.budgets.max_inline_depth
            || self.stats.residual_ops >= self.budgets.split_ops
        {
            return Ok(false);
        }
        let od = &self.graph_of(st).ops[op];
        let portal_graph = self.codes.codes[self.codes.portal].graph;
        if !matches!(od.aux, Aux::Graph(c) if c == portal_graph) {
            return Ok(false);
        }
        let Some((mut sub, key, _)) = self.run_prologue(st, cur, op)? else {
            return Ok(false);
        };
        let i = &self.inlining;
        if i.refused.contains(&key)
            || st.inlined.root.as_ref() == Some(&key)
            || st.inlined.calls.iter().any(|c| c.key == key)
        {
            return Ok(false);
        }
        self.inline_account(inside_fresh(st));
        if self.inlining.ops >= self.budgets.max_inlined_ops {
            self.inlining.stats.past_bound += 1;
            return Ok(false);
        }
        let site = call_site(st, &key);
        let times = self.inlining.sites.entry(site).or_default();
        if *times >= self.budgets.max_inlines_per_site {
            self.inlining.stats.past_site += 1;
            return Ok(false);
        }
        *times += 1;
        self.inlining.stats.calls += 1;
        let frame = sub.frames.len() - 1;
        let top = sub.top_mut();
        // The merge point itself runs next: its first version is the callee's start.
        top.pc -= 1;
        top.result_to = od.result;
        let mark = self.stats.residual_ops;
        let call = InlinedCall { frame, key, seen: Vec::new(), ops: 0, mark, inherited: false };
        sub.inlined.calls.push(call);
        *st = sub;
        self.inlining.inlined_any = true;
        self.inlining.since = Some(self.stats.residual_ops);
        Ok(true)
    }

    /// At a merge point with `key`: notes the root key (the outermost portal frame at the
    /// global merge point), and, in the portal frame of a call inlined in this compilation,
    /// takes the call back (a give-up, see the module header) if it met `key` before on this
    /// path or passed its op budget.
    pub(super) fn inline_at_merge(&mut self, st: &mut JitState, key: &MergeKey) -> Step<()> {
        if self.budgets.max_inline_depth == 0 {
            return Ok(());
        }
        let depth = st.frames.len();
        if depth == 1 {
            if st.inlined.root.is_none() {
                st.inlined.root = self.portal_key(st);
            }
            return Ok(());
        }
        let ops = self.stats.residual_ops;
        let Some(call) = st.inlined.calls.last_mut() else { return Ok(()) };
        if call.frame + 1 != depth || call.inherited {
            return Ok(());
        }
        call.ops += ops.saturating_sub(call.mark);
        call.mark = ops;
        let mut h = rustc_hash::FxHasher::default();
        key.hash(&mut h);
        let h = h.finish();
        let looped = call.seen.contains(&h);
        call.seen.push(h);
        let too_large = call.ops > self.budgets.max_inline_ops;
        let key = call.key.clone();
        self.inline_account(true);
        let past_bound = self.inlining.ops > 2 * self.budgets.max_inlined_ops;
        if !looped && !too_large && !past_bound {
            return Ok(());
        }
        self.inlining.take_back = Some(key);
        let why = if looped {
            "an inlined guest call loops".to_string()
        } else if too_large {
            "an inlined guest call is too large".to_string()
        } else {
            format!("inlined guest calls passed {} ops", 2 * self.budgets.max_inlined_ops)
        };
        Err(GiveUp::Unsupported(why))
    }

    /// Counts the residual ops emitted since the running state's last count into the
    /// compilation's inlined ops if it is inside a call inlined in this compilation; counts
    /// from now on if `inside` (see [`Inlining::ops`]).
    fn inline_account(&mut self, inside: bool) {
        let ops = self.stats.residual_ops;
        if let Some(since) = self.inlining.since {
            self.inlining.ops += ops.saturating_sub(since);
        }
        self.inlining.since = inside.then_some(ops);
    }

    /// After the innermost frame (at `depth` frames now) returned: its inlined call, if it
    /// was one, is done (see [`Inlining::ops`]).
    pub(super) fn inline_returned(&mut self, st: &mut JitState, depth: usize) {
        st.inlined.calls.retain(|c| c.frame < depth);
        if self.inlining.since.is_some() {
            self.inline_account(inside_fresh(st));
        }
    }

    /// Before a queued state runs: its inlined calls count residual ops from now on (what
    /// other states emitted meanwhile is not theirs), and so does the compilation's count of
    /// inlined ops if it is inside one inlined in this compilation.
    pub(super) fn inline_resumed(&mut self, st: &mut JitState) {
        let ops = self.stats.residual_ops;
        st.inlined.calls.iter_mut().for_each(|c| c.mark = ops);
        self.inline_account(inside_fresh(st));
    }

    /// The merge point's greens in the innermost frame, if it is the portal's frame at the
    /// global merge point (its merge instruction just run).
    fn portal_key(&self, st: &JitState) -> Option<Vec<Const>> {
        let mp = self.services?.merge_point()?;
        let f = st.top();
        let code = &self.codes.codes[f.code];
        if f.code != self.codes.portal || code.block_start[mp.block]? as usize + 1 != f.pc {
            return None;
        }
        super::portal_calls::merge_point_values(st, mp).map(|(g, _)| g)
    }
}
