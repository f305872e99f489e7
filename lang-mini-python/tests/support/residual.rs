//! Reading the JIT's residual-code log (`RPY_JIT_LOG=residual`): its graphs by name, their
//! blocks, the residual calls of the compiled graphs by callee and place (`residual_calls`,
//! as `scripts/residual_calls.py` tabulates them), and a text with run-to-run noise
//! (addresses) taken out, for golden files.

/// The graphs of `log` whose name starts with `prefix`, each as its text (up to its `}`).
pub fn graphs<'t>(log: &'t str, prefix: &str) -> Vec<&'t str> {
    let starts: Vec<usize> = log
        .match_indices("graph ")
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || log.as_bytes()[i - 1] == b'\n')
        .collect();
    starts
        .iter()
        .map(|&s| {
            let end = log[s..].find("\n}").map_or(log.len(), |e| s + e + 2);
            &log[s..end]
        })
        .filter(|g| g["graph ".len()..].starts_with(prefix))
        .collect()
}

/// One block of a graph's text: its name, its lines (header first), the blocks its exit names.
pub struct BlockText {
    pub name: String,
    pub lines: Vec<String>,
    pub succs: Vec<String>,
}

/// The blocks of a graph's text, in order.
pub fn blocks(graph: &str) -> Vec<BlockText> {
    let mut out: Vec<BlockText> = Vec::new();
    for line in graph.lines() {
        if line.starts_with("block") {
            let name = line.split(['(', ':']).next().unwrap_or(line).to_string();
            out.push(BlockText { name, lines: vec![line.to_string()], succs: Vec::new() });
        } else if let Some(b) = out.last_mut() {
            if line == "}" || line.trim().is_empty() {
                continue;
            }
            b.lines.push(line.to_string());
            // The exit names the successors (a call's name may hold `_block4_`).
            let exit = line.trim_start();
            if ["goto ", "branch ", "switch "].iter().any(|k| exit.starts_with(k)) {
                for word in exit.split(|c: char| !c.is_ascii_alphanumeric()) {
                    if word.starts_with("block") && word.len() > 5 {
                        b.succs.push(word.to_string());
                    }
                }
            }
        }
    }
    out
}

/// `text` with each run-time address (`0x7f...`, or a long decimal in a graph name) made
/// `ADDR`: what differs between two runs of the same program.
pub fn without_addresses(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let hex = rest.starts_with("0x");
        let digits = if hex {
            rest[2..].chars().take_while(char::is_ascii_hexdigit).count()
        } else {
            rest.chars().take_while(char::is_ascii_digit).count()
        };
        let after_word_char =
            out.chars().last().is_some_and(|c| c.is_ascii_alphanumeric() && c != '_');
        if hex && digits >= 6 {
            out.push_str("ADDR");
            rest = &rest[2 + digits..];
        } else if !hex && digits >= 10 && !after_word_char {
            out.push_str("ADDR");
            rest = &rest[digits..];
        } else {
            let n = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..n]);
            rest = &rest[n..];
        }
    }
    out
}

/// Where a residual call sits in a compiled graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// A block on a cycle of its graph: a loop the compiled code closes.
    Loop,
    /// A block on no cycle (an entry's or a case's straight-line code, a guard-failure block).
    Line,
}

/// The residual `call`s of the graphs the JIT compiled (named `*__merge*`, `*__entry*`,
/// `*__case*`) in `log`, counted by callee and place. Calls of compiled code or of the
/// interpreter's continuations (`__entry`, `__merge`, `__case`, `__cont_` in the callee's
/// name) and `call_extern`s are not counted.
pub fn residual_calls(log: &str) -> std::collections::BTreeMap<(String, Place), usize> {
    let mut out = std::collections::BTreeMap::new();
    for g in graphs(log, "") {
        let name = g["graph ".len()..].split('(').next().unwrap_or("");
        let compiled = ["__merge", "__entry", "__case"].iter().any(|k| {
            name.find(k)
                .is_some_and(|i| name[i + k.len()..].starts_with(|c: char| c.is_ascii_digit()))
        });
        if !compiled {
            continue;
        }
        let bl = blocks(g);
        let on_cycle = cyclic_blocks(&bl);
        for (i, b) in bl.iter().enumerate() {
            let place = if on_cycle[i] { Place::Loop } else { Place::Line };
            for line in &b.lines {
                let op = line.trim_start();
                let op = op.split_once(" = ").map_or(op, |(_, rhs)| rhs);
                let Some(at) = op.strip_prefix("call ") else { continue };
                let callee = at.split('(').next().unwrap_or("").to_string();
                if ["__cont_", "__entry", "__merge", "__case"].iter().any(|k| callee.contains(k)) {
                    continue;
                }
                *out.entry((callee, place)).or_insert(0) += 1;
            }
        }
    }
    out
}

/// For each block of `bl`, whether it lies on a cycle (it can reach itself again).
fn cyclic_blocks(bl: &[BlockText]) -> Vec<bool> {
    let index: std::collections::HashMap<&str, usize> =
        bl.iter().enumerate().map(|(i, b)| (b.name.as_str(), i)).collect();
    let succs: Vec<Vec<usize>> = bl
        .iter()
        .map(|b| b.succs.iter().filter_map(|s| index.get(s.as_str()).copied()).collect())
        .collect();
    (0..bl.len())
        .map(|start| {
            let mut seen = vec![false; bl.len()];
            let mut work = succs[start].clone();
            while let Some(b) = work.pop() {
                if b == start {
                    return true;
                }
                if !std::mem::replace(&mut seen[b], true) {
                    work.extend(&succs[b]);
                }
            }
            false
        })
        .collect()
}
