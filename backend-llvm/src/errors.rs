//! Failure sites of compiled code and the runtime errors they become.
//!
//! Every check that can fail in compiled code has a *site*: the graph, the op and the kind of
//! error. Compiled code passes only the site's index and up to two dynamic values (index and
//! length, a type tag...) to the runtime; the message is built here, with exactly the text
//! llinterp gives for the same failure (both build it with `rpy_ir::runtime::error_message`;
//! the differential tests hold the two together).

use crate::runtime::{Pending, NO_SITE};
use indexmap::IndexSet;
use rpy_ir::ir::{GraphIdx, OpIdx, Program};
use rpy_ir::layout::Layout;
use rpy_ir::runtime::{error_message, RuntimeError, RuntimeErrorKind};

/// One place where compiled code can fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Site {
    /// The graph holding the op.
    pub graph: GraphIdx,
    /// The failing op (a call op for stack overflows of its callee).
    pub op: OpIdx,
    /// What goes wrong there.
    pub kind: RuntimeErrorKind,
}

/// The sites of a program, numbered densely in the order the lowering asks for them (a
/// site's number is its index in the set).
#[derive(Clone, Debug, Default)]
pub struct SiteTable {
    sites: IndexSet<Site>,
}

impl SiteTable {
    /// The number of `site`, added if new.
    pub fn intern(&mut self, site: Site) -> u64 {
        self.sites.insert_full(site).0 as u64
    }

    /// The site numbered `i`.
    pub fn get(&self, i: u64) -> Option<Site> {
        self.sites.get_index(usize::try_from(i).ok()?).copied()
    }

    /// Makes every site of graph `from` a site of graph `to` (a copy of `from` kept when
    /// `from` is replaced by a new version, so code of the old version still reports its own
    /// ops). Every site keeps its number (compiled code holds them); `to` has no sites yet.
    pub fn move_graph(&mut self, from: GraphIdx, to: GraphIdx) {
        let moved: Vec<(usize, Site)> = (self.sites.iter().enumerate())
            .filter(|(_, s)| s.graph == from)
            .map(|(i, s)| (i, Site { graph: to, ..*s }))
            .collect();
        for (i, site) in moved {
            let replaced = self.sites.replace_index(i, site);
            assert!(replaced.is_ok(), "{to} already had a site of {from}'s");
        }
    }

    /// Number of sites.
    pub fn len(&self) -> usize {
        self.sites.len()
    }

    /// Whether there is no site.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }
}

/// The runtime error of a pending failure. `entry` is the graph the run started in (an
/// overflow with no site happened in its own entry check); `max_depth` the call limit.
pub fn runtime_error(
    program: &Program,
    layout: &Layout,
    sites: &SiteTable,
    pending: Pending,
    entry: GraphIdx,
    max_depth: usize,
) -> RuntimeError {
    let site = if pending.site == NO_SITE { None } else { sites.get(pending.site) };
    let (graph_idx, kind) = match (site, pending.overflow) {
        (Some(s), false) => (s.graph, s.kind),
        (Some(s), true) => (s.graph, RuntimeErrorKind::StackOverflow),
        (None, _) => (entry, RuntimeErrorKind::StackOverflow),
    };
    let graph = &program.graphs[graph_idx];
    let op = site.map(|s| &graph.ops[s.op]);
    let span = op.map_or(graph.span, |op| op.span);
    let (a, b) = (pending.a, pending.b);
    let message = if kind == RuntimeErrorKind::StackOverflow && pending.native {
        format!("stack overflow: the native stack is exhausted after {a} nested calls")
    } else {
        error_message(program, layout, kind, op, a, b, max_depth)
    };
    RuntimeError { kind, span, message, graph: graph.name.clone() }
}
