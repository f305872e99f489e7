//! timeshift (not started): the generating extension. It will turn coloured graphs into JitCode
//! (a compact bytecode with green and red registers), run it in the rainbow engine (red boxes,
//! virtual structs and arrays, red splits, merge points, promotion through flexswitches) to
//! build residual flow graphs, and drive compilation through a `Backend` trait, with an
//! IR-interpreter backend for tests. See DESIGN.md §6.
