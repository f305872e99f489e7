//! Tokenizer and parser unit tests: tokens with their positions, literals, indentation,
//! line joining; the AST shape of every construct (printed as a compact s-expression by
//! `sx`, a printer local to this test), Python's precedence and associativity.

use lang_mini_python::ast::*;
use lang_mini_python::lexer::tokenize;
use lang_mini_python::parser::parse_module;
use lang_mini_python::token::{IntValue, Tok};

/// Token kinds as short strings (`NAME(x)`, `OP(+)`, `INDENT`...).
fn toks(src: &str) -> Vec<String> {
    tokenize(src)
        .expect("tokenizes")
        .into_iter()
        .map(|t| match t.tok {
            Tok::Name(n) => format!("NAME({n})"),
            Tok::Int(v) => format!("INT({v})"),
            Tok::Float(f) => format!("FLOAT({f:?})"),
            Tok::Imaginary => "IMAG".into(),
            Tok::Str(s) => format!("STR({}{})", if s.fstring { "f" } else { "" }, s.body),
            Tok::Op(o) => format!("OP({o})"),
            Tok::Newline => "NEWLINE".into(),
            Tok::Indent => "INDENT".into(),
            Tok::Dedent => "DEDENT".into(),
            Tok::EndMarker => "END".into(),
            Tok::Error => "ERROR".into(),
        })
        .collect()
}

#[test]
fn indentation_makes_indent_and_dedent() {
    let t = toks("if a:\n    b\n    if c:\n        d\ne\n");
    assert_eq!(
        t.join(" "),
        "NAME(if) NAME(a) OP(:) NEWLINE INDENT NAME(b) NEWLINE NAME(if) NAME(c) OP(:) NEWLINE INDENT \
         NAME(d) NEWLINE DEDENT DEDENT NAME(e) NEWLINE END"
    );
    // blank lines, comment lines and a missing final newline
    let t = toks("def f():\n\n    # comment\n    return 1  # trailing\n\n   \n");
    assert_eq!(
        t.join(" "),
        "NAME(def) NAME(f) OP(() OP()) OP(:) NEWLINE INDENT NAME(return) INT(1) NEWLINE DEDENT END"
    );
    let t = toks("while x:\n  y");
    assert_eq!(t.join(" "), "NAME(while) NAME(x) OP(:) NEWLINE INDENT NAME(y) NEWLINE DEDENT END");
}

#[test]
fn brackets_and_backslashes_join_lines() {
    assert_eq!(
        toks("x = (1,\n     2)\n").join(" "),
        "NAME(x) OP(=) OP(() INT(1) OP(,) INT(2) OP()) NEWLINE END"
    );
    assert_eq!(
        toks("x = 1 + \\\n    2\n").join(" "),
        "NAME(x) OP(=) INT(1) OP(+) INT(2) NEWLINE END"
    );
    assert_eq!(toks("d = {\n  'a': [\n 1,\n ],\n}\n").len(), 13);
}

#[test]
fn tokens_have_positions() {
    let t = tokenize("x = 10\n  # c\nif yy:\n    z\n").expect("tokenizes");
    let pos: Vec<(u32, u32, u32)> = t.iter().map(|t| (t.line, t.col, t.end_col)).collect();
    assert_eq!(&pos[..3], &[(1, 0, 1), (1, 2, 3), (1, 4, 6)]);
    let yy = t.iter().find(|t| t.is_name("yy")).expect("yy");
    assert_eq!((yy.line, yy.col, yy.end_col), (3, 3, 5));
    // columns count characters, not bytes
    let t = tokenize("s = 'é' + b\n").expect("tokenizes");
    let b = t.iter().find(|t| t.is_name("b")).expect("b");
    assert_eq!(b.col, 10);
}

#[test]
fn number_literals_are_exact() {
    let t = toks(
        "0xff 0o17 0b1010 1_000_000 0 00 123456789012345678901234567890 0x_FFFF_FFFF_FFFF_FFFF_F\n",
    );
    assert_eq!(
        t[..8].join(" "),
        "INT(255) INT(15) INT(10) INT(1000000) INT(0) INT(0) INT(123456789012345678901234567890) \
         INT(295147905179352825855)"
    );
    let t = toks("1.5 2. .5 1e+00 1E5 1_0.2_5 3.14e-10 1e400\n");
    assert_eq!(
        t[..8].join(" "),
        "FLOAT(1.5) FLOAT(2.0) FLOAT(0.5) FLOAT(1.0) FLOAT(100000.0) FLOAT(10.25) FLOAT(3.14e-10) FLOAT(inf)"
    );
    let Tok::Int(IntValue::Small(v)) = &tokenize("9223372036854775807").expect("ok")[0].tok else {
        panic!()
    };
    assert_eq!(*v, i64::MAX);
    assert!(matches!(
        &tokenize("9223372036854775808").expect("ok")[0].tok,
        Tok::Int(IntValue::Big(_))
    ));
    // a keyword right after a number is allowed, as in CPython
    assert_eq!(
        toks("1if x else 2").join(" "),
        "INT(1) NAME(if) NAME(x) NAME(else) INT(2) NEWLINE END"
    );
}

fn string_value(src: &str) -> String {
    let m = parse_module(src).expect("parses");
    match &m[0].kind {
        StmtKind::Expr(Expr { kind: ExprKind::Constant(Constant::Str(s)), .. }) => s.clone(),
        other => panic!("not a string: {other:?}"),
    }
}

#[test]
fn string_literals_decode_as_python() {
    assert_eq!(
        string_value(r#""a\tb\n\\ \"q\" \x41\u00e9\U0001F600 \101 \z""#),
        "a\tb\n\\ \"q\" Aé😀 A \\z"
    );
    assert_eq!(string_value(r#"r"a\nb\"""#), "a\\nb\\\"");
    assert_eq!(
        string_value("'''line1\nline2 \"x\" ''' \"adj\" 'acent'"),
        "line1\nline2 \"x\" adjacent"
    );
    assert_eq!(string_value("'a\\\nb'"), "ab");
    assert_eq!(string_value("\"\"\"\"\"\""), "");
    assert_eq!(string_value("u'x' R'\\d'"), "x\\d");
}

/// A compact s-expression of an expression.
fn sx(e: &Expr) -> String {
    let list = |v: &[Expr]| v.iter().map(sx).collect::<Vec<_>>().join(" ");
    match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::Constant(c) => match c {
            Constant::None => "None".into(),
            Constant::Bool(b) => (if *b { "True" } else { "False" }).to_string(),
            Constant::Int(v) => v.to_string(),
            Constant::Float(f) => format!("{f:?}"),
            Constant::Str(s) => format!("{s:?}"),
            Constant::Ellipsis => "...".into(),
            Constant::Bytes(b) => lang_mini_python::bytecode::bytes_repr(b),
        },
        ExprKind::JoinedStr(parts) => {
            let ps: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    FPart::Lit(s) => format!("{s:?}"),
                    FPart::Value { value, conversion, spec } => format!(
                        "{{{}{}{}}}",
                        sx(value),
                        conversion.map(|c| format!("!{c}")).unwrap_or_default(),
                        spec.as_ref().map(|s| format!(":{}", s.len())).unwrap_or_default()
                    ),
                })
                .collect();
            format!("(f {})", ps.join(" "))
        }
        ExprKind::BoolOp(op, vs) => {
            format!("({} {})", if *op == BoolOp::And { "and" } else { "or" }, list(vs))
        }
        ExprKind::BinOp(l, op, r) => format!("({op:?} {} {})", sx(l), sx(r)),
        ExprKind::UnaryOp(op, v) => format!("({op:?} {})", sx(v)),
        ExprKind::Compare(l, ops) => {
            let rest: Vec<String> = ops.iter().map(|(o, r)| format!("{o:?} {}", sx(r))).collect();
            format!("(cmp {} {})", sx(l), rest.join(" "))
        }
        ExprKind::Call(f, args, kws) => {
            let k: Vec<String> = kws
                .iter()
                .map(|k| format!("{}={}", k.arg.clone().unwrap_or("**".into()), sx(&k.value)))
                .collect();
            format!("(call {} [{}] [{}])", sx(f), list(args), k.join(" "))
        }
        ExprKind::IfExp(t, b, o) => format!("(if {} {} {})", sx(t), sx(b), sx(o)),
        ExprKind::Lambda(a, b) => format!("(lambda {} {})", params(a), sx(b)),
        ExprKind::Attribute(v, a) => format!("(. {} {a})", sx(v)),
        ExprKind::Subscript(v, i) => format!("([] {} {})", sx(v), sx(i)),
        ExprKind::Slice(a, b, c) => {
            let o = |x: &Option<Box<Expr>>| x.as_ref().map_or("_".to_string(), |e| sx(e));
            format!("(slice {} {} {})", o(a), o(b), o(c))
        }
        ExprKind::Starred(v) => format!("*{}", sx(v)),
        ExprKind::Tuple(v) => format!("(tuple {})", list(v)),
        ExprKind::List(v) => format!("(list {})", list(v)),
        ExprKind::Set(v) => format!("(set {})", list(v)),
        ExprKind::Dict(ks, vs) => {
            let items: Vec<String> = ks
                .iter()
                .zip(vs)
                .map(|(k, v)| match k {
                    Some(k) => format!("{}:{}", sx(k), sx(v)),
                    None => format!("**{}", sx(v)),
                })
                .collect();
            format!("(dict {})", items.join(" "))
        }
        ExprKind::ListComp(e, g) => format!("(listcomp {} {})", sx(e), gens(g)),
        ExprKind::SetComp(e, g) => format!("(setcomp {} {})", sx(e), gens(g)),
        ExprKind::DictComp(k, v, g) => format!("(dictcomp {} {} {})", sx(k), sx(v), gens(g)),
        ExprKind::GeneratorExp(e, g) => format!("(genexp {} {})", sx(e), gens(g)),
        ExprKind::Yield(v) => format!("(yield {})", v.as_ref().map_or("_".into(), |e| sx(e))),
        ExprKind::YieldFrom(v) => format!("(yieldfrom {})", sx(v)),
        ExprKind::NamedExpr(t, v) => format!("(:= {} {})", sx(t), sx(v)),
    }
}

fn gens(g: &[Comprehension]) -> String {
    g.iter()
        .map(|c| {
            let ifs: Vec<String> = c.ifs.iter().map(sx).collect();
            format!(
                "(for {} {}{})",
                sx(&c.target),
                sx(&c.iter),
                ifs.iter().map(|i| format!(" if {i}")).collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn params(a: &Arguments) -> String {
    let mut out = Vec::new();
    let nd = a.args.len() - a.defaults.len();
    for (i, p) in a.args.iter().enumerate() {
        out.push(if i >= nd {
            format!("{}={}", p.name, sx(&a.defaults[i - nd]))
        } else {
            p.name.clone()
        });
    }
    if let Some(v) = &a.vararg {
        out.push(format!("*{}", v.name));
    } else if !a.kwonlyargs.is_empty() {
        out.push("*".into());
    }
    for (p, d) in a.kwonlyargs.iter().zip(&a.kw_defaults) {
        out.push(d.as_ref().map_or(p.name.clone(), |d| format!("{}={}", p.name, sx(d))));
    }
    if let Some(k) = &a.kwarg {
        out.push(format!("**{}", k.name));
    }
    format!("[{}]", out.join(" "))
}

/// The s-expression of the expression statement `src`.
fn expr(src: &str) -> String {
    let m = parse_module(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    match &m[0].kind {
        StmtKind::Expr(e) => sx(e),
        other => panic!("not an expression statement: {other:?}"),
    }
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(expr("1 + 2 * 3 ** -4 ** 5"), "(Add 1 (Mult 2 (Pow 3 (USub (Pow 4 5)))))");
    assert_eq!(expr("a - b - c"), "(Sub (Sub a b) c)");
    assert_eq!(expr("-a ** 2"), "(USub (Pow a 2))");
    assert_eq!(
        expr("a | b ^ c & d << 1 + 2"),
        "(BitOr a (BitXor b (BitAnd c (LShift d (Add 1 2)))))"
    );
    assert_eq!(expr("not a == b and c or d"), "(or (and (Not (cmp a Eq b)) c) d)");
    assert_eq!(
        expr("a < b <= c is not d not in e in f"),
        "(cmp a Lt b LtE c IsNot d NotIn e In f)"
    );
    assert_eq!(expr("x if c else y if d else z"), "(if c x (if d y z))");
    assert_eq!(expr("lambda: 1 if a else 2"), "(lambda [] (if a 1 2))");
    assert_eq!(expr("~x // y % z"), "(Mod (FloorDiv (Invert x) y) z)");
    assert_eq!(expr("a.b(c)[d].e"), "(. ([] (call (. a b) [c] []) d) e)");
}

#[test]
fn displays_comprehensions_and_calls() {
    assert_eq!(expr("(1,)"), "(tuple 1)");
    assert_eq!(expr("()"), "(tuple )");
    assert_eq!(expr("((1))"), "1");
    assert_eq!(expr("[1, *a, 2,]"), "(list 1 *a 2)");
    assert_eq!(expr("{1: 2, **d, 'k': v}"), "(dict 1:2 **d \"k\":v)");
    assert_eq!(expr("{1, 2}"), "(set 1 2)");
    assert_eq!(expr("{}"), "(dict )");
    assert_eq!(
        expr("[x * y for x in a if x for y in b if y if z]"),
        "(listcomp (Mult x y) (for x a if x) (for y b if y if z))"
    );
    assert_eq!(expr("{k: v for k, v in d}"), "(dictcomp k v (for (tuple k v) d))");
    assert_eq!(expr("{x for (x, y), z in p}"), "(setcomp x (for (tuple (tuple x y) z) p))");
    assert_eq!(expr("f(x for x in y)"), "(call f [(genexp x (for x y))] [])");
    assert_eq!(expr("f(a, *b, c=1, **d)"), "(call f [a *b] [c=1 **=d])");
    assert_eq!(expr("f(a,)(b)"), "(call (call f [a] []) [b] [])");
    assert_eq!(expr("a[1:2, ::3]"), "([] a (tuple (slice 1 2 _) (slice _ _ 3)))");
    assert_eq!(expr("a[:]"), "([] a (slice _ _ _))");
    assert_eq!(expr("a[-1]"), "([] a (USub 1))");
    assert_eq!(expr("lambda a, b=1, *c, d, e=2, **f: 0"), "(lambda [a b=1 *c d e=2 **f] 0)");
    assert_eq!(expr("lambda *, k: k"), "(lambda [* k] k)");
    assert_eq!(expr("f'a{b!r:>{w}}c{{d}}'"), "(f \"a\" {b!r:2} \"c{d}\")");
    assert_eq!(expr("'x' f'{1}' 'y'"), "(f \"x\" {1} \"y\")");
    assert_eq!(expr("..."), "...");
    assert_eq!(expr("(n := a + 1)"), "(:= n (Add a 1))");
    assert_eq!(expr("f(x := 1, y)"), "(call f [(:= x 1) y] [])");
    assert_eq!(expr("[y := 2, y]"), "(list (:= y 2) y)");
}

fn stmts(src: &str) -> Vec<Stmt> {
    parse_module(src).unwrap_or_else(|e| panic!("{src}: {e}"))
}

#[test]
fn statements_parse_to_their_nodes() {
    let s = stmts(
        "a, b = b, a\nx[i], x[j] = 1, 2\na = b = 0\nx += 1\nv: int = 5\nw: list\n(y): int = 1\n",
    );
    let StmtKind::Assign(t, v) = &s[0].kind else { panic!() };
    assert_eq!((sx(&t[0]), sx(v)), ("(tuple a b)".into(), "(tuple b a)".into()));
    let StmtKind::Assign(t, _) = &s[2].kind else { panic!() };
    assert_eq!(t.len(), 2);
    assert!(matches!(&s[3].kind, StmtKind::AugAssign(_, BinOp::Add, _)));
    assert!(matches!(&s[4].kind, StmtKind::AnnAssign { simple: true, value: Some(_), .. }));
    assert!(matches!(&s[5].kind, StmtKind::AnnAssign { simple: true, value: None, .. }));
    assert!(matches!(&s[6].kind, StmtKind::AnnAssign { simple: false, .. }));

    let s = stmts(
        "@deco\n@mod.deco(1)\ndef f(a, b=2, *args, c, **kw) -> int:\n    '''doc'''\n    global g\n    return a\n\
         class C(Base, object):\n    x = 1\n    def m(self): pass\n",
    );
    let StmtKind::FunctionDef(f) = &s[0].kind else { panic!() };
    assert_eq!(
        (f.decorators.len(), params(&f.args), f.body.len()),
        (2, "[a b=2 *args c **kw]".into(), 3)
    );
    assert_eq!(s[0].pos.line, 3, "a decorated def is at its 'def' line");
    let StmtKind::ClassDef(c) = &s[1].kind else { panic!() };
    assert_eq!((c.name.as_str(), c.bases.len(), c.body.len()), ("C", 2, 2));

    let s = stmts(
        "try:\n    a\nexcept (E, F) as e:\n    b\nexcept G:\n    c\nexcept:\n    d\nelse:\n    e\nfinally:\n    f\n",
    );
    let StmtKind::Try(body, handlers, orelse, fin) = &s[0].kind else { panic!() };
    assert_eq!((body.len(), handlers.len(), orelse.len(), fin.len()), (1, 3, 1, 1));
    assert_eq!(handlers[0].name.as_deref(), Some("e"));
    assert!(handlers[2].typ.is_none());

    let s = stmts("with a as (x, y), b:\n    pass\nwith (c as d, e):\n    pass\n");
    let StmtKind::With(items, _) = &s[0].kind else { panic!() };
    assert_eq!(items.len(), 2);
    let StmtKind::With(items, _) = &s[1].kind else { panic!() };
    assert_eq!(items.len(), 2);

    let s = stmts("for (x, y), z in p:\n    break\nelse:\n    pass\nwhile 1:\n    continue\n");
    assert!(matches!(&s[0].kind, StmtKind::For(_, _, _, orelse) if orelse.len() == 1));

    let s = stmts(
        "def g():\n    x = yield\n    y = yield 1, 2\n    yield from z\n    nonlocal_ = (yield)\n",
    );
    let StmtKind::FunctionDef(g) = &s[0].kind else { panic!() };
    let StmtKind::Assign(_, v) = &g.body[1].kind else { panic!() };
    assert_eq!(sx(v), "(yield (tuple 1 2))");

    let s = stmts("del a, b[0], c.d\nassert x, 'm'\nraise E from e\nraise\nimport m as n, k\nfrom m import (a as b, c,)\nx = 1; y = 2;\n");
    assert_eq!(s.len(), 8);
    assert!(matches!(&s[0].kind, StmtKind::Delete(t) if t.len() == 3));
    assert!(matches!(&s[5].kind, StmtKind::ImportFrom(m, a) if m == "m" && a.len() == 2));
    let s = stmts("if a: b\nelif c: d\nelse: e\n");
    let StmtKind::If(_, _, orelse) = &s[0].kind else { panic!() };
    assert!(matches!(&orelse[0].kind, StmtKind::If(..)));
}

#[test]
fn expression_spans_are_cpythons() {
    let s = stmts("x = foo(a,\n        b) + 1\n");
    let StmtKind::Assign(_, v) = &s[0].kind else { panic!() };
    assert_eq!((v.pos.line, v.pos.col, v.pos.end_line, v.pos.end_col), (1, 4, 2, 14));
    let StmtKind::Assign(t, _) = &s[0].kind else { panic!() };
    assert_eq!((t[0].pos.col, t[0].pos.end_col), (0, 1));
}
