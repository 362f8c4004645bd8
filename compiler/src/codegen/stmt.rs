//! Codegen of statements: TIR `Stmt` → Cranelift blocks. Structured control flow (`if`,
//! `while`, `for ... in range`) becomes blocks here and nowhere earlier, in the style of
//! cranelift-jit-demo's `translate_while_loop`.

use cranelift_codegen::ir::condcodes::{CondCode, IntCC};
use cranelift_codegen::ir::InstBuilder;
use cranelift_module::Module;

use super::{expr, FunctionCx, LoopTargets, STATUS_TY};
use crate::tir::{Block, Const, Expr, ExprKind, LocalId, Stmt, StmtKind, StepCheck, Ty};
use crate::InternalError;

/// Lowers a statement list; stops after a statement that ends the block (the rest is dead).
/// A loop body, emitted in the current block: `break`/`continue` go to `targets`, and a
/// body that falls off its end continues.
fn codegen_loop_body<M: Module>(fx: &mut FunctionCx<'_, M>, body: &Block, targets: LoopTargets) -> Result<(), InternalError> {
    let continue_block = targets.continue_block;
    fx.loops.push(targets);
    fx.enter_loop();
    let falls = codegen_arm(fx, body);
    fx.leave_loop();
    fx.loops.pop();
    if falls? {
        fx.jump(continue_block, &[]);
    }
    Ok(())
}

pub(crate) fn codegen_block<M: Module>(fx: &mut FunctionCx<'_, M>, block: &Block) -> Result<(), InternalError> {
    for stmt in block {
        if fx.terminated {
            break;
        }
        codegen_stmt(fx, stmt)?;
    }
    Ok(())
}

pub(crate) fn codegen_stmt<M: Module>(fx: &mut FunctionCx<'_, M>, stmt: &Stmt) -> Result<(), InternalError> {
    fx.set_span(stmt.span);
    match &stmt.kind {
        StmtKind::Assign { local, value } => codegen_assign(fx, *local, value),
        StmtKind::Expr(e) => expr::codegen_expr(fx, e).map(|_| ()),
        StmtKind::If { cond, then_body, else_body } => codegen_if(fx, cond, then_body, else_body),
        StmtKind::While { cond, body, orelse } => codegen_while(fx, cond, body, orelse),
        StmtKind::ForIter { iter, item, body, orelse } => codegen_for_iter(fx, *iter, *item, body, orelse, stmt.span),
        StmtKind::Unpack { value, targets, star } => super::object::codegen_unpack(fx, value, targets, *star, stmt.span),
        StmtKind::Check { cond, raise } => {
            let c = expr::codegen_value(fx, cond)?;
            fx.raise_if(c, stmt.span, *raise);
            Ok(())
        }
        StmtKind::ForRange { var, start, stop, step, step_check, body, orelse } => {
            codegen_for_range(fx, *var, [start, stop, step], *step_check, body, orelse)
        }
        StmtKind::Break => codegen_loop_jump(fx, true),
        StmtKind::Continue => codegen_loop_jump(fx, false),
        StmtKind::Return(value) => codegen_return(fx, value.as_ref()),
        StmtKind::Store { view, indices, checks, value } => super::view::codegen_store(fx, *view, indices, checks, value, stmt.span),
        StmtKind::NoGil { body } => super::view::codegen_nogil(fx, body),
        StmtKind::ViewFill { view, value } => super::slice::codegen_fill(fx, view, value, stmt.span),
        StmtKind::ViewCopy { dst, src, extents } => super::slice::codegen_copy(fx, dst, src, extents, stmt.span),
        StmtKind::StoreCGlobal { global, value } => super::object::codegen_store_cglobal(fx, *global, value),
        StmtKind::DelGlobal { name } => super::object::codegen_del_global(fx, *name, stmt.span),
    }
}

fn codegen_assign<M: Module>(fx: &mut FunctionCx<'_, M>, local: LocalId, value: &Expr) -> Result<(), InternalError> {
    let v = super::slice::codegen_local_value(fx, local, value)?;
    let var = fx.var(local)?;
    if value.ty.is_object() {
        return fx.assign_object(var, v);
    }
    fx.bcx.def_var(var, v);
    Ok(())
}

fn codegen_return<M: Module>(fx: &mut FunctionCx<'_, M>, value: Option<&Expr>) -> Result<(), InternalError> {
    let mut rets = Vec::with_capacity(2);
    match (value, fx.func.ret) {
        (None, Ty::Void) => {}
        (Some(e), Ty::Void) => {
            // `return f()` of a void call in a void function: evaluate for effects.
            expr::codegen_expr(fx, e)?;
        }
        (Some(e), _) => rets.push(expr::codegen_value(fx, e)?),
        (None, ty) => {
            return Err(InternalError::bug(format!("function `{}`: `return` without a value in a function returning `{ty}`", fx.func.name)))
        }
    }
    super::view::leave_nogil_for_return(fx);
    if let (Ty::View(_), [desc]) = (fx.func.ret, rets.as_mut_slice()) {
        // A view is returned as its owner object, a new reference (taken with the GIL,
        // before the function's own references are released).
        *desc = super::alloc::codegen_view_owner(fx, *desc);
    }
    super::alloc::codegen_release_all(fx, false)?;
    rets.push(fx.iconst(STATUS_TY, 0));
    fx.bcx.ins().return_(&rets);
    fx.terminated = true;
    Ok(())
}

fn codegen_loop_jump<M: Module>(fx: &mut FunctionCx<'_, M>, is_break: bool) -> Result<(), InternalError> {
    let targets = *fx
        .loops
        .last()
        .ok_or_else(|| InternalError::bug(format!("function `{}`: `break`/`continue` outside a loop", fx.func.name)))?;
    let target = if is_break { targets.break_block } else { targets.continue_block };
    super::view::leave_nogil_for_loop(fx);
    fx.jump(target, &[]);
    fx.terminated = true;
    Ok(())
}

/// Runs `body` in the current block; returns whether control falls off its end.
fn codegen_arm<M: Module>(fx: &mut FunctionCx<'_, M>, body: &Block) -> Result<bool, InternalError> {
    fx.terminated = false;
    codegen_block(fx, body)?;
    Ok(!fx.terminated)
}

fn codegen_if<M: Module>(fx: &mut FunctionCx<'_, M>, cond: &Expr, then_body: &Block, else_body: &Block) -> Result<(), InternalError> {
    let then_block = fx.bcx.create_block();
    let else_block = fx.bcx.create_block();
    let merge = fx.bcx.create_block();
    expr::codegen_cond(fx, cond, then_block, else_block, None)?;
    fx.seal(then_block);
    fx.seal(else_block);

    let mut reached = false;
    fx.bcx.switch_to_block(then_block);
    if codegen_arm(fx, then_body)? {
        fx.jump(merge, &[]);
        reached = true;
    }
    fx.bcx.switch_to_block(else_block);
    if codegen_arm(fx, else_body)? {
        fx.jump(merge, &[]);
        reached = true;
    }
    fx.seal(merge);
    if reached {
        fx.bcx.switch_to_block(merge);
    }
    fx.terminated = !reached;
    Ok(())
}

/// `while cond: body else: orelse`:
/// ```text
///   jump header
/// header: brif cond, body, orelse   (short-circuit conditions branch directly)
/// body:   ...; jump header          (continue → header, break → exit)
/// orelse: ...; jump exit
/// exit:
/// ```
/// Each block is sealed once its last predecessor exists: `body` and `orelse` after the
/// condition, `header` after the body (its back edges: the fall-through and every
/// `continue`), `exit` after the `orelse` (the `break`s came before). A header sealed this
/// way gets block parameters only for the variables the loop assigns.
fn codegen_while<M: Module>(fx: &mut FunctionCx<'_, M>, cond: &Expr, body: &Block, orelse: &Block) -> Result<(), InternalError> {
    let header = fx.bcx.create_block();
    let body_block = fx.bcx.create_block();
    let orelse_block = fx.bcx.create_block();
    let exit = fx.bcx.create_block();
    fx.jump(header, &[]);

    fx.bcx.switch_to_block(header);
    fx.enter_loop();
    let cond_done = expr::codegen_cond(fx, cond, body_block, orelse_block, Some(orelse_block));
    fx.leave_loop();
    cond_done?;
    fx.seal(body_block);
    fx.seal(orelse_block);

    fx.bcx.switch_to_block(body_block);
    codegen_loop_body(fx, body, LoopTargets { break_block: exit, continue_block: header })?;
    fx.seal(header);

    codegen_loop_else(fx, orelse_block, orelse, exit)
}

/// The end of every loop: the `else` arm in `orelse_block` (its predecessors are sealed),
/// then the code after the loop continues in `exit`.
fn codegen_loop_else<M: Module>(fx: &mut FunctionCx<'_, M>, orelse_block: cranelift_codegen::ir::Block, orelse: &Block, exit: cranelift_codegen::ir::Block) -> Result<(), InternalError> {
    fx.bcx.switch_to_block(orelse_block);
    if codegen_arm(fx, orelse)? {
        fx.jump(exit, &[]);
    }
    fx.seal(exit);
    fx.bcx.switch_to_block(exit);
    fx.terminated = false;
    Ok(())
}

/// `for x in obj` (see `tir::StmtKind::ForIter`):
/// ```text
/// header: next = PyIter_Next(iter); brif next == null, end, body
/// body:   item = next (releasing the old item); ...; jump header
/// end:    brif PyErr_Occurred(), error exit, orelse
/// orelse: ...; jump exit
/// ```
fn codegen_for_iter<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    iter: LocalId,
    item: LocalId,
    body: &Block,
    orelse: &Block,
    span: crate::source::Span,
) -> Result<(), InternalError> {
    let header = fx.bcx.create_block();
    let body_block = fx.bcx.create_block();
    let end = fx.bcx.create_block();
    let orelse_block = fx.bcx.create_block();
    let exit = fx.bcx.create_block();
    fx.jump(header, &[]);

    fx.bcx.switch_to_block(header);
    fx.enter_loop();
    fx.set_span(span);
    let iter_var = fx.var(iter)?;
    let it = fx.bcx.use_var(iter_var);
    let next = fx.iter_next(it)?;
    let done = fx.bcx.ins().icmp_imm_u(IntCC::Equal, next, 0);
    fx.brif(done, end, &[], body_block, &[]);
    fx.leave_loop();
    fx.seal(body_block);
    fx.seal(end);

    fx.bcx.switch_to_block(body_block);
    let item_var = fx.var(item)?;
    fx.assign_object(item_var, next)?;
    codegen_loop_body(fx, body, LoopTargets { break_block: exit, continue_block: header })?;
    fx.seal(header);

    fx.bcx.switch_to_block(end);
    let failed = fx.python_error_occurred()?;
    fx.python_error_if(failed, span)?;
    fx.jump(orelse_block, &[]);
    fx.seal(orelse_block);
    codegen_loop_else(fx, orelse_block, orelse, exit)
}

/// `for var in range(start, stop, step): body else: orelse`, with Python's semantics:
/// the bounds are evaluated once (start, stop, step, in that order), a hidden counter drives
/// the loop (assignments to `var` in the body do not change the iteration), `var` is
/// assigned from the counter at the top of each iteration and keeps its last value.
/// ```text
///   counter = start
/// header: brif !(step > 0 ? counter < stop : counter > stop), orelse, body
/// body:   var = counter; ...; jump next          (continue → next, break → exit)
/// next:   counter, overflowed = counter + step; brif overflowed, orelse, header
/// orelse: ...; jump exit
/// exit:
/// ```
/// An increment that overflows the type leaves the loop: the next value would lie beyond
/// `stop`, which is in range. A constant step of 1 (or -1) cannot overflow: the counter
/// passed `counter < stop <= MAX` (or `counter > stop >= MIN`) at the header, so `next` is
/// just `counter + step; jump header`.
///
/// Sealing as in `codegen_while`: `body` and `orelse`'s first edge come from the header,
/// `next` is sealed after the body, `header` and `orelse` after `next`, `exit` last.
fn codegen_for_range<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    var: LocalId,
    bounds: [&Expr; 3],
    step_check: StepCheck,
    body: &Block,
    orelse: &Block,
) -> Result<(), InternalError> {
    let var_ty = fx.func.local(var).ty;
    let signed = match var_ty {
        Ty::Int(k) => k.signed(),
        other => return Err(InternalError::bug(format!("function `{}`: range loop over `{other}`", fx.func.name))),
    };
    let clif_ty = super::clif_type(var_ty)?;
    let start = expr::codegen_value(fx, bounds[0])?;
    let stop = expr::codegen_value(fx, bounds[1])?;
    let step = expr::codegen_value(fx, bounds[2])?;
    if let StepCheck::Dynamic(raise) = step_check {
        let is_zero = fx.bcx.ins().icmp_imm_s(IntCC::Equal, step, 0);
        fx.raise_if(is_zero, bounds[2].span, raise);
    }
    let unit_step = is_unit_step(bounds[2], step_check, clif_ty.bits());
    let counter = fx.bcx.declare_var(clif_ty);
    fx.bcx.def_var(counter, start);

    let header = fx.bcx.create_block();
    let body_block = fx.bcx.create_block();
    let next = fx.bcx.create_block();
    let orelse_block = fx.bcx.create_block();
    let exit = fx.bcx.create_block();
    fx.jump(header, &[]);

    fx.bcx.switch_to_block(header);
    let c = fx.bcx.use_var(counter);
    let (lt, gt) = if signed { (IntCC::SignedLessThan, IntCC::SignedGreaterThan) } else { (IntCC::UnsignedLessThan, IntCC::UnsignedGreaterThan) };
    // The test is negated so that the loop exit is the branch's first successor (see
    // `expr::codegen_cond`): `done = !(counter < stop)`, and so on.
    let done = match step_check {
        StepCheck::Positive => fx.bcx.ins().icmp(lt.complement(), c, stop),
        StepCheck::Negative => fx.bcx.ins().icmp(gt.complement(), c, stop),
        StepCheck::Dynamic(_) if !signed => fx.bcx.ins().icmp(lt.complement(), c, stop),
        StepCheck::Dynamic(_) => {
            let up_done = fx.bcx.ins().icmp(lt.complement(), c, stop);
            let down_done = fx.bcx.ins().icmp(gt.complement(), c, stop);
            let positive = fx.bcx.ins().icmp_imm_s(IntCC::SignedGreaterThan, step, 0);
            fx.bcx.ins().select(positive, up_done, down_done)
        }
    };
    fx.brif(done, orelse_block, &[], body_block, &[]);
    fx.seal(body_block);

    fx.bcx.switch_to_block(body_block);
    let c = fx.bcx.use_var(counter);
    let v = fx.var(var)?;
    fx.bcx.def_var(v, c);
    codegen_loop_body(fx, body, LoopTargets { break_block: exit, continue_block: next })?;
    fx.seal(next);

    fx.bcx.switch_to_block(next);
    let c = fx.bcx.use_var(counter);
    if unit_step {
        let sum = fx.bcx.ins().iadd(c, step);
        fx.bcx.def_var(counter, sum);
        fx.jump(header, &[]);
    } else {
        let (sum, overflowed) = match (signed, step_check) {
            (true, _) => fx.bcx.ins().sadd_overflow(c, step),
            // An unsigned loop counting down has a step that is a negative constant modulo 2^bits.
            (false, StepCheck::Negative) => {
                let down = fx.bcx.ins().ineg(step);
                fx.bcx.ins().usub_overflow(c, down)
            }
            (false, _) => fx.bcx.ins().uadd_overflow(c, step),
        };
        fx.bcx.def_var(counter, sum);
        fx.brif(overflowed, orelse_block, &[], header, &[]);
    }
    fx.seal(header);
    fx.seal(orelse_block);

    codegen_loop_else(fx, orelse_block, orelse, exit)
}

/// Whether `step` is the constant 1 with a positive step, or -1 (modulo 2^bits) with a
/// negative one: a counter that passed the header's test cannot overflow by such a step.
fn is_unit_step(step: &Expr, step_check: StepCheck, bits: u32) -> bool {
    let ExprKind::Const(Const::Int(v)) = step.kind else { return false };
    let mask = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
    match step_check {
        StepCheck::Positive => v == 1,
        StepCheck::Negative => (v as u64) & mask == mask,
        StepCheck::Dynamic(_) => false,
    }
}
