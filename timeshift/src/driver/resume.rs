//! The driver's side of resuming compiled code from a fallback ([`crate::resume`]): the
//! answer to a resumable continuation's ask, and the trampoline that calls compiled code
//! again where a continuation asked to resume; the miss hook a backend entering code by
//! itself (no trampoline below it) is given.

use super::{DriverHook, JitDriver};
use crate::backend::Backend;
use crate::error::RunError;
use crate::fallback::{self, Position};
use crate::rainbow::GiveUp;
use crate::resume::{cut_at_merge, shared_continuation, shared_name, with_ask};
use crate::tiering::MergePoint;
use rpy_ir::ir::{Graph, GraphIdx, Var};
use rpy_ir::runtime::RtValue;

impl<B: Backend> JitDriver<'_, B> {
    /// The driver's handler of flexswitch misses, for a backend entering compiled code by
    /// itself at a merge point ([`Backend::enters_at_merge_point`], where no trampoline of
    /// the driver is below the code): what the driver's own calls pass to [`Backend::call`].
    pub fn miss_hook(&self) -> impl crate::backend::MissHook<B::Code> + '_ {
        DriverHook(self)
    }

    /// Calls compiled `code` with `args`, then, as long as a resumable continuation asked to
    /// resume during the call, the code it named with its red values: the result of the
    /// last call is the portal call's.
    pub(super) fn run_compiled(
        &self,
        code: B::Code,
        args: &[RtValue],
    ) -> Result<RtValue, RunError> {
        let mut next = (code, args.to_vec());
        loop {
            self.state.borrow_mut().trampolines += 1;
            let result = self.backend.call(&next.0, &next.1, &DriverHook(self));
            let resume = {
                let mut st = self.state.borrow_mut();
                st.trampolines -= 1;
                st.resume.take()
            };
            match (resume, result) {
                (Some(r), Ok(_)) => next = r,
                (_, result) => return result,
            }
        }
    }

    /// Records `code` and the red values as where the asking continuation's portal call
    /// goes on, and returns what the continuation returns meanwhile (not used: the
    /// trampoline of [`JitDriver::run_compiled`] calls the code instead).
    pub(super) fn resume_in(&self, code: B::Code, reds: &[RtValue]) -> RtValue {
        let mut st = self.state.borrow_mut();
        st.resumes += 1;
        st.deferred_case = false;
        st.resume = Some((code, reds.to_vec()));
        RtValue::Void
    }

    /// Whether a flexswitch case was deferred since the last resume and the work observed
    /// now pays for *twice* the residual code compiled so far, at the retry's stricter rate
    /// ([`crate::JitConfig::resume_deferred`], [`crate::payoff::Payoff::for_retry`]): an ask
    /// then resumes compiled code, which meets the case again and compiles it (at the
    /// ordinary rate). Twice, not merely the case: a retry is worth it only for a run long
    /// enough to use what it compiles, and so the code compiled by retries at most doubles
    /// each time the work observed does (a run that stops soon after its first deferral
    /// retries never, one that goes on ten times as long a few times).
    pub(super) fn deferred_case_pays(&self) -> bool {
        let st = self.state.borrow();
        let twice = st.work.ops().saturating_mul(2);
        st.deferred_case && st.ledger.affordable(twice, &self.config.payoff.for_retry())
    }

    /// Observes an ask of a continuation waiting for a deferred case to pay (not resuming at
    /// will): the `visits` it stands for (the interval since its counter's last ask, all of
    /// them interpreted, whether or not the key has code) are work; `true` if the deferred
    /// case now pays ([`JitDriver::deferred_case_pays`]) and the ask may resume. Answered
    /// before the key is looked at: most asks go on, and an ask is a trip through the driver
    /// every interval of the loop the continuation runs (hashing the key made a run that
    /// deferred ~10% slower than the translated interpreter it runs).
    pub(super) fn observe_ask(&self, visits: u64) -> bool {
        self.observe_direct_entries();
        self.state.borrow_mut().ledger.observe(visits);
        self.deferred_case_pays()
    }

    /// Whether this ask goes on in the continuation whatever the key: no trampoline is
    /// below it to take a resume (never expected: a fallback runs inside a driver call of
    /// compiled code), or it is the first ask since the last flexswitch miss (counting it):
    /// a fallback interprets at least until its second ask, so a switch whose values keep
    /// taking a fallback does not bounce between compiled code and the continuation at
    /// every instruction.
    pub(super) fn first_ask(&self) -> bool {
        let mut st = self.state.borrow_mut();
        st.asks += 1;
        // Under a direct portal call the continuation returns to compiled code, not to a
        // trampoline (`rpy_ir::runtime::portal_calls`).
        st.trampolines == 0 || st.asks == 1 || rpy_ir::runtime::portal_calls::active()
    }

    /// The shared continuation as the backend's interpreter was translated with it
    /// ([`crate::tiering::tiered_with_shared_continuation`]), if it was and the driver asks
    /// as that copy does: a graph of that name in the backend's program that the driver did
    /// not compile (it compiles it only when this says `None`), with `inputs` parameters.
    pub(super) fn translated_shared(&self, mp: &MergePoint, inputs: &[Var]) -> Option<GraphIdx> {
        if !(self.config.resume || self.config.resume_deferred) {
            return None;
        }
        let name = shared_name(&self.program().graphs[mp.graph], mp);
        let program = self.backend.program();
        let gi = program.graph_by_name(&name)?;
        (program.graphs[gi].params.len() == inputs.len()).then_some(gi)
    }

    /// The continuation of the portal graph `g` at `at` for a snapshot's portal frame (not
    /// compiled yet) and the variables its parameters stand for: cut at the merge point,
    /// calling the shared continuation there (compiled once, first); from inside the merge
    /// point's block, the shared kind itself (the whole interpreter loop). Both ask at the
    /// merge point if [`crate::JitConfig::resume`].
    pub(super) fn portal_continuation(
        &self,
        g: &Graph,
        mp: &MergePoint,
        at: Position,
    ) -> Result<(Graph, Vec<Var>), GiveUp> {
        let ask = self.config.resume || self.config.resume_deferred;
        if at == (Position { block: mp.block, op: 0 }) {
            return Ok(shared_continuation(g, mp, ask));
        }
        if at.block == mp.block {
            let name = format!("{}__cont_{}_{}_shared", g.name, at.block, at.op);
            if !ask {
                return Ok(fallback::continuation(g, at, &name));
            }
            let (asking, at) = with_ask(g, mp, at);
            return Ok(fallback::continuation(&asking, at, &name));
        }
        let start = Position { block: mp.block, op: 0 };
        let (shared, inputs) = self.continuation_in(mp.graph, start, true)?;
        let cut = cut_at_merge(g, mp, shared, &inputs, ask);
        let name = format!("{}__cont_{}_{}_cut", g.name, at.block, at.op);
        Ok(fallback::continuation(&cut, at, &name))
    }
}
