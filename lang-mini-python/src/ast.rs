//! The abstract syntax tree, with positions, shaped like CPython's `ast` module.
//!
//! Vocabulary: every `Expr` and `Stmt` has a `Pos` (start line and column, end line and
//! column; columns are 0-based characters, the end exclusive), as CPython's `lineno`,
//! `col_offset`, `end_lineno`, `end_col_offset`. Names follow CPython's node names
//! (`BinOp`, `Compare`, `ListComp`, `Try`, ...) so that its documentation describes ours.
//! Invariants: assignment, `del` and `for` targets were checked by the parser (only names,
//! attributes, subscripts, and tuples/lists of them with at most one starred element);
//! `Dict` keys are `None` exactly for `**mapping` entries.

use crate::token::IntValue;

/// A source span.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    /// Start line (1-based).
    pub line: u32,
    /// Start column (0-based characters).
    pub col: u32,
    /// End line.
    pub end_line: u32,
    /// End column (exclusive).
    pub end_col: u32,
}

impl Pos {
    /// The span from the start of `self` to the end of `other`.
    pub fn to(self, other: Pos) -> Pos {
        Pos { line: self.line, col: self.col, end_line: other.end_line, end_col: other.end_col }
    }
}

/// A constant written in the source.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An integer literal (exact).
    Int(IntValue),
    /// A float literal.
    Float(f64),
    /// A string literal (after concatenation and escapes).
    Str(String),
    /// `...`.
    Ellipsis,
    /// A bytes literal (after concatenation and escapes).
    Bytes(Vec<u8>),
}

/// Binary operators (also the operators of augmented assignment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mult,
    /// `/`
    Div,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `<<`
    LShift,
    /// `>>`
    RShift,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
    /// `&`
    BitAnd,
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `not`
    Not,
    /// `-`
    USub,
    /// `+`
    UAdd,
    /// `~`
    Invert,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    NotEq,
    /// `<`
    Lt,
    /// `<=`
    LtE,
    /// `>`
    Gt,
    /// `>=`
    GtE,
    /// `is`
    Is,
    /// `is not`
    IsNot,
    /// `in`
    In,
    /// `not in`
    NotIn,
}

/// `and` / `or`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOp {
    /// `and`
    And,
    /// `or`
    Or,
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is.
    pub pos: Pos,
}

/// A part of an f-string.
#[derive(Clone, Debug, PartialEq)]
pub enum FPart {
    /// Literal text.
    Lit(String),
    /// `{value!conversion:spec}`.
    Value {
        /// The expression.
        value: Box<Expr>,
        /// `!s`, `!r` or `!a`.
        conversion: Option<char>,
        /// The format spec, itself an f-string.
        spec: Option<Vec<FPart>>,
    },
}

/// A keyword argument in a call (`name=value`, or `**value` when `arg` is `None`).
#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    /// The keyword, or `None` for `**mapping`.
    pub arg: Option<String>,
    /// Its value.
    pub value: Expr,
    /// Span of the whole argument.
    pub pos: Pos,
}

/// One `for ... in ... if ...` of a comprehension.
#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    /// The loop target.
    pub target: Expr,
    /// The iterable.
    pub iter: Expr,
    /// The conditions.
    pub ifs: Vec<Expr>,
}

/// Expression kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A variable.
    Name(String),
    /// A literal.
    Constant(Constant),
    /// An f-string.
    JoinedStr(Vec<FPart>),
    /// `a and b and c`.
    BoolOp(BoolOp, Vec<Expr>),
    /// `a + b`.
    BinOp(Box<Expr>, BinOp, Box<Expr>),
    /// `-a`.
    UnaryOp(UnaryOp, Box<Expr>),
    /// `a < b <= c`: the first operand, then (operator, operand) pairs.
    Compare(Box<Expr>, Vec<(CmpOp, Expr)>),
    /// A call: function, positional arguments (`Starred` for `*args`), keywords.
    Call(Box<Expr>, Vec<Expr>, Vec<Keyword>),
    /// `body if test else orelse`: (test, body, orelse).
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `lambda args: body`.
    Lambda(Box<Arguments>, Box<Expr>),
    /// `value.attr`.
    Attribute(Box<Expr>, String),
    /// `value[index]`.
    Subscript(Box<Expr>, Box<Expr>),
    /// `lower:upper:step` inside a subscript.
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `*value`.
    Starred(Box<Expr>),
    /// `(a, b)`.
    Tuple(Vec<Expr>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{a, b}`.
    Set(Vec<Expr>),
    /// `{k: v, **m}`: keys (`None` for `**m`) and values.
    Dict(Vec<Option<Expr>>, Vec<Expr>),
    /// `[elt for ...]`.
    ListComp(Box<Expr>, Vec<Comprehension>),
    /// `{elt for ...}`.
    SetComp(Box<Expr>, Vec<Comprehension>),
    /// `{key: value for ...}`.
    DictComp(Box<Expr>, Box<Expr>, Vec<Comprehension>),
    /// `(elt for ...)`.
    GeneratorExp(Box<Expr>, Vec<Comprehension>),
    /// `yield value`.
    Yield(Option<Box<Expr>>),
    /// `yield from value`.
    YieldFrom(Box<Expr>),
    /// `target := value` (the target is a `Name`).
    NamedExpr(Box<Expr>, Box<Expr>),
}

/// A parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// Its name.
    pub name: String,
    /// Its annotation, if any.
    pub annotation: Option<Expr>,
    /// Where it is.
    pub pos: Pos,
}

/// A parameter list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Arguments {
    /// Positional-or-keyword parameters.
    pub args: Vec<Arg>,
    /// Defaults of the last `defaults.len()` of `args`.
    pub defaults: Vec<Expr>,
    /// `*args`.
    pub vararg: Option<Arg>,
    /// Keyword-only parameters.
    pub kwonlyargs: Vec<Arg>,
    /// Defaults of the keyword-only parameters (`None`: required).
    pub kw_defaults: Vec<Option<Expr>>,
    /// `**kwargs`.
    pub kwarg: Option<Arg>,
}

impl Arguments {
    /// Every parameter in the order of the code object's local variables.
    pub fn all(&self) -> impl Iterator<Item = &Arg> {
        self.args
            .iter()
            .chain(self.kwonlyargs.iter())
            .chain(self.vararg.iter())
            .chain(self.kwarg.iter())
    }
}

/// An `except` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct Handler {
    /// The class (or tuple of classes) matched; `None` for a bare `except:`.
    pub typ: Option<Expr>,
    /// `as name`.
    pub name: Option<String>,
    /// The clause's body.
    pub body: Vec<Stmt>,
    /// Span of the `except` line.
    pub pos: Pos,
}

/// `name as asname` in an import.
#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    /// The imported name.
    pub name: String,
    /// The name bound, if not `name`.
    pub asname: Option<String>,
    /// Where it is.
    pub pos: Pos,
}

/// A function definition (also the shape of a lambda's code).
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    /// The function's name.
    pub name: String,
    /// Its parameters.
    pub args: Arguments,
    /// Its body.
    pub body: Vec<Stmt>,
    /// Decorators, outermost first.
    pub decorators: Vec<Expr>,
    /// The return annotation.
    pub returns: Option<Expr>,
}

/// A class definition.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassDef {
    /// The class's name.
    pub name: String,
    /// Base classes (`Starred` allowed).
    pub bases: Vec<Expr>,
    /// Keywords (`metaclass=` is outside the subset; the compiler rejects keywords).
    pub keywords: Vec<Keyword>,
    /// Its body.
    pub body: Vec<Stmt>,
    /// Decorators, outermost first.
    pub decorators: Vec<Expr>,
}

/// A statement with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// What it is.
    pub kind: StmtKind,
    /// Where it is (the first line of a compound statement's header).
    pub pos: Pos,
}

/// Statement kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// An expression evaluated for its effect.
    Expr(Expr),
    /// `t1 = t2 = value`.
    Assign(Vec<Expr>, Expr),
    /// `target op= value`.
    AugAssign(Expr, BinOp, Expr),
    /// `target: annotation [= value]`; `simple` when the target is a bare name.
    AnnAssign {
        /// The target.
        target: Expr,
        /// The annotation.
        annotation: Expr,
        /// The value, if any.
        value: Option<Expr>,
        /// The target is an unparenthesized name.
        simple: bool,
    },
    /// `if test: body else: orelse`.
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `while test: body else: orelse`.
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `for target in iter: body else: orelse`.
    For(Expr, Expr, Vec<Stmt>, Vec<Stmt>),
    /// `pass`.
    Pass,
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `return [value]`.
    Return(Option<Expr>),
    /// `def`.
    FunctionDef(Box<FunctionDef>),
    /// `class`.
    ClassDef(Box<ClassDef>),
    /// `raise [exc [from cause]]`.
    Raise(Option<Expr>, Option<Expr>),
    /// `try` with handlers, `else` and `finally` bodies.
    Try(Vec<Stmt>, Vec<Handler>, Vec<Stmt>, Vec<Stmt>),
    /// `with a as x, b: body` (the items in order).
    With(Vec<(Expr, Option<Expr>)>, Vec<Stmt>),
    /// `assert test, msg`.
    Assert(Expr, Option<Expr>),
    /// `del a, b[i]`.
    Delete(Vec<Expr>),
    /// `global a, b`.
    Global(Vec<String>),
    /// `nonlocal a, b`.
    Nonlocal(Vec<String>),
    /// `import a as b, c`.
    Import(Vec<Alias>),
    /// `from module import a as b, c`.
    ImportFrom(String, Vec<Alias>),
}
