//! Codegen of the entry wrappers: one per exported function, with the fixed C signature
//! the runtime calls (see `abi`): `extern "C" fn(ctx, args: *const u64, ret: *mut u64) -> u32`.
//!
//! The wrapper loads each parameter from its 8-byte slot (the low bytes of an integer on a
//! little-endian target; an `F32` slot holds an f64), calls the function, and on success
//! stores the result as a slot (integers sign- or zero-extended to 64 bits, `F32` widened,
//! `bint` as 0/1). It returns the status (0 ok, 1 error recorded in `ctx`).

use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData, Signature, UserFuncName};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{FuncId, Linkage, Module};

use super::{clif_type, module_error, ModuleCx};
use crate::tir::{self, Ty};
use crate::InternalError;

/// Builds the entry wrapper of `func` into `ctx` and declares it; the caller defines it.
pub(crate) fn codegen_entry<M: Module>(
    module: &mut M,
    mcx: &ModuleCx,
    func: &tir::Function,
    symbol: &str,
    ctx: &mut Context,
    fbcx: &mut FunctionBuilderContext,
) -> Result<FuncId, InternalError> {
    let ptr_ty = mcx.ptr_ty;
    let mut sig = Signature::new(mcx.call_conv);
    sig.params.extend([AbiParam::new(ptr_ty), AbiParam::new(ptr_ty), AbiParam::new(ptr_ty)]);
    sig.returns.push(AbiParam::new(types::I32));
    // Local: the runtime reaches entries through the JIT's addresses or the object's entry
    // table, never by symbol, so two AOT modules cannot clash.
    let id = module.declare_function(symbol, Linkage::Local, &sig).map_err(|e| module_error(symbol, e))?;
    let callee_id = mcx.fn_ids[func.id.0 as usize];
    let target_config = module.target_config();

    ctx.func.signature = sig;
    ctx.func.name = UserFuncName::testcase(symbol);
    let mut bcx = FunctionBuilder::new(&mut ctx.func, fbcx);
    let callee = module.declare_func_in_func(callee_id, bcx.func);
    let block = bcx.create_block();
    bcx.append_block_params_for_function_params(block);
    bcx.seal_block(block);
    bcx.switch_to_block(block);
    let (ctx_ptr, args_ptr, ret_ptr) = {
        let p = bcx.block_params(block);
        (p[0], p[1], p[2])
    };
    let flags = MemFlagsData::trusted();

    let mut args = vec![ctx_ptr];
    for (i, param) in func.params.iter().enumerate() {
        let offset = 8 * i as i32;
        let value = match param.ty {
            Ty::Float(tir::FloatKind::Float) => {
                let wide = bcx.ins().load(types::F64, flags, args_ptr, offset);
                bcx.ins().fdemote(types::F32, wide)
            }
            ty => bcx.ins().load(clif_type(ty)?, flags, args_ptr, offset),
        };
        // An omitted argument whose default lives in a C global arrives null: read it.
        let value = match param.default {
            Some(tir::ParamDefault::Global(k)) => {
                let id = *mcx.cglobals.get(k as usize).ok_or_else(|| InternalError::bug(format!("C global {k} out of range")))?;
                let gv = module.declare_data_in_func(id, bcx.func);
                let addr = bcx.ins().symbol_value(ptr_ty, gv);
                let default = bcx.ins().load(ptr_ty, flags, addr, 0);
                let omitted = bcx.ins().icmp_imm_u(cranelift_codegen::ir::condcodes::IntCC::Equal, value, 0);
                bcx.ins().select(omitted, default, value)
            }
            _ => value,
        };
        args.push(value);
    }
    let call = bcx.ins().call(callee, &args);
    let results = bcx.inst_results(call).to_vec();
    let status = *results.last().ok_or_else(|| InternalError::bug(format!("`{}` returns no status", func.name)))?;

    let store_block = bcx.create_block();
    let exit = bcx.create_block();
    bcx.ins().brif(status, exit, &[], store_block, &[]);
    bcx.seal_block(store_block);
    bcx.switch_to_block(store_block);
    if func.ret != Ty::Void {
        let value = results[0];
        let slot = match func.ret {
            Ty::Int(k) if k.bits() == 64 => value,
            Ty::Int(k) if k.signed() => bcx.ins().sextend(types::I64, value),
            Ty::Int(_) | Ty::Bool => bcx.ins().uextend(types::I64, value),
            Ty::Float(tir::FloatKind::Float) => bcx.ins().fpromote(types::F64, value),
            Ty::Float(tir::FloatKind::Double) => value,
            // The owner object, a new reference (see `tir::StmtKind::Return`).
            Ty::View(_) => value,
            // A new reference (see `abi::AbiType::Object`).
            Ty::Object(_) => value,
            Ty::Void => unreachable_void()?,
        };
        bcx.ins().store(flags, slot, ret_ptr, 0);
    }
    bcx.ins().jump(exit, &[]);
    bcx.seal_block(exit);
    bcx.switch_to_block(exit);
    let status32 = bcx.ins().uextend(types::I32, status);
    bcx.ins().return_(&[status32]);
    bcx.finalize(target_config);
    Ok(id)
}

fn unreachable_void() -> Result<cranelift_codegen::ir::Value, InternalError> {
    Err(InternalError::bug("a `void` result stored into a slot"))
}
