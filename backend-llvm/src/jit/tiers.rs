//! Tiers: hot code compiled again at the hot tier (a graph whose calls are hot, a loop entered
//! hot by on-stack replacement), on the compile thread when there is one; the runtime entry
//! first-tier code calls when a counter runs out ([`tier_up`]).

use super::{Jit, OptLevel};
use inkwell::context::Context;
use rpy_ir::ir::GraphIdx;
use rpy_ir::types::Ty;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Iterations of a hot loop between two looks at whether its code compiled on the compile
/// thread is ready (about 0.1 ms of first-tier code).
const OSR_POLL: i64 = 10_000;

/// Loops of one batch [`Jit::compile_loops_early`] sends to the compile thread, at most.
const EARLY_LOOPS: usize = 4;

/// Calls after which a graph of a batch made where a tiered interpreter has been looping is
/// compiled again at the hot tier ([`Jit::compile_loops_early`]): enough to tell the graphs
/// of the loop (called once per iteration) from those on the way into it (called once).
const EARLY_CALLS: i64 = 100;

/// Calls of a hot graph between two looks at whether its code compiled on the compile thread
/// is ready.
const CALL_POLL: i64 = 100;

impl Jit {
    /// Graph `g` (whose calls are hot) compiled again at the hot tier, for later calls: on the
    /// compile thread if there is one (`Some(0)` until it is ready), else now. `None`: nothing
    /// more to do (done before, or a result made stale by a newer version of the graph
    /// compiled meanwhile). An error once, then `None`: the first tier's code goes on.
    pub(super) fn hot_code(&self, g: GraphIdx, level: OptLevel) -> Result<Option<usize>, String> {
        let job = self.inner.borrow_mut().tiers.call_jobs.remove(&g);
        if let Some((ticket, batch, version)) = job {
            let Some(compiled) = ticket.take() else {
                self.inner.borrow_mut().tiers.call_jobs.insert(g, (ticket, batch, version));
                return Ok(Some(0));
            };
            if self.inner.borrow().code.versions.get(&g) != Some(&version) {
                return Ok(None);
            }
            let c = compiled?;
            return Ok(Some(self.link_batch(batch, &c.object, c.optimise, c.codegen)?[0]));
        }
        if self.inner.borrow().tiers.recompiled_hot.contains(&g) {
            return Ok(None);
        }
        // The version with the cases met inline, put off until now (while `g` is not hot yet,
        // so the replacement only changes the program).
        if let Some(hook) = self.hook.get() {
            if hook.refresh(&g) {
                // The new version may call entry graphs made with it: they get code first.
                self.flush()?;
            }
        }
        {
            let mut inner = self.inner.borrow_mut();
            inner.tiers.hot.insert(g);
            inner.tiers.recompiled_hot.insert(g);
        }
        let Some(background) = &self.background else {
            return self.compile_at(g, level, false).map(Some);
        };
        let llcx = Context::create();
        let (module, batch) = self.lower_batch(&llcx, &[g], level, false, false)?;
        let ticket = background.submit(&module, level);
        let mut inner = self.inner.borrow_mut();
        let version = inner.code.versions[&g];
        inner.tiers.call_jobs.insert(g, (ticket, batch, version));
        Ok(Some(0))
    }

    /// Code entering first-tier compilation `code`'s graph at loop head `head`, compiled at
    /// the hot tier: a copy of that graph whose entry jumps to `head` with its parameters.
    /// `None` while it is being compiled on the compile thread.
    pub(super) fn osr_code(
        &self,
        code: u64,
        head: u32,
        level: OptLevel,
    ) -> Result<Option<usize>, String> {
        if let Some(&addr) = self.inner.borrow().tiers.osr.get(&(code, head)) {
            return if addr == 0 {
                Err("its compilation failed before".into())
            } else {
                Ok(Some(addr))
            };
        }
        let job = self.inner.borrow_mut().tiers.osr_jobs.remove(&(code, head));
        let result = match job {
            Some((ticket, batch)) => match ticket.take() {
                None => {
                    self.inner.borrow_mut().tiers.osr_jobs.insert((code, head), (ticket, batch));
                    return Ok(None);
                }
                Some(compiled) => compiled
                    .and_then(|c| Ok(self.link_batch(batch, &c.object, c.optimise, c.codegen)?[0])),
            },
            None => match self.osr_graph(code, head) {
                Ok(osr) => match &self.background {
                    Some(background) => {
                        let llcx = Context::create();
                        // No entry wrapper: the code is only reached from its loop's back edge.
                        let (module, batch) =
                            self.lower_batch(&llcx, &[osr], level, false, false)?;
                        let ticket = background.submit(&module, level);
                        self.inner
                            .borrow_mut()
                            .tiers
                            .osr_jobs
                            .insert((code, head), (ticket, batch));
                        return Ok(None);
                    }
                    None => self.compile_at(osr, level, false),
                },
                Err(e) => Err(e),
            },
        };
        let addr = *result.as_ref().unwrap_or(&0);
        self.inner.borrow_mut().tiers.osr.insert((code, head), addr);
        result.map(Some)
    }

    /// Sends the loops of first-tier `batch` (lowered, not compiled yet) to the compile thread
    /// at once, instead of after [`JitOptions::hot_loops`] iterations: the batch starts where
    /// a tiered interpreter has been looping, so its loops are that loop, hot already, and
    /// their hot code is then ready about when the first tier's would have asked for it (the
    /// two compilations run side by side). Their back edges ask for it every [`OSR_POLL`]
    /// iterations. A loop closing through several graphs (through a flexswitch's cases) is
    /// that loop too: the batch's graphs are compiled again at the hot tier after
    /// [`EARLY_CALLS`] calls instead of [`JitOptions::hot_graph_calls`]. Nothing without a compile
    /// thread (compiling now would make the loop wait).
    ///
    /// [`JitOptions::hot_loops`]: super::JitOptions::hot_loops
    /// [`JitOptions::hot_graph_calls`]: super::JitOptions::hot_graph_calls
    pub(super) fn compile_loops_early(&self, batch: &super::Batch) {
        let (Some(level), Some(_)) = (self.options.hot, &self.background) else { return };
        {
            let inner = self.inner.borrow();
            for tier in batch.fns.iter().filter_map(|f| f.tier) {
                if let Some(c) = inner.tiers.counters.get(&tier.code).and_then(|c| c.first()) {
                    c.fetch_min(EARLY_CALLS, Ordering::Relaxed);
                }
            }
        }
        let program = self.program();
        let loops =
            batch.fns.iter().filter_map(|f| Some((f.tier?.code, f.graph))).flat_map(|(code, g)| {
                crate::lower::loop_heads(&program.graphs[g]).into_iter().map(move |h| (code, h))
            });
        for (code, head) in loops.take(EARLY_LOOPS) {
            let head = head.as_u32();
            // An error is kept for the back edge's tier-up, which reports it.
            if let Ok(None) = self.osr_code(code, head, level) {
                let inner = self.inner.borrow();
                if let Some(c) =
                    inner.tiers.counters.get(&code).and_then(|c| c.get(1 + head as usize))
                {
                    c.store(OSR_POLL, Ordering::Relaxed);
                }
            }
        }
    }

    /// Adds the graph of [`Jit::osr_code`] to the program.
    pub(super) fn osr_graph(&self, code: u64, head: u32) -> Result<GraphIdx, String> {
        let source = self.inner.borrow().tiers.tiered.get(code as usize).map(|(_, g)| Rc::clone(g));
        let mut graph = (*source.ok_or_else(|| format!("no compilation {code}"))?).clone();
        let head_block = rpy_ir::ir::Block::from_u32(head);
        if graph.blocks.get(head_block).is_none() {
            return Err(format!("{} has no block {head_block}", graph.name));
        }
        let tys: Vec<Ty> =
            graph.blocks[head_block].params.iter().map(|&p| graph.vars[p].ty).collect();
        let entry = graph.add_block(graph.span);
        let params: Vec<_> = tys.iter().map(|&t| graph.new_var(t, None)).collect();
        graph.blocks[entry].params = params.clone();
        graph.blocks[entry].exit = rpy_ir::ir::Exit::Goto(rpy_ir::ir::Target {
            block: head_block,
            args: params.iter().map(|&p| rpy_ir::ir::Value::Var(p)).collect(),
        });
        graph.entry = entry;
        graph.params = tys;
        graph.name = format!("{}__osr{head}_{code}", graph.name);
        graph.remove_unreachable_blocks();
        self.update_program(|p| p.add_graph(graph)).map_err(|e| e.to_string())
    }
}

/// Called by first-tier code that is hot (see [`lower::Tier`]; `code` names its compilation): from its entry
/// (`block` = -1), compiles the graph again at the hot tier for later calls and returns null;
/// from a back edge to `block`, returns code entering the graph there compiled at the hot
/// tier (null if that fails; the code then goes on as it is).
pub(super) extern "C" fn tier_up(jit: i64, code: i64, block: i64) -> usize {
    // No unwinding into compiled code: a panic is a failed tier-up (the code goes on).
    std::panic::catch_unwind(|| tier_up_inner(jit, code, block)).unwrap_or_else(|_| {
        eprintln!("warning: the JIT panicked compiling hot code; it goes on unoptimised");
        0
    })
}

fn tier_up_inner(jit: i64, code: i64, block: i64) -> usize {
    // SAFETY: `jit` is the boxed Jit whose code is running (code never outlives it).
    let jit = unsafe { &*(jit as usize as *const Jit) };
    let Some(g) = jit.inner.borrow().tiers.tiered.get(code as usize).map(|(g, _)| *g) else {
        return 0;
    };
    let Some(level) = jit.options.hot else { return 0 };
    let start = Instant::now();
    let counters = |jit: &Jit, k: usize, v: i64| {
        if let Some(c) =
            jit.inner.borrow().tiers.counters.get(&(code as u64)).and_then(|c| c.get(k))
        {
            c.store(v, Ordering::Relaxed);
        }
    };
    let log = |what: &str, r: &Result<usize, String>| {
        if jit.translated.log.wants("jit") {
            let name = jit.inner.borrow().program.graphs[g].name.clone();
            let ms = start.elapsed().as_secs_f64() * 1e3;
            eprintln!(
                "[backend-llvm +{:.1}] {name}: hot {what}, compiled at {} in {ms:.2} ms: {r:?}",
                crate::translated::log_stamp(),
                level.name()
            );
        }
    };
    if block < 0 {
        match jit.hot_code(g, level) {
            // Compiling on the compile thread: ask again a little later.
            Ok(Some(0)) => counters(jit, 0, CALL_POLL),
            Ok(None) => counters(jit, 0, i64::MAX),
            Ok(Some(new)) => {
                counters(jit, 0, i64::MAX);
                log("calls", &Ok(new));
                let old = jit.inner.borrow().code.slots[&g].swap(new, Ordering::AcqRel);
                jit.flex.retarget(old, new);
            }
            Err(e) => {
                counters(jit, 0, i64::MAX);
                eprintln!("warning: compiling a hot residual graph at {} failed: {e}", level.name())
            }
        }
        return 0;
    }
    let r = match jit.osr_code(code as u64, block as u32, level) {
        Ok(None) => {
            // Compiling on the compile thread: ask again a little later.
            counters(jit, 1 + block as usize, OSR_POLL);
            return 0;
        }
        Ok(Some(addr)) => Ok(addr),
        Err(e) => Err(e),
    };
    log(&format!("loop at block{block}"), &r);
    match r {
        Ok(addr) => {
            // Later runs of this code enter the compiled loop at their first back edge, and
            // the graph's next version (a recompilation) starts at the hot tier.
            counters(jit, 1 + block as usize, 1);
            jit.inner.borrow_mut().tiers.hot.insert(g);
            addr
        }
        Err(e) => {
            counters(jit, 1 + block as usize, i64::MAX);
            eprintln!("warning: compiling a hot residual loop at {} failed: {e}", level.name());
            0
        }
    }
}
