//! Check, last step: makes every Python-object reference explicit in the TIR (the rule is
//! documented on `tir::ExprKind::CApi`). After this pass:
//! - a new reference met where an object is only borrowed (an argument of a C-API call or
//!   of a compiled function, the truth test of a condition) is held in a temporary slot
//!   (`Temp`) and released right after the operation that borrowed it (`Release`);
//! - a borrowed object met where a new reference is needed (an assignment, a `return`, a
//!   conditional expression's arm) is taken with `NewRef`;
//! - a borrowed result of the C API (an item of a list, a dict) is taken with `NewRef`
//!   before its container's temporaries are released;
//! - the new reference an expression statement computes is released.
//!
//! Codegen then emits exactly the reference operations written here, plus the release of
//! each `object` local when it is assigned and on every exit, and of every temporary slot on
//! the error exit (a slot is null outside the operation that holds it, so normal exits
//! skip them).

use crate::capi::CRet;
use crate::tir::validate::is_owned;
use crate::tir::{ArrayKind, Block, Expr, ExprKind, Function, Stmt, StmtKind, Ty};

/// Rewrites `func`'s body and sets `func.temps`.
pub(crate) fn make_explicit(func: &mut Function) {
    let mut cx = Refs { temps: 0 };
    let body = std::mem::take(&mut func.body);
    func.body = cx.block(body);
    func.temps = cx.temps;
}

struct Refs {
    temps: u32,
}

impl Refs {
    fn block(&mut self, b: Block) -> Block {
        b.into_iter().map(|s| self.stmt(s)).collect()
    }

    fn stmt(&mut self, s: Stmt) -> Stmt {
        let kind = match s.kind {
            StmtKind::Assign { local, value } => StmtKind::Assign { local, value: self.owned(value) },
            StmtKind::Expr(e) => StmtKind::Expr(self.discarded(e)),
            StmtKind::If { cond, then_body, else_body } => {
                StmtKind::If { cond: self.expr(cond), then_body: self.block(then_body), else_body: self.block(else_body) }
            }
            StmtKind::While { cond, body, orelse } => StmtKind::While { cond: self.expr(cond), body: self.block(body), orelse: self.block(orelse) },
            StmtKind::ForIter { iter, item, body, orelse } => StmtKind::ForIter { iter, item, body: self.block(body), orelse: self.block(orelse) },
            StmtKind::Unpack { value, targets, star } => StmtKind::Unpack { value: self.owned(value), targets, star },
            StmtKind::Check { cond, raise } => StmtKind::Check { cond: self.expr(cond), raise },
            StmtKind::ForRange { var, start, stop, step, step_check, body, orelse } => StmtKind::ForRange {
                var,
                start: self.expr(start),
                stop: self.expr(stop),
                step: self.expr(step),
                step_check,
                body: self.block(body),
                orelse: self.block(orelse),
            },
            StmtKind::Return(Some(e)) => StmtKind::Return(Some(self.owned(e))),
            StmtKind::Store { view, indices, checks, value } => {
                let value = self.expr(value);
                StmtKind::Store { view, indices: indices.into_iter().map(|i| self.expr(i)).collect(), checks, value }
            }
            StmtKind::NoGil { body } => StmtKind::NoGil { body: self.block(body) },
            StmtKind::ViewFill { view, value } => {
                let value = self.expr(value);
                StmtKind::ViewFill { view: self.expr(view), value }
            }
            StmtKind::ViewCopy { dst, src, extents } => {
                let src = self.expr(src);
                StmtKind::ViewCopy { dst: self.expr(dst), src, extents }
            }
            StmtKind::StoreCGlobal { global, value } => StmtKind::StoreCGlobal { global, value: self.owned(value) },
            k @ (StmtKind::Break | StmtKind::Continue | StmtKind::Return(None) | StmtKind::DelGlobal { .. }) => k,
        };
        Stmt { kind, span: s.span }
    }

    /// `e` with its children rewritten; `e` itself may be an owned object (its consumer
    /// decides what to do with it).
    fn expr(&mut self, mut e: Expr) -> Expr {
        match e.kind {
            ExprKind::CApi { func, args } => {
                let mut pending = Vec::new();
                let args = self.all_borrowed(args, &mut pending);
                let call = Expr::new(ExprKind::CApi { func, args }, e.ty, e.span);
                let call = if func.ret == CRet::Borrowed { Expr::new(ExprKind::NewRef(Box::new(call)), e.ty, e.span) } else { call };
                released(call, pending)
            }
            ExprKind::Call { func, args } => {
                let mut pending = Vec::new();
                let args = self.all_borrowed(args, &mut pending);
                released(Expr::new(ExprKind::Call { func, args }, e.ty, e.span), pending)
            }
            ExprKind::CallObject { callee, args, kwnames } => {
                let mut pending = Vec::new();
                let callee = Box::new(self.borrowed(*callee, &mut pending));
                let args = self.all_borrowed(args, &mut pending);
                released(Expr::new(ExprKind::CallObject { callee, args, kwnames }, e.ty, e.span), pending)
            }
            // `a is b` compares two pointers: owned operands (`None`, a call's result) are
            // released after the comparison.
            ExprKind::Compare { op, lhs, rhs } if lhs.ty.is_object() => {
                let mut pending = Vec::new();
                let lhs = Box::new(self.borrowed(*lhs, &mut pending));
                let rhs = Box::new(self.borrowed(*rhs, &mut pending));
                released(Expr::new(ExprKind::Compare { op, lhs, rhs }, e.ty, e.span), pending)
            }
            // The checked object is its operand, borrowed: a new reference stays owned.
            ExprKind::CheckKind { value, kind, arg } => {
                let mut pending = Vec::new();
                let value = Box::new(self.borrowed(*value, &mut pending));
                let check = Expr::new(ExprKind::CheckKind { value, kind, arg }, e.ty, e.span);
                if pending.is_empty() {
                    return check;
                }
                released(Expr::new(ExprKind::NewRef(Box::new(check)), e.ty, e.span), pending)
            }
            // A field or an item of a borrowed object: an owned object (a temporary) is
            // released after the read, so an object read from it is taken first.
            ExprKind::Field { obj, field } => {
                let mut pending = Vec::new();
                let obj = Box::new(self.borrowed(*obj, &mut pending));
                kept_from(Expr::new(ExprKind::Field { obj, field }, e.ty, e.span), pending)
            }
            ExprKind::Item { obj, index, kind } => {
                let mut pending = Vec::new();
                let obj = Box::new(self.borrowed(*obj, &mut pending));
                let index = Box::new(self.expr(*index));
                kept_from(Expr::new(ExprKind::Item { obj, index, kind }, e.ty, e.span), pending)
            }
            ExprKind::Build { kind, items } => {
                let mut pending = Vec::new();
                let items = self.all_borrowed(items, &mut pending);
                released(Expr::new(ExprKind::Build { kind, items }, e.ty, e.span), pending)
            }
            ExprKind::Merge { op, target, value, func } => {
                let mut pending = Vec::new();
                let target = Box::new(self.borrowed(*target, &mut pending));
                let value = Box::new(self.borrowed(*value, &mut pending));
                let func = func.map(|f| Box::new(self.borrowed(*f, &mut pending)));
                released(Expr::new(ExprKind::Merge { op, target, value, func }, e.ty, e.span), pending)
            }
            // A view of an object borrows it (the buffer's holder keeps the exporter).
            ExprKind::NewArray { kind: ArrayKind::Buffer, args, site } => {
                let mut pending = Vec::new();
                let args = self.all_borrowed(args, &mut pending);
                released(Expr::new(ExprKind::NewArray { kind: ArrayKind::Buffer, args, site }, e.ty, e.span), pending)
            }
            ExprKind::ImportFrom { module, name } => {
                let mut pending = Vec::new();
                let module = Box::new(self.borrowed(*module, &mut pending));
                released(Expr::new(ExprKind::ImportFrom { module, name }, e.ty, e.span), pending)
            }
            ExprKind::CallMethod { name, args, kwnames } => {
                let mut pending = Vec::new();
                let args = self.all_borrowed(args, &mut pending);
                released(Expr::new(ExprKind::CallMethod { name, args, kwnames }, e.ty, e.span), pending)
            }
            ExprKind::IfExp { cond, then_expr, else_expr } if e.ty.is_object() => {
                let cond = Box::new(self.expr(*cond));
                let then_expr = Box::new(self.owned(*then_expr));
                let else_expr = Box::new(self.owned(*else_expr));
                Expr::new(ExprKind::IfExp { cond, then_expr, else_expr }, e.ty, e.span)
            }
            ExprKind::Seq { body, value, frame } => {
                let body = self.block(body);
                let value = Box::new(self.expr(*value));
                Expr::new(ExprKind::Seq { body, value, frame }, e.ty, e.span)
            }
            ExprKind::Let { local, value, body } => {
                let value = Box::new(self.owned(*value));
                let body = Box::new(self.expr(*body));
                Expr::new(ExprKind::Let { local, value, body }, e.ty, e.span)
            }
            kind => {
                e.kind = kind;
                for child in crate::tir::visit::child_exprs_mut(&mut e) {
                    let c = std::mem::replace(child, placeholder());
                    *child = self.expr(c);
                }
                e
            }
        }
    }

    /// `e` where a borrowed object is needed: a new reference goes into a temporary slot,
    /// released after the operation (`pending`).
    fn borrowed(&mut self, e: Expr, pending: &mut Vec<u32>) -> Expr {
        let e = self.expr(e);
        if !e.ty.is_object() || !is_owned(&e) {
            return e;
        }
        let slot = self.temps;
        self.temps += 1;
        pending.push(slot);
        let (span, ty) = (e.span, e.ty);
        Expr::new(ExprKind::Temp { slot, value: Box::new(e) }, ty, span)
    }

    fn all_borrowed(&mut self, args: Vec<Expr>, pending: &mut Vec<u32>) -> Vec<Expr> {
        args.into_iter().map(|a| self.borrowed(a, pending)).collect()
    }

    /// `e` where a new reference is needed.
    fn owned(&mut self, e: Expr) -> Expr {
        let e = self.expr(e);
        if !e.ty.is_object() || is_owned(&e) {
            return e;
        }
        let (span, ty) = (e.span, e.ty);
        Expr::new(ExprKind::NewRef(Box::new(e)), ty, span)
    }

    /// An expression statement: a new reference it computes is released.
    fn discarded(&mut self, e: Expr) -> Expr {
        let mut pending = Vec::new();
        let e = self.borrowed(e, &mut pending);
        released(e, pending)
    }
}

fn released(e: Expr, slots: Vec<u32>) -> Expr {
    if slots.is_empty() {
        return e;
    }
    let (ty, span) = (e.ty, e.span);
    Expr::new(ExprKind::Release { value: Box::new(e), slots }, ty, span)
}

/// A borrowed read `e` of the temporaries `slots`: a new reference when it is an object
/// and they are released after it.
fn kept_from(e: Expr, slots: Vec<u32>) -> Expr {
    if slots.is_empty() || !e.ty.is_object() {
        return released(e, slots);
    }
    let (ty, span) = (e.ty, e.span);
    released(Expr::new(ExprKind::NewRef(Box::new(e)), ty, span), slots)
}

fn placeholder() -> Expr {
    Expr::new(ExprKind::Const(crate::tir::Const::Bool(false)), Ty::Bool, crate::source::Span::default())
}
