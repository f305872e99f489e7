//! Strings, numbers and I/O at the edges in translated mode: math externs are LLVM intrinsics
//! (no call left) computing the IR interpreter's bits on edge inputs; the number and string
//! externs agree with llinterp on generated inputs; `read_line` reads the input fed on the
//! calling thread in both modes.

use backend_llvm::{llvm_ir, translate, OptLevel};
use rpy_ir::externs::{capture_output, io::with_input};
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{str_text, RtValue};

const MATH: &str = "\
def sq(x: float, y: float) -> float:
    return math_sqrt(x)

def fl(x: float, y: float) -> float:
    return math_floor(x) + math_ceil(y) + math_fabs(x)

def trig(x: float, y: float) -> float:
    return math_sin(x) * math_cos(y) + math_exp(x) - math_log(y) + math_log10(x)

def pw(x: float, y: float) -> float:
    return math_pow(x, y) + math_fmod(x, y)

def others(x: float, y: float) -> float:
    return math_tan(x) + math_atan(y) + math_atan2(x, y) + math_hypot(x, y)

def status(x: float, y: float) -> int:
    return math_status(math_sqrt(x), x, x) * 10 + math_status(math_log(y), y, y)

def fmt(x: float, y: float) -> str:
    return float_format_f(x, 3) + float_format_e(y, 2) + float_format_g(x * y, -1) + float_to_str(x / y)
";

const EDGES: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.5,
    -2.5,
    1e300,
    -1e-300,
    5e-324,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    3.0,
    100.0,
];

fn show(v: Result<RtValue, rpy_ir::runtime::RuntimeError>) -> String {
    match v {
        // LLVM leaves the sign and payload of a NaN open (an `fadd` of two NaNs may keep
        // either): every NaN reads as one, as Python's `repr` prints them all as `nan`.
        Ok(RtValue::Float(f)) if f.is_nan() => "nan".into(),
        Ok(RtValue::Float(f)) => format!("{:#x}", f.to_bits()),
        Ok(v @ RtValue::Ref(_)) => format!("{:?}", str_text(v)),
        other => format!("{other:?}"),
    }
}

#[test]
fn math_externs_are_intrinsics_and_agree_with_llinterp() {
    let program = rpy_ir::front::compile("math.rpy", MATH).unwrap();
    let ir = llvm_ir(&program, OptLevel::O2).unwrap();
    for intrinsic in ["llvm.sqrt.f64", "llvm.floor.f64", "llvm.sin.f64", "llvm.pow.f64"] {
        assert!(ir.contains(intrinsic), "{intrinsic} is used");
    }
    for called in ["math_sqrt", "math_floor", "math_sin", "math_pow", "math_fmod"] {
        assert!(!ir.contains(&format!("rpy_extern.{called}")), "{called} is no call");
    }
    assert!(ir.contains("rpy_extern.math_hypot"), "an extern without an intrinsic is a call");
    let mut interp = Interp::new(&program);
    for opt in [OptLevel::O0, OptLevel::O2] {
        let mut t = translate(&program, opt).unwrap();
        for f in ["sq", "fl", "trig", "pw", "others", "status", "fmt"] {
            let g = program.graph_by_name(f).unwrap();
            for &x in EDGES {
                for &y in EDGES {
                    let args = [RtValue::Float(x), RtValue::Float(y)];
                    let want = show(interp.call(g, &args));
                    let got = show(t.call(g, &args));
                    assert_eq!(got, want, "{f}({x:?}, {y:?}) at {opt:?}");
                }
            }
        }
    }
}

const PARSE: &str = "\
def to_int(s: str, base: int) -> int:
    return str_to_int(s, base) * 10 + str_to_int_status(s, base)

def to_float(s: str, base: int) -> float:
    return str_to_float(s) + float(str_to_float_status(s))

def in_base(s: str, base: int) -> str:
    return int_to_str_base(len(s) * 1234567 - 99, base)

def text_ops(s: str, base: int) -> str:
    parts = str_split(s)
    return str_join(\"|\", parts) + str_upper(str_strip(s)) + s[::-1] + s[base:] + str_replace(s, \" \", \"_\")

def lines(s: str, base: int) -> str:
    a = read_line()
    b = read_line()
    c = read_line()
    return a + \"/\" + b + \"/\" + c + \"/\" + int_to_str(len(c))
";

#[test]
fn parsing_and_text_externs_agree_with_llinterp() {
    let program = rpy_ir::front::compile("parse.rpy", PARSE).unwrap();
    let mut interp = Interp::new(&program);
    let mut t = translate(&program, OptLevel::O2).unwrap();
    let inputs = [
        "42",
        " -1_000 ",
        "0x1F",
        "0b101",
        "1e5",
        "  3.5 ",
        "inf",
        "-nan",
        "1__0",
        "",
        "zz",
        "٣",
        "héllo wörld",
        "9223372036854775808",
        " a  b\tc😀 ",
    ];
    for f in ["to_int", "to_float", "in_base", "text_ops"] {
        let g = program.graph_by_name(f).unwrap();
        for text in inputs {
            for base in [0, 2, 10, 16, 36, 1] {
                let (a, b) = (interp.alloc_str(text), t.alloc_str(text));
                let want = show(interp.call(g, &[a, RtValue::Int(base)]));
                let got = show(t.call_here(g, &[b, RtValue::Int(base)]));
                assert_eq!(got, want, "{f}({text:?}, {base})");
            }
        }
    }
    let g = program.graph_by_name("lines").unwrap();
    let input = "first\nsécond\n".as_bytes();
    let (a, b) = (interp.alloc_str(""), t.alloc_str(""));
    let (want, _) =
        capture_output(|| with_input(input, || show(interp.call(g, &[a, RtValue::Int(0)]))));
    let got = with_input(input, || show(t.call_here(g, &[b, RtValue::Int(0)])));
    assert_eq!(want, "Some(\"first\\n/sécond\\n//0\")");
    assert_eq!(got, want);
}
