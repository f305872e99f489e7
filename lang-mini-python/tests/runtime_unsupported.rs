//! What mini-Python leaves out at run time gets a clear guest error naming it
//! (`NotImplementedError: mini-Python does not implement ... yet`), never a wrong answer:
//! each snippet here is valid Python whose CPython result the interpreter would otherwise
//! get wrong. Run in translated mode (the interpreter's code is the same in every mode;
//! the conformance corpus compares the modes).

use lang_mini_python::compile_source;
use lang_mini_python::host::{Interpreter, Mode, RunInput};

const CASES: &[(&str, &str)] = &[
    // A value subclass may define only the special methods valueoverrides.rpy honours.
    (
        "class I(int):\n    def __neg__(self):\n        return 0\n",
        "defining __neg__ in a subclass of 'int'",
    ),
    (
        "class S(str):\n    def __format__(self, spec):\n        return ''\n",
        "defining __format__ in a subclass of 'str'",
    ),
    (
        "class S(str):\n    def __call__(self):\n        return 0\n",
        "defining __call__ in a subclass of 'str'",
    ),
    ("class I(int):\n    pass\nI(2 ** 70)\n", "an instance of a subclass of 'int' beyond 64 bits"),
    // The same for float/tuple/set/frozenset subclasses, and for a mixin before the base.
    (
        "class T(tuple):\n    def __invert__(self):\n        return 0\n",
        "defining __invert__ in a subclass of 'tuple'",
    ),
    (
        "class S(frozenset):\n    def __index__(self):\n        return 0\n",
        "defining __index__ in a subclass of 'frozenset'",
    ),
    (
        "class M:\n    def __round__(self):\n        return 0\nclass F(M, float):\n    pass\n",
        "defining __round__ in a subclass of 'float'",
    ),
    // Unicode identifier classes are not tabled.
    ("print('\\u00e9t\\u00e9'.isidentifier())\n", "str.isidentifier of non-ASCII text"),
    // The builtins left out are bound, and fail closed when called (builtinsrest.rpy).
    ("print(eval('1 + 1'))\n", "eval()"),
    ("f = open('x.txt')\n", "open() (files)"),
    ("print(dir(42))\n", "dir() of a 'int' object (its exact list of CPython's attributes)"),
    (
        "class L(list):\n    pass\nprint(dir(L))\n",
        "dir() of a 'type' object (its exact list of CPython's attributes)",
    ),
    ("import math\nprint(dir(math))\n", "dir() of a 'module' object (its exact list of CPython's attributes)"),
    ("print(bytearray(b'a'))\n", "bytearray"),
    ("print(b'%d' % 5)\n", "%-formatting of bytes"),
    ("print(b'ab'.center(6))\n", "this bytes method (only the common ones are done)"),
    ("print('a'.encode('utf-16'))\n", "the codec 'utf-16'"),
    ("print(complex(1, 2))\n", "complex numbers"),
    (
        "raise OSError(2, 'No such file')\n",
        "OSError with more than one argument (errno, strerror, filename)",
    ),
    // namedtuple (namedtuples.rpy): identifiers outside ASCII are not checked.
    (
        "from collections import namedtuple\nnamedtuple('P', 'x \u{e9}t\u{e9}')\n",
        "namedtuple field names outside ASCII",
    ),
    (
        "from collections import namedtuple\nclass P(namedtuple('P', 'x')):\n    def __len__(self):\n        return 0\n",
        "__bool__ or __len__ in a subclass of a namedtuple",
    ),
    // Namespace dicts (typecall.rpy): what is not written through, and what needs a frame.
    ("print(vars(int))\n", "the __dict__ of the class 'int' (a builtin type, or one deriving from one)"),
    (
        "class E(Exception):\n    pass\nprint(E.__dict__)\n",
        "the __dict__ of the class 'E' (a builtin type, or one deriving from one)",
    ),
    ("print(len(globals(*[])))\n", "globals() called indirectly"),
    (
        "class C:\n    pass\nc = C()\nc.a = 1\nvars(c).pop('a')\n",
        "this method on a namespace's dict (vars(), locals(), globals())",
    ),
];

#[test]
fn runtime_gaps_are_named() {
    for (src, what) in CASES {
        let code = compile_source(src, "x.py").expect(src);
        let argv = vec!["x.py".to_string()];
        let input = RunInput {
            code: &code,
            filename: "x.py",
            source: src,
            argv: &argv,
            capture_stderr: true,
        };
        let out = Interpreter::get().run(&input, Mode::Translated).expect(src);
        assert_eq!(out.status, 1, "{src}");
        let last = out.stderr.lines().last().unwrap_or_default().to_string();
        assert_eq!(
            last,
            format!("NotImplementedError: mini-Python does not implement {what} yet"),
            "{src}"
        );
    }
}
