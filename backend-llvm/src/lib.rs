//! backend-llvm: rpy-ir programs compiled to native code through LLVM 19.
pub mod cache;
pub mod errors;
pub mod lower;
pub mod prebuilt;
pub mod runtime;
pub mod session;
pub mod stack;
pub mod target;
pub mod translated;

pub use target::OptLevel;
pub use translated::{
    translate, translate_with, CompileStats, Options, TranslateError, Translated,
};
