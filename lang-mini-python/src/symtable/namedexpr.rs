//! Assignment expressions (`target := value`) in the symbol table, as CPython 3.11's
//! `symtable_handle_namedexpr` scopes them: the target is bound in the scope the expression
//! is in, except inside a comprehension, where it is bound in the nearest enclosing
//! function (a `nonlocal` of the comprehension) or module (a `global` of it); a class body
//! there, rebinding a comprehension's iteration variable, or an assignment expression in a
//! comprehension's iterable are CPython's SyntaxErrors.

use super::{mangle, Builder, ScopeKind, SymScope, Symbol, DEF_COMP_ITER, DEF_GLOBAL};
use super::{DEF_LOCAL, DEF_NONLOCAL};
use crate::ast::{Expr, ExprKind, Pos};
use crate::error::{PResult, SyntaxError};

fn error_at(msg: String, pos: Pos) -> SyntaxError {
    SyntaxError::new(msg, pos.line, pos.col, pos.end_col)
}

impl Builder {
    pub(super) fn named_expr(&mut self, e: &Expr, target: &Expr, value: &Expr) -> PResult<()> {
        let ExprKind::Name(name) = &target.kind else {
            return Err(error_at("invalid assignment expression target".to_string(), target.pos));
        };
        if self.cur().comp_iter_expr > 0 {
            return Err(error_at(
                "assignment expression cannot be used in a comprehension iterable expression"
                    .to_string(),
                e.pos,
            ));
        }
        if self.cur().is_comprehension {
            self.extend_namedexpr_scope(name, target.pos)?;
        }
        self.expr(value)?;
        self.expr_ctx(target, DEF_LOCAL)
    }

    /// Binds `name` in the scope enclosing the comprehensions around the current point.
    fn extend_namedexpr_scope(&mut self, name: &str, pos: Pos) -> PResult<()> {
        let mangled = mangle(self.private.as_deref(), name).into_owned();
        for i in (0..self.stack.len()).rev() {
            let idx = self.stack[i];
            let scope = &self.table.scopes[idx];
            if scope.is_comprehension {
                let flags = scope.symbols.get(&mangled).map_or(0, |s| s.flags);
                if flags & DEF_COMP_ITER != 0 {
                    return Err(error_at(
                        format!(
                            "assignment expression cannot rebind comprehension iteration variable '{name}'"
                        ),
                        pos,
                    ));
                }
                continue;
            }
            let (here, there) = match scope.kind {
                ScopeKind::Function => (DEF_NONLOCAL, DEF_LOCAL),
                ScopeKind::Module => (DEF_GLOBAL, DEF_GLOBAL),
                ScopeKind::Class => return Err(error_at(
                    "assignment expression within a comprehension cannot be used in a class body"
                        .to_string(),
                    pos,
                )),
            };
            self.add_def(name, here, pos)?;
            self.cur().directives.entry(mangled.clone()).or_insert(pos);
            let sym = self.table.scopes[idx]
                .symbols
                .entry(mangled)
                .or_insert(Symbol { flags: 0, scope: SymScope::GlobalImplicit });
            sym.flags |= there;
            return Ok(());
        }
        Ok(())
    }

    /// Visits a comprehension's iterable expression (where `:=` is an error).
    pub(super) fn comp_iter(&mut self, e: &Expr) -> PResult<()> {
        self.cur().comp_iter_expr += 1;
        let r = self.expr(e);
        self.cur().comp_iter_expr -= 1;
        r
    }
}
