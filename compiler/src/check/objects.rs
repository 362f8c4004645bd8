//! Check: the object layer's TIR. C-API calls (`ExprKind::CApi`), chosen from the table in
//! `capi.rs`; boxing (C value → object) and unboxing (object → C value, with the errors
//! Cython raises) at the points Cython coerces; the generic protocol for operators on
//! objects. References are not handled here: `refs.rs` makes them explicit afterwards.

use crate::capi;
use crate::source::Span;
use crate::tir::{CastKind, Const, ExcKind, Expr, ExprKind, FloatKind, IntKind, Raise, Ty};

use super::convert::{cast, constant, too_large_msg};

/// A call of the C-API function `name`; its arguments already have the parameter types.
/// A name missing from the table is a pycc bug that `validate.rs` reports (as an internal
/// error, never a panic).
pub(crate) fn capi(name: &'static str, args: Vec<Expr>, span: Span) -> Expr {
    let func = capi::lookup(name).unwrap_or(&capi::MISSING);
    Expr::new(ExprKind::CApi { func, args }, func.ret.ty(), span)
}

/// A C scalar as a new Python object (`int`, `float` or `bool`).
pub(crate) fn boxed(e: Expr) -> Expr {
    let span = e.span;
    match e.ty {
        Ty::Object => e,
        Ty::Bool => capi("PyBool_FromLong", vec![cast(CastKind::FromBool, e, Ty::Int(IntKind::Long))], span),
        Ty::Int(k) if k.signed() => {
            let e = if k.bits() == 64 { retyped(e, Ty::Int(IntKind::LongLong)) } else { cast(CastKind::IntWrap, e, Ty::Int(IntKind::LongLong)) };
            capi("PyLong_FromLongLong", vec![e], span)
        }
        Ty::Int(k) => {
            let e = if k.bits() == 64 { retyped(e, Ty::Int(IntKind::ULongLong)) } else { cast(CastKind::IntWrap, e, Ty::Int(IntKind::ULongLong)) };
            capi("PyLong_FromUnsignedLongLong", vec![e], span)
        }
        Ty::Float(FloatKind::Double) => capi("PyFloat_FromDouble", vec![e], span),
        Ty::Float(FloatKind::Float) => capi("PyFloat_FromDouble", vec![cast(CastKind::FloatResize, e, Ty::DOUBLE)], span),
        // The checker never boxes these (views and `void` are refused before).
        Ty::Void | Ty::View(_) => e,
    }
}

/// A 64-bit integer seen as another 64-bit integer type of the same signedness (a no-op
/// `IntWrap`; constants are rewritten in place).
fn retyped(e: Expr, to: Ty) -> Expr {
    if e.ty == to {
        return e;
    }
    match e.kind {
        ExprKind::Const(c) => constant(c, to, e.span),
        _ => cast(CastKind::IntWrap, e, to),
    }
}

/// An integer literal as a Python `int`.
pub(crate) fn boxed_literal(v: i64, span: Span) -> Expr {
    capi("PyLong_FromLongLong", vec![constant(Const::Int(v), Ty::Int(IntKind::LongLong), span)], span)
}

/// An object converted to the C type `to`, raising what Cython raises: `TypeError` for a
/// value of the wrong type (`PyLong_As*` use `__index__`, `PyFloat_AsDouble` `__float__`),
/// `OverflowError` for an integer out of the type's range.
pub(crate) fn unboxed(e: Expr, to: Ty) -> Expr {
    let span = e.span;
    match to {
        Ty::Object | Ty::Void | Ty::View(_) => e,
        Ty::Bool => truth(e),
        Ty::Float(FloatKind::Double) => capi("PyFloat_AsDouble", vec![e], span),
        Ty::Float(FloatKind::Float) => cast(CastKind::FloatResize, capi("PyFloat_AsDouble", vec![e], span), to),
        Ty::Int(k) if k.signed() => narrowed(capi("PyLong_AsLongLong", vec![e], span), k),
        Ty::Int(k) => {
            // `PyLong_AsUnsignedLongLong` takes only `int`s: `__index__` first, as Cython.
            let index = capi("PyNumber_Index", vec![e], span);
            narrowed(capi("PyLong_AsUnsignedLongLong", vec![index], span), k)
        }
    }
}

/// A 64-bit result narrowed to `k` with Cython's `OverflowError`.
fn narrowed(e: Expr, k: IntKind) -> Expr {
    let to = Ty::Int(k);
    if k.bits() == 64 {
        return retyped(e, to);
    }
    cast(CastKind::IntChecked(Raise::new(ExcKind::OverflowError, too_large_msg(k))), e, to)
}

/// The truth value of an object (`PyObject_IsTrue`), as `bint`.
pub(crate) fn truth(e: Expr) -> Expr {
    let span = e.span;
    cast(CastKind::ToBool, capi("PyObject_IsTrue", vec![e], span), Ty::Bool)
}
