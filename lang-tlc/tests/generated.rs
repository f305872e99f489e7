//! Generated programs, differentially tested: a seeded generator of well-formed TLC programs
//! (assembler text), each run with a few inputs in every execution mode — llinterp (the
//! reference), translated, the JIT on LLVM with its default threshold and compiling at once
//! (`--jit-hot 1`), and the JIT on the IR backend — which must print the same result or fail
//! with the same error (kind and message). Hand-written programs (`conformance.rs`,
//! `interp.rs`) test what their authors thought of; generated ones mix features in ways
//! nobody writes by hand (Cranelift's `fuzzgen` against its interpreter, STYLE.md 10).
//!
//! What a program holds: arithmetic and comparisons, stack shuffles (`PICK`, `PUT`, `ROLL`,
//! `SWAP`, `POP`), branches (`BR_COND`, `BR_COND_STK`, `BR`), functions defined inline and
//! `CALL`ed (again), classes with attributes and methods (`NEW`, `GETATTR`, `SETATTR`, `SEND`,
//! a method recursing on its argument), lists (`NIL`, `CONS`, `CAR`, `CDR`, concatenation and
//! indexing), bounded loops — in a third of the programs one of 1000 to 1800 iterations, or
//! counted by an input of that size, so that the JIT's default threshold (1000 visits of a
//! bytecode position) is crossed and compiled code runs — and polymorphic sites, where the
//! class of a value alternates with a loop counter or the input, for the JIT's promotions.
//! Each program runs with two small inputs (sometimes an extreme one, for the corners of
//! 64-bit arithmetic), plus a large one if it has hot loops; the JIT modes then run the first
//! input again, so every program also runs again in the same interpreter (the JIT compiles a
//! program run again from its start).
//!
//! Vocabulary and invariants of the generator:
//! - The generator tracks every frame's stack exactly in length and approximately in type
//!   ([`Ty`]): a value's type is what every path to that point agrees on. Instructions are
//!   chosen so the tracked types stay true whenever the program has not failed; that is what
//!   makes the programs terminate.
//! - Termination: loops exist only in three bounded shapes (`Gen::loop_stmt`), with their
//!   counters *locked* (no generated code writes them) and their lengths from a constant or
//!   the input (a negative one runs no iteration; an extreme one counts no loop). Methods send
//!   only to methods generated before them (earlier classes, or earlier methods of their
//!   class), except `down`, which recurses on an argument that its callers bound. `CALL`ed
//!   functions start from an empty stack and call only functions defined before them.
//! - The *free region* of a stack is what lies above `base`: what the current block pushed.
//!   A block pops and swaps only there; it may read any slot, and write (`PUT`) a slot below
//!   `base` only with a value of the same type, and never a locked one.
//! - Compound statements (branches, loops, functions, polymorphic sites) are at most
//!   [`BODY_ROOM`] bytes, so every branch offset fits in a signed byte; one that comes out
//!   bigger (or too expensive) is rolled back and not generated.
//! - Errors: a *risky* program (about a third) also gets instructions that may fail (`DIV` by
//!   any int, `CAR` of a possibly empty list, `ADD` of anything, ...: their result type if they
//!   succeed is known, so tracking stays true), and instructions that surely fail, often
//!   guarded by a loop counter so they fail after many iterations, from compiled code. After
//!   a sure failure the rest of that block is dead: nothing more is generated there.
//! - Cost: the generator estimates the bytecodes a run executes (instructions times the
//!   iterations of their enclosing loops) and keeps it under a budget. What dominates the
//!   test's time is the JIT compiling, which grows with the program: programs are at most
//!   [`MAX_BYTES`] bytes of bytecode.
//!
//! A discrepancy this test found, now fixed: JIT mode on LLVM reported an error with details (a
//! name, an opcode) left over from an earlier run; see
//! [`jit_rerun_reports_stale_error_details`]. `TLC_GEN_TOLERANT=1` tolerates exactly that
//! difference (and counts it).
//!
//! Environment: `TLC_GEN_SEEDS=5000` checks seeds 0..5000 (or a range, `=5000..6000`) instead
//! of the first [`DEFAULT_SEEDS`]; `TLC_GEN_SEED=17` checks one seed and prints its program;
//! `TLC_GEN_MAX_BYTES`, `TLC_GEN_PYTHON_INDEXES` (a percentage, see
//! [`PYTHON_INDEXES_PERCENT`]), `TLC_GEN_THREADS` and `TLC_GEN_VERBOSE` (a line per seed with
//! its time per mode) tune longer runs. A failure's message holds the program's source, the
//! inputs in the order they ran and every mode's output.

use std::collections::BTreeMap;
use std::fmt::{Display, Write as _};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use lang_tlc::{assemble, Interpreter, Mode, Opcode, Program, TlcError};

/// How many seeds the default run checks.
const DEFAULT_SEEDS: u64 = 150;

/// The largest estimated number of bytecodes one run executes, in programs with hot loops.
const HOT_BUDGET: u64 = 80_000;

/// The same for the other programs.
const COLD_BUDGET: u64 = 4_000;

/// The largest bytes a compound statement's body may take: every branch offset is a signed
/// byte, and a body is jumped over by one.
const BODY_ROOM: usize = 96;

/// The largest program generated, in bytecode bytes: the JIT's compile time grows with the
/// program, and dominates the test's time.
const MAX_BYTES: usize = 220;

/// The share of programs (percent) whose `PICK` and `PUT` may count from the bottom of the
/// stack (a negative argument), unless `TLC_GEN_PYTHON_INDEXES` says otherwise. (Such an
/// instruction once made the JIT give up only after its budget of 50000 residual operations,
/// one to three seconds, when it did not know the stack: `from_top` asked for the stack's
/// depth green, so the specializer unrolled `depth`'s walk; it promotes the depth now.)
const PYTHON_INDEXES_PERCENT: u64 = 30;

/// A seed that runs longer than this is reported as probably not terminating.
const WATCHDOG: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------------------------------------
// Random numbers.

/// Marsaglia's xorshift64: a reproducible sequence without a dependency.
struct XorShift(u64);

impl XorShift {
    /// A generator whose state is the splitmix64 scramble of `seed`, so nearby seeds start far
    /// apart (and never at 0, xorshift's fixed point).
    fn new(seed: u64) -> XorShift {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        XorShift((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// An index into `weights`, with probability proportional to its weight (one must be > 0).
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| w as u64).sum();
        let mut r = self.next() % total;
        for (i, &w) in weights.iter().enumerate() {
            if r < w as u64 {
                return i;
            }
            r -= w as u64;
        }
        unreachable!("the weights sum to {total}")
    }
}

// ---------------------------------------------------------------------------------------------
// What the generator knows about values.

/// The type of a stack slot, attribute or argument, as far as the generator knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Int,
    /// A proper list of ints with at least this many cells (`nil` is `List(0)`).
    List(u8),
    /// A cons cell that need not be a proper list nor hold ints.
    Pair,
    /// An instance of exactly this class.
    Obj(usize),
    /// An instance of some class up to this one: every class has the int attribute `x` and
    /// the method `v/0` returning an int.
    SomeObj(usize),
    /// A loop counter object (attribute `n`): read by generated code, written by its loop only.
    Counter,
    /// Anything.
    Any,
}

/// The type of a value that is `a` on one path and `b` on another.
fn merge(a: Ty, b: Ty) -> Ty {
    match (a, b) {
        _ if a == b => a,
        (Ty::List(m), Ty::List(n)) => Ty::List(m.min(n)),
        (Ty::Obj(i) | Ty::SomeObj(i), Ty::Obj(j) | Ty::SomeObj(j)) => Ty::SomeObj(i.max(j)),
        _ => Ty::Any,
    }
}

/// Whether a value of type `v` may be stored where the generator assumes type `slot`.
fn fits(v: Ty, slot: Ty) -> bool {
    match (v, slot) {
        (_, Ty::Any) => true,
        (Ty::List(n), Ty::List(m)) => n >= m,
        (Ty::Obj(i) | Ty::SomeObj(i), Ty::SomeObj(k)) => i <= k,
        _ => v == slot,
    }
}

/// A stack slot: its type, and whether generated code may overwrite it.
#[derive(Clone, Copy, Debug)]
struct Slot {
    ty: Ty,
    /// A loop counter or limit: only its loop writes it.
    locked: bool,
}

/// A generated class: attributes with the types their values always have, and methods.
struct Class {
    /// The `NEW` argument: attributes and `method=label` items.
    descr: String,
    attrs: Vec<(&'static str, Ty)>,
    methods: Vec<Method>,
}

/// A generated method.
#[derive(Clone)]
struct Method {
    name: &'static str,
    params: Vec<Ty>,
    /// What a `SEND` pushes, if anything.
    ret: Option<Ty>,
    /// Estimated bytecodes per call (per level of recursion for `down`).
    cost: u64,
    /// False if every call surely fails.
    live: bool,
    /// `down`: recurses once per unit of its int argument, which callers bound.
    recursive: bool,
}

/// A function defined inline (`CALL f; BR after; f: ... RETURN; after:`), callable again
/// from code within reach of a signed-byte offset.
#[derive(Clone)]
struct Function {
    label: String,
    /// Its address within the chunk.
    pos: usize,
    ret: Option<Ty>,
    cost: u64,
}

/// A chunk of code (main, or one method) and its address counter: offsets are relative, so
/// a chunk's own addresses are enough to keep every branch within reach.
#[derive(Default)]
struct Code {
    lines: Vec<String>,
    pos: usize,
    functions: Vec<Function>,
}

/// A loop counter visible to the loop's body, for conditions that change as the loop runs.
#[derive(Clone, Copy, Debug)]
struct LoopCounter {
    slot: usize,
    /// The counter's largest value.
    max: u64,
    /// A `Counter` object (read with `GETATTR n`) rather than an int.
    in_object: bool,
    /// Counts up from 0 (else down to 0).
    up: bool,
}

/// Where a loop's count comes from.
#[derive(Clone, Copy)]
enum Count {
    /// `PUSH n`.
    Const(i64),
    /// `PUSHARG` in the main program.
    Input,
    /// `PUSH a; PUSH b; MUL`: a count beyond a signed byte.
    Product(i64, i64),
}

/// The code being generated: one TLC frame, as far as the generator knows it.
#[derive(Clone)]
struct Frame {
    /// The main program's frame: `PUSHARG` is the input and `RETURN` ends the program.
    main: bool,
    /// The method (class, index) this code belongs to, directly or in a function inside it:
    /// it may send only to methods generated before it.
    sender: Option<(usize, usize)>,
    stack: Vec<Slot>,
    base: usize,
    args: Vec<Ty>,
    /// How many times the current code runs per run of the program (enclosing loops).
    mult: u64,
    /// Nesting depth of compound statements.
    nest: u32,
    counters: Vec<LoopCounter>,
}

impl Frame {
    fn new(main: bool, sender: Option<(usize, usize)>, args: Vec<Ty>, mult: u64) -> Frame {
        Frame { main, sender, stack: vec![], base: 0, args, mult, nest: 0, counters: vec![] }
    }
}

/// Where to roll back to when a compound statement turns out too big or too expensive.
struct Snapshot {
    lines: usize,
    pos: usize,
    functions: usize,
    frame: Frame,
    cost: u64,
    news: usize,
    /// Loops generated with a count that can reach 1000 (`Gen::hot_loops`).
    hot_loops: usize,
}

/// A generated program and the inputs to run it with, in order.
struct Generated {
    source: String,
    inputs: Vec<i64>,
    /// How many of its loops can run long enough for the JIT's default threshold.
    hot_loops: usize,
}

const ATTRS: [&str; 3] = ["y", "z", "w"];
const METHODS: [&str; 5] = ["get", "put", "acc", "f", "down"];

/// The program of `seed`: the first one generated from it of at most [`MAX_BYTES`] bytecode
/// bytes, or `TLC_GEN_MAX_BYTES` (almost always within a few tries).
fn generate(seed: u64) -> Generated {
    let max_bytes = match std::env::var("TLC_GEN_MAX_BYTES") {
        Ok(n) => n.parse().expect("TLC_GEN_MAX_BYTES: a number"),
        Err(_) => MAX_BYTES,
    };
    let mut rng = XorShift::new(seed);
    // The kind of program is chosen once: bigger kinds must not be retried out of the mix.
    let kind = Kind::new(&mut rng);
    for _ in 0..20 {
        let (g, bytes, next) = generate_one(&kind, rng);
        if bytes <= max_bytes {
            return g;
        }
        rng = next;
    }
    panic!("seed {seed}: no program of at most {max_bytes} bytes in 20 tries")
}

/// What kind of program a seed makes, and its inputs.
struct Kind {
    /// Loops of thousands of iterations, and a large input.
    hot: bool,
    /// Instructions that may or surely fail.
    risky: bool,
    python_indexes: bool,
    inputs: Vec<i64>,
}

impl Kind {
    fn new(rng: &mut XorShift) -> Kind {
        let hot = rng.chance(35);
        let risky = rng.chance(35);
        let mut inputs = vec![rng.range(-3, 9)];
        let second = match rng.chance(12) {
            // An extreme input, for the corners of 64-bit arithmetic (it counts no loop: see
            // `Gen::max_input`).
            true => rng.choose(&[i64::MIN, i64::MAX, i64::MIN + 1, -(1 << 40), 1 << 62, 3 << 61]),
            false => rng.range(-3, 9),
        };
        inputs.push(if second == inputs[0] { second + 1 } else { second });
        if hot {
            inputs.push(rng.range(1000, 1600));
        }
        let percent = match std::env::var("TLC_GEN_PYTHON_INDEXES") {
            Ok(p) => p.parse().expect("TLC_GEN_PYTHON_INDEXES: a percentage"),
            Err(_) => PYTHON_INDEXES_PERCENT,
        };
        let python_indexes = rng.chance(percent);
        Kind { hot, risky, python_indexes, inputs }
    }
}

/// A program of `kind` from `rng`, its bytecode size, and `rng` after it.
fn generate_one(kind: &Kind, rng: XorShift) -> (Generated, usize, XorShift) {
    let inputs = kind.inputs.clone();
    let (hot, risky) = (kind.hot, kind.risky);
    let max_input = inputs.iter().map(|i| i.unsigned_abs()).max().unwrap();
    let mut g = Gen {
        rng,
        next_label: 0,
        classes: vec![],
        risky,
        hot,
        python_indexes: kind.python_indexes,
        budget: if hot { HOT_BUDGET } else { COLD_BUDGET },
        cost: 0,
        max_input,
        news: 0,
        hot_loops: 0,
        force_hot: false,
        counter_class_used: false,
        code: Code::default(),
        f: Frame::new(true, None, vec![Ty::Int], 1),
        chunks: vec![],
    };
    let nclasses = g.rng.weighted(&[3, 4, 3, 1]);
    for c in 0..nclasses {
        g.class(c);
    }
    let source = g.main();
    let bytes = g.code.pos + g.chunks.iter().map(|c| c.pos).sum::<usize>();
    (Generated { source, inputs, hot_loops: g.hot_loops }, bytes, g.rng)
}

/// The generator's state: the classes so far, the chunk and frame being generated.
struct Gen {
    rng: XorShift,
    next_label: u32,
    classes: Vec<Class>,
    /// Whether instructions that may fail are generated.
    risky: bool,
    /// Whether loops of thousands of iterations are generated.
    hot: bool,
    /// Whether `PICK` and `PUT` sometimes count from the bottom of the stack (a negative
    /// argument, Python-style; see [`PYTHON_INDEXES_PERCENT`]).
    python_indexes: bool,
    /// The largest estimated cost of a run.
    budget: u64,
    /// The estimated cost so far of the code being generated.
    cost: u64,
    /// The largest absolute input: how long a loop counted by the input may run.
    max_input: u64,
    /// `NEW` instructions so far (each is a pool descriptor; a pool holds at most 128).
    news: usize,
    /// Loops so far whose count can reach the JIT's default threshold (1000).
    hot_loops: usize,
    /// The next loop is to get hot.
    force_hot: bool,
    counter_class_used: bool,
    code: Code,
    f: Frame,
    /// Finished method chunks, placed after the main code.
    chunks: Vec<Code>,
}

impl Gen {
    // --- Emitting code ---------------------------------------------------------------------

    fn emit(&mut self, text: String, size: usize) {
        self.code.lines.push(format!("    {text}"));
        self.code.pos += size;
        self.cost += self.f.mult;
    }

    /// An instruction without argument.
    fn op(&mut self, name: &str) {
        self.emit(name.to_string(), 1);
    }

    /// An instruction with a one-byte argument (an int, label, name or class descriptor).
    fn op1(&mut self, name: &str, arg: impl Display) {
        self.emit(format!("{name} {arg}"), 2);
    }

    /// One of `names`, an instruction without argument.
    fn op_of(&mut self, names: &[&str]) {
        let name = self.rng.choose(names);
        self.op(name);
    }

    /// `PUSH` of a number in `lo..=hi` (not tracked: the caller consumes it at once).
    fn push_in(&mut self, lo: i64, hi: i64) {
        let n = self.rng.range(lo, hi);
        self.op1("PUSH", n);
    }

    fn label(&mut self, label: &str) {
        self.code.lines.push(format!("{label}:"));
    }

    fn fresh_label(&mut self) -> String {
        self.next_label += 1;
        format!("L{}", self.next_label)
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            lines: self.code.lines.len(),
            pos: self.code.pos,
            functions: self.code.functions.len(),
            frame: self.f.clone(),
            cost: self.cost,
            news: self.news,
            hot_loops: self.hot_loops,
        }
    }

    fn restore(&mut self, s: Snapshot) {
        self.code.lines.truncate(s.lines);
        self.code.pos = s.pos;
        self.code.functions.truncate(s.functions);
        self.f = s.frame;
        self.cost = s.cost;
        self.news = s.news;
        self.hot_loops = s.hot_loops;
    }

    fn remaining(&self) -> u64 {
        self.budget.saturating_sub(self.cost)
    }

    // --- The tracked stack -----------------------------------------------------------------

    fn push(&mut self, ty: Ty) {
        self.f.stack.push(Slot { ty, locked: false });
    }

    fn pop(&mut self) -> Ty {
        assert!(self.free() > 0, "popping below the block's base");
        self.f.stack.pop().unwrap().ty
    }

    /// Slots of the free region (what the current block pushed).
    fn free(&self) -> usize {
        self.f.stack.len() - self.f.base
    }

    /// The type of the `i`-th slot from the top, if it is in the free region.
    fn top(&self, i: usize) -> Option<Ty> {
        (i < self.free()).then(|| self.f.stack[self.f.stack.len() - 1 - i].ty)
    }

    /// The positions of slots whose type satisfies `pred`, anywhere in the frame.
    fn slots(&self, pred: impl Fn(Ty) -> bool) -> Vec<usize> {
        (0..self.f.stack.len()).filter(|&i| pred(self.f.stack[i].ty)).collect()
    }

    fn choose_slot(&mut self, pred: impl Fn(Ty) -> bool) -> Option<usize> {
        let slots = self.slots(pred);
        (!slots.is_empty()).then(|| self.rng.choose(&slots))
    }

    /// `PICK` of the slot at `pos` (counted from the top, or sometimes from the bottom with a
    /// negative argument, Python-style).
    fn pick(&mut self, pos: usize) {
        let depth = self.f.stack.len() - 1 - pos;
        assert!(depth <= 127, "PICK {depth}: the argument is a signed byte");
        match self.python_indexes && self.rng.chance(25) {
            true => self.op1("PICK", -1 - pos as i64),
            false => self.op1("PICK", depth),
        }
        let ty = self.f.stack[pos].ty;
        self.push(ty);
    }

    /// Pops everything the block pushed.
    /// At the end of a live block that returns: in `drop_percent` of cases nothing (the top is
    /// popped if free), else the top of the stack (a value of any type pushed first, at
    /// `depth`, if the block's stack is empty).
    fn returned_or_dropped(&mut self, drop_percent: u64, depth: u32) -> Option<Ty> {
        if self.rng.chance(drop_percent) {
            self.pop_free();
            return None;
        }
        if self.free() == 0 {
            self.value(Ty::Any, depth);
        }
        self.top(0)
    }

    fn pop_free(&mut self) {
        while self.free() > 0 {
            self.op("POP");
            self.pop();
        }
    }

    // --- Classes and methods ---------------------------------------------------------------

    /// Whether the code being generated may send method `m` to an instance of class `c`
    /// without risking unbounded recursion.
    fn may_send(&self, c: usize, m: usize) -> bool {
        match self.f.sender {
            None => true,
            Some((sc, sm)) => c < sc || (c == sc && m < sm),
        }
    }

    /// Generates class `c`: its attributes, then its methods' code.
    fn class(&mut self, c: usize) {
        let mut attrs = vec![("x", Ty::Int)];
        for a in ATTRS {
            if self.rng.chance(45) {
                let ty = match self.rng.weighted(&[4, 3, 2, if c > 0 { 2 } else { 0 }]) {
                    0 => Ty::Int,
                    1 => Ty::List(0),
                    2 => Ty::Any,
                    _ => Ty::Obj(self.rng.below(c)),
                };
                attrs.push((a, ty));
            }
        }
        let mut names = vec!["v"];
        for m in METHODS {
            if names.len() < 3 && self.rng.chance(35) {
                names.push(m);
            }
        }
        // The descriptor lists the attributes in a random order: their indexes differ
        // between classes sharing a name.
        let mut items: Vec<String> = attrs.iter().map(|(a, _)| a.to_string()).collect();
        for i in (1..items.len()).rev() {
            items.swap(i, self.rng.below(i + 1));
        }
        items.extend(names.iter().map(|m| format!("{m}=C{c}_{m}")));
        self.classes.push(Class { descr: items.join(","), attrs, methods: vec![] });
        for (m, name) in names.into_iter().enumerate() {
            let method = self.method(c, m, name);
            self.classes[c].methods.push(method);
        }
    }

    /// Generates method `m` (named `name`) of class `c` into a chunk of its own.
    fn method(&mut self, c: usize, m: usize, name: &'static str) -> Method {
        let int_attrs: Vec<&'static str> =
            self.classes[c].attrs.iter().filter(|(_, t)| *t == Ty::Int).map(|(a, _)| *a).collect();
        let params = match name {
            "v" | "get" => vec![],
            "put" | "acc" | "down" => vec![Ty::Int],
            _ => (0..self.rng.below(3))
                .map(|_| self.rng.choose(&[Ty::Int, Ty::Int, Ty::List(0), Ty::Any]))
                .collect(),
        };
        let mut args = vec![Ty::Obj(c)];
        args.extend(&params);
        let code = std::mem::take(&mut self.code);
        let frame = std::mem::replace(&mut self.f, Frame::new(false, Some((c, m)), args, 1));
        let cost = std::mem::replace(&mut self.cost, 0);
        self.label(&format!("C{c}_{name}"));
        let (ret, live) = match name {
            "get" => {
                let (a, ty) = self.rng.choose(&self.classes[c].attrs);
                self.op("PUSHARG");
                self.op1("GETATTR", a);
                (Some(ty), true)
            }
            "put" | "acc" => {
                // self.a = arg (put) or self.a + arg (acc), for an int attribute a.
                let a = self.rng.choose(&int_attrs);
                self.op("PUSHARG");
                if name == "acc" {
                    self.op("PUSHARG");
                    self.op1("GETATTR", a);
                    self.op1("PUSHARGN", 1);
                    self.op("ADD");
                } else {
                    self.op1("PUSHARGN", 1);
                }
                self.op1("SETATTR", a);
                match self.rng.chance(50) {
                    true => (None, true),
                    false => {
                        self.op("PUSHARG");
                        (Some(Ty::Obj(c)), true)
                    }
                }
            }
            "down" => {
                // 0 (or so) if n <= 0, else combine(n, self.down(n - 1)).
                let more = self.fresh_label();
                self.op1("PUSHARGN", 1);
                self.op1("PUSH", 0);
                self.op("GT");
                self.op1("BR_COND", &more);
                self.push_in(-2, 3);
                self.op("RETURN");
                self.label(&more);
                self.op("PUSHARG");
                self.op1("PUSHARGN", 1);
                self.op1("PUSH", 1);
                self.op("SUB");
                self.emit("SEND down/1".into(), 3);
                match self.rng.below(3) {
                    0 => {
                        self.op1("PUSHARGN", 1);
                        self.op("ADD");
                    }
                    1 => {
                        self.op1("PUSH", 3);
                        self.op("MUL");
                        self.op1("PUSHARGN", 1);
                        self.op("SUB");
                    }
                    _ => {
                        self.op("PUSHARG");
                        self.op1("GETATTR", "x");
                        self.op("ADD");
                    }
                }
                (Some(Ty::Int), true)
            }
            _ => {
                let n = 1 + self.rng.below(4);
                let live = self.block(usize::MAX, n);
                let ret = match live {
                    // If it returned, v would return an int (an object of some class may
                    // answer v with another class's method).
                    false if name == "v" => Some(Ty::Int),
                    false => None,
                    // v returns an int; others sometimes nothing.
                    true if name == "v" => {
                        if self.top(0) != Some(Ty::Int) {
                            self.int_value(0);
                        }
                        Some(Ty::Int)
                    }
                    true => self.returned_or_dropped(25, 0),
                };
                (ret, live)
            }
        };
        self.op("RETURN");
        let method_cost = std::mem::replace(&mut self.cost, cost);
        self.f = frame;
        self.chunks.push(std::mem::replace(&mut self.code, code));
        Method { name, params, ret, cost: method_cost, live, recursive: name == "down" }
    }

    // --- The main program ------------------------------------------------------------------

    /// Generates the main code and returns the whole program's source.
    fn main(&mut self) -> String {
        let n = 3 + self.rng.below(7);
        let before_hot = self.rng.below(n);
        let mut live = self.block(usize::MAX, before_hot);
        // A program meant to get hot has a hot loop at the top level (unless it failed
        // already, or the loop came out too big twice).
        for _ in 0..2 {
            if !live || !self.hot || self.hot_loops > 0 {
                break;
            }
            self.force_hot = true;
            live = self.compound(BODY_ROOM, |g| g.loop_stmt(BODY_ROOM));
            self.force_hot = false;
        }
        live = live && self.block(usize::MAX, n / 2 + 1);
        if live {
            if self.free() == 0 {
                self.value(Ty::Any, 0);
            }
            // Make the whole stack the result: NIL, then SWAP CONS for every slot.
            if self.f.stack.len() > 1 && self.rng.chance(60) {
                self.op("NIL");
                for _ in 0..self.f.stack.len() {
                    self.op("SWAP");
                    self.op("CONS");
                }
            }
        }
        let mut out = String::new();
        let (classes, hot) = (self.classes.len(), self.hot_loops);
        let fails = if self.risky { ", may fail" } else { "" };
        let _ = writeln!(out, "# generated: {classes} class(es), {hot} hot loop(s){fails}");
        if !self.chunks.is_empty() || self.counter_class_used || self.rng.chance(50) {
            self.op("RETURN");
        }
        if self.counter_class_used {
            // The counter class's method dec: self.n = self.n - 1.
            let main = std::mem::take(&mut self.code);
            self.label("Counter_dec");
            for (op, arg) in [("PUSHARG", ""), ("PUSHARG", ""), ("GETATTR", "n"), ("PUSH", "1")]
                .into_iter()
                .chain([("SUB", ""), ("SETATTR", "n"), ("RETURN", "")])
            {
                match arg {
                    "" => self.op(op),
                    _ => self.op1(op, arg),
                }
            }
            let chunk = std::mem::replace(&mut self.code, main);
            self.chunks.push(chunk);
        }
        for chunk in std::iter::once(&self.code).chain(&self.chunks) {
            for l in &chunk.lines {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    }

    // --- Statements ------------------------------------------------------------------------

    /// Up to `n` statements within `room` bytes; false if the block surely fails (is dead at
    /// its end).
    fn block(&mut self, room: usize, n: usize) -> bool {
        let start = self.code.pos;
        for _ in 0..n {
            let used = self.code.pos - start;
            if used + 24 > room {
                break;
            }
            if !self.stmt(room - used - 12) {
                return false;
            }
        }
        true
    }

    /// A block that leaves the stack as it found it: what it pushes it drops again, or stores
    /// into an unlocked slot below of the same type (a value carried around a loop).
    fn neutral(&mut self, room: usize, n: usize) -> bool {
        let base = std::mem::replace(&mut self.f.base, self.f.stack.len());
        let live = self.block(room.saturating_sub(8), n);
        if live {
            if let Some(t) = self.top(0) {
                let below = self.f.base;
                let targets: Vec<usize> = (0..below)
                    .filter(|&i| !self.f.stack[i].locked && fits(t, self.f.stack[i].ty))
                    .collect();
                if !targets.is_empty() && self.rng.chance(50) {
                    let target = self.rng.choose(&targets);
                    self.op1("PUT", self.f.stack.len() - 2 - target);
                    self.pop();
                }
            }
            self.pop_free();
        }
        self.f.base = base;
        live
    }

    /// One statement within `room` bytes; false if it surely fails.
    fn stmt(&mut self, room: usize) -> bool {
        #[derive(Clone, Copy)]
        enum S {
            Push,
            IntOp,
            Compare,
            ListOp,
            ObjOp,
            Shuffle,
            SetAttr,
            Send,
            If,
            IfValue,
            Loop,
            Call,
            CallAgain,
            Nop,
            MaybeFail,
            SureFail,
            FailLater,
            Polymorphic,
        }
        let k = self.free();
        let room = room.min(BODY_ROOM);
        let compound = room >= 40 && self.f.nest < 3;
        let poly = match (self.f.counters.is_empty(), self.f.main) {
            (false, _) => 3,
            (true, true) => 1,
            (true, false) => 0,
        };
        let weights: [(S, u32); 18] = [
            (S::Push, if k < 5 { 6 } else { 1 }),
            (S::IntOp, if self.top(0) == Some(Ty::Int) { 6 } else { 0 }),
            (S::Compare, if k >= 1 { 2 } else { 0 }),
            (S::ListOp, if k >= 1 { 3 } else { 0 }),
            (S::ObjOp, if k >= 1 { 2 } else { 0 }),
            (S::Shuffle, if k >= 1 { 2 + k as u32 } else { 0 }),
            (S::SetAttr, 2),
            (S::Send, 3),
            (S::If, if compound { 3 } else { 0 }),
            (S::IfValue, if compound { 2 } else { 0 }),
            (
                S::Loop,
                if compound && room >= 64 && self.f.nest < 2 { 3 + 2 * self.hot as u32 } else { 0 },
            ),
            (S::Call, if compound { 2 } else { 0 }),
            (S::CallAgain, if self.code.functions.is_empty() { 0 } else { 2 }),
            (S::Nop, 1),
            (S::MaybeFail, if self.risky { 2 } else { 0 }),
            (S::SureFail, if self.risky && self.f.nest > 0 { 1 } else { 0 }),
            (S::FailLater, if self.risky && !self.f.counters.is_empty() { 4 } else { 0 }),
            (S::Polymorphic, if compound { poly } else { 0 }),
        ];
        let w: Vec<u32> = weights.iter().map(|(_, w)| *w).collect();
        match weights[self.rng.weighted(&w)].0 {
            S::Push => {
                self.value(Ty::Any, 0);
            }
            S::IntOp => self.int_op(),
            S::Compare => {
                if k < 2 || self.rng.chance(50) {
                    self.value(Ty::Any, 1);
                }
                self.op_of(&["EQ", "NE"]);
                self.pop();
                self.pop();
                self.push(Ty::Int);
            }
            S::ListOp => self.list_op(),
            S::ObjOp => self.obj_op(),
            S::Shuffle => self.shuffle(),
            S::SetAttr => self.set_attr(),
            S::Send => return self.send(|_| true, 0, true) != Some(Err(())),
            S::If => return self.compound(room, |g| g.if_stmt(room)),
            S::IfValue => return self.compound(room, |g| g.if_value(room)),
            S::Loop => return self.compound(room, |g| g.loop_stmt(room)),
            S::Call => return self.compound(room, |g| g.call(room)),
            S::CallAgain => self.call_again(),
            S::Nop => self.op_of(&["NOP", "PRINT", "DUMP"]),
            S::MaybeFail => self.maybe_fail(),
            S::SureFail => {
                self.sure_fail();
                return false;
            }
            S::FailLater => self.fail_later(),
            S::Polymorphic => return self.compound(room, |g| g.polymorphic()),
        }
        true
    }

    /// A compound statement generated by `gen`, or nothing if it took more than `room` bytes
    /// or went over the budget. Every branch of a compound lies within it, so its offsets fit
    /// in a signed byte.
    fn compound(&mut self, room: usize, gen: impl FnOnce(&mut Gen) -> bool) -> bool {
        let snapshot = self.snapshot();
        let live = gen(self);
        if self.code.pos - snapshot.pos > room || self.cost > self.budget {
            self.restore(snapshot);
            return true;
        }
        live
    }

    /// An int operation on the int on top: with a second int (pushed if need be), an
    /// arithmetic operation or a comparison; or a division by a non-zero constant.
    fn int_op(&mut self) {
        if self.rng.chance(15) {
            let d = self.rng.choose(&[-7, -3, -2, -1, 1, 2, 3, 5, 10, 100]);
            self.op1("PUSH", d);
            self.op("DIV");
            return;
        }
        if self.top(1) != Some(Ty::Int) || self.rng.chance(40) {
            self.int_value(1);
        }
        let op = self
            .rng
            .choose(&["ADD", "ADD", "SUB", "SUB", "MUL", "EQ", "NE", "LT", "LE", "GT", "GE"]);
        self.op(op);
        self.pop();
        self.pop();
        self.push(Ty::Int);
    }

    /// A list operation on the top of the stack (or below it, for `CONS`).
    fn list_op(&mut self) {
        match (self.top(0), self.top(1)) {
            (Some(car), Some(Ty::List(n))) if self.rng.chance(60) => {
                self.op("CONS");
                self.pop();
                self.pop();
                self.push(if car == Ty::Int { Ty::List(n.saturating_add(1)) } else { Ty::Pair });
            }
            (Some(Ty::List(n)), _) => match self.rng.below(5) {
                0 if n > 0 => {
                    self.op("CAR");
                    self.pop();
                    self.push(Ty::Int);
                }
                1 if n > 0 => {
                    self.op("CDR");
                    self.pop();
                    self.push(Ty::List(n - 1));
                }
                2 if n > 0 => {
                    self.push_in(0, n as i64 - 1);
                    self.op("DIV");
                    self.pop();
                    self.push(Ty::Int);
                }
                3 => {
                    // A new list ++ top (see `fresh_list`).
                    let m = self.fresh_list(1);
                    self.op("SWAP");
                    self.op("ADD");
                    self.pop();
                    self.pop();
                    self.push(Ty::List(n.saturating_add(m)));
                }
                _ => {
                    self.int_value(1);
                    self.op("CONS");
                    self.pop();
                    self.pop();
                    self.push(Ty::List(n.saturating_add(1)));
                }
            },
            (Some(Ty::Pair), _) => {
                self.op_of(&["CAR", "CDR"]);
                self.pop();
                self.push(Ty::Any);
            }
            _ => {
                // Something consed onto a list.
                self.list_value(0, 1);
                self.op("SWAP");
                self.op("CONS");
                let Ty::List(n) = self.pop() else { unreachable!() };
                let car = self.pop();
                self.push(if car == Ty::Int { Ty::List(n.saturating_add(1)) } else { Ty::Pair });
            }
        }
    }

    /// An attribute read of the object on top, or a comparison of it.
    fn obj_op(&mut self) {
        match self.top(0) {
            Some(Ty::Obj(c)) => {
                let (a, ty) = self.rng.choose(&self.classes[c].attrs);
                self.op1("GETATTR", a);
                self.pop();
                self.push(ty);
            }
            Some(Ty::SomeObj(_)) => {
                self.op1("GETATTR", "x");
                self.pop();
                self.push(Ty::Int);
            }
            Some(Ty::Counter) => {
                self.op1("GETATTR", "n");
                self.pop();
                self.push(Ty::Int);
            }
            _ => {
                self.op1("PICK", 0);
                self.op("EQ");
                self.pop();
                self.push(Ty::Int);
            }
        }
    }

    /// `POP`, `SWAP`, `ROLL` or `PUT` within the free region (`PUT` also below it, with a
    /// value of the slot's type).
    fn shuffle(&mut self) {
        let k = self.free();
        let len = self.f.stack.len();
        match self.rng.below(5) {
            1 if k >= 2 => {
                self.op("SWAP");
                self.f.stack.swap(len - 1, len - 2);
            }
            2 if k >= 2 => {
                let r = self.rng.range(2, k as i64);
                if self.rng.chance(50) {
                    self.op1("ROLL", r);
                    let x = self.f.stack.remove(len - r as usize);
                    self.f.stack.push(x);
                } else {
                    self.op1("ROLL", -r);
                    let x = self.f.stack.pop().unwrap();
                    self.f.stack.insert(len - r as usize, x);
                }
            }
            3 if k >= 2 => {
                let x = self.f.stack[len - 1].ty;
                let targets: Vec<usize> = (0..len - 1)
                    .filter(|&i| {
                        let s = self.f.stack[i];
                        i >= self.f.base || (!s.locked && fits(x, s.ty))
                    })
                    .collect();
                let t = self.rng.choose(&targets);
                match self.python_indexes && self.rng.chance(25) {
                    true => self.op1("PUT", -1 - t as i64),
                    false => self.op1("PUT", len - 2 - t),
                }
                self.pop();
                if t >= self.f.base {
                    self.f.stack[t].ty = x;
                }
            }
            4 => {
                // A no-op.
                let r = self.rng.range(-1, 1);
                self.op1("ROLL", r);
            }
            _ => {
                self.op("POP");
                self.pop();
            }
        }
    }

    /// `obj.a = value` for an object in the frame and one of its attributes.
    fn set_attr(&mut self) {
        let Some(slot) = self.choose_slot(|t| matches!(t, Ty::Obj(_) | Ty::SomeObj(_))) else {
            let c = match self.classes.len() {
                0 => return,
                n => self.rng.below(n),
            };
            self.obj_value(c, 1);
            self.op1("PICK", 0);
            self.push(Ty::Obj(c));
            self.int_value(1);
            self.op1("SETATTR", "x");
            self.pop();
            self.pop();
            return;
        };
        let (a, ty) = match self.f.stack[slot].ty {
            Ty::Obj(c) => self.rng.choose(&self.classes[c].attrs),
            _ => ("x", Ty::Int),
        };
        self.pick(slot);
        self.value(ty, 1);
        self.op1("SETATTR", a);
        self.pop();
        self.pop();
    }

    /// Sends a method whose result satisfies `want` to an object of the frame or a new one:
    /// `None` if there is none to send (within the budget), `Some(Ok(result))` when sent,
    /// `Some(Err(()))` when the method surely fails (only if `dead_ok`).
    fn send(
        &mut self,
        want: impl Fn(Option<Ty>) -> bool,
        depth: u32,
        dead_ok: bool,
    ) -> Option<Result<Option<Ty>, ()>> {
        // (receiver slot or None for a new instance, class, method index)
        let mut candidates = vec![];
        let mult = self.f.mult;
        for (pos, s) in self.f.stack.iter().enumerate() {
            match s.ty {
                Ty::Obj(c) => candidates
                    .extend((0..self.classes[c].methods.len()).map(|m| (Some(pos), c, m, false))),
                Ty::SomeObj(c) => candidates.push((Some(pos), c, 0, true)),
                _ => {}
            }
        }
        for c in 0..self.classes.len() {
            candidates.extend((0..self.classes[c].methods.len()).map(|m| (None, c, m, false)));
        }
        let rem = self.remaining();
        candidates.retain(|&(_, c, m, some)| {
            // First may_send: a class's methods after the one being generated do not exist.
            if !self.may_send(c, m) {
                return false;
            }
            let method = &self.classes[c].methods[m];
            (method.live || dead_ok || some)
                && want(method.ret)
                && mult * (self.send_cost(c, m, some) + 8) <= rem
        });
        if candidates.is_empty() {
            return None;
        }
        let (receiver, c, m, some) = self.rng.choose(&candidates);
        let mut method = self.classes[c].methods[m].clone();
        method.cost = self.send_cost(c, m, some);
        match receiver {
            Some(pos) => self.pick(pos),
            None => {
                self.obj_value(c, depth + 1);
            }
        }
        let mut factor = 1;
        for &p in &method.params {
            if method.recursive {
                // The recursion depth: a small constant, or the input at the top level.
                // (Saturating: an extreme input must not wrap around to a small cost.)
                let deep = mult.saturating_mul(method.cost).saturating_mul(self.max_input + 1);
                let input_ok = self.f.main && deep <= rem;
                if input_ok && self.rng.chance(30) {
                    self.op("PUSHARG");
                    factor = self.max_input + 1;
                } else {
                    let n = self.rng.range(-1, 12);
                    self.op1("PUSH", n);
                    factor = n.max(0) as u64 + 1;
                }
                self.push(Ty::Int);
            } else {
                self.value(p, depth + 1);
            }
        }
        self.emit(format!("SEND {}/{}", method.name, method.params.len()), 3);
        for _ in 0..=method.params.len() {
            self.pop();
        }
        self.cost += mult * method.cost * factor;
        // A method that surely fails, unless another class may answer (an object of some
        // class, which maybe fails).
        if !method.live && !some {
            return Some(Err(()));
        }
        if let Some(t) = method.ret {
            self.push(t);
        }
        Some(Ok(method.ret))
    }

    /// The cost of sending method `m` of class `c`, or (`some`) `v` to an object of some
    /// class up to `c`.
    fn send_cost(&self, c: usize, m: usize, some: bool) -> u64 {
        match some {
            true => self.classes[..=c].iter().map(|k| k.methods[0].cost).max().unwrap_or(0),
            false => self.classes[c].methods[m].cost,
        }
    }

    /// `if cond then A else B` (or without else), each branch leaving the stack as it was; in
    /// the main frame, a branch may end the program with `RETURN`.
    fn if_stmt(&mut self, room: usize) -> bool {
        let before = self.f.stack.clone();
        self.condition();
        self.pop();
        let (then, end) = (self.fresh_label(), self.fresh_label());
        let branch = (room - 16) / 2;
        self.f.nest += 1;
        let (else_live, then_nop) = match self.rng.below(4) {
            0 => {
                self.op1("BR_COND", &then);
                self.op1("BR", &end);
                (true, false)
            }
            1 => {
                // Through BR_COND_STK: `PUSH label` jumps to label + 1, hence the NOP there.
                self.op1("PUSH", &then);
                self.op("BR_COND_STK");
                let live = self.neutral(branch, 3);
                self.op1("BR", &end);
                (live, true)
            }
            _ => {
                self.op1("BR_COND", &then);
                let live = self.neutral(branch, 3);
                self.op1("BR", &end);
                (live, false)
            }
        };
        self.f.stack.clone_from(&before);
        self.label(&then);
        if then_nop {
            self.op("NOP");
        }
        let mut then_live = self.neutral(branch, 3);
        if then_live && self.f.main && self.rng.chance(12) {
            self.value(Ty::Any, 1);
            self.op("RETURN");
            then_live = false;
        }
        self.label(&end);
        self.f.nest -= 1;
        self.f.stack = before;
        else_live || then_live
    }

    /// `cond ? A : B`: one value whose type is what both branches agree on.
    fn if_value(&mut self, room: usize) -> bool {
        self.condition();
        self.pop();
        let (then, end) = (self.fresh_label(), self.fresh_label());
        let branch = (room - 16) / 2;
        let want = match self.rng.chance(50) {
            true => Some(self.rng.choose(&[Ty::Int, Ty::List(0), Ty::Any])),
            false => None,
        };
        self.f.nest += 1;
        let arm = |g: &mut Gen| -> Option<Ty> {
            let live = g.neutral(branch.saturating_sub(16), 2);
            live.then(|| g.value(want.unwrap_or(Ty::Any), 1)).inspect(|_| {
                g.pop();
            })
        };
        self.op1("BR_COND", &then);
        let before = self.f.stack.clone();
        let b = arm(self);
        self.op1("BR", &end);
        self.label(&then);
        self.f.stack.clone_from(&before);
        let a = arm(self);
        self.label(&end);
        self.f.nest -= 1;
        self.f.stack = before;
        match (a, b) {
            (Some(a), Some(b)) => self.push(merge(a, b)),
            (Some(t), None) | (None, Some(t)) => self.push(t),
            (None, None) => return false,
        }
        true
    }

    /// Pushes a value to branch on: any value (its truth), a comparison of ints, or the
    /// parity of a loop counter (which alternates the branch taken in a loop).
    fn condition(&mut self) {
        match self.rng.below(4) {
            0 => {
                self.value(Ty::Any, 1);
            }
            1 if !self.f.counters.is_empty() || self.f.main => self.alternating_condition(),
            _ => {
                self.int_value(1);
                self.int_value(1);
                self.op_of(&["EQ", "NE", "LT", "LE", "GT", "GE"]);
                self.pop();
                self.pop();
                self.push(Ty::Int);
            }
        }
    }

    /// Pushes whether a loop counter (or else the input) is a multiple of 2 or 3: a condition
    /// that changes from one iteration (or input) to the next.
    fn alternating_condition(&mut self) {
        let counter = match self.f.counters.is_empty() {
            true => None,
            false => Some(self.rng.choose(&self.f.counters)),
        };
        let value = |g: &mut Gen| match counter {
            Some(c) => g.counter_value(c),
            None => {
                g.op("PUSHARG");
                g.push(Ty::Int);
            }
        };
        let d = self.rng.choose(&[2, 3]);
        value(self);
        self.op1("PUSH", d);
        self.op("DIV");
        self.op1("PUSH", d);
        self.op("MUL");
        value(self);
        self.op("EQ");
        self.pop();
        self.pop();
        self.push(Ty::Int);
    }

    /// A polymorphic site: a value whose type alternates with a loop counter or the input
    /// (objects of two classes, or an int and a list, ...), then an operation on it, so that
    /// the JIT's promotions see a new class at the same place in compiled code.
    fn polymorphic(&mut self) -> bool {
        if !self.f.main && self.f.counters.is_empty() {
            return true;
        }
        let nclasses = self.classes.len();
        let (a, b) = match self.rng.below(4) {
            0 | 1 if nclasses > 0 => {
                (Ty::Obj(self.rng.below(nclasses)), Ty::Obj(self.rng.below(nclasses)))
            }
            2 => (Ty::List(1), Ty::List(0)),
            _ => (Ty::Int, self.rng.choose(&[Ty::List(0), Ty::Pair, Ty::Int])),
        };
        let (then, end) = (self.fresh_label(), self.fresh_label());
        self.alternating_condition();
        self.pop();
        self.op1("BR_COND", &then);
        let a = self.value(a, 1);
        self.pop();
        self.op1("BR", &end);
        self.label(&then);
        let b = self.value(b, 1);
        self.pop();
        self.label(&end);
        let ty = merge(a, b);
        self.push(ty);
        match ty {
            Ty::SomeObj(k) if self.rng.chance(60) => {
                let cost = self.send_cost(k, 0, true);
                if self.may_send(k, 0) && self.f.mult * (cost + 8) <= self.remaining() {
                    self.emit("SEND v/0".into(), 3);
                    self.cost += self.f.mult * cost;
                } else {
                    self.op1("GETATTR", "x");
                }
                self.pop();
                self.push(Ty::Int);
            }
            Ty::SomeObj(k) => {
                self.op1("PICK", 0);
                self.push(Ty::SomeObj(k));
                self.int_value(2);
                self.op1("SETATTR", "x");
                self.pop();
                self.pop();
            }
            Ty::List(_) => {
                self.int_value(2);
                self.op("CONS");
                self.pop();
                self.pop();
                self.push(Ty::List(1));
            }
            Ty::Int => self.int_op(),
            _ => match self.rng.below(3) {
                0 => self.list_op(),
                1 => {
                    self.value(Ty::Any, 2);
                    self.op_of(&["EQ", "NE"]);
                    self.pop();
                    self.pop();
                    self.push(Ty::Int);
                }
                _ if self.risky => self.maybe_fail_on_top(),
                _ => {
                    self.op1("PUSH", 0);
                    self.op("EQ");
                    self.pop();
                    self.push(Ty::Int);
                }
            },
        }
        true
    }

    /// Pushes the current value of a loop counter.
    fn counter_value(&mut self, c: LoopCounter) {
        self.pick(c.slot);
        if c.in_object {
            self.op1("GETATTR", "n");
            self.pop();
            self.push(Ty::Int);
        }
    }

    /// A bounded loop, or nothing if it would cost too much. Three shapes, their counters
    /// locked: an int on the stack counting down to 0; an int counting up to a limit (both on
    /// the stack); the attribute `n` of a `Counter` object counting down (decremented inline
    /// or by its method `dec`). The head tests the counter (`PICK 0; BR_COND` when it cannot
    /// be negative, else a comparison) and branches into the body or out of the loop; the back
    /// edge is `BR`, `PUSH 1; BR_COND` or `PUSH 1; PUSH head; BR_COND_STK`. The body leaves the
    /// stack as it found it ([`Gen::neutral`]).
    fn loop_stmt(&mut self, room: usize) -> bool {
        let rem = self.remaining();
        // The count: a small constant, the input, or a constant product long enough to get
        // hot; `nonneg` if it cannot be negative.
        let hot_ok = self.hot && self.f.mult == 1 && rem >= 20_000;
        let input_ok = self.f.main && self.f.mult == 1 && self.max_input.saturating_mul(12) <= rem;
        let source = match self.force_hot {
            true if input_ok && self.max_input >= 1000 && self.rng.chance(40) => 1,
            true => 2,
            false => self.rng.weighted(&[3, 2 * input_ok as u32, 4 * hot_ok as u32]),
        };
        let count = match source {
            0 => Count::Const(self.rng.range(0, 12)),
            1 => Count::Input,
            _ => Count::Product(self.rng.range(20, 30), self.rng.range(50, 60)),
        };
        let (max, nonneg) = match count {
            Count::Const(n) => (n as u64, true),
            Count::Input => (self.max_input, false),
            Count::Product(a, b) => ((a * b) as u64, true),
        };
        let emit_count = |g: &mut Gen| match count {
            Count::Const(n) => g.op1("PUSH", n),
            Count::Input => g.op("PUSHARG"),
            Count::Product(a, b) => {
                g.op1("PUSH", a);
                g.op1("PUSH", b);
                g.op("MUL");
            }
        };
        if self.f.mult.saturating_mul(max + 1).saturating_mul(12) > rem {
            return true;
        }
        if max >= 1000 {
            self.hot_loops += 1;
        }
        let (head, body, exit) = (self.fresh_label(), self.fresh_label(), self.fresh_label());
        let via_stk = self.rng.chance(25);
        let form = self.rng.below(3);
        let counted_from = self.f.stack.len();
        // Set up the counter(s); the loop head.
        let counter = match form {
            // Counting down on the stack.
            0 => {
                emit_count(self);
                self.f.stack.push(Slot { ty: Ty::Int, locked: true });
                LoopCounter { slot: counted_from, max, in_object: false, up: false }
            }
            // Counting up to a limit on the stack.
            1 => {
                emit_count(self);
                self.op1("PUSH", 0);
                self.f.stack.push(Slot { ty: Ty::Int, locked: true });
                self.f.stack.push(Slot { ty: Ty::Int, locked: true });
                LoopCounter { slot: counted_from + 1, max, in_object: false, up: true }
            }
            // Counting down in a Counter object.
            _ => {
                self.counter_class_used = true;
                self.news += 1;
                self.op1("NEW", "n,dec=Counter_dec");
                self.op1("PICK", 0);
                emit_count(self);
                self.op1("SETATTR", "n");
                self.f.stack.push(Slot { ty: Ty::Counter, locked: true });
                LoopCounter { slot: counted_from, max, in_object: true, up: false }
            }
        };
        let outer = (self.f.base, self.f.mult);
        self.f.base = self.f.stack.len();
        self.f.mult *= max.max(1);
        self.f.nest += 1;
        self.f.counters.push(counter);
        self.label(&head);
        if via_stk {
            self.op("NOP");
        }
        let len = self.f.stack.len();
        let guard_exit = self.rng.chance(30);
        match form {
            0 => {
                self.op1("PICK", 0);
                if !nonneg || guard_exit || self.rng.chance(50) {
                    self.op1("PUSH", 0);
                    self.op(if guard_exit { "LE" } else { "GT" });
                }
            }
            1 => match self.rng.chance(50) {
                true => {
                    self.op1("PICK", 0);
                    self.op1("PICK", 2);
                    self.op(if guard_exit { "GE" } else { "LT" });
                }
                false => {
                    self.op1("PICK", 1);
                    self.op1("PICK", 1);
                    self.op(if guard_exit { "LE" } else { "GT" });
                }
            },
            _ => {
                self.op1("PICK", 0);
                self.op1("GETATTR", "n");
                self.op1("PUSH", 0);
                self.op(if guard_exit { "LE" } else { "GT" });
            }
        }
        if guard_exit {
            self.op1("BR_COND", &exit);
        } else {
            self.op1("BR_COND", &body);
            self.op1("BR", &exit);
        }
        self.label(&body);
        match form {
            0 => {
                self.op1("PUSH", 1);
                self.op("SUB");
            }
            1 => {}
            _ if self.rng.chance(50) => {
                self.op1("PICK", 0);
                self.emit("SEND dec/0".into(), 3);
                self.cost += self.f.mult * 8;
            }
            _ => {
                for i in ["PICK 0", "PICK 0", "GETATTR n", "PUSH 1", "SUB", "SETATTR n"] {
                    let size = if i.contains(' ') { 2 } else { 1 };
                    self.emit(i.into(), size);
                }
            }
        }
        let n = 1 + self.rng.below(4);
        let at_body = self.f.stack.clone();
        let live = self.neutral(room - 48, n);
        if live {
            assert_eq!(self.f.stack.len(), len);
        }
        self.f.stack = at_body;
        if form == 1 {
            self.op1("PUSH", 1);
            self.op("ADD");
        }
        match (via_stk, self.rng.chance(50)) {
            (true, _) => {
                self.op1("PUSH", 1);
                self.op1("PUSH", &head);
                self.op("BR_COND_STK");
            }
            (false, true) => self.op1("BR", &head),
            (false, false) => {
                self.op1("PUSH", 1);
                self.op1("BR_COND", &head);
            }
        }
        self.label(&exit);
        self.f.counters.pop();
        self.f.nest -= 1;
        (self.f.base, self.f.mult) = outer;
        while self.f.stack.len() > counted_from {
            self.f.stack.pop();
            self.op("POP");
        }
        true
    }

    /// Calls a function defined right here (`CALL f; BR after; f: ...; RETURN; after:`).
    fn call(&mut self, room: usize) -> bool {
        let (f, after) = (self.fresh_label(), self.fresh_label());
        self.op1("CALL", &f);
        self.op1("BR", &after);
        self.label(&f);
        let pos = self.code.pos;
        let mult = self.f.mult;
        let inner = Frame::new(false, self.f.sender, vec![Ty::Int], mult);
        let frame = std::mem::replace(&mut self.f, inner);
        self.f.nest = frame.nest + 1;
        let cost = self.cost;
        let n = 1 + self.rng.below(3);
        let live = self.block(room - 8, n);
        let ret = match live {
            false => None,
            true => self.returned_or_dropped(20, 1),
        };
        self.op("RETURN");
        let fcost = (self.cost - cost) / mult;
        self.f = frame;
        self.label(&after);
        if !live {
            return false;
        }
        self.code.functions.push(Function { label: f, pos, ret, cost: fcost });
        if let Some(t) = ret {
            self.push(t);
        }
        true
    }

    /// Calls again a function defined earlier within reach.
    fn call_again(&mut self) {
        let (pos, rem, mult) = (self.code.pos, self.remaining(), self.f.mult);
        let near: Vec<Function> = self
            .code
            .functions
            .iter()
            .filter(|f| pos - f.pos <= 120 && mult * (f.cost + 2) <= rem)
            .cloned()
            .collect();
        if near.is_empty() {
            return;
        }
        let f = near[self.rng.below(near.len())].clone();
        self.op1("CALL", &f.label);
        self.cost += mult * f.cost;
        if let Some(t) = f.ret {
            self.push(t);
        }
    }

    // --- Values ----------------------------------------------------------------------------

    /// Pushes a value that fits `want` and returns its type; `depth` bounds nesting.
    fn value(&mut self, want: Ty, depth: u32) -> Ty {
        match want {
            Ty::Int => self.int_value(depth),
            Ty::List(n) => self.list_value(n, depth),
            Ty::Obj(c) => self.obj_value(c, depth),
            Ty::SomeObj(k) => {
                let c = self.rng.below(k + 1);
                self.obj_value(c, depth)
            }
            Ty::Pair => {
                // An improper pair: (car . int).
                self.int_value(depth + 1);
                let car = self.value(Ty::Any, depth + 1);
                let _ = car;
                self.op("CONS");
                self.pop();
                self.pop();
                self.push(Ty::Pair);
                Ty::Pair
            }
            Ty::Counter => unreachable!("counters are made by loops only"),
            Ty::Any => {
                let has_classes = !self.classes.is_empty();
                let pick_ok = !self.f.stack.is_empty();
                let choice = self.rng.weighted(&[
                    9,
                    4,
                    if has_classes && depth < 3 { 3 } else { 0 },
                    if pick_ok { 3 } else { 0 },
                    if depth < 2 { 1 } else { 0 },
                ]);
                match choice {
                    0 => self.int_value(depth),
                    1 => self.list_value(0, depth),
                    2 => {
                        let c = self.rng.below(self.classes.len());
                        self.obj_value(c, depth)
                    }
                    3 => {
                        let pos = self.rng.below(self.f.stack.len());
                        self.pick(pos);
                        self.f.stack[pos].ty
                    }
                    _ => self.value(Ty::Pair, depth),
                }
            }
        }
    }

    /// Pushes an int.
    fn int_value(&mut self, depth: u32) -> Ty {
        let deep = depth < 2;
        loop {
            let choice = self.rng.weighted(&[6, 1, 4, 2, 2, 1, 2, 3, 1, 1, 1]);
            match choice {
                0 => self.push_in(-3, 12),
                1 => self.push_in(-128, 127),
                2 => {
                    let Some(pos) = self.choose_slot(|t| t == Ty::Int) else { continue };
                    self.pick(pos);
                    return Ty::Int;
                }
                3 => {
                    let ints: Vec<usize> =
                        (0..self.f.args.len()).filter(|&i| self.f.args[i] == Ty::Int).collect();
                    if ints.is_empty() {
                        continue;
                    }
                    match self.rng.choose(&ints) {
                        0 => self.op("PUSHARG"),
                        i if self.rng.chance(20) => {
                            self.op1("PUSHARGN", i as i64 - self.f.args.len() as i64)
                        }
                        i => self.op1("PUSHARGN", i),
                    }
                }
                4 => {
                    let Some(pos) = self.choose_slot(|t| matches!(t, Ty::Obj(_) | Ty::SomeObj(_)))
                    else {
                        continue;
                    };
                    let a = match self.f.stack[pos].ty {
                        Ty::Obj(c) => {
                            let ints: Vec<&str> = self.classes[c]
                                .attrs
                                .iter()
                                .filter(|(_, t)| *t == Ty::Int)
                                .map(|(a, _)| *a)
                                .collect();
                            self.rng.choose(&ints)
                        }
                        _ => "x",
                    };
                    self.pick(pos);
                    self.op1("GETATTR", a);
                    self.pop();
                }
                5 => {
                    let Some(pos) = self.choose_slot(|t| t == Ty::Counter) else { continue };
                    self.pick(pos);
                    self.op1("GETATTR", "n");
                    self.pop();
                }
                6 if deep => match self.send(|r| r == Some(Ty::Int), depth, false) {
                    Some(Ok(_)) => return Ty::Int,
                    _ => continue,
                },
                7 if deep => {
                    self.int_value(depth + 1);
                    self.int_value(depth + 1);
                    let ops = ["ADD", "SUB", "MUL", "ADD", "LT", "EQ", "GE"];
                    self.op_of(&ops);
                    self.pop();
                    self.pop();
                }
                8 if deep => {
                    self.int_value(depth + 1);
                    let d = self.rng.choose(&[-4, -1, 2, 3, 7]);
                    self.op1("PUSH", d);
                    self.op("DIV");
                    self.pop();
                }
                9 => {
                    let Some(pos) = self.choose_slot(|t| matches!(t, Ty::List(n) if n > 0)) else {
                        continue;
                    };
                    let Ty::List(n) = self.f.stack[pos].ty else { unreachable!() };
                    self.pick(pos);
                    self.pop();
                    match self.rng.chance(50) {
                        true => self.op("CAR"),
                        false => {
                            self.push_in(0, n as i64 - 1);
                            self.op("DIV");
                        }
                    }
                }
                10 if deep => {
                    // The length of a list, by a loop? No: a new object's attribute.
                    if self.classes.is_empty() {
                        continue;
                    }
                    let c = self.rng.below(self.classes.len());
                    self.obj_value(c, depth + 1);
                    self.op1("GETATTR", "x");
                    self.pop();
                }
                _ => continue,
            }
            self.push(Ty::Int);
            return Ty::Int;
        }
    }

    /// Pushes a proper list of ints with at least `n` cells; returns its type.
    fn list_value(&mut self, n: u8, depth: u32) -> Ty {
        let deep = depth < 2;
        loop {
            let ty = match self.rng.weighted(&[4, 3, 2, 1, 1, 1]) {
                0 if n == 0 => {
                    self.op("NIL");
                    Ty::List(0)
                }
                1 => {
                    let Some(pos) = self.choose_slot(|t| matches!(t, Ty::List(m) if m >= n)) else {
                        continue;
                    };
                    self.pick(pos);
                    self.pop()
                }
                2 if deep || n > 0 => {
                    let Ty::List(m) = self.list_value(n.saturating_sub(1), depth + 1) else {
                        unreachable!()
                    };
                    self.int_value(depth + 1);
                    self.op("CONS");
                    self.pop();
                    self.pop();
                    Ty::List(m.saturating_add(1))
                }
                3 if deep && n == 0 => {
                    let a = self.fresh_list(depth + 1);
                    let Ty::List(b) = self.list_value(0, depth + 1) else { unreachable!() };
                    self.op("ADD");
                    self.pop();
                    self.pop();
                    Ty::List(a.saturating_add(b))
                }
                4 => {
                    let Some(pos) = self.choose_slot(|t| matches!(t, Ty::List(m) if m > n)) else {
                        continue;
                    };
                    let Ty::List(m) = self.f.stack[pos].ty else { unreachable!() };
                    self.pick(pos);
                    self.pop();
                    self.op("CDR");
                    Ty::List(m - 1)
                }
                5 if n == 0 => {
                    let found = self.slots(|t| matches!(t, Ty::Obj(_))).into_iter().find_map(|p| {
                        let Ty::Obj(c) = self.f.stack[p].ty else { unreachable!() };
                        let a = self.classes[c].attrs.iter().find(|(_, t)| *t == Ty::List(0))?;
                        Some((p, a.0))
                    });
                    let Some((pos, a)) = found else { continue };
                    self.pick(pos);
                    self.pop();
                    self.op1("GETATTR", a);
                    Ty::List(0)
                }
                _ => continue,
            };
            self.push(ty);
            return ty;
        }
    }

    /// Pushes a list built here (`NIL`, then `CONS`es of ints) and returns its length: the
    /// list copied by a concatenation (`b` of `b ++ a`), so that a list carried around a loop
    /// grows by a few cells an iteration, not twice its length.
    fn fresh_list(&mut self, depth: u32) -> u8 {
        self.op("NIL");
        self.push(Ty::List(0));
        let n = self.rng.below(if depth < 2 { 3 } else { 2 });
        for _ in 0..n {
            self.int_value(2);
            self.op("CONS");
            self.pop();
            self.pop();
            self.push(Ty::List(0));
        }
        let Some(last) = self.f.stack.last_mut() else { unreachable!() };
        last.ty = Ty::List(n as u8);
        n as u8
    }

    /// Pushes an instance of class `c`: one in the frame, or a new one with its attributes
    /// set to values of their types.
    fn obj_value(&mut self, c: usize, depth: u32) -> Ty {
        if let Some(pos) = self.choose_slot(|t| t == Ty::Obj(c)) {
            if self.rng.chance(50) || self.news > 80 {
                self.pick(pos);
                return Ty::Obj(c);
            }
        }
        self.news += 1;
        let descr = self.classes[c].descr.clone();
        self.op1("NEW", descr);
        self.push(Ty::Obj(c));
        let attrs = self.classes[c].attrs.clone();
        for (a, ty) in attrs {
            if matches!(ty, Ty::List(0) | Ty::Any) && self.rng.chance(60) {
                continue; // nil is fine
            }
            self.op1("PICK", 0);
            self.push(Ty::Obj(c));
            self.value(ty, depth + 1);
            self.op1("SETATTR", a);
            self.pop();
            self.pop();
        }
        Ty::Obj(c)
    }

    // --- Failures --------------------------------------------------------------------------

    /// An operation that may fail, whose result has a known type when it does not.
    fn maybe_fail(&mut self) {
        let any_slot = self.choose_slot(|t| matches!(t, Ty::Any | Ty::Pair));
        match self.rng.below(7) {
            0 => {
                // Division by any int.
                self.int_value(1);
                self.int_value(1);
                self.op("DIV");
                self.pop();
                self.pop();
                self.push(Ty::Int);
            }
            1 => {
                // Any element of a list.
                self.list_value(0, 1);
                self.int_value(1);
                self.op("DIV");
                self.pop();
                self.pop();
                self.push(Ty::Int);
            }
            2 => {
                self.list_value(0, 1);
                self.pop();
                match self.rng.chance(50) {
                    true => {
                        self.op("CAR");
                        self.push(Ty::Int);
                    }
                    false => {
                        self.op("CDR");
                        self.push(Ty::List(0));
                    }
                }
            }
            3 => {
                self.int_value(1);
                self.pick_or_value(any_slot);
                self.op_of(&["ADD", "SUB", "LT", "GE"]);
                self.pop();
                self.pop();
                self.push(Ty::Int);
            }
            4 => {
                self.pick_or_value(any_slot);
                self.op1("GETATTR", "x");
                self.pop();
                self.push(Ty::Int);
            }
            5 if self.f.main => {
                // Any value's v (or a KeyError/TypeError); only from main, where every method
                // may be sent.
                self.pick_or_value(any_slot);
                self.emit("SEND v/0".into(), 3);
                self.pop();
                self.push(Ty::Int);
            }
            _ => {
                self.pick_or_value(any_slot);
                self.op("CAR");
                self.pop();
                self.push(Ty::Any);
            }
        }
    }

    /// An operation on the value on top, of any type, that may fail.
    fn maybe_fail_on_top(&mut self) {
        self.pop();
        match self.rng.below(3) {
            0 => {
                self.push(Ty::Any);
                self.int_value(2);
                self.op_of(&["ADD", "SUB", "MUL", "LT"]);
                self.pop();
                self.pop();
                self.push(Ty::Int);
            }
            1 => {
                self.op1("GETATTR", "x");
                self.push(Ty::Int);
            }
            _ => {
                self.op("CAR");
                self.push(Ty::Any);
            }
        }
    }

    /// Pushes the slot `pos` if any, else any value.
    fn pick_or_value(&mut self, pos: Option<usize>) {
        match pos {
            Some(pos) => self.pick(pos),
            None => {
                self.value(Ty::Any, 1);
            }
        }
    }

    /// An operation that surely fails with a TLC error, then `INVALID`, in case it did not
    /// (a generator bug): the code after it was generated as unreachable, so running it could
    /// loop forever. The tracked state is meaningless after it.
    fn sure_fail(&mut self) {
        self.failing_op();
        self.emit("INVALID  # not reached: the instruction before fails".into(), 1);
    }

    /// The operation of [`Gen::sure_fail`].
    fn failing_op(&mut self) {
        let len = self.f.stack.len() as i64;
        let obj = self.choose_slot(|t| matches!(t, Ty::Obj(_)));
        match self.rng.below(17) {
            0 => {
                self.int_value(1);
                self.op1("PUSH", 0);
                self.op("DIV");
            }
            1 => {
                self.op("NIL");
                self.push(Ty::List(0));
                self.int_value(1);
                self.op("ADD");
            }
            2 => {
                self.int_value(1);
                self.list_value(0, 1);
                self.op("ADD");
            }
            3 => {
                self.list_value(0, 1);
                self.int_value(1);
                self.op_of(&["SUB", "MUL", "LT", "GE"]);
            }
            4 => {
                self.int_value(1);
                self.op_of(&["CAR", "CDR"]);
            }
            5 => {
                self.op("NIL");
                self.op1("PUSH", 0);
                self.op("DIV");
            }
            6 => {
                match obj {
                    Some(pos) => self.pick(pos),
                    None => self.op1("NEW", "y"),
                }
                let name = self.rng.choose(&["n", "nope"]);
                self.op1("GETATTR", name);
            }
            7 => {
                match obj {
                    Some(pos) => self.pick(pos),
                    None => self.op1("NEW", "x"),
                }
                self.op1("PUSH", 1);
                self.op1("SETATTR", "nope");
            }
            8 => {
                match obj {
                    Some(pos) => self.pick(pos),
                    None => self.op1("NEW", "x"),
                }
                self.emit("SEND nope/0".into(), 3);
            }
            9 => {
                self.int_value(1);
                match self.rng.chance(50) {
                    true => self.emit("SEND v/0".into(), 3),
                    false => self.op1("GETATTR", "x"),
                }
            }
            // (Arguments are signed bytes: a deeper stack would wrap them around.)
            10 if len < 127 => self.op1("PICK", len),
            11 => self.op1("PUSHARGN", self.f.args.len()),
            12 if len < 127 => self.op1("ROLL", (len + 1).max(2)),
            13 => self.op1("NEW", -128),
            14 => {
                self.op1("PUSH", 1);
                self.op("NIL");
                self.op("BR_COND_STK");
            }
            15 => self.op("INVALID"),
            _ if len <= 2 => {
                for _ in 0..=len {
                    self.op("POP");
                }
            }
            _ => self.op("INVALID"),
        }
    }

    /// `if <loop counter reaches t> then <sure failure>`: fails after some iterations, from
    /// compiled code in a hot loop.
    fn fail_later(&mut self) {
        let before = self.f.stack.clone();
        let c = self.rng.choose(&self.f.counters);
        self.counter_value(c);
        let t = self.rng.range(0, c.max as i64);
        if t <= 127 {
            self.op1("PUSH", t);
        } else {
            let a = self.rng.choose(&[10, 25, 50]);
            self.op1("PUSH", a);
            self.op1("PUSH", (t / a).min(127));
            self.op("MUL");
        }
        // Reached after max - t iterations (or t, counting up).
        self.op_of(if c.up { &["EQ", "GE"] } else { &["EQ", "LT"] });
        self.pop();
        let (fail, ok) = (self.fresh_label(), self.fresh_label());
        self.op1("BR_COND", &fail);
        self.op1("BR", &ok);
        self.label(&fail);
        self.sure_fail();
        self.label(&ok);
        self.f.stack = before;
    }
}

// ---------------------------------------------------------------------------------------------
// Running.

/// The JIT on LLVM compiling at the first visit of every bytecode position (`--jit-hot 1`).
fn eager() -> &'static Interpreter {
    static EAGER: OnceLock<Interpreter> = OnceLock::new();
    EAGER.get_or_init(|| {
        let mut interp = Interpreter::compile().unwrap_or_else(|e| panic!("{e}"));
        interp.set_jit_hot(1);
        interp
    })
}

/// The modes compared with llinterp, by the name the report uses, and how to run them.
fn modes() -> [(&'static str, &'static Interpreter, Mode); 4] {
    let shared = Interpreter::get();
    [
        ("translated", shared, Mode::Translated),
        ("jit", shared, Mode::Jit),
        ("jit --jit-hot 1", eager(), Mode::Jit),
        ("jit-llinterp", shared, Mode::JitLlinterp),
    ]
}

/// A run's result as reported: the printed text, or the error.
fn show(r: &Result<String, TlcError>) -> String {
    const MAX: usize = 4000;
    let text = match r {
        Ok(text) => format!("{text:?}"),
        Err(e) => format!("error: {e}"),
    };
    match text.len() > MAX {
        true => format!("{}... ({} bytes)", text.chars().take(MAX).collect::<String>(), text.len()),
        false => text,
    }
}

/// What a seed's reference runs did, for the summary.
#[derive(Default)]
struct Tally {
    programs: u64,
    runs: u64,
    hot: u64,
    /// Reference outcomes: "ok" or the error kind, with counts.
    outcomes: BTreeMap<String, u64>,
    /// How many programs hold each opcode.
    opcodes: BTreeMap<&'static str, u64>,
    /// JIT-mode errors that differed from the reference only by stale details (the known
    /// discrepancy of [`jit_rerun_reports_stale_error_details`]).
    stale: u64,
    /// Run time per mode.
    time: BTreeMap<&'static str, Duration>,
    /// The slowest seeds.
    slowest: Vec<(Duration, u64)>,
}

/// Generates and runs the program of `seed`: every input in every mode, and in the JIT modes
/// the first input again (the program's code is then compiled from its start). `Err` is the
/// report of a disagreement.
fn check_seed(seed: u64, tally: &Mutex<Tally>) -> Result<(), String> {
    let g = generate(seed);
    let program = assemble(&g.source).map_err(|e| {
        format!("seed {seed}: the generated program does not assemble: {e}\n{}", g.source)
    })?;
    let reference = Interpreter::get();
    let mut outcomes = vec![];
    let mut runs = 0;
    let mut times = vec![];
    let mut stale = 0;
    let start = Instant::now();
    // The JIT modes see the inputs in this order, then the first again.
    let mut sequence = g.inputs.clone();
    sequence.push(g.inputs[0]);
    let mut expected: Vec<Result<String, TlcError>> = vec![];
    for (i, &input) in sequence.iter().enumerate() {
        let again = i == g.inputs.len();
        let at = RunOf { seed, g: &g, program: &program, input, run: i };
        let t0 = Instant::now();
        let want = match again {
            true => expected[0].clone(),
            false => reference.run(&program, input, Mode::Llinterp),
        };
        times.push(("llinterp", t0.elapsed()));
        if let Err(e) = &want {
            if e.kind == lang_tlc::ErrorKind::Internal {
                return Err(report(&at, &want, &[], "llinterp failed"));
            }
        }
        let mut got = vec![];
        for (name, interp, mode) in modes() {
            // llinterp, translated and jit-llinterp keep nothing between runs.
            if again && !matches!(mode, Mode::Jit) {
                continue;
            }
            let t0 = Instant::now();
            got.push((name, interp.run(&program, input, mode)));
            times.push((name, t0.elapsed()));
            runs += 1;
        }
        // The stale details are fixed (runner.rs clears the error state of a program run
        // again): strict unless TLC_GEN_TOLERANT is set.
        let strict = std::env::var("TLC_GEN_TOLERANT").is_err();
        for (name, r) in &got {
            let llvm_jit = *name == "jit" || name.starts_with("jit --");
            match (r, &want) {
                _ if *r == want => {}
                (Err(e), Err(w)) if llvm_jit && !strict && only_stale_details(e, w) => stale += 1,
                _ => {
                    let what = "the modes disagree";
                    return Err(report(&at, &want, &got, what));
                }
            }
        }
        if !again {
            outcomes.push(match &want {
                Ok(_) => "ok".to_string(),
                Err(e) => e.kind.name().to_string(),
            });
            expected.push(want);
            runs += 1;
        }
    }
    if std::env::var("TLC_GEN_VERBOSE").is_ok() {
        let mut per_mode: BTreeMap<&str, f64> = BTreeMap::new();
        for (name, d) in &times {
            *per_mode.entry(name).or_default() += d.as_secs_f64();
        }
        let (bytes, hot) = (program.code.len(), g.hot_loops);
        eprintln!("seed {seed}: {bytes} bytes, {hot} hot loops, {per_mode:.3?}");
    }
    let mut t = tally.lock().unwrap();
    t.programs += 1;
    t.runs += runs;
    t.hot += (g.hot_loops > 0) as u64;
    t.stale += stale;
    for (name, d) in times {
        *t.time.entry(name).or_default() += d;
    }
    t.slowest.push((start.elapsed(), seed));
    t.slowest.sort_by(|a, b| b.cmp(a));
    t.slowest.truncate(5);
    for o in outcomes {
        *t.outcomes.entry(o).or_default() += 1;
    }
    let mut seen = [false; 256];
    let mut pc = 0;
    while pc < program.code.len() {
        let byte = program.code[pc];
        let op = Opcode::ALL.get((byte as usize).wrapping_sub(1));
        if let Some(op) = op.filter(|_| !seen[byte as usize]) {
            seen[byte as usize] = true;
            *t.opcodes.entry(op.name()).or_default() += 1;
        }
        pc += 1 + op.map_or(0, |op| op.operand().arg_bytes());
    }
    Ok(())
}

/// The parts of a TLC error message: the message proper, then the name a `KeyError` is about
/// (` 'name'`) and the byte a `RuntimeError` is about (` 23`), as the runner appends them.
fn error_parts(message: &str) -> (&str, Option<&str>, Option<&str>) {
    let mut rest = message;
    let mut opcode = None;
    if let Some((head, tail)) = rest.rsplit_once(' ') {
        if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            (rest, opcode) = (head, Some(tail));
        }
    }
    let mut name = None;
    if rest.ends_with('\'') {
        if let Some(at) = rest[..rest.len() - 1].rfind(" '") {
            (rest, name) = (&rest[..at], Some(&rest[at + 2..rest.len() - 1]));
        }
    }
    (rest, name, opcode)
}

/// Whether the JIT-mode error `got` is the reference error `want` plus details left over from
/// an earlier run in the same JIT (a name or an opcode where `want` has none): the known
/// discrepancy of [`jit_rerun_reports_stale_error_details`], tolerated only if
/// `TLC_GEN_TOLERANT` is set (for a build without the fix).
fn only_stale_details(got: &TlcError, want: &TlcError) -> bool {
    let (g, w) = (error_parts(&got.message), error_parts(&want.message));
    got.kind == want.kind
        && g.0 == w.0
        && (w.1.is_none() || g.1 == w.1)
        && (w.2.is_none() || g.2 == w.2)
}

/// One run of a generated program: its seed, the program, the input, and the run's index
/// (the JIT modes see every input in turn, then the first again).
struct RunOf<'a> {
    seed: u64,
    g: &'a Generated,
    program: &'a Program,
    input: i64,
    run: usize,
}

/// The message for a disagreement: enough to reproduce it without the generator.
fn report(
    at: &RunOf<'_>,
    want: &Result<String, TlcError>,
    got: &[(&str, Result<String, TlcError>)],
    what: &str,
) -> String {
    let RunOf { seed, g, program, input, run } = *at;
    let mut out = format!(
        "seed {seed}: {what} on input {input} (run {} of this program in each interpreter; the \
         JIT modes run it with the inputs {:?}, then {} again)\n",
        run + 1,
        g.inputs,
        g.inputs[0]
    );
    let _ = writeln!(out, "  {:<16} {}", "llinterp", show(want));
    for (name, r) in got {
        let mark = if r == want { "" } else { "   <-- differs" };
        let _ = writeln!(out, "  {:<16} {}{mark}", name, show(r));
    }
    let _ = writeln!(out, "bytecode ({} bytes): {:?}", program.code.len(), program.code);
    let _ = write!(out, "program (TLC_GEN_SEED={seed} reruns it):\n{}", g.source);
    out
}

/// The message of a panic payload.
fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
        (Some(s), _) => s.to_string(),
        (_, Some(s)) => s.clone(),
        _ => "(no message)".into(),
    }
}

/// The seeds to check: `TLC_GEN_SEED=S` (just S), `TLC_GEN_SEEDS=N` (0..N) or `=A..B`, or
/// [`DEFAULT_SEEDS`].
fn seeds() -> std::ops::Range<u64> {
    let parse = |s: &str| s.trim().parse::<u64>().unwrap_or_else(|_| panic!("bad seed {s:?}"));
    if let Ok(s) = std::env::var("TLC_GEN_SEED") {
        let s = parse(&s);
        return s..s + 1;
    }
    match std::env::var("TLC_GEN_SEEDS") {
        Ok(v) => match v.split_once("..") {
            Some((a, b)) => parse(a)..parse(b),
            None => 0..parse(&v),
        },
        Err(_) => 0..DEFAULT_SEEDS,
    }
}

/// Every seed's program agrees in every mode (the seeds run on a few threads: llinterp and
/// jit-llinterp run on the calling thread, translated and JIT modes on their interpreter's
/// worker thread; every disagreement is collected and the first few reported in full).
#[test]
fn generated_programs_agree_in_every_mode() {
    let seeds = seeds();
    if let Ok(s) = std::env::var("TLC_GEN_SEED") {
        let g = generate(s.trim().parse().unwrap());
        eprintln!("inputs {:?}\n{}", g.inputs, g.source);
    }
    let start = Instant::now();
    // Warm up every mode once (compiling tlc.rpy, translating it) before timing the seeds.
    let warm = assemble("PUSH 1").unwrap();
    for (name, interp, mode) in modes() {
        interp.run(&warm, 0, mode).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let warmup = start.elapsed();
    let next = AtomicU64::new(seeds.start);
    let tally = Mutex::new(Tally::default());
    let failures = Mutex::new(vec![]);
    // Seed -> when it started, for the watchdog.
    let running: Mutex<BTreeMap<u64, Instant>> = Mutex::new(BTreeMap::new());
    let done = std::sync::atomic::AtomicBool::new(false);
    let threads = match std::env::var("TLC_GEN_THREADS") {
        Ok(n) => n.parse().expect("TLC_GEN_THREADS: a number"),
        // More threads than cores: the JIT modes' runs wait for their worker threads.
        Err(_) => std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(4, 8),
    };
    std::thread::scope(|s| {
        s.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let stuck = running
                    .lock()
                    .unwrap()
                    .iter()
                    .find(|(_, t)| t.elapsed() > WATCHDOG)
                    .map(|(s, _)| *s);
                if let Some(seed) = stuck {
                    let g = generate(seed);
                    eprintln!(
                        "seed {seed} has run for {WATCHDOG:?}: does its program terminate? \
                         inputs {:?}\n{}",
                        g.inputs, g.source
                    );
                    std::process::exit(101);
                }
            }
        });
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| loop {
                    let seed = next.fetch_add(1, Ordering::Relaxed);
                    if seed >= seeds.end {
                        break;
                    }
                    running.lock().unwrap().insert(seed, Instant::now());
                    let checked =
                        std::panic::catch_unwind(AssertUnwindSafe(|| check_seed(seed, &tally)));
                    let failure = match checked {
                        Ok(r) => r.err(),
                        Err(p) => Some(format!("seed {seed}: panicked: {}", panic_text(&p))),
                    };
                    if let Some(e) = failure {
                        failures.lock().unwrap().push((seed, e));
                    }
                    running.lock().unwrap().remove(&seed);
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
        done.store(true, Ordering::Relaxed);
    });
    let t = tally.into_inner().unwrap();
    let elapsed = start.elapsed();
    eprintln!(
        "{} programs ({} with hot loops), {} runs in 5 modes, in {:.1} s ({:.1} s warming up, \
         {threads} threads); reference outcomes: {:?}",
        t.programs,
        t.hot,
        t.runs,
        elapsed.as_secs_f64(),
        warmup.as_secs_f64(),
        t.outcomes
    );
    eprintln!("programs holding each opcode: {:?}", t.opcodes);
    if t.stale > 0 {
        eprintln!(
            "{} JIT-mode errors carried stale details from an earlier run (known discrepancy, \
             see jit_rerun_reports_stale_error_details; only with TLC_GEN_TOLERANT set)",
            t.stale
        );
    }
    eprintln!("run time per mode: {:?}; slowest seeds: {:?}", t.time, t.slowest);
    let mut failures = failures.into_inner().unwrap();
    failures.sort_by_key(|(s, _)| *s);
    let shown: Vec<&str> = failures.iter().take(3).map(|(_, e)| e.as_str()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} seeds fail ({:?}); the first {}:\n\n{}",
        failures.len(),
        seeds.end - seeds.start,
        failures.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        shown.len(),
        shown.join("\n\n")
    );
}

/// Many more programs than the differential test runs are generated and assembled: the
/// generator's own invariants (branch offsets in range, the stack tracked, ...) hold.
#[test]
fn generated_programs_assemble() {
    for seed in 0..20_000 {
        let g = generate(seed);
        if let Err(e) = assemble(&g.source) {
            panic!("seed {seed}: the generated program does not assemble: {e}\n{}", g.source);
        }
    }
}

/// The generator is a function of the seed: a failure's seed reproduces its program.
#[test]
fn generation_is_deterministic() {
    for seed in [0, 1, 42, 1 << 40] {
        let (a, b) = (generate(seed), generate(seed));
        assert_eq!((a.source, a.inputs), (b.source, b.inputs));
    }
    assert_ne!(generate(1).source, generate(2).source);
}

/// Known discrepancy, found by the generator (seeds 250 and 53 of the first version): in JIT
/// mode on LLVM, a program run again reports its error with the details of an earlier run's
/// error — the name of a `KeyError` (`'b'`) or the opcode of a `RuntimeError` — appended,
/// where llinterp, translated and jit-llinterp report the error alone:
///
/// ```text
/// input 1: every mode       KeyError: no such attribute 'b'
/// input 0: llinterp         IndexError: pop from an empty stack
///          translated       IndexError: pop from an empty stack
///          jit-llinterp     IndexError: pop from an empty stack
///          jit              IndexError: pop from an empty stack 'b'
/// ```
///
/// Cause (runner.rs, `LlvmJitMachine::load`): a program run again reuses the pool prepared by
/// its first run, so `prepare_pool`, which is where `tlc.rpy` clears its `ERROR` state
/// (`clear_error`), does not run; `ERROR.name` and `ERROR.opcode` keep what the last failing
/// run in that JIT (of this program or any other) set. The stale name id is even looked up in
/// the current program's name table (it printed `'?'` and `'n'` for other programs). Results
/// and error kinds are not affected.
#[test]
fn jit_rerun_reports_stale_error_details() {
    let program = assemble("PUSHARG\nBR_COND key\nPOP\nkey:\nNEW a\nGETATTR b").unwrap();
    // A JIT of its own, so that nothing else runs between the two runs.
    let interp = Interpreter::compile().unwrap();
    for input in [1, 0] {
        let want = interp.run(&program, input, Mode::Llinterp);
        assert_eq!(interp.run(&program, input, Mode::Translated), want);
        assert_eq!(interp.run(&program, input, Mode::JitLlinterp), want);
        assert_eq!(interp.run(&program, input, Mode::Jit), want, "input {input}");
    }
}
