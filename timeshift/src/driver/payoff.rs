//! The driver's side of the payoff model ([`crate::payoff`]): before a compilation starts,
//! the run's compile work is weighed against the work observed; past the credit the
//! compilation is deferred, and the change is logged under the `payoff` stage.

use super::JitDriver;
use crate::backend::Backend;
use crate::payoff::Decision;

impl<B: Backend> JitDriver<'_, B> {
    /// Whether the compilation of `what` (for `key`) is deferred because the work observed
    /// does not pay for more compiling yet. Logs each change between compiling and deferring.
    pub(super) fn defer(&self, what: &str, key: &dyn std::fmt::Debug) -> bool {
        self.observe_direct_entries();
        let mut st = self.state.borrow_mut();
        let ops = st.work.ops();
        let decision = st.ledger.decide(ops, &self.config.payoff);
        let log = self.wants("payoff");
        match decision {
            Decision::Compile => false,
            Decision::Resume => {
                if log {
                    eprintln!(
                        "jit payoff: compiling again ({what}, key {key:?}): {ops} residual ops \
                         compiled, credit {} after {} visits observed",
                        self.config.payoff.credit(st.ledger.visits()),
                        st.ledger.visits()
                    );
                }
                false
            }
            Decision::DeferNow => {
                if log {
                    eprintln!(
                        "jit payoff: deferred ({what}, key {key:?}): {ops} residual ops compiled, \
                         credit {} after {} visits observed; it runs in the interpreter until \
                         more work is observed",
                        self.config.payoff.credit(st.ledger.visits()),
                        st.ledger.visits()
                    );
                }
                true
            }
            Decision::Defer => true,
        }
    }

    /// Observes the merge point visits the backend entered compiled code for by itself since
    /// the driver last asked ([`Backend::take_direct_entries`]): one visit of work each, as
    /// the driver counts an entry it makes.
    pub(super) fn observe_direct_entries(&self) {
        let n = self.backend.take_direct_entries();
        if n > 0 {
            self.state.borrow_mut().ledger.observe(n);
        }
    }
}
