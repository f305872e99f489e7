//! The hint analysis on the TLC interpreter, with PyPy's greens (bytecode, pc, constant pool):
//! the analysis succeeds, and at the dispatch loop's header the pc is green while the value
//! stack, the frame stack and the arguments are red (TLC.md §3).

use hintanalysis::{analyse, Policy};

#[test]
fn pc_is_green_and_the_stacks_are_red_at_the_dispatch_loop() {
    let program = rpy_ir::front::compile("tlc.rpy", lang_tlc::runner::TLC_RPY).unwrap();
    let policy = Policy::new(&program, "interp_eval", &["code", "pc", "pool"]).unwrap();
    let colours = analyse(&program, &policy).unwrap_or_else(|d| panic!("{d}"));
    let spec = &colours.specs[colours.portal];
    let graph = &program.graphs[spec.graph];
    // The loop header: the block jumped to from the entry's successor chain holding the merge
    // point hint right after it.
    let header = *spec.loop_headers.iter().min().expect("the dispatch loop");
    let mut seen = Vec::new();
    for &p in &graph.blocks[header].params {
        let name = graph.vars[p].name.clone().unwrap_or_default();
        let abs = spec.vars[p].expect("reached");
        match name.as_str() {
            "pc" => assert!(abs.is_green(), "pc is {abs}"),
            "stack" | "framestack" | "args" => assert!(!abs.is_green(), "{name} is {abs}"),
            _ => {}
        }
        seen.push(name);
    }
    assert!(seen.iter().any(|n| n == "pc"), "no pc among {seen:?}");
    assert!(seen.iter().any(|n| n == "stack"), "no stack among {seen:?}");
}
