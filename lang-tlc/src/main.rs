//! The `lang-tlc` command line: run, assemble and disassemble TLC programs (jitted by
//! default); with no arguments, a demo running the paper's three benchmarks in llinterp,
//! translated and JIT modes.
//!
//! Exit status: 0 on success, 1 when the TLC program fails (`error: KIND: message` on
//! stderr), 2 for everything else (unreadable or malformed files, a failure of the RPy
//! interpreter itself).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use backend_llvm::TargetCpu;
use clap::{Parser, Subcommand, ValueEnum};
use lang_tlc::{assemble, benchmarks, decode, disassemble, serialize, ErrorKind};
use lang_tlc::{Interpreter, Mode, Program, Settings, TlcError};

#[derive(Parser)]
#[command(name = "lang-tlc", about = "TLC, the toy language of the PyPy JIT paper")]
struct Cli {
    /// How to execute programs: the JIT generated from the interpreter (residual code compiled
    /// by LLVM), the IR interpreter, or the interpreter translated to native code.
    #[arg(long, value_enum, global = true, default_value_t = CliMode::Jit)]
    mode: CliMode,
    /// JIT mode: visits of a bytecode position that make the JIT compile from there
    /// (default 1000; 1 compiles at once).
    #[arg(long, global = true, value_name = "VISITS")]
    jit_hot: Option<u64>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, ValueEnum)]
enum CliMode {
    Llinterp,
    Translated,
    Jit,
    /// The JIT with residual code run by the IR interpreter (no LLVM).
    JitLlinterp,
}

impl From<CliMode> for Mode {
    fn from(m: CliMode) -> Mode {
        match m {
            CliMode::Llinterp => Mode::Llinterp,
            CliMode::Translated => Mode::Translated,
            CliMode::Jit => Mode::Jit,
            CliMode::JitLlinterp => Mode::JitLlinterp,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run a program (`.tlc` serialized, anything else assembler source) and print its result.
    Run {
        /// The program file.
        program: PathBuf,
        /// The program's argument (an integer).
        #[arg(default_value_t = 0, allow_negative_numbers = true)]
        input: i64,
    },
    /// Assemble a source file into a serialized `.tlc` file.
    Asm {
        /// The assembler source.
        src: PathBuf,
        /// The `.tlc` file to write.
        out: PathBuf,
    },
    /// Print the assembler text of a program (`.tlc` or source).
    Disasm {
        /// The program file.
        file: PathBuf,
    },
    /// Run a program through a fresh JIT and print the residual code compiled for it (rpy-ir,
    /// and LLVM IR at the hot tier for graphs holding a loop), then the result.
    Residual {
        /// The program file.
        program: PathBuf,
        /// The program's argument (an integer).
        #[arg(default_value_t = 0, allow_negative_numbers = true)]
        input: i64,
        /// Tune the LLVM IR for the architecture's baseline CPU instead of this machine's (the
        /// text of the golden files in `lang-tlc/residual/`).
        #[arg(long)]
        generic_cpu: bool,
    },
}

/// A failure that ends the command: the message for stderr and the exit status.
struct Failure {
    message: String,
    status: u8,
}

fn failure(message: impl Into<String>) -> Failure {
    Failure { message: message.into(), status: 2 }
}

fn main() -> ExitCode {
    // A closed pipe ends the process as it ends other command-line tools (`lang-tlc run ... |
    // head`), instead of a panic in `println!`.
    // SAFETY: called first in `main`, before any other thread exists; SIG_DFL is a valid action.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let cli = Cli::parse();
    let mode = Mode::from(cli.mode);
    let result = match cli.command {
        None => demo(),
        Some(Command::Run { program, input }) => run(&program, input, mode, cli.jit_hot),
        Some(Command::Asm { src, out }) => asm(&src, &out),
        Some(Command::Disasm { file }) => load(&file).map(|p| print!("{}", disassemble(&p))),
        Some(Command::Residual { program, input, generic_cpu }) => {
            let cpu = if generic_cpu { TargetCpu::Generic } else { TargetCpu::Host };
            residual(&program, input, cpu)
        }
    };
    // No compilation may run under LLVM's exit-time destructors.
    backend_llvm::quiesce();
    match result {
        // The status the RPy interpreter set with `set_exit_status`, if it did (TLC's own
        // interpreter never does; `rpy_ir::externs::io`).
        Ok(()) => match rpy_ir::externs::io::exit_status() {
            Some(n) => ExitCode::from(rpy_ir::externs::io::process_status(n) as u8),
            None => ExitCode::SUCCESS,
        },
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.status)
        }
    }
}

/// Reads a program: `.tlc` files are decoded, anything else is assembled.
fn load(path: &Path) -> Result<Program, Failure> {
    let bytes =
        std::fs::read(path).map_err(|e| failure(format!("cannot read {}: {e}", path.display())))?;
    if path.extension().is_some_and(|e| e == "tlc") {
        return decode(&bytes).map_err(|e| failure(format!("{}: {e}", path.display())));
    }
    let src = String::from_utf8(bytes)
        .map_err(|_| failure(format!("{}: not UTF-8 text", path.display())))?;
    assemble(&src).map_err(|e| failure(format!("{}:{e}", path.display())))
}

fn run(path: &Path, input: i64, mode: Mode, jit_hot: Option<u64>) -> Result<(), Failure> {
    let program = load(path)?;
    let tuned;
    let interp = match jit_hot {
        // The process's interpreter, with the environment's settings (`Settings::from_env`).
        None => Interpreter::get(),
        Some(visits) => {
            let mut i =
                Interpreter::compile().map_err(failure)?.with_settings(Settings::from_env());
            i.set_jit_hot(visits);
            tuned = i;
            &tuned
        }
    };
    match interp.run(&program, input, mode) {
        Ok(text) => {
            println!("{text}");
            Ok(())
        }
        Err(e) => Err(tlc_failure(e)),
    }
}

/// A failed run: status 1 for an error of the TLC program, 2 for one of the interpreter.
fn tlc_failure(e: TlcError) -> Failure {
    let status = if e.kind == ErrorKind::Internal { 2 } else { 1 };
    Failure { message: e.to_string(), status }
}

/// Prints the residual code, then the result; a program that fails exits as `run` does.
fn residual(path: &Path, input: i64, cpu: TargetCpu) -> Result<(), Failure> {
    let program = load(path)?;
    let run = Interpreter::get()
        .residual_code(&program, input, cpu)
        .map_err(|e| failure(e.to_string()))?;
    print!("{}", run.code);
    match run.result {
        Ok(text) => {
            println!("; result: {text}");
            Ok(())
        }
        Err(e) => {
            println!("; result: error: {e}");
            Err(tlc_failure(e))
        }
    }
}

fn asm(src: &Path, out: &Path) -> Result<(), Failure> {
    let text = std::fs::read_to_string(src)
        .map_err(|e| failure(format!("cannot read {}: {e}", src.display())))?;
    let program = assemble(&text).map_err(|e| failure(format!("{}:{e}", src.display())))?;
    std::fs::write(out, serialize(&program))
        .map_err(|e| failure(format!("cannot write {}: {e}", out.display())))
}

/// Runs the paper's three benchmarks at small sizes in llinterp, translated and JIT modes,
/// side by side, with timings (for the paper's table, `cargo bench -p lang-tlc --bench paper`).
fn demo() -> Result<(), Failure> {
    let start = Instant::now();
    let interp = Interpreter::get();
    let compiled = start.elapsed();
    let start = Instant::now();
    let stats = interp.translate().map_err(|e| failure(e.to_string()))?;
    let translated = start.elapsed();
    let start = Instant::now();
    interp.start_jit().map_err(|e| failure(e.to_string()))?;
    let jit = start.elapsed();
    println!(
        "TLC, the toy language of the PyPy JIT paper: its interpreter (tlc.rpy, {} flow graphs, \
         compiled in {:.1} ms; translated to native code in {:.1} ms{}; JIT mode started in \
         {:.1} ms) running the paper's benchmarks. The JIT's times include compiling: a \
         program's first run is the translated interpreter until a bytecode position is hot, \
         then code compiled from there; its later runs use code compiled for the whole run.",
        interp.rpy_program().graphs.len(),
        ms(compiled),
        ms(translated),
        if stats.cached { ", from the object cache" } else { "" },
        ms(jit),
    );
    println!(
        "  {:<18} {:>22}   {:>11}   {:>13}   {:>8}   {:>13}",
        "program", "result", "llinterp ms", "translated ms", "JIT ms", "translated/JIT"
    );
    for (name, src) in benchmarks::ALL {
        let program = assemble(src).map_err(|e| failure(format!("{name}: {e}")))?;
        for n in [10, 10_000, 100_000, 100_000] {
            let mut times = Vec::new();
            let mut shown = Vec::new();
            for mode in [Mode::Llinterp, Mode::Translated, Mode::Jit] {
                let start = Instant::now();
                let result = interp.run(&program, n, mode);
                times.push(start.elapsed());
                shown.push(match result {
                    Ok(text) => text,
                    Err(e) => format!("error: {e}"),
                });
            }
            if shown[1] != shown[0] || shown[2] != shown[0] {
                return Err(failure(format!(
                    "{name}({n}): llinterp gives {}, translated {}, the JIT {}",
                    shown[0], shown[1], shown[2]
                )));
            }
            println!(
                "  {:<18} {:>22}   {:>11.2}   {:>13.3}   {:>8.3}   {:>12.1}x",
                format!("{name}({n})"),
                shown[0],
                ms(times[0]),
                ms(times[1]),
                ms(times[2]),
                times[1].as_secs_f64() / times[2].as_secs_f64()
            );
        }
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
