//! Constructs outside mini-Python's subset get a clear error naming the construct, at its
//! line, in CPython's report format (never a wrong answer, never a panic).

use lang_mini_python::{compile_source, ErrorKind};

const CASES: &[(&str, u32, &str)] = &[
    ("async def f():\n    pass\n", 1, "'async'"),
    ("def f():\n    return await g()\n", 2, "'await'"),
    ("match x:\n    case 1:\n        pass\n", 1, "the 'match' statement"),
    ("a = b @ c\n", 1, "the matrix multiplication operator '@'"),
    ("z = 1 + 2j\n", 1, "an imaginary (complex) literal"),
    ("import os.path\n", 1, "a dotted module name in 'import'"),
    ("from . import x\n", 1, "a relative import"),
    ("from math import *\n", 1, "'from ... import *'"),
    ("def f(a, /, b):\n    pass\n", 1, "positional-only parameters ('/')"),
    (
        "class C(metaclass=M):\n    pass\n",
        1,
        "a keyword argument in a class definition (metaclass=...)",
    ),
    ("try:\n    pass\nexcept* ValueError:\n    pass\n", 3, "'except*'"),
    ("x = 1\nprint(f\"{x=}\")\n", 2, "the f-string '=' specifier"),
    ("s = \"\\N{BULLET}\"\n", 1, "the '\\N{...}' escape"),
    ("class C(*bases):\n    pass\n", 1, "a starred base class"),
    ("a @= b\n", 1, "the matrix multiplication operator '@'"),
];

#[test]
fn unsupported_constructs_are_named() {
    for (src, line, what) in CASES {
        let err = compile_source(src, "x.py").expect_err(src);
        assert_eq!(err.kind, ErrorKind::Syntax, "{src}");
        assert_eq!(err.line, *line, "{src}: {}", err.msg);
        assert_eq!(err.msg, format!("{what} is not supported by mini-Python"), "{src}");
        let report = err.render("x.py");
        assert!(report.starts_with(&format!("  File \"x.py\", line {line}\n")), "{report}");
        assert!(
            report.ends_with(&format!("SyntaxError: {what} is not supported by mini-Python\n")),
            "{report}"
        );
    }
}
