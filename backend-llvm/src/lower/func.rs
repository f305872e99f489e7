//! Lowering of one graph: prologue, blocks (block parameters become phis, except those of a
//! block reached by one edge, which are its arguments), exits, and the shared failure exit.
//!
//! Shape of a lowered function:
//! - `prologue`: computes the callee's depth and interpreter-register total, takes the address
//!   of a stack slot, and branches to `overflow` if a limit is exceeded, otherwise stores the new
//!   totals and jumps to the entry block's code;
//! - one LLVM block per reachable IR block, in reverse postorder (so every use is lowered
//!   after its definition), plus the blocks that checks and edges add;
//! - `fail`: the one failure path: phis collect how it failed, the site and two values from
//!   every failing check, entry check and call whose callee failed; it reports them to
//!   `rpy_rt.fail`, sets `failed` and returns a zero value. (One shared path keeps functions
//!   small enough for the inliner.) A graph with more than [`FAIL_FAN_IN`] failing checks
//!   gets a new failure path every [`FAIL_FAN_IN`] checks: instruction selection looks a
//!   phi's incoming value up by predecessor, linearly, so one path shared by the n checks of
//!   a large residual graph (straight-line code allocating at every instruction) made its
//!   compilation quadratic (FastISel's `handlePHINodesInSuccessorBlocks`: 28% of the time at
//!   10 000 instructions).
//!
//! Every normal return first restores the depth and register totals read in the prologue.
//!
//! An `@always_inline` graph (a small fast path, inlined into its callers) checks the depth
//! and register limits in its prologue like any graph (not the native stack: inlined, its
//! frame is its caller's) but publishes its totals only around the calls it makes
//! (stored before each call, the entry values stored back after it): the depth every callee
//! sees, and so where a deep recursion stops, is the same as in the other modes, while the
//! inlined fast path without calls leaves no stores, which LLVM could not remove (a heap
//! read between them might alias the counters). A *leaf* graph (no call of a graph, no
//! indirect call, no JIT hook or merge point: nothing that reads the totals) is lowered the
//! same way, so the small helpers LLVM inlines of its own accord (a stack's push and pop, a
//! dict's hash) cost their callers no stores either; its frame and the externs it calls fit
//! in the stack margin below the limit (`crate::stack::STACK_MARGIN`), which every
//! non-leaf caller's probe keeps free.

use super::{LowerError, ModuleCx, R};
use crate::runtime;
use cranelift_entity::SecondaryMap;
use inkwell::basic_block::BasicBlock;
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, PhiValue};
use inkwell::IntPredicate;
use rpy_ir::flow::Flow;
use rpy_ir::ir::{Block, Exit, Graph, GraphIdx, Target, Value, Var};
use rpy_ir::runtime::MAX_STACK_WORDS;
use std::collections::HashMap;

/// Checks sharing one failure path (its phis' incoming edges); past them a new path starts.
/// Large enough that the functions of ordinary graphs keep exactly one.
pub const FAIL_FAN_IN: usize = 64;

/// Switches with at most this many cases are lowered as chains of compares.
const SMALL_SWITCH: usize = 3;

/// The state of lowering one graph.
pub(super) struct FnLower<'m, 'a, 'ctx> {
    pub m: &'m mut ModuleCx<'a, 'ctx>,
    pub graph: &'a Graph,
    pub gidx: GraphIdx,
    pub func: FunctionValue<'ctx>,
    pub vals: SecondaryMap<Var, Option<BasicValueEnum<'ctx>>>,
    blocks: HashMap<Block, BasicBlock<'ctx>>,
    phis: HashMap<Block, Vec<PhiValue<'ctx>>>,
    /// The shared failure path (the current one: see [`FAIL_FAN_IN`]).
    fail: FailPath<'ctx>,
    /// Depth and register total on entry, restored on return.
    saved: Option<(IntValue<'ctx>, IntValue<'ctx>)>,
    /// For an `@always_inline` graph: its own totals, stored only around its calls.
    lazy: Option<(IntValue<'ctx>, IntValue<'ctx>)>,
    /// The op of the current block in tail position, if any ([`tail_op`]).
    pub tail: Option<rpy_ir::ir::OpIdx>,
    /// The block whose ops or exit are being lowered.
    pub current: Block,
    /// The graph's reverse postorder and back edges.
    pub flow: Flow,
    /// The block every `return` exit jumps to (made by the first), with the phi of the
    /// result: one `ret` instead of one per exit, as FastISel leaves a `tailcc` function's
    /// `ret` to SelectionDAG (several times slower at O0).
    ret: Option<(BasicBlock<'ctx>, Option<PhiValue<'ctx>>)>,
    /// The wrapping results of the overflow ops lowered so far (`overflow.rs`).
    pub ovf: Vec<super::overflow::Checked<'ctx>>,
    /// Pointers checked not to be null, with the blocks the checks are in: a check dominates
    /// the rest of its block and every block its block dominates, where the pointer (an SSA
    /// value) needs none again. An allocation's out-of-memory check counts, so the objects a
    /// function allocates are never checked again (residual straight-line code stores into
    /// every object it allocates), and residual code accessing its frame's fields in block
    /// after block checks the frame once (each check was a compare, a branch and four phi
    /// entries in the failure path).
    pub checked: HashMap<inkwell::values::PointerValue<'ctx>, Vec<Block>>,
    /// Arrays with an item known to exist, with the blocks that know it: the largest constant
    /// index a bounds check passed, or a constant length's last index at the allocation; an
    /// access at a constant index up to it, in a block dominated by one of those, needs no
    /// bounds check (residual code reads a frame's locals array at constant indices, block
    /// after block).
    pub bounded: HashMap<inkwell::values::PointerValue<'ctx>, Vec<(Block, u64)>>,
    /// The graph's dominators (made at the first check that may use them).
    pub dom: Option<rpy_ir::flow::Dominators>,
    /// The shared flexswitch sites made so far, by the types of their live values
    /// (`shared_sites.rs`).
    pub shared_sites: HashMap<super::shared_sites::SiteKey, super::shared_sites::SharedSite<'ctx>>,
    /// Set when the current block's ops ended it (a jump to a shared flexswitch site): its
    /// exit is not lowered.
    pub exited: bool,
}

/// The failure path of a function and the phis of what it reports.
struct FailPath<'ctx> {
    block: BasicBlock<'ctx>,
    /// The arguments of the runtime's `fail`: how, site, a and b.
    args: [PhiValue<'ctx>; 4],
    /// Checks branching here so far.
    uses: usize,
}

/// Lowers graph `g` into its (declared) function.
pub(super) fn lower_graph(m: &mut ModuleCx<'_, '_>, g: GraphIdx) -> R<()> {
    let program = m.program;
    let graph = &program.graphs[g];
    let func = m.funcs[&g];
    let prologue = m.llcx.append_basic_block(func, "prologue");
    let fail = fail_path(m, func, graph)?;
    let mut f = FnLower {
        m,
        graph,
        gidx: g,
        func,
        vals: SecondaryMap::new(),
        blocks: HashMap::new(),
        phis: HashMap::new(),
        fail,
        saved: None,
        lazy: None,
        tail: None,
        current: graph.entry,
        flow: Flow::new(graph),
        ret: None,
        ovf: Vec::new(),
        checked: HashMap::new(),
        bounded: HashMap::new(),
        dom: None,
        shared_sites: HashMap::new(),
        exited: false,
    };
    let order = f.flow.rpo().to_vec();
    for &b in &order {
        let bb = f.m.llcx.append_basic_block(func, &b.to_string());
        f.blocks.insert(b, bb);
    }
    f.m.builder.position_at_end(prologue);
    f.prologue()?;
    let body = f.m.builder.get_insert_block().expect("positioned");
    // The entry block's parameters are the function's parameters; phis only if it is also
    // jumped to.
    let entry_bb = f.blocks[&graph.entry];
    let params: Vec<BasicValueEnum> = func.get_param_iter().collect();
    if !f.flow.preds(graph.entry).is_empty() {
        f.make_phis(graph.entry)?;
        for (phi, v) in f.phis[&graph.entry].iter().zip(&params) {
            phi.add_incoming(&[(v, body)]);
        }
    } else {
        for (&var, v) in graph.param_vars().iter().zip(&params) {
            f.vals[var] = Some(*v);
        }
    }
    f.m.builder.position_at_end(body);
    f.m.builder.build_unconditional_branch(entry_bb)?;
    for &b in &order[1..] {
        // A block reached by one edge takes its arguments as they are: its one predecessor
        // dominates it, and a phi of one incoming value would cost O0 code a copy through a
        // stack slot.
        if f.flow.preds(b).len() > 1 {
            f.make_phis(b)?;
        }
    }
    for &b in &order {
        f.m.builder.position_at_end(f.blocks[&b]);
        f.tail = tail_op(program, graph, b);
        f.current = b;
        for &op in &graph.blocks[b].ops {
            f.op(op)?;
        }
        if !std::mem::take(&mut f.exited) {
            f.exit(b)?;
        }
    }
    Ok(())
}

/// The call or `jit_hook` ending block `b` whose result the block returns, in a graph marked
/// `tail_calls` (llinterp's rule, `rpy_ir::ops::Opcode::Call`): it is lowered as a tail call
/// (the callee replaces the caller's frame and its depth).
fn tail_op(program: &rpy_ir::ir::Program, graph: &Graph, b: Block) -> Option<rpy_ir::ir::OpIdx> {
    use rpy_ir::ir::Aux;
    use rpy_ir::ops::Opcode;
    if !graph.tail_calls {
        return None;
    }
    let block = &graph.blocks[b];
    let &last = block.ops.last()?;
    let op = &graph.ops[last];
    let returned = match (&block.exit, op.result) {
        (Exit::Return(Some(Value::Var(v))), Some(r)) => *v == r,
        (Exit::Return(None), None) => true,
        _ => false,
    };
    let same_ret = match (op.opcode, &op.aux) {
        (Opcode::Call, Aux::Graph(callee)) => program.graphs[*callee].ret == graph.ret,
        (Opcode::JitHook, _) => true,
        _ => false,
    };
    (returned && same_ret).then_some(last)
}

/// Builds the failure path (its phis get their incoming values as checks are lowered).
fn fail_path<'ctx>(
    m: &ModuleCx<'_, 'ctx>,
    func: FunctionValue<'ctx>,
    graph: &Graph,
) -> R<FailPath<'ctx>> {
    let block = m.llcx.append_basic_block(func, "fail");
    let b = &m.builder;
    b.position_at_end(block);
    let i64t = m.llcx.i64_type();
    let mut phis = Vec::with_capacity(4);
    for name in ["how", "site", "a", "b"] {
        phis.push(b.build_phi(i64t, name)?);
    }
    let args: [PhiValue<'ctx>; 4] = phis.try_into().expect("four phis");
    b.build_call(m.rt.fail, &args.map(|p| p.as_basic_value().into()), "")?;
    let set =
        b.build_store(m.rt.failed.as_pointer_value(), m.llcx.i8_type().const_int(1, false))?;
    m.tbaa.runtime(set);
    match m.ty(graph.ret).map(|t| t.const_zero()) {
        Some(z) => b.build_return(Some(&z))?,
        None => b.build_return(None)?,
    };
    Ok(FailPath { block, args, uses: 0 })
}

/// The heads of `graph`'s loops: the targets of the edges first-tier code counts as back
/// edges ([`Flow::is_back_edge`]), in reverse postorder of their sources.
pub fn loop_heads(graph: &Graph) -> Vec<Block> {
    Flow::new(graph).loop_headers()
}

impl<'m, 'a, 'ctx> FnLower<'m, 'a, 'ctx> {
    fn make_phis(&mut self, b: Block) -> R<()> {
        let bb = self.blocks[&b];
        self.m.builder.position_at_end(bb);
        let mut phis = Vec::new();
        for &p in &self.graph.blocks[b].params {
            let ty = self
                .m
                .ty(self.graph.vars[p].ty)
                .ok_or_else(|| self.malformed("void block parameter"))?;
            let phi = self.m.builder.build_phi(ty, &p.to_string())?;
            self.vals[p] = Some(phi.as_basic_value());
            phis.push(phi);
        }
        self.phis.insert(b, phis);
        Ok(())
    }

    pub(super) fn malformed(&self, message: impl Into<String>) -> LowerError {
        self.m.malformed(self.gidx, message)
    }

    /// Branches to the failure path when `cond` holds, reporting `how`, `site`, `a` and `b`;
    /// continues in a new block (returned, and the builder is positioned there) otherwise.
    pub(super) fn fail_when(
        &mut self,
        cond: IntValue<'ctx>,
        how: IntValue<'ctx>,
        site: u64,
        a: IntValue<'ctx>,
        b: IntValue<'ctx>,
        cont_name: &str,
    ) -> R<BasicBlock<'ctx>> {
        let here = self.m.builder.get_insert_block().expect("positioned");
        if self.fail.uses == FAIL_FAN_IN {
            self.fail = fail_path(self.m, self.func, self.graph)?;
            self.m.builder.position_at_end(here);
        }
        self.fail.uses += 1;
        let llcx = self.m.llcx;
        let bld = &self.m.builder;
        let cont = llcx.append_basic_block(self.func, cont_name);
        bld.build_conditional_branch(cond, self.fail.block, cont)?;
        let site = llcx.i64_type().const_int(site, false);
        for (phi, value) in self.fail.args.iter().zip([how, site, a, b]) {
            phi.add_incoming(&[(&value, here)]);
        }
        bld.position_at_end(cont);
        Ok(cont)
    }

    /// The entry check: depth, interpreter registers, native stack.
    fn prologue(&mut self) -> R<()> {
        let (llcx, rt) = (self.m.llcx, &self.m.rt);
        let b = &self.m.builder;
        let i64t = llcx.i64_type();
        let tbaa = &self.m.tbaa;
        let load = |g: inkwell::values::GlobalValue<'ctx>, name: &str| {
            b.build_load(i64t, g.as_pointer_value(), name)
                .map(|v| tbaa.runtime_load(v).into_int_value())
        };
        let depth = load(rt.stack.depth, "depth")?;
        let words = load(rt.stack.words, "words")?;
        let max_depth = load(rt.stack.max_depth, "max_depth")?;
        let limit = load(rt.stack.stack_limit, "stack_limit")?;
        let nregs = super::frame_words(self.graph);
        let new_depth = b.build_int_add(depth, i64t.const_int(1, false), "depth1")?;
        let new_words = b.build_int_add(words, i64t.const_int(nregs, false), "words1")?;
        // The address of a stack slot stands for the stack pointer (`llvm.read_register` of
        // rsp would be exact but stops the inliner, and inlined code needs no new frame).
        // Not in an `@always_inline` graph: inlined, its frame is its caller's, which made
        // the check; and the slot's address, escaped, would keep LLVM from hoisting heap
        // reads across the slot's lifetime markers in the caller's loops.
        let light = light_frame(self.graph);
        let sp = if light {
            None
        } else {
            let slot = b.build_alloca(llcx.i8_type(), "stack_probe")?;
            Some(b.build_ptr_to_int(slot, i64t, "sp")?)
        };
        let too_deep = b.build_int_compare(IntPredicate::SGE, new_depth, max_depth, "too_deep")?;
        let max_words = i64t.const_int(MAX_STACK_WORDS as u64, false);
        let too_big = b.build_int_compare(IntPredicate::SGT, new_words, max_words, "too_big")?;
        let native = match sp {
            Some(sp) => b.build_int_compare(IntPredicate::ULT, sp, limit, "native")?,
            None => llcx.bool_type().const_zero(),
        };
        let over = b.build_or(b.build_or(too_deep, too_big, "")?, native, "over")?;
        let how = b.build_int_add(
            i64t.const_int(runtime::HOW_OVERFLOW, false),
            b.build_int_z_extend(native, i64t, "")?,
            "how",
        )?;
        self.fail_when(over, how, runtime::NO_SITE, new_depth, new_words, "body")?;
        self.saved = Some((depth, words));
        if light {
            self.lazy = Some((new_depth, new_words));
        } else {
            self.publish_totals(new_depth, new_words)?;
        }
        if let Some(tier) = self.m.tier {
            self.count_call(tier)?;
        }
        Ok(())
    }

    /// Counts down the graph's call counter: at zero the JIT compiles the graph again at the
    /// next tier for later calls (this one goes on here).
    fn count_call(&mut self, tier: super::Tier) -> R<()> {
        let llcx = self.m.llcx;
        let here = self.m.builder.get_insert_block().expect("positioned");
        let cold = llcx.insert_basic_block_after(here, "tier_up");
        let cont = llcx.insert_basic_block_after(cold, "counted");
        self.count_down(tier.counters, cold, cont)?;
        self.call_tier_up(tier, u64::MAX)?;
        self.m.builder.build_unconditional_branch(cont)?;
        self.m.builder.position_at_end(cont);
        Ok(())
    }

    /// Decrements the counter at `counter`; branches to `cold` when it reaches zero (and
    /// positions the builder there), to `cont` otherwise.
    fn count_down(&self, counter: usize, cold: BasicBlock<'ctx>, cont: BasicBlock<'ctx>) -> R<()> {
        let llcx = self.m.llcx;
        let (i64t, ptr) = (llcx.i64_type(), llcx.ptr_type(inkwell::AddressSpace::default()));
        let b = &self.m.builder;
        let counter = i64t.const_int(counter as u64, false).const_to_pointer(ptr);
        let c = b.build_load(i64t, counter, "count")?.into_int_value();
        let c = b.build_int_sub(c, i64t.const_int(1, false), "count1")?;
        b.build_store(counter, c)?;
        let hot = b.build_int_compare(IntPredicate::SLE, c, i64t.const_zero(), "hot")?;
        let br = b.build_conditional_branch(hot, cold, cont)?;
        crate::flexswitch::likely_false(llcx, br);
        b.position_at_end(cold);
        Ok(())
    }

    /// Calls `tier_up(jit, code, block)` (a cold call) and returns its result.
    fn call_tier_up(
        &self,
        tier: super::Tier,
        block: u64,
    ) -> R<inkwell::values::PointerValue<'ctx>> {
        let llcx = self.m.llcx;
        let (i64t, ptr) = (llcx.i64_type(), llcx.ptr_type(inkwell::AddressSpace::default()));
        let up_ty = ptr.fn_type(&[i64t.into(), i64t.into(), i64t.into()], false);
        let up = i64t.const_int(tier.tier_up as u64, false).const_to_pointer(ptr);
        let args = [
            i64t.const_int(tier.jit as u64, false).into(),
            i64t.const_int(tier.code, false).into(),
            i64t.const_int(block, false).into(),
        ];
        let call = self.m.builder.build_indirect_call(up_ty, up, &args, "next")?;
        let cold = llcx.create_enum_attribute(
            inkwell::attributes::Attribute::get_named_enum_kind_id("cold"),
            0,
        );
        call.add_attribute(inkwell::attributes::AttributeLoc::Function, cold);
        Ok(call.try_as_basic_value().unwrap_basic().into_pointer_value())
    }

    fn exit(&mut self, b: Block) -> R<()> {
        let exit = &self.graph.blocks[b].exit;
        match exit {
            Exit::Goto(t) => {
                let dest = self.edge(t, false)?;
                self.m.builder.build_unconditional_branch(dest)?;
            }
            Exit::Branch { cond, if_true, if_false } => {
                let c = self.value(*cond)?.into_int_value();
                let split = if_true.block == if_false.block;
                let t = self.edge(if_true, split)?;
                let f = self.edge(if_false, split)?;
                self.m.builder.build_conditional_branch(c, t, f)?;
            }
            Exit::Switch { value, cases, default } => {
                let v = self.value(*value)?.into_int_value();
                let ty = v.get_type();
                let mut count: HashMap<Block, u32> = HashMap::new();
                for t in exit.targets() {
                    *count.entry(t.block).or_default() += 1;
                }
                if cases.len() <= SMALL_SWITCH {
                    // A chain of compares: what FastISel selects itself (it leaves every
                    // `switch` to SelectionDAG, several times slower at O0); the optimiser
                    // makes a switch of it again where that is better.
                    for (k, t) in cases {
                        let dest = self.edge(t, count[&t.block] > 1)?;
                        let next = self.m.llcx.append_basic_block(self.func, "next_case");
                        let b = &self.m.builder;
                        let hit = b.build_int_compare(
                            IntPredicate::EQ,
                            v,
                            ty.const_int(*k as u64, false),
                            "case",
                        )?;
                        b.build_conditional_branch(hit, dest, next)?;
                        b.position_at_end(next);
                    }
                    let d = self.edge(default, count[&default.block] > 1)?;
                    self.m.builder.build_unconditional_branch(d)?;
                    return Ok(());
                }
                let mut arms = Vec::with_capacity(cases.len());
                for (k, t) in cases {
                    let dest = self.edge(t, count[&t.block] > 1)?;
                    arms.push((ty.const_int(*k as u64, false), dest));
                }
                let d = self.edge(default, count[&default.block] > 1)?;
                self.m.builder.build_switch(v, d, &arms)?;
            }
            Exit::Return(v) => {
                let v = v.map(|v| self.value(v)).transpose()?;
                self.return_value(v)?;
            }
        }
        Ok(())
    }

    /// Returns `v` from here: restores the totals and jumps to the shared return block.
    pub(super) fn return_value(&mut self, v: Option<BasicValueEnum<'ctx>>) -> R<()> {
        self.restore_totals()?;
        let here = self.m.builder.get_insert_block().expect("positioned");
        let (ret, phi) = self.return_block()?;
        if let (Some(phi), Some(v)) = (phi, v) {
            phi.add_incoming(&[(&v, here)]);
        }
        self.m.builder.build_unconditional_branch(ret)?;
        Ok(())
    }

    /// The shared return block (see [`FnLower::ret`]); the builder stays where it is.
    fn return_block(&mut self) -> R<(BasicBlock<'ctx>, Option<PhiValue<'ctx>>)> {
        if let Some(r) = self.ret {
            return Ok(r);
        }
        let here = self.m.builder.get_insert_block().expect("positioned");
        let block = self.m.llcx.append_basic_block(self.func, "return");
        let b = &self.m.builder;
        b.position_at_end(block);
        let phi = self.m.ty(self.graph.ret).map(|t| b.build_phi(t, "result")).transpose()?;
        match phi {
            Some(p) => b.build_return(Some(&p.as_basic_value()))?,
            None => b.build_return(None)?,
        };
        b.position_at_end(here);
        self.ret = Some((block, phi));
        Ok((block, phi))
    }

    /// Stores the depth and register totals on leaving (a return, a tail call): the values
    /// read in the prologue. Nothing for a lazy graph, which stored nothing.
    pub(super) fn restore_totals(&self) -> R<()> {
        if self.lazy.is_some() {
            return Ok(());
        }
        let (depth, words) = self.saved.expect("prologue lowered first");
        self.publish_totals(depth, words)
    }

    fn publish_totals(&self, depth: IntValue<'ctx>, words: IntValue<'ctx>) -> R<()> {
        let b = &self.m.builder;
        self.m.tbaa.runtime(b.build_store(self.m.rt.stack.depth.as_pointer_value(), depth)?);
        self.m.tbaa.runtime(b.build_store(self.m.rt.stack.words.as_pointer_value(), words)?);
        Ok(())
    }

    /// Around a (non-tail) call: a lazy graph's totals are stored before it (`before`) and
    /// the entry values after it.
    pub(super) fn around_call(&self, before: bool) -> R<()> {
        let Some(own) = self.lazy else { return Ok(()) };
        let (depth, words) = if before { own } else { self.saved.expect("prologue first") };
        self.publish_totals(depth, words)
    }

    /// Prepares a jump along `t` from the current block: evaluates the arguments here, binds
    /// them to the target's phis, and returns the LLVM block to jump to (a fresh edge block if
    /// `split`, needed when one exit reaches the same block twice).
    fn edge(&mut self, t: &Target, split: bool) -> R<BasicBlock<'ctx>> {
        let params = self.graph.blocks[t.block].params.len();
        if params != t.args.len() {
            return Err(self.malformed(format!(
                "jump to {} passes {} arguments for {params} parameters",
                t.block,
                t.args.len()
            )));
        }
        let args: Vec<BasicValueEnum> = t.args.iter().map(|&a| self.value(a)).collect::<R<_>>()?;
        if let Some(tier) = self.tier_check(t) {
            return self.counted_edge(t, &args, tier);
        }
        let here = self.m.builder.get_insert_block().expect("positioned");
        let dest = self.blocks[&t.block];
        let (from, jump_to) = if split && params > 0 {
            let e = self.m.llcx.insert_basic_block_after(here, "edge");
            let b = &self.m.builder;
            b.position_at_end(e);
            b.build_unconditional_branch(dest)?;
            b.position_at_end(here);
            (e, e)
        } else {
            (here, dest)
        };
        self.bind(t.block, &args, &[from]);
        Ok(jump_to)
    }

    /// Binds the parameters of `block` to `args` coming from the LLVM blocks `from`: incoming
    /// values of its phis, or the values themselves for a block reached by one edge (which
    /// has no phis: see [`lower_graph`]).
    fn bind(&mut self, block: Block, args: &[BasicValueEnum<'ctx>], from: &[BasicBlock<'ctx>]) {
        match self.phis.get(&block) {
            Some(phis) => {
                for (phi, v) in phis.iter().zip(args) {
                    for &f in from {
                        phi.add_incoming(&[(v, f)]);
                    }
                }
            }
            None => {
                for (&p, &v) in self.graph.blocks[block].params.iter().zip(args) {
                    self.vals[p] = Some(v);
                }
            }
        }
    }

    /// The tier-up counting of a loop's back edge, in residual code compiled at the first tier.
    fn tier_check(&self, t: &Target) -> Option<super::Tier> {
        let tier = self.m.tier?;
        self.flow.is_back_edge(self.current, t.block)?.then_some(tier)
    }

    /// A loop's back edge that counts down the graph's loop counter: at zero it asks the JIT
    /// for code entering this graph at the loop head, compiled at the next tier, and given it
    /// continues there (on-stack replacement: a tail call with the loop head's arguments).
    fn counted_edge(
        &mut self,
        t: &Target,
        args: &[BasicValueEnum<'ctx>],
        tier: super::Tier,
    ) -> R<BasicBlock<'ctx>> {
        let llcx = self.m.llcx;
        let here = self.m.builder.get_insert_block().expect("positioned");
        let count = llcx.insert_basic_block_after(here, "tier_count");
        let cold = llcx.insert_basic_block_after(count, "tier_up");
        let go = llcx.insert_basic_block_after(cold, "tier_go");
        let dest = self.blocks[&t.block];
        self.m.builder.position_at_end(count);
        self.count_down(tier.counters + 8 * (1 + t.block.as_u32() as usize), cold, dest)?;
        let next = self.call_tier_up(tier, t.block.as_u32() as u64)?;
        let b = &self.m.builder;
        let got = b.build_is_not_null(next, "got")?;
        b.build_conditional_branch(got, go, dest)?;
        b.position_at_end(go);
        self.restore_totals()?;
        let b = &self.m.builder;
        let sig = rpy_ir::types::Sig {
            params: self.graph.blocks[t.block]
                .params
                .iter()
                .map(|&p| self.graph.vars[p].ty)
                .collect(),
            ret: self.graph.ret,
        };
        let fty = self.m.fn_type(&sig);
        let a: Vec<inkwell::values::BasicMetadataValueEnum> =
            args.iter().map(|&v| v.into()).collect();
        let call = b.build_indirect_call(fty, next, &a, "")?;
        call.set_call_convention(super::TAILCC);
        call.set_tail_call(true);
        match call.try_as_basic_value().basic() {
            Some(v) => b.build_return(Some(&v))?,
            None => b.build_return(None)?,
        };
        self.bind(t.block, args, &[count, cold]);
        self.m.builder.position_at_end(here);
        Ok(count)
    }

    /// The LLVM value of an operand (constants are materialised at the current position).
    pub(super) fn value(&mut self, v: Value) -> R<BasicValueEnum<'ctx>> {
        match v {
            Value::Var(x) => self.vals[x]
                .ok_or_else(|| self.malformed(format!("{x} is used before it is defined"))),
            Value::Const(c) => self.constant(c),
        }
    }
}

/// Whether `graph` gets the light entry of an `@always_inline` graph (see the module header):
/// it is one, or it is a leaf (it calls no graph, directly or indirectly, and has no JIT hook
/// or merge point, so nothing it runs reads the depth and register totals).
fn light_frame(graph: &Graph) -> bool {
    use rpy_ir::ops::Opcode;
    graph.flags.always_inline
        || !graph.ops.values().any(|op| {
            matches!(
                op.opcode,
                Opcode::Call | Opcode::CallIndirect | Opcode::JitHook | Opcode::JitMerge
            )
        })
}
