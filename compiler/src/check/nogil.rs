//! Check: what a `with nogil:` block may not contain. A pass over the block's TIR, after it
//! is checked: today only calls of functions that are not `nogil` need the GIL (Cython's
//! rule); operations on Python objects will add their cases here.

use super::scope::FnCx;
use crate::diagnostics::Code;
use crate::source::Span;
use crate::tir::{Block, Expr, ExprKind, SliceAxis, StmtKind};

impl FnCx<'_> {
    /// Reports every operation in `body` (a `with nogil:` block) that needs the GIL.
    pub(crate) fn check_nogil_body(&mut self, body: &Block) {
        let mut found: Vec<(Span, String)> = Vec::new();
        for stmt in body {
            self.gil_needs_stmt(&stmt.kind, &mut found);
        }
        for (sp, msg) in found {
            self.error(Code::InvalidControlFlow, sp, msg);
        }
    }

    fn gil_needs_stmt(&self, stmt: &StmtKind, found: &mut Vec<(Span, String)>) {
        let block = |b: &Block, found: &mut Vec<(Span, String)>| b.iter().for_each(|s| self.gil_needs_stmt(&s.kind, found));
        match stmt {
            StmtKind::Assign { value, .. } | StmtKind::Expr(value) => self.gil_needs_expr(value, found),
            StmtKind::Return(value) => value.iter().for_each(|v| self.gil_needs_expr(v, found)),
            StmtKind::If { cond, then_body, else_body } => {
                self.gil_needs_expr(cond, found);
                block(then_body, found);
                block(else_body, found);
            }
            StmtKind::While { cond, body, orelse } => {
                self.gil_needs_expr(cond, found);
                block(body, found);
                block(orelse, found);
            }
            StmtKind::ForRange { start, stop, step, body, orelse, .. } => {
                for e in [start, stop, step] {
                    self.gil_needs_expr(e, found);
                }
                block(body, found);
                block(orelse, found);
            }
            StmtKind::Store { indices, value, .. } => {
                indices.iter().for_each(|e| self.gil_needs_expr(e, found));
                self.gil_needs_expr(value, found);
            }
            StmtKind::NoGil { body } => block(body, found),
            StmtKind::ViewFill { view, value } => {
                self.gil_needs_expr(value, found);
                self.gil_needs_expr(view, found);
            }
            StmtKind::ViewCopy { dst, src, .. } => {
                self.gil_needs_expr(src, found);
                self.gil_needs_expr(dst, found);
            }
            StmtKind::Break | StmtKind::Continue => {}
        }
    }

    fn gil_needs_expr(&self, e: &Expr, found: &mut Vec<(Span, String)>) {
        match &e.kind {
            ExprKind::Call { func, args } => {
                let callee = self.env.sig(*func);
                if !callee.nogil {
                    found.push((e.span, format!("calling a function that needs the GIL (`{}`) inside a `nogil` block", callee.name)));
                }
                args.iter().for_each(|a| self.gil_needs_expr(a, found));
            }
            ExprKind::Const(_) | ExprKind::Local(_) | ExprKind::ViewShape { .. } => {}
            ExprKind::Unary { operand, .. } | ExprKind::Cast { operand, .. } => self.gil_needs_expr(operand, found),
            ExprKind::Binary { lhs, rhs, .. } | ExprKind::Compare { lhs, rhs, .. } | ExprKind::BoolOp { lhs, rhs, .. } => {
                self.gil_needs_expr(lhs, found);
                self.gil_needs_expr(rhs, found);
            }
            ExprKind::IfExp { cond, then_expr, else_expr } => {
                for x in [cond, then_expr, else_expr] {
                    self.gil_needs_expr(x, found);
                }
            }
            ExprKind::Let { value, body, .. } => {
                self.gil_needs_expr(value, found);
                self.gil_needs_expr(body, found);
            }
            ExprKind::Math { args, .. } => args.iter().for_each(|a| self.gil_needs_expr(a, found)),
            ExprKind::Index { indices, .. } => indices.iter().for_each(|a| self.gil_needs_expr(a, found)),
            ExprKind::Slice { view, axes } => {
                self.gil_needs_expr(view, found);
                for axis in axes {
                    match axis {
                        SliceAxis::Index { index, .. } => self.gil_needs_expr(index, found),
                        SliceAxis::Range { start, stop, step, .. } => {
                            [start, stop, step].into_iter().flatten().for_each(|e| self.gil_needs_expr(e, found))
                        }
                    }
                }
            }
            ExprKind::NewArray { kind, shape, .. } => {
                found.push((e.span, format!("creating an array (`{}`) needs the GIL; create it before the `nogil` block", kind.name())));
                shape.iter().for_each(|a| self.gil_needs_expr(a, found));
            }
        }
    }
}
