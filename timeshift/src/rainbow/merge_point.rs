//! Merge points: versions per merge key, the jump to a version that accepts the state or a
//! new version generalised against the earlier ones, the budget on unrolled green loops.
//!
//! A merge key ([`MergeKey`]) is the frames' code positions and the green registers there
//! (the innermost frame's live ones). A version ([`Version`]) is a residual block whose
//! parameters are the variables of its shape (see [`crate::merge`]); the heap entries it
//! carries are part of its shape, after the red positions, and a state matches it only if it
//! carries entries at the same locations, equally dirty. Past [`Budgets::max_versions`]
//! versions at a key, the state forgets the heap cache (its delayed stores emitted) and
//! meets, or makes, a version that carries nothing but keeps its virtual objects, up to
//! [`Budgets::max_heapless_versions`] more: the paths of a loop body differ most often in
//! what they know of the heap, and forcing their frames for that made a loop allocate at
//! every iteration. Past both, a version that forces the state's virtual objects accepts it
//! too, and a new one makes every position a variable: the number of versions per key is
//! finite. At most [`Budgets::max_unroll`] green states meet at one merge point
//! outside the portal under the same callers. A state reaching more than
//! [`Budgets::max_virtuals`] virtual objects is made real first, and the versions of one
//! compilation pass at most [`Budgets::max_version_params`] values in all, or
//! [`Budgets::max_params_per_version`] per version on average when that is more (the
//! state's size is bounded, not the code's length). In an `@unroll_safe` graph the key also
//! holds the red constants (`unroll_safe`).
//!
//! [`Budgets::max_versions`]: super::Budgets::max_versions
//! [`Budgets::max_heapless_versions`]: super::Budgets::max_heapless_versions
//! [`Budgets::max_unroll`]: super::Budgets::max_unroll
//! [`Budgets::max_virtuals`]: super::Budgets::max_virtuals
//! [`Budgets::max_version_params`]: super::Budgets::max_version_params
//! [`Budgets::max_params_per_version`]: super::Budgets::max_params_per_version

use super::heap_cache::Carried;
use super::{Compiler, GiveUp, Kind, Step};
use crate::jitcode::{Insn, JitCodeIdx};
use crate::merge::{self, Frozen, Shape};
use crate::state::{HeapCache, JitState, RedBox};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Block, Const, Exit, Target, Value, Var};
use rpy_ir::span::Span;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

impl<'a> Compiler<'a> {
    /// The merge keys with the most versions ([`super::Compiled::busiest`]).
    pub(super) fn busiest_keys(&self) -> Vec<(String, usize)> {
        let mut keys: Vec<(&MergeKey, usize)> =
            self.versions.iter().map(|(k, v)| (k, v.len())).filter(|(_, n)| *n > 1).collect();
        keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.pcs.cmp(&b.0.pcs)));
        keys.truncate(super::BUSIEST_KEYS);
        let text = |k: &MergeKey| {
            let pcs: Vec<String> = k
                .pcs
                .iter()
                .map(|(c, pc)| {
                    format!("{}@{pc}", self.program.graphs[self.codes.codes[*c].graph].name)
                })
                .collect();
            let greens: Vec<String> = k
                .greens
                .iter()
                .map(|g| g.as_ref().map_or("?".to_string(), |c| format!("{c:?}")))
                .collect();
            format!("{} [{}]", pcs.join(" > "), greens.join(", "))
        };
        keys.into_iter().map(|(k, n)| (text(k), n)).collect()
    }

    /// At a merge point: jump to a version that accepts the state (`None`: done), or start a
    /// new version and continue in its block. See [`crate::merge`].
    pub(super) fn merge(
        &mut self,
        st: &mut JitState,
        cur: Block,
        live: &[Var],
    ) -> Step<Option<Block>> {
        // Elided calls made before do not dominate what follows a join.
        st.elided.clear();
        let top = st.frames.len() - 1;
        let (mut positions, mut reds) = self.red_positions(st, Some(live));
        if self.too_many_virtuals(st, &reds.boxes) {
            // A state reaching more virtual objects than the budget (a value stack growing at
            // every instruction of straight-line code, or at every iteration) would make every
            // merge cost as much as the state is large: they are made real here, so the work
            // per merge point stays bounded.
            for b in reds.boxes.iter().flatten() {
                if let RedBox::Virtual(i) = st.resolve(*b) {
                    self.force(st, cur, i);
                }
            }
            (positions, reds) = self.red_positions(st, Some(live));
        }
        let key = self.merge_key(st, live);
        if st.frames.len() == 1 && self.is_global_merge(st) {
            st.context = key.greens.clone();
        }
        // A merge point of an inlined guest call: the call taken back if it loops or grows
        // past its budget (`portal_inline`).
        self.inline_at_merge(st, &key)?;
        if self.kind == Kind::Case && st.frames.len() == 1 && self.is_global_merge(st) {
            if let Some(entries) = self.shared.entries {
                // Entry graphs start from the interpreter's heap.
                self.forget_heap(st, cur)?;
                return self.enter(st, cur, key, &positions, &reds, entries).map(|()| None);
            }
        }
        if self.split_or_join(st, cur, &key, &positions, &reds)?.is_some() {
            return Ok(None);
        }
        // In an `@unroll_safe` graph, red constants are part of the key (`unroll_safe`).
        let key = self.unroll_safe_key(st, key, &positions, &reds);
        self.count_unrolled(st, &key)?;
        // Past the version budget, a second tier of versions that carry nothing of the heap
        // but keep the state's virtual objects; past both, the general versions, which force
        // them (see the module header).
        let n = self.versions.get(&key).map_or(0, Vec::len);
        let heapless = n >= self.budgets.max_versions;
        let general =
            n >= self.budgets.max_versions.saturating_add(self.budgets.max_heapless_versions);
        // Dirty entries storing virtual objects are carried, and what is known of the objects
        // the state reaches (past the version budget, nothing is); every other dirty entry's
        // store is emitted, and the rest of the heap cache forgotten.
        let carried = if heapless {
            self.forget_heap(st, cur)?;
            Vec::new()
        } else {
            self.carried_entries(st, cur, &reds.boxes, true)?
        };
        let (frozen, locs) = self.with_carried(reds, &carried);
        let versions = self.versions.entry(key.clone()).or_default();
        // A version that keeps the state's virtual objects virtual; past the version budget,
        // one that forces them.
        let accepting = |forcing: bool| {
            versions.iter().find(|v| {
                v.carried == locs
                    && merge::matches(st, &v.shape, &frozen.boxes, forcing)
                    && merge::identities_hold(st, &v.shape, &frozen.boxes, &v.identities)
            })
        };
        if let Some(ver) = accepting(false).or_else(|| if general { accepting(true) } else { None })
        {
            let (block, shape) = (ver.block, ver.shape.clone());
            let args = self.shape_args(st, cur, &shape, &frozen.boxes);
            self.out.blocks[cur].exit = Exit::Goto(Target { block, args });
            return Ok(None);
        }
        // Generalised against every version on the positions (constants that differ become
        // variables whatever the heap knows), and against those carrying the same entries on
        // the entries.
        let npos = positions.len();
        let existing: Vec<&[Shape]> = versions
            .iter()
            .map(|v| if v.carried == locs { &v.shape[..] } else { &v.shape[..npos] })
            .collect();
        let shape = merge::generalise(st, &self.program.types, &frozen, &existing, general, false);
        let identities =
            if general { Vec::new() } else { merge::identities(st, &shape, &frozen.boxes) };
        let args = self.shape_args(st, cur, &shape, &frozen.boxes);
        let block = self.out.add_block(Span::UNKNOWN);
        let mut ptys = Vec::new();
        shape.iter().for_each(|s| merge::var_types(s, &mut ptys));
        self.stats.version_params += ptys.len();
        let per_version =
            self.budgets.max_params_per_version.saturating_mul(self.stats.versions + 1);
        let allowed = self.budgets.max_version_params.max(per_version);
        if self.stats.version_params > allowed {
            return Err(GiveUp::Budget(format!(
                "merge versions passing more than {allowed} values ({} versions)",
                self.stats.versions + 1
            )));
        }
        let params: Vec<Var> = ptys.iter().map(|t| self.out.add_param(block, *t, None)).collect();
        self.observe_args(&args, &params);
        let extra = merge::rebuild_state_ext(st, &positions, &shape, params.clone());
        st.heap = HeapCache::default();
        for &(j, k) in &identities {
            st.heap.same.insert(params[j], params[k]);
            // One object, one class.
            if let Some(tag) = st.classes.get(&params[j]).copied() {
                st.classes.insert(params[k], tag);
            }
        }
        self.restore_carried(st, block, &extra, &locs);
        // Dead registers of the innermost frame may still name objects of the old state:
        // clear them, so no stale box survives to a later merge.
        let top_frame = st.top_mut();
        for (i, r) in top_frame.reds.iter_mut().enumerate() {
            if r.is_some() && !positions.contains(&(top, Var::new(i))) {
                *r = None;
            }
        }
        self.out.blocks[cur].exit = Exit::Goto(Target { block, args });
        self.note_version(&key);
        let version = Version { block, shape, carried: locs, identities };
        self.versions.entry(key).or_default().push(version);
        self.stats.versions += 1;
        Ok(Some(block))
    }

    /// Whether the live boxes reach more virtual objects than [`super::Budgets::max_virtuals`].
    fn too_many_virtuals(&self, st: &JitState, boxes: &[Option<RedBox>]) -> bool {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack: Vec<RedBox> = boxes.iter().flatten().copied().collect();
        while let Some(b) = stack.pop() {
            if let RedBox::Virtual(i) = st.resolve(b) {
                if seen.insert(i) {
                    if seen.len() > self.budgets.max_virtuals {
                        return true;
                    }
                    stack.extend(st.virtuals[i].fields.iter().flatten());
                }
            }
        }
        false
    }

    /// Counts a green state new at a merge point outside the portal, and gives up past
    /// [`super::Budgets::max_unroll`] of them, naming the loop.
    pub(super) fn count_unrolled(&mut self, st: &JitState, key: &MergeKey) -> Step<()> {
        let f = st.top();
        if f.code == self.codes.portal || self.versions.contains_key(key) {
            return Ok(());
        }
        // A loop unrolls where one merge point is met again under the same callers: the same
        // call chain with the same greens in every frame but the innermost. (The same merge
        // point reached from other callers, e.g. a helper called once per instruction of
        // straight-line code, is not a loop.)
        let n = self.unrolled.entry(super::unroll_safe::loop_context(st)).or_default();
        *n += 1;
        if *n <= self.budgets.max_unroll {
            return Ok(());
        }
        let code = &self.codes.codes[f.code];
        let g = &self.program.graphs[code.graph];
        let Some(Insn::Merge { block, .. }) = code.insns.get(f.pc - 1) else {
            unreachable!("a merge key is made at a merge instruction")
        };
        Err(GiveUp::Budget(format!(
            "the loop at {} (in '{}') unrolled more than {} times: a green loop variable \
             whose loop does not end at compile time (its exit depends on a red value)",
            self.program.sources.location(g.blocks[*block].span),
            g.name,
            self.budgets.max_unroll
        )))
    }

    /// The residual values passed to a shape's variables, forcing virtual objects there.
    pub(super) fn shape_args(
        &mut self,
        st: &mut JitState,
        cur: Block,
        shape: &[Shape],
        boxes: &[Option<RedBox>],
    ) -> Vec<Value> {
        let mut bs = Vec::new();
        for (s, b) in shape.iter().zip(boxes) {
            merge::var_boxes(st, s, *b, &mut bs);
        }
        bs.into_iter().map(|b| self.residual(st, cur, b)).collect()
    }

    /// The red positions of a state — (frame, register) — and their boxes and types: every red
    /// register of every frame, or, given the innermost frame's `live` registers, only the live
    /// red ones there (suspended callers keep all theirs).
    pub(super) fn red_positions(
        &self,
        st: &JitState,
        live: Option<&[Var]>,
    ) -> (Vec<(usize, Var)>, Frozen) {
        let top = st.frames.len() - 1;
        let mut positions: Vec<(usize, Var)> = Vec::new();
        for (fi, f) in st.frames.iter().enumerate() {
            let code = &self.codes.codes[f.code];
            let held = |v: &Var| f.reds[v.index()].is_some();
            match live {
                Some(live) if fi == top => positions.extend(
                    live.iter().filter(|v| !code.green.contains(**v) && held(v)).map(|v| (fi, *v)),
                ),
                _ => {
                    let g = &self.program.graphs[code.graph];
                    positions.extend(g.vars.keys().filter(held).map(|v| (fi, v)));
                }
            }
        }
        let boxes = positions.iter().map(|(fi, v)| st.frames[*fi].reds[v.index()]).collect();
        let tys = positions
            .iter()
            .map(|(fi, v)| {
                self.program.graphs[self.codes.codes[st.frames[*fi].code].graph].vars[*v].ty
            })
            .collect();
        (positions, Frozen { boxes, tys })
    }

    /// Whether the innermost frame is at the portal's dispatch loop (a loop header of the
    /// portal holding, or leading to, the global merge point).
    pub(super) fn is_global_merge(&self, st: &JitState) -> bool {
        st.top().code == self.codes.portal
    }

    /// The merge key of the state at a merge point whose live registers are `live`.
    pub(super) fn merge_key(&self, st: &JitState, live: &[Var]) -> MergeKey {
        let top = st.frames.len() - 1;
        let mut pcs = Vec::new();
        let mut greens = Vec::new();
        for (fi, f) in st.frames.iter().enumerate() {
            pcs.push((f.code, f.pc));
            if fi == top {
                // Only live greens: a dead green temporary may differ at every iteration.
                greens.extend(live.iter().map(|v| f.greens[v.index()]));
            } else {
                greens.extend(f.greens.iter().copied());
            }
        }
        MergeKey::new(pcs, greens)
    }
}

/// Where a merge point is met and what is green there: the frames' positions, and the green
/// registers (the innermost frame's live ones, every one of the callers'). Hashed once, when
/// made ([`MergeKey::new`]): a key holds every green register of the callers, and the
/// versions table is looked up several times per merge point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct MergeKey {
    /// The hash of the rest, computed once.
    hash: u64,
    /// The frames' code positions, outermost first.
    pcs: Vec<(JitCodeIdx, usize)>,
    /// The green registers, frame by frame.
    greens: Vec<Option<Const>>,
}

impl MergeKey {
    /// The key of these positions and greens, hashed now.
    fn new(pcs: Vec<(JitCodeIdx, usize)>, greens: Vec<Option<Const>>) -> MergeKey {
        let mut h = FxHasher::default();
        pcs.hash(&mut h);
        greens.hash(&mut h);
        MergeKey { hash: h.finish(), pcs, greens }
    }

    /// This key with `reds` (the constants of red registers) after its greens: the key of a
    /// merge point of an `@unroll_safe` graph (see `unroll_safe`). It is longer than any key
    /// of the same positions without them, so never equal to one.
    pub(super) fn with_reds(&self, reds: Vec<Option<Const>>) -> MergeKey {
        let mut greens = self.greens.clone();
        greens.extend(reds);
        MergeKey::new(self.pcs.clone(), greens)
    }
}

impl Hash for MergeKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// A version of a merge point: a residual block and the shape it was compiled for.
pub(super) struct Version {
    /// The block; its parameters are the shape's variables.
    pub(super) block: Block,
    /// Per red position, what this version is specialised to; then, per heap entry it
    /// carries, the object's shape and the value's.
    shape: Vec<Shape>,
    /// The locations of the heap entries it carries, each with whether it is dirty (see
    /// [`Compiler::carried_entries`]).
    carried: Vec<Carried>,
    /// Pairs of its variables that hold one object ([`merge::identities`]).
    identities: Vec<(usize, usize)>,
}
