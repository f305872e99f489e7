//! The host target: one-time LLVM initialisation, optimisation levels and the target machine
//! every module is compiled with (host CPU and features, or the architecture's baseline for
//! output that must not depend on the machine; PIC, small code model).

use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::context::Context;
use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{
    CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine, TargetTriple,
};
use inkwell::OptimizationLevel;
use std::ffi::CString;
use std::sync::Once;

/// How hard LLVM optimises the translated code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptLevel {
    /// No IR passes; fast instruction selection. Cheapest to compile.
    O0,
    /// The `default<O1>` pipeline and light code generation optimisation.
    O1,
    /// The `default<O2>` pipeline and optimising code generation.
    O2,
    /// [`LEAN_PIPELINE`] and O2's code generation with fast instruction selection: what hot
    /// residual code is compiled at. (Fast instruction selection: a third less code
    /// generation time on a recompiled TLC loop graph, `llc` 16 → 10 ms; the benchmarks'
    /// hot loops run as fast, and first runs gain 2–5 ms, `first_run` medians.)
    Lean,
    /// A pass pipeline in LLVM's syntax instead of [`LEAN_PIPELINE`], with `Lean`'s code
    /// generation: the hot tier of an investigation (`RPY_LEAN_PIPELINE`, read by
    /// [`crate::LlvmConfig::from_env`]).
    Pipeline(&'static str),
    /// A pass pipeline in LLVM's syntax (empty: no passes) and a code generation level, with
    /// fast instruction selection: a tier of an investigation (`RPY_JIT_FIRST`, `RPY_JIT_HOT`,
    /// read by [`crate::LlvmConfig::from_env`]). Known problem, not understood yet: the hot
    /// tier at `none` after [`LEAN_PIPELINE`] makes mini-Python's `nbody` (default size) fail
    /// with a `RecursionError` (the native stack), which the default levels do not.
    Custom(&'static str, Codegen),
}

/// How hard LLVM's code generator optimises ([`OptLevel::Custom`]): LLVM's `-O0` to `-O2` of
/// `llc`. `None` allocates registers with the fast allocator (every value live across blocks
/// goes through a stack slot); `Less` has the greedy allocator without `Default`'s post-RA
/// scheduling and anti-dependency breaking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Codegen {
    /// `llc -O0`.
    None,
    /// `llc -O1`.
    Less,
    /// `llc -O2`.
    Default,
}

impl Codegen {
    /// The level named `none`, `less` or `default`.
    pub fn parse(name: &str) -> Option<Codegen> {
        match name {
            "none" => Some(Codegen::None),
            "less" => Some(Codegen::Less),
            "default" => Some(Codegen::Default),
            _ => None,
        }
    }
}

/// The IR passes hot residual code needs, about half of `default<O2>`'s cost on it for code
/// as fast on the three TLC benchmarks (measured with `RPY_LLVM_LOG=jit`, and
/// `RPY_LEAN_PIPELINE` to try others): residual graphs have no calls worth inlining (their
/// callees are the interpreter's, compiled already) and no allocas, so what pays is cleaning
/// up (redundant checks and loads, folded branches), loop canonicalisation, the loop
/// vectoriser (its interleaving breaks the dependency chains of reductions) and unrolling
/// (fibonacci's loop is three times faster unrolled). `instcombine` named in a pipeline
/// checks that one run reaches a fixpoint and aborts the process (`LLVM ERROR: Instruction
/// Combining did not reach a fixpoint`) when it does not, which some residual code meets:
/// `no-verify-fixpoint`, as LLVM's own pipelines have it.
pub const LEAN_PIPELINE: &str = "function(sroa,early-cse<memssa>,simplifycfg,\
                                 instcombine<no-verify-fixpoint>,loop(loop-rotate),\
                                 loop-mssa(licm),loop(indvars),gvn,loop-vectorize,\
                                 loop-unroll<O2>,instcombine<no-verify-fixpoint>,simplifycfg)";

/// Translated code's pipeline: `default<O2>`, then loop unswitching once more, with the
/// non-trivial kind (a copy of the loop per invariant condition), and the clean-up after it.
/// Why: a loop over an inlined fast path (the list prelude's `list_getitem`) tests, per
/// iteration, conditions that are invariant only once GVN has run (the inlined graph's depth
/// check, the failure flag and the pending exception after the call), after `default<O2>`'s
/// only unswitching; unswitched, the test leaves the loop and the loop keeps the list's own
/// bounds test and the read (callgrind, `scripts/list_callgrind.sh`: a `list[int]` read costs
/// 17 instructions before, 9 after).
pub const O2_PIPELINE: &str = "default<O2>,function(loop-mssa(licm,\
                               simple-loop-unswitch<nontrivial>),simplifycfg,\
                               instcombine<no-verify-fixpoint>)";

/// How much optimisation the translation of a program may spend (see [`crate::partition`]: the
/// graphs past the budget are compiled at O0), in cost units: a graph costs
/// [`GRAPH_COST`] plus one unit per op. Measured with `opt -O2` and `llc -O2` on lowered
/// programs (200 graphs of 2 to 80 ops), a unit is 0.1–0.25 ms of CPU, so the budget is one
/// to three seconds of O2; the TLC interpreter (54 graphs, ~700 ops) costs ~1 250 units, the
/// mini-Python interpreter (~820 graphs, ~16 000 ops) ~24 000, of which this budget optimises
/// the half its benchmarks spend their time in (8 000 left calls, attribute lookups and dict
/// probes at O0: the translated interpreter ran up to 2× slower).
pub const OPTIMISE_BUDGET: usize = 12_000;

/// The fixed cost of a function to LLVM's O2 pipeline and code generator, in ops (the same
/// measurements: a graph of n ops costs about as much as n + 10 ops of a larger one; its
/// prologue alone, with the depth and stack checks, is ~20 LLVM instructions).
pub const GRAPH_COST: usize = 10;

/// The cold part of a large translated program ([`crate::partition`]): the clean-up of
/// [`LEAN_PIPELINE`] without its loop passes (scalar replacement, early CSE, CFG and
/// instruction simplification), run as [`OptLevel::Pipeline`] (fast instruction selection).
/// Why: at O0 every value lives in a stack slot, and the cold graphs a benchmark still runs
/// (mini-Python's `new_frame`, `bind_args`, a dict's probe for a new key) ran 2-3x slower
/// than optimised; this pipeline keeps values in registers for a fraction of O2's cost.
/// Measured on mini-Python's translated interpreter (1 044 cold graphs; best user CPU of 3
/// interleaved runs at default sizes on a loaded machine): `fib` 2.43 -> 1.98 s, `deltablue`
/// 5.34 -> 4.46 s, `sieve` 2.41 -> 2.12 s, the benchmarks that run no cold graph within
/// noise; the whole translation 9.1 -> ~12 s of CPU, once per build (the object cache
/// keeps it).
pub const COLD_PIPELINE: &str =
    "function(sroa,early-cse,simplifycfg,instcombine<no-verify-fixpoint>)";

impl OptLevel {
    /// The name used in logs, cache keys and the command line (`O0`, `O2`).
    pub fn name(self) -> &'static str {
        match self {
            OptLevel::O0 => "O0",
            OptLevel::O1 => "O1",
            OptLevel::O2 => "O2",
            OptLevel::Lean => "lean",
            OptLevel::Pipeline(_) => "pipeline",
            OptLevel::Custom(..) => "custom",
        }
    }

    fn codegen_level(self) -> OptimizationLevel {
        match self {
            OptLevel::O0 => OptimizationLevel::None,
            OptLevel::O1 => OptimizationLevel::Less,
            OptLevel::O2 | OptLevel::Lean | OptLevel::Pipeline(_) => OptimizationLevel::Default,
            OptLevel::Custom(_, Codegen::None) => OptimizationLevel::None,
            OptLevel::Custom(_, Codegen::Less) => OptimizationLevel::Less,
            OptLevel::Custom(_, Codegen::Default) => OptimizationLevel::Default,
        }
    }
}

static INIT: Once = Once::new();

/// Initialises LLVM's native target once per process (with no options of LLVM's own beyond
/// ours: see [`init_llvm_with`]).
pub fn init_llvm() {
    init_llvm_with(&[]);
}

/// Initialises LLVM's native target once per process, and sets the global code generation
/// options: on AVX-512 hosts the X86 domain reassignment pass costs half of O2 code
/// generation for nothing this code needs, so it is disabled; `llvm_args` are more of LLVM's
/// options (for investigations: `-time-passes`, `-fast-isel-report-on-fallback`...;
/// [`crate::LlvmConfig::llvm_args`]). LLVM parses its options once per process: the first
/// initialisation's hold (a translation initialises LLVM first thing, with its
/// [`crate::Options::llvm_args`]).
pub fn init_llvm_with(llvm_args: &[String]) {
    INIT.call_once(|| {
        Target::initialize_native(&InitializationConfig::default())
            .expect("LLVM cannot initialise the native target");
        let args: Vec<CString> = ["rpy-llvm", "-disable-x86-domain-reassignment"]
            .into_iter()
            .chain(llvm_args.iter().map(String::as_str))
            .filter_map(|s| CString::new(s).ok())
            .collect();
        let argv: Vec<*const libc::c_char> = args.iter().map(|a| a.as_ptr()).collect();
        // SAFETY: argv holds valid C strings that outlive the call; called once, before any
        // other LLVM use of these options.
        unsafe {
            llvm_sys::support::LLVMParseCommandLineOptions(
                argv.len() as i32,
                argv.as_ptr(),
                std::ptr::null(),
            );
        }
    });
}

/// The host's target triple.
pub fn host_triple() -> TargetTriple {
    TargetMachine::get_default_triple()
}

/// The CPU code is generated for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TargetCpu {
    /// This machine's CPU and all its features: the fastest code, but the optimiser's choices
    /// (vector widths...) depend on the host.
    #[default]
    Host,
    /// The baseline of the host's architecture (`x86-64` with no extra features on x86-64):
    /// code and optimised IR that are the same on every machine of the architecture, for
    /// golden tests.
    Generic,
}

/// What a target machine is made for: triple, CPU name and CPU features.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TargetDescription {
    /// The target triple (`x86_64-pc-linux-gnu`).
    pub triple: String,
    /// LLVM's name of the CPU (`skylake-avx512`, `x86-64`).
    pub cpu: String,
    /// LLVM's feature string (`+avx2,+fma,...`; empty for the baseline).
    pub features: String,
}

impl TargetCpu {
    /// The triple, CPU and features a machine for this CPU is made with.
    pub fn description(self) -> TargetDescription {
        init_llvm();
        let triple = host_triple().as_str().to_string_lossy().into_owned();
        let (cpu, features) = match self {
            TargetCpu::Host => (
                TargetMachine::get_host_cpu_name().to_string_lossy().into_owned(),
                TargetMachine::get_host_cpu_features().to_string_lossy().into_owned(),
            ),
            TargetCpu::Generic => {
                let baseline = if cfg!(target_arch = "x86_64") { "x86-64" } else { "generic" };
                (baseline.to_string(), String::new())
            }
        };
        TargetDescription { triple, cpu, features }
    }

    /// A target machine for this CPU, PIC, small code model (fast instruction selection at
    /// [`OptLevel::Lean`]).
    pub fn machine(self, opt: OptLevel) -> TargetMachine {
        let d = self.description();
        let triple = TargetTriple::create(&d.triple);
        let target = Target::from_triple(&triple).expect("the host triple has an LLVM target");
        let tm = target
            .create_target_machine(
                &triple,
                &d.cpu,
                &d.features,
                opt.codegen_level(),
                RelocMode::PIC,
                CodeModel::Small,
            )
            .expect("LLVM cannot create a target machine for the host");
        if matches!(opt, OptLevel::Lean | OptLevel::Pipeline(_) | OptLevel::Custom(..)) {
            // SAFETY: `tm` is a live target machine; the call sets one of its options.
            unsafe { llvm_sys::target_machine::LLVMSetTargetMachineFastISel(tm.as_mut_ptr(), 1) };
        }
        tm
    }
}

/// A target machine for the host CPU and its features ([`TargetCpu::Host`]).
pub fn host_machine(opt: OptLevel) -> TargetMachine {
    TargetCpu::Host.machine(opt)
}

/// Runs the IR pipeline of `opt` on `module` (nothing at O0).
pub fn optimise(module: &Module<'_>, machine: &TargetMachine, opt: OptLevel) -> Result<(), String> {
    match opt {
        OptLevel::O0 | OptLevel::Custom("", _) => Ok(()),
        OptLevel::O1 => module
            .run_passes("default<O1>", machine, PassBuilderOptions::create())
            .map_err(|e| e.to_string()),
        OptLevel::O2 => module
            .run_passes(O2_PIPELINE, machine, PassBuilderOptions::create())
            .map_err(|e| e.to_string()),
        OptLevel::Lean => module
            .run_passes(LEAN_PIPELINE, machine, PassBuilderOptions::create())
            .map_err(|e| e.to_string()),
        OptLevel::Pipeline(pipeline) | OptLevel::Custom(pipeline, _) => module
            .run_passes(pipeline, machine, PassBuilderOptions::create())
            .map_err(|e| e.to_string()),
    }
}

/// Gives `module` the triple and data layout of `machine` (before lowering into it, so the
/// optimiser sees the real layout).
pub fn configure_module(module: &Module<'_>, machine: &TargetMachine) {
    module.set_triple(&machine.get_triple());
    module.set_data_layout(&machine.get_target_data().get_data_layout());
}

/// Marks every function of `module` `nounwind`, so that it gets no unwind tables: nothing
/// unwinds through compiled code (the runtime functions it calls catch panics at the boundary
/// or abort). Without them the object has no `.eh_frame`, whose one entry per function ORC's
/// linker ties to the one `.text` block in a cycle: the dependency closure it computes then
/// grows with the square of the number of functions (8 000 functions: most of a
/// translation's time and memory went to linking).
pub fn without_unwind_tables(llcx: &Context, module: &Module<'_>) {
    let kind = Attribute::get_named_enum_kind_id("nounwind");
    for f in module.get_functions() {
        f.add_attribute(AttributeLoc::Function, llcx.create_enum_attribute(kind, 0));
    }
}

/// Compiles `module` to an ELF object file in memory.
pub fn emit_object(module: &Module<'_>, machine: &TargetMachine) -> Result<Vec<u8>, String> {
    let buf =
        machine.write_to_memory_buffer(module, FileType::Object).map_err(|e| e.to_string())?;
    Ok(buf.as_slice().to_vec())
}
