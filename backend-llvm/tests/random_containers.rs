//! Seeded random RPy programs using lists, dicts and exceptions — appends, pops, inserts,
//! deletions, slices, sorts, indexing out of range (`IndexError`), missing keys (`KeyError`),
//! caught by `try`/`except` or not, inside loops and across calls — run in the IR interpreter
//! and translated at O0 and O2: results and errors (uncaught exceptions included) must be
//! identical.

#[path = "support/random_runs.rs"]
mod random_runs;

/// A small xorshift generator (seeded, reproducible).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const CATCH: &[&str] = &["IndexError", "KeyError", "(IndexError, KeyError)", "Exception"];

/// Generates the program's text: functions `f0`..`f{n-1}`, each calling only lower ones.
struct Gen {
    rng: Rng,
    out: String,
    depth: usize,
    func: usize,
    names: usize,
}

impl Gen {
    fn line(&mut self, indent: usize, s: &str) {
        self.out.push_str(&"    ".repeat(indent));
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// A small int expression.
    fn small(&mut self) -> String {
        let v = self.rng.pick(&["x", "y", "i", "len(l)", "len(d)"]);
        let c = self.rng.below(9);
        format!("({v} + {c}) % {}", 3 + self.rng.below(6))
    }

    fn stmts(&mut self, indent: usize, n: usize, in_loop: bool) {
        for _ in 0..n {
            self.stmt(indent, in_loop);
        }
    }

    fn stmt(&mut self, ind: usize, in_loop: bool) {
        let deep = self.depth >= 3;
        let (a, b) = (self.small(), self.small());
        let v = self.rng.pick(&["x", "y"]);
        match self.rng.below(if deep { 16 } else { 20 }) {
            0 => self.line(ind, &format!("l.append({a} * 3 + {v} % 5)")),
            1 => self.line(ind, &format!("{v} = {v} + l[{a} - 2]")),
            2 => self.line(ind, &format!("l[{a}] = {v} % 1000")),
            3 => self.line(ind, &format!("d[{a}] = {v} % 1000 + {b}")),
            4 => self.line(ind, &format!("{v} = {v} + d[{a}]")),
            5 => self.line(ind, &format!("{v} = {v} + d.get({a}, 7)")),
            6 => {
                self.line(ind, &format!("if {a} in d:"));
                self.line(ind + 1, &format!("del d[{a}]"));
            }
            7 => self.line(ind, &format!("del d[{a}]")),
            8 => self.line(ind, &format!("{v} = {v} + l.pop()")),
            9 => self.line(ind, &format!("l.insert({a} - 2, {b})")),
            10 => {
                self.line(ind, &format!("m = l[{a} - 1:{b}]"));
                self.line(ind, &format!("{v} = {v} + len(m) * 10 + m.count({b})"));
            }
            11 => {
                let m = self.rng.pick(&["sort", "reverse"]);
                self.line(ind, &format!("l.{m}()"));
            }
            12 => {
                self.line(ind, "ks = d.keys()");
                self.line(ind, "if len(ks) > 0:");
                self.line(ind + 1, &format!("{v} = {v} * 3 + ks[0] + ks[-1]"));
            }
            13 if self.func > 0 => {
                let f = self.rng.below(self.func as u64);
                self.line(ind, &format!("{v} = {v} + f{f}({a}, {b})"));
            }
            13 => self.line(ind, &format!("del l[{a}]")),
            14 if in_loop => {
                let kw = self.rng.pick(&["break", "continue"]);
                let k = self.rng.below(4);
                self.line(ind, &format!("if len(l) % 4 == {k}:"));
                self.line(ind + 1, kw);
            }
            14 => self.line(ind, &format!("{v} = {v} + d.pop({a}, 1)")),
            15 => {
                self.line(ind, &format!("if {v} > 5000:"));
                self.line(ind + 1, &format!("return {v} % 100003"));
            }
            16..=17 => self.try_stmt(ind, in_loop),
            _ => {
                self.depth += 1;
                self.names += 1;
                let j = format!("j{}", self.names);
                self.line(ind, &format!("{j} = 0"));
                let n = 1 + self.rng.below(4);
                self.line(ind, &format!("while {j} < {n}:"));
                self.line(ind + 1, &format!("{j} += 1"));
                self.line(ind + 1, "i = i + 1");
                self.stmts(ind + 1, 3, true);
                self.depth -= 1;
            }
        }
    }

    fn try_stmt(&mut self, ind: usize, in_loop: bool) {
        self.depth += 1;
        self.line(ind, "try:");
        self.stmts(ind + 1, 3, in_loop);
        let handlers = 1 + self.rng.below(2);
        let mut caught: Vec<&str> = Vec::new();
        for _ in 0..handlers {
            let class = self.rng.pick(CATCH);
            // A handler an earlier one makes unreachable is an error: leave it out.
            let covers = |e: &str| {
                let tuple = e.contains(',') || class.contains(',');
                e == "Exception" || e == class || (tuple && class != "Exception")
            };
            if caught.iter().any(|e| covers(e)) {
                continue;
            }
            caught.push(class);
            self.names += 1;
            self.line(ind, &format!("except {class} as e{}:", self.names));
            self.line(ind + 1, &format!("x = x + len(e{}.message)", self.names));
        }
        self.depth -= 1;
    }

    fn program(seed: u64, funcs: usize) -> String {
        let mut g = Gen { rng: Rng(seed), out: String::new(), depth: 0, func: 0, names: 0 };
        for f in 0..funcs {
            g.func = f;
            g.line(0, &format!("def f{f}(x: int, y: int) -> int:"));
            g.line(1, "i = 0");
            g.line(1, "l: list[int] = [x % 10, y % 10, 3]");
            g.line(1, "d: dict[int, int] = dict()");
            g.line(1, "d[x % 5] = y % 100");
            // Most bodies catch some of what they raise, so both outcomes are common.
            let catch = ["(IndexError, KeyError)", "IndexError", "KeyError", ""];
            let catch = g.rng.pick(&catch);
            if catch.is_empty() {
                g.stmts(1, 6, false);
            } else {
                g.line(1, "try:");
                g.stmts(2, 6, false);
                g.line(1, &format!("except {catch}:"));
                g.line(2, "x = x + 1");
            }
            g.line(1, "s = 0");
            g.line(1, "k = 0");
            g.line(1, "while k < len(l):");
            g.line(2, "s = s * 7 + l[k]");
            g.line(2, "k += 1");
            g.line(1, "return (x ^ y ^ s ^ len(d)) % 1000003");
            g.out.push('\n');
        }
        g.out
    }
}

#[test]
fn random_programs_with_containers_agree_with_llinterp() {
    let args: &[(i64, i64)] = &[(0, 0), (3, 8), (-7, 2), (41, 5), (12, 30), (100, -9)];
    let (values, errors) = random_runs::agree_with_llinterp(Gen::program, args);
    // Both kinds of outcome are common (a generator whose programs all fail tests little).
    assert!(values > 15 && errors > 10, "{values} values, {errors} uncaught exceptions");
}
