//! The JIT driver: the portal runner.
//!
//! Built once per interpreter: the hint analysis and the codewriter run at construction. Each
//! call of the portal looks up compiled code by the values of the green arguments (the cache
//! key); the first call with a new key compiles it. A compilation that gives up (a budget, or
//! something the engine does not handle yet) is logged and its key remembered: those calls run
//! the interpreter, so the result is always right.
//!
//! Logging: `RPY_JIT_LOG` holds comma-separated stages: `colours`, `jitcode`, `residual`,
//! `summary` (one line per compilation: key, residual ops, virtuals forced, states, versions,
//! microseconds), or `all`.

use crate::backend::Backend;
use crate::jitcode::{jitcode_text, write_all, JitCodes};
use crate::rainbow::{Budgets, Compiler, GiveUp, Stats};
use hintanalysis::{analyse, Policy};
use rpy_ir::ir::{Const, Program};
use rpy_ir::llinterp::{RtValue, RuntimeError};
use rpy_ir::span::Diagnostics;
use std::collections::HashMap;
use std::time::Instant;

/// What the cache holds for one green key.
#[derive(Clone)]
enum Entry<C> {
    Compiled(C),
    Interpret,
}

/// The outcome of one compilation, for tests and logs.
#[derive(Clone, Debug)]
pub struct CompileReport {
    /// The green key, printed.
    pub key: String,
    /// Engine counts (zero if it gave up).
    pub stats: Stats,
    /// Why it gave up, if it did.
    pub gave_up: Option<GiveUp>,
    /// Time spent, in microseconds.
    pub micros: u128,
}

/// Runs a portal through compiled code, compiling per green key on first use.
pub struct JitDriver<'p, B: Backend> {
    program: &'p Program,
    policy: Policy,
    codes: JitCodes,
    backend: B,
    cache: HashMap<Vec<Option<Const>>, Entry<B::Code>>,
    /// Budgets for each compilation.
    pub budgets: Budgets,
    /// Every compilation so far.
    pub reports: Vec<CompileReport>,
    log: Vec<String>,
}

impl<'p, B: Backend> JitDriver<'p, B> {
    /// Analyses the program from `portal` with `greens` and writes its JitCode.
    pub fn new(
        program: &'p Program,
        portal: &str,
        greens: &[&str],
        backend: B,
    ) -> Result<Self, Diagnostics> {
        let policy = Policy::new(program, portal, greens).map_err(|m| Diagnostics {
            errors: vec![rpy_ir::span::Diagnostic::new(rpy_ir::span::Span::UNKNOWN, m)],
            sources: program.sources.clone(),
        })?;
        let analysis = analyse(program, &policy)?;
        let log: Vec<String> = std::env::var("RPY_JIT_LOG")
            .map(|s| s.split(',').map(|x| x.trim().to_string()).collect())
            .unwrap_or_default();
        let wants = |stage: &str| log.iter().any(|s| s == stage || s == "all");
        if wants("colours") {
            eprint!("{}", hintanalysis::dump::colours_text(&analysis));
        }
        let codes = write_all(&analysis);
        if wants("jitcode") {
            for code in codes.codes.values() {
                eprint!("{}", jitcode_text(program, code));
            }
        }
        Ok(JitDriver {
            program,
            policy,
            codes,
            backend,
            cache: HashMap::new(),
            budgets: Budgets::default(),
            reports: Vec::new(),
            log,
        })
    }

    fn wants(&self, stage: &str) -> bool {
        self.log.iter().any(|s| s == stage || s == "all")
    }

    /// The backend (to inspect residual graphs).
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Calls the portal with `args`, through compiled code for their green values.
    pub fn call(&mut self, args: &[RtValue]) -> Result<RtValue, RuntimeError> {
        let key: Vec<Option<Const>> = args
            .iter()
            .zip(&self.policy.greens)
            .map(|(a, g)| if *g { green_const(*a) } else { None })
            .collect();
        // A green argument with no compile-time form (a run-time pointer) cannot key the cache
        // yet: run the interpreter.
        let representable =
            args.iter().zip(&self.policy.greens).zip(&key).all(|((_, g), k)| !g || k.is_some());
        let entry = match (representable, self.cache.get(&key)) {
            (false, _) => Entry::Interpret,
            (true, Some(e)) => e.clone(),
            (true, None) => {
                let e = self.compile(&key);
                self.cache.insert(key.clone(), e.clone());
                e
            }
        };
        match entry {
            Entry::Compiled(code) => {
                let reds: Vec<RtValue> = args
                    .iter()
                    .zip(&self.policy.greens)
                    .filter(|(_, g)| !**g)
                    .map(|(a, _)| *a)
                    .collect();
                self.backend.call(&code, &reds)
            }
            Entry::Interpret => self.backend.call_interpreter(self.policy.portal, args),
        }
    }

    fn compile(&mut self, key: &[Option<Const>]) -> Entry<B::Code> {
        let start = Instant::now();
        let name =
            format!("{}__jit{}", self.program.graphs[self.policy.portal].name, self.reports.len());
        let result = Compiler::compile(self.program, &self.codes, key, self.budgets, &name);
        let key_text = format!("{key:?}");
        let (entry, stats, gave_up) = match result {
            Ok((graph, stats)) => {
                if self.wants("residual") {
                    let mut p = self.backend.program().clone();
                    let g = p.add_graph(graph.clone());
                    eprint!("{}", rpy_ir::text::print_graph(&p, g));
                }
                match self.backend.compile(graph) {
                    Ok(code) => (Entry::Compiled(code), stats, None),
                    Err(e) => (
                        Entry::Interpret,
                        stats,
                        Some(GiveUp::Unsupported(format!("backend: {e}"))),
                    ),
                }
            }
            Err(g) => (Entry::Interpret, Stats::default(), Some(g)),
        };
        let micros = start.elapsed().as_micros();
        if self.wants("summary") || gave_up.is_some() && !self.log.is_empty() {
            let outcome = gave_up
                .as_ref()
                .map_or("compiled".to_string(), |g| format!("fell back to the interpreter ({g})"));
            eprintln!(
                "jit: {name} key {key_text}: {outcome}; residual ops {}, virtuals forced {}, states {}, versions {}, {micros} us",
                stats.residual_ops, stats.virtuals_forced, stats.states, stats.versions
            );
        }
        self.reports.push(CompileReport { key: key_text, stats, gave_up, micros });
        entry
    }
}

/// The compile-time form of a green argument, if it has one.
fn green_const(v: RtValue) -> Option<Const> {
    Some(match v {
        RtValue::Int(i) => Const::Int(i),
        RtValue::Float(f) => Const::float(f),
        RtValue::Bool(b) => Const::Bool(b),
        RtValue::Char(c) => Const::Char(c),
        RtValue::Func(g) => Const::Func(g),
        RtValue::Void | RtValue::Ref(_) => return None,
    })
}
