//! The object cache: a translated program is compiled once per (IR text, LLVM version, host,
//! optimisation level, lowering source) and loaded from an object file afterwards, so starting
//! a language binary does not pay LLVM's optimiser on every run.
//!
//! An entry is two files named by the key's hash: `HASH.o` (the object, exactly what ORC is
//! given after a compilation) and `HASH.sites` (the failure sites the code refers to, as
//! graph/block/position triples that are checked against the program when loaded). Files are
//! written to a temporary name and renamed, so a reader never sees half an entry; an entry that
//! does not check out is a miss.

use crate::errors::{Site, SiteTable};
use crate::target::{self, OptLevel};
use rpy_ir::ir::{Block, GraphIdx, Program};
use rpy_ir::llinterp::RuntimeErrorKind;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The sources whose changes change the generated code: part of every key.
const LOWERING_SOURCES: &[&str] = &[
    include_str!("lower/mod.rs"),
    include_str!("lower/func.rs"),
    include_str!("lower/ops.rs"),
    include_str!("lower/entry.rs"),
    include_str!("lower/frame_words.rs"),
    include_str!("target.rs"),
    include_str!("runtime.rs"),
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
];

/// What identifies a compiled program: a 128-bit hash of everything the object depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheKey {
    hash: String,
}

impl CacheKey {
    /// The key of `program` compiled at `opt` on this host by this version of the lowering.
    pub fn new(program: &Program, opt: OptLevel) -> CacheKey {
        let mut h = Hasher128::new();
        h.write(rpy_ir::text::print_program(program).as_bytes());
        // Arena sizes are not all visible in the text but feed the frame sizes.
        for g in program.graphs.values() {
            h.write(
                format!("{} {} {} {};", g.name, g.vars.len(), g.ops.len(), g.blocks.len())
                    .as_bytes(),
            );
        }
        h.write(llvm_version().as_bytes());
        h.write(target::host_description().as_bytes());
        h.write(opt.name().as_bytes());
        h.write(env!("CARGO_PKG_VERSION").as_bytes());
        for src in LOWERING_SOURCES {
            h.write(src.as_bytes());
        }
        CacheKey { hash: h.hex() }
    }

    /// The key's hash in hex (the entry's file name).
    pub fn hash(&self) -> &str {
        &self.hash
    }
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

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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

/// FNV-1a with two different offset bases, 128 bits in all (no dependency for a cache key).
struct Hasher128 {
    a: u64,
    b: u64,
}

impl Hasher128 {
    fn new() -> Hasher128 {
        Hasher128 { a: 0xcbf2_9ce4_8422_2325, b: 0x6c62_272e_07bb_0142 }
    }

    fn write(&mut self, bytes: &[u8]) {
        for &x in bytes {
            self.a = (self.a ^ x as u64).wrapping_mul(0x0000_0100_0000_01b3);
            self.b = (self.b ^ x as u64).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(5);
        }
        // Separate the fields so ("ab","c") and ("a","bc") differ.
        self.a = (self.a ^ 0xff).wrapping_mul(0x0000_0100_0000_01b3);
        self.b = (self.b ^ 0xfe).wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn hex(&self) -> String {
        format!("{:016x}{:016x}", self.a, self.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{translate_with, Options};
    use rpy_ir::llinterp::RtValue;

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
}
