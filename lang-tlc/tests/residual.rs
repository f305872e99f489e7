//! The residual code of the paper's three benchmarks, as the JIT on LLVM compiles it, kept in
//! `lang-tlc/residual/NAME.txt` (rpy-ir of every residual graph, LLVM IR at the hot tier of those holding
//! a loop). Run-time addresses are replaced by `ADDR` so the text is the same from run to run.
//! `BLESS=1 cargo test -p lang-tlc --test residual` rewrites the files.
//!
//! The LLVM IR is tuned for the architecture's baseline CPU ([`TargetCpu::Generic`]), so the
//! files hold on every x86-64 machine: tuned for the host, the optimiser's choices follow the
//! CPU (an AVX-512 host vectorises factorial's loop 8 wide, an AVX2 host 4 wide). The same
//! benchmarks are also run tuned for the host CPU ([`residual_code_on_the_host_cpu`]); that
//! IR has no one expectation, so it is checked to exist beside residual graphs identical to
//! the files' (the rainbow engine's output does not depend on the CPU).

use backend_llvm::TargetCpu;
use lang_tlc::{assemble, benchmarks, Interpreter};

/// The text with run-time addresses (heap objects, switches, runtime functions) and the
/// alignments LLVM infers from them replaced, and backend serial numbers dropped.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut l = line.to_string();
        let has_addr = l.contains("inttoptr (i64 ");
        l = replace_numbers_after(&l, "inttoptr (i64 ", "ADDR");
        l = replace_numbers_after(&l, "ptr 0x", "ADDR");
        if has_addr {
            l = replace_numbers_after(&l, "align ", "N");
        }
        l = replace_numbers_after(&l, "rpy_jit", "");
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// `line` with the run of hex digits after each `marker` replaced by `with`.
fn replace_numbers_after(line: &str, marker: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find(marker) {
        out.push_str(&rest[..i + marker.len()]);
        rest = &rest[i + marker.len()..];
        let end = rest.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(rest.len());
        if end > 0 {
            out.push_str(with);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The golden text of benchmark `name` run with input 100 through a fresh JIT whose LLVM IR
/// dumps are tuned for `cpu`.
fn residual_text(name: &str, src: &str, cpu: TargetCpu) -> String {
    let program = assemble(src).unwrap();
    let run = Interpreter::get().residual_code(&program, 100, cpu).unwrap();
    let (result, code) = match run.result {
        Ok(text) => (text, run.code),
        Err(e) => panic!("{name}: {e}"),
    };
    format!(
        "; Residual code of {name}.tlc.src run with input 100 by the JIT on LLVM\n\
         ; (`cargo run -p lang-tlc -- residual --generic-cpu conformance/tlc/{name}.tlc.src 100`;\n\
         ; addresses shown as ADDR). Result: {result}\n\n{}",
        normalise(&code)
    )
}

fn golden_path(name: &str) -> String {
    format!("{}/residual/{name}.txt", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn residual_code_of_the_benchmarks() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut stale = Vec::new();
    for (name, src) in benchmarks::ALL {
        let text = residual_text(name, src, TargetCpu::Generic);
        let path = golden_path(name);
        if bless {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path);
        }
    }
    assert!(stale.is_empty(), "residual code changed (BLESS=1 to accept): {stale:?}");
}

#[test]
fn residual_code_on_the_host_cpu() {
    for (name, src) in benchmarks::ALL {
        let (graphs, llvm) = split_llvm_ir(&residual_text(name, src, TargetCpu::Host));
        let golden = std::fs::read_to_string(golden_path(name)).unwrap();
        let (golden_graphs, golden_llvm) = split_llvm_ir(&golden);
        assert_eq!(graphs, golden_graphs, "{name}: the residual graphs depend on the CPU");
        assert_eq!(llvm.len(), golden_llvm.len(), "{name}: LLVM IR dumps");
        for ir in llvm {
            assert!(ir.contains("define tailcc") && !ir.contains("not available"), "{name}: {ir}");
        }
    }
}

/// `text` without its LLVM IR dumps (from a `; LLVM IR of` line to the next graph), and the
/// dumps.
fn split_llvm_ir(text: &str) -> (String, Vec<String>) {
    let (mut rest, mut dumps) = (String::new(), Vec::new());
    let mut dump: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("; LLVM IR of") {
            dumps.extend(dump.replace(String::new()));
        } else if line.starts_with("graph ") {
            dumps.extend(dump.take());
        }
        match &mut dump {
            Some(d) => d.push_str(line),
            None => rest.push_str(line),
        }
        match &mut dump {
            Some(d) => d.push('\n'),
            None => rest.push('\n'),
        }
    }
    dumps.extend(dump);
    (rest, dumps)
}

/// The blocks of each residual graph in `text` (rpy-ir text) that lie on a cycle, with their
/// lines: (graph name, block name, lines).
fn loop_blocks(text: &str) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    let mut graph = String::new();
    let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
    let mut flush = |graph: &str, blocks: &mut Vec<(String, Vec<String>)>| {
        let succ = |lines: &[String]| -> Vec<String> {
            lines
                .iter()
                .filter(|l| l.contains("goto") || l.contains("branch") || l.contains("switch"))
                .flat_map(|l| l.split(|c: char| !c.is_alphanumeric()).map(str::to_string))
                .filter(|w| w.starts_with("block"))
                .collect()
        };
        for (name, lines) in blocks.iter() {
            let mut seen = Vec::new();
            let mut work = succ(lines);
            let mut cyclic = false;
            while let Some(b) = work.pop() {
                if &b == name {
                    cyclic = true;
                    break;
                }
                if seen.contains(&b) {
                    continue;
                }
                if let Some((_, l)) = blocks.iter().find(|(n, _)| *n == b) {
                    work.extend(succ(l));
                }
                seen.push(b);
            }
            if cyclic {
                out.push((graph.to_string(), name.clone(), lines.clone()));
            }
        }
        blocks.clear();
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("graph ") {
            flush(&graph, &mut blocks);
            graph = rest.split('(').next().unwrap_or("").to_string();
        } else if line.starts_with("block") && line.ends_with(':') {
            blocks.push((line.split('(').next().unwrap().to_string(), Vec::new()));
        } else if line.starts_with("    ") && !blocks.is_empty() && !graph.is_empty() {
            blocks.last_mut().unwrap().1.push(line.trim().to_string());
        } else if line.starts_with(';') || line.starts_with("define") {
            flush(&graph, &mut blocks);
            graph.clear();
        }
    }
    flush(&graph, &mut blocks);
    out
}

/// TLC.md §6 / the issue: the benchmarks' loops in residual code neither box nor allocate
/// nor call (the boxed result may be allocated once after the loop).
#[test]
fn the_benchmarks_loops_neither_allocate_nor_call() {
    for (name, src) in benchmarks::ALL {
        let program = assemble(src).unwrap();
        let code =
            Interpreter::get().residual_code(&program, 100, TargetCpu::Generic).unwrap().code;
        let loops = loop_blocks(&code);
        assert!(!loops.is_empty(), "{name}: no loop in the residual code");
        for (graph, block, lines) in loops {
            for l in lines {
                let bad = ["malloc", "= call ", "call_indirect", "jit_hook"];
                assert!(!bad.iter().any(|b| l.contains(b)), "{name}: {graph} {block}: {l}");
            }
        }
    }
}

#[test]
fn addresses_are_normalised() {
    let line =
        "  %d = load atomic ptr, ptr inttoptr (i64 140120423114704 to ptr) monotonic, align 16";
    assert_eq!(
        normalise(line),
        "  %d = load atomic ptr, ptr inttoptr (i64 ADDR to ptr) monotonic, align N\n"
    );
    assert_eq!(
        normalise("v1 = getfield T.f ptr 0x7f00aa ht0"),
        "v1 = getfield T.f ptr 0xADDR ht0\n"
    );
    assert_eq!(
        normalise("define tailcc ptr @rpy_jit12.f.v1("),
        "define tailcc ptr @rpy_jit.f.v1(\n"
    );
}

#[test]
fn loop_blocks_finds_the_blocks_of_cycles_only() {
    let text = "graph g(int) -> int {\nblock0(v0: int):\n    goto block1(v0)\n\nblock1(v1: int):\n    v2 = malloc IntObj\n    branch v3, block1(v1), block2()\n\nblock2():\n    return 0\n}\n";
    let loops = loop_blocks(text);
    assert_eq!(loops.len(), 1, "{loops:?}");
    assert_eq!((loops[0].0.as_str(), loops[0].1.as_str()), ("g", "block1"));
    assert!(loops[0].2.iter().any(|l| l.contains("malloc")));
}
