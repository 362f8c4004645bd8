//! Check: conversions between scalar types, written into the TIR as `Cast` nodes.
//!
//! *Implicit* conversions happen on assignment, argument passing, `return` and between the
//! operands of an operator: ints widen or wrap as C does, a Python `int` going into a C int
//! is range-checked (Cython raises `OverflowError` there), int → float is allowed, float → int
//! is an error. *Explicit* casts (`<T>x`, `cython.cast`) have C semantics.

use super::expr::Val;
use super::scope::FnCx;
use super::ty::int_fits;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::tir::{ArgCheck, ArrayKind, CastKind, Const, ExcKind, Expr, ExprKind, IntKind, ObjKind, Raise, Ty};

/// Why an implicit conversion is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConvError {
    FloatToInt,
    /// An integer literal that does not fit in the target type.
    LiteralRange(i64),
    /// A `void` value, or a conversion to `void`.
    Void,
    /// A memoryview where a scalar is expected or the reverse, or a view of another type.
    View,
    /// An object of one builtin kind where another is required (`cdef list xs = (1, 2)`),
    /// or a C value where an object of a builtin kind is (`cdef list xs = 5`).
    ObjKind,
}

/// `expr` (an object of unknown kind) checked to be `None` or of the kind `kind` when it
/// runs (Cython's `TypeError: Expected list, got tuple`).
pub(crate) fn check_kind(expr: Expr, kind: ObjKind) -> Expr {
    let span = expr.span;
    if matches!(expr.kind, ExprKind::NoneObj) {
        return Expr { ty: Ty::Object(kind), ..expr };
    }
    Expr::new(ExprKind::CheckKind { value: Box::new(expr), kind, arg: None }, Ty::Object(kind), span)
}

/// An argument of a compiled call to a parameter of kind `kind`, checked as the call from
/// Python checks it (`Argument 'xs' has incorrect type (expected list, got tuple)`,
/// `None` refused for `not None`): replaces the assignment check `implicit` wrote; a value
/// already of the kind is checked only for `None`, and only when the parameter refuses it.
pub(crate) fn check_arg(expr: Expr, kind: ObjKind, arg: ArgCheck) -> Expr {
    let span = expr.span;
    let value = match expr.kind {
        // The assignment check `implicit` wrote: the argument test instead.
        ExprKind::CheckKind { value, arg: None, .. } => *value,
        // Already of the kind: only `None` remains to refuse.
        other if !arg.none_ok => Expr { kind: other, ..expr },
        other => return Expr { kind: other, ..expr },
    };
    Expr::new(ExprKind::CheckKind { value: Box::new(value), kind, arg: Some(arg) }, Ty::Object(kind), span)
}

pub(crate) fn cast(kind: CastKind, expr: Expr, to: Ty) -> Expr {
    let span = expr.span;
    Expr::new(ExprKind::Cast { kind, operand: Box::new(expr) }, to, span)
}

pub(crate) fn constant(c: Const, ty: Ty, span: Span) -> Expr {
    Expr::new(ExprKind::Const(c), ty, span)
}

/// The zero of a type: the stand-in value after an error.
pub(crate) fn zero(ty: Ty, span: Span) -> Expr {
    match ty {
        Ty::Float(_) => constant(Const::Float(0.0), ty, span),
        Ty::Bool => constant(Const::Bool(false), ty, span),
        Ty::Int(_) => constant(Const::Int(0), ty, span),
        Ty::Void | Ty::View(_) => constant(Const::Int(0), Ty::PY_INT, span),
        Ty::Object(_) => Expr::new(ExprKind::NoneObj, ty, span),
    }
}

/// The message of the `OverflowError` raised when a Python `int` does not fit a C int
/// (Cython's wording; one message covers both ends of an unsigned range).
pub(crate) fn too_large_msg(k: IntKind) -> &'static str {
    use IntKind::*;
    match k {
        Char => "value too large to convert to char",
        SChar => "value too large to convert to signed char",
        UChar => "can't convert negative or too large value to unsigned char",
        Short => "value too large to convert to short",
        UShort => "can't convert negative or too large value to unsigned short",
        Int => "value too large to convert to int",
        UInt => "can't convert negative or too large value to unsigned int",
        Long => "value too large to convert to long",
        ULong => "can't convert negative or too large value to unsigned long",
        LongLong => "value too large to convert to long long",
        ULongLong => "can't convert negative or too large value to unsigned long long",
        SSizeT => "value too large to convert to Py_ssize_t",
        SizeT => "can't convert negative or too large value to size_t",
        PyInt => "integer too large for pycc's 64-bit `int`",
    }
}

fn int_to_int(expr: Expr, from: IntKind, to: IntKind) -> Expr {
    let ty = Ty::Int(to);
    let fits = from.min_value() >= to.min_value() && from.max_value() <= to.max_value();
    if fits || !(to == IntKind::PyInt || from == IntKind::PyInt) {
        // Widening, or C to C (wraps, as C does).
        cast(CastKind::IntWrap, expr, ty)
    } else {
        cast(CastKind::IntChecked(Raise::new(ExcKind::OverflowError, too_large_msg(to))), expr, ty)
    }
}

/// An implicit conversion of `expr` (an integer literal when `lit` is set) to `to`.
pub(crate) fn implicit(expr: Expr, lit: Option<i64>, to: Ty) -> Result<Expr, ConvError> {
    let from = expr.ty;
    if from == to {
        return Ok(expr);
    }
    match (from, to) {
        (Ty::View(a), Ty::View(b)) if a.converts_to(b) => return Ok(cast(CastKind::ViewRelax, expr, to)),
        // A whole view met by an object: its owner (`check/alloc.rs` refuses slices).
        (Ty::View(_), Ty::Object(ObjKind::Any)) => return Ok(cast(CastKind::ViewObject, expr, to)),
        // Cython's coercion of an object to a memoryview: its buffer, checked when it runs.
        (Ty::Object(_), Ty::View(_)) => {
            let span = expr.span;
            return Ok(Expr::new(ExprKind::NewArray { kind: ArrayKind::Buffer, args: vec![expr], site: 0 }, to, span));
        }
        (Ty::View(_), _) | (_, Ty::View(_)) => return Err(ConvError::View),
        (Ty::Void, _) | (_, Ty::Void) => return Err(ConvError::Void),
        (Ty::Object(a), Ty::Object(b)) => {
            return match (a, b) {
                // Widening (`list` to `object`) or the same kind: the same object.
                (_, ObjKind::Any) => Ok(expr),
                _ if a == b => Ok(expr),
                // An object of unknown kind into a typed one: checked when it runs.
                (ObjKind::Any, _) => Ok(check_kind(expr, b)),
                // A `None` display is `Any`; two different known kinds never meet.
                _ => Err(ConvError::ObjKind),
            };
        }
        // A C value is an `int`, `float` or `bool`, never a `list`.
        (_, Ty::Object(k)) if k != ObjKind::Any => return Err(ConvError::ObjKind),
        (_, Ty::Object(_)) => return Ok(match lit {
            Some(v) => super::objects::boxed_literal(v, expr.span),
            None => super::objects::boxed(expr),
        }),
        (Ty::Object(_), _) => return Ok(super::objects::unboxed(expr, to)),
        _ => {}
    }
    let span = expr.span;
    if let Some(v) = lit {
        return match to {
            Ty::Int(_) if int_fits(v as i128, to) => Ok(constant(Const::Int(v), to, span)),
            Ty::Int(_) => Err(ConvError::LiteralRange(v)),
            Ty::Float(_) => Ok(constant(Const::Float(v as f64), to, span)),
            Ty::Bool => Ok(constant(Const::Bool(v != 0), to, span)),
            Ty::Void | Ty::View(_) | Ty::Object(_) => Err(ConvError::Void),
        };
    }
    Ok(match (from, to) {
        (Ty::Void, _) | (_, Ty::Void) => return Err(ConvError::Void),
        (Ty::View(_), _) | (_, Ty::View(_)) => return Err(ConvError::View),
        (Ty::Object(_), _) | (_, Ty::Object(_)) => return Err(ConvError::Void),
        (Ty::Bool, _) => cast(CastKind::FromBool, expr, to),
        (_, Ty::Bool) => cast(CastKind::ToBool, expr, to),
        (Ty::Int(a), Ty::Int(b)) => int_to_int(expr, a, b),
        (Ty::Int(_), Ty::Float(_)) => cast(CastKind::IntToFloat, expr, to),
        (Ty::Float(_), Ty::Int(_)) => return Err(ConvError::FloatToInt),
        (Ty::Float(_), Ty::Float(_)) => cast(CastKind::FloatResize, expr, to),
    })
}

/// Wraps an integer to a C type as a C cast does.
fn wrap_int(v: i64, k: IntKind) -> i64 {
    let bits = k.bits();
    if bits >= 64 {
        return v;
    }
    let mask = (1i64 << bits) - 1;
    let low = v & mask;
    if k.signed() && low >> (bits - 1) != 0 { low - (1i64 << bits) } else { low }
}

/// An explicit cast with C semantics (`<T>x`, `cython.cast(T, x)`).
pub(crate) fn explicit(expr: Expr, lit: Option<i64>, to: Ty) -> Result<Expr, ConvError> {
    let from = expr.ty;
    if from == to {
        return Ok(expr);
    }
    // `<object>x` boxes and `<int>obj` unboxes, as the implicit conversions do.
    if from.is_object() || to.is_object() {
        return implicit(expr, lit, to);
    }
    let span = expr.span;
    if let Some(v) = lit {
        return match to {
            Ty::Int(k) => Ok(constant(Const::Int(wrap_int(v, k)), to, span)),
            Ty::Float(_) => Ok(constant(Const::Float(v as f64), to, span)),
            Ty::Bool => Ok(constant(Const::Bool(v != 0), to, span)),
            Ty::Void | Ty::View(_) | Ty::Object(_) => Err(ConvError::Void),
        };
    }
    let kind = match (from, to) {
        (Ty::Void, _) | (_, Ty::Void) => return Err(ConvError::Void),
        (Ty::View(_), _) | (_, Ty::View(_)) => return Err(ConvError::View),
        (Ty::Object(_), _) | (_, Ty::Object(_)) => return Err(ConvError::Void),
        (Ty::Bool, _) => CastKind::FromBool,
        (_, Ty::Bool) => CastKind::ToBool,
        (Ty::Int(_), Ty::Int(_)) => CastKind::IntWrap,
        (Ty::Int(_), Ty::Float(_)) => CastKind::IntToFloat,
        (Ty::Float(_), Ty::Int(_)) => CastKind::FloatToIntTrunc,
        (Ty::Float(_), Ty::Float(_)) => CastKind::FloatResize,
    };
    Ok(cast(kind, expr, to))
}

/// What a converted value is for, to word the error.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Target<'s> {
    Local(&'s str),
    Arg { func: &'s str, param: &'s str },
    Return(&'s str),
    /// An operand converted to the operator's type.
    Operand,
    /// An element of the named memoryview (`a[i] = value`).
    Element(&'s str),
}

impl FnCx<'_> {
    /// Converts a value implicitly, reporting `invalid-assignment` when it cannot be.
    pub(crate) fn coerce(&mut self, val: Val, to: Ty, target: Target<'_>) -> Expr {
        let span = val.expr.span;
        if val.err {
            return zero(to, span);
        }
        let from = val.expr.ty;
        match implicit(val.expr, val.lit, to) {
            Ok(e) => e,
            Err(err) => {
                let d = self.conversion_error(err, from, to, target, span);
                self.push(d);
                zero(to, span)
            }
        }
    }

    fn conversion_error(&self, err: ConvError, from: Ty, to: Ty, target: Target<'_>, span: Span) -> Diagnostic {
        let what = match target {
            Target::Local(name) => format!("cannot assign `{from}` to `{name}` of type `{to}`"),
            Target::Arg { func, param } => format!("cannot pass `{from}` as argument `{param}` of `{func}`, which has type `{to}`"),
            Target::Return(func) => format!("cannot return `{from}` from `{func}`, which returns `{to}`"),
            Target::Operand => format!("cannot convert `{from}` to `{to}`"),
            Target::Element(view) => format!("cannot assign `{from}` to an element of `{view}`, which has type `{to}`"),
        };
        match err {
            ConvError::FloatToInt => {
                let help = if self.is_pyx() {
                    format!("convert explicitly: `<{to}>value` truncates (C), `int(value)` checks (Python)")
                } else {
                    "convert explicitly with `int(value)`".to_string()
                };
                Diagnostic::error(Code::InvalidAssignment, span, what).with_help(help)
            }
            ConvError::LiteralRange(v) => {
                let d = Diagnostic::error(Code::InvalidAssignment, span, format!("integer literal `{v}` does not fit in `{to}`"));
                if self.is_pyx() { d.with_help(format!("to wrap it as C does (and Cython, with a C compiler warning), cast it: `<{to}>({v})`")) } else { d }
            }
            ConvError::Void => Diagnostic::error(Code::InvalidAssignment, span, "this call returns no value (`void`)"),
            ConvError::ObjKind => Diagnostic::error(Code::InvalidAssignment, span, what),
            ConvError::View => {
                let d = Diagnostic::error(Code::InvalidAssignment, span, what);
                match (from, to) {
                    (Ty::View(a), Ty::View(b)) if a.elem == b.elem && a.ndim == b.ndim && a.readonly && !b.readonly => {
                        d.with_note("a `const` memoryview cannot be used where a writable one is expected")
                    }
                    (Ty::View(a), Ty::View(b)) if a.elem == b.elem && a.ndim == b.ndim && !a.c_contig && b.c_contig => {
                        d.with_note("a strided memoryview cannot be used where a C-contiguous one (`::1`) is expected")
                    }
                    _ => d,
                }
            }
        }
    }

    /// An operand converted to the operator's common type (never fails for numeric types).
    pub(crate) fn operand(&mut self, val: Val, to: Ty) -> Expr {
        // An integer literal met by an object (`x * 2`): a module constant, made once (as
        // CPython's code constants), instead of a new int each time the line runs.
        if let (Ty::Object(_), Some(v), ExprKind::Const(_)) = (to, val.lit, &val.expr.kind) {
            if val.ty().is_int() && !val.err {
                return self.const_obj(crate::abi::ConstObj::BigInt(v.to_string()), val.expr.span);
            }
        }
        // In a `.pyx` the operator's type came from C's usual conversions, which convert a
        // literal that does not fit (`unsigned long == -1`) by wrapping it, as C does.
        if let (true, Some(v), Ty::Int(k)) = (self.is_pyx(), val.lit, to) {
            if k != IntKind::PyInt && !super::ty::int_fits(i128::from(v), to) {
                return constant(Const::Int(wrap_int(v, k)), to, val.expr.span);
            }
        }
        // Cython boxes an integer in its own type of the value (see `FnCx::narrow`).
        let val = if to.is_object() && val.ty().is_int() { self.narrowed(val) } else { val };
        self.coerce(val, to, Target::Operand)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_casts_wrap_literals() {
        assert_eq!(wrap_int(300, IntKind::UChar), 44);
        assert_eq!(wrap_int(200, IntKind::Char), -56);
        assert_eq!(wrap_int(-1, IntKind::UInt), 4294967295);
        assert_eq!(wrap_int(-1, IntKind::ULongLong), -1);
        assert_eq!(wrap_int(1 << 31, IntKind::Int), -(1 << 31));
    }

    #[test]
    fn python_int_into_c_int_is_checked_and_c_to_c_wraps() {
        let e = constant(Const::Int(0), Ty::PY_INT, Span::default());
        let local = Expr::new(ExprKind::Local(crate::tir::LocalId(0)), Ty::PY_INT, Span::default());
        assert!(matches!(implicit(local.clone(), None, Ty::Int(IntKind::Int)).unwrap().kind, ExprKind::Cast { kind: CastKind::IntChecked(_), .. }));
        let c = Expr { ty: Ty::Int(IntKind::Long), ..local.clone() };
        assert!(matches!(implicit(c.clone(), None, Ty::Int(IntKind::Short)).unwrap().kind, ExprKind::Cast { kind: CastKind::IntWrap, .. }));
        assert!(matches!(implicit(c, None, Ty::PY_INT).unwrap().kind, ExprKind::Cast { kind: CastKind::IntWrap, .. }));
        let u = Expr { ty: Ty::Int(IntKind::SizeT), ..local.clone() };
        assert!(matches!(implicit(u, None, Ty::PY_INT).unwrap().kind, ExprKind::Cast { kind: CastKind::IntChecked(_), .. }));
        assert_eq!(implicit(e.clone(), Some(300), Ty::Int(IntKind::UChar)).unwrap_err(), ConvError::LiteralRange(300));
        let f = Expr { ty: Ty::DOUBLE, ..local };
        assert_eq!(implicit(f, None, Ty::Int(IntKind::Int)).unwrap_err(), ConvError::FloatToInt);
    }
}
