//! Round trips of whole programs and robustness against damaged bytes.

use super::{decode, encode, DecodeError};
use crate::ir::Program;
use crate::ops::Opcode;
use crate::text::print_program;

/// The Python-shaped example interpreter: virtualizable frame, quasi-immutable fields,
/// exceptions, prebuilt objects, the container prelude.
const PYVM: &str = include_str!("../../../examples/pyvm/pyvm.rpy");
/// TLC's interpreter.
const TLC: &str = include_str!("../../../lang-tlc/src/tlc.rpy");

fn compile(name: &str, text: &str) -> Program {
    crate::front::compile_files(&[(name, text)]).unwrap_or_else(|d| panic!("{d}"))
}

/// Everything of `a` and `b` that any client can observe is equal.
fn assert_same(a: &Program, b: &Program) {
    assert_eq!(print_program(a), print_program(b));
    assert!(a.graphs.values().eq(b.graphs.values()), "graphs differ (spans, names, arenas)");
    assert!(a.prebuilt.values().eq(b.prebuilt.values()));
    assert_eq!(a.prebuilt_names, b.prebuilt_names);
    assert_eq!(a.exc_state, b.exc_state);
    let (ta, tb) = (&a.types, &b.types);
    assert!(ta.heap_types().eq(tb.heap_types()));
    assert!(ta.sigs().eq(tb.sigs()));
    assert!(ta.virtualizables().eq(tb.virtualizables()));
    for (h, _) in ta.heap_types() {
        assert_eq!(ta.struct_by_name(&h.to_string()), tb.struct_by_name(&h.to_string()));
        if let Some(def) = ta.as_struct(h) {
            assert_eq!(ta.struct_by_name(&def.name), tb.struct_by_name(&def.name));
            for f in 0..def.fields.len() as u32 {
                assert_eq!(ta.field_is_quasi_immutable(h, f), tb.field_is_quasi_immutable(h, f));
            }
        }
        if let Some(arr) = ta.as_array(h) {
            assert_eq!(tb.find_array(arr.elem, arr.immutable), Some(h));
        }
    }
    for i in 0.. {
        match (a.sources.file(i), b.sources.file(i)) {
            (None, None) => break,
            (Some(x), Some(y)) => assert_eq!((&x.name, &x.text), (&y.name, &y.text)),
            _ => panic!("source file {i} differs"),
        }
    }
}

#[test]
fn opcodes_are_numbered_in_table_order() {
    for (i, op) in Opcode::ALL.iter().enumerate() {
        assert_eq!(*op as usize, i, "{op:?}");
    }
}

#[test]
fn interpreters_round_trip() {
    for (name, text) in [("pyvm.rpy", PYVM), ("tlc.rpy", TLC)] {
        let p = compile(name, text);
        assert!(p.types.has_quasi_immutable_fields() || name == "tlc.rpy");
        let bytes = encode(&p);
        let q = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_same(&p, &q);
        assert_eq!(encode(&q), bytes, "{name}: encoding the decoded program");
        crate::verify::verify_program(&q).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
}

#[test]
fn ir_text_programs_round_trip() {
    let text = crate::test_programs::fact_ir!();
    let p = crate::text::parse_program(text).expect("parses");
    let q = decode(&encode(&p)).expect("decodes");
    assert_same(&p, &q);
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = encode(&compile("tlc.rpy", TLC));
    // Every prefix (sampled: the program is large) fails cleanly, never panics.
    let step = (bytes.len() / 2000).max(1);
    for n in (0..bytes.len()).step_by(step) {
        assert!(decode(&bytes[..n]).is_err(), "a prefix of {n} bytes decoded");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(decode(&longer).err(), Some(DecodeError::Trailing(1)));
}

#[test]
fn damaged_bytes_never_panic() {
    let bytes = encode(&compile("pyvm.rpy", PYVM));
    assert_eq!(decode(b"RPYC\x01").err(), Some(DecodeError::BadHeader));
    // A cheap deterministic generator: damage one byte at many positions.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..3000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut damaged = bytes.clone();
        let at = (seed % damaged.len() as u64) as usize;
        damaged[at] = damaged[at].wrapping_add((seed >> 32) as u8 | 1);
        // Either an error or some program: what matters is that nothing panics (the cache
        // keeps a hash beside the bytes for damage that still decodes).
        let _ = decode(&damaged);
    }
}
