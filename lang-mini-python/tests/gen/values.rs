//! Constructs of the fifth session's issue-16 work, kept inside the generator's invariants
//! (see `mod.rs`): bytes made by encoding a str expression (utf-8 or latin-1: the words the
//! generator makes are all below U+0100) and used as a sequence, with its methods and
//! decoded back; `Mod`, an `int` subclass overriding `__add__`/`__radd__`, `__eq__` and
//! `__hash__` (its values stay below 1000, so it is never beyond 64 bits), used with ints,
//! in sums, as dict keys and in sorted lists (ordered by int's `<`); `dir()` of an object
//! of a generated class, filtered to its public names.

use super::{Gen, Ty};

impl Gen {
    /// The `int` subclass `Mod` (in some programs).
    pub(super) fn value_subclasses(&mut self) {
        if self.rng.chance(35) {
            self.features.note("int_subclass_ops");
            self.line("class Mod(int):");
            self.line("    def __add__(self, o):");
            self.line("        return Mod((int(self) + int(o)) % 97)");
            self.line("    __radd__ = __add__");
            self.line("    def __eq__(self, o):");
            self.line("        return int(self) % 97 == int(o) % 97");
            self.line("    def __hash__(self):");
            self.line("        return int(self) % 97");
            self.line("    def __repr__(self):");
            self.line("        return \"Mod(%d)\" % int(self)");
            self.line("");
            self.has_mod = true;
        }
    }

    /// A print of bytes made from a str expression.
    pub(super) fn bytes_stmt(&mut self) {
        self.features.note("bytes");
        let s = self.str_expr(2);
        let b = self.fresh("by");
        let enc = *self.rng.pick(&["\"utf-8\"", "\"latin-1\""]);
        emit!(self, "{b} = ({s}).encode({enc})");
        match self.rng.below(3) {
            0 => emit!(self, "print({b}, len({b}), {b}.decode({enc}), {b}[:3], list({b}[-2:]), {b}[::-1])"),
            1 => emit!(
                self,
                "print({b}.hex(), {b}.upper(), {b} + b\"!\", {b} * 2, b\"a\" in {b}, {b}.count(b\"a\"), {b}.find(b\" \"))"
            ),
            _ => emit!(
                self,
                "print({b}.split(), b\"-\".join({b}.split()), {b}.strip(), {b}.replace(b\"a\", b\"A\"), {b} < b\"m\", sorted({b})[:3])"
            ),
        }
    }

    /// A print using `Mod`.
    pub(super) fn mod_stmt(&mut self) {
        let e = self.int_expr(2);
        let m = self.fresh("md");
        let k = self.int_lit();
        emit!(self, "{m} = Mod(({e}) % 1000)");
        match self.rng.below(3) {
            0 => emit!(self, "print({m}, {m} + {k}, {k} + {m}, {m} - {k}, {m} * 2, sum([{m}, {m}, 1]))"),
            1 => emit!(self, "print({m} == {k}, {m} != {k}, {{{m}: 1}}.get(Mod({k})), sorted([{m}, Mod({k}), Mod(3)]))"),
            _ => emit!(self, "print(int.__add__({m}, {k}), isinstance({m}, int), str({m}), {m} + {m} == {m} + {m})"),
        }
    }

    /// A print of an object's public names.
    pub(super) fn dir_stmt(&mut self) {
        let objs: Vec<String> =
            (0..self.classes.len()).flat_map(|c| self.vars_of(Ty::Obj(c))).collect();
        if objs.is_empty() {
            return self.bytes_stmt();
        }
        self.features.note("dir");
        let o = objs[self.rng.below(objs.len())].clone();
        emit!(self, "print([n for n in dir({o}) if not n.startswith(\"_\")], len(dir({o})))");
    }
}
