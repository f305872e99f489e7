//! The room of an entry compilation ([`crate::payoff`]): with [`Payoff::fit`], a compilation
//! at a hot merge point or for a portal key runs the engine with its residual-op budget cut
//! to the credit left, so whether it pays is settled before the backend is paid (and the engine stops as soon as the
//! answer is no). A compilation that runs out of its room is deferred, not refused: its key
//! goes on counting and is compiled once the room has doubled ([`Ledger::ran_out`]). A budget
//! met with the configured budgets in force (the room larger than them) is a real give-up.
//!
//! [`Ledger::ran_out`]: crate::payoff::Ledger::ran_out
//! [`Payoff::fit`]: crate::payoff::Payoff::fit

use super::JitDriver;
use crate::backend::Backend;
use crate::rainbow::{Budgets, Compiled, Engine, GiveUp, Shared};

impl<B: Backend> JitDriver<'_, B> {
    /// The budgets of an entry compilation: the configured ones with the residual ops cut to
    /// the payoff room, and the room if it cut them.
    pub(super) fn entry_budgets(&self) -> (Budgets, Option<usize>) {
        let st = self.state.borrow();
        let room = self.config.payoff.room(st.ledger.visits(), st.work.ops());
        let mut budgets = self.config.budgets;
        if self.config.payoff.fit && room < budgets.max_residual_ops {
            budgets.max_residual_ops = room;
            (budgets, Some(room))
        } else {
            (budgets, None)
        }
    }

    /// The engine of an entry compilation sharing `shared`, under `budgets`
    /// ([`JitDriver::entry_budgets`]).
    pub(super) fn entry_engine<'s>(
        &'s self,
        shared: Shared<'s>,
        budgets: Budgets,
    ) -> Result<Engine<'s>, GiveUp> {
        Ok(Engine { budgets, ..self.engine_for(shared)? })
    }

    /// Whether the entry compilation `what`, made under a budget cut to `room` (if cut), ran
    /// out of it: then it is deferred until the room has doubled (logged under `payoff`).
    /// One that fitted lets the next start with any room.
    pub(super) fn ran_out_of_room(
        &self,
        result: &Result<Compiled, GiveUp>,
        room: Option<usize>,
        what: &str,
    ) -> bool {
        let mut st = self.state.borrow_mut();
        match (result, room) {
            (Err(GiveUp::Budget(why)), Some(room)) => {
                st.ledger.ran_out(room);
                if self.wants("payoff") {
                    eprintln!(
                        "jit payoff: deferred ({what}): it needs more than the room of {room} \
                         residual ops ({why}) after {} visits observed; it is compiled again \
                         once the room is {}",
                        st.ledger.visits(),
                        st.ledger.wanted()
                    );
                }
                true
            }
            (Ok(_), _) => {
                st.ledger.fitted();
                false
            }
            (Err(_), _) => false,
        }
    }
}
