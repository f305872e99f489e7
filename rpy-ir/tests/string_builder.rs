//! The string builder (`front/edges/builder.rpy`) is amortised linear: appending `n` chars
//! executes O(n) IR ops in the IR interpreter (its op counter, not a clock), because the
//! buffer doubles; a builder that grew by a constant would copy O(n²) chars in RPy loops.

use rpy_ir::llinterp::Interp;
use rpy_ir::runtime::{str_text, RtValue};

const PROGRAM: &str = r#"
def fill(n: int) -> int:
    b = new_builder()
    i = 0
    while i < n:
        builder_append_char(b, 'x')
        i = i + 1
    return len(builder_build(b))

def fill_text(n: int) -> str:
    b = new_builder()
    i = 0
    while i < n:
        builder_append(b, "ab")
        builder_append_char(b, 'é')
        i = i + 1
    return builder_build(b)
"#;

/// IR ops executed by `fill(n)`, after checking its result.
fn ops_for(n: i64) -> u64 {
    let program = rpy_ir::front::compile("fill.rpy", PROGRAM).unwrap();
    let mut interp = Interp::new(&program);
    let g = program.graph_by_name("fill").unwrap();
    let r = interp.call(g, &[RtValue::Int(n)]).unwrap();
    assert!(matches!(r, RtValue::Int(len) if len == n), "{r:?}");
    interp.ops_executed()
}

#[test]
fn appending_200_000_chars_takes_linear_ops() {
    let small = ops_for(20_000);
    let big = ops_for(200_000);
    let per_char = big as f64 / 200_000.0;
    eprintln!("fill: {small} IR ops for 20 000 chars, {big} for 200 000 ({per_char:.1} per char)");
    // Linear: ten times the chars, about ten times the ops (doubling points differ a little).
    let ratio = big as f64 / small as f64;
    assert!((9.0..11.5).contains(&ratio), "ops {small} -> {big}: ratio {ratio}");
    // Each char: the loop, a call, a capacity test, a store; copying on growth adds < 2n.
    assert!(per_char < 60.0, "{per_char} ops per char");
}

#[test]
fn built_text_is_what_was_appended() {
    let program = rpy_ir::front::compile("fill.rpy", PROGRAM).unwrap();
    let mut interp = Interp::new(&program);
    let g = program.graph_by_name("fill_text").unwrap();
    let r = interp.call(g, &[RtValue::Int(1000)]).unwrap();
    assert_eq!(str_text(r).unwrap(), "abé".repeat(1000));
}
