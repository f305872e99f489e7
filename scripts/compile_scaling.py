#!/usr/bin/env python3
"""Compile time against code size (issue 17): straight-line TLC programs of N `PUSH 1` and
loops whose body is N instructions, run once with the JIT compiling at once (`--jit-hot 1`),
N = 100, 1 000, 10 000 (or the sizes given with --sizes). Prints, per program: the wall time
and CPU time (user + system) of the whole process (best of --repeat runs, without logging), the
growth of the CPU time over the previous size (wall time is noisy on a shared machine), and what the
`RPY_JIT_LOG=cost` lines report: compilations, residual ops, merge versions, splits, the
largest graph the backend compiled and the longest single backend compilation
(lower + optimise + codegen).

Usage: scripts/compile_scaling.py [--bin target/release/lang-tlc] [--sizes 100,1000,10000]
       [--repeat 3]
Build first: cargo build --release -p lang-tlc. The test with the same programs and bounds on
counts is lang-tlc/tests/compile_scaling.rs.
"""
import argparse
import os
import resource
import re
import subprocess
import tempfile
import time


def straight_line(n):
    return "main:\n" + "PUSH 1\n" * n + "RETURN\n", 0, "1"


def long_loop(n):
    pairs = (n - 6) // 2
    s = ["main:", "PUSH 0", "PUSHARG", "top:", "PICK 0", "BR_COND body", "POP", "RETURN",
         "body:", "PUSH 1", "SUB", "SWAP"]
    hop = "top"
    for i in range(pairs):
        s += ["PUSH 1", "ADD"]
        if i % 30 == 29:
            s += [f"BR skip{i}", f"hop{i}:", f"BR {hop}", f"skip{i}:"]
            hop = f"hop{i}"
    s += ["SWAP", f"BR {hop}"]
    return "\n".join(s) + "\n", 100, str(100 * pairs)


def field(line, name):
    m = re.search(re.escape(name) + r"(\d+(?:\.\d+)?)", line)
    return float(m.group(1)) if m else 0.0


def run(binary, path, arg, expect, log):
    env = dict(os.environ)
    env.pop("RPY_JIT_LOG", None)
    if log:
        env["RPY_JIT_LOG"] = "cost"
    start = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([binary, "--jit-hot", "1", "run", path, str(arg)],
                         capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if out.stdout.strip() != expect:
        raise SystemExit(f"{path}: got {out.stdout.strip()!r}, expected {expect!r}\n{out.stderr}")
    lines = [l for l in out.stderr.splitlines() if l.startswith("jit cost: ")]
    backend_ms = [field(l, "lower ") + field(l, "optimise ") + field(l, "codegen ") for l in lines]
    return {
        "wall": wall,
        "cpu": cpu,
        "compilations": len(lines),
        "ops": int(sum(field(l, ": ops ") for l in lines)),
        "versions": int(sum(field(l, ", versions ") for l in lines)),
        "splits": int(sum(field(l, "splits ") for l in lines)),
        "largest": int(max([field(l, "graphs, ") for l in lines] or [0])),
        "max_backend_ms": max(backend_ms or [0.0]),
        "gave_up": "gave up" in out.stderr,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/lang-tlc")
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'program':<16}{'wall s':>8}{'cpu s':>8}{'growth':>8}{'comps':>7}{'ops':>8}{'versions':>10}"
          f"{'splits':>7}{'largest':>8}{'max be ms':>10}")
    with tempfile.TemporaryDirectory() as d:
        for family, gen in [("straight", straight_line), ("loop", long_loop)]:
            prev = None
            for n in sizes:
                src, arg, expect = gen(n)
                path = os.path.join(d, f"{family}{n}.tlc.src")
                with open(path, "w") as f:
                    f.write(src)
                # Times without the log (its stage compiles each graph in a module of its
                # own), counts from one run with it.
                r = run(args.bin, path, arg, expect, True)
                runs = [run(args.bin, path, arg, expect, False) for _ in range(args.repeat)]
                r["wall"] = min(x["wall"] for x in runs)
                r["cpu"] = min(x["cpu"] for x in runs)
                growth = f"{r['cpu'] / prev:.1f}x" if prev else "-"
                prev = r["cpu"]
                flag = "  GAVE UP" if r["gave_up"] else ""
                print(f"{family + str(n):<16}{r['wall']:>8.2f}{r['cpu']:>8.2f}{growth:>8}{r['compilations']:>7}"
                      f"{r['ops']:>8}{r['versions']:>10}{r['splits']:>7}{r['largest']:>8}"
                      f"{r['max_backend_ms']:>10.1f}{flag}")


if __name__ == "__main__":
    main()
