//! Constructs of the later language work (issue 16's last gaps), each kept inside the
//! generator's invariants (see `mod.rs`): `Bag`, a `list` subclass with methods, an
//! overridden `__repr__` calling `super()`; `Tally`, a `dict` subclass with `__missing__`
//! (so its lookups never fail); `del obj.attr` followed by a fresh assignment (objects keep
//! their fields' types); generators driven by `throw`/`close` inside a `try` catching what
//! they raise, and returning a value read back as `StopIteration.value`; `str.format` with
//! nested, converted and attribute fields; assignment expressions (`:=`, also inside a
//! comprehension, which binds in the enclosing scope).

use super::{Gen, Ty};

impl Gen {
    /// The builtin subclasses `Bag` and `Tally` (each in some programs).
    pub(super) fn builtin_subclasses(&mut self) {
        if self.rng.chance(35) {
            self.features.note("list_subclass");
            self.line("class Bag(list):");
            self.line("    def add(self, x):");
            self.line("        self.append(x % 1000)");
            self.line("        return len(self)");
            self.line("    def total(self):");
            self.line("        return sum(self) % 1000");
            self.line("    def __repr__(self):");
            self.line("        return \"Bag(\" + super().__repr__() + \")\"");
            self.line("");
            self.has_bag = true;
        }
        if self.rng.chance(35) {
            self.features.note("dict_subclass");
            self.line("class Tally(dict):");
            self.line("    def __missing__(self, key):");
            self.line("        return len(key)");
            self.line("");
            self.has_tally = true;
        }
    }

    /// One statement using a construct of this file (or a print when none applies).
    pub(super) fn feature_stmt(&mut self) {
        let mut options = vec![0];
        if self.has_bag {
            options.push(1);
        }
        if self.has_tally {
            options.push(2);
        }
        if (0..self.classes.len()).any(|c| !self.vars_of(Ty::Obj(c)).is_empty()) {
            options.push(3);
        }
        if !self.gens.is_empty() && self.work + self.iters * super::CALL_COST < super::WORK_BUDGET {
            options.push(4);
        }
        if self.has_collections {
            options.push(5);
        }
        options.push(6);
        options.push(8);
        if self.has_mod {
            options.push(7);
        }
        match *self.rng.pick(&options) {
            0 if self.rng.chance(30) => {
                self.features.note("walrus");
                let w = self.fresh("wal");
                let e = self.int_expr(2);
                let k = self.int_lit();
                emit!(self, "if (({w} := ({e}) % 1000)) > {k}:");
                emit!(self, "    print({w}, [({w} := {w} // 2) for _ in range(2)], {w})");
                self.declare(&w, Ty::Int);
            }
            0 => {
                self.features.note("format_fields");
                let s = self.format_fields(2);
                emit!(self, "print({s})");
            }
            1 => self.bag_stmt(),
            2 => self.tally_stmt(),
            3 => self.del_attr_stmt(),
            4 => self.gen_protocol_stmt(),
            6 => self.bytes_stmt(),
            7 => self.mod_stmt(),
            8 => self.dir_stmt(),
            _ => self.collection_stmt(),
        }
    }

    /// A `str.format` call with nested spec fields, conversions or attribute/index fields.
    pub(super) fn format_fields(&mut self, d: usize) -> String {
        match self.rng.below(4) {
            0 => {
                let (x, w, p) = (self.float_expr(d), self.rng.range(0, 12), self.rng.range(0, 4));
                format!("\"{{:{{}}.{{}}f}}|\".format({x}, {w}, {p})")
            }
            1 => {
                let (s, w) = (self.str_expr(d), self.rng.range(0, 10));
                let conv = *self.rng.pick(&["r", "s", "a"]);
                format!("\"{{0!{conv}:>{{1}}}}/{{0!{conv}}}\".format({s}, {w})")
            }
            2 => {
                let (n, w) = (self.int_expr(d), self.rng.range(1, 9));
                let align = *self.rng.pick(&["<", ">", "^"]);
                format!("\"{{n:{{f}}{align}{{w}}}}\".format(n={n}, f=\"*\", w={w})")
            }
            _ => {
                let objs: Vec<String> =
                    (0..self.classes.len()).flat_map(|c| self.vars_of(Ty::Obj(c))).collect();
                let l = self.list_expr(d);
                match objs.is_empty() {
                    true => format!("\"{{0[0]}}|{{0[1]}}\".format([7] + ({l}) + [8])"),
                    false => {
                        let o = objs[self.rng.below(objs.len())].clone();
                        format!("\"{{0.a}}/{{0.b}}:{{1[0]}}\".format({o}, [7] + ({l}))")
                    }
                }
            }
        }
    }

    fn bag_stmt(&mut self) {
        self.features.note("bag_op");
        let b = self.fresh("bag");
        let l = self.list_expr(2);
        let e = self.int_expr(2);
        emit!(self, "{b} = Bag(({l})[:20])");
        emit!(
            self,
            "print({b}.add({e}), {b}.total(), {b}, len({b}), isinstance({b}, list), {b}[::-1])"
        );
        self.declare(&b, Ty::IntList);
    }

    fn tally_stmt(&mut self) {
        self.features.note("tally_op");
        let t = self.fresh("tally");
        let d = self.dict_expr(2);
        let (w1, w2) = (self.word(), self.str_expr(1));
        emit!(self, "{t} = Tally({d})");
        emit!(
            self,
            "print({t}[{w1}], {t}[({w2})[:12]], {t}.get({w1}, -1), {t}, type({t}).__name__)"
        );
        self.declare(&t, Ty::StrIntDict);
    }

    fn del_attr_stmt(&mut self) {
        self.features.note("del_attr");
        let objs: Vec<String> =
            (0..self.classes.len()).flat_map(|c| self.vars_of(Ty::Obj(c))).collect();
        let o = objs[self.rng.below(objs.len())].clone();
        let e = self.int_expr(2);
        if self.rng.chance(50) {
            emit!(self, "del {o}.b");
            emit!(self, "print(hasattr({o}, \"b\"), getattr({o}, \"b\", None))");
            emit!(self, "{o}.b = ({e}) % 1009");
        } else {
            emit!(self, "{o}.extra = {e}");
            emit!(self, "delattr({o}, \"extra\")");
            emit!(self, "print(hasattr({o}, \"extra\"), {o}.a, {o}.b)");
        }
    }

    /// Drives a generator by hand: `next` with a default, `throw` of `GenError` (caught,
    /// whether the generator is fresh, suspended or done), `close`, and the return value.
    fn gen_protocol_stmt(&mut self) {
        self.features.note("gen_protocol");
        self.work += self.iters * super::CALL_COST;
        let g = self.gens[self.rng.below(self.gens.len())].clone();
        let n = self.rng.range(0, 9);
        let gi = self.fresh("gi");
        emit!(self, "{gi} = {g}({n})");
        match self.rng.below(3) {
            0 => {
                emit!(self, "print(next({gi}, -1), next({gi}, -1))");
                self.line("try:");
                emit!(self, "    print({gi}.throw(GenError(\"thrown\")))");
                self.line("except GenError as e:");
                self.line("    print(\"GenError\", e)");
                emit!(self, "print(list({gi}))");
            }
            1 => {
                emit!(self, "print(next({gi}, -1))");
                emit!(self, "{gi}.close()");
                emit!(self, "print(next({gi}, \"closed\"), list({gi}))");
            }
            _ => {
                self.line("try:");
                self.line("    while True:");
                emit!(self, "        next({gi})");
                self.line("except StopIteration as e:");
                self.line("    print(\"returned\", e.value)");
            }
        }
    }
}
