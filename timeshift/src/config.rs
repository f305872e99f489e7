//! The JIT driver's settings: thresholds, budgets, logging. Read once at the edge (a binary's
//! `main`, a benchmark) with [`JitConfig::from_env`], the only place this crate reads the
//! environment, and passed to [`crate::JitDriver::with_backend`].

use crate::rainbow::Budgets;

/// Visits of a green key at the merge point before a tiered interpreter enters compiled code
/// there: enough that code run a few times stays interpreted, few enough that a loop's
/// compilation (milliseconds) comes early in a run that lasts long.
pub const DEFAULT_HOT_MERGES: u64 = 1000;

/// Calls of the portal with one green key after which [`crate::JitDriver::call_if_hot`]
/// compiles the whole call (the paper's model: code specialised from the portal's entry sees
/// every object the call creates, so they can stay virtual; code entered at a merge point
/// works on the objects the interpreter made). A key called once (one run of a program) is
/// left to the merge points; from the second call on it is worth a compilation of its own.
/// (Not a backend's count of calls of one residual graph.)
pub const DEFAULT_HOT_PORTAL_CALLS: u64 = 2;

/// The stages the driver logs to stderr (`RPY_JIT_LOG`, comma-separated): `colours`,
/// `jitcode`, `residual`, `summary`, `payoff` (each change between compiling and deferring: see
/// `payoff.rs`), (one line per compilation: key, residual ops, virtuals
/// forced, states, versions, flexswitches, the backend's microseconds), `cost` (one line per
/// compilation: ops, versions and their values, blocks, the engine's and the backend's
/// milliseconds; see `driver/cost.rs`; then a `jit versions:` line for each of the merge keys
/// with the most versions), or `all`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JitLog {
    stages: Vec<String>,
}

impl JitLog {
    /// The stages named in `spec` (comma-separated, as `RPY_JIT_LOG` holds them).
    pub fn parse(spec: &str) -> JitLog {
        let stages = spec.split(',').map(str::trim).filter(|s| !s.is_empty());
        JitLog { stages: stages.map(str::to_string).collect() }
    }

    /// Whether `stage` is logged.
    pub fn wants(&self, stage: &str) -> bool {
        self.stages.iter().any(|s| s == stage || s == "all")
    }

    /// Whether anything is logged (give-ups are then logged too).
    pub fn any(&self) -> bool {
        !self.stages.is_empty()
    }
}

/// How the JIT driver compiles: thresholds, budgets, logging.
#[derive(Clone, Debug)]
pub struct JitConfig {
    /// Budgets for each compilation.
    pub budgets: Budgets,
    /// Visits of a green key at the merge point that make it hot ([`DEFAULT_HOT_MERGES`]).
    pub hot_merges: u64,
    /// Calls of the portal with a green key that make [`crate::JitDriver::call_if_hot`]
    /// compile the whole call for it ([`DEFAULT_HOT_PORTAL_CALLS`]).
    pub hot_portal_calls: u64,
    /// What the driver logs.
    pub log: JitLog,
    /// How much compiling the work observed pays for ([`crate::payoff`]).
    pub payoff: crate::payoff::Payoff,
    /// Whether a fallback's continuation asks at the global merge point, where compiled code
    /// takes over again ([`crate::resume`]; `RPY_JIT_RESUME=1`). Off by default: measured on
    /// issue 17's corpus, the first-tier code resumed runs slower than the continuation.
    pub resume: bool,
    /// Whether a fallback's continuation asks at the global merge point so that compiled
    /// code takes over again once a *deferred* flexswitch case is paid for
    /// ([`crate::resume`]: the asks' visits are observed by the payoff model, and the
    /// driver resumes only when a case was deferred since the last resume and the work
    /// observed pays for twice the code compiled so far at [`crate::payoff::Payoff::for_retry`]'s rate).
    /// On by default: without it a deferral is permanent
    /// for a program whose work is one portal call. `RPY_JIT_RESUME=0` turns it off.
    pub resume_deferred: bool,
}

impl Default for JitConfig {
    /// The defaults, logging nothing.
    fn default() -> JitConfig {
        JitConfig {
            budgets: Budgets::default(),
            hot_merges: DEFAULT_HOT_MERGES,
            hot_portal_calls: DEFAULT_HOT_PORTAL_CALLS,
            log: JitLog::default(),
            payoff: crate::payoff::Payoff::default(),
            resume: false,
            resume_deferred: true,
        }
    }
}

impl JitConfig {
    /// Visits of a tiered interpreter's merge-point counter between two questions to the
    /// driver for keys not hot yet: a hundredth of [`JitConfig::hot_merges`], between 64 and
    /// 4096. Each question is a trip through the driver (a key built and looked up), which
    /// at every 64 visits cost a long-running interpreter about a tenth of its time; asked
    /// every hundredth of the threshold, a key still becomes hot within 1% of it.
    pub fn merge_interval(&self) -> u64 {
        (self.hot_merges / 100).clamp(64, 4096)
    }

    /// The defaults with the logging `RPY_JIT_LOG` asks for, the payoff model's settings
    /// `RPY_JIT_PAYOFF` gives (`FREE_OPS,VISITS_PER_OP[,fit]`, or `off`; see
    /// [`crate::payoff`]), resuming after fallbacks if `RPY_JIT_RESUME` is `1` (`0`: not
    /// even once a deferred case pays, [`JitConfig::resume_deferred`]), the inline depth
    /// `RPY_JIT_INLINE` gives ([`crate::Budgets::max_inline_depth`]) and the bound on their
    /// ops `RPY_JIT_INLINE_OPS` gives ([`crate::Budgets::max_inlined_ops`]); `RPY_JIT_JOINS=0`
    /// turns off joining loop entries ([`crate::Budgets::join_loop_entries`]).
    pub fn from_env() -> JitConfig {
        let log = std::env::var("RPY_JIT_LOG").map(|s| JitLog::parse(&s)).unwrap_or_default();
        let payoff = std::env::var("RPY_JIT_PAYOFF")
            .ok()
            .and_then(|s| crate::payoff::Payoff::parse(&s))
            .unwrap_or_default();
        let d = JitConfig::default();
        let (resume, resume_deferred) = match std::env::var("RPY_JIT_RESUME").as_deref() {
            Ok("1") => (true, true),
            Ok("0") => (false, false),
            _ => (d.resume, d.resume_deferred),
        };
        // `RPY_JIT_JOINS=0`: compilations never join loop entries (`rainbow::joins`), to
        // measure what joining saves.
        let mut budgets = d.budgets;
        if std::env::var("RPY_JIT_JOINS").as_deref() == Ok("0") {
            budgets.join_loop_entries = false;
        }
        // `RPY_JIT_INLINE=N`: guest calls inlined N deep at most (0: none; `rainbow::portal_inline`).
        if let Some(n) = std::env::var("RPY_JIT_INLINE").ok().and_then(|s| s.parse().ok()) {
            budgets.max_inline_depth = n;
        }
        // `RPY_JIT_INLINE_OPS=N`: the ops all inlined calls of one compilation may add.
        if let Some(n) = std::env::var("RPY_JIT_INLINE_OPS").ok().and_then(|s| s.parse().ok()) {
            budgets.max_inlined_ops = n;
        }
        JitConfig { log, payoff, resume, resume_deferred, budgets, ..d }
    }
}
