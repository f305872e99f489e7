//! A compile thread: LLVM modules optimised and compiled to object files off the thread that
//! runs the code, so the JIT's hot tier costs the program no time while first-tier code keeps
//! running (on a machine with a core to spare).
//!
//! A module crosses threads as bitcode and comes back as an object file ([`Ticket::take`]);
//! the thread has its own LLVM context and target machines and touches nothing else, so
//! linking (into the ORC session) and everything the object's code refers to stay with the
//! caller. Dropping the [`Background`] finishes the job under way and ends the thread.
//!
//! A process may end while the thread compiles (a short program's hot loop sent early, a JIT
//! kept in a static): LLVM's exit-time destructors then run under the compilation, which
//! fails in odd ways (`LLVM ERROR: Do not know how to split the result of this operator!`,
//! `Cannot select: v2f64 = brcond`). The thread compiles holding `GATE`, which an exit
//! handler takes for good. LLVM registers many of those destructors when a code path first
//! runs (function-local statics), and exit handlers run last registered first: the handler
//! is registered again after each compilation, so that it runs before them — but one
//! registered during the compilation under way still runs first, so programs call
//! [`quiesce`] before they exit.

use crate::target::{self, OptLevel};
use inkwell::context::Context;
use inkwell::memory_buffer::MemoryBuffer;
use inkwell::module::Module;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// An object file compiled on the thread, and what it cost.
#[derive(Debug)]
pub struct Compiled {
    pub object: Vec<u8>,
    pub optimise: Duration,
    pub codegen: Duration,
}

type Slot = Arc<Mutex<Option<Result<Compiled, String>>>>;

/// The answer to one submitted module.
pub struct Ticket(Slot);

impl Ticket {
    /// The compiled object (or why there is none) once the thread is done; `None` before.
    pub fn take(&self) -> Option<Result<Compiled, String>> {
        self.0.lock().map(|mut s| s.take()).unwrap_or_else(|_| Some(Err("poisoned".into())))
    }
}

struct Job {
    bitcode: Vec<u8>,
    name: String,
    opt: OptLevel,
    reply: Slot,
}

/// The compile thread (see the module documentation).
pub struct Background {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    /// Log each module submitted (`RPY_LLVM_LOG=jit`).
    log: bool,
}

/// Held by compile threads while they compile; closed at process exit ([`close_gate`]).
static GATE: Mutex<()> = Mutex::new(());

/// Whether [`close_gate`] has closed the gate.
static CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// An exit handler: [`quiesce`] (it is registered many times).
extern "C" fn close_gate() {
    quiesce();
}

/// Waits for the compilation under way on any compile thread and keeps them from starting
/// another, for the rest of the process: a program that may have compile threads calls it
/// before it exits (LLVM's exit-time destructors registered after the exit handler of this
/// module run before it, maybe under a compilation). Idempotent.
pub fn quiesce() {
    if !CLOSED.swap(true, std::sync::atomic::Ordering::AcqRel) {
        std::mem::forget(GATE.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

/// Registers [`close_gate`] (again), to run before the exit handlers registered so far; the
/// first [`MAX_REGISTRATIONS`] times (LLVM's code paths have mostly run by then).
fn register_close_gate() {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    if COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < MAX_REGISTRATIONS {
        // SAFETY: registers a plain function; atexit has no other precondition.
        unsafe {
            libc::atexit(close_gate);
        }
    }
}

/// Registrations of [`close_gate`] at most.
const MAX_REGISTRATIONS: usize = 32;

impl Background {
    /// Starts the thread (`None` if the system cannot), logging each module submitted if
    /// `log`.
    pub fn start(log: bool) -> Option<Background> {
        target::init_llvm();
        register_close_gate();
        let (jobs, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("rpy-llvm-compile".into())
            .spawn(move || {
                let mut machines = Vec::new();
                for job in rx {
                    if CLOSED.load(std::sync::atomic::Ordering::Acquire) {
                        // The process is ending: this thread does no more (and is joined).
                        if let Ok(mut slot) = job.reply.lock() {
                            *slot = Some(Err("the process is exiting".into()));
                        }
                        break;
                    }
                    let gate = GATE.lock().unwrap_or_else(|e| e.into_inner());
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        compile(&job, &mut machines)
                    }))
                    .unwrap_or_else(|_| Err("LLVM panicked".into()));
                    drop(gate);
                    register_close_gate();
                    if let Ok(mut slot) = job.reply.lock() {
                        *slot = Some(result);
                    }
                }
            })
            .ok()?;
        Some(Background { jobs: Some(jobs), thread: Some(thread), log })
    }

    /// Sends `module` to be optimised and compiled at `opt`.
    pub fn submit(&self, module: &Module<'_>, opt: OptLevel) -> Ticket {
        let reply: Slot = Arc::new(Mutex::new(None));
        if self.log {
            eprintln!(
                "[backend-llvm +{:.1}] submitted {}",
                crate::translated::log_stamp(),
                module.get_name().to_string_lossy()
            );
        }
        let job = Job {
            bitcode: module.write_bitcode_to_memory().as_slice().to_vec(),
            name: module.get_name().to_string_lossy().into_owned(),
            opt,
            reply: Arc::clone(&reply),
        };
        let sent = self.jobs.as_ref().is_some_and(|j| j.send(job).is_ok());
        if !sent {
            *reply.lock().expect("not shared yet") = Some(Err("the compile thread ended".into()));
        }
        Ticket(reply)
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.jobs.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn compile(
    job: &Job,
    machines: &mut Vec<(OptLevel, inkwell::targets::TargetMachine)>,
) -> Result<Compiled, String> {
    let llcx = Context::create();
    let buffer = MemoryBuffer::create_from_memory_range_copy(&job.bitcode, &job.name);
    let module = Module::parse_bitcode_from_buffer(&buffer, &llcx).map_err(|e| e.to_string())?;
    if !machines.iter().any(|(o, _)| *o == job.opt) {
        machines.push((job.opt, target::host_machine(job.opt)));
    }
    let machine = &machines.iter().find(|(o, _)| *o == job.opt).expect("made above").1;
    let start = Instant::now();
    target::optimise(&module, machine, job.opt)?;
    let optimised = Instant::now();
    let object = target::emit_object(&module, machine)?;
    Ok(Compiled { object, optimise: optimised - start, codegen: optimised.elapsed() })
}
