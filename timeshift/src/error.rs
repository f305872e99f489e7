//! Errors across the JIT boundary, kept apart from the language's own run-time errors.
//!
//! Three layers, each wrapping the one below:
//! - [`BackendError`]: a [`crate::Backend`] could not compile or install code (a residual
//!   graph that fails verification, a code generator failure, code that has none);
//! - [`JitError`]: the JIT itself failed (a backend error, a flexswitch case whose fallback
//!   gave up too, an invariant of the driver broken): never the program's fault;
//! - [`RunError`]: why a call through the JIT failed: the program's run-time error
//!   ([`RuntimeError`], exactly what the IR interpreter reports) or a [`JitError`].
//!
//! Each has one `Display`; a list of verifier findings prints one per line.

use crate::rainbow::GiveUp;
use rpy_ir::runtime::RuntimeError;
use rpy_ir::span::SourceMap;
use rpy_ir::verify::VerifyError;
use std::fmt;

/// Why a backend could not compile, install or find code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    /// A graph failed verification after the backend added or changed it (a bug of the
    /// engine that made it).
    #[error("graph `{graph}` is not valid IR:\n{}", Findings(.errors))]
    InvalidGraph {
        /// The graph's name.
        graph: String,
        /// The verifier's findings.
        errors: Vec<VerifyError>,
    },
    /// The JIT named a flexswitch the backend has no site of.
    #[error("no flexswitch #{hook}{}", .graph.as_ref().map_or(String::new(), |g| format!(" in {g}")))]
    NoSwitch {
        /// The switch's hook number.
        hook: u32,
        /// The graph searched, if one was.
        graph: Option<String>,
    },
    /// The code generator failed at `stage` (lowering, optimisation, code generation,
    /// linking...).
    #[error("{stage}: {message}")]
    CodeGen {
        /// What the code generator was doing.
        stage: String,
        /// The code generator's message.
        message: String,
    },
    /// Code was called that has none (its compilation failed earlier).
    #[error("{graph} has no compiled code{}", .why.as_ref().map_or(String::new(), |w| format!(": {w}")))]
    NoCode {
        /// The graph's name.
        graph: String,
        /// Why, if known.
        why: Option<String>,
    },
}

impl BackendError {
    /// The verifier's findings on graph `graph` as an error (`Ok` if there are none).
    pub fn check(graph: &str, found: Result<(), Vec<VerifyError>>) -> Result<(), BackendError> {
        found.map_err(|errors| BackendError::InvalidGraph { graph: graph.to_string(), errors })
    }
}

/// Verifier findings, one per line.
struct Findings<'a>(&'a [VerifyError]);

impl fmt::Display for Findings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// A failure of the JIT itself (not of the program it runs).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JitError {
    /// The backend failed.
    #[error("backend: {0}")]
    Backend(#[from] BackendError),
    /// A flexswitch case could not be compiled, nor its fallback to the interpreter.
    #[error(
        "flexswitch #{switch}{}: {}its fallback gave up ({fallback})",
        .value.map_or(String::new(), |v| format!(" case {v}")),
        .case.as_ref().map_or(String::new(), |g| format!("the case gave up ({g}); "))
    )]
    CaseGaveUp {
        /// The switch's hook number.
        switch: u32,
        /// The value whose case it was (`None`: the switch's fallback for every value).
        value: Option<i64>,
        /// Why the case gave up (`None`: the switch was full, only the fallback was tried).
        case: Option<GiveUp>,
        /// Why the fallback gave up.
        fallback: GiveUp,
    },
    /// An invariant of the JIT does not hold (a bug): a switch it does not know, a value of
    /// the wrong type at a switch, a panic inside the JIT...
    #[error("{0}")]
    Internal(String),
}

/// The result of a call through the JIT.
pub type RunResult = Result<rpy_ir::runtime::RtValue, RunError>;

/// Why a call through the JIT failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    /// The program failed at run time (what the IR interpreter reports for the same call).
    #[error(transparent)]
    Program(#[from] RuntimeError),
    /// The JIT failed.
    #[error("JIT internal error: {0}")]
    Jit(#[from] JitError),
}

impl RunError {
    /// The program's run-time error, if that is what this is.
    pub fn program(&self) -> Option<&RuntimeError> {
        match self {
            RunError::Program(e) => Some(e),
            RunError::Jit(_) => None,
        }
    }

    /// The full text: a run-time error rendered at its source line
    /// ([`RuntimeError::render`]); a JIT error as one line.
    pub fn render(&self, sources: &SourceMap) -> String {
        match self {
            RunError::Program(e) => e.render(sources),
            RunError::Jit(_) => format!("{self}\n"),
        }
    }
}
