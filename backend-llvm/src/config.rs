//! backend-llvm's settings from the environment, read once at the edge (a binary's `main`, a
//! benchmark) by [`LlvmConfig::from_env`], and passed down: the log and LLVM's own options to
//! [`crate::Options`] (a [`crate::Translated`] keeps the log for the JIT and the flexswitch
//! runtime built on it; the translation initialises LLVM with the options), the thresholds
//! and the hot tier's pipeline as [`JitOptions`].

use crate::jit::JitOptions;
use crate::target::Codegen;
use crate::translated::Options;
use crate::OptLevel;
use std::path::PathBuf;

/// The stages backend-llvm logs to stderr (`RPY_LLVM_LOG`, comma-separated): `ir`, `opt-ir`
/// (the translated interpreter's LLVM IR before and after optimisation), `summary` (its
/// translation), `jit` (one line per residual module, hot compilation and tier-up), `jit-ir`,
/// `jit-opt-ir` (residual modules' IR), `flex` (flexswitch misses and rewrites), `perf-map`
/// (`/tmp/perf-<pid>.map` naming the translated functions for `perf`: [`crate::perf_map`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LlvmLog(u16);

impl LlvmLog {
    /// Every stage, in the bit order of the set.
    pub const STAGES: [&'static str; 8] =
        ["ir", "opt-ir", "summary", "jit", "jit-ir", "jit-opt-ir", "flex", "perf-map"];

    /// The stages named in `spec` (comma-separated; `all` for every one, as `RPY_JIT_LOG`
    /// has it; unknown names are ignored).
    pub fn parse(spec: &str) -> LlvmLog {
        let bits = spec
            .split(',')
            .map(str::trim)
            .flat_map(|s| {
                let all = s == "all";
                LlvmLog::STAGES.iter().enumerate().filter(move |(_, k)| all || **k == s)
            })
            .fold(0, |bits, (i, _)| bits | 1 << i);
        LlvmLog(bits)
    }

    /// Whether `stage` (one of [`LlvmLog::STAGES`]) is logged.
    pub fn wants(self, stage: &str) -> bool {
        debug_assert!(LlvmLog::STAGES.contains(&stage), "no log stage '{stage}'");
        LlvmLog::STAGES.iter().position(|k| *k == stage).is_some_and(|i| self.0 & 1 << i != 0)
    }
}

/// backend-llvm's settings: logging, the object cache, how residual code is compiled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LlvmConfig {
    /// What is logged.
    pub log: LlvmLog,
    /// The object cache's directory (`None`: no cache).
    pub cache_dir: Option<PathBuf>,
    /// How the JIT compiles residual code.
    pub jit: JitOptions,
    /// Options of LLVM's own command line, for investigations (process-wide in LLVM: see
    /// [`crate::target::init_llvm_with`]).
    pub llvm_args: Vec<String>,
}

impl LlvmConfig {
    /// The settings the environment asks for:
    /// - `RPY_LLVM_LOG`: the stages logged ([`LlvmLog`]);
    /// - the cache directory: `$RPY_LLVM_CACHE`, else `$XDG_CACHE_HOME/rpy-llvm`, else
    ///   `$HOME/.cache/rpy-llvm` (no cache if none is set);
    /// - `RPY_JIT_HOT_CALLS`, `RPY_JIT_HOT_LOOPS` (numbers): [`JitOptions::hot_graph_calls`],
    ///   [`JitOptions::hot_loops`]; `RPY_JIT_BACKGROUND=0`: hot code compiled as the code
    ///   waits ([`JitOptions::background`]) (for tuning and for stress tests);
    /// - for investigations: `RPY_LLVM_ARGS`, LLVM's own options (whitespace-separated:
    ///   `-time-passes`...), and `RPY_LEAN_PIPELINE`, a pass pipeline for the hot tier instead
    ///   of [`crate::target::LEAN_PIPELINE`] ([`OptLevel::Pipeline`]; its text is leaked, once
    ///   per call, to be one); `RPY_JIT_FIRST`, `RPY_JIT_HOT`: `CODEGEN:PIPELINE` (`less:`,
    ///   `none:function(sroa)`...), the first and the hot tier at [`OptLevel::Custom`].
    pub fn from_env() -> LlvmConfig {
        let var = |name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let cache_dir = var("RPY_LLVM_CACHE")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("rpy-llvm")))
            .or_else(|| var("HOME").map(|d| d.join(".cache").join("rpy-llvm")));
        let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        let d = JitOptions::default();
        let tier = |name: &str| {
            let v = std::env::var(name).ok()?;
            let (codegen, pipeline) = v.split_once(':').unwrap_or((&v, ""));
            let codegen = Codegen::parse(codegen)?;
            Some(OptLevel::Custom(Box::leak(pipeline.to_string().into_boxed_str()), codegen))
        };
        let jit = JitOptions {
            hot_graph_calls: number("RPY_JIT_HOT_CALLS").unwrap_or(d.hot_graph_calls),
            hot_loops: number("RPY_JIT_HOT_LOOPS").unwrap_or(d.hot_loops),
            background: std::env::var("RPY_JIT_BACKGROUND").map_or(true, |v| v != "0"),
            first: tier("RPY_JIT_FIRST").unwrap_or(d.first),
            hot: match std::env::var("RPY_LEAN_PIPELINE") {
                Ok(p) => Some(OptLevel::Pipeline(Box::leak(p.into_boxed_str()))),
                Err(_) => tier("RPY_JIT_HOT").or(d.hot),
            },
        };
        let log = std::env::var("RPY_LLVM_LOG").map(|s| LlvmLog::parse(&s)).unwrap_or_default();
        let args = std::env::var("RPY_LLVM_ARGS").unwrap_or_default();
        let llvm_args = args.split_whitespace().map(String::from).collect();
        LlvmConfig { log, cache_dir, jit, llvm_args }
    }

    /// How to translate at `opt` with these settings (the cache if `cached`).
    pub fn translation(&self, opt: OptLevel, cached: bool) -> Options {
        let cache_dir = if cached { self.cache_dir.clone() } else { None };
        Options { opt, cache_dir, log: self.log, llvm_args: self.llvm_args.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::LlvmLog;

    #[test]
    fn log_stages_parse_by_name_and_all_means_every_one() {
        let log = LlvmLog::parse(" jit , flex,unknown");
        assert!(log.wants("jit") && log.wants("flex") && !log.wants("ir"));
        let all = LlvmLog::parse("all");
        assert!(LlvmLog::STAGES.iter().all(|s| all.wants(s)));
        assert_eq!(LlvmLog::parse(""), LlvmLog::default());
    }
}
