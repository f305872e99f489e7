//! Parameters of functions and methods, and the rules for `self`.
//!
//! A method is a `def` in a struct body. Its first parameter is `self`, written without a
//! type: the parser types it as the struct (`TypeExpr::Name` of the struct's name, at the
//! position of `self`), so later passes see an ordinary first parameter. `self` is reserved
//! for that place: as another parameter, with a type, or in a plain function, it is an error.

use super::{PResult, Parser};
use crate::front::ast::TypeExpr;
use crate::front::lex::TokenKind as T;
use crate::span::{Diagnostic, Span};

impl Parser {
    /// Parameter `index` (0-based) of a function, or of a method of struct `owner`.
    pub(super) fn param(
        &mut self,
        owner: Option<&str>,
        index: usize,
    ) -> PResult<(String, TypeExpr, Span)> {
        let (name, span) = self.expect_name()?;
        let is_self = name == "self";
        match (owner, index, is_self) {
            (Some(owner), 0, true) => {
                if self.at(&T::Colon) {
                    let msg = "'self' is typed implicitly: write it without a type";
                    return Err(Diagnostic::new(self.peek().span, msg));
                }
                Ok((name, TypeExpr::Name(owner.to_string(), span), span))
            }
            (Some(owner), 0, false) => {
                let msg = format!("the first parameter of a method of '{owner}' must be 'self'");
                Err(Diagnostic::new(span, msg))
            }
            (Some(_), _, true) => {
                Err(Diagnostic::new(span, "'self' can only be the first parameter of a method"))
            }
            (None, _, true) => {
                let msg = "'self' is only a parameter of methods (a 'def' inside a struct)";
                Err(Diagnostic::new(span, msg))
            }
            (_, _, false) => {
                self.expect(T::Colon)?;
                Ok((name, self.ty()?, span))
            }
        }
    }
}
