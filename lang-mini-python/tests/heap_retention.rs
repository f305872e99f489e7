//! The live heap the collector reports (`GC_PRINT_STATS`' "In-use heap ... KiB pointers"):
//! dead guest values must not stay reachable through the interpreter's caches (while a second
//! big list is built, one such list is live, not two), and `RPY_GC_INTERIOR=0` halves the
//! slots of 16-byte objects (boxed ints).

use std::io::Write;
use std::process::{Command, Stdio};

/// The largest "KiB pointers" figure of libgc's per-collection statistics in `stats`.
fn max_live_pointer_kib(stats: &str) -> u64 {
    stats
        .lines()
        .filter_map(|l| l.strip_prefix("In-use heap: "))
        .filter_map(|l| l.split_once('(')?.1.split_whitespace().next()?.parse().ok())
        .max()
        .unwrap_or(0)
}

/// A global bound to a 20 MB list, read (`x[3]`: the namespace's quick cache takes it),
/// rebound to None, then a second list built with enough garbage (int boxes) to collect
/// several times. Before `ns_set` refreshed the quick cache, its slot kept the first list
/// alive: 39 MB of live pointers against 19.7 MB.
const PROGRAM: &str = "\
def big(n):
    flags = [True] * n
    i = 2
    while i < 2400000:
        flags[i] = False
        i += 1
    return flags
x = big(2500000)
y = x[3]
x = None
x = big(2500000)
print(y, len(x), x[3], x[2400001])
";

/// Runs `src` (as `name`) in `mode` with libgc's statistics on: stdout, stderr.
fn run_with_stats(name: &str, src: &str, mode: &str, env: &[(&str, &str)]) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("mini-python-heap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::File::create(&p).and_then(|mut f| f.write_all(src.as_bytes())).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
        .args(["--mode", mode, p.to_str().unwrap()])
        .env("GC_PRINT_STATS", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run lang-mini-python");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_rebound_global_does_not_keep_its_old_value_alive() {
    for mode in ["translated", "jit"] {
        check(mode);
    }
}

fn check(mode: &str) {
    let (stdout, stderr) = run_with_stats("rebind.py", PROGRAM, mode, &[]);
    assert_eq!(stdout, "False 2500000 False True\n", "{mode}: stderr: {stderr}");
    let live = max_live_pointer_kib(&stderr);
    assert!(live > 15_000, "{mode}: one list (19.5 MB) must show: {live} KiB\n{stderr}");
    assert!(live < 30_000, "{mode}: the first list is still live: {live} KiB\n{stderr}");
}

/// A million distinct boxed ints kept in a list (8 MB of list storage, the ints 16 bytes
/// each), then more allocation so that a collection sees them all.
const INTS: &str = "\
xs = [i * 3 for i in range(1000000)]
junk = 0
for j in range(300000):
    junk += len(str(j))
print(len(xs), xs[999999], junk)
";

#[test]
fn without_interior_pointers_a_boxed_int_takes_16_bytes() {
    let (out_on, err_on) = run_with_stats("ints.py", INTS, "translated", &[]);
    let (out_off, err_off) =
        run_with_stats("ints.py", INTS, "translated", &[("RPY_GC_INTERIOR", "0")]);
    assert_eq!(out_on, "1000000 2999997 1688890\n", "stderr: {err_on}");
    assert_eq!(out_off, out_on, "stderr: {err_off}");
    let (on, off) = (max_live_pointer_kib(&err_on), max_live_pointer_kib(&err_off));
    // On: 32-byte slots for the ints (31 MB) + 8 MB of list; off: 16 + 8 MB, plus whatever
    // a conservative scan keeps alive at the collection measured (24.0 MB here, 28.1 MB seen
    // in CI): the test asks for a clear cut relative to `on`, not an exact figure.
    assert!(on > 35_000, "interior pointers on: {on} KiB live");
    assert!(off * 10 < on * 8, "interior pointers off: {off} KiB live (on: {on})");
}
