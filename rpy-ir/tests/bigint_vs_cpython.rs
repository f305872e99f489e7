//! The `big_*` externs against CPython on seeded random operands: every operation on a few
//! hundred pairs of integers (up to ~1100 bits, both signs, edge values), computed by the
//! externs (as the IR interpreter calls them) and by `/usr/bin/python3` from the same text,
//! must print the same line. Skipped, saying so, where `python3` is absent.

use rpy_ir::externs::{lookup, utf8, ExternValue, StrPtr};
use std::io::Write;
use std::process::{Command, Stdio};

/// A small deterministic generator (64-bit LCG, high bits).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 11
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Hex text (`-` for negatives, no prefix) of a random integer: a random bit length, or one
/// of the edge values around word and float limits.
fn operand(rng: &mut Rng) -> String {
    const EDGES: &[&str] = &[
        "0",
        "1",
        "-1",
        "7fffffffffffffff",
        "-8000000000000000",
        "8000000000000000",
        "10000000000000000",
        "1fffffffffffff",
        "20000000000000",
        "20000000000001",
        "1fffffffffffffff",
    ];
    if rng.below(5) == 0 {
        return EDGES[rng.below(EDGES.len() as u64) as usize].to_string();
    }
    let bits = match rng.below(4) {
        0 => rng.below(64),
        1 => rng.below(200),
        2 => rng.below(600),
        _ => 1000 + rng.below(100),
    } + 1;
    let digits = bits.div_ceil(4);
    let mut text: String =
        (0..digits).map(|_| char::from_digit(rng.below(16) as u32, 16).unwrap()).collect();
    if text.chars().all(|c| c == '0') {
        text = "1".into();
    }
    if rng.below(2) == 0 {
        text.insert(0, '-');
    }
    text
}

fn call(name: &str, args: &[u64]) -> u64 {
    (lookup(name).unwrap_or_else(|| panic!("no extern {name}")).interp)(args)
}

fn big(hex: &str) -> u64 {
    call("big_from_str", &[StrPtr::from_text(hex).to_word(), 16])
}

fn text(w: u64) -> String {
    // SAFETY: a fresh str result, alive on this stack.
    utf8(unsafe { StrPtr::from_word(w).chars() })
}

fn dec(w: u64) -> String {
    text(call("big_to_str", &[w, 10]))
}

/// What the externs print for one case: `op a b` (b unused by unary ops, read as a small int
/// by shifts and powers).
fn ours(op: &str, a: &str, b: &str) -> String {
    let (x, y) = (big(a), big(b));
    let small = i64::from_str_radix(b, 16).map_or(0, |v| v.rem_euclid(300));
    let float = |w: u64| {
        let f = f64::from_bits(w);
        if f.is_infinite() {
            "overflow".to_string()
        } else {
            // The bits: a float's repr may pick another of two shortest strings.
            (f.to_bits() as i64).to_string()
        }
    };
    match op {
        "add" | "sub" | "mul" | "and" | "or" | "xor" => dec(call(&format!("big_{op}"), &[x, y])),
        "floordiv" | "mod" => dec(call(&format!("big_{op}"), &[x, y])),
        "pow" => dec(call("big_pow", &[x, (small % 12) as u64])),
        "lshift" | "rshift" => dec(call(&format!("big_{op}"), &[x, small as u64])),
        "neg" | "abs" | "invert" => dec(call(&format!("big_{op}"), &[x])),
        "cmp" => (call("big_cmp", &[x, y]) as i64).to_string(),
        "hash" => (call("big_hash", &[x]) as i64).to_string(),
        "bit_length" => (call("big_bit_length", &[x]) as i64).to_string(),
        "sign" => (call("big_sign", &[x]) as i64).to_string(),
        "to_int" => match call("big_fits_int", &[x]) {
            0 => "big".to_string(),
            _ => (call("big_to_int", &[x]) as i64).to_string(),
        },
        "to_float" => float(call("big_to_float", &[x])),
        "truediv" => float(call("big_truediv", &[x, y])),
        "hex" => text(call("big_to_str", &[x, 16])),
        "oct" => text(call("big_to_str", &[x, 8])),
        "bin" => text(call("big_to_str", &[x, 2])),
        _ => unreachable!("{op}"),
    }
}

/// The same computations in Python: one line per case on stdin, one result per line out.
const PYTHON: &str = r#"
import struct, sys
def f(x):
    try:
        return str(struct.unpack("<q", struct.pack("<d", float(x)))[0])
    except OverflowError:
        return "overflow"
def strip(s):
    return "-" + s[3:] if s.startswith("-") else s[2:]
for line in sys.stdin:
    op, a, b = line.split()
    x, y = int(a, 16), int(b, 16)
    small = int(b, 16) % 300 if len(b.lstrip("-")) <= 16 and -2**63 <= int(b, 16) < 2**63 else 0
    r = {
        "add": lambda: x + y, "sub": lambda: x - y, "mul": lambda: x * y,
        "and": lambda: x & y, "or": lambda: x | y, "xor": lambda: x ^ y,
        "floordiv": lambda: x // y, "mod": lambda: x % y,
        "pow": lambda: x ** (small % 12),
        "lshift": lambda: x << small, "rshift": lambda: x >> small,
        "neg": lambda: -x, "abs": lambda: abs(x), "invert": lambda: ~x,
        "cmp": lambda: (x > y) - (x < y), "hash": lambda: hash(x),
        "bit_length": lambda: x.bit_length(), "sign": lambda: (x > 0) - (x < 0),
        "to_int": lambda: x if -2**63 <= x < 2**63 else "big",
        "to_float": lambda: f(x),
        "truediv": lambda: f(x / y),
        "hex": lambda: strip(hex(x)), "oct": lambda: strip(oct(x)), "bin": lambda: strip(bin(x)),
    }[op]
    try:
        print(r())
    except OverflowError:
        print("overflow")
"#;

const OPS: &[&str] = &[
    "add",
    "sub",
    "mul",
    "and",
    "or",
    "xor",
    "floordiv",
    "mod",
    "pow",
    "lshift",
    "rshift",
    "neg",
    "abs",
    "invert",
    "cmp",
    "hash",
    "bit_length",
    "sign",
    "to_int",
    "to_float",
    "truediv",
    "hex",
    "oct",
    "bin",
];

#[test]
fn random_operations_agree_with_cpython() {
    let python = "/usr/bin/python3";
    if !std::path::Path::new(python).exists() {
        eprintln!("bigint_vs_cpython: {python} is absent, skipped");
        return;
    }
    let mut rng = Rng(0x5eed_b161);
    let mut cases = Vec::new();
    for _ in 0..300 {
        let (a, b) = (operand(&mut rng), operand(&mut rng));
        for op in OPS {
            let divides = matches!(*op, "floordiv" | "mod" | "truediv");
            if divides && b == "0" {
                continue;
            }
            cases.push((op.to_string(), a.clone(), b.clone()));
        }
    }
    let input: String = cases.iter().map(|(op, a, b)| format!("{op} {a} {b}\n")).collect();
    let mut child = Command::new(python)
        .arg("-c")
        .arg(PYTHON)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    // Written from another thread: Python answers while it reads, and a full output pipe
    // would otherwise stop it reading.
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "python3 failed");
    let theirs: Vec<String> =
        String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
    assert_eq!(theirs.len(), cases.len());
    let mut failures = Vec::new();
    for ((op, a, b), want) in cases.iter().zip(&theirs) {
        let got = ours(op, a, b);
        if &got != want {
            failures.push(format!("{op} {a} {b}: ours {got}, CPython {want}"));
        }
    }
    eprintln!("bigint_vs_cpython: {} cases, {} differ", cases.len(), failures.len());
    assert!(failures.is_empty(), "{}", failures[..failures.len().min(10)].join("\n"));
}
