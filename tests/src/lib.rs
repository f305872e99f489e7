//! Workspace-level end-to-end tests. The library is empty; the tests are in `tests/`.
//!
//! `tests/tlc_jit.rs` runs TLC's interpreter (`lang-tlc`'s `tlc.rpy`, portal `interp_eval`,
//! PyPy's greens `code`, `pc`, `pool`) through timeshift's `JitDriver` on the IR-interpreter
//! backend (`LlinterpBackend`), and checks every result against the same interpreter run by the
//! IR interpreter: the paper's three benchmarks; the compiled loops of factorial, fibonacci and
//! accumulator neither allocate nor call (also when one driver runs several programs, and for
//! accumulator with inputs of both signs); `getattr` of a fresh object allocates at most once;
//! with budgets so tight that compilations give up, the fallbacks to the interpreter agree, on
//! the benchmarks and on every conformance case (`conformance/tlc/cases.txt`).
//!
//! The other execution modes (translated, the JIT on LLVM) are compared with the IR
//! interpreter in `lang-tlc`'s tests (`conformance.rs`, `generated.rs`) and in backend-llvm's
//! (`differential.rs`, `jit.rs`); see ARCHITECTURE.md, "Testing".
