//! What the JIT needs from a code generator (PyPy's rgenop), and the IR-interpreter backend.
//!
//! A backend compiles residual graphs into something callable and calls it, and calls the
//! interpreter's own graphs (the fallback when a compilation gives up). The IR-interpreter
//! backend adds residual graphs to its own copy of the program and runs them in `llinterp`, so
//! the whole JIT is testable without LLVM.

use rpy_ir::ir::{Graph, GraphIdx, Program};
use rpy_ir::llinterp::{Interp, RtValue, RuntimeError};

/// A code generator for residual graphs.
pub trait Backend {
    /// A handle to compiled code.
    type Code: Clone;

    /// Compiles a residual graph (already verified).
    fn compile(&mut self, graph: Graph) -> Result<Self::Code, String>;

    /// Calls compiled code.
    fn call(&mut self, code: &Self::Code, args: &[RtValue]) -> Result<RtValue, RuntimeError>;

    /// Calls one of the interpreter's own graphs (the fallback path).
    fn call_interpreter(
        &mut self,
        graph: GraphIdx,
        args: &[RtValue],
    ) -> Result<RtValue, RuntimeError>;

    /// The program residual graphs are added to (for printing and verification).
    fn program(&self) -> &Program;
}

/// Runs residual graphs in the IR interpreter.
pub struct LlinterpBackend {
    program: Program,
}

impl LlinterpBackend {
    /// A backend over a copy of the interpreter's program.
    pub fn new(program: &Program) -> LlinterpBackend {
        LlinterpBackend { program: program.clone() }
    }
}

impl Backend for LlinterpBackend {
    type Code = GraphIdx;

    fn compile(&mut self, graph: Graph) -> Result<GraphIdx, String> {
        let g = self.program.add_graph(graph);
        rpy_ir::verify::verify_graph(&self.program, g)
            .map_err(|errs| errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))?;
        Ok(g)
    }

    fn call(&mut self, code: &GraphIdx, args: &[RtValue]) -> Result<RtValue, RuntimeError> {
        Interp::new(&self.program).call(*code, args)
    }

    fn call_interpreter(
        &mut self,
        graph: GraphIdx,
        args: &[RtValue],
    ) -> Result<RtValue, RuntimeError> {
        Interp::new(&self.program).call(graph, args)
    }

    fn program(&self) -> &Program {
        &self.program
    }
}
