//! Differential test: every `# run:` line of every corpus program (rpy-ir/tests/programs and
//! rpy-ir/examples/demo.rpy) runs in llinterp and in translated mode at O0 and O2; results,
//! captured output and runtime errors (kind, message, span, graph) must be identical.

use backend_llvm::{translate, OptLevel, Translated};
use rpy_ir::externs::capture_output;
use rpy_ir::ir::Program;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{RtValue, RuntimeError};
use rpy_ir::types::Ty;
use std::path::{Path, PathBuf};

fn rpy_ir_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../rpy-ir")
}

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(rpy_ir_dir().join("tests/programs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rpy"))
        .collect();
    files.sort();
    files.push(rpy_ir_dir().join("examples/demo.rpy"));
    files
}

fn compile(path: &Path) -> Program {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    rpy_ir::front::compile(name, &text).unwrap_or_else(|d| panic!("{name}: {d}"))
}

/// `(function, arguments)` of every `# run:` line (the demo's header names its run differently).
fn runs(path: &Path) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut runs: Vec<(String, Vec<String>)> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# run: "))
        .map(|spec| {
            let call = spec.split_once(" => ").map_or(spec, |(c, _)| c);
            let mut words = call.split_whitespace().map(String::from);
            (words.next().unwrap(), words.collect())
        })
        .collect();
    if runs.is_empty() && path.ends_with("demo.rpy") {
        runs.push(("main".into(), vec!["25".into()]));
    }
    runs
}

/// A value both modes can be compared on (addresses differ; strings are compared by text).
fn show(v: RtValue, ty: Ty, program: &Program) -> String {
    match v {
        RtValue::Ref(p) if p.is_null() => "null".into(),
        RtValue::Ref(_) if ty == Ty::Ref(rpy_ir::types::TypeTable::STR) => {
            format!("{:?}", rpy_ir::runtime::str_text(v))
        }
        RtValue::Ref(_) => format!("<{}>", program.types.display(ty)),
        RtValue::Float(f) => format!("float {:#x}", f.to_bits()),
        RtValue::Func(g) => format!("<function {}>", program.graphs[g].name),
        other => format!("{other:?}"),
    }
}

fn outcome(r: Result<RtValue, RuntimeError>, ty: Ty, program: &Program) -> String {
    match r {
        Ok(v) => show(v, ty, program),
        Err(e) => format!("error {:?} at {:?} in {}: {}", e.kind, e.span, e.graph, e.message),
    }
}

fn arg(ty: Ty, text: &str, alloc_str: &mut dyn FnMut(&str) -> RtValue) -> RtValue {
    match ty {
        Ty::Int => RtValue::Int(text.parse().unwrap()),
        Ty::Float => RtValue::Float(text.parse().unwrap()),
        Ty::Bool => RtValue::Bool(text == "True"),
        Ty::Char => RtValue::Char(text.chars().next().expect("a char argument")),
        Ty::Ref(_) => alloc_str(text),
        other => panic!("unsupported argument type {other:?}"),
    }
}

fn check_program(path: &Path, opts: &[OptLevel]) -> (usize, Vec<String>) {
    let program = compile(path);
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut interp = Interp::new(&program);
    let mut translated: Vec<(OptLevel, Translated)> = opts
        .iter()
        .map(|&o| (o, translate(&program, o).unwrap_or_else(|e| panic!("{name} at {o:?}: {e}"))))
        .collect();
    let mut failures = Vec::new();
    let mut count = 0;
    for (func, texts) in runs(path) {
        let g = program.graph_by_name(&func).unwrap_or_else(|| panic!("{name}: no {func}"));
        let graph = &program.graphs[g];
        let args: Vec<RtValue> = graph
            .params
            .iter()
            .zip(&texts)
            .map(|(&t, a)| arg(t, a, &mut |b| interp.alloc_str(b)))
            .collect();
        let (want, want_out) = capture_output(|| interp.call(g, &args));
        let want = outcome(want, graph.ret, &program);
        for (opt, t) in &mut translated {
            count += 1;
            let (got, got_out) = capture_output(|| t.call(g, &args));
            let got = outcome(got, graph.ret, &program);
            if std::env::var_os("DIFF_VERBOSE").is_some() {
                eprintln!("{name}: {func} {texts:?} at {opt:?}: {got} (output {got_out:?})");
            }
            if got != want || got_out != want_out {
                failures.push(format!(
                    "{name}: {func} {texts:?} at {opt:?}:\n  llinterp:   {want} (output {want_out:?})\n  translated: {got} (output {got_out:?})"
                ));
            }
        }
    }
    (count, failures)
}

#[test]
fn every_corpus_run_agrees_with_llinterp_at_o0_and_o2() {
    let mut failures = Vec::new();
    let mut count = 0;
    for path in corpus() {
        let (n, f) = check_program(&path, &[OptLevel::O0, OptLevel::O2]);
        count += n;
        failures.extend(f);
    }
    eprintln!("{count} translated runs agree with llinterp");
    assert!(count >= 80, "only {count} translated runs");
    assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
}
