//! lang-tlc (not started): TLC, the toy language of the PyPy paper — its interpreter written in
//! RPy with JIT hints, its assembler and serialized format, and its command line. See
//! spec/TLC.md.
