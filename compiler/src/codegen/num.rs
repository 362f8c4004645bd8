//! Codegen of numeric operations: unary and binary arithmetic with the checks the TIR names
//! (overflow, zero division, `MIN // -1`, negative exponents and shift counts), Python's
//! floor division and modulo, `**`, shifts, comparisons and every `CastKind`.
//!
//! The TIR decides the semantics; this file maps each op 1:1. Where the TIR asks for C
//! semantics that C leaves undefined (division by zero or `MIN // -1` without a check, an
//! unchecked negative shift count), the result is a fixed value instead of a hardware trap:
//! compiled code never crashes the interpreter.

use cranelift_codegen::ir::condcodes::{CondCode, FloatCC, IntCC};
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, InstructionData, MemFlagsData, Opcode, Signature, Type, Value};
use cranelift_module::Module;

use super::{clif_type, FunctionCx};
use crate::abi::{Ctx, Services};
use crate::source::Span;
use crate::tir::{BinOp, CastKind, CmpOp, Overflow, Raise, Ty, UnaryOp};
use crate::InternalError;

/// The representation of a TIR numeric type, as the ops need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Num {
    Int { ty: Type, signed: bool },
    Float(Type),
    Bool,
}

pub(crate) fn num_of(ty: Ty) -> Result<Num, InternalError> {
    Ok(match ty {
        Ty::Int(k) => Num::Int { ty: clif_type(ty)?, signed: k.signed() },
        Ty::Float(_) => Num::Float(clif_type(ty)?),
        Ty::Bool => Num::Bool,
        Ty::Void | Ty::View(_) | Ty::Object(_) => return Err(InternalError::bug("arithmetic on `void`, a memoryview or an object")),
    })
}

fn bug<M: Module>(fx: &FunctionCx<'_, M>, what: impl std::fmt::Display) -> InternalError {
    InternalError::bug(format!("function `{}`: {what}", fx.func.name))
}

fn int_min(ty: Type) -> i64 {
    if ty.bits() == 64 { i64::MIN } else { -(1i64 << (ty.bits() - 1)) }
}

pub(crate) fn codegen_unary<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    op: UnaryOp,
    v: Value,
    ty: Ty,
    span: Span,
) -> Result<Value, InternalError> {
    let num = num_of(ty)?;
    Ok(match (op, num) {
        (UnaryOp::Neg { overflow: Some(raise) }, Num::Int { ty, signed }) => {
            let zero = fx.iconst(ty, 0);
            let (res, of) = if signed { fx.bcx.ins().ssub_overflow(zero, v) } else { fx.bcx.ins().usub_overflow(zero, v) };
            fx.raise_if(of, span, raise);
            res
        }
        (UnaryOp::Neg { overflow: None }, Num::Int { .. }) => fx.bcx.ins().ineg(v),
        (UnaryOp::Neg { .. }, Num::Float(_)) => fx.bcx.ins().fneg(v),
        (UnaryOp::Invert, Num::Int { .. }) => fx.bcx.ins().bnot(v),
        (UnaryOp::Not, Num::Bool) => fx.bcx.ins().icmp_imm_s(IntCC::Equal, v, 0),
        (UnaryOp::Abs { .. }, Num::Int { signed: false, .. }) => v,
        (UnaryOp::Abs { overflow }, Num::Int { ty, signed: true }) => {
            if let Some(raise) = overflow {
                let is_min = fx.bcx.ins().icmp_imm_s(IntCC::Equal, v, int_min(ty));
                fx.raise_if(is_min, span, raise);
            }
            fx.bcx.ins().iabs(v)
        }
        (UnaryOp::Abs { .. }, Num::Float(_)) => fx.bcx.ins().fabs(v),
        (op, _) => return Err(bug(fx, format_args!("unary {op:?} on `{ty}`"))),
    })
}

pub(crate) fn codegen_binary<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    op: BinOp,
    l: Value,
    r: Value,
    ty: Ty,
    span: Span,
) -> Result<Value, InternalError> {
    match num_of(ty)? {
        Num::Int { ty: clif_ty, signed } => codegen_int_binary(fx, op, l, r, clif_ty, signed, span),
        Num::Float(clif_ty) => codegen_float_binary(fx, op, l, r, clif_ty, span),
        Num::Bool => match op {
            BinOp::BitAnd => Ok(fx.bcx.ins().band(l, r)),
            BinOp::BitOr => Ok(fx.bcx.ins().bor(l, r)),
            BinOp::BitXor => Ok(fx.bcx.ins().bxor(l, r)),
            op => Err(bug(fx, format_args!("{op:?} on `bint`"))),
        },
    }
}

fn codegen_int_binary<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    op: BinOp,
    l: Value,
    r: Value,
    ty: Type,
    signed: bool,
    span: Span,
) -> Result<Value, InternalError> {
    Ok(match op {
        BinOp::Add(Overflow::Wrap) => fx.bcx.ins().iadd(l, r),
        BinOp::Sub(Overflow::Wrap) => fx.bcx.ins().isub(l, r),
        BinOp::Mul(Overflow::Wrap) => fx.bcx.ins().imul(l, r),
        BinOp::Add(Overflow::Check(raise)) => {
            let (res, of) = if signed { fx.bcx.ins().sadd_overflow(l, r) } else { fx.bcx.ins().uadd_overflow(l, r) };
            fx.raise_if(of, span, raise);
            res
        }
        BinOp::Sub(Overflow::Check(raise)) => {
            let (res, of) = if signed { fx.bcx.ins().ssub_overflow(l, r) } else { fx.bcx.ins().usub_overflow(l, r) };
            fx.raise_if(of, span, raise);
            res
        }
        BinOp::Mul(Overflow::Check(raise)) => checked_mul(fx, l, r, signed, span, raise),
        BinOp::TrueDiv { .. } => return Err(bug(fx, "`/` on integers (the checker casts the operands to `double`)")),
        BinOp::CyFloatMod { .. } => return Err(bug(fx, "Cython's float `%` on integers")),
        BinOp::FloorDiv { python, zero, overflow } => {
            codegen_int_divmod(fx, l, r, ty, signed, python, zero, overflow, span, DivPart::Quotient)
        }
        BinOp::Mod { python, zero } => codegen_int_divmod(fx, l, r, ty, signed, python, zero, None, span, DivPart::Remainder),
        BinOp::Pow { overflow, neg_exp, zero: _ } => codegen_int_pow(fx, l, r, ty, signed, overflow, neg_exp, span),
        BinOp::BitAnd => fx.bcx.ins().band(l, r),
        BinOp::BitOr => fx.bcx.ins().bor(l, r),
        BinOp::BitXor => fx.bcx.ins().bxor(l, r),
        BinOp::Shl { .. } | BinOp::Shr { .. } => return Err(bug(fx, "a shift outside `codegen_shift`")),
    })
}

/// `a << n` and `a >> n`, where the count `n` has its own integer type `count_ty` (C: the
/// result has the type of the promoted left operand). A negative count raises `neg_count`
/// (unchecked, it counts as a huge count); a count of the width or more shifts every bit out.
pub(crate) fn codegen_shift<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    op: BinOp,
    a: Value,
    n: Value,
    count_ty: Ty,
    ty: Ty,
    span: Span,
) -> Result<Value, InternalError> {
    let (Num::Int { ty: clif_ty, signed }, Num::Int { ty: count_clif, signed: count_signed }) = (num_of(ty)?, num_of(count_ty)?) else {
        return Err(bug(fx, format_args!("a shift of `{ty}` by `{count_ty}`")));
    };
    let neg_count = match op {
        BinOp::Shl { neg_count, .. } | BinOp::Shr { neg_count } => neg_count,
        _ => return Err(bug(fx, format_args!("{op:?} is not a shift"))),
    };
    if let (true, Some(raise)) = (count_signed, neg_count) {
        let negative = fx.bcx.ins().icmp_imm_s(IntCC::SignedLessThan, n, 0);
        fx.raise_if(negative, span, raise);
    }
    let big = fx.bcx.ins().icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, n, clif_ty.bits() as i64);
    // Below the width, the count fits any integer type; at or above it `big` decides.
    let n = match count_clif.bits().cmp(&clif_ty.bits()) {
        std::cmp::Ordering::Greater => fx.bcx.ins().ireduce(clif_ty, n),
        std::cmp::Ordering::Less => fx.bcx.ins().uextend(clif_ty, n),
        std::cmp::Ordering::Equal => n,
    };
    Ok(match op {
        BinOp::Shl { overflow, .. } => codegen_shl(fx, a, n, big, clif_ty, signed, overflow, span),
        _ => codegen_shr(fx, a, n, big, clif_ty, signed),
    })
}

fn checked_mul<M: Module>(fx: &mut FunctionCx<'_, M>, l: Value, r: Value, signed: bool, span: Span, raise: Raise) -> Value {
    let (res, of) = if signed { fx.bcx.ins().smul_overflow(l, r) } else { fx.bcx.ins().umul_overflow(l, r) };
    fx.raise_if(of, span, raise);
    res
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DivPart {
    Quotient,
    Remainder,
}

/// Integer `//` and `%`.
///
/// Python (`python`): the quotient rounds toward negative infinity and the remainder takes
/// the divisor's sign: from C's truncated `q, r`, `if r != 0 && (r ^ b) < 0 { q -= 1; r += b }`.
/// C: the truncated `q, r`. Checks: `b == 0` raises `zero`; `MIN // -1` raises `overflow`.
/// Unchecked, `x // 0` gives `x` and `x % 0` gives 0, and `MIN // -1` wraps to `MIN`
/// (Cranelift's `sdiv` would trap on both).
#[allow(clippy::too_many_arguments)]
fn codegen_int_divmod<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    a: Value,
    b: Value,
    ty: Type,
    signed: bool,
    python: bool,
    zero: Option<Raise>,
    overflow: Option<Raise>,
    span: Span,
    part: DivPart,
) -> Value {
    if let Some(raise) = zero {
        let is_zero = fx.bcx.ins().icmp_imm_s(IntCC::Equal, b, 0);
        fx.raise_if(is_zero, span, raise);
    }
    let mut divisor = b;
    if zero.is_none() {
        let is_zero = fx.bcx.ins().icmp_imm_s(IntCC::Equal, b, 0);
        let one = fx.iconst(ty, 1);
        divisor = fx.bcx.ins().select(is_zero, one, divisor);
    }
    if !signed {
        return match part {
            DivPart::Quotient => fx.bcx.ins().udiv(a, divisor),
            DivPart::Remainder => fx.bcx.ins().urem(a, divisor),
        };
    }
    if part == DivPart::Remainder {
        // `srem` by -1 gives 0 (Cranelift defines `MIN srem -1`; only a zero divisor traps),
        // which is also the Python remainder: no special case for -1.
        let rem = fx.bcx.ins().srem(a, divisor);
        return if python { python_remainder(fx, rem, divisor) } else { rem };
    }
    let is_minus_one = fx.bcx.ins().icmp_imm_s(IntCC::Equal, b, -1);
    if let Some(raise) = overflow {
        let is_min = fx.bcx.ins().icmp_imm_s(IntCC::Equal, a, int_min(ty));
        let both = fx.bcx.ins().band(is_min, is_minus_one);
        fx.raise_if(both, span, raise);
    }
    // `x // -1` is `-x` in both conventions; dividing by 1 instead keeps `sdiv` from
    // trapping on `MIN / -1` (when that is not already a raised error).
    let one = fx.iconst(ty, 1);
    divisor = fx.bcx.ins().select(is_minus_one, one, divisor);
    let q = fx.bcx.ins().sdiv(a, divisor);
    let neg = fx.bcx.ins().ineg(a);
    let quot = fx.bcx.ins().select(is_minus_one, neg, q);
    if !python {
        return quot;
    }
    let rem = fx.bcx.ins().srem(a, divisor);
    let nonzero = fx.bcx.ins().icmp_imm_s(IntCC::NotEqual, rem, 0);
    let signs = fx.bcx.ins().bxor(rem, divisor);
    let differ = fx.bcx.ins().icmp_imm_s(IntCC::SignedLessThan, signs, 0);
    let adjust = fx.bcx.ins().band(nonzero, differ);
    let q1 = fx.bcx.ins().iadd_imm_s(quot, -1);
    fx.bcx.ins().select(adjust, q1, quot)
}

/// The Python remainder from C's truncated one: `r + b` when `r != 0` and the signs of `r`
/// and `b` differ.
fn python_remainder<M: Module>(fx: &mut FunctionCx<'_, M>, rem: Value, divisor: Value) -> Value {
    let nonzero = fx.bcx.ins().icmp_imm_s(IntCC::NotEqual, rem, 0);
    let signs = fx.bcx.ins().bxor(rem, divisor);
    let differ = fx.bcx.ins().icmp_imm_s(IntCC::SignedLessThan, signs, 0);
    let adjust = fx.bcx.ins().band(nonzero, differ);
    let r1 = fx.bcx.ins().iadd(rem, divisor);
    fx.bcx.ins().select(adjust, r1, rem)
}

/// Integer `**` by square-and-multiply:
/// ```text
///   jump header(1, base, exp)
/// header(res, b, e): brif e == 0, done(res), body
/// body:              brif e & 1, mul, after(res)
/// mul:               jump after(res * b)
/// after(r):          e' = e >> 1; brif e' == 0, done(r), square
/// square:            jump header(r, b * b, e')
/// done(result):
/// ```
/// The base is squared only when another bit of the exponent remains, so a checked
/// multiply raises only when the true result overflows. A negative exponent raises
/// `neg_exp`; unchecked it gives 0 (what Cython's C `**` helper returns).
#[allow(clippy::too_many_arguments)]
fn codegen_int_pow<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    base: Value,
    exp: Value,
    ty: Type,
    signed: bool,
    overflow: Overflow,
    neg_exp: Option<Raise>,
    span: Span,
) -> Value {
    let header = fx.bcx.create_block();
    let res = fx.bcx.append_block_param(header, ty);
    let b = fx.bcx.append_block_param(header, ty);
    let e = fx.bcx.append_block_param(header, ty);
    let body = fx.bcx.create_block();
    let mul = fx.bcx.create_block();
    let after = fx.bcx.create_block();
    let r = fx.bcx.append_block_param(after, ty);
    let square = fx.bcx.create_block();
    let done = fx.bcx.create_block();
    let result = fx.bcx.append_block_param(done, ty);

    let one = fx.iconst(ty, 1);
    if signed {
        let negative = fx.bcx.ins().icmp_imm_s(IntCC::SignedLessThan, exp, 0);
        match neg_exp {
            Some(raise) => fx.raise_if(negative, span, raise),
            None => {
                let zero = fx.iconst(ty, 0);
                let start = fx.bcx.create_block();
                fx.brif(negative, done, &[zero], start, &[]);
                fx.seal(start);
                fx.bcx.switch_to_block(start);
            }
        }
    }
    fx.jump(header, &[one, base, exp]);

    fx.bcx.switch_to_block(header);
    let e_zero = fx.bcx.ins().icmp_imm_s(IntCC::Equal, e, 0);
    fx.brif(e_zero, done, &[res], body, &[]);
    fx.seal(body);

    fx.bcx.switch_to_block(body);
    let bit = fx.bcx.ins().band_imm_s(e, 1);
    fx.brif(bit, mul, &[], after, &[res]);
    fx.seal(mul);

    fx.bcx.switch_to_block(mul);
    let product = match overflow {
        Overflow::Wrap => fx.bcx.ins().imul(res, b),
        Overflow::Check(raise) => checked_mul(fx, res, b, signed, span, raise),
    };
    fx.jump(after, &[product]);
    fx.seal(after);

    fx.bcx.switch_to_block(after);
    let e_next = fx.bcx.ins().ushr_imm_s(e, 1);
    let e_next_zero = fx.bcx.ins().icmp_imm_s(IntCC::Equal, e_next, 0);
    fx.brif(e_next_zero, done, &[r], square, &[]);
    fx.seal(square);

    fx.bcx.switch_to_block(square);
    let b_next = match overflow {
        Overflow::Wrap => fx.bcx.ins().imul(b, b),
        Overflow::Check(raise) => checked_mul(fx, b, b, signed, span, raise),
    };
    fx.jump(header, &[r, b_next, e_next]);
    fx.seal(header);
    fx.seal(done);

    fx.bcx.switch_to_block(done);
    result
}

/// `a << n` with Python's semantics (`big`: the count is the width or more): a count of
/// the width or more gives 0; a checked shift that loses bits (the value does not survive
/// shifting back) raises `overflow`.
#[allow(clippy::too_many_arguments)]
fn codegen_shl<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    a: Value,
    n: Value,
    big: Value,
    ty: Type,
    signed: bool,
    overflow: Option<Raise>,
    span: Span,
) -> Value {
    let shifted = fx.bcx.ins().ishl(a, n);
    if let Some(raise) = overflow {
        let back = if signed { fx.bcx.ins().sshr(shifted, n) } else { fx.bcx.ins().ushr(shifted, n) };
        let lost_small = fx.bcx.ins().icmp(IntCC::NotEqual, back, a);
        let nonzero = fx.bcx.ins().icmp_imm_s(IntCC::NotEqual, a, 0);
        let lost = fx.bcx.ins().select(big, nonzero, lost_small);
        fx.raise_if(lost, span, raise);
    }
    let zero = fx.iconst(ty, 0);
    fx.bcx.ins().select(big, zero, shifted)
}

/// `a >> n` with Python's semantics: arithmetic for signed types; a count of the width or
/// more (`big`) gives 0, or -1 for a negative signed value.
fn codegen_shr<M: Module>(fx: &mut FunctionCx<'_, M>, a: Value, n: Value, big: Value, ty: Type, signed: bool) -> Value {
    if signed {
        let max_count = fx.iconst(ty, ty.bits() as i64 - 1);
        let count = fx.bcx.ins().select(big, max_count, n);
        fx.bcx.ins().sshr(a, count)
    } else {
        let shifted = fx.bcx.ins().ushr(a, n);
        let zero = fx.iconst(ty, 0);
        fx.bcx.ins().select(big, zero, shifted)
    }
}

fn codegen_float_binary<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    op: BinOp,
    l: Value,
    r: Value,
    ty: Type,
    span: Span,
) -> Result<Value, InternalError> {
    Ok(match op {
        BinOp::Add(_) => fx.bcx.ins().fadd(l, r),
        BinOp::Sub(_) => fx.bcx.ins().fsub(l, r),
        BinOp::Mul(_) => fx.bcx.ins().fmul(l, r),
        BinOp::TrueDiv { zero } => {
            float_zero_check(fx, r, ty, zero, span);
            fx.bcx.ins().fdiv(l, r)
        }
        BinOp::FloorDiv { python: true, zero, overflow: _ } => {
            float_zero_check(fx, r, ty, zero, span);
            call_float_service(fx, Services::OFFSET_FLOAT_FLOORDIV, l, r, ty)
        }
        BinOp::FloorDiv { python: false, zero, overflow: _ } => {
            float_zero_check(fx, r, ty, zero, span);
            let q = fx.bcx.ins().fdiv(l, r);
            fx.bcx.ins().floor(q)
        }
        BinOp::Mod { python: true, zero } => {
            float_zero_check(fx, r, ty, zero, span);
            call_float_service(fx, Services::OFFSET_FLOAT_MOD, l, r, ty)
        }
        BinOp::Mod { python: false, zero } => {
            float_zero_check(fx, r, ty, zero, span);
            fx.call_libm_f64("fmod", &[l, r], ty)?
        }
        BinOp::CyFloatMod { zero } => {
            float_zero_check(fx, r, ty, zero, span);
            let m = fx.call_libm_f64("fmod", &[l, r], ty)?;
            let z = fx.fconst(ty, 0.0);
            let nonzero = fx.bcx.ins().fcmp(FloatCC::NotEqual, m, z);
            let m_neg = fx.bcx.ins().fcmp(FloatCC::LessThan, m, z);
            let b_neg = fx.bcx.ins().fcmp(FloatCC::LessThan, r, z);
            let differ = fx.bcx.ins().bxor(m_neg, b_neg);
            let adjust = fx.bcx.ins().band(nonzero, differ);
            let adjust = fx.bcx.ins().uextend(types::I32, adjust);
            let flag = fx.bcx.ins().fcvt_from_uint(ty, adjust);
            let add = fx.bcx.ins().fmul(flag, r);
            fx.bcx.ins().fadd(m, add)
        }
        BinOp::Pow { overflow, neg_exp: _, zero } => {
            // A constant exponent that is not finite and negative (`x ** 2.0`), or a
            // nonzero constant base, cannot raise.
            let exp_cannot = float_const_of(fx, r).is_some_and(|c| !(c < 0.0 && c > f64::NEG_INFINITY));
            let base_cannot = float_const_of(fx, l).is_some_and(|c| c != 0.0);
            if let (Some(raise), false) = (zero, exp_cannot || base_cannot) {
                // Python's `float_pow`: `0.0 ** y` raises for a finite negative `y`
                // (`0.0 ** -inf` is `inf`: infinite exponents are handled first).
                let z = fx.fconst(ty, 0.0);
                let neg_inf = fx.fconst(ty, f64::NEG_INFINITY);
                let base_zero = fx.bcx.ins().fcmp(FloatCC::Equal, l, z);
                let exp_negative = fx.bcx.ins().fcmp(FloatCC::LessThan, r, z);
                let exp_finite = fx.bcx.ins().fcmp(FloatCC::GreaterThan, r, neg_inf);
                let negative_finite = fx.bcx.ins().band(exp_negative, exp_finite);
                let both = fx.bcx.ins().band(base_zero, negative_finite);
                fx.raise_if(both, span, raise);
            }
            let result = fx.call_libm_f64("pow", &[l, r], ty)?;
            if let Overflow::Check(raise) = overflow {
                // Python's float `**`: an infinite result from finite operands overflows.
                let inf = fx.fconst(ty, f64::INFINITY);
                let abs = fx.bcx.ins().fabs(result);
                let result_inf = fx.bcx.ins().fcmp(FloatCC::Equal, abs, inf);
                let abs_l = fx.bcx.ins().fabs(l);
                let abs_r = fx.bcx.ins().fabs(r);
                let l_finite = fx.bcx.ins().fcmp(FloatCC::LessThan, abs_l, inf);
                let r_finite = fx.bcx.ins().fcmp(FloatCC::LessThan, abs_r, inf);
                let finite = fx.bcx.ins().band(l_finite, r_finite);
                let overflowed = fx.bcx.ins().band(result_inf, finite);
                fx.raise_if(overflowed, span, raise);
            }
            result
        }
        op => return Err(bug(fx, format_args!("{op:?} on a float type"))),
    })
}

/// The value of a float constant, if `v` is one (Cranelift does not fold `fcmp` of
/// constants, so codegen leaves out the checks a constant operand decides).
fn float_const_of<M: Module>(fx: &FunctionCx<'_, M>, v: Value) -> Option<f64> {
    let dfg = &fx.bcx.func.dfg;
    let inst = dfg.value_def(v).inst()?;
    match dfg.insts[inst] {
        InstructionData::UnaryIeee64 { opcode: Opcode::F64const, imm } => Some(f64::from_bits(imm.bits())),
        InstructionData::UnaryIeee32 { opcode: Opcode::F32const, imm } => Some(f32::from_bits(imm.bits()) as f64),
        _ => None,
    }
}

/// Raises `zero` when the divisor `r` is zero; nothing for a nonzero constant divisor.
fn float_zero_check<M: Module>(fx: &mut FunctionCx<'_, M>, r: Value, ty: Type, zero: Option<Raise>, span: Span) {
    if float_const_of(fx, r).is_some_and(|c| c != 0.0) {
        return;
    }
    if let Some(raise) = zero {
        let z = fx.fconst(ty, 0.0);
        let is_zero = fx.bcx.ins().fcmp(FloatCC::Equal, r, z);
        fx.raise_if(is_zero, span, raise);
    }
}

/// Calls a `(f64, f64) -> f64` service through `ctx.services` (widening `float` operands).
fn call_float_service<M: Module>(fx: &mut FunctionCx<'_, M>, offset: i32, l: Value, r: Value, ty: Type) -> Value {
    let ptr_ty = fx.ptr_ty;
    let services = fx.bcx.ins().load(ptr_ty, MemFlagsData::trusted().with_readonly(), fx.ctx_ptr, Ctx::OFFSET_SERVICES);
    let callee = fx.bcx.ins().load(ptr_ty, MemFlagsData::trusted().with_readonly(), services, offset);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.params.push(AbiParam::new(types::F64));
    sig.params.push(AbiParam::new(types::F64));
    sig.returns.push(AbiParam::new(types::F64));
    let sig_ref = fx.bcx.import_signature(sig);
    let (l, r) = (fx.widen_f64(l, ty), fx.widen_f64(r, ty));
    let call = fx.bcx.ins().call_indirect(sig_ref, callee, &[l, r]);
    let result = fx.bcx.inst_results(call)[0];
    fx.narrow_from_f64(result, ty)
}

impl<M: Module> FunctionCx<'_, M> {
    /// Widens an F32 value to F64 (no-op for F64).
    pub(crate) fn widen_f64(&mut self, v: Value, ty: Type) -> Value {
        if ty == types::F32 { self.bcx.ins().fpromote(types::F64, v) } else { v }
    }

    /// Narrows an F64 value to `ty` (no-op for F64).
    pub(crate) fn narrow_from_f64(&mut self, v: Value, ty: Type) -> Value {
        if ty == types::F32 { self.bcx.ins().fdemote(types::F32, v) } else { v }
    }
}

/// `l op r`, or its negation `not (l op r)` when `negate` (one compare either way: the
/// negation of an ordered float comparison is the unordered complement, true for NaN).
pub(crate) fn codegen_compare<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    op: CmpOp,
    l: Value,
    r: Value,
    operand_ty: Ty,
    negate: bool,
) -> Result<Value, InternalError> {
    Ok(match num_of(operand_ty)? {
        Num::Float(_) => {
            // Ordered comparisons are false for NaN; `!=` is true for NaN (C and Python).
            let cc = match op {
                CmpOp::Eq => FloatCC::Equal,
                CmpOp::Ne => FloatCC::NotEqual,
                CmpOp::Lt => FloatCC::LessThan,
                CmpOp::Le => FloatCC::LessThanOrEqual,
                CmpOp::Gt => FloatCC::GreaterThan,
                CmpOp::Ge => FloatCC::GreaterThanOrEqual,
            };
            fx.bcx.ins().fcmp(if negate { cc.complement() } else { cc }, l, r)
        }
        num => {
            let signed = matches!(num, Num::Int { signed: true, .. });
            let cc = match (op, signed) {
                (CmpOp::Eq, _) => IntCC::Equal,
                (CmpOp::Ne, _) => IntCC::NotEqual,
                (CmpOp::Lt, true) => IntCC::SignedLessThan,
                (CmpOp::Le, true) => IntCC::SignedLessThanOrEqual,
                (CmpOp::Gt, true) => IntCC::SignedGreaterThan,
                (CmpOp::Ge, true) => IntCC::SignedGreaterThanOrEqual,
                (CmpOp::Lt, false) => IntCC::UnsignedLessThan,
                (CmpOp::Le, false) => IntCC::UnsignedLessThanOrEqual,
                (CmpOp::Gt, false) => IntCC::UnsignedGreaterThan,
                (CmpOp::Ge, false) => IntCC::UnsignedGreaterThanOrEqual,
            };
            fx.bcx.ins().icmp(if negate { cc.complement() } else { cc }, l, r)
        }
    })
}

/// `i op f` for a Python `int` `i` (I64) and a `double` `f`, exactly, as CPython compares
/// them (converting `i` to `double` would round above 2**53).
///
/// Rounding to `double` is monotonic, so when `double(i) != f` (or `f` is NaN) the rounded
/// comparison has the exact answer. When they are equal, `f` is an integer in
/// [-2**63, 2**63] and `i` is compared with it as an integer; only `f == 2**63`, which no
/// I64 reaches, needs a fix-up. Branch-free: two conversions, three compares, a select.
pub(crate) fn codegen_int_float_compare<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    op: CmpOp,
    i: Value,
    f: Value,
    negate: bool,
) -> Result<Value, InternalError> {
    let d = fx.bcx.ins().fcvt_from_sint(types::F64, i);
    let rounded = codegen_compare(fx, op, d, f, Ty::DOUBLE, false)?;
    let same = fx.bcx.ins().fcmp(FloatCC::Equal, d, f);
    let t = fx.bcx.ins().fcvt_to_sint_sat(types::I64, f);
    let exact = codegen_compare(fx, op, i, t, Ty::PY_INT, false)?;
    let two63 = fx.bcx.ins().f64const(9223372036854775808.0);
    let beyond = fx.bcx.ins().fcmp(FloatCC::GreaterThanOrEqual, f, two63);
    // With `f == 2**63`, `i < f`: the result is that of `Lt`.
    let exact = match op {
        CmpOp::Lt | CmpOp::Le | CmpOp::Ne => fx.bcx.ins().bor(exact, beyond),
        CmpOp::Gt | CmpOp::Ge | CmpOp::Eq => {
            let within = fx.bcx.ins().bxor_imm_u(beyond, 1);
            fx.bcx.ins().band(exact, within)
        }
    };
    let result = fx.bcx.ins().select(same, exact, rounded);
    Ok(if negate { fx.bcx.ins().bxor_imm_u(result, 1) } else { result })
}

pub(crate) fn codegen_cast<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    kind: CastKind,
    v: Value,
    from: Ty,
    to: Ty,
    span: Span,
) -> Result<Value, InternalError> {
    let (src, dst) = (num_of(from)?, num_of(to)?);
    Ok(match (kind, src, dst) {
        (CastKind::IntWrap, Num::Int { ty: from_ty, signed }, Num::Int { ty: to_ty, .. }) => {
            fx.int_resize(v, from_ty, to_ty, signed)
        }
        (CastKind::IntChecked(raise), Num::Int { ty: from_ty, signed: from_signed }, Num::Int { ty: to_ty, signed: to_signed }) => {
            let (from_min, from_max) = int_range(from_ty, from_signed);
            let (to_min, to_max) = int_range(to_ty, to_signed);
            let (lt, gt) = if from_signed {
                (IntCC::SignedLessThan, IntCC::SignedGreaterThan)
            } else {
                (IntCC::UnsignedLessThan, IntCC::UnsignedGreaterThan)
            };
            if to_min > from_min {
                let below = fx.bcx.ins().icmp_imm_s(lt, v, to_min as i64);
                fx.raise_if(below, span, raise);
            }
            if to_max < from_max {
                let above = fx.bcx.ins().icmp_imm_s(gt, v, to_max as i64);
                fx.raise_if(above, span, raise);
            }
            fx.int_resize(v, from_ty, to_ty, from_signed)
        }
        (CastKind::IntToFloat, Num::Int { ty: from_ty, signed }, Num::Float(to_ty)) => fx.int_to_float(v, from_ty, signed, to_ty),
        (CastKind::FromBool, Num::Bool, Num::Float(to_ty)) => fx.int_to_float(v, types::I8, false, to_ty),
        (CastKind::FromBool, Num::Bool, Num::Int { ty: to_ty, .. }) => fx.int_resize(v, types::I8, to_ty, false),
        (CastKind::FromBool, Num::Bool, Num::Bool) => v,
        (CastKind::FloatToIntTrunc, Num::Float(_), Num::Int { ty: to_ty, signed }) => fx.float_to_int_sat(v, to_ty, signed),
        (CastKind::FloatToIntChecked { nan, inf, overflow }, Num::Float(from_ty), Num::Int { ty: to_ty, signed }) => {
            fx.float_to_int_checked(v, from_ty, to_ty, signed, nan, inf, overflow, span)
        }
        (CastKind::FloatResize, Num::Float(a), Num::Float(b)) if a == b => v,
        (CastKind::FloatResize, Num::Float(_), Num::Float(types::F64)) => fx.bcx.ins().fpromote(types::F64, v),
        (CastKind::FloatResize, Num::Float(_), Num::Float(_)) => fx.bcx.ins().fdemote(types::F32, v),
        (CastKind::ToBool, Num::Int { .. }, Num::Bool) => fx.bcx.ins().icmp_imm_s(IntCC::NotEqual, v, 0),
        (CastKind::ToBool, Num::Bool, Num::Bool) => v,
        (CastKind::ToBool, Num::Float(ty), Num::Bool) => {
            let z = fx.fconst(ty, 0.0);
            fx.bcx.ins().fcmp(FloatCC::NotEqual, v, z)
        }
        (kind, _, _) => return Err(bug(fx, format_args!("cast {kind:?} from `{from}` to `{to}`"))),
    })
}

/// The inclusive value range of an integer type.
pub(crate) fn int_range(ty: Type, signed: bool) -> (i128, i128) {
    let bits = ty.bits();
    if signed { (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1) } else { (0, (1i128 << bits) - 1) }
}

impl<M: Module> FunctionCx<'_, M> {
    /// Integer to integer, C style: truncate, or extend by the source's signedness.
    pub(crate) fn int_resize(&mut self, v: Value, from: Type, to: Type, signed: bool) -> Value {
        use std::cmp::Ordering;
        match from.bits().cmp(&to.bits()) {
            Ordering::Equal => v,
            Ordering::Greater => self.bcx.ins().ireduce(to, v),
            Ordering::Less if signed => self.bcx.ins().sextend(to, v),
            Ordering::Less => self.bcx.ins().uextend(to, v),
        }
    }

    pub(crate) fn int_to_float(&mut self, v: Value, from: Type, signed: bool, to: Type) -> Value {
        let v = if from.bits() < 32 { self.int_resize(v, from, types::I32, signed) } else { v };
        if signed { self.bcx.ins().fcvt_from_sint(to, v) } else { self.bcx.ins().fcvt_from_uint(to, v) }
    }

    /// Float to integer, truncating toward zero and saturating at the type's bounds
    /// (NaN gives 0).
    pub(crate) fn float_to_int_sat(&mut self, v: Value, to: Type, signed: bool) -> Value {
        if to.bits() >= 32 {
            return if signed { self.bcx.ins().fcvt_to_sint_sat(to, v) } else { self.bcx.ins().fcvt_to_uint_sat(to, v) };
        }
        let (min, max) = int_range(to, signed);
        let wide = if signed { self.bcx.ins().fcvt_to_sint_sat(types::I32, v) } else { self.bcx.ins().fcvt_to_uint_sat(types::I32, v) };
        let max_v = self.iconst(types::I32, max as i64);
        let clamped = if signed {
            let min_v = self.iconst(types::I32, min as i64);
            let lower = self.bcx.ins().smax(wide, min_v);
            self.bcx.ins().smin(lower, max_v)
        } else {
            self.bcx.ins().umin(wide, max_v)
        };
        self.bcx.ins().ireduce(to, clamped)
    }

    /// Float to integer as Python's `int(x)` into a fixed-width type: NaN raises `nan`,
    /// infinities raise `inf`, finite values whose truncation does not fit raise `range`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn float_to_int_checked(
        &mut self,
        v: Value,
        from: Type,
        to: Type,
        signed: bool,
        nan: Raise,
        inf: Raise,
        range: Raise,
        span: Span,
    ) -> Value {
        let x = self.widen_f64(v, from);
        let is_nan = self.bcx.ins().fcmp(FloatCC::Unordered, x, x);
        self.raise_if(is_nan, span, nan);
        if inf != range {
            let abs = self.bcx.ins().fabs(x);
            let inf_v = self.fconst(types::F64, f64::INFINITY);
            let is_inf = self.bcx.ins().fcmp(FloatCC::Equal, abs, inf_v);
            self.raise_if(is_inf, span, inf);
        }
        // trunc(x) fits iff min - 1 < x < max + 1. `max + 1` is a power of two (exact);
        // `min - 1` is exact up to 32 bits, and for 64 bits no double lies strictly between
        // `-2^63 - 1` and `-2^63`, so `x >= -2^63` is the same test.
        let (min, max) = int_range(to, signed);
        let hi = self.fconst(types::F64, (max + 1) as f64);
        let below_hi = self.bcx.ins().fcmp(FloatCC::LessThan, x, hi);
        let above_lo = if (min - 1) as f64 as i128 == min - 1 {
            let lo = self.fconst(types::F64, (min - 1) as f64);
            self.bcx.ins().fcmp(FloatCC::GreaterThan, x, lo)
        } else {
            let lo = self.fconst(types::F64, min as f64);
            self.bcx.ins().fcmp(FloatCC::GreaterThanOrEqual, x, lo)
        };
        let fits = self.bcx.ins().band(below_hi, above_lo);
        let out = self.bcx.ins().icmp_imm_s(IntCC::Equal, fits, 0);
        self.raise_if(out, span, range);
        self.float_to_int_sat(x, to, signed)
    }
}
