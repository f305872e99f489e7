//! The `collections` module's `namedtuple` and `OrderedDict` in generated programs, inside
//! the generator's invariants (see `mod.rs`): `Pt`, a namedtuple of two ints, and `Seg`, a
//! subclass of a namedtuple with a default and a method, are made in some programs; a
//! statement builds instances from bounded ints and prints them through fields, indexes,
//! unpacking, `_replace`, `_asdict`, `_make`, comparisons and sorting. An `OrderedDict`
//! made from a str-to-int dict is declared as one (it is one for every operation the
//! generator uses), after `move_to_end` and a guarded `popitem`.

use super::{Gen, Ty};

impl Gen {
    /// The namedtuple classes `Pt` and `Seg` and the `OrderedDict` import (some programs).
    pub(super) fn collection_types(&mut self) {
        if !self.rng.chance(30) {
            return;
        }
        self.features.note("collections_types");
        self.line("from collections import namedtuple, OrderedDict");
        self.line("Pt = namedtuple(\"Pt\", \"a b\")");
        self.line("class Seg(namedtuple(\"Seg\", [\"p\", \"q\"], defaults=[0])):");
        self.line("    __slots__ = ()");
        self.line("    def span(self):");
        self.line("        return abs(self.q - self.p) % 1000");
        self.line("");
        self.has_collections = true;
    }

    /// One statement on a namedtuple or an OrderedDict.
    pub(super) fn collection_stmt(&mut self) {
        if self.rng.chance(50) {
            self.namedtuple_stmt();
        } else {
            self.ordered_dict_stmt();
        }
    }

    fn namedtuple_stmt(&mut self) {
        self.features.note("namedtuple_op");
        let v = self.fresh("pt");
        let (e1, e2, e3) = (self.int_expr(2), self.int_expr(2), self.int_expr(1));
        emit!(self, "{v} = Pt(({e1}) % 1000, b=({e2}) % 1000)");
        match self.rng.below(3) {
            0 => {
                emit!(
                    self,
                    "print({v}, {v}.a + {v}[1], {v}._replace(a=({e3}) % 7), {v}._asdict(), len({v}))"
                );
            }
            1 => {
                let (x, y) = (self.fresh("nx"), self.fresh("ny"));
                emit!(self, "{x}, {y} = {v}");
                emit!(
                    self,
                    "print({x} - {y}, tuple({v}), {v} == ({x}, {y}), {v} < Pt({y}, {x}), hash({v}) == hash(({x}, {y})))"
                );
                self.declare(&x, Ty::Int);
                self.declare(&y, Ty::Int);
            }
            _ => {
                let s = self.fresh("seg");
                emit!(self, "{s} = Seg({v}.b, ({e3}) % 1000)");
                emit!(
                    self,
                    "print({s}, {s}.span(), Seg({v}.a), Seg._make({v}), sorted([{s}, Seg(*{v}), Seg({v}.a)]), type({s}).__name__)"
                );
            }
        }
    }

    fn ordered_dict_stmt(&mut self) {
        self.features.note("ordered_dict_op");
        let o = self.fresh("od");
        let d = self.dict_expr(2);
        let (w, e) = (self.word(), self.int_expr(2));
        let last = *self.rng.pick(&["True", "False"]);
        emit!(self, "{o} = OrderedDict({d})");
        emit!(self, "{o}[{w}] = ({e}) % 1000");
        emit!(self, "{o}.move_to_end({w}, last={last})");
        emit!(self, "print({o}, list({o}), {o} == OrderedDict(reversed(list({o}.items()))), {o} == dict({o}))");
        emit!(self, "if len({o}) > 1:");
        emit!(self, "    print({o}.popitem(last={last}), {o})");
        self.declare(&o, Ty::StrIntDict);
    }
}
