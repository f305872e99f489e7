//! Batches: the graphs one event of the JIT made, lowered ([`Jit::lower_into`]) and compiled
//! into one module and linked ([`Jit::flush`]), and the stubs of graphs whose batch failed
//! ([`Jit::stub_out`]).

use super::tiers::tier_up;
use super::{Batch, Inner, Jit};
use crate::errors::SiteTable;
use crate::flexswitch::Site;
use crate::lower::{self, names, Residual};
use crate::session::SessionError;
use crate::target::{self, OptLevel, TargetCpu};
use inkwell::context::Context;
use inkwell::module::Module;
use inkwell::targets::TargetMachine;
use rpy_ir::ir::GraphIdx;
use rpy_ir::types::SigIdx;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use timeshift::{BackendError, JitError, RunError};

/// A module being filled: its LLVM context, the module, the machine it is compiled for.
pub(super) struct ModuleCx<'m, 'ctx> {
    llcx: &'ctx Context,
    module: &'m Module<'ctx>,
    machine: &'m TargetMachine,
}

impl Jit {
    /// Compiles the graphs waiting for code (made or replaced since the last flush), one module
    /// per level (graphs hot already at the hot tier, the others at the first), and points
    /// their slots at the new code. Every way into compiled code flushes first, so a batch
    /// holds everything one event of the JIT made (a compilation and the entry graphs it
    /// installed) for the price of one module.
    ///
    /// A batch made where a tiered interpreter has been looping ([`Jit::hot_entry`]) has its
    /// loops sent to the compile thread at once ([`Jit::compile_loops_early`]).
    pub(super) fn flush(&self) -> Result<(), String> {
        let early = self.hot_entry.replace(false);
        let pending = std::mem::take(&mut self.inner.borrow_mut().pending.graphs);
        if pending.is_empty() && self.inner.borrow().pending.cases.is_empty() {
            return Ok(());
        }
        let (hot, first): (Vec<GraphIdx>, Vec<GraphIdx>) = {
            let inner = self.inner.borrow();
            pending.iter().partition(|g| inner.tiers.hot.contains(g) && self.options.hot.is_some())
        };
        let counted = self.options.hot.is_some();
        let batches = [
            (first, self.options.first, counted, early),
            (hot, self.options.hot.unwrap_or(self.options.first), false, false),
        ];
        let mut failed = None;
        for (graphs, level, counted, early) in batches {
            if graphs.is_empty() {
                continue;
            }
            match self.compile_batch(&graphs, level, counted, early) {
                Ok(addrs) => {
                    for (g, addr) in graphs.into_iter().zip(addrs) {
                        let old = self.inner.borrow().code.slots[&g].swap(addr, Ordering::AcqRel);
                        self.flex.retarget(old, addr);
                    }
                }
                Err(e) => {
                    self.stub_out(&graphs, &e);
                    failed.get_or_insert(e);
                }
            }
        }
        let cases = std::mem::take(&mut self.inner.borrow_mut().pending.cases);
        for (hook, value, case) in cases {
            let (id, addr) = {
                let inner = self.inner.borrow();
                let addr = inner.code.slots.get(&case).map_or(0, |s| s.load(Ordering::Acquire));
                (inner.switches[&hook].id, addr)
            };
            if addr != 0 {
                self.flex.add_case(id, value, addr).map_err(|e| e.to_string())?;
            }
        }
        failed.map_or(Ok(()), Err)
    }

    /// Points the slots of `graphs` that have no code (a batch that failed to compile: a bug)
    /// at stubs that fail with `why` when called ([`lower::lower_stubs`]): code compiled
    /// before may call them through their slots. Graphs that had code keep it.
    pub(super) fn stub_out(&self, graphs: &[GraphIdx], why: &str) {
        let missing: Vec<GraphIdx> = {
            let mut inner = self.inner.borrow_mut();
            for &g in graphs {
                inner.code.slots.entry(g).or_insert_with(|| Box::new(AtomicUsize::new(0)));
            }
            let missing: Vec<GraphIdx> = graphs
                .iter()
                .copied()
                .filter(|g| inner.code.slots[g].load(Ordering::Acquire) == 0)
                .collect();
            for &g in &missing {
                inner.code.no_code.insert(g, why.to_string());
            }
            missing
        };
        if missing.is_empty() {
            return;
        }
        let result = (|| {
            let inner = self.inner.borrow();
            let stubs: Vec<(GraphIdx, String)> = missing
                .iter()
                .map(|&g| {
                    (g, format!("rpy_jit{}.{}.stub", self.serial, inner.program.graphs[g].name))
                })
                .collect();
            let machine = self.machine(OptLevel::O0);
            let llcx = Context::create();
            let module = llcx.create_module(&stubs[0].1);
            target::configure_module(&module, &machine);
            let residual = self.residual_cx(&inner, Vec::new());
            let (layout, program) = (self.translated.layout(), &inner.program);
            let calls = lower::Stubs {
                stubs: &stubs,
                no_code: no_code as *const () as usize,
                jit: self as *const Jit as usize,
            };
            lower::lower_stubs(&llcx, &module, program, layout, &residual, &calls)
                .map_err(|e| e.to_string())?;
            let object = target::emit_object(&module, &machine)?;
            let session = self.translated.session();
            session.add_object(&object, &stubs[0].1).map_err(|e| e.to_string())?;
            stubs
                .iter()
                .map(|(g, sym)| Ok((*g, session.lookup(sym).map_err(|e| e.to_string())?)))
                .collect::<Result<Vec<_>, String>>()
        })();
        match result {
            Ok(addrs) => {
                let inner = self.inner.borrow();
                for (g, addr) in addrs {
                    inner.code.slots[&g].store(addr, Ordering::Release);
                }
            }
            Err(e) => {
                eprintln!("warning: residual graphs without code, and no stubs for them: {e}")
            }
        }
    }

    /// Compiles graph `g` at `opt` now (with tier-up counting if `counted`) and returns the
    /// code's address.
    pub(super) fn compile_at(
        &self,
        g: GraphIdx,
        opt: OptLevel,
        counted: bool,
    ) -> Result<usize, String> {
        Ok(self.compile_batch(&[g], opt, counted, false)?[0])
    }

    /// Compiles `graphs` into one module at `opt` (with tier-up counting if `counted`; their
    /// loops sent to the hot tier at once if `early`) and returns their code's addresses.
    pub(super) fn compile_batch(
        &self,
        graphs: &[GraphIdx],
        opt: OptLevel,
        counted: bool,
        early: bool,
    ) -> Result<Vec<usize>, String> {
        if let Some(pattern) = self.fail_compiling.get() {
            let inner = self.inner.borrow();
            if graphs.iter().any(|&g| inner.program.graphs[g].name.contains(pattern)) {
                return Err(format!("compiling a graph named *{pattern}* fails (test option)"));
            }
        }
        let llcx = Context::create();
        let (module, batch) = self.lower_batch(&llcx, graphs, opt, counted, true)?;
        if early && counted {
            self.compile_loops_early(&batch);
        }
        let machine = self.machine(opt);
        let start = Instant::now();
        target::optimise(&module, &machine, opt)?;
        let optimised = Instant::now();
        if self.translated.log.wants("jit-opt-ir") {
            eprintln!("{}", module.print_to_string().to_string());
        }
        let object = target::emit_object(&module, &machine)?;
        self.link_batch(batch, &object, optimised - start, optimised.elapsed())
    }

    /// Lowers `graphs` into a module of `llcx` to be compiled at `opt` (with tier-up counting
    /// if `counted`; with entry wrappers for signatures that have none yet if `entries`), and
    /// records their failure sites.
    pub(super) fn lower_batch<'ctx>(
        &self,
        llcx: &'ctx Context,
        graphs: &[GraphIdx],
        opt: OptLevel,
        counted: bool,
        entries: bool,
    ) -> Result<(inkwell::module::Module<'ctx>, Batch), String> {
        let mut inner = self.inner.borrow_mut();
        let program = Rc::clone(&inner.program);
        let mut fns = Vec::new();
        let mut new_sigs = Vec::new();
        for &g in graphs {
            let graph = &program.graphs[g];
            self.create_switches(&mut inner, graph).map_err(|e| e.to_string())?;
            inner.code.slots.entry(g).or_insert_with(|| Box::new(AtomicUsize::new(0)));
            let version = {
                let v = inner.code.versions.entry(g).or_insert(0);
                *v += 1;
                *v
            };
            let sig = program.graph_sig(g);
            if entries && !inner.code.tail_entries.contains_key(&sig) && !new_sigs.contains(&sig) {
                new_sigs.push(sig);
            }
            let code = inner.tiers.tiered.len() as u64;
            if counted {
                inner.tiers.tiered.push((g, Rc::new(graph.clone())));
            }
            let tier = counted.then(|| {
                let limit = |n: u64| n.min(i64::MAX as u64) as i64;
                let counters: Box<[AtomicI64]> = std::iter::once(self.options.hot_graph_calls)
                    .chain(graph.blocks.keys().map(|_| self.options.hot_loops))
                    .map(|n| AtomicI64::new(limit(n)))
                    .collect();
                let counters = inner.tiers.counters.entry(code).or_insert(counters);
                lower::Tier {
                    counters: counters.as_ptr() as usize,
                    tier_up: tier_up as *const () as usize,
                    jit: self as *const Jit as usize,
                    code,
                }
            });
            let symbol = format!("rpy_jit{}.{}.{g}.v{version}", self.serial, graph.name);
            fns.push(lower::ResidualFn { graph: g, symbol, tier });
        }
        let residual = self.residual_cx(&inner, new_sigs.clone());
        let machine = self.machine(opt);
        let name = fns[0].symbol.clone();
        let start = Instant::now();
        let module = llcx.create_module(&name);
        let into = ModuleCx { llcx, module: &module, machine: &machine };
        inner.sites = self.lower_into(&into, &inner, &fns, &residual)?;
        if self.translated.log.wants("jit-ir") {
            eprintln!("{}", module.print_to_string().to_string());
        }
        let batch = Batch {
            name,
            fns,
            new_sigs,
            graphs: graphs.to_vec(),
            opt,
            counted,
            lower: start.elapsed(),
        };
        Ok((module, batch))
    }

    /// Links the object file of `batch` (compiled in `optimise` + `codegen`) into the session
    /// and returns its graphs' code addresses.
    pub(super) fn link_batch(
        &self,
        batch: Batch,
        object: &[u8],
        optimise: Duration,
        codegen: Duration,
    ) -> Result<Vec<usize>, String> {
        let Batch { name, fns, new_sigs, graphs, opt, counted, lower } = batch;
        let start = Instant::now();
        let session = self.translated.session();
        let link = |e: SessionError| format!("linking {name}: {e}");
        session.add_object(object, &name).map_err(link)?;
        let addrs = fns
            .iter()
            .map(|f| session.lookup(&f.symbol))
            .collect::<Result<Vec<_>, _>>()
            .map_err(link)?;
        let mut inner = self.inner.borrow_mut();
        for sig in new_sigs {
            let entry = session.lookup(&names::tail_entry(sig.as_u32() as usize)).map_err(link)?;
            inner.code.tail_entries.insert(sig, entry);
        }
        let linked = start.elapsed();
        let ops: usize = graphs.iter().map(|&g| inner.program.graphs[g].op_count()).sum();
        if self.translated.log.wants("jit") {
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            let names: Vec<&str> =
                graphs.iter().map(|&g| inner.program.graphs[g].name.as_str()).collect();
            eprintln!(
                "[backend-llvm +{:.1}] {} ({}): {ops} ops, lower {:.2} ms, optimise {:.2} ms, codegen \
                 {:.2} ms, link {:.2} ms, {} bytes",
                crate::translated::log_stamp(),
                names.join(" "),
                opt.name(),
                ms(lower),
                ms(optimise),
                ms(codegen),
                ms(linked),
                object.len()
            );
        }
        let hot_tier = Some(opt) == self.options.hot && !counted && opt != self.options.first;
        let s = &mut inner.stats;
        s.modules += 1;
        s.graphs += graphs.len();
        s.hot += graphs.len() * usize::from(hot_tier);
        s.ops += ops;
        s.lower += lower;
        s.optimise += optimise;
        s.codegen += codegen;
        s.link += linked;
        s.object_bytes += object.len();
        Ok(addrs)
    }

    /// The LLVM IR of residual graph `g` as it is now, after the pipeline of `opt`, tuned for
    /// `cpu`.
    pub(super) fn llvm_ir(
        &self,
        g: GraphIdx,
        opt: OptLevel,
        cpu: TargetCpu,
    ) -> Result<String, String> {
        self.flush()?;
        {
            // A graph replaced while its first-tier code stays may hold switches not made yet.
            let mut inner = self.inner.borrow_mut();
            let program = Rc::clone(&inner.program);
            self.create_switches(&mut inner, &program.graphs[g]).map_err(|e| e.to_string())?;
        }
        let inner = self.inner.borrow();
        let llcx = Context::create();
        let module = llcx.create_module("residual");
        let residual = self.residual_cx(&inner, Vec::new());
        let machine = match cpu {
            TargetCpu::Host => self.machine(opt),
            other => Rc::new(other.machine(opt)),
        };
        let f = lower::ResidualFn { graph: g, symbol: "rpy_ir_dump".into(), tier: None };
        let into = ModuleCx { llcx: &llcx, module: &module, machine: &machine };
        self.lower_into(&into, &inner, &[f], &residual).map(|_| ())?;
        target::optimise(&module, &machine, opt)?;
        Ok(module.print_to_string().to_string())
    }

    /// What lowering residual code needs of the backend's state: slots, switch sites, entry
    /// wrappers (`tail_entries`: signatures whose wrappers the new module defines).
    pub(super) fn residual_cx(&self, inner: &Inner, tail_entries: Vec<SigIdx>) -> Residual {
        Residual {
            first_residual: self.translated.program().graphs.len(),
            slots: inner
                .code
                .slots
                .iter()
                .map(|(g, s)| (*g, &**s as *const AtomicUsize as usize))
                .collect(),
            hooks: inner
                .switches
                .iter()
                .map(|(n, h)| (*n, self.flex.site(h.id)))
                .collect::<HashMap<u32, Site>>(),
            tail_entries,
            prebuilt: self.translated.prebuilt_words().to_vec(),
        }
    }

    /// Lowers the residual functions `fns` into `into`'s module and returns the failure sites
    /// with theirs added.
    pub(super) fn lower_into(
        &self,
        into: &ModuleCx<'_, '_>,
        inner: &Inner,
        fns: &[lower::ResidualFn],
        residual: &Residual,
    ) -> Result<SiteTable, String> {
        target::configure_module(into.module, into.machine);
        lower::lower_residual(
            into.llcx,
            into.module,
            &inner.program,
            self.translated.layout(),
            fns,
            residual,
            inner.sites.clone(),
        )
        .map_err(|e| e.to_string())
    }
}

/// Called by the stub of a residual graph without code ([`lower::lower_stubs`]): records why
/// for the entry call (the stub then sets the failure flag and returns).
extern "C" fn no_code(jit: i64, graph: i64) {
    // SAFETY: `jit` is the boxed Jit whose code is running (code never outlives it).
    let jit = unsafe { &*(jit as usize as *const Jit) };
    let g = GraphIdx::from_u32(graph as u32);
    let error = {
        let inner = jit.inner.borrow();
        let why = inner.code.no_code.get(&g).map_or("", String::as_str);
        let graph = inner.program.graphs[g].name.clone();
        BackendError::NoCode { graph, why: Some(format!("compiling it failed: {why}")) }
    };
    jit.error.borrow_mut().get_or_insert(RunError::Jit(JitError::Backend(error)));
}
