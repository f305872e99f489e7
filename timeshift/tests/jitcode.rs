//! Golden tests of the codewriter: each `tests/jitcode/NAME.rpy` starts with a line
//! `# portal: FUNC greens: NAME...`; the JitCode of every specialisation of the analysis, as
//! `timeshift::jitcode::jitcode_text` prints it, must equal `tests/jitcode/NAME.txt`
//! (re-bless with `BLESS=1`).

use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("jitcode")
}

fn cases() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rpy"))
        .collect();
    files.sort();
    files
}

/// The JitCode text of a case: every specialisation, in order.
fn jitcode_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    let header = text.lines().next().and_then(|l| l.strip_prefix("# portal: "));
    let (portal, greens) = header
        .and_then(|h| h.split_once(" greens:"))
        .unwrap_or_else(|| panic!("{name}: first line must be '# portal: FUNC greens: ...'"));
    let greens: Vec<&str> = greens.split_whitespace().collect();
    let program = rpy_ir::front::compile(name, &text).unwrap_or_else(|d| panic!("{d}"));
    let policy = hintanalysis::Policy::new(&program, portal.trim(), &greens)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let analysis =
        hintanalysis::analyse(&program, &policy).unwrap_or_else(|d| panic!("{name}: {d}"));
    let codes = timeshift::jitcode::write_all(&analysis);
    let mut out = String::new();
    for code in codes.codes.values() {
        out.push_str(&timeshift::jitcode::jitcode_text(&program, code));
        out.push('\n');
    }
    out
}

#[test]
fn jitcode_matches_the_golden_files() {
    let files = cases();
    assert!(files.len() >= 6, "only {} JitCode cases", files.len());
    let bless = std::env::var_os("BLESS").is_some();
    let mut stale = Vec::new();
    for path in files {
        let text = jitcode_of(&path);
        let golden = path.with_extension("txt");
        if bless {
            std::fs::write(&golden, &text).unwrap();
        } else {
            match std::fs::read_to_string(&golden) {
                Ok(want) if want == text => {}
                Ok(want) => stale.push(format!(
                    "{}: differs\n--- golden\n{want}--- now\n{text}",
                    golden.display()
                )),
                Err(_) => stale.push(format!("{}: missing", golden.display())),
            }
        }
    }
    assert!(
        stale.is_empty(),
        "JitCode differs from the golden files (run with BLESS=1 to accept):\n{}",
        stale.join("\n")
    );
}

#[test]
fn every_golden_file_has_its_program() {
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            assert!(path.with_extension("rpy").exists(), "{} has no program", path.display());
        }
    }
}

#[test]
fn jitcode_text_shows_each_kind_of_instruction() {
    // Between them the cases exercise every instruction the codewriter writes.
    let all: String = cases().iter().map(|p| jitcode_of(p)).collect();
    for kind in
        ["merge ", "green  ", "red    ", "call   ", "rcall  ", "hint   ", "gexit ", "rexit "]
    {
        assert!(all.contains(kind), "no '{}' instruction in any case", kind.trim());
    }
}
