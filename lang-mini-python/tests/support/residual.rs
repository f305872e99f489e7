//! Reading the JIT's residual-code log (`RPY_JIT_LOG=residual`): its graphs by name, their
//! blocks, and a text with run-to-run noise (addresses) taken out, for golden files.

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
