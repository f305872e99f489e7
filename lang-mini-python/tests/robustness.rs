//! The front end never panics and never makes invalid code, whatever the input: programs
//! from the test directories are mutated (characters and tokens inserted, deleted,
//! duplicated; lines re-indented or repeated) with a fixed-seed generator, and each mutant
//! either compiles to code that passes the verifier or gets a located error that renders.

use std::path::Path;

use lang_mini_python::{compile_source, verify};

/// xorshift64*: a small deterministic generator (the test must be reproducible).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ",",
    "=",
    "+",
    "**",
    "if ",
    " else ",
    "for ",
    " in ",
    "not ",
    "lambda ",
    "def ",
    "return ",
    "yield ",
    ".",
    "'",
    "\"",
    "\"\"\"",
    "\n",
    "    ",
    "\t",
    "\\",
    "#",
    "0x",
    "1e",
    "1_",
    "f'{",
    "}",
    "*",
    "global x\n",
    "nonlocal x\n",
    "break\n",
    "continue\n",
    "try:\n",
    "except ",
    "finally:\n",
    "class ",
    "with ",
    " as ",
    "import ",
    "from ",
    "del ",
    "assert ",
    "raise ",
    "async ",
    "@",
    ";",
    "é",
    "\u{feff}",
];

fn sources() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut out = Vec::new();
    for dir in ["dis", "scopes", "syntax_errors"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut paths: Vec<_> = entries.map(|e| e.expect("dir entry").path()).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "py") {
                out.push(std::fs::read_to_string(&p).expect("read program"));
            }
        }
    }
    out
}

fn mutate(src: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = src.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(chars.len() + 1);
        match rng.below(5) {
            0 | 1 => {
                let piece = PIECES[rng.below(PIECES.len())];
                chars.splice(at..at, piece.chars());
            }
            2 => {
                let end = (at + 1 + rng.below(6)).min(chars.len());
                if at < end {
                    chars.drain(at..end);
                }
            }
            3 => {
                let end = (at + 1 + rng.below(12)).min(chars.len());
                let copy: Vec<char> = chars[at.min(end)..end].to_vec();
                chars.splice(at..at, copy);
            }
            _ => {
                let line_start = chars[..at].iter().rposition(|&c| c == '\n').map_or(0, |i| i + 1);
                let pad = " ".repeat(1 + rng.below(5));
                chars.splice(line_start..line_start, pad.chars());
            }
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mutated_programs_compile_or_fail_cleanly() {
    let sources = sources();
    assert!(!sources.is_empty());
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut errors) = (0, 0);
    for round in 0..12 {
        for (i, src) in sources.iter().enumerate() {
            let mutant = mutate(src, &mut rng);
            match compile_source(&mutant, "m.py") {
                Ok(code) => {
                    if let Err(e) = verify::verify(&code) {
                        panic!("round {round}, program {i}: invalid code: {e}\n{mutant}");
                    }
                    ok += 1;
                }
                Err(e) => {
                    let lines = mutant.split('\n').count() as u32;
                    assert!(e.line >= 1 && e.line <= lines + 1, "bad line {} in\n{mutant}", e.line);
                    let report = e.render("m.py");
                    assert!(report.ends_with('\n') && report.contains(e.kind.name()), "{report}");
                    errors += 1;
                }
            }
        }
    }
    eprintln!("{ok} mutants compiled, {errors} reported errors");
    assert!(ok > 0 && errors > 0);
}
