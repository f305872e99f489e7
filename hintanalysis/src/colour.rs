//! The abstract domain of the binding-time analysis.
//!
//! A value's [`Abs`] says when it is known: [`Colour::Green`] (at compile time, when the JIT
//! specialises the interpreter) or [`Colour::Red`] (only at run time). Two refinements ride
//! along for pointers:
//! - `frozen`: everything reachable from the pointer is immutable for the JIT (a `deepfreeze`
//!   hint): reads through a green frozen pointer with green indexes are green;
//! - `class_known`: the object's run-time type is known at compile time (a `promote_class`
//!   hint, or any green pointer): `instanceof`/`typeof` on it are green.
//!
//! The lattice is ordered Green < Red, and `frozen`/`class_known` are lost in a join unless
//! every side has them. [`Abs::join`] is the least upper bound.

use std::fmt;

/// When a value is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Colour {
    /// Known at compile time: the JIT computes it while specialising.
    Green,
    /// Known only at run time: the JIT emits residual code for it.
    Red,
}

/// The abstract value of a variable: its colour and what is known about what it points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Abs {
    /// Green or red.
    pub colour: Colour,
    /// Everything reachable from this (green) pointer is immutable for the JIT.
    pub frozen: bool,
    /// The run-time type of this pointer is known at compile time.
    pub class_known: bool,
}

impl Abs {
    /// A plain green value.
    pub const GREEN: Abs = Abs { colour: Colour::Green, frozen: false, class_known: true };
    /// A green, deep-frozen pointer.
    pub const GREEN_FROZEN: Abs = Abs { colour: Colour::Green, frozen: true, class_known: true };
    /// A plain red value.
    pub const RED: Abs = Abs { colour: Colour::Red, frozen: false, class_known: false };
    /// A red pointer whose class was promoted.
    pub const RED_CLASS: Abs = Abs { colour: Colour::Red, frozen: false, class_known: true };

    /// Whether the value is green.
    pub fn is_green(self) -> bool {
        self.colour == Colour::Green
    }

    /// `green` or `red`, without the refinements.
    pub fn colour_name(self) -> &'static str {
        match self.colour {
            Colour::Green => "green",
            Colour::Red => "red",
        }
    }

    /// The least upper bound: red if either is red; refinements only if both have them.
    pub fn join(self, other: Abs) -> Abs {
        let colour = self.colour.max(other.colour);
        Abs {
            colour,
            frozen: colour == Colour::Green && self.frozen && other.frozen,
            class_known: self.class_known && other.class_known,
        }
    }

    /// Green if every input is green (the rule for pure operations), keeping nothing else.
    pub fn all_green(inputs: impl IntoIterator<Item = Abs>) -> Abs {
        if inputs.into_iter().all(Abs::is_green) {
            Abs::GREEN
        } else {
            Abs::RED
        }
    }
}

impl fmt::Display for Abs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.colour, self.frozen, self.class_known) {
            (Colour::Green, true, _) => f.write_str("green*"),
            (Colour::Green, false, _) => f.write_str("green"),
            (Colour::Red, _, true) => f.write_str("red+class"),
            (Colour::Red, _, false) => f.write_str("red"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_is_the_least_upper_bound() {
        assert_eq!(Abs::GREEN.join(Abs::GREEN), Abs::GREEN);
        assert_eq!(Abs::GREEN.join(Abs::RED), Abs::RED);
        assert_eq!(Abs::GREEN_FROZEN.join(Abs::GREEN), Abs::GREEN);
        assert_eq!(Abs::GREEN_FROZEN.join(Abs::GREEN_FROZEN), Abs::GREEN_FROZEN);
        assert_eq!(Abs::RED_CLASS.join(Abs::GREEN), Abs::RED_CLASS);
        assert_eq!(Abs::RED_CLASS.join(Abs::RED), Abs::RED);
        for a in [Abs::GREEN, Abs::GREEN_FROZEN, Abs::RED, Abs::RED_CLASS] {
            assert_eq!(a.join(a), a);
            for b in [Abs::GREEN, Abs::GREEN_FROZEN, Abs::RED, Abs::RED_CLASS] {
                assert_eq!(a.join(b), b.join(a));
            }
        }
    }
}
