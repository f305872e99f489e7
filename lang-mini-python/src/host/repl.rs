//! The REPL's sessions: one machine (IR interpreter, translated interpreter or JIT) kept
//! for a sequence of inputs, each run by the RPy entry point `repl_main`
//! (`interp/repl.rpy`), which keeps the session's globals between calls.
//!
//! Stdout and stderr are written as the input runs (never captured); an input's result
//! is a [`ReplStatus`].

use rpy_ir::ir::GraphIdx;
use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::RtValue;

use super::{encode, rpy_failure, Interpreter, Mode, RunInput};
use lang_tlc::machine::Machine;

/// What `repl_main` adds to a `SystemExit`'s status (`EXIT_BASE` in `repl.rpy`).
const EXIT_BASE: i64 = 1 << 40;

/// How one input of the session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplStatus {
    /// It ran to its end.
    Done,
    /// An uncaught exception (its traceback is printed); the session goes on.
    Raised,
    /// `SystemExit` (or `exit()`): the session ends with this exit status.
    Exit(i32),
}

/// An interactive session on one interpreter, in one mode.
pub struct ReplSession<'a> {
    interp: &'a Interpreter,
    mode: Mode,
    entry: GraphIdx,
    /// The IR interpreter of a llinterp session (its globals live in it).
    llinterp: Option<Interp<'a>>,
}

fn call_entry<M: Machine>(m: &mut M, entry: GraphIdx, data: &[u8]) -> Result<i64, String> {
    let input = m.alloc_str(data);
    let r = match m.call(entry, &[input]) {
        Ok(RtValue::Int(s)) => Ok(s),
        Ok(other) => Err(format!("internal error: repl_main returned {other:?}")),
        Err(e) => Err(rpy_failure(&e, m)),
    };
    rpy_ir::externs::flush_output();
    r
}

impl<'a> ReplSession<'a> {
    /// A new session (the interpreter is set up by its first input).
    pub fn new(interp: &'a Interpreter, mode: Mode) -> Result<ReplSession<'a>, String> {
        let entry = interp
            .rpy_program()
            .graph_by_name("repl_main")
            .ok_or("the interpreter has no function 'repl_main'")?;
        let llinterp = (mode == Mode::Llinterp).then(|| Interp::new(interp.rpy_program()));
        Ok(ReplSession { interp, mode, entry, llinterp })
    }

    /// Runs one input (`input.capture_stderr` must be false). The error is a failure of
    /// the interpreter itself.
    pub fn run(&mut self, input: &RunInput) -> Result<ReplStatus, String> {
        let data = encode::encode(input)?;
        let entry = self.entry;
        let status = match self.mode {
            Mode::Llinterp => {
                let m = self.llinterp.as_mut().expect("a llinterp session has its interpreter");
                call_entry(m, entry, &data)?
            }
            Mode::Translated => self
                .interp
                .worker()?
                .run(move |t| call_entry(t, entry, &data))
                .map_err(|e| e.to_string())??,
            Mode::Jit => self
                .interp
                .jit_worker()?
                .run(move |m| call_entry(m, entry, &data))
                .map_err(|e| e.to_string())??,
        };
        Ok(match status {
            0 => ReplStatus::Done,
            s if s >= EXIT_BASE / 2 => ReplStatus::Exit((s - EXIT_BASE) as i32),
            _ => ReplStatus::Raised,
        })
    }
}

/// Whether `e` says the input is unfinished (more lines may complete it), as CPython's
/// `codeop` decides for its `...` prompt.
fn incomplete(e: &crate::SyntaxError) -> bool {
    e.msg.contains("was never closed")
        || e.msg.starts_with("unexpected EOF")
        || e.msg.starts_with("expected an indented block")
        || e.msg.starts_with("unterminated triple-quoted string")
}

/// Whether the input so far opens a compound statement (then only an empty line ends it).
fn opens_block(first_line: &str) -> bool {
    let code = first_line.split('#').next().unwrap_or("").trim_end();
    code.ends_with(':') || first_line.trim_start().starts_with('@')
}

/// The interactive loop: reads inputs from `lines` (prompting `>>> ` and `... ` on
/// stderr, as CPython does), runs each in `session` and prints its result; returns the
/// exit status (that of `SystemExit`, or 0 at the end of the input).
pub fn interact(
    session: &mut ReplSession,
    lines: &mut dyn Iterator<Item = String>,
    prompt: &mut dyn FnMut(&str),
) -> Result<i32, String> {
    let argv = vec![String::new()];
    loop {
        prompt(">>> ");
        let Some(first) = lines.next() else {
            prompt("\n");
            return Ok(0);
        };
        if first.trim().is_empty() {
            continue;
        }
        let mut buf = first.clone() + "\n";
        let block = opens_block(&first);
        let code = loop {
            if !block {
                match crate::compile_interactive(&buf, "<stdin>") {
                    Ok(c) => break Some(c),
                    Err(e) if !incomplete(&e) => {
                        eprint!("{}", e.render("<stdin>"));
                        break None;
                    }
                    Err(_) => {}
                }
            }
            prompt("... ");
            match lines.next() {
                Some(l) if block && l.trim().is_empty() => {
                    match crate::compile_interactive(&buf, "<stdin>") {
                        Ok(c) => break Some(c),
                        Err(e) => {
                            eprint!("{}", e.render("<stdin>"));
                            break None;
                        }
                    }
                }
                Some(l) => buf.push_str(&(l + "\n")),
                None => match crate::compile_interactive(&buf, "<stdin>") {
                    Ok(c) => break Some(c),
                    Err(e) => {
                        eprint!("{}", e.render("<stdin>"));
                        break None;
                    }
                },
            }
        };
        let Some(code) = code else { continue };
        let input = RunInput {
            code: &code,
            filename: "<stdin>",
            source: "",
            argv: &argv,
            capture_stderr: false,
        };
        if let ReplStatus::Exit(status) = session.run(&input)? {
            return Ok(status);
        }
    }
}
