//! `rpy-llvm`: run RPy programs in translated mode (compiled by LLVM), with the output and
//! error format of `rpy-ir run`:
//!
//! ```text
//! cargo run -p backend-llvm -- run [--opt O0|O2] [--no-cache] [--stats] FILE FUNC ARGS...
//! cargo run -p backend-llvm -- ir [--opt O0|O2] FILE      # the LLVM IR of the program
//! ```

use backend_llvm::{stack, translate_with, LlvmConfig, OptLevel, Options};
use clap::{Parser, Subcommand, ValueEnum};
use rpy_ir::cli;
use rpy_ir::runtime::RtValue;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "rpy-llvm", about = "Run RPy programs compiled to native code by LLVM")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Translate a program and run a function; print its result.
    Run {
        /// Optimisation level.
        #[arg(long, value_enum, default_value_t = Opt::O2)]
        opt: Opt,
        /// Compile afresh instead of using the object cache.
        #[arg(long)]
        no_cache: bool,
        /// Print compile and run times to stderr.
        #[arg(long)]
        stats: bool,
        /// The RPy source file.
        file: String,
        /// The function to run.
        func: String,
        /// Its arguments (ints, floats, True/False, single chars, strings).
        args: Vec<String>,
    },
    /// Print the LLVM IR of a program (after the optimisation pipeline of `--opt`).
    Ir {
        /// Optimisation level.
        #[arg(long, value_enum, default_value_t = Opt::O0)]
        opt: Opt,
        /// The RPy source file.
        file: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Opt {
    /// No optimisation.
    #[value(name = "O0")]
    O0,
    /// `default<O1>`.
    #[value(name = "O1")]
    O1,
    /// `default<O2>`.
    #[value(name = "O2")]
    O2,
}

impl Opt {
    fn level(self) -> OptLevel {
        match self {
            Opt::O0 => OptLevel::O0,
            Opt::O1 => OptLevel::O1,
            Opt::O2 => OptLevel::O2,
        }
    }
}

fn run(
    file: &str,
    func: &str,
    args: &[String],
    options: &Options,
    stats: bool,
) -> Result<(), String> {
    let program = rpy_ir::front::compile_file(file)?;
    let (g, params) = cli::entry(&program, func, args.len())?;
    let start = std::time::Instant::now();
    let mut t = translate_with(&program, options).map_err(|e| format!("error: {e}"))?;
    let compiled = start.elapsed();
    let values = RtValue::parse_args(&program.types, &params, args, |b| t.alloc_str(b))?;
    let (result, elapsed) = cli::run_timed(|| t.call_here(g, &values));
    if stats {
        eprintln!("translated at {} in {compiled:?}: {}", options.opt.name(), t.stats());
        eprintln!("ran in {elapsed:?}");
    }
    cli::print_result(&program, result)
}

fn ir(file: &str, opt: OptLevel) -> Result<(), String> {
    let program = rpy_ir::front::compile_file(file)?;
    print!("{}", backend_llvm::llvm_ir(&program, opt).map_err(|e| format!("error: {e}"))?);
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The environment's settings, read once here (RPY_LLVM_LOG, RPY_LLVM_CACHE...).
    let config = LlvmConfig::from_env();
    // Translated code runs here: a big stack so that deep RPy recursion reaches the depth
    // limit (an error) rather than the end of the native stack.
    let result = stack::run_on_big_stack(move || match cli.command {
        Command::Run { opt, no_cache, stats, file, func, args } => {
            run(&file, &func, &args, &config.translation(opt.level(), !no_cache), stats)
        }
        Command::Ir { opt, file } => ir(&file, opt.level()),
    });
    cli::exit_status(result)
}
