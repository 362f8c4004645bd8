//! Check: what a `with nogil:` block may not contain. A pass over the block's TIR, after it
//! is checked: today only calls of functions that are not `nogil` need the GIL (Cython's
//! rule); operations on Python objects will add their cases here.

use super::scope::FnCx;
use crate::diagnostics::Code;
use crate::source::Span;
use crate::tir::{visit, Block, ExprKind};

impl FnCx<'_> {
    /// Reports every operation in `body` (a `with nogil:` block) that needs the GIL.
    pub(crate) fn check_nogil_body(&mut self, body: &Block) {
        let mut found: Vec<(Span, String)> = Vec::new();
        visit::for_each_expr(body, &mut |e| match &e.kind {
            ExprKind::Call { func, .. } => {
                let callee = self.env.sig(*func);
                if !callee.nogil {
                    found.push((e.span, format!("calling a function that needs the GIL (`{}`) inside a `nogil` block", callee.name)));
                }
            }
            ExprKind::NewArray { kind, .. } => {
                found.push((e.span, format!("creating an array (`{}`) needs the GIL; create it before the `nogil` block", kind.name())));
            }
            _ => {}
        });
        for (sp, msg) in found {
            self.error(Code::InvalidControlFlow, sp, msg);
        }
    }

    /// Reports every call of a function that needs the GIL in the body of a `nogil`
    /// function (array creation there is reported by `check/alloc.rs`).
    pub(crate) fn check_nogil_calls(&mut self, body: &Block) {
        let mut found: Vec<(Span, String)> = Vec::new();
        visit::for_each_expr(body, &mut |e| {
            if let ExprKind::Call { func, .. } = &e.kind {
                let callee = self.env.sig(*func);
                if !callee.nogil {
                    let caller = &self.sig.name;
                    found.push((e.span, format!("calling a function that needs the GIL (`{}`) in `{caller}`, which is `nogil`", callee.name)));
                }
            }
        });
        for (sp, msg) in found {
            self.error(Code::InvalidControlFlow, sp, msg);
        }
    }
}
