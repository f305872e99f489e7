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

mod alloc;
mod entry;
mod frame_words;
mod func;
mod intrinsics;
mod ops;
mod overflow;
mod runtime_externs;
mod shared_sites;
mod tbaa;
#[cfg(test)]
mod tests;

pub use frame_words::frame_words;
pub use func::loop_heads;

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
    /// The visit counters of `jit_merge` ([`super::MERGE_BUCKETS`] words).
    pub const MERGE_COUNTERS: &str = "rpy_rt.merge_counters";
    /// The result word of a portal call the JIT ran from a `jit_merge`.
    pub const MERGE_RESULT: &str = "rpy_rt.merge_result";
    /// The free lists of small objects ([`super::FREE_CLASSES`] words, scanned by the
    /// collector: defined by the runtime, not the module).
    pub const FREE: &str = "rpy_rt.free";

    /// The function of a graph.
    pub fn graph(name: &str) -> String {
        format!("rpy.{name}")
    }

    /// The entry wrapper of signature number `sig`.
    pub fn entry(sig: usize) -> String {
        format!("rpy_entry.sig{sig}")
    }

    /// The entry wrapper of signature number `sig` for [`super::TAILCC`] functions.
    pub fn tail_entry(sig: usize) -> String {
        format!("rpy_entry_tail.sig{sig}")
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

/// The runtime functions and globals declared in the module (their symbols are in
/// `runtime::names` and [`names`]).
struct Runtime<'ctx> {
    /// `fail(how, site, a, b)` records why compiled code fails (cold).
    fail: FunctionValue<'ctx>,
    /// `alloc_array(tag, length, item size, has pointers)`, checked.
    alloc_array: FunctionValue<'ctx>,
    /// libgc's allocation of a scanned, zeroed object.
    gc_malloc: FunctionValue<'ctx>,
    /// Refills a free list of small objects (cold).
    refill: FunctionValue<'ctx>,
    /// The free lists of inline allocation.
    free: GlobalValue<'ctx>,
    /// `llvm.fptosi.sat`: float to int, saturating as the op is defined.
    fptosi_sat: FunctionValue<'ctx>,
    /// The flag set when compiled code failed.
    failed: GlobalValue<'ctx>,
    /// What each function's entry check reads and updates.
    stack: StackWords<'ctx>,
    /// The addresses of the `prebuilt_len` prebuilt objects.
    prebuilt: GlobalValue<'ctx>,
    prebuilt_len: u32,
    /// `jit_merge(counter, words, n, out)` asks the JIT at a loop head (cold), with the visit
    /// counters it bumps and the result word of a portal call it ran.
    jit_merge: FunctionValue<'ctx>,
    merge_counters: GlobalValue<'ctx>,
    merge_result: GlobalValue<'ctx>,
}

/// The state words of the call-depth and stack check at every function's entry: the call
/// depth and the interpreter registers in use (as llinterp counts them, `frame_words.rs`), and
/// the limits they are compared with.
struct StackWords<'ctx> {
    depth: GlobalValue<'ctx>,
    words: GlobalValue<'ctx>,
    max_depth: GlobalValue<'ctx>,
    stack_limit: GlobalValue<'ctx>,
}

/// `jit_merge` counts visits in this many counters, chosen by a hash of the green key.
pub const MERGE_BUCKETS: u32 = 256;

/// Objects (structs and arrays) of up to this many 16-byte granules (128 bytes: a frame, a
/// call's arguments) are allocated inline from a free list per
/// size (`rpy_rt.free`, filled by `GC_malloc_many` through the runtime's refill): a pop
/// instead of a call into libgc and its thread-local lookup.
pub const FREE_CLASSES: usize = 8;

/// Module-wide lowering state.
struct ModuleCx<'a, 'ctx> {
    llcx: &'ctx Context,
    module: &'a Module<'ctx>,
    program: &'a Program,
    layout: &'a Layout,
    builder: Builder<'ctx>,
    /// The function of each graph (in a residual module: declared when first used).
    funcs: HashMap<GraphIdx, FunctionValue<'ctx>>,
    rt: Runtime<'ctx>,
    externs: HashMap<&'static str, FunctionValue<'ctx>>,
    sites: SiteTable,
    /// Set when lowering residual code (see [`Residual`]).
    residual: Option<&'a Residual>,
    /// The tier-up counting of the graph being lowered, if first-tier code.
    tier: Option<Tier>,
    /// The alias tags of runtime-state and heap accesses.
    tbaa: tbaa::Tbaa<'ctx>,
}

/// LLVM's `tailcc` calling convention: a call marked `tail` between two `tailcc` functions is
/// always a tail call. Residual graphs use it, so loops that go through calls (a flexswitch
/// case continuing at an entry graph...) run in constant stack.
pub const TAILCC: u32 = 18;

/// What a module of residual code (the JIT's, [`lower_residual`]) needs besides its graph.
///
/// A residual module defines some residual graphs' functions and nothing else of the program: the
/// runtime state globals and the prebuilt table are declarations of the translated program's
/// definitions (the module is added to the session that holds it), and so are the functions
/// of the interpreter's graphs it calls. Residual graphs (index `first_residual` and above)
/// use [`TAILCC`], and calls between them go through a *slot*, a word holding the callee's
/// current code (a graph compiled again gets a new function; its callers follow the slot).
#[derive(Debug, Default)]
pub struct Residual {
    /// Graphs from this index on are residual.
    pub first_residual: usize,
    /// The address of each residual graph's slot.
    pub slots: HashMap<GraphIdx, usize>,
    /// The flexswitch of each `jit_hook` number.
    pub hooks: HashMap<u32, crate::flexswitch::Site>,
    /// The signatures whose [`TAILCC`] entry wrappers ([`names::tail_entry`]) the module
    /// defines.
    pub tail_entries: Vec<rpy_ir::types::SigIdx>,
    /// The addresses of the translated program's prebuilt objects, by index (its table is
    /// filled before any code runs and never changes; the collector does not move objects):
    /// residual code uses them as constants, not loads from the table and null checks.
    pub prebuilt: Vec<u64>,
}

/// Tier-up counting in residual code compiled at the first tier. Counters (i64 words at
/// `counters`): calls first (counted at entry), then one per block, counting the iterations
/// of the loop headed there (at its back edges). When one reaches zero the code calls
/// `tier_up(jit, code, block) -> code address or null` (`code` names this compilation):
/// - from the entry, with block `u64::MAX`: the JIT compiles the graph again at the next tier
///   for later calls; this call goes on;
/// - from a back edge to block `B`: the JIT returns code entering the graph at `B` (taking
///   `B`'s parameters), compiled at the next tier, and the loop continues there (a tail call
///   with the edge's arguments); null: it goes on here.
#[derive(Clone, Copy, Debug)]
pub struct Tier {
    /// The address of the counters (calls, then one per block of the graph).
    pub counters: usize,
    /// `extern "C" fn(jit: i64, code: i64, block: i64) -> ptr`.
    pub tier_up: usize,
    /// The first argument of `tier_up`.
    pub jit: usize,
    /// The second argument of `tier_up`: the JIT's number for this compilation.
    pub code: u64,
}

impl Residual {
    /// Whether graph `g` is residual code.
    pub fn is_residual(&self, g: GraphIdx) -> bool {
        g.as_u32() as usize >= self.first_residual
    }
}

/// Lowers every graph of `program` (laid out by `layout`) into `module`, and returns the
/// failure sites the code refers to.
pub fn lower_program<'ctx>(
    llcx: &'ctx Context,
    module: &Module<'ctx>,
    program: &Program,
    layout: &Layout,
) -> R<SiteTable> {
    let mut cx = ModuleCx::new(llcx, module, program, layout, SiteTable::default(), None);
    for (g, graph) in program.graphs.iter() {
        let sig = Sig { params: graph.params.clone(), ret: graph.ret };
        let f = module.add_function(&names::graph(&graph.name), cx.fn_type(&sig), None);
        f.as_global_value().set_visibility(GlobalVisibility::Protected);
        inline_attributes(llcx, f, graph.flags);
        cx.funcs.insert(g, f);
    }
    for g in program.graphs.keys() {
        func::lower_graph(&mut cx, g)?;
    }
    let sigs: Vec<_> = program.types.sigs().map(|(s, _)| s).collect();
    entry::define_entries(&mut cx, &sigs, false)?;
    cx.define_func_table();
    module.verify().map_err(|e| LowerError::Verify(e.to_string()))?;
    Ok(cx.sites)
}

/// The attributes of the translator's decorators: `@always_inline` is `alwaysinline`,
/// `@dont_inline` is `noinline cold` (a slow path: its calls are rare).
fn inline_attributes(llcx: &Context, f: FunctionValue, flags: rpy_ir::ir::FuncFlags) {
    let attr = |name: &str| llcx.create_enum_attribute(Attribute::get_named_enum_kind_id(name), 0);
    let names: &[&str] = match (flags.always_inline, flags.dont_inline) {
        (true, _) => &["alwaysinline"],
        (_, true) => &["noinline", "cold"],
        _ => &[],
    };
    for name in names {
        f.add_attribute(AttributeLoc::Function, attr(name));
    }
}

/// One residual graph of a [`lower_residual`] module: its function's symbol, and its tier-up
/// counting if it is first-tier code.
#[derive(Clone, Debug)]
pub struct ResidualFn {
    /// The graph.
    pub graph: GraphIdx,
    /// Its function's symbol.
    pub symbol: String,
    /// Tier-up counting, for first-tier code.
    pub tier: Option<Tier>,
}

/// Lowers residual graphs `fns` of `program` into `module` as `residual` says (each function
/// is its `symbol`, with the [`TAILCC`] convention), numbering their failure sites after those
/// of `sites`, which it returns extended.
pub fn lower_residual<'ctx>(
    llcx: &'ctx Context,
    module: &Module<'ctx>,
    program: &Program,
    layout: &Layout,
    fns: &[ResidualFn],
    residual: &Residual,
    sites: SiteTable,
) -> R<SiteTable> {
    let mut cx = ModuleCx::new(llcx, module, program, layout, sites, Some(residual));
    for f in fns {
        let graph = &program.graphs[f.graph];
        let sig = Sig { params: graph.params.clone(), ret: graph.ret };
        let func = module.add_function(&f.symbol, cx.fn_type(&sig), None);
        func.set_call_conventions(TAILCC);
        cx.funcs.insert(f.graph, func);
    }
    for f in fns {
        cx.tier = f.tier;
        func::lower_graph(&mut cx, f.graph)?;
    }
    entry::define_entries(&mut cx, &residual.tail_entries, true)?;
    module.verify().map_err(|e| LowerError::Verify(e.to_string()))?;
    Ok(cx.sites)
}

/// The stubs of a [`lower_stubs`] module and the Rust function they report to.
#[derive(Clone, Copy, Debug)]
pub struct Stubs<'s> {
    /// (graph, symbol) of each stub.
    pub stubs: &'s [(GraphIdx, String)],
    /// The address of `extern "C" fn(jit: i64, graph: i64)`, called by every stub.
    pub no_code: usize,
    /// Its first argument.
    pub jit: usize,
}

/// Functions standing for residual graphs that have no code (their compilation failed), in a
/// residual module: each calls `no_code(jit, graph)` (a Rust function that records why for
/// the entry call), sets the failure flag and returns, so a call reaching such a graph fails
/// with an error instead of jumping to address 0.
pub fn lower_stubs<'ctx>(
    llcx: &'ctx Context,
    module: &Module<'ctx>,
    program: &Program,
    layout: &Layout,
    residual: &Residual,
    stubs: &Stubs<'_>,
) -> R<()> {
    let Stubs { stubs, no_code, jit } = *stubs;
    let cx = ModuleCx::new(llcx, module, program, layout, SiteTable::default(), Some(residual));
    let i64t = llcx.i64_type();
    let ptr = llcx.ptr_type(AddressSpace::default());
    let no_code_ty = llcx.void_type().fn_type(&[i64t.into(), i64t.into()], false);
    for (g, symbol) in stubs {
        let graph = &program.graphs[*g];
        let sig = Sig { params: graph.params.clone(), ret: graph.ret };
        let func = module.add_function(symbol, cx.fn_type(&sig), None);
        func.set_call_conventions(TAILCC);
        let b = &cx.builder;
        b.position_at_end(llcx.append_basic_block(func, "entry"));
        let callee = b.build_int_to_ptr(i64t.const_int(no_code as u64, false), ptr, "no_code")?;
        let args = [
            i64t.const_int(jit as u64, false).into(),
            i64t.const_int(g.as_u32() as u64, false).into(),
        ];
        b.build_indirect_call(no_code_ty, callee, &args, "")?;
        let set =
            b.build_store(cx.rt.failed.as_pointer_value(), llcx.i8_type().const_int(1, false))?;
        cx.tbaa.runtime(set);
        match cx.ty(graph.ret) {
            Some(t) => b.build_return(Some(&t.const_zero()))?,
            None => b.build_return(None)?,
        };
    }
    module.verify().map_err(|e| LowerError::Verify(e.to_string()))?;
    Ok(())
}

/// Declares the runtime functions, and the state globals: defined (zero) in a whole
/// program's module, external in a residual module (resolved to the program's).
fn declare_runtime<'ctx>(
    llcx: &'ctx Context,
    module: &Module<'ctx>,
    program: &Program,
    define: bool,
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
    let refill =
        declare(runtime::names::REFILL, ptr.fn_type(&[i64t.into(), ptr.into()], false), true);
    let free_ty = ptr.array_type(FREE_CLASSES as u32);
    let free = module.add_global(free_ty, None, names::FREE);
    free.set_linkage(Linkage::External);
    let fptosi_sat = Intrinsic::find("llvm.fptosi.sat")
        .and_then(|i| i.get_declaration(module, &[i64t.into(), llcx.f64_type().into()]))
        .expect("llvm.fptosi.sat exists");
    let global = |name: &str, ty: BasicTypeEnum<'ctx>| {
        let g = module.add_global(ty, None, name);
        if define {
            g.set_initializer(&ty.const_zero());
            g.set_visibility(GlobalVisibility::Protected);
        } else {
            g.set_linkage(Linkage::External);
        }
        g
    };
    let prebuilt_len = program.prebuilt.len() as u32;
    Runtime {
        fail,
        alloc_array,
        gc_malloc,
        refill,
        free,
        fptosi_sat,
        failed: global(names::FAILED, llcx.i8_type().into()),
        stack: StackWords {
            depth: global(names::DEPTH, i64t.into()),
            words: global(names::WORDS, i64t.into()),
            max_depth: global(names::MAX_DEPTH, i64t.into()),
            stack_limit: global(names::STACK_LIMIT, i64t.into()),
        },
        prebuilt: global(names::PREBUILT, ptr.array_type(prebuilt_len.max(1)).into()),
        prebuilt_len,
        jit_merge: declare(
            runtime::names::JIT_MERGE,
            i64t.fn_type(&[ptr.into(), ptr.into(), i64t.into(), ptr.into()], false),
            true,
        ),
        merge_counters: global(names::MERGE_COUNTERS, i64t.array_type(MERGE_BUCKETS).into()),
        merge_result: global(names::MERGE_RESULT, i64t.into()),
    }
}

/// The LLVM type of values of `ty` in compiled code (`None` for void): `int` i64, `float`
/// double, `bool` i1, `char` i32 (a code point), GC and function pointers `ptr`.
pub fn llvm_type(llcx: &Context, ty: Ty) -> Option<BasicTypeEnum<'_>> {
    Some(match ty {
        Ty::Void => return None,
        Ty::Bool => llcx.bool_type().into(),
        Ty::Char => llcx.i32_type().into(),
        Ty::Int => llcx.i64_type().into(),
        Ty::Float => llcx.f64_type().into(),
        Ty::Ref(_) | Ty::Func(_) => llcx.ptr_type(AddressSpace::default()).into(),
    })
}

fn zeroext(llcx: &Context) -> Attribute {
    llcx.create_enum_attribute(Attribute::get_named_enum_kind_id("zeroext"), 0)
}

impl<'a, 'ctx> ModuleCx<'a, 'ctx> {
    /// The state of lowering into `module`: a whole program's (`residual` `None`: the runtime
    /// state defined here) or residual code's.
    fn new(
        llcx: &'ctx Context,
        module: &'a Module<'ctx>,
        program: &'a Program,
        layout: &'a Layout,
        sites: SiteTable,
        residual: Option<&'a Residual>,
    ) -> Self {
        ModuleCx {
            llcx,
            module,
            program,
            layout,
            builder: llcx.create_builder(),
            funcs: HashMap::new(),
            rt: declare_runtime(llcx, module, program, residual.is_none()),
            externs: HashMap::new(),
            sites,
            residual,
            tier: None,
            tbaa: tbaa::Tbaa::new(llcx),
        }
    }

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
            // Every GC pointer is an LLVM `ptr`: the array types' indices do not matter here.
            ExternTy::Str | ExternTy::StrArray | ExternTy::CharArray => {
                Ty::Ref(rpy_ir::types::TypeTable::STR)
            }
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

    /// The function of interpreter graph `g` (declared in a residual module on first use).
    fn func(&mut self, g: GraphIdx) -> R<FunctionValue<'ctx>> {
        if let Some(&f) = self.funcs.get(&g) {
            return Ok(f);
        }
        let graph = self.program.graphs.get(g).ok_or_else(|| LowerError::Malformed {
            graph: "<program>".into(),
            message: format!("no graph {g}"),
        })?;
        if self.residual.is_none_or(|r| r.is_residual(g)) {
            return Err(self.malformed(g, "a residual graph is reached through its slot"));
        }
        let sig = Sig { params: graph.params.clone(), ret: graph.ret };
        let name = names::graph(&graph.name);
        let f = self.module.add_function(&name, self.fn_type(&sig), Some(Linkage::External));
        self.funcs.insert(g, f);
        Ok(f)
    }

    /// The slot of residual graph `g`, if this is a residual module and `g` is residual.
    fn slot(&self, g: GraphIdx) -> Option<usize> {
        let r = self.residual?;
        r.is_residual(g).then(|| r.slots.get(&g).copied()).flatten()
    }

    /// `rpy_rt.funcs`: every graph's address, by graph index, for Rust to read.
    fn define_func_table(&self) {
        let ptr = self.llcx.ptr_type(AddressSpace::default());
        let addrs: Vec<_> = self
            .program
            .graphs
            .keys()
            .map(|g| self.funcs[&g].as_global_value().as_pointer_value())
            .collect();
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
