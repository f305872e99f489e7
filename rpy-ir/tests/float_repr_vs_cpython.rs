//! `float_repr` (the `float_to_str` extern's text, Python's `repr` of a float) against
//! `/usr/bin/python3`'s `repr` on seeded random floats: random bit patterns (every exponent),
//! random values of a few decimal digits scaled around the fixed/scientific boundaries, and
//! integers near 2**53 where two shortest strings often tie. Skipped, saying so, where
//! `python3` is absent.

use rpy_ir::externs::float_repr;
use std::io::Write;
use std::process::{Command, Stdio};

/// A small deterministic generator (64-bit LCG, high bits).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 11
    }
    fn bits(&mut self) -> u64 {
        (self.next() << 32) ^ self.next()
    }
}

fn sample(rng: &mut Rng) -> f64 {
    match rng.next() % 4 {
        0 => f64::from_bits(rng.bits()),
        1 => {
            // A few digits at a random scale: exercises fixed vs scientific notation.
            let digits = (rng.next() % 100_000) as f64;
            let scale = (rng.next() % 44) as i32 - 22;
            digits * 10f64.powi(scale)
        }
        2 => {
            // Magnitudes around 1e15..1e17 with a fraction: ties between shortest strings.
            let m = 1u64 << 52 | (rng.bits() & ((1 << 52) - 1));
            let e = 1023 + 49 + (rng.next() % 8);
            f64::from_bits((rng.next() & 1) << 63 | e << 52 | (m & ((1 << 52) - 1)))
        }
        _ => f64::from_bits(rng.bits() & 0x800f_ffff_ffff_ffff | (1000 + rng.next() % 48) << 52),
    }
}

#[test]
fn float_repr_matches_cpython_on_random_floats() {
    let python = "/usr/bin/python3";
    if !std::path::Path::new(python).exists() {
        eprintln!("skipped: {python} is absent");
        return;
    }
    let mut rng = Rng(0x5eed_f10a7);
    let mut xs: Vec<f64> = (0..60_000).map(|_| sample(&mut rng)).collect();
    // The case CPython's dtoa and Rust's `{:e}` first disagreed on.
    xs.push(f64::from_bits(0xc30e_e042_ab1a_e0ca));
    let input: String = xs.iter().map(|x| format!("{:016x}\n", x.to_bits())).collect();
    let script = "import sys, struct\n\
                  for line in sys.stdin:\n    \
                  print(repr(struct.unpack('>d', bytes.fromhex(line.strip()))[0]))\n";
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().expect("python3 runs");
    writer.join().unwrap();
    assert!(out.status.success(), "python3 failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let wants: Vec<&str> = text.lines().collect();
    assert_eq!(wants.len(), xs.len(), "one repr per float");
    let failures: Vec<String> = xs
        .iter()
        .zip(&wants)
        .filter(|(x, want)| float_repr(**x) != **want)
        .map(|(x, want)| format!("{:016x}: got {}, CPython {want}", x.to_bits(), float_repr(*x)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        xs.len(),
        failures.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}
