//! Flexswitches: switches on a run-time value whose cases are added while the code runs
//! (PyPy's promotion). Compiled code reaching a flexswitch with a value it has no case for
//! calls back into Rust (the JIT) with the value and the live values; the JIT compiles the
//! case and the code continues in it; the next time that value goes straight to the case.
//!
//! Vocabulary:
//! - *switch*: a [`FlexId`] of a [`FlexRuntime`]: Rust-owned state at a fixed address, with the
//!   signature of its cases ([`Sig`]: the live values' types and the result type).
//! - *case*: a compiled function `case(live values...) -> result` (the C ABI of lowered graphs,
//!   [`crate::lower::llvm_type`]), compiled by the JIT anywhere in the process, usually a new
//!   module of the same ORC session. The runtime never frees cases.
//! - *site*: the code at the switch in its owner's compiled code, built by [`build_site`].
//! - *dispatcher*: a function `fn(switch, value) -> case address, or null` that sites call
//!   through the switch's *slot* (a word at the switch's address).
//! - *miss*: the dispatcher returned null. The site stores the live values as 64-bit words
//!   (the entry wrappers' encoding: ints as they are, floats as IEEE bits, bools and chars
//!   zero-extended, pointers as addresses) and calls the runtime, which calls the *handler*
//!   (a Rust closure standing for the JIT, [`FlexRuntime::with_handler`]).
//!
//! What a site does (in its owner's frame; the owner then returns the result):
//! ```text
//!   d = load slot                      ; the current dispatcher
//!   f = d(switch, value)               ; the case, or null
//!   if f == null:                      ; miss (cold)
//!       words = live values as words
//!       f = miss(switch, value, words, out)   ; handler: compile, install, return the case
//!       if f == null: result = decode(out[0]); failed = out[1]; done
//!   result = f(live values...)         ; straight to the case
//! ```
//!
//! Two dispatchers, the two designs measured in the toolchain notes:
//! - (a) *table*: the slot holds the runtime's `table_lookup` (Rust): a linear scan of the
//!   switch's (value, case) table. Installing a case costs nothing beyond compiling the case:
//!   the design for warm-up, while values keep arriving.
//! - (b) *rewritten*: the runtime compiles a small dispatcher with every known case inline (an
//!   LLVM `switch` on the value returning each case's address as a constant) into a new module
//!   of the session and stores its address in the slot: callers are redirected, the steady
//!   state has no table walk and no callback. Its default `musttail`-calls the table lookup,
//!   so values added after the rewrite still work (through the table) until the next rewrite.
//!
//! [`Policy`] chooses between them per switch: table only, a rewrite at every new case, or
//! (the default) the table while values arrive and a rewrite once the set settles (a number
//! of table hits in a row with no new case), plus [`FlexRuntime::rewrite`] on demand.
//!
//! Freeing code: a rewrite frees the dispatcher it replaces at once ([`Retire::Free`]). That
//! is safe because no frame can be in a dispatcher when Rust runs: a dispatcher is a leaf that
//! returns a constant, and its default path is a guaranteed tail call (`musttail`, honoured at
//! every optimisation level), so while the table lookup, the miss handler or a rewrite runs,
//! the dispatcher's frame is already gone, and the site returned to is in the owner. Cases may
//! have frames anywhere on the stack (a case runs the rest of the portal call, and may
//! recurse into its owner), so the runtime never frees them: their owner (the JIT) does, once
//! no call of the portal is running. [`Retire::Keep`] keeps replaced dispatchers until the
//! runtime is dropped, for uses where another thread could be between loading the slot and
//! running the dispatcher.
//!
//! Invariants:
//! - A switch's state never moves and lives as long as its runtime; sites embed its address.
//!   The runtime must therefore outlive every call of code holding its sites, and code of
//!   one runtime runs on one thread at a time (the runtime is neither `Send` nor `Sync`; code
//!   may run on another thread only while the owning thread waits for it).
//! - No `RefCell` borrow of the runtime is held while the handler or compiled code runs: the
//!   handler may create switches, install cases, rewrite, and call compiled code that misses
//!   again (nested misses are handled like any other).
//! - A value has at most one case per switch; the first case installed for it wins.
//! - The slot always holds a dispatcher that returns, for every value, that value's case or
//!   null: the table lookup, or a rewritten dispatcher whose cases are a subset of the table.
//!
//! Logging: [`FlexOptions::log`] (`RPY_LLVM_LOG=flex`) prints one line per miss and per
//! rewrite.

mod dispatch;
mod site;

pub use site::{build_site, build_site_at, switch_address, CaseCall, SiteCode};
pub(crate) use site::{from_word, likely_false, to_word};

use crate::session::{Session, SessionError, Tracker};
use crate::target::OptLevel;
use cranelift_entity::PrimaryMap;
use inkwell::targets::TargetMachine;
use rpy_ir::runtime::RtValue;
use rpy_ir::types::{Sig, Ty};
use std::cell::{Cell, OnceCell, RefCell};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

rpy_ir::entity! {
    /// A flexswitch of a [`FlexRuntime`] (displayed `flex3`).
    FlexId, "flex"
}

/// When a switch's dispatcher is rewritten with its cases inline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Never: design (a), the case table, only.
    Table,
    /// At every new case: design (b) from the first case on.
    Rewrite,
    /// The table while new values arrive; a rewrite once `hits` calls in a row found their
    /// case in the table (no new case meanwhile) and the table holds cases the current
    /// dispatcher lacks.
    Settle {
        /// Table hits in a row that count as settled.
        hits: u32,
    },
}

/// What happens to a dispatcher a rewrite replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retire {
    /// Freed at once (no frame can be in it: see the module documentation).
    Free,
    /// Kept until the runtime is dropped.
    Keep,
}

/// Table hits in a row after which a [`Policy::Settle`] switch is rewritten. Measured (the
/// `flexswitch` benchmark): a rewrite costs about 0.55 ms at O0 and saves about 1 ns per call
/// with 1 to 9 cases, so it repays itself after some 5 * 10^5 calls. Waiting that long first
/// (the ski-rental rule) never loses more than twice the best choice made with hindsight,
/// and a switch that goes quiet sooner never pays for a rewrite.
pub const DEFAULT_SETTLE_HITS: u32 = 500_000;

/// How a runtime compiles and retires dispatchers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlexOptions {
    /// The policy of switches created with [`FlexRuntime::create`].
    pub policy: Policy,
    /// The level rewritten dispatchers are compiled at (O0 is several times cheaper and the
    /// dispatcher is a single `switch`).
    pub opt: OptLevel,
    /// What happens to replaced dispatchers.
    pub retire: Retire,
    /// Print one line per miss and per rewrite to stderr.
    pub log: bool,
}

impl Default for FlexOptions {
    fn default() -> Self {
        FlexOptions {
            policy: Policy::Settle { hits: DEFAULT_SETTLE_HITS },
            opt: OptLevel::O0,
            retire: Retire::Free,
            log: false,
        }
    }
}

/// What went wrong at a flexswitch.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FlexError {
    /// Compiled code missed while no handler was installed.
    #[error("{switch}: miss on value {value} with no handler installed")]
    NoHandler {
        /// The switch.
        switch: FlexId,
        /// The value it had no case for.
        value: i64,
    },
    /// The handler reported an error (or panicked).
    #[error("{switch}: the handler failed on value {value}: {message}")]
    Handler {
        /// The switch.
        switch: FlexId,
        /// The value it had no case for.
        value: i64,
        /// The handler's message.
        message: String,
    },
    /// A case was installed for a value that already has a different one.
    #[error("{switch}: value {value} already has a case")]
    DuplicateCase {
        /// The switch.
        switch: FlexId,
        /// The value.
        value: i64,
    },
    /// A case address of 0.
    #[error("{switch}: null case address for value {value}")]
    NullCase {
        /// The switch.
        switch: FlexId,
        /// The value.
        value: i64,
    },
    /// The site does not match the switch's signature.
    #[error("flexswitch site: {0}")]
    Site(String),
    /// LLVM failed to build, optimise or compile a dispatcher or site.
    #[error("LLVM: {0}")]
    Llvm(String),
    /// Linking or looking up a dispatcher failed.
    #[error(transparent)]
    Session(#[from] SessionError),
}

/// A miss, as the handler sees it.
#[derive(Clone, Copy, Debug)]
pub struct Miss<'a> {
    /// The switch.
    pub switch: FlexId,
    /// The tag given when the switch was created (the JIT's number for it).
    pub tag: u64,
    /// The value that has no case.
    pub value: i64,
    /// The live values, one word each (see the module documentation for the encoding).
    pub words: &'a [u64],
    /// The switch's signature: `sig.params` are the live values' types.
    pub sig: &'a Sig,
}

impl Miss<'_> {
    /// Live value `i` as an int.
    pub fn int(&self, i: usize) -> i64 {
        self.words[i] as i64
    }

    /// Live value `i` as a float.
    pub fn float(&self, i: usize) -> f64 {
        f64::from_bits(self.words[i])
    }

    /// Live value `i` as a pointer.
    pub fn ptr(&self, i: usize) -> *mut u8 {
        self.words[i] as usize as *mut u8
    }

    /// Live value `i` as llinterp's value of its type; a function pointer comes as its
    /// address (`RtValue::Ref`), for the caller to map back to its graph.
    pub fn value(&self, i: usize) -> RtValue {
        word_to_value(self.words[i], self.sig.params[i])
    }
}

/// The llinterp value a word holds, given its type (function pointers as `Ref` addresses).
pub fn word_to_value(w: u64, ty: Ty) -> RtValue {
    match ty {
        // Only the low bit of a bool's register is defined.
        Ty::Bool => RtValue::Bool(w & 1 != 0),
        Ty::Func(_) => RtValue::Ref(w as usize as *mut u8),
        _ => RtValue::from_data_word(w, ty).expect("only function words are mode-specific"),
    }
}

/// What the handler decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissAction {
    /// Install this case (the address of `case(live values...) -> result`) for the value
    /// and continue in it.
    Continue(usize),
    /// Install nothing; the site's result is this word (the handler ran the rest itself).
    Finish(u64),
}

/// The handler of misses (the JIT): compiles the case of `miss.value`, or finishes the call.
pub type MissHandler<'h> = dyn Fn(&Miss<'_>) -> Result<MissAction, String> + 'h;

/// Counters of one switch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FlexStats {
    /// Cases in the table.
    pub cases: usize,
    /// Cases inline in the current dispatcher (0: the table lookup dispatches).
    pub inline_cases: usize,
    /// Calls of the handler.
    pub handler_calls: u64,
    /// Calls that found their case by the table lookup.
    pub table_hits: u64,
    /// Dispatchers compiled.
    pub rewrites: u64,
    /// Replaced dispatchers freed.
    pub freed: u64,
    /// Replaced dispatchers kept.
    pub kept: u64,
}

/// What a site needs to know about its switch.
#[derive(Clone, Debug)]
pub struct Site {
    /// The switch.
    pub id: FlexId,
    /// The address of the switch's state (its first word is the slot).
    pub switch: usize,
    /// The cases' signature.
    pub sig: Sig,
}

/// The state of one switch, at a fixed address (sites embed it).
#[repr(C)]
struct Switch {
    /// The dispatcher sites call. First, so that the switch's address is the slot's.
    slot: AtomicUsize,
    runtime: *const Inner,
    id: FlexId,
    tag: u64,
    sig: Sig,
    policy: Policy,
    /// (value, case address), in installation order.
    table: RefCell<Vec<(i64, usize)>>,
    /// Table hits since the last new case.
    run: Cell<u64>,
    table_hits: Cell<u64>,
    stats: Cell<FlexStats>,
    dispatcher: RefCell<Option<Tracker>>,
    retired: RefCell<Vec<Tracker>>,
}

impl Switch {
    fn case(&self, value: i64) -> Option<usize> {
        self.table.borrow().iter().find(|(k, _)| *k == value).map(|&(_, c)| c)
    }

    fn update(&self, f: impl FnOnce(&mut FlexStats)) {
        let mut s = self.stats.get();
        f(&mut s);
        self.stats.set(s);
    }
}

/// Distinguishes the symbols of runtimes sharing a session.
static SERIAL: AtomicU64 = AtomicU64::new(0);

struct Inner {
    session: Rc<Session>,
    options: FlexOptions,
    serial: u64,
    switches: RefCell<PrimaryMap<FlexId, Box<Switch>>>,
    /// The installed handler, its lifetime erased ([`FlexRuntime::with_handler`] removes it
    /// before the borrow ends).
    handler: Cell<Option<*const MissHandler<'static>>>,
    /// Errors of misses (compiled code sees only its failure flag).
    errors: RefCell<Vec<FlexError>>,
    /// The target machine dispatchers are compiled with (creating one costs about 0.3 ms,
    /// a quarter of a rewrite).
    machine: OnceCell<TargetMachine>,
}

/// The flexswitches of one JIT: their state, the handler of misses, the dispatchers compiled.
/// Methods taking a [`FlexId`] panic if it is not a switch of this runtime.
pub struct FlexRuntime {
    inner: Box<Inner>,
}

impl fmt::Debug for FlexRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlexRuntime")
            .field("switches", &self.inner.switches.borrow().len())
            .field("options", &self.inner.options)
            .finish()
    }
}

impl FlexRuntime {
    /// A runtime compiling its dispatchers into `session` (where the cases usually are too).
    pub fn new(session: Rc<Session>, options: FlexOptions) -> FlexRuntime {
        FlexRuntime {
            inner: Box::new(Inner {
                session,
                options,
                serial: SERIAL.fetch_add(1, Ordering::Relaxed),
                switches: RefCell::new(PrimaryMap::new()),
                handler: Cell::new(None),
                errors: RefCell::new(Vec::new()),
                machine: OnceCell::new(),
            }),
        }
    }

    /// The session dispatchers are compiled into.
    pub fn session(&self) -> &Rc<Session> {
        &self.inner.session
    }

    /// The options.
    pub fn options(&self) -> FlexOptions {
        self.inner.options
    }

    /// A new switch with no case, whose cases have signature `sig`, with the runtime's policy;
    /// `tag` is reported to the handler.
    pub fn create(&self, sig: Sig, tag: u64) -> FlexId {
        self.create_with(sig, tag, self.inner.options.policy)
    }

    /// A new switch with its own policy.
    pub fn create_with(&self, sig: Sig, tag: u64, policy: Policy) -> FlexId {
        let mut switches = self.inner.switches.borrow_mut();
        let id = switches.next_key();
        switches.push(Box::new(Switch {
            slot: AtomicUsize::new(table_lookup as *const () as usize),
            runtime: &*self.inner,
            id,
            tag,
            sig,
            policy,
            table: RefCell::new(Vec::new()),
            run: Cell::new(0),
            table_hits: Cell::new(0),
            stats: Cell::new(FlexStats::default()),
            dispatcher: RefCell::new(None),
            retired: RefCell::new(Vec::new()),
        }))
    }

    fn switch(&self, id: FlexId) -> &Switch {
        self.inner.switch(id)
    }

    /// What a site of switch `id` embeds ([`build_site`]).
    pub fn site(&self, id: FlexId) -> Site {
        let sw = self.switch(id);
        Site { id, switch: sw as *const Switch as usize, sig: sw.sig.clone() }
    }

    /// Runs `f` (which calls compiled code) with `handler` handling misses; the previous
    /// handler, if any, is restored afterwards (on unwinding too).
    pub fn with_handler<R>(&self, handler: &MissHandler<'_>, f: impl FnOnce() -> R) -> R {
        // SAFETY: only the lifetime is erased; the guard removes the pointer before `handler`'s
        // borrow ends (on unwinding too), and it is only called while installed.
        let erased: *const MissHandler<'static> =
            unsafe { std::mem::transmute(handler as *const MissHandler<'_>) };
        let _installed = crate::runtime::Installed::new(&self.inner.handler, Some(erased));
        f()
    }

    /// Installs `case` for `value` at switch `id` (as a miss would, rewriting if the policy is
    /// [`Policy::Rewrite`]). Installing the same case again is a no-op.
    pub fn add_case(&self, id: FlexId, value: i64, case: usize) -> Result<(), FlexError> {
        let sw = self.switch(id);
        match sw.case(value) {
            Some(c) if c == case => Ok(()),
            Some(_) => Err(FlexError::DuplicateCase { switch: id, value }),
            None => self.inner.install(sw, value, case).map(|_| ()),
        }
    }

    /// Compiles a dispatcher with every case of switch `id` inline and redirects its sites
    /// to it (design (b)), whatever the policy.
    pub fn rewrite(&self, id: FlexId) -> Result<(), FlexError> {
        self.inner.rewrite(self.switch(id))
    }

    /// Makes every case at address `old` (code compiled again) be `new` from now on: tables
    /// change at once; switches whose dispatcher has the old address inline are rewritten
    /// (until then the old code, still valid, runs).
    pub fn retarget(&self, old: usize, new: usize) {
        if old == 0 || old == new {
            return;
        }
        let n = self.inner.switches.borrow().len();
        for i in 0..n {
            let sw = self.inner.switch(FlexId::from_u32(i as u32));
            let changed = {
                let mut table = sw.table.borrow_mut();
                let mut changed = false;
                for (_, case) in table.iter_mut().filter(|(_, c)| *c == old) {
                    *case = new;
                    changed = true;
                }
                changed
            };
            if changed && sw.stats.get().inline_cases > 0 {
                self.inner.rewrite_or_warn(sw);
            }
        }
    }

    /// The case of `value` at switch `id`, if installed.
    pub fn case(&self, id: FlexId, value: i64) -> Option<usize> {
        self.switch(id).case(value)
    }

    /// The cases of switch `id`, in installation order.
    pub fn cases(&self, id: FlexId) -> Vec<(i64, usize)> {
        self.switch(id).table.borrow().clone()
    }

    /// The counters of switch `id`.
    pub fn stats(&self, id: FlexId) -> FlexStats {
        let sw = self.switch(id);
        FlexStats { table_hits: sw.table_hits.get(), ..sw.stats.get() }
    }

    /// The signature of switch `id`'s cases.
    pub fn sig(&self, id: FlexId) -> Sig {
        self.switch(id).sig.clone()
    }

    /// The errors of misses since the last call (compiled code only sees a failure flag).
    pub fn take_errors(&self) -> Vec<FlexError> {
        std::mem::take(&mut *self.inner.errors.borrow_mut())
    }
}

impl Inner {
    fn switch(&self, id: FlexId) -> &Switch {
        let p: *const Switch = &*self.switches.borrow()[id];
        // SAFETY: switches are boxed and never removed before `self` is dropped.
        unsafe { &*p }
    }

    /// Adds `case` for `value` (unless the value got a case meanwhile, which then wins) and
    /// applies the policy; returns the value's case.
    fn install(&self, sw: &Switch, value: i64, case: usize) -> Result<usize, FlexError> {
        if case == 0 {
            return Err(FlexError::NullCase { switch: sw.id, value });
        }
        if let Some(c) = sw.case(value) {
            return Ok(c);
        }
        let cases = {
            let mut table = sw.table.borrow_mut();
            table.push((value, case));
            table.len()
        };
        sw.update(|s| s.cases = cases);
        sw.run.set(0);
        if sw.policy == Policy::Rewrite {
            self.rewrite_or_warn(sw);
        }
        Ok(case)
    }

    /// A miss from compiled code: the case to continue in, or what to return.
    fn miss(&self, sw: &Switch, value: i64, words: &[u64]) -> Result<MissAction, FlexError> {
        // A nested miss may have installed it since the lookup.
        if let Some(c) = sw.case(value) {
            return Ok(MissAction::Continue(c));
        }
        let handler = self.handler.get().ok_or(FlexError::NoHandler { switch: sw.id, value })?;
        sw.update(|s| s.handler_calls += 1);
        let start = Instant::now();
        let miss = Miss { switch: sw.id, tag: sw.tag, value, words, sig: &sw.sig };
        // SAFETY: installed by `with_handler`, whose borrow outlasts the call of `f` we are in.
        let handler = unsafe { &*handler };
        let action = match catch_unwind(AssertUnwindSafe(|| handler(&miss))) {
            Ok(r) => r,
            Err(panic) => Err(panic_message(&panic)),
        };
        let action =
            action.map_err(|message| FlexError::Handler { switch: sw.id, value, message })?;
        let handled = start.elapsed();
        let action = match action {
            MissAction::Continue(case) => MissAction::Continue(self.install(sw, value, case)?),
            finish => finish,
        };
        if self.options.log {
            eprintln!(
                "[flex] {}: miss on {value}: {:?} after {:.3} ms in the handler; {} cases",
                sw.id,
                action,
                ms(handled),
                sw.table.borrow().len()
            );
        }
        Ok(action)
    }

    /// Rewrites, reporting a failure on stderr: the table still dispatches every case, so a
    /// failed rewrite costs speed, not correctness.
    fn rewrite_or_warn(&self, sw: &Switch) {
        if let Err(e) = self.rewrite(sw) {
            eprintln!("warning: {}: rewrite failed, dispatching through the table: {e}", sw.id);
        }
    }

    fn rewrite(&self, sw: &Switch) -> Result<(), FlexError> {
        let start = Instant::now();
        let cases = sw.table.borrow().clone();
        let version = sw.stats.get().rewrites;
        let name = format!("rpy_flex.{}.{}.v{version}", self.serial, sw.id);
        let opt = self.options.opt;
        let machine = self.machine.get_or_init(|| crate::target::host_machine(opt));
        let lookup = table_lookup as *const () as usize;
        let object = dispatch::compile(&name, &cases, lookup, machine, opt)?;
        let tracker = self.session.add_object_tracked(&object, &name)?;
        let addr = self.session.lookup(&name)?;
        sw.slot.store(addr, Ordering::Release);
        let old = sw.dispatcher.replace(Some(tracker));
        sw.update(|s| {
            s.rewrites += 1;
            s.inline_cases = cases.len();
        });
        if let Some(old) = old {
            match self.options.retire {
                Retire::Keep => {
                    sw.retired.borrow_mut().push(old);
                    sw.update(|s| s.kept += 1);
                }
                Retire::Free => {
                    // SAFETY: no frame is in a dispatcher while Rust runs (module
                    // documentation), and the slot no longer names it.
                    unsafe { old.remove() }?;
                    sw.update(|s| s.freed += 1);
                }
            }
        }
        if self.options.log {
            eprintln!(
                "[flex] {}: rewritten with {} cases inline ({}, {:.3} ms)",
                sw.id,
                cases.len(),
                self.options.opt.name(),
                ms(start.elapsed())
            );
        }
        Ok(())
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // No code using these switches runs any more (the runtime's invariant): free the
        // dispatchers now rather than with the session.
        for sw in self.switches.get_mut().values_mut() {
            let trackers =
                sw.dispatcher.get_mut().take().into_iter().chain(sw.retired.get_mut().drain(..));
            for t in trackers {
                // SAFETY: see above.
                if let Err(e) = unsafe { t.remove() } {
                    eprintln!("warning: freeing a dispatcher of {} failed: {e}", sw.id);
                }
            }
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string());
    format!("panicked: {text}")
}

/// Design (a)'s dispatcher, and the default of every rewritten one: the case of `value` in
/// the switch's table, or 0. Counts hits, and rewrites a [`Policy::Settle`] switch that has
/// settled (no frame of a dispatcher exists here: rewritten ones tail-call this).
extern "C" fn table_lookup(sw: *const Switch, value: i64) -> usize {
    // SAFETY: sites pass the address of a switch of a live runtime.
    let sw = unsafe { &*sw };
    let Some(case) = sw.case(value) else { return 0 };
    sw.table_hits.set(sw.table_hits.get() + 1);
    if let Policy::Settle { hits } = sw.policy {
        let run = sw.run.get() + 1;
        sw.run.set(run);
        if run >= hits as u64 {
            settled(sw);
        }
    }
    case
}

/// A [`Policy::Settle`] switch has settled: rewrite it if the table has cases the dispatcher
/// lacks. (Out of line, to keep the lookup's fast path small.)
#[cold]
#[inline(never)]
fn settled(sw: &Switch) {
    sw.run.set(0);
    if sw.table.borrow().len() > sw.stats.get().inline_cases {
        // SAFETY: the runtime outlives its switches' use.
        unsafe { &*sw.runtime }.rewrite_or_warn(sw);
    }
}

/// A site's miss: the case to call, or 0 with the site's result word in `out[0]` and its
/// failure flag in `out[1]` (an error is kept for [`FlexRuntime::take_errors`]).
extern "C" fn miss_trampoline(
    sw: *const Switch,
    value: i64,
    words: *const u64,
    out: *mut u64,
) -> usize {
    // SAFETY: the site passes a live switch, one word per live value (at least one word of
    // storage) and two words of output.
    let (sw, words, out) = unsafe {
        let sw = &*sw;
        (sw, std::slice::from_raw_parts(words, sw.sig.params.len()), &mut *(out as *mut [u64; 2]))
    };
    // SAFETY: the runtime outlives its switches' use.
    let rt = unsafe { &*sw.runtime };
    match rt.miss(sw, value, words) {
        Ok(MissAction::Continue(case)) => case,
        Ok(MissAction::Finish(word)) => {
            *out = [word, 0];
            0
        }
        Err(e) => {
            if rt.options.log {
                eprintln!("[flex] {e}");
            }
            rt.errors.borrow_mut().push(e);
            *out = [0, 1];
            0
        }
    }
}
