//! Seeded random RPy programs using exceptions and overflow checks — nested `try`/`except`/
//! `else`/`finally`, raises of several classes (user ones with fields), calls that raise,
//! loops with `break`/`continue` inside `try`, `ovfcheck` near the boundaries — run in the IR
//! interpreter and translated at O0 and O2: results and errors (uncaught exceptions
//! included) must be identical.

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

const CLASSES: &[&str] = &["ValueError", "KeyError", "Boom", "SubBoom", "OverflowError"];
const CATCH: &[&str] = &[
    "ValueError",
    "KeyError",
    "Boom",
    "SubBoom",
    "OverflowError",
    "(KeyError, Boom)",
    "Exception",
];
const CONSTS: &[&str] = &["1", "2", "7", "1000003", "4611686018427387903", "9223372036854775807"];

/// Generates the program's text: functions `f0`..`f{n-1}`, each calling only lower ones.
struct Gen {
    rng: Rng,
    out: String,
    depth: usize,
    func: usize,
    /// Names made so far (handlers' `as` names and loop counters are all different).
    names: usize,
}

impl Gen {
    fn line(&mut self, indent: usize, s: &str) {
        self.out.push_str(&"    ".repeat(indent));
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn expr(&mut self) -> String {
        let v = self.rng.pick(&["x", "y", "i"]);
        let c = self.rng.pick(CONSTS);
        match self.rng.below(6) {
            0 => format!("ovfcheck({v} + {c})"),
            1 => format!("ovfcheck({v} * {c})"),
            2 => format!("ovfcheck({v} - {c})"),
            3 if self.func > 0 => format!("f{}({v}, {c})", self.rng.below(self.func as u64)),
            4 => format!("ovfcheck(-{v})"),
            _ => format!("({v} ^ {c}) % 1000"),
        }
    }

    fn raise(&mut self) -> String {
        let class = self.rng.pick(CLASSES);
        match class {
            "Boom" | "SubBoom" => format!("raise {class}(message=\"{class}\", code=y % 97)"),
            _ => format!("raise {class}(message=\"m\" + int_to_str(x % 10))"),
        }
    }

    fn stmts(&mut self, indent: usize, n: usize, in_loop: bool) {
        for _ in 0..n {
            self.stmt(indent, in_loop);
        }
    }

    fn stmt(&mut self, ind: usize, in_loop: bool) {
        let deep = self.depth >= 3;
        match self.rng.below(if deep { 4 } else { 8 }) {
            0 | 1 => {
                let (v, e) = (self.rng.pick(&["x", "y"]), self.expr());
                self.line(ind, &format!("{v} = {e}"));
            }
            2 => {
                let r = self.raise();
                let m = 2 + self.rng.below(4);
                self.line(ind, &format!("if x % {m} == 0:"));
                self.line(ind + 1, &r);
            }
            3 if in_loop => {
                let kw = self.rng.pick(&["break", "continue"]);
                let k = self.rng.below(5);
                self.line(ind, &format!("if y % 5 == {k}:"));
                self.line(ind + 1, kw);
            }
            3 => self.line(ind, "y = y + 1"),
            4 | 5 => self.try_stmt(ind, in_loop),
            6 => {
                self.depth += 1;
                self.names += 1;
                let j = format!("j{}", self.names);
                self.line(ind, &format!("{j} = 0"));
                let n = 1 + self.rng.below(4);
                self.line(ind, &format!("while {j} < {n}:"));
                self.line(ind + 1, &format!("{j} += 1"));
                self.line(ind + 1, "i = i + 1");
                self.stmts(ind + 1, 2, true);
                self.depth -= 1;
            }
            _ => {
                self.line(ind, "if y > x:");
                self.line(ind + 1, "return y % 100003");
            }
        }
    }

    fn try_stmt(&mut self, ind: usize, in_loop: bool) {
        self.depth += 1;
        self.line(ind, "try:");
        self.stmts(ind + 1, 2, in_loop);
        let mut caught: Vec<&str> = Vec::new();
        for _ in 0..self.rng.below(3) {
            let class = self.rng.pick(CATCH);
            // A handler an earlier one makes unreachable is an error: leave it out.
            if caught.iter().any(|e| covers(e, class)) {
                continue;
            }
            caught.push(class);
            self.names += 1;
            let h = self.names;
            self.line(ind, &format!("except {class} as e{h}:"));
            let body = match self.rng.below(3) {
                0 => format!("x = x + len(e{h}.message)"),
                1 if class == "Boom" || class == "SubBoom" => format!("y = y + e{h}.code"),
                _ => "y = y - 3".to_string(),
            };
            self.line(ind + 1, &body);
            if self.rng.below(4) == 0 {
                self.line(ind + 1, "raise");
            }
        }
        let handlers = caught.len();
        if handlers > 0 && self.rng.below(3) == 0 {
            self.line(ind, "else:");
            self.line(ind + 1, "x = x + 11");
        }
        if handlers == 0 || self.rng.below(2) == 0 {
            self.line(ind, "finally:");
            self.line(ind + 1, "y = y + 5");
            if self.rng.below(6) == 0 {
                self.line(ind + 1, "return x % 1009");
            }
        }
        self.depth -= 1;
    }

    fn program(seed: u64, funcs: usize) -> String {
        let mut g = Gen { rng: Rng(seed), out: String::new(), depth: 0, func: 0, names: 0 };
        g.out.push_str("struct Boom(Exception):\n    code: int\n\n");
        g.out.push_str("struct SubBoom(Boom):\n    pass\n\n");
        for f in 0..funcs {
            g.func = f;
            g.line(0, &format!("def f{f}(x: int, y: int) -> int:"));
            g.line(1, "i = 0");
            g.stmts(1, 4, false);
            g.line(1, "return (x ^ y) % 1000003");
            g.out.push('\n');
        }
        g.out
    }
}

/// Whether a handler for `earlier` catches everything a later one for `class` would.
fn covers(earlier: &str, class: &str) -> bool {
    let parts = if class == "(KeyError, Boom)" { vec!["KeyError", "Boom"] } else { vec![class] };
    parts.iter().any(|&p| match earlier {
        "Exception" => true,
        "Boom" => p == "Boom" || p == "SubBoom",
        "(KeyError, Boom)" => ["KeyError", "Boom", "SubBoom"].contains(&p),
        e => e == p,
    })
}

#[test]
fn random_programs_with_exceptions_agree_with_llinterp() {
    let args: &[(i64, i64)] =
        &[(0, 0), (3, 8), (-7, 2), (9_223_372_036_854_775_000, 5), (i64::MIN + 3, -1), (12, 30)];
    let (values, errors) = random_runs::agree_with_llinterp(Gen::program, args);
    // Both kinds of outcome are common (a generator whose programs all fail tests little).
    assert!(values > 15 && errors > 15, "{values} values, {errors} uncaught exceptions");
}
