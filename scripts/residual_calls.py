#!/usr/bin/env python3
"""Residual calls of mini-Python's compiled code, by callee and by where they sit (issue 18).

Runs each program in jit mode with everything hot compiled (`RPY_JIT_PAYOFF=off`,
`RPY_JIT_LOG=residual`, plus `--jit-hot N` if given), reads the residual graphs the JIT
compiled for it (those named `*__merge*`, `*__entry*`, `*__case*`: the interpreter's
continuations, `*__cont_*`, are the interpreter's own code) and counts their `call` ops
by callee, each in one of three places:

- `loop`: a block on a cycle of its graph (a loop the compiled code closes), the hot path;
- `line`: a block outside any cycle that is not a guard-failure block (an entry graph's or
  a case's straight-line code, run once per entry: hot when the graph is entered in a loop,
  e.g. a function called from one);
- `fail`: a guard-failure block (a block that leaves the graph through a `jit_hook`, a
  flexswitch miss, or a call of an interpreter continuation): run only when a guard fails.

Not counted: `call_extern` (the JIT's hooks and the runtime's helpers), and calls of
compiled code or continuations (`__entry`, `__merge`, `__case`, `__cont_` in the name).
Also prints each program's residual op count (all ops of the compiled graphs) and the
number of compiled graphs.

Usage: scripts/residual_calls.py [--bin PATH] [--jit-hot N] [--top K] [--where loop,line]
                                 [--timeout S (default 120)]
                                 PROGRAM.py[:ARG...] ...
  PROGRAM.py:ARG passes ARG (e.g. `lang-mini-python/bench/nbody.py:1000`); `--log FILE`
  reads an existing `RPY_JIT_LOG=residual` log instead of running anything.
e.g.  scripts/residual_calls.py lang-mini-python/bench/fib.py:18 lang-mini-python/bench/nbody.py:1000
"""
import collections
import os
import re
import subprocess
import sys

COMPILED = re.compile(r"__(merge|entry|case)\d")
CALL = re.compile(r"\bcall ([A-Za-z_][A-Za-z_0-9]*)\(")
EXIT = ("goto ", "branch ", "switch ")


def graphs(log):
    """(name, lines) of each graph in the log."""
    out, cur = [], None
    for line in log.splitlines():
        if line.startswith("graph "):
            cur = (line[len("graph "):].split("(")[0], [])
            out.append(cur)
        elif cur is not None:
            if line == "}":
                cur = None
            else:
                cur[1].append(line)
    return out


def blocks(lines):
    """name -> (ops, successors) of a graph's blocks, in order."""
    out = collections.OrderedDict()
    name = None
    for line in lines:
        if line.startswith("block"):
            name = re.split(r"[(:]", line)[0]
            out[name] = ([], [])
        elif name is not None and line.strip():
            ops, succs = out[name]
            op = line.strip()
            ops.append(op)
            if op.startswith(EXIT):
                succs.extend(w for w in re.findall(r"\bblock\d+\b", op))
    return out


def cyclic(bl):
    """The blocks on a cycle (Tarjan's strongly connected components, iteratively)."""
    index, low, on, stack, result, counter = {}, {}, set(), [], set(), [0]
    for root in bl:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter[0]
                counter[0] += 1
                stack.append(v)
                on.add(v)
            succs = bl[v][1]
            if i < len(succs):
                work.append((v, i + 1))
                w = succs[i]
                if w not in bl:
                    continue
                if w not in index:
                    work.append((w, 0))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            for w in succs:
                if w in on:
                    low[v] = min(low[v], low[w])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in bl[v][1]:
                    result.update(comp)
    return result


def is_fail(ops, succs):
    if succs:
        return False
    return any("jit_hook" in op or "__cont_" in op for op in ops)


def tally(log):
    """({callee: Counter(place)}, residual ops, compiled graphs)."""
    calls = collections.defaultdict(collections.Counter)
    nops = ngraphs = 0
    for name, lines in graphs(log):
        if not COMPILED.search(name):
            continue
        ngraphs += 1
        bl = blocks(lines)
        loop = cyclic(bl)
        for b, (ops, succs) in bl.items():
            nops += len(ops)
            where = "loop" if b in loop else "fail" if is_fail(ops, succs) else "line"
            for op in ops:
                for callee in CALL.findall(op):
                    if any(k in callee for k in ("__cont_", "__entry", "__merge", "__case")):
                        continue
                    calls[callee][where] += 1
    return calls, nops, ngraphs


def run(binary, prog, hot, timeout):
    path, *args = prog.split(":")
    cmd = [binary, "--mode", "jit"] + (["--jit-hot", hot] if hot else []) + [path] + args
    env = dict(os.environ, RPY_JIT_PAYOFF="off", RPY_JIT_LOG="residual")
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        print(f"{prog}: timed out after {timeout} s (the graphs logged so far counted)", file=sys.stderr)
        return e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
    if p.returncode != 0:
        print(f"{prog}: exit {p.returncode}\n{p.stderr[-2000:]}", file=sys.stderr)
    return p.stderr


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = os.path.join(root, "target/release/lang-mini-python")
    hot, top, timeout, where, logs, progs = None, 25, 120, ("loop", "line", "fail"), [], []
    it = iter(argv)
    for a in it:
        if a == "--bin":
            binary = next(it)
        elif a == "--jit-hot":
            hot = next(it)
        elif a == "--timeout":
            timeout = float(next(it))
        elif a == "--top":
            top = int(next(it))
        elif a == "--where":
            where = tuple(next(it).split(","))
        elif a == "--log":
            logs.append(next(it))
        elif a in ("-h", "--help"):
            print(__doc__)
            return
        else:
            progs.append(a)
    total = collections.defaultdict(collections.Counter)
    items = [(p, run(binary, p, hot, timeout)) for p in progs] + [(f, open(f).read()) for f in logs]
    for name, log in items:
        calls, nops, ngraphs = tally(log)
        print(f"## {name}: {ngraphs} compiled graphs, {nops} residual ops")
        rows = sorted(calls.items(), key=lambda kv: (-sum(kv[1][w] for w in where), kv[0]))
        rows = [r for r in rows if sum(r[1][w] for w in where) > 0]
        print(f"  {'callee':<32} {'loop':>5} {'line':>5} {'fail':>5}")
        for callee, c in rows[:top]:
            print(f"  {callee:<32} {c['loop']:>5} {c['line']:>5} {c['fail']:>5}")
            total[callee].update(c)
    if len(items) > 1:
        print("## all programs")
        rows = sorted(total.items(), key=lambda kv: (-sum(kv[1][w] for w in where), kv[0]))
        print(f"  {'callee':<32} {'loop':>5} {'line':>5} {'fail':>5}")
        for callee, c in rows[:top]:
            if sum(c[w] for w in where) > 0:
                print(f"  {callee:<32} {c['loop']:>5} {c['line']:>5} {c['fail']:>5}")


if __name__ == "__main__":
    main(sys.argv[1:])
