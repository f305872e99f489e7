//! Hot and cold graphs: which graphs of a large program LLVM optimises at translation time,
//! and the split of a lowered module into a hot and a cold part.
//!
//! Why: LLVM's `default<O2>` pipeline and O2 code generation cost about a millisecond per
//! function however small the function is (8 000 one-line graphs: ~24 s of CPU), while
//! O0 code generation without IR passes costs a tenth of a millisecond. An interpreter spends
//! its time in its dispatch loop and in what that calls, so the optimiser's time goes there:
//! the small helpers the dispatch loop (the graph of the global merge point) reaches, which
//! its callers inline, then the dispatch loop and what it references, nearest first
//! (breadth-first over calls and function pointers), then graphs with loops and
//! what they reference, then the rest from the graphs nothing references, until a
//! budget of [`OPTIMISE_BUDGET`] cost units (a pipeline option of [`crate::target`]) is
//! spent. The graphs after that are *cold*: compiled in a module of their own with a cheap
//! pipeline ([`crate::target::COLD_PIPELINE`]: scalar clean-up and fast instruction selection).
//!
//! Invariants:
//! - A program whose graphs all fit the budget is not split: one module, compiled exactly as
//!   without this module (the TLC interpreter is far below the budget).
//! - The hot set is a prefix of one deterministic order of the graphs, so the same program
//!   always gets the same code (the object cache relies on it).
//! - After [`split_off`] and [`cold_module`], the hot module defines the hot graphs' functions, the entry
//!   wrappers and every global variable; the cold module defines the cold graphs' functions
//!   only and declares what they use. Calls between the two are calls of external symbols,
//!   which ORC resolves when both objects are linked into one session. Declarations keep the
//!   definitions' calling convention and attributes, so both sides agree on the ABI.

use inkwell::attributes::AttributeLoc;
use inkwell::context::Context;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::{Linkage, Module};
use inkwell::values::{AsValueRef, FunctionValue};
use rpy_ir::flow::Flow;
use rpy_ir::ir::{Aux, Const, Exit, Graph, GraphIdx, Prebuilt, PrebuiltIdx, Program, Value};
use rpy_ir::ops::Opcode;
use std::collections::{HashSet, VecDeque};

pub use crate::target::{GRAPH_COST, OPTIMISE_BUDGET};

/// The graphs of a program given the optimiser.
#[derive(Clone, Debug)]
pub struct HotSet {
    hot: Vec<bool>,
    count: usize,
}

impl HotSet {
    /// Whether graph `g` is hot.
    pub fn contains(&self, g: GraphIdx) -> bool {
        self.hot[g.as_u32() as usize]
    }

    /// The number of hot graphs.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no graph is hot (only for a program without graphs).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Whether every graph is hot (the module is not split).
    pub fn is_everything(&self) -> bool {
        self.count == self.hot.len()
    }
}

/// The cost of graph `graph` in units of [`OPTIMISE_BUDGET`].
pub fn graph_cost(graph: &Graph) -> usize {
    GRAPH_COST + graph.op_count()
}

/// The hot graphs of `program` under `budget`: a prefix of [`priority_order`] whose cost
/// reaches the budget (the graph that crosses it included, so the first graph is always hot).
pub fn hot_graphs(program: &Program, budget: usize) -> HotSet {
    let mut hot = vec![false; program.graphs.len()];
    let mut spent = 0;
    let mut count = 0;
    for g in priority_order(program) {
        if spent >= budget {
            break;
        }
        spent += graph_cost(&program.graphs[g]);
        hot[g.as_u32() as usize] = true;
        count += 1;
    }
    HotSet { hot, count }
}

/// A node of the reference graph: a graph, or a prebuilt object (through which graphs
/// reference the functions stored in it, such as a class's methods).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Node {
    Graph(GraphIdx),
    Prebuilt(PrebuiltIdx),
}

/// What a constant refers to, if anything.
fn const_node(c: Const) -> Option<Node> {
    match c {
        Const::Func(g) => Some(Node::Graph(g)),
        Const::Prebuilt(p) => Some(Node::Prebuilt(p)),
        _ => None,
    }
}

/// The graphs and prebuilt objects `graph` refers to: its callees, and the function and
/// prebuilt constants among its operands.
fn graph_refs(graph: &Graph) -> Vec<Node> {
    let mut refs = Vec::new();
    let mut value = |v: &Value| {
        if let Value::Const(c) = v {
            refs.extend(const_node(*c));
        }
    };
    for op in graph.ops.values() {
        op.args.iter().for_each(&mut value);
    }
    for block in graph.blocks.values() {
        match &block.exit {
            Exit::Branch { cond: v, .. } | Exit::Switch { value: v, .. } => value(v),
            Exit::Return(Some(v)) => value(v),
            Exit::Goto(_) | Exit::Return(None) => {}
        }
        for t in block.exit.targets() {
            t.args.iter().for_each(&mut value);
        }
    }
    refs.extend(graph.ops.values().filter_map(|op| match op.aux {
        Aux::Graph(g) => Some(Node::Graph(g)),
        _ => None,
    }));
    refs
}

/// The graphs and prebuilt objects prebuilt object `p` refers to.
fn prebuilt_refs(p: &Prebuilt) -> Vec<Node> {
    match p {
        Prebuilt::Str(_) => Vec::new(),
        Prebuilt::Struct(_, items) | Prebuilt::Array(_, items) => {
            items.iter().filter_map(|&c| const_node(c)).collect()
        }
    }
}

/// The size (in ops) up to which a graph the dispatch loop reaches is optimised before the
/// larger graphs nearer to it ([`priority_order`]): helpers such as a dict's hash and
/// equality functions, type tests and field accessors, which the callers inline.
pub const SMALL_GRAPH_OPS: usize = 12;

/// Whether `graph` is an interpreter's dispatch loop: it holds the global merge point (the
/// `hint` flagged `global_merge_point`, or the tiered JIT's `jit_merge` that replaces it).
fn is_dispatch_loop(graph: &Graph) -> bool {
    graph.ops.values().any(|op| {
        op.opcode == Opcode::JitMerge
            || matches!(op.aux, Aux::Hint(h) if op.opcode == Opcode::Hint && h.global_merge_point)
    })
}

/// Every graph of `program`, most deserving of optimisation first: the small graphs
/// ([`SMALL_GRAPH_OPS`]) the dispatch loops ([`is_dispatch_loop`]) reach, then breadth-first
/// over references from the dispatch loops (an interpreter spends its time there and in what
/// it calls, nearest first), then from the other graphs with loops (in index order), then from
/// the graphs nothing references, then the graphs left (only reachable from cycles) in index
/// order.
pub fn priority_order(program: &Program) -> Vec<GraphIdx> {
    // Each graph's references, found once (the ranking walks them again).
    let refs: Vec<Vec<Node>> = program.graphs.values().map(graph_refs).collect();
    let refs_of = |n: Node| match n {
        Node::Graph(g) => refs[g.as_u32() as usize].clone(),
        Node::Prebuilt(p) => prebuilt_refs(&program.prebuilt[p]),
    };
    let mut referenced = vec![false; program.graphs.len()];
    for n in refs.iter().flatten() {
        if let Node::Graph(g) = n {
            referenced[g.as_u32() as usize] = true;
        }
    }
    for p in program.prebuilt.values() {
        for n in prebuilt_refs(p) {
            if let Node::Graph(g) = n {
                referenced[g.as_u32() as usize] = true;
            }
        }
    }
    let dispatch =
        program.graphs.iter().filter(|(_, graph)| is_dispatch_loop(graph)).map(|(g, _)| g);
    let with_loops =
        program.graphs.iter().filter(|(_, graph)| Flow::new(graph).has_loop()).map(|(g, _)| g);
    let roots = program.graphs.keys().filter(|g| !referenced[g.as_u32() as usize]);
    let seeds = dispatch.chain(with_loops).chain(roots).chain(program.graphs.keys());
    let ndispatch = program.graphs.values().filter(|graph| is_dispatch_loop(graph)).count();
    let mut order = Vec::with_capacity(program.graphs.len());
    let mut seen: HashSet<Node> = HashSet::new();
    let mut queue = VecDeque::new();
    // How many graphs of `order` the dispatch loops reach (a prefix of it).
    let mut from_dispatch = 0;
    for (i, seed) in seeds.enumerate() {
        if i == ndispatch {
            from_dispatch = order.len();
        }
        if !seen.insert(Node::Graph(seed)) {
            continue;
        }
        queue.push_back(Node::Graph(seed));
        while let Some(n) = queue.pop_front() {
            if let Node::Graph(g) = n {
                order.push(g);
            }
            for r in refs_of(n) {
                if seen.insert(r) {
                    queue.push_back(r);
                }
            }
        }
    }
    // The small graphs the dispatch loops reach go first: their callers can inline them only
    // if they are optimised too (a cold callee is an external symbol), and they cost little.
    let small = |g: &GraphIdx| program.graphs[*g].op_count() <= SMALL_GRAPH_OPS;
    let (mut first, rest): (Vec<GraphIdx>, Vec<GraphIdx>) =
        order[..from_dispatch].iter().partition(|g| small(g));
    first.extend(rest);
    first.extend_from_slice(&order[from_dispatch..]);
    first
}

/// The defined functions of `module`.
fn defined<'ctx>(module: &Module<'ctx>) -> Vec<FunctionValue<'ctx>> {
    module.get_functions().filter(|f| f.count_basic_blocks() > 0).collect()
}

/// Splits the cold part off `module` (a whole program lowered by
/// [`crate::lower::lower_program`]): returns the bitcode of the whole module, from which
/// [`cold_module`] makes the cold part, and leaves in `module` the hot part (the functions
/// `is_cold` rejects, and every global variable).
///
/// Going through bitcode, at most one whole copy of the program's IR exists at a time
/// (LLVM's `CloneModule` holds two, and a map of every value, at once), and the cold part
/// can be made in a context of its own, on another thread.
pub fn split_off(module: &Module<'_>, is_cold: impl Fn(&str) -> bool) -> Vec<u8> {
    let bitcode = module.write_bitcode_to_memory().as_slice().to_vec();
    for f in defined(module) {
        if is_cold(&f.get_name().to_string_lossy()) {
            drop_body(module, f);
        }
    }
    bitcode
}

/// The cold part of the program whose bitcode [`split_off`] returned, in `llcx`: it defines
/// the functions `is_cold` accepts and declares everything else.
pub fn cold_module<'ctx>(
    bitcode: &[u8],
    llcx: &'ctx Context,
    is_cold: impl Fn(&str) -> bool,
) -> Result<Module<'ctx>, String> {
    let buffer = MemoryBuffer::create_from_memory_range(bitcode, "rpy.cold");
    let cold = Module::parse_bitcode_from_buffer(&buffer, llcx).map_err(|e| e.to_string())?;
    for f in defined(&cold) {
        if !is_cold(&f.get_name().to_string_lossy()) {
            drop_body(&cold, f);
        }
    }
    for g in cold.get_globals() {
        // SAFETY: a null initializer makes the variable a declaration (LLVM's
        // `setInitializer(nullptr)`); the hot module keeps the definition.
        unsafe { llvm_sys::core::LLVMSetInitializer(g.as_value_ref(), std::ptr::null_mut()) };
        g.set_linkage(Linkage::External);
        g.set_visibility(inkwell::GlobalVisibility::Default);
    }
    Ok(cold)
}

/// Replaces the definition `f` of `module` by a declaration of the same name, calling
/// convention and attributes.
fn drop_body<'ctx>(module: &Module<'ctx>, f: FunctionValue<'ctx>) {
    let name = f.get_name().to_string_lossy().into_owned();
    let decl = module.add_function("", f.get_type(), Some(Linkage::External));
    decl.set_call_conventions(f.get_call_conventions());
    let locs = [AttributeLoc::Function, AttributeLoc::Return]
        .into_iter()
        .chain((0..f.count_params()).map(AttributeLoc::Param));
    for loc in locs {
        for a in f.attributes(loc) {
            decl.add_attribute(loc, a);
        }
    }
    f.replace_all_uses_with(decl);
    // SAFETY: `f` has no uses left and is not used again; deleting it drops its body.
    unsafe { f.delete() };
    decl.as_global_value().set_name(&name);
}

/// The first bytes of a pack of object files (an ELF object starts with `\x7fELF`).
const PACK_MAGIC: &[u8; 8] = b"RPYOBJS\0";

/// One object file as it is, or several packed into one byte string (the magic, then each
/// object's length as 8 little-endian bytes and its bytes), which the object cache stores
/// like any object.
pub fn pack_objects(mut objects: Vec<Vec<u8>>) -> Vec<u8> {
    if objects.len() == 1 {
        return objects.pop().expect("one object");
    }
    let mut pack = PACK_MAGIC.to_vec();
    for o in &objects {
        pack.extend_from_slice(&(o.len() as u64).to_le_bytes());
        pack.extend_from_slice(o);
    }
    pack
}

/// The object files of what [`pack_objects`] made (`None`: a pack cut short).
pub fn unpack_objects(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let Some(mut rest) = bytes.strip_prefix(PACK_MAGIC) else {
        return Some(vec![bytes]);
    };
    let mut objects = Vec::new();
    while !rest.is_empty() {
        let (len, tail) = rest.split_at_checked(8)?;
        let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
        let (object, tail) = tail.split_at_checked(len)?;
        objects.push(object);
        rest = tail;
    }
    Some(objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(src: &str) -> Program {
        rpy_ir::front::compile("t.rpy", src).unwrap_or_else(|d| panic!("{d}"))
    }

    fn names(p: &Program, order: &[GraphIdx]) -> Vec<String> {
        order.iter().map(|&g| p.graphs[g].name.clone()).collect()
    }

    #[test]
    fn loops_and_their_callees_come_first() {
        let p = program(
            "def leaf(x: int) -> int:\n    return x + 1\n\
             def main(x: int) -> int:\n    return helper(x)\n\
             def helper(x: int) -> int:\n    return leaf(x)\n\
             def looping(n: int) -> int:\n    i = 0\n    while i < n:\n        i = leaf(i)\n    return i\n",
        );
        assert_eq!(names(&p, &priority_order(&p)), ["looping", "leaf", "main", "helper"]);
    }

    #[test]
    fn the_hot_set_is_a_prefix_within_the_budget() {
        let src: String = (0..100)
            .map(|i| format!("def f{i}(x: int) -> int:\n    return f{}(x)\n", i + 1))
            .chain(["def f100(x: int) -> int:\n    return x\n".to_string()])
            .collect();
        let p = program(&src);
        let hot = hot_graphs(&p, 10 * (GRAPH_COST + 1));
        assert_eq!(hot.len(), 10);
        let order = priority_order(&p);
        assert_eq!(names(&p, &order[..3]), ["f0", "f1", "f2"]);
        assert!(order[..10].iter().all(|&g| hot.contains(g)));
        assert!(order[10..].iter().all(|&g| !hot.contains(g)));
        assert!(hot_graphs(&p, OPTIMISE_BUDGET).is_everything());
    }

    #[test]
    fn packs_unpack_to_their_objects() {
        let one = b"\x7fELF one".to_vec();
        assert_eq!(unpack_objects(&pack_objects(vec![one.clone()])), Some(vec![&one[..]]));
        let two = b"\x7fELF two".to_vec();
        let pack = pack_objects(vec![one.clone(), two.clone()]);
        assert_eq!(unpack_objects(&pack), Some(vec![&one[..], &two[..]]));
        assert_eq!(unpack_objects(&pack[..pack.len() - 1]), None);
    }
}
