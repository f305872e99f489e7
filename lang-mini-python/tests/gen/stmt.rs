//! Statements and definitions: classes, functions (plain, recursive, generator, closure
//! factory), the context-manager class, and the statements of bodies. See `mod.rs` for the
//! invariants; here they are kept by construction: assignments bound their values (ints by a
//! modulus, floats into [0, 1000), strings by a slice), loops iterate over copies or have a
//! locked counter, and `risky` operations appear only inside a `try` naming what they raise.

use super::{Gen, Ty, Var};

/// Int moduli applied at assignments (a negative one gives Python's negative remainders).
const MODULI: &[&str] = &["1000003", "97", "-13", "65536", "1009"];

/// Most nested compound statements.
const MAX_DEPTH: usize = 3;

impl Gen {
    /// `class GenError`'s subclass-free classes and one subclass, fields bounded.
    pub(super) fn class_def(&mut self) {
        let idx = self.classes.len();
        let base = match idx > 0 && self.rng.chance(50) {
            true => Some(self.rng.below(idx)),
            false => None,
        };
        let name = format!("K{idx}");
        let has_repr = self.rng.chance(70);
        let has_order = self.rng.chance(40);
        self.features.note("class");
        match base {
            None => {
                emit!(self, "class {name}:");
                self.line("    tag = \"k\"");
                self.line("    def __init__(self, a, b, name=\"anon\"):");
                self.line("        self.a = a % 1009");
                self.line("        self.b = b % 1009");
                self.line("        self.name = name[:20]");
                self.line("    def total(self):");
                self.line("        return self.a * 3 + self.b");
                self.line("    def bump(self, k):");
                self.line("        self.a = (self.a + k) % 1009");
                self.line("        return self.a");
                self.line("    def label(self):");
                self.line("        return self.tag + \":\" + self.name");
            }
            Some(b) => {
                let bname = self.classes[b].name.clone();
                self.features.note("subclass");
                emit!(self, "class {name}({bname}):");
                self.line("    tag = \"sub\"");
                self.line("    def __init__(self, a, b, name, c):");
                self.line("        super().__init__(a, b, name)");
                self.line("        self.c = c % 101");
                self.line("    def total(self):");
                self.line("        return super().total() + self.c");
            }
        }
        if has_repr {
            self.line("    def __repr__(self):");
            emit!(self, "        return \"{name}(%d, %d, %r)\" % (self.a, self.b, self.name)");
        }
        if has_order {
            self.line("    def __eq__(self, other):");
            self.line("        return self.total() == other.total()");
            self.line("    def __lt__(self, other):");
            self.line("        return self.total() < other.total()");
        }
        self.line("");
        let has_order = has_order || base.is_some_and(|b| self.classes[b].has_order);
        let has_repr = has_repr || base.is_some_and(|b| self.classes[b].has_repr);
        self.classes.push(super::ClassInfo { name, base, has_repr, has_order });
    }

    /// A context manager that prints on entry and exit and swallows exceptions when told to.
    pub(super) fn ctx_class(&mut self) {
        self.features.note("ctx_class");
        self.line("class Ctx:");
        self.line("    def __init__(self, tag, swallow):");
        self.line("        self.tag = tag");
        self.line("        self.swallow = swallow");
        self.line("    def __enter__(self):");
        self.line("        print(\"enter\", self.tag)");
        self.line("        return self");
        self.line("    def __exit__(self, t, v, tb):");
        self.line("        print(\"exit\", self.tag, t.__name__ if t else None, v)");
        self.line("        return self.swallow");
        self.line("");
        self.has_ctx = true;
    }

    /// Starts a function body: a fresh scope holding only its parameters; at most one level
    /// of compound statements inside (a function's cost stays near [`super::CALL_COST`]).
    fn enter_function(&mut self, params: &[(String, Ty)]) -> Vec<Vec<Var>> {
        let saved = std::mem::replace(&mut self.scopes, vec![Vec::new()]);
        for (n, t) in params {
            self.declare(n, *t);
        }
        self.indent += 1;
        self.in_def = true;
        self.depth = MAX_DEPTH - 1;
        saved
    }

    fn leave_function(&mut self, saved: Vec<Vec<Var>>) {
        self.indent -= 1;
        self.scopes = saved;
        self.in_def = false;
        self.depth = 0;
        self.line("");
    }

    /// A plain function with typed parameters, some defaults, a few statements and a return.
    pub(super) fn func_def(&mut self, first: bool) {
        let idx = self.funcs.len();
        let name = format!("f{idx}");
        let n_params = 1 + self.rng.below(3);
        let params: Vec<Ty> = (0..n_params)
            .map(|i| match (i, self.rng.below(5)) {
                (0, _) | (_, 0 | 1) => Ty::Int,
                (_, 2) => Ty::Str,
                (_, 3) => Ty::Float,
                _ => Ty::IntList,
            })
            .collect();
        let defaults = self.rng.below(n_params);
        let ret = *self.rng.pick(&[Ty::Int, Ty::Int, Ty::Str, Ty::Float]);
        let may_raise = !first && self.rng.chance(35);
        let mut sig = Vec::new();
        for (i, ty) in params.iter().enumerate() {
            if i >= n_params - defaults {
                let dflt = self.expr(*ty, 0);
                sig.push(format!("p{i}={dflt}"));
            } else {
                sig.push(format!("p{i}"));
            }
        }
        self.features.note("def");
        emit!(self, "def {name}({}):", sig.join(", "));
        let named: Vec<(String, Ty)> =
            params.iter().enumerate().map(|(i, t)| (format!("p{i}"), *t)).collect();
        let saved = self.enter_function(&named);
        if may_raise {
            self.features.note("raise_in_def");
            emit!(self, "if p0 % {} == 0:", self.rng.range(2, 4));
            emit!(self, "    raise GenError(\"{name} refuses \" + str(p0))");
        }
        let n = 1 + self.rng.below(4);
        for _ in 0..n {
            self.statement();
        }
        let r = self.expr(ret, 2);
        let r = self.bounded(ret, &r);
        emit!(self, "return {r}");
        self.leave_function(saved);
        self.funcs.push(super::FuncInfo { name, params, defaults, ret, may_raise });
    }

    /// `rN(n, acc)`: recursion on a decreasing argument.
    pub(super) fn recursive_def(&mut self) {
        let name = format!("r{}", self.funcs.len() + self.gens.len());
        self.features.note("recursive_def");
        emit!(self, "def {name}(n, acc):");
        self.line("    if n <= 0:");
        self.line("        return acc % 10007");
        let k = self.rng.range(2, 9);
        if self.rng.chance(50) {
            emit!(self, "    return {name}(n - 1, (acc * {k} + n) % 10007)");
        } else {
            emit!(self, "    return (n + {name}(n - 2, acc + {k})) % 10007");
        }
        self.line("");
        self.recursive = Some(name);
    }

    /// `gN(n)`: a generator of ints, with `yield` and sometimes `yield from`.
    pub(super) fn generator_def(&mut self) {
        let name = format!("g{}", self.gens.len());
        self.features.note("generator_def");
        let k = self.rng.range(2, 7);
        emit!(self, "def {name}(n):");
        self.line("    for i in range(n):");
        emit!(self, "        if i % {k} != 1:");
        emit!(self, "            yield i * {} % 50", self.rng.range(1, 9));
        if self.rng.chance(50) {
            self.features.note("yield_from");
            self.line("    yield from [n, -n]");
        }
        if self.rng.chance(50) {
            self.features.note("generator_return");
            emit!(self, "    return n * {}", self.rng.range(2, 9));
        }
        self.line("");
        self.gens.push(name);
    }

    /// `mkN(start)`: returns a closure counting with `nonlocal`.
    pub(super) fn counter_def(&mut self) {
        let name = format!("mk{}", self.counters.len());
        self.features.note("closure_def");
        emit!(self, "def {name}(start):");
        self.line("    count = start % 1000");
        self.line("    def step(k):");
        self.line("        nonlocal count");
        emit!(self, "        count = (count * {} + k) % 1000", self.rng.range(1, 5));
        self.line("        return count");
        self.line("    return step");
        self.line("");
        self.counters.push(name);
    }

    /// An assignment right-hand side bounded for `ty` (see the module header).
    fn bounded(&mut self, ty: Ty, e: &str) -> String {
        match ty {
            Ty::Int => format!("({e}) % {}", self.rng.pick(MODULI)),
            Ty::Float => format!("({e}) % 1000.0"),
            Ty::Str => format!("({e})[:40]"),
            Ty::IntList => format!("({e})[:25]"),
            _ => e.to_string(),
        }
    }

    /// One statement, chosen by what is in scope and the work budget.
    pub(super) fn statement(&mut self) {
        if self.work > super::WORK_BUDGET {
            let e = self.int_expr(0);
            return emit!(self, "print({e})");
        }
        let compound_ok = self.depth < MAX_DEPTH && self.iters < super::MAX_LOOP_ITERS;
        let k = self.rng.below(if compound_ok { 21 } else { 12 });
        match k {
            11 if !compound_ok => self.feature_stmt(),
            20 => self.feature_stmt(),
            0..=2 => self.assign(),
            3 => self.augmented(),
            4 | 5 => self.print_stmt(),
            6 => self.mutate_list(),
            7 => self.mutate_dict(),
            8 => self.mutate_obj(),
            9 => self.loop_exit(),
            10 => self.call_stmt(),
            11 | 12 => self.if_stmt(),
            13 | 14 => self.for_stmt(),
            15 => self.while_stmt(),
            16 | 17 => self.try_stmt(),
            18 => self.with_stmt(),
            _ => self.bigint_print(),
        }
    }

    fn assign(&mut self) {
        let ty = self.any_ty();
        let existing = self.vars_of(ty);
        let e = self.expr(ty, 3);
        let e = self.bounded(ty, &e);
        if !existing.is_empty() && self.rng.chance(40) {
            let v = existing[self.rng.below(existing.len())].clone();
            emit!(self, "{v} = {e}");
        } else {
            let v = self.fresh("v");
            emit!(self, "{v} = {e}");
            self.declare(&v, ty);
        }
        self.features.note("assign");
        if !self.in_def
            && self.scopes.len() == 1
            && !self.counters.is_empty()
            && self.rng.chance(20)
        {
            let f = self.counters[self.rng.below(self.counters.len())].clone();
            let c = self.fresh("c");
            let start = self.int_expr(1);
            emit!(self, "{c} = {f}({start})");
            self.counter_vars.push(c);
        }
    }

    fn augmented(&mut self) {
        self.features.note("augmented");
        if let Some(v) = self.pick_var(Ty::Int) {
            let op = *self.rng.pick(&["+=", "-=", "*=", "//=", "%="]);
            let e = match op {
                "//=" | "%=" => self.rng.pick(&["3", "-7", "10"]).to_string(),
                "*=" => format!("{}", self.rng.range(-3, 3)),
                _ => format!("({}) % 100", self.int_expr(2)),
            };
            emit!(self, "{v} {op} {e}");
        } else if let Some(v) = self.pick_var(Ty::Str) {
            let w = self.str_expr(1);
            emit!(self, "{v} += ({w})[:5]");
        } else if let Some(v) = self.pick_var(Ty::Float) {
            emit!(self, "{v} /= {}", self.rng.pick(&["2", "3.0", "-5"]));
        } else {
            self.assign();
        }
    }

    fn pick_var(&mut self, ty: Ty) -> Option<String> {
        let vs = self.vars_of(ty);
        match vs.is_empty() {
            true => None,
            false => Some(vs[self.rng.below(vs.len())].clone()),
        }
    }

    fn print_stmt(&mut self) {
        self.features.note("print");
        let n = 1 + self.rng.below(3);
        let args: Vec<String> = (0..n).map(|_| self.any_printable(2)).collect();
        let tail = match self.rng.below(6) {
            0 => ", sep=\" | \"",
            1 => ", end=\";\\n\"",
            2 => ", sep=\"\"",
            _ => "",
        };
        emit!(self, "print({}{tail})", args.join(", "));
    }

    fn mutate_list(&mut self) {
        let Some(l) = self.pick_var(Ty::IntList) else { return self.assign() };
        self.features.note("list_op");
        let e = self.int_expr(2);
        match self.rng.below(9) {
            0 | 1 => emit!(self, "{l}.append(({e}) % 1000)"),
            2 => emit!(self, "{l}.extend([{}, ({e}) % 50])", self.int_lit()),
            3 => emit!(self, "{l}.insert({}, ({e}) % 1000)", self.rng.range(-3, 5)),
            4 => emit!(self, "if {l}: {l}.pop()"),
            5 => emit!(self, "{l}.sort()"),
            6 => emit!(self, "{l}.reverse()"),
            7 => emit!(self, "if {l}: {l}[({e}) % len({l})] = {}", self.int_lit()),
            _ => emit!(self, "{l}[1:3] = [({e}) % 10]"),
        }
    }

    fn mutate_dict(&mut self) {
        let Some(d) = self.pick_var(Ty::StrIntDict) else { return self.assign() };
        self.features.note("dict_op");
        // Keys are sliced: a key made from the dict's own text (`str(d)`) grows without bound.
        let w = format!("({})[:12]", self.str_expr(1));
        let e = self.int_expr(2);
        match self.rng.below(5) {
            0 | 1 => emit!(self, "{d}[{w}] = ({e}) % 1000"),
            2 => emit!(self, "{d}[{w}] = ({d}.get({w}, 0) + {e}) % 1000"),
            3 => emit!(self, "{d}.setdefault({w}, ({e}) % 10)"),
            _ => emit!(self, "{d}.pop({w}, None)"),
        }
    }

    fn mutate_obj(&mut self) {
        let objs: Vec<String> =
            (0..self.classes.len()).flat_map(|c| self.vars_of(Ty::Obj(c))).collect();
        if objs.is_empty() {
            return self.print_stmt();
        }
        self.features.note("obj_op");
        let o = objs[self.rng.below(objs.len())].clone();
        let e = self.int_expr(2);
        match self.rng.below(3) {
            0 => emit!(self, "{o}.b = ({e}) % 1009"),
            1 => emit!(self, "{o}.bump({e})"),
            _ => {
                let s = self.str_expr(1);
                emit!(self, "{o}.name = ({s})[:20]");
            }
        }
    }

    /// `break` or `continue` under a condition, inside a loop; otherwise a print.
    fn loop_exit(&mut self) {
        if self.loops.is_empty() {
            return self.print_stmt();
        }
        self.features.note("break_continue");
        let c = self.bool_expr(1);
        let what = *self.rng.pick(&["break", "continue"]);
        emit!(self, "if {c}:");
        emit!(self, "    {what}");
    }

    fn call_stmt(&mut self) {
        if self.funcs.is_empty() {
            return self.print_stmt();
        }
        let f = self.rng.below(self.funcs.len());
        if self.funcs[f].may_raise {
            return self.try_stmt();
        }
        self.features.note("call");
        self.work += self.iters * super::CALL_COST;
        let c = self.call(f, 1);
        emit!(self, "print({})", c);
    }

    /// A block: a new scope, at least one statement, indentation.
    fn block(&mut self, min: usize, max: usize) {
        self.indent += 1;
        self.depth += 1;
        self.scopes.push(Vec::new());
        let n = min + self.rng.below(max - min + 1);
        for _ in 0..n {
            self.statement();
        }
        self.scopes.pop();
        self.depth -= 1;
        self.indent -= 1;
    }

    fn if_stmt(&mut self) {
        self.features.note("if");
        let c = self.bool_expr(2);
        emit!(self, "if {c}:");
        self.block(1, 3);
        for _ in 0..self.rng.below(3) {
            self.features.note("elif");
            let c = self.bool_expr(2);
            emit!(self, "elif {c}:");
            self.block(1, 2);
        }
        if self.rng.chance(50) {
            self.line("else:");
            self.block(1, 2);
        }
    }

    /// A loop body run `n` times (estimated), with the loop's own variables declared.
    fn loop_body(&mut self, n: u64, vars: &[(String, Ty)], counter: Option<String>) {
        let saved = self.iters;
        self.iters = self.iters.saturating_mul(n.max(1));
        self.loops.push(counter);
        self.scopes.push(vars.iter().map(|(n, t)| Var { name: n.clone(), ty: *t }).collect());
        self.block(1, 4);
        self.scopes.pop();
        self.loops.pop();
        self.iters = saved;
    }

    fn for_stmt(&mut self) {
        self.features.note("for");
        let i = self.fresh("i");
        match self.rng.below(7) {
            0 | 1 => {
                let (a, b) = (self.rng.range(-3, 4), self.rng.range(0, 15));
                let step = *self.rng.pick(&["", ", 2", ", 3"]);
                emit!(self, "for {i} in range({a}, {b}{step}):");
                self.loop_body((b - a).max(0) as u64, &[(i, Ty::Int)], None);
            }
            2 => {
                let l = self.list_expr(1);
                emit!(self, "for {i} in {l}[:12]:");
                self.loop_body(12, &[(i, Ty::Int)], None);
            }
            3 => {
                let s = self.str_expr(1);
                emit!(self, "for {i} in ({s})[:12]:");
                self.loop_body(12, &[(i, Ty::Str)], None);
            }
            4 => {
                let (j, l) = (self.fresh("j"), self.list_expr(1));
                emit!(self, "for {i}, {j} in enumerate({l}[:12]):");
                self.loop_body(12, &[(i, Ty::Int), (j, Ty::Int)], None);
            }
            5 => {
                let (k, d) = (self.fresh("k"), self.dict_expr(1));
                emit!(self, "for {k}, {i} in list({d}.items()):");
                self.loop_body(12, &[(k, Ty::Str), (i, Ty::Int)], None);
            }
            _ => {
                let (j, l, s) = (self.fresh("j"), self.list_expr(1), self.str_expr(1));
                emit!(self, "for {i}, {j} in zip({l}[:12], {s}):");
                self.loop_body(12, &[(i, Ty::Int), (j, Ty::Str)], None);
            }
        }
        if self.rng.chance(20) {
            self.features.note("for_else");
            self.line("else:");
            self.block(1, 1);
        }
    }

    fn while_stmt(&mut self) {
        self.features.note("while");
        let w = self.fresh("w");
        let n = self.rng.range(1, 12);
        emit!(self, "{w} = 0");
        emit!(self, "while {w} < {n}:");
        self.indent += 1;
        emit!(self, "{w} += 1");
        self.indent -= 1;
        self.loop_body(n as u64, &[(w.clone(), Ty::Int)], Some(w));
    }

    /// A `try` around an operation that may fail, with handlers catching what it raises
    /// (by its class, a base class, or a tuple), sometimes `else` and `finally`.
    fn try_stmt(&mut self) {
        self.features.note("try");
        let (code, caught) = self.risky();
        self.line("try:");
        self.indent += 1;
        self.line(&code);
        if self.rng.chance(30) {
            // Its own scope: a variable it makes may not exist after the handler ran.
            self.scopes.push(Vec::new());
            self.statement();
            self.scopes.pop();
        }
        self.indent -= 1;
        let e = self.fresh("e");
        let clause = match self.rng.below(4) {
            0 => caught.to_string(),
            1 => format!("({caught}, TypeError)"),
            2 => match caught {
                "IndexError" | "KeyError" => "LookupError".to_string(),
                "ZeroDivisionError" => "ArithmeticError".to_string(),
                _ => "Exception".to_string(),
            },
            _ => "Exception".to_string(),
        };
        emit!(self, "except {clause} as {e}:");
        emit!(self, "    print(\"caught\", type({e}).__name__, {e})");
        if self.rng.chance(30) {
            self.features.note("try_else");
            self.line("else:");
            self.block(1, 2);
        }
        if self.rng.chance(30) {
            self.features.note("try_finally");
            self.line("finally:");
            emit!(self, "    print(\"finally\", {})", self.int_expr(1));
        }
    }

    /// One statement that may fail, and the exception class it may raise.
    fn risky(&mut self) -> (String, &'static str) {
        let raising: Vec<usize> =
            (0..self.funcs.len()).filter(|&f| self.funcs[f].may_raise).collect();
        let k = self.rng.below(if raising.is_empty() { 7 } else { 9 });
        self.features.note("risky");
        match k {
            0 => {
                let (a, b) = (self.int_expr(1), self.int_expr(1));
                (format!("print({a} // ({b} % 3))"), "ZeroDivisionError")
            }
            1 => {
                let (a, b) = (self.float_expr(1), self.int_expr(1));
                (format!("print({a} / ({b} % 2))"), "ZeroDivisionError")
            }
            2 => {
                let (l, i) = (self.list_expr(1), self.int_expr(1));
                (format!("print({l}[{i} % 9])"), "IndexError")
            }
            3 => {
                let (d, w) = (self.dict_expr(1), self.str_expr(0));
                (format!("print({d}[{w}])"), "KeyError")
            }
            4 => (format!("print(int({}))", self.str_expr(1)), "ValueError"),
            5 => {
                let (l, v) = (self.list_expr(1), self.int_expr(0));
                (format!("print({l}.index({v}))"), "ValueError")
            }
            6 => {
                let l = self.list_expr(1);
                (format!("print([].pop() if not {l} else {l}[-1])"), "IndexError")
            }
            _ => {
                let f = raising[self.rng.below(raising.len())];
                (format!("print({})", self.call(f, 1)), "GenError")
            }
        }
    }

    fn with_stmt(&mut self) {
        if !self.has_ctx {
            return self.if_stmt();
        }
        self.features.note("with");
        let swallow = self.rng.chance(60);
        let tag = self.word();
        let name = self.fresh("m");
        emit!(self, "with Ctx({tag}, {}) as {name}:", if swallow { "True" } else { "False" });
        self.indent += 1;
        if swallow {
            let (code, _) = self.risky();
            self.line(&code);
        }
        self.indent -= 1;
        self.block(1, 2);
    }

    /// Prints an arbitrary-precision result that is not stored (so it cannot grow further).
    fn bigint_print(&mut self) {
        self.features.note("bigint");
        let a = self.int_expr(1);
        match self.rng.below(4) {
            0 => emit!(self, "print(2 ** {} + {a})", self.rng.range(60, 220)),
            1 => emit!(self, "print(({a}) * 10 ** {} // 7)", self.rng.range(15, 40)),
            2 => emit!(
                self,
                "print(math.factorial({}) % ({a} * 2 + 1 or 1))",
                self.rng.range(20, 40)
            ),
            _ => emit!(
                self,
                "print(-(3 ** {}) // ({a} % 5 + 1), hex({a} << 70))",
                self.rng.range(40, 90)
            ),
        }
    }

    /// The last statement of a program meant to end in an uncaught exception.
    pub(super) fn final_failure(&mut self) {
        self.features.note("uncaught");
        let (line, class) = match self.rng.below(4) {
            0 => (format!("raise GenError(\"final \" + str({}))", self.int_expr(1)), "GenError"),
            1 => (format!("print({{}}[{}])", self.word()), "KeyError"),
            2 => (format!("print([{}][5])", self.int_lit()), "IndexError"),
            _ => (format!("print({} // 0)", self.int_expr(1)), "ZeroDivisionError"),
        };
        self.line(&line);
        self.uncaught = Some(class);
    }
}
