//! Constant folding: evaluating an op at compile time when all its operands are constants.
//! The JIT's rainbow engine folds red ops whose operands are all known; the hint analysis
//! asks which ops could fold.
//!
//! Invariants:
//! - **Folding agrees with the IR interpreter, always.** If [`fold`] answers
//!   `Some(Ok(c))`, [`crate::llinterp`] executing the same op on the same operands produces
//!   the value `c` denotes (for floats: the same bits); if it answers `Some(Err(e))`, the
//!   interpreter stops with a [`crate::runtime::RuntimeError`] of the same `kind` and
//!   `message`. `None` claims nothing: the op must be left for run time.
//! - Folding never allocates, never calls and never reads heap memory that can change at run
//!   time. It reads only what is fixed once the program exists: the operand constants, the
//!   type table and, in [`Program::prebuilt`], lengths of prebuilt arrays, items of prebuilt
//!   immutable arrays (`str`, `frozen[T]`), fields of prebuilt structs declared by immutable
//!   structs, and the types of prebuilt objects.
//! - That relies on one property of programs, which the front end guarantees and the verifier
//!   does not check: no op writes a prebuilt object's immutable part (an item of an immutable
//!   array, a field declared by an immutable struct). Constructors write immutable fields of
//!   *fresh* objects only, never of prebuilt ones.
//! - Pointer identity of constants: every [`Const::Prebuilt`] is its own object (the
//!   interpreter allocates one per [`PrebuiltIdx`]), every null is the same address whatever
//!   its type, every [`Const::Func`] is its graph.
//! - A folded pointer result is typed by the op, not by where it came from: a null read from a
//!   field of type `T` comes back as `Const::Null(T)`, a null passed through `cast(T)` too.
//!
//! - A `call_extern` of a *pure* extern (`ExternDef::pure`: no effects, result a function of
//!   the arguments) folds by calling it, as the interpreter does, when every argument is a
//!   scalar constant or a string (a prebuilt `str`, a `Const::Ptr` to a live `str`, null):
//!   strings are immutable, so this reads nothing that can change. A prebuilt string is
//!   handed to the extern as a temporary copy (rooted while the arguments are built; pure
//!   externs never allocate), the one allocation folding makes.
//!
//! Vocabulary: *foldable* ops are the table's `PURE` ops plus `getfield` and `getarrayitem`
//! (pure when what they read cannot change); see [`may_fold`]. Operands that do not match
//! the op's operand types (an ill-typed graph, which the verifier rejects) give `None`.

use crate::ir::{Aux, Const, Prebuilt, PrebuiltIdx, Program, Value};
use crate::layout::Layout;
use crate::ops::Opcode;
use crate::runtime::{RuntimeError, RuntimeErrorKind};
use crate::span::Span;
use crate::types::{HeapTypeIdx, Ty, TypeTable};
use std::cell::OnceCell;

/// Why an op folded to a failure: the runtime error the interpreter would report, without
/// the span and graph name, which only the caller knows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FoldError {
    /// The interpreter's error kind.
    pub kind: RuntimeErrorKind,
    /// The interpreter's one-line message, exactly.
    pub message: String,
}

impl FoldError {
    fn new(kind: RuntimeErrorKind, message: impl Into<String>) -> FoldError {
        FoldError { kind, message: message.into() }
    }

    /// The runtime error the interpreter reports when the op at `span` of graph `graph` fails.
    pub fn into_runtime_error(self, span: Span, graph: impl Into<String>) -> RuntimeError {
        RuntimeError { kind: self.kind, span, message: self.message, graph: graph.into() }
    }
}

/// What folding an op gave: `None` when it cannot fold, else the constant or the failure.
pub type Folded = Option<Result<Const, FoldError>>;

/// Whether [`fold`] may answer `Some` for `opcode` (given suitable constant operands).
pub fn may_fold(opcode: Opcode) -> bool {
    opcode.is_pure() || matches!(opcode, Opcode::GetField | Opcode::GetArrayItem)
}

/// Folds `opcode[aux](args)`; see the module documentation for what folds and the guarantee.
/// Computes the heap layout if a `typeof` needs it: callers folding many ops keep a
/// [`Folder`] instead.
pub fn fold(program: &Program, opcode: Opcode, aux: &Aux, args: &[Const]) -> Folded {
    Folder::new(program).fold(opcode, aux, args)
}

/// [`fold`] on operands that may be variables: `None` unless every operand is a constant.
pub fn fold_values(program: &Program, opcode: Opcode, aux: &Aux, args: &[Value]) -> Folded {
    Folder::new(program).fold_values(opcode, aux, args)
}

/// A folder for one program, keeping the heap layout (needed by `typeof`) once computed.
#[derive(Debug)]
pub struct Folder<'p> {
    program: &'p Program,
    layout: OnceCell<Layout>,
}

impl<'p> Folder<'p> {
    /// A folder for `program`; the layout is computed on first need.
    pub fn new(program: &'p Program) -> Folder<'p> {
        Folder { program, layout: OnceCell::new() }
    }

    /// A folder reusing an already computed layout of `program`'s types.
    pub fn with_layout(program: &'p Program, layout: Layout) -> Folder<'p> {
        Folder { program, layout: OnceCell::from(layout) }
    }

    /// The heap layout of the program's types (the one the interpreter uses).
    pub fn layout(&self) -> &Layout {
        self.layout.get_or_init(|| Layout::compute(&self.program.types))
    }

    /// Folds `opcode[aux](args)`: see [`fold`].
    pub fn fold(&self, opcode: Opcode, aux: &Aux, args: &[Const]) -> Folded {
        if let (Opcode::CallExtern, Aux::Extern(name)) = (opcode, aux) {
            return self.fold_extern(name, args).map(Ok);
        }
        if !may_fold(opcode) {
            return None;
        }
        fold_scalar(opcode, args).or_else(|| self.fold_pointer(opcode, aux, args))
    }

    /// A call of the pure extern `name` on constants (see the module header).
    fn fold_extern(&self, name: &str, args: &[Const]) -> Option<Const> {
        use crate::externs::{ExternTy, StrPtr};
        let def =
            crate::externs::lookup(name).filter(|d| d.pure && d.params.len() == args.len())?;
        // Temporary copies of prebuilt strings, rooted until the call returns.
        let mut temps = crate::gc::RootBuf::with_capacity(args.len());
        let mut words = Vec::with_capacity(args.len());
        for (&p, &c) in def.params.iter().zip(args) {
            words.push(match (p, c) {
                (ExternTy::Int, Const::Int(i)) => i as u64,
                (ExternTy::Float, Const::Float(bits)) => bits,
                (ExternTy::Bool, Const::Bool(b)) => b as u64,
                (ExternTy::Char, Const::Char(ch)) => u64::from(ch),
                (ExternTy::Str, Const::Null(_)) => 0,
                (ExternTy::Str, Const::Ptr(addr, t)) if t == TypeTable::STR => addr,
                (ExternTy::Str, Const::Prebuilt(pb)) => match &self.program.prebuilt[pb] {
                    Prebuilt::Str(chars) => {
                        let cps: Vec<u32> = chars.iter().map(|&c| u32::from(c)).collect();
                        let w = StrPtr::from_code_points(&cps).0 as usize as u64;
                        temps.push(w);
                        w
                    }
                    _ => return None,
                },
                _ => return None,
            });
        }
        let w = (def.interp)(&words);
        drop(temps);
        Some(match def.ret {
            ExternTy::Int => Const::Int(w as i64),
            ExternTy::Float => Const::Float(w),
            ExternTy::Bool => Const::Bool(w != 0),
            ExternTy::Char => Const::Char(char::from_u32(u32::try_from(w).ok()?)?),
            _ => return None,
        })
    }

    /// Folds an op whose operands may be variables: `None` unless all are constants.
    pub fn fold_values(&self, opcode: Opcode, aux: &Aux, args: &[Value]) -> Folded {
        let consts = args
            .iter()
            .map(|v| match v {
                Value::Const(c) => Some(*c),
                Value::Var(_) => None,
            })
            .collect::<Option<Vec<Const>>>()?;
        self.fold(opcode, aux, &consts)
    }

    /// Ops on pointers: identity and null tests, and the heap ops that read only what a
    /// prebuilt object cannot change.
    fn fold_pointer(&self, opcode: Opcode, aux: &Aux, args: &[Const]) -> Folded {
        let types = &self.program.types;
        let obj = |c: Const| match c {
            Const::Null(_) => Some(None),
            Const::Prebuilt(p) => Some(Some(p)),
            _ => None,
        };
        Some(Ok(match (opcode, aux, args) {
            (Opcode::PtrEq, _, &[a, b]) => Const::Bool(same_address(a, b)?),
            (Opcode::PtrNe, _, &[a, b]) => Const::Bool(!same_address(a, b)?),
            (Opcode::CastPtrToInt, _, &[Const::Ptr(addr, _)]) => Const::Int(addr as i64),
            (Opcode::CastPtrToInt, _, &[Const::Null(_)]) => Const::Int(0),
            // A run-time object's address (a promoted or elidable-call result) is not null.
            (Opcode::PtrIsNull, _, &[Const::Ptr(addr, _)]) => Const::Bool(addr == 0),
            (Opcode::PtrNonNull, _, &[Const::Ptr(addr, _)]) => Const::Bool(addr != 0),
            (Opcode::PtrIsNull, _, &[a]) => Const::Bool(obj(a)?.is_none()),
            (Opcode::PtrNonNull, _, &[a]) => Const::Bool(obj(a)?.is_some()),
            (Opcode::InstanceOf, &Aux::Type(t), &[a]) => {
                Const::Bool(obj(a)?.is_some_and(|p| self.is_instance(p, t)))
            }
            (Opcode::Cast, &Aux::Type(t), &[a]) => match obj(a)? {
                None => Const::Null(t),
                Some(p) if self.is_instance(p, t) => a,
                Some(p) => {
                    let message = format!(
                        "cannot cast a `{}` to `{}`",
                        types.display(Ty::Ref(self.heap_type(p))),
                        types.display(Ty::Ref(t))
                    );
                    return Some(Err(FoldError::new(RuntimeErrorKind::BadCast, message)));
                }
            },
            (Opcode::TypeOf, _, &[a]) => match obj(a)? {
                None => return Some(Err(null_deref("type of a null pointer"))),
                Some(p) => Const::Int(self.layout().tag(self.heap_type(p)) as i64),
            },
            (Opcode::ArrayLen, _, &[a]) => match obj(a)? {
                None => return Some(Err(null_deref("length of a null array"))),
                // An array's length is fixed at allocation, even when its items are mutable.
                Some(p) => Const::Int(self.items(p)?.len() as i64),
            },
            (Opcode::GetArrayItem, &Aux::Array(t), &[a, Const::Int(i)]) => {
                let elem = types.as_array(t)?.elem;
                let Some(p) = obj(a)? else {
                    let what = format!("reading an item of a null `{}`", types.display(Ty::Ref(t)));
                    return Some(Err(null_deref(&what)));
                };
                if self.heap_type(p) != t {
                    return None;
                }
                let len = self.items(p)?.len() as u64;
                // As in the interpreter: the index is compared unsigned, so negative ones fail.
                if i as u64 >= len {
                    let message = format!("index {i} out of bounds for length {len}");
                    return Some(Err(FoldError::new(RuntimeErrorKind::IndexOutOfBounds, message)));
                }
                if !types.as_array(t)?.immutable {
                    return None;
                }
                typed(self.items(p)?.get(i as usize)?, elem)
            }
            (Opcode::GetField, &Aux::Field(t, i), &[a]) => {
                let field = types.as_struct(t)?.fields.get(i as usize)?;
                let Some(p) = obj(a)? else {
                    let what = format!(
                        "reading field `{}` of a null `{}`",
                        field.name,
                        types.display(Ty::Ref(t))
                    );
                    return Some(Err(null_deref(&what)));
                };
                let Prebuilt::Struct(dynamic, fields) = &self.program.prebuilt[p] else {
                    return None;
                };
                if !types.is_subtype(*dynamic, t) || !field_is_frozen(types, *dynamic, i) {
                    return None;
                }
                typed(*fields.get(i as usize)?, field.ty)
            }
            _ => return None,
        }))
    }

    /// The heap type of a prebuilt object.
    fn heap_type(&self, p: PrebuiltIdx) -> HeapTypeIdx {
        self.program.prebuilt[p].heap_type()
    }

    /// Whether prebuilt `p` is an instance of `t`: the interpreter's tag-range test, which the
    /// layout makes equal to subtyping (a struct's tag range is itself and its descendants, an
    /// array type's is itself).
    fn is_instance(&self, p: PrebuiltIdx, t: HeapTypeIdx) -> bool {
        self.program.types.is_subtype(self.heap_type(p), t)
    }

    /// The items of a prebuilt array or string (`None` for a struct).
    fn items(&self, p: PrebuiltIdx) -> Option<Items<'p>> {
        match &self.program.prebuilt[p] {
            Prebuilt::Str(chars) => Some(Items::Chars(chars)),
            Prebuilt::Array(_, items) => Some(Items::Consts(items)),
            Prebuilt::Struct(..) => None,
        }
    }
}

/// The items of a prebuilt array: a string's code points or an array's constants.
#[derive(Clone, Copy)]
enum Items<'p> {
    Chars(&'p [char]),
    Consts(&'p [Const]),
}

impl Items<'_> {
    fn len(self) -> usize {
        match self {
            Items::Chars(b) => b.len(),
            Items::Consts(c) => c.len(),
        }
    }

    fn get(self, i: usize) -> Option<Const> {
        match self {
            Items::Chars(b) => b.get(i).map(|&c| Const::Char(c)),
            Items::Consts(c) => c.get(i).copied(),
        }
    }
}

/// What a pointer constant points to, for identity: the interpreter's word, symbolically.
#[derive(PartialEq, Eq)]
enum Address {
    Null,
    Object(PrebuiltIdx),
    Function(crate::ir::GraphIdx),
    /// A run-time object's address (residual graphs only).
    Raw(u64),
}

/// Whether two pointer constants are the same address; unknown (`None`) between a run-time
/// address and a prebuilt object, whose address is only known when the program runs.
fn same_address(a: Const, b: Const) -> Option<bool> {
    match (address(a)?, address(b)?) {
        (Address::Raw(_), Address::Object(_)) | (Address::Object(_), Address::Raw(_)) => None,
        (x, y) => Some(x == y),
    }
}

fn address(c: Const) -> Option<Address> {
    match c {
        Const::Null(_) => Some(Address::Null),
        Const::Prebuilt(p) => Some(Address::Object(p)),
        Const::Func(g) => Some(Address::Function(g)),
        Const::Ptr(addr, _) => Some(Address::Raw(addr)),
        _ => None,
    }
}

/// `c` as a value of type `ty`: nulls take the pointer type they are read as.
fn typed(c: Const, ty: Ty) -> Const {
    match (c, ty) {
        (Const::Null(_), Ty::Ref(t)) => Const::Null(t),
        _ => c,
    }
}

/// Whether field `i` of objects of struct type `dynamic` can never change. A `setfield` may
/// reach the field through any static type on the inheritance chain from the struct declaring
/// it down to `dynamic`; the front end rejects writes through immutable static types, so the
/// field is frozen when every struct on that chain is immutable. (An immutable subtype of a
/// mutable struct still has mutable inherited fields.)
fn field_is_frozen(types: &TypeTable, dynamic: HeapTypeIdx, i: u32) -> bool {
    let mut t = dynamic;
    loop {
        let Some(def) = types.as_struct(t) else { return false };
        if !def.immutable {
            return false;
        }
        match def.parent {
            Some(parent) if (i as usize) < types.struct_def(parent).fields.len() => t = parent,
            _ => return true,
        }
    }
}

fn null_deref(what: &str) -> FoldError {
    FoldError::new(RuntimeErrorKind::NullDereference, format!("null dereference: {what}"))
}

/// Ops on ints, floats, bools and chars, and `same_as`; `None` for any other op or operands.
fn fold_scalar(opcode: Opcode, args: &[Const]) -> Folded {
    use Const::{Bool, Char, Float, Int};
    use Opcode::*;
    let f = f64::from_bits;
    let fl = Const::float;
    Some(Ok(match (opcode, args) {
        (IntAdd, &[Int(x), Int(y)]) => Int(x.wrapping_add(y)),
        (IntSub, &[Int(x), Int(y)]) => Int(x.wrapping_sub(y)),
        (IntMul, &[Int(x), Int(y)]) => Int(x.wrapping_mul(y)),
        (IntFloorDiv, &[Int(x), Int(y)]) => match int_floordiv(x, y) {
            Some(q) => Int(q),
            None => return Some(Err(division_by_zero(opcode))),
        },
        (IntMod, &[Int(x), Int(y)]) => match int_mod(x, y) {
            Some(r) => Int(r),
            None => return Some(Err(division_by_zero(opcode))),
        },
        (IntAnd, &[Int(x), Int(y)]) => Int(x & y),
        (IntOr, &[Int(x), Int(y)]) => Int(x | y),
        (IntXor, &[Int(x), Int(y)]) => Int(x ^ y),
        (IntLshift, &[Int(x), Int(c)]) => match int_lshift(x, c) {
            Some(r) => Int(r),
            None => return Some(Err(negative_shift(c))),
        },
        (IntRshift, &[Int(x), Int(c)]) => match int_rshift(x, c) {
            Some(r) => Int(r),
            None => return Some(Err(negative_shift(c))),
        },
        (IntNeg, &[Int(x)]) => Int(x.wrapping_neg()),
        (IntAddOvf, &[Int(x), Int(y)]) => Bool(x.checked_add(y).is_none()),
        (IntSubOvf, &[Int(x), Int(y)]) => Bool(x.checked_sub(y).is_none()),
        (IntMulOvf, &[Int(x), Int(y)]) => Bool(x.checked_mul(y).is_none()),
        (IntNegOvf, &[Int(x)]) => Bool(x == i64::MIN),
        (IntLshiftOvf, &[Int(x), Int(c)]) => Bool(int_lshift_ovf(x, c)),
        (IntInvert, &[Int(x)]) => Int(!x),
        (IntLt, &[Int(x), Int(y)]) => Bool(x < y),
        (IntLe, &[Int(x), Int(y)]) => Bool(x <= y),
        (IntEq, &[Int(x), Int(y)]) => Bool(x == y),
        (IntNe, &[Int(x), Int(y)]) => Bool(x != y),
        (IntGt, &[Int(x), Int(y)]) => Bool(x > y),
        (IntGe, &[Int(x), Int(y)]) => Bool(x >= y),
        (FloatAdd, &[Float(x), Float(y)]) => fl(f(x) + f(y)),
        (FloatSub, &[Float(x), Float(y)]) => fl(f(x) - f(y)),
        (FloatMul, &[Float(x), Float(y)]) => fl(f(x) * f(y)),
        (FloatTrueDiv, &[Float(x), Float(y)]) => fl(f(x) / f(y)),
        (FloatNeg, &[Float(x)]) => fl(-f(x)),
        (FloatLt, &[Float(x), Float(y)]) => Bool(f(x) < f(y)),
        (FloatLe, &[Float(x), Float(y)]) => Bool(f(x) <= f(y)),
        (FloatEq, &[Float(x), Float(y)]) => Bool(f(x) == f(y)),
        (FloatNe, &[Float(x), Float(y)]) => Bool(f(x) != f(y)),
        (FloatGt, &[Float(x), Float(y)]) => Bool(f(x) > f(y)),
        (FloatGe, &[Float(x), Float(y)]) => Bool(f(x) >= f(y)),
        (CastIntToFloat, &[Int(x)]) => fl(x as f64),
        // `as` truncates toward zero, saturates, and maps NaN to 0: the op's definition.
        (CastFloatToInt, &[Float(x)]) => Int(f(x) as i64),
        (CastCharToInt, &[Char(c)]) => Int(u32::from(c) as i64),
        (CastIntToChar, &[Int(x)]) => match u32::try_from(x).ok().and_then(char::from_u32) {
            Some(c) => Char(c),
            None => {
                let message = crate::runtime::error::invalid_chr_message(x);
                return Some(Err(FoldError::new(RuntimeErrorKind::InvalidChr, message)));
            }
        },
        (CastBoolToInt, &[Bool(b)]) => Int(b as i64),
        (BoolNot, &[Bool(b)]) => Bool(!b),
        (BoolEq, &[Bool(a), Bool(b)]) => Bool(a == b),
        (BoolNe, &[Bool(a), Bool(b)]) => Bool(a != b),
        (CharEq, &[Char(a), Char(b)]) => Bool(a == b),
        (CharNe, &[Char(a), Char(b)]) => Bool(a != b),
        (CharLt, &[Char(a), Char(b)]) => Bool(a < b),
        (CharLe, &[Char(a), Char(b)]) => Bool(a <= b),
        (CharGt, &[Char(a), Char(b)]) => Bool(a > b),
        (CharGe, &[Char(a), Char(b)]) => Bool(a >= b),
        (SameAs, &[c]) => c,
        _ => return None,
    }))
}

fn division_by_zero(opcode: Opcode) -> FoldError {
    let message = match opcode {
        Opcode::IntMod => "integer modulo by zero",
        _ => "integer division by zero",
    };
    FoldError::new(RuntimeErrorKind::DivisionByZero, message)
}

fn negative_shift(count: i64) -> FoldError {
    FoldError::new(RuntimeErrorKind::NegativeShift, format!("negative shift count {count}"))
}

/// Python's `x // y` on wrapping 64-bit ints (`MIN // -1` wraps to `MIN`); `None` if `y == 0`.
pub fn int_floordiv(x: i64, y: i64) -> Option<i64> {
    if y == 0 {
        return None;
    }
    let (q, r) = (x.wrapping_div(y), x.wrapping_rem(y));
    // Truncating division rounds toward zero; floor differs when the signs differ.
    Some(if r != 0 && (r < 0) != (y < 0) { q - 1 } else { q })
}

/// Python's `x % y` (the sign of the divisor; `MIN % -1` is 0); `None` if `y == 0`.
pub fn int_mod(x: i64, y: i64) -> Option<i64> {
    if y == 0 {
        return None;
    }
    let r = x.wrapping_rem(y);
    Some(if r != 0 && (r < 0) != (y < 0) { r + y } else { r })
}

/// `x << count`: counts of 64 or more give 0; `None` for a negative count.
pub fn int_lshift(x: i64, count: i64) -> Option<i64> {
    match count {
        ..0 => None,
        0..64 => Some(x << count),
        _ => Some(0),
    }
}

/// Whether `x << count` overflows (`ovfcheck(x << count)` raises): shifting back does not
/// give `x`, or a nonzero `x` is shifted by 64 or more. A negative count is not an overflow:
/// `int_lshift` itself fails on it.
pub fn int_lshift_ovf(x: i64, count: i64) -> bool {
    match count {
        ..0 => false,
        0..64 => (x << count) >> count != x,
        _ => x != 0,
    }
}

/// Arithmetic `x >> count`: counts of 64 or more give 0 or -1; `None` for a negative count.
pub fn int_rshift(x: i64, count: i64) -> Option<i64> {
    (count >= 0).then(|| x >> count.min(63))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Field;
    use RuntimeErrorKind as K;

    const MIN: i64 = i64::MIN;
    const MAX: i64 = i64::MAX;

    fn ok(op: Opcode, args: &[Const]) -> Const {
        match fold(&Program::default(), op, &Aux::None, args) {
            Some(Ok(c)) => c,
            other => panic!("{op}{args:?} gave {other:?}"),
        }
    }

    fn err(op: Opcode, args: &[Const]) -> (RuntimeErrorKind, String) {
        match fold(&Program::default(), op, &Aux::None, args) {
            Some(Err(e)) => (e.kind, e.message),
            other => panic!("{op}{args:?} gave {other:?}"),
        }
    }

    fn int2(op: Opcode, x: i64, y: i64) -> i64 {
        match ok(op, &[Const::Int(x), Const::Int(y)]) {
            Const::Int(r) => r,
            c => panic!("{op}: not an int: {c:?}"),
        }
    }

    fn float2(op: Opcode, x: f64, y: f64) -> Const {
        ok(op, &[Const::float(x), Const::float(y)])
    }

    fn bits(c: Const) -> u64 {
        match c {
            Const::Float(b) => b,
            c => panic!("not a float: {c:?}"),
        }
    }

    #[test]
    fn wrapping_int_arithmetic() {
        use Opcode::*;
        assert_eq!(int2(IntAdd, MAX, 1), MIN);
        assert_eq!(int2(IntSub, MIN, 1), MAX);
        assert_eq!(int2(IntMul, 1 << 62, 4), 0);
        assert_eq!(int2(IntMul, MIN, -1), MIN);
        assert_eq!(ok(IntNeg, &[Const::Int(MIN)]), Const::Int(MIN));
        assert_eq!(ok(IntInvert, &[Const::Int(0)]), Const::Int(-1));
        assert_eq!(int2(IntAnd, 0b1100, 0b1010), 0b1000);
        assert_eq!(int2(IntOr, 0b1100, 0b1010), 0b1110);
        assert_eq!(int2(IntXor, 0b1100, 0b1010), 0b0110);
        assert_eq!(ok(IntLt, &[Const::Int(MIN), Const::Int(MAX)]), Const::Bool(true));
        assert_eq!(ok(IntGe, &[Const::Int(-1), Const::Int(0)]), Const::Bool(false));
    }

    #[test]
    fn floordiv_and_mod_follow_python() {
        use Opcode::*;
        for (x, y, q, r) in [
            (7, 2, 3, 1),
            (-7, 2, -4, 1),
            (7, -2, -4, -1),
            (-7, -2, 3, -1),
            (-6, 3, -2, 0),
            (0, -5, 0, 0),
            (MIN, -1, MIN, 0),
            (MIN, 1, MIN, 0),
            (MAX, -1, -MAX, 0),
            (MIN, MAX, -2, MAX - 1),
            (1, MIN, -1, MIN + 1),
            (MIN, MIN, 1, 0),
        ] {
            assert_eq!(int2(IntFloorDiv, x, y), q, "{x} // {y}");
            assert_eq!(int2(IntMod, x, y), r, "{x} % {y}");
        }
        let zero = [Const::Int(5), Const::Int(0)];
        assert_eq!(err(IntFloorDiv, &zero), (K::DivisionByZero, "integer division by zero".into()));
        assert_eq!(err(IntMod, &zero), (K::DivisionByZero, "integer modulo by zero".into()));
    }

    #[test]
    fn overflow_ops_say_whether_the_wrapping_op_overflows() {
        use Opcode::*;
        let ovf = |op, args: &[i64]| {
            let args: Vec<Const> = args.iter().map(|&a| Const::Int(a)).collect();
            ok(op, &args) == Const::Bool(true)
        };
        assert!(ovf(IntAddOvf, &[MAX, 1]) && !ovf(IntAddOvf, &[MAX - 1, 1]));
        assert!(ovf(IntAddOvf, &[MIN, -1]) && !ovf(IntAddOvf, &[MIN, 0]));
        assert!(ovf(IntSubOvf, &[MIN, 1]) && !ovf(IntSubOvf, &[-1, MAX]));
        assert!(ovf(IntMulOvf, &[MIN, -1]) && !ovf(IntMulOvf, &[MIN, 1]));
        assert!(ovf(IntMulOvf, &[3_037_000_500, 3_037_000_500]));
        assert!(!ovf(IntMulOvf, &[3_037_000_499, 3_037_000_499]));
        assert!(ovf(IntNegOvf, &[MIN]) && !ovf(IntNegOvf, &[MIN + 1]));
        assert!(ovf(IntLshiftOvf, &[1, 63]) && !ovf(IntLshiftOvf, &[-1, 63]));
        assert!(ovf(IntLshiftOvf, &[1, 64]) && !ovf(IntLshiftOvf, &[0, 1000]));
        assert!(!ovf(IntLshiftOvf, &[1, -1]), "a negative count is int_lshift's error");
        assert!(ovf(IntLshiftOvf, &[3, 62]) && !ovf(IntLshiftOvf, &[1, 62]));
    }

    #[test]
    fn shifts_saturate_and_reject_negative_counts() {
        use Opcode::*;
        assert_eq!(int2(IntLshift, 1, 63), MIN);
        assert_eq!(int2(IntLshift, 1, 64), 0);
        assert_eq!(int2(IntLshift, -1, MAX), 0);
        assert_eq!(int2(IntRshift, MIN, 63), -1);
        assert_eq!(int2(IntRshift, MIN, 64), -1);
        assert_eq!(int2(IntRshift, MAX, 64), 0);
        assert_eq!(int2(IntRshift, -8, 1), -4);
        for op in [IntLshift, IntRshift] {
            assert_eq!(
                err(op, &[Const::Int(1), Const::Int(-1)]),
                (K::NegativeShift, "negative shift count -1".into())
            );
            assert_eq!(err(op, &[Const::Int(1), Const::Int(MIN)]).0, K::NegativeShift);
        }
    }

    #[test]
    fn float_ops_keep_ieee_bits() {
        use Opcode::*;
        let nan = f64::NAN;
        assert_eq!(bits(float2(FloatAdd, 0.1, 0.2)), (0.1f64 + 0.2).to_bits());
        assert_eq!(bits(float2(FloatMul, -0.0, 5.0)), (-0.0f64).to_bits());
        assert_eq!(bits(float2(FloatAdd, -0.0, -0.0)), (-0.0f64).to_bits());
        assert_eq!(bits(float2(FloatSub, 0.0, 0.0)), 0.0f64.to_bits());
        assert_eq!(bits(float2(FloatTrueDiv, 1.0, -0.0)), f64::NEG_INFINITY.to_bits());
        assert!(f64::from_bits(bits(float2(FloatTrueDiv, 0.0, 0.0))).is_nan());
        assert!(f64::from_bits(bits(float2(FloatSub, f64::INFINITY, f64::INFINITY))).is_nan());
        assert_eq!(bits(ok(FloatNeg, &[Const::float(0.0)])), (-0.0f64).to_bits());
        // Negation flips only the sign bit, even of a NaN with a payload.
        let payload = Const::Float(0x7ff8_0000_dead_beef);
        assert_eq!(ok(FloatNeg, &[payload]), Const::Float(0xfff8_0000_dead_beef));
        assert_eq!(float2(FloatEq, nan, nan), Const::Bool(false));
        assert_eq!(float2(FloatNe, nan, nan), Const::Bool(true));
        assert_eq!(float2(FloatLe, nan, 1.0), Const::Bool(false));
        assert_eq!(float2(FloatEq, 0.0, -0.0), Const::Bool(true));
        assert_eq!(float2(FloatLt, -0.0, 0.0), Const::Bool(false));
    }

    #[test]
    fn float_to_int_truncates_and_saturates() {
        let cast = |x: f64| ok(Opcode::CastFloatToInt, &[Const::float(x)]);
        assert_eq!(cast(2.9), Const::Int(2));
        assert_eq!(cast(-2.9), Const::Int(-2));
        assert_eq!(cast(f64::NAN), Const::Int(0));
        assert_eq!(cast(-f64::NAN), Const::Int(0));
        assert_eq!(cast(f64::INFINITY), Const::Int(MAX));
        assert_eq!(cast(f64::NEG_INFINITY), Const::Int(MIN));
        assert_eq!(cast(1e300), Const::Int(MAX));
        let two_63 = 2f64.powi(63);
        assert_eq!(cast(two_63), Const::Int(MAX));
        assert_eq!(cast(-two_63), Const::Int(MIN));
        assert_eq!(cast(f64::from_bits(two_63.to_bits() - 1)), Const::Int(MAX - 1023));
        assert_eq!(ok(Opcode::CastIntToFloat, &[Const::Int(MAX)]), Const::float(two_63));
        assert_eq!(
            ok(Opcode::CastIntToFloat, &[Const::Int((1 << 53) + 1)]),
            Const::float(9007199254740992.0)
        );
    }

    #[test]
    fn chars_and_bools() {
        use Opcode::*;
        assert_eq!(ok(CastIntToChar, &[Const::Int(255)]), Const::Char('\u{ff}'));
        assert_eq!(ok(CastIntToChar, &[Const::Int(0x10FFFF)]), Const::Char('\u{10FFFF}'));
        assert_eq!(ok(CastIntToChar, &[Const::Int(0xE000)]), Const::Char('\u{E000}'));
        for surrogate in [0xD800, 0xDFFF] {
            let e = err(CastIntToChar, &[Const::Int(surrogate)]);
            assert_eq!(e, (K::InvalidChr, crate::runtime::error::invalid_chr_message(surrogate)));
        }
        assert_eq!(ok(CastCharToInt, &[Const::Char('😀')]), Const::Int(0x1F600));
        assert_eq!(ok(CastIntToChar, &[Const::Int(0)]), Const::Char('\u{0}'));
        assert_eq!(
            err(CastIntToChar, &[Const::Int(0x110000)]),
            (K::InvalidChr, crate::runtime::error::invalid_chr_message(0x110000))
        );
        assert_eq!(
            err(CastIntToChar, &[Const::Int(-1)]),
            (K::InvalidChr, crate::runtime::error::invalid_chr_message(-1))
        );
        assert_eq!(ok(CastCharToInt, &[Const::Char('\u{c8}')]), Const::Int(200));
        assert_eq!(ok(CharLt, &[Const::Char('\u{1}'), Const::Char('\u{ff}')]), Const::Bool(true));
        assert_eq!(ok(CharGe, &[Const::Char('a'), Const::Char('a')]), Const::Bool(true));
        assert_eq!(ok(CastBoolToInt, &[Const::Bool(true)]), Const::Int(1));
        assert_eq!(ok(BoolNot, &[Const::Bool(true)]), Const::Bool(false));
        assert_eq!(ok(BoolNe, &[Const::Bool(true), Const::Bool(false)]), Const::Bool(true));
        assert_eq!(ok(SameAs, &[Const::Char('\u{7}')]), Const::Char('\u{7}'));
    }

    #[test]
    fn ill_typed_impure_and_variable_operands_do_not_fold() {
        let p = Program::default();
        assert_eq!(fold(&p, Opcode::IntAdd, &Aux::None, &[Const::Int(1), Const::float(1.0)]), None);
        assert_eq!(fold(&p, Opcode::IntAdd, &Aux::None, &[Const::Int(1)]), None);
        assert_eq!(fold(&p, Opcode::Malloc, &Aux::None, &[]), None);
        let hint = Aux::Hint(Default::default());
        assert_eq!(fold(&p, Opcode::Hint, &hint, &[Const::Int(1)]), None);
        let g = crate::ir::Graph::new("g", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
        let x = g.param_vars()[0];
        let args = [Value::Var(x), Value::Const(Const::Int(1))];
        assert_eq!(fold_values(&p, Opcode::IntAdd, &Aux::None, &args), None);
        let args = [Value::Const(Const::Int(2)), Value::Const(Const::Int(1))];
        assert_eq!(fold_values(&p, Opcode::IntAdd, &Aux::None, &args), Some(Ok(Const::Int(3))));
    }

    /// Obj(tag) mutable <- Frozen(value) immutable <- Deeper(more) immutable; Box(item)
    /// immutable; prebuilt instances, a string and arrays.
    struct Heap {
        p: Program,
        obj: HeapTypeIdx,
        frozen: HeapTypeIdx,
        boxed: HeapTypeIdx,
        ints: HeapTypeIdx,
        frozen_ints: HeapTypeIdx,
        deeper_pb: PrebuiltIdx,
        box_pb: PrebuiltIdx,
        hello: PrebuiltIdx,
        table: PrebuiltIdx,
        frozen_table: PrebuiltIdx,
    }

    fn heap() -> Heap {
        let mut p = Program::default();
        let t = &mut p.types;
        let field = |name: &str, ty| Field { name: name.into(), ty };
        let obj = t.declare_struct("Obj", false).unwrap();
        let frozen = t.declare_struct("Frozen", true).unwrap();
        let deeper = t.declare_struct("Deeper", true).unwrap();
        let boxed = t.declare_struct("Box", true).unwrap();
        t.set_fields(obj, None, vec![field("tag", Ty::Int)]);
        t.set_fields(frozen, Some(obj), vec![field("value", Ty::Int)]);
        t.set_fields(deeper, Some(frozen), vec![field("more", Ty::Ref(obj))]);
        t.set_fields(boxed, None, vec![field("item", Ty::Ref(obj))]);
        let ints = t.array(Ty::Int, false);
        let frozen_ints = t.array(Ty::Int, true);
        let hello = p.intern_str("hello");
        let deeper_pb = p.prebuilt.push(Prebuilt::Struct(
            deeper,
            vec![Const::Int(1), Const::Int(2), Const::Null(deeper)],
        ));
        let box_pb = p.prebuilt.push(Prebuilt::Struct(boxed, vec![Const::Null(frozen)]));
        let table = p.prebuilt.push(Prebuilt::Array(ints, vec![Const::Int(10), Const::Int(20)]));
        let frozen_table = p.prebuilt.push(Prebuilt::Array(frozen_ints, vec![Const::Int(30)]));
        Heap {
            p,
            obj,
            frozen,
            boxed,
            ints,
            frozen_ints,
            deeper_pb,
            box_pb,
            hello,
            table,
            frozen_table,
        }
    }

    #[test]
    fn prebuilt_reads_only_what_cannot_change() {
        let h = heap();
        let f = |op, aux, args: &[Const]| fold(&h.p, op, &aux, args);
        let pb = Const::Prebuilt;
        // The inherited `tag` is declared by the mutable Obj: not frozen, even in a Deeper.
        assert_eq!(f(Opcode::GetField, Aux::Field(h.frozen, 0), &[pb(h.deeper_pb)]), None);
        assert_eq!(
            f(Opcode::GetField, Aux::Field(h.frozen, 1), &[pb(h.deeper_pb)]),
            Some(Ok(Const::Int(2)))
        );
        // A null read from a field comes back with the field's type.
        assert_eq!(
            f(Opcode::GetField, Aux::Field(h.boxed, 0), &[pb(h.box_pb)]),
            Some(Ok(Const::Null(h.obj)))
        );
        let s = Aux::Array(TypeTable::STR);
        assert_eq!(
            f(Opcode::GetArrayItem, s.clone(), &[pb(h.hello), Const::Int(1)]),
            Some(Ok(Const::Char('e')))
        );
        assert_eq!(f(Opcode::ArrayLen, Aux::None, &[pb(h.hello)]), Some(Ok(Const::Int(5))));
        let oob = f(Opcode::GetArrayItem, s, &[pb(h.hello), Const::Int(-1)]).unwrap().unwrap_err();
        assert_eq!(oob.message, "index -1 out of bounds for length 5");
        // Mutable arrays: the length and the bounds are fixed, the items are not.
        let ints = Aux::Array(h.ints);
        assert_eq!(f(Opcode::ArrayLen, Aux::None, &[pb(h.table)]), Some(Ok(Const::Int(2))));
        assert_eq!(f(Opcode::GetArrayItem, ints.clone(), &[pb(h.table), Const::Int(0)]), None);
        let oob =
            f(Opcode::GetArrayItem, ints, &[pb(h.table), Const::Int(2)]).unwrap().unwrap_err();
        assert_eq!(oob.kind, K::IndexOutOfBounds);
        assert_eq!(
            f(
                Opcode::GetArrayItem,
                Aux::Array(h.frozen_ints),
                &[pb(h.frozen_table), Const::Int(0)]
            ),
            Some(Ok(Const::Int(30)))
        );
    }

    #[test]
    fn nulls_fail_as_in_the_interpreter() {
        let h = heap();
        let f = |op, aux, args: &[Const]| fold(&h.p, op, &aux, args).unwrap().unwrap_err();
        let null = Const::Null(h.frozen);
        let e = f(Opcode::GetField, Aux::Field(h.frozen, 1), &[null]);
        assert_eq!(e.kind, K::NullDereference);
        assert_eq!(e.message, "null dereference: reading field `value` of a null `Frozen`");
        let e = f(Opcode::GetArrayItem, Aux::Array(h.ints), &[Const::Null(h.ints), Const::Int(0)]);
        assert_eq!(e.message, "null dereference: reading an item of a null `array[int]`");
        let e = f(Opcode::ArrayLen, Aux::None, &[Const::Null(TypeTable::STR)]);
        assert_eq!(e.message, "null dereference: length of a null array");
        let e = f(Opcode::TypeOf, Aux::None, &[null]);
        assert_eq!(e.message, "null dereference: type of a null pointer");
    }

    #[test]
    fn types_casts_and_identity() {
        let h = heap();
        let f = |op, aux, args: &[Const]| fold(&h.p, op, &aux, args);
        let deeper = Const::Prebuilt(h.deeper_pb);
        let layout = Layout::compute(&h.p.types);
        let tag = layout.tag(h.p.prebuilt[h.deeper_pb].heap_type()) as i64;
        assert_eq!(f(Opcode::TypeOf, Aux::None, &[deeper]), Some(Ok(Const::Int(tag))));
        let is = |t, c| f(Opcode::InstanceOf, Aux::Type(t), &[c]);
        assert_eq!(is(h.obj, deeper), Some(Ok(Const::Bool(true))));
        assert_eq!(is(h.boxed, deeper), Some(Ok(Const::Bool(false))));
        assert_eq!(is(h.obj, Const::Null(h.obj)), Some(Ok(Const::Bool(false))));
        assert_eq!(f(Opcode::Cast, Aux::Type(h.frozen), &[deeper]), Some(Ok(deeper)));
        assert_eq!(
            f(Opcode::Cast, Aux::Type(h.frozen), &[Const::Null(h.obj)]),
            Some(Ok(Const::Null(h.frozen)))
        );
        let e = f(Opcode::Cast, Aux::Type(h.boxed), &[deeper]).unwrap().unwrap_err();
        assert_eq!((e.kind, e.message.as_str()), (K::BadCast, "cannot cast a `Deeper` to `Box`"));
        let eq = |a, b| f(Opcode::PtrEq, Aux::None, &[a, b]);
        assert_eq!(eq(deeper, deeper), Some(Ok(Const::Bool(true))));
        assert_eq!(eq(deeper, Const::Prebuilt(h.box_pb)), Some(Ok(Const::Bool(false))));
        assert_eq!(eq(Const::Null(h.obj), Const::Null(h.frozen)), Some(Ok(Const::Bool(true))));
        assert_eq!(f(Opcode::PtrIsNull, Aux::None, &[deeper]), Some(Ok(Const::Bool(false))));
        assert_eq!(
            f(Opcode::PtrNonNull, Aux::None, &[Const::Null(h.obj)]),
            Some(Ok(Const::Bool(false)))
        );
        // A run-time object's address (a promoted value, an elidable call's result).
        let run_time = Const::Ptr(0x7f00_0000_1000, h.obj);
        assert_eq!(f(Opcode::PtrIsNull, Aux::None, &[run_time]), Some(Ok(Const::Bool(false))));
        assert_eq!(f(Opcode::PtrNonNull, Aux::None, &[run_time]), Some(Ok(Const::Bool(true))));
    }

    #[test]
    fn every_foldable_opcode_is_claimed() {
        let folding: Vec<Opcode> = Opcode::ALL.iter().copied().filter(|&op| may_fold(op)).collect();
        for op in [Opcode::Malloc, Opcode::SetField, Opcode::Call, Opcode::Hint] {
            assert!(!folding.contains(&op), "{op}");
        }
        assert!(folding.contains(&Opcode::GetField) && folding.contains(&Opcode::SameAs));
    }
}
