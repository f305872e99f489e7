//! The binary form of a [`Program`]: a compact encoding written by [`encode`] and read back
//! by [`decode`], so a host can keep the program its front end made (mini-Python's
//! interpreter: ~485 KB of RPy, three quarters of an empty run's start-up) and load it on the
//! next run instead of compiling the sources again (`backend_llvm::program_cache`).
//!
//! Vocabulary: a *varint* is an unsigned LEB128 number (7 bits a byte, low first); a signed
//! number is zigzag-mapped first; a *string* is its byte length then its UTF-8 bytes; an
//! *option* is a 0/1 byte then the value; a *list* is its length then its items. Every entity
//! (graph, block, var, op, heap type, signature, prebuilt object) is its index as a varint.
//!
//! Layout, in order: the magic `RPYB` and [`FORMAT`]; the sources (name and text of each
//! file); the type table (every heap type in index order, the signatures in index order, the
//! quasi-immutable fields, the virtualizable structs); the number of graphs (a constant may
//! name one); the prebuilt objects and their names; the exception state; the graphs (each: name, signature, entry, span, flags, then its
//! variables, its ops and its blocks, counts first so references can be checked as read).
//!
//! Invariants: `decode(&encode(p))` is `p` (the same text, the same spans, the same entity
//! numbering, so keys and notes computed from the program hold); [`decode`] never panics and
//! never gives back a program with a dangling reference: every index is checked against the
//! count of its arena, every tag and char against its range, and the type table is rebuilt
//! through [`TypeTable`]'s own constructors with each index checked to come out where it was.
//! A program whose bytes were altered but still decode is the caller's to catch (the cache
//! keeps a hash of the bytes beside them).

mod read;
mod write;

use crate::ir::Program;

/// The version of the layout: a reader refuses any other.
pub const FORMAT: u32 = 1;

/// The bytes that open every encoded program.
const MAGIC: &[u8; 4] = b"RPYB";

/// Why bytes are not an encoded program.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes do not start with [`MAGIC`] and this [`FORMAT`].
    #[error("not an encoded program of format {FORMAT}")]
    BadHeader,
    /// The bytes end in the middle of something.
    #[error("truncated at byte {0}")]
    Truncated(usize),
    /// A value out of its range: an index past its arena, an unknown tag, a bad char.
    #[error("invalid {what} at byte {at}")]
    Invalid {
        /// What was being read.
        what: &'static str,
        /// The offset just after it.
        at: usize,
    },
    /// Bytes left after the program.
    #[error("{0} bytes after the program")]
    Trailing(usize),
}

/// The program's bytes.
pub fn encode(program: &Program) -> Vec<u8> {
    write::program(program)
}

/// The program encoded in `bytes`, or why they are not one.
pub fn decode(bytes: &[u8]) -> Result<Program, DecodeError> {
    read::program(bytes)
}

#[cfg(test)]
mod tests;
