//! The payoff model: the JIT compiles only as much as the work it has seen can pay for
//! (issue 17: the JIT must never make a program slower than the interpreter it replaces).
//!
//! Vocabulary. *Observed work* is counted in interpreter visits of the global merge point
//! (one visit is one step of the interpreted program): the visits the tiered interpreter
//! reports, the visits that enter compiled code, and [`MISS_VISITS`] for each flexswitch miss
//! or generic fallback call (compiled code ran up to it). *Compile work* is the residual ops
//! the run has compiled (entry graphs, cases, recompilations: [`crate::bounds::CompileWork`]).
//! The *credit* is [`Payoff::free_ops`] plus one op per [`Payoff::visits_per_op`] visits
//! observed. A compilation may start only while the compile work is within the credit; one
//! that would start past it is *deferred*, never refused for good: the merge point's key keeps
//! counting, a new portal key runs the interpreter for this call, a new value at a flexswitch
//! goes on through the switch's generic fallback, a recompilation with the cases inline is
//! skipped (the cases stay reachable through the hook). When enough work has been observed,
//! compiling resumes.
//!
//! Why this bounds the loss: one residual op costs the engine and LLVM at O0 about as much as
//! several thousand visits of the translated interpreter (measured on the generated TLC
//! corpus: ~0.1 ms of CPU per op, ~13 ns per visit), so a run compiles at most
//! `free_ops` plus a fixed fraction of what it has executed — PyPy bounds its tracing with
//! thresholds and trace limits for the same reason. The model is deterministic (counts, not
//! clocks), so the residual code of a run does not depend on the machine's load.
//!
//! *Room*: the credit minus the compile work, the most residual ops the next compilation may
//! make. With [`Payoff::fit`], an entry compilation (a hot merge point or portal key) runs the engine with its op
//! budget cut to the room, so the size is checked before any of it is paid for rather than
//! after: a compilation that would need more runs out early (engine work of at most the room,
//! no backend work at all) and is deferred until the room has *doubled*
//! ([`Ledger::ran_out`]), so the engine work thrown away is bounded by a geometric series:
//! about twice the room of the compilation that finally fits. A compilation that fits resets
//! that ([`Ledger::fitted`]).
//!
//! Logging: the stage `payoff` of `RPY_JIT_LOG` logs each change between compiling and
//! deferring, with the figures.

/// The least room in which a compilation that must fit ([`Payoff::fit`]) is tried: smaller
/// rooms fit no compilation worth making (an entry graph's check alone is a few ops), and
/// each try costs the hint analysis (once, ~0.2 s for mini-Python) and a run of the engine
/// that is thrown away. Measured: mini-Python's deltablue, whose credit reaches 2 ops late in
/// a 4.5 s run, tried at rooms of 2, 4, ... and ran 10% slower in jit mode than translated
/// while compiling nothing.
pub const MIN_FIT_ROOM: usize = 64;

/// Visits a flexswitch miss (or a call of a switch's generic fallback) stands for.
pub const MISS_VISITS: u64 = 64;

/// How many more visits a retry of a deferred flexswitch case needs per residual op than a
/// first compilation ([`crate::JitConfig::resume_deferred`]): a retry resumes compiled code
/// through a fallback whose state was forced, and what it compiles has not yet been shown to
/// beat the interpreter (on issue 17's corpus, most programs' first-tier code does not), so
/// it must be paid for by a run that has gone on for long. Measured: at the payoff rate
/// itself (factor 1) the corpus's short programs compiled twice as often and ran slower.
pub const RETRY_VISITS_FACTOR: u64 = 4;

/// The settings of the payoff model ([`crate::JitConfig::payoff`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payoff {
    /// Residual ops a run may compile before it has observed any work: enough for the first
    /// loops of a program (the paper's benchmarks compile a few hundred ops each).
    pub free_ops: usize,
    /// Visits observed that pay for one more residual op.
    pub visits_per_op: u64,
    /// Whether an entry compilation must *fit* in the room (its op budget cut to the credit
    /// left: see the module header), rather than start whenever the compile work so far is
    /// within the credit and overdraw it. TLC's model overdraws (its first compilations
    /// often pass `free_ops`); a language whose residual ops cost more fits.
    pub fit: bool,
}

/// The default settings (see the module header for the reasoning).
impl Default for Payoff {
    fn default() -> Payoff {
        Payoff { free_ops: 300, visits_per_op: 16000, fit: false }
    }
}

impl Payoff {
    /// A model that never defers (for tests of what compiling does on its own).
    pub const UNBOUNDED: Payoff = Payoff { free_ops: usize::MAX, visits_per_op: 1, fit: false };

    /// The settings `spec` names: `FREE_OPS,VISITS_PER_OP` (overdrawing) or
    /// `FREE_OPS,VISITS_PER_OP,fit` ([`Payoff::fit`]), or `off` ([`Payoff::UNBOUNDED`]);
    /// `None` if it names none.
    pub fn parse(spec: &str) -> Option<Payoff> {
        if spec.trim() == "off" {
            return Some(Payoff::UNBOUNDED);
        }
        let mut parts = spec.split(',').map(str::trim);
        let free_ops = parts.next()?.parse().ok()?;
        let visits_per_op = parts.next()?.parse().ok()?;
        let fit = match parts.next() {
            None => false,
            Some("fit") => true,
            Some(_) => return None,
        };
        parts.next().is_none().then_some(Payoff { free_ops, visits_per_op, fit })
    }

    /// The stricter settings a retry of a deferred case is weighed by
    /// ([`RETRY_VISITS_FACTOR`]).
    pub fn for_retry(&self) -> Payoff {
        let visits_per_op = self.visits_per_op.saturating_mul(RETRY_VISITS_FACTOR);
        Payoff { visits_per_op, ..*self }
    }

    /// The visits a flexswitch miss (or a generic fallback's call) is observed as:
    /// [`MISS_VISITS`], or one where compilations fit ([`Payoff::fit`]: residual ops cost
    /// more there, and a miss surely stands for one visit only — an entry graph entered per
    /// guest call and leaving at its first flexswitch would otherwise count 64 visits a call
    /// and pay for compiling more of what makes the program slower).
    pub fn miss_visits(&self) -> u64 {
        if self.fit {
            1
        } else {
            MISS_VISITS
        }
    }

    /// The residual ops `visits` observed visits pay for.
    pub fn credit(&self, visits: u64) -> usize {
        let earned = visits / self.visits_per_op.max(1);
        self.free_ops.saturating_add(usize::try_from(earned).unwrap_or(usize::MAX))
    }

    /// The residual ops the next compilation may make, with `ops` compiled so far and
    /// `visits` observed: the credit left.
    pub fn room(&self, visits: u64, ops: usize) -> usize {
        self.credit(visits).saturating_sub(ops)
    }
}

/// The run's account: work observed, and whether compiling is deferred now (for the log).
#[derive(Default)]
pub struct Ledger {
    /// Visits observed so far.
    visits: u64,
    /// Whether the last question was answered "defer".
    deferring: bool,
    /// Compilations deferred so far.
    deferred: u64,
    /// The room a compilation needs before one starts again: twice the room of the last one
    /// that ran out of it (0: any room will do).
    wanted: usize,
}

/// The answer to "may a compilation start now", and whether it changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Compile.
    Compile,
    /// Compile again after deferring (the caller logs it).
    Resume,
    /// Defer (first time in a row: the caller logs it).
    DeferNow,
    /// Defer (said before).
    Defer,
}

impl Ledger {
    /// Counts `visits` of observed work.
    pub fn observe(&mut self, visits: u64) {
        self.visits = self.visits.saturating_add(visits);
    }

    /// Visits observed so far.
    pub fn visits(&self) -> u64 {
        self.visits
    }

    /// Compilations deferred so far.
    pub fn deferred(&self) -> u64 {
        self.deferred
    }

    /// A compilation given `room` residual ops needed more: none starts again until the room
    /// is twice as large.
    pub fn ran_out(&mut self, room: usize) {
        self.wanted = room.saturating_mul(2).max(1);
    }

    /// A compilation fitted in its room: the next may start with any room.
    pub fn fitted(&mut self) {
        self.wanted = 0;
    }

    /// The room a compilation needs before one starts again (0: any).
    pub fn wanted(&self) -> usize {
        self.wanted
    }

    /// Whether the work observed pays for a compilation with `ops` residual ops compiled so
    /// far (what [`Ledger::decide`] would answer, without counting a question). Where
    /// compilations must fit the room ([`Payoff::fit`]), a room under [`MIN_FIT_ROOM`] ops is
    /// not one: nothing worth it compiles in it, and trying would cost the analysis and a
    /// run of the engine for nothing.
    pub fn affordable(&self, ops: usize, payoff: &Payoff) -> bool {
        let need = if payoff.fit { self.wanted.max(MIN_FIT_ROOM) } else { self.wanted };
        ops.saturating_add(need) <= payoff.credit(self.visits)
    }

    /// Whether a compilation may start with `ops` residual ops compiled so far.
    pub fn decide(&mut self, ops: usize, payoff: &Payoff) -> Decision {
        let affordable = self.affordable(ops, payoff);
        let was = std::mem::replace(&mut self.deferring, !affordable);
        match (affordable, was) {
            (true, false) => Decision::Compile,
            (true, true) => Decision::Resume,
            (false, false) => {
                self.deferred += 1;
                Decision::DeferNow
            }
            (false, true) => {
                self.deferred += 1;
                Decision::Defer
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_grows_with_the_work_observed() {
        let p = Payoff { free_ops: 10, visits_per_op: 100, fit: false };
        assert_eq!(p.credit(0), 10);
        assert_eq!(p.credit(99), 10);
        assert_eq!(p.credit(1000), 20);
        assert_eq!(Payoff::UNBOUNDED.credit(u64::MAX), usize::MAX);
    }

    #[test]
    fn settings_from_text() {
        let p = Payoff { free_ops: 10, visits_per_op: 200, fit: false };
        assert_eq!(Payoff::parse("10, 200"), Some(p));
        assert_eq!(Payoff::parse("10, 200, fit"), Some(Payoff { fit: true, ..p }));
        assert_eq!(Payoff::parse("10, 200, more"), None);
        assert_eq!(Payoff::parse("10, 200, fit, 3"), None);
        assert_eq!(Payoff::parse("off"), Some(Payoff::UNBOUNDED));
        assert_eq!(Payoff::parse("10"), None);
    }

    #[test]
    fn compiling_is_deferred_past_the_credit_and_resumes_with_more_work() {
        let p = Payoff { free_ops: 10, visits_per_op: 100, fit: false };
        let mut l = Ledger::default();
        assert_eq!(l.decide(10, &p), Decision::Compile);
        assert_eq!(l.decide(11, &p), Decision::DeferNow);
        assert_eq!(l.decide(11, &p), Decision::Defer);
        l.observe(100);
        assert_eq!(l.decide(11, &p), Decision::Resume);
        assert_eq!(l.decide(11, &p), Decision::Compile);
        assert_eq!((l.visits(), l.deferred()), (100, 2));
    }

    #[test]
    fn a_retry_needs_more_visits_per_op() {
        let p = Payoff { free_ops: 10, visits_per_op: 100, fit: false };
        let r = p.for_retry();
        assert_eq!(r.visits_per_op, 100 * RETRY_VISITS_FACTOR);
        assert_eq!((r.free_ops, r.fit), (10, false));
        assert_eq!(r.credit(400 * RETRY_VISITS_FACTOR), p.credit(400));
        let mut l = Ledger::default();
        l.observe(400);
        assert!(l.affordable(14, &p) && !l.affordable(14, &r));
    }

    #[test]
    fn a_compilation_that_ran_out_of_room_waits_for_twice_the_room() {
        let p = Payoff { free_ops: 0, visits_per_op: 1, fit: true };
        let mut l = Ledger::default();
        l.observe(100);
        assert_eq!(p.room(l.visits(), 4), 96);
        assert_eq!(l.decide(4, &p), Decision::Compile);
        l.ran_out(p.room(l.visits(), 4));
        assert_eq!(l.wanted(), 192);
        assert_eq!(l.decide(4, &p), Decision::DeferNow);
        l.observe(95);
        assert_eq!(l.decide(4, &p), Decision::Defer, "credit 195 < 4 compiled + 192 wanted");
        l.observe(1);
        assert_eq!(l.decide(4, &p), Decision::Resume);
        l.fitted();
        assert_eq!(l.decide(132, &p), Decision::Compile, "any room of MIN_FIT_ROOM will do again");
        assert_eq!(l.decide(133, &p), Decision::DeferNow, "a room under MIN_FIT_ROOM");
        assert_eq!(p.room(l.visits(), 300), 0);
    }

    #[test]
    fn a_compilation_that_must_fit_waits_for_the_least_room() {
        let p = Payoff { free_ops: 0, visits_per_op: 100, fit: true };
        let mut l = Ledger::default();
        assert_eq!(l.decide(0, &p), Decision::DeferNow, "a room of 0 ops");
        l.observe(100 * (MIN_FIT_ROOM as u64 - 1));
        assert_eq!(l.decide(0, &p), Decision::Defer, "a room of MIN_FIT_ROOM - 1 ops");
        l.observe(100);
        assert_eq!(l.decide(0, &p), Decision::Resume);
        assert_eq!(l.decide(1, &p), Decision::DeferNow);
    }
}
