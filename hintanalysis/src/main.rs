//! `hintanalysis`: print or render the colours of an RPy program for a portal.
//!
//! `hintanalysis colours FILE PORTAL --greens a,b` prints every specialisation as text;
//! `hintanalysis dot FILE PORTAL --greens a,b [--spec N] [--svg]` prints one as Graphviz DOT
//! (or SVG, through Graphviz), green variables in green and red ones in red.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "hintanalysis", about = "Binding-time analysis of RPy programs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the colours of every specialisation reached from the portal.
    Colours {
        /// The RPy source file.
        file: String,
        /// The portal (the interpreter's dispatch function).
        portal: String,
        /// The portal's green parameters, comma-separated.
        #[arg(long, value_delimiter = ',')]
        greens: Vec<String>,
    },
    /// Print one specialisation as Graphviz DOT with coloured variables.
    Dot {
        /// The RPy source file.
        file: String,
        /// The portal.
        portal: String,
        /// The portal's green parameters, comma-separated.
        #[arg(long, value_delimiter = ',')]
        greens: Vec<String>,
        /// Which specialisation (0 is the portal).
        #[arg(long, default_value_t = 0)]
        spec: u32,
        /// Render to SVG with Graphviz's `dot` (installed by scripts/setup.sh).
        #[arg(long)]
        svg: bool,
    },
}

fn run(
    file: &str,
    portal: &str,
    greens: &[String],
    what: impl Fn(&hintanalysis::Analysis) -> Result<String, String>,
) -> Result<String, String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("error: cannot read {file}: {e}"))?;
    let program = rpy_ir::front::compile(file, &text).map_err(|d| d.to_string())?;
    let greens: Vec<&str> = greens.iter().map(String::as_str).collect();
    let policy =
        hintanalysis::Policy::new(&program, portal, &greens).map_err(|e| format!("error: {e}"))?;
    let analysis = hintanalysis::analyse(&program, &policy).map_err(|d| d.to_string())?;
    what(&analysis)
}

/// Pipes DOT text through Graphviz.
fn to_svg(dot: &str) -> Result<String, String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("error: cannot run Graphviz's `dot` ({e}); install graphviz"))?;
    child.stdin.take().unwrap().write_all(dot.as_bytes()).map_err(|e| format!("error: {e}"))?;
    let out = child.wait_with_output().map_err(|e| format!("error: {e}"))?;
    if !out.status.success() {
        return Err(format!("error: dot failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("error: {e}"))
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Colours { file, portal, greens } => {
            run(&file, &portal, &greens, |a| Ok(hintanalysis::dump::colours_text(a)))
        }
        Command::Dot { file, portal, greens, spec, svg } => run(&file, &portal, &greens, |a| {
            let s = hintanalysis::SpecIdx::from_u32(spec);
            if a.specs.get(s).is_none() {
                return Err(format!("error: there are {} specialisations; no {s}", a.specs.len()));
            }
            let dot = hintanalysis::dump::spec_dot(a, s);
            if svg {
                to_svg(&dot)
            } else {
                Ok(dot)
            }
        }),
    };
    match result {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprint!("{e}");
            if !e.ends_with('\n') {
                eprintln!();
            }
            ExitCode::FAILURE
        }
    }
}
