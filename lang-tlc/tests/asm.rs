//! End-to-end tests of the assembler, the `.tlc` format and the disassembler on the shared
//! conformance programs (`conformance/tlc`, a copy of `../shared/conformance/tlc`), plus byte-exact encodings of the
//! paper's three benchmarks and the assembler's error messages.

use std::fs;
use std::path::PathBuf;

use lang_tlc::{assemble, decode, disassemble, serialize, ClassDescr, ConstantPool, Program};

/// The conformance directory: an unchanged copy of `../shared/conformance/tlc` in the repository.
fn conformance_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/tlc");
    assert!(dir.is_dir(), "conformance directory not found at {}", dir.display());
    dir
}

/// Reads and assembles `conformance/tlc/NAME.tlc.src`.
fn assemble_conformance(name: &str) -> Program {
    let path = conformance_dir().join(format!("{name}.tlc.src"));
    let src = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assemble(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every source's name (without `.tlc.src`), sorted.
fn conformance_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(conformance_dir())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter_map(|file| file.strip_suffix(".tlc.src").map(str::to_string))
        .collect();
    names.sort();
    names
}

#[test]
fn every_conformance_source_assembles_and_round_trips() {
    let names = conformance_names();
    assert!(names.len() >= 100, "only {} conformance sources found", names.len());
    for name in &names {
        let program = assemble_conformance(name);
        assert!(!program.code.is_empty(), "{name}: empty code");

        let bytes = serialize(&program);
        assert_eq!(decode(&bytes).as_ref(), Ok(&program), "{name}: serialize/decode");

        let text = disassemble(&program);
        let again = assemble(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        assert_eq!(again.code, program.code, "{name}: code after disassembly\n{text}");
        assert_eq!(again.pool, program.pool, "{name}: pool after disassembly\n{text}");
        // The disassembler's text is a fixed point.
        assert_eq!(disassemble(&again), text, "{name}: disassembly not stable");
    }
}

#[test]
fn every_program_in_cases_txt_has_a_source() {
    let cases = fs::read_to_string(conformance_dir().join("cases.txt")).unwrap();
    let names = conformance_names();
    let mut count = 0;
    for line in cases.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let program = line.split_whitespace().next().unwrap();
        assert!(names.iter().any(|n| n == program), "cases.txt names '{program}', no source");
        count += 1;
    }
    assert!(count > 0);
}

fn descr(attributes: &[&str], methods: &[(&str, i64)]) -> ClassDescr {
    ClassDescr {
        attributes: attributes.iter().map(|s| s.to_string()).collect(),
        methods: methods.iter().map(|&(m, pc)| (m.to_string(), pc)).collect(),
    }
}

// Opcode bytes used below (TLC.md §2).
const PUSH: u8 = 2;
const POP: u8 = 3;
const SWAP: u8 = 4;
const ROLL: u8 = 5;
const PICK: u8 = 6;
const ADD: u8 = 8;
const SUB: u8 = 9;
const MUL: u8 = 10;
const LT: u8 = 14;
const LE: u8 = 15;
const BR_COND: u8 = 18;
const RETURN: u8 = 21;
const PUSHARG: u8 = 22;
const NEW: u8 = 28;
const GETATTR: u8 = 29;
const SETATTR: u8 = 30;
const SEND: u8 = 31;
const PUSHARGN: u8 = 32;

/// A branch offset as its byte: `target − address_of_arg_byte − 1`, as a signed byte.
const fn off(target: i32, arg_addr: i32) -> u8 {
    (target - arg_addr - 1) as i8 as u8
}

#[test]
fn factorial_bytes() {
    // Addresses: PUSH 1 @0, PUSHARG @2, start = 3, ..., BR_COND exit @8 (arg @9),
    // BR_COND start @20 (arg @21), exit = 22.
    #[rustfmt::skip]
    let code = [
        PUSH, 1,                 //  0  PUSH 1
        PUSHARG,                 //  2  PUSHARG
        PICK, 0,                 //  3  start: PICK 0
        PUSH, 1,                 //  5  PUSH 1
        LE,                      //  7  LE
        BR_COND, off(22, 9),     //  8  BR_COND exit: 22 - 9 - 1 = 12
        SWAP,                    // 10  SWAP
        PICK, 1,                 // 11  PICK 1
        MUL,                     // 13  MUL
        SWAP,                    // 14  SWAP
        PUSH, 1,                 // 15  PUSH 1
        SUB,                     // 17  SUB
        PUSH, 1,                 // 18  PUSH 1
        BR_COND, off(3, 21),     // 20  BR_COND start: 3 - 21 - 1 = -19 = 237
        POP,                     // 22  exit: POP
        RETURN,                  // 23  RETURN
    ];
    assert_eq!(off(22, 9), 12);
    assert_eq!(off(3, 21), 237);
    let program = assemble_conformance("factorial");
    assert_eq!(program, Program { code: code.to_vec(), pool: ConstantPool::default() });
    let mut file = b"\n\n".to_vec();
    file.extend_from_slice(&code);
    assert_eq!(serialize(&program), file);
}

#[test]
fn fibo_bytes() {
    #[rustfmt::skip]
    let code = [
        PUSH, 0,                 //  0  main: PUSH 0
        PUSH, 1,                 //  2  PUSH 1
        PUSHARG,                 //  4  PUSHARG
        PUSH, 1,                 //  5  loop: PUSH 1
        SUB,                     //  7  SUB
        PICK, 0,                 //  8  PICK 0
        BR_COND, off(16, 11),    // 10  BR_COND true: 16 - 11 - 1 = 4
        PUSH, 1,                 // 12  PUSH 1
        BR_COND, off(28, 15),    // 14  BR_COND exit: 28 - 15 - 1 = 12
        SWAP,                    // 16  true: SWAP
        ROLL, 3,                 // 17  ROLL 3
        PICK, 1,                 // 19  PICK 1
        ADD,                     // 21  ADD
        ROLL, 3,                 // 22  ROLL 3
        PUSH, 1,                 // 24  PUSH 1
        BR_COND, off(5, 27),     // 26  BR_COND loop: 5 - 27 - 1 = -23 = 233
        POP,                     // 28  exit: POP
        RETURN,                  // 29  RETURN
    ];
    assert_eq!([off(16, 11), off(28, 15), off(5, 27)], [4, 12, 233]);
    let program = assemble_conformance("fibo");
    assert_eq!(program, Program { code: code.to_vec(), pool: ConstantPool::default() });
}

#[test]
fn accumulator_bytes() {
    // Pool: descriptor 0 = `value,accumulate=add`, descriptor 1 = `value,accumulate=count`;
    // strings in order of first use: 0 = "value" (first SETATTR), 1 = "accumulate" (SEND).
    // Labels: negative = 19, loop = 31, continue = 39, add = 53, count = 63.
    #[rustfmt::skip]
    let code = [
        PUSHARG,                 //  0  main: PUSHARG
        PUSH, 0,                 //  1  PUSH 0
        LT,                      //  3  LT
        BR_COND, off(19, 5),     //  4  BR_COND negative: 19 - 5 - 1 = 13
        NEW, 0,                  //  6  positive: NEW value,accumulate=add
        PICK, 0,                 //  8  PICK 0
        PUSH, 0,                 // 10  PUSH 0
        SETATTR, 0,              // 12  SETATTR value
        PUSHARG,                 // 14  PUSHARG
        PUSH, 1,                 // 15  PUSH 1
        BR_COND, off(31, 18),    // 17  BR_COND loop: 31 - 18 - 1 = 12
        NEW, 1,                  // 19  negative: NEW value,accumulate=count
        PICK, 0,                 // 21  PICK 0
        PUSH, 0,                 // 23  PUSH 0
        SETATTR, 0,              // 25  SETATTR value
        PUSH, 0,                 // 27  PUSH 0
        PUSHARG,                 // 29  PUSHARG
        SUB,                     // 30  SUB
        PICK, 0,                 // 31  loop: PICK 0
        BR_COND, off(39, 34),    // 33  BR_COND continue: 39 - 34 - 1 = 4
        POP,                     // 35  exit: POP
        GETATTR, 0,              // 36  GETATTR value
        RETURN,                  // 38  RETURN
        PUSH, 1,                 // 39  continue: PUSH 1
        SUB,                     // 41  SUB
        PICK, 1,                 // 42  PICK 1
        PICK, 1,                 // 44  PICK 1
        SEND, 1, 1,              // 46  SEND accumulate/1
        PUSH, 1,                 // 49  PUSH 1
        BR_COND, off(31, 52),    // 51  BR_COND loop: 31 - 52 - 1 = -22 = 234
        PUSHARG,                 // 53  add: PUSHARG
        PUSHARG,                 // 54  PUSHARG
        GETATTR, 0,              // 55  GETATTR value
        PUSHARGN, 1,             // 57  PUSHARGN 1
        ADD,                     // 59  ADD
        SETATTR, 0,              // 60  SETATTR value
        RETURN,                  // 62  RETURN
        PUSHARG,                 // 63  count: PUSHARG
        PUSHARG,                 // 64  PUSHARG
        GETATTR, 0,              // 65  GETATTR value
        PUSH, 1,                 // 67  PUSH 1
        ADD,                     // 69  ADD
        SETATTR, 0,              // 70  SETATTR value
        RETURN,                  // 72  RETURN
    ];
    assert_eq!([off(19, 5), off(31, 18), off(39, 34), off(31, 52)], [13, 12, 4, 234]);
    let pool = ConstantPool {
        classdescrs: vec![
            descr(&["value"], &[("accumulate", 53)]),
            descr(&["value"], &[("accumulate", 63)]),
        ],
        strings: vec!["value".into(), "accumulate".into()],
    };
    let program = assemble_conformance("accumulator");
    assert_eq!(program, Program { code: code.to_vec(), pool });

    let mut file = b"value,accumulate=53|value,accumulate=63\nvalue,accumulate\n".to_vec();
    file.extend_from_slice(&code);
    assert_eq!(serialize(&program), file);
}

#[test]
fn accumulator_disassembly() {
    // The leading newline keeps the first line's indentation visible; it is skipped below.
    let expect = "
    PUSHARG
    PUSH 0
    LT
    BR_COND L19
    NEW value,accumulate=L53
    PICK 0
    PUSH 0
    SETATTR value
    PUSHARG
    PUSH 1
    BR_COND L31
L19:
    NEW value,accumulate=L63
    PICK 0
    PUSH 0
    SETATTR value
    PUSH 0
    PUSHARG
    SUB
L31:
    PICK 0
    BR_COND L39
    POP
    GETATTR value
    RETURN
L39:
    PUSH 1
    SUB
    PICK 1
    PICK 1
    SEND accumulate/1
    PUSH 1
    BR_COND L31
L53:
    PUSHARG
    PUSHARG
    GETATTR value
    PUSHARGN 1
    ADD
    SETATTR value
    RETURN
L63:
    PUSHARG
    PUSHARG
    GETATTR value
    PUSH 1
    ADD
    SETATTR value
    RETURN
";
    assert_eq!(disassemble(&assemble_conformance("accumulator")), &expect[1..]);
}

/// Asserts that `src` fails to assemble at `line` with exactly `message`.
#[track_caller]
fn check_error(src: &str, line: usize, message: &str) {
    let err = assemble(src).expect_err("assembled, expected an error");
    assert_eq!((err.line, err.message.as_str()), (line, message), "source:\n{src}");
    assert_eq!(err.to_string(), format!("line {line}: {message}"));
}

#[test]
fn malformed_sources() {
    check_error("PUSH 1\n\n  FOO 2  ; comment", 3, "unknown opcode 'FOO'");
    check_error("start:\n  PUSH 1\n  BR_COND bar\n", 3, "undefined label 'bar'");
    check_error("NEW value,m=nowhere\n", 1, "undefined label 'nowhere'");
    // BR at 0, argument at 1, far = 2 + 200: offset 202 - 1 - 1 = 200.
    let far = format!("# long jump\nBR far\n{}far:\n", "NOP\n".repeat(200));
    check_error(&far, 2, "offset to label 'far' out of range (200)");
    // back = 0; BR at 127, argument at 128: offset 0 - 128 - 1 = -129.
    let back = format!("back:\n{}BR back\n", "NOP\n".repeat(127));
    check_error(&back, 129, "offset to label 'back' out of range (-129)");
    check_error("PUSH 1\nPUSH x,y", 2, "bad argument 'x,y' for PUSH");
    check_error("PUSH 1\nPUSH   # nothing here", 2, "missing argument for PUSH");
    check_error("BR_COND", 1, "missing argument for BR_COND");
    check_error("a:\nPUSH 1\n  a:  ", 3, "duplicate label 'a' (first defined on line 1)");
    check_error("PUSH 1\nPOP 1", 2, "argument '1' given to POP, which takes none");
    check_error("SEND foo", 1, "bad SEND argument 'foo' (expected name/nargs)");
    check_error("SEND foo/bar", 1, "bad SEND argument 'foo/bar' (expected name/nargs)");
    check_error("PUSH 300", 1, "argument 300 does not fit in a byte");
    check_error("PUSH 255\nPICK -129", 2, "argument -129 does not fit in a byte");
    check_error("NEW ,", 1, "empty class descriptor ','");
    check_error(
        "GETATTR a,b",
        1,
        "bad name 'a,b' for GETATTR (names must not contain ',', '|' or '=')",
    );
    check_error("x,y:\nPUSH 1", 1, "bad label name 'x,y' (labels must not contain ',')");
    // Undefined labels are found after the whole file is read: earlier lines' errors win.
    check_error("BR nowhere\nPOP 2", 2, "argument '2' given to POP, which takes none");
    // Control characters in the offending token are shown escaped, never raw.
    check_error("BR a\0b", 1, "undefined label 'a\\u{0}b'");
    check_error("FOO\x1b[2J", 1, "unknown opcode 'FOO\\u{1b}[2J'");
}

#[test]
fn labelled_and_numeric_branches_agree() {
    // assembler_labels.tlc.src is branch_back.tlc.src written with labels (as in PyPy's tests).
    assert_eq!(assemble_conformance("assembler_labels"), assemble_conformance("branch_back"));
}
