//! The residual code of an attribute-heavy loop (issue 18: "attribute access through maps
//! folded to a guarded field load, method calls on known classes"): a loop calling a method
//! that reads and stores two attributes of an instance, everything hot compiled
//! (`support::jit_logged`, `RPY_JIT_LOG=residual`).
//!
//! The shape check, over the graphs the JIT compiled for the program (those named
//! `eval_frame__merge*`, `__entry*`, `__case*`; the interpreter's continuations, which
//! residual code falls back to, are the interpreter's own code): no lookup in a type's dict
//! (`type_lookup_at`, `sub_lookup_at`, `super_find`: elidable on a promoted class, so folded
//! to the method or attribute found), no namespace lookup (`ns_lookup`), no map probe or
//! transition (`map_index`, `map_with`: elidable on a promoted map), no call into a
//! dictionary; an attribute read is a load of the instance's storage under a test of its
//! map. (Not yet: the loop closed in one graph — the promotions of the class, the map and the
//! callee's code each end a graph the first time, so the loop runs through flexswitch cases;
//! that is why no golden text is kept here yet.)

mod support;

const OO_LOOP: &str = "class Counter:
    def __init__(self, step):
        self.total = 0
        self.step = step

    def add(self, k):
        self.total = self.total + k * self.step

def f(n):
    c = Counter(3)
    i = 0
    while i < n:
        c.add(i)
        i += 1
    return c.total
print(f(100000))
";

/// The texts of the graphs the JIT compiled (entry graphs, merge points, cases).
fn compiled_graphs(log: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = log;
    while let Some(start) = rest.find("graph eval_frame__") {
        let text = &rest[start..];
        let end = text.find("\n}").map_or(text.len(), |e| e + 2);
        let name = &text["graph eval_frame__".len()..];
        if ["merge", "entry", "case"].iter().any(|k| name.starts_with(k)) {
            out.push(&text[..end]);
        }
        rest = &text[end..];
    }
    out
}

#[test]
fn attribute_reads_and_method_lookups_fold_in_compiled_oo_code() {
    let (stderr, stdout) = support::jit_logged(OO_LOOP, "residual");
    assert_eq!(stdout, "14999850000\n");
    let graphs = compiled_graphs(&stderr);
    assert!(!graphs.is_empty(), "nothing compiled:\n{stderr}");
    let banned = [
        "call type_lookup_at(",
        "call sub_lookup_at(",
        "call super_find(",
        "call ns_lookup(",
        "call map_index(",
        "call map_with(",
        "dict",
    ];
    for g in &graphs {
        for b in banned {
            assert!(!g.contains(b), "'{b}' in compiled code:\n{g}");
        }
    }
    // An attribute read: the instance's map tested, its storage read.
    assert!(
        graphs
            .iter()
            .any(|g| g.contains("getfield W_Instance.map")
                && g.contains("getfield W_Instance.storage")),
        "no attribute read under a map test in:\n{}",
        graphs.join("\n")
    );
}
