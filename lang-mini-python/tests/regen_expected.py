#!/usr/bin/python3
"""Regenerates the CPython-produced expected files of lang-mini-python's front-end tests.

  syntax_errors/NAME.py -> NAME.err : the whole stderr of `python3 /abs/path/NAME.py`
      (a SyntaxError report), with the directory prefix of the path removed so the file
      does not depend on where the repository lives (the test removes it the same way).
  scopes/NAME.py -> NAME.scopes : every scope of the program as CPython's `symtable` module
      classifies its names (local, cell, free, global_explicit, global_implicit; params),
      in the format of `SymbolTable::dump` in src/symtable.rs.

Usage: /usr/bin/python3 lang-mini-python/tests/regen_expected.py [syntax|scopes]  (both when
omitted). The reference is Debian 12's CPython 3.11.2 (`/usr/bin/python3`, as for the
conformance corpus): other 3.11 releases differ in a few carets (3.11.7 points elsewhere
for "iterable argument unpacking follows keyword argument unpacking"). The test
`expectations_are_cpythons_own` re-runs /usr/bin/python3 on every snippet.
"""

import os
import subprocess
import symtable
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCOPE_NAMES = {1: "local", 2: "global_explicit", 3: "global_implicit", 4: "free", 5: "cell"}


def regen_syntax():
    d = os.path.join(HERE, "syntax_errors")
    for name in sorted(os.listdir(d)):
        if not name.endswith(".py"):
            continue
        path = os.path.join(d, name)
        r = subprocess.run([sys.executable, path], capture_output=True, cwd=d,
                           env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"})
        if r.returncode != 1:
            sys.exit(f"{name}: expected exit status 1, got {r.returncode}")
        err = r.stderr.decode("utf-8").replace(d + "/", "")
        with open(path[:-3] + ".err", "w") as f:
            f.write(err)


def dump(table, out):
    out.append(f"{table.get_type()} {table.get_name()} line {table.get_lineno()}")
    for sym in sorted(table.get_symbols(), key=lambda s: s.get_name()):
        scope = SCOPE_NAMES[sym._Symbol__scope]
        param = " param" if sym.is_parameter() else ""
        out.append(f"  {sym.get_name()}: {scope}{param}")
    for child in table.get_children():
        dump(child, out)


def regen_scopes():
    d = os.path.join(HERE, "scopes")
    for name in sorted(os.listdir(d)):
        if not name.endswith(".py"):
            continue
        path = os.path.join(d, name)
        with open(path) as f:
            src = f.read()
        out = []
        dump(symtable.symtable(src, name, "exec"), out)
        with open(path[:-3] + ".scopes", "w") as f:
            f.write("\n".join(out) + "\n")


def main():
    if sys.version_info[:2] != (3, 11):
        sys.exit("needs CPython 3.11")
    what = sys.argv[1:] or ["syntax", "scopes"]
    if "syntax" in what:
        regen_syntax()
    if "scopes" in what:
        regen_scopes()


if __name__ == "__main__":
    main()
