//! Assembled TLC programs — bytecode plus constant pool — and their serialized form, the
//! format of `.tlc` files (PyPy's `serialize_program` / `decode_program`, TLC.md §4):
//!
//! ```text
//! value,accumulate=53|value,accumulate=63     <- class descriptors, joined by '|'
//! value,accumulate                            <- pool strings, joined by ','
//! <raw bytecode to the end of the file>
//! ```
//!
//! Both pool lines may be empty, so a program with an empty pool starts with `"\n\n"`. The
//! bytecode is raw bytes and may itself contain `'\n'` (byte 10 is `MUL`); only the first two
//! newlines separate the pool from the code.
//!
//! Vocabulary: a *class descriptor* ([`ClassDescr`]) lists attribute names and
//! `(method name, absolute pc)` pairs; the interpreter builds one class per structurally-equal
//! descriptor. The *string pool* holds the names used by `GETATTR`, `SETATTR` and `SEND`.
//!
//! Invariant for faithful serialization: pool names are non-empty and contain none of the
//! separators `,` `|` `=` or a newline, and a pool is not exactly one empty descriptor (which
//! would serialize like no descriptor at all). [`crate::assemble`] only produces such pools;
//! [`serialize`] checks it with `debug_assert!`.

use std::fmt;

/// A class descriptor: attribute names in declaration order and methods with their entry pcs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ClassDescr {
    /// Attribute names, in declaration order (an instance's values are stored in this order).
    pub attributes: Vec<String>,
    /// Method names with the absolute bytecode address where each method starts.
    pub methods: Vec<(String, i64)>,
}

impl fmt::Display for ClassDescr {
    /// Writes the serialized form `attr,...,meth=pc,...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let attrs = self.attributes.iter().map(|a| a.to_string());
        let meths = self.methods.iter().map(|(m, pc)| format!("{m}={pc}"));
        let items: Vec<String> = attrs.chain(meths).collect();
        f.write_str(&items.join(","))
    }
}

/// The constant pool of a program: class descriptors for `NEW`, names for the attribute and
/// method opcodes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ConstantPool {
    /// Class descriptors, indexed by `NEW`'s argument byte; not deduplicated.
    pub classdescrs: Vec<ClassDescr>,
    /// Attribute and method names, indexed by `GETATTR`/`SETATTR`/`SEND`; deduplicated.
    pub strings: Vec<String>,
}

/// An assembled TLC program: the bytecode and the constant pool it refers to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Program {
    /// The bytecode (opcode bytes followed by their argument bytes).
    pub code: Vec<u8>,
    /// The constant pool.
    pub pool: ConstantPool,
}

/// Why a byte string is not a serialized program.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Fewer than two newlines: the two pool lines are missing.
    #[error("missing constant pool: a serialized program starts with two lines (class descriptors, strings)")]
    MissingPoolLines,
    /// A pool line (1 or 2) is not UTF-8.
    #[error("line {line} of the constant pool is not valid UTF-8")]
    NotUtf8 {
        /// The line number, 1 (class descriptors) or 2 (strings).
        line: usize,
    },
    /// A class descriptor has an empty item or a method without an integer pc.
    #[error("class descriptor {index} '{text}': {problem}")]
    BadClassDescr {
        /// The descriptor's index in the pool.
        index: usize,
        /// The descriptor's serialized text.
        text: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A pool string is empty (as in `a,,b`).
    #[error("empty string at index {index} of the constant pool")]
    EmptyString {
        /// The string's index in the pool.
        index: usize,
    },
}

/// Whether `name` survives serialization as a pool name (see the module invariant).
pub(crate) fn is_serializable_name(name: &str) -> bool {
    !name.is_empty() && !name.contains([',', '|', '=', '\n'])
}

/// Encodes a program in the `.tlc` file format (see the module documentation).
pub fn serialize(program: &Program) -> Vec<u8> {
    let pool = &program.pool;
    debug_assert!(
        pool.classdescrs.iter().all(|d| {
            d.attributes.iter().all(|a| is_serializable_name(a))
                && d.methods.iter().all(|(m, _)| is_serializable_name(m))
        }) && pool.strings.iter().all(|s| is_serializable_name(s))
            && pool.classdescrs != [ClassDescr::default()],
        "pool cannot be serialized faithfully: {pool:?}"
    );
    let descrs: Vec<String> = pool.classdescrs.iter().map(|d| d.to_string()).collect();
    let mut out = Vec::with_capacity(program.code.len() + 64);
    out.extend_from_slice(descrs.join("|").as_bytes());
    out.push(b'\n');
    out.extend_from_slice(pool.strings.join(",").as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&program.code);
    out
}

/// Decodes the `.tlc` file format (see the module documentation); inverse of [`serialize`].
pub fn decode(bytes: &[u8]) -> Result<Program, DecodeError> {
    let first = bytes.iter().position(|&b| b == b'\n');
    let first = first.ok_or(DecodeError::MissingPoolLines)?;
    let second = bytes[first + 1..].iter().position(|&b| b == b'\n');
    let second = first + 1 + second.ok_or(DecodeError::MissingPoolLines)?;
    let line = |n: usize, range: &[u8]| -> Result<String, DecodeError> {
        String::from_utf8(range.to_vec()).map_err(|_| DecodeError::NotUtf8 { line: n })
    };
    let descrs_line = line(1, &bytes[..first])?;
    let strings_line = line(2, &bytes[first + 1..second])?;

    // An empty line is an empty list (PyPy's decoder would make it one empty item instead).
    let classdescrs = if descrs_line.is_empty() {
        Vec::new()
    } else {
        let descrs = descrs_line.split('|').enumerate();
        descrs.map(|(index, text)| decode_descr(index, text)).collect::<Result<_, _>>()?
    };
    let strings = if strings_line.is_empty() {
        Vec::new()
    } else {
        let strings = strings_line.split(',').enumerate();
        strings
            .map(|(index, s)| match s {
                "" => Err(DecodeError::EmptyString { index }),
                _ => Ok(s.to_string()),
            })
            .collect::<Result<_, _>>()?
    };
    Ok(Program { code: bytes[second + 1..].to_vec(), pool: ConstantPool { classdescrs, strings } })
}

/// Decodes one class descriptor `attr,...,meth=pc,...` (the empty text is the empty descriptor).
fn decode_descr(index: usize, text: &str) -> Result<ClassDescr, DecodeError> {
    let bad =
        |problem: String| DecodeError::BadClassDescr { index, text: text.to_string(), problem };
    let mut descr = ClassDescr::default();
    if text.is_empty() {
        return Ok(descr);
    }
    for item in text.split(',') {
        match item.split_once('=') {
            None if item.is_empty() => return Err(bad("empty item".to_string())),
            None => descr.attributes.push(item.to_string()),
            Some((name, pc)) => {
                let pc = pc.parse::<i64>();
                match pc {
                    Ok(pc) if !name.is_empty() => descr.methods.push((name.to_string(), pc)),
                    _ => return Err(bad(format!("bad method '{item}' (expected name=pc)"))),
                }
            }
        }
    }
    Ok(descr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn descr(attributes: &[&str], methods: &[(&str, i64)]) -> ClassDescr {
        ClassDescr {
            attributes: attributes.iter().map(|s| s.to_string()).collect(),
            methods: methods.iter().map(|&(m, pc)| (m.to_string(), pc)).collect(),
        }
    }

    #[test]
    fn empty_pool_starts_with_two_newlines() {
        let p = Program { code: vec![2, 1, 10], pool: ConstantPool::default() };
        assert_eq!(serialize(&p), b"\n\n\x02\x01\n");
        assert_eq!(decode(b"\n\n\x02\x01\n"), Ok(p));
    }

    #[test]
    fn pool_lines_and_round_trip() {
        let p = Program {
            code: vec![28, 0, 10, 10, 29, 1],
            pool: ConstantPool {
                classdescrs: vec![descr(&["x", "y"], &[("m", 4), ("n", -1)]), descr(&["z"], &[])],
                strings: vec!["x".into(), "m".into()],
            },
        };
        let bytes = serialize(&p);
        assert_eq!(bytes, b"x,y,m=4,n=-1|z\nx,m\n\x1c\x00\n\n\x1d\x01");
        assert_eq!(decode(&bytes), Ok(p));
    }

    #[test]
    fn methods_before_attributes_decode_into_both_lists() {
        let p = decode(b"m=3,a\n\n").unwrap();
        assert_eq!(p.pool.classdescrs, [descr(&["a"], &[("m", 3)])]);
        // Interior empty descriptors survive the round trip.
        let p = decode(b"|a\n\n").unwrap();
        assert_eq!(p.pool.classdescrs, [descr(&[], &[]), descr(&["a"], &[])]);
        assert_eq!(decode(&serialize(&p)), Ok(p));
    }

    #[test]
    fn decode_errors() {
        assert_eq!(decode(b""), Err(DecodeError::MissingPoolLines));
        assert_eq!(decode(b"a\x02"), Err(DecodeError::MissingPoolLines));
        assert_eq!(decode(b"a\nb"), Err(DecodeError::MissingPoolLines));
        assert_eq!(decode(b"\xff\n\n"), Err(DecodeError::NotUtf8 { line: 1 }));
        assert_eq!(decode(b"\n\xff\n"), Err(DecodeError::NotUtf8 { line: 2 }));
        assert_eq!(decode(b"\na,,b\n"), Err(DecodeError::EmptyString { index: 1 }));
        let err = decode(b"a|b,m=x\n\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "class descriptor 1 'b,m=x': bad method 'm=x' (expected name=pc)"
        );
        let err = decode(b"a,,b\n\n").unwrap_err();
        assert_eq!(err.to_string(), "class descriptor 0 'a,,b': empty item");
        let err = decode(b"=3\n\n").unwrap_err();
        assert_eq!(err.to_string(), "class descriptor 0 '=3': bad method '=3' (expected name=pc)");
    }
}
