//! Parser tests: expression shapes and spans, statements, items, and error messages.

use super::*;

/// The realistic snippet from the language description.
const SNIPPET: &str = r#"struct Obj:
    pass
struct IntObj(Obj) immutable:
    value: int

const PUSH = 2
const NAMES: frozen[int] = [1, 2, 3]

def add(a: Obj, b: Obj) -> Obj:
    hint(a, promote_class=True)
    if a isa IntObj and b isa IntObj:
        return IntObj(value = (a as IntObj).value + (b as IntObj).value)
    return None

def run(code: str, pc: int, stack: array[Obj]) -> Obj:
    hint(code, deepfreeze=True)
    sp = 0
    while pc < len(code):
        hint(None, global_merge_point=True)
        op = hint(ord(code[pc]), concrete=True)
        pc += 1
        if op == PUSH:
            stack[sp] = IntObj(value = ord(code[pc])); sp += 1; pc += 1
        elif op == 3:
            sp -= 1; stack[sp - 1] = add(stack[sp - 1], stack[sp])
        else:
            break
    f: fn(int) -> int = None
    return stack[sp - 1] if sp > 0 else None
"#;

fn ty_str(t: &TypeExpr) -> String {
    match t {
        TypeExpr::Name(n, _) => n.clone(),
        TypeExpr::Array { elem, immutable, .. } => {
            format!("{}[{}]", if *immutable { "frozen" } else { "array" }, ty_str(elem))
        }
        TypeExpr::Func { params, ret, .. } => {
            let params: Vec<String> = params.iter().map(ty_str).collect();
            let ret = ret.as_ref().map_or(String::new(), |r| format!(" -> {}", ty_str(r)));
            format!("fn({}){ret}", params.join(", "))
        }
        TypeExpr::Generic { name, args, .. } => {
            let args: Vec<String> = args.iter().map(ty_str).collect();
            format!("{name}[{}]", args.join(", "))
        }
        TypeExpr::Tuple { elems, .. } => {
            format!("tuple[{}]", elems.iter().map(ty_str).collect::<Vec<_>>().join(", "))
        }
    }
}

/// An S-expression showing the shape of an expression.
fn sexp(e: &Expr) -> String {
    let list = |items: &[Expr]| items.iter().map(sexp).collect::<Vec<_>>().join(" ");
    match &e.kind {
        ExprKind::Int(v) => v.to_string(),
        ExprKind::Float(f) => format!("{f:?}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Char(c) => format!("{c:?}"),
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::None => "None".to_string(),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), sexp(a), sexp(b)),
        ExprKind::Unary(op, a) => format!("({op:?} {})", sexp(a)),
        ExprKind::Call { callee, args, kwargs } => {
            let kw: String = kwargs.iter().map(|(k, v, _)| format!(" {k}={}", sexp(v))).collect();
            let args = if args.is_empty() { String::new() } else { format!(" {}", list(args)) };
            format!("(call {}{args}{kw})", sexp(callee))
        }
        ExprKind::Field(a, f) => format!("(. {} {f})", sexp(a)),
        ExprKind::Index(a, i) => format!("([] {} {})", sexp(a), sexp(i)),
        ExprKind::Slice { base, start, stop, step, has_step } => {
            let part = |p: &Option<Box<Expr>>| p.as_ref().map_or("_".to_string(), |e| sexp(e));
            let step = if *has_step { format!(" {}", part(step)) } else { String::new() };
            format!("([:] {} {} {}{step})", sexp(base), part(start), part(stop))
        }
        ExprKind::IsA(a, t) => format!("(isa {} {})", sexp(a), ty_str(t)),
        ExprKind::As(a, t) => format!("(as {} {})", sexp(a), ty_str(t)),
        ExprKind::ArrayType(t) => ty_str(t),
        ExprKind::ArrayLit(items) => format!("[{}]", list(items)),
        ExprKind::IfElse { cond, then, orelse } => {
            format!("(if {} {} {})", sexp(cond), sexp(then), sexp(orelse))
        }
        ExprKind::DictLit(pairs) => {
            let pairs: Vec<String> =
                pairs.iter().map(|(k, v)| format!("{}:{}", sexp(k), sexp(v))).collect();
            format!("{{{}}}", pairs.join(" "))
        }
        ExprKind::Tuple(items) => format!("(tuple {})", list(items)),
        ExprKind::Compare { first, rest } => {
            let rest: String =
                rest.iter().map(|(op, _, e)| format!(" {} {}", op.symbol(), sexp(e))).collect();
            format!("(chain {}{rest})", sexp(first))
        }
    }
}

/// One line per statement, nested blocks indented by two more spaces.
fn stmts_str(out: &mut String, stmts: &[Stmt], indent: usize) {
    let pad = " ".repeat(indent);
    for s in stmts {
        let line = match &s.kind {
            StmtKind::Expr(e) => sexp(e),
            StmtKind::Assign { target, ty, value } => {
                let ty = ty.as_ref().map_or(String::new(), |t| format!(": {}", ty_str(t)));
                format!("{}{ty} = {}", sexp(target), sexp(value))
            }
            StmtKind::AugAssign { target, op, value } => {
                format!("{} {}= {}", sexp(target), op.symbol(), sexp(value))
            }
            StmtKind::If { cond, .. } => format!("if {}", sexp(cond)),
            StmtKind::While { cond, .. } => format!("while {}", sexp(cond)),
            StmtKind::Break => "break".to_string(),
            StmtKind::Continue => "continue".to_string(),
            StmtKind::Return(None) => "return".to_string(),
            StmtKind::Return(Some(e)) => format!("return {}", sexp(e)),
            StmtKind::Pass => "pass".to_string(),
            StmtKind::For { target, iter, .. } => format!("for {} in {}", sexp(target), sexp(iter)),
            StmtKind::Raise(None) => "raise".to_string(),
            StmtKind::Raise(Some(e)) => format!("raise {}", sexp(e)),
            StmtKind::Try(_) => "try".to_string(),
        };
        out.push_str(&format!("{pad}{line}\n"));
        match &s.kind {
            StmtKind::If { then, orelse, .. } => {
                stmts_str(out, then, indent + 2);
                if !orelse.is_empty() {
                    out.push_str(&format!("{pad}else\n"));
                    stmts_str(out, orelse, indent + 2);
                }
            }
            StmtKind::While { body, .. } => stmts_str(out, body, indent + 2),
            StmtKind::For { body, orelse, .. } => {
                stmts_str(out, body, indent + 2);
                if !orelse.is_empty() {
                    out.push_str(&format!("{pad}else\n"));
                    stmts_str(out, orelse, indent + 2);
                }
            }
            _ => {}
        }
    }
}

/// The whole module, one line per item header, field and statement.
fn module_str(m: &Module) -> String {
    let mut out = String::new();
    for item in &m.items {
        match item {
            Item::Struct(s) => {
                let parent = s.parent.as_ref().map_or(String::new(), |(p, _)| format!("({p})"));
                let immutable = if s.immutable { " immutable" } else { "" };
                out.push_str(&format!("struct {}{parent}{immutable}\n", s.name));
                for (name, ty, _) in &s.fields {
                    out.push_str(&format!("  {name}: {}\n", ty_str(ty)));
                }
                for f in &s.methods {
                    let params: Vec<String> =
                        f.params.iter().map(|(n, t, _)| format!("{n}: {}", ty_str(t))).collect();
                    let ret =
                        f.ret.as_ref().map_or(String::new(), |t| format!(" -> {}", ty_str(t)));
                    out.push_str(&format!("  def {}({}){ret}\n", f.name, params.join(", ")));
                    stmts_str(&mut out, &f.body, 4);
                }
            }
            Item::Func(f) => {
                let params: Vec<String> =
                    f.params.iter().map(|(n, t, _)| format!("{n}: {}", ty_str(t))).collect();
                let ret = f.ret.as_ref().map_or(String::new(), |t| format!(" -> {}", ty_str(t)));
                out.push_str(&format!("def {}({}){ret}\n", f.name, params.join(", ")));
                stmts_str(&mut out, &f.body, 2);
            }
            Item::Const(c) => {
                let ty = c.ty.as_ref().map_or(String::new(), |t| format!(": {}", ty_str(t)));
                out.push_str(&format!("const {}{ty} = {}\n", c.name, sexp(&c.value)));
            }
        }
    }
    out
}

fn module(text: &str) -> Module {
    match parse(text, 0) {
        Ok(m) => m,
        Err(e) => panic!("parse failed: {}", e[0]),
    }
}

/// The body of `def f():` followed by `text`, printed with [`stmts_str`].
fn body(text: &str) -> String {
    let printed = module_str(&module(&format!("def f():\n{text}")));
    let lines: Vec<&str> = printed.lines().skip(1).map(|l| &l[2..]).collect();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The expression statement `text`, inside a function.
fn expr(text: &str) -> Expr {
    let Item::Func(f) = module(&format!("def f():\n    {text}\n")).items.remove(0) else {
        panic!("not a function")
    };
    match f.body.into_iter().next().map(|s| s.kind) {
        Some(StmtKind::Expr(e)) => e,
        other => panic!("not an expression statement: {other:?}"),
    }
}

fn shape(text: &str) -> String {
    sexp(&expr(text))
}

/// `line:col: message` of the (single) error.
fn err(text: &str) -> String {
    let errors = parse(text, 0).expect_err("should fail");
    assert_eq!(errors.len(), 1);
    format!("{}:{}: {}", errors[0].span.line, errors[0].span.col, errors[0].message)
}

fn at(line: u32, col: u32) -> Span {
    Span::new(0, line, col)
}

#[test]
fn arithmetic_and_bitwise_precedence() {
    assert_eq!(shape("a + b * c - d"), "(- (+ a (* b c)) d)");
    assert_eq!(shape("a // b % c / d"), "(/ (% (// a b) c) d)");
    assert_eq!(shape("a | b ^ c & d << e + f"), "(| a (^ b (& c (<< d (+ e f)))))");
    assert_eq!(shape("a * b + c & d ^ e | f"), "(| (^ (& (+ (* a b) c) d) e) f)");
    assert_eq!(shape("-a * ~b"), "(* (Neg a) (Invert b))");
    assert_eq!(shape("(a + b) * c"), "(* (+ a b) c)");
    assert_eq!(shape("a >> 1 >> 2"), "(>> (>> a 1) 2)");
}

#[test]
fn boolean_and_comparison_precedence() {
    assert_eq!(shape("not a == b and c or d"), "(or (and (Not (== a b)) c) d)");
    assert_eq!(shape("a < b + 1 or not not c"), "(or (< a (+ b 1)) (Not (Not c)))");
    assert_eq!(shape("a or b and c or d"), "(or (or a (and b c)) d)");
    assert_eq!(shape("x is not None and y is z"), "(and (is not x None) (is y z))");
    assert_eq!(shape("(a <= b) != (c >= d)"), "(!= (<= a b) (>= c d))");
    let e = "x isa IntObj and (x as IntObj).v > 0";
    assert_eq!(shape(e), "(and (isa x IntObj) (> (. (as x IntObj) v) 0))");
    assert_eq!(shape("a | b != c & d"), "(!= (| a b) (& c d))");
    assert_eq!(shape("x as array[int]"), "(as x array[int])");
}

#[test]
fn conditional_expression() {
    assert_eq!(shape("a if c else b"), "(if c a b)");
    let e = "a or b if c and d else e if f else g";
    assert_eq!(shape(e), "(if (and c d) (or a b) (if f e g))");
    assert_eq!(expr("a if c else b").span, at(2, 7));
}

#[test]
fn postfix_calls_fields_and_indexing() {
    assert_eq!(shape("f(a, b + 1, k=v, m = 2,)"), "(call f a (+ b 1) k=v m=2)");
    assert_eq!(shape("a.b.c[i][j](x)(y)"), "(call (call ([] ([] (. (. a b) c) i) j) x) y)");
    assert_eq!(shape("-a.b[0]"), "(Neg ([] (. a b) 0))");
    assert_eq!(shape("f()"), "(call f)");
    assert_eq!(shape("f(g(x)[0], k=h(y=1))"), "(call f ([] (call g x) 0) k=(call h y=1))");
    assert_eq!(shape("array[int](10)"), "(call array[int] 10)");
    assert_eq!(shape("frozen[array[char]](n)"), "(call frozen[array[char]] n)");
}

#[test]
fn literals_and_negative_folding() {
    assert_eq!(shape("[1, 0x10, 0b11, 1_000, ]"), "[1 16 3 1000]");
    assert_eq!(shape("[]"), "[]");
    let e = "[1.5, 2e10, 'a', \"hi\\n\", True, False, None]";
    assert_eq!(shape(e), "[1.5 20000000000.0 'a' \"hi\\n\" true false None]");
    assert_eq!(expr("-9223372036854775808").kind, ExprKind::Int(i64::MIN));
    assert_eq!(expr("9223372036854775807").kind, ExprKind::Int(i64::MAX));
    assert_eq!(shape("-5 - -1.5"), "(- -5 -1.5)");
    assert_eq!(shape("--5"), "(Neg -5)");
    assert_eq!(shape("-5 .bit"), "(Neg (. 5 bit))");
    assert_eq!(expr("-5").span, at(2, 5));
    let too_large = |text: &str| err(&format!("def f():\n    x = {text}\n"));
    assert_eq!(too_large("9223372036854775808"), "2:9: integer literal too large");
    assert_eq!(too_large("-(9223372036854775808)"), "2:11: integer literal too large");
    assert_eq!(too_large("-9223372036854775809"), "2:10: integer literal too large");
    assert_eq!(too_large("0xffffffffffffffff"), "2:9: integer literal too large");
}

#[test]
fn expression_spans() {
    // `    a.b[i] + f(x).y`: `.` at 6, `[` at 8, `+` at 12, call at `f` (14), `.y` at 18.
    let e = expr("a.b[i] + f(x).y");
    assert_eq!(e.span, at(2, 12));
    let ExprKind::Binary(_, lhs, rhs) = &e.kind else { panic!("not binary") };
    assert_eq!(lhs.span, at(2, 8));
    let ExprKind::Index(field, _) = &lhs.kind else { panic!("not index") };
    assert_eq!(field.span, at(2, 6));
    let ExprKind::Field(call, _) = &rhs.kind else { panic!("not field") };
    assert_eq!((rhs.span, call.span), (at(2, 18), at(2, 14)));
    let ExprKind::Call { kwargs, .. } = expr("g(1, key=2)").kind else { panic!("not call") };
    assert_eq!(kwargs[0].2, at(2, 10));
    assert_eq!(expr("(a as T)").span, at(2, 8));
    assert_eq!(expr("x is not y").span, at(2, 7));
    assert_eq!(expr("[1]").span, at(2, 5));
    assert_eq!(expr("array[int]").span, at(2, 5));
    assert_eq!(expr("not x").span, at(2, 5));
}

#[test]
fn all_statement_kinds() {
    let text = "    x = 1\n    y: array[int] = array[int](3)\n    o.f = 2\n    a[i] = 3\n    \
                    x += 1; x -= 1; x *= 2; x /= 2; x //= 2; x %= 2\n    \
                    x &= 1; x |= 1; x ^= 1; x <<= 1; x >>= 1\n    print_int(x)\n    \
                    while x:\n        break\n    continue\n    pass\n    return\n    return x\n";
    let expect = "x = 1\ny: array[int] = (call array[int] 3)\n(. o f) = 2\n([] a i) = 3\n\
                      x += 1\nx -= 1\nx *= 2\nx /= 2\nx //= 2\nx %= 2\n\
                      x &= 1\nx |= 1\nx ^= 1\nx <<= 1\nx >>= 1\n(call print_int x)\n\
                      while x\n  break\ncontinue\npass\nreturn\nreturn x\n";
    assert_eq!(body(text), expect);
    let Item::Func(f) = &module(&format!("def f():\n{text}")).items[0] else { panic!() };
    let spans: Vec<Span> = f.body.iter().map(|s| s.span).collect();
    assert_eq!(spans[..6], [at(2, 5), at(3, 5), at(4, 5), at(5, 5), at(6, 5), at(6, 13)]);
}

#[test]
fn if_elif_else_chains_nest() {
    let text =
        "    if a:\n        x = 1\n    elif b:\n        x = 2\n    elif c:\n        pass\n    \
                    else:\n        x = 3\n    if d:\n        pass\n";
    let expect = "if a\n  x = 1\nelse\n  if b\n    x = 2\n  else\n    if c\n      pass\n    \
                      else\n      x = 3\nif d\n  pass\n";
    assert_eq!(body(text), expect);
    let Item::Func(f) = &module(&format!("def f():\n{text}")).items[0] else { panic!() };
    let StmtKind::If { orelse, .. } = &f.body[0].kind else { panic!("not an if") };
    assert_eq!((f.body[0].span, orelse[0].span), (at(2, 5), at(4, 5)));
}

#[test]
fn single_line_blocks_and_semicolons() {
    let text = "    if x: return 1\n    elif y: a = 1; b = 2;\n    else: pass\n    \
                    while z: z -= 1\n    a = 1; f(a)\n";
    let expect = "if x\n  return 1\nelse\n  if y\n    a = 1\n    b = 2\n  else\n    pass\n\
                      while z\n  z -= 1\na = 1\n(call f a)\n";
    assert_eq!(body(text), expect);
}

#[test]
fn items_and_types() {
    let text = "\
struct A: pass
struct B(A) immutable:
    x: int
    ys: frozen[A]
def f(a: int, g: fn(int, float) -> bool, h: fn(), s: array[array[str]],) -> void:
    pass
def p(): return
const K = -1
const L: frozen[int] = [1, 2]
const M = B(x=1, ys=None)
";
    let expect = "\
struct A
struct B(A) immutable
  x: int
  ys: frozen[A]
def f(a: int, g: fn(int, float) -> bool, h: fn(), s: array[array[str]]) -> void
  pass
def p()
  return
const K = -1
const L: frozen[int] = [1 2]
const M = (call B x=1 ys=None)
";
    let m = module(text);
    assert_eq!(module_str(&m), expect);
    let (Item::Struct(b), Item::Func(f), Item::Const(k)) = (&m.items[1], &m.items[2], &m.items[4])
    else {
        panic!("wrong items")
    };
    assert_eq!(
        (b.span, b.parent.as_ref().map(|p| p.1), b.fields[1].2),
        (at(2, 1), Some(at(2, 10)), at(4, 5))
    );
    assert_eq!((f.span, f.params[1].2, f.params[1].1.span()), (at(5, 1), at(5, 15), at(5, 18)));
    assert_eq!((k.span, k.value.span), (at(8, 1), at(8, 11)));
}

#[test]
fn realistic_snippet_parses() {
    let expect = "\
struct Obj
struct IntObj(Obj) immutable
  value: int
const PUSH = 2
const NAMES: frozen[int] = [1 2 3]
def add(a: Obj, b: Obj) -> Obj
  (call hint a promote_class=true)
  if (and (isa a IntObj) (isa b IntObj))
    return (call IntObj value=(+ (. (as a IntObj) value) (. (as b IntObj) value)))
  return None
def run(code: str, pc: int, stack: array[Obj]) -> Obj
  (call hint code deepfreeze=true)
  sp = 0
  while (< pc (call len code))
    (call hint None global_merge_point=true)
    op = (call hint (call ord ([] code pc)) concrete=true)
    pc += 1
    if (== op PUSH)
      ([] stack sp) = (call IntObj value=(call ord ([] code pc)))
      sp += 1
      pc += 1
    else
      if (== op 3)
        sp -= 1
        ([] stack (- sp 1)) = (call add ([] stack (- sp 1)) ([] stack sp))
      else
        break
  f: fn(int) -> int = None
  return (if (> sp 0) ([] stack (- sp 1)) None)
";
    assert_eq!(module_str(&module(SNIPPET)), expect);
}

#[test]
fn comments_blank_lines_and_line_joining() {
    let text = "# header\n\ndef f(a: int,\n      b: int) -> int:  # trailing\n\n    # inside\n    \
                    x = g(a,\n          b)  # call\n    y = [1,\n  2]\n    return x\n";
    let expect = "def f(a: int, b: int) -> int\n  x = (call g a b)\n  y = [1 2]\n  return x\n";
    assert_eq!(module_str(&module(text)), expect);
}

#[test]
fn item_and_block_errors() {
    let cases = [
        ("x = 1\n", "1:1: expected 'def', 'struct' or 'const' at top level"),
        ("def f()\n    pass\n", "1:8: expected ':', found newline"),
        ("def f():\npass\n", "2:1: expected an indented block"),
        ("def f():\n", "2:1: expected an indented block"),
        ("def f(x: 5):\n    pass\n", "1:10: expected type, found '5'"),
        ("def f():\n    x = 1\n        y = 2\n", "3:9: unexpected indent"),
        ("  def f():\n    pass\n", "1:3: unexpected indent"),
        ("def f():\n    x = 1; if x: pass\n", "2:12: expected expression, found 'if'"),
        ("def f():\n    if x: while y: pass\n", "2:11: expected expression, found 'while'"),
        ("struct S(A:\n    x: int\n", "1:11: expected ')', found ':'"),
        ("struct S:\n    x int\n", "2:7: expected ':', found name 'int'"),
        ("const C: = 1\n", "1:10: expected type, found '='"),
        ("def f(x: int:\n", "1:13: expected ')', found ':'"),
        ("def f():\n    if x:\n        pass\n    else\n", "4:9: expected ':', found newline"),
        ("def f():\n    if x:\n    y = 1\n", "3:5: expected an indented block"),
        (
            "struct S:\n    def f(): pass\n",
            "2:9: method 'f' of 'S' needs 'self' as its first parameter",
        ),
        ("if x:\n    pass\n", "1:1: expected 'def', 'struct' or 'const' at top level"),
        ("def f():\n    x: int\n", "2:11: expected '=', found newline"),
        ("def f() -> :\n    pass\n", "1:12: expected type, found ':'"),
        ("def f(x):\n", "1:8: expected ':', found ')'"),
        ("def f(x: int) -> int\n    return x\n", "1:21: expected ':', found newline"),
    ];
    for (text, expect) in cases {
        assert_eq!(err(text), expect, "for {text:?}");
    }
}

#[test]
fn statement_and_expression_errors() {
    let cases = [
        ("def f():\n    g(1, )\n    h(1, ))\n", "3:11: expected newline, found ')'"),
        ("def f():\n    x = (1 + )\n", "2:14: expected expression, found ')'"),
        ("def f():\n    f(x) = 1\n", "2:5: cannot assign to this expression"),
        ("def f():\n    a + b += 1\n", "2:5: cannot assign to this expression"),
        ("def f():\n    a.b: int = 1\n", "2:5: only a plain name can be declared with a type"),
        ("def f():\n    g(k=1, 2)\n", "2:12: positional argument after keyword argument"),
        ("def f():\n    a == b isa T\n", "2:12: 'isa' and 'as' cannot be chained with comparisons"),
        ("def f():\n    a isa T < b\n", "2:13: 'isa' and 'as' cannot be chained with comparisons"),
        ("def f():\n    return (1\n", "3:1: expected ')', found newline"),
        ("def f():\n    x = [1 2]\n", "2:12: expected ']', found '2'"),
        ("def f():\n    x = a if b\n", "2:15: expected 'else', found newline"),
        ("def f():\n    x = a.1\n", "2:11: expected name, found '1'"),
        ("def f():\n    x = \"s\" \"t\"\n", "2:13: expected newline, found string literal"),
    ];
    for (text, expect) in cases {
        assert_eq!(err(text), expect, "for {text:?}");
    }
}

#[test]
fn lexical_errors_through_parse() {
    let cases = [
        (
            "def f():\n    if x:\n        y\n  z\n",
            "4:3: unindent does not match any outer indentation level",
        ),
        ("def f():\n\tpass\n", "2:1: tabs are not allowed in indentation"),
        ("const S = \"abc\n", "1:11: unterminated string literal"),
        ("const S = \"a\\qc\"\n", "1:13: invalid escape sequence '\\q'"),
        ("const C = 'ab'\n", "1:11: invalid char literal"),
        ("const C = 1 $ 2\n", "1:13: unexpected character '$'"),
    ];
    for (text, expect) in cases {
        assert_eq!(err(text), expect, "for {text:?}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // Runs on a test thread (2 MiB of stack): the limit must fit in it in debug builds.
    let n = MAX_DEPTH as usize - 2;
    let ok = format!("const C = {}1{}\n", "(".repeat(n), ")".repeat(n));
    assert!(parse(&ok, 0).is_ok());
    let chain = format!("const C = 1{}\n", " + 1".repeat(n));
    assert!(parse(&chain, 0).is_ok());
    let chain = format!("const C = 1{}\n", " + 1".repeat(MAX_DEPTH as usize + 1));
    assert!(err(&chain).ends_with("nested too deeply"));
    let fields = format!("const C = x{}\n", ".f[0]".repeat(MAX_DEPTH as usize));
    assert!(err(&fields).ends_with("nested too deeply"));
    let deep = format!("const C = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    assert!(err(&deep).ends_with("nested too deeply"));
    let unary = format!("const C = {}x\n", "-".repeat(5000));
    assert!(err(&unary).ends_with("nested too deeply"));
    let mut blocks = String::from("def f():\n");
    for i in 0..200 {
        blocks.push_str(&format!("{}if x:\n", " ".repeat(i + 1)));
    }
    assert!(err(&blocks).ends_with("nested too deeply"));
    let elifs = |n| -> String {
        let arms: String = (0..n).map(|i| format!("    elif x == {i}:\n        pass\n")).collect();
        format!("def f():\n    if x:\n        pass\n{arms}")
    };
    assert!(parse(&elifs(MAX_ELIFS - 1), 0).is_ok());
    assert!(err(&elifs(MAX_ELIFS)).ends_with("too many 'elif' branches"));
}

#[test]
fn garbage_and_truncated_input_never_panics() {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet: &[u8] = b" \n\t\r:;,.()[]=+-*/%<>!&|^~#'\"\\_0123456789abxeif$\xc3\xa9";
    let words = [
        "def", "if", "elif", "else", "while", "struct", "const", "fn", "array", "isa", "as", "not",
        "is", "->", "    ", "\n",
    ];
    for _ in 0..400 {
        let len = (next() % 60) as usize;
        let mut bytes = Vec::new();
        for _ in 0..len {
            let r = next();
            if r % 3 == 0 {
                bytes.extend_from_slice(words[(r / 3) as usize % words.len()].as_bytes());
            } else {
                bytes.push(alphabet[(r / 3) as usize % alphabet.len()]);
            }
        }
        let _ = parse(&String::from_utf8_lossy(&bytes), 0);
    }
    for cut in (0..=SNIPPET.len()).filter(|&i| SNIPPET.is_char_boundary(i)) {
        let _ = parse(&SNIPPET[..cut], 0);
    }
    for _ in 0..300 {
        let mut bytes = SNIPPET.as_bytes().to_vec();
        for _ in 0..3 {
            let at = (next() as usize) % bytes.len();
            match next() % 3 {
                0 => {
                    bytes.remove(at);
                }
                1 => bytes.insert(at, alphabet[(next() as usize) % alphabet.len()]),
                _ => {
                    let other = (next() as usize) % bytes.len();
                    bytes.swap(at, other);
                }
            }
        }
        let _ = parse(&String::from_utf8_lossy(&bytes), 0);
    }
}

#[test]
fn container_syntax_is_sugar_for_methods() {
    assert_eq!(shape("a in b"), "(call (. b __contains__) a)");
    assert_eq!(shape("a not in b + c"), "(Not (call (. (+ b c) __contains__) a))");
    assert_eq!(shape("{1: a, 2: [b]}"), "{1:a 2:[b]}");
    assert_eq!(shape("{}"), "{}");
    assert_eq!(body("    del d[k + 1]\n"), "(call (. d __delitem__) (+ k 1))\n");
    // `del` is not a keyword: a name otherwise.
    assert_eq!(body("    del = 3\n"), "del = 3\n");
    let m = module("def f(l: list[int], d: dict[str, list[P]]) -> rdict[P, int]:\n    pass\n");
    let Item::Func(f) = &m.items[0] else { panic!("not a function") };
    let tys: Vec<String> = f.params.iter().map(|p| ty_str(&p.1)).collect();
    assert_eq!(tys, ["list[int]", "dict[str, list[P]]"]);
    assert_eq!(ty_str(f.ret.as_ref().unwrap()), "rdict[P, int]");
    // A dict literal may span lines.
    assert_eq!(body("    x = {\n        1: 2,\n    }\n"), "x = {1:2}\n");
}

#[test]
fn container_syntax_errors() {
    assert_eq!(err("def f():\n    del x\n"), "2:9: 'del' takes an item: del container[key]");
    assert_eq!(err("def f():\n    x = {1 2}\n"), "2:12: expected ':', found '2'");
    assert_eq!(err("def f(l: list[]):\n    pass\n"), "1:15: expected type, found ']'");
    assert_eq!(err("def f():\n    x = a not b\n"), "2:11: expected newline, found 'not'");
}

#[test]
fn methods_in_struct_bodies() {
    let m = module(
        "struct P(Q):\n    x: int\n    def get(self, k: int) -> int:\n        return self.x + k\n    y: int\n",
    );
    assert_eq!(
        module_str(&m),
        "struct P(Q)\n  x: int\n  y: int\n  def get(self: P, k: int) -> int\n    return (+ (. self x) k)\n"
    );
    let Item::Struct(s) = &m.items[0] else { panic!("not a struct") };
    assert_eq!(s.methods[0].params[0].2, at(3, 13));
    assert_eq!(s.methods[0].span, at(3, 5));
}

#[test]
fn self_is_only_a_methods_first_parameter() {
    let cases = [
        (
            "struct S:\n    def f(x: int): pass\n",
            "2:11: the first parameter of a method of 'S' must be 'self'",
        ),
        (
            "struct S:\n    def f(self: S): pass\n",
            "2:15: 'self' is typed implicitly: write it without a type",
        ),
        (
            "struct S:\n    def f(self, self): pass\n",
            "2:17: 'self' can only be the first parameter of a method",
        ),
        (
            "def f(self: int): pass\n",
            "1:7: 'self' is only a parameter of methods (a 'def' inside a struct)",
        ),
    ];
    for (text, expect) in cases {
        assert_eq!(err(text), expect, "for {text:?}");
    }
}

#[test]
fn tuples_and_tuple_types() {
    assert_eq!(shape("(a, b + 1)"), "(tuple a (+ b 1))");
    assert_eq!(shape("(a,)"), "(tuple a)");
    assert_eq!(shape("(a)"), "a");
    assert_eq!(shape("f((1, 2), 3)"), "(call f (tuple 1 2) 3)");
    assert_eq!(expr("(a, b)").span, at(2, 5));
    assert_eq!(
        body("    a, b = b, a\n    t: tuple[int, tuple[str, bool]] = x\n    return a, b\n"),
        "(tuple a b) = (tuple b a)\nt: tuple[int, tuple[str, bool]] = x\nreturn (tuple a b)\n"
    );
    assert_eq!(err("def f():\n    a, b + 1 = t\n"), "2:10: only names can be unpacked into");
    assert_eq!(err("def f():\n    x = ()\n"), "2:10: expected expression, found ')'");
}

#[test]
fn for_loops() {
    assert_eq!(
        body("    for i in range(3):\n        continue\n    else:\n        pass\n"),
        "for i in (call range 3)\n  continue\nelse\n  pass\n"
    );
    assert_eq!(body("    for a, b in pairs: pass\n"), "for (tuple a b) in pairs\n  pass\n");
    assert_eq!(err("def f():\n    for x.y in z: pass\n"), "2:10: a loop variable must be a name");
    assert_eq!(err("def f():\n    for x z: pass\n"), "2:11: expected 'in', found name 'z'");
}

#[test]
fn comparison_chains() {
    assert_eq!(shape("a < b <= c"), "(chain a < b <= c)");
    assert_eq!(shape("a == b is not c != d"), "(chain a == b is not c != d)");
    assert_eq!(shape("0 <= x + 1 < n and y"), "(and (chain 0 <= (+ x 1) < n) y)");
    let ExprKind::Compare { rest, .. } = expr("a < b < c").kind else { panic!("not a chain") };
    assert_eq!((rest[0].1, rest[1].1), (at(2, 7), at(2, 11)));
}

#[test]
fn decorators_and_quasi_immutable_fields() {
    let m = module(
        "struct S:\n    a: int quasi\n    b: str\n\n@elidable\n@dont_look_inside\ndef f(x: int) -> int:\n    return x\n\ndef g():\n    pass\n",
    );
    let Item::Struct(s) = &m.items[0] else { panic!("a struct") };
    assert_eq!(s.quasi, vec![("a".to_string(), at(2, 12))]);
    let Item::Func(f) = &m.items[1] else { panic!("a function") };
    let names: Vec<&str> = f.decorators.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["elidable", "dont_look_inside"]);
    assert_eq!(f.decorators[1].1, at(6, 2));
    let Item::Func(g) = &m.items[2] else { panic!("a function") };
    assert!(g.decorators.is_empty());
}

#[test]
fn misplaced_decorators_and_markers() {
    assert_eq!(
        err("@elidable\nconst X = 1\n"),
        "2:1: expected 'def' after a decorator, found 'const'"
    );
    assert_eq!(err("@elidable def f():\n    pass\n"), "1:11: expected newline, found 'def'");
    assert_eq!(err("@1\ndef f():\n    pass\n"), "1:2: expected name, found '1'");
    assert_eq!(err("@elidable\n"), "2:1: expected 'def' after a decorator, found end of file");
    assert_eq!(err("struct S:\n    a: int quasi b\n"), "2:18: expected newline, found name 'b'");
}
