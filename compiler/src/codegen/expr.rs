//! Codegen of expressions: TIR `Expr` → Cranelift values. Leaves and control-flow forms
//! (`BoolOp`, `IfExp`, `Let`) are here; arithmetic and casts are in `num.rs`, calls in
//! `call.rs`, math functions in `math.rs`.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, Block, InstBuilder, Value};
use cranelift_module::Module;

use super::{call, clif_type, math, num, slice, view, FunctionCx};
use crate::source::Span;
use crate::tir::{BinOp, BoolOpKind, CastKind, CmpOp, Const, Expr, ExprKind, Ty, UnaryOp};
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
            if matches!(op, BinOp::Shl { .. } | BinOp::Shr { .. }) {
                num::codegen_shift(fx, *op, l, r, rhs.ty, e.ty, e.span)?
            } else {
                let (l, r) = if constant_goes_right(*op, lhs, rhs) { (r, l) } else { (l, r) };
                num::codegen_binary(fx, *op, l, r, e.ty, e.span)?
            }
        }
        ExprKind::Compare { op, lhs, rhs } => codegen_compare(fx, *op, lhs, rhs, e.span, false)?,
        ExprKind::BoolOp { op, lhs, rhs } => codegen_bool_op(fx, *op, lhs, rhs)?,
        ExprKind::IfExp { cond, then_expr, else_expr } => codegen_if_exp(fx, cond, then_expr, else_expr, e.ty)?,
        ExprKind::Let { local, value, body } => {
            let v = slice::codegen_local_value(fx, *local, value)?;
            let var = fx.var(*local)?;
            if value.ty.is_object() {
                fx.assign_object(var, v)?;
            } else {
                fx.bcx.def_var(var, v);
            }
            return codegen_expr(fx, body);
        }
        ExprKind::Cast { kind: CastKind::ViewRelax, operand } => codegen_value(fx, operand)?,
        ExprKind::Cast { kind: CastKind::ViewObject, operand } => {
            let desc = codegen_value(fx, operand)?;
            super::alloc::codegen_view_owner(fx, desc)
        }
        ExprKind::Cast { kind, operand } => {
            let v = codegen_value(fx, operand)?;
            fx.set_span(e.span);
            num::codegen_cast(fx, *kind, v, operand.ty, e.ty, e.span)?
        }
        ExprKind::Call { func, args } => return call::codegen_call(fx, *func, args, e.span),
        ExprKind::Math { func, args, check } => math::codegen_math(fx, *func, args, *check, e.ty, e.span)?,
        ExprKind::Index { view, indices, checks } => view::codegen_index(fx, *view, indices, checks, e.ty, e.span)?,
        ExprKind::ViewShape { view, axis } => view::codegen_view_shape(fx, *view, *axis)?,
        ExprKind::Slice { view, axes } => slice::codegen_slice(fx, e, view, axes)?,
        ExprKind::NewArray { kind, args, site } => super::alloc::codegen_new_array(fx, *kind, args, *site, e.ty, e.span)?,
        ExprKind::CApi { func, args } => super::object::codegen_capi(fx, func, args, e.span)?,
        ExprKind::NoneObj => super::object::codegen_none(fx)?,
        ExprKind::Temp { slot, value } => super::object::codegen_temp(fx, *slot, value)?,
        ExprKind::Release { value, slots } => return super::object::codegen_release(fx, value, slots),
        ExprKind::NewRef(value) => super::object::codegen_new_ref(fx, value)?,
        ExprKind::CheckKind { value, kind, arg } => super::object::codegen_check_kind(fx, value, *kind, *arg, e.span)?,
        ExprKind::Move(local) => super::object::codegen_move(fx, *local)?,
        ExprKind::Field { obj, field } => super::object::codegen_field(fx, obj, *field)?,
        ExprKind::Item { obj, index, kind } => super::object::codegen_item(fx, obj, index, *kind)?,
        ExprKind::Seq { body, value, frame } => {
            // The statements in the current block (their loops end in a block of their own,
            // where the value is computed). A body never ends the function.
            let (terminated, outer_frame) = (fx.terminated, fx.frame);
            fx.terminated = false;
            fx.frame = match frame {
                Some(crate::tir::Frame::Function) => None,
                Some(crate::tir::Frame::Named(name)) => Some(*name),
                None => outer_frame,
            };
            super::stmt::codegen_block(fx, body)?;
            if fx.terminated {
                return Err(InternalError::bug(format!("function `{}`: a `seq` body that does not fall through", fx.func.name)));
            }
            fx.terminated = terminated;
            let v = codegen_expr(fx, value);
            fx.frame = outer_frame;
            return v;
        }
        ExprKind::ModConst(k) => super::object::codegen_mod_const(fx, *k),
        ExprKind::Build { kind, items } => super::object::codegen_build(fx, *kind, items, e.span)?,
        ExprKind::LoadGlobal { name } => super::object::codegen_load_global(fx, *name, e.span)?,
        ExprKind::Globals => super::object::codegen_globals(fx),
        ExprKind::CGlobal(k) => super::object::codegen_cglobal(fx, *k, e.ty)?,
        ExprKind::ImportFrom { module, name } => super::object::codegen_import_from(fx, module, *name, e.span)?,
        ExprKind::Merge { op, target, value, func } => super::object::codegen_merge(fx, *op, target, value, func.as_deref(), e.span)?,
        ExprKind::CallObject { callee, args, kwnames } => super::object::codegen_call_object(fx, Some(callee), None, args, *kwnames, e.span)?,
        ExprKind::CallMethod { name, args, kwnames } => super::object::codegen_call_object(fx, None, Some(*name), args, *kwnames, e.span)?,
    }))
}

/// Whether `c + x` or `c * x` on floats, with `c` a constant and `x` not, is emitted as
/// `x + c` / `x * c`: x64 reads a constant operand from memory only on the right
/// (`mulsd c(%rip), %xmm0`; on the left it costs a `movabs` and a `movq` each time), and
/// Cranelift does not reorder float operands. Both orders give the same result when `c` is
/// not a NaN (which NaN comes out of two NaN operands is the only order-dependent part).
fn constant_goes_right(op: BinOp, lhs: &Expr, rhs: &Expr) -> bool {
    let float_const = |e: &Expr| match e.kind {
        ExprKind::Const(Const::Float(v)) => Some(!v.is_nan()),
        ExprKind::Const(Const::Int(_) | Const::Bool(_)) => Some(true),
        _ => None,
    };
    matches!(op, BinOp::Add(_) | BinOp::Mul(_))
        && matches!(lhs.ty, Ty::Float(_))
        && float_const(lhs) == Some(true)
        && float_const(rhs).is_none()
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

/// Lowers a `bint` condition as a branch to `then_block` (true) or `else_block` (false),
/// never materialising the 0/1 of a short-circuit operator: `a and b` branches on `a` to
/// the test of `b` or to `else_block`, `not a` swaps the targets, a comparison feeds the
/// branch directly (Cranelift fuses `icmp` + `brif` into `cmp` + `jcc`). The caller seals
/// the targets: this may add several edges to each.
///
/// `exit` is the block that leaves the enclosing loop, when one of the targets does. Every
/// branch to it is emitted with the test negated so that `exit` is the *first* successor:
/// Cranelift 0.135's elaborator visits the blocks a loop header dominates in reverse
/// postorder and stops hoisting loop invariants for good once it meets a block outside the
/// loop, and its postorder puts a branch's first successor last. With the exit first, the
/// loop body comes first and its invariants leave the loop.
pub(crate) fn codegen_cond<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    cond: &Expr,
    then_block: Block,
    else_block: Block,
    exit: Option<Block>,
) -> Result<(), InternalError> {
    match &cond.kind {
        ExprKind::BoolOp { op, lhs, rhs } => {
            let rhs_block = fx.bcx.create_block();
            match op {
                BoolOpKind::And => codegen_cond(fx, lhs, rhs_block, else_block, exit)?,
                BoolOpKind::Or => codegen_cond(fx, lhs, then_block, rhs_block, exit)?,
            }
            fx.seal(rhs_block);
            fx.bcx.switch_to_block(rhs_block);
            codegen_cond(fx, rhs, then_block, else_block, exit)
        }
        ExprKind::Unary { op: UnaryOp::Not, operand } => codegen_cond(fx, operand, else_block, then_block, exit),
        ExprKind::Let { local, value, body } => {
            let v = slice::codegen_local_value(fx, *local, value)?;
            let var = fx.var(*local)?;
            if value.ty.is_object() {
                fx.assign_object(var, v)?;
            } else {
                fx.bcx.def_var(var, v);
            }
            codegen_cond(fx, body, then_block, else_block, exit)
        }
        ExprKind::Compare { op, lhs, rhs } => {
            let negate = exit == Some(else_block);
            let c = codegen_compare(fx, *op, lhs, rhs, cond.span, negate)?;
            branch(fx, c, then_block, else_block, negate);
            Ok(())
        }
        // `bint(i)` of an integer: `brif` itself tests for nonzero.
        ExprKind::Cast { kind: CastKind::ToBool, operand } if matches!(operand.ty, Ty::Int(_) | Ty::Bool) => {
            let v = codegen_value(fx, operand)?;
            branch_on_nonzero(fx, v, then_block, else_block, exit);
            Ok(())
        }
        _ => {
            let v = codegen_value(fx, cond)?;
            branch_on_nonzero(fx, v, then_block, else_block, exit);
            Ok(())
        }
    }
}

/// `lhs op rhs` (negated when `negate`).
///
/// `x % y == 0` and `x % y != 0` on integers test C's remainder instead of Python's: the
/// sign fix-up only adds `y` to a nonzero remainder of magnitude below `|y|`, which never
/// makes it zero, so both are zero together (the zero-divisor check stays).
fn codegen_compare<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    op: CmpOp,
    lhs: &Expr,
    rhs: &Expr,
    span: Span,
    negate: bool,
) -> Result<Value, InternalError> {
    let l = match (&lhs.kind, op, &rhs.kind) {
        (
            ExprKind::Binary { op: BinOp::Mod { python: true, zero }, lhs: x, rhs: y },
            CmpOp::Eq | CmpOp::Ne,
            ExprKind::Const(Const::Int(0)),
        ) if matches!(lhs.ty, Ty::Int(_)) => {
            let x = codegen_value(fx, x)?;
            let y = codegen_value(fx, y)?;
            fx.set_span(lhs.span);
            num::codegen_binary(fx, BinOp::Mod { python: false, zero: *zero }, x, y, lhs.ty, lhs.span)?
        }
        _ => codegen_value(fx, lhs)?,
    };
    let r = codegen_value(fx, rhs)?;
    fx.set_span(span);
    match (lhs.ty.is_float(), rhs.ty.is_float()) {
        (false, true) => num::codegen_int_float_compare(fx, op, l, r, negate),
        (true, false) => num::codegen_int_float_compare(fx, op.swapped(), r, l, negate),
        // Objects compare by identity: their addresses.
        _ if lhs.ty.is_object() => num::codegen_compare(fx, op, l, r, Ty::Int(crate::tir::IntKind::SizeT), negate),
        _ => num::codegen_compare(fx, op, l, r, lhs.ty, negate),
    }
}

/// `brif c, then, else`, or `brif c, else, then` when `c` was computed negated.
fn branch<M: Module>(fx: &mut FunctionCx<'_, M>, c: Value, then_block: Block, else_block: Block, negated: bool) {
    if negated {
        fx.brif(c, else_block, &[], then_block, &[]);
    } else {
        fx.brif(c, then_block, &[], else_block, &[]);
    }
}

/// Branches to `then_block` when the integer `v` is nonzero (see [`codegen_cond`] for `exit`).
fn branch_on_nonzero<M: Module>(fx: &mut FunctionCx<'_, M>, v: Value, then_block: Block, else_block: Block, exit: Option<Block>) {
    if exit == Some(else_block) {
        let zero = fx.bcx.ins().icmp_imm_s(IntCC::Equal, v, 0);
        branch(fx, zero, then_block, else_block, true);
    } else {
        branch(fx, v, then_block, else_block, false);
    }
}

/// Short-circuit `and` / `or` over `bint` (I8 0/1) as a value:
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
    fx.seal(rhs_block);
    fx.bcx.switch_to_block(rhs_block);
    let r = codegen_value(fx, rhs)?;
    fx.jump(merge, &[r]);
    fx.seal(merge);
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
    let then_block = fx.bcx.create_block();
    let else_block = fx.bcx.create_block();
    let merge = fx.bcx.create_block();
    let result = fx.bcx.append_block_param(merge, clif_type(ty)?);
    codegen_cond(fx, cond, then_block, else_block, None)?;
    fx.seal(then_block);
    fx.seal(else_block);
    fx.bcx.switch_to_block(then_block);
    let t = codegen_value(fx, then_expr)?;
    fx.jump(merge, &[t]);
    fx.bcx.switch_to_block(else_block);
    let e = codegen_value(fx, else_expr)?;
    fx.jump(merge, &[e]);
    fx.seal(merge);
    fx.bcx.switch_to_block(merge);
    Ok(result)
}
