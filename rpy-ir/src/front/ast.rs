//! The abstract syntax of RPy, as produced by the parser and consumed by the type checker.
//!
//! RPy is Python-like: indentation blocks, `def`/`struct`/`const` at module level, statically
//! typed. Every node carries the [`Span`] of its first token.

use crate::span::Span;

/// A parsed source file.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    /// Top-level items in source order.
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `struct Name(Parent) immutable:` with fields.
    Struct(StructDecl),
    /// `def name(params) -> ret:` with a body.
    Func(FuncDecl),
    /// `const NAME = expr` or `const NAME: type = expr`.
    Const(ConstDecl),
}

/// A struct declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct StructDecl {
    /// Struct name.
    pub name: String,
    /// Parent struct name.
    pub parent: Option<(String, Span)>,
    /// `immutable` flag.
    pub immutable: bool,
    /// Own fields (`name: type`), in order.
    pub fields: Vec<(String, TypeExpr, Span)>,
    /// Methods (`def` in the struct body), in order. The first parameter of each is `self`,
    /// written without a type and typed here as this struct (`TypeExpr::Name` of its name).
    pub methods: Vec<FuncDecl>,
    /// Position of the `struct` keyword.
    pub span: Span,
    /// `virtualizable(depth, locals[*])`, if the struct is virtualizable.
    pub virtualizable: Option<VirtualizableClause>,
    /// Own fields marked quasi-immutable (`name: type quasi`), with the marker's position.
    pub quasi: Vec<(String, Span)>,
}

/// `virtualizable(depth, locals[*])` in a struct declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct VirtualizableClause {
    /// The virtualized fields: name, whether its items are (`[*]`), position.
    pub fields: Vec<(String, bool, Span)>,
    /// Position of the `virtualizable` word.
    pub span: Span,
}

/// A function definition.
#[derive(Clone, Debug, PartialEq)]
pub struct FuncDecl {
    /// Function name.
    pub name: String,
    /// Parameters (`name: type`).
    pub params: Vec<(String, TypeExpr, Span)>,
    /// Result type; `None` for procedures (void).
    pub ret: Option<TypeExpr>,
    /// Body statements.
    pub body: Vec<Stmt>,
    /// Position of the `def` keyword.
    pub span: Span,
    /// Decorators (`@elidable`, `@dont_look_inside`), in source order, with the position of
    /// each name.
    pub decorators: Vec<(String, Span)>,
}

/// A module-level constant.
#[derive(Clone, Debug, PartialEq)]
pub struct ConstDecl {
    /// Constant name.
    pub name: String,
    /// Declared type, if written.
    pub ty: Option<TypeExpr>,
    /// The value: a literal, a struct construction or array literal with constant parts, or
    /// another constant's name.
    pub value: Expr,
    /// Position of the `const` keyword.
    pub span: Span,
}

/// A type as written in the source.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeExpr {
    /// `int`, `float`, `bool`, `char`, `str`, `void` or a struct name.
    Name(String, Span),
    /// `array[T]` (mutable) or `frozen[T]` (immutable, like `str`).
    Array {
        /// Item type.
        elem: Box<TypeExpr>,
        /// `frozen[...]`.
        immutable: bool,
        /// Position.
        span: Span,
    },
    /// `fn(T1, T2) -> R` (no arrow: returns void).
    Func {
        /// Parameter types.
        params: Vec<TypeExpr>,
        /// Result type.
        ret: Option<Box<TypeExpr>>,
        /// Position.
        span: Span,
    },
    /// A built-in generic container type: `list[T]`, `dict[K, V]`, `rdict[K, V]`
    /// (see `front/lower/generic.rs`).
    Generic {
        /// `list`, `dict` or `rdict`.
        name: String,
        /// The type arguments, as written.
        args: Vec<TypeExpr>,
        /// Position.
        span: Span,
    },
    /// `tuple[T1, T2, ...]`: a fixed-arity immutable tuple.
    Tuple {
        /// Item types, at least one.
        elems: Vec<TypeExpr>,
        /// Position.
        span: Span,
    },
}

impl TypeExpr {
    /// The position of the type.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Name(_, s) => *s,
            TypeExpr::Array { span, .. }
            | TypeExpr::Func { span, .. }
            | TypeExpr::Generic { span, .. }
            | TypeExpr::Tuple { span, .. } => *span,
        }
    }
}

/// A statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// What kind of statement.
    pub kind: StmtKind,
    /// Position of its first token.
    pub span: Span,
}

/// Kinds of statements.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// An expression evaluated for its effect (a call, a hint).
    Expr(Expr),
    /// `target = value`, or `name: type = value` (a declaration with a type).
    Assign {
        /// Where to store: a name, `obj.field` or `arr[index]`.
        target: Expr,
        /// Declared type (`x: int = ...`), only for plain names.
        ty: Option<TypeExpr>,
        /// The value.
        value: Expr,
    },
    /// `target op= value` (`+=`, `-=`, `*=`, `//=`, `%=`, `&=`, `|=`, `^=`, `<<=`, `>>=`).
    AugAssign {
        /// Where to store.
        target: Expr,
        /// The operator.
        op: BinOp,
        /// The right operand.
        value: Expr,
    },
    /// `if cond: ... elif cond: ... else: ...` (elif chains are nested `If`s in `orelse`).
    If {
        /// Condition.
        cond: Expr,
        /// Then-branch.
        then: Vec<Stmt>,
        /// Else-branch (empty if absent).
        orelse: Vec<Stmt>,
    },
    /// `while cond: ...`.
    While {
        /// Condition.
        cond: Expr,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `return` or `return value`.
    Return(Option<Expr>),
    /// `pass`.
    Pass,
    /// `for target in iter: body else: orelse` (see `front/lower/for_loops.rs`).
    For {
        /// A name, or a tuple of names (unpacking each item).
        target: Expr,
        /// What is walked: `range(...)`, a `str`, an array.
        iter: Expr,
        /// Body.
        body: Vec<Stmt>,
        /// Runs when the loop ends without `break` (empty if absent).
        orelse: Vec<Stmt>,
    },
    /// `raise e` (an expression of an exception type) or a bare `raise` (re-raises the
    /// exception being handled).
    Raise(Option<Expr>),
    /// `try:` with handlers, `else:` and `finally:` (see [`TryStmt`]).
    Try(Box<TryStmt>),
}

/// A `try` statement: at least one handler or a `finally`.
#[derive(Clone, Debug, PartialEq)]
pub struct TryStmt {
    /// The protected body.
    pub body: Vec<Stmt>,
    /// `except ...:` clauses, in order.
    pub handlers: Vec<ExceptClause>,
    /// `else:` body: runs when the body finished without an exception (empty if absent).
    pub orelse: Vec<Stmt>,
    /// `finally:` body, if written.
    pub finally: Option<Vec<Stmt>>,
}

/// One `except` clause: `except:`, `except C:`, `except (A, B) as e:`.
#[derive(Clone, Debug, PartialEq)]
pub struct ExceptClause {
    /// The classes caught (empty: every exception).
    pub classes: Vec<(String, Span)>,
    /// The name bound to the exception (`as e`).
    pub name: Option<(String, Span)>,
    /// The handler body.
    pub body: Vec<Stmt>,
    /// Position of the `except` keyword.
    pub span: Span,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (floats only)
    Div,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `&`
    BitAnd,
    /// `|`
    BitOr,
    /// `^`
    BitXor,
    /// `<<`
    Shl,
    /// `>>`
    Shr,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `is` (pointer identity)
    Is,
    /// `is not`
    IsNot,
    /// `and` (short-circuit)
    And,
    /// `or` (short-circuit)
    Or,
}

impl BinOp {
    /// The operator as written in source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Is => "is",
            BinOp::IsNot => "is not",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `not x`
    Not,
    /// `~x`
    Invert,
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Position of its first token (for binary operators: of the operator).
    pub span: Span,
}

/// Kinds of expressions.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// Integer literal (decimal, `0x` hex, `0b` binary; `_` separators allowed).
    Int(i64),
    /// Float literal (`1.5`, `2e10`).
    Float(f64),
    /// `True` / `False`.
    Bool(bool),
    /// Char literal `'a'`, `'\n'`, `'\x41'`.
    Char(char),
    /// String literal `"..."` with escapes `\n \t \\ \" \' \0 \xHH`.
    Str(String),
    /// `None`: the null pointer (its type comes from context).
    None,
    /// A name: local, parameter, function, constant or (in calls) struct.
    Name(String),
    /// `a op b`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `op a`.
    Unary(UnOp, Box<Expr>),
    /// `callee(args, kw=args)`: function call, struct construction (keywords = fields),
    /// builtin (`len`, `ord`, `chr`, `int`, `float`, `hint`...).
    Call {
        /// What is called: usually a `Name`, or an `ArrayType` (`array[int](n)`).
        callee: Box<Expr>,
        /// Positional arguments.
        args: Vec<Expr>,
        /// Keyword arguments (`name=value`), in source order.
        kwargs: Vec<(String, Expr, Span)>,
    },
    /// `obj.field`.
    Field(Box<Expr>, String),
    /// `arr[index]`.
    Index(Box<Expr>, Box<Expr>),
    /// `x isa T`: instance test (the `instanceof` op). `isinstance(x, T)`, a builtin call, is
    /// the same test in Python's spelling, and also takes a tuple of classes.
    IsA(Box<Expr>, TypeExpr),
    /// `x as T`: checked downcast.
    As(Box<Expr>, TypeExpr),
    /// A type used as a value, only as a callee: `array[int]` in `array[int](n)`.
    ArrayType(TypeExpr),
    /// `[a, b, c]`: an array literal (its element type comes from the items or the context).
    ArrayLit(Vec<Expr>),
    /// `a if cond else b`.
    IfElse {
        /// Condition.
        cond: Box<Expr>,
        /// Value when true.
        then: Box<Expr>,
        /// Value when false.
        orelse: Box<Expr>,
    },
    /// `{k: v, ...}`: a dict literal (its type comes from the context).
    DictLit(Vec<(Expr, Expr)>),
    /// `(a, b, ...)` or `a, b` where a statement allows it: a tuple (at least one item; a
    /// one-item tuple is written `(a,)`). As an assignment target: unpacking.
    Tuple(Vec<Expr>),
    /// A chain of two or more comparisons, `a < b <= c`: `a < b and b <= c` with `b`
    /// evaluated once. Each operator keeps its own span.
    Compare {
        /// The leftmost operand.
        first: Box<Expr>,
        /// Each operator, its position and its right operand.
        rest: Vec<(BinOp, Span, Expr)>,
    },
    /// `base[start:stop]` or `base[start:stop:step]`, each part optional.
    Slice {
        /// The sliced value.
        base: Box<Expr>,
        /// The first index, if given.
        start: Option<Box<Expr>>,
        /// The end index, if given.
        stop: Option<Box<Expr>>,
        /// The step, if given.
        step: Option<Box<Expr>>,
        /// Whether a second `:` was written (`s[::]` has one, with no step).
        has_step: bool,
    },
}
