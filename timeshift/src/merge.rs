//! Freezing states at merge points: shapes, matching and generalisation.
//!
//! A version of a merge point is compiled for a *shape*: for each red position (a live red
//! register of the innermost frame, every red register of the callers), either a constant, a
//! variable (a parameter of the version's residual block), or a virtual object with the shapes
//! of its fields — virtual objects stay virtual across merges when their shapes agree, which is
//! what keeps an interpreter's value stack out of the heap in a loop. `Alias` marks a virtual
//! object already met in the same shape (sharing is part of the shape).
//!
//! A state *matches* a version when each constant is equal, each virtual is a virtual of the
//! same type with matching fields (and the same sharing), and each variable is a value that is
//! not virtual — or, *forcing*, anything (a virtual object there is forced: only accepted once
//! the version budget is spent). Otherwise a new version is compiled for the generalisation of
//! the state against the versions so far: constants that differ become variables, a virtual
//! object stays virtual (its fields generalised against the versions holding a virtual of its
//! type there; a version holding anything else there does not force it); past the version
//! budget (and the heapless versions of `rainbow/merge_point.rs`) everything becomes a
//! variable.
//! A forced object is one object: if a shape forces a virtual object at one position (or one
//! it holds), it is a variable at every position holding it, never a virtual copy there.

use crate::state::{JitState, RedBox, Virtual};
use rpy_ir::ir::{Const, Var};
use rpy_ir::types::{HeapTypeIdx, Ty, TypeTable};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// The shape of one red position of a frozen state.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// This constant.
    Const(Const),
    /// Any value, passed as a block parameter of this type; with a type tag when the value's
    /// class is known (promoted) and must stay known in the version.
    Var(Ty, Option<i64>),
    /// A virtual object never written to this field (the allocation's zero).
    Zero,
    /// A virtual object of this type, numbered in the shape, with its fields' shapes.
    Virtual(usize, HeapTypeIdx, Vec<Shape>),
    /// The virtual object with this number, met earlier in the shape.
    Alias(usize),
    /// The same value as the variable with this number (variables are numbered in order):
    /// one residual variable held in several registers stays one parameter, so what is
    /// known about it (a promoted class) holds for all of them.
    SameVar(usize),
}

/// What a state freezes at a merge point or a flexswitch, position by position: a box per
/// position (its red positions, then, per heap entry it carries, the entry's object and
/// value), and the positions' types. A shape has one entry per position.
#[derive(Clone, Debug, Default)]
pub struct Frozen {
    /// The box at each position (`None`: a virtual object's field never written).
    pub boxes: Vec<Option<RedBox>>,
    /// The type of each position.
    pub tys: Vec<Ty>,
}

/// Whether `boxes` match `shapes` (no side effects). `forcing`: a variable accepts a virtual
/// object (which the jump then forces); otherwise only a real value.
pub fn matches(st: &JitState, shapes: &[Shape], boxes: &[Option<RedBox>], forcing: bool) -> bool {
    let mut m = Matching { aliases: HashMap::default(), vars: Vec::new(), forcing };
    if shapes.len() != boxes.len() {
        // Two states of one merge key with different positions (cannot happen since the
        // dead registers of callers are forgotten at followed calls): never a match.
        return false;
    }
    shapes.iter().zip(boxes).all(|(s, b)| match_one(st, s, *b, &mut m))
        && forced_and_kept(st, shapes, boxes).is_empty()
}

/// What matching a state against a shape has met so far.
struct Matching {
    /// Virtual objects of the shape (by number) and the state's objects matched to them.
    aliases: HashMap<usize, usize>,
    /// The boxes matched to the shape's variables, in order.
    vars: Vec<Option<RedBox>>,
    /// Whether a variable accepts a virtual object.
    forcing: bool,
}

/// The virtual objects that `shapes` would both force (passed to a variable, or reachable
/// from one that is) and keep virtual (matched by a virtual shape). One object cannot be both:
/// the version would hold a real object and a virtual copy of it, and writes to one would not
/// be seen through the other.
fn forced_and_kept(st: &JitState, shapes: &[Shape], boxes: &[Option<RedBox>]) -> Vec<usize> {
    let (mut forced, mut kept) = (HashSet::default(), HashSet::default());
    for (s, b) in shapes.iter().zip(boxes) {
        classify(st, s, *b, &mut forced, &mut kept);
    }
    let mut both: Vec<usize> = forced.intersection(&kept).copied().collect();
    both.sort();
    both
}

/// Sorts the virtual objects `b` holds under shape `s` into `forced` and `kept`.
fn classify(
    st: &JitState,
    s: &Shape,
    b: Option<RedBox>,
    forced: &mut HashSet<usize>,
    kept: &mut HashSet<usize>,
) {
    match (s, b.map(|b| st.resolve(b))) {
        (Shape::Var(..), Some(RedBox::Virtual(i))) => reachable(st, i, forced),
        (Shape::Virtual(_, _, fields), Some(RedBox::Virtual(i))) => {
            kept.insert(i);
            for (f, fb) in fields.iter().zip(&st.virtuals[i].fields) {
                classify(st, f, *fb, forced, kept);
            }
        }
        (Shape::Alias(_), Some(RedBox::Virtual(i))) => {
            kept.insert(i);
        }
        _ => {}
    }
}

/// A virtual object and every virtual object forcing it forces.
fn reachable(st: &JitState, i: usize, out: &mut HashSet<usize>) {
    if st.virtuals[i].forced.is_some() || !out.insert(i) {
        return;
    }
    for fb in st.virtuals[i].fields.clone().into_iter().flatten() {
        if let RedBox::Virtual(j) = st.resolve(fb) {
            reachable(st, j, out);
        }
    }
}

/// Whether box `b` matches shape `s`, recording what it met in `m`.
fn match_one(st: &JitState, s: &Shape, b: Option<RedBox>, m: &mut Matching) -> bool {
    let b = b.map(|b| st.resolve(b));
    match (s, b) {
        (Shape::Var(..), Some(RedBox::Virtual(_))) if !m.forcing => false,
        (Shape::Var(t, tag), b) => {
            m.vars.push(b);
            let class_ok = match (tag, b) {
                (None, _) => true,
                (Some(tag), Some(RedBox::Var(x))) => st.class_of(x) == Some(*tag),
                _ => false,
            };
            class_ok && (b.is_some() || Const::zero(*t).is_some())
        }
        (Shape::SameVar(k), b) => b.is_some() && m.vars.get(*k) == Some(&b),
        (Shape::Const(c), Some(RedBox::Const(k))) => *c == k,
        (Shape::Zero, None) => true,
        (Shape::Virtual(n, ty, fields), Some(RedBox::Virtual(i))) => {
            let v = &st.virtuals[i];
            if v.ty != *ty || v.fields.len() != fields.len() || m.aliases.values().any(|x| *x == i)
            {
                return false;
            }
            m.aliases.insert(*n, i);
            fields.iter().zip(v.fields.clone()).all(|(fs, fb)| match_one(st, fs, fb, m))
        }
        (Shape::Alias(n), Some(RedBox::Virtual(i))) => m.aliases.get(n) == Some(&i),
        _ => false,
    }
}

/// The shape for `frozen` generalised against the `existing` shapes at the same merge key
/// (`general`: make every position a variable; an existing shape shorter than `frozen` is
/// compared on its positions only). `share` makes a residual variable held by several
/// positions one parameter (`SameVar`): right for a flexswitch, whose case continues exactly
/// this state; wrong for a merge point, where two values being equal once says nothing of the
/// next time.
pub fn generalise(
    st: &JitState,
    types: &TypeTable,
    frozen: &Frozen,
    existing: &[&[Shape]],
    general: bool,
    share: bool,
) -> Vec<Shape> {
    let boxes = &frozen.boxes;
    // Virtual objects that must be forced everywhere: one forced at some position (it meets
    // a variable there) cannot stay virtual at another. Grows until no object is both.
    let mut forced: HashSet<usize> = HashSet::default();
    let shapes = loop {
        let mut g = Generalising { st, types, seen: HashMap::default(), forced: &forced };
        let shapes: Vec<Shape> = boxes
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let others: Vec<&Shape> = existing.iter().filter_map(|e| e.get(i)).collect();
                g.one(*b, frozen.tys[i], &others, general)
            })
            .collect();
        let both = forced_and_kept(st, &shapes, boxes);
        if both.is_empty() {
            break shapes;
        }
        forced.extend(both);
    };
    if !share {
        return shapes;
    }
    // Number the variables; a residual variable met again becomes `SameVar`.
    let mut leaves: Vec<Option<RedBox>> = Vec::new();
    shapes.into_iter().zip(boxes).map(|(s, b)| share_vars(st, s, *b, &mut leaves)).collect()
}

/// Shape `s` of box `b` with each residual variable met again (in `leaves`) a `SameVar`.
fn share_vars(
    st: &JitState,
    s: Shape,
    b: Option<RedBox>,
    leaves: &mut Vec<Option<RedBox>>,
) -> Shape {
    let b = b.map(|b| st.resolve(b));
    match (s, b) {
        (Shape::Var(t, tag), Some(RedBox::Var(x))) => {
            match leaves.iter().position(|l| *l == Some(RedBox::Var(x))) {
                Some(k) => Shape::SameVar(k),
                None => {
                    leaves.push(Some(RedBox::Var(x)));
                    Shape::Var(t, tag)
                }
            }
        }
        (Shape::Var(t, tag), b) => {
            leaves.push(b);
            Shape::Var(t, tag)
        }
        (Shape::Virtual(n, ty, fields), Some(RedBox::Virtual(i))) => {
            let fbs = st.virtuals[i].fields.clone();
            let fields =
                fields.into_iter().zip(fbs).map(|(f, fb)| share_vars(st, f, fb, leaves)).collect();
            Shape::Virtual(n, ty, fields)
        }
        (s, _) => s,
    }
}

/// Generalising one state (see [`generalise`]): what every position's shape is made with.
struct Generalising<'s> {
    st: &'s JitState,
    types: &'s TypeTable,
    /// The state's virtual objects met so far, and their numbers in the shape.
    seen: HashMap<usize, usize>,
    /// The virtual objects that must become variables wherever they are.
    forced: &'s HashSet<usize>,
}

impl Generalising<'_> {
    /// The shape of box `b` of type `ty` against the shapes `others` of the existing versions
    /// at the same position (`general`: a variable whatever it holds).
    fn one(&mut self, b: Option<RedBox>, ty: Ty, others: &[&Shape], general: bool) -> Shape {
        let (st, types) = (self.st, self.types);
        let Some(b) = b.map(|b| st.resolve(b)) else {
            return if others.iter().all(|o| **o == Shape::Zero) {
                Shape::Zero
            } else {
                var_or_zero(ty)
            };
        };
        if general || matches!(b, RedBox::Virtual(i) if self.forced.contains(&i)) {
            return Shape::Var(ty, None);
        }
        match b {
            RedBox::Const(c) if others.iter().all(|o| **o == Shape::Const(c)) => Shape::Const(c),
            RedBox::Virtual(i) => {
                if let Some(n) = self.seen.get(&i) {
                    return Shape::Alias(*n);
                }
                // Generalised against the versions holding a virtual object of the same type
                // here: a version holding anything else is no reason to force this one (the
                // object stays virtual in a version of its own).
                let vty = st.virtuals[i].ty;
                let len = st.virtuals[i].fields.len();
                let others: Vec<&Shape> = others
                    .iter()
                    .copied()
                    .filter(
                        |o| matches!(o, Shape::Virtual(_, t, fs) if *t == vty && fs.len() == len),
                    )
                    .collect();
                let n = self.seen.len();
                self.seen.insert(i, n);
                // A struct's fields, or an array's items, all of the element type.
                let field_ty = |fi: usize| match types.as_struct(vty) {
                    Some(def) => def.fields[fi].ty,
                    None => types.as_array(vty).expect("a virtual is a struct or an array").elem,
                };
                let fields = st.virtuals[i]
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(fi, fb)| {
                        let sub: Vec<&Shape> = others
                            .iter()
                            .filter_map(|o| match o {
                                Shape::Virtual(_, _, fs) => fs.get(fi),
                                _ => None,
                            })
                            .collect();
                        self.one(*fb, field_ty(fi), &sub, false)
                    })
                    .collect();
                Shape::Virtual(n, vty, fields)
            }
            RedBox::Var(x) => {
                // A known class stays known unless an earlier version here holds the object
                // without knowing its class: a version knowing another class is no reason to
                // forget this one (the hint analysis made class tests green where a class was
                // promoted, and the versions are bounded by the version budget).
                let tag = st
                    .class_of(x)
                    .filter(|_| others.iter().all(|o| !matches!(o, Shape::Var(_, None))));
                Shape::Var(ty, tag)
            }
            _ => Shape::Var(ty, None),
        }
    }
}

/// An unwritten field that must become a variable: its zero is a constant (function-pointer
/// fields have no zero and are always written by constructors).
fn var_or_zero(ty: Ty) -> Shape {
    match Const::zero(ty) {
        Some(_) => Shape::Var(ty, None),
        None => Shape::Zero,
    }
}

/// Rebuilding a state from a shape (a new version's block, a case, an entry graph): the
/// boxes it is made of so far.
struct Rebuilding<P> {
    /// The parameters of the new block or graph, one per variable of the shape, in order.
    params: P,
    /// The virtual objects made so far.
    virtuals: Vec<Virtual>,
    /// The shape's virtual objects by number, and the new ones made for them.
    numbered: HashMap<usize, usize>,
    /// The parameters taken so far (for `SameVar`).
    vars: Vec<Var>,
    /// The known classes of the parameters.
    classes: std::collections::HashMap<Var, i64>,
}

impl<P: Iterator<Item = Var>> Rebuilding<P> {
    /// The box of one position: variables become the next parameters, virtual objects fresh
    /// virtuals.
    fn one(&mut self, shape: &Shape) -> Option<RedBox> {
        match shape {
            Shape::Const(c) => Some(RedBox::Const(*c)),
            Shape::Var(_, tag) => {
                let p = self.params.next().expect("one parameter per variable");
                self.vars.push(p);
                if let Some(t) = tag {
                    self.classes.insert(p, *t);
                }
                Some(RedBox::Var(p))
            }
            Shape::SameVar(k) => Some(RedBox::Var(self.vars[*k])),
            Shape::Zero => None,
            Shape::Alias(n) => Some(RedBox::Virtual(self.numbered[n])),
            Shape::Virtual(n, ty, fields) => {
                let id = self.virtuals.len();
                self.virtuals.push(Virtual { ty: *ty, fields: Vec::new(), forced: None });
                self.numbered.insert(*n, id);
                let fs = fields.iter().map(|f| self.one(f)).collect();
                self.virtuals[id].fields = fs;
                Some(RedBox::Virtual(id))
            }
        }
    }
}

/// Rebuilds the red `positions` of `st` from their `shape`, its variables taken from `params`
/// (a new block's or graph's parameters): the state's virtual objects and known classes are
/// replaced by those the shape describes.
pub fn rebuild_state(
    st: &mut JitState,
    positions: &[(usize, Var)],
    shape: &[Shape],
    params: impl IntoIterator<Item = Var>,
) {
    rebuild_state_ext(st, positions, shape, params);
}

/// [`rebuild_state`] for a shape that goes on past the positions (the heap entries a version
/// carries: see `Compiler::merge`): returns the boxes of the further shapes, rebuilt with the
/// same numbering (a virtual object both in a register and stored by a dirty entry stays one
/// object).
pub fn rebuild_state_ext(
    st: &mut JitState,
    positions: &[(usize, Var)],
    shape: &[Shape],
    params: impl IntoIterator<Item = Var>,
) -> Vec<Option<RedBox>> {
    use cranelift_entity::EntityRef;
    let mut r = Rebuilding {
        params: params.into_iter(),
        virtuals: Vec::new(),
        numbered: HashMap::default(),
        vars: Vec::new(),
        classes: std::collections::HashMap::new(),
    };
    for ((fi, v), s) in positions.iter().zip(shape) {
        st.frames[*fi].reds[v.index()] = r.one(s);
    }
    let extra = shape[positions.len().min(shape.len())..].iter().map(|s| r.one(s)).collect();
    st.virtuals = r.virtuals;
    st.classes = r.classes;
    extra
}

/// The pairs `(j, k)`, `k < j`, of the variables of `shape` (numbered in order, as the
/// version block's parameters) that `boxes` fill with one object: the same residual
/// variable, or casts of one (the heap cache's `same`), of reference type. A version keeps
/// them (`Compiler::merge`): what is known of the object through one of them is known
/// through the others, in the loop as it was before it.
pub fn identities(st: &JitState, shape: &[Shape], boxes: &[Option<RedBox>]) -> Vec<(usize, usize)> {
    let (vars, tys) = shape_vars(st, shape, boxes);
    // The first position of each object, by its canonical variable: one pass, so that a
    // state with many live references (a deep stack) costs linear time, not quadratic.
    let mut first: HashMap<Var, usize> = HashMap::default();
    let mut out = Vec::new();
    for (j, (b, t)) in vars.iter().zip(&tys).enumerate() {
        let (RedBox::Var(x), Ty::Ref(_)) = (*b, *t) else { continue };
        match first.entry(st.heap.canon(x)) {
            std::collections::hash_map::Entry::Occupied(k) => out.push((j, *k.get())),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(j);
            }
        }
    }
    out
}

/// Whether `boxes`, matched to `shape`, hold one object in each pair of variables `ids`
/// ([`identities`]).
pub fn identities_hold(
    st: &JitState,
    shape: &[Shape],
    boxes: &[Option<RedBox>],
    ids: &[(usize, usize)],
) -> bool {
    if ids.is_empty() {
        return true;
    }
    let (vars, _) = shape_vars(st, shape, boxes);
    ids.iter().all(|&(j, k)| match (vars.get(j), vars.get(k)) {
        (Some(RedBox::Var(x)), Some(RedBox::Var(y))) => st.heap.canon(*x) == st.heap.canon(*y),
        _ => false,
    })
}

/// The boxes `boxes` (a state matched to `shape`, or generalised into it) pass to the
/// variables of `shape`, in order, with the variables' types.
fn shape_vars(st: &JitState, shape: &[Shape], boxes: &[Option<RedBox>]) -> (Vec<RedBox>, Vec<Ty>) {
    let mut tys = Vec::new();
    shape.iter().for_each(|s| var_types(s, &mut tys));
    let mut vars = Vec::new();
    for (s, b) in shape.iter().zip(boxes) {
        var_boxes(st, s, *b, &mut vars);
    }
    (vars, tys)
}

/// The types of the variables of a shape, in order (the version block's parameters).
pub fn var_types(shape: &Shape, out: &mut Vec<Ty>) {
    match shape {
        Shape::Var(t, _) => out.push(*t),
        Shape::Virtual(_, _, fields) => fields.iter().for_each(|f| var_types(f, out)),
        _ => {}
    }
}

/// The boxes passed to a shape's variables, in order (virtual objects there are returned as
/// they are: the caller forces them).
pub fn var_boxes(st: &JitState, shape: &Shape, b: Option<RedBox>, out: &mut Vec<RedBox>) {
    let b = b.map(|b| st.resolve(b));
    match (shape, b) {
        (Shape::Var(..), Some(b)) => out.push(b),
        (Shape::Var(t, _), None) => out.extend(Const::zero(*t).map(RedBox::Const)),
        (Shape::Virtual(_, _, fields), Some(RedBox::Virtual(i))) => {
            for (f, fb) in fields.iter().zip(st.virtuals[i].fields.clone()) {
                var_boxes(st, f, fb, out);
            }
        }
        _ => {}
    }
}
