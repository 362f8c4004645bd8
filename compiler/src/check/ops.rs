//! Check: operators. Decides each operator's type and its Python or C semantics (overflow
//! checks, floor division, zero checks, `cdivision`) and writes them as TIR ops.

use super::convert::{cast, constant};
use super::expr::{is_pure, to_bool, Val};
use super::objects;
use super::scope::FnCx;
use super::ty::{arith_common, bool_as_int, int_fits, int_promote, join};
use crate::diagnostics::Code;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{BinOp, BoolOpKind, CastKind, CmpOp, Const, ExcKind, Expr, ExprKind, FloatKind, IntKind, Overflow, Raise, Ty, UnaryOp};

pub(crate) const ZERO_DIV_INT: Raise = Raise::new(ExcKind::ZeroDivisionError, "division by zero");
pub(crate) const ZERO_DIV_FLOAT: Raise = Raise::new(ExcKind::ZeroDivisionError, "float division by zero");
pub(crate) const ZERO_FLOORDIV_INT: Raise = Raise::new(ExcKind::ZeroDivisionError, "integer division or modulo by zero");
pub(crate) const ZERO_MOD_INT: Raise = Raise::new(ExcKind::ZeroDivisionError, "integer modulo by zero");
pub(crate) const ZERO_FLOORDIV_FLOAT: Raise = Raise::new(ExcKind::ZeroDivisionError, "float floor division by zero");
pub(crate) const ZERO_MOD_FLOAT: Raise = Raise::new(ExcKind::ZeroDivisionError, "float modulo");
pub(crate) const ZERO_POW: Raise = Raise::new(ExcKind::ZeroDivisionError, "0.0 cannot be raised to a negative power");
pub(crate) const NEG_EXP: Raise =
    Raise::new(ExcKind::ValueError, "negative exponent in an integer power: pycc types `int ** int` as an integer; use a float base");
pub(crate) const NEG_SHIFT: Raise = Raise::new(ExcKind::ValueError, "negative shift count");

/// The `OverflowError` of a checked integer operation.
pub(crate) fn overflow_raise(op: &str) -> Raise {
    let msg = match op {
        "+" => "integer overflow in `+`",
        "-" => "integer overflow in `-`",
        "*" => "integer overflow in `*`",
        "//" => "integer overflow in `//`",
        "**" => "integer overflow in `**`",
        "<<" => "integer overflow in `<<`",
        "neg" => "integer overflow in negation",
        "abs" => "integer overflow in `abs()`",
        _ => "integer overflow",
    };
    Raise::new(ExcKind::OverflowError, msg)
}

pub(crate) fn boolop_kind(op: &ast::BoolOp) -> BoolOpKind {
    match op {
        ast::BoolOp::And => BoolOpKind::And,
        ast::BoolOp::Or => BoolOpKind::Or,
    }
}

fn op_text(op: &ast::Operator) -> &'static str {
    use ast::Operator::*;
    match op {
        Add => "+",
        Sub => "-",
        Mult => "*",
        MatMult => "@",
        Div => "/",
        Mod => "%",
        Pow => "**",
        LShift => "<<",
        RShift => ">>",
        BitOr => "|",
        BitXor => "^",
        BitAnd => "&",
        FloorDiv => "//",
    }
}

/// `a op b` on two integer literals, with Python's floor division (also under `cdivision`:
/// Cython folds constants with Python's operators, `(-1) // (3 + 4)` is -1); None when the
/// operation does not fold to a 64-bit value.
fn fold_int(op: &ast::Operator, a: i64, b: i64) -> Option<i64> {
    use ast::Operator as O;
    match op {
        O::Add => a.checked_add(b),
        O::Sub => a.checked_sub(b),
        O::Mult => a.checked_mul(b),
        O::FloorDiv => {
            let (q, r) = (a.checked_div(b)?, a.checked_rem(b)?);
            Some(if r != 0 && (r < 0) != (b < 0) { q - 1 } else { q })
        }
        O::Mod => {
            let r = a.checked_rem(b)?;
            Some(if r != 0 && (r < 0) != (b < 0) { r + b } else { r })
        }
        O::Pow => a.checked_pow(u32::try_from(b).ok()?),
        O::LShift => {
            let v = i128::from(a) << u32::try_from(b).ok().filter(|&b| b < 64)?;
            i64::try_from(v).ok()
        }
        O::RShift => Some(a >> u32::try_from(b).ok()?.min(63)),
        O::BitAnd => Some(a & b),
        O::BitOr => Some(a | b),
        O::BitXor => Some(a ^ b),
        O::Div | O::MatMult => None,
    }
}

/// Whether `a <op> b` on two integer literals gives a Python `int` outside 64 bits.
fn literal_overflows(op: &ast::Operator, a: i64, b: i64) -> bool {
    use ast::Operator as O;
    let (a, b) = (i128::from(a), i128::from(b));
    let fits = |v: Option<i128>| v.is_some_and(|v| i64::try_from(v).is_ok());
    match op {
        O::Add => !fits(a.checked_add(b)),
        O::Sub => !fits(a.checked_sub(b)),
        O::Mult => !fits(a.checked_mul(b)),
        O::Pow if b >= 0 => a.abs() > 1 && !fits(u32::try_from(b).ok().and_then(|e| a.checked_pow(e))),
        O::LShift if b >= 0 => a != 0 && !fits(u32::try_from(b).ok().filter(|s| *s < 64).map(|s| a << s)),
        O::FloorDiv => a == i128::from(i64::MIN) && b == -1,
        _ => false,
    }
}

fn binary_expr(op: BinOp, lhs: Expr, rhs: Expr, ty: Ty, sp: Span) -> Expr {
    Expr::new(ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }, ty, sp)
}

impl FnCx<'_> {
    /// Cython's type of a value (see [`FnCx::narrow`]).
    pub(crate) fn static_ty(&self, v: &Val) -> Ty {
        match self.narrow.get(&v.expr.span) {
            Some(&(c, t)) if c == v.ty() => t,
            _ => v.ty(),
        }
    }

    /// The value as Cython keeps it in a temporary of its type: converted from its C type
    /// to Cython's (`double` rounded to `float`, `int` widened to `long`; see
    /// [`FnCx::narrow`]).
    pub(crate) fn narrowed(&mut self, v: Val) -> Val {
        match self.static_ty(&v) {
            t if t == v.ty() || v.err => v,
            t => Val { expr: self.operand(v.clone(), t), ..v },
        }
    }

    /// Records Cython's type of a `double` result from its operands' types: `float` when
    /// they are `float`s and C integers (literals count as nothing), as Cython types
    /// `v + 100` or `-(v * 2)`.
    fn note_narrow(&mut self, val: &Val, operands: &[&Val]) {
        if val.ty() != Ty::DOUBLE {
            return;
        }
        let statics: Vec<Ty> = operands.iter().filter(|v| v.lit.is_none()).map(|v| self.static_ty(v)).collect();
        let float = Ty::Float(FloatKind::Float);
        if statics.contains(&float) && statics.iter().all(|t| *t == float || t.is_int() || *t == Ty::Bool) {
            self.narrow.insert(val.expr.span, (Ty::DOUBLE, float));
        }
    }

    /// Cython's type of a C integer operation in a `.pyx`: its operands' Cython types, where
    /// a literal is a C `long` (C sees an `int`: Cython writes `31`, not `31L`), with C's
    /// conversions. `None` unless both are C integers.
    fn cy_int_type(&self, l: &Val, r: &Val) -> Option<Ty> {
        if !self.is_pyx() {
            return None;
        }
        let cy = |v: &Val| if v.lit.is_some() { Ty::Int(IntKind::Long) } else { self.static_ty(v) };
        let (a, b) = (cy(l), cy(r));
        let c_int = |t: Ty| t == Ty::Bool || t.is_int() && t != Ty::PY_INT;
        (c_int(a) && c_int(b)).then(|| arith_common(a, b, true))
    }

    /// Records Cython's type of a C integer result where it is not the C type.
    fn note_cy_int(&mut self, val: &Val, l: &Val, r: &Val) {
        let ty = val.ty();
        if !ty.is_int() || ty == Ty::PY_INT {
            return;
        }
        if let Some(cy) = self.cy_int_type(l, r).filter(|t| *t != ty && t.is_int()) {
            self.narrow.insert(val.expr.span, (ty, cy));
        }
    }

    /// The common type of two operands. An integer literal takes the other operand's type
    /// when it fits (`i + 1` stays a C `int`); `join` keeps `bool` and narrow ints as they
    /// are (for `x if c else y`, `or`, `min`) instead of applying the arithmetic promotions.
    pub(crate) fn common_type(&self, a: &Val, b: &Val, join_mode: bool) -> Ty {
        let pyx = self.is_pyx();
        // A choice (`x if c else y`, `or`, `min`) is a temporary of Cython's type.
        let ty_of = |v: &Val| if join_mode { self.static_ty(v) } else { v.ty() };
        let adapt = |v: i64, long_lit: bool, t: Ty| -> Ty {
            // Cython: an integer literal of 32 bits is a C `long` (a larger one is a Python
            // object), and `x if c else 5`, `x or 5`, `min(x, 5)` have the widest of the two
            // types: `long` with an `unsigned int` (`(u if c else 5) - 10` is -7).
            // Arithmetic is C's, where the literal takes the other operand's type.
            if pyx && join_mode && matches!(t, Ty::Bool | Ty::Int(_)) && t != Ty::PY_INT {
                return if i32::try_from(v).is_ok() { join(t, Ty::Int(IntKind::Long), pyx) } else { Ty::PY_INT };
            }
            match t {
                // C: the literal is the `double` constant `100.0` (`v + 100` is a
                // `double`; Cython's type is `float`, see `note_narrow`).
                Ty::Float(FloatKind::Float) if !join_mode => Ty::DOUBLE,
                Ty::Float(_) => t,
                Ty::Bool => {
                    let k = bool_as_int(pyx);
                    if int_fits(v as i128, Ty::Int(k)) { Ty::Int(k) } else { Ty::PY_INT }
                }
                Ty::Int(k) if long_lit && !join_mode && k != IntKind::PyInt => arith_common(t, Ty::Int(IntKind::Long), pyx),
                Ty::Int(k) => {
                    let k = if join_mode { k } else { int_promote(k) };
                    if int_fits(v as i128, Ty::Int(k)) {
                        Ty::Int(k)
                    } else if pyx && k != IntKind::PyInt {
                        // C: the literal is a `long`, and the usual conversions apply
                        // (`unsigned long == -1` compares with ULONG_MAX).
                        let long = Ty::Int(IntKind::Long);
                        if join_mode { join(t, long, pyx) } else { arith_common(t, long, pyx) }
                    } else {
                        Ty::PY_INT
                    }
                }
                Ty::Void | Ty::View(_) => Ty::PY_INT,
                Ty::Object(_) => Ty::OBJECT,
            }
        };
        match (a.lit, b.lit) {
            // Cython types an integer literal of 32 bits as a C `long` (a larger one is a
            // Python object): `~(2 if c else 65535)` is a C `long`.
            (Some(x), Some(y)) if pyx && [x, y].iter().all(|&v| i32::try_from(v).is_ok()) => Ty::Int(IntKind::Long),
            (Some(_), Some(_)) => Ty::PY_INT,
            (Some(v), None) => adapt(v, self.long_lits.contains(&a.expr.span), ty_of(b)),
            (None, Some(v)) => adapt(v, self.long_lits.contains(&b.expr.span), ty_of(a)),
            (None, None) if join_mode => join(ty_of(a), ty_of(b), pyx),
            (None, None) => arith_common(a.ty(), b.ty(), pyx),
        }
    }

    /// The types of `l << r` with C operands in a `.pyx`: the promoted left operand, and
    /// the promoted count. A literal is an `int`, or a `long` where it does not fit.
    /// `None` where either side is a Python `int` (or not an integer).
    fn c_shift_types(&self, l: &Val, r: &Val) -> Option<(Ty, Ty)> {
        if !self.is_pyx() {
            return None;
        }
        let c_int = |v: &Val| -> Option<Ty> {
            let k = match (v.lit, v.ty()) {
                (Some(x), _) => {
                    if int_fits(i128::from(x), Ty::Int(IntKind::Int)) && !self.long_lits.contains(&v.expr.span) { IntKind::Int } else { IntKind::Long }
                }
                (None, Ty::Bool) => IntKind::Int,
                (None, Ty::Int(k)) if k != IntKind::PyInt => int_promote(k),
                _ => return None,
            };
            Some(Ty::Int(k))
        };
        Some((c_int(l)?, c_int(r)?))
    }

    fn int_overflow(&self, ty: Ty, op: &str) -> Overflow {
        match ty {
            Ty::Int(k) if k.checked() || (self.directives().overflowcheck && k.signed()) => Overflow::Check(overflow_raise(op)),
            _ => Overflow::Wrap,
        }
    }

    fn overflow_opt(&self, ty: Ty, op: &str) -> Option<Raise> {
        match self.int_overflow(ty, op) {
            Overflow::Check(r) => Some(r),
            Overflow::Wrap => None,
        }
    }

    /// `l <op>= r` (augmented assignment): objects use the in-place protocol
    /// (`xs += [1]` extends the list itself), C values the operator.
    pub(crate) fn aug_binary(&mut self, op: &ast::Operator, l: Val, r: Val, sp: Span) -> Val {
        if !(l.err || r.err) && (l.ty().is_object() || r.ty().is_object()) {
            return self.object_binary(op, l, r, sp, true);
        }
        self.binary(op, l, r, sp)
    }

    /// `l <op> r` where an operand is an object: the number protocol, the other operand
    /// boxed (`PyNumber_Add`, or `PyNumber_InPlaceAdd` for `+=`).
    fn object_binary(&mut self, op: &ast::Operator, l: Val, r: Val, sp: Span, inplace: bool) -> Val {
        use ast::Operator as O;
        let tainted = l.tainted || r.tainted;
        let (plain, in_place) = match op {
            O::Add => ("PyNumber_Add", "PyNumber_InPlaceAdd"),
            O::Sub => ("PyNumber_Subtract", "PyNumber_InPlaceSubtract"),
            O::Mult => ("PyNumber_Multiply", "PyNumber_InPlaceMultiply"),
            O::Div => ("PyNumber_TrueDivide", "PyNumber_InPlaceTrueDivide"),
            O::FloorDiv => ("PyNumber_FloorDivide", "PyNumber_InPlaceFloorDivide"),
            O::Mod => ("PyNumber_Remainder", "PyNumber_InPlaceRemainder"),
            O::Pow => ("PyNumber_Power", "PyNumber_InPlacePower"),
            O::LShift => ("PyNumber_Lshift", "PyNumber_InPlaceLshift"),
            O::RShift => ("PyNumber_Rshift", "PyNumber_InPlaceRshift"),
            O::BitAnd => ("PyNumber_And", "PyNumber_InPlaceAnd"),
            O::BitOr => ("PyNumber_Or", "PyNumber_InPlaceOr"),
            O::BitXor => ("PyNumber_Xor", "PyNumber_InPlaceXor"),
            O::MatMult => ("PyNumber_MatrixMultiply", "PyNumber_InPlaceMatrixMultiply"),
        };
        let name = if inplace { in_place } else { plain };
        // Floats: the C operation when both are exactly `float` (`float` has no in-place
        // slots, so `+=` is `+`).
        let float_op = match op {
            O::Add => Some(BinOp::Add(Overflow::Wrap)),
            O::Sub => Some(BinOp::Sub(Overflow::Wrap)),
            O::Mult => Some(BinOp::Mul(Overflow::Wrap)),
            O::Div => Some(BinOp::TrueDiv { zero: Some(ZERO_DIV_FLOAT) }),
            _ => None,
        };
        if let Some(fop) = float_op.filter(|_| [&l, &r].iter().all(|v| v.ty().is_object() || v.ty() == Ty::DOUBLE)) {
            let (le, re) = (l.expr.clone(), r.expr.clone());
            let generic = |a: Expr, b: Expr| objects::capi(name, vec![objects::boxed(a), objects::boxed(b)], sp);
            if let Some(expr) = self.float_binary(fop, le, re, generic, sp) {
                return Val { expr, lit: None, err: false, tainted };
            }
        }
        let mut args = vec![self.operand(l, Ty::OBJECT), self.operand(r, Ty::OBJECT)];
        if matches!(op, O::Pow) {
            args.push(Expr::new(ExprKind::NoneObj, Ty::OBJECT, sp));
        }
        Val { expr: objects::capi(name, args, sp), lit: None, err: false, tainted }
    }

    /// `l <op> r`.
    pub(crate) fn binary(&mut self, op: &ast::Operator, l: Val, r: Val, sp: Span) -> Val {
        if l.err || r.err {
            return Val { tainted: l.tainted || r.tainted, ..Val::error(sp) };
        }
        if l.ty().is_object() || r.ty().is_object() {
            return self.object_binary(op, l, r, sp, false);
        }
        // Two integer literals whose result does not fit in 64 bits (`2 ** 100`): a Python
        // `int`, as CPython and Cython compute it.
        if let (Some(a), Some(b)) = (l.lit, r.lit) {
            if literal_overflows(op, a, b) {
                return self.object_binary(op, l, r, sp, false);
            }
        }
        let tainted = l.tainted || r.tainted;
        let text = op_text(op);
        let cdiv = self.directives().cdivision;
        // In a `.pyx`, an operation on two integer literals is a C constant expression, as
        // in Cython: folded here (with Python's division, as Cython folds), so that the result
        // is a literal that takes the type of what it meets (`v - (2 * 3)` stays unsigned).
        // What does not fold (overflow, a zero divisor, a negative count) is left to run.
        if let (true, Some(a), Some(b)) = (self.is_pyx(), l.lit, r.lit) {
            if let Some(v) = fold_int(op, a, b) {
                if v < 0 && matches!(op, ast::Operator::Add | ast::Operator::Sub) {
                    self.long_lits.insert(sp);
                }
                return Val { tainted, ..Val::int_literal(v, sp) };
            }
        }
        // A literal divisor other than zero needs no zero check.
        let nonzero_lit = r.lit.is_some_and(|v| v != 0);
        use ast::Operator as O;
        // Cython keeps the operands of a division it checks for zero, and of a float `%`
        // (`__Pyx_mod_float`), in temporaries of their types.
        let (l, r) = match op {
            O::Div | O::FloorDiv if !(cdiv || nonzero_lit) => (self.narrowed(l), self.narrowed(r)),
            O::Mod => (self.narrowed(l), self.narrowed(r)),
            _ => (l, r),
        };
        let (lt, rt) = (l.ty(), r.ty());
        let both_int = !lt.is_float() && !rt.is_float();
        let float_mod = matches!(op, O::Mod) && (lt == Ty::Float(FloatKind::Float) || rt == Ty::Float(FloatKind::Float)) && !lt.is_object();
        let operand_vals = (l.clone(), r.clone());
        // Under `cdivision`, `/` on two C integers is C's integer division in their common
        // type, as in Cython (whose true division of C numbers is off with the directive):
        // `7 / 2` is 3, `a / 7` truncates.
        // An integer literal is a C constant there (a C `long`).
        let c_number = |t: Ty, lit: Option<i64>| t != Ty::PY_INT || lit.is_some();
        let c_operands = c_number(lt, l.lit) && c_number(rt, r.lit);
        let c_int_div = cdiv && both_int && matches!(op, O::Div) && c_operands;
        if let (true, Some(a), Some(b)) = (c_int_div, l.lit, r.lit) {
            if let Some(v) = a.checked_div(b) {
                return Val { tainted, ..Val::int_literal(v, sp) };
            }
        }
        let op = if c_int_div && matches!(self.common_type(&l, &r, false), Ty::Int(k) if k != IntKind::PyInt) { &O::FloorDiv } else { op };
        let expr = match op {
            O::Add | O::Sub | O::Mult => {
                let ty = self.common_type(&l, &r, false);
                let ovf = self.int_overflow(ty, text);
                let bop = match op {
                    O::Add => BinOp::Add(ovf),
                    O::Sub => BinOp::Sub(ovf),
                    _ => BinOp::Mul(ovf),
                };
                let (a, b) = (self.operand(l, ty), self.operand(r, ty));
                binary_expr(bop, a, b, ty, sp)
            }
            O::Div => {
                let ty = if both_int {
                    Ty::DOUBLE
                } else {
                    match self.common_type(&l, &r, false) {
                        Ty::Float(FloatKind::Float) => Ty::Float(FloatKind::Float),
                        _ => Ty::DOUBLE,
                    }
                };
                // `cdivision` is about C numbers: Python `int` operands keep Python's checks.
                // An integer literal is a C constant (`(-10) / x` has no check).
                let cdiv = cdiv && c_operands;
                let zero = if cdiv || nonzero_lit { None } else if both_int { Some(ZERO_DIV_INT) } else { Some(ZERO_DIV_FLOAT) };
                let (a, b) = (self.operand(l, ty), self.operand(r, ty));
                binary_expr(BinOp::TrueDiv { zero }, a, b, ty, sp)
            }
            O::FloorDiv | O::Mod => {
                let ty = self.common_type(&l, &r, false);
                // `__Pyx_mod_float(float, float)`: a `float` `%` computes in `float`.
                let ty = if float_mod && ty == Ty::DOUBLE && self.static_ty(&l) != Ty::DOUBLE && self.static_ty(&r) != Ty::DOUBLE {
                    Ty::Float(FloatKind::Float)
                } else {
                    ty
                };
                // Cython's `__Pyx_div_long(a, b)` / `__Pyx_mod_long`: Python's `//` and `%`
                // compute in Cython's type of the operation (`x // 3` in `long`).
                let ty = match (ty, cdiv) {
                    (Ty::Int(k), false) if k != IntKind::PyInt => self.cy_int_type(&l, &r).filter(|t| t.is_int()).unwrap_or(ty),
                    _ => ty,
                };
                let is_floor = matches!(op, O::FloorDiv);
                let cdiv = cdiv && ty != Ty::PY_INT;
                let bop = match ty {
                    Ty::Int(k) => {
                        let python = !cdiv && k.signed();
                        let zero = if cdiv || nonzero_lit { None } else if is_floor { Some(ZERO_FLOORDIV_INT) } else { Some(ZERO_MOD_INT) };
                        if is_floor {
                            // Only `MIN // -1` overflows.
                            let overflow = if r.lit.is_some_and(|v| v != -1) { None } else { self.overflow_opt(ty, "//") };
                            BinOp::FloorDiv { python, zero, overflow }
                        } else {
                            BinOp::Mod { python, zero }
                        }
                    }
                    _ => {
                        let zero = if cdiv || nonzero_lit { None } else if is_floor { Some(ZERO_FLOORDIV_FLOAT) } else { Some(ZERO_MOD_FLOAT) };
                        if is_floor {
                            // Cython's float `//` is C's `floor(a / b)` (`1.0 // 0.001` is
                            // 1000.0; Python's is 999.0, from the exact remainder).
                            BinOp::FloorDiv { python: !self.is_pyx(), zero, overflow: None }
                        } else {
                            // Cython's own rule, which is not Python's (see `CyFloatMod`)
                            if self.is_pyx() && !cdiv { BinOp::CyFloatMod { zero } } else { BinOp::Mod { python: !cdiv, zero } }
                        }
                    }
                };
                let (a, b) = (self.operand(l, ty), self.operand(r, ty));
                binary_expr(bop, a, b, ty, sp)
            }
            O::Pow => {
                let negative_lit = r.lit.is_some_and(|v| v < 0);
                if !both_int || negative_lit {
                    // Python: `2 ** -1 == 0.5`; floats use C `pow` with Python's zero rule.
                    let ty = Ty::DOUBLE;
                    let (a, b) = (self.operand(l, ty), self.operand(r, ty));
                    binary_expr(BinOp::Pow { overflow: Overflow::Wrap, neg_exp: None, zero: Some(ZERO_POW) }, a, b, ty, sp)
                } else {
                    let ty = self.common_type(&l, &r, false);
                    let signed = matches!(ty, Ty::Int(k) if k.signed());
                    let neg_exp = if r.lit.is_some() || !signed { None } else { Some(NEG_EXP) };
                    let overflow = self.int_overflow(ty, "**");
                    let (a, b) = (self.operand(l, ty), self.operand(r, ty));
                    binary_expr(BinOp::Pow { overflow, neg_exp, zero: None }, a, b, ty, sp)
                }
            }
            O::LShift | O::RShift | O::BitAnd | O::BitOr | O::BitXor => {
                if !both_int {
                    self.error(Code::InvalidOperand, sp, format!("unsupported operand types for `{text}`: `{lt}` and `{rt}`"));
                    return Val { tainted, ..Val::error(sp) };
                }
                let is_shift = matches!(op, O::LShift | O::RShift);
                let bitwise_bool = lt == Ty::Bool && rt == Ty::Bool && !is_shift;
                let ty = if bitwise_bool { Ty::Bool } else { self.common_type(&l, &r, false) };
                // C: a shift has the type of its promoted left operand, and the count keeps
                // its own type (`unsigned int << unsigned long` is an `unsigned int`). Python
                // `int` operands keep Python's rule (one type for both).
                let (ty, count_ty) = match self.c_shift_types(&l, &r) {
                    Some(types) if is_shift => types,
                    _ => (ty, ty),
                };
                let count_signed = matches!(count_ty, Ty::Int(k) if k.signed());
                let neg_count = if r.lit.is_some_and(|v| v >= 0) || !count_signed { None } else { Some(NEG_SHIFT) };
                let bop = match op {
                    O::LShift => BinOp::Shl { neg_count, overflow: self.overflow_opt(ty, "<<") },
                    O::RShift => BinOp::Shr { neg_count },
                    O::BitAnd => BinOp::BitAnd,
                    O::BitOr => BinOp::BitOr,
                    _ => BinOp::BitXor,
                };
                // A constant negative count is left to the runtime check, so that it raises
                // where (and only if) CPython would.
                let (a, b) = (self.operand(l, ty), self.operand(r, count_ty));
                binary_expr(bop, a, b, ty, sp)
            }
            O::MatMult => {
                self.unsupported(sp, "the `@` operator is not supported");
                return Val { tainted, ..Val::error(sp) };
            }
        };
        let val = Val { expr, lit: None, err: false, tainted };
        if !matches!(op, O::Pow) {
            self.note_narrow(&val, &[&operand_vals.0, &operand_vals.1]);
        }
        // Cython's type of a shift is the wider of both operands' (`int >> unsigned long`
        // boxes as an `unsigned long`), and a literal is a `long` for it (`i + 1`).
        if matches!(op, O::Add | O::Sub | O::Mult | O::BitAnd | O::BitOr | O::BitXor | O::LShift | O::RShift) {
            self.note_cy_int(&val, &operand_vals.0, &operand_vals.1);
        }
        val
    }

    pub(crate) fn check_unary(&mut self, u: &ast::ExprUnaryOp, sp: Span) -> Val {
        let sign = |v: f64| if matches!(u.op, ast::UnaryOp::USub) { -v } else { v };
        if matches!(u.op, ast::UnaryOp::USub | ast::UnaryOp::UAdd) {
            if let Some(v) = super::expr::int_literal(&u.operand) {
                let v = if matches!(u.op, ast::UnaryOp::USub) { -v } else { v };
                return match i64::try_from(v) {
                    Ok(v) => {
                        if v < 0 && self.is_pyx() {
                            self.long_lits.insert(sp);
                        }
                        Val::int_literal(v, sp)
                    }
                    Err(_) => {
                        self.unsupported(sp, "integer literal does not fit in 64 bits");
                        Val::error(sp)
                    }
                };
            }
            if let Some(f) = super::expr::float_literal(&u.operand) {
                return Val::new(constant(Const::Float(sign(f)), Ty::DOUBLE, sp));
            }
        }
        if let ast::UnaryOp::Not = u.op {
            let c = self.check_cond(&u.operand);
            return Val::new(Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(c) }, Ty::Bool, sp));
        }
        let v = self.check_value(&u.operand);
        if v.err {
            return v;
        }
        let tainted = v.tainted;
        if v.ty().is_object() {
            let name = match u.op {
                ast::UnaryOp::USub => "PyNumber_Negative",
                ast::UnaryOp::UAdd => "PyNumber_Positive",
                ast::UnaryOp::Invert => "PyNumber_Invert",
                ast::UnaryOp::Not => return Val { tainted, ..Val::error(sp) },
            };
            return Val { expr: objects::capi(name, vec![v.expr], sp), lit: None, err: false, tainted };
        }
        // In a `.pyx`, `-`, `+` and `~` of a constant are C constant expressions, folded as
        // the binary operators are (`~(-1000)` is the literal 999).
        if let (true, Some(x)) = (self.is_pyx(), v.lit) {
            let folded = match u.op {
                ast::UnaryOp::USub => x.checked_neg(),
                ast::UnaryOp::UAdd => Some(x),
                ast::UnaryOp::Invert => Some(!x),
                ast::UnaryOp::Not => None,
            };
            if let Some(x) = folded {
                if x < 0 && matches!(u.op, ast::UnaryOp::USub) || matches!(u.op, ast::UnaryOp::UAdd) && self.long_lits.contains(&v.expr.span) {
                    self.long_lits.insert(sp);
                }
                return Val { tainted, ..Val::int_literal(x, sp) };
            }
        }
        let v_static = self.static_ty(&v);
        let int_of_bool = Ty::Int(bool_as_int(self.is_pyx()));
        let operand = if v.ty() == Ty::Bool { cast(CastKind::FromBool, v.expr, int_of_bool) } else { v.expr };
        // C's integer promotion: `-`, `+` and `~` of a type narrower than `int` compute in
        // `int` (`-<unsigned char>1 == -1`).
        let operand = match operand.ty {
            Ty::Int(k) if int_promote(k) != k => self.operand(Val::new(operand), Ty::Int(int_promote(k))),
            _ => operand,
        };
        let ty = operand.ty;
        let op = match u.op {
            ast::UnaryOp::UAdd => return Val { expr: operand, lit: None, err: false, tainted },
            ast::UnaryOp::USub => UnaryOp::Neg { overflow: if ty.is_int() { self.overflow_opt(ty, "neg") } else { None } },
            ast::UnaryOp::Invert => {
                if !ty.is_int() {
                    self.error(Code::InvalidOperand, sp, format!("bad operand type for unary `~`: `{ty}`"));
                    return Val { tainted, ..Val::error(sp) };
                }
                UnaryOp::Invert
            }
            ast::UnaryOp::Not => UnaryOp::Not,
        };
        match v_static {
            Ty::DOUBLE | Ty::Float(_) if ty == Ty::DOUBLE && v_static != ty => {
                self.narrow.insert(sp, (ty, v_static));
            }
            Ty::Int(k) if ty.is_int() && Ty::Int(int_promote(k)) != ty && k != IntKind::PyInt => {
                self.narrow.insert(sp, (ty, Ty::Int(int_promote(k))));
            }
            _ => {}
        }
        Val { expr: Expr::new(ExprKind::Unary { op, operand: Box::new(operand) }, ty, sp), lit: None, err: false, tainted }
    }

    /// `a and b` / `a or b` as a value: Python returns one of the operands, so the result
    /// has their common type (`bint` only when both are `bint`).
    pub(crate) fn check_boolop_value(&mut self, b: &ast::ExprBoolOp, sp: Span) -> Val {
        let op = boolop_kind(&b.op);
        let mut iter = b.values.iter();
        let Some(first) = iter.next() else { return Val::error(sp) };
        let mut acc = self.check_value(first);
        for next in iter {
            let r = self.check_value(next);
            // Cython folds an integer literal on the left: `255 and x` is `x` (with `x`'s
            // type), `0 and x` is 0, `5 or x` is 5, `0 or x` is `x`.
            if let (true, Some(v), false) = (self.is_pyx(), acc.lit, r.err) {
                let keep_left = (v == 0) == matches!(op, BoolOpKind::And);
                acc = if keep_left { acc } else { r };
                continue;
            }
            acc = self.boolop_pair(op, acc, r, sp);
        }
        acc
    }

    fn boolop_pair(&mut self, op: BoolOpKind, l: Val, r: Val, sp: Span) -> Val {
        if l.err || r.err {
            return Val { tainted: l.tainted || r.tainted, ..Val::error(sp) };
        }
        let parts_tainted = l.tainted || r.tainted;
        if l.ty() == Ty::Bool && r.ty() == Ty::Bool {
            let expr = Expr::new(ExprKind::BoolOp { op, lhs: Box::new(l.expr), rhs: Box::new(r.expr) }, Ty::Bool, sp);
            return Val { expr, lit: None, err: false, tainted: parts_tainted };
        }
        let ty = self.common_type(&l, &r, true);
        let lhs = self.operand(l, ty);
        let rhs = self.operand(r, ty);
        let t = self.temp(ty, lhs.span);
        let tl = Expr::new(ExprKind::Local(t), ty, lhs.span);
        let cond = to_bool(tl.clone());
        let (then_expr, else_expr) = match op {
            BoolOpKind::Or => (tl, rhs),
            BoolOpKind::And => (rhs, tl),
        };
        let body = Expr::new(ExprKind::IfExp { cond: Box::new(cond), then_expr: Box::new(then_expr), else_expr: Box::new(else_expr) }, ty, sp);
        let expr = Expr::new(ExprKind::Let { local: t, value: Box::new(lhs), body: Box::new(body) }, ty, sp);
        Val { expr, lit: None, err: false, tainted: parts_tainted }
    }

    /// Comparisons, including chains: `a < b < c` evaluates `b` once and stops at the first
    /// false comparison, as Python does. As a value, a chain with an object comparison is
    /// Python's `(a < b) and (b < c)`: the first false result object, or the last one.
    pub(crate) fn check_compare(&mut self, c: &ast::ExprCompare, sp: Span) -> Val {
        self.check_compare_as(c, sp, false)
    }

    /// `as_bool`: only the truth value is needed (a condition), so each part of a chain is
    /// tested once and no result object is kept.
    pub(crate) fn check_compare_as(&mut self, c: &ast::ExprCompare, sp: Span, as_bool: bool) -> Val {
        let mut ops = Vec::with_capacity(c.ops.len());
        for (op, rhs) in c.ops.iter().zip(&c.comparators) {
            let cmp = match op {
                ast::CmpOp::Eq => Cmp::Op(CmpOp::Eq),
                ast::CmpOp::NotEq => Cmp::Op(CmpOp::Ne),
                ast::CmpOp::Lt => Cmp::Op(CmpOp::Lt),
                ast::CmpOp::LtE => Cmp::Op(CmpOp::Le),
                ast::CmpOp::Gt => Cmp::Op(CmpOp::Gt),
                ast::CmpOp::GtE => Cmp::Op(CmpOp::Ge),
                ast::CmpOp::Is => Cmp::Is(false),
                ast::CmpOp::IsNot => Cmp::Is(true),
                ast::CmpOp::In => Cmp::In(false),
                ast::CmpOp::NotIn => Cmp::In(true),
            };
            ops.push((cmp, rhs));
        }
        let left = self.check_value(&c.left);
        if ops.len() > 1 && !is_pure(&left.expr) && !left.err {
            // Bind the first operand so that it is evaluated before the second.
            let ty = left.ty();
            let t = self.temp(ty, left.expr.span);
            let lspan = left.expr.span;
            let local = Val { expr: Expr::new(ExprKind::Local(t), ty, lspan), ..left.clone() };
            let body = self.compare_chain(local, &ops, sp, as_bool);
            let bty = body.ty();
            let expr = Expr::new(ExprKind::Let { local: t, value: Box::new(left.expr), body: Box::new(body.expr) }, bty, sp);
            return Val { expr, ..body };
        }
        self.compare_chain(left, &ops, sp, as_bool)
    }

    fn compare_chain(&mut self, left: Val, ops: &[(Cmp, &ast::Expr)], sp: Span, as_bool: bool) -> Val {
        let Some(&(op, rhs_ast)) = ops.first() else { return Val::error(sp) };
        let right = self.check_value(rhs_ast);
        if ops.len() == 1 {
            return self.compare(op, left, right, sp, false);
        }
        if left.err || right.err {
            // Still check the rest of the chain for errors.
            let _ = self.compare_chain(right.clone(), &ops[1..], sp, as_bool);
            return Val { tainted: left.tainted || right.tainted, ..Val::error(sp) };
        }
        let ty = right.ty();
        let rspan = right.expr.span;
        let t = self.temp(ty, rspan);
        let local = Val { expr: Expr::new(ExprKind::Local(t), ty, rspan), ..right.clone() };
        let first = self.compare(op, left, local.clone(), sp, as_bool);
        let rest = self.compare_chain(local, &ops[1..], sp, as_bool);
        let (err, tainted) = (first.err || rest.err, first.tainted || rest.tainted);
        let body = if !as_bool && (first.ty().is_object() || rest.ty().is_object()) {
            self.boolop_pair(BoolOpKind::And, first, rest, sp).expr
        } else {
            let rest_expr = to_bool(rest.expr);
            Expr::new(ExprKind::BoolOp { op: BoolOpKind::And, lhs: Box::new(to_bool(first.expr)), rhs: Box::new(rest_expr) }, Ty::Bool, sp)
        };
        let bty = body.ty;
        let expr = Expr::new(ExprKind::Let { local: t, value: Box::new(right.expr), body: Box::new(body) }, bty, sp);
        Val { expr, lit: None, err, tainted }
    }

}

/// A comparison operator as written.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cmp {
    Op(CmpOp),
    /// `is` (`true`: `is not`).
    Is(bool),
    /// `in` (`true`: `not in`).
    In(bool),
}

impl FnCx<'_> {
    /// `l <op> r`; `as_bool`: a rich comparison of objects is made a truth value (in a
    /// chain, which `and`s its parts).
    fn compare(&mut self, op: Cmp, l: Val, r: Val, sp: Span, as_bool: bool) -> Val {
        if l.err || r.err {
            return Val { tainted: l.tainted || r.tainted, ..Val::error(sp) };
        }
        let tainted = l.tainted || r.tainted;
        let objects = l.ty().is_object() || r.ty().is_object();
        let op = match op {
            Cmp::Is(negated) => {
                // Identity: the two pointers (a C value is boxed first, as Cython does).
                let op = if negated { CmpOp::Ne } else { CmpOp::Eq };
                let (a, b) = (self.operand(l, Ty::OBJECT), self.operand(r, Ty::OBJECT));
                let (a, b) = (self.borrowed_none(a), self.borrowed_none(b));
                let expr = Expr::new(ExprKind::Compare { op, lhs: Box::new(a), rhs: Box::new(b) }, Ty::Bool, sp);
                return Val { expr, lit: None, err: false, tainted };
            }
            Cmp::In(negated) => {
                // `x in c` is `c.__contains__(x)` (the container first).
                let (item, container) = (self.operand(l, Ty::OBJECT), self.operand(r, Ty::OBJECT));
                let contains = self.kind_contains(container, item, sp);
                let found = cast(CastKind::ToBool, contains, Ty::Bool);
                let expr = if negated { Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(found) }, Ty::Bool, sp) } else { found };
                return Val { expr, lit: None, err: false, tainted };
            }
            Cmp::Op(op) => op,
        };
        match op {
            _ if objects => {
                // `PyObject_RichCompare`'s op: Py_LT, Py_LE, Py_EQ, Py_NE, Py_GT, Py_GE.
                let code = match op {
                    CmpOp::Lt => 0,
                    CmpOp::Le => 1,
                    CmpOp::Eq => 2,
                    CmpOp::Ne => 3,
                    CmpOp::Gt => 4,
                    _ => 5,
                };
                let (a, b) = (self.operand(l, Ty::OBJECT), self.operand(r, Ty::OBJECT));
                let code = constant(Const::Int(code), Ty::Int(IntKind::Int), sp);
                let rich = objects::capi("PyObject_RichCompare", vec![a, b, code], sp);
                let expr = if as_bool { to_bool(rich) } else { rich };
                return Val { expr, lit: None, err: false, tainted };
            }
            _ => {}
        }
        // A Python `int` meets a float: compare exactly (CPython), not through a rounded
        // `double`. C integers follow C, as in Cython.
        let exact_int = |v: &Val, other: &Val| {
            other.ty().is_float() && (v.ty() == Ty::PY_INT && v.lit.is_none() || v.lit.is_some_and(|n| !self.is_pyx() && (n as f64) as i128 != n as i128))
        };
        if exact_int(&l, &r) || exact_int(&r, &l) {
            let (a, b) = if l.ty().is_float() {
                (self.operand(l, Ty::DOUBLE), self.operand(r, Ty::PY_INT))
            } else {
                (self.operand(l, Ty::PY_INT), self.operand(r, Ty::DOUBLE))
            };
            let expr = Expr::new(ExprKind::Compare { op, lhs: Box::new(a), rhs: Box::new(b) }, Ty::Bool, sp);
            return Val { expr, lit: None, err: false, tainted };
        }
        let ty = if l.ty() == Ty::Bool && r.ty() == Ty::Bool { Ty::Bool } else { self.common_type(&l, &r, false) };
        let (a, b) = (self.operand(l, ty), self.operand(r, ty));
        let expr = Expr::new(ExprKind::Compare { op, lhs: Box::new(a), rhs: Box::new(b) }, Ty::Bool, sp);
        Val { expr, lit: None, err: false, tainted }
    }
}
