//! The benchmark generator: random, loop-heavy, terminating TLC programs sized by the number
//! of bytecodes they execute, for measuring the JIT on programs nobody tuned it for (issue 17;
//! the corpus, its test and its ratio report are described in `lang-tlc/bench-corpus/README.md`).
//!
//! A program is `generate(seed, target_ops)`: the same seed and target give the same assembler
//! text and input, on every machine. Its shape:
//! - **main** creates one to three objects of distinct classes (fields `a`, `b`, `c` initialised
//!   to ints), a list of known length, and a few int variables (stack slots read with `PICK`,
//!   written with `PUT`), then runs an *outer loop* counted by the input, whose body holds
//!   statements: assignments, field updates, `if`s, nested counted loops (constant or
//!   data-dependent trip counts), collatz-like loops with `DIV`, list walks and rotations
//!   (`CONS`/`CAR`/`CDR`, indexing by `DIV`), sends (to one object, or *polymorphic*: the receiver
//!   chosen by a data-dependent branch among objects of different classes), `CALL`s of an
//!   inline function, recursion (a method `rec` sending itself); finally it returns an int
//!   combining its variables and fields;
//! - **methods**: every class has `step(x)` (the shared name the polymorphic sends use), `m1(x,
//!   y)`, sometimes `rec(n)`; their bodies update fields with data-dependent branches, run small
//!   loops and send to the earlier methods of their own class.
//! - Expressions mix `ADD`/`SUB`/`MUL`, `DIV` (by constants, and by `e*e+1`, never zero), a
//!   modulo written with `DIV`, comparisons, `SWAP`, `ROLL 3`/`ROLL -3` and `PICK`.
//!
//! Invariants that make every program run to its end without error:
//! - The generator tracks each frame's stack depth exactly ([`emit::Asm`]); every statement
//!   leaves it as it found it; variables are slots of known type (int, object of a known
//!   class, list of known length), and only ints are stored into int slots.
//! - Loops are counted: their counters are *locked* slots nothing else writes, trip counts are
//!   constants or `e MOD k` (in `0..k`); collatz loops start from `e MOD 300 + 1`; `rec(n)` is
//!   sent with `n` in `0..16`; methods send only to earlier methods of their class, and the
//!   inline function calls nothing.
//! - Every divisor is a nonzero constant or `e*e + 1` (a square is never −1 modulo 2^64).
//! - Branch offsets are signed bytes: compound statements are kept under [`BODY_ROOM`] bytes
//!   (a statement that comes out bigger is rolled back), and a generated program that still
//!   fails to assemble is generated again from the next sub-seed.
//!
//! Size: the generator estimates the bytecodes one outer iteration executes (instructions
//! times the trip counts of their loops, a send counting its method's body) and sets the
//! input to `target_ops` divided by that estimate. The estimate is rough (branches count half)
//! but deterministic; `run_counting` measures the truth.

mod emit;

use emit::{Asm, Rng};

/// The largest bytes a compound statement's body may take (branch offsets are signed bytes).
pub const BODY_ROOM: usize = 100;

/// The largest estimated bytecodes one outer iteration of main may execute: a program's
/// input (its outer trip count) is `target_ops` divided by this estimate, so a body far more
/// expensive would leave too few iterations for the JIT to matter.
const MAX_ITERATION_OPS: u64 = 6_000;

/// A generated benchmark program.
#[derive(Clone, Debug)]
pub struct BenchProgram {
    /// The seed it was generated from.
    pub seed: u64,
    /// The assembler source.
    pub source: String,
    /// The input to run it with (the outer loop's trip count).
    pub input: i64,
    /// The generator's estimate of the bytecodes a run executes.
    pub estimated_ops: u64,
    /// A one-line summary of what it holds (classes, loop nesting, features).
    pub summary: String,
}

/// Generates the program of `seed`, with an input making it execute about `target_ops`
/// bytecodes.
pub fn generate(seed: u64, target_ops: u64) -> BenchProgram {
    for attempt in 0u64.. {
        let mut g =
            Gen::new(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ attempt.wrapping_mul(0x2545_f491));
        let (source, per_iteration, setup) = g.program();
        if crate::assemble(&source).is_ok() {
            let input = (target_ops.saturating_sub(setup) / per_iteration.max(1)).max(2) as i64;
            return BenchProgram {
                seed,
                source,
                input,
                estimated_ops: setup + per_iteration * input as u64,
                summary: g.features.join(" "),
            };
        }
    }
    unreachable!("the attempts never end")
}

/// What a slot of a frame holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Int,
    /// An instance of class `usize`.
    Obj(usize),
    /// A list of this many ints.
    List(usize),
}

/// A named stack slot of the current frame.
#[derive(Clone, Copy, Debug)]
struct Var {
    slot: usize,
    ty: Ty,
    /// Loop counters: read, never written by generated statements.
    locked: bool,
}

/// A class: its fields (a prefix of `a`, `b`, `c`) and methods, `(name, number of args)`.
#[derive(Clone, Debug)]
struct Class {
    fields: usize,
    methods: Vec<(String, usize)>,
    /// The estimated bytecodes each method executes per send.
    costs: Vec<u64>,
}

const FIELDS: [&str; 3] = ["a", "b", "c"];

/// Where statements are generated: main's outer loop, or a method of a class.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Main,
    /// Method `usize.1` of class `usize.0`.
    Method(usize, usize),
}

/// The frame statements are generated in: its slots and where it is.
#[derive(Clone)]
struct Frame {
    vars: Vec<Var>,
    place: Place,
    /// Int arguments readable with `PUSHARGN 1..=args` (methods), or the input (main: 1).
    args: usize,
    /// Loops enclosing the current point.
    loops: usize,
    /// The inline function (main only): its label, where it starts (for `CALL`'s
    /// signed-byte offset) and its estimated bytecodes per call.
    function: Option<(String, usize, u64)>,
}

impl Frame {
    fn ints(&self) -> Vec<Var> {
        self.vars.iter().filter(|v| v.ty == Ty::Int).copied().collect()
    }
    fn writable_ints(&self) -> Vec<Var> {
        self.vars.iter().filter(|v| v.ty == Ty::Int && !v.locked).copied().collect()
    }
    fn objects(&self) -> Vec<(Var, usize)> {
        self.vars
            .iter()
            .filter_map(|v| match v.ty {
                Ty::Obj(c) => Some((*v, c)),
                _ => None,
            })
            .collect()
    }
    fn list(&self) -> Option<(Var, usize)> {
        self.vars.iter().find_map(|v| match v.ty {
            Ty::List(n) => Some((*v, n)),
            _ => None,
        })
    }
}

/// The generator's state: the random source, the classes made so far, the features used.
struct Gen {
    rng: Rng,
    classes: Vec<Class>,
    features: Vec<String>,
    labels: usize,
}

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen { rng: Rng::new(seed), classes: Vec::new(), features: Vec::new(), labels: 0 }
    }

    fn label(&mut self, what: &str) -> String {
        self.labels += 1;
        format!("{what}{}", self.labels)
    }

    fn feature(&mut self, f: &str) {
        if !self.features.iter().any(|x| x == f) {
            self.features.push(f.to_string());
        }
    }

    /// The whole program: source, estimated bytecodes per outer iteration, and of the rest.
    fn program(&mut self) -> (String, u64, u64) {
        let nclasses = 1 + self.rng.below(3) as usize;
        self.feature(&format!("classes={nclasses}"));
        let mut methods = Vec::new();
        for c in 0..nclasses {
            methods.push(self.class(c));
        }
        let (main, per_iteration, setup) = self.main();
        let mut text = main.text();
        for m in methods {
            text.push_str(&m.text());
        }
        (text, per_iteration, setup)
    }

    /// Class `c`: its methods' code (and the class in `self.classes`).
    fn class(&mut self, c: usize) -> Asm {
        let fields = 1 + self.rng.below(3) as usize;
        let mut methods = vec![("step".to_string(), 1), ("m1".to_string(), 2)];
        if self.rng.chance(40) {
            methods.push(("rec".to_string(), 1));
        }
        self.classes.push(Class { fields, methods: methods.clone(), costs: Vec::new() });
        let mut code = Asm::new();
        for (m, (name, args)) in methods.iter().enumerate() {
            let before = code.cost;
            code.label(&format!("c{c}_{name}"));
            if name == "rec" {
                self.rec_method(&mut code, c);
            } else {
                self.method(&mut code, c, m, *args);
            }
            let cost = code.cost - before;
            self.classes[c].costs.push(cost);
        }
        code
    }

    /// `rec(n)`: `n <= 0` gives a field, else `f(n) + self.rec(n - 1)`.
    fn rec_method(&mut self, code: &mut Asm, c: usize) {
        self.feature("recursion");
        let recurse = self.label("recurse");
        let frame = Frame {
            vars: Vec::new(),
            place: Place::Method(c, 2),
            args: 1,
            loops: 0,
            function: None,
        };
        code.op("PUSHARGN 1", 2, 1);
        code.op("PUSH 0", 2, 1);
        code.op("GT", 1, -1);
        code.branch("BR_COND", &recurse, -1);
        self.field_read_self(code, c);
        code.op("RETURN", 1, -1);
        code.set_depth(0);
        code.label(&recurse);
        // About 8 levels per send (n is in 0..16): the body's cost counts 8 times.
        let weight = code.weight;
        code.weight *= 8;
        code.op("PUSHARG", 1, 1);
        code.op("PUSHARGN 1", 2, 1);
        code.op("PUSH 1", 2, 1);
        code.op("SUB", 1, -1);
        code.op("SEND rec/1", 3, -1);
        self.expr(code, &frame, 2);
        code.op(["ADD", "SUB", "MUL"][self.rng.below(3) as usize], 1, -1);
        code.op("RETURN", 1, -1);
        code.weight = weight;
        code.set_depth(0);
    }

    /// Method `m` of class `c` with `args` int arguments: a local or two, statements, an
    /// expression returned.
    fn method(&mut self, code: &mut Asm, c: usize, m: usize, args: usize) {
        let mut frame =
            Frame { vars: Vec::new(), place: Place::Method(c, m), args, loops: 0, function: None };
        code.set_depth(0);
        for slot in 0..self.rng.below(3) as usize {
            code.op(&format!("PUSH {}", self.rng.range(-5, 20)), 2, 1);
            frame.vars.push(Var { slot, ty: Ty::Int, locked: false });
        }
        let n = 1 + self.rng.below(4);
        for _ in 0..n {
            self.statement(code, &mut frame, 160);
        }
        self.expr(code, &frame, 3);
        code.op("RETURN", 1, -1);
        code.set_depth(0);
    }

    /// Main: objects, list, variables, the inline function, the outer loop, the result.
    /// Returns its code, the estimated bytecodes of one outer iteration and of the rest.
    fn main(&mut self) -> (Asm, u64, u64) {
        let mut code = Asm::new();
        let mut frame =
            Frame { vars: Vec::new(), place: Place::Main, args: 1, loops: 0, function: None };
        for c in 0..self.classes.len() {
            let class = &self.classes[c];
            let mut descr: Vec<String> =
                FIELDS[..class.fields].iter().map(|f| f.to_string()).collect();
            descr.extend(class.methods.iter().map(|(m, _)| format!("{m}=c{c}_{m}")));
            code.op(&format!("NEW {}", descr.join(",")), 2, 1);
            for f in &FIELDS[..class.fields] {
                code.op("PICK 0", 2, 1);
                code.op(&format!("PUSH {}", self.rng.range(-10, 50)), 2, 1);
                code.op(&format!("SETATTR {f}"), 2, -2);
            }
            frame.vars.push(Var { slot: code.depth - 1, ty: Ty::Obj(c), locked: false });
        }
        if self.rng.chance(70) {
            self.feature("lists");
            let len = 2 + self.rng.below(10) as usize;
            code.op("NIL", 1, 1);
            for _ in 0..len {
                code.op(&format!("PUSH {}", self.rng.range(-20, 100)), 2, 1);
                code.op("CONS", 1, -1);
            }
            frame.vars.push(Var { slot: code.depth - 1, ty: Ty::List(len), locked: false });
        }
        for _ in 0..2 + self.rng.below(3) {
            code.op(&format!("PUSH {}", self.rng.range(-5, 30)), 2, 1);
            frame.vars.push(Var { slot: code.depth - 1, ty: Ty::Int, locked: false });
        }
        if self.rng.chance(40) {
            self.inline_function(&mut code, &mut frame);
        }
        let setup = code.cost;
        // The outer loop, counted down from the input.
        let (top, body, exit) = (self.label("outer"), self.label("body"), self.label("done"));
        code.op("PUSHARG", 1, 1);
        let counter = Var { slot: code.depth - 1, ty: Ty::Int, locked: true };
        code.label(&top);
        code.op("PICK 0", 2, 1);
        code.op("PUSH 0", 2, 1);
        code.op("GT", 1, -1);
        code.branch("BR_COND", &body, -1);
        code.branch("BR", &exit, 0);
        code.label(&body);
        let start = code.cost;
        frame.vars.push(counter);
        frame.loops = 1;
        let mut tries = 0;
        while code.bytes_since_label(&top) < BODY_ROOM - 10 && tries < 12 {
            tries += 1;
            let room = BODY_ROOM - 6 - code.bytes_since_label(&top);
            let snapshot = code.snapshot();
            self.statement(&mut code, &mut frame, room);
            if code.cost - start > MAX_ITERATION_OPS || code.bytes_since_label(&top) > BODY_ROOM {
                code.restore(snapshot);
            }
        }
        code.op("PUSH 1", 2, 1);
        code.op("SUB", 1, -1);
        code.branch("BR", &top, 0);
        let per_iteration = code.cost - start;
        frame.vars.pop();
        frame.loops = 0;
        code.label(&exit);
        code.op("POP", 1, -1);
        // The result: the int variables and a field of each object, combined.
        let ints = frame.ints();
        code.pick(ints[0].slot);
        for v in &ints[1..] {
            code.pick(v.slot);
            code.op(["ADD", "SUB", "MUL"][self.rng.below(3) as usize], 1, -1);
        }
        for (v, _) in frame.objects() {
            code.pick(v.slot);
            code.op("GETATTR a", 2, 0);
            code.op("ADD", 1, -1);
        }
        code.op("RETURN", 1, -1);
        let rest = code.cost - per_iteration;
        (code, per_iteration.max(1), setup + rest)
    }

    /// A function defined inline (jumped over), `CALL`ed from main: a small constant loop.
    fn inline_function(&mut self, code: &mut Asm, frame: &mut Frame) {
        self.feature("call");
        let (over, start) = (self.label("over"), self.label("function"));
        code.branch("BR", &over, 0);
        let depth = code.depth;
        code.set_depth(0);
        code.label(&start);
        let at = code.bytes;
        let (weight, cost) = (code.weight, code.cost);
        code.weight = 1;
        let place = Place::Method(usize::MAX, 0);
        let mut f = Frame { vars: Vec::new(), place, args: 0, loops: 0, function: None };
        code.op(&format!("PUSH {}", self.rng.range(1, 9)), 2, 1);
        f.vars.push(Var { slot: 0, ty: Ty::Int, locked: false });
        let trips = self.rng.range(3, 12);
        self.counted_loop(code, &mut f, 60, Some(trips));
        code.op("RETURN", 1, -1);
        // Counted per call, not here.
        let per_call = code.cost - cost;
        code.cost = cost;
        code.weight = weight;
        code.set_depth(depth);
        code.label(&over);
        frame.function = Some((start, at, per_call));
    }

    /// One statement, within `room` bytes, leaving the depth as it was.
    fn statement(&mut self, code: &mut Asm, frame: &mut Frame, room: usize) {
        let snapshot = code.snapshot();
        let features = self.features.len();
        let start = code.bytes;
        let choice = self.rng.below(100);
        let main = frame.place == Place::Main;
        match choice {
            0..=17 => self.assign(code, frame),
            18..=29 => self.field_update(code, frame),
            30..=41 => self.if_statement(code, frame, room),
            42..=61 if frame.loops < 3 => {
                let trips = if self.rng.chance(50) { Some(self.rng.range(2, 24)) } else { None };
                self.counted_loop(code, frame, room, trips)
            }
            62..=67 => self.collatz(code, frame),
            68..=75 if main && frame.list().is_some() => self.list_statement(code, frame),
            76..=87 if main => self.send_statement(code, frame),
            88..=93 if main && self.classes.len() > 1 => self.poly_send(code, frame),
            94..=96 if main && frame.function.is_some() => self.call(code, frame),
            _ => self.assign(code, frame),
        }
        if code.bytes - start > room {
            code.restore(snapshot);
            self.features.truncate(features);
        }
    }

    /// `v = expr` or `v += expr` for a writable int slot.
    fn assign(&mut self, code: &mut Asm, frame: &Frame) {
        let vars = frame.writable_ints();
        if vars.is_empty() {
            return self.field_update(code, frame);
        }
        let v = vars[self.rng.below(vars.len() as u64) as usize];
        if self.rng.chance(50) {
            code.pick(v.slot);
            self.expr(code, frame, 2);
            code.op(["ADD", "SUB", "MUL", "ADD"][self.rng.below(4) as usize], 1, -1);
        } else {
            self.expr(code, frame, 3);
        }
        code.put(v.slot);
    }

    /// `obj.f = expr` (main: any object; a method: itself).
    fn field_update(&mut self, code: &mut Asm, frame: &Frame) {
        let fields = match frame.place {
            Place::Main => {
                let objs = frame.objects();
                let (v, c) = objs[self.rng.below(objs.len() as u64) as usize];
                code.pick(v.slot);
                self.classes[c].fields
            }
            Place::Method(c, _) if c != usize::MAX => {
                code.op("PUSHARG", 1, 1);
                self.classes[c].fields
            }
            Place::Method(..) => return self.assign_any(code, frame),
        };
        let f = FIELDS[self.rng.below(fields as u64) as usize];
        if self.rng.chance(50) {
            code.op("PICK 0", 2, 1);
            code.op(&format!("GETATTR {f}"), 2, 0);
            self.expr(code, frame, 2);
            code.op(["ADD", "SUB", "MUL"][self.rng.below(3) as usize], 1, -1);
        } else {
            self.expr(code, frame, 2);
        }
        code.op(&format!("SETATTR {f}"), 2, -2);
    }

    /// An assignment in a frame that may have no object (the inline function).
    fn assign_any(&mut self, code: &mut Asm, frame: &Frame) {
        if !frame.writable_ints().is_empty() {
            self.assign(code, frame);
        }
    }

    /// `if cond: then else: otherwise`, each branch a statement or two.
    fn if_statement(&mut self, code: &mut Asm, frame: &mut Frame, room: usize) {
        let (then, end) = (self.label("then"), self.label("endif"));
        self.condition(code, frame);
        code.branch("BR_COND", &then, -1);
        let weight = code.weight;
        code.weight = (weight / 2).max(1);
        let half = (room.saturating_sub(12) / 2).min(BODY_ROOM);
        self.block(code, frame, half);
        code.branch("BR", &end, 0);
        code.label(&then);
        self.block(code, frame, half);
        code.label(&end);
        code.weight = weight;
    }

    /// One or two statements within `room` bytes.
    fn block(&mut self, code: &mut Asm, frame: &mut Frame, room: usize) {
        let start = code.bytes;
        for _ in 0..1 + self.rng.below(2) {
            let used = code.bytes - start;
            if used + 8 < room {
                self.statement(code, frame, room - used);
            }
        }
    }

    /// A comparison (an int 0 or 1 on the stack) whose first operand varies at run time.
    fn condition(&mut self, code: &mut Asm, frame: &Frame) {
        self.varying(code, frame);
        if self.rng.chance(50) {
            self.expr(code, frame, 1);
            code.op(["ADD", "SUB", "MUL"][self.rng.below(3) as usize], 1, -1);
        }
        if self.rng.chance(50) {
            self.expr(code, frame, 1);
        } else {
            code.op(&format!("PUSH {}", self.rng.range(-10, 40)), 2, 1);
        }
        code.op(["LT", "LE", "GT", "GE", "EQ", "NE"][self.rng.below(6) as usize], 1, -1);
    }

    /// A loop counted down from `trips` (a constant) or from `e MOD k` (data-dependent),
    /// its counter a locked slot readable in the body.
    fn counted_loop(&mut self, code: &mut Asm, frame: &mut Frame, room: usize, trips: Option<i64>) {
        let estimate = match trips {
            Some(n) => {
                self.feature("const-loop");
                code.op(&format!("PUSH {n}"), 2, 1);
                n as u64
            }
            None => {
                self.feature("data-loop");
                let k = self.rng.range(3, 20);
                self.expr(code, frame, 2);
                code.modulo(k);
                (k / 2) as u64
            }
        };
        let (top, body) = (self.label("loop"), self.label("lbody"));
        let bottom_test = self.rng.chance(50);
        let exit = self.label("lexit");
        if !bottom_test {
            code.label(&top);
            code.op("PICK 0", 2, 1);
            code.op("PUSH 0", 2, 1);
            code.op("GT", 1, -1);
            code.branch("BR_COND", &body, -1);
            code.branch("BR", &exit, 0);
        } else {
            // do-while: entered only with a positive count.
            code.op("PICK 0", 2, 1);
            code.op("PUSH 0", 2, 1);
            code.op("LE", 1, -1);
            code.branch("BR_COND", &exit, -1);
        }
        code.label(&body);
        let weight = code.weight;
        code.weight = weight * estimate.max(1);
        frame.vars.push(Var { slot: code.depth - 1, ty: Ty::Int, locked: true });
        frame.loops += 1;
        let inner = room.saturating_sub(22).min(BODY_ROOM);
        let start = code.bytes;
        for _ in 0..1 + self.rng.below(3) {
            let used = code.bytes - start;
            if used + 8 < inner {
                self.statement(code, frame, inner - used);
            }
        }
        frame.loops -= 1;
        frame.vars.pop();
        code.op("PUSH 1", 2, 1);
        code.op("SUB", 1, -1);
        if bottom_test {
            code.op("PICK 0", 2, 1);
            code.op("PUSH 0", 2, 1);
            code.op("GT", 1, -1);
            code.branch("BR_COND", &body, -1);
        } else {
            code.branch("BR", &top, 0);
        }
        code.weight = weight;
        code.label(&exit);
        code.op("POP", 1, -1);
    }

    /// `v += steps of collatz from (e MOD 300) + 1`: a loop with `DIV` and a parity branch.
    fn collatz(&mut self, code: &mut Asm, frame: &Frame) {
        let vars = frame.writable_ints();
        let Some(&v) = vars.get(self.rng.below(vars.len().max(1) as u64) as usize) else {
            return;
        };
        self.feature("collatz");
        self.expr(code, frame, 1);
        code.modulo(300);
        code.op("PUSH 1", 2, 1);
        code.op("ADD", 1, -1); // [x]
        code.op("PUSH 0", 2, 1); // [x, steps]
        let (top, body, odd, next, exit) = (
            self.label("ctop"),
            self.label("cbody"),
            self.label("codd"),
            self.label("cnext"),
            self.label("cexit"),
        );
        let weight = code.weight;
        code.label(&top);
        code.weight = weight * 40;
        code.op("PICK 1", 2, 1);
        code.op("PUSH 1", 2, 1);
        code.op("NE", 1, -1);
        code.branch("BR_COND", &body, -1);
        code.branch("BR", &exit, 0);
        code.label(&body);
        code.op("PICK 1", 2, 1); // [x, s, x]
        code.modulo(2); // [x, s, x%2]
        code.branch("BR_COND", &odd, -1);
        code.op("PICK 1", 2, 1);
        code.op("PUSH 2", 2, 1);
        code.op("DIV", 1, -1);
        code.op("PUT 1", 2, -1); // x = x // 2
        code.branch("BR", &next, 0);
        code.label(&odd);
        code.op("PICK 1", 2, 1);
        code.op("PUSH 3", 2, 1);
        code.op("MUL", 1, -1);
        code.op("PUSH 1", 2, 1);
        code.op("ADD", 1, -1);
        code.op("PUT 1", 2, -1); // x = 3x + 1
        code.label(&next);
        code.op("PUSH 1", 2, 1);
        code.op("ADD", 1, -1);
        code.branch("BR", &top, 0);
        code.weight = weight;
        code.label(&exit);
        code.op("SWAP", 1, 0);
        code.op("POP", 1, -1); // [steps]
        code.pick(v.slot);
        code.op("ADD", 1, -1);
        code.put(v.slot);
    }

    /// A list statement: sum it into a variable (a walk with `CAR`/`CDR`), or rotate it
    /// (drop its head, cons a new element).
    fn list_statement(&mut self, code: &mut Asm, frame: &Frame) {
        let Some((list, _)) = frame.list() else { return };
        let vars = frame.writable_ints();
        if self.rng.chance(50) || vars.is_empty() {
            self.feature("list-rotate");
            code.pick(list.slot);
            code.op("CDR", 1, 0);
            self.expr(code, frame, 2);
            code.op("CONS", 1, -1);
            code.put(list.slot);
            return;
        }
        self.feature("list-walk");
        let v = vars[self.rng.below(vars.len() as u64) as usize];
        let Ty::List(len) = list.ty else { return };
        let (top, body, exit) = (self.label("wtop"), self.label("wbody"), self.label("wexit"));
        code.pick(list.slot); // [l]
        code.pick(v.slot); // [l, acc]
        let weight = code.weight;
        code.label(&top);
        code.weight = weight * len as u64;
        code.op("PICK 1", 2, 1);
        code.branch("BR_COND", &body, -1);
        code.branch("BR", &exit, 0);
        code.label(&body);
        code.op("PICK 1", 2, 1);
        code.op("CAR", 1, 0);
        code.op("ADD", 1, -1); // [l, acc + car]
        code.op("PICK 1", 2, 1);
        code.op("CDR", 1, 0);
        code.op("PUT 1", 2, -1); // [cdr l, acc]
        code.branch("BR", &top, 0);
        code.weight = weight;
        code.label(&exit);
        code.put(v.slot);
        code.op("POP", 1, -1);
    }

    /// `v op= obj.method(args)` for an object of main.
    fn send_statement(&mut self, code: &mut Asm, frame: &Frame) {
        let vars = frame.writable_ints();
        let objs = frame.objects();
        let Some(&v) = vars.get(self.rng.below(vars.len().max(1) as u64) as usize) else { return };
        let (o, c) = objs[self.rng.below(objs.len() as u64) as usize];
        code.pick(v.slot);
        code.pick(o.slot);
        self.send_args(code, frame, c, None);
        code.op(["ADD", "SUB", "ADD"][self.rng.below(3) as usize], 1, -1);
        code.put(v.slot);
    }

    /// Pushes the arguments of a method of class `c` (chosen, or `only`) and sends it; the
    /// receiver is on the stack.
    fn send_args(&mut self, code: &mut Asm, frame: &Frame, c: usize, only: Option<usize>) {
        let m =
            only.unwrap_or_else(|| self.rng.below(self.classes[c].methods.len() as u64) as usize);
        let (name, args) = self.classes[c].methods[m].clone();
        if name == "rec" {
            self.expr(code, frame, 1);
            code.modulo(16);
        } else {
            for _ in 0..args {
                self.expr(code, frame, 1);
            }
        }
        let cost = self.classes[c].costs.get(m).copied().unwrap_or(50);
        code.cost += cost * code.weight;
        code.op(&format!("SEND {name}/{args}"), 3, -(args as isize));
        self.feature("send");
    }

    /// `v += o.step(e)` with `o` one of two objects of different classes, chosen by a
    /// data-dependent condition: a polymorphic send site.
    fn poly_send(&mut self, code: &mut Asm, frame: &Frame) {
        let vars = frame.writable_ints();
        let objs = frame.objects();
        let Some(&v) = vars.get(self.rng.below(vars.len().max(1) as u64) as usize) else { return };
        self.feature("poly-send");
        let first = self.rng.below(objs.len() as u64) as usize;
        let second = (first + 1 + self.rng.below(objs.len() as u64 - 1) as usize) % objs.len();
        let (other, join) = (self.label("other"), self.label("join"));
        code.pick(v.slot);
        self.condition(code, frame);
        code.branch("BR_COND", &other, -1);
        let depth = code.depth;
        code.pick(objs[first].0.slot);
        code.branch("BR", &join, 0);
        code.set_depth(depth);
        code.label(&other);
        code.pick(objs[second].0.slot);
        code.label(&join);
        // Both classes have `step` first; the cost counted is the first's.
        self.send_args(code, frame, objs[first].1, Some(0));
        code.op("ADD", 1, -1);
        code.put(v.slot);
    }

    /// `v += CALL function()`, if the function is within a signed byte's reach.
    fn call(&mut self, code: &mut Asm, frame: &Frame) {
        let (Some((name, at, per_call)), Some(&v)) =
            (frame.function.clone(), frame.writable_ints().first())
        else {
            return;
        };
        if code.bytes + 4 - at > 120 {
            return self.assign(code, frame);
        }
        code.pick(v.slot);
        code.cost += per_call * code.weight;
        code.branch("CALL", &name, 1);
        code.op("ADD", 1, -1);
        code.put(v.slot);
    }

    /// Pushes self's field (a method of class `c`).
    fn field_read_self(&mut self, code: &mut Asm, c: usize) {
        let f = FIELDS[self.rng.below(self.classes[c].fields as u64) as usize];
        code.op("PUSHARG", 1, 1);
        code.op(&format!("GETATTR {f}"), 2, 0);
    }

    /// An expression: pushes one int. `budget` bounds its nesting.
    fn expr(&mut self, code: &mut Asm, frame: &Frame, budget: u32) {
        if budget == 0 || self.rng.chance(30) {
            return self.leaf(code, frame);
        }
        let b = budget - 1;
        match self.rng.below(100) {
            0..=34 => {
                self.expr(code, frame, b);
                self.expr(code, frame, b);
                code.op(["ADD", "SUB", "MUL", "ADD", "SUB"][self.rng.below(5) as usize], 1, -1);
            }
            35..=42 => {
                self.feature("swap");
                self.expr(code, frame, b);
                self.expr(code, frame, b);
                code.op("SWAP", 1, 0);
                code.op("SUB", 1, -1);
            }
            43..=50 => {
                // [x, y, z] ROLL 3 -> [y, z, x]; ROLL -3 -> [z, x, y]; then two ops.
                self.feature("roll");
                for _ in 0..3 {
                    self.expr(code, frame, b.min(1));
                }
                code.op(if self.rng.chance(50) { "ROLL 3" } else { "ROLL -3" }, 2, 0);
                code.op(["ADD", "SUB", "MUL"][self.rng.below(3) as usize], 1, -1);
                code.op(["ADD", "SUB"][self.rng.below(2) as usize], 1, -1);
            }
            51..=60 => {
                self.feature("div");
                self.expr(code, frame, b);
                let k = [2, 3, 5, 7, 10, -3, -7][self.rng.below(7) as usize];
                code.op(&format!("PUSH {k}"), 2, 1);
                code.op("DIV", 1, -1);
            }
            61..=68 => {
                self.feature("mod");
                self.expr(code, frame, b);
                let k = self.rng.range(2, 50);
                code.modulo(k);
            }
            69..=73 => {
                // e1 // (e2 * e2 + 1): a data-dependent divisor, never zero.
                self.feature("div");
                self.expr(code, frame, b);
                self.expr(code, frame, b.min(1));
                code.op("PICK 0", 2, 1);
                code.op("MUL", 1, -1);
                code.op("PUSH 1", 2, 1);
                code.op("ADD", 1, -1);
                code.op("DIV", 1, -1);
            }
            74..=83 => {
                self.expr(code, frame, b);
                self.expr(code, frame, b);
                code.op(["LT", "LE", "GT", "GE", "EQ", "NE"][self.rng.below(6) as usize], 1, -1);
            }
            _ => self.send_expr(code, frame, b),
        }
    }

    /// A send as an expression: main sends to one of its objects, a method to an earlier
    /// method of its class; elsewhere a leaf.
    fn send_expr(&mut self, code: &mut Asm, frame: &Frame, budget: u32) {
        match frame.place {
            Place::Main if budget > 0 => {
                let objs = frame.objects();
                let (o, c) = objs[self.rng.below(objs.len() as u64) as usize];
                code.pick(o.slot);
                self.send_args(code, frame, c, None);
            }
            Place::Method(c, m) if c != usize::MAX && m > 0 => {
                code.op("PUSHARG", 1, 1);
                self.send_args(code, frame, c, Some(0));
            }
            _ => self.leaf(code, frame),
        }
    }

    /// A value that is not a constant: an int slot, an argument or a field.
    fn varying(&mut self, code: &mut Asm, frame: &Frame) {
        let ints = frame.ints();
        let self_class = match frame.place {
            Place::Method(c, _) if c != usize::MAX => Some(c),
            _ => None,
        };
        match (self.rng.below(3), self_class) {
            (0, _) if frame.args > 0 && frame.place != Place::Main => {
                code.op(&format!("PUSHARGN {}", 1 + self.rng.below(frame.args as u64)), 2, 1)
            }
            (1, Some(c)) => self.field_read_self(code, c),
            _ if !ints.is_empty() => {
                code.pick(ints[self.rng.below(ints.len() as u64) as usize].slot)
            }
            (_, Some(c)) => self.field_read_self(code, c),
            (_, None) => code.op("PUSHARG", 1, 1),
        }
    }

    /// A constant, an int slot, an argument, a field or a list element.
    fn leaf(&mut self, code: &mut Asm, frame: &Frame) {
        let ints = frame.ints();
        match self.rng.below(100) {
            0..=19 => code.op(&format!("PUSH {}", self.rng.range(-9, 60)), 2, 1),
            20..=54 if !ints.is_empty() => {
                let v = ints[self.rng.below(ints.len() as u64) as usize];
                code.pick(v.slot);
            }
            55..=64 if frame.args > 0 => match frame.place {
                Place::Main => code.op("PUSHARG", 1, 1),
                _ => code.op(&format!("PUSHARGN {}", 1 + self.rng.below(frame.args as u64)), 2, 1),
            },
            65..=84 => match frame.place {
                Place::Method(c, _) if c != usize::MAX => self.field_read_self(code, c),
                Place::Main => {
                    let objs = frame.objects();
                    let (o, c) = objs[self.rng.below(objs.len() as u64) as usize];
                    code.pick(o.slot);
                    let f = FIELDS[self.rng.below(self.classes[c].fields as u64) as usize];
                    code.op(&format!("GETATTR {f}"), 2, 0);
                }
                _ => code.op(&format!("PUSH {}", self.rng.range(-9, 60)), 2, 1),
            },
            85..=99 if frame.list().is_some() => {
                let Some((l, len)) = frame.list() else { unreachable!() };
                code.pick(l.slot);
                if self.rng.chance(50) {
                    code.op("CAR", 1, 0);
                } else {
                    self.feature("list-index");
                    code.op(&format!("PUSH {}", self.rng.below(len as u64)), 2, 1);
                    code.op("DIV", 1, -1);
                }
            }
            _ => code.op(&format!("PUSH {}", self.rng.range(-9, 60)), 2, 1),
        }
    }
}
