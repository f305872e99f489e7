//! A compile thread: LLVM modules optimised and compiled to object files off the thread that
//! runs the code, so the JIT's hot tier costs the program no time while first-tier code keeps
//! running (on a machine with a core to spare).
//!
//! A module crosses threads as bitcode and comes back as an object file ([`Ticket::take`]);
//! the thread has its own LLVM context and target machines and touches nothing else, so
//! linking (into the ORC session) and everything the object's code refers to stay with the
//! caller. Dropping the [`Background`] finishes the job under way and ends the thread.

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
}

impl Background {
    /// Starts the thread (`None` if the system cannot).
    pub fn start() -> Option<Background> {
        target::init_llvm();
        let (jobs, rx) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("rpy-llvm-compile".into())
            .spawn(move || {
                let mut machines = Vec::new();
                for job in rx {
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        compile(&job, &mut machines)
                    }))
                    .unwrap_or_else(|_| Err("LLVM panicked".into()));
                    if let Ok(mut slot) = job.reply.lock() {
                        *slot = Some(result);
                    }
                }
            })
            .ok()?;
        Some(Background { jobs: Some(jobs), thread: Some(thread) })
    }

    /// Sends `module` to be optimised and compiled at `opt`.
    pub fn submit(&self, module: &Module<'_>, opt: OptLevel) -> Ticket {
        let reply: Slot = Arc::new(Mutex::new(None));
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
