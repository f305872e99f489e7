//! Tiering: the interpreter runs cold code and enters the JIT where the program is hot.
//!
//! The portal's global merge point (the top of the interpreter's dispatch loop) is where an
//! interpreter can hand over to compiled code: every iteration there is one step of the
//! interpreted program, identified by the green values (for a bytecode interpreter: the code
//! object and the pc). [`MergePoint::find`] locates it in the portal (the join block of the
//! dispatch loop, with the registers live there, green and red), and [`tiered`] makes the
//! program the native interpreter is translated from: that block starts with
//! `jit_merge #n(greens..., reds...)`, which counts visits per green key and, once the key is
//! hot, lets the JIT run the rest of the portal call (the graph then returns its result).
//!
//! The JIT's side is [`crate::JitDriver::enter_at_merge_point`]: it counts calls per key and,
//! past [`crate::JitConfig::hot_merges`], compiles an entry graph from the merge point with those
//! greens as constants and the reds as parameters (`Compiler::entry`), and
//! runs it. The IR interpreter always declines (`jit_merge` is a no-op there), so the tiered
//! program computes what the original does in every mode.

use crate::jitcode::{Insn, JitCodes};
use crate::merge::Shape;
use crate::state::{Frame, JitState};
use rpy_ir::ir::{Aux, Block, Const, Exit, GraphIdx, Program, Target, Var};
use rpy_ir::ops::Opcode;
use rpy_ir::span::Span;
use rpy_ir::types::Ty;

/// The portal's global merge point as the interpreter sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergePoint {
    /// The portal graph.
    pub graph: GraphIdx,
    /// The join block of the dispatch loop (its JitCode starts with a merge).
    pub block: Block,
    /// The green registers live there (the key), in order.
    pub greens: Vec<(Var, Ty)>,
    /// The red registers live there, in order.
    pub reds: Vec<(Var, Ty)>,
}

impl MergePoint {
    /// The merge point of the portal of `codes`: the block holding the
    /// `global_merge_point` hint, or the nearest block before it that is a join of the
    /// portal's JitCode (the loop header leading to the hint). `None` if the portal has no
    /// global merge point.
    pub fn find(program: &Program, codes: &JitCodes) -> Option<MergePoint> {
        let code = &codes.codes[codes.portal];
        let graph = &program.graphs[code.graph];
        let hint_block = graph.blocks.keys().find(|&b| {
            graph.blocks[b].ops.iter().any(|&o| {
                matches!(&graph.ops[o].aux, Aux::Hint(f) if f.global_merge_point)
                    && graph.ops[o].opcode == Opcode::Hint
            })
        })?;
        let merge_at = |b: Block| {
            let start = code.block_start[b]? as usize;
            match &code.insns[start] {
                Insn::Merge { live, .. } => Some(live.clone()),
                _ => None,
            }
        };
        // Walk back through single predecessors to the loop's join.
        let mut b = hint_block;
        let mut seen = vec![b];
        let live = loop {
            if let Some(live) = merge_at(b) {
                break live;
            }
            let preds: Vec<Block> = graph
                .blocks
                .keys()
                .filter(|&p| graph.blocks[p].exit.targets().iter().any(|t| t.block == b))
                .collect();
            match preds[..] {
                [p] if !seen.contains(&p) => {
                    seen.push(p);
                    b = p;
                }
                _ => return None,
            }
        };
        let ty = |v: Var| graph.vars[v].ty;
        let (greens, reds) = live.iter().partition::<Vec<Var>, _>(|v| code.green.contains(**v));
        Some(MergePoint {
            graph: code.graph,
            block: b,
            greens: greens.into_iter().map(|v| (v, ty(v))).collect(),
            reds: reds.into_iter().map(|v| (v, ty(v))).collect(),
        })
    }

    /// This merge point as text, for keeping it beside the translated interpreter (a note of
    /// the object cache): the graph, the block, the green then the red registers by index.
    pub fn to_text(&self) -> String {
        let vars = |vs: &[(Var, Ty)]| {
            vs.iter().map(|(v, _)| format!(" {}", v.as_u32())).collect::<String>()
        };
        format!(
            "merge point\ngraph {}\nblock {}\ngreens{}\nreds{}\n",
            self.graph.as_u32(),
            self.block.as_u32(),
            vars(&self.greens),
            vars(&self.reds)
        )
    }

    /// The merge point of `program` that [`MergePoint::to_text`] wrote, if `text` is one and
    /// it fits `program`: the graph and block exist, and the registers named are exactly those
    /// live at the block's start (their types are the graph's). What is green is not checked
    /// here: the text must come from [`MergePoint::find`] on this very program (a note keyed
    /// by the program), and a driver that is given it checks it when it analyses.
    pub fn from_text(program: &Program, text: &str) -> Option<MergePoint> {
        let mut lines = text.lines();
        let mut field = |name: &str| -> Option<Vec<u32>> {
            let rest = lines.next()?.strip_prefix(name)?;
            rest.split_whitespace().map(|w| w.parse().ok()).collect()
        };
        if !field("merge point")?.is_empty() {
            return None;
        }
        let (graph, block) = match (&field("graph")?[..], &field("block")?[..]) {
            (&[g], &[b]) => (GraphIdx::from_u32(g), Block::from_u32(b)),
            _ => return None,
        };
        let (greens, reds) = (field("greens")?, field("reds")?);
        let g = program.graphs.get(graph)?;
        g.blocks.get(block)?;
        let live = crate::jitcode::live_in(g);
        let named: Vec<u32> = greens.iter().chain(&reds).copied().collect();
        let mut sorted = named.clone();
        sorted.sort_unstable();
        sorted.dedup();
        let mut expected: Vec<u32> = live[block].iter().map(|v| v.as_u32()).collect();
        expected.sort_unstable();
        if sorted.len() != named.len() || sorted != expected {
            return None;
        }
        let typed =
            |vs: Vec<u32>| vs.into_iter().map(Var::from_u32).map(|v| (v, g.vars[v].ty)).collect();
        Some(MergePoint { graph, block, greens: typed(greens), reds: typed(reds) })
    }

    /// The compile-time state of an interpreter arriving here with these green values and its
    /// reds as residual variables: the portal's frame positioned after the block's merge, and
    /// the red positions with their shapes (every red a plain variable), for
    /// [`crate::rainbow::Compiler::entry`].
    pub(crate) fn entry_state(
        &self,
        program: &Program,
        codes: &JitCodes,
        greens: &[Const],
    ) -> (JitState, Vec<(usize, Var)>, Vec<Shape>) {
        let code = &codes.codes[codes.portal];
        let n = program.graphs[code.graph].vars.len();
        let start = code.block_start[self.block].expect("the merge block is reached") as usize;
        let mut frame = Frame {
            code: codes.portal,
            pc: start + 1,
            greens: vec![None; n],
            reds: vec![None; n],
            result_to: None,
        };
        for ((v, _), c) in self.greens.iter().zip(greens) {
            frame.greens[v.as_u32() as usize] = Some(*c);
        }
        let st = JitState { frames: vec![frame], ..JitState::default() };
        let positions = self.reds.iter().map(|(v, _)| (0, *v)).collect();
        let shape = self.reds.iter().map(|(_, t)| Shape::Var(*t, None)).collect();
        (st, positions, shape)
    }
}

/// `program` with `jit_merge #g(greens..., reds...)` at the start of the merge point's block
/// (the rest of the block moved to a new block it branches to): the program the native
/// interpreter of a tiered JIT is made from.
pub fn tiered(program: &Program, mp: &MergePoint) -> Program {
    let mut p = program.clone();
    tier(&mut p, mp);
    p
}

/// [`tiered`] in place.
pub(crate) fn tier(p: &mut Program, mp: &MergePoint) {
    let graph = &mut p.graphs[mp.graph];
    let rest = graph.add_block(Span::UNKNOWN);
    let ops = std::mem::take(&mut graph.blocks[mp.block].ops);
    let exit = std::mem::replace(
        &mut graph.blocks[mp.block].exit,
        Exit::Goto(Target { block: rest, args: Vec::new() }),
    );
    graph.blocks[rest].ops = ops;
    graph.blocks[rest].exit = exit;
    let args = mp.greens.iter().chain(&mp.reds).map(|(v, _)| rpy_ir::ir::Value::Var(*v)).collect();
    let span = graph.blocks[mp.block].span;
    graph.push_op(
        mp.block,
        Opcode::JitMerge,
        args,
        Aux::Hook(mp.greens.len() as u32),
        Ty::Void,
        span,
    );
}

/// [`tiered`] `program` with the portal's *shared continuation* (the interpreter loop from
/// the merge point, asking there: [`crate::resume::shared_continuation`]) added as one more
/// graph, for a driver whose config asks ([`crate::JitConfig::resume_deferred`], the
/// default): a backend translating this program has the continuation compiled with the
/// interpreter (and cached with it), and the driver's fallbacks call that copy instead of
/// compiling one at run time. Graph indices of `program` are unchanged.
pub fn tiered_with_shared_continuation(program: &Program, mp: &MergePoint) -> Program {
    let (shared, _) = crate::resume::shared_continuation(&program.graphs[mp.graph], mp, true);
    let mut p = tiered(program, mp);
    p.add_graph(shared);
    p
}

/// The key of a merge point visit: the green values as constants (`None` where a value has no
/// compile-time form).
pub(crate) fn green_key(
    mp: &MergePoint,
    values: &[rpy_ir::runtime::RtValue],
) -> Option<Vec<Const>> {
    mp.greens.iter().zip(values).map(|((_, t), v)| v.to_const(*t)).collect()
}
