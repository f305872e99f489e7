//! Flow graphs: SSA with block parameters.
//!
//! Vocabulary and invariants:
//! - A [`Program`] owns a [`TypeTable`], its [`Graph`]s, its prebuilt heap objects
//!   ([`Prebuilt`]: string literals, module-level struct and array constants) and the
//!   [`SourceMap`] its spans point into.
//! - A [`Graph`] is one function. Its entities are typed `u32` indices into arenas owned by the
//!   graph: blocks ([`Block`], shown `block3`), variables ([`Var`], `v12`), ops ([`OpIdx`]).
//! - Every variable is defined exactly once: as a parameter of one block, or as the result of
//!   one op. Values flow between blocks only through block parameters (PyPy's "links with
//!   arguments"): an [`Exit`] names target blocks with the arguments passed to them.
//! - The entry block's parameters are the function's parameters.
//! - An op operand is a [`Value`]: a variable or an inline constant ([`Const`]).
//! - Every block ends in exactly one [`Exit`]: goto, branch on a bool, switch on an int or char
//!   with constant cases, or return.
//! - Ops and blocks carry a [`Span`] into the RPy source (or [`Span::UNKNOWN`]).

use crate::ops::Opcode;
use crate::span::{SourceMap, Span};
use crate::types::{HeapTypeIdx, SigIdx, Ty, TypeTable};
use cranelift_entity::PrimaryMap;
use std::collections::HashMap;

mod params;

crate::entity! {
    /// A graph (function) of a [`Program`].
    GraphIdx, "graph"
}

crate::entity! {
    /// A basic block of a [`Graph`].
    Block, "block"
}

crate::entity! {
    /// An SSA variable of a [`Graph`].
    Var, "v"
}

crate::entity! {
    /// An operation of a [`Graph`].
    OpIdx, "op"
}

crate::entity! {
    /// A prebuilt heap object of a [`Program`].
    PrebuiltIdx, "pb"
}

/// A constant operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Const {
    /// An int.
    Int(i64),
    /// A float, as its IEEE bits (so constants can be hashed and compared exactly).
    Float(u64),
    /// A bool.
    Bool(bool),
    /// A char: a Unicode scalar value (a code point that is not a surrogate).
    Char(char),
    /// The null pointer of a heap type.
    Null(HeapTypeIdx),
    /// A prebuilt heap object.
    Prebuilt(PrebuiltIdx),
    /// A pointer to a graph.
    Func(GraphIdx),
    /// The address of a heap object that exists at run time, of (at least) this type: a
    /// green pointer the JIT met while specialising (the bytecode, a class object...). Only
    /// in residual graphs; whoever builds them keeps the object alive as long as the code.
    Ptr(u64, HeapTypeIdx),
}

impl Const {
    /// A float constant.
    pub fn float(f: f64) -> Const {
        Const::Float(f.to_bits())
    }

    /// The zero of a type: what a fresh allocation holds (function pointers and void have none).
    pub fn zero(ty: Ty) -> Option<Const> {
        Some(match ty {
            Ty::Int => Const::Int(0),
            Ty::Float => Const::float(0.0),
            Ty::Bool => Const::Bool(false),
            Ty::Char => Const::Char('\0'),
            Ty::Ref(t) => Const::Null(t),
            Ty::Func(_) | Ty::Void => return None,
        })
    }
}

/// An operand: a variable or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// An SSA variable.
    Var(Var),
    /// An inline constant.
    Const(Const),
}

impl From<Var> for Value {
    fn from(v: Var) -> Value {
        Value::Var(v)
    }
}

impl From<Const> for Value {
    fn from(c: Const) -> Value {
        Value::Const(c)
    }
}

/// JIT hint flags carried by a `hint` op (see DESIGN.md §5). Several may be set at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct HintFlags {
    /// The value must be green (known at compile time); an error if impossible.
    pub concrete: bool,
    /// The result is green: a flexswitch on the run-time value.
    pub promote: bool,
    /// Promote the run-time type (header word) of an object.
    pub promote_class: bool,
    /// Everything reachable from the pointer is immutable for the JIT.
    pub deepfreeze: bool,
    /// Break the dependency: the result is red.
    pub forget: bool,
    /// Force red.
    pub variable: bool,
    /// The top of the dispatch loop (the op has no operand and no result).
    pub global_merge_point: bool,
    /// A bool the JIT bets is true: its result is green, the true side compiled at once and
    /// the false side when it is first taken (a flexswitch whose `true` case is inline). For
    /// an interpreter's fast path whose test fails rarely (`isinstance(a, W_Int)`), so the
    /// code that follows knows the test's outcome and the slow side costs nothing until used.
    pub likely: bool,
}

impl HintFlags {
    /// The flag names, in the order they are printed and parsed.
    pub const NAMES: [&'static str; 8] = [
        "concrete",
        "promote",
        "promote_class",
        "deepfreeze",
        "forget",
        "variable",
        "global_merge_point",
        "likely",
    ];

    /// Sets the flag called `name`; false if there is no such flag.
    pub fn set(&mut self, name: &str) -> bool {
        let slot = match name {
            "concrete" => &mut self.concrete,
            "promote" => &mut self.promote,
            "promote_class" => &mut self.promote_class,
            "deepfreeze" => &mut self.deepfreeze,
            "forget" => &mut self.forget,
            "variable" => &mut self.variable,
            "global_merge_point" => &mut self.global_merge_point,
            "likely" => &mut self.likely,
            _ => return false,
        };
        *slot = true;
        true
    }

    /// The names of the flags that are set, in [`HintFlags::NAMES`] order.
    pub fn names(&self) -> Vec<&'static str> {
        let set = [
            self.concrete,
            self.promote,
            self.promote_class,
            self.deepfreeze,
            self.forget,
            self.variable,
            self.global_merge_point,
            self.likely,
        ];
        HintFlags::NAMES.iter().zip(set).filter(|(_, on)| *on).map(|(n, _)| *n).collect()
    }
}

/// Auxiliary data of an op: which type, field, callee... it is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Aux {
    /// No auxiliary data.
    None,
    /// `malloc`, `malloc_array`, `instanceof`, `cast`: the heap type.
    Type(HeapTypeIdx),
    /// `getfield`, `setfield`: the struct type of the pointer operand and the field index.
    Field(HeapTypeIdx, u32),
    /// `getarrayitem`, `setarrayitem`: the array type of the pointer operand.
    Array(HeapTypeIdx),
    /// `call`: the callee.
    Graph(GraphIdx),
    /// `call_indirect`: the signature of the function pointer (first operand).
    Sig(SigIdx),
    /// `call_extern`: the extern's name in the registry.
    Extern(String),
    /// `hint`: the flags.
    Hint(HintFlags),
    /// `jit_hook`: the JIT's number for this call site.
    Hook(u32),
}

/// One operation: `result = opcode[aux](args)`.
#[derive(Clone, Debug, PartialEq)]
pub struct OpData {
    /// What the op does.
    pub opcode: Opcode,
    /// Operands.
    pub args: Vec<Value>,
    /// The variable defined by the op, if it has a result.
    pub result: Option<Var>,
    /// Type/field/callee data.
    pub aux: Aux,
    /// Source position.
    pub span: Span,
}

/// A jump to a block with arguments for its parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// The block jumped to.
    pub block: Block,
    /// One value per parameter of `block`.
    pub args: Vec<Value>,
}

/// How a block ends.
#[derive(Clone, Debug, PartialEq)]
pub enum Exit {
    /// Unconditional jump.
    Goto(Target),
    /// Two-way branch on a bool.
    Branch {
        /// The condition.
        cond: Value,
        /// Taken when true.
        if_true: Target,
        /// Taken when false.
        if_false: Target,
    },
    /// Multi-way branch on an int or char with constant cases.
    Switch {
        /// The value switched on.
        value: Value,
        /// Distinct case values and their targets (chars as their codes).
        cases: Vec<(i64, Target)>,
        /// Taken when no case matches.
        default: Target,
    },
    /// Return from the graph, with a value unless the graph returns void.
    Return(Option<Value>),
}

impl Exit {
    /// The targets of this exit, in order.
    pub fn targets(&self) -> Vec<&Target> {
        match self {
            Exit::Goto(t) => vec![t],
            Exit::Branch { if_true, if_false, .. } => vec![if_true, if_false],
            Exit::Switch { cases, default, .. } => {
                cases.iter().map(|(_, t)| t).chain(std::iter::once(default)).collect()
            }
            Exit::Return(_) => Vec::new(),
        }
    }

    /// The targets of this exit, mutably.
    pub fn targets_mut(&mut self) -> Vec<&mut Target> {
        match self {
            Exit::Goto(t) => vec![t],
            Exit::Branch { if_true, if_false, .. } => vec![if_true, if_false],
            Exit::Switch { cases, default, .. } => {
                cases.iter_mut().map(|(_, t)| t).chain(std::iter::once(default)).collect()
            }
            Exit::Return(_) => Vec::new(),
        }
    }
}

/// A basic block.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockData {
    /// Parameters, bound by the exits that jump here.
    pub params: Vec<Var>,
    /// Ops, in execution order.
    pub ops: Vec<OpIdx>,
    /// How the block ends.
    pub exit: Exit,
    /// Source position of the block's start.
    pub span: Span,
}

/// A variable's type and, where it came from a source name, that name (for printing).
#[derive(Clone, Debug, PartialEq)]
pub struct VarData {
    /// The type.
    pub ty: Ty,
    /// The RPy source name, if any.
    pub name: Option<String>,
}

/// One function as a flow graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    /// The function's name, unique in the program.
    pub name: String,
    /// Parameter types (also the entry block's parameter types).
    pub params: Vec<Ty>,
    /// Result type.
    pub ret: Ty,
    /// The entry block.
    pub entry: Block,
    /// Blocks, in layout order.
    pub blocks: PrimaryMap<Block, BlockData>,
    /// Variables.
    pub vars: PrimaryMap<Var, VarData>,
    /// Ops.
    pub ops: PrimaryMap<OpIdx, OpData>,
    /// Source position of the definition.
    pub span: Span,
    /// Calls in tail position replace this graph's frame (see `call` in the op table). Set on
    /// the JIT's residual graphs, which continue in one another at their ends; interpreter
    /// graphs keep ordinary calls, so every execution mode counts their depth alike.
    pub tail_calls: bool,
    /// What the function's decorators tell the JIT (`@elidable`, `@dont_look_inside`) and the
    /// translator (`@always_inline`, `@dont_inline`).
    pub flags: FuncFlags,
}

/// What a function's decorators tell the JIT about calls to it (PyPy's `rlib/jit.py`
/// decorators). No execution mode but the JIT reads them; every mode runs the function alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FuncFlags {
    /// The result depends only on the arguments (and on memory that does not change), and
    /// the call has no effect anyone could observe: on constant arguments the JIT runs it at
    /// compile time; on others it emits one call per distinct argument list. It returns a
    /// value (the verifier checks).
    pub elidable: bool,
    /// The JIT never follows a call to it: always a residual call, whatever the colours.
    pub dont_look_inside: bool,
    /// For the translator (RPython's `always_inline`): LLVM inlines every call of it (a small
    /// fast path, such as the container prelude's `list_getitem`). The JIT ignores it.
    pub always_inline: bool,
    /// For the translator (RPython's `dont_inline`): LLVM never inlines it, and takes a call
    /// of it as rare (`noinline cold`): a slow path kept out of its callers' fast paths, such
    /// as the prelude's raising helpers. The JIT ignores it.
    pub dont_inline: bool,
    /// For the translator, the container prelude only (`@in_bounds`; the front end rejects it
    /// elsewhere): every array access of the graph (`getarrayitem`, `setarrayitem`,
    /// `arraylen`) is on a non-null array and within bounds, proven by the graph's own tests
    /// against the container's length and the container's invariant (`length <=
    /// len(items)`, `items` never null). The LLVM lowering emits no null or bounds test for
    /// them (the list's own test is the only one left); the IR interpreter, the reference,
    /// still tests them (a failing one there is a prelude bug). The JIT ignores it.
    pub in_bounds: bool,
    /// For the JIT, the container prelude only (`@unroll_safe`, RPython's name; the front end
    /// rejects it elsewhere): the graph's loops end after a few iterations when their
    /// counters are constants (a probe loop over a frozen dict's table). At a loop header of
    /// the graph the engine keys each version on the constants of its red variables too, so
    /// every iteration on constants gets its own version and the loop unrolls (and folds)
    /// rather than its counter being generalised to a variable at the second visit; past
    /// `Budgets::max_unroll_safe` iterations it merges as elsewhere. Other modes ignore it.
    pub unroll_safe: bool,
}

impl FuncFlags {
    /// The flag names, in the order they are printed and parsed (also the RPy decorators).
    pub const NAMES: [&'static str; 6] = [
        "elidable",
        "dont_look_inside",
        "always_inline",
        "dont_inline",
        "in_bounds",
        "unroll_safe",
    ];

    /// Sets the flag called `name`; false if there is no such flag.
    pub fn set(&mut self, name: &str) -> bool {
        let slot = match name {
            "elidable" => &mut self.elidable,
            "dont_look_inside" => &mut self.dont_look_inside,
            "always_inline" => &mut self.always_inline,
            "dont_inline" => &mut self.dont_inline,
            "in_bounds" => &mut self.in_bounds,
            "unroll_safe" => &mut self.unroll_safe,
            _ => return false,
        };
        *slot = true;
        true
    }

    /// The names of the flags that are set, in [`FuncFlags::NAMES`] order.
    pub fn names(&self) -> Vec<&'static str> {
        let set = [
            self.elidable,
            self.dont_look_inside,
            self.always_inline,
            self.dont_inline,
            self.in_bounds,
            self.unroll_safe,
        ];
        FuncFlags::NAMES.iter().zip(set).filter(|(_, on)| *on).map(|(n, _)| *n).collect()
    }
}

impl Graph {
    /// A graph with an entry block holding one parameter per function parameter, ending in a
    /// void return until the builder sets its exit.
    pub fn new(name: impl Into<String>, params: Vec<Ty>, ret: Ty, span: Span) -> Graph {
        let mut g = Graph {
            name: name.into(),
            params: params.clone(),
            ret,
            entry: Block::from_u32(0),
            blocks: PrimaryMap::new(),
            vars: PrimaryMap::new(),
            ops: PrimaryMap::new(),
            span,
            tail_calls: false,
            flags: FuncFlags::default(),
        };
        let entry = g.add_block(span);
        for ty in params {
            let v = g.new_var(ty, None);
            g.blocks[entry].params.push(v);
        }
        g.entry = entry;
        g
    }

    /// Adds an empty block (ending in `return` until its exit is set).
    pub fn add_block(&mut self, span: Span) -> Block {
        self.blocks.push(BlockData {
            params: Vec::new(),
            ops: Vec::new(),
            exit: Exit::Return(None),
            span,
        })
    }

    /// A fresh variable.
    pub fn new_var(&mut self, ty: Ty, name: Option<String>) -> Var {
        self.vars.push(VarData { ty, name })
    }

    /// Appends a parameter to `block`.
    pub fn add_param(&mut self, block: Block, ty: Ty, name: Option<String>) -> Var {
        let v = self.new_var(ty, name);
        self.blocks[block].params.push(v);
        v
    }

    /// Appends an op to `block`, with a fresh result variable of type `result` unless `Void`.
    pub fn push_op(
        &mut self,
        block: Block,
        opcode: Opcode,
        args: Vec<Value>,
        aux: Aux,
        result: Ty,
        span: Span,
    ) -> Option<Var> {
        let result = (result != Ty::Void).then(|| self.new_var(result, None));
        let op = self.ops.push(OpData { opcode, args, result, aux, span });
        self.blocks[block].ops.push(op);
        result
    }

    /// The parameters of the function (the entry block's parameters).
    pub fn param_vars(&self) -> &[Var] {
        &self.blocks[self.entry].params
    }

    /// Panics unless a call passes `nargs` arguments, as many as the graph has parameters (a
    /// caller's bug: calls from IR are verified).
    pub fn assert_arity(&self, nargs: usize) {
        let n = self.params.len();
        assert_eq!(nargs, n, "{} takes {n} arguments, {nargs} given", self.name);
    }

    /// The type of an operand; constants need the program for prebuilt objects and graphs.
    pub fn value_ty(&self, v: Value, program: &Program) -> Ty {
        match v {
            Value::Var(v) => self.vars[v].ty,
            Value::Const(c) => program.const_ty(c),
        }
    }

    /// Number of ops in the graph's blocks.
    pub fn op_count(&self) -> usize {
        self.blocks.values().map(|b| b.ops.len()).sum()
    }

    /// Jump threading: a block with no ops that only jumps on (`goto t(args)`) is bypassed —
    /// every jump to it goes straight to `t`, its parameters replaced by the jump's arguments.
    /// Sound because a value such a block passes on is a parameter of it or is defined in a
    /// block that dominates it, hence dominates its predecessors too. Leaves the bypassed
    /// blocks unreachable; call [`Graph::remove_unreachable_blocks`] afterwards.
    pub fn thread_jumps(&mut self) {
        // A block's parameters may be used directly by blocks it dominates; such a block must
        // stay, or those uses would lose their definition.
        let mut uses = cranelift_entity::SecondaryMap::<Var, u32>::new();
        let mut count = |v: &Value| {
            if let Value::Var(x) = v {
                uses[*x] += 1;
            }
        };
        for b in self.blocks.values() {
            b.ops.iter().flat_map(|o| &self.ops[*o].args).for_each(&mut count);
            match &b.exit {
                Exit::Branch { cond: v, .. }
                | Exit::Switch { value: v, .. }
                | Exit::Return(Some(v)) => count(v),
                _ => {}
            }
            b.exit.targets().iter().flat_map(|t| &t.args).for_each(&mut count);
        }
        let forwards = |g: &Graph, b: Block| -> Option<Target> {
            let data = &g.blocks[b];
            let Exit::Goto(t) = &data.exit else { return None };
            let own_uses = |p: &Var| t.args.iter().filter(|a| **a == Value::Var(*p)).count() as u32;
            let params_local = data.params.iter().all(|p| uses[*p] == own_uses(p));
            (data.ops.is_empty() && b != g.entry && t.block != b && params_local).then(|| t.clone())
        };
        // `a` with block `b`'s parameters replaced by `args`.
        let subst = |g: &Graph, b: Block, a: &[Value], args: &[Value]| -> Vec<Value> {
            let params = &g.blocks[b].params;
            a.iter()
                .map(|v| match v {
                    Value::Var(x) => params.iter().position(|p| p == x).map_or(*v, |i| args[i]),
                    c => *c,
                })
                .collect()
        };
        // Where a jump to each block ends up, over that block's parameters (`None`: there),
        // found once per block by following its chain of forwarding blocks: linear in all.
        // In a cycle of forwarding blocks, the block where the cycle is found stays.
        #[derive(Clone, Default)]
        enum Found {
            #[default]
            No,
            Walking,
            Done(Option<Target>),
        }
        let mut found = cranelift_entity::SecondaryMap::<Block, Found>::new();
        let blocks: Vec<Block> = self.blocks.keys().collect();
        for &start in &blocks {
            let mut chain = Vec::new();
            let mut b = start;
            loop {
                match found[b] {
                    Found::Done(_) => break,
                    Found::Walking => {
                        found[b] = Found::Done(None);
                        break;
                    }
                    Found::No => {}
                }
                found[b] = Found::Walking;
                chain.push(b);
                match forwards(self, b) {
                    Some(t) => b = t.block,
                    None => break,
                }
            }
            for &c in chain.iter().rev() {
                if let Found::Done(_) = found[c] {
                    continue;
                }
                let r = forwards(self, c).map(|t| match &found[t.block] {
                    Found::Done(Some(e)) => {
                        Target { block: e.block, args: subst(self, t.block, &e.args, &t.args) }
                    }
                    _ => t,
                });
                found[c] = Found::Done(r);
            }
        }
        for &b in &blocks {
            let mut exit = self.blocks[b].exit.clone();
            for t in exit.targets_mut() {
                if let Found::Done(Some(r)) = &found[t.block] {
                    if r.block != t.block {
                        let args = subst(self, t.block, &r.args, &t.args);
                        *t = Target { block: r.block, args };
                    }
                }
            }
            self.blocks[b].exit = exit;
        }
    }

    /// Merges every block that has a single incoming edge, a `goto`, into its predecessor:
    /// its ops are appended there and its parameters replaced, everywhere, by the arguments
    /// of that goto (which dominate every use). Leaves the merged blocks unreachable; call
    /// [`Graph::remove_unreachable_blocks`] afterwards.
    pub fn merge_straight_blocks(&mut self) {
        let order = self.reachable_blocks();
        let mut incoming = cranelift_entity::SecondaryMap::<Block, u32>::new();
        for b in &order {
            for t in self.blocks[*b].exit.targets() {
                incoming[t.block] += 1;
            }
        }
        let mut subst: HashMap<Var, Value> = HashMap::new();
        for p in order {
            while let Exit::Goto(t) = &self.blocks[p].exit {
                let b = t.block;
                if b == p || b == self.entry || incoming[b] != 1 {
                    break;
                }
                let args = t.args.clone();
                for (param, arg) in self.blocks[b].params.clone().into_iter().zip(args) {
                    subst.insert(param, arg);
                }
                let ops = std::mem::take(&mut self.blocks[b].ops);
                self.blocks[p].ops.extend(ops);
                let exit = std::mem::replace(&mut self.blocks[b].exit, Exit::Return(None));
                self.blocks[p].exit = exit;
                incoming[b] = 0;
            }
        }
        if subst.is_empty() {
            return;
        }
        // Resolve each chain of substitutions once (a long straight run makes chains as long
        // as the run: following them at every use would be quadratic).
        self.substitute(params::resolve_chains(subst));
    }

    /// Jump threading, merging of straight-line blocks, and removal of what became
    /// unreachable: the clean-up after building a graph mechanically.
    pub fn simplify(&mut self) {
        self.thread_jumps();
        self.merge_straight_blocks();
        self.remove_unreachable_blocks();
    }

    /// Blocks reachable from the entry, entry first, then in layout order.
    pub fn reachable_blocks(&self) -> Vec<Block> {
        let mut seen = cranelift_entity::EntitySet::<Block>::new();
        let mut stack = vec![self.entry];
        seen.insert(self.entry);
        while let Some(b) = stack.pop() {
            for t in self.blocks[b].exit.targets() {
                if seen.insert(t.block) {
                    stack.push(t.block);
                }
            }
        }
        let mut order = vec![self.entry];
        order.extend(self.blocks.keys().filter(|b| *b != self.entry && seen.contains(*b)));
        order
    }

    /// Drops the blocks the entry cannot reach, with their ops and variables, and renumbers
    /// blocks, ops and variables densely in layout order (entry first, so parameters keep
    /// their numbers).
    pub fn remove_unreachable_blocks(&mut self) {
        let order = self.reachable_blocks();
        let mut block_map = cranelift_entity::SecondaryMap::<Block, Option<Block>>::new();
        for (i, b) in order.iter().enumerate() {
            block_map[*b] = Some(Block::from_u32(i as u32));
        }
        let mut var_map = cranelift_entity::SecondaryMap::<Var, Option<Var>>::new();
        let mut vars = PrimaryMap::new();
        let mut define = |v: Var, vars: &mut PrimaryMap<Var, VarData>| {
            let nv = vars.push(self.vars[v].clone());
            var_map[v] = Some(nv);
            nv
        };
        let mut ops = PrimaryMap::new();
        let mut blocks: PrimaryMap<Block, BlockData> = PrimaryMap::new();
        for &b in &order {
            let data = &self.blocks[b];
            let params = data.params.iter().map(|&v| define(v, &mut vars)).collect();
            let mut new_ops = Vec::new();
            for &o in &data.ops {
                let mut op = self.ops[o].clone();
                op.result = op.result.map(|v| define(v, &mut vars));
                new_ops.push(ops.push(op));
            }
            blocks.push(BlockData {
                params,
                ops: new_ops,
                exit: data.exit.clone(),
                span: data.span,
            });
        }
        let map_value = |v: &mut Value| {
            if let Value::Var(x) = v {
                *x = var_map[*x].expect("use of a variable defined in an unreachable block");
            }
        };
        for op in ops.values_mut() {
            op.args.iter_mut().for_each(map_value);
        }
        for block in blocks.values_mut() {
            match &mut block.exit {
                Exit::Branch { cond, .. } => map_value(cond),
                Exit::Switch { value, .. } => map_value(value),
                Exit::Return(Some(v)) => map_value(v),
                _ => {}
            }
            for t in block.exit.targets_mut() {
                t.block = block_map[t.block].expect("target of a reachable block is reachable");
                t.args.iter_mut().for_each(map_value);
            }
        }
        self.entry = Block::from_u32(0);
        self.blocks = blocks;
        self.vars = vars;
        self.ops = ops;
    }
}

/// A heap object that exists before the program runs: string literals and module-level
/// constants. Fields and items are constants, possibly other prebuilt objects.
#[derive(Clone, Debug, PartialEq)]
pub enum Prebuilt {
    /// A string (`str`): its code points, one item each.
    Str(Vec<char>),
    /// A struct instance: its type and one constant per field (all fields, inherited first).
    Struct(HeapTypeIdx, Vec<Const>),
    /// An array: its type and items.
    Array(HeapTypeIdx, Vec<Const>),
}

impl Prebuilt {
    /// The heap type of the object.
    pub fn heap_type(&self) -> HeapTypeIdx {
        match self {
            Prebuilt::Str(_) => TypeTable::STR,
            Prebuilt::Struct(t, _) | Prebuilt::Array(t, _) => *t,
        }
    }
}

/// A whole RPy program: types, graphs, prebuilt objects and sources.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// Heap types and signatures.
    pub types: TypeTable,
    /// Functions.
    pub graphs: PrimaryMap<GraphIdx, Graph>,
    /// Prebuilt heap objects.
    pub prebuilt: PrimaryMap<PrebuiltIdx, Prebuilt>,
    /// Names of module-level prebuilt constants (for printing; string literals have none).
    pub prebuilt_names: HashMap<PrebuiltIdx, String>,
    /// The sources spans point into.
    pub sources: SourceMap,
    /// The prebuilt struct whose one field holds the pending exception (null when none), if
    /// the program uses exceptions (see `front/lower/exceptions.rs`); hosts read it after
    /// each call ([`crate::runtime::uncaught`]).
    pub exc_state: Option<PrebuiltIdx>,
}

impl Program {
    /// The graph called `name`.
    pub fn graph_by_name(&self, name: &str) -> Option<GraphIdx> {
        self.graphs.iter().find(|(_, g)| g.name == name).map(|(i, _)| i)
    }

    /// The type of a constant.
    pub fn const_ty(&self, c: Const) -> Ty {
        match c {
            Const::Int(_) => Ty::Int,
            Const::Float(_) => Ty::Float,
            Const::Bool(_) => Ty::Bool,
            Const::Char(_) => Ty::Char,
            Const::Null(t) => Ty::Ref(t),
            Const::Prebuilt(p) => Ty::Ref(self.prebuilt[p].heap_type()),
            Const::Func(g) => Ty::Func(self.graph_sig(g)),
            Const::Ptr(_, t) => Ty::Ref(t),
        }
    }

    /// The signature index of a graph. Signatures are interned when graphs are created, so
    /// this only looks it up; a graph whose signature is missing is a bug in its builder.
    pub fn graph_sig(&self, g: GraphIdx) -> SigIdx {
        let graph = &self.graphs[g];
        let sig = crate::types::Sig { params: graph.params.clone(), ret: graph.ret };
        self.types
            .sig_index(&sig)
            .unwrap_or_else(|| panic!("signature of {} was not interned", graph.name))
    }

    /// Adds a graph, interning its signature.
    pub fn add_graph(&mut self, graph: Graph) -> GraphIdx {
        self.types.sig(graph.params.clone(), graph.ret);
        self.graphs.push(graph)
    }

    /// Adds a prebuilt string holding the code points of `text` and returns its index
    /// (identical strings are shared).
    pub fn intern_str(&mut self, text: &str) -> PrebuiltIdx {
        let chars: Vec<char> = text.chars().collect();
        if let Some((i, _)) =
            self.prebuilt.iter().find(|(_, p)| matches!(p, Prebuilt::Str(s) if *s == chars))
        {
            return i;
        }
        self.prebuilt.push(Prebuilt::Str(chars))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goto(g: &mut Graph, from: Block, to: Block, args: Vec<Value>) {
        g.blocks[from].exit = Exit::Goto(Target { block: to, args });
    }

    /// A block with one int parameter, passed on by its goto (set later).
    fn forwarding(g: &mut Graph) -> (Block, Var) {
        let b = g.add_block(Span::UNKNOWN);
        let p = g.new_var(Ty::Int, None);
        g.blocks[b].params.push(p);
        (b, p)
    }

    #[test]
    fn a_long_chain_of_forwarding_blocks_is_threaded_with_its_arguments() {
        let mut g = Graph::new("f", vec![Ty::Int], Ty::Int, Span::UNKNOWN);
        let x = g.blocks[g.entry].params[0];
        let (last, q) = forwarding(&mut g);
        g.blocks[last].exit = Exit::Return(Some(Value::Var(q)));
        let (mut next, mut p) = (last, None::<Var>);
        // Built from the end: b_i(p_i) -> goto b_{i+1}(p_i).
        for _ in 0..5000 {
            let (b, bp) = forwarding(&mut g);
            goto(&mut g, b, next, vec![Value::Var(bp)]);
            (next, p) = (b, Some(bp));
        }
        assert!(p.is_some());
        let entry = g.entry;
        goto(&mut g, entry, next, vec![Value::Var(x)]);
        g.thread_jumps();
        let Exit::Goto(t) = &g.blocks[g.entry].exit else { panic!("still a goto") };
        assert_eq!((t.block, t.args.clone()), (last, vec![Value::Var(x)]));
    }

    #[test]
    fn a_cycle_of_forwarding_blocks_still_loops() {
        let mut g = Graph::new("f", vec![], Ty::Void, Span::UNKNOWN);
        let (a, b) = (g.add_block(Span::UNKNOWN), g.add_block(Span::UNKNOWN));
        let entry = g.entry;
        goto(&mut g, entry, a, vec![]);
        goto(&mut g, a, b, vec![]);
        goto(&mut g, b, a, vec![]);
        g.thread_jumps();
        let target = |g: &Graph, x: Block| match &g.blocks[x].exit {
            Exit::Goto(t) => t.block,
            e => panic!("{e:?}"),
        };
        // Still a loop forever: the entry goes into it, and it never leaves.
        let into = target(&g, g.entry);
        assert!([a, b].contains(&into));
        assert!([a, b].contains(&target(&g, a)) && [a, b].contains(&target(&g, b)));
    }
}
