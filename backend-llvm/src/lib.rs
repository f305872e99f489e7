//! backend-llvm (not started): the only crate that will link LLVM. It will lower rpy-ir flow
//! graphs to LLVM IR with inkwell, run them in an ORC LLJIT session, implement flexswitches
//! (case table and rewriting), cache the translated interpreter as an object file, and
//! implement timeshift's `Backend` trait. See DESIGN.md §7 and notes/TOOLCHAIN.md.
