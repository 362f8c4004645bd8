//! Check: expressions (AST) → typed TIR expressions. Names, literals, conditions and the
//! constructs pycc does not compile live here; operators are in `ops.rs`, calls in
//! `builtins.rs`.

use super::convert::{cast, constant};
use super::scope::{span, FnCx, Global, ModKind};
use super::builtins::{libc_const, math_const};
use crate::diagnostics::Code;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{CastKind, Const, Expr, ExprKind, Ty, UnaryOp};

/// A checked expression, with what the checker needs to know beyond its TIR.
#[derive(Clone, Debug)]
pub(crate) struct Val {
    pub expr: Expr,
    /// The value of an integer literal (`3`, `-3`): literals adapt to the other operand's type.
    pub lit: Option<i64>,
    /// An error was reported inside: do not report follow-on errors about this value.
    pub err: bool,
    /// Depends on a function whose return type is still being inferred (see `infer.rs`).
    pub tainted: bool,
}

impl Val {
    pub fn new(expr: Expr) -> Val {
        Val { expr, lit: None, err: false, tainted: false }
    }

    /// The stand-in for an expression that had an error.
    pub fn error(span: Span) -> Val {
        Val { expr: constant(Const::Int(0), Ty::PY_INT, span), lit: None, err: true, tainted: false }
    }

    pub fn int_literal(v: i64, span: Span) -> Val {
        Val { expr: constant(Const::Int(v), Ty::PY_INT, span), lit: Some(v), err: false, tainted: false }
    }

    pub fn ty(&self) -> Ty {
        self.expr.ty
    }

}

/// Whether evaluating an expression twice or in another order is unobservable.
pub(crate) fn is_pure(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Const(_) | ExprKind::Local(_))
}

/// An integer literal, possibly negated, as written (`5`, `-5`, `+5`), if it fits in `i128`.
pub(crate) fn int_literal(e: &ast::Expr) -> Option<i128> {
    match e {
        ast::Expr::Constant(c) => match &c.value {
            ast::Constant::Int(v) => v.to_string().parse::<i128>().ok(),
            _ => None,
        },
        ast::Expr::UnaryOp(u) => match u.op {
            ast::UnaryOp::USub => int_literal(&u.operand).map(|v| -v),
            ast::UnaryOp::UAdd => int_literal(&u.operand),
            _ => None,
        },
        _ => None,
    }
}

/// A float literal, possibly negated.
pub(crate) fn float_literal(e: &ast::Expr) -> Option<f64> {
    match e {
        ast::Expr::Constant(c) => match &c.value {
            ast::Constant::Float(v) => Some(*v),
            _ => None,
        },
        ast::Expr::UnaryOp(u) => match u.op {
            ast::UnaryOp::USub => float_literal(&u.operand).map(|v| -v),
            ast::UnaryOp::UAdd => float_literal(&u.operand),
            _ => None,
        },
        _ => None,
    }
}

impl FnCx<'_> {
    /// Checks an expression that must have a value (not a `void` call). A memoryview here
    /// (an operand, a receiver) is the Python object it views (`CastKind::ViewObject`).
    pub(crate) fn check_value(&mut self, e: &ast::Expr) -> Val {
        let val = self.check_value_or_view(e);
        if val.ty().is_view() && !val.err {
            return Val { expr: super::convert::cast(crate::tir::CastKind::ViewObject, val.expr, Ty::OBJECT), ..val };
        }
        val
    }

    /// Checks an expression that must have a value, which may be a memoryview (assignments,
    /// arguments and `return` accept them; operators do not).
    pub(crate) fn check_value_or_view(&mut self, e: &ast::Expr) -> Val {
        let val = self.check_expr(e);
        if val.ty() == Ty::Void && !val.err {
            self.error(Code::InvalidOperand, val.expr.span, "this call returns no value (`void`) and cannot be used as a value");
            return Val { tainted: val.tainted, ..Val::error(val.expr.span) };
        }
        val
    }

    /// Checks an expression; a call to a `void` function has type `void`.
    pub(crate) fn check_expr(&mut self, e: &ast::Expr) -> Val {
        let sp = span(e);
        match e {
            ast::Expr::Constant(c) => self.check_constant(&c.value, sp),
            ast::Expr::Name(n) => self.check_name(&n.id, sp),
            ast::Expr::Attribute(a) => self.check_attribute(a, sp),
            ast::Expr::BinOp(b) => {
                let l = self.check_value(&b.left);
                let r = self.check_value(&b.right);
                self.binary(&b.op, l, r, sp)
            }
            ast::Expr::UnaryOp(u) => self.check_unary(u, sp),
            ast::Expr::BoolOp(b) => self.check_boolop_value(b, sp),
            ast::Expr::Compare(c) => self.check_compare(c, sp),
            ast::Expr::IfExp(i) => {
                let cond = self.check_cond(&i.test);
                let a = self.check_value(&i.body);
                let b = self.check_value(&i.orelse);
                let ty = self.common_type(&a, &b, true);
                let parts = [&a, &b];
                let (err, tainted) = (parts.iter().any(|v| v.err), parts.iter().any(|v| v.tainted));
                let then_expr = self.operand(a, ty);
                let else_expr = self.operand(b, ty);
                let expr = Expr::new(ExprKind::IfExp { cond: Box::new(cond), then_expr: Box::new(then_expr), else_expr: Box::new(else_expr) }, ty, sp);
                Val { expr, lit: None, err, tainted }
            }
            ast::Expr::Call(c) => self.check_call(c, sp),
            ast::Expr::Subscript(s) => self.check_subscript(s, sp),
            ast::Expr::Tuple(t) => self.display(crate::tir::BuildKind::Tuple, t.elts.iter().collect(), sp),
            ast::Expr::List(l) => self.display(crate::tir::BuildKind::List, l.elts.iter().collect(), sp),
            ast::Expr::Set(s) => self.display(crate::tir::BuildKind::Set, s.elts.iter().collect(), sp),
            ast::Expr::ListComp(c) => self.comprehension(super::comprehension::CompKind::List, &c.elt, None, &c.generators, false, sp),
            ast::Expr::SetComp(c) => self.comprehension(super::comprehension::CompKind::Set, &c.elt, None, &c.generators, false, sp),
            ast::Expr::DictComp(c) => self.comprehension(super::comprehension::CompKind::Dict, &c.key, Some(&c.value), &c.generators, false, sp),
            ast::Expr::GeneratorExp(_) => self.refuse_genexp(sp),
            ast::Expr::JoinedStr(j) => self.check_fstring(j, sp),
            ast::Expr::Lambda(l) => self.check_nested_function(sp.start, &l.args, sp),
            ast::Expr::Dict(d) if d.keys.iter().all(Option::is_some) => {
                let items = d.keys.iter().flatten().zip(&d.values).flat_map(|(k, v)| [k, v]).collect();
                self.display(crate::tir::BuildKind::Dict, items, sp)
            }
            ast::Expr::Dict(d) => self.star_dict(d, sp),
            _ => {
                let what = match e {
                    ast::Expr::NamedExpr(_) => "assignment expressions (`:=`) are not supported",
                    ast::Expr::Await(_) => "`await` is not supported",
                    ast::Expr::Yield(_) | ast::Expr::YieldFrom(_) => "`yield` is not supported (generators are not compiled)",
                    ast::Expr::Starred(_) => "starred expressions are not supported",
                    ast::Expr::Slice(_) => "slices are not supported",
                    _ => "this expression is not supported",
                };
                self.unsupported(sp, what);
                Val::error(sp)
            }
        }
    }

    /// A tuple, list, set or dict display (dict: keys and values alternate in `items`).
    fn display(&mut self, kind: crate::tir::BuildKind, items: Vec<&ast::Expr>, sp: Span) -> Val {
        if items.iter().any(|e| matches!(e, ast::Expr::Starred(_))) {
            return self.star_display(kind, &items, sp);
        }
        let (mut err, mut tainted) = (false, false);
        let mut out = Vec::with_capacity(items.len());
        for e in items {
            let v = self.check_value(e);
            err |= v.err;
            tainted |= v.tainted;
            out.push(self.operand(v, Ty::OBJECT));
        }
        Val { expr: Expr::new(ExprKind::Build { kind, items: out }, Ty::Object(kind.obj_kind()), sp), lit: None, err, tainted }
    }

    fn check_constant(&mut self, c: &ast::Constant, sp: Span) -> Val {
        match c {
            ast::Constant::Int(v) => match v.to_string().parse::<i64>() {
                Ok(v) => Val::int_literal(v, sp),
                // A Python `int` of any size: a constant object.
                Err(_) => Val::new(self.const_obj(crate::abi::ConstObj::BigInt(v.to_string()), sp)),
            },
            ast::Constant::Str(s) => Val::new(self.const_obj(crate::abi::ConstObj::Str(s.clone()), sp)),
            ast::Constant::Bytes(b) => Val::new(self.const_obj(crate::abi::ConstObj::Bytes(b.clone()), sp)),
            ast::Constant::Float(f) => Val::new(constant(Const::Float(*f), Ty::DOUBLE, sp)),
            ast::Constant::Bool(b) => Val::new(constant(Const::Bool(*b), Ty::Bool, sp)),
            ast::Constant::None => Val::new(Expr::new(ExprKind::NoneObj, Ty::OBJECT, sp)),
            other => {
                let what = match other {
                    ast::Constant::Complex { .. } => "complex numbers are not supported",
                    ast::Constant::Tuple(_) => "tuples are not supported here",
                    _ => "`...` is not supported here",
                };
                self.unsupported(sp, what);
                Val::error(sp)
            }
        }
    }

    pub(crate) fn check_name(&mut self, name: &str, sp: Span) -> Val {
        if let Some(&id) = self.names.get(name) {
            let ty = self.local_ty(id);
            if ty.is_view() && !self.view_is_set(id) {
                self.push(
                    crate::diagnostics::Diagnostic::error(Code::UnsupportedSyntax, sp, format!("the memoryview `{name}` may be used before it is assigned"))
                        .with_note("pycc needs a memoryview local assigned on every path before its use (it cannot raise `UnboundLocalError`)"),
                );
                return Val::error(sp);
            }
            let tainted = !self.declared.contains_key(name) && self.infer.tainted(name);
            return Val { expr: Expr::new(ExprKind::Local(id), ty, sp), lit: None, err: false, tainted };
        }
        match self.env.global(name) {
            Some(Global::MathConst(v)) => return Val::new(constant(Const::Float(*v), Ty::DOUBLE, sp)),
            Some(&Global::CVar(k)) => {
                let ty = self.env.cglobals[k as usize].ty;
                return Val::new(Expr::new(ExprKind::CGlobal(k), ty, sp));
            }
            // A name of the module's namespace: read when the line runs (imported Python
            // modules are objects too, where pycc has no compile-time meaning for a use).
            Some(Global::Python { .. } | Global::Module(ModKind::Math | ModKind::Numpy | ModKind::Jit)) => return self.load_global(name, sp),
            Some(_) => {
                self.unsupported(sp, format!("`{name}` cannot be used as a value"));
                return Val::error(sp);
            }
            None => {}
        }
        match self.env.func_id(name) {
            // A `def`/`cpdef` function is a Python object of the module's globals too.
            Some(id) if self.env.sig(id).kind.is_exported() => self.load_global(name, sp),
            Some(_) => {
                self.unsupported(sp, format!("a `cdef` function cannot be used as a value; call `{name}(...)`"));
                Val::error(sp)
            }
            // Python's rule: the module's globals, then the builtins, when the line runs.
            None => self.load_global(name, sp),
        }
    }

    fn check_attribute(&mut self, a: &ast::ExprAttribute, sp: Span) -> Val {
        if let Some(v) = self.check_view_attribute(a, sp) {
            return v;
        }
        if let ast::Expr::Name(base) = &*a.value {
            match self.module_kind(&base.id, span(base)) {
                Some(ModKind::Math) => {
                    if let Some(v) = math_const(&a.attr) {
                        return Val::new(constant(Const::Float(v), Ty::DOUBLE, sp));
                    }
                }
                Some(ModKind::LibcMath) => {
                    if let Some(v) = libc_const(&a.attr) {
                        return Val::new(constant(Const::Float(v), Ty::DOUBLE, sp));
                    }
                    self.unsupported(sp, format!("`{}.{}` cannot be used as a value", base.id, a.attr));
                    return Val::error(sp);
                }
                _ => {}
            }
        }
        let obj = self.check_value(&a.value);
        if obj.err {
            return obj;
        }
        if !obj.ty().is_object() {
            self.unsupported(sp, format!("attribute access on a `{}` value is not supported", obj.ty()));
            return Val { tainted: obj.tainted, ..Val::error(sp) };
        }
        self.get_attr(obj, &a.attr, sp)
    }

    /// Checks a condition (`if`, `while`, `x if c else y`, `not`): any numeric value, made
    /// `bint`. `and`/`or` here short-circuit on truth values.
    pub(crate) fn check_cond(&mut self, e: &ast::Expr) -> Expr {
        let sp = span(e);
        match e {
            ast::Expr::BoolOp(b) => {
                let op = super::ops::boolop_kind(&b.op);
                let mut acc: Option<Expr> = None;
                for v in &b.values {
                    let c = self.check_cond(v);
                    acc = Some(match acc {
                        None => c,
                        Some(l) => {
                            let s = l.span.to(c.span);
                            Expr::new(ExprKind::BoolOp { op, lhs: Box::new(l), rhs: Box::new(c) }, Ty::Bool, s)
                        }
                    });
                }
                acc.unwrap_or_else(|| constant(Const::Bool(false), Ty::Bool, sp))
            }
            ast::Expr::Compare(c) if c.ops.len() > 1 => {
                let v = self.check_compare_as(c, sp, true);
                to_bool(v.expr)
            }
            ast::Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::Not) => {
                let c = self.check_cond(&u.operand);
                Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(c) }, Ty::Bool, sp)
            }
            _ => {
                let v = self.check_value(e);
                to_bool(v.expr)
            }
        }
    }
}

/// A value as a truth value (`bint`).
pub(crate) fn to_bool(e: Expr) -> Expr {
    if e.ty == Ty::Bool {
        e
    } else if e.ty.is_object() {
        super::objects::truth(e)
    } else {
        cast(CastKind::ToBool, e, Ty::Bool)
    }
}
