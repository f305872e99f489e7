#!/usr/bin/python3
"""Writes lang-mini-python/src/interp/unicodetables.rpy: the Unicode character tables of
CPython 3.11 (its unicodedata, Unicode 14) that mini-Python's str methods need and no extern
gives: the ranges of `str.isdecimal`, `isnumeric`, `isdigit` and `isprintable` characters and the characters whose
`casefold()` differs from `lower()`. Run with /usr/bin/python3 (CPython 3.11) from the
repository root: scripts/mini_python_str_tables.py
"""

import sys

assert sys.version_info[:2] == (3, 11), "run with CPython 3.11"


def ranges(pred):
    out, start = [], None
    for c in range(sys.maxunicode + 2):
        p = c <= sys.maxunicode and pred(chr(c))
        if p and start is None:
            start = c
        if not p and start is not None:
            out.append((start, c - 1))
            start = None
    return out


def ranges_text(rs):
    return " ".join("%x-%x" % r for r in rs)


def table_function(name, text):
    # A function building the text from pieces of at most 80 characters, one per line.
    words = text.split(" ")
    pieces, cur = [], ""
    for w in words:
        if cur and len(cur) + len(w) + 1 > 80:
            pieces.append(cur)
            cur = ""
        cur += w + " "
    pieces.append(cur)
    lines = ["def %s() -> str:\n" % name, "    b = new_builder()\n"]
    lines += ['    builder_append(b, "%s")\n' % p for p in pieces]
    lines.append("    return builder_build(b)\n")
    return "".join(lines)


fold = []
for c in range(sys.maxunicode + 1):
    ch = chr(c)
    if ch.casefold() != ch.lower():
        fold.append("%x:%s" % (c, ",".join("%x" % ord(x) for x in ch.casefold())))

out = [
    "#! unicodetables.rpy: Unicode tables of CPython 3.11 (Unicode 14) for the str methods of\n",
    "#! strchars.rpy, written by scripts/mini_python_str_tables.py (do not edit by hand).\n",
    "#!\n",
    "#! Each function gives text parsed on first use by `str_tables`: `decimal_ranges`,\n",
    "#! `numeric_ranges`, `digit_ranges` and `printable_ranges` are `lo-hi` pairs of hex code\n",
    "#! points (inclusive, ascending) of the characters `str.isdecimal`/`isnumeric`/`isdigit`/\n",
    "#! `isprintable` accept; `casefold_special` maps each\n",
    "#! character whose `casefold()` is not its `lower()` (`cp:cp,cp`) to its folding.\n",
    "\n",
    table_function("decimal_ranges", ranges_text(ranges(str.isdecimal))),
    "\n",
    table_function("numeric_ranges", ranges_text(ranges(str.isnumeric))),
    "\n",
    table_function("digit_ranges", ranges_text(ranges(str.isdigit))),
    "\n",
    table_function("printable_ranges", ranges_text(ranges(str.isprintable))),
    "\n",
    table_function("casefold_special", " ".join(fold)),
]
path = "lang-mini-python/src/interp/unicodetables.rpy"
with open(path, "w") as f:
    f.write("".join(out))
print("wrote", path)
