//! Parsing of the exception statements: `raise` and `try`/`except`/`else`/`finally`.
//!
//! Grammar (`NAME` a class name; the clauses of one `try` at the `try`'s indentation):
//! ```text
//! raise_stmt := 'raise' [expr]
//! try_stmt   := 'try' ':' block
//!               ('except' [classes ['as' NAME]] ':' block)*
//!               ['else' ':' block] ['finally' ':' block]
//! classes    := NAME | '(' NAME (',' NAME)* [','] ')'
//! ```
//! Errors: a `try` with neither `except` nor `finally`; an `else` without `except`; a bare
//! `except:` that is not the last handler (it would hide the ones after it); `except ()`.
//! Spans: the statement at `try`/`raise`, each clause at its `except`, class names and the
//! bound name at themselves.

use super::{PResult, Parser};
use crate::front::ast::{ExceptClause, Stmt, StmtKind, TryStmt};
use crate::front::lex::TokenKind as T;
use crate::span::{Diagnostic, Span};

impl Parser {
    /// `raise` or `raise expr` (the keyword is the current token).
    pub(super) fn raise_stmt(&mut self) -> PResult<StmtKind> {
        self.bump();
        if matches!(self.kind(), T::Newline | T::Semi) {
            return Ok(StmtKind::Raise(None));
        }
        Ok(StmtKind::Raise(Some(self.expr()?)))
    }

    /// A whole `try` statement with its clauses (the keyword is the current token).
    pub(super) fn try_stmt(&mut self) -> PResult<Stmt> {
        let span = self.bump();
        self.expect(T::Colon)?;
        let body = self.block()?;
        let mut handlers: Vec<ExceptClause> = Vec::new();
        while self.at(&T::Except) {
            let clause = self.except_clause()?;
            if let Some(bare) = handlers.iter().find(|h| h.classes.is_empty()) {
                let msg = "a bare 'except:' must be the last handler";
                return Err(Diagnostic::new(bare.span, msg));
            }
            handlers.push(clause);
        }
        let mut orelse = Vec::new();
        if self.at(&T::Else) {
            if handlers.is_empty() {
                let msg = "'else' after 'try' needs an 'except' clause";
                return Err(Diagnostic::new(self.peek().span, msg));
            }
            self.bump();
            self.expect(T::Colon)?;
            orelse = self.block()?;
        }
        let finally = if self.eat(&T::Finally) {
            self.expect(T::Colon)?;
            Some(self.block()?)
        } else {
            None
        };
        if handlers.is_empty() && finally.is_none() {
            let msg = "'try' needs an 'except' or 'finally' clause";
            return Err(Diagnostic::new(self.peek().span, msg));
        }
        let kind = StmtKind::Try(Box::new(TryStmt { body, handlers, orelse, finally }));
        Ok(Stmt { kind, span })
    }

    /// `except [classes [as NAME]]: block`.
    fn except_clause(&mut self) -> PResult<ExceptClause> {
        let span = self.bump();
        let mut classes = Vec::new();
        let mut name = None;
        if !self.at(&T::Colon) {
            if self.eat(&T::LParen) {
                while !self.at(&T::RParen) {
                    classes.push(self.expect_name()?);
                    if !self.eat(&T::Comma) {
                        break;
                    }
                }
                let close: Span = self.expect(T::RParen)?;
                if classes.is_empty() {
                    return Err(Diagnostic::new(close, "'except ()' names no exception class"));
                }
            } else {
                classes.push(self.expect_name()?);
            }
            if self.eat(&T::As) {
                name = Some(self.expect_name()?);
            }
        }
        self.expect(T::Colon)?;
        let body = self.block()?;
        Ok(ExceptClause { classes, name, body, span })
    }
}

#[cfg(test)]
mod tests {
    use crate::front::ast::{ExprKind, Item, StmtKind, TryStmt};
    use crate::front::parse::parse;

    fn body(src: &str) -> Vec<StmtKind> {
        let m = parse(src, 0).unwrap_or_else(|e| panic!("{}", e[0].message));
        let Item::Func(f) = &m.items[0] else { panic!("not a function") };
        f.body.iter().map(|s| s.kind.clone()).collect()
    }

    fn error(src: &str) -> (u32, u32, String) {
        let e = parse(src, 0).expect_err("parses").remove(0);
        (e.span.line, e.span.col, e.message)
    }

    #[test]
    fn try_with_every_clause() {
        let src = "def f() -> int:\n    try:\n        g()\n    except ValueError as e:\n        \
                   pass\n    except (KeyError, IndexError):\n        pass\n    except:\n        \
                   pass\n    else:\n        pass\n    finally:\n        pass\n    return 0\n";
        let stmts = body(src);
        let StmtKind::Try(t) = &stmts[0] else { panic!("{:?}", stmts[0]) };
        let TryStmt { body, handlers, orelse, finally } = &**t;
        assert_eq!(body.len(), 1);
        assert_eq!(handlers.len(), 3);
        assert_eq!(handlers[0].classes.iter().map(|c| &c.0).collect::<Vec<_>>(), ["ValueError"]);
        assert_eq!(handlers[0].name.as_ref().map(|n| (n.0.as_str(), n.1.col)), Some(("e", 26)));
        assert_eq!(handlers[1].classes.len(), 2);
        assert_eq!((handlers[1].span.line, handlers[1].span.col), (6, 5));
        assert!(handlers[2].classes.is_empty() && handlers[2].name.is_none());
        assert_eq!(orelse.len(), 1);
        assert!(finally.is_some());
        assert!(matches!(stmts[1], StmtKind::Return(Some(_))));
    }

    #[test]
    fn raise_forms_and_one_line_blocks() {
        let src = "def f():\n    try: raise\n    finally: raise E(message=\"x\"); pass\n";
        let stmts = body(src);
        let StmtKind::Try(t) = &stmts[0] else { panic!() };
        assert_eq!(t.body[0].kind, StmtKind::Raise(None));
        let fin = t.finally.as_ref().unwrap();
        assert!(matches!(&fin[0].kind, StmtKind::Raise(Some(e))
            if matches!(e.kind, ExprKind::Call { .. })));
        assert_eq!(fin.len(), 2);
    }

    #[test]
    fn malformed_try_statements() {
        let f = |s: &str| error(&format!("def f():\n{s}"));
        let no_clause = f("    try:\n        pass\n    pass\n");
        assert_eq!(no_clause, (4, 5, "'try' needs an 'except' or 'finally' clause".into()));
        let bare_first =
            f("    try:\n        pass\n    except:\n        pass\n    except E:\n        pass\n");
        assert_eq!(bare_first, (4, 5, "a bare 'except:' must be the last handler".into()));
        let else_alone = f("    try:\n        pass\n    else:\n        pass\n");
        assert_eq!(else_alone.2, "'else' after 'try' needs an 'except' clause");
        let no_colon = f("    try:\n        pass\n    except E as:\n        pass\n");
        assert_eq!(no_colon.2, "expected name, found ':'");
        let keyword = f("    except = 1\n");
        assert_eq!(keyword.0, 2);
    }
}
