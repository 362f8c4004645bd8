//! Codegen of typed memoryviews and `with nogil:` blocks: TIR `Index`, `ViewShape`,
//! `Store` and `NoGil` → Cranelift IR.
//!
//! A view value is a pointer to the caller's `abi::ViewDesc` (`data`, `shape[4]`,
//! `strides[4]`), which cannot change during the call: its loads are `readonly` + `notrap`,
//! so Cranelift may hoist them out of loops. An element's address is
//! `data + Σ index_k * stride_k`; a C-contiguous view's last stride is the element size (a
//! constant). Each index gets the checks the TIR gives it (wraparound, then bounds), after
//! all indices are evaluated.
//!
//! `with nogil:` calls `ctx.services.save_thread` on entry and `restore_thread` on every way
//! out: the end of the block, `break`/`continue` to a loop outside it, `return`, and the
//! error exit (which restores when the thread-state variable is non-null).

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{AbiParam, InstBuilder, MemFlagsData, Signature, Type, Value};
use cranelift_frontend::Variable;
use cranelift_module::Module;

use super::{clif_type, expr, FunctionCx};
use crate::abi::{Ctx, Services, ViewDesc};
use crate::source::Span;
use crate::tir::{visit, AxisCheck, Block, Expr, LocalId, StmtKind, Ty, ViewTy};
use crate::InternalError;

/// What codegen knows of an enclosing `with nogil:` block.
#[derive(Clone, Copy)]
pub(crate) struct NoGilFrame {
    /// The number of enclosing loops when the block was entered: a `break`/`continue` to
    /// one of those leaves the block.
    pub(crate) loop_depth: usize,
}

/// Flags of the descriptor loads: the descriptor is valid and unchanged for the whole call,
/// so the loads are `readonly` and `can_move` (Cranelift's LICM then hoists them).
pub(crate) fn desc_flags() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly().with_can_move()
}

impl<M: Module> FunctionCx<'_, M> {
    fn view_ty(&self, view: LocalId) -> Result<ViewTy, InternalError> {
        match self.func.locals.get(view.0 as usize).map(|l| l.ty) {
            Some(Ty::View(v)) => Ok(v),
            other => Err(InternalError::bug(format!("function `{}`: view access of a local of type {other:?}", self.func.name))),
        }
    }

    /// A load from the descriptor of the view local `view`: `readonly`/`can_move` unless the
    /// local has a descriptor slot that assignments rewrite (see `slice.rs`).
    fn desc_load(&mut self, view: LocalId, desc: Value, offset: i32) -> Value {
        let ptr_ty = self.ptr_ty;
        // Slot-backed view locals (`slice.rs`) and the descriptors of arrays the function
        // creates (`alloc.rs`) are rewritten during the call: their loads must not move.
        let flags = if self.slotted.contains(&view) || self.arrays.is_some() { MemFlagsData::trusted() } else { desc_flags() };
        self.bcx.ins().load(ptr_ty, flags, desc, offset)
    }

    /// `shape[axis]` of the descriptor at `desc` (of the local `view`).
    fn view_shape(&mut self, view: LocalId, desc: Value, axis: usize) -> Value {
        self.desc_load(view, desc, ViewDesc::OFFSET_SHAPE + 8 * axis as i32)
    }

    /// The address of the element at `indices` (evaluated here, left to right, then checked
    /// in axis order), and whether every index was bounds-checked.
    fn element_address(
        &mut self,
        view: LocalId,
        indices: &[Expr],
        checks: &[AxisCheck],
        span: Span,
    ) -> Result<(Value, bool), InternalError> {
        let vty = self.view_ty(view)?;
        if indices.len() != vty.ndim as usize || checks.len() != indices.len() {
            return Err(InternalError::bug(format!("function `{}`: {} indices into a {}-dimensional view", self.func.name, indices.len(), vty.ndim)));
        }
        let mut values = Vec::with_capacity(indices.len());
        for index in indices {
            values.push(expr::codegen_value(self, index)?);
        }
        self.set_span(span);
        let desc = self.bcx.use_var(self.var(view)?);
        let data = self.desc_load(view, desc, ViewDesc::OFFSET_DATA);
        let mut offset: Option<Value> = None;
        let mut all_checked = true;
        // Last axis first: when several indices are out of range, Cython reports the last.
        for (axis, (mut idx, check)) in values.into_iter().zip(checks).enumerate().rev() {
            if check.wraparound || check.bounds.is_some() {
                let shape = self.view_shape(view, desc, axis);
                if check.wraparound {
                    let negative = self.bcx.ins().icmp_imm_s(IntCC::SignedLessThan, idx, 0);
                    let wrapped = self.bcx.ins().iadd(idx, shape);
                    idx = self.bcx.ins().select(negative, wrapped, idx);
                }
                if let Some(raise) = check.bounds {
                    // One unsigned compare covers both ends: a negative index is huge.
                    let out = self.bcx.ins().icmp(IntCC::UnsignedGreaterThanOrEqual, idx, shape);
                    self.raise_if(out, span, raise);
                }
            }
            all_checked &= check.bounds.is_some();
            let last = axis + 1 == vty.ndim as usize;
            let term = if vty.c_contig && last {
                let size = vty.elem.size() as i64;
                if size == 1 { idx } else { self.bcx.ins().imul_imm_s(idx, size) }
            } else {
                let stride = self.desc_load(view, desc, ViewDesc::OFFSET_STRIDES + 8 * axis as i32);
                self.bcx.ins().imul(idx, stride)
            };
            offset = Some(match offset {
                None => term,
                Some(sum) => self.bcx.ins().iadd(sum, term),
            });
        }
        let addr = match offset {
            Some(off) => self.bcx.ins().iadd(data, off),
            None => data,
        };
        Ok((addr, all_checked))
    }
}

/// Flags of an element access: `trusted` when every index was checked in bounds.
fn elem_flags(in_bounds: bool) -> MemFlagsData {
    if in_bounds { MemFlagsData::trusted() } else { MemFlagsData::new() }
}

/// `view[indices]` → the element, of Cranelift type `clif_type(elem)`.
pub(crate) fn codegen_index<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    view: LocalId,
    indices: &[Expr],
    checks: &[AxisCheck],
    ty: Ty,
    span: Span,
) -> Result<Value, InternalError> {
    let elem_ty: Type = clif_type(ty)?;
    let (addr, in_bounds) = fx.element_address(view, indices, checks, span)?;
    Ok(fx.bcx.ins().load(elem_ty, elem_flags(in_bounds), addr, 0))
}

/// `view.shape[axis]`.
pub(crate) fn codegen_view_shape<M: Module>(fx: &mut FunctionCx<'_, M>, view: LocalId, axis: u8) -> Result<Value, InternalError> {
    let vty = fx.view_ty(view)?;
    if axis >= vty.ndim {
        return Err(InternalError::bug(format!("function `{}`: shape axis {axis} of a {}-dimensional view", fx.func.name, vty.ndim)));
    }
    let desc = fx.bcx.use_var(fx.var(view)?);
    Ok(fx.view_shape(view, desc, axis as usize))
}

/// `view[indices] = value`: the value first, then the indices (Python's order).
pub(crate) fn codegen_store<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    view: LocalId,
    indices: &[Expr],
    checks: &[AxisCheck],
    value: &Expr,
    span: Span,
) -> Result<(), InternalError> {
    let v = expr::codegen_value(fx, value)?;
    let (addr, in_bounds) = fx.element_address(view, indices, checks, span)?;
    fx.bcx.ins().store(elem_flags(in_bounds), v, addr, 0);
    Ok(())
}

/// Whether a block contains a `NoGil` statement (at any depth).
fn has_nogil(block: &Block) -> bool {
    let mut found = false;
    visit::for_each_stmt(block, &mut |s| found |= matches!(s.kind, StmtKind::NoGil { .. }));
    found
}

/// At function entry: the thread-state variable (null while the GIL is held), declared only
/// in functions with a `with nogil:` block.
pub(crate) fn declare_thread_state<M: Module>(fx: &mut FunctionCx<'_, M>) -> Option<Variable> {
    if !has_nogil(&fx.func.body) {
        return None;
    }
    let ptr_ty = fx.ptr_ty;
    let var = fx.bcx.declare_var(ptr_ty);
    let null = fx.bcx.ins().iconst(ptr_ty, 0);
    fx.bcx.def_var(var, null);
    Some(var)
}

/// Loads the service at `offset` of `ctx.services`.
fn service<M: Module>(fx: &mut FunctionCx<'_, M>, offset: i32) -> Value {
    let ptr_ty = fx.ptr_ty;
    let services = fx.bcx.ins().load(ptr_ty, MemFlagsData::trusted().with_readonly(), fx.ctx_ptr, Ctx::OFFSET_SERVICES);
    fx.bcx.ins().load(ptr_ty, MemFlagsData::trusted().with_readonly(), services, offset)
}

/// `restore_thread(tstate)` and the thread-state variable back to null.
pub(crate) fn codegen_restore_thread<M: Module>(fx: &mut FunctionCx<'_, M>, var: Variable) {
    let ptr_ty = fx.ptr_ty;
    let tstate = fx.bcx.use_var(var);
    let callee = service(fx, Services::OFFSET_RESTORE_THREAD);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.params.push(AbiParam::new(ptr_ty));
    let sig_ref = fx.bcx.import_signature(sig);
    fx.bcx.ins().call_indirect(sig_ref, callee, &[tstate]);
    let null = fx.bcx.ins().iconst(ptr_ty, 0);
    fx.bcx.def_var(var, null);
}

/// In the error exit: restores the thread state if an error left a `with nogil:` block.
pub(crate) fn codegen_error_restore<M: Module>(fx: &mut FunctionCx<'_, M>) {
    let Some(var) = fx.thread_state else { return };
    let tstate = fx.bcx.use_var(var);
    let restore = fx.bcx.create_block();
    let done = fx.bcx.create_block();
    fx.bcx.set_cold_block(restore);
    fx.brif(tstate, restore, &[], done, &[]);
    fx.bcx.seal_block(restore);
    fx.bcx.switch_to_block(restore);
    codegen_restore_thread(fx, var);
    fx.jump(done, &[]);
    fx.bcx.seal_block(done);
    fx.bcx.switch_to_block(done);
}

/// Before a `break`/`continue`: restores the thread state when the target loop is outside
/// the enclosing `with nogil:` block.
pub(crate) fn leave_nogil_for_loop<M: Module>(fx: &mut FunctionCx<'_, M>) {
    if let (Some(frame), Some(var)) = (fx.nogil, fx.thread_state) {
        if fx.loops.len() <= frame.loop_depth {
            codegen_restore_thread(fx, var);
        }
    }
}

/// Before a `return`: restores the thread state inside a `with nogil:` block.
pub(crate) fn leave_nogil_for_return<M: Module>(fx: &mut FunctionCx<'_, M>) {
    if let (Some(_), Some(var)) = (fx.nogil, fx.thread_state) {
        codegen_restore_thread(fx, var);
    }
}

/// `with nogil: body`.
pub(crate) fn codegen_nogil<M: Module>(fx: &mut FunctionCx<'_, M>, body: &Block) -> Result<(), InternalError> {
    let Some(var) = fx.thread_state else {
        return Err(InternalError::bug(format!("function `{}`: `nogil` block without a thread-state variable", fx.func.name)));
    };
    if fx.nogil.is_some() {
        return Err(InternalError::bug(format!("function `{}`: nested `nogil` blocks", fx.func.name)));
    }
    let ptr_ty = fx.ptr_ty;
    let callee = service(fx, Services::OFFSET_SAVE_THREAD);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.returns.push(AbiParam::new(ptr_ty));
    let sig_ref = fx.bcx.import_signature(sig);
    let call = fx.bcx.ins().call_indirect(sig_ref, callee, &[]);
    let tstate = fx.bcx.inst_results(call)[0];
    fx.bcx.def_var(var, tstate);
    fx.nogil = Some(NoGilFrame { loop_depth: fx.loops.len() });
    let result = super::stmt::codegen_block(fx, body);
    fx.nogil = None;
    result?;
    if !fx.terminated {
        codegen_restore_thread(fx, var);
    }
    Ok(())
}
