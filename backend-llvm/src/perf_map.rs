//! The `perf-map` log stage (`RPY_LLVM_LOG=perf-map`): after the translated interpreter is
//! linked, `/tmp/perf-<pid>.map` names its functions, so `perf record` / `perf report` on a
//! translated or jit run attribute samples in ORC's memory to RPy graphs (perf's convention
//! for JIT code: one `START SIZE NAME` line per function, hexadecimal).
//!
//! Vocabulary: a graph's *address* is its entry in the program's function table (`names::FUNCS`).
//! The object file's symbol sizes are not at hand, so a function's *size* is the distance to
//! the next graph's address (at most [`MAX_SIZE`]): code LLVM placed between two graphs (its
//! own helpers, a cold part) is counted to the one before. Residual code is not named.

use rpy_ir::ir::Program;
use std::io::Write;

/// The size given to the last function of the table, and the largest any is given.
pub const MAX_SIZE: usize = 1 << 20;

/// The map's lines for `funcs` (one address per graph of `program`), sorted by address.
pub fn map_lines(program: &Program, funcs: &[usize]) -> Vec<String> {
    let mut by_addr: Vec<(usize, &str)> = funcs
        .iter()
        .zip(program.graphs.values())
        .filter(|(&a, _)| a != 0)
        .map(|(&a, g)| (a, g.name.as_str()))
        .collect();
    by_addr.sort();
    by_addr.dedup_by_key(|(a, _)| *a);
    let mut lines = Vec::with_capacity(by_addr.len());
    for (i, &(addr, name)) in by_addr.iter().enumerate() {
        let next = by_addr.get(i + 1).map_or(addr + MAX_SIZE, |(n, _)| *n);
        lines.push(format!("{addr:x} {:x} {name}", (next - addr).min(MAX_SIZE)));
    }
    lines
}

/// Writes `/tmp/perf-<pid>.map` (see the module header); a failure is reported on stderr
/// and otherwise ignored (it is an investigation aid).
pub fn write(program: &Program, funcs: &[usize]) {
    let path = format!("/tmp/perf-{}.map", std::process::id());
    let text = map_lines(program, funcs).join("\n") + "\n";
    let res = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    match res {
        Ok(()) => eprintln!("[backend-llvm] perf map: {path}"),
        Err(e) => eprintln!("[backend-llvm] perf map: cannot write {path}: {e}"),
    }
}
