//! lang-mini-python (not started): a Python 3 subset — a front end in Rust (lexer, parser,
//! bytecode compiler) and an interpreter written in RPy with JIT hints, checked against CPython.
//! See spec/MINI_PYTHON.md.
