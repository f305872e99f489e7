//! Run-time values: what every execution mode takes and returns, and their two other forms,
//! the word a register or a heap slot holds and the IR constant that denotes the value.
//!
//! Invariants and vocabulary:
//! - A *word* is a value's 64-bit encoding in registers and heap slots: ints and chars as
//!   their bits, floats as their IEEE bits, bools as 0 or 1, pointers as their address (null
//!   is 0). A *function word* is mode-specific (the IR interpreter stores a graph's index + 1,
//!   compiled code the function's address), so every conversion of a function pointer takes
//!   the mode's encoding as an argument.
//! - A null function pointer is `RtValue::Ref(null)` (it is read from zeroed memory, where no
//!   graph is known), never an `RtValue::Func`.
//! - [`RtValue::from_const`] and [`RtValue::to_const`] are the one conversion between the IR's
//!   constants and run-time values; `to_const` types pointers by the IR type asked for.

use super::heap;
use crate::ir::{Const, GraphIdx, PrebuiltIdx};
use crate::types::{Ty, TypeTable};
use cranelift_entity::EntityRef;

/// A value passed to or returned from an execution mode. A `Ref` keeps its object alive only
/// while it sits where the collector looks (a registered thread's stack, GC memory, a
/// [`crate::gc::RootBuf`]): the interpreters pin the objects they allocate for their callers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RtValue {
    /// No value (void results).
    Void,
    /// An `int`.
    Int(i64),
    /// A `float`.
    Float(f64),
    /// A `bool`.
    Bool(bool),
    /// A `char` (a Unicode scalar value).
    Char(char),
    /// A GC pointer (null allowed); also a null function pointer read from a zeroed field.
    Ref(*mut u8),
    /// A function pointer.
    Func(GraphIdx),
}

impl RtValue {
    /// Reads the command-line arguments `args` as values of the types `params` (one each, in
    /// order) with [`RtValue::parse_arg`]; strings are allocated by `alloc_str`.
    pub fn parse_args<S: AsRef<str>>(
        types: &TypeTable,
        params: &[Ty],
        args: &[S],
        mut alloc_str: impl FnMut(&str) -> RtValue,
    ) -> Result<Vec<RtValue>, String> {
        let mut values = Vec::new();
        for (i, (ty, a)) in params.iter().zip(args).enumerate() {
            values.push(RtValue::parse_arg(types, *ty, a.as_ref(), i, &mut alloc_str)?);
        }
        Ok(values)
    }

    /// Reads command-line argument number `i` (0-based) as a value of type `ty`: ints,
    /// floats, `True`/`False`, one char, or a string (allocated by `alloc_str`). The error
    /// names the argument and the type expected.
    pub fn parse_arg(
        types: &TypeTable,
        ty: Ty,
        text: &str,
        i: usize,
        alloc_str: impl FnOnce(&str) -> RtValue,
    ) -> Result<RtValue, String> {
        let bad =
            || format!("error: argument {} ('{text}') is not a valid {}", i + 1, types.display(ty));
        Ok(match ty {
            Ty::Int => RtValue::Int(text.parse().map_err(|_| bad())?),
            Ty::Float => RtValue::Float(text.parse().map_err(|_| bad())?),
            Ty::Bool => match text {
                "True" | "true" => RtValue::Bool(true),
                "False" | "false" => RtValue::Bool(false),
                _ => return Err(bad()),
            },
            Ty::Char if text.chars().count() == 1 => {
                RtValue::Char(text.chars().next().ok_or_else(bad)?)
            }
            Ty::Ref(t) if t == TypeTable::STR => alloc_str(text),
            _ => return Err(bad()),
        })
    }

    /// The value as the command lines print a function's result: ints and floats as Python
    /// prints them, `True`/`False`, `'c'`, a string's text, `None` for void and null.
    pub fn to_text(self) -> String {
        match self {
            RtValue::Void => "None".into(),
            RtValue::Int(i) => i.to_string(),
            RtValue::Float(f) => crate::externs::float_repr(f),
            RtValue::Bool(b) => if b { "True" } else { "False" }.into(),
            RtValue::Char(c) => format!("'{}'", c.escape_default()),
            v @ RtValue::Ref(p) => match heap::str_text(v) {
                Some(text) => text,
                None if p.is_null() => "None".into(),
                None => format!("<object at {p:p}>"),
            },
            RtValue::Func(g) => format!("<function {g}>"),
        }
    }

    /// The int, if this is one.
    pub fn as_int(self) -> Option<i64> {
        match self {
            RtValue::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The float, if this is one.
    pub fn as_float(self) -> Option<f64> {
        match self {
            RtValue::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The bool, if this is one.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            RtValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The pointer, if this is one.
    pub fn as_ref(self) -> Option<*mut u8> {
        match self {
            RtValue::Ref(p) => Some(p),
            _ => None,
        }
    }

    /// Whether this value can have type `ty` (a null `Ref` is not a function pointer here:
    /// callers accepting one say so).
    pub fn fits(self, ty: Ty) -> bool {
        matches!(
            (self, ty),
            (RtValue::Void, Ty::Void)
                | (RtValue::Int(_), Ty::Int)
                | (RtValue::Float(_), Ty::Float)
                | (RtValue::Bool(_), Ty::Bool)
                | (RtValue::Char(_), Ty::Char)
                | (RtValue::Ref(_), Ty::Ref(_))
                | (RtValue::Func(_), Ty::Func(_))
        )
    }

    /// The word constant `c` denotes, the program's prebuilt objects at the addresses
    /// `prebuilt` (by index) and function pointers encoded by `func_word`.
    pub fn const_word(c: Const, prebuilt: &[u64], func_word: impl FnOnce(GraphIdx) -> u64) -> u64 {
        let object = |p: PrebuiltIdx| RtValue::Ref(prebuilt[p.index()] as usize as *mut u8);
        RtValue::from_const(c, object).to_word(func_word)
    }

    /// The word of this value; `func_word` encodes a function pointer as the mode stores it.
    pub fn to_word(self, func_word: impl FnOnce(GraphIdx) -> u64) -> u64 {
        match self {
            RtValue::Void => 0,
            RtValue::Int(i) => i as u64,
            RtValue::Float(f) => f.to_bits(),
            RtValue::Bool(b) => b as u64,
            RtValue::Char(c) => u64::from(c),
            RtValue::Ref(p) => p as usize as u64,
            RtValue::Func(g) => func_word(g),
        }
    }

    /// The value of type `ty` encoded by `w`; `graph_of` decodes a non-null function word as
    /// the mode stores it (`None`: no graph has that word, and no value results).
    pub fn from_word(
        w: u64,
        ty: Ty,
        graph_of: impl FnOnce(u64) -> Option<GraphIdx>,
    ) -> Option<RtValue> {
        match ty {
            Ty::Func(_) if w != 0 => graph_of(w).map(RtValue::Func),
            _ => RtValue::from_data_word(w, ty),
        }
    }

    /// The value of type `ty` encoded by `w`, for every type whose words mean the same in
    /// every mode: `None` for a non-null function pointer.
    pub fn from_data_word(w: u64, ty: Ty) -> Option<RtValue> {
        Some(match ty {
            Ty::Void => RtValue::Void,
            Ty::Int => RtValue::Int(w as i64),
            Ty::Float => RtValue::Float(f64::from_bits(w)),
            Ty::Bool => RtValue::Bool(w != 0),
            Ty::Char => RtValue::Char(char::from_u32(u32::try_from(w).ok()?)?),
            Ty::Ref(_) => RtValue::Ref(w as usize as *mut u8),
            Ty::Func(_) if w == 0 => RtValue::Ref(std::ptr::null_mut()),
            Ty::Func(_) => return None,
        })
    }

    /// The run-time value constant `c` denotes; `prebuilt` gives a prebuilt object's address
    /// in the running mode.
    pub fn from_const(c: Const, prebuilt: impl FnOnce(PrebuiltIdx) -> RtValue) -> RtValue {
        match c {
            Const::Int(i) => RtValue::Int(i),
            Const::Float(bits) => RtValue::Float(f64::from_bits(bits)),
            Const::Bool(b) => RtValue::Bool(b),
            Const::Char(ch) => RtValue::Char(ch),
            Const::Null(_) => RtValue::Ref(std::ptr::null_mut()),
            Const::Prebuilt(p) => prebuilt(p),
            Const::Func(g) => RtValue::Func(g),
            Const::Ptr(addr, _) => RtValue::Ref(addr as usize as *mut u8),
        }
    }

    /// The constant denoting this value as a value of type `ty` (which types pointers: a
    /// null becomes `Const::Null(t)`, an object `Const::Ptr(address, t)`); `None` for void,
    /// for a null function pointer (no constant denotes one) and for a pointer asked as
    /// another type than a heap type.
    pub fn to_const(self, ty: Ty) -> Option<Const> {
        Some(match (self, ty) {
            (RtValue::Int(i), _) => Const::Int(i),
            (RtValue::Float(f), _) => Const::float(f),
            (RtValue::Bool(b), _) => Const::Bool(b),
            (RtValue::Char(c), _) => Const::Char(c),
            (RtValue::Func(g), _) => Const::Func(g),
            (RtValue::Ref(p), Ty::Ref(t)) if p.is_null() => Const::Null(t),
            (RtValue::Ref(p), Ty::Ref(t)) => Const::Ptr(p as u64, t),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cranelift_entity::EntityRef;

    #[test]
    fn constants_round_trip() {
        let mut types = TypeTable::new();
        let ints = types.array(Ty::Int, false);
        let g = GraphIdx::new(3);
        for (c, ty) in [
            (Const::Int(-7), Ty::Int),
            (Const::float(-0.5), Ty::Float),
            (Const::Bool(true), Ty::Bool),
            (Const::Char('x'), Ty::Char),
            (Const::Char('\u{1F600}'), Ty::Char),
            (Const::Null(ints), Ty::Ref(ints)),
            (Const::Ptr(0x1000, ints), Ty::Ref(ints)),
            (Const::Func(g), Ty::Int),
        ] {
            let v = RtValue::from_const(c, |_| unreachable!());
            assert_eq!(v.to_const(ty), Some(c), "{c:?}");
        }
        let pb = RtValue::from_const(Const::Prebuilt(PrebuiltIdx::new(0)), |_| {
            RtValue::Ref(0x2000 as *mut u8)
        });
        assert_eq!(pb.to_const(Ty::Ref(ints)), Some(Const::Ptr(0x2000, ints)));
        assert_eq!(RtValue::Void.to_const(Ty::Void), None);
        assert_eq!(RtValue::Ref(std::ptr::null_mut()).to_const(Ty::Int), None);
    }

    #[test]
    fn words_round_trip() {
        let g = GraphIdx::new(5);
        let mut types = TypeTable::new();
        let sig = types.sig(vec![], Ty::Int);
        let func = Ty::Func(sig);
        let word = |v: RtValue| v.to_word(|g| g.index() as u64 + 1);
        let back = |w, ty| RtValue::from_word(w, ty, |w| Some(GraphIdx::new(w as usize - 1)));
        for (v, ty) in [
            (RtValue::Int(-1), Ty::Int),
            (RtValue::Float(1.5), Ty::Float),
            (RtValue::Bool(true), Ty::Bool),
            (RtValue::Char('\u{c8}'), Ty::Char),
            (RtValue::Char('\u{10FFFF}'), Ty::Char),
            (RtValue::Func(g), func),
        ] {
            assert_eq!(back(word(v), ty), Some(v));
        }
        // A word that is no Unicode scalar value is no char.
        assert_eq!(RtValue::from_data_word(0xD800, Ty::Char), None);
        assert_eq!(RtValue::from_data_word(0x110000, Ty::Char), None);
        assert_eq!(back(0, func), Some(RtValue::Ref(std::ptr::null_mut())));
        assert_eq!(RtValue::from_data_word(6, func), None);
        assert_eq!(RtValue::from_data_word(0, Ty::Void), Some(RtValue::Void));
    }
}
