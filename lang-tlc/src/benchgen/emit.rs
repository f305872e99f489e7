//! What the benchmark generator emits into: [`Asm`], assembler lines with the current frame's
//! stack depth, the bytes emitted and the estimated cost tracked beside them; and [`Rng`], the
//! generator's deterministic random source.
//!
//! Invariants: `depth` is the exact stack depth of the frame being generated at the end of
//! the emitted code (every `op` states its stack effect); `bytes` is the exact size of the
//! bytecode emitted so far (every `op` states its size); `cost` is the sum over emitted
//! instructions of `weight` at their emission (the estimated executions of one run of the
//! code: loops multiply `weight` by their trip count while their body is emitted).

use std::collections::HashMap;

/// Assembler text being generated, with its frame's stack depth, size and estimated cost.
pub(super) struct Asm {
    pub lines: Vec<String>,
    /// The frame's stack depth after the last instruction.
    pub depth: usize,
    /// Bytes of bytecode emitted.
    pub bytes: usize,
    /// Estimated bytecodes executed.
    pub cost: u64,
    /// Estimated executions of the next instruction per run of the code.
    pub weight: u64,
    labels: HashMap<String, usize>,
}

/// The state to roll an [`Asm`] back to.
#[derive(Clone, Copy)]
pub(super) struct Snapshot {
    lines: usize,
    depth: usize,
    bytes: usize,
    cost: u64,
    weight: u64,
}

impl Asm {
    pub fn new() -> Asm {
        Asm { lines: Vec::new(), depth: 0, bytes: 0, cost: 0, weight: 1, labels: HashMap::new() }
    }

    /// An instruction of `size` bytes changing the depth by `delta`.
    pub fn op(&mut self, text: &str, size: usize, delta: isize) {
        self.lines.push(format!("    {text}"));
        self.bytes += size;
        self.cost += self.weight;
        self.depth = self
            .depth
            .checked_add_signed(delta)
            .unwrap_or_else(|| panic!("benchgen: stack underflow at {text}"));
    }

    /// A branch (or `CALL`) to `label`, two bytes.
    pub fn branch(&mut self, op: &str, label: &str, delta: isize) {
        self.op(&format!("{op} {label}"), 2, delta);
    }

    /// Defines `label` here.
    pub fn label(&mut self, label: &str) {
        self.lines.push(format!("{label}:"));
        self.labels.insert(label.to_string(), self.bytes);
    }

    /// Bytes emitted since `label`.
    pub fn bytes_since_label(&self, label: &str) -> usize {
        self.bytes - self.labels[label]
    }

    /// After an unconditional jump: the depth at the next label, as the generator knows it.
    pub fn set_depth(&mut self, depth: usize) {
        self.depth = depth;
    }

    /// Pushes the value of stack slot `slot` (counted from the frame's bottom).
    pub fn pick(&mut self, slot: usize) {
        let i = self.depth - 1 - slot;
        self.op(&format!("PICK {i}"), 2, 1);
    }

    /// Pops the top into stack slot `slot`.
    pub fn put(&mut self, slot: usize) {
        let i = self.depth - 2 - slot;
        self.op(&format!("PUT {i}"), 2, -1);
    }

    /// Replaces the top `e` by `e mod k` (floor, so in `0..k` for `k > 0`): `e - e // k * k`.
    pub fn modulo(&mut self, k: i64) {
        self.op("PICK 0", 2, 1);
        self.op(&format!("PUSH {k}"), 2, 1);
        self.op("DIV", 1, -1);
        self.op(&format!("PUSH {k}"), 2, 1);
        self.op("MUL", 1, -1);
        self.op("SUB", 1, -1);
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            lines: self.lines.len(),
            depth: self.depth,
            bytes: self.bytes,
            cost: self.cost,
            weight: self.weight,
        }
    }

    /// Forgets what was emitted since `s` (labels defined since stay unused).
    pub fn restore(&mut self, s: Snapshot) {
        self.lines.truncate(s.lines);
        self.depth = s.depth;
        self.bytes = s.bytes;
        self.cost = s.cost;
        self.weight = s.weight;
    }

    /// The assembler text.
    pub fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }
}

/// A deterministic random source (splitmix64).
pub(super) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}
