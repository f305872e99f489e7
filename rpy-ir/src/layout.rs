//! The heap layout: one layout for the IR interpreter now and for compiled code later.
//!
//! Invariants:
//! - Every heap object starts with a header word (`u64`) holding its type tag. Tag 0
//!   ([`INVALID_TAG`]) is never used, so a zeroed header is recognisably not an object.
//! - `str` ([`TypeTable::STR`]) is always tag 1 ([`STR_TAG`]): runtime code (externs) allocates
//!   strings without knowing the program.
//! - Structs come next, numbered in preorder of the inheritance forest (roots in
//!   [`HeapTypeIdx`] order, each node's children in [`HeapTypeIdx`] order). Every struct `T`
//!   therefore owns the contiguous tag range `T.tag ..= T.tag_max` of itself and its
//!   descendants, and `instanceof(T)` is `T.tag <= tag <= T.tag_max`.
//! - The remaining arrays follow, in [`HeapTypeIdx`] order. An array type's range is its tag
//!   alone (arrays have no subtypes).
//! - A struct is the header then one 8-byte slot per field (all fields, inherited first), so
//!   field `i` is at offset `8 + 8*i` in the struct and in every subtype. A `bool` field
//!   lives in the low byte of its slot, a `char` field in the low four bytes, and the other
//!   bytes are zero: reading or writing the whole slot as a `u64` is always correct.
//! - An array is the header, its length as an `i64` at offset 8, then its items from offset 16.
//!   `bool` items take 1 byte, `char` items 4 bytes ([`CHAR_SIZE`]: a Unicode scalar value as
//!   a `u32`, so `str` is UTF-32 and indexing a string is one load), every other item 8 bytes.
//! - Objects without GC pointers inside (arrays of scalars or function pointers, `str`) may be
//!   allocated atomic (the collector does not scan them); structs are always scanned.

use crate::types::{HeapType, HeapTypeIdx, Ty, TypeTable};
use cranelift_entity::SecondaryMap;

/// Size in bytes of the header word that starts every heap object.
pub const HEADER_SIZE: usize = 8;
/// Size in bytes of one struct field slot.
pub const SLOT_SIZE: usize = 8;
/// Offset of an array's length (an `i64`).
pub const ARRAY_LENGTH_OFFSET: usize = 8;
/// Offset of an array's first item.
pub const ARRAY_ITEMS_OFFSET: usize = 16;
/// Size in bytes of a `char` item (a `str`'s items are `u32` code points).
pub const CHAR_SIZE: usize = 4;
/// The tag no object has.
pub const INVALID_TAG: u64 = 0;
/// The tag of `str`, the same in every program.
pub const STR_TAG: u64 = 1;

/// The layout facts of one heap type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct TypeLayout {
    /// The type's own tag.
    tag: u64,
    /// The largest tag of the type and its descendants (= `tag` for arrays).
    tag_max: u64,
    /// Struct: total size; array: item size.
    size: usize,
    /// Whether the object can hold GC pointers (must be allocated scanned).
    has_pointers: bool,
    /// Whether the type is an array.
    is_array: bool,
}

/// The heap layout of every type of a program: tags, tag ranges, sizes and offsets.
#[derive(Clone, Debug)]
pub struct Layout {
    types: SecondaryMap<HeapTypeIdx, TypeLayout>,
    by_tag: Vec<HeapTypeIdx>,
}

impl Layout {
    /// Computes the layout of every heap type of `types`.
    pub fn compute(types: &TypeTable) -> Layout {
        let mut layout = Layout { types: SecondaryMap::new(), by_tag: Vec::new() };
        // Tag 0 is invalid: a placeholder entry keeps `by_tag` indexed by tag.
        layout.by_tag.push(TypeTable::STR);
        layout.assign(types, TypeTable::STR, 0);

        let mut children: SecondaryMap<HeapTypeIdx, Vec<HeapTypeIdx>> = SecondaryMap::new();
        let mut roots = Vec::new();
        for (idx, ht) in types.heap_types() {
            if let HeapType::Struct(s) = ht {
                match s.parent {
                    Some(p) => children[p].push(idx),
                    None => roots.push(idx),
                }
            }
        }
        // Preorder with an explicit stack (inheritance chains can be long); children are
        // pushed in reverse so they pop in index order.
        for root in roots {
            let mut stack = vec![(root, false)];
            while let Some((t, done)) = stack.pop() {
                if done {
                    // Post-visit: every descendant has its tag now.
                    let max = layout.by_tag.len() as u64 - 1;
                    layout.types[t].tag_max = max;
                    continue;
                }
                let size = HEADER_SIZE + SLOT_SIZE * types.struct_def(t).fields.len();
                layout.assign(types, t, size);
                stack.push((t, true));
                for &c in children[t].iter().rev() {
                    stack.push((c, false));
                }
            }
        }
        for (idx, ht) in types.heap_types() {
            if let HeapType::Array(_) = ht {
                if idx != TypeTable::STR {
                    layout.assign(types, idx, 0);
                }
            }
        }
        layout
    }

    /// Gives `t` the next tag and records its size facts (`size` is used for structs).
    fn assign(&mut self, types: &TypeTable, t: HeapTypeIdx, size: usize) {
        let tag = self.by_tag.len() as u64;
        self.by_tag.push(t);
        let entry = match types.heap(t) {
            HeapType::Struct(_) => {
                TypeLayout { tag, tag_max: tag, size, has_pointers: true, is_array: false }
            }
            HeapType::Array(a) => TypeLayout {
                tag,
                tag_max: tag,
                size: match a.elem {
                    Ty::Bool => 1,
                    Ty::Char => CHAR_SIZE,
                    _ => 8,
                },
                has_pointers: a.elem.is_ref(),
                is_array: true,
            },
        };
        self.types[t] = entry;
    }

    /// The type tag stored in the header of objects of type `t`.
    pub fn tag(&self, t: HeapTypeIdx) -> u64 {
        self.types[t].tag
    }

    /// The inclusive range of tags of `t` and its subtypes: `instanceof(t)` is a range test.
    pub fn tag_range(&self, t: HeapTypeIdx) -> (u64, u64) {
        let l = &self.types[t];
        (l.tag, l.tag_max)
    }

    /// The heap type whose objects carry `tag`, if `tag` is a valid tag.
    pub fn heap_type_of_tag(&self, tag: u64) -> Option<HeapTypeIdx> {
        if tag == INVALID_TAG {
            return None;
        }
        self.by_tag.get(usize::try_from(tag).ok()?).copied()
    }

    /// Number of tags in use, counting the invalid tag 0 (tags are `0..tag_count()`).
    pub fn tag_count(&self) -> u64 {
        self.by_tag.len() as u64
    }

    /// Whether `t` is an array type.
    pub fn is_array(&self, t: HeapTypeIdx) -> bool {
        self.types[t].is_array
    }

    /// Byte offset of field `field` of struct `t` (the same in every subtype of `t`).
    pub fn field_offset(&self, t: HeapTypeIdx, field: u32) -> usize {
        debug_assert!(!self.types[t].is_array, "{t} is not a struct");
        HEADER_SIZE + SLOT_SIZE * field as usize
    }

    /// Size in bytes of an object of struct type `t`.
    pub fn struct_size(&self, t: HeapTypeIdx) -> usize {
        debug_assert!(!self.types[t].is_array, "{t} is not a struct");
        self.types[t].size
    }

    /// Size in bytes of one item of array type `t` (1 for `bool`, 4 for `char`, else 8).
    pub fn item_size(&self, t: HeapTypeIdx) -> usize {
        debug_assert!(self.types[t].is_array, "{t} is not an array");
        self.types[t].size
    }

    /// Byte offset of item `index` of an array of type `t`.
    pub fn item_offset(&self, t: HeapTypeIdx, index: usize) -> usize {
        ARRAY_ITEMS_OFFSET + self.item_size(t) * index
    }

    /// Size in bytes of an array of type `t` with `len` items; `None` if negative or too big
    /// to address.
    pub fn array_size(&self, t: HeapTypeIdx, len: i64) -> Option<usize> {
        array_size_for(self.item_size(t), len)
    }

    /// Whether objects of type `t` can hold GC pointers (allocate scanned, not atomic).
    pub fn has_gc_pointers(&self, t: HeapTypeIdx) -> bool {
        self.types[t].has_pointers
    }

    /// Number of heap types laid out.
    pub fn type_count(&self) -> usize {
        self.by_tag.len() - 1
    }

    /// Whether `t` has a layout here (it belongs to the table this layout was computed from).
    pub fn knows(&self, t: HeapTypeIdx) -> bool {
        self.types[t].tag != INVALID_TAG
    }
}

/// Size in bytes of an array with `len` items of `item_size` bytes; `None` if `len` is
/// negative or the size does not fit in an `isize`.
pub fn array_size_for(item_size: usize, len: i64) -> Option<usize> {
    let len = usize::try_from(len).ok()?;
    let size = len.checked_mul(item_size)?.checked_add(ARRAY_ITEMS_OFFSET)?;
    (size <= isize::MAX as usize).then_some(size)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Field;

    fn field(name: &str, ty: Ty) -> Field {
        Field { name: name.into(), ty }
    }

    /// Obj <- (IntObj, StrObj <- LongStr); Other standalone; arrays mixed in between.
    fn table() -> (TypeTable, [HeapTypeIdx; 7]) {
        let mut t = TypeTable::new();
        let ints = t.array(Ty::Int, false);
        let obj = t.declare_struct("Obj", false).unwrap();
        let other = t.declare_struct("Other", false).unwrap();
        let int_obj = t.declare_struct("IntObj", true).unwrap();
        let str_obj = t.declare_struct("StrObj", true).unwrap();
        let long_str = t.declare_struct("LongStr", true).unwrap();
        t.set_fields(obj, None, vec![]);
        t.set_fields(other, None, vec![field("x", Ty::Float), field("b", Ty::Bool)]);
        t.set_fields(int_obj, Some(obj), vec![field("value", Ty::Int)]);
        t.set_fields(str_obj, Some(obj), vec![field("s", Ty::Ref(TypeTable::STR))]);
        t.set_fields(long_str, Some(str_obj), vec![field("n", Ty::Int)]);
        let objs = t.array(Ty::Ref(obj), false);
        (t, [ints, obj, other, int_obj, str_obj, long_str, objs])
    }

    #[test]
    fn tags_are_preorder_with_str_first() {
        let (t, [ints, obj, other, int_obj, str_obj, long_str, objs]) = table();
        let l = Layout::compute(&t);
        assert_eq!(l.tag(TypeTable::STR), STR_TAG);
        assert_eq!(l.tag_range(obj), (2, 5));
        assert_eq!(l.tag_range(int_obj), (3, 3));
        assert_eq!(l.tag_range(str_obj), (4, 5));
        assert_eq!(l.tag_range(long_str), (5, 5));
        assert_eq!(l.tag_range(other), (6, 6));
        assert_eq!(l.tag(ints), 7);
        assert_eq!(l.tag(objs), 8);
        assert_eq!(l.tag_count(), 9);
        assert_eq!(l.type_count(), 8);
        for (idx, _) in t.heap_types() {
            assert_eq!(l.heap_type_of_tag(l.tag(idx)), Some(idx));
            assert!(l.knows(idx));
        }
        assert_eq!(l.heap_type_of_tag(0), None);
        assert_eq!(l.heap_type_of_tag(9), None);
        assert_eq!(l.heap_type_of_tag(u64::MAX), None);
    }

    #[test]
    fn sizes_offsets_and_pointers() {
        let (t, [ints, obj, other, int_obj, _, long_str, objs]) = table();
        let l = Layout::compute(&t);
        assert_eq!(l.struct_size(obj), 8);
        assert_eq!(l.struct_size(other), 24);
        assert_eq!(l.struct_size(long_str), 24);
        assert_eq!(l.field_offset(int_obj, 0), 8);
        assert_eq!(l.field_offset(long_str, 1), 16);
        assert_eq!(l.item_size(TypeTable::STR), CHAR_SIZE);
        assert_eq!(l.item_size(ints), 8);
        assert_eq!(l.item_offset(ints, 2), 32);
        assert_eq!(l.array_size(TypeTable::STR, 5), Some(36));
        assert_eq!(l.array_size(ints, 0), Some(16));
        assert_eq!(l.array_size(ints, -1), None);
        assert_eq!(l.array_size(ints, i64::MAX), None);
        assert!(!l.has_gc_pointers(TypeTable::STR));
        assert!(!l.has_gc_pointers(ints));
        assert!(l.has_gc_pointers(objs));
        assert!(l.has_gc_pointers(other), "structs are always scanned");
        assert!(l.is_array(objs) && !l.is_array(obj));
    }

    #[test]
    fn deep_inheritance_chain() {
        let mut t = TypeTable::new();
        let mut prev = None;
        let mut all = Vec::new();
        for i in 0..10_000 {
            let s = t.declare_struct(&format!("S{i}"), false).unwrap();
            t.set_fields(s, prev, vec![]);
            prev = Some(s);
            all.push(s);
        }
        let l = Layout::compute(&t);
        assert_eq!(l.tag_range(all[0]), (2, 10_001));
        assert_eq!(l.tag_range(all[9_999]), (10_001, 10_001));
    }
}
