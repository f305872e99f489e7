//! JIT mode (to be written): the translated interpreter for now.
use backend_llvm::{CompileStats, Translated};
use lang_tlc::machine::{translate_interpreter, Machine};
use rpy_ir::ir::{GraphIdx, Program as RpyProgram};
use rpy_ir::runtime::RtValue;
use rpy_ir::span::SourceMap;
use timeshift::RunError;

pub struct PyJitMachine {
    t: Translated,
}

impl PyJitMachine {
    pub fn new(program: &'static RpyProgram, settings: lang_tlc::Settings) -> Result<(PyJitMachine, CompileStats), String> {
        let t = translate_interpreter(program, &settings.llvm)?;
        let stats = t.stats().clone();
        Ok((PyJitMachine { t }, stats))
    }
}

impl Machine for PyJitMachine {
    fn call(&mut self, g: GraphIdx, args: &[RtValue]) -> Result<RtValue, RunError> {
        Machine::call(&mut self.t, g, args)
    }
    fn alloc_str(&mut self, bytes: &[u8]) -> RtValue {
        Machine::alloc_str(&mut self.t, bytes)
    }
    fn sources(&self) -> &SourceMap {
        Machine::sources(&self.t)
    }
}
