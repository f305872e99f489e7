//! The heap cache at work (PyPy's `optimizeopt/heap.py`): accesses to real objects' fields
//! and constant-index items served from what is known, stores delayed, and what a merge point
//! or a flexswitch carries of it.
//!
//! Vocabulary: an *entry* ([`HeapEntry`]) is one known location of one object; it is *dirty*
//! when its store is delayed (the object's memory still holds an older value), and
//! *flushing* it emits that store. Invariants: an entry exists only once an access to its
//! location succeeded (the object is not null, the index in bounds), so a delayed store never
//! hides a failure; before anything that may observe a location through another variable or
//! any object (a possibly aliasing access, a residual call, a side effect, a return from the
//! portal, the interpreter), the dirty entries it may observe are flushed. At a merge point
//! the dirty entries storing virtual objects into real ones are carried by the version (their
//! objects and values are part of its shape), and so are the known entries of the objects the
//! state reaches (constant objects — prebuilt ones, pointers the JIT met — are reached from
//! anywhere) and a virtualizable frame's entries, dirty or not (`super::virtualizable`);
//! every other dirty entry is flushed and the rest forgotten. The arrays of two different
//! virtualized items fields are never one object (the front end makes sure of it), so
//! accesses to one never flush the other's entries.
//!
//! A dirty entry remembers what the object's memory holds if it was known (`memory`): storing
//! that value back cancels the delayed stores, so a global set to a fresh object and reset
//! before anything observes it (the exception state between a raise and its handler) costs
//! nothing. A field of a constant object needs no read to check an access (it cannot fail),
//! and the side of a null test that finds a pointer null knows it is (`Compiler::null_test`).

use super::virtualizable::distinct_arrays;
use super::{Compiler, Step};
use crate::merge::Frozen;
use crate::state::{HeapCache, HeapEntry, HeapObj, JitState, Loc, RedBox};
use rpy_ir::ir::{Aux, Block, Const, Exit, OpIdx, Target, Value};
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;
use rpy_ir::types::{HeapTypeIdx, Ty};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

impl<'a> Compiler<'a> {
    /// A field or constant-index item of a real object: read from the heap cache, or read and
    /// remembered; a store remembered and delayed once the location is known (its access
    /// succeeded), emitted otherwise — but a virtual object stored where nothing is known yet
    /// is delayed too, after a read of the location checks that the access succeeds (so the
    /// object stays virtual until something observes the location, perhaps never: see
    /// `Compiler::merge`). Accesses that may touch a cached location through another object
    /// flush its entry first (and a store forgets it); when that entry is dirty with a
    /// virtual object, and `split` allows, a residual pointer comparison decides instead
    /// ([`HeapStep::Again`]).
    pub(super) fn heap_op(
        &mut self,
        st: &mut JitState,
        cur: Block,
        op: OpIdx,
        boxes: &[RedBox],
        split: bool,
    ) -> Step<HeapStep> {
        let od = &self.graph_of(st).ops[op];
        let (opcode, span, result) = (od.opcode, od.span, od.result);
        let types = &self.program.types;
        let store = matches!(opcode, Opcode::SetField | Opcode::SetArrayItem);
        let loc = match (opcode, &od.aux) {
            (Opcode::GetField | Opcode::SetField, Aux::Field(t, f)) => field_loc(types, *t, *f),
            (Opcode::GetArrayItem | Opcode::SetArrayItem, Aux::Array(at)) => match boxes[1] {
                RedBox::Const(Const::Int(i)) if i >= 0 => Loc::Item(*at, i as usize),
                _ => {
                    // Any item of any array of this type (but another virtualized items
                    // field's array).
                    let at = *at;
                    let fields = &self.items_fields(st);
                    let array = heap_obj(st, boxes[0]);
                    let pred = |e: &HeapEntry| {
                        e.loc.array() == Some(at)
                            && !array.is_some_and(|a| distinct_arrays(fields, a, e.obj))
                    };
                    self.flush_if(st, cur, store, pred)?;
                    return Ok(HeapStep::Emit);
                }
            },
            _ => return Ok(HeapStep::Emit),
        };
        let aux = od.aux.clone();
        let ty = result.map_or(Ty::Void, |r| self.graph_of(st).vars[r].ty);
        let Some(obj) = heap_obj(st, boxes[0]) else {
            // A virtual object (an index out of its range) or null: no cache entry can be it.
            self.flush_if(st, cur, store, |e| e.loc == loc)?;
            return Ok(HeapStep::Emit);
        };
        let fields = &self.items_fields(st);
        let others = move |e: &HeapEntry| {
            e.loc == loc
                && e.obj != obj
                && e.obj.may_alias(obj)
                && !distinct_arrays(fields, obj, e.obj)
        };
        if split {
            if let Some(b) = self.alias_guard(st, cur, obj, boxes[0], others, span)? {
                return Ok(HeapStep::Again(b));
            }
        }
        if !store {
            if let Some(i) = st.heap.find(obj, loc) {
                let b = st.heap.entries[i].value;
                self.set_red(st, result, b);
                return Ok(HeapStep::Done);
            }
            self.flush_if(st, cur, false, others)?;
            let args: Vec<Value> = boxes.iter().map(|b| self.residual(st, cur, *b)).collect();
            let via = args[0];
            let r = self.emit(cur, opcode, args, aux, ty, span)?.expect("a read has a result");
            let value = RedBox::Var(r);
            st.heap.entries.push(HeapEntry { obj, via, loc, value, dirty: false, memory: None });
            self.set_red(st, result, RedBox::Var(r));
            return Ok(HeapStep::Done);
        }
        let value = *boxes.last().expect("a store has a value operand");
        self.flush_if(st, cur, true, others)?;
        if let Some(i) = st.heap.find(obj, loc) {
            let e = &st.heap.entries[i];
            let memory = if e.dirty { e.memory } else { Some(e.value) };
            // Storing what the memory already holds is no store at all (and cancels the
            // stores delayed since).
            let back = memory.is_some_and(|m| st.resolve(m) == st.resolve(value));
            let e = &mut st.heap.entries[i];
            e.value = value;
            e.dirty = !back;
            e.memory = if back { None } else { memory };
            return Ok(HeapStep::Done);
        }
        if matches!(st.resolve(value), RedBox::Virtual(_)) && cannot_fail(obj, loc) {
            // A field of a constant object: the access cannot fail, so no read checks it.
            let via = Value::Const(constant(obj));
            st.heap.entries.push(HeapEntry { obj, via, loc, value, dirty: true, memory: None });
            return Ok(HeapStep::Done);
        }
        if matches!(st.resolve(value), RedBox::Virtual(_)) {
            // Checked by a read (null object, index out of bounds), then delayed.
            let n = boxes.len() - 1;
            let args: Vec<Value> = boxes[..n].iter().map(|b| self.residual(st, cur, *b)).collect();
            let via = args[0];
            let read =
                if opcode == Opcode::SetField { Opcode::GetField } else { Opcode::GetArrayItem };
            let lty = loc_ty(&self.program.types, loc);
            self.emit(cur, read, args, aux, lty, span)?;
            st.heap.entries.push(HeapEntry { obj, via, loc, value, dirty: true, memory: None });
            return Ok(HeapStep::Done);
        }
        let args: Vec<Value> = boxes.iter().map(|b| self.residual(st, cur, *b)).collect();
        let via = args[0];
        self.emit(cur, opcode, args, aux, ty, span)?;
        st.heap.entries.push(HeapEntry { obj, via, loc, value, dirty: false, memory: None });
        Ok(HeapStep::Done)
    }

    /// Before an access to `loc` of `obj` (held by `b`) that may touch the location of a
    /// dirty entry storing a virtual object through another variable (`others`): the access is
    /// guarded by a residual pointer comparison instead of emitting the store (which would
    /// allocate the object). Equal: the access continues (run again) knowing the two are one
    /// object; different: in a branch of its own, the store is emitted and the access run
    /// again. Returns the block the equal case continues in; `None` when there is no such
    /// store (or more than one).
    pub(super) fn alias_guard(
        &mut self,
        st: &mut JitState,
        cur: Block,
        obj: HeapObj,
        b: RedBox,
        others: impl Fn(&HeapEntry) -> bool,
        span: Span,
    ) -> Step<Option<Block>> {
        let candidates: Vec<usize> = (0..st.heap.entries.len())
            .filter(|i| {
                let e = &st.heap.entries[*i];
                e.dirty && others(e) && matches!(st.resolve(e.value), RedBox::Virtual(_))
            })
            .collect();
        let [j] = candidates[..] else { return Ok(None) };
        let (HeapObj::Var(x), HeapObj::Var(y)) = (obj, st.heap.entries[j].obj) else {
            return Ok(None);
        };
        let a = self.residual(st, cur, b);
        let p = st.heap.entries[j].via;
        let eq = self.emit(cur, Opcode::PtrEq, vec![a, p], Aux::None, Ty::Bool, span)?;
        let eq = eq.expect("a comparison has a result");
        let (tb, fb) = (self.out.add_block(span), self.out.add_block(span));
        self.out.blocks[cur].exit = Exit::Branch {
            cond: Value::Var(eq),
            if_true: Target { block: tb, args: vec![] },
            if_false: Target { block: fb, args: vec![] },
        };
        let mut other = st.clone();
        self.flush_entry(&mut other, fb, j)?;
        other.top_mut().pc -= 1;
        self.queue.push((other, fb));
        st.heap.same.insert(x, y);
        st.top_mut().pc -= 1;
        Ok(Some(tb))
    }

    /// At a merge point (or a snapshot): the heap entries a version carries, their objects as
    /// values of the location's owner type. First the dirty entries storing virtual objects into
    /// real ones, so a loop storing a fresh object in the same place each iteration allocates
    /// it only when something observes the place (after the loop, say); then, if `known`,
    /// what is known of the objects the state reaches (`boxes`, the carried stores, and the
    /// known values, transitively), so a loop does not read again and check again each
    /// iteration what it knew at its end (an object's class, where a value lives). The known
    /// entries are in a canonical order (objects as the state reaches them, locations in
    /// order), so states that know the same things carry them alike. Every other dirty entry's
    /// store is emitted; the caller forgets the heap cache once it has matched the state
    /// (which needs its casts: [`crate::merge::identities`]).
    pub(super) fn carried_entries(
        &mut self,
        st: &mut JitState,
        cur: Block,
        boxes: &[Option<RedBox>],
        known: bool,
    ) -> Step<Vec<HeapEntry>> {
        let carried = |st: &JitState, e: &HeapEntry| {
            e.dirty && matches!(st.resolve(e.value), RedBox::Virtual(_))
        };
        // A virtualizable's entries stay dirty in the registers of the version
        // (`super::virtualizable`); those the state no longer reaches are written back below.
        let vable = if known { self.carried_virtualizable(st) } else { HashSet::default() };
        for i in 0..st.heap.entries.len() {
            if !carried(st, &st.heap.entries[i]) && !vable.contains(&i) {
                self.flush_entry(st, cur, i)?;
            }
        }
        let mut out = Vec::new();
        for i in 0..st.heap.entries.len() {
            let mut e = st.heap.entries[i].clone();
            if vable.contains(&i) && !carried(st, &e) {
                continue;
            }
            // Forced meanwhile (another store of the same object was emitted): emitted too.
            if !carried(st, &e) {
                self.flush_entry(st, cur, i)?;
                continue;
            }
            e.via = self.as_owner(st, cur, e.via, loc_owner(e.loc))?;
            out.push(e);
        }
        if known {
            let reached = self.known_entries(st, boxes, &out, &vable);
            let dirtied = self.dirtied_virtualizable();
            for &i in &reached {
                let mut e = st.heap.entries[i].clone();
                e.via = self.as_owner(st, cur, e.via, loc_owner(e.loc))?;
                // A virtualizable's items and plain fields are carried as dirty, written or
                // not: paths that wrote different ones then meet one version.
                e.dirty |= vable.contains(&i) && dirtied(&e);
                out.push(e);
            }
            // Dirty virtualizable entries the state does not reach: written back.
            let reached: HashSet<usize> = reached.into_iter().collect();
            for &i in &vable {
                if !reached.contains(&i) && !carried(st, &st.heap.entries[i]) {
                    self.flush_entry(st, cur, i)?;
                }
            }
        }
        Ok(out)
    }

    /// The known (not dirty, or virtualizable: `vable`) entries of the heap cache whose
    /// objects the state reaches from `boxes` and the stores `carried`, transitively through
    /// known values and virtual objects' fields: objects in the order they are reached, each
    /// one's locations in order.
    pub(super) fn known_entries(
        &self,
        st: &JitState,
        boxes: &[Option<RedBox>],
        carried: &[HeapEntry],
        vable: &HashSet<usize>,
    ) -> Vec<usize> {
        // Sets and an index by object, so that a state reaching many objects (a deep stack)
        // costs linear time, not quadratic.
        let mut queue: Vec<HeapObj> = Vec::new();
        let mut queued: HashSet<HeapObj> = HashSet::default();
        let mut seen_virtuals = HashSet::default();
        let mut reach = |b: RedBox, queue: &mut Vec<HeapObj>, queued: &mut HashSet<HeapObj>| {
            let mut stack = vec![b];
            while let Some(b) = stack.pop() {
                match st.resolve(b) {
                    RedBox::Virtual(i) => {
                        if seen_virtuals.insert(i) {
                            stack.extend(st.virtuals[i].fields.iter().rev().flatten());
                        }
                    }
                    b => {
                        if let Some(o) = heap_obj(st, b) {
                            if queued.insert(o) {
                                queue.push(o);
                            }
                        }
                    }
                }
            }
        };
        for b in boxes.iter().flatten() {
            reach(*b, &mut queue, &mut queued);
        }
        for e in carried {
            if queued.insert(e.obj) {
                queue.push(e.obj);
            }
            reach(e.value, &mut queue, &mut queued);
        }
        // Constant objects (prebuilt ones, pointers the JIT met) are reached from anywhere:
        // what is known of them is carried too (in the order of their constants), so a loop
        // knows at its head what it knew of a global at its end.
        let mut consts: Vec<HeapObj> = st
            .heap
            .entries
            .iter()
            .filter(|e| !e.dirty && matches!(e.obj, HeapObj::Const(_)))
            .map(|e| e.obj)
            .collect();
        consts.sort_by_key(|o| const_order(*o));
        for o in consts {
            if queued.insert(o) {
                queue.push(o);
            }
        }
        let mut by_obj: HashMap<HeapObj, Vec<usize>> = HashMap::default();
        for (i, e) in st.heap.entries.iter().enumerate() {
            let virtual_store = e.dirty && matches!(st.resolve(e.value), RedBox::Virtual(_));
            if !e.dirty || (vable.contains(&i) && !virtual_store) {
                by_obj.entry(e.obj).or_default().push(i);
            }
        }
        let mut out = Vec::new();
        let mut next = 0;
        while next < queue.len() {
            let obj = queue[next];
            next += 1;
            let mut mine = by_obj.remove(&obj).unwrap_or_default();
            mine.sort_by_key(|&i| loc_order(st.heap.entries[i].loc));
            for i in mine {
                reach(st.heap.entries[i].value, &mut queue, &mut queued);
                out.push(i);
            }
        }
        out
    }

    /// A state's frozen red positions followed by the heap entries `carried`
    /// ([`Compiler::carried_entries`]: each its object, as a value of the location's owner
    /// type, then its value), and the entries' locations: what a version or a snapshot
    /// freezes.
    pub(super) fn with_carried(
        &self,
        mut frozen: Frozen,
        carried: &[HeapEntry],
    ) -> (Frozen, Vec<Carried>) {
        for e in carried {
            let obj = match e.via {
                Value::Var(v) => RedBox::Var(v),
                Value::Const(c) => RedBox::Const(c),
            };
            frozen.boxes.extend([Some(obj), Some(e.value)]);
            let tys = [Ty::Ref(loc_owner(e.loc)), loc_ty(&self.program.types, e.loc)];
            frozen.tys.extend(tys);
        }
        (frozen, carried.iter().map(|e| (e.loc, e.dirty)).collect())
    }

    /// The heap cache of a state rebuilt from a frozen one (emptied by the caller, or holding
    /// only the identities of the new variables): the entries it carried (`extra`: the boxes
    /// of each entry's object and value, `locs` their locations and whether they are dirty).
    pub(super) fn restore_carried(
        &mut self,
        st: &mut JitState,
        cur: Block,
        extra: &[Option<RedBox>],
        locs: &[Carried],
    ) {
        for (pair, &(loc, dirty)) in extra.chunks(2).zip(locs) {
            let (Some(obj), Some(value)) = (pair[0], pair[1]) else {
                unreachable!("a carried store has an object and a value")
            };
            let via = self.residual(st, cur, obj);
            let obj = heap_obj(st, obj).expect("a carried store's object is real");
            st.heap.entries.push(HeapEntry { obj, via, loc, value, dirty, memory: None });
        }
    }

    /// Flushes every dirty entry and forgets the heap cache (where the code that follows
    /// does not share this state's knowledge: merge points, entry graphs).
    pub(super) fn forget_heap(&mut self, st: &mut JitState, cur: Block) -> Step<()> {
        self.flush_if(st, cur, false, |_| true)?;
        st.heap = HeapCache::default();
        Ok(())
    }

    /// Flushes the entries `pred` selects; `forget`: a store may have
    /// changed them, so they are forgotten too (except immutable locations).
    pub(super) fn flush_if(
        &mut self,
        st: &mut JitState,
        cur: Block,
        forget: bool,
        pred: impl Fn(&HeapEntry) -> bool,
    ) -> Step<()> {
        for i in 0..st.heap.entries.len() {
            if pred(&st.heap.entries[i]) {
                self.flush_entry(st, cur, i)?;
            }
        }
        if forget {
            let types = &self.program.types;
            st.heap.entries.retain(|e| !pred(e) || loc_immutable(types, e.loc));
        }
        Ok(())
    }

    /// Flushes entry `i`: emits its store if it is dirty (forcing a virtual value).
    pub(super) fn flush_entry(&mut self, st: &mut JitState, cur: Block, i: usize) -> Step<()> {
        if !st.heap.entries[i].dirty {
            return Ok(());
        }
        st.heap.entries[i].dirty = false;
        st.heap.entries[i].memory = None;
        let e = st.heap.entries[i].clone();
        let val = self.residual(st, cur, e.value);
        let (aux, index) = match e.loc {
            Loc::Field(t, f) => (Aux::Field(t, f), None),
            Loc::Item(at, k) => (Aux::Array(at), Some(k)),
        };
        let obj = self.as_owner(st, cur, e.via, loc_owner(e.loc))?;
        let (opcode, args) = match index {
            None => (Opcode::SetField, vec![obj, val]),
            Some(k) => (Opcode::SetArrayItem, vec![obj, Value::Const(Const::Int(k as i64)), val]),
        };
        self.emit(cur, opcode, args, aux, Ty::Void, Span::UNKNOWN)?;
        Ok(())
    }

    /// `via`, a pointer to an object of type `owner` (an access through it succeeded), as a
    /// value of that type: itself, or a cast of it when it is typed as a parent type (which
    /// the heap cache knows for the same object).
    pub(super) fn as_owner(
        &mut self,
        st: &mut JitState,
        cur: Block,
        via: Value,
        owner: HeapTypeIdx,
    ) -> Step<Value> {
        let ty = Ty::Ref(owner);
        if self.program.types.assignable(self.out.value_ty(via, self.program), ty) {
            return Ok(via);
        }
        let r = self.emit(cur, Opcode::Cast, vec![via], Aux::Type(owner), ty, Span::UNKNOWN)?;
        let r = r.expect("a cast has a result");
        if let Value::Var(v) = via {
            st.heap.note_cast(r, RedBox::Var(v));
        }
        Ok(Value::Var(r))
    }
}

/// A heap entry a version or snapshot carries: its location, and whether it is dirty (else
/// its value is only known).
pub type Carried = (Loc, bool);

/// What [`Compiler::heap_op`] did with an access.
pub(super) enum HeapStep {
    /// Served or recorded by the heap cache.
    Done,
    /// Not handled: the caller emits the op.
    Emit,
    /// Guarded (see [`Compiler::alias_guard`]): the op runs again, in this block.
    Again(Block),
}

/// The heap-cache object a box points to (`None`: a virtual object, null, not a pointer).
pub(super) fn heap_obj(st: &JitState, b: RedBox) -> Option<HeapObj> {
    match st.resolve(b) {
        RedBox::Var(x) => Some(HeapObj::Var(st.heap.canon(x))),
        RedBox::Const(c @ (Const::Ptr(..) | Const::Prebuilt(_))) => Some(HeapObj::Const(c)),
        _ => None,
    }
}

/// Whether an access to `loc` of `obj` cannot fail: a field of a constant object (a prebuilt
/// object or a pointer the JIT met, never null; the verifier checked the field belongs to
/// the static type, which the object has). Items may be out of bounds.
fn cannot_fail(obj: HeapObj, loc: Loc) -> bool {
    matches!((obj, loc), (HeapObj::Const(Const::Prebuilt(_) | Const::Ptr(1.., _)), Loc::Field(..)))
}

/// A sort key of constant heap-cache objects: prebuilt objects by index, then pointers.
fn const_order(obj: HeapObj) -> (u8, u64) {
    match obj {
        HeapObj::Const(Const::Prebuilt(p)) => (0, p.as_u32() as u64),
        HeapObj::Const(Const::Ptr(a, _)) => (1, a),
        _ => (2, 0),
    }
}

/// The constant a constant heap-cache object is.
fn constant(obj: HeapObj) -> Const {
    match obj {
        HeapObj::Const(c) => c,
        HeapObj::Var(_) => unreachable!("not a constant object"),
    }
}

/// The location of field `f` accessed as a field of `t`: named by the struct declaring it.
pub(super) fn field_loc(types: &rpy_ir::types::TypeTable, t: HeapTypeIdx, f: u32) -> Loc {
    Loc::Field(types.declaring_struct(t, f), f)
}

/// The type of a location's values.
pub(super) fn loc_ty(types: &rpy_ir::types::TypeTable, loc: Loc) -> Ty {
    match loc {
        Loc::Field(t, f) => types.struct_def(t).fields[f as usize].ty,
        Loc::Item(at, _) => types.as_array(at).expect("an array type").elem,
    }
}

/// The struct declaring a field location, or the array type of an item location.
pub(super) fn loc_owner(loc: Loc) -> HeapTypeIdx {
    match loc {
        Loc::Field(t, _) | Loc::Item(t, _) => t,
    }
}

/// A sort key of locations: fields, then items, by type and number.
pub(super) fn loc_order(loc: Loc) -> (u8, u32, usize) {
    match loc {
        Loc::Field(t, f) => (0, t.as_u32(), f as usize),
        Loc::Item(t, i) => (1, t.as_u32(), i),
    }
}

/// Whether a location never changes once its object is allocated.
pub(super) fn loc_immutable(types: &rpy_ir::types::TypeTable, loc: Loc) -> bool {
    match loc {
        Loc::Field(t, f) => types.field_is_immutable(t, f),
        Loc::Item(at, _) => types.as_array(at).is_some_and(|a| a.immutable),
    }
}
