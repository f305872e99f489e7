//! Golden tests of the hint analysis: `cases/NAME.rpy` analysed from the portal its first line
//! names (`# portal: FUNC greens: a,b`), compared with `cases/NAME.colours` (re-bless with
//! `BLESS=1`), or, for a case with `# error:` and `# note:` lines, the exact error and note.

use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rpy"))
        .collect();
    files.sort();
    files
}

fn header<'t>(text: &'t str, key: &str) -> Vec<&'t str> {
    text.lines().filter_map(|l| l.strip_prefix(key)).collect()
}

#[test]
fn golden_colours_and_errors() {
    let bless = std::env::var_os("BLESS").is_some();
    let files = cases();
    assert!(files.len() >= 15, "only {} cases", files.len());
    let mut failures = Vec::new();
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let spec = header(&text, "# portal: ")[0];
        let (portal, greens) = spec.split_once(" greens:").expect("# portal: F greens: a,b");
        let greens: Vec<&str> =
            greens.split(',').map(str::trim).filter(|g| !g.is_empty()).collect();
        let program =
            rpy_ir::front::compile(&name, &text).unwrap_or_else(|d| panic!("{name}:\n{d}"));
        let policy = hintanalysis::Policy::new(&program, portal.trim(), &greens).unwrap();
        let result = hintanalysis::analyse(&program, &policy);
        let want_error = header(&text, "# error: ");
        match (result, want_error.first()) {
            (Ok(a), None) => {
                let got = hintanalysis::dump::colours_text(&a);
                let golden = path.with_extension("colours");
                if bless {
                    std::fs::write(&golden, &got).unwrap();
                } else if std::fs::read_to_string(&golden).ok().as_deref() != Some(got.as_str()) {
                    failures.push(format!(
                        "{name}: colours differ from {} (BLESS=1 to accept):\n{got}",
                        golden.display()
                    ));
                }
            }
            (Ok(_), Some(e)) => failures.push(format!("{name}: analysed, expected error {e}")),
            (Err(d), None) => failures.push(format!("{name}: unexpected error:\n{d}")),
            (Err(d), Some(want)) => {
                let rendered = d.to_string();
                let first = rendered.lines().next().unwrap_or("");
                let note = rendered.lines().find(|l| l.contains(": note: ")).unwrap_or("");
                let want_note = header(&text, "# note: ");
                if first != *want || want_note.first() != Some(&note) {
                    failures.push(format!(
                        "{name}:\n  expected {want}\n       and {want_note:?}\n  got:\n{rendered}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
