//! The program cache: what this executable's RPy front end makes of a list of source files
//! (`rpy_ir::front::compile_files`), kept in the object cache's directory in its binary form
//! (`rpy_ir::binary`) and loaded by later runs instead of compiling the sources again. For
//! mini-Python's interpreter (~485 KB of RPy) the front end was three quarters of an empty
//! program's start-up; decoding the program is a small part of that.
//!
//! An entry is one file, `OWNER-HASH.rpyir`: the BLAKE3 hash of the encoded program (32
//! bytes), then the encoded program. `HASH` is the hash of the
//! [`FORMAT`](rpy_ir::binary::FORMAT), [`executable_identity`] (a rebuilt binary may make
//! another program of the same sources) and every source file's name and text, so a changed
//! source or binary is a different entry. `OWNER` is a short hash of the executable's path and
//! the source files' names: storing an entry removes the other entries of its owner (those a
//! previous build of the binary, or the previous text of the sources, left), so the directory
//! holds one program per binary and source list however often they are rebuilt.
//! Invariant: a loaded program is the one the front end would make, or nothing: a file that
//! is short, whose bytes do not match their hash, or that does not decode is a miss (the
//! sources are compiled and the entry written again); files are written to a temporary name
//! and renamed, so a reader never sees half an entry.

use crate::cache::{executable_identity, write_atomically};
use rpy_ir::ir::Program;
use rpy_ir::span::Diagnostics;
use std::path::{Path, PathBuf};

/// The entry's file name extension.
const EXT: &str = "rpyir";

/// The hash of `fields`, each preceded by its length (so ("ab", "c") and ("a", "bc") differ).
fn hash<'a>(fields: impl Iterator<Item = &'a str>) -> blake3::Hash {
    let mut h = blake3::Hasher::new();
    for field in fields {
        h.update(&(field.len() as u64).to_le_bytes());
        h.update(field.as_bytes());
    }
    h.finalize()
}

/// The entry's owner: the executable's path and the source files' names (16 hex digits).
fn owner(sources: &[(&str, &str)]) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let exe = exe.to_str()?;
    let names = sources.iter().map(|(name, _)| *name);
    Some(hash(["rpy program owner", exe].into_iter().chain(names)).to_hex()[..16].to_string())
}

/// The file of the entry for `sources` in `dir`, if this executable is known.
pub fn entry_path(dir: &Path, sources: &[(&str, &str)]) -> Option<PathBuf> {
    let (exe, owner) = (executable_identity()?, owner(sources)?);
    let format = rpy_ir::binary::FORMAT.to_string();
    let fields = ["rpy program image", &format, &exe].into_iter();
    let key = hash(fields.chain(sources.iter().flat_map(|(name, text)| [*name, *text])));
    Some(dir.join(format!("{owner}-{}.{EXT}", key.to_hex())))
}

/// Removes the entries of `path`'s owner other than `path` (stale ones: best effort).
fn remove_stale(dir: &Path, path: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return };
    let Some((owner, _)) = name.split_once('-') else { return };
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let other = entry.file_name();
        let Some(other) = other.to_str() else { continue };
        let same_owner = other.strip_prefix(owner).is_some_and(|rest| rest.starts_with('-'));
        if same_owner && other.ends_with(&format!(".{EXT}")) && other != name {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The program kept for `sources` in `dir`, if there is a sound entry.
pub fn load(dir: &Path, sources: &[(&str, &str)]) -> Option<Program> {
    let bytes = std::fs::read(entry_path(dir, sources)?).ok()?;
    let (hash, body) = bytes.split_at_checked(blake3::OUT_LEN)?;
    if blake3::hash(body).as_bytes() != hash {
        return None;
    }
    rpy_ir::binary::decode(body).ok()
}

/// Keeps `program`, made from `sources`, in `dir` (creating it if needed).
pub fn store(dir: &Path, sources: &[(&str, &str)], program: &Program) -> std::io::Result<()> {
    let Some(path) = entry_path(dir, sources) else { return Ok(()) };
    std::fs::create_dir_all(dir)?;
    let body = rpy_ir::binary::encode(program);
    let mut bytes = Vec::with_capacity(blake3::OUT_LEN + body.len());
    bytes.extend_from_slice(blake3::hash(&body).as_bytes());
    bytes.extend_from_slice(&body);
    write_atomically(&path, &bytes)?;
    remove_stale(dir, &path);
    Ok(())
}

/// `rpy_ir::front::compile_files(sources)`, through the cache in `dir` when there is one: a
/// kept program is loaded, else the sources are compiled and the program kept (a failure to
/// write the entry is a warning on stderr; the program is still returned).
pub fn compile_files(dir: Option<&Path>, sources: &[(&str, &str)]) -> Result<Program, Diagnostics> {
    let Some(dir) = dir else { return rpy_ir::front::compile_files(sources) };
    if let Some(program) = load(dir, sources) {
        return Ok(program);
    }
    let program = rpy_ir::front::compile_files(sources)?;
    if let Err(e) = store(dir, sources, &program) {
        eprintln!("warning: cannot keep the compiled RPy program in {}: {e}", dir.display());
    }
    Ok(program)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = "def main(n: int) -> int:\n    return helper(n) + 1\n";
    const HELPER: &str = "def helper(n: int) -> int:\n    return n * 2\n";
    const HELPER2: &str = "def helper(n: int) -> int:\n    return n * 3\n";

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rpy-program-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn text(p: &Program) -> String {
        rpy_ir::text::print_program(p)
    }

    #[test]
    fn a_kept_program_is_loaded_as_compiled() {
        let dir = temp_dir("hit");
        let sources = [("main.rpy", MAIN), ("helper.rpy", HELPER)];
        assert!(load(&dir, &sources).is_none(), "an empty cache");
        let compiled = compile_files(Some(&dir), &sources).expect("compiles");
        let loaded = load(&dir, &sources).expect("kept by the first compilation");
        assert_eq!(text(&loaded), text(&compiled));
        assert!(loaded.graphs.values().eq(compiled.graphs.values()));
        let again = compile_files(Some(&dir), &sources).expect("loads");
        assert_eq!(text(&again), text(&compiled));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_changed_source_is_compiled_again_and_its_old_entry_removed() {
        let dir = temp_dir("changed");
        let old = [("main.rpy", MAIN), ("helper.rpy", HELPER)];
        let new = [("main.rpy", MAIN), ("helper.rpy", HELPER2)];
        let renamed = [("main.rpy", MAIN), ("helper2.rpy", HELPER)];
        let before = compile_files(Some(&dir), &old).expect("compiles");
        assert!(load(&dir, &old).is_some());
        assert_ne!(entry_path(&dir, &old), entry_path(&dir, &new));
        assert_ne!(entry_path(&dir, &old), entry_path(&dir, &renamed));
        assert!(load(&dir, &new).is_none());
        let p = compile_files(Some(&dir), &new).expect("compiles");
        assert_ne!(text(&p), text(&before));
        assert_eq!(text(&load(&dir, &new).expect("kept")), text(&p));
        assert!(load(&dir, &old).is_none(), "the stale entry of the same files is removed");
        // Other source files (another owner) keep theirs.
        compile_files(Some(&dir), &renamed).expect("compiles");
        assert!(load(&dir, &new).is_some() && load(&dir, &renamed).is_some());
        let entries = std::fs::read_dir(&dir).expect("exists").count();
        assert_eq!(entries, 2, "one entry per owner");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_damaged_entry_is_a_miss_and_is_written_again() {
        let dir = temp_dir("damaged");
        let sources = [("main.rpy", MAIN), ("helper.rpy", HELPER)];
        let compiled = compile_files(Some(&dir), &sources).expect("compiles");
        let path = entry_path(&dir, &sources).expect("a known executable");
        let good = std::fs::read(&path).expect("written");
        let damages: Vec<Vec<u8>> = vec![
            Vec::new(),
            good[..10].to_vec(),
            good[..good.len() - 1].to_vec(),
            {
                // One flipped bit in the body: the hash no longer matches.
                let mut d = good.clone();
                *d.last_mut().expect("not empty") ^= 1;
                d
            },
            {
                // A matching hash over bytes that are not a program.
                let body = b"RPYB\x01garbage".to_vec();
                [blake3::hash(&body).as_bytes().as_slice(), &body].concat()
            },
        ];
        for damaged in damages {
            std::fs::write(&path, &damaged).expect("writable");
            assert!(load(&dir, &sources).is_none());
            let p = compile_files(Some(&dir), &sources).expect("compiles again");
            assert_eq!(text(&p), text(&compiled));
            assert_eq!(std::fs::read(&path).expect("written again"), good);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn errors_are_not_kept() {
        let dir = temp_dir("errors");
        let sources = [("bad.rpy", "def main() -> int:\n    return x\n")];
        assert!(compile_files(Some(&dir), &sources).is_err());
        assert!(load(&dir, &sources).is_none());
        assert!(compile_files(None, &sources).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
