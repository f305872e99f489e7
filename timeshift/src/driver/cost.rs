//! The `cost` log stage (`RPY_JIT_LOG=cost`): one line per compilation saying what it cost —
//! residual ops, merge versions and the values they pass, residual blocks, the engine's time,
//! and the backend's (graphs, ops, lowering, optimisation and code generation) — so a
//! compilation that is slow or large is seen, and why.
//!
//! The backend's share is asked for right after the graph is handed over
//! ([`Backend::flush_cost`]): with this stage on, each compilation's code is made on its own
//! (an entry graph compiled on the way by another compilation gets its own line and module),
//! rather than in one batch with what the same JIT event makes after it. The engine's time of
//! a compilation includes the entry graphs it compiled on the way. Later work on the same
//! code (a hot tier compiling it again) is the backend's to log (`RPY_LLVM_LOG=jit`).

use super::JitDriver;
use crate::backend::{Backend, CodegenCost};
use crate::rainbow::Stats;

impl<B: Backend> JitDriver<'_, B> {
    /// Logs the cost line of the compilation `what` (its engine `stats` and the `blocks` of
    /// its residual graph), asking the backend to compile it now.
    pub(super) fn log_cost(&self, what: &str, stats: &Stats, blocks: usize) {
        let codegen = match self.backend.flush_cost() {
            Ok(Some(c)) => codegen_text(&c),
            Ok(None) => "backend: no separate cost".to_string(),
            Err(e) => format!("backend failed: {e}"),
        };
        eprintln!("{}", cost_line(what, stats, blocks, &codegen));
    }
}

/// The cost line of a compilation, given the backend's part as text.
fn cost_line(what: &str, s: &Stats, blocks: usize, codegen: &str) -> String {
    // Guest calls inlined (`rainbow::portal_inline`), and why others were not, when any.
    let i = &s.inlining;
    let inlined = if *i == Default::default() {
        String::new()
    } else {
        format!(
            ", inlined {} calls ({} ops; not inlined: {} past the bound, {} past the site limit; \
             {} restarts)",
            i.calls, i.ops, i.past_bound, i.past_site, i.restarts
        )
    };
    format!(
        "jit cost: {what}: ops {}, versions {}, version params {}, blocks {}, states {}, splits \
         {}, joins {}{inlined}, engine {:.2} ms; {codegen}",
        s.residual_ops,
        s.versions,
        s.version_params,
        blocks,
        s.states,
        s.splits,
        s.joins,
        s.engine_micros as f64 / 1e3,
    )
}

/// The backend's part of a cost line.
fn codegen_text(c: &CodegenCost) -> String {
    format!(
        "backend {} graphs, {} ops ({}): lower {:.2} ms, optimise {:.2} ms, codegen {:.2} ms",
        c.graphs, c.ops, c.level, c.lower_ms, c.optimise_ms, c.codegen_ms
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_with_every_figure() {
        let stats = Stats {
            residual_ops: 12,
            versions: 3,
            version_params: 9,
            states: 2,
            engine_micros: 1500,
            ..Stats::default()
        };
        let c = CodegenCost {
            graphs: 1,
            ops: 12,
            lower_ms: 0.5,
            optimise_ms: 0.0,
            codegen_ms: 4.25,
            level: "O0".into(),
        };
        let line = cost_line("g (key [])", &stats, 4, &codegen_text(&c));
        assert_eq!(
            line,
            "jit cost: g (key []): ops 12, versions 3, version params 9, blocks 4, states 2, \
             splits 0, joins 0, engine 1.50 ms; backend 1 graphs, 12 ops (O0): lower 0.50 ms, optimise 0.00 ms, \
             codegen 4.25 ms"
        );
        assert!(!line.contains('\n'));
    }
}
