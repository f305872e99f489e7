//! hintanalysis (not started): the binding-time analysis of the JIT generator. From an RPy
//! program's flow graphs, its portal (the interpreter's dispatch function) and the JIT hints,
//! it will compute a colour for every variable of every graph specialisation — green (known at
//! compile time) or red (known only at run time) — report impossible `concrete` hints with the
//! source lines involved, and render coloured graphs as text and Graphviz. See DESIGN.md §5.
