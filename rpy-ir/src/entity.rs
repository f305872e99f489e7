//! Entity index types, declared one way in every crate: a `u32` newtype that indexes an arena
//! (`cranelift_entity`'s `PrimaryMap`, `SecondaryMap`), ordered and hashable, displayed as a
//! short prefix and its number (`v12`, `block3`), as the text form writes it.

/// Declares an entity index type `$name`, displayed as `$prefix` followed by its number:
/// `rpy_ir::entity! { /// A basic block. Block, "block" }`.
#[macro_export]
macro_rules! entity {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);
        // In a block of its own: `entity_impl!` names itself unqualified.
        const _: () = {
            use $crate::entity::entity_impl;
            entity_impl!($name, $prefix);
        };
    };
}

#[doc(hidden)]
pub use cranelift_entity::entity_impl;
