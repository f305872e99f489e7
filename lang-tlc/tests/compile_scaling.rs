//! Compile work grows linearly with the user's code (issue 17): straight-line programs of 100,
//! 1 000 and 10 000 `PUSH 1` and loops whose body is 100, 1 000 and 10 000 instructions,
//! compiled at once (`--jit-hot 1`), report (`RPY_JIT_LOG=cost`: one line per compilation)
//! residual ops, merge versions and the values they pass that grow at most 15 times from one
//! size to the next (ten times the code); no single graph passes a fixed size, however long
//! the code (large compilations are split at the global merge point, `timeshift`'s
//! `rainbow/split.rs`); nothing gives up; and the results are right. Counts, not wall time:
//! `scripts/compile_scaling.py` prints the times.

use std::process::Command;

/// Growth allowed from one size to the next, ten times larger (the bound, on counts).
const MAX_GROWTH: f64 = 15.0;

/// Residual ops one graph may hold, however long the code: the split size
/// (`Budgets::split_ops`, 2 000) plus what the last instruction before the cut and the
/// other paths of the same compilation add, generously.
const MAX_GRAPH_OPS: usize = 6_000;

/// `PUSH 1` `n` times, then `RETURN`: the result is 1.
fn straight_line(n: usize) -> String {
    format!("main:\n{}RETURN\n", "PUSH 1\n".repeat(n))
}

/// A loop run `input` times whose body holds about `n` instructions: `(n - 6) / 2` times
/// `PUSH 1; ADD` on an accumulator, with a chain of `BR`s back to the head every 30 pairs
/// (branch offsets are one signed byte). The result is `input * ((n - 6) / 2)`.
fn long_loop(n: usize) -> (String, usize) {
    let pairs = (n - 6) / 2;
    let mut s = String::from(
        "main:\nPUSH 0\nPUSHARG\ntop:\nPICK 0\nBR_COND body\nPOP\nRETURN\nbody:\nPUSH 1\nSUB\nSWAP\n",
    );
    let mut hop = "top".to_string();
    for i in 0..pairs {
        s.push_str("PUSH 1\nADD\n");
        if i % 30 == 29 {
            s.push_str(&format!("BR skip{i}\nhop{i}:\nBR {hop}\nskip{i}:\n"));
            hop = format!("hop{i}");
        }
    }
    s.push_str(&format!("SWAP\nBR {hop}\n"));
    (s, pairs)
}

/// The compile work of one run, summed over its compilations, and the largest graph.
#[derive(Debug)]
struct Work {
    compilations: usize,
    ops: usize,
    versions: usize,
    version_params: usize,
    largest_graph: usize,
}

/// The number after `name` in a cost line (`name` includes its trailing space).
fn field(line: &str, name: &str) -> usize {
    let rest = line.split(name).nth(1).unwrap_or_else(|| panic!("no '{name}' in {line}"));
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().unwrap_or_else(|_| panic!("no number after '{name}' in {line}"))
}

/// Runs `src` on `input` with the JIT compiling at once; checks the result and returns the
/// work reported.
fn run(name: &str, src: &str, input: i64, expect: &str) -> Work {
    let dir = std::env::temp_dir().join(format!("tlc-compile-scaling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.tlc.src"));
    std::fs::write(&path, src).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lang-tlc"))
        .args(["--mode", "jit", "--jit-hot", "1", "run"])
        .arg(&path)
        .arg(input.to_string())
        .env("RPY_JIT_LOG", "cost")
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), expect, "{name}: result\n{stderr}");
    assert!(!stderr.contains("gave up"), "{name}: a compilation gave up\n{stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("jit cost: ")).collect();
    assert!(!lines.is_empty(), "{name}: no cost line\n{stderr}");
    Work {
        compilations: lines.len(),
        ops: lines.iter().map(|l| field(l, ": ops ")).sum(),
        versions: lines.iter().map(|l| field(l, ", versions ")).sum(),
        version_params: lines.iter().map(|l| field(l, "version params ")).sum(),
        largest_graph: lines.iter().map(|l| field(l, "graphs, ")).max().unwrap_or(0),
    }
}

/// Each size's work within [`MAX_GROWTH`] times the previous size's, and every graph within
/// [`MAX_GRAPH_OPS`].
fn check_growth(family: &str, works: &[(usize, Work)]) {
    for (n, w) in works {
        assert!(
            w.largest_graph <= MAX_GRAPH_OPS,
            "{family} {n}: a graph of {} ops",
            w.largest_graph
        );
    }
    for pair in works.windows(2) {
        let ((n0, a), (n1, b)) = (&pair[0], &pair[1]);
        let grew = |x: usize, y: usize| y as f64 / x.max(1) as f64;
        for (what, x, y) in [
            ("residual ops", a.ops, b.ops),
            ("versions", a.versions, b.versions),
            ("version params", a.version_params, b.version_params),
        ] {
            assert!(
                grew(x, y) <= MAX_GROWTH,
                "{family}: {what} grew from {x} at {n0} to {y} at {n1}\n{a:?}\n{b:?}"
            );
        }
    }
}

#[test]
fn straight_line_code_compiles_in_work_linear_in_its_length() {
    let works: Vec<(usize, Work)> = [100, 1_000, 10_000]
        .into_iter()
        .map(|n| (n, run(&format!("straight{n}"), &straight_line(n), 0, "1")))
        .collect();
    check_growth("straight line", &works);
    // Long code is cut into graphs of bounded size rather than compiled as one.
    assert!(works[2].1.compilations > works[0].1.compilations, "{works:?}");
}

#[test]
fn loop_bodies_compile_in_work_linear_in_their_length() {
    let works: Vec<(usize, Work)> = [100, 1_000, 10_000]
        .into_iter()
        .map(|n| {
            let (src, pairs) = long_loop(n);
            let expect = (100 * pairs).to_string();
            (n, run(&format!("loop{n}"), &src, 100, &expect))
        })
        .collect();
    check_growth("loop body", &works);
}
