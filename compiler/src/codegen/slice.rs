//! Codegen of memoryview slicing and slice assignment: TIR `Slice`, `ViewFill`, `ViewCopy`
//! → Cranelift IR, and the descriptor slots that give view locals value semantics.
//!
//! A `Slice` writes a fresh `abi::ViewDesc` (data pointer moved to the first element, new
//! shapes and strides, the source's owner) into a stack slot of its own, one per `Slice`
//! node, and yields the slot's address. All loads from the source descriptor happen before
//! the first store, so `r = r[1:]` is fine.
//!
//! Descriptors in slots change during the call (a slice in a loop rewrites its slot), so:
//! - a view local that may be assigned such a pointer (found by [`locals_needing_slots`])
//!   gets a slot of its own, and each assignment copies the descriptor into it (or slices
//!   straight into it): `prev = cur` keeps the old view when `cur`'s slot is rewritten;
//! - loads from those locals' descriptors are not `readonly`/`can_move` (`view.rs`), so they
//!   are not hoisted above the store that fills the slot;
//! - calls that pass such a pointer are not inlined (`inline.rs`): the callee's loads of its
//!   parameters' descriptors are `readonly`, which holds for the callee's call but not
//!   across the caller's loop once inlined.
//!
//! Parameters and locals only ever assigned from them keep the plain pointer (no copy).

use std::collections::HashSet;

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{InstBuilder, MemFlagsData, StackSlot, StackSlotData, StackSlotKind, Value};
use cranelift_module::Module;

use super::{clif_type, expr, FunctionCx};
use crate::abi::{Ctx, ViewDesc};
use crate::source::Span;
use crate::tir::{visit, Block, CastKind, Const, Expr, ExprKind, LocalId, Raise, SliceAxis, StmtKind, Ty, ViewTy};
use crate::InternalError;

const DESC_WORDS: i32 = (ViewDesc::SIZE / 8) as i32;

/// Plain descriptor access: the descriptor may change during the call.
fn slot_flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Every `(local, value)` assignment of a view type in `block`, at any depth (statements
/// and `Let`s).
fn view_assignments(block: &Block) -> Vec<(LocalId, &Expr)> {
    let mut out = Vec::new();
    visit::for_each_stmt(block, &mut |s| {
        if let StmtKind::Assign { local, value } = &s.kind {
            if value.ty.is_view() {
                out.push((*local, value));
            }
        }
    });
    visit::for_each_expr(block, &mut |e| {
        if let ExprKind::Let { local, value, .. } = &e.kind {
            if value.ty.is_view() {
                out.push((*local, &**value));
            }
        }
    });
    out
}

/// Whether a view-valued expression points at a descriptor that stays unchanged for the
/// whole call (a parameter's, or a local's that only ever holds such pointers).
pub(crate) fn is_stable(e: &Expr, slotted: &HashSet<LocalId>) -> bool {
    match &e.kind {
        ExprKind::Local(id) => !slotted.contains(id),
        ExprKind::Cast { kind: CastKind::ViewRelax, operand } => is_stable(operand, slotted),
        _ => false,
    }
}

/// The view locals that may be assigned a pointer into a changing descriptor (a slice, or
/// another such local): they get descriptor slots of their own.
pub(crate) fn locals_needing_slots(body: &Block) -> HashSet<LocalId> {
    let assigns = view_assignments(body);
    let mut slotted = HashSet::new();
    loop {
        let mut changed = false;
        for (local, value) in &assigns {
            if !is_stable(value, &slotted) && slotted.insert(*local) {
                changed = true;
            }
        }
        if !changed {
            return slotted;
        }
    }
}

/// Creates the descriptor slots of the locals in `fx.slotted`.
pub(crate) fn create_local_slots<M: Module>(fx: &mut FunctionCx<'_, M>) {
    let mut locals: Vec<LocalId> = fx.slotted.iter().copied().collect();
    locals.sort();
    for local in locals {
        let slot = new_desc_slot(fx);
        fx.view_slots.insert(local, slot);
    }
}

fn new_desc_slot<M: Module>(fx: &mut FunctionCx<'_, M>) -> StackSlot {
    fx.bcx.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, ViewDesc::SIZE, 3))
}

/// The sign of a slice step, when known at compile time.
#[derive(Clone, Copy)]
enum Sign {
    Known(bool),
    /// The `step < 0` flag.
    Dynamic(Value),
}

impl<M: Module> FunctionCx<'_, M> {
    /// The descriptor slot of a view local that has one.
    pub(crate) fn local_desc_slot(&self, local: LocalId) -> Option<StackSlot> {
        self.view_slots.get(&local).copied()
    }

    fn pick(&mut self, sign: Sign, if_neg: Value, if_pos: Value) -> Value {
        match sign {
            Sign::Known(true) => if_neg,
            Sign::Known(false) => if_pos,
            Sign::Dynamic(neg) => self.bcx.ins().select(neg, if_neg, if_pos),
        }
    }

    /// A given slice bound adjusted as `PySlice_AdjustIndices` does: negative counts from
    /// the end, then clamped to `[0, len]` (step > 0) or `[-1, len - 1]` (step < 0).
    fn adjust_bound(&mut self, v: Value, len: Value, sign: Sign) -> Value {
        let ty = self.ptr_ty;
        let zero = self.bcx.ins().iconst(ty, 0);
        let minus_one = self.bcx.ins().iconst(ty, -1);
        let last = self.bcx.ins().iadd_imm_s(len, -1);
        let low = self.pick(sign, minus_one, zero);
        let high = self.pick(sign, last, len);
        let wrapped = self.bcx.ins().iadd(v, len);
        let wrapped_low = self.bcx.ins().icmp_imm_s(IntCC::SignedLessThan, wrapped, 0);
        let below = self.bcx.ins().select(wrapped_low, low, wrapped);
        let negative = self.bcx.ins().icmp_imm_s(IntCC::SignedLessThan, v, 0);
        let above = self.bcx.ins().icmp(IntCC::SignedGreaterThanOrEqual, v, len);
        let upper = self.bcx.ins().select(above, high, v);
        self.bcx.ins().select(negative, below, upper)
    }

    /// Stores `value` to `ctx.err_args[0..]` and raises `raise` when `cond` is nonzero.
    fn raise_with_args_if(&mut self, cond: Value, span: Span, raise: Raise, args: &[Value]) {
        let site = self.site_block(span, raise);
        let fail = self.bcx.create_block();
        let cont = self.bcx.create_block();
        self.bcx.set_cold_block(fail);
        self.brif(cond, fail, &[], cont, &[]);
        self.seal(fail);
        self.bcx.switch_to_block(fail);
        for (k, &arg) in args.iter().enumerate().take(2) {
            self.bcx.ins().store(MemFlagsData::trusted(), arg, self.ctx_ptr, Ctx::OFFSET_ERR_ARGS + 8 * k as i32);
        }
        self.jump(site, &[]);
        self.seal(cont);
        self.bcx.switch_to_block(cont);
    }
}

/// `view[axes]` into `slot` (computed fully before the first store).
fn codegen_slice_into<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    slot: StackSlot,
    view: &Expr,
    axes: &[SliceAxis],
    span: Span,
) -> Result<(), InternalError> {
    let Ty::View(src_ty) = view.ty else {
        return Err(InternalError::bug(format!("function `{}`: slice of a `{}`", fx.func.name, view.ty)));
    };
    if axes.len() != src_ty.ndim as usize {
        return Err(InternalError::bug(format!("function `{}`: {} slice axes for a `{src_ty}`", fx.func.name, axes.len())));
    }
    let stable = is_stable(view, &fx.slotted);
    let desc = expr::codegen_value(fx, view)?;
    // The axes' expressions, left to right.
    let mut values: Vec<[Option<Value>; 3]> = Vec::with_capacity(axes.len());
    for axis in axes {
        values.push(match axis {
            SliceAxis::Index { index, .. } => [Some(expr::codegen_value(fx, index)?), None, None],
            SliceAxis::Range { start, stop, step, .. } => {
                let mut out = [None; 3];
                for (k, e) in [start, stop, step].into_iter().enumerate() {
                    if let Some(e) = e {
                        out[k] = Some(expr::codegen_value(fx, e)?);
                    }
                }
                out
            }
        });
    }
    fx.set_span(span);
    let ptr_ty = fx.ptr_ty;
    let flags = if stable { super::view::desc_flags() } else { slot_flags() };
    let mut data = fx.bcx.ins().load(ptr_ty, flags, desc, ViewDesc::OFFSET_DATA);
    let owner = fx.bcx.ins().load(ptr_ty, flags, desc, ViewDesc::OFFSET_OWNER);
    let mut shapes = Vec::new();
    let mut strides = Vec::new();
    for (k, (axis, vals)) in axes.iter().zip(values).enumerate() {
        let len = fx.bcx.ins().load(ptr_ty, flags, desc, ViewDesc::OFFSET_SHAPE + 8 * k as i32);
        let stride = if src_ty.c_contig && k + 1 == axes.len() {
            fx.bcx.ins().iconst(ptr_ty, src_ty.elem.size() as i64)
        } else {
            fx.bcx.ins().load(ptr_ty, flags, desc, ViewDesc::OFFSET_STRIDES + 8 * k as i32)
        };
        match axis {
            SliceAxis::Index { check, .. } => {
                let Some(mut idx) = vals[0] else { return Err(InternalError::bug("slice index without a value")) };
                if check.wraparound {
                    let negative = fx.bcx.ins().icmp_imm_s(IntCC::SignedLessThan, idx, 0);
                    let wrapped = fx.bcx.ins().iadd(idx, len);
                    idx = fx.bcx.ins().select(negative, wrapped, idx);
                }
                if let Some(raise) = check.bounds {
                    let out = fx.bcx.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, idx, len);
                    fx.raise_if(out, span, raise);
                }
                let off = fx.bcx.ins().imul(idx, stride);
                data = fx.bcx.ins().iadd(data, off);
            }
            SliceAxis::Range { step: step_expr, zero_step, .. } => {
                let [start, stop, step] = vals;
                let sign = match step_expr {
                    None => Sign::Known(false),
                    Some(Expr { kind: ExprKind::Const(Const::Int(c)), .. }) => Sign::Known(*c < 0),
                    Some(_) => {
                        let Some(step) = step else { return Err(InternalError::bug("slice step without a value")) };
                        if let Some(raise) = zero_step {
                            let zero = fx.bcx.ins().icmp_imm_s(IntCC::Equal, step, 0);
                            fx.raise_if(zero, span, *raise);
                        }
                        Sign::Dynamic(fx.bcx.ins().icmp_imm_s(IntCC::SignedLessThan, step, 0))
                    }
                };
                let zero = fx.bcx.ins().iconst(ptr_ty, 0);
                let minus_one = fx.bcx.ins().iconst(ptr_ty, -1);
                let last = fx.bcx.ins().iadd_imm_s(len, -1);
                let start = match start {
                    Some(v) => fx.adjust_bound(v, len, sign),
                    None => fx.pick(sign, last, zero),
                };
                let stop = match stop {
                    Some(v) => fx.adjust_bound(v, len, sign),
                    None => fx.pick(sign, minus_one, len),
                };
                let new_len = match step {
                    None => {
                        let n = fx.bcx.ins().isub(stop, start);
                        fx.bcx.ins().smax(n, zero)
                    }
                    Some(step) => {
                        // neg: (start - stop - 1) / -step + 1 if stop < start;
                        // pos: (stop - start - 1) / step + 1 if start < stop. Unsigned
                        // division: `-step` of the most negative step is still right.
                        let down = fx.bcx.ins().isub(start, stop);
                        let up = fx.bcx.ins().isub(stop, start);
                        let diff = fx.pick(sign, down, up);
                        let diff = fx.bcx.ins().iadd_imm_s(diff, -1);
                        let neg_step = fx.bcx.ins().ineg(step);
                        let abs_step = fx.pick(sign, neg_step, step);
                        let q = fx.bcx.ins().udiv(diff, abs_step);
                        let n = fx.bcx.ins().iadd_imm_s(q, 1);
                        let nonempty = fx.bcx.ins().icmp_imm_s(IntCC::SignedGreaterThan, diff, -1);
                        fx.bcx.ins().select(nonempty, n, zero)
                    }
                };
                let off = fx.bcx.ins().imul(start, stride);
                data = fx.bcx.ins().iadd(data, off);
                shapes.push(new_len);
                strides.push(match step {
                    None => stride,
                    Some(step) => fx.bcx.ins().imul(stride, step),
                });
            }
        }
    }
    let store = |fx: &mut FunctionCx<'_, M>, v: Value, offset: i32| {
        let ty = fx.ptr_ty;
        fx.bcx.ins().stack_store(ty, v, slot, offset);
    };
    store(fx, data, ViewDesc::OFFSET_DATA);
    for (k, (&n, &s)) in shapes.iter().zip(&strides).enumerate() {
        store(fx, n, ViewDesc::OFFSET_SHAPE + 8 * k as i32);
        store(fx, s, ViewDesc::OFFSET_STRIDES + 8 * k as i32);
    }
    store(fx, owner, ViewDesc::OFFSET_OWNER);
    Ok(())
}

/// `view[axes]` as a value: the address of this node's descriptor slot.
pub(crate) fn codegen_slice<M: Module>(fx: &mut FunctionCx<'_, M>, e: &Expr, view: &Expr, axes: &[SliceAxis]) -> Result<Value, InternalError> {
    let key = e as *const Expr as usize;
    let slot = match fx.slice_slots.get(&key) {
        Some(&slot) => slot,
        None => {
            let slot = new_desc_slot(fx);
            fx.slice_slots.insert(key, slot);
            slot
        }
    };
    codegen_slice_into(fx, slot, view, axes, e.span)?;
    let ptr_ty = fx.ptr_ty;
    Ok(fx.bcx.ins().stack_addr(ptr_ty, slot, 0))
}

/// The value a `local = value` assignment (or `Let`) gives the local's variable: for a view
/// local with a descriptor slot, the descriptor is sliced or copied into the slot and the
/// slot's address is the value; otherwise the value itself.
pub(crate) fn codegen_local_value<M: Module>(fx: &mut FunctionCx<'_, M>, local: LocalId, value: &Expr) -> Result<Value, InternalError> {
    let Some(slot) = fx.local_desc_slot(local) else { return expr::codegen_value(fx, value) };
    let mut inner = value;
    while let ExprKind::Cast { kind: CastKind::ViewRelax, operand } = &inner.kind {
        inner = operand;
    }
    if let ExprKind::Slice { view, axes } = &inner.kind {
        codegen_slice_into(fx, slot, view, axes, inner.span)?;
    } else {
        let src = expr::codegen_value(fx, value)?;
        let ptr_ty = fx.ptr_ty;
        let words: Vec<Value> = (0..DESC_WORDS).map(|k| fx.bcx.ins().load(ptr_ty, slot_flags(), src, 8 * k)).collect();
        for (k, w) in words.into_iter().enumerate() {
            fx.bcx.ins().stack_store(ptr_ty, w, slot, 8 * k as i32);
        }
    }
    let ptr_ty = fx.ptr_ty;
    Ok(fx.bcx.ins().stack_addr(ptr_ty, slot, 0))
}

/// A loop nest over the `shapes` (C order), advancing one pointer per operand by its
/// strides (`strides[operand][axis]`); `body` gets the pointers of each element.
fn loop_nest<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    shapes: &[Value],
    strides: &[Vec<Value>],
    bases: Vec<Value>,
    body: &mut dyn FnMut(&mut FunctionCx<'_, M>, &[Value]),
) {
    let Some((&len, inner_shapes)) = shapes.split_first() else {
        body(fx, &bases);
        return;
    };
    let axis = strides.first().map_or(0, |s| s.len()) - shapes.len();
    let ptr_ty = fx.ptr_ty;
    let header = fx.bcx.create_block();
    let body_block = fx.bcx.create_block();
    let exit = fx.bcx.create_block();
    fx.bcx.append_block_param(header, ptr_ty);
    for _ in &bases {
        fx.bcx.append_block_param(header, ptr_ty);
    }
    let zero = fx.bcx.ins().iconst(ptr_ty, 0);
    let mut args = vec![zero];
    args.extend(&bases);
    fx.jump(header, &args);
    fx.bcx.switch_to_block(header);
    let params = fx.bcx.block_params(header).to_vec();
    let (i, ptrs) = (params[0], params[1..].to_vec());
    let done = fx.bcx.ins().icmp(IntCC::SignedGreaterThanOrEqual, i, len);
    fx.brif(done, exit, &[], body_block, &[]);
    fx.seal(body_block);
    fx.seal(exit);
    fx.bcx.switch_to_block(body_block);
    fx.enter_loop();
    loop_nest(fx, inner_shapes, strides, ptrs.clone(), body);
    fx.leave_loop();
    let next = fx.bcx.ins().iadd_imm_s(i, 1);
    let mut args = vec![next];
    for (ptr, s) in ptrs.iter().zip(strides) {
        args.push(fx.bcx.ins().iadd(*ptr, s[axis]));
    }
    fx.jump(header, &args);
    fx.seal(header);
    fx.bcx.switch_to_block(exit);
}

/// Shapes and strides of the view at `desc`.
fn shape_and_strides<M: Module>(fx: &mut FunctionCx<'_, M>, desc: Value, v: ViewTy, stable: bool) -> (Vec<Value>, Vec<Value>) {
    let ptr_ty = fx.ptr_ty;
    let flags = if stable { super::view::desc_flags() } else { slot_flags() };
    let mut shapes = Vec::new();
    let mut strides = Vec::new();
    for k in 0..v.ndim as i32 {
        shapes.push(fx.bcx.ins().load(ptr_ty, flags, desc, ViewDesc::OFFSET_SHAPE + 8 * k));
        strides.push(if v.c_contig && k + 1 == v.ndim as i32 {
            fx.bcx.ins().iconst(ptr_ty, v.elem.size() as i64)
        } else {
            fx.bcx.ins().load(ptr_ty, flags, desc, ViewDesc::OFFSET_STRIDES + 8 * k)
        });
    }
    (shapes, strides)
}

fn view_of(fx_name: &str, e: &Expr) -> Result<ViewTy, InternalError> {
    match e.ty {
        Ty::View(v) => Ok(v),
        other => Err(InternalError::bug(format!("function `{fx_name}`: view operation on a `{other}`"))),
    }
}

/// `view[...] = value`: every element set, in C order.
pub(crate) fn codegen_fill<M: Module>(fx: &mut FunctionCx<'_, M>, view: &Expr, value: &Expr, span: Span) -> Result<(), InternalError> {
    let v = view_of(&fx.func.name, view)?;
    let x = expr::codegen_value(fx, value)?;
    let stable = is_stable(view, &fx.slotted);
    let desc = expr::codegen_value(fx, view)?;
    fx.set_span(span);
    let flags = if stable { super::view::desc_flags() } else { slot_flags() };
    let ptr_ty = fx.ptr_ty;
    let data = fx.bcx.ins().load(ptr_ty, flags, desc, ViewDesc::OFFSET_DATA);
    let (shapes, strides) = shape_and_strides(fx, desc, v, stable);
    loop_nest(fx, &shapes, &[strides], vec![data], &mut |fx, ptrs| {
        fx.bcx.ins().store(MemFlagsData::trusted(), x, ptrs[0], 0);
    });
    Ok(())
}

/// `dst[:] = src`: extents checked (a source extent of 1 broadcasts), then a forward copy
/// in C order.
pub(crate) fn codegen_copy<M: Module>(fx: &mut FunctionCx<'_, M>, dst: &Expr, src: &Expr, extents: &[Raise], span: Span) -> Result<(), InternalError> {
    let (dv, sv) = (view_of(&fx.func.name, dst)?, view_of(&fx.func.name, src)?);
    if dv.ndim != sv.ndim || extents.len() != dv.ndim as usize {
        return Err(InternalError::bug(format!("function `{}`: copy from `{sv}` to `{dv}`", fx.func.name)));
    }
    let (src_stable, dst_stable) = (is_stable(src, &fx.slotted), is_stable(dst, &fx.slotted));
    let s_desc = expr::codegen_value(fx, src)?;
    let d_desc = expr::codegen_value(fx, dst)?;
    fx.set_span(span);
    let ptr_ty = fx.ptr_ty;
    let (s_flags, d_flags) = (
        if src_stable { super::view::desc_flags() } else { slot_flags() },
        if dst_stable { super::view::desc_flags() } else { slot_flags() },
    );
    let s_data = fx.bcx.ins().load(ptr_ty, s_flags, s_desc, ViewDesc::OFFSET_DATA);
    let d_data = fx.bcx.ins().load(ptr_ty, d_flags, d_desc, ViewDesc::OFFSET_DATA);
    let (d_shapes, d_strides) = shape_and_strides(fx, d_desc, dv, dst_stable);
    let (s_shapes, mut s_strides) = shape_and_strides(fx, s_desc, sv, src_stable);
    for (k, raise) in extents.iter().enumerate() {
        let (d, s) = (d_shapes[k], s_shapes[k]);
        let differ = fx.bcx.ins().icmp(IntCC::NotEqual, d, s);
        let not_one = fx.bcx.ins().icmp_imm_s(IntCC::NotEqual, s, 1);
        let bad = fx.bcx.ins().band(differ, not_one);
        fx.raise_with_args_if(bad, span, *raise, &[d, s]);
        let zero = fx.bcx.ins().iconst(ptr_ty, 0);
        s_strides[k] = fx.bcx.ins().select(differ, zero, s_strides[k]);
    }
    let elem_ty = clif_type(dv.elem.ty())?;
    loop_nest(fx, &d_shapes, &[d_strides, s_strides], vec![d_data, s_data], &mut |fx, ptrs| {
        let x = fx.bcx.ins().load(elem_ty, MemFlagsData::trusted(), ptrs[1], 0);
        fx.bcx.ins().store(MemFlagsData::trusted(), x, ptrs[0], 0);
    });
    Ok(())
}
