//! The program a driver analyses and compiles from, and a tiered backend's program made
//! from it in place.
//!
//! A tiered JIT runs two programs that differ in two graphs: the driver's (the interpreter
//! as written) and the backend's ([`tiering::tiered`]: the portal with `jit_merge` at its
//! merge point, and perhaps the shared continuation appended). Made by copying, a large
//! interpreter is held twice from start-up on (mini-Python's is ~8 MB and its copy ~5 ms of
//! CPU), though a run that never compiles never reads the driver's. So a driver may be
//! built over the backend's program alone ([`Analysed::Untiered`], from
//! [`tier_in_place`]): the original portal graph and the original number of graphs are
//! kept, and the driver's program is made again from the backend's the first time the
//! driver reads it ([`JitDriver::program`]), which is the first compilation (the analysis)
//! for a driver made with a known merge point.
//!
//! Invariant: [`Untier::program`] of the backend's program is the program that was tiered,
//! graph for graph, type for type (the backend only appends graphs and prebuilt objects,
//! so the interpreter's indices keep their meaning; the types are the ones kept at tiering,
//! without the signatures the shared continuation or residual graphs interned).

use std::cell::OnceCell;

use rpy_ir::ir::{Graph, Program};
use rpy_ir::types::TypeTable;

use crate::backend::Backend;
use crate::tiering::{self, MergePoint};

use super::{EngineShared, JitDriver, State};
use crate::config::JitConfig;
use hintanalysis::Policy;
use rpy_ir::span::{Diagnostics, Span};
use std::cell::RefCell;
use std::time::Instant;

/// Where a driver's program comes from.
pub(super) enum Analysed<'p> {
    /// Given at construction.
    Given(&'p Program),
    /// Made from the backend's program when first read (boxed: the driver is small).
    Untiered(Box<(Untier, OnceCell<Program>)>),
}

/// What turns a program tiered in place ([`tier_in_place`]) back into the original.
#[derive(Clone, Debug)]
pub struct Untier {
    /// The portal graph before tiering.
    portal: Graph,
    /// The types before tiering (the shared continuation's signature may be new).
    types: TypeTable,
    /// How many graphs and prebuilt objects the original program had.
    graphs: usize,
    prebuilt: usize,
    /// The merge point the portal was tiered at.
    mp: MergePoint,
}

/// Makes `program` the backend's program of a tiered JIT in place ([`tiering::tiered`], or
/// [`tiering::tiered_with_shared_continuation`] with `shared_continuation`), copying only
/// the portal graph; the result makes the original again.
pub fn tier_in_place(program: &mut Program, mp: &MergePoint, shared_continuation: bool) -> Untier {
    let untier = Untier {
        portal: program.graphs[mp.graph].clone(),
        types: program.types.clone(),
        graphs: program.graphs.len(),
        prebuilt: program.prebuilt.len(),
        mp: mp.clone(),
    };
    let shared = shared_continuation
        .then(|| crate::resume::shared_continuation(&program.graphs[mp.graph], mp, true).0);
    tiering::tier(program, mp);
    if let Some(shared) = shared {
        program.add_graph(shared);
    }
    untier
}

impl Untier {
    /// The program `tiered` was made from (with the graphs and prebuilt objects a backend
    /// appended since left out): a copy of its first graphs, the portal's original in place.
    pub fn program(&self, tiered: &Program) -> Program {
        let Program { types: _, graphs, prebuilt, prebuilt_names, sources, exc_state } = tiered;
        let mut program = Program {
            types: self.types.clone(),
            graphs: Default::default(),
            prebuilt: prebuilt.values().take(self.prebuilt).cloned().collect(),
            prebuilt_names: prebuilt_names
                .iter()
                .filter(|(p, _)| (p.as_u32() as usize) < self.prebuilt)
                .map(|(p, n)| (*p, n.clone()))
                .collect(),
            sources: sources.clone(),
            exc_state: *exc_state,
        };
        for (g, graph) in graphs.iter().take(self.graphs) {
            let graph = if g == self.mp.graph { &self.portal } else { graph };
            program.graphs.push(graph.clone());
        }
        program
    }
}

impl<B: Backend> JitDriver<'_, B> {
    /// The program the driver analyses: the one it was given, or the one it was tiered from,
    /// made at the first read.
    pub(super) fn program(&self) -> &Program {
        match &self.program {
            Analysed::Given(p) => p,
            Analysed::Untiered(u) => u.1.get_or_init(|| u.0.program(&self.backend.program())),
        }
    }
}

impl<B: Backend> JitDriver<'_, B> {
    /// Like [`JitDriver::with_merge_point`] with the merge point `known`, for a tiered backend
    /// made from `program` itself: `make` gets it tiered in place ([`tier_in_place`], with the
    /// shared continuation if `shared_continuation`) and builds the backend over it, and the
    /// driver makes its own copy of the untiered program from the backend's at its first
    /// compilation (`driver/analysed.rs`): a run that compiles nothing holds the program once.
    pub fn untiering(
        mut program: Program,
        portal: &str,
        greens: &[&str],
        config: JitConfig,
        known: MergePoint,
        shared_continuation: bool,
        make: impl FnOnce(Program) -> Result<B, String>,
    ) -> Result<Self, Diagnostics> {
        // The messages have no span: no sources to copy for them.
        let fail = |m: String| Diagnostics {
            errors: vec![rpy_ir::span::Diagnostic::new(Span::UNKNOWN, m)],
            sources: Default::default(),
        };
        let t0 = Instant::now();
        let policy = Policy::new(&program, portal, greens).map_err(fail)?;
        let untier = tier_in_place(&mut program, &known, shared_continuation);
        let t1 = Instant::now();
        let backend = make(program).map_err(fail)?;
        if config.log.wants("cost") {
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            eprintln!(
                "jit set-up: merge point known, tiered in place {:.2} ms, backend {:.2} ms",
                ms(t1 - t0),
                ms(t1.elapsed())
            );
        }
        Ok(JitDriver {
            program: Analysed::Untiered(Box::new((untier, OnceCell::new()))),
            policy,
            codes: std::cell::OnceCell::new(),
            backend,
            state: RefCell::new(State::default()),
            engine: EngineShared::default(),
            config,
            merge_point: Some(known),
        })
    }
}
