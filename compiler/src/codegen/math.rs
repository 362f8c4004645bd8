//! Codegen of `math` / `libc.math` functions and the `min`/`max` builtins: libm calls
//! (`Linkage::Import`: the JIT resolves them from the process, an object links with `-lm`),
//! inline instructions where Cranelift has one, and the checks of `MathCheck::Python`.
//!
//! This is the one place where codegen owns exception messages: the TIR names only the
//! check kind (`MathCheck::Python`), and the messages are CPython's.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, Type, Value};
use cranelift_module::Module;

use super::num::{num_of, Num};
use super::{clif_type, expr, FunctionCx};
use crate::source::Span;
use crate::tir::{ExcKind, Expr, MathCheck, MathFn, Raise, Ty};
use crate::InternalError;

pub(crate) const DOMAIN_ERROR: Raise = Raise::new(ExcKind::ValueError, "math domain error");
pub(crate) const RANGE_ERROR: Raise = Raise::new(ExcKind::OverflowError, "math range error");
pub(crate) const FLOOR_NAN: Raise = Raise::new(ExcKind::ValueError, "cannot convert float NaN to integer");
pub(crate) const FLOOR_INF: Raise = Raise::new(ExcKind::OverflowError, "cannot convert float infinity to integer");
pub(crate) const FLOOR_RANGE_64: Raise = Raise::new(ExcKind::OverflowError, "Python int too large to convert to C long");
pub(crate) const FLOOR_RANGE_NARROW: Raise = Raise::new(ExcKind::OverflowError, "value too large to convert to C integer");

fn arity(func: MathFn) -> usize {
    match func {
        MathFn::Atan2 | MathFn::Pow | MathFn::Fmod | MathFn::Hypot | MathFn::Copysign | MathFn::Min | MathFn::Max => 2,
        _ => 1,
    }
}

pub(crate) fn codegen_math<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    func: MathFn,
    args: &[Expr],
    check: MathCheck,
    ty: Ty,
    span: Span,
) -> Result<Value, InternalError> {
    if args.len() != arity(func) {
        return Err(InternalError::bug(format!(
            "function `{}`: {func:?} with {} arguments for {}",
            fx.func.name,
            args.len(),
            arity(func)
        )));
    }
    let mut values = Vec::with_capacity(args.len());
    for arg in args {
        values.push(expr::codegen_value(fx, arg)?);
    }
    fx.set_span(span);
    if let MathFn::Min | MathFn::Max = func {
        return codegen_min_max(fx, func, values[0], values[1], ty);
    }
    // Every other function computes on doubles.
    let mut x = Vec::with_capacity(values.len());
    for (v, arg) in values.iter().zip(args) {
        let arg_ty = clif_type(arg.ty)?;
        x.push(match num_of(arg.ty)? {
            Num::Float(_) => fx.widen_f64(*v, arg_ty),
            Num::Int { ty: int_ty, signed } => fx.int_to_float(*v, int_ty, signed, types::F64),
            Num::Bool => fx.int_to_float(*v, types::I8, false, types::F64),
        });
    }
    let result = match func {
        MathFn::IsNan => return Ok(fx.bcx.ins().fcmp(FloatCC::Unordered, x[0], x[0])),
        MathFn::IsInf => {
            let abs = fx.bcx.ins().fabs(x[0]);
            let inf = fx.fconst(types::F64, f64::INFINITY);
            return Ok(fx.bcx.ins().fcmp(FloatCC::Equal, abs, inf));
        }
        MathFn::IsFinite => {
            let abs = fx.bcx.ins().fabs(x[0]);
            let inf = fx.fconst(types::F64, f64::INFINITY);
            return Ok(fx.bcx.ins().fcmp(FloatCC::LessThan, abs, inf));
        }
        MathFn::Sqrt => fx.bcx.ins().sqrt(x[0]),
        MathFn::Floor => fx.bcx.ins().floor(x[0]),
        MathFn::Ceil => fx.bcx.ins().ceil(x[0]),
        MathFn::Trunc => fx.bcx.ins().trunc(x[0]),
        MathFn::Fabs => fx.bcx.ins().fabs(x[0]),
        MathFn::Copysign => fx.bcx.ins().fcopysign(x[0], x[1]),
        _ => {
            let symbol = func
                .libm_symbol()
                .ok_or_else(|| InternalError::bug(format!("{func:?} has neither an inline form nor a libm symbol")))?;
            fx.call_libm_f64(symbol, &x, types::F64)?
        }
    };

    if let Num::Int { ty: int_ty, signed } = num_of(ty)? {
        // `math.floor` / `math.ceil` into an integer type.
        return Ok(match check {
            MathCheck::None => fx.float_to_int_sat(result, int_ty, signed),
            MathCheck::Python { .. } => {
                let range = if int_ty.bits() == 64 { FLOOR_RANGE_64 } else { FLOOR_RANGE_NARROW };
                fx.float_to_int_checked(result, types::F64, int_ty, signed, FLOOR_NAN, FLOOR_INF, range, span)
            }
        });
    }
    if let MathCheck::Python { can_overflow } = check {
        codegen_python_math_check(fx, func, result, &x, can_overflow, span);
    }
    let result_ty = clif_type(ty)?;
    Ok(fx.narrow_from_f64(result, result_ty))
}

/// CPython's `math` error rules (Modules/mathmodule.c `math_1`, `math_2`, `math_pow`): a NaN
/// result from non-NaN arguments is a domain error; an infinite result from finite
/// arguments is a range error (`OverflowError`) for functions that can overflow, else a
/// domain error (`log(0)`). Two exceptions follow CPython: `pow(0.0, negative)` is a domain
/// error (CPython tests `x == 0` before calling it a range error), and `hypot` never raises
/// (CPython computes it without an error check: `hypot(1.7e308, 1.7e308)` is `inf`).
fn codegen_python_math_check<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    func: MathFn,
    result: Value,
    args: &[Value],
    can_overflow: bool,
    span: Span,
) {
    let inf = fx.fconst(types::F64, f64::INFINITY);
    let result_nan = fx.bcx.ins().fcmp(FloatCC::Unordered, result, result);
    let mut any_arg_nan = fx.iconst(types::I8, 0);
    let mut all_args_finite = fx.iconst(types::I8, 1);
    for &a in args {
        let nan = fx.bcx.ins().fcmp(FloatCC::Unordered, a, a);
        any_arg_nan = fx.bcx.ins().bor(any_arg_nan, nan);
        let abs = fx.bcx.ins().fabs(a);
        let finite = fx.bcx.ins().fcmp(FloatCC::LessThan, abs, inf);
        all_args_finite = fx.bcx.ins().band(all_args_finite, finite);
    }
    let no_arg_nan = fx.bcx.ins().icmp_imm_s(IntCC::Equal, any_arg_nan, 0);
    let domain = fx.bcx.ins().band(result_nan, no_arg_nan);
    fx.raise_if(domain, span, DOMAIN_ERROR);

    if func == MathFn::Hypot {
        return;
    }
    let abs = fx.bcx.ins().fabs(result);
    let result_inf = fx.bcx.ins().fcmp(FloatCC::Equal, abs, inf);
    let inf_from_finite = fx.bcx.ins().band(result_inf, all_args_finite);
    if func == MathFn::Pow {
        let zero = fx.fconst(types::F64, 0.0);
        let base_zero = fx.bcx.ins().fcmp(FloatCC::Equal, args[0], zero);
        let domain = fx.bcx.ins().band(inf_from_finite, base_zero);
        fx.raise_if(domain, span, DOMAIN_ERROR);
    }
    fx.raise_if(inf_from_finite, span, if can_overflow { RANGE_ERROR } else { DOMAIN_ERROR });
}

/// Python's `min(a, b)` returns `a` unless `b < a`; `max(a, b)` returns `a` unless `b > a`
/// (exact for NaN: the first argument wins when the comparison is false).
fn codegen_min_max<M: Module>(fx: &mut FunctionCx<'_, M>, func: MathFn, a: Value, b: Value, ty: Ty) -> Result<Value, InternalError> {
    let is_min = func == MathFn::Min;
    let take_b = match num_of(ty)? {
        Num::Float(_) => fx.bcx.ins().fcmp(if is_min { FloatCC::LessThan } else { FloatCC::GreaterThan }, b, a),
        Num::Int { signed: true, .. } => {
            fx.bcx.ins().icmp(if is_min { IntCC::SignedLessThan } else { IntCC::SignedGreaterThan }, b, a)
        }
        Num::Int { signed: false, .. } | Num::Bool => {
            fx.bcx.ins().icmp(if is_min { IntCC::UnsignedLessThan } else { IntCC::UnsignedGreaterThan }, b, a)
        }
    };
    Ok(fx.bcx.ins().select(take_b, b, a))
}

impl<M: Module> FunctionCx<'_, M> {
    /// Calls the libm function `symbol` on doubles; arguments of type `ty` (F32 or F64) are
    /// widened and the result narrowed back.
    pub(crate) fn call_libm_f64(&mut self, symbol: &'static str, args: &[Value], ty: Type) -> Result<Value, InternalError> {
        let id = self.mcx.libm_func(self.module, symbol, args.len())?;
        let func_ref = self.func_ref(id);
        let wide: Vec<Value> = args.iter().map(|&a| self.widen_f64(a, ty)).collect();
        let call = self.bcx.ins().call(func_ref, &wide);
        let result = self.bcx.inst_results(call)[0];
        Ok(self.narrow_from_f64(result, ty))
    }
}
