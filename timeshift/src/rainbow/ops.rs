//! Green and red ops: green ops run now, red ops folded when what the engine knows decides
//! them (constants, an identity element, a known class, an object known not null), handed to
//! the virtual objects ([`super::virtuals`]) or the heap cache ([`super::heap_cache`]), and
//! emitted otherwise; and the folding of the finished residual graph.
//!
//! A green op's operands are constants, or red boxes whose value the engine knows (its result
//! must then come out constant); one that would fail at run time is emitted and ends the
//! path. Compile-time reads of run-time memory are made only of what cannot change: immutable
//! or deep-frozen objects ([`crate::heap`], [`read_frozen`]).

use super::heap_cache::{heap_obj, HeapStep};
use super::{Compiler, GiveUp, Step, Val};
use crate::state::{JitState, RedBox};
use cranelift_entity::EntityRef;
use rpy_ir::ir::{Aux, Block, Const, Exit, Graph, OpData, OpIdx, Program, Value, Var};
use rpy_ir::ops::{OpFlags, Opcode};
use rpy_ir::types::{HeapTypeIdx, Ty};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

impl<'a> Compiler<'a> {
    /// The operands of `op` in the innermost frame if all are constants (green, or red boxes
    /// known after all).
    pub(super) fn const_operands(&self, st: &JitState, op: OpIdx) -> Option<Vec<Const>> {
        let od = &self.graph_of(st).ops[op];
        od.args
            .iter()
            .map(|a| match self.get(st, *a) {
                Val::Green(c) | Val::Red(RedBox::Const(c)) => Some(c),
                Val::Red(_) => None,
            })
            .collect()
    }

    /// An [`Insn::FrozenRead`] whose operands are all constants, read at compile time (the
    /// array is frozen: its contents now are its contents forever). False when an operand is
    /// not constant or the read cannot be made (an index out of bounds fails at run time).
    ///
    /// [`Insn::FrozenRead`]: crate::jitcode::Insn::FrozenRead
    pub(super) fn frozen_read(&mut self, st: &mut JitState, op: OpIdx) -> bool {
        let od = &self.graph_of(st).ops[op];
        let Some(consts) = self.const_operands(st, op) else { return false };
        let read = self.read_unchanging(od, &consts);
        match (read, od.result) {
            (Some(Ok(c)), Some(r)) => {
                self.set_red(st, Some(r), RedBox::Const(c));
                true
            }
            _ => false,
        }
    }

    /// A read, on constant operands, of memory that cannot change: a deep-frozen prebuilt
    /// object, or a run-time object the read of which the analysis made green.
    fn read_unchanging(&self, od: &OpData, consts: &[Const]) -> rpy_ir::fold::Folded {
        let (program, layout) = (self.program, self.folder.layout());
        read_frozen(program, od.opcode, &od.aux, consts).or_else(|| {
            crate::heap::read(layout, &program.types, od.opcode, &od.aux, consts).map(Ok)
        })
    }

    /// Runs a green op; false when it would fail at run time (the failing op is emitted, and
    /// the rest of this path is dead), or when it ended the state at a flexswitch (an
    /// `instanceof` whose class was forgotten: its result is promoted).
    pub(super) fn green_op(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<bool> {
        let od = &self.graph_of(st).ops[op];
        let Some(consts) = self.const_operands(st, op) else {
            // Green by what the engine knows of a red box (a virtual object, a promoted
            // class): the red rules compute it, and it must come out constant.
            self.red_op(st, cur, op, false)?;
            let r = od.result.expect("green ops have results");
            return match st.top_mut().reds[r.index()].take() {
                Some(RedBox::Const(c)) => {
                    st.top_mut().greens[r.index()] = Some(c);
                    Ok(true)
                }
                Some(RedBox::Var(x)) if od.opcode == Opcode::InstanceOf => {
                    // The class the analysis counted on was forgotten (a merge past the
                    // version budget): the test's result is promoted instead, and each case
                    // goes on with it constant. (Not the class itself: `typeof` of None
                    // fails, where `instanceof` is false.)
                    st.top_mut().reds[r.index()] = Some(RedBox::Var(x));
                    let promoted = super::Promoted::Value { dst: r, src: r };
                    self.promote(st, cur, Value::Var(x), promoted, od.span)?;
                    Ok(false)
                }
                other => Err(GiveUp::Unsupported(format!(
                    "green '{}' not constant at compile time: {other:?}",
                    od.opcode
                ))),
            };
        };
        let folded = self
            .folder
            .fold(od.opcode, &od.aux, &consts)
            .or_else(|| self.read_unchanging(od, &consts))
            .or_else(|| self.prebuilt_address_op(od, &consts).map(Ok));
        match folded {
            Some(Ok(c)) => {
                if let Some(r) = od.result {
                    st.top_mut().greens[r.index()] = Some(c);
                }
                Ok(true)
            }
            Some(Err(_)) => {
                self.fail_here(st, cur, op)?;
                Ok(false)
            }
            None => Err(GiveUp::Unsupported(format!(
                "cannot run '{}' at compile time on {consts:?}",
                od.opcode
            ))),
        }
    }

    /// `cast_ptr_to_int` of a prebuilt object: its address where residual code runs, if the
    /// backend can tell (a store to a quasi-immutable field of a module constant passes it
    /// to the write hook).
    fn prebuilt_address_op(&self, od: &OpData, consts: &[Const]) -> Option<Const> {
        match (od.opcode, consts) {
            (Opcode::CastPtrToInt, [Const::Prebuilt(p)]) => {
                let addr = self.services?.prebuilt_address(*p)?;
                Some(Const::Int(addr as i64))
            }
            _ => None,
        }
    }

    /// Emits an op that fails at run time on its constant operands, and ends the path.
    pub(super) fn fail_here(&mut self, st: &mut JitState, cur: Block, op: OpIdx) -> Step<()> {
        let g = self.graph_of(st);
        let od = &g.ops[op];
        let args = self.values(st, cur, &od.args.clone());
        let ty = od.result.map_or(Ty::Void, |r| g.vars[r].ty);
        self.emit(cur, od.opcode, args, od.aux.clone(), ty, od.span)?;
        let ret = self.out.ret;
        self.out.blocks[cur].exit = Exit::Return(Const::zero(ret).map(Value::Const));
        Ok(())
    }

    /// Writes a red box into the result register, if the op has one.
    pub(super) fn set_red(&self, st: &mut JitState, r: Option<Var>, b: RedBox) {
        if let Some(r) = r {
            st.top_mut().reds[r.index()] = Some(b);
        }
    }

    /// Runs a red op: on a virtual object, at compile time; on an object whose class is known,
    /// or known not null, folded; an access to a real object through the heap cache; folded
    /// when its operands are constants; emitted otherwise. Returns the block the state goes on
    /// in (`split`: an access may be guarded by an aliasing check, in a new block).
    pub(super) fn red_op(
        &mut self,
        st: &mut JitState,
        cur: Block,
        op: OpIdx,
        split: bool,
    ) -> Step<Block> {
        let od = &self.graph_of(st).ops[op];
        let boxes: Vec<RedBox> = od
            .args
            .iter()
            .map(|a| match self.get(st, *a) {
                Val::Green(c) => RedBox::Const(c),
                Val::Red(b) => b,
            })
            .collect();
        if self.virtual_op(st, od, &boxes)?
            || self.class_op(st, cur, od, &boxes)?
            || self.known_not_null(st, od, &boxes)
            || self.quasi_read(st, od, &boxes)
            || self.constant_read(st, od, &boxes)
        {
            return Ok(cur);
        }
        match self.heap_op(st, cur, op, &boxes, split)? {
            HeapStep::Done => return Ok(cur),
            HeapStep::Again(b) => return Ok(b),
            HeapStep::Emit => {}
        }
        if !self.fold_red(st, od, &boxes) {
            self.emit_red(st, cur, od, &boxes)?;
        }
        Ok(cur)
    }

    /// `instanceof`, `cast` and `typeof` of an object whose class is known on this path,
    /// folded; false when `od` is not one of them, or its class is not known.
    fn class_op(
        &mut self,
        st: &mut JitState,
        cur: Block,
        od: &OpData,
        boxes: &[RedBox],
    ) -> Step<bool> {
        if !matches!(od.opcode, Opcode::InstanceOf | Opcode::Cast | Opcode::TypeOf) {
            return Ok(false);
        }
        // A constant object's cast is left to `constant_reads` (which keeps it constant).
        let constant = || match od.opcode {
            Opcode::Cast => None,
            _ => self.constant_tag(st, boxes[0]),
        };
        let Some(tag) = known_tag(st, boxes[0]).or_else(constant) else { return Ok(false) };
        let inside = |t: &HeapTypeIdx| {
            let (lo, hi) = self.folder.layout().tag_range(*t);
            (lo..=hi).contains(&(tag as u64))
        };
        let b = match (od.opcode, &od.aux) {
            (Opcode::InstanceOf, Aux::Type(t)) => RedBox::Const(Const::Bool(inside(t))),
            (Opcode::Cast, Aux::Type(t)) if inside(t) => {
                // A variable of the target type holding the object serves.
                match self.typed_alias(st, boxes[0], Ty::Ref(*t)) {
                    Some(y) => RedBox::Var(y),
                    None => {
                        // The check cannot fail, but the IR wants a value of the target
                        // type: the cast stays (a compare LLVM removes), the class known.
                        let arg = self.residual(st, cur, boxes[0]);
                        let (aux, ty) = (od.aux.clone(), Ty::Ref(*t));
                        let r = self.emit(cur, Opcode::Cast, vec![arg], aux, ty, od.span)?;
                        let r = r.expect("a cast has a result");
                        self.safe_casts.push(r);
                        st.classes.insert(r, tag);
                        st.heap.note_cast(r, st.resolve(boxes[0]));
                        RedBox::Var(r)
                    }
                }
            }
            (Opcode::TypeOf, _) => RedBox::Const(Const::Int(tag)),
            _ => return Ok(false),
        };
        self.set_red(st, od.result, b);
        Ok(true)
    }

    /// The class tag of a constant object: a prebuilt one's type, or a run-time object's
    /// header read now (its class never changes). `None` for null and anything else.
    fn constant_tag(&self, st: &JitState, b: RedBox) -> Option<i64> {
        let RedBox::Const(c) = st.resolve(b) else { return None };
        match c {
            Const::Prebuilt(p) => match &self.program.prebuilt[p] {
                rpy_ir::ir::Prebuilt::Struct(t, _) | rpy_ir::ir::Prebuilt::Array(t, _) => {
                    Some(self.folder.layout().tag(*t) as i64)
                }
                rpy_ir::ir::Prebuilt::Str(_) => {
                    Some(self.folder.layout().tag(rpy_ir::types::TypeTable::STR) as i64)
                }
            },
            Const::Ptr(..) => {
                let (layout, types) = (self.folder.layout(), &self.program.types);
                match crate::heap::read(layout, types, Opcode::TypeOf, &Aux::None, &[c]) {
                    Some(Const::Int(tag)) => Some(tag),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// A null test of an object the heap cache knows a location of: it was accessed, so it is
    /// not null.
    fn known_not_null(&self, st: &mut JitState, od: &OpData, boxes: &[RedBox]) -> bool {
        if !matches!(od.opcode, Opcode::PtrIsNull | Opcode::PtrNonNull) {
            return false;
        }
        let Some(o) = heap_obj(st, boxes[0]) else { return false };
        if !st.heap.entries.iter().any(|e| e.obj == o) {
            return false;
        }
        let r = od.opcode == Opcode::PtrNonNull;
        self.set_red(st, od.result, RedBox::Const(Const::Bool(r)));
        true
    }

    /// Folds a red op whose result is known without emitting it: an operand returned by an
    /// identity element, or a pure op on constants. False when it must be emitted.
    fn fold_red(&self, st: &mut JitState, od: &OpData, boxes: &[RedBox]) -> bool {
        if let Some(b) = identity_operand(od.opcode, boxes) {
            self.set_red(st, od.result, b);
            return true;
        }
        // A call of a pure extern on constants (`str_eq` of two constant strings: a key read
        // from a frozen dict compared with a constant one) folds like a pure op.
        let pure_extern = matches!(
            (od.opcode, &od.aux),
            (Opcode::CallExtern, Aux::Extern(name))
                if rpy_ir::externs::lookup(name).is_some_and(|e| e.pure)
        );
        if !od.opcode.is_pure() && !pure_extern {
            return false;
        }
        let consts: Option<Vec<Const>> = boxes
            .iter()
            .map(|b| match b {
                RedBox::Const(c) => Some(*c),
                _ => None,
            })
            .collect();
        match consts.and_then(|cs| self.folder.fold(od.opcode, &od.aux, &cs)) {
            Some(Ok(c)) => {
                self.set_red(st, od.result, RedBox::Const(c));
                true
            }
            _ => false,
        }
    }

    /// Emits a red op as a residual op, its operands made real.
    fn emit_red(
        &mut self,
        st: &mut JitState,
        cur: Block,
        od: &OpData,
        boxes: &[RedBox],
    ) -> Step<()> {
        let writes = od.opcode.info().flags.contains(OpFlags::SIDE_EFFECTS);
        if writes && !matches!(od.opcode, Opcode::SetField | Opcode::SetArrayItem) {
            // Anything else writing memory (or doing I/O) may observe or change any object
            // (but a virtualizable, unless it may).
            self.flush_for_residual(st, cur, self.graph_of(st), od)?;
        }
        let args: Vec<Value> = boxes.iter().map(|b| self.residual(st, cur, *b)).collect();
        let ty = od.result.map_or(Ty::Void, |r| self.graph_of(st).vars[r].ty);
        if let Some(r) = self.emit(cur, od.opcode, args, od.aux.clone(), ty, od.span)? {
            if od.opcode == Opcode::Cast {
                st.heap.note_cast(r, st.resolve(boxes[0]));
            }
            self.set_red(st, od.result, RedBox::Var(r));
        }
        Ok(())
    }

    /// A residual variable of type `ty` holding the object `b` points to (the object's
    /// canonical variable or a cast of it: [`HeapCache::canon`]), if there is one: a cast of
    /// an object whose class is known reuses it rather than checking the class again (a
    /// check LLVM cannot remove when the class was learnt before a loop).
    ///
    /// [`HeapCache::canon`]: crate::state::HeapCache::canon
    pub(super) fn typed_alias(&self, st: &JitState, b: RedBox, ty: Ty) -> Option<Var> {
        let RedBox::Var(x) = st.resolve(b) else { return None };
        let c = st.heap.canon(x);
        let vars = std::iter::once(c)
            .chain(st.heap.same.keys().copied().filter(|&r| st.heap.canon(r) == c));
        // The first made: the same choice every run.
        vars.filter(|&r| self.out.vars[r].ty == ty).min()
    }
}

/// A green read through a deep-frozen prebuilt object whose type is mutable: the analysis made
/// it green because the interpreter promised (`deepfreeze`) that nothing reachable changes, so
/// the prebuilt's contents are its contents forever. [`rpy_ir::fold`] reads only immutable
/// types, and cannot know about the promise.
pub(super) fn read_frozen(
    program: &Program,
    op: Opcode,
    aux: &Aux,
    args: &[Const],
) -> rpy_ir::fold::Folded {
    use rpy_ir::ir::Prebuilt;
    let Some(Const::Prebuilt(p)) = args.first() else { return None };
    match (op, aux, &program.prebuilt[*p], args.get(1)) {
        (Opcode::GetField, Aux::Field(_, idx), Prebuilt::Struct(_, fields), _) => {
            fields.get(*idx as usize).copied().map(Ok)
        }
        (Opcode::GetArrayItem, _, Prebuilt::Array(_, items), Some(Const::Int(i))) => {
            usize::try_from(*i).ok().and_then(|i| items.get(i)).copied().map(Ok)
        }
        _ => None,
    }
}

/// Folds what merging blocks left constant in a residual graph: pure ops whose operands all
/// became constants (a peeled loop's `i < 10` with `i` now `1`), and branches on constant
/// conditions. Returns whether anything changed (the caller simplifies again).
pub(super) fn fold_residual(
    program: &Program,
    folder: &rpy_ir::fold::Folder,
    g: &mut Graph,
) -> bool {
    let mut subst: HashMap<Var, Const> = HashMap::default();
    let mut changed = false;
    let blocks: Vec<Block> = g.blocks.keys().collect();
    for b in blocks {
        let ops = g.blocks[b].ops.clone();
        let mut kept = Vec::with_capacity(ops.len());
        for op in ops {
            let od = &mut g.ops[op];
            for a in od.args.iter_mut() {
                if let Value::Var(x) = a {
                    if let Some(c) = subst.get(x) {
                        *a = Value::Const(*c);
                    }
                }
            }
            let consts: Option<Vec<Const>> = od
                .args
                .iter()
                .map(|a| match a {
                    Value::Const(c) => Some(*c),
                    Value::Var(_) => None,
                })
                .collect();
            let folded = match (&consts, od.result, od.opcode.is_pure()) {
                (Some(cs), Some(r), true) => match folder.fold(od.opcode, &od.aux, cs) {
                    Some(Ok(c)) if program.const_ty(c) == g.vars[r].ty => Some((r, c)),
                    _ => None,
                },
                _ => None,
            };
            match folded {
                Some((r, c)) => {
                    subst.insert(r, c);
                    changed = true;
                }
                None => kept.push(op),
            }
        }
        g.blocks[b].ops = kept;
    }
    let value = |v: Value, subst: &HashMap<Var, Const>| match v {
        Value::Var(x) => subst.get(&x).map_or(v, |c| Value::Const(*c)),
        c => c,
    };
    // Uses laid out before their (dominating) definition's block.
    for od in g.ops.values_mut() {
        od.args.iter_mut().for_each(|a| *a = value(*a, &subst));
    }
    for data in g.blocks.values_mut() {
        match &mut data.exit {
            Exit::Branch { cond, .. }
            | Exit::Switch { value: cond, .. }
            | Exit::Return(Some(cond)) => *cond = value(*cond, &subst),
            _ => {}
        }
        for t in data.exit.targets_mut() {
            t.args.iter_mut().for_each(|a| *a = value(*a, &subst));
        }
        if let Exit::Branch { cond: Value::Const(Const::Bool(c)), if_true, if_false } = &data.exit {
            data.exit = Exit::Goto(if *c { if_true.clone() } else { if_false.clone() });
            changed = true;
        }
    }
    changed
}

/// Removes the casts among `safe` (casts of objects whose class is known: they cannot fail)
/// whose result nothing uses: a method called on a promoted receiver in a loop casts it to
/// the overriding class's type at every iteration, and the heap cache may serve every read
/// through the cast from before the loop.
pub(super) fn remove_unused_casts(g: &mut Graph, safe: &[Var]) {
    if safe.is_empty() {
        return;
    }
    let safe: HashSet<Var> = safe.iter().copied().collect();
    let mut used: HashSet<Var> = HashSet::default();
    let mut note = |v: &Value| {
        if let Value::Var(x) = v {
            used.insert(*x);
        }
    };
    for data in g.blocks.values() {
        for op in &data.ops {
            g.ops[*op].args.iter().for_each(&mut note);
        }
        match &data.exit {
            Exit::Branch { cond: v, .. }
            | Exit::Switch { value: v, .. }
            | Exit::Return(Some(v)) => note(v),
            _ => {}
        }
        for t in data.exit.targets() {
            t.args.iter().for_each(&mut note);
        }
    }
    let ops = &g.ops;
    let removable = |op: &OpIdx| {
        let od = &ops[*op];
        od.opcode == Opcode::Cast
            && od.result.is_some_and(|r| safe.contains(&r) && !used.contains(&r))
    };
    for data in g.blocks.values_mut() {
        data.ops.retain(|op| !removable(op));
    }
}

/// The type tag of a red box whose class is known on this path.
pub(super) fn known_tag(st: &JitState, b: RedBox) -> Option<i64> {
    match b {
        RedBox::Var(x) => st.class_of(x),
        _ => None,
    }
}

/// The operand an op returns unchanged when the other is its identity element (`x + 0`,
/// `x * 1`, `x - 0`, `x | 0`, `x ^ 0`, shifts by 0).
pub(super) fn identity_operand(op: Opcode, boxes: &[RedBox]) -> Option<RedBox> {
    let is = |i: usize, k: i64| boxes.get(i) == Some(&RedBox::Const(Const::Int(k)));
    match op {
        Opcode::IntAdd | Opcode::IntOr | Opcode::IntXor if is(0, 0) => Some(boxes[1]),
        Opcode::IntAdd | Opcode::IntSub | Opcode::IntOr | Opcode::IntXor if is(1, 0) => {
            Some(boxes[0])
        }
        Opcode::IntLshift | Opcode::IntRshift if is(1, 0) => Some(boxes[0]),
        Opcode::IntMul if is(0, 1) => Some(boxes[1]),
        Opcode::IntMul if is(1, 1) => Some(boxes[0]),
        _ => None,
    }
}
