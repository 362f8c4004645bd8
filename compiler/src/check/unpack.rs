//! Check: assignment to any target, and unpacking (`a, b = value`, `first, *rest = xs`,
//! `(a, b), c = ...`, `for k, v in d.items()`), with CPython's order: the whole right side
//! first, then each target left to right (an item or attribute target's own parts when
//! its turn comes).
//!
//! From a tuple or list display of as many plain items as there are plain targets, the
//! items are evaluated into temporaries of their own types and assigned in C: `a, b = b, a
//! + b` on C locals makes no object. Everything else is `StmtKind::Unpack` of an object
//! (the runtime's CPython `UNPACK_SEQUENCE`/`UNPACK_EX`, with its messages) into object
//! temporaries, each then assigned to its target with `Move`.

use super::expr::Val;
use super::scope::{span, FnCx};
use crate::diagnostics::Code;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{Block, Expr, ExprKind, Stmt, StmtKind, Ty};

impl FnCx<'_> {
    /// `target = val`, for any target Python allows.
    pub(crate) fn assign_target(&mut self, target: &ast::Expr, val: Val, sp: Span, out: &mut Block) {
        match target {
            ast::Expr::Name(n) => {
                if let Some(st) = self.assign_name(&n.id, val, sp) {
                    out.push(st);
                }
            }
            ast::Expr::Attribute(_) => self.object_store_val(target, val, sp, out),
            ast::Expr::Subscript(s) if self.view_local(&s.value).is_none() && !matches!(&*s.value, ast::Expr::Subscript(_)) => {
                self.object_store_val(target, val, sp, out)
            }
            ast::Expr::Subscript(s) => self.store_val(s, val, sp, out),
            ast::Expr::Tuple(t) => self.unpack_val(&t.elts, val, sp, out),
            ast::Expr::List(t) => self.unpack_val(&t.elts, val, sp, out),
            ast::Expr::Starred(_) => self.error(Code::InvalidAssignment, span(target), "a starred assignment target must be in a list or tuple"),
            _ => self.unsupported(span(target), "this expression cannot be assigned to"),
        }
    }

    /// The position of the one starred target, or an error for two of them.
    fn star_index(&mut self, targets: &[ast::Expr]) -> Result<Option<usize>, ()> {
        let stars: Vec<usize> = targets.iter().enumerate().filter(|(_, t)| matches!(t, ast::Expr::Starred(_))).map(|(k, _)| k).collect();
        match stars.as_slice() {
            [] => Ok(None),
            [k] => Ok(Some(*k)),
            [_, second, ..] => {
                self.error(Code::InvalidAssignment, span(&targets[*second]), "multiple starred expressions in assignment");
                Err(())
            }
        }
    }

    /// `targets = value` with `targets` a tuple or list target (`a, b = value`).
    pub(crate) fn check_unpack_assign(&mut self, targets: &[ast::Expr], value: &ast::Expr, sp: Span, out: &mut Block) {
        let items = match value {
            ast::Expr::Tuple(t) => Some(&t.elts),
            ast::Expr::List(t) => Some(&t.elts),
            _ => None,
        };
        let plain = |es: &[ast::Expr]| !es.iter().any(|e| matches!(e, ast::Expr::Starred(_)));
        match items {
            Some(items) if items.len() == targets.len() && plain(items) && plain(targets) => {
                // Each item into a temporary of its own type (in order), then each target.
                let mut vals = Vec::with_capacity(items.len());
                for item in items {
                    let v = self.check_value(item);
                    vals.push(self.hold(v, sp, out));
                }
                for (t, v) in targets.iter().zip(vals) {
                    self.assign_target(t, v, sp, out);
                }
            }
            _ => {
                let v = self.check_value(value);
                self.unpack_val(targets, v, sp, out);
            }
        }
    }

    /// `val` kept in a temporary (a constant stays as it is): an object is read back
    /// once, with `Move`.
    pub(crate) fn hold(&mut self, v: Val, sp: Span, out: &mut Block) -> Val {
        if v.err || matches!(v.expr.kind, ExprKind::Const(_)) {
            return v;
        }
        let (ty, vspan) = (v.ty(), v.expr.span);
        let t = self.temp(ty, vspan);
        out.push(Stmt { kind: StmtKind::Assign { local: t, value: v.expr }, span: sp });
        let kind = if ty.is_object() { ExprKind::Move(t) } else { ExprKind::Local(t) };
        Val { expr: Expr::new(kind, ty, vspan), lit: v.lit, err: false, tainted: v.tainted }
    }

    /// Unpacks the value `val` (any iterable; a C value is boxed, and raises as CPython
    /// does) into `targets`.
    pub(crate) fn unpack_val(&mut self, targets: &[ast::Expr], val: Val, sp: Span, out: &mut Block) {
        let Ok(star) = self.star_index(targets) else { return };
        let (err, tainted) = (val.err, val.tainted);
        let value = self.operand(val, Ty::OBJECT);
        let temps: Vec<_> = targets.iter().map(|t| self.temp(Ty::OBJECT, span(t))).collect();
        if !err {
            let star = star.map(|k| k as u32);
            out.push(Stmt { kind: StmtKind::Unpack { value, targets: temps.clone(), star }, span: sp });
        }
        for (t, temp) in targets.iter().zip(temps) {
            let t = match t {
                ast::Expr::Starred(s) => &*s.value,
                t => t,
            };
            let item = Expr::new(ExprKind::Move(temp), Ty::OBJECT, span(t));
            let v = if err { Val { tainted, ..Val::error(span(t)) } } else { Val { tainted, ..Val::new(item) } };
            self.assign_target(t, v, sp, out);
        }
    }

    /// `del a, b` / `del (x[0], y.z)`: each target in turn.
    pub(crate) fn delete_target(&mut self, target: &ast::Expr, sp: Span, out: &mut Block) {
        match target {
            ast::Expr::Tuple(t) => t.elts.iter().for_each(|e| self.delete_target(e, sp, out)),
            ast::Expr::List(t) => t.elts.iter().for_each(|e| self.delete_target(e, sp, out)),
            // `del x` of an object local releases its value; a later read gives `None`
            // (as a read before assignment does: README, "Where pycc differs").
            ast::Expr::Name(n) => match self.names.get(n.id.as_str()).copied() {
                Some(id) if self.local_ty(id).is_object() => {
                    let none = Expr::new(ExprKind::NoneObj, Ty::OBJECT, span(n));
                    out.push(Stmt { kind: StmtKind::Assign { local: id, value: none }, span: sp });
                }
                Some(id) => {
                    let ty = self.local_ty(id);
                    self.unsupported(span(n), format!("`del` of a local of type `{ty}` is not supported; only object locals can be deleted"));
                }
                // A global (module level, `global`): removed from the module's dict.
                None => self.delete_name(&n.id, span(n), out),
            },
            _ => self.object_delete(target, sp, out),
        }
    }
}
