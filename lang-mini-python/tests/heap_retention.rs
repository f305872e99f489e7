//! Dead guest values must not stay reachable through the interpreter's caches: the live heap
//! the collector reports (`GC_PRINT_STATS`' "In-use heap ... KiB pointers") while a second
//! big list is built must hold one such list, not two.

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

#[test]
fn a_rebound_global_does_not_keep_its_old_value_alive() {
    for mode in ["translated", "jit"] {
        check(mode);
    }
}

fn check(mode: &str) {
    let dir = std::env::temp_dir().join(format!("mini-python-heap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join("rebind.py");
    std::fs::File::create(&p).and_then(|mut f| f.write_all(PROGRAM.as_bytes())).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_lang-mini-python"))
        .args(["--mode", mode, p.to_str().unwrap()])
        .env("GC_PRINT_STATS", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run lang-mini-python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stdout, "False 2500000 False True\n", "{mode}: stderr: {stderr}");
    let live = max_live_pointer_kib(&stderr);
    assert!(live > 15_000, "{mode}: one list (19.5 MB) must show: {live} KiB\n{stderr}");
    assert!(live < 30_000, "{mode}: the first list is still live: {live} KiB\n{stderr}");
}
