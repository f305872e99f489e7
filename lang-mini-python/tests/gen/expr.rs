//! Expressions of a given [`Ty`] that cannot fail (the generator's invariant: failures happen
//! only in `risky` operations inside a `try`, see `stmt.rs`). `depth` bounds nesting; at depth
//! 0 only leaves (literals and variables) are generated. Every compound expression is fully
//! parenthesized, so no precedence question arises.

use super::{Gen, Ty, WORDS};

/// Float literals, all finite and exactly printed by `repr`.
const FLOATS: &[&str] =
    &["0.5", "1.25", "-2.5", "3.0", "0.1", "1e-3", "2.75", "100.0", "7.", ".25"];

impl Gen {
    /// An expression of type `ty`.
    pub(super) fn expr(&mut self, ty: Ty, depth: usize) -> String {
        match ty {
            Ty::Int => self.int_expr(depth),
            Ty::Float => self.float_expr(depth),
            Ty::Str => self.str_expr(depth),
            Ty::Bool => self.bool_expr(depth),
            Ty::IntList => self.list_expr(depth),
            Ty::StrIntDict => self.dict_expr(depth),
            Ty::Obj(c) => self.obj_expr(c, depth),
        }
    }

    /// A variable of type `ty` if one is in scope (chosen at random), else `None`.
    fn var(&mut self, ty: Ty) -> Option<String> {
        let vars = self.vars_of(ty);
        if vars.is_empty() {
            return None;
        }
        Some(vars[self.rng.below(vars.len())].clone())
    }

    pub(super) fn word(&mut self) -> String {
        let w = *self.rng.pick(WORDS);
        format!("{w:?}")
    }

    pub(super) fn int_lit(&mut self) -> String {
        match self.rng.below(4) {
            0 => self.rng.range(-9, -1).to_string(),
            1 => self.rng.range(0, 9).to_string(),
            2 => self.rng.range(10, 1000).to_string(),
            _ => self.rng.range(-300, 300).to_string(),
        }
    }

    /// A nonzero int divisor.
    fn divisor(&mut self, depth: usize) -> String {
        if self.rng.chance(60) {
            let d = *self.rng.pick(&[2i64, 3, 7, 10, -3, -4, 13, 1000]);
            d.to_string()
        } else {
            format!("(abs({}) % 7 + 1)", self.int_expr(depth))
        }
    }

    pub(super) fn int_expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(25) {
            return match self.var(Ty::Int) {
                Some(v) if self.rng.chance(70) => v,
                _ => self.int_lit(),
            };
        }
        let d = depth - 1;
        match self.rng.below(24) {
            0 | 1 => format!("({} + {})", self.int_expr(d), self.int_expr(d)),
            2 => format!("({} - {})", self.int_expr(d), self.int_expr(d)),
            3 | 4 => format!("({} * {})", self.int_expr(d), self.int_expr(d)),
            5 => format!("({} // {})", self.int_expr(d), self.divisor(d)),
            6 => format!("({} % {})", self.int_expr(d), self.divisor(d)),
            7 => {
                let op = *self.rng.pick(&["&", "|", "^"]);
                format!("({} {op} {})", self.int_expr(d), self.int_expr(d))
            }
            8 => {
                let op = *self.rng.pick(&["<<", ">>"]);
                format!("({} {op} {})", self.int_expr(d), self.rng.range(0, 9))
            }
            9 => {
                let base = self.int_expr(0);
                format!("({base} ** {})", self.rng.range(0, 3))
            }
            10 => format!("abs({})", self.int_expr(d)),
            11 => format!("min({}, {})", self.int_expr(d), self.int_expr(d)),
            12 => format!("max({}, {}, {})", self.int_expr(d), self.int_expr(d), self.int_expr(d)),
            13 => format!("len({})", self.list_expr(d)),
            14 => format!("len({})", self.str_expr(d)),
            15 => format!("sum({})", self.list_expr(d)),
            16 => {
                let l = self.list_expr(0);
                format!("({l}[{} % len({l})] if {l} else -1)", self.int_expr(d))
            }
            17 => format!("int({})", self.float_expr(d)),
            18 => format!("round({})", self.float_expr(d)),
            19 => {
                format!("({} if {} else {})", self.int_expr(d), self.bool_expr(d), self.int_expr(d))
            }
            20 => {
                let dict = self.dict_expr(0);
                format!("{dict}.get({}, {})", self.word(), self.int_lit())
            }
            21 => {
                let s = self.str_expr(0);
                match self.rng.below(3) {
                    0 => format!("(ord({s}[0]) if {s} else 0)"),
                    1 => format!("{s}.count({})", self.word()),
                    _ => format!("{s}.find({})", self.word()),
                }
            }
            22 => format!("len([x for x in {} if x % 2 == 0])", self.list_expr(d)),
            _ => self.int_call(d),
        }
    }

    /// A call returning an int that cannot fail: a safe function, a method, a generator sum,
    /// a closure, the recursive function; a plain arithmetic expression if none exists.
    fn int_call(&mut self, d: usize) -> String {
        let mut options: Vec<usize> = Vec::new();
        let safe: Vec<usize> = (0..self.funcs.len())
            .filter(|&i| self.funcs[i].ret == Ty::Int && !self.funcs[i].may_raise)
            .collect();
        if !safe.is_empty() {
            options.push(0);
        }
        let objs: Vec<(String, usize)> = (0..self.classes.len())
            .flat_map(|c| self.vars_of(Ty::Obj(c)).into_iter().map(move |v| (v, c)))
            .collect();
        if !objs.is_empty() {
            options.push(1);
        }
        if !self.gens.is_empty() {
            options.push(2);
        }
        if !self.counter_vars.is_empty() && !self.in_def {
            options.push(3);
        }
        if self.recursive.is_some() {
            options.push(4);
        }
        if options.is_empty() || self.work + self.iters * super::CALL_COST > super::WORK_BUDGET {
            return format!("({} + {})", self.int_expr(d), self.int_lit());
        }
        self.features.note("call_in_expr");
        self.work += self.iters * super::CALL_COST;
        match *self.rng.pick(&options) {
            0 => {
                let f = safe[self.rng.below(safe.len())];
                self.call(f, d)
            }
            1 => {
                let (v, _) = objs[self.rng.below(objs.len())].clone();
                match self.rng.below(3) {
                    0 => format!("{v}.a"),
                    1 => format!("{v}.b"),
                    _ => format!("{v}.total()"),
                }
            }
            2 => {
                let g = self.gens[self.rng.below(self.gens.len())].clone();
                let n = self.rng.range(0, 12);
                match self.rng.below(3) {
                    0 => format!("sum({g}({n}))"),
                    1 => format!("len(list({g}({n})))"),
                    _ => format!("sum(x * x for x in {g}({n}))"),
                }
            }
            3 => {
                let c = self.counter_vars[self.rng.below(self.counter_vars.len())].clone();
                format!("{c}({})", self.int_expr(d))
            }
            _ => {
                let r = self.recursive.clone().expect("checked");
                format!("{r}({}, {})", self.rng.range(0, 25), self.int_expr(d))
            }
        }
    }

    /// A call of `funcs[f]` with arguments of its parameter types, sometimes by keyword,
    /// sometimes leaving defaults out.
    pub(super) fn call(&mut self, f: usize, d: usize) -> String {
        let info = self.funcs[f].clone();
        let required = info.params.len() - info.defaults;
        let n = required + self.rng.below(info.defaults + 1);
        let by_keyword = self.rng.chance(30);
        let mut args = Vec::new();
        for (i, ty) in info.params.iter().take(n).enumerate() {
            let e = self.expr(*ty, d);
            if by_keyword && i >= required.min(1) {
                args.push(format!("p{i}={e}"));
            } else {
                args.push(e);
            }
        }
        format!("{}({})", info.name, args.join(", "))
    }

    pub(super) fn float_expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(25) {
            return match self.var(Ty::Float) {
                Some(v) if self.rng.chance(65) => v,
                _ => self.rng.pick(FLOATS).to_string(),
            };
        }
        let d = depth - 1;
        match self.rng.below(10) {
            0 | 1 => format!("({} + {})", self.float_expr(d), self.float_expr(d)),
            2 => format!("({} - {})", self.float_expr(d), self.int_expr(d)),
            3 => format!("({} * {})", self.float_expr(d), self.float_expr(d)),
            4 => format!(
                "({} / {})",
                self.float_expr(d),
                self.rng.pick(&["2", "3.0", "-4", "0.5", "7"])
            ),
            5 => format!("({} / {})", self.int_expr(d), self.divisor(d)),
            6 => format!("float({})", self.int_expr(d)),
            7 => format!("math.sqrt(abs({}))", self.float_expr(d)),
            8 => format!("round({}, {})", self.float_expr(d), self.rng.range(0, 3)),
            _ => format!("({} // {})", self.float_expr(d), self.rng.pick(&["2", "0.5", "3.0"])),
        }
    }

    pub(super) fn str_expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(20) {
            return match self.var(Ty::Str) {
                Some(v) if self.rng.chance(65) => v,
                _ => self.word(),
            };
        }
        let d = depth - 1;
        match self.rng.below(20) {
            0 | 1 => format!("({} + {})", self.str_expr(d), self.str_expr(d)),
            2 => {
                let m = *self.rng.pick(&["upper", "lower", "strip", "title", "lstrip", "rstrip"]);
                format!("{}.{m}()", self.str_expr(d))
            }
            3 => format!(
                "{}.replace({}, {})",
                self.str_expr(d),
                self.rng.pick(&["\"a\"", "\" \"", "\"ï\""]),
                self.word()
            ),
            4 => {
                let (i, j) = (self.rng.range(-4, 4), self.rng.range(-2, 8));
                match self.rng.below(3) {
                    0 => format!("{}[{i}:{j}]", self.str_expr(d)),
                    1 => format!("{}[::-1]", self.str_expr(d)),
                    _ => format!("{}[::{}]", self.str_expr(d), self.rng.pick(&["2", "-2", "3"])),
                }
            }
            5 => format!("({} * {})", self.str_expr(d), self.rng.range(0, 3)),
            6 => format!("str({})", self.int_expr(d)),
            7 => format!("str({})", self.float_expr(d)),
            8 => format!("repr({})", self.str_expr(d)),
            9 => {
                // Leaves only, and single quotes outside: CPython 3.11 allows neither the
                // f-string's own quote nor a nested f-string inside its braces.
                let (a, b, c) = (self.int_expr(0), self.float_expr(0), self.str_expr(0));
                match self.rng.below(3) {
                    0 => format!("f'{{{a}}}:{{{b}:.2f}}'"),
                    1 => format!("f'[{{{a}:5d}}] {{{c}:>8}}'"),
                    _ => format!("f'{{{c}}} {{{b}}} {{{a} % 7}}'"),
                }
            }
            10 => {
                let (a, b) = (self.str_expr(d), self.int_expr(d));
                match self.rng.below(3) {
                    0 => format!("(\"%s=%d\" % ({a}, {b}))"),
                    1 => format!("(\"%r/%x\" % ({a}, {b}))"),
                    _ => format!("(\"%.3f\" % {})", self.float_expr(d)),
                }
            }
            11 if self.rng.chance(50) => self.format_fields(d),
            11 => format!("\"{{}}|{{:.1f}}\".format({}, {})", self.int_expr(d), self.float_expr(d)),
            12 => format!("\",\".join(str(x) for x in {})", self.list_expr(d)),
            13 => {
                let w = self.rng.range(0, 10);
                match self.rng.below(3) {
                    0 => format!("{}.center({w}, \"*\")", self.str_expr(d)),
                    1 => format!("{}.ljust({w})", self.str_expr(d)),
                    _ => format!("{}.rjust({w}, \".\")", self.str_expr(d)),
                }
            }
            14 => format!("\"-\".join({}.split())", self.str_expr(d)),
            15 => format!("str({})", self.bool_expr(d)),
            16 => format!("str({})", self.list_expr(d)),
            17 => format!("str({})", self.dict_expr(0)),
            18 => format!("type({}).__name__", self.any_printable(d)),
            _ => {
                let objs: Vec<String> =
                    (0..self.classes.len()).flat_map(|c| self.vars_of(Ty::Obj(c))).collect();
                if objs.is_empty() {
                    return self.word();
                }
                let o = objs[self.rng.below(objs.len())].clone();
                if self.rng.chance(50) {
                    format!("{o}.name")
                } else {
                    format!("{o}.label()")
                }
            }
        }
    }

    /// An expression of any type that can be printed.
    pub(super) fn any_printable(&mut self, d: usize) -> String {
        loop {
            let ty = self.any_ty();
            if self.printable(ty) {
                return self.expr(ty, d);
            }
        }
    }

    /// A type, objects included when classes exist.
    pub(super) fn any_ty(&mut self) -> Ty {
        let k = self.rng.below(8);
        match k {
            0 | 1 => Ty::Int,
            2 => Ty::Float,
            3 => Ty::Str,
            4 => Ty::Bool,
            5 => Ty::IntList,
            6 => Ty::StrIntDict,
            _ if !self.classes.is_empty() => Ty::Obj(self.rng.below(self.classes.len())),
            _ => Ty::Str,
        }
    }

    pub(super) fn bool_expr(&mut self, depth: usize) -> String {
        if depth == 0 {
            let a = self.int_expr(0);
            return format!("({a} > {})", self.int_lit());
        }
        let d = depth - 1;
        match self.rng.below(12) {
            0 | 1 => {
                let op = *self.rng.pick(&["<", "<=", ">", ">=", "==", "!="]);
                format!("({} {op} {})", self.int_expr(d), self.int_expr(d))
            }
            2 => format!("({} < {} <= {})", self.int_expr(d), self.int_expr(d), self.int_expr(d)),
            3 => {
                let op = *self.rng.pick(&["<", ">=", "=="]);
                format!("({} {op} {})", self.float_expr(d), self.float_expr(d))
            }
            4 => {
                let op = *self.rng.pick(&["<", "==", "!="]);
                format!("({} {op} {})", self.str_expr(d), self.str_expr(d))
            }
            5 => format!("({} in {})", self.int_expr(d), self.list_expr(d)),
            6 => format!("({} in {})", self.word(), self.dict_expr(d)),
            7 => format!("(not {})", self.bool_expr(d)),
            8 => {
                let op = *self.rng.pick(&["and", "or"]);
                format!("({} {op} {})", self.bool_expr(d), self.bool_expr(d))
            }
            9 => {
                let m = *self.rng.pick(&["isdigit", "isalpha", "isspace"]);
                format!("{}.{m}()", self.str_expr(d))
            }
            10 => format!("{}.startswith({})", self.str_expr(d), self.word()),
            _ => {
                let objs: Vec<(String, usize)> = (0..self.classes.len())
                    .flat_map(|c| self.vars_of(Ty::Obj(c)).into_iter().map(move |v| (v, c)))
                    .collect();
                match objs.is_empty() {
                    true => format!("bool({})", self.list_expr(d)),
                    false => {
                        let (o, c) = objs[self.rng.below(objs.len())].clone();
                        let other = self.obj_expr(c, d);
                        if self.classes[c].has_order && self.rng.chance(50) {
                            format!("({o} < {other})")
                        } else {
                            format!("({o} == {other})")
                        }
                    }
                }
            }
        }
    }

    pub(super) fn list_expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(25) {
            if let Some(v) = self.var(Ty::IntList) {
                if self.rng.chance(70) {
                    return v;
                }
            }
            let n = self.rng.below(5);
            let items: Vec<String> = (0..n).map(|_| self.int_lit()).collect();
            return format!("[{}]", items.join(", "));
        }
        let d = depth - 1;
        match self.rng.below(12) {
            0 => format!("sorted({})", self.list_expr(d)),
            1 => format!("sorted({}, reverse=True)", self.list_expr(d)),
            2 => format!("sorted({}, key=lambda x: (x % 5, -x))", self.list_expr(d)),
            3 => format!(
                "{}[{}:{}]",
                self.list_expr(d),
                self.rng.range(-3, 2),
                self.rng.range(-1, 6)
            ),
            4 => format!("[x * {} % 97 for x in {}]", self.int_lit(), self.list_expr(d)),
            5 => format!("[x for x in {} if x > {}]", self.list_expr(d), self.int_lit()),
            6 => format!("list(range({}, {}))", self.rng.range(-3, 3), self.rng.range(0, 9)),
            7 => format!("({} + {})[:30]", self.list_expr(d), self.list_expr(d)),
            8 => format!("list(map(lambda x: x - {}, {}))", self.int_lit(), self.list_expr(d)),
            9 => format!("list(filter(lambda x: x % 3, {}))", self.list_expr(d)),
            10 if self.has_bag && self.rng.chance(50) => format!("Bag({})", self.list_expr(d)),
            10 => format!("[i * i for i in range({})]", self.rng.range(0, 8)),
            _ => match self.gens.is_empty() {
                true => format!("{}[::-1]", self.list_expr(d)),
                false => {
                    let g = self.gens[self.rng.below(self.gens.len())].clone();
                    format!("list({g}({}))", self.rng.range(0, 9))
                }
            },
        }
    }

    pub(super) fn dict_expr(&mut self, depth: usize) -> String {
        if depth == 0 || self.rng.chance(40) {
            if let Some(v) = self.var(Ty::StrIntDict) {
                if self.rng.chance(70) {
                    return v;
                }
            }
            let n = self.rng.below(4);
            let items: Vec<String> =
                (0..n).map(|_| format!("{}: {}", self.word(), self.int_lit())).collect();
            return format!("{{{}}}", items.join(", "));
        }
        let d = depth - 1;
        match self.rng.below(3) {
            0 => format!("{{w: len(w) for w in {}.split()}}", self.str_expr(d)),
            1 if self.has_tally && self.rng.chance(40) => format!("Tally({})", self.dict_expr(d)),
            1 => format!("dict(zip([{}, {}], {}))", self.word(), self.word(), self.list_expr(d)),
            _ => format!("{}.copy()", self.dict_expr(d)),
        }
    }

    /// An instance of class `c` (a variable or a construction).
    pub(super) fn obj_expr(&mut self, c: usize, depth: usize) -> String {
        if let Some(v) = self.var(Ty::Obj(c)) {
            if self.rng.chance(60) {
                return v;
            }
        }
        let d = depth.saturating_sub(1);
        let name = self.classes[c].name.clone();
        let (a, b, s) = (self.int_expr(d), self.int_expr(d), self.str_expr(d));
        if self.classes[c].base.is_some() {
            format!("{name}({a}, {b}, {s}, {})", self.int_lit())
        } else if self.rng.chance(30) {
            format!("{name}({a}, {b})")
        } else {
            format!("{name}({a}, {b}, name={s})")
        }
    }
}
