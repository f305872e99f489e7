//! The object cache: a translated program is compiled once per (IR text, LLVM version, target
//! triple, CPU and features, optimisation level, lowering source: [`KeyParts`]) and loaded from an object file afterwards, so starting
//! a language binary does not pay LLVM's optimiser on every run.
//!
//! An entry is two files named by the key's hash: `HASH.o` (the object, exactly what ORC is
//! given after a compilation) and `HASH.sites` (the failure sites the code refers to, as
//! graph/block/position triples that are checked against the program when loaded). Files are
//! written to a temporary name and renamed, so a reader never sees half an entry; an entry that
//! does not check out is a miss.
//!
//! A key also names *notes*: small texts a client derives from the program and keeps beside
//! its entry (`HASH.EXT`, [`load_note`], [`store_note`]), such as the JIT's merge point, so a
//! later run need not recompute them; and keys of programs made from a keyed one by a known
//! transformation ([`CacheKey::derive`]), so the made program need not be printed again.

use crate::errors::{Site, SiteTable};
use crate::target::{OptLevel, TargetCpu, TargetDescription};
use rpy_ir::ir::{Block, GraphIdx, Program};
use rpy_ir::runtime::RuntimeErrorKind;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The sources whose changes change the generated code: part of every key.
const LOWERING_SOURCES: &[&str] = &[
    include_str!("lower/mod.rs"),
    include_str!("lower/func.rs"),
    include_str!("lower/ops.rs"),
    include_str!("lower/overflow.rs"),
    include_str!("lower/intrinsics.rs"),
    include_str!("lower/entry.rs"),
    include_str!("lower/frame_words.rs"),
    include_str!("target.rs"),
    include_str!("runtime.rs"),
    // Which graphs are optimised and how the objects are split and packed.
    include_str!("partition.rs"),
    include_str!("translated.rs"),
    include_str!("lower/tbaa.rs"),
];

/// The runtime error kinds in their cache-file numbering.
const KINDS: &[RuntimeErrorKind] = &[
    RuntimeErrorKind::NullDereference,
    RuntimeErrorKind::IndexOutOfBounds,
    RuntimeErrorKind::DivisionByZero,
    RuntimeErrorKind::StackOverflow,
    RuntimeErrorKind::BadCast,
    RuntimeErrorKind::NegativeLength,
    RuntimeErrorKind::InvalidChr,
    RuntimeErrorKind::NegativeShift,
    RuntimeErrorKind::OutOfMemory,
    RuntimeErrorKind::Uncaught,
];

/// Everything a cached object depends on: the parts of its [`CacheKey`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyParts {
    /// The program: its text form, then each graph's arena sizes (not all visible in the
    /// text, but they feed the frame sizes).
    pub program: String,
    /// [`llvm_version`].
    pub llvm_version: String,
    /// The target machine's triple, CPU and CPU features.
    pub target: TargetDescription,
    /// The optimisation level.
    pub opt: OptLevel,
    /// This crate's version and the sources of the lowering ([`LOWERING_SOURCES`]).
    pub lowering: Vec<String>,
}

impl KeyParts {
    /// The parts of `program` compiled at `opt` for this host by this version of the
    /// lowering.
    pub fn new(program: &Program, opt: OptLevel) -> KeyParts {
        let mut text = rpy_ir::text::print_program(program);
        for g in program.graphs.values() {
            let _ =
                write!(text, "\n{} {} {} {};", g.name, g.vars.len(), g.ops.len(), g.blocks.len());
        }
        KeyParts::with_program(text, opt)
    }

    /// The parts of the program that this executable's front end makes from the RPy source
    /// files `sources` (name, text): they and [`executable_identity`] stand for the program's
    /// text (the same binary makes the same program of the same sources). Not an object's key
    /// (every binary would translate its own copy) but the key of the note that names the
    /// object's ([`program_key`]). `None` if the executable is not known.
    pub fn of_sources(sources: &[(&str, &str)], opt: OptLevel) -> Option<KeyParts> {
        let mut text = format!("RPy sources, front end of {}", executable_identity()?);
        for (name, s) in sources {
            let _ = write!(text, "\n{name} {} {s}", s.len());
        }
        Some(KeyParts::with_program(text, opt))
    }

    fn with_program(program: String, opt: OptLevel) -> KeyParts {
        let lowering = std::iter::once(env!("CARGO_PKG_VERSION"))
            .chain(LOWERING_SOURCES.iter().copied())
            .map(str::to_string)
            .collect();
        KeyParts {
            program,
            llvm_version: llvm_version(),
            target: TargetCpu::Host.description(),
            opt,
            lowering,
        }
    }
}

/// What identifies a compiled program: a BLAKE3 hash (256 bits) of its [`KeyParts`], so that
/// no two programs, targets or levels share an entry short of a collision of a cryptographic
/// hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheKey {
    hash: String,
}

impl CacheKey {
    /// The key of `program` compiled at `opt` on this host by this version of the lowering.
    pub fn new(program: &Program, opt: OptLevel) -> CacheKey {
        CacheKey::of(&KeyParts::new(program, opt))
    }

    /// The key of `parts`.
    pub fn of(parts: &KeyParts) -> CacheKey {
        let mut h = blake3::Hasher::new();
        let TargetDescription { triple, cpu, features } = &parts.target;
        let fields = [&parts.program, &parts.llvm_version, triple, cpu, features]
            .into_iter()
            .map(String::as_str)
            .chain([parts.opt.name()])
            .chain(parts.lowering.iter().map(String::as_str));
        for field in fields {
            // Each field preceded by its length, so ("ab", "c") and ("a", "bc") differ.
            h.update(&(field.len() as u64).to_le_bytes());
            h.update(field.as_bytes());
        }
        CacheKey { hash: h.finalize().to_hex().to_string() }
    }

    /// The key of a program made from this key's program by a transformation that `what`
    /// describes completely (the transformation's source text and its parameters): equal
    /// descriptions of equal programs give equal keys, without printing the made program.
    pub fn derive(&self, what: &[&str]) -> CacheKey {
        let mut h = blake3::Hasher::new();
        for field in std::iter::once(self.hash.as_str()).chain(what.iter().copied()) {
            h.update(&(field.len() as u64).to_le_bytes());
            h.update(field.as_bytes());
        }
        CacheKey { hash: h.finalize().to_hex().to_string() }
    }

    /// The key whose [`CacheKey::hash`] is `hash`, if it is one.
    pub fn from_hash(hash: &str) -> Option<CacheKey> {
        let ok = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| CacheKey { hash: hash.to_string() })
    }

    /// The key's hash in hex (the entry's file name).
    pub fn hash(&self) -> &str {
        &self.hash
    }
}

/// What identifies the running executable's code, cheaply: its path, size and modification
/// time (a rebuilt binary differs); `None` if unknown.
pub fn executable_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let m = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{} {} {}.{:09}", exe.display(), meta.len(), m.as_secs(), m.subsec_nanos()))
}

/// The version of the LLVM this crate links.
pub fn llvm_version() -> String {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: plain out-parameters.
    unsafe { llvm_sys::core::LLVMGetVersion(&mut major, &mut minor, &mut patch) };
    format!("LLVM {major}.{minor}.{patch}")
}

fn paths(dir: &Path, key: &CacheKey) -> (PathBuf, PathBuf) {
    (dir.join(format!("{}.o", key.hash)), dir.join(format!("{}.sites", key.hash)))
}

/// The cached object and sites of `key`, if present and consistent with `program`.
pub fn load(dir: &Path, key: &CacheKey, program: &Program) -> Option<(Vec<u8>, SiteTable)> {
    let (obj_path, sites_path) = paths(dir, key);
    let sites_text = std::fs::read_to_string(sites_path).ok()?;
    let object = std::fs::read(obj_path).ok()?;
    let sites = parse_sites(&sites_text, program)?;
    Some((object, sites))
}

/// Stores `object` and `sites` under `key` (creating the directory if needed).
pub fn store(
    dir: &Path,
    key: &CacheKey,
    object: &[u8],
    sites: &SiteTable,
    program: &Program,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let (obj_path, sites_path) = paths(dir, key);
    write_atomically(&obj_path, object)?;
    write_atomically(&sites_path, print_sites(sites, program).as_bytes())
}

/// The key of `program`, compiled from the RPy files `sources` (empty if not known) by this
/// executable's front end, at `opt`: [`CacheKey::new`], which prints the program (about 18 ms
/// for mini-Python's interpreter), found instead in the note the sources' key
/// ([`KeyParts::of_sources`]) keeps once a run of this binary has printed it.
pub fn program_key(
    dir: &Path,
    program: &Program,
    sources: &[(&str, &str)],
    opt: OptLevel,
) -> CacheKey {
    let note = (!sources.is_empty())
        .then(|| KeyParts::of_sources(sources, opt))
        .flatten()
        .map(|parts| CacheKey::of(&parts));
    key_through_note(dir, note.as_ref(), program, opt)
}

/// [`CacheKey::new`] of `program` at `opt`, kept as the note of `note` (a key that
/// determines `program`, such as one made with [`executable_identity`] from the inputs of the
/// code that made it) and found there by later runs; printed each time without a note.
pub fn key_through_note(
    dir: &Path,
    note: Option<&CacheKey>,
    program: &Program,
    opt: OptLevel,
) -> CacheKey {
    let Some(note) = note else { return CacheKey::new(program, opt) };
    if let Some(key) = load_note(dir, note, "program").and_then(|h| CacheKey::from_hash(&h)) {
        return key;
    }
    let key = CacheKey::new(program, opt);
    // Not kept: the next run prints again.
    let _ = store_note(dir, note, "program", key.hash());
    key
}

/// The note `ext` kept under `key` ([`store_note`]), if there is one.
pub fn load_note(dir: &Path, key: &CacheKey, ext: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(format!("{}.{ext}", key.hash))).ok()
}

/// Keeps `text` as the note `ext` of `key` (creating the directory if needed).
pub fn store_note(dir: &Path, key: &CacheKey, ext: &str, text: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    write_atomically(&dir.join(format!("{}.{ext}", key.hash)), text.as_bytes())
}

pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// One line per site: graph index, block index, position of the op in the block, kind.
fn print_sites(sites: &SiteTable, program: &Program) -> String {
    let mut out = String::new();
    for i in 0..sites.len() as u64 {
        let s = sites.get(i).expect("dense numbering");
        let graph = &program.graphs[s.graph];
        let (block, pos) = graph
            .blocks
            .iter()
            .find_map(|(b, data)| data.ops.iter().position(|&o| o == s.op).map(|p| (b, p)))
            .expect("a site's op is in a block");
        let kind = KINDS.iter().position(|&k| k == s.kind).expect("every kind is listed");
        let _ = writeln!(out, "{} {} {} {}", s.graph.as_u32(), block.as_u32(), pos, kind);
    }
    out
}

fn parse_sites(text: &str, program: &Program) -> Option<SiteTable> {
    let mut sites = SiteTable::default();
    for (i, line) in text.lines().enumerate() {
        let nums: Vec<u32> = line.split(' ').map(|w| w.parse().ok()).collect::<Option<_>>()?;
        let [g, b, pos, kind] = nums[..] else { return None };
        let graph = program.graphs.get(GraphIdx::from_u32(g))?;
        let op = *graph.blocks.get(Block::from_u32(b))?.ops.get(pos as usize)?;
        let kind = *KINDS.get(kind as usize)?;
        if sites.intern(Site { graph: GraphIdx::from_u32(g), op, kind }) != i as u64 {
            return None;
        }
    }
    Some(sites)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{translate_with, Options};
    use rpy_ir::runtime::RtValue;

    const SRC: &str = "\
def f(n: int) -> int:
    a = array[int](3)
    return a[n] + 10 // n

def g(n: int) -> int:
    return f(n) + 1
";

    #[test]
    fn a_warm_cache_loads_the_same_code_and_errors() {
        let dir = std::env::temp_dir().join(format!("rpy-llvm-cache-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let program = rpy_ir::front::compile("t.rpy", SRC).unwrap();
        let options = Options { cache_dir: Some(dir.clone()), ..Options::new(OptLevel::O2) };
        let mut cold = translate_with(&program, &options).unwrap();
        assert!(!cold.stats().cached);
        let mut warm = translate_with(&program, &options).unwrap();
        assert!(warm.stats().cached);
        for n in [1, 2, 0, 3, -1] {
            let args = [RtValue::Int(n)];
            let (a, b) = (cold.call_here("g", &args), warm.call_here("g", &args));
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "g({n})");
        }
        // A different program (or level) is a different entry.
        let other = rpy_ir::front::compile("t.rpy", &SRC.replace("+ 1", "+ 2")).unwrap();
        assert_ne!(CacheKey::new(&other, OptLevel::O2), CacheKey::new(&program, OptLevel::O2));
        assert_ne!(CacheKey::new(&program, OptLevel::O0), CacheKey::new(&program, OptLevel::O2));
        let mut t = translate_with(&other, &options).unwrap();
        assert!(!t.stats().cached);
        assert_eq!(t.call_here("g", &[RtValue::Int(1)]).unwrap(), RtValue::Int(22)); // 20 // 1 + 2
                                                                                     // A damaged sites file is a miss, not an error.
        let key = CacheKey::new(&program, OptLevel::O2);
        std::fs::write(dir.join(format!("{}.sites", key.hash())), "9 9 9 9\n").unwrap();
        assert!(load(&dir, &key, &program).is_none());
        assert!(!translate_with(&program, &options).unwrap().stats().cached);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// What a change alters, and how.
    type Change = (&'static str, fn(&mut KeyParts));

    #[test]
    fn every_part_of_a_key_changes_it() {
        let program = rpy_ir::front::compile("t.rpy", SRC).unwrap();
        let base = KeyParts::new(&program, OptLevel::O2);
        let key = CacheKey::of(&base);
        assert_eq!(key, CacheKey::new(&program, OptLevel::O2));
        assert_eq!(key.hash().len(), 64);
        let changes: [Change; 8] = [
            ("program", |p| p.program.push(' ')),
            ("llvm version", |p| p.llvm_version.push('1')),
            ("triple", |p| p.target.triple = "aarch64-unknown-linux-gnu".into()),
            ("cpu", |p| p.target.cpu.push('x')),
            ("features", |p| p.target.features.push_str(",+avx512f")),
            ("opt level", |p| p.opt = OptLevel::Lean),
            ("lowering", |p| p.lowering[1].push(' ')),
            // The same bytes split differently between two fields.
            ("framing", |p| {
                let c = p.target.cpu.pop().unwrap();
                p.target.features.insert(0, c);
            }),
        ];
        for (what, change) in changes {
            let mut parts = base.clone();
            change(&mut parts);
            assert_ne!(CacheKey::of(&parts), key, "changing the {what} keeps the key");
        }
        // A generic CPU is not the host's.
        let generic = KeyParts { target: TargetCpu::Generic.description(), ..base.clone() };
        assert_ne!(CacheKey::of(&generic), key);
    }

    #[test]
    fn keys_of_sources_and_derived_keys_tell_their_inputs_apart() {
        let key = |files: &[(&str, &str)]| {
            CacheKey::of(&KeyParts::of_sources(files, OptLevel::O2).expect("a test binary"))
        };
        let a = key(&[("a.rpy", "x"), ("b.rpy", "y")]);
        assert_eq!(a, key(&[("a.rpy", "x"), ("b.rpy", "y")]));
        assert_ne!(a, key(&[("a.rpy", "x"), ("b.rpy", "z")]));
        assert_ne!(a, key(&[("a.rpy", "xb"), ("b.rpy", "")]));
        assert_ne!(a, key(&[("c.rpy", "x"), ("b.rpy", "y")]));
        let program = rpy_ir::front::compile("a.rpy", SRC).unwrap();
        assert_ne!(key(&[("a.rpy", SRC)]), CacheKey::new(&program, OptLevel::O2));
        assert_eq!(a.derive(&["t", "1"]), a.derive(&["t", "1"]));
        assert_ne!(a.derive(&["t", "1"]), a.derive(&["t1"]));
        assert_ne!(a.derive(&["t", "1"]), a);
    }

    #[test]
    fn a_note_is_kept_under_its_key() {
        let dir = std::env::temp_dir().join(format!("rpy-llvm-note-test-{}", std::process::id()));
        let program = rpy_ir::front::compile("t.rpy", SRC).unwrap();
        let key = CacheKey::new(&program, OptLevel::O2);
        assert_eq!(load_note(&dir, &key, "merge"), None);
        store_note(&dir, &key, "merge", "graph 1").unwrap();
        assert_eq!(load_note(&dir, &key, "merge").as_deref(), Some("graph 1"));
        assert_eq!(load_note(&dir, &key.derive(&["other"]), "merge"), None);
        assert_eq!(load_note(&dir, &key, "other"), None);
        // A program's key is printed once, then found through its sources' note.
        let sources = [("t.rpy", SRC)];
        assert_eq!(program_key(&dir, &program, &sources, OptLevel::O2), key);
        let parts = KeyParts::of_sources(&sources, OptLevel::O2).unwrap();
        let note = load_note(&dir, &CacheKey::of(&parts), "program");
        assert_eq!(note.as_deref(), Some(key.hash()));
        assert_eq!(program_key(&dir, &program, &sources, OptLevel::O2), key);
        assert_eq!(CacheKey::from_hash(key.hash()), Some(key.clone()));
        assert_eq!(CacheKey::from_hash("not a hash"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
