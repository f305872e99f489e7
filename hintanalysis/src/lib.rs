//! hintanalysis: the binding-time analysis of the JIT generator (PyPy's hint-annotator).
//!
//! Given an RPy program, its portal (the interpreter's dispatch function) and which of the
//! portal's parameters are green, it computes for every specialisation of every graph the JIT
//! will follow a colour for every variable: green (known while the JIT specialises) or red
//! (known only at run time). Knows nothing of code generation; reads only rpy-ir.
//!
//! Map of the crate:
//! - [`colour`]: the abstract domain ([`Abs`]: colour, frozen, class known) and its join.
//! - [`policy`]: the portal and its greens ([`Policy`]); which calls are followed or residual
//!   (`@dont_look_inside` ones always), the possible targets of calls through function
//!   pointers, which graphs may write a quasi-immutable field.
//! - [`analyse`](mod@analyse): the forward analysis of specialisations, polyvariant in argument colours.
//! - [`demand`]: checking `concrete` hints, lifting loop and parameter colours they require,
//!   and the located error when one cannot hold.
//! - [`dump`]: the coloured graphs as text (golden tests) and as Graphviz.
//!
//! Entry point: [`analyse()`] runs forward analysis and demand checks until the demands are
//! stable.

pub mod analyse;
pub mod colour;
pub mod demand;
pub mod dump;
pub mod policy;

pub use analyse::{Analysis, CallKind, Demands, Spec, SpecIdx};
pub use colour::{Abs, Colour};
pub use policy::{CallPolicy, Policy};

use rpy_ir::ir::{Aux, Program};
use rpy_ir::ops::Opcode;
use rpy_ir::span::{Diagnostic, Diagnostics};

/// Computes the colours of `program` from `policy`'s portal; an impossible `concrete` hint is
/// an error naming the hint's source line and the line of the dependency that makes it red.
pub fn analyse<'p>(program: &'p Program, policy: &'p Policy) -> Result<Analysis<'p>, Diagnostics> {
    let fail = |d: Diagnostic| Diagnostics { errors: vec![d], sources: program.sources.clone() };
    // Each round adds at least one demand, and there are finitely many: this terminates.
    let mut demands = Demands::default();
    let analysis = loop {
        let analysis = Analysis::run(program, policy, demands.clone());
        let new = demand::check(&analysis, &demands).map_err(fail)?;
        if new.join_params.is_empty() && new.green_params.is_empty() && new.yellow.is_empty() {
            break analysis;
        }
        demands.join_params.extend(new.join_params);
        demands.green_params.extend(new.green_params);
        demands.yellow.extend(new.yellow);
    };
    for spec in analysis.specs.values() {
        let g = &program.graphs[spec.graph];
        for op in
            g.blocks.keys().filter(|b| spec.reached.contains(*b)).flat_map(|b| &g.blocks[b].ops)
        {
            let data = &g.ops[*op];
            if let (Opcode::Hint, Aux::Hint(f)) = (data.opcode, &data.aux) {
                if f.concrete && !spec.value(data.args[0]).is_green() {
                    return Err(fail(Diagnostic::new(
                        data.span,
                        "this value cannot be green as 'concrete' requires",
                    )));
                }
            }
        }
    }
    Ok(analysis)
}
