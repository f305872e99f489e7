//! Object access: allocating heap objects, reading and writing their fields and array items
//! by the layout ([`crate::layout`]), strings, and the prebuilt objects of a program. Every
//! execution mode and every crate that touches run-time objects from Rust goes through here, so
//! no Rust code outside rpy-ir reads or writes an object by offset (the LLVM lowering emits
//! the offsets into compiled code, from [`crate::layout`]).
//!
//! Invariants:
//! - Every heap object is a block of the collector's heap and starts at the block's start
//!   ([`crate::gc`]).
//! - The safe accessors check before touching memory that the pointer starts such a block
//!   ([`Object::at`]), that its header holds a tag of the layout, that the object's type is
//!   the one the access assumes, and that the bytes accessed lie inside the object (an array's
//!   index below its length) and inside the block. So no safe accessor touches memory outside
//!   the collector's heap, whatever pointer it is given.
//! - What they cannot check is that the object is still alive: a block whose object was
//!   collected may hold another object since. Callers hold the pointers they pass where the
//!   collector scans (an [`RtValue`] in a local of a registered thread is such a place), so
//!   the object they name is the one they meant.
//! - Safe writes keep the heap well-formed for the unchecked readers (the IR interpreter,
//!   compiled code): a pointer is stored only if it is null or an object whose type fits the
//!   slot's, a scalar only into a slot of its type, a function pointer never (its word is
//!   mode-specific: [`crate::llinterp::Interp`] and the backends store their own).
//! - Allocation returns zeroed objects with the header (and an array's length) set.

use super::value::RtValue;
use crate::externs::StrPtr;
use crate::gc::{self, RootBuf};
use crate::ir::{Aux, Const, GraphIdx, Prebuilt, Program};
use crate::layout::{
    Layout, ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET, CHAR_SIZE, HEADER_SIZE, INVALID_TAG,
    SLOT_SIZE, STR_TAG,
};
use crate::ops::Opcode;
use crate::types::{HeapTypeIdx, Ty, TypeTable};
use cranelift_entity::EntityRef;
use std::ptr::NonNull;

/// Why a checked access was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    /// The pointer is null, or no object of the collector's heap starts there.
    #[error("not an object of the heap")]
    NotAnObject,
    /// The object is not of the type the access assumes (or the type has no such field).
    #[error("the object is not of the type accessed")]
    WrongType,
    /// The index is negative or not below the array's length.
    #[error("index {index} out of bounds for length {len}")]
    OutOfBounds {
        /// The index asked for.
        index: i64,
        /// The array's length.
        len: i64,
    },
    /// The value cannot be stored in the slot: of another type, a pointer to no object or to
    /// an object of another type, or a function pointer (stored by the modes themselves).
    #[error("the value does not fit the slot")]
    BadValue,
}

/// A checked pointer to one object of the collector's heap: it starts a block of the heap at
/// least a header long, and its header holds a tag (see the module's invariants).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Object {
    addr: NonNull<u8>,
    /// The size of the collector's block, in bytes: no access goes beyond it.
    block: usize,
    tag: u64,
}

impl Object {
    /// The object at `p`, if one of the collector's blocks starts there and holds a tag.
    pub fn at(p: *mut u8) -> Option<Object> {
        let addr = NonNull::new(p)?;
        let block = gc::block_size(p)?;
        if block < HEADER_SIZE {
            return None;
        }
        // SAFETY: `p` starts a block of the collector's heap of at least a header's size
        // (`block_size` says so for any address), so the header word is mapped and aligned.
        let tag = unsafe { (p as *const u64).read() };
        (tag != INVALID_TAG).then_some(Object { addr, block, tag })
    }

    /// The object `v` points to, if it is a pointer to one.
    pub fn of(v: RtValue) -> Option<Object> {
        match v {
            RtValue::Ref(p) => Object::at(p),
            _ => None,
        }
    }

    /// The object's address.
    pub fn as_ptr(self) -> *mut u8 {
        self.addr.as_ptr()
    }

    /// The type tag in the object's header.
    pub fn tag(self) -> u64 {
        self.tag
    }

    /// The object's type, if its tag is one of `layout`'s.
    pub fn heap_type(self, layout: &Layout) -> Option<HeapTypeIdx> {
        layout.heap_type_of_tag(self.tag)
    }

    /// Whether the object is an instance of `t` (the interpreter's tag-range test).
    pub fn is_instance(self, layout: &Layout, t: HeapTypeIdx) -> bool {
        let (lo, hi) = layout.tag_range(t);
        layout.knows(t) && (lo..=hi).contains(&self.tag)
    }

    /// The array's length, if the object is an array of `layout`.
    pub fn array_len(self, layout: &Layout) -> Option<i64> {
        let t = self.heap_type(layout)?;
        if !layout.is_array(t) || self.block < ARRAY_ITEMS_OFFSET {
            return None;
        }
        // SAFETY: the length word lies inside the object's block (checked just above).
        Some(unsafe { (self.as_ptr().add(ARRAY_LENGTH_OFFSET) as *const i64).read() })
    }
}

/// A field or an array item of an [`Object`], typed, checked to lie inside the object when
/// made ([`Heap::field`], [`Heap::item`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    obj: Object,
    offset: usize,
    /// 1 (`bool` and `char` items) or 8 bytes.
    size: usize,
    ty: Ty,
}

impl Slot {
    /// The slot at `offset` of `size` bytes, if it lies inside the object's block.
    fn inside(obj: Object, offset: usize, size: usize, ty: Ty) -> Option<Slot> {
        (offset.checked_add(size)? <= obj.block).then_some(Slot { obj, offset, size, ty })
    }

    /// The slot's address (a key for what a caller keeps aside instead of writing).
    pub fn address(self) -> usize {
        self.obj.as_ptr() as usize + self.offset
    }

    /// The type of the value the slot holds.
    pub fn ty(self) -> Ty {
        self.ty
    }

    /// The word the slot holds (a `bool` field: its low byte, a `char` field: its low four
    /// bytes, as compiled code writes only those).
    pub fn read_word(self) -> u64 {
        // SAFETY: the slot lies inside the object's block (checked when made) and is aligned
        // to its size (the layout's offsets are).
        let w = unsafe { read_word(self.obj.as_ptr(), self.offset, self.size) };
        match self.ty {
            Ty::Bool => w & 0xff,
            Ty::Char => w & 0xffff_ffff,
            _ => w,
        }
    }

    /// The value the slot holds; `None` for a function pointer (its word is mode-specific:
    /// decode [`Slot::read_word`] with [`RtValue::from_word`]).
    pub fn read(self) -> Option<RtValue> {
        match self.ty {
            Ty::Func(_) => None,
            ty => RtValue::from_data_word(self.read_word(), ty),
        }
    }

    /// Stores word `w` as it is.
    ///
    /// # Safety
    /// `w` is a word of the slot's type in the encoding of every mode that will read the
    /// object (a function pointer: the encoding of the one mode that owns the object).
    pub unsafe fn write_word_unchecked(self, w: u64) {
        write_word(self.obj.as_ptr(), self.offset, self.size, w)
    }

    /// Stores `v`, if it fits the slot (see the module's invariants on writes).
    pub fn write(self, layout: &Layout, v: RtValue) -> Result<(), AccessError> {
        let fits = match (v, self.ty) {
            (RtValue::Ref(p), Ty::Ref(_)) if p.is_null() => true,
            (RtValue::Ref(p), Ty::Ref(t)) => {
                Object::at(p).is_some_and(|o| o.is_instance(layout, t))
            }
            (RtValue::Func(_), _) => false,
            (v, ty) => v.fits(ty),
        };
        if !fits {
            return Err(AccessError::BadValue);
        }
        let w = v.to_word(|_| unreachable!("function pointers are refused above"));
        // SAFETY: the value fits the slot (checked above) and is no function pointer, so its
        // word means the same in every mode.
        unsafe { self.write_word_unchecked(w) };
        Ok(())
    }
}

/// The heap as one program's types and layout see it: checked access to its objects.
#[derive(Clone, Copy, Debug)]
pub struct Heap<'a> {
    layout: &'a Layout,
    types: &'a TypeTable,
}

impl<'a> Heap<'a> {
    /// The heap of the program whose types are `types`, laid out by `layout`.
    pub fn new(layout: &'a Layout, types: &'a TypeTable) -> Heap<'a> {
        Heap { layout, types }
    }

    /// Field `field` of `obj` read as struct type `t`, if `obj` is an instance of `t` and `t`
    /// has that field.
    pub fn field(&self, obj: Object, t: HeapTypeIdx, field: u32) -> Option<Slot> {
        let ty = self.types.as_struct(t)?.fields.get(field as usize)?.ty;
        if !obj.is_instance(self.layout, t) {
            return None;
        }
        Slot::inside(obj, self.layout.field_offset(t, field), SLOT_SIZE, ty)
    }

    /// Item `index` of `obj`, an array of type `t`, if it is one and the index is in bounds.
    pub fn item(&self, obj: Object, t: HeapTypeIdx, index: i64) -> Result<Slot, AccessError> {
        let elem = self.types.as_array(t).ok_or(AccessError::WrongType)?.elem;
        if obj.heap_type(self.layout) != Some(t) {
            return Err(AccessError::WrongType);
        }
        let len = obj.array_len(self.layout).ok_or(AccessError::WrongType)?;
        if !(0..len).contains(&index) {
            return Err(AccessError::OutOfBounds { index, len });
        }
        let (offset, size) = (self.layout.item_offset(t, index as usize), self.layout.item_size(t));
        Slot::inside(obj, offset, size, elem).ok_or(AccessError::OutOfBounds { index, len })
    }

    /// Reads field `field` of struct type `t` of the object `obj` points to.
    pub fn read_field(
        &self,
        obj: RtValue,
        t: HeapTypeIdx,
        field: u32,
    ) -> Result<RtValue, AccessError> {
        let o = Object::of(obj).ok_or(AccessError::NotAnObject)?;
        let slot = self.field(o, t, field).ok_or(AccessError::WrongType)?;
        slot.read().ok_or(AccessError::BadValue)
    }

    /// Writes `v` into field `field` of struct type `t` of the object `obj` points to.
    pub fn write_field(
        &self,
        obj: RtValue,
        t: HeapTypeIdx,
        field: u32,
        v: RtValue,
    ) -> Result<(), AccessError> {
        let o = Object::of(obj).ok_or(AccessError::NotAnObject)?;
        self.field(o, t, field).ok_or(AccessError::WrongType)?.write(self.layout, v)
    }

    /// Reads item `index` of the array of type `t` that `arr` points to.
    pub fn read_item(
        &self,
        arr: RtValue,
        t: HeapTypeIdx,
        index: i64,
    ) -> Result<RtValue, AccessError> {
        let o = Object::of(arr).ok_or(AccessError::NotAnObject)?;
        self.item(o, t, index)?.read().ok_or(AccessError::BadValue)
    }

    /// Writes `v` into item `index` of the array of type `t` that `arr` points to.
    pub fn write_item(
        &self,
        arr: RtValue,
        t: HeapTypeIdx,
        index: i64,
        v: RtValue,
    ) -> Result<(), AccessError> {
        let o = Object::of(arr).ok_or(AccessError::NotAnObject)?;
        self.item(o, t, index)?.write(self.layout, v)
    }

    /// The length of the array `arr` points to.
    pub fn array_len(&self, arr: RtValue) -> Result<i64, AccessError> {
        let o = Object::of(arr).ok_or(AccessError::NotAnObject)?;
        o.array_len(self.layout).ok_or(AccessError::WrongType)
    }

    /// Evaluates an op that only reads run-time objects (`typeof`, `instanceof`, `cast`,
    /// `arraylen`, `getfield`, `getarrayitem`, the null tests) on run-time values, as the
    /// interpreter would: `None` when it would fail, for any other op, and for anything the
    /// checks refuse (a pointer to no object, a function pointer read).
    pub fn read_op(&self, op: Opcode, aux: &Aux, args: &[RtValue]) -> Option<RtValue> {
        let obj = || match args.first()? {
            RtValue::Ref(p) if p.is_null() => Some(None),
            RtValue::Ref(p) => Object::at(*p).map(Some),
            _ => None,
        };
        match (op, aux) {
            (Opcode::PtrIsNull | Opcode::PtrNonNull, _) => {
                Some(RtValue::Bool(obj()?.is_none() == (op == Opcode::PtrIsNull)))
            }
            (Opcode::TypeOf, _) => Some(RtValue::Int(obj()??.tag() as i64)),
            (Opcode::InstanceOf, Aux::Type(t)) => {
                Some(RtValue::Bool(obj()?.is_some_and(|o| o.is_instance(self.layout, *t))))
            }
            (Opcode::Cast, Aux::Type(t)) => match obj()? {
                Some(o) if !o.is_instance(self.layout, *t) => None,
                _ => Some(args[0]),
            },
            (Opcode::ArrayLen, _) => Some(RtValue::Int(obj()??.array_len(self.layout)?)),
            (Opcode::GetField, Aux::Field(t, f)) => self.field(obj()??, *t, *f)?.read(),
            (Opcode::GetArrayItem, Aux::Array(t)) => {
                let RtValue::Int(i) = *args.get(1)? else { return None };
                self.item(obj()??, *t, i).ok()?.read()
            }
            _ => None,
        }
    }
}

/// A new `str` holding the code points of `text` (aborts the process if out of memory). Not
/// pinned: the caller keeps it where the collector sees it, or pins it.
pub fn new_str(text: &str) -> RtValue {
    RtValue::Ref(StrPtr::from_text(text).0)
}

/// A new `str` with one code point per byte of `bytes` (U+0000..U+00FF, as Latin-1 decodes
/// them): binary data such as bytecode, which `ord` reads back byte for byte.
pub fn new_str_latin1(bytes: &[u8]) -> RtValue {
    RtValue::Ref(StrPtr::from_latin1(bytes).0)
}

/// The code points of the `str` `v` points to; `None` for null, a non-pointer, a pointer to
/// anything but a `str`, or an item that is no Unicode scalar value.
pub fn str_chars(v: RtValue) -> Option<Vec<char>> {
    let o = Object::of(v)?;
    if o.tag() != STR_TAG || o.block < ARRAY_ITEMS_OFFSET {
        return None;
    }
    // SAFETY: the length word lies inside the block (checked above).
    let len = unsafe { (o.as_ptr().add(ARRAY_LENGTH_OFFSET) as *const i64).read() };
    let len = usize::try_from(len).ok()?;
    if ARRAY_ITEMS_OFFSET.checked_add(len.checked_mul(CHAR_SIZE)?)? > o.block {
        return None;
    }
    // SAFETY: a `str`'s items, all inside the block (checked above) and aligned to 4.
    let items = unsafe {
        std::slice::from_raw_parts(o.as_ptr().add(ARRAY_ITEMS_OFFSET) as *const u32, len)
    };
    items.iter().map(|&c| char::from_u32(c)).collect()
}

/// The text of the `str` `v` points to (see [`str_chars`]).
pub fn str_text(v: RtValue) -> Option<String> {
    str_chars(v).map(|chars| chars.into_iter().collect())
}

/// A zeroed struct of type `t` with its header set (panics if out of memory).
pub fn alloc_struct(layout: &Layout, t: HeapTypeIdx) -> *mut u8 {
    let p = gc::rpy_alloc_object(layout.struct_size(t), layout.tag(t));
    assert!(!p.is_null(), "out of memory");
    p
}

/// A zeroed array of type `t` with `len` items, header and length set (panics if out of
/// memory).
pub fn alloc_array(layout: &Layout, t: HeapTypeIdx, len: usize) -> *mut u8 {
    let p = gc::rpy_alloc_array(
        layout.tag(t),
        len as i64,
        layout.item_size(t),
        layout.has_gc_pointers(t),
    );
    assert!(!p.is_null(), "out of memory allocating an array of {len} items");
    p
}

/// Writes word `w` in `size` bytes (1, 4 or 8) at `offset` of the object at `p`.
///
/// # Safety
/// `p + offset .. p + offset + size` lies inside a live object, aligned to `size`, and `w` is
/// a word of the slot's type there.
pub(crate) unsafe fn write_word(p: *mut u8, offset: usize, size: usize, w: u64) {
    let at = p.add(offset);
    match size {
        1 => *at = w as u8,
        4 => *(at as *mut u32) = w as u32,
        _ => *(at as *mut u64) = w,
    }
}

/// Reads the word in `size` bytes (1, 4 or 8) at `offset` of the object at `p`, zero-extended.
///
/// # Safety
/// `p + offset .. p + offset + size` lies inside a live object, aligned to `size`.
pub(crate) unsafe fn read_word(p: *const u8, offset: usize, size: usize) -> u64 {
    let at = p.add(offset);
    match size {
        1 => u64::from(at.read()),
        4 => u64::from((at as *const u32).read()),
        _ => (at as *const u64).read(),
    }
}

/// Allocates every prebuilt object, roots it, then fills in its contents (objects may refer
/// to each other, so all addresses are known before any is filled).
///
/// Shared by every execution mode; `func_word` is how a function pointer is stored (the IR
/// interpreter: graph index + 1; compiled code: the function's address).
pub fn build_prebuilt(
    program: &Program,
    layout: &Layout,
    func_word: &dyn Fn(GraphIdx) -> u64,
) -> RootBuf {
    let n = program.prebuilt.len();
    let mut roots = RootBuf::with_capacity(n);
    roots.resize(n);
    for (idx, pb) in program.prebuilt.iter() {
        let p = match pb {
            Prebuilt::Str(chars) => alloc_array(layout, TypeTable::STR, chars.len()),
            Prebuilt::Struct(t, _) => alloc_struct(layout, *t),
            Prebuilt::Array(t, items) => alloc_array(layout, *t, items.len()),
        };
        roots.set(idx.index(), p as u64);
    }
    let words = roots.as_slice().to_vec();
    let word = |c: Const| RtValue::const_word(c, &words, func_word);
    for (idx, pb) in program.prebuilt.iter() {
        let p = words[idx.index()] as usize as *mut u8;
        match pb {
            Prebuilt::Str(chars) => {
                for (i, &c) in chars.iter().enumerate() {
                    // SAFETY: the str was allocated with chars.len() items of CHAR_SIZE bytes.
                    unsafe {
                        write_word(p, ARRAY_ITEMS_OFFSET + CHAR_SIZE * i, CHAR_SIZE, c.into())
                    };
                }
            }
            Prebuilt::Struct(t, fields) => {
                let def = program.types.struct_def(*t);
                assert_eq!(
                    def.fields.len(),
                    fields.len(),
                    "prebuilt {idx} of type {} has the wrong number of fields",
                    def.name
                );
                for (i, &c) in fields.iter().enumerate() {
                    // SAFETY: field i is inside the struct just allocated; the program is
                    // well-typed, so the constant is a word of the field's type.
                    unsafe { write_word(p, layout.field_offset(*t, i as u32), SLOT_SIZE, word(c)) };
                }
            }
            Prebuilt::Array(t, items) => {
                let size = layout.item_size(*t);
                for (i, &c) in items.iter().enumerate() {
                    // SAFETY: i < len of the array just allocated; the constant is an item.
                    unsafe { write_word(p, layout.item_offset(*t, i), size, word(c)) };
                }
            }
        }
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Field;

    /// Obj <- Point(x: int, on: bool, name: str); Other; chars: array[char]; objs: array[Obj].
    struct Types {
        table: TypeTable,
        obj: HeapTypeIdx,
        point: HeapTypeIdx,
        other: HeapTypeIdx,
        chars: HeapTypeIdx,
        objs: HeapTypeIdx,
    }

    fn types() -> Types {
        let mut table = TypeTable::new();
        let obj = table.declare_struct("Obj", false).unwrap();
        let point = table.declare_struct("Point", false).unwrap();
        let other = table.declare_struct("Other", false).unwrap();
        table.set_fields(obj, None, vec![]);
        let fields = vec![
            Field { name: "x".into(), ty: Ty::Int },
            Field { name: "on".into(), ty: Ty::Bool },
            Field { name: "name".into(), ty: Ty::Ref(TypeTable::STR) },
        ];
        table.set_fields(point, Some(obj), fields);
        table.set_fields(other, None, vec![]);
        let chars = table.array(Ty::Char, false);
        let objs = table.array(Ty::Ref(obj), false);
        Types { table, obj, point, other, chars, objs }
    }

    #[test]
    fn strings_round_trip_and_other_pointers_are_refused() {
        let s = new_str("héllo ☃ 😀");
        assert_eq!(str_text(s).as_deref(), Some("héllo ☃ 😀"));
        assert_eq!(str_chars(s).map(|c| c.len()), Some(9));
        assert_eq!(str_text(new_str("")).as_deref(), Some(""));
        let bin = new_str_latin1(&[0, 0xff, b'a']);
        assert_eq!(str_chars(bin), Some(vec!['\0', '\u{ff}', 'a']));
        let on_stack = 0u64;
        let boxed = Box::new([0u64; 4]);
        for p in [
            std::ptr::null_mut(),
            &on_stack as *const u64 as *mut u8,
            boxed.as_ptr() as *mut u8,
            8 as *mut u8,
            // Inside an object, not at its start.
            s.as_ref().unwrap().wrapping_add(8),
        ] {
            assert_eq!(str_text(RtValue::Ref(p)), None, "{p:?}");
            assert_eq!(Object::at(p), None, "{p:?}");
        }
        let t = types();
        let layout = Layout::compute(&t.table);
        let point = RtValue::Ref(alloc_struct(&layout, t.point));
        assert_eq!(str_text(point), None, "not a str");
        assert_eq!(str_text(RtValue::Int(3)), None);
    }

    #[test]
    fn fields_and_items_are_checked() {
        let t = types();
        let layout = Layout::compute(&t.table);
        let heap = Heap::new(&layout, &t.table);
        let p = RtValue::Ref(alloc_struct(&layout, t.point));
        let name = new_str("p");
        heap.write_field(p, t.point, 0, RtValue::Int(-4)).unwrap();
        heap.write_field(p, t.point, 1, RtValue::Bool(true)).unwrap();
        heap.write_field(p, t.point, 2, name).unwrap();
        assert_eq!(heap.read_field(p, t.point, 0), Ok(RtValue::Int(-4)));
        assert_eq!(heap.read_field(p, t.point, 1), Ok(RtValue::Bool(true)));
        assert_eq!(heap.read_field(p, t.point, 2), Ok(name));
        assert_eq!(heap.read_field(p, t.point, 3), Err(AccessError::WrongType));
        assert_eq!(heap.read_field(p, t.other, 0), Err(AccessError::WrongType));
        let bad = |v| heap.write_field(p, t.point, 2, v);
        assert_eq!(bad(RtValue::Int(1)), Err(AccessError::BadValue));
        assert_eq!(bad(RtValue::Ref(0x1000 as *mut u8)), Err(AccessError::BadValue));
        assert_eq!(bad(p), Err(AccessError::BadValue), "a Point is no str");
        assert_eq!(bad(RtValue::Ref(std::ptr::null_mut())), Ok(()));

        let cs = RtValue::Ref(alloc_array(&layout, t.chars, 3));
        heap.write_item(cs, t.chars, 2, RtValue::Char('\u{10FFFF}')).unwrap();
        heap.write_item(cs, t.chars, 1, RtValue::Char('z')).unwrap();
        assert_eq!(heap.read_item(cs, t.chars, 2), Ok(RtValue::Char('\u{10FFFF}')));
        assert_eq!(heap.read_item(cs, t.chars, 1), Ok(RtValue::Char('z')));
        assert_eq!(heap.read_item(cs, t.chars, 0), Ok(RtValue::Char('\0')));
        assert_eq!(heap.array_len(cs), Ok(3));
        let oob = Err(AccessError::OutOfBounds { index: 3, len: 3 });
        assert_eq!(heap.read_item(cs, t.chars, 3), oob);
        assert_eq!(heap.read_item(cs, t.objs, 0), Err(AccessError::WrongType));
        assert_eq!(heap.array_len(p), Err(AccessError::WrongType));
        let os = RtValue::Ref(alloc_array(&layout, t.objs, 1));
        heap.write_item(os, t.objs, 0, p).unwrap();
        assert_eq!(heap.read_item(os, t.objs, 0), Ok(p));
        assert_eq!(heap.write_item(os, t.objs, 0, cs), Err(AccessError::BadValue));
        let nothing = RtValue::Ref(std::ptr::null_mut());
        assert_eq!(heap.read_item(nothing, t.objs, 0), Err(AccessError::NotAnObject));
    }

    #[test]
    fn reading_ops_agree_with_the_interpreter() {
        let t = types();
        let layout = Layout::compute(&t.table);
        let heap = Heap::new(&layout, &t.table);
        let p = RtValue::Ref(alloc_struct(&layout, t.point));
        heap.write_field(p, t.point, 0, RtValue::Int(7)).unwrap();
        let null = RtValue::Ref(std::ptr::null_mut());
        let op = |op, aux: Aux, args: &[RtValue]| heap.read_op(op, &aux, args);
        let tag = layout.tag(t.point) as i64;
        assert_eq!(op(Opcode::TypeOf, Aux::None, &[p]), Some(RtValue::Int(tag)));
        assert_eq!(op(Opcode::TypeOf, Aux::None, &[null]), None);
        let is = |ty, v| op(Opcode::InstanceOf, Aux::Type(ty), &[v]);
        assert_eq!(is(t.obj, p), Some(RtValue::Bool(true)));
        assert_eq!(is(t.other, p), Some(RtValue::Bool(false)));
        assert_eq!(is(t.obj, null), Some(RtValue::Bool(false)));
        assert_eq!(op(Opcode::Cast, Aux::Type(t.obj), &[p]), Some(p));
        assert_eq!(op(Opcode::Cast, Aux::Type(t.other), &[p]), None);
        assert_eq!(op(Opcode::Cast, Aux::Type(t.other), &[null]), Some(null));
        assert_eq!(op(Opcode::GetField, Aux::Field(t.point, 0), &[p]), Some(RtValue::Int(7)));
        assert_eq!(op(Opcode::PtrIsNull, Aux::None, &[p]), Some(RtValue::Bool(false)));
        assert_eq!(op(Opcode::PtrNonNull, Aux::None, &[null]), Some(RtValue::Bool(false)));
        let s = new_str("aé");
        let item = |i| op(Opcode::GetArrayItem, Aux::Array(TypeTable::STR), &[s, RtValue::Int(i)]);
        assert_eq!(item(1), Some(RtValue::Char('é')));
        assert_eq!(item(2), None);
        assert_eq!(op(Opcode::ArrayLen, Aux::None, &[s]), Some(RtValue::Int(2)));
        assert_eq!(op(Opcode::IntAdd, Aux::None, &[RtValue::Int(1), RtValue::Int(2)]), None);
    }
}
