//! *Direct entries* at a tiered interpreter's merge point: compiled code entered by the
//! backend itself, without a trip through the JIT driver.
//!
//! Once a merge key has valid compiled code, every visit of the key enters it (the counter of
//! `jit_merge` then calls in at each visit). Through the driver a visit cost ~0.4 µs: the
//! words turned into `RtValue`s, the green key built as a `Vec<Const>` and hashed with
//! SipHash, the key's entry and its quasi-immutable token looked up, the reds copied, the
//! code's slot and entry wrapper looked up in hash maps, a GC-scanned buffer allocated
//! (`RootBuf`) for the arguments. A Python function called from a loop paid that at every
//! call (mini-Python's guest calls reach the callee's first merge point through the
//! interpreter's `eval_frame`).
//!
//! Protocol: when the driver enters code at a visit it tells the backend
//! (`Backend::enters_at_merge_point`), which records the visit's green words -> the graph,
//! its slot and its entry wrapper ([`DirectEntries`]). A later visit with the same green
//! words (`JitBackend::with_merge_entry_direct`, given the driver's miss hook) calls the slot's
//! current code (a tier-up swaps the slot: the hot code is reached at once) with the reds as
//! they are, words on the stack, and returns its result word to the interpreter.
//!
//! Invariants:
//! - A record holds only while `rpy_ir::runtime::quasi::invalidations` is what it was when
//!   made: the driver drops an entry whose quasi-immutable assumptions broke, so at any
//!   change the table is emptied and the next visits ask the driver again.
//! - Only nested inside a run of the interpreter (the backend's runtime state is set up by
//!   the outer call), never for a continuation's ask (a tag word past the reds).
//! - Direct entries run as direct portal calls do (`rpy_ir::runtime::portal_calls` raised):
//!   no driver trampoline is below them, so a fallback's continuation inside never resumes
//!   compiled code through the driver; it interprets to the end of that portal call.
//! - Each direct entry is one visit of work for the driver's payoff ledger
//!   (`Backend::take_direct_entries`), as the driver counts an entry it makes.

use super::{internal, Jit, JitBackend};
use crate::flexswitch::Miss;
use crate::runtime::{self, MergeOutcome};
use rpy_ir::ir::GraphIdx;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::Ty;
use rustc_hash::FxHashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use timeshift::backend::Hook;

/// Reds passed on the stack by a direct entry; a merge point with more always asks the
/// driver.
const MAX_REDS: usize = 32;

/// The merge keys whose compiled code the backend enters by itself (see the module header).
#[derive(Default)]
pub(super) struct DirectEntries {
    /// Green words per key (the same for every key: one merge point per interpreter).
    greens: usize,
    /// `quasi::invalidations()` when the records were made.
    seen: u64,
    /// Green words -> what to call.
    table: FxHashMap<Box<[u64]>, Direct>,
    /// Direct entries since the driver last took the count.
    entered: u64,
    /// Direct entries of the backend's life.
    total: u64,
}

/// One key's compiled entry.
#[derive(Clone, Copy)]
struct Direct {
    graph: GraphIdx,
    /// The graph's slot (boxed in the code table, never removed: the address is stable).
    slot: *const AtomicUsize,
    /// The entry wrapper of the graph's signature.
    wrapper: usize,
    /// The graph returns nothing (its result word is not read).
    void: bool,
}

impl Jit {
    /// Records that visits whose greens are `greens` enter graph `g` (the driver's word, see
    /// `Backend::enters_at_merge_point`). Nothing is recorded for a graph without code of its
    /// own yet, or too many reds.
    pub(super) fn remember_direct(&self, greens: &[RtValue], g: GraphIdx) {
        let t = &self.translated;
        let Some(key) = greens
            .iter()
            .map(|v| match v {
                RtValue::Func(f) => t.funcs.get(f.as_u32() as usize).map(|&a| a as u64),
                v => Some(v.to_word(|_| 0)),
            })
            .collect::<Option<Box<[u64]>>>()
        else {
            return;
        };
        let direct = {
            let inner = self.inner.borrow();
            let graph = &inner.program.graphs[g];
            let (Some(slot), Some(&wrapper)) = (
                inner.code.slots.get(&g),
                inner.code.tail_entries.get(&inner.program.graph_sig(g)),
            ) else {
                return;
            };
            if graph.params.len() > MAX_REDS {
                return;
            }
            Direct { graph: g, slot: &**slot, wrapper, void: graph.ret == Ty::Void }
        };
        let now = rpy_ir::runtime::quasi::invalidations();
        let mut d = self.direct.borrow_mut();
        if d.seen != now || d.greens != key.len() {
            d.table.clear();
            d.seen = now;
            d.greens = key.len();
        }
        d.table.insert(key, direct);
    }

    /// Direct entries made since the last call.
    pub(super) fn take_direct_entries(&self) -> u64 {
        std::mem::take(&mut self.direct.borrow_mut().entered)
    }

    /// Enters the compiled code recorded for the visit of `words` (greens, then reds), with
    /// `hook` answering its misses; `None` when the visit must ask the driver (no record, an
    /// invalidation since, not nested in the interpreter's run).
    fn enter_direct(&self, words: &[u64], hook: Hook<GraphIdx>) -> Option<MergeOutcome> {
        if self.active.get() == 0 {
            return None;
        }
        let d = {
            let mut table = self.direct.borrow_mut();
            if table.table.is_empty() || words.len() < table.greens {
                return None;
            }
            if table.seen != rpy_ir::runtime::quasi::invalidations() {
                table.table.clear();
                return None;
            }
            let d = *table.table.get(&words[..table.greens])?;
            let reds = &words[table.greens..];
            // SAFETY: the slot is a code table's box, never freed while the backend lives.
            let func = unsafe { (*d.slot).load(Ordering::Acquire) };
            if func == 0 || reds.len() > MAX_REDS {
                return None;
            }
            table.entered += 1;
            table.total += 1;
            (d, func, reds)
        };
        let (d, func, reds) = d;
        // On the stack, which the collector scans: the reds may be the only references.
        let mut io = [0u64; MAX_REDS + 1];
        io[..reds.len()].copy_from_slice(reds);
        let handler = |miss: &Miss<'_>| self.on_miss(miss, hook);
        let run = || {
            let _installed = self.install_hook(hook);
            let _direct = DirectCall::enter();
            self.flex.with_handler(&handler, || {
                self.run_words(d.graph, func, d.wrapper, &mut io[..reds.len() + 1])
            })
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
            .unwrap_or_else(|_| Err(internal("the JIT panicked at a direct entry").into()));
        Some(match outcome {
            Ok(()) => MergeOutcome::Entered(if d.void { 0 } else { io[reds.len()] }),
            Err(e) => {
                *self.error.borrow_mut() = Some(e);
                MergeOutcome::Failed
            }
        })
    }
}

/// A direct entry running: `portal_calls` raised (a continuation inside does not resume
/// through the driver, which has no trampoline below it), lowered on drop.
struct DirectCall;

impl DirectCall {
    fn enter() -> DirectCall {
        rpy_ir::runtime::portal_calls::add(1);
        DirectCall
    }
}

impl Drop for DirectCall {
    fn drop(&mut self) {
        rpy_ir::runtime::portal_calls::add(-1);
    }
}

impl JitBackend {
    /// Merge point visits that entered compiled code directly so far (see the module
    /// header), for tests and logs.
    pub fn direct_entries(&self) -> u64 {
        self.jit.direct.borrow().total
    }

    /// [`JitBackend::with_merge_entry`], and visits of keys whose code the driver entered
    /// enter it directly (see the module header), `hook` (the driver's miss hook,
    /// `timeshift::JitDriver::miss_hook`) answering the misses of that code.
    pub fn with_merge_entry_direct<R>(
        &self,
        types: &[Ty],
        ret: Ty,
        entry: &super::MergeEntry<'_>,
        hook: Hook<'_, GraphIdx>,
        f: impl FnOnce() -> R,
    ) -> R {
        self.with_merge_entry_hooked(types, ret, entry, Some(hook), f)
    }

    /// The handler of [`JitBackend::with_merge_entry`]'s `jit_merge` calls: a direct entry
    /// when `hook` is given and the visit has one, else a question to the driver.
    pub(super) fn answer_merge(
        &self,
        types: &[Ty],
        ret: Ty,
        entry: &super::MergeEntry<'_>,
        hook: Option<Hook<'_, GraphIdx>>,
        words: &[u64],
    ) -> MergeOutcome {
        if let Some(hook) = hook {
            // A continuation's ask has a tag past the reds: always the driver's.
            if words.len() == types.len() {
                if let Some(outcome) = self.jit.enter_direct(words, hook) {
                    return outcome;
                }
            }
        }
        let t = &self.jit.translated;
        let interval = self.jit.merge_interval.get();
        // Words past the types (the tag of a resumable continuation's ask, see
        // `timeshift::resume`) are ints.
        let tys = types.iter().chain(std::iter::repeat(&Ty::Int));
        // On the stack when they fit: an interpreter asks once per interval of its loop.
        let mut on_stack = [RtValue::Void; 16];
        let heap: Vec<RtValue>;
        let values: &[RtValue] = if words.len() <= on_stack.len() {
            for ((slot, &w), &ty) in on_stack.iter_mut().zip(words).zip(tys) {
                *slot = t.value_of_word(w, ty);
            }
            &on_stack[..words.len()]
        } else {
            heap = words.iter().zip(tys).map(|(&w, &ty)| t.value_of_word(w, ty)).collect();
            &heap
        };
        self.jit.hot_entry.set(true);
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| entry(values, interval)));
        self.jit.hot_entry.set(false);
        let outcome =
            outcome.unwrap_or_else(|_| Err(internal("the JIT panicked at a merge point").into()));
        match outcome {
            Ok(None) => runtime::MergeOutcome::Declined { wait: interval as i64 },
            Ok(Some(RtValue::Void)) => runtime::MergeOutcome::Entered(0),
            Ok(Some(v)) => {
                runtime::MergeOutcome::Entered(t.word_of_value(v, ret, 0, "the JIT's result"))
            }
            Err(e) => {
                *self.jit.error.borrow_mut() = Some(e);
                runtime::MergeOutcome::Failed
            }
        }
    }
}
