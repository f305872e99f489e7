"""The measuring half of scripts/bench_python.sh (see its header for what is measured):
bench_python.py BINARY BENCH_DIR [options as bench_python.sh's]."""
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

binary, bench_dir, args = sys.argv[1], sys.argv[2], sys.argv[3:]
runs, quick, limit, out_dir, pypy, only = 3, False, 120.0, None, True, []
i = 0
while i < len(args):
    a = args[i]
    if a in ("--runs", "--timeout", "--out"):
        v = args[i + 1]
        if a == "--runs":
            runs = int(v)
        elif a == "--timeout":
            limit = float(v)
        else:
            out_dir = v
        i += 2
        continue
    if a == "--quick":
        quick = True
    elif a == "--no-pypy":
        pypy = False
    elif a.startswith("-"):
        sys.exit(f"bench_python: unknown option {a}")
    else:
        only.append(a)
    i += 1
if quick and "--runs" not in args:
    runs = 1
out_dir = out_dir or os.path.join(os.path.dirname(os.path.dirname(binary)), "bench-python")

suite = []
for line in open(os.path.join(bench_dir, "sizes.txt")):
    line = line.strip()
    if line and not line.startswith("#"):
        name, small = line.split()[:2]
        if not only or name in only:
            suite.append((name, small))
if not suite:
    sys.exit("bench_python: no benchmark selected")

IMPLS = [
    ("jit", [binary, "--mode", "jit"]),
    ("translated", [binary, "--mode", "translated"]),
    ("cpython", ["python3"]),
]
if pypy and shutil.which("pypy3"):
    IMPLS.append(("pypy", ["pypy3"]))
NAMES = [n for n, _ in IMPLS]
JIT_ENV = {"RPY_JIT_LOG": "summary", "RPY_LLVM_LOG": "jit"}

DRIVER = re.compile(r"^jit: .*backend (\d+) us$")
MODULE = re.compile(r"^\[backend-llvm [^\]]*\] .*lower ([\d.]+) ms, optimise ([\d.]+) ms, codegen ([\d.]+) ms(?:, link ([\d.]+) ms)?")


def compile_seconds(stderr):
    """The JIT's compile time in a jit run's log (see the shell script's header)."""
    ms = 0.0
    for line in stderr.splitlines():
        m = DRIVER.match(line)
        if m:
            ms += int(m.group(1)) / 1000.0
            continue
        m = MODULE.match(line)
        if m:
            ms += sum(float(g) for g in m.groups() if g)
    return ms / 1000.0


def run(impl, argv, script_args):
    """One whole-process run: dict(wall, rss_kb, out, status, compile) or None on timeout."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        env = dict(os.environ)
        if impl == "jit":
            env.update(JIT_ENV)
        cmd = ["/usr/bin/time", "-o", tf.name, "-f", "%e %M %U %S"] + argv + script_args
        try:
            p = subprocess.run(cmd, cwd=bench_dir, env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=limit)
        except subprocess.TimeoutExpired:
            return None
        fields = tf.read().strip().splitlines()[-1].split()
        err = p.stderr.decode(errors="replace")
        return {
            "wall": float(fields[0]),
            "rss_kb": int(fields[1]),
            "cpu": float(fields[2]) + float(fields[3]),
            "out": p.stdout,
            "status": p.returncode,
            "err": err,
            "compile": compile_seconds(err) if impl == "jit" else None,
        }


def measure(script_args, reference=None):
    """Runs every implementation `runs` times on script_args; per implementation a summary."""
    samples = {n: [] for n in NAMES}
    for _ in range(runs):
        for name, argv in IMPLS:
            samples[name].append(run(name, argv, script_args))
    result = {}
    for name in NAMES:
        rs = samples[name]
        done = [r for r in rs if r is not None]
        row = {"timeouts": len(rs) - len(done)}
        if not done:
            row["state"] = "timeout"
            result[name] = row
            continue
        want = reference if reference is not None else (
            samples["cpython"][0]["out"] if samples["cpython"][0] else None)
        bad = [r for r in done if r["status"] != 0 or (want is not None and r["out"] != want)]
        row["state"] = "MISMATCH" if bad else ("timeout" if row["timeouts"] else "ok")
        if bad:
            row["detail"] = (bad[0]["err"].strip().splitlines() or ["stdout differs"])[-1][:200]
        row["wall"] = statistics.median(r["wall"] for r in done)
        row["cpu"] = statistics.median(r["cpu"] for r in done)
        row["rss_mb"] = max(r["rss_kb"] for r in done) / 1024.0
        if name == "jit":
            row["compile"] = statistics.median(r["compile"] for r in done)
        result[name] = row
    return result


def fmt_s(row):
    if row.get("state") != "ok":
        return row.get("state", "?")
    return f"{row['wall']:.3f}"


def ratio(a, b, key="wall"):
    if a.get("state") != "ok" or b.get("state") != "ok":
        return None
    return a[key] / max(b[key], 1e-3)


def fmt_r(r):
    return "–" if r is None else f"{r:.2f}"


def geomean(xs):
    xs = [x for x in xs if x is not None]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


empty = os.path.join(tempfile.mkdtemp(), "empty.py")
open(empty, "w").close()
# One untimed run of each of our modes first: translating the interpreter (for translated
# mode, and its tiered form for jit mode) is done once per build and kept in the object cache.
for name, argv in IMPLS:
    if name in ("jit", "translated"):
        subprocess.run(argv + [empty], stdin=subprocess.DEVNULL, capture_output=True, timeout=600)

results = {}
for name, small in suite:
    script_args = [name + ".py"] + ([small] if quick else [])
    print(f"bench_python: {name} {' '.join(script_args[1:])}...", file=sys.stderr, flush=True)
    results[name] = measure(script_args)

startup = measure([empty], reference=b"")

ours = [n for n in ("jit", "translated") if n in NAMES]
others = [n for n in ("cpython", "pypy") if n in NAMES]
lines = []
size_note = "small sizes (--quick)" if quick else "default sizes"
lines.append(f"mini-Python benchmark suite, {size_note}, {runs} run(s) each, median wall seconds; "
             "ratios are time / time of the other (below 1: ours faster)")
lines.append("")
head = ["benchmark"] + [f"{n} s" for n in NAMES]
for o in ours:
    for t in others:
        head.append(f"{o}/{t}")
head += [f"RSS MB {n}" for n in NAMES] + ["jit compile s (% of run)"]
lines.append("| " + " | ".join(head) + " |")
lines.append("|" + "---|" * len(head))
ratios = {(o, t): [] for o in NAMES for t in others}
for name, _ in suite:
    r = results[name]
    cells = [name] + [fmt_s(r[n]) for n in NAMES]
    for o in NAMES:
        for t in others:
            ratios[(o, t)].append(ratio(r[o], r[t]))
    for o in ours:
        for t in others:
            cells.append(fmt_r(ratios[(o, t)][-1]))
    cells += [f"{r[n]['rss_mb']:.0f}" if "rss_mb" in r[n] else "–" for n in NAMES]
    j = r.get("jit", {})
    if "compile" in j:
        cells.append(f"{j['compile']:.2f} ({100.0 * j['compile'] / max(j['wall'], 1e-3):.0f}%)")
    else:
        cells.append("–")
    lines.append("| " + " | ".join(cells) + " |")
gm = ["**geometric mean**"] + [""] * len(NAMES)
for o in ours:
    for t in others:
        gm.append(f"**{fmt_r(geomean(ratios[(o, t)]))}**")
gm += [""] * (len(NAMES) + 1)
lines.append("| " + " | ".join(gm) + " |")
lines.append("")
if "pypy" in NAMES:
    lines.append(f"PyPy / CPython geometric mean: {fmt_r(geomean(ratios[('pypy', 'cpython')]))}")
lines.append("")
lines.append("CPU time (user + system, all threads: the JIT's compile thread included), median "
             "seconds, and its ratios (steadier than wall time on a shared machine):")
lines.append("")
head = ["benchmark"] + [f"{n} cpu s" for n in NAMES] + [f"{o}/{t} cpu" for o in ours for t in others]
lines.append("| " + " | ".join(head) + " |")
lines.append("|" + "---|" * len(head))
cpu_ratios = {(o, t): [] for o in ours for t in others}
for name, _ in suite:
    r = results[name]
    cells = [name] + [f"{r[n]['cpu']:.3f}" if r[n].get("state") == "ok" else r[n].get("state", "?") for n in NAMES]
    for o in ours:
        for t in others:
            cpu_ratios[(o, t)].append(ratio(r[o], r[t], "cpu"))
            cells.append(fmt_r(cpu_ratios[(o, t)][-1]))
    lines.append("| " + " | ".join(cells) + " |")
lines.append("| " + " | ".join(["**geometric mean**"] + [""] * len(NAMES) + [
    f"**{fmt_r(geomean(cpu_ratios[k]))}**" for k in cpu_ratios]) + " |")
lines.append("start-up (empty program), median wall s and peak RSS MB: " + ", ".join(
    f"{n} {fmt_s(startup[n])} s / {startup[n].get('rss_mb', 0):.0f} MB" for n in NAMES))
problems = [f"{name} [{n}]: {results[name][n]['state']} {results[name][n].get('detail', '')}".rstrip()
            for name, _ in suite for n in NAMES if results[name][n].get("state") != "ok"]
if problems:
    lines.append("")
    lines.append("problems (left out of the means): " + "; ".join(problems))
table = "\n".join(lines) + "\n"
print(table)


def svg_chart(path):
    """Grouped bars: time / CPython's time per benchmark and implementation, log scale."""
    series = [n for n in NAMES if n != "cpython"]
    colours = {"jit": "#d62728", "translated": "#ff7f0e", "pypy": "#2ca02c"}
    rows = [(name, [ratio(results[name][n], results[name]["cpython"]) for n in series])
            for name, _ in suite] + [("geo. mean", [geomean(ratios[(n, "cpython")]) for n in series])]
    vals = [v for _, vs in rows for v in vs if v]
    lo = 10 ** math.floor(math.log10(min(vals + [0.5])))
    hi = 10 ** math.ceil(math.log10(max(vals + [2.0])))
    w_group, bar, left, top, height = 26 * len(series) + 14, 24, 60, 40, 320
    width = left + w_group * len(rows) + 20
    def y(v):
        return top + height * (math.log10(hi) - math.log10(v)) / (math.log10(hi) - math.log10(lo))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height + 110}" '
           'font-family="sans-serif" font-size="11">',
           f'<text x="{left}" y="20" font-size="14">time / CPython 3.11 time (log scale; below 1 is '
           f'faster than CPython), {size_note}</text>']
    d = lo
    while d <= hi * 1.001:
        for k in (1, 2, 5):
            v = d * k
            if lo <= v <= hi:
                out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                           f'stroke="{"#888" if v == 1 else "#ddd"}"/>')
                out.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
        d *= 10
    for gi, (name, vs) in enumerate(rows):
        x0 = left + gi * w_group + 7
        for si, v in enumerate(vs):
            if not v:
                continue
            x = x0 + si * (bar + 2)
            y1, y2 = sorted((y(v), y(1.0)))
            out.append(f'<rect x="{x}" y="{y1:.1f}" width="{bar}" height="{max(y2 - y1, 1):.1f}" '
                       f'fill="{colours.get(series[si], "#1f77b4")}"><title>{series[si]} {name}: '
                       f'{v:.2f}</title></rect>')
        cx = x0 + len(vs) * (bar + 2) / 2
        out.append(f'<text transform="translate({cx:.0f},{top + height + 12}) rotate(40)">{name}</text>')
    for si, n in enumerate(series):
        out.append(f'<rect x="{left + si * 110}" y="{top + height + 85}" width="12" height="12" '
                   f'fill="{colours.get(n, "#1f77b4")}"/>')
        out.append(f'<text x="{left + si * 110 + 16}" y="{top + height + 95}">{n}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "results.md"), "w") as f:
    f.write(table)
svg_chart(os.path.join(out_dir, "ratios.svg"))
for rs in list(results.values()) + [startup]:
    for row in rs.values():
        row.pop("out", None)
with open(os.path.join(out_dir, "results.json"), "w") as f:
    json.dump({"runs": runs, "quick": quick, "impls": NAMES, "benchmarks": results,
               "startup": startup}, f, indent=1)
print(f"bench_python: wrote {out_dir}/results.md, ratios.svg, results.json", file=sys.stderr)
