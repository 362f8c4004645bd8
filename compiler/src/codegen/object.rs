//! Codegen of the object layer: C-API calls (`CApi`, emitted from the table in `capi.rs`:
//! the symbol, its signature and its failure test all come from the entry), `None`, and
//! the reference operations `refs.rs` made explicit (`Temp`, `Release`, `NewRef`, the
//! release of an `object` local's old value on assignment, and of every `object` local and
//! temporary on each exit).
//!
//! C-API functions are called by symbol, as Cython's C calls them: AOT objects leave the
//! names undefined for the dynamic loader (the interpreter exports them), the JIT resolves
//! them in the running process. Reference counts go through `Py_IncRef`/`Py_DecRef`
//! (null-safe) until they are inlined per interpreter.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData, Signature, StackSlotData, StackSlotKind, Type, Value};
use cranelift_frontend::Variable;
use cranelift_module::{Linkage, Module};

use super::{expr, FunctionCx};
use crate::abi::{Ctx, Services};
use crate::capi::{self, CApiFn, CArg, CRet, Fails};
use crate::source::Span;
use crate::tir::{ArgCheck, BuildKind, Expr, ObjKind};
use crate::InternalError;

fn arg_type(arg: CArg, ptr_ty: Type) -> Type {
    match arg {
        CArg::Obj | CArg::CStr | CArg::Ptr => ptr_ty,
        CArg::Int => types::I32,
        CArg::Long | CArg::LongLong | CArg::ULongLong | CArg::Ssize | CArg::SizeT => types::I64,
        CArg::Double => types::F64,
    }
}

fn ret_type(ret: CRet, ptr_ty: Type) -> Option<Type> {
    Some(match ret {
        CRet::NewRef | CRet::Borrowed => ptr_ty,
        CRet::Int => types::I32,
        CRet::Long | CRet::LongLong | CRet::ULongLong | CRet::Ssize => types::I64,
        CRet::Double => types::F64,
        CRet::Void => return None,
    })
}

impl<M: Module> FunctionCx<'_, M> {
    /// Calls the C-API function `f` on `args`, without any failure test.
    pub(crate) fn call_capi(&mut self, f: &'static CApiFn, args: &[Value]) -> Result<Option<Value>, InternalError> {
        let id = match self.mcx.imports.get(f.name) {
            Some(&id) => id,
            None => {
                let mut sig = Signature::new(self.mcx.call_conv);
                sig.params.extend(f.args.iter().map(|a| AbiParam::new(arg_type(*a, self.ptr_ty))));
                sig.returns.extend(ret_type(f.ret, self.ptr_ty).map(AbiParam::new));
                let id = self.module.declare_function(f.name, Linkage::Import, &sig).map_err(|e| super::module_error(f.name, e))?;
                self.mcx.imports.insert(f.name, id);
                id
            }
        };
        let func_ref = self.func_ref(id);
        let call = self.bcx.ins().call(func_ref, args);
        Ok(self.bcx.inst_results(call).first().copied())
    }

    /// Calls a C-API function the object layer needs by name (reference counts, error tests).
    fn call_named(&mut self, name: &'static str, args: &[Value]) -> Result<Option<Value>, InternalError> {
        let f = capi::lookup(name).ok_or_else(|| InternalError::bug(format!("`{name}` is missing from the C-API table")))?;
        self.call_capi(f, args)
    }

    /// `Py_INCREF(obj)`: inlined as CPython 3.11's macro (`ob_refcnt += 1`, the first field
    /// of every object) when the module is built for 3.11 (`CompileOptions::inline_refcounts`),
    /// else the `Py_IncRef` call (3.12+ objects may be immortal).
    pub(crate) fn incref(&mut self, obj: Value) -> Result<(), InternalError> {
        if !self.mcx.inline_refcounts {
            return self.call_named("Py_IncRef", &[obj]).map(|_| ());
        }
        let flags = MemFlagsData::trusted();
        let count = self.bcx.ins().load(types::I64, flags, obj, 0);
        let count = self.bcx.ins().iadd_imm_s(count, 1);
        self.bcx.ins().store(flags, count, obj, 0);
        Ok(())
    }

    /// `Py_XDECREF(obj)` (null does nothing): inlined as 3.11's macro (`ob_refcnt -= 1`,
    /// `_Py_Dealloc` at zero) under `inline_refcounts`, else the `Py_DecRef` call.
    pub(crate) fn decref(&mut self, obj: Value) -> Result<(), InternalError> {
        if !self.mcx.inline_refcounts {
            return self.call_named("Py_DecRef", &[obj]).map(|_| ());
        }
        let (live, dealloc, done) = (self.bcx.create_block(), self.bcx.create_block(), self.bcx.create_block());
        self.bcx.set_cold_block(dealloc);
        let is_null = self.bcx.ins().icmp_imm_u(IntCC::Equal, obj, 0);
        self.brif(is_null, done, &[], live, &[]);
        self.bcx.seal_block(live);
        self.bcx.switch_to_block(live);
        let flags = MemFlagsData::trusted();
        let count = self.bcx.ins().load(types::I64, flags, obj, 0);
        let count = self.bcx.ins().iadd_imm_s(count, -1);
        self.bcx.ins().store(flags, count, obj, 0);
        let zero = self.bcx.ins().icmp_imm_u(IntCC::Equal, count, 0);
        self.brif(zero, dealloc, &[], done, &[]);
        self.bcx.seal_block(dealloc);
        self.bcx.switch_to_block(dealloc);
        self.call_named("_Py_Dealloc", &[obj])?;
        self.jump(done, &[]);
        self.bcx.seal_block(done);
        self.bcx.switch_to_block(done);
        Ok(())
    }

    /// The temporary slots (null at entry) and `object` locals: parameters hold the
    /// function's own reference (it owns every object local; see `tir::ExprKind::CApi`),
    /// except those the body never assigns, which borrow the caller's (`borrowed_params`),
    /// the other locals hold `None` until assigned (a read before any assignment gives
    /// `None`, as a C local gives 0: README, "Where pycc differs").
    pub(crate) fn declare_object_slots(&mut self, params: &[Value]) -> Result<(), InternalError> {
        let null = self.bcx.ins().iconst(self.ptr_ty, 0);
        for _ in 0..self.func.temps {
            let var = self.bcx.declare_var(self.ptr_ty);
            self.bcx.def_var(var, null);
            self.temps.push(var);
        }
        for (i, local) in self.func.locals.iter().enumerate() {
            if !local.ty.is_object() {
                continue;
            }
            let var = self.var(crate::tir::LocalId(i as u32))?;
            match params.get(i) {
                Some(&p) if i < self.func.params.len() => {
                    if !self.borrowed_params.contains(&crate::tir::LocalId(i as u32)) {
                        self.incref(p)?;
                    }
                    self.bcx.def_var(var, p);
                }
                _ => {
                    let none = codegen_none(self)?;
                    self.bcx.def_var(var, none);
                }
            }
        }
        Ok(())
    }

    /// Before leaving the function: releases every `object` local, and on the error exit
    /// (`with_temps`) every temporary slot (null everywhere else, see `check/refs.rs`).
    pub(crate) fn release_objects(&mut self, with_temps: bool) -> Result<(), InternalError> {
        for i in 0..self.func.locals.len() {
            if self.func.locals[i].ty.is_object() && !self.borrowed_params.contains(&crate::tir::LocalId(i as u32)) {
                let var = self.var(crate::tir::LocalId(i as u32))?;
                let obj = self.bcx.use_var(var);
                self.decref(obj)?;
            }
        }
        for k in 0..if with_temps { self.temps.len() } else { 0 } {
            let obj = self.bcx.use_var(self.temps[k]);
            self.decref(obj)?;
        }
        Ok(())
    }

    /// Stores `value` into the `object` local `var`, releasing what it held.
    pub(crate) fn assign_object(&mut self, var: Variable, value: Value) -> Result<(), InternalError> {
        let old = self.bcx.use_var(var);
        self.bcx.def_var(var, value);
        self.decref(old)
    }

    /// `PyIter_Next(it)`: the next item (a new reference), or null at the end or on error
    /// (the caller tells them apart with [`FunctionCx::python_error_occurred`]).
    pub(crate) fn iter_next(&mut self, it: Value) -> Result<Value, InternalError> {
        self.call_named("PyIter_Next", &[it])?.ok_or_else(|| InternalError::bug("`PyIter_Next` has no result"))
    }

    /// Whether a Python exception is set (`PyErr_Occurred() != NULL`).
    pub(crate) fn python_error_occurred(&mut self) -> Result<Value, InternalError> {
        let occurred = self.call_named("PyErr_Occurred", &[])?.ok_or_else(|| InternalError::bug("`PyErr_Occurred` has no result"))?;
        Ok(self.bcx.ins().icmp_imm_u(IntCC::NotEqual, occurred, 0))
    }

    fn temp(&self, slot: u32) -> Result<Variable, InternalError> {
        self.temps.get(slot as usize).copied().ok_or_else(|| InternalError::bug(format!("function `{}`: temporary {slot} out of range", self.func.name)))
    }
}

/// `CApi`: the arguments left to right, the call, then the failure test its entry names.
pub(crate) fn codegen_capi<M: Module>(fx: &mut FunctionCx<'_, M>, f: &'static CApiFn, args: &[Expr], span: Span) -> Result<Value, InternalError> {
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        values.push(expr::codegen_value(fx, a)?);
    }
    fx.set_span(span);
    let result = fx.call_capi(f, &values)?;
    let Some(result) = result else {
        return Err(InternalError::bug(format!("`{}` has no result", f.name)));
    };
    let failed = match f.fails {
        Fails::Never => return Ok(result),
        Fails::Null => fx.bcx.ins().icmp_imm_u(IntCC::Equal, result, 0),
        Fails::MinusOne => fx.bcx.ins().icmp_imm_s(IntCC::Equal, result, -1),
        Fails::NullMaybeError | Fails::MinusOneMaybeError => {
            // The sentinel, then `PyErr_Occurred()` in a cold block.
            let sentinel = match f.fails {
                Fails::NullMaybeError => fx.bcx.ins().icmp_imm_u(IntCC::Equal, result, 0),
                _ if fx.bcx.func.dfg.value_type(result).is_float() => {
                    let minus_one = fx.bcx.ins().f64const(-1.0);
                    fx.bcx.ins().fcmp(FloatCC::Equal, result, minus_one)
                }
                _ => fx.bcx.ins().icmp_imm_s(IntCC::Equal, result, -1),
            };
            let check = fx.bcx.create_block();
            let cont = fx.bcx.create_block();
            fx.bcx.set_cold_block(check);
            fx.brif(sentinel, check, &[], cont, &[]);
            fx.seal(check);
            fx.bcx.switch_to_block(check);
            let set = fx.python_error_occurred()?;
            fx.python_error_if(set, span)?;
            fx.jump(cont, &[]);
            fx.seal(cont);
            fx.bcx.switch_to_block(cont);
            return Ok(result);
        }
    };
    fx.python_error_if(failed, span)?;
    Ok(result)
}

/// `None`, as a new reference.
pub(crate) fn codegen_none<M: Module>(fx: &mut FunctionCx<'_, M>) -> Result<Value, InternalError> {
    let id = match fx.mcx.none_data {
        Some(id) => id,
        None => {
            let id = fx.module.declare_data("_Py_NoneStruct", Linkage::Import, true, false).map_err(|e| super::module_error("_Py_NoneStruct", e))?;
            fx.mcx.none_data = Some(id);
            id
        }
    };
    let gv = fx.module.declare_data_in_func(id, fx.bcx.func);
    let ptr_ty = fx.ptr_ty;
    let none = fx.bcx.ins().symbol_value(ptr_ty, gv);
    fx.incref(none)?;
    Ok(none)
}

/// `Field`: one load at the offset `capi::layout` gives (the checker knows the type).
pub(crate) fn codegen_field<M: Module>(fx: &mut FunctionCx<'_, M>, obj: &Expr, field: crate::tir::Field) -> Result<Value, InternalError> {
    let o = expr::codegen_value(fx, obj)?;
    let clif = super::clif_type(field.ty())?;
    Ok(fx.bcx.ins().load(clif, MemFlagsData::trusted(), o, capi::layout::offset(field)))
}

/// `Item`: `ob_item[index]` of a tuple (inline items) or a list (a pointer to them).
pub(crate) fn codegen_item<M: Module>(fx: &mut FunctionCx<'_, M>, obj: &Expr, index: &Expr, kind: ObjKind) -> Result<Value, InternalError> {
    let o = expr::codegen_value(fx, obj)?;
    let i = expr::codegen_value(fx, index)?;
    let flags = MemFlagsData::trusted();
    let ptr_ty = fx.ptr_ty;
    let (base, offset) = match kind {
        ObjKind::Tuple => (o, capi::layout::TUPLE_ITEMS),
        ObjKind::List => (fx.bcx.ins().load(ptr_ty, flags, o, capi::layout::LIST_ITEMS), 0),
        _ => return Err(InternalError::bug(format!("an item read of a `{}`", kind.name()))),
    };
    let scaled = fx.bcx.ins().ishl_imm_u(i, 3);
    let addr = fx.bcx.ins().iadd(base, scaled);
    Ok(fx.bcx.ins().load(ptr_ty, flags, addr, offset))
}

/// `Temp`: the owned value into its slot; the value, borrowed.
pub(crate) fn codegen_temp<M: Module>(fx: &mut FunctionCx<'_, M>, slot: u32, value: &Expr) -> Result<Value, InternalError> {
    let v = expr::codegen_value(fx, value)?;
    let var = fx.temp(slot)?;
    fx.bcx.def_var(var, v);
    Ok(v)
}

/// `Release`: the value, then each slot released and nulled.
pub(crate) fn codegen_release<M: Module>(fx: &mut FunctionCx<'_, M>, value: &Expr, slots: &[u32]) -> Result<Option<Value>, InternalError> {
    let v = expr::codegen_expr(fx, value)?;
    let null = fx.bcx.ins().iconst(fx.ptr_ty, 0);
    for &slot in slots {
        let var = fx.temp(slot)?;
        let obj = fx.bcx.use_var(var);
        fx.bcx.def_var(var, null);
        fx.decref(obj)?;
    }
    Ok(v)
}

/// `CheckKind`: the runtime's `check_kind(obj, kind | flags, name)` service (0, or -1 with
/// TypeError set; `name` null for an assignment).
pub(crate) fn codegen_check_kind<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    value: &Expr,
    kind: ObjKind,
    arg: Option<ArgCheck>,
    span: Span,
) -> Result<Value, InternalError> {
    let obj = expr::codegen_value(fx, value)?;
    let name = match arg {
        Some(a) => codegen_mod_const(fx, a.name),
        None => fx.bcx.ins().iconst(fx.ptr_ty, 0),
    };
    let ptr_ty = fx.ptr_ty;
    let flags = MemFlagsData::trusted().with_readonly();
    let services = fx.bcx.ins().load(ptr_ty, flags, fx.ctx_ptr, Ctx::OFFSET_SERVICES);
    let callee = fx.bcx.ins().load(ptr_ty, flags, services, Services::OFFSET_CHECK_KIND);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.params.extend([AbiParam::new(ptr_ty), AbiParam::new(types::I32), AbiParam::new(ptr_ty)]);
    sig.returns.push(AbiParam::new(types::I32));
    let sig_ref = fx.bcx.import_signature(sig);
    fx.set_span(span);
    let code = fx.bcx.ins().iconst(types::I32, i64::from(kind.code() | ArgCheck::flags(arg)));
    let call = fx.bcx.ins().call_indirect(sig_ref, callee, &[obj, code, name]);
    let status = fx.bcx.inst_results(call)[0];
    let failed = fx.bcx.ins().icmp_imm_u(IntCC::NotEqual, status, 0);
    fx.python_error_if(failed, span)?;
    Ok(obj)
}

/// `NewRef`.
pub(crate) fn codegen_new_ref<M: Module>(fx: &mut FunctionCx<'_, M>, value: &Expr) -> Result<Value, InternalError> {
    let v = expr::codegen_value(fx, value)?;
    fx.incref(v)?;
    Ok(v)
}

/// `ModConst`: `ctx.consts[k]`, borrowed.
pub(crate) fn codegen_mod_const<M: Module>(fx: &mut FunctionCx<'_, M>, k: u32) -> Value {
    let ptr_ty = fx.ptr_ty;
    let flags = MemFlagsData::trusted().with_readonly();
    let consts = fx.bcx.ins().load(ptr_ty, flags, fx.ctx_ptr, Ctx::OFFSET_CONSTS);
    fx.bcx.ins().load(ptr_ty, flags, consts, 8 * k as i32)
}

/// Calls the service at `offset` of `ctx.services` with pointer-sized `args`, returning
/// one value of type `ret`.
fn call_service<M: Module>(fx: &mut FunctionCx<'_, M>, offset: i32, args: &[Value], ret: Type) -> Value {
    let ptr_ty = fx.ptr_ty;
    let flags = MemFlagsData::trusted().with_readonly();
    let services = fx.bcx.ins().load(ptr_ty, flags, fx.ctx_ptr, Ctx::OFFSET_SERVICES);
    let callee = fx.bcx.ins().load(ptr_ty, flags, services, offset);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.params.extend(args.iter().map(|_| AbiParam::new(ptr_ty)));
    sig.returns.push(AbiParam::new(ret));
    let sig_ref = fx.bcx.import_signature(sig);
    let call = fx.bcx.ins().call_indirect(sig_ref, callee, args);
    fx.bcx.inst_results(call)[0]
}

/// `Globals`: `ctx.globals`, borrowed.
pub(crate) fn codegen_globals<M: Module>(fx: &mut FunctionCx<'_, M>) -> Value {
    let flags = MemFlagsData::trusted().with_readonly();
    fx.bcx.ins().load(fx.ptr_ty, flags, fx.ctx_ptr, Ctx::OFFSET_GLOBALS)
}

/// `LoadGlobal`: the runtime's `load_global` service on `ctx.globals`, with a cache of the
/// site's own (`abi::GlobalCache`, zeroed data of the module).
pub(crate) fn codegen_load_global<M: Module>(fx: &mut FunctionCx<'_, M>, name: u32, span: Span) -> Result<Value, InternalError> {
    let symbol = format!("__pycc_global_cache_{}", fx.mcx.global_caches);
    fx.mcx.global_caches += 1;
    let id = fx.module.declare_data(&symbol, Linkage::Local, true, false).map_err(|e| InternalError::bug(format!("{symbol}: {e}")))?;
    let mut data = cranelift_module::DataDescription::new();
    data.define_zeroinit(crate::abi::GlobalCache::SIZE as usize);
    data.set_align(8);
    fx.module.define_data(id, &data).map_err(|e| InternalError::bug(format!("{symbol}: {e}")))?;
    let gv = fx.module.declare_data_in_func(id, fx.bcx.func);
    let cache = fx.bcx.ins().symbol_value(fx.ptr_ty, gv);
    let name = codegen_mod_const(fx, name);
    let globals = codegen_globals(fx);
    fx.set_span(span);
    let value = call_service(fx, Services::OFFSET_LOAD_GLOBAL, &[globals, name, cache], fx.ptr_ty);
    let failed = fx.bcx.ins().icmp_imm_u(IntCC::Equal, value, 0);
    fx.python_error_if(failed, span)?;
    Ok(value)
}

/// `ImportFrom`: the runtime's `import_from` service.
pub(crate) fn codegen_import_from<M: Module>(fx: &mut FunctionCx<'_, M>, module: &Expr, name: u32, span: Span) -> Result<Value, InternalError> {
    let module = expr::codegen_value(fx, module)?;
    let name = codegen_mod_const(fx, name);
    fx.set_span(span);
    let value = call_service(fx, Services::OFFSET_IMPORT_FROM, &[module, name], fx.ptr_ty);
    let failed = fx.bcx.ins().icmp_imm_u(IntCC::Equal, value, 0);
    fx.python_error_if(failed, span)?;
    Ok(value)
}

/// `Merge`: the runtime's `merge(op, target, value, func)` service (0, or -1 with the
/// Python exception set).
pub(crate) fn codegen_merge<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    op: crate::tir::MergeOp,
    target: &Expr,
    value: &Expr,
    func: Option<&Expr>,
    span: Span,
) -> Result<Value, InternalError> {
    let target = expr::codegen_value(fx, target)?;
    let value = expr::codegen_value(fx, value)?;
    let func = match func {
        Some(f) => expr::codegen_value(fx, f)?,
        None => fx.bcx.ins().iconst(fx.ptr_ty, 0),
    };
    fx.set_span(span);
    let ptr_ty = fx.ptr_ty;
    let callee = super::alloc::service(fx, Services::OFFSET_MERGE);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.params.extend([AbiParam::new(types::I32), AbiParam::new(ptr_ty), AbiParam::new(ptr_ty), AbiParam::new(ptr_ty)]);
    sig.returns.push(AbiParam::new(types::I32));
    let sig_ref = fx.bcx.import_signature(sig);
    let code = fx.iconst(types::I32, op as i64);
    let call = fx.bcx.ins().call_indirect(sig_ref, callee, &[code, target, value, func]);
    let status = fx.bcx.inst_results(call)[0];
    let failed = fx.bcx.ins().icmp_imm_s(IntCC::NotEqual, status, 0);
    fx.python_error_if(failed, span)?;
    Ok(status)
}

/// `DelGlobal`: the runtime's `del_global` service on `ctx.globals`.
pub(crate) fn codegen_del_global<M: Module>(fx: &mut FunctionCx<'_, M>, name: u32, span: Span) -> Result<(), InternalError> {
    let name = codegen_mod_const(fx, name);
    let globals = codegen_globals(fx);
    let status = call_service(fx, Services::OFFSET_DEL_GLOBAL, &[globals, name], types::I32);
    let failed = fx.bcx.ins().icmp_imm_u(IntCC::NotEqual, status, 0);
    fx.python_error_if(failed, span)
}

/// The address of C global `k`'s storage.
fn cglobal_addr<M: Module>(fx: &mut FunctionCx<'_, M>, k: u32) -> Result<Value, InternalError> {
    let id = *fx.mcx.cglobals.get(k as usize).ok_or_else(|| InternalError::bug(format!("C global {k} out of range")))?;
    let gv = fx.module.declare_data_in_func(id, fx.bcx.func);
    let ptr_ty = fx.ptr_ty;
    Ok(fx.bcx.ins().symbol_value(ptr_ty, gv))
}

/// `CGlobal(k)`: its current value (borrowed, for an object).
pub(crate) fn codegen_cglobal<M: Module>(fx: &mut FunctionCx<'_, M>, k: u32, ty: crate::tir::Ty) -> Result<Value, InternalError> {
    let addr = cglobal_addr(fx, k)?;
    let clif = super::clif_type(ty)?;
    Ok(fx.bcx.ins().load(clif, MemFlagsData::trusted(), addr, 0))
}

/// `StoreCGlobal`: stores `value`; an object global releases the value it held.
pub(crate) fn codegen_store_cglobal<M: Module>(fx: &mut FunctionCx<'_, M>, k: u32, value: &Expr) -> Result<(), InternalError> {
    let v = expr::codegen_value(fx, value)?;
    let addr = cglobal_addr(fx, k)?;
    if value.ty.is_object() {
        let old = fx.bcx.ins().load(fx.ptr_ty, MemFlagsData::trusted(), addr, 0);
        fx.bcx.ins().store(MemFlagsData::trusted(), v, addr, 0);
        return fx.decref(old);
    }
    fx.bcx.ins().store(MemFlagsData::trusted(), v, addr, 0);
    Ok(())
}

/// `CallObject` (with `callee`) and `CallMethod` (with `method`, `args[0]` the object):
/// the arguments in a frame array with one free word before them, so that the callee may
/// use it (`PY_VECTORCALL_ARGUMENTS_OFFSET`).
pub(crate) fn codegen_call_object<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    callee: Option<&Expr>,
    method: Option<u32>,
    args: &[Expr],
    kwnames: Option<u32>,
    span: Span,
) -> Result<Value, InternalError> {
    const ARGUMENTS_OFFSET: i64 = 1 << 63;
    let callee = match callee {
        Some(c) => Some(expr::codegen_value(fx, c)?),
        None => None,
    };
    let mut values = Vec::with_capacity(args.len());
    for a in args {
        values.push(expr::codegen_value(fx, a)?);
    }
    fx.set_span(span);
    let ptr_ty = fx.ptr_ty;
    let slot = fx.bcx.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8 * (values.len() as u32 + 1), 3));
    for (i, v) in values.iter().enumerate() {
        fx.bcx.ins().stack_store(ptr_ty, *v, slot, 8 * (i as i32 + 1));
    }
    let argv = fx.bcx.ins().stack_addr(ptr_ty, slot, 8);
    let n_kw = match kwnames {
        Some(k) => match fx.tir_module.constants.get(k as usize) {
            Some(crate::abi::ConstObj::StrTuple(names)) => names.len(),
            _ => return Err(InternalError::bug(format!("function `{}`: keyword names {k} are not a tuple constant", fx.func.name))),
        },
        None => 0,
    };
    let nargsf = fx.bcx.ins().iconst(types::I64, (values.len() - n_kw) as i64 | ARGUMENTS_OFFSET);
    let kw = match kwnames {
        Some(k) => codegen_mod_const(fx, k),
        None => fx.bcx.ins().iconst(ptr_ty, 0),
    };
    let (name, first) = match (callee, method) {
        (Some(c), _) => ("PyObject_Vectorcall", c),
        (None, Some(m)) => ("PyObject_VectorcallMethod", codegen_mod_const(fx, m)),
        (None, None) => return Err(InternalError::bug("a Python call without a callee")),
    };
    let result = fx.call_named(name, &[first, argv, nargsf, kw])?.ok_or_else(|| InternalError::bug("vectorcall has no result"))?;
    let failed = fx.bcx.ins().icmp_imm_u(IntCC::Equal, result, 0);
    fx.python_error_if(failed, span)?;
    Ok(result)
}

/// `Build`: the items, then the empty container, then each item stored in order. A failure
/// while storing releases the container before leaving.
pub(crate) fn codegen_build<M: Module>(fx: &mut FunctionCx<'_, M>, kind: BuildKind, items: &[Expr], span: Span) -> Result<Value, InternalError> {
    let mut values = Vec::with_capacity(items.len());
    for item in items {
        values.push(expr::codegen_value(fx, item)?);
    }
    fx.set_span(span);
    let n = fx.bcx.ins().iconst(types::I64, values.len() as i64);
    let null = fx.bcx.ins().iconst(fx.ptr_ty, 0);
    let container = match kind {
        BuildKind::Tuple => fx.call_named("PyTuple_New", &[n])?,
        BuildKind::List => fx.call_named("PyList_New", &[n])?,
        BuildKind::Set => fx.call_named("PySet_New", &[null])?,
        BuildKind::Dict => fx.call_named("PyDict_New", &[])?,
    }
    .ok_or_else(|| InternalError::bug("a container constructor has no result"))?;
    let failed = fx.bcx.ins().icmp_imm_u(IntCC::Equal, container, 0);
    fx.python_error_if(failed, span)?;
    match kind {
        BuildKind::Tuple | BuildKind::List => {
            // `PyTuple_SetItem`/`PyList_SetItem` steal the item: give them a reference of
            // their own. A fresh container of the right size cannot refuse the index.
            let set = if kind == BuildKind::Tuple { "PyTuple_SetItem" } else { "PyList_SetItem" };
            for (i, v) in values.iter().enumerate() {
                fx.incref(*v)?;
                let index = fx.bcx.ins().iconst(types::I64, i as i64);
                fx.call_named(set, &[container, index, *v])?;
            }
        }
        BuildKind::Set | BuildKind::Dict => {
            let step = if kind == BuildKind::Dict { 2 } else { 1 };
            for pair in values.chunks(step) {
                let status = match pair {
                    [k, v] => fx.call_named("PyDict_SetItem", &[container, *k, *v])?,
                    [k] => fx.call_named("PySet_Add", &[container, *k])?,
                    _ => return Err(InternalError::bug("a dict display with an odd number of items")),
                }
                .ok_or_else(|| InternalError::bug("a container store has no result"))?;
                let failed = fx.bcx.ins().icmp_imm_s(IntCC::NotEqual, status, 0);
                fx.python_error_releasing(failed, span, Some(container))?;
            }
        }
    }
    Ok(container)
}

/// `Unpack`: the value, the runtime's `unpack` service into a frame array, the value
/// released (on both paths), then each item into its target local.
pub(crate) fn codegen_unpack<M: Module>(
    fx: &mut FunctionCx<'_, M>,
    value: &Expr,
    targets: &[crate::tir::LocalId],
    star: Option<u32>,
    span: Span,
) -> Result<(), InternalError> {
    let obj = expr::codegen_value(fx, value)?;
    fx.set_span(span);
    let ptr_ty = fx.ptr_ty;
    let n = targets.len() as u32;
    let slot = fx.bcx.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 8 * n.max(1), 3));
    let out = fx.bcx.ins().stack_addr(ptr_ty, slot, 0);
    let (before, after) = match star {
        Some(k) => (k as i64, (n - k - 1) as i64),
        None => (n as i64, -1),
    };
    let callee = super::alloc::service(fx, Services::OFFSET_UNPACK);
    let mut sig = Signature::new(fx.mcx.call_conv);
    sig.params.extend([AbiParam::new(ptr_ty), AbiParam::new(types::I32), AbiParam::new(types::I32), AbiParam::new(ptr_ty)]);
    sig.returns.push(AbiParam::new(types::I32));
    let sig_ref = fx.bcx.import_signature(sig);
    let before = fx.iconst(types::I32, before);
    let after = fx.iconst(types::I32, after);
    let call = fx.bcx.ins().call_indirect(sig_ref, callee, &[obj, before, after, out]);
    let status = fx.bcx.inst_results(call)[0];
    fx.decref(obj)?;
    let failed = fx.bcx.ins().icmp_imm_s(IntCC::NotEqual, status, 0);
    fx.python_error_if(failed, span)?;
    for (k, target) in targets.iter().enumerate() {
        let item = fx.bcx.ins().stack_load(ptr_ty, ptr_ty, slot, 8 * k as i32);
        let var = fx.var(*target)?;
        fx.assign_object(var, item)?;
    }
    Ok(())
}

/// `Move`: the local's reference; the local is left null.
pub(crate) fn codegen_move<M: Module>(fx: &mut FunctionCx<'_, M>, local: crate::tir::LocalId) -> Result<Value, InternalError> {
    let var = fx.var(local)?;
    let v = fx.bcx.use_var(var);
    let null = fx.bcx.ins().iconst(fx.ptr_ty, 0);
    fx.bcx.def_var(var, null);
    Ok(v)
}
