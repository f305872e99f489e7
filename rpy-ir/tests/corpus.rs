//! The program corpus (`tests/programs/*.rpy`) and the bad-program corpus (`tests/errors/`).
//!
//! A program's header says what to run and what to expect:
//! `# run: FUNC ARG... => RESULT` (RESULT: an int, `True`/`False`, `"string"`, `'c'`, or
//! `error: TEXT` for a runtime error whose message contains TEXT), followed by optional
//! `# output: LINE` lines, the exact standard output of that run. Each program is also checked
//! by the verifier, printed to the textual IR and parsed back (round trip), and compared with
//! its golden IR in `tests/golden/NAME.ir` (re-bless with `BLESS=1`).
//! A bad program's first line is `# error: LOCATION: error: MESSAGE`, the exact first line of
//! the diagnostic the front end must give.

use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{str_text, RtValue};
use rpy_ir::types::Ty;
use std::path::{Path, PathBuf};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(name)
}

fn rpy_files(name: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir(name))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rpy"))
        .collect();
    files.sort();
    files
}

fn compile(path: &Path) -> Program {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    match rpy_ir::front::compile(name, &text) {
        Ok(p) => p,
        Err(d) => panic!("{name} does not compile:\n{d}"),
    }
}

struct Run {
    func: String,
    args: Vec<String>,
    expect: String,
    output: Vec<String>,
}

fn runs(path: &Path) -> Vec<Run> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut runs: Vec<Run> = Vec::new();
    for line in text.lines() {
        if let Some(spec) = line.strip_prefix("# run: ") {
            let (call, expect) = spec.split_once(" => ").expect("run line needs ' => '");
            let mut words = call.split_whitespace().map(String::from);
            let func = words.next().unwrap();
            runs.push(Run {
                func,
                args: words.collect(),
                expect: expect.to_string(),
                output: Vec::new(),
            });
        } else if let Some(out) = line.strip_prefix("# output: ") {
            runs.last_mut().expect("output line before any run line").output.push(out.to_string());
        }
    }
    runs
}

fn arg_value(interp: &mut Interp, ty: Ty, text: &str) -> RtValue {
    match ty {
        Ty::Int => RtValue::Int(text.parse().unwrap()),
        Ty::Float => RtValue::Float(text.parse().unwrap()),
        Ty::Bool => RtValue::Bool(text == "True"),
        Ty::Ref(_) => interp.alloc_str(text),
        other => panic!("unsupported argument type {other:?}"),
    }
}

fn show(v: RtValue) -> String {
    match v {
        RtValue::Void => "None".into(),
        RtValue::Int(i) => i.to_string(),
        RtValue::Float(f) => rpy_ir::externs::float_repr(f),
        RtValue::Bool(b) => if b { "True" } else { "False" }.into(),
        RtValue::Char(c) => format!("'{c}'"),
        v @ RtValue::Ref(_) => match str_text(v) {
            Some(text) => format!("\"{text}\""),
            None => "<object>".into(),
        },
        RtValue::Func(g) => format!("<function {g}>"),
    }
}

#[test]
fn corpus_runs_in_the_ir_interpreter() {
    let mut failures = Vec::new();
    let mut count = 0;
    for path in rpy_files("programs") {
        let program = compile(&path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mut interp = Interp::new(&program);
        for run in runs(&path) {
            count += 1;
            let g = program
                .graph_by_name(&run.func)
                .unwrap_or_else(|| panic!("{name}: no function {}", run.func));
            let params = program.graphs[g].params.clone();
            assert_eq!(params.len(), run.args.len(), "{name}: arity of {}", run.func);
            let args: Vec<RtValue> =
                params.iter().zip(&run.args).map(|(t, a)| arg_value(&mut interp, *t, a)).collect();
            let (result, out) = rpy_ir::externs::capture_output(|| interp.call(g, &args));
            let got = match result {
                Ok(v) => show(v),
                Err(e) => format!("error: {}", e.render(&program.sources)),
            };
            let ok = match run.expect.strip_prefix("error: ") {
                Some(text) => got.starts_with("error: ") && got.contains(text),
                None => got == run.expect,
            };
            let want_out: String = run.output.iter().map(|l| format!("{l}\n")).collect();
            if !ok || (!run.output.is_empty() && out != want_out) {
                failures.push(format!(
                    "{name}: {} {:?}: expected {} (output {want_out:?}), got {got} (output {out:?})",
                    run.func, run.args, run.expect
                ));
            }
        }
    }
    assert!(count >= 40, "the corpus has only {count} runs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corpus_verifies_and_round_trips_through_text() {
    for path in rpy_files("programs")
        .into_iter()
        .chain(std::iter::once(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo.rpy")))
    {
        let program = compile(&path);
        if let Err(errs) = rpy_ir::verify::verify_program(&program) {
            panic!(
                "{}: {}",
                path.display(),
                errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
            );
        }
        let text = rpy_ir::text::print_program(&program);
        let parsed = rpy_ir::text::parse_program(&text)
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
        rpy_ir::verify::verify_program(&parsed).unwrap();
        assert_eq!(rpy_ir::text::print_program(&parsed), text, "{}: round trip", path.display());
    }
}

#[test]
fn corpus_golden_ir() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut stale = Vec::new();
    for path in rpy_files("programs") {
        let program = compile(&path);
        let text = rpy_ir::text::print_program(&program);
        let golden = dir("golden").join(path.with_extension("ir").file_name().unwrap());
        if bless {
            std::fs::write(&golden, &text).unwrap();
        } else if std::fs::read_to_string(&golden).ok().as_deref() != Some(text.as_str()) {
            stale.push(golden.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "golden IR differs (run with BLESS=1 to accept): {}",
        stale.join(", ")
    );
}

#[test]
fn bad_programs_give_their_exact_error() {
    let files = rpy_files("errors");
    assert!(files.len() >= 20, "only {} bad programs", files.len());
    let mut failures = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let want = text
            .lines()
            .next()
            .unwrap()
            .strip_prefix("# error: ")
            .expect("first line: # error: ...");
        let name = path.file_name().unwrap().to_str().unwrap();
        match rpy_ir::front::compile(name, &text) {
            Ok(_) => failures.push(format!("{name}: compiled, expected {want}")),
            Err(d) => {
                let rendered = d.to_string();
                let first = rendered.lines().next().unwrap_or("");
                if first != want {
                    failures.push(format!("{name}:\n  expected {want}\n  got      {first}"));
                }
                // The excerpt shows the source line and a caret.
                assert!(
                    rendered.lines().nth(2).is_some_and(|l| l.trim() == "^"),
                    "{name}: no caret:\n{rendered}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
