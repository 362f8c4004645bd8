//! Check: f-strings. `f"a{x!r:>{w}}b"` is CPython's `FORMAT_VALUE`/`BUILD_STRING`: each
//! replacement field is `format(conversion(value), spec)` (`PyObject_Format`, which returns
//! an exact `str` unchanged for an empty spec), and the pieces are joined
//! (`PyUnicode_Join("", [...])`). A nested spec is an f-string itself.

use super::expr::Val;
use super::objects::capi;
use super::scope::{span, FnCx};
use crate::abi::ConstObj;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{BuildKind, Expr, ExprKind, Ty};

impl FnCx<'_> {
    pub(crate) fn check_fstring(&mut self, j: &ast::ExprJoinedStr, sp: Span) -> Val {
        let (mut err, mut tainted) = (false, false);
        let mut parts = Vec::with_capacity(j.values.len());
        for v in &j.values {
            let part = match v {
                ast::Expr::Constant(c) if c.value.is_str() => {
                    let ast::Constant::Str(s) = &c.value else { continue };
                    Val::new(self.const_obj(ConstObj::Str(s.clone()), span(v)))
                }
                ast::Expr::FormattedValue(f) => self.formatted_value(f, span(v)),
                other => {
                    let val = self.check_value(other);
                    Val { expr: self.operand(val.clone(), Ty::OBJECT), ..val }
                }
            };
            err |= part.err;
            tainted |= part.tainted;
            parts.push(part.expr);
        }
        let expr = match parts.len() {
            0 => self.const_obj(ConstObj::Str(String::new()), sp),
            // A single constant piece is already the string.
            1 if matches!(parts[0].kind, ExprKind::ModConst(_)) => parts.remove(0),
            _ => {
                let empty = self.const_obj(ConstObj::Str(String::new()), sp);
                let list = Expr::new(ExprKind::Build { kind: BuildKind::List, items: parts }, Ty::OBJECT, sp);
                capi("PyUnicode_Join", vec![empty, list], sp)
            }
        };
        Val { expr, lit: None, err, tainted }
    }

    /// `{value!conversion:spec}`.
    fn formatted_value(&mut self, f: &ast::ExprFormattedValue, sp: Span) -> Val {
        let v = self.check_value(&f.value);
        let (mut err, mut tainted) = (v.err, v.tainted);
        let vsp = v.expr.span;
        let obj = self.operand(v, Ty::OBJECT);
        let obj = match f.conversion {
            ast::ConversionFlag::None => obj,
            ast::ConversionFlag::Str => capi("PyObject_Str", vec![obj], vsp),
            ast::ConversionFlag::Repr => capi("PyObject_Repr", vec![obj], vsp),
            ast::ConversionFlag::Ascii => capi("PyObject_ASCII", vec![obj], vsp),
        };
        let spec = match f.format_spec.as_deref() {
            None => self.const_obj(ConstObj::Str(String::new()), sp),
            Some(ast::Expr::JoinedStr(j)) => {
                let s = self.check_fstring(j, span(j));
                err |= s.err;
                tainted |= s.tainted;
                s.expr
            }
            Some(other) => {
                let s = self.check_value(other);
                err |= s.err;
                tainted |= s.tainted;
                self.operand(s, Ty::OBJECT)
            }
        };
        Val { expr: capi("PyObject_Format", vec![obj, spec], sp), lit: None, err, tainted }
    }
}
