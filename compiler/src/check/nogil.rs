//! Check: what a `with nogil:` block (or a `nogil` function) may not contain. A pass over
//! the TIR, after it is checked: calls of functions that are not `nogil` (Cython's rule),
//! array creation, and every operation on Python objects.

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
            ExprKind::NewArray { kind, .. } if *kind != crate::tir::ArrayKind::Buffer => {
                found.push((e.span, format!("creating an array (`{}`) needs the GIL; create it before the `nogil` block", kind.name())));
            }
            _ if uses_objects(e) => found.push((e.span, "operations on Python objects need the GIL; do them outside the `nogil` block".into())),
            _ => {}
        });
        for (sp, msg) in outermost(found) {
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
            } else if uses_objects(e) {
                found.push((e.span, format!("operations on Python objects need the GIL, and `{}` is `nogil`", self.sig.name)));
            }
        });
        for (sp, msg) in outermost(found) {
            self.error(Code::InvalidControlFlow, sp, msg);
        }
    }
}

/// Whether `e` itself is an operation on Python objects (or an object value).
fn uses_objects(e: &crate::tir::Expr) -> bool {
    e.ty.is_object()
        || matches!(
            e.kind,
            ExprKind::CApi { .. }
                | ExprKind::LoadGlobal { .. }
                | ExprKind::CallObject { .. }
                | ExprKind::CallMethod { .. }
                | ExprKind::Build { .. }
                | ExprKind::Merge { .. }
                | ExprKind::CheckKind { .. }
                | ExprKind::Field { .. }
                | ExprKind::Item { .. }
                | ExprKind::NewArray { kind: crate::tir::ArrayKind::Buffer, .. }
        )
}

/// The findings whose span is not inside an earlier finding's (one error per expression).
fn outermost(found: Vec<(Span, String)>) -> Vec<(Span, String)> {
    let mut out: Vec<(Span, String)> = Vec::new();
    for (sp, msg) in found {
        if !out.iter().any(|(o, _)| o.start <= sp.start && sp.end <= o.end) {
            out.push((sp, msg));
        }
    }
    out
}
