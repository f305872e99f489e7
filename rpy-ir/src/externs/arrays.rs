//! Array arguments of externs: [`ArrayPtr`] and the word conversions of `array[str]` and
//! `array[char]` parameters.

use super::{ExternTy, ExternValue, StrPtr};
use crate::layout::{ARRAY_ITEMS_OFFSET, ARRAY_LENGTH_OFFSET};

/// An array argument of an extern (`array[str]` or `array[char]`, by `T`): a GC pointer,
/// possibly null. Externs never return arrays: an array type's layout tag belongs to the
/// program, which runtime code does not know. An extern that makes an array's worth of items
/// comes as a pair instead — `NAME_len(...) -> int` counts them and `NAME_into(..., out)`
/// writes them into an array the RPy caller allocated with that length (the front end's
/// builtins wrap the pair, see `front/lower/strings.rs`), so allocation stays a `malloc_array`
/// the JIT can see.
#[repr(transparent)]
#[derive(Debug)]
pub struct ArrayPtr<T>(pub *mut u8, std::marker::PhantomData<T>);

impl<T> Clone for ArrayPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for ArrayPtr<T> {}

/// The items of an `array[str]` are `str` pointers.
pub type StrArrayPtr = ArrayPtr<StrPtr>;
/// The items of an `array[char]` are `u32` code points.
pub type CharArrayPtr = ArrayPtr<u32>;

impl<T> ArrayPtr<T> {
    /// The array's items; empty for null.
    ///
    /// # Safety
    /// The pointer must be null or point to a live array of `T` items (the type this extern
    /// parameter has), alive while the slice is used; nothing else writes it meanwhile.
    pub unsafe fn items<'a>(self) -> &'a mut [T] {
        if self.0.is_null() {
            return &mut [];
        }
        let len = *(self.0.add(ARRAY_LENGTH_OFFSET) as *const i64);
        std::slice::from_raw_parts_mut(
            self.0.add(ARRAY_ITEMS_OFFSET) as *mut T,
            len.max(0) as usize,
        )
    }
}

impl ExternValue for StrArrayPtr {
    const TY: ExternTy = ExternTy::StrArray;
    fn from_word(w: u64) -> Self {
        ArrayPtr(w as usize as *mut u8, std::marker::PhantomData)
    }
    fn to_word(self) -> u64 {
        self.0 as usize as u64
    }
}

impl ExternValue for CharArrayPtr {
    const TY: ExternTy = ExternTy::CharArray;
    fn from_word(w: u64) -> Self {
        ArrayPtr(w as usize as *mut u8, std::marker::PhantomData)
    }
    fn to_word(self) -> u64 {
        self.0 as usize as u64
    }
}
