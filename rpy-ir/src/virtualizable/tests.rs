//! The effects analysis, the verifier's checks and the text form of virtualizables.

use super::*;
use crate::front::compile;

const FRAME: &str = "\
struct Frame virtualizable(depth, locals[*], stack[*]):
    locals: array[int]
    stack: array[int]
    depth: int
    name: str

def push(f: Frame, x: int):
    f.stack[f.depth] = x
    f.depth += 1

def pusher(f: Frame):
    push(f, 1)

def name_of(f: Frame) -> str:
    return f.name

def pure(x: int) -> int:
    return x * 2 + 1

def other_array(a: array[int]) -> int:
    return a[0]

def through(p: fn(int) -> int) -> int:
    return p(3)

def main() -> int:
    f = Frame(locals=array[int](3), stack=array[int](4), depth=0, name=\"f\")
    pusher(f)
    return pure(f.depth) + through(pure)
";

fn program() -> Program {
    compile("frame.rpy", FRAME).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn the_declaration_is_in_the_type_table() {
    let p = program();
    let t = p.types.struct_by_name("Frame").unwrap();
    let def = p.types.virtualizable(t).expect("Frame is virtualizable");
    let fields: Vec<(u32, bool)> = def.fields.iter().map(|v| (v.index, v.items)).collect();
    assert_eq!(fields, vec![(2, false), (0, true), (1, true)]);
    assert_eq!(p.types.virtualized_field(t, 3), None, "name is not virtualized");
    assert_eq!(p.types.virtualized_array_types().len(), 1, "one array type: array[int]");
}

#[test]
fn effects_are_transitive_and_conservative() {
    let p = program();
    let access = VirtualizableAccess::compute(&p);
    let g = |n: &str| p.graph_by_name(n).unwrap();
    assert!(access.may_access(g("push")), "writes an item and a virtualized field");
    assert!(access.may_access(g("pusher")), "through its callee");
    assert!(!access.may_access(g("name_of")), "a field that is not virtualized");
    assert!(!access.may_access(g("pure")));
    assert!(access.may_access(g("other_array")), "any item of a virtualized array type");
    assert!(access.may_access(g("through")), "an indirect call may reach anything");
}

#[test]
fn text_form_round_trips_and_verifies() {
    let p = program();
    let text = crate::text::print_program(&p);
    assert!(text.contains("virtualizable(depth, locals[], stack[])"), "{text}");
    let back = crate::text::parse_program(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(crate::text::print_program(&back), text);
    crate::verify::verify_program(&back).unwrap();
}

#[test]
fn the_verifier_rejects_a_bad_declaration() {
    let mut p = program();
    let t = p.types.struct_by_name("Frame").unwrap();
    // `name[*]`: a str is an immutable array.
    p.types.set_virtualizable(
        t,
        VirtualizableDef { fields: vec![VirtualizedField { index: 3, items: true }] },
    );
    let errs = crate::verify::verify_program(&p).unwrap_err();
    assert!(errs.iter().any(|e| e.to_string().contains("not a mutable array")), "{errs:?}");
}
