//! Failure sites of compiled code and the runtime errors they become.
//!
//! Every check that can fail in compiled code has a *site*: the graph, the op and the kind of
//! error. Compiled code passes only the site's index and up to two dynamic values (index and
//! length, a type tag...) to the runtime; the message is built here, with exactly the text
//! llinterp gives for the same failure (its `exec.rs` builds the same messages; the
//! differential tests hold the two together).

use crate::runtime::{Pending, NO_SITE};
use rpy_ir::ir::{Aux, GraphIdx, OpIdx, Program};
use rpy_ir::layout::Layout;
use rpy_ir::llinterp::{RuntimeError, RuntimeErrorKind, MAX_STACK_WORDS};
use rpy_ir::ops::Opcode;
use rpy_ir::types::Ty;
use std::collections::HashMap;

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

/// The sites of a program, numbered densely in the order the lowering asks for them.
#[derive(Clone, Debug, Default)]
pub struct SiteTable {
    sites: Vec<Site>,
    index: HashMap<Site, u64>,
}

impl SiteTable {
    /// The number of `site`, added if new.
    pub fn intern(&mut self, site: Site) -> u64 {
        if let Some(&i) = self.index.get(&site) {
            return i;
        }
        let i = self.sites.len() as u64;
        self.sites.push(site);
        self.index.insert(site, i);
        i
    }

    /// The site numbered `i`.
    pub fn get(&self, i: u64) -> Option<Site> {
        self.sites.get(usize::try_from(i).ok()?).copied()
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
    let types = &program.types;
    let type_name = |t| types.display(Ty::Ref(t)).to_string();
    let message = match kind {
        RuntimeErrorKind::NullDereference => {
            let what = match op.map(|op| (op.opcode, &op.aux)) {
                Some((Opcode::GetField, Aux::Field(t, i))) => format!(
                    "reading field `{}` of a null `{}`",
                    types.struct_def(*t).fields[*i as usize].name,
                    type_name(*t)
                ),
                Some((Opcode::SetField, Aux::Field(t, i))) => format!(
                    "writing field `{}` of a null `{}`",
                    types.struct_def(*t).fields[*i as usize].name,
                    type_name(*t)
                ),
                Some((Opcode::GetArrayItem, Aux::Array(t))) => {
                    format!("reading an item of a null `{}`", type_name(*t))
                }
                Some((Opcode::SetArrayItem, Aux::Array(t))) => {
                    format!("writing an item of a null `{}`", type_name(*t))
                }
                Some((Opcode::ArrayLen, _)) => "length of a null array".to_string(),
                Some((Opcode::TypeOf, _)) => "type of a null pointer".to_string(),
                Some((Opcode::CallIndirect, _)) => {
                    "call through a null function pointer".to_string()
                }
                _ => "null pointer".to_string(),
            };
            format!("null dereference: {what}")
        }
        RuntimeErrorKind::IndexOutOfBounds => format!("index {a} out of bounds for length {b}"),
        RuntimeErrorKind::DivisionByZero => match op.map(|op| op.opcode) {
            Some(Opcode::IntMod) => "integer modulo by zero".to_string(),
            _ => "integer division by zero".to_string(),
        },
        RuntimeErrorKind::StackOverflow if pending.native => {
            format!("stack overflow: the native stack is exhausted after {a} nested calls")
        }
        RuntimeErrorKind::StackOverflow if b as u64 > MAX_STACK_WORDS as u64 || a == 0 => {
            format!(
                "stack overflow: the frames need more than {} MiB of registers",
                (MAX_STACK_WORDS * 8) >> 20
            )
        }
        RuntimeErrorKind::StackOverflow => {
            format!("stack overflow: more than {max_depth} nested calls")
        }
        RuntimeErrorKind::BadCast => {
            let target = match op.map(|op| &op.aux) {
                Some(Aux::Type(t)) => type_name(*t),
                _ => "?".to_string(),
            };
            let actual = layout
                .heap_type_of_tag(a as u64)
                .map_or_else(|| format!("object with tag {a}"), type_name);
            format!("cannot cast a `{actual}` to `{target}`")
        }
        RuntimeErrorKind::NegativeLength => format!("negative array length {a}"),
        RuntimeErrorKind::InvalidChr => format!("chr() argument {a} is not in range 0..=255"),
        RuntimeErrorKind::NegativeShift => format!("negative shift count {b}"),
        // Never raised by compiled code: `jit_hook` is not lowered by this backend yet.
        RuntimeErrorKind::JitHookMissing => match op.map(|op| &op.aux) {
            Some(Aux::Hook(id)) => format!("jit_hook #{id} reached with no JIT installed"),
            _ => "jit_hook reached with no JIT installed".to_string(),
        },
        RuntimeErrorKind::OutOfMemory => match op.map(|op| (op.opcode, &op.aux)) {
            Some((Opcode::MallocArray, Aux::Type(t))) => {
                format!("out of memory allocating a `{}` of length {a}", type_name(*t))
            }
            _ => "out of memory".to_string(),
        },
    };
    RuntimeError { kind, span, message, graph: graph.name.clone() }
}
