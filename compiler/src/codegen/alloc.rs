//! Codegen of array creation and of the references a function owns: TIR `NewArray`, the
//! views of existing objects (`ArrayKind::Buffer`: the site's reference is the buffer's
//! holder), the release of those references on every exit, and `return` of a view (its
//! owner object).
//!
//! A function with creation sites gets two frame slots: `refs`, one object pointer per
//! site (null at entry, stored before anything can fail), and `descs`, one `ViewDesc` per
//! site, plus room for the sizes of one call. A site runs as:
//! ```text
//!   sizes[k] = shape_k ...                       (Python's order: left to right)
//!   old = refs[site]; refs[site] = null; decref(old)
//!   desc = new_array(kind, elem, ndim, sizes, &descs[site])   (returns &descs[site] or null)
//!   brif desc == null -> fail (ctx.err_site = ERR_PYTHON, err_args[0] = site; jump error exit)
//!   refs[site] = desc.owner                       (the new reference)
//! ```
//! and its value is `desc`, the call's result, so that no read of the descriptor can be
//! placed before the call. Every `return`, the fall-through `return` of a `void` function
//! and the error exit (after the GIL is taken back, if a `nogil` block was left by an
//! error) call `decref` on every slot: exactly one release per reference, since a slot is
//! nulled when its reference is released early.
//!
//! `descs[site]` is written again when the site runs again, so the descriptor loads of
//! `view.rs` are not marked `readonly` in functions with creation sites (`FunctionCx::
//! arrays`): Cranelift could otherwise move a load of the old descriptor past the call.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData, Signature, StackSlot, StackSlotData, StackSlotKind, Value};
use cranelift_module::Module;

use super::{expr, FunctionCx};
use crate::abi::{Ctx, ElemKind, Services, ViewDesc};
use crate::source::Span;
use crate::tir::{visit, ArrayKind, Block, Expr, ExprKind, Ty};
use crate::InternalError;

/// The frame slots of a function that creates arrays.
#[derive(Clone, Copy)]
pub(crate) struct ArraySlots {
    refs: StackSlot,
    descs: StackSlot,
    sizes: StackSlot,
    count: u32,
}

/// The number of creation sites in a body (sites are numbered from 0 by the checker).
fn count_sites(block: &Block) -> u32 {
    let mut n = 0;
    visit::for_each_expr(block, &mut |e| {
        if let ExprKind::NewArray { site, .. } = e.kind {
            n = n.max(site + 1);
        }
    });
    n
}

/// At function entry (before anything can fail): the slots of a function with creation
/// sites, with every reference null.
pub(crate) fn declare_array_slots<M: Module>(fx: &mut FunctionCx<'_, M>) -> Option<ArraySlots> {
    let count = count_sites(&fx.func.body);
    if count == 0 {
        return None;
    }
    let slot = |fx: &mut FunctionCx<'_, M>, size: u32| fx.bcx.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3));
    let refs = slot(fx, 8 * count);
    let descs = slot(fx, ViewDesc::SIZE * count);
    let sizes = slot(fx, 8 * ViewDesc::MAX_DIMS as u32);
    let null = fx.bcx.ins().iconst(fx.ptr_ty, 0);
    for i in 0..count {
        fx.bcx.ins().stack_store(fx.ptr_ty, null, refs, 8 * i as i32);
    }
    Some(ArraySlots { refs, descs, sizes, count })
}

/// Loads the service at `offset` of `ctx.services`.
pub(crate) fn service<M: Module>(fx: &mut FunctionCx<'_, M>, offset: i32) -> Value {
    let ptr_ty = fx.ptr_ty;
    let flags = MemFlagsData::trusted().with_readonly();
    let services = fx.bcx.ins().load(ptr_ty, flags, fx.ctx_ptr, Ctx::OFFSET_SERVICES);
    fx.bcx.ins().load(ptr_ty, flags, services, offset)
}

/// `incref(obj)` or `decref(obj)`.
fn refcount<M: Module>(fx: &mut FunctionCx<'_, M>, offset: i32, obj: Value) {
    let callee = service(fx, offset);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.params.push(AbiParam::new(fx.ptr_ty));
    let sig_ref = fx.bcx.import_signature(sig);
    fx.bcx.ins().call_indirect(sig_ref, callee, &[obj]);
}

/// `NewArray`: see the module docs.
pub(crate) fn codegen_new_array<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    kind: ArrayKind,
    args: &[Expr],
    site: u32,
    ty: Ty,
    span: Span,
) -> Result<Value, InternalError> {
    let Some(slots) = fx.arrays else {
        return Err(InternalError::bug(format!("function `{}`: array creation without array slots", fx.func.name)));
    };
    let Ty::View(v) = ty else {
        return Err(InternalError::bug(format!("function `{}`: array creation of type `{ty}`", fx.func.name)));
    };
    if kind == ArrayKind::Buffer {
        return codegen_view_of(fx, slots, args, site, v, span);
    }
    if site >= slots.count || args.len() != v.ndim as usize || args.len() > ViewDesc::MAX_DIMS {
        return Err(InternalError::bug(format!("function `{}`: array site {site} of {} with {} sizes", fx.func.name, slots.count, args.len())));
    }
    let mut sizes = Vec::with_capacity(args.len());
    for size in args {
        sizes.push(expr::codegen_value(fx, size)?);
    }
    fx.set_span(span);
    let ptr_ty = fx.ptr_ty;
    for (k, size) in sizes.into_iter().enumerate() {
        fx.bcx.ins().stack_store(ptr_ty, size, slots.sizes, 8 * k as i32);
    }
    let ref_offset = 8 * site as i32;
    release_site(fx, slots, site);

    let elem = ElemKind::ALL
        .iter()
        .position(|e| *e == v.elem.kind())
        .ok_or_else(|| InternalError::bug(format!("element kind {:?} missing from `ElemKind::ALL`", v.elem.kind())))?;
    let callee = service(fx, Services::OFFSET_NEW_ARRAY);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.params.extend([AbiParam::new(types::I32), AbiParam::new(types::I32), AbiParam::new(types::I32), AbiParam::new(ptr_ty), AbiParam::new(ptr_ty)]);
    sig.returns.push(AbiParam::new(ptr_ty));
    let sig_ref = fx.bcx.import_signature(sig);
    let kind_v = fx.iconst(types::I32, kind.code() as i64);
    let elem_v = fx.iconst(types::I32, elem as i64);
    let ndim_v = fx.iconst(types::I32, v.ndim as i64);
    let sizes_ptr = fx.bcx.ins().stack_addr(ptr_ty, slots.sizes, 0);
    let out = fx.bcx.ins().stack_addr(ptr_ty, slots.descs, (ViewDesc::SIZE * site) as i32);
    let call = fx.bcx.ins().call_indirect(sig_ref, callee, &[kind_v, elem_v, ndim_v, sizes_ptr, out]);
    let desc = fx.bcx.inst_results(call)[0];

    // Null: the service failed with a Python exception set.
    let failed = fx.bcx.ins().icmp_imm_u(IntCC::Equal, desc, 0);
    fx.python_error_if(failed, span)?;
    let owner = fx.bcx.ins().load(ptr_ty, MemFlagsData::trusted(), desc, ViewDesc::OFFSET_OWNER);
    fx.bcx.ins().stack_store(ptr_ty, owner, slots.refs, ref_offset);
    Ok(desc)
}

/// Running a site again: releases the reference it took before (and nulls its slot first).
fn release_site<M: Module>(fx: &mut FunctionCx<'_, M>, slots: ArraySlots, site: u32) {
    let ptr_ty = fx.ptr_ty;
    let old = fx.bcx.ins().stack_load(ptr_ty, ptr_ty, slots.refs, 8 * site as i32);
    let null = fx.bcx.ins().iconst(ptr_ty, 0);
    fx.bcx.ins().stack_store(ptr_ty, null, slots.refs, 8 * site as i32);
    refcount(fx, Services::OFFSET_DECREF, old);
}

/// `NewArray` of `ArrayKind::Buffer`: the view of an existing object,
/// `desc = view_of(obj, view_code, &descs[site], &refs[site])`; the service stores the
/// buffer's holder in `refs[site]` itself.
fn codegen_view_of<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    slots: ArraySlots,
    args: &[Expr],
    site: u32,
    v: crate::tir::ViewTy,
    span: Span,
) -> Result<Value, InternalError> {
    let [obj] = args else {
        return Err(InternalError::bug(format!("function `{}`: a view of {} objects", fx.func.name, args.len())));
    };
    if site >= slots.count {
        return Err(InternalError::bug(format!("function `{}`: array site {site} of {}", fx.func.name, slots.count)));
    }
    let obj = expr::codegen_value(fx, obj)?;
    fx.set_span(span);
    release_site(fx, slots, site);
    let ptr_ty = fx.ptr_ty;
    let callee = service(fx, Services::OFFSET_VIEW_OF);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.params.extend([AbiParam::new(ptr_ty), AbiParam::new(types::I32), AbiParam::new(ptr_ty), AbiParam::new(ptr_ty)]);
    sig.returns.push(AbiParam::new(ptr_ty));
    let sig_ref = fx.bcx.import_signature(sig);
    let code = fx.iconst(types::I32, v.abi().code() as i64);
    let out = fx.bcx.ins().stack_addr(ptr_ty, slots.descs, (ViewDesc::SIZE * site) as i32);
    let keep = fx.bcx.ins().stack_addr(ptr_ty, slots.refs, 8 * site as i32);
    let call = fx.bcx.ins().call_indirect(sig_ref, callee, &[obj, code, out, keep]);
    let desc = fx.bcx.inst_results(call)[0];
    let failed = fx.bcx.ins().icmp_imm_u(IntCC::Equal, desc, 0);
    fx.python_error_if(failed, span)?;
    Ok(desc)
}

/// Before leaving the function (any way): releases every reference it holds (the arrays
/// it made, its `object` locals and temporaries).
pub(crate) fn codegen_release_all<M: Module>(fx: &mut FunctionCx<'_, M>, error_exit: bool) -> Result<(), InternalError> {
    fx.release_objects(error_exit)?;
    let Some(slots) = fx.arrays else { return Ok(()) };
    let ptr_ty = fx.ptr_ty;
    for i in 0..slots.count {
        let obj = fx.bcx.ins().stack_load(ptr_ty, ptr_ty, slots.refs, 8 * i as i32);
        refcount(fx, Services::OFFSET_DECREF, obj);
    }
    Ok(())
}

/// The value a function returning a view returns: the owner of the view at `desc`, as a
/// new reference (taken before the function's own references are released).
pub(crate) fn codegen_view_owner<M: Module>(fx: &mut FunctionCx<'_, M>, desc: Value) -> Value {
    let ptr_ty = fx.ptr_ty;
    let owner = fx.bcx.ins().load(ptr_ty, MemFlagsData::trusted(), desc, ViewDesc::OFFSET_OWNER);
    refcount(fx, Services::OFFSET_INCREF, owner);
    owner
}
