//! Codegen of expressions: TIR `Expr` → Cranelift values. Leaves and control-flow forms
//! (`BoolOp`, `IfExp`, `Let`) are here; arithmetic and casts are in `num.rs`, calls in
//! `call.rs`, math functions in `math.rs`.

use cranelift_codegen::ir::{types, Value};
use cranelift_module::Module;

use super::{call, clif_type, math, num, view, FunctionCx};
use crate::tir::{BoolOpKind, CastKind, Const, Expr, ExprKind, Ty};
use crate::InternalError;

/// Lowers an expression; `None` for a call of a `void` function.
pub(crate) fn codegen_expr<M: Module>(fx: &mut FunctionCx<'_, M>, e: &Expr) -> Result<Option<Value>, InternalError> {
    Ok(Some(match &e.kind {
        ExprKind::Const(c) => codegen_const(fx, *c, e.ty)?,
        ExprKind::Local(local) => {
            let var = fx.var(*local)?;
            fx.bcx.use_var(var)
        }
        ExprKind::Unary { op, operand } => {
            let v = codegen_value(fx, operand)?;
            fx.set_span(e.span);
            num::codegen_unary(fx, *op, v, e.ty, e.span)?
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let l = codegen_value(fx, lhs)?;
            let r = codegen_value(fx, rhs)?;
            fx.set_span(e.span);
            num::codegen_binary(fx, *op, l, r, e.ty, e.span)?
        }
        ExprKind::Compare { op, lhs, rhs } => {
            let l = codegen_value(fx, lhs)?;
            let r = codegen_value(fx, rhs)?;
            fx.set_span(e.span);
            num::codegen_compare(fx, *op, l, r, lhs.ty)?
        }
        ExprKind::BoolOp { op, lhs, rhs } => codegen_bool_op(fx, *op, lhs, rhs)?,
        ExprKind::IfExp { cond, then_expr, else_expr } => codegen_if_exp(fx, cond, then_expr, else_expr, e.ty)?,
        ExprKind::Let { local, value, body } => {
            let v = codegen_value(fx, value)?;
            let var = fx.var(*local)?;
            fx.bcx.def_var(var, v);
            return codegen_expr(fx, body);
        }
        ExprKind::Cast { kind: CastKind::ViewRelax, operand } => codegen_value(fx, operand)?,
        ExprKind::Cast { kind, operand } => {
            let v = codegen_value(fx, operand)?;
            fx.set_span(e.span);
            num::codegen_cast(fx, *kind, v, operand.ty, e.ty, e.span)?
        }
        ExprKind::Call { func, args } => return call::codegen_call(fx, *func, args, e.span),
        ExprKind::Math { func, args, check } => math::codegen_math(fx, *func, args, *check, e.ty, e.span)?,
        ExprKind::Index { view, indices, checks } => view::codegen_index(fx, *view, indices, checks, e.ty, e.span)?,
        ExprKind::ViewShape { view, axis } => view::codegen_view_shape(fx, *view, *axis)?,
    }))
}

/// Lowers an expression that must produce a value.
pub(crate) fn codegen_value<M: Module>(fx: &mut FunctionCx<'_, M>, e: &Expr) -> Result<Value, InternalError> {
    codegen_expr(fx, e)?.ok_or_else(|| InternalError::bug(format!("function `{}`: a `void` call used as a value", fx.func.name)))
}

fn codegen_const<M: Module>(fx: &mut FunctionCx<'_, M>, c: Const, ty: Ty) -> Result<Value, InternalError> {
    let clif_ty = clif_type(ty)?;
    Ok(match (c, ty) {
        (Const::Int(v), Ty::Int(_)) => fx.iconst(clif_ty, v),
        (Const::Bool(b), Ty::Bool | Ty::Int(_)) => fx.iconst(clif_ty, b as i64),
        (Const::Int(v), Ty::Bool) => fx.iconst(clif_ty, (v != 0) as i64),
        (Const::Float(v), Ty::Float(_)) => fx.fconst(clif_ty, v),
        (Const::Int(v), Ty::Float(_)) => fx.fconst(clif_ty, v as f64),
        (Const::Bool(b), Ty::Float(_)) => fx.fconst(clif_ty, b as i64 as f64),
        (c, ty) => return Err(InternalError::bug(format!("function `{}`: constant {c:?} of type `{ty}`", fx.func.name))),
    })
}

/// Short-circuit `and` / `or` over `bint` (I8 0/1):
/// ```text
///   brif lhs, (and: rhs_block | or: merge(lhs)), (and: merge(lhs) | or: rhs_block)
/// rhs_block: merge(rhs)
/// merge(v):
/// ```
fn codegen_bool_op<M: Module>(fx: &mut FunctionCx<'_, M>, op: BoolOpKind, lhs: &Expr, rhs: &Expr) -> Result<Value, InternalError> {
    let l = codegen_value(fx, lhs)?;
    let rhs_block = fx.bcx.create_block();
    let merge = fx.bcx.create_block();
    let result = fx.bcx.append_block_param(merge, types::I8);
    match op {
        BoolOpKind::And => fx.brif(l, rhs_block, &[], merge, &[l]),
        BoolOpKind::Or => fx.brif(l, merge, &[l], rhs_block, &[]),
    }
    fx.bcx.switch_to_block(rhs_block);
    let r = codegen_value(fx, rhs)?;
    fx.jump(merge, &[r]);
    fx.bcx.switch_to_block(merge);
    Ok(result)
}

fn codegen_if_exp<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    cond: &Expr,
    then_expr: &Expr,
    else_expr: &Expr,
    ty: Ty,
) -> Result<Value, InternalError> {
    let c = codegen_value(fx, cond)?;
    let then_block = fx.bcx.create_block();
    let else_block = fx.bcx.create_block();
    let merge = fx.bcx.create_block();
    let result = fx.bcx.append_block_param(merge, clif_type(ty)?);
    fx.brif(c, then_block, &[], else_block, &[]);
    fx.bcx.switch_to_block(then_block);
    let t = codegen_value(fx, then_expr)?;
    fx.jump(merge, &[t]);
    fx.bcx.switch_to_block(else_block);
    let e = codegen_value(fx, else_expr)?;
    fx.jump(merge, &[e]);
    fx.bcx.switch_to_block(merge);
    Ok(result)
}
