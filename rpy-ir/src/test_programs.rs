//! IR texts that several of the crate's unit tests share (test builds only). They are macros,
//! not constants, so that tests can `concat!` them into larger programs.

/// `fact(n) = 1 if n <= 1 else n * fact(n - 1)` in the text form, as the printer writes it.
macro_rules! fact_ir {
    () => {
        "graph fact(int) -> int {
block0(v0: int):
    v1 = int_le v0, 1
    branch v1, block1(), block2(v0)

block1():
    return 1

block2(v2: int):
    v3 = int_sub v2, 1
    v4 = call fact(v3)
    v5 = int_mul v2, v4
    return v5
}
"
    };
}

pub(crate) use fact_ir;
