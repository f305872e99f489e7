//! Workspace-level end-to-end tests (not started): every program in every execution mode
//! (IR interpreter, translated, JIT), compared with each other.
