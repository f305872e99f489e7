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
    /// Position of the `struct` keyword.
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
}

impl TypeExpr {
    /// The position of the type.
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Name(_, s) => *s,
            TypeExpr::Array { span, .. }
            | TypeExpr::Func { span, .. }
            | TypeExpr::Generic { span, .. } => *span,
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
    Char(u8),
    /// String literal `"..."` with escapes `\n \t \\ \" \' \0 \xHH`.
    Str(Vec<u8>),
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
    /// `x isa T`: instance test.
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
}
