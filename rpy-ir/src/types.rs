//! Low-level types of the IR (PyPy's lltype, simplified) and the type table.
//!
//! Invariants:
//! - Scalar types (`Int`, `Float`, `Bool`, `Char`, `Void`) are plain values; every other value
//!   is a GC pointer to a heap object described by a [`HeapType`], or a function pointer
//!   described by a [`Sig`]. Pointers may be null; null is a constant of the pointer's type.
//! - A struct lists *all* its fields, inherited ones first (the parent is a prefix), so a
//!   field index is the same in the struct and in every subtype: upcasts are free.
//! - Array types are interned: one [`HeapTypeIdx`] per (element type, immutability).
//!   `str` is the immutable array of `char` and is always [`TypeTable::STR`].
//! - Signatures are interned too: equal signatures have the same [`SigIdx`].

use cranelift_entity::{EntityRef, PrimaryMap};
use indexmap::IndexSet;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

crate::entity! {
    /// A heap type (struct or array) in a [`TypeTable`].
    HeapTypeIdx, "ht"
}

crate::entity! {
    /// A function signature in a [`TypeTable`].
    SigIdx, "sig"
}

/// The type of an IR value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// No value (the result type of procedures).
    Void,
    /// `true`/`false`.
    Bool,
    /// A byte (strings are arrays of chars).
    Char,
    /// 64-bit two's complement integer with wrapping arithmetic.
    Int,
    /// IEEE double.
    Float,
    /// A GC pointer to a struct or array.
    Ref(HeapTypeIdx),
    /// A pointer to a function with this signature.
    Func(SigIdx),
}

impl Ty {
    /// Whether values of this type are GC pointers.
    pub fn is_ref(self) -> bool {
        matches!(self, Ty::Ref(_))
    }
}

/// One field of a struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// The field's type.
    pub ty: Ty,
}

/// A struct type: named fields, optional parent (embedded as prefix), immutability.
#[derive(Clone, Debug, PartialEq)]
pub struct StructDef {
    /// The struct's name, unique in the program.
    pub name: String,
    /// The parent struct, whose fields are this struct's first fields.
    pub parent: Option<HeapTypeIdx>,
    /// All fields, inherited first.
    pub fields: Vec<Field>,
    /// Index of the first field declared by this struct itself (the rest are inherited).
    pub own_start: usize,
    /// Fields never change after allocation (reads through a green pointer are green).
    pub immutable: bool,
}

impl StructDef {
    /// Index of the field called `name`, if any.
    pub fn field_index(&self, name: &str) -> Option<u32> {
        self.fields.iter().position(|f| f.name == name).map(|i| i as u32)
    }
}

/// An array type: a length header and items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArrayDef {
    /// The item type.
    pub elem: Ty,
    /// Items never change after allocation (strings).
    pub immutable: bool,
}

/// A struct or array type.
#[derive(Clone, Debug, PartialEq)]
pub enum HeapType {
    /// A struct.
    Struct(StructDef),
    /// An array.
    Array(ArrayDef),
}

/// A function signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sig {
    /// Parameter types.
    pub params: Vec<Ty>,
    /// Result type (`Void` for none).
    pub ret: Ty,
}

/// All the heap types and signatures of a program.
#[derive(Clone, Debug)]
pub struct TypeTable {
    heap: PrimaryMap<HeapTypeIdx, HeapType>,
    sigs: IndexSet<Sig>,
    arrays: HashMap<ArrayDef, HeapTypeIdx>,
    structs: HashMap<String, HeapTypeIdx>,
    /// Virtualizable structs and what they virtualize ([`crate::virtualizable`]).
    pub(crate) virtualizables: BTreeMap<HeapTypeIdx, crate::virtualizable::VirtualizableDef>,
    /// Quasi-immutable fields, as (declaring struct, field index): see
    /// [`TypeTable::field_is_quasi_immutable`].
    quasi: std::collections::BTreeSet<(HeapTypeIdx, u32)>,
}

impl Default for TypeTable {
    fn default() -> Self {
        TypeTable::new()
    }
}

impl TypeTable {
    /// `str`, the immutable array of `char`, present in every table at this index.
    pub const STR: HeapTypeIdx = HeapTypeIdx(0);

    /// A table holding only `str`.
    pub fn new() -> TypeTable {
        let mut t = TypeTable {
            heap: PrimaryMap::new(),
            sigs: IndexSet::new(),
            arrays: HashMap::new(),
            structs: HashMap::new(),
            virtualizables: BTreeMap::new(),
            quasi: std::collections::BTreeSet::new(),
        };
        let s = t.array(Ty::Char, true);
        debug_assert_eq!(s, TypeTable::STR);
        t
    }

    /// Declares a struct with no fields yet; fields are added with [`TypeTable::set_fields`]
    /// once every struct name is known (fields may refer to later structs).
    /// Returns `None` if the name is taken.
    pub fn declare_struct(&mut self, name: &str, immutable: bool) -> Option<HeapTypeIdx> {
        if self.structs.contains_key(name) {
            return None;
        }
        let idx = self.heap.push(HeapType::Struct(StructDef {
            name: name.to_string(),
            parent: None,
            fields: Vec::new(),
            own_start: 0,
            immutable,
        }));
        self.structs.insert(name.to_string(), idx);
        Some(idx)
    }

    /// Sets a declared struct's parent and own fields; the parent's fields must be final.
    pub fn set_fields(&mut self, s: HeapTypeIdx, parent: Option<HeapTypeIdx>, own: Vec<Field>) {
        let mut fields = match parent {
            Some(p) => self.struct_def(p).fields.clone(),
            None => Vec::new(),
        };
        let own_start = fields.len();
        fields.extend(own);
        if let HeapType::Struct(def) = &mut self.heap[s] {
            def.parent = parent;
            def.fields = fields;
            def.own_start = own_start;
        }
    }

    /// Marks field `idx` (one of the struct's own fields) of struct `s` quasi-immutable: it
    /// may change, but rarely. The JIT reads it as a constant on constant objects and every
    /// write goes through the invalidation hook (`rpy_ir::runtime::quasi`), which discards the
    /// compiled code that relied on the old value.
    pub fn set_quasi_immutable(&mut self, s: HeapTypeIdx, idx: u32) {
        self.quasi.insert((s, idx));
    }

    /// Whether field `idx` of struct `st` (or of the ancestor declaring it) is
    /// quasi-immutable.
    pub fn field_is_quasi_immutable(&self, st: HeapTypeIdx, idx: u32) -> bool {
        !self.quasi.is_empty() && self.quasi.contains(&(self.declaring_struct(st, idx), idx))
    }

    /// Whether any field of the program is quasi-immutable.
    pub fn has_quasi_immutable_fields(&self) -> bool {
        !self.quasi.is_empty()
    }

    /// The struct called `name`.
    pub fn struct_by_name(&self, name: &str) -> Option<HeapTypeIdx> {
        self.structs.get(name).copied()
    }

    /// The interned array type of `elem` items.
    pub fn array(&mut self, elem: Ty, immutable: bool) -> HeapTypeIdx {
        let def = ArrayDef { elem, immutable };
        if let Some(&i) = self.arrays.get(&def) {
            return i;
        }
        let i = self.heap.push(HeapType::Array(def));
        self.arrays.insert(def, i);
        i
    }

    /// The array type of `elem` items if this table has it (nothing is interned).
    pub fn find_array(&self, elem: Ty, immutable: bool) -> Option<HeapTypeIdx> {
        self.arrays.get(&ArrayDef { elem, immutable }).copied()
    }

    /// The interned signature.
    pub fn sig(&mut self, params: Vec<Ty>, ret: Ty) -> SigIdx {
        SigIdx::new(self.sigs.insert_full(Sig { params, ret }).0)
    }

    /// The index of `sig` if it is interned.
    pub fn sig_index(&self, sig: &Sig) -> Option<SigIdx> {
        self.sigs.get_index_of(sig).map(SigIdx::new)
    }

    /// A heap type.
    pub fn heap(&self, t: HeapTypeIdx) -> &HeapType {
        &self.heap[t]
    }

    /// All heap types, in index order.
    pub fn heap_types(&self) -> impl Iterator<Item = (HeapTypeIdx, &HeapType)> {
        self.heap.iter()
    }

    /// All signatures, in index order.
    pub fn sigs(&self) -> impl Iterator<Item = (SigIdx, &Sig)> {
        self.sigs.iter().enumerate().map(|(i, s)| (SigIdx::new(i), s))
    }

    /// A signature.
    pub fn signature(&self, s: SigIdx) -> &Sig {
        &self.sigs[s.index()]
    }

    /// The struct definition of `t`. Panics if `t` is an array: callers check first.
    pub fn struct_def(&self, t: HeapTypeIdx) -> &StructDef {
        match &self.heap[t] {
            HeapType::Struct(s) => s,
            HeapType::Array(_) => panic!("{t} is not a struct"),
        }
    }

    /// The struct definition of `t`, if it is a struct.
    pub fn as_struct(&self, t: HeapTypeIdx) -> Option<&StructDef> {
        match &self.heap[t] {
            HeapType::Struct(s) => Some(s),
            HeapType::Array(_) => None,
        }
    }

    /// The array definition of `t`, if it is an array.
    pub fn as_array(&self, t: HeapTypeIdx) -> Option<ArrayDef> {
        match &self.heap[t] {
            HeapType::Array(a) => Some(*a),
            HeapType::Struct(_) => None,
        }
    }

    /// Whether field `idx` of struct `st` can never change after allocation: the struct that
    /// declares it is immutable (then so are all its subtypes, which the front end enforces).
    /// An immutable struct may inherit mutable fields from a mutable parent.
    pub fn field_is_immutable(&self, st: HeapTypeIdx, idx: u32) -> bool {
        self.as_struct(self.declaring_struct(st, idx)).is_some_and(|d| d.immutable)
    }

    /// The struct that declares field `idx` of struct `st`: `st` or the ancestor the field is
    /// inherited from (a subtype's fields start with its parent's).
    pub fn declaring_struct(&self, st: HeapTypeIdx, idx: u32) -> HeapTypeIdx {
        let mut cur = st;
        while let Some(p) = self.as_struct(cur).and_then(|d| d.parent) {
            if self.struct_def(p).fields.len() as u32 > idx {
                cur = p;
            } else {
                break;
            }
        }
        cur
    }

    /// Whether `sub` is `sup` or inherits from it (structs; arrays only equal themselves).
    pub fn is_subtype(&self, sub: HeapTypeIdx, sup: HeapTypeIdx) -> bool {
        let mut t = Some(sub);
        while let Some(cur) = t {
            if cur == sup {
                return true;
            }
            t = self.as_struct(cur).and_then(|s| s.parent);
        }
        false
    }

    /// Whether a value of type `from` may be used where `to` is expected (equal types, or an
    /// upcast from a struct to one of its ancestors).
    pub fn assignable(&self, from: Ty, to: Ty) -> bool {
        match (from, to) {
            (Ty::Ref(a), Ty::Ref(b)) => self.is_subtype(a, b),
            _ => from == to,
        }
    }

    /// A displayable form of a type, in RPy syntax (`int`, `IntObj`, `array[int]`, `str`).
    pub fn display(&self, ty: Ty) -> TyDisplay<'_> {
        TyDisplay { table: self, ty }
    }
}

/// Displays a [`Ty`] with struct names resolved: see [`TypeTable::display`].
pub struct TyDisplay<'a> {
    table: &'a TypeTable,
    ty: Ty,
}

impl fmt::Display for TyDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ty {
            Ty::Void => f.write_str("void"),
            Ty::Bool => f.write_str("bool"),
            Ty::Char => f.write_str("char"),
            Ty::Int => f.write_str("int"),
            Ty::Float => f.write_str("float"),
            Ty::Ref(t) => match self.table.heap(t) {
                HeapType::Struct(s) => f.write_str(&s.name),
                HeapType::Array(_) if t == TypeTable::STR => f.write_str("str"),
                HeapType::Array(a) => {
                    let kw = if a.immutable { "frozen" } else { "array" };
                    write!(f, "{kw}[{}]", self.table.display(a.elem))
                }
            },
            Ty::Func(s) => {
                let sig = self.table.signature(s);
                f.write_str("fn(")?;
                for (i, p) in sig.params.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", self.table.display(*p))?;
                }
                write!(f, ") -> {}", self.table.display(sig.ret))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inheritance_prefixes_fields() {
        let mut t = TypeTable::new();
        let obj = t.declare_struct("Obj", false).unwrap();
        let int = t.declare_struct("IntObj", true).unwrap();
        t.set_fields(obj, None, vec![Field { name: "tag".into(), ty: Ty::Int }]);
        t.set_fields(int, Some(obj), vec![Field { name: "value".into(), ty: Ty::Int }]);
        let d = t.struct_def(int);
        assert_eq!(d.field_index("tag"), Some(0));
        assert_eq!(d.field_index("value"), Some(1));
        assert_eq!(d.own_start, 1);
        assert!(t.is_subtype(int, obj));
        assert!(!t.is_subtype(obj, int));
        assert!(t.declare_struct("Obj", false).is_none());
    }

    #[test]
    fn inherited_mutable_fields_stay_mutable() {
        let mut t = TypeTable::new();
        let obj = t.declare_struct("Obj", false).unwrap();
        let int = t.declare_struct("IntObj", true).unwrap();
        t.set_fields(obj, None, vec![Field { name: "tag".into(), ty: Ty::Int }]);
        t.set_fields(int, Some(obj), vec![Field { name: "value".into(), ty: Ty::Int }]);
        assert!(!t.field_is_immutable(int, 0), "tag is declared by the mutable Obj");
        assert!(t.field_is_immutable(int, 1));
        assert!(!t.field_is_immutable(obj, 0));
    }

    #[test]
    fn arrays_and_sigs_are_interned() {
        let mut t = TypeTable::new();
        assert_eq!(t.array(Ty::Char, true), TypeTable::STR);
        let a = t.array(Ty::Int, false);
        assert_eq!(t.array(Ty::Int, false), a);
        assert_eq!(format!("{}", t.display(Ty::Ref(a))), "array[int]");
        let s = t.sig(vec![Ty::Int], Ty::Bool);
        assert_eq!(t.sig(vec![Ty::Int], Ty::Bool), s);
        assert_eq!(format!("{}", t.display(Ty::Func(s))), "fn(int) -> bool");
    }
}
