//! Lowering of a whole rpy-ir [`Program`] to one LLVM module.
//!
//! What the module holds (symbol names in [`names`]):
//! - one function per graph, `rpy.NAME`, with the graph's signature in LLVM types (`int` i64,
//!   `float` double, `bool` i1, `char` i8, GC and function pointers `ptr`, `void`); function
//!   pointer values are these functions' real addresses;
//! - one entry wrapper per signature, `rpy_entry.sigN(ptr fn, ptr args, ptr result)`, reading
//!   the arguments from and writing the result to 64-bit words, for Rust to call any graph;
//! - the runtime state globals (`failed`, `depth`, `words`, `max_depth`, `stack_limit`) and
//!   the table of prebuilt objects' addresses (filled by Rust before any call: the object file
//!   holds no heap address, so it can be cached), and a table of every graph's address;
//! - declarations of the runtime functions and externs, resolved to absolute symbols.
//!
//! Invariants of the generated code: the heap layout of [`rpy_ir::layout`]; every op that can
//! fail checks and reports through [`crate::runtime`] (never touching memory it must not);
//! every call to a graph is followed by a test of `failed`; every function entry counts depth
//! and interpreter registers as llinterp does ([`frame_words`]) and checks the native stack.

mod entry;
mod frame_words;
mod func;
mod ops;
#[cfg(test)]
mod tests;

pub use frame_words::frame_words;

use crate::errors::SiteTable;
use crate::runtime;
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::builder::{Builder, BuilderError};
use inkwell::context::Context;
use inkwell::intrinsics::Intrinsic;
use inkwell::module::{Linkage, Module};
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum, FunctionType};
use inkwell::values::{FunctionValue, GlobalValue};
use inkwell::{AddressSpace, GlobalVisibility};
use rpy_ir::externs::{ExternDef, ExternTy};
use rpy_ir::ir::{GraphIdx, Program};
use rpy_ir::layout::Layout;
use rpy_ir::types::{Sig, Ty};
use std::collections::HashMap;

/// Symbol names of the module's own definitions.
pub mod names {
    /// Set (to 1) by compiled code when it fails.
    pub const FAILED: &str = "rpy_rt.failed";
    /// Depth of the running graph (the entry graph is 0; -1 before the entry call).
    pub const DEPTH: &str = "rpy_rt.depth";
    /// Interpreter registers of the active frames, as llinterp counts them.
    pub const WORDS: &str = "rpy_rt.words";
    /// The call limit: a graph at this depth fails with a stack overflow.
    pub const MAX_DEPTH: &str = "rpy_rt.max_depth";
    /// The lowest stack address a function may start at.
    pub const STACK_LIMIT: &str = "rpy_rt.stack_limit";
    /// Addresses of the prebuilt objects, by prebuilt index.
    pub const PREBUILT: &str = "rpy_rt.prebuilt";
    /// Addresses of the graphs' functions, by graph index.
    pub const FUNCS: &str = "rpy_rt.funcs";

    /// The function of a graph.
    pub fn graph(name: &str) -> String {
        format!("rpy.{name}")
    }

    /// The entry wrapper of signature number `sig`.
    pub fn entry(sig: usize) -> String {
        format!("rpy_entry.sig{sig}")
    }
}

/// An error of the lowering: a malformed graph, or LLVM refusing what was built.
#[derive(Debug, thiserror::Error)]
pub enum LowerError {
    /// The builder failed (a bug of the lowering).
    #[error("LLVM builder: {0}")]
    Builder(#[from] BuilderError),
    /// The graph is not what the verifier guarantees.
    #[error("graph {graph}: {message}")]
    Malformed {
        /// The graph's name.
        graph: String,
        /// What is wrong.
        message: String,
    },
    /// The LLVM verifier rejected the module (a bug of the lowering).
    #[error("LLVM verifier: {0}")]
    Verify(String),
}

type R<T> = Result<T, LowerError>;

/// The runtime functions and globals declared in the module.
struct Runtime<'ctx> {
    fail: FunctionValue<'ctx>,
    alloc_array: FunctionValue<'ctx>,
    gc_malloc: FunctionValue<'ctx>,
    fptosi_sat: FunctionValue<'ctx>,
    failed: GlobalValue<'ctx>,
    depth: GlobalValue<'ctx>,
    words: GlobalValue<'ctx>,
    max_depth: GlobalValue<'ctx>,
    stack_limit: GlobalValue<'ctx>,
    prebuilt: GlobalValue<'ctx>,
    prebuilt_len: u32,
}

/// Module-wide lowering state.
struct ModuleCx<'a, 'ctx> {
    llcx: &'ctx Context,
    module: &'a Module<'ctx>,
    program: &'a Program,
    layout: &'a Layout,
    builder: Builder<'ctx>,
    funcs: Vec<FunctionValue<'ctx>>,
    rt: Runtime<'ctx>,
    externs: HashMap<&'static str, FunctionValue<'ctx>>,
    sites: SiteTable,
}

/// Lowers every graph of `program` (laid out by `layout`) into `module`, and returns the
/// failure sites the code refers to.
pub fn lower_program<'ctx>(
    llcx: &'ctx Context,
    module: &Module<'ctx>,
    program: &Program,
    layout: &Layout,
) -> R<SiteTable> {
    let rt = declare_runtime(llcx, module, program);
    let mut cx = ModuleCx {
        llcx,
        module,
        program,
        layout,
        builder: llcx.create_builder(),
        funcs: Vec::new(),
        rt,
        externs: HashMap::new(),
        sites: SiteTable::default(),
    };
    for graph in program.graphs.values() {
        let sig = Sig { params: graph.params.clone(), ret: graph.ret };
        let f = module.add_function(&names::graph(&graph.name), cx.fn_type(&sig), None);
        f.as_global_value().set_visibility(GlobalVisibility::Protected);
        cx.funcs.push(f);
    }
    for g in program.graphs.keys() {
        func::lower_graph(&mut cx, g)?;
    }
    entry::define_entries(&mut cx)?;
    cx.define_func_table();
    module.verify().map_err(|e| LowerError::Verify(e.to_string()))?;
    Ok(cx.sites)
}

fn declare_runtime<'ctx>(
    llcx: &'ctx Context,
    module: &Module<'ctx>,
    program: &Program,
) -> Runtime<'ctx> {
    let i64t = llcx.i64_type();
    let ptr = llcx.ptr_type(AddressSpace::default());
    let void = llcx.void_type();
    let cold = llcx.create_enum_attribute(Attribute::get_named_enum_kind_id("cold"), 0);
    let declare = |name: &str, ty: FunctionType<'ctx>, is_cold: bool| {
        let f = module.add_function(name, ty, Some(Linkage::External));
        if is_cold {
            f.add_attribute(AttributeLoc::Function, cold);
        }
        f
    };
    let fail = declare(runtime::names::FAIL, void.fn_type(&[i64t.into(); 4], false), true);
    let bool_t = llcx.bool_type();
    let alloc_array = declare(
        runtime::names::ALLOC_ARRAY,
        ptr.fn_type(&[i64t.into(), i64t.into(), i64t.into(), bool_t.into()], false),
        false,
    );
    alloc_array.add_attribute(AttributeLoc::Param(3), zeroext(llcx));
    let gc_malloc = declare(runtime::names::GC_MALLOC, ptr.fn_type(&[i64t.into()], false), false);
    let fptosi_sat = Intrinsic::find("llvm.fptosi.sat")
        .and_then(|i| i.get_declaration(module, &[i64t.into(), llcx.f64_type().into()]))
        .expect("llvm.fptosi.sat exists");
    let global = |name: &str, ty: BasicTypeEnum<'ctx>| {
        let g = module.add_global(ty, None, name);
        g.set_initializer(&ty.const_zero());
        g.set_visibility(GlobalVisibility::Protected);
        g
    };
    let prebuilt_len = program.prebuilt.len() as u32;
    Runtime {
        fail,
        alloc_array,
        gc_malloc,
        fptosi_sat,
        failed: global(names::FAILED, llcx.i8_type().into()),
        depth: global(names::DEPTH, i64t.into()),
        words: global(names::WORDS, i64t.into()),
        max_depth: global(names::MAX_DEPTH, i64t.into()),
        stack_limit: global(names::STACK_LIMIT, i64t.into()),
        prebuilt: global(names::PREBUILT, ptr.array_type(prebuilt_len.max(1)).into()),
        prebuilt_len,
    }
}

/// The LLVM type of values of `ty` in compiled code (`None` for void): `int` i64, `float`
/// double, `bool` i1, `char` i8, GC and function pointers `ptr`.
pub fn llvm_type(llcx: &Context, ty: Ty) -> Option<BasicTypeEnum<'_>> {
    Some(match ty {
        Ty::Void => return None,
        Ty::Bool => llcx.bool_type().into(),
        Ty::Char => llcx.i8_type().into(),
        Ty::Int => llcx.i64_type().into(),
        Ty::Float => llcx.f64_type().into(),
        Ty::Ref(_) | Ty::Func(_) => llcx.ptr_type(AddressSpace::default()).into(),
    })
}

fn zeroext(llcx: &Context) -> Attribute {
    llcx.create_enum_attribute(Attribute::get_named_enum_kind_id("zeroext"), 0)
}

impl<'a, 'ctx> ModuleCx<'a, 'ctx> {
    /// The LLVM type of values of `ty` (`None` for void).
    fn ty(&self, ty: Ty) -> Option<BasicTypeEnum<'ctx>> {
        llvm_type(self.llcx, ty)
    }

    /// The LLVM type of functions with signature `sig`.
    fn fn_type(&self, sig: &Sig) -> FunctionType<'ctx> {
        let params: Vec<BasicMetadataTypeEnum> =
            sig.params.iter().map(|&t| self.ty(t).expect("no void parameter").into()).collect();
        match self.ty(sig.ret) {
            Some(r) => r.fn_type(&params, false),
            None => self.llcx.void_type().fn_type(&params, false),
        }
    }

    /// The declaration of extern `def` with its C ABI (bools and chars zero-extended).
    fn extern_fn(&mut self, def: &'static ExternDef) -> FunctionValue<'ctx> {
        if let Some(&f) = self.externs.get(def.name) {
            return f;
        }
        let cty = |t: ExternTy| match t {
            ExternTy::Int => Ty::Int,
            ExternTy::Float => Ty::Float,
            ExternTy::Bool => Ty::Bool,
            ExternTy::Char => Ty::Char,
            ExternTy::Str => Ty::Ref(rpy_ir::types::TypeTable::STR),
            ExternTy::Void => Ty::Void,
        };
        let sig = Sig { params: def.params.iter().map(|&t| cty(t)).collect(), ret: cty(def.ret) };
        let name = runtime::names::extern_symbol(def.name);
        let f = self.module.add_function(&name, self.fn_type(&sig), Some(Linkage::External));
        for (i, &p) in def.params.iter().enumerate() {
            if matches!(p, ExternTy::Bool | ExternTy::Char) {
                f.add_attribute(AttributeLoc::Param(i as u32), zeroext(self.llcx));
            }
        }
        if matches!(def.ret, ExternTy::Bool | ExternTy::Char) {
            f.add_attribute(AttributeLoc::Return, zeroext(self.llcx));
        }
        self.externs.insert(def.name, f);
        f
    }

    /// `rpy_rt.funcs`: every graph's address, by graph index, for Rust to read.
    fn define_func_table(&self) {
        let ptr = self.llcx.ptr_type(AddressSpace::default());
        let addrs: Vec<_> =
            self.funcs.iter().map(|f| f.as_global_value().as_pointer_value()).collect();
        let table = ptr.const_array(&addrs);
        let g = self.module.add_global(table.get_type(), None, names::FUNCS);
        g.set_initializer(&table);
        g.set_constant(true);
        g.set_visibility(GlobalVisibility::Protected);
    }

    fn malformed(&self, g: GraphIdx, message: impl Into<String>) -> LowerError {
        LowerError::Malformed {
            graph: self.program.graphs[g].name.clone(),
            message: message.into(),
        }
    }
}
