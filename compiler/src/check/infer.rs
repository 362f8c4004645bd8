//! Check: local type inference. An unannotated local gets the spanning type of everything
//! assigned to it; a function without a return annotation gets the spanning type of its
//! `return` values. Both are fixpoints: the body is re-checked until no type widens.
//!
//! Integer literals are weak: `x = 0` alone makes `x` a Python `int`, but with
//! `x = n` (a C `int`) elsewhere `x` stays a C `int` as long as every literal fits.
//! Values that depend on a call to a function whose return type is still being inferred are
//! *tainted*: they do not count towards a return type (the next round sees the real type).

use super::scope::span;
use super::ty::{int_fits, join};
use super::expr::Val;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::Ty;
use std::collections::HashMap;

/// What the assignments seen so far say about one inferred local (or a return type).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct TypeObs {
    /// The spanning type of the non-literal values.
    pub strong: Option<Ty>,
    /// The range of the integer literals assigned.
    pub lits: Option<(i64, i64)>,
    /// The spanning type of the memoryviews assigned. A local assigned a view is a view:
    /// its other values are errors (reported on assignment), and a read of another local
    /// whose type is not inferred yet (a Python `int` until then) must not turn it into a
    /// number for good.
    pub view: Option<Ty>,
}

impl TypeObs {
    pub fn add(&mut self, ty: Ty, lit: Option<i64>, is_pyx: bool) {
        if ty.is_view() {
            self.view = Some(self.view.map_or(ty, |v| join(v, ty, is_pyx)));
            return;
        }
        match lit {
            Some(v) => self.lits = Some(self.lits.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v)))),
            None => self.strong = Some(self.strong.map_or(ty, |s| join(s, ty, is_pyx))),
        }
    }

    /// The type: the strong type if every literal fits in it, else widened to Python `int`.
    pub fn ty(&self, is_pyx: bool) -> Option<Ty> {
        if self.view.is_some() {
            return self.view;
        }
        match (self.strong, self.lits) {
            (None, None) => None,
            (None, Some(_)) => Some(Ty::PY_INT),
            (Some(t), None) => Some(t),
            (Some(t @ Ty::Float(_)), Some(_)) => Some(t),
            (Some(t), Some((lo, hi))) if t.is_int() && int_fits(lo as i128, t) && int_fits(hi as i128, t) => Some(t),
            (Some(t), Some(_)) => Some(join(t, Ty::PY_INT, is_pyx)),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct VarInfo {
    pub obs: TypeObs,
    pub tainted: bool,
}

/// Inference state of one function's locals; it outlives the passes over the body.
#[derive(Debug, Default)]
pub(crate) struct InferState {
    pub vars: HashMap<String, VarInfo>,
    /// Set when a pass changed a type (or a taint): the pass must be redone.
    pub changed: bool,
}

impl InferState {
    /// The current type of an inferred local (Python `int` until something is assigned).
    pub fn ty(&self, name: &str, is_pyx: bool) -> Ty {
        self.vars.get(name).and_then(|v| v.obs.ty(is_pyx)).unwrap_or(Ty::PY_INT)
    }

    pub fn tainted(&self, name: &str) -> bool {
        self.vars.get(name).is_some_and(|v| v.tainted)
    }

    /// Records an assignment of `val` to the inferred local `name`.
    pub fn assign(&mut self, name: &str, val: &Val, is_pyx: bool) {
        if val.err || val.expr.ty == Ty::Void {
            return;
        }
        let info = self.vars.entry(name.to_string()).or_default();
        let before = *info;
        info.obs.add(val.expr.ty, val.lit, is_pyx);
        info.tainted |= val.tainted;
        if info.obs.ty(is_pyx) != before.obs.ty(is_pyx) || info.tainted != before.tainted {
            self.changed = true;
        }
    }
}

/// The `return` values of one pass, for a function whose return type is inferred.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RetObs {
    pub obs: TypeObs,
    /// Some `return` has a value (else the function is `void`).
    pub has_value: bool,
    /// Some `return` value depends on a pending return type (see the module docs).
    pub tainted: bool,
    /// Some `return` has no value (or is `return None`), or the body can fall off its end:
    /// with a value elsewhere, the function returns an object (the value or `None`).
    pub has_none: bool,
}

impl RetObs {
    pub fn add(&mut self, val: &Val, is_pyx: bool) {
        self.has_value = true;
        if val.tainted {
            self.tainted = true;
        } else if !val.err && val.expr.ty != Ty::Void {
            self.obs.add(val.expr.ty, val.lit, is_pyx);
        }
    }

    /// The return type these values give: `None` while only pending values were seen.
    /// Values that had errors count as Python `int` (their errors are already reported).
    pub fn ty(&self, is_pyx: bool) -> Option<Ty> {
        match self.obs.ty(is_pyx) {
            Some(_) if self.has_none => Some(Ty::OBJECT),
            Some(t) => Some(t),
            None if !self.has_value => Some(Ty::Void),
            None if self.tainted => None,
            None => Some(Ty::PY_INT),
        }
    }
}

/// A name the body assigns to, with where it first appears.
#[derive(Clone, Debug)]
pub(crate) struct Assigned {
    pub name: String,
    pub span: Span,
}

/// The locals of a function body in order of first appearance (Python's rule: a name
/// assigned anywhere in the function is local), and its annotated declarations.
#[derive(Debug, Default)]
pub(crate) struct BodyScan<'a> {
    pub assigned: Vec<Assigned>,
    pub annotations: Vec<(String, &'a ast::Expr, Span)>,
}

pub(crate) fn scan_body(body: &[ast::Stmt]) -> BodyScan<'_> {
    let mut scan = BodyScan::default();
    scan_block(body, &mut scan);
    scan
}

fn scan_block<'a>(body: &'a [ast::Stmt], scan: &mut BodyScan<'a>) {
    for stmt in body {
        match stmt {
            ast::Stmt::Assign(s) => s.targets.iter().for_each(|t| scan_target(t, scan)),
            ast::Stmt::AugAssign(s) => scan_target(&s.target, scan),
            ast::Stmt::AnnAssign(s) => {
                scan_target(&s.target, scan);
                if let ast::Expr::Name(n) = &*s.target {
                    scan.annotations.push((n.id.to_string(), &*s.annotation, span(&*s.target)));
                }
            }
            ast::Stmt::For(s) => {
                scan_target(&s.target, scan);
                scan_block(&s.body, scan);
                scan_block(&s.orelse, scan);
            }
            ast::Stmt::While(s) => {
                scan_block(&s.body, scan);
                scan_block(&s.orelse, scan);
            }
            ast::Stmt::If(s) => {
                scan_block(&s.body, scan);
                scan_block(&s.orelse, scan);
            }
            ast::Stmt::With(s) => scan_block(&s.body, scan),
            // A nested `def` and an import bind a local (compile-time imports bind nothing).
            ast::Stmt::FunctionDef(f) => scan_name(&f.name, span(f), scan),
            ast::Stmt::Import(i) => {
                for a in i.names.iter().filter(|a| !super::decl::compile_time(&a.name)) {
                    scan_name(&super::nested::import_binding(a), span(a), scan);
                }
            }
            ast::Stmt::ImportFrom(i) if i.level.is_some_and(|l| l.to_u32() > 0) || !super::decl::compile_time(i.module.as_deref().unwrap_or("")) => {
                for a in i.names.iter().filter(|a| a.name.as_str() != "*") {
                    scan_name(a.asname.as_ref().unwrap_or(&a.name), span(a), scan);
                }
            }
            _ => {}
        }
    }
}

fn scan_name(name: &str, sp: Span, scan: &mut BodyScan<'_>) {
    if !scan.assigned.iter().any(|a| a.name == name) {
        scan.assigned.push(Assigned { name: name.to_string(), span: sp });
    }
}

fn scan_target(target: &ast::Expr, scan: &mut BodyScan<'_>) {
    match target {
        ast::Expr::Name(n) => scan_name(&n.id, span(n), scan),
        ast::Expr::Tuple(t) => t.elts.iter().for_each(|e| scan_target(e, scan)),
        ast::Expr::List(t) => t.elts.iter().for_each(|e| scan_target(e, scan)),
        ast::Expr::Starred(s) => scan_target(&s.value, scan),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tir::IntKind;

    #[test]
    fn literals_are_weak() {
        let mut o = TypeObs::default();
        o.add(Ty::PY_INT, Some(0), true);
        assert_eq!(o.ty(true), Some(Ty::PY_INT));
        o.add(Ty::Int(IntKind::Int), None, true);
        assert_eq!(o.ty(true), Some(Ty::Int(IntKind::Int)));
        o.add(Ty::PY_INT, Some(1 << 40), true);
        assert_eq!(o.ty(true), Some(Ty::PY_INT));
        o.add(Ty::DOUBLE, None, true);
        assert_eq!(o.ty(true), Some(Ty::DOUBLE));
    }

    #[test]
    fn bool_with_an_int_literal_is_an_int() {
        let mut o = TypeObs::default();
        o.add(Ty::Bool, None, false);
        o.add(Ty::PY_INT, Some(0), false);
        assert_eq!(o.ty(false), Some(Ty::PY_INT));
    }
}
