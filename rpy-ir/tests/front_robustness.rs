//! Bad input never panics the front end: every corpus program, mutated line by line and token
//! by token, either compiles to a program the verifier accepts or gives located diagnostics.

use std::path::Path;

fn corpus() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/programs", "examples"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "rpy") {
                out.push((p.display().to_string(), std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn check(name: &str, text: &str) {
    let result = std::panic::catch_unwind(|| rpy_ir::front::compile("m.rpy", text));
    match result {
        Err(_) => panic!("the front end panicked on a mutant of {name}:\n{text}"),
        Ok(Ok(program)) => {
            if let Err(errs) = rpy_ir::verify::verify_program(&program) {
                panic!("a mutant of {name} compiled to invalid IR: {}\n{text}", errs[0]);
            }
        }
        Ok(Err(d)) => assert!(!d.errors.is_empty() && d.errors.iter().all(|e| e.span.is_known())),
    }
}

/// Replacements that keep the text lexically plausible but break types, names and structure.
const SWAPS: &[(&str, &str)] = &[
    ("int", "float"),
    ("int", "str"),
    ("True", "1"),
    ("None", "0"),
    ("return ", "return None + "),
    ("+", "and"),
    ("==", "is"),
    ("while", "if"),
    ("if", "while"),
    ("(", "(("),
    (":", ""),
    ("    ", "  "),
    ("as", "isa"),
    ("[", "[["),
    ("= ", "= -"),
];

#[test]
fn mutants_never_panic() {
    let mut count = 0;
    for (name, text) in corpus() {
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let mut m = lines.clone();
            m.remove(i);
            check(&name, &m.join("\n"));
            count += 1;
            for (from, to) in SWAPS {
                if lines[i].contains(from) {
                    let mut m = lines.clone();
                    let changed = lines[i].replacen(from, to, 1);
                    m[i] = &changed;
                    check(&name, &m.join("\n"));
                    count += 1;
                }
            }
        }
    }
    assert!(count > 1000, "only {count} mutants");
}
