//! mini-Python's RPy library files (`src/rpylib/random.rpy`, `src/rpylib/format.rpy`) against
//! CPython 3.11: each library is compiled with a test driver appended
//! (`tests/rpylib/*_driver.rpy`) by the RPy front end, then every case runs in the IR
//! interpreter and in translated mode (LLVM, O0 and O2), and each result must be CPython's
//! text, pasted as literals in `tests/rpylib/expected_*.rs` by `tests/rpylib/regen.py`.
//!
//! Vocabulary: a *case* is a driver function, its arguments and CPython's text; a result reads
//! as the returned string or int, or `error: Class: message` for an uncaught RPy exception.

use backend_llvm::{translate, OptLevel, Translated};
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{str_text, RtValue, RuntimeError, RuntimeErrorKind};

include!("rpylib/expected_random.rs");
include!("rpylib/expected_format.rs");

const RANDOM_LIB: &str = lang_mini_python::rpylib::RANDOM;
const RANDOM_DRIVER: &str = include_str!("rpylib/random_driver.rpy");
const FORMAT_LIB: &str = lang_mini_python::rpylib::FORMAT;
const FORMAT_DRIVER: &str = include_str!("rpylib/format_driver.rpy");

/// An argument of a driver function.
#[derive(Clone, Debug)]
enum Arg {
    Int(i64),
    Float(f64),
    Str(String),
}

/// One call of a driver function and the text CPython gave.
struct Case {
    func: &'static str,
    args: Vec<Arg>,
    expected: String,
}

/// The library with its driver appended, compiled (a front-end error fails the test with its
/// diagnostics).
fn compile(name: &str, lib: &str, driver: &str) -> Program {
    let text = format!("{lib}\n{driver}");
    match rpy_ir::front::compile(name, &text) {
        Ok(p) => p,
        Err(d) => panic!("{name} does not compile:\n{d}"),
    }
}

/// A mode the cases run in.
enum Runner<'p> {
    Llinterp(Box<Interp<'p>>),
    Translated(Box<Translated>, OptLevel),
}

impl Runner<'_> {
    fn name(&self) -> String {
        match self {
            Runner::Llinterp(_) => "llinterp".into(),
            Runner::Translated(_, opt) => format!("translated {opt:?}"),
        }
    }

    fn value(&mut self, arg: &Arg) -> RtValue {
        match (self, arg) {
            (_, Arg::Int(n)) => RtValue::Int(*n),
            (_, Arg::Float(x)) => RtValue::Float(*x),
            (Runner::Llinterp(i), Arg::Str(s)) => i.alloc_str(s),
            (Runner::Translated(t, _), Arg::Str(s)) => t.alloc_str(s),
        }
    }

    /// The call's result as text (see the module header).
    fn run(&mut self, program: &Program, case: &Case) -> String {
        let g = program.graph_by_name(case.func).unwrap_or_else(|| panic!("no {}", case.func));
        let args: Vec<RtValue> = case.args.iter().map(|a| self.value(a)).collect();
        let result = match self {
            Runner::Llinterp(i) => i.call(g, &args),
            Runner::Translated(t, _) => t.call(g, &args),
        };
        show(result)
    }
}

fn show(result: Result<RtValue, RuntimeError>) -> String {
    match result {
        Ok(RtValue::Int(n)) => n.to_string(),
        Ok(v @ RtValue::Ref(_)) => str_text(v).unwrap_or_else(|| "<null>".into()),
        Ok(other) => format!("{other:?}"),
        Err(e) if e.kind == RuntimeErrorKind::Uncaught => format!("error: {}", e.message),
        Err(e) => format!("run-time error: {e:?}"),
    }
}

/// Runs every case in every mode; fails listing each mismatch.
fn check(program: &Program, cases: &[Case]) {
    let mut runners = vec![Runner::Llinterp(Box::new(Interp::new(program)))];
    for opt in [OptLevel::O0, OptLevel::O2] {
        let t = translate(program, opt).unwrap_or_else(|e| panic!("translation fails: {e}"));
        runners.push(Runner::Translated(Box::new(t), opt));
    }
    let mut failures = Vec::new();
    for runner in &mut runners {
        for case in cases {
            let got = runner.run(program, case);
            if got != case.expected {
                failures.push(format!(
                    "{} {}{:?}:\n  got      {got:?}\n  expected {:?}",
                    runner.name(),
                    case.func,
                    case.args,
                    case.expected
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn random_sequences_are_cpythons() {
    let program = compile("random.rpy", RANDOM_LIB, RANDOM_DRIVER);
    let mut cases: Vec<Case> = RANDOM_EXPECTED
        .iter()
        .map(|&(func, seed, text)| Case { func, args: vec![Arg::Int(seed)], expected: text.into() })
        .collect();
    for (i, message) in RANDOM_ERRORS.iter().enumerate() {
        cases.push(Case {
            func: "empty_range",
            args: vec![Arg::Int(i as i64)],
            expected: format!("error: {message}"),
        });
    }
    assert!(cases.len() >= 7 * 6, "every kind of draw for every seed");
    check(&program, &cases);
}

#[test]
fn seeding_from_the_clock_draws_in_range() {
    let program = compile("random.rpy", RANDOM_LIB, RANDOM_DRIVER);
    let case = Case { func: "time_seeded", args: vec![Arg::Int(0)], expected: "1".into() };
    check(&program, &[case]);
}

/// A format case's arguments as its driver function takes them.
fn format_args(func: &str, value: &str, spec: &str) -> Vec<Arg> {
    let spec = Arg::Str(spec.into());
    let int = |v: &str| v.parse::<i64>().unwrap_or_else(|e| panic!("{v}: {e}"));
    match func {
        "fmt_case_int" | "pct_case_int" | "fmt_case_bool" => vec![Arg::Int(int(value)), spec],
        "fmt_case_float" | "pct_case_float" => {
            let x = value.parse::<f64>().unwrap_or_else(|e| panic!("{value}: {e}"));
            vec![Arg::Float(x), spec]
        }
        "fmt_case_digits" => {
            let (negative, digits) = match value.strip_prefix('-') {
                Some(d) => (1, d),
                None => (0, value),
            };
            vec![Arg::Int(negative), Arg::Str(digits.into()), spec]
        }
        _ => vec![Arg::Str(value.into()), spec],
    }
}

#[test]
fn format_specs_are_cpythons() {
    let program = compile("format.rpy", FORMAT_LIB, FORMAT_DRIVER);
    let cases: Vec<Case> = FORMAT_CASES
        .iter()
        .map(|&(func, value, spec, text)| Case {
            func,
            args: format_args(func, value, spec),
            expected: text.into(),
        })
        .collect();
    assert!(cases.len() >= 60, "at least 60 format cases");
    check(&program, &cases);
}

#[test]
fn both_libraries_compile_into_one_program() {
    // The interpreter includes both files in its own program: no name may clash.
    let program = compile("rpylib.rpy", RANDOM_LIB, FORMAT_LIB);
    for f in ["mt_random", "mt_shuffle_swaps", "format_int", "format_float", "percent_float"] {
        assert!(program.graph_by_name(f).is_some(), "{f} is in the program");
    }
}
