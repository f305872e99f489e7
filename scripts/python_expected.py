#!/usr/bin/python3
"""Regenerates (or, with --check, verifies) the expected results of the mini-Python
conformance corpus, `lang-mini-python/tests/python/<topic>/NAME.py`, by running each program
under CPython 3.11 (`/usr/bin/python3`, Debian 12's).

For every NAME.py it writes three files beside it:

  NAME.out     the program's whole stdout (bytes, as CPython wrote them)
  NAME.err     its whole stderr (a traceback or SyntaxError report for the error programs,
               usually empty otherwise)
  NAME.status  its exit status, in decimal, with a newline

Optional inputs beside a program: NAME.in is fed to its stdin (otherwise stdin is empty,
/dev/null), NAME.args holds its command-line arguments, one per line (sys.argv[1:]).

The run convention, which every implementation under test must follow to reproduce the
expected files byte for byte: the working directory is the corpus root
(`lang-mini-python/tests/python`) and the program is named by its path relative to it, so
`python3 topic/NAME.py ARGS...`; a traceback then says `File "topic/NAME.py", line N` and
nothing depends on where the repository lives. CPython 3.11 itself writes the absolute path
of the main script in tracebacks (`File "/abs/.../topic/NAME.py"`); the expectations are
normalized to the path as given on the command line: in stderr, every `File "CORPUS/` (CORPUS
the absolute path of the corpus root) becomes `File "`. An implementation under test prints
the script path as it was given. The environment is reduced to PATH,
LC_ALL=C.UTF-8 and PYTHONIOENCODING=utf-8 (plus PYTHONHASHSEED, below).

Determinism: each program runs twice, with two different string-hash seeds
(PYTHONHASHSEED=0 and 4242); a program whose output differs between the two depends on hash
order (printing a set of strings, say) and is reported as an error, never written.

Usage: scripts/python_expected.py [--check] [--python PATH] [TOPIC | TOPIC/NAME.py ...]
  --check   compare with the committed files instead of writing; exit 1 on any difference
Exit status: 0 on success, 1 on a difference (--check) or a nondeterministic or hanging
program, 2 when the interpreter is not CPython 3.11.
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
CORPUS = os.path.join(ROOT, "lang-mini-python", "tests", "python")
TIMEOUT_S = 10
HASH_SEEDS = ("0", "4242")
SUFFIXES = (".out", ".err", ".status")


def corpus_programs(selection):
    """The programs' paths relative to CORPUS, sorted; `selection` narrows them to topics or
    single programs (relative paths) when it is not empty."""
    programs = []
    for topic in sorted(os.listdir(CORPUS)):
        tdir = os.path.join(CORPUS, topic)
        if not os.path.isdir(tdir):
            continue
        for name in sorted(os.listdir(tdir)):
            if name.endswith(".py"):
                programs.append(topic + "/" + name)
    if selection:
        wanted = [s.rstrip("/") for s in selection]
        programs = [p for p in programs if p in wanted or p.split("/")[0] in wanted]
    return programs


def run_program(python, rel, hash_seed):
    """Runs one program the conventional way; returns (stdout, stderr, status) as bytes,
    bytes, int."""
    base = os.path.join(CORPUS, rel[:-3])
    args = []
    if os.path.exists(base + ".args"):
        with open(base + ".args", encoding="utf-8") as f:
            args = [line.rstrip("\n") for line in f if line.rstrip("\n") != ""]
    env = {
        "PATH": "/usr/bin:/bin",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONHASHSEED": hash_seed,
    }
    stdin = subprocess.DEVNULL
    if os.path.exists(base + ".in"):
        stdin = open(base + ".in", "rb")
    try:
        proc = subprocess.run(
            [python, rel] + args,
            cwd=CORPUS,
            env=env,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT_S,
        )
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    return proc.stdout, normalize_paths(proc.stderr), proc.returncode


def normalize_paths(stderr):
    """Traceback paths relative to the corpus root, as given on the command line."""
    return stderr.replace(('File "' + CORPUS + "/").encode(), b'File "')


def expected_files(result):
    """The three expectation files' contents for a run's result."""
    out, err, status = result
    return {".out": out, ".err": err, ".status": ("%d\n" % status).encode()}


def main(argv):
    check = False
    python = "/usr/bin/python3"
    selection = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--check":
            check = True
        elif a == "--python":
            i += 1
            python = argv[i]
        elif a.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            selection.append(a)
        i += 1
    version = subprocess.run([python, "--version"], stdout=subprocess.PIPE, text=True).stdout
    if not version.startswith("Python 3.11."):
        print("%s is %r, not CPython 3.11" % (python, version.strip()), file=sys.stderr)
        return 2

    programs = corpus_programs(selection)
    if not programs:
        print("no programs selected", file=sys.stderr)
        return 1
    problems = []
    written = 0
    for rel in programs:
        try:
            first = run_program(python, rel, HASH_SEEDS[0])
            second = run_program(python, rel, HASH_SEEDS[1])
        except subprocess.TimeoutExpired:
            problems.append("%s: runs longer than %d s" % (rel, TIMEOUT_S))
            continue
        if first != second:
            problems.append("%s: output depends on the string-hash seed" % rel)
            continue
        if first[2] < 0:
            problems.append("%s: killed by signal %d" % (rel, -first[2]))
            continue
        base = os.path.join(CORPUS, rel[:-3])
        for suffix, data in expected_files(first).items():
            path = base + suffix
            if check:
                try:
                    with open(path, "rb") as f:
                        old = f.read()
                except FileNotFoundError:
                    problems.append("%s: missing" % os.path.relpath(path, CORPUS))
                    continue
                if old != data:
                    problems.append("%s: differs from CPython's" % os.path.relpath(path, CORPUS))
            else:
                with open(path, "wb") as f:
                    f.write(data)
                written += 1
    # Expectation files whose program is gone.
    if not selection:
        for topic in sorted(os.listdir(CORPUS)):
            tdir = os.path.join(CORPUS, topic)
            if not os.path.isdir(tdir):
                continue
            for name in sorted(os.listdir(tdir)):
                stem, ext = os.path.splitext(name)
                if ext in SUFFIXES + (".in", ".args") and not os.path.exists(
                    os.path.join(tdir, stem + ".py")
                ):
                    problems.append("%s/%s: no program %s.py" % (topic, name, stem))
    for p in problems:
        print(p, file=sys.stderr)
    verb = "checked" if check else "wrote expectations of"
    print("%s %d programs (%d files written), %d problems" % (verb, len(programs), written,
                                                              len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
