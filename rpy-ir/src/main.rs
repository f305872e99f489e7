//! `rpy-ir`: the command line for interpreter authors: check, print, render and run RPy programs.

use clap::{Parser, Subcommand, ValueEnum};
use rpy_ir::cli;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "rpy-ir", about = "Check, inspect and run RPy programs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and type-check a program; print nothing if it is correct.
    Check {
        /// The RPy source file.
        file: String,
    },
    /// Print the flow graphs of a program in the textual IR.
    Ir {
        /// The RPy source file.
        file: String,
    },
    /// Print one graph as Graphviz DOT.
    Dot {
        /// The RPy source file.
        file: String,
        /// The function to render.
        func: String,
    },
    /// Run a function and print its result.
    Run {
        /// Execution mode.
        #[arg(long, value_enum, default_value_t = Mode::Llinterp)]
        mode: Mode,
        /// Print the number of executed IR ops and the time taken to stderr.
        #[arg(long)]
        stats: bool,
        /// The RPy source file.
        file: String,
        /// The function to run.
        func: String,
        /// Its arguments (ints, floats, True/False, single chars, strings).
        args: Vec<String>,
    },
}

/// How to run a program.
#[derive(Clone, Copy, ValueEnum)]
enum Mode {
    /// The IR interpreter (the reference).
    Llinterp,
}

fn run(file: &str, func: &str, args: &[String], stats: bool) -> Result<(), String> {
    let program = rpy_ir::front::compile_file(file)?;
    let (g, params) = cli::entry(&program, func, args.len())?;
    let mut interp = Interp::new(&program);
    let values = RtValue::parse_args(&program.types, &params, args, |b| interp.alloc_str(b))?;
    let (result, elapsed) = cli::run_timed(|| interp.call(g, &values));
    if stats {
        let ops = interp.ops_executed();
        let ns = elapsed.as_nanos() as f64 / ops.max(1) as f64;
        eprintln!("{ops} IR ops in {elapsed:?} ({ns:.2} ns/op)");
    }
    cli::print_result(&program, result)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { file } => rpy_ir::front::compile_file(&file).map(|_| ()),
        Command::Ir { file } => rpy_ir::front::compile_file(&file)
            .map(|p| print!("{}", rpy_ir::text::print_program(&p))),
        Command::Dot { file, func } => rpy_ir::front::compile_file(&file).and_then(|p| {
            let g = cli::function(&p, &func)?;
            print!("{}", rpy_ir::dot::graph_to_dot(&p, g));
            Ok(())
        }),
        Command::Run { mode: Mode::Llinterp, stats, file, func, args } => {
            run(&file, &func, &args, stats)
        }
    };
    cli::exit_status(result)
}
