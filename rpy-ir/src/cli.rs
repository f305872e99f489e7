//! What the workspace's command-line tools share (`rpy-ir`, `rpy-llvm`): finding the function
//! to run, printing its result, the exit status. An error is the text to print: a line
//! starting `error: `, or a run-time error rendered at its `file:line:col`.

use crate::ir::{GraphIdx, Program};
use crate::runtime::{RtValue, RuntimeError};
use crate::types::Ty;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The graph of the program's function `func`.
pub fn function(program: &Program, func: &str) -> Result<GraphIdx, String> {
    program.graph_by_name(func).ok_or_else(|| format!("error: no function '{func}' in the program"))
}

/// The graph of function `func` and its parameter types, if it takes `nargs` arguments.
pub fn entry(program: &Program, func: &str, nargs: usize) -> Result<(GraphIdx, Vec<Ty>), String> {
    let g = function(program, func)?;
    let params = program.graphs[g].params.clone();
    if params.len() != nargs {
        return Err(format!("error: '{func}' takes {} arguments, {nargs} given", params.len()));
    }
    Ok((g, params))
}

/// Runs `call` (a call of the program), then flushes the output its print externs buffered:
/// the call's result and the time it took.
pub fn run_timed<T>(call: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let result = call();
    let elapsed = start.elapsed();
    crate::externs::flush_output();
    (result, elapsed)
}

/// Prints a run's result on stdout; a run-time error is returned rendered against the
/// program's sources.
pub fn print_result(
    program: &Program,
    result: Result<RtValue, RuntimeError>,
) -> Result<(), String> {
    let value = result.map_err(|e| e.render(&program.sources))?;
    println!("{}", value.to_text());
    Ok(())
}

/// The exit status of a command; its error is printed to stderr first, ending in a newline.
pub fn exit_status(result: Result<(), String>) -> ExitCode {
    match result {
        // The status the program set with `set_exit_status`, if it did (`externs::io`).
        Ok(()) => match crate::externs::io::exit_status() {
            Some(n) => ExitCode::from(crate::externs::io::process_status(n) as u8),
            None => ExitCode::SUCCESS,
        },
        Err(e) => {
            eprint!("{e}");
            if !e.ends_with('\n') {
                eprintln!();
            }
            ExitCode::FAILURE
        }
    }
}
