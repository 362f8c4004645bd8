//! Codegen of calls between compiled functions: `(ctx, args...) -> (ret?, status)`, then a
//! branch on the status to the error exit (the callee already recorded `ctx.err_site`).

use cranelift_codegen::ir::{FuncRef, InstBuilder, Value};
use cranelift_module::{FuncId, Module};

use super::{expr, FunctionCx};
use crate::source::Span;
use crate::tir::{self, Expr, Ty};
use crate::InternalError;

pub(crate) fn codegen_call<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    callee: tir::FuncId,
    args: &[Expr],
    span: Span,
) -> Result<Option<Value>, InternalError> {
    let target = fx
        .tir_module
        .funcs
        .get(callee.0 as usize)
        .ok_or_else(|| InternalError::bug(format!("function `{}` calls unknown function {}", fx.func.name, callee.0)))?;
    if target.params.len() != args.len() {
        return Err(InternalError::bug(format!(
            "function `{}` calls `{}` with {} arguments for {} parameters",
            fx.func.name,
            target.name,
            args.len(),
            target.params.len()
        )));
    }
    let mut values = Vec::with_capacity(args.len() + 1);
    values.push(fx.ctx_ptr);
    for arg in args {
        values.push(expr::codegen_value(fx, arg)?);
    }
    fx.set_span(span);
    let id = fx.mcx.fn_ids[callee.0 as usize];
    let func_ref = fx.func_ref(id);
    let call = fx.bcx.ins().call(func_ref, &values);
    let results = fx.bcx.inst_results(call).to_vec();
    let (ret, status) = match (target.ret, results.as_slice()) {
        (Ty::Void, [status]) => (None, *status),
        (_, [ret, status]) => (Some(*ret), *status),
        _ => return Err(InternalError::bug(format!("call of `{}`: unexpected results", target.name))),
    };
    fx.propagate_status(status);
    Ok(ret)
}

impl<M: Module> FunctionCx<'_, M> {
    /// The function reference of `id` in the current function (imported once).
    pub(crate) fn func_ref(&mut self, id: FuncId) -> FuncRef {
        if let Some(&r) = self.func_refs.get(&id) {
            return r;
        }
        let r = self.module.declare_func_in_func(id, self.bcx.func);
        self.func_refs.insert(id, r);
        r
    }
}
