//! The programs of `shared/repros/jit-robustness/`, written again for the tests (the shared
//! folder is not part of the repository), and generators of programs of the same families.
//! Each test crate uses some of them.
#![allow(dead_code)]

/// `nested_car_print.tlc.src`: the list `((...(nil)...))` nested `n` deep in its cars.
pub const NESTED_CAR_PRINT: &str = "
NIL
PUSHARG
loop:
PICK 0
BR_COND body
BR exit
body:
SWAP
NIL
SWAP
CONS
SWAP
PUSH 1
SUB
PUSH 1
BR_COND loop
exit:
POP
";

/// `object_chain_print.tlc.src`: `n` objects, each the `value` of the next.
pub const OBJECT_CHAIN_PRINT: &str = "
NIL
PUSHARG
loop:
PICK 0
BR_COND body
POP
RETURN
body:
NEW value
PICK 0
ROLL 4
SETATTR value
SWAP
PUSH 1
SUB
PUSH 1
BR_COND loop
";

/// `nested_car_eq.tlc.src`: the list of `nested_car_print` compared with itself (`EQ`).
pub fn nested_car_eq() -> String {
    format!("{NESTED_CAR_PRINT}PICK 0\nEQ\n")
}

/// `send_recursion.tlc.src`: a method recursing `n` deep through `SEND` (every call a TLC
/// frame, none an RPy call); the result is `n`.
pub const SEND_RECURSION: &str = "
main:
  NEW rec=rec
  PUSHARG
  SEND rec/1
  RETURN
rec:
  PUSHARGN 1
  BR_COND more
  PUSH 0
  RETURN
more:
  PUSHARG
  PUSHARGN 1
  PUSH 1
  SUB
  SEND rec/1
  PUSH 1
  ADD
  RETURN
";

/// `infinite_call_recursion.tlc.src`: `CALL` for ever.
pub const INFINITE_CALL_RECURSION: &str = "
f:
CALL f
";

/// An object whose `value` is itself, and a list holding it twice.
pub const CYCLE: &str = "
NEW value
PICK 0
PICK 0
SETATTR value
NIL
SWAP
CONS
PICK 0
CAR
CONS
";

/// The stack grows by one value per iteration; `PICK 0` reads its bottom, whose distance
/// from the top (promoted) is new at every iteration.
pub const GROWING_STACK: &str = "
PUSH 7
PUSHARG
loop:
PICK 0
BR_COND body
RETURN
body:
PICK 0
PICK -1
POP
PUSH 1
SUB
PUSH 1
BR_COND loop
";

/// `n` pushes in a row, then the sum of the last two.
pub fn straight_line(n: usize) -> String {
    let mut s = "PUSH 1\n".repeat(n);
    s.push_str("ADD\n");
    s
}

/// A list of `k` objects of `k` classes (each with its own method `m`), summed `input` times
/// through `SEND m/1`.
pub fn megamorphic(k: usize) -> String {
    let mut s = String::from("NIL\n");
    for i in 0..k {
        s.push_str(&format!("NEW value,m=m{i},x{i}\nCONS\n"));
    }
    s.push_str(
        "PUSH 0\nPUSHARG\nouter:\nPICK 0\nBR_COND obody\nPOP\nRETURN\nobody:\nPICK 2\n\
         inner:\nPICK 0\nBR_COND ibody\nPOP\nPUSH 1\nSUB\nPUSH 1\nBR_COND outer\n\
         ibody:\nPICK 0\nCAR\nPICK 3\nSEND m/1\nPUT 2\nCDR\nPUSH 1\nBR_COND inner\n",
    );
    for i in 0..k {
        s.push_str(&format!("m{i}:\nPUSHARGN 1\nPUSH {i}\nADD\nRETURN\n"));
    }
    s
}
