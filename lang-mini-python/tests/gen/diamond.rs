//! Multiple inheritance in generated programs: in some programs, a diamond `DBase` <-
//! `DLeft`, `DRight` <- `DJoin` (bases in either order, sometimes a mixin `DMix` first)
//! whose `__init__`s and methods chain through `super()`, so the output shows C3's order
//! (the `trail` each `__init__` appends to, the values each override folds in, `__mro__`).
//!
//! Invariant: the diamond draws its numbers from its own random stream, seeded from the
//! program's seed without advancing the main one, and its lines go before the final
//! `print("end")`; so every other construct of a seed's program is the one it was before
//! the diamond existed (the known-failure seeds keep their meaning). Values stay small
//! ints (every override reduces modulo 1000).

use super::{Gen, Rng};

impl Gen {
    /// The diamond's classes and a loop printing what instances of `DJoin` show.
    pub(super) fn diamond(&mut self, side: &mut Rng) {
        if !side.chance(40) {
            return;
        }
        self.features.note("diamond");
        let (l, ml, r, ar, j) = (
            side.range(0, 9),
            side.range(2, 9),
            side.range(2, 5),
            side.range(1, 99),
            side.range(1, 9),
        );
        self.line("class DBase:");
        self.line("    def __init__(self, k):");
        self.line("        self.trail = [\"DBase\"]");
        self.line("        self.k = k");
        self.line("    def value(self):");
        self.line("        return self.k");
        self.line("    def tag(self):");
        self.line("        return \"base\"");
        self.line("");
        self.line("class DLeft(DBase):");
        self.line("    def __init__(self, k):");
        emit!(self, "        super().__init__(k + {l})");
        self.line("        self.trail.append(\"DLeft\")");
        self.line("    def value(self):");
        emit!(self, "        return super().value() * {ml} % 1000");
        self.line("");
        self.line("class DRight(DBase):");
        self.line("    def __init__(self, k):");
        emit!(self, "        super().__init__(k * {r})");
        self.line("        self.trail.append(\"DRight\")");
        self.line("    def value(self):");
        emit!(self, "        return (super().value() + {ar}) % 1000");
        if side.chance(50) {
            self.line("    def tag(self):");
            self.line("        return \"right/\" + super().tag()");
        }
        self.line("");
        let mix = side.chance(40);
        if mix {
            self.features.note("mixin");
            self.line("class DMix:");
            self.line("    def describe(self):");
            self.line("        return type(self).__name__ + \":\" + str(self.value())");
            self.line("");
        }
        let bases = if side.chance(50) { "DLeft, DRight" } else { "DRight, DLeft" };
        let bases = if mix { format!("DMix, {bases}") } else { bases.to_string() };
        emit!(self, "class DJoin({bases}):");
        if side.chance(60) {
            self.line("    def value(self):");
            emit!(self, "        return (super().value() - {j}) % 1000");
        } else {
            self.line("    pass");
        }
        self.line("");
        let ks: Vec<String> =
            (0..1 + side.below(3)).map(|_| side.range(0, 50).to_string()).collect();
        emit!(self, "for dk in [{}]:", ks.join(", "));
        self.line("    dj = DJoin(dk)");
        self.line("    print(dj.trail, dj.value(), dj.tag(), dj.k, isinstance(dj, DLeft), isinstance(dj, DRight))");
        if mix {
            self.line("    print(dj.describe(), DLeft.value(dj), DRight.value(dj))");
        }
        self.line("print([c.__name__ for c in DJoin.__mro__], issubclass(DJoin, DBase), DJoin.__bases__ == (DLeft, DRight))");
    }
}
