//! A seeded generator of random mini-Python programs, for differential testing against
//! CPython 3.11 and across our execution modes (STYLE.md 10: generated programs find what
//! hand-written ones miss). [`generate`]`(seed)` returns a [`Program`]: its source, the
//! exception it ends in if it is meant to end in one, and [`Features`] counting what it holds.
//!
//! What a program holds: ints (bounded by a modulus at every assignment, with intermediate
//! values up to ~1e60, so big ints appear in the middle of expressions), floats (kept in
//! [0, 1000) at every assignment, so no `inf`/`nan`), strings (ASCII and non-ASCII words,
//! methods, slicing, `%` formatting, `str.format`, f-strings with simple specs), lists of ints,
//! dicts from str to int, instances of generated classes (fields, methods, a subclass calling
//! `super()`, `__repr__`, `__eq__`/`__lt__`), functions (defaults, keyword calls, a recursive
//! one, a generator, a closure factory with `nonlocal`, one that raises a custom exception),
//! a context manager class, `if`/`elif`/`else`, `for` over ranges, lists, strings, `enumerate`,
//! `zip`, `dict.items()`, counted `while` loops with `break`/`continue`, `try`/`except`/`else`/
//! `finally` around operations that may fail (division, indexing, dict lookup, `int()` of a
//! word, `list.index`, a raising function), and in about one program in seven a final statement
//! that surely fails, uncaught. `features.rs` adds the later constructs: a `list` subclass
//! and a `dict` subclass with `__missing__`, `del obj.attr`/`delattr`, generators driven by
//! `throw`/`close` and returning a value (`StopIteration.value`), and `str.format` with
//! nested, converted and attribute/index fields. `diamond.rs` adds multiple inheritance (a
//! diamond with cooperative `super()` chains, sometimes a mixin); `collections.rs` adds
//! `namedtuple` (and a subclass of one) and `OrderedDict`.
//!
//! Invariants (what makes every program run to completion under CPython, deterministically):
//! - Types are tracked exactly: every variable has one [`Ty`] for its whole life, and each
//!   expression is generated for a type. A variable exists from its first assignment to the
//!   end of the block that made it ([`scope`](Gen::scopes)); functions see only their
//!   parameters and locals (never module variables), so no `UnboundLocalError` can arise.
//! - Only operations inside a `try` whose handlers catch what they may raise can fail; every
//!   other operation is total on the values its operands can have (divisors are nonzero
//!   literals or `abs(x) % 7 + 1`, indexes are reduced modulo a length under a non-empty
//!   test, `int()` only of floats, which are finite).
//! - Termination: loops are `for` over finite sequences (lists and dicts are iterated over a
//!   copy, so bodies may mutate them) or `while` loops whose counter is incremented first
//!   thing in the body and written nowhere else; functions call only functions defined before
//!   them, and the recursive function recurses on a decreasing bounded argument. The
//!   estimated work (statements times enclosing iterations) is kept under a budget.
//! - Output never depends on addresses or hash order: objects are printed only if their class
//!   has a `__repr__`, no set is printed, `id`/`hash` are never printed.

/// Writes one line formatted like `format!` (the arguments are evaluated before the line is
/// written, so they may use the generator's random numbers).
macro_rules! emit {
    ($gen:expr, $($fmt:tt)*) => {{
        let text = format!($($fmt)*);
        $gen.line(&text)
    }};
}

mod collections;
mod diamond;
mod expr;
mod features;
mod stmt;
mod values;

use std::collections::BTreeMap;

/// A generated program.
#[derive(Clone, Debug)]
pub struct Program {
    /// The seed it was generated from.
    pub seed: u64,
    /// Its source text (UTF-8, ends with a newline).
    pub source: String,
    /// The class name of the exception the program ends in, uncaught, if it is meant to
    /// (status 1, a traceback whose last line starts with this name); `None`: status 0.
    pub uncaught: Option<&'static str>,
    /// What it holds.
    pub features: Features,
}

/// Counts of the constructs a program holds, by name (`"for"`, `"try"`, `"class"`, ...).
#[derive(Clone, Debug, Default)]
pub struct Features {
    /// Construct name to number of occurrences.
    pub counts: BTreeMap<&'static str, usize>,
}

impl Features {
    fn note(&mut self, what: &'static str) {
        *self.counts.entry(what).or_insert(0) += 1;
    }
    /// How many times `what` occurs (0 if never).
    #[allow(dead_code)]
    pub fn count(&self, what: &str) -> usize {
        self.counts.get(what).copied().unwrap_or(0)
    }
}

/// The generated program for `seed`: the same seed always gives the same program.
pub fn generate(seed: u64) -> Program {
    let mut g = Gen::new(seed);
    g.program();
    let lines = g.out.lines().count();
    g.features.counts.insert("lines", lines);
    Program { seed, source: g.out, uncaught: g.uncaught, features: g.features }
}

/// SplitMix64: small, fast, and ours; the sequence for a seed never changes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
    /// True with probability `pct`%.
    fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// The type of a generated variable or expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Int,
    Float,
    Str,
    Bool,
    IntList,
    /// A dict from str to int.
    StrIntDict,
    /// An instance of the generated class with this index.
    Obj(usize),
}

/// A variable in scope.
#[derive(Clone, Debug)]
struct Var {
    name: String,
    ty: Ty,
}

/// A generated class: fields `a`, `b` (ints) and `name` (str), methods `total()` (int),
/// `bump(k)` and `label()` (str); a subclass adds field `c` and overrides `total`.
#[derive(Clone, Debug)]
struct ClassInfo {
    name: String,
    base: Option<usize>,
    has_repr: bool,
    has_order: bool,
}

/// A generated plain function.
#[derive(Clone, Debug)]
struct FuncInfo {
    name: String,
    params: Vec<Ty>,
    /// How many trailing parameters have defaults.
    defaults: usize,
    ret: Ty,
    /// Raises `GenError` for some arguments: called only inside a `try` catching it.
    may_raise: bool,
}

/// Words strings are made from: ASCII, numeric-looking and non-ASCII ones.
const WORDS: &[&str] =
    &["alpha", "beta", "gamma", "delta", "x4", "12", " 7 ", "", "Zoë", "naïve", "-3", "mi ni"];

/// Estimated work (statements executed) a program may reach.
const WORK_BUDGET: u64 = 40_000;

/// Estimated statements one call of a generated function executes.
const CALL_COST: u64 = 60;

/// A loop starts only where the enclosing loops' iterations multiply to less than this.
const MAX_LOOP_ITERS: u64 = 150;

/// The generator's state: output text, scopes and what has been defined so far.
struct Gen {
    rng: Rng,
    out: String,
    indent: usize,
    /// Variables visible now, innermost block last.
    scopes: Vec<Vec<Var>>,
    next_var: usize,
    classes: Vec<ClassInfo>,
    funcs: Vec<FuncInfo>,
    /// Generator functions `name(n)` yielding ints.
    gens: Vec<String>,
    /// Closure factories `name(start)` returning a function of one int, returning an int.
    counters: Vec<String>,
    /// Module-level variables holding a closure made by a counter factory.
    counter_vars: Vec<String>,
    /// The recursive function `name(n, acc)`, if defined.
    recursive: Option<String>,
    has_ctx: bool,
    /// The `list` subclass `Bag` and the `dict` subclass `Tally` are defined (features.rs).
    has_bag: bool,
    has_tally: bool,
    /// `Pt`, `Seg` and `OrderedDict` are defined or imported (collections.rs).
    has_collections: bool,
    /// The `int` subclass `Mod` is defined (values.rs).
    has_mod: bool,
    /// Generating a function body (which sees only its parameters and locals).
    in_def: bool,
    /// Product of the iteration counts of the loops around the current point.
    iters: u64,
    /// Estimated work so far.
    work: u64,
    /// Nesting depth of compound statements.
    depth: usize,
    /// Inside a loop body (so `break`/`continue` are allowed), innermost last; a `while`
    /// loop's counter name is kept to keep it out of reach.
    loops: Vec<Option<String>>,
    uncaught: Option<&'static str>,
    features: Features,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng(seed ^ 0x5EED_0FC0_FFEE),
            out: String::new(),
            indent: 0,
            scopes: vec![Vec::new()],
            next_var: 0,
            classes: Vec::new(),
            funcs: Vec::new(),
            gens: Vec::new(),
            counters: Vec::new(),
            counter_vars: Vec::new(),
            recursive: None,
            has_ctx: false,
            has_bag: false,
            has_tally: false,
            has_collections: false,
            has_mod: false,
            in_def: false,
            iters: 1,
            work: 0,
            depth: 0,
            loops: Vec::new(),
            uncaught: None,
            features: Features::default(),
        }
    }

    /// Writes one line at the current indentation.
    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
        self.out.push_str(text);
        self.out.push('\n');
        self.work += self.iters;
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_var += 1;
        format!("{prefix}{}", self.next_var)
    }

    /// Variables of type `ty` in scope, excluding loop counters.
    fn vars_of(&self, ty: Ty) -> Vec<String> {
        let locked: Vec<&String> = self.loops.iter().flatten().collect();
        self.scopes
            .iter()
            .flatten()
            .filter(|v| v.ty == ty && !locked.contains(&&v.name))
            .map(|v| v.name.clone())
            .collect()
    }

    fn declare(&mut self, name: &str, ty: Ty) {
        let scope = self.scopes.last_mut().expect("a scope");
        scope.push(Var { name: name.to_string(), ty });
    }

    /// Types a printable value may have now (objects only with a `__repr__`).
    fn printable(&self, ty: Ty) -> bool {
        match ty {
            Ty::Obj(c) => self.classes[c].has_repr,
            _ => true,
        }
    }

    /// The whole program: definitions, then the module-level body, then maybe a failure.
    fn program(&mut self) {
        let mut side = Rng(self.rng.0 ^ 0xD1A0_0D5E_ED00);
        self.line("import math");
        self.line("");
        self.line("class GenError(Exception):");
        self.line("    pass");
        self.line("");
        let n_classes = self.rng.below(3);
        for _ in 0..n_classes {
            self.class_def();
        }
        if self.rng.chance(40) {
            self.ctx_class();
        }
        self.builtin_subclasses();
        self.value_subclasses();
        self.collection_types();
        let n_funcs = 1 + self.rng.below(4);
        for i in 0..n_funcs {
            match self.rng.below(6) {
                0 if self.recursive.is_none() => self.recursive_def(),
                1 => self.generator_def(),
                2 => self.counter_def(),
                _ => self.func_def(i == 0),
            }
        }
        let n_stmts = 8 + self.rng.below(18);
        for _ in 0..n_stmts {
            if self.work > WORK_BUDGET {
                break;
            }
            self.statement();
        }
        self.diamond(&mut side);
        self.line("print(\"end\")");
        if self.rng.chance(14) {
            self.final_failure();
        }
    }
}
