//! The interpreter's compiled RPy program kept between runs (`rpy_ir::binary`,
//! `backend_llvm::program_cache`): it round-trips exactly, a run of a cached interpreter
//! gives the same output as a compiled one, and a changed or damaged entry is compiled again.

use lang_mini_python::compile_source;
use lang_mini_python::host::{Interpreter, Mode, RunInput, SOURCES};
use rpy_ir::text::print_program;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("mini-python-program-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn the_interpreter_round_trips() {
    let p = rpy_ir::front::compile_files(SOURCES).expect("compiles");
    let bytes = rpy_ir::binary::encode(&p);
    let q = rpy_ir::binary::decode(&bytes).expect("decodes");
    assert_eq!(print_program(&p), print_program(&q));
    assert!(p.graphs.values().eq(q.graphs.values()), "graphs differ (spans, names, arenas)");
    assert!(p.prebuilt.values().eq(q.prebuilt.values()));
    assert_eq!(p.prebuilt_names, q.prebuilt_names);
    assert!(p.types.heap_types().eq(q.types.heap_types()));
    assert!(p.types.virtualizables().eq(q.types.virtualizables()));
    assert_eq!(rpy_ir::binary::encode(&q), bytes);
}

#[test]
fn a_cached_interpreter_runs_as_a_compiled_one() {
    let dir = temp_dir("runs");
    let mut settings = lang_tlc::Settings::default();
    settings.llvm.cache_dir = Some(dir.clone());
    let source = "class A:\n    def __init__(self, x):\n        self.x = x\n\
                  try:\n    print([A(i).x * 2 for i in range(5)], {'a': 1})\n\
                  except Exception:\n    pass\nprint(1 // 0)\n";
    let code = compile_source(source, "t.py").expect("compiles");
    let input = RunInput { code: &code, filename: "t.py", source, argv: &[], capture_stderr: true };
    let first = Interpreter::load(settings.clone()).expect("compiles and keeps");
    let path = backend_llvm::program_cache::entry_path(&dir, SOURCES).expect("known binary");
    assert!(path.exists(), "the program is kept");
    let second = Interpreter::load(settings.clone()).expect("loads");
    assert_eq!(print_program(first.rpy_program()), print_program(second.rpy_program()));
    let run = |i: &Interpreter| i.run(&input, Mode::Llinterp).expect("runs");
    let expected = run(&Interpreter::compile().expect("compiles"));
    assert_eq!(expected.status, 1);
    assert!(expected.stderr.contains("ZeroDivisionError"), "{}", expected.stderr);
    assert_eq!(run(&second), expected);
    // A damaged entry: compiled again, and kept again.
    let good = std::fs::read(&path).expect("kept");
    let mut damaged = good.clone();
    let mid = damaged.len() / 2;
    damaged[mid] ^= 0x40;
    std::fs::write(&path, &damaged).expect("writable");
    let third = Interpreter::load(settings).expect("compiles again");
    assert_eq!(run(&third), expected);
    assert_eq!(std::fs::read(&path).expect("kept again"), good);
    let _ = std::fs::remove_dir_all(&dir);
}
