//! Codegen: TIR → Cranelift IR, shared by the JIT and object backends (generic over
//! `cranelift_module::Module`, as rustc_codegen_cranelift does).
//!
//! [`codegen_module`] declares every function of a TIR module, lowers each body with a
//! [`FunctionCx`], emits one entry wrapper per exported function (`entry.rs`) and builds the
//! [`ModuleDesc`] the runtime reads. The backends add only what differs: finalizing the
//! JIT, or the data objects and `PyInit_<name>` of an object file.
//!
//! One file per construct group: `expr.rs` (expressions), `stmt.rs` (statements and
//! structured control flow), `num.rs` (arithmetic with Python's checks, shifts, casts),
//! `call.rs` (calls between compiled functions), `math.rs` (`math`/`libc.math`),
//! `entry.rs` (the fixed-signature wrappers the runtime calls), `dump.rs` (CLIF text),
//! `view.rs` (memoryview indexing and `with nogil:` blocks), `slice.rs` (memoryview
//! slices, fills and copies), `object.rs` (C-API calls, Python calls, constants, globals
//! and the reference operations of the object layer), `alloc.rs` (creating arrays, the references a function owns,
//! returning a view's owner), `inline.rs` (inlining calls
//! between the functions, when optimizing).

mod alloc;
mod call;
mod dump;
pub(crate) use dump::clif_text;
mod entry;
mod expr;
mod inline;
mod math;
mod num;
mod object;
mod slice;
mod stmt;
#[cfg(test)]
mod tests;
mod view;

use std::collections::HashMap;

use cranelift_codegen::ir::{
    self, types, AbiParam, Block, BlockArg, InstBuilder, MemFlagsData, Signature, SourceLoc, Type, UserFuncName, Value,
};
use cranelift_codegen::isa::CallConv;
use cranelift_codegen::{CodegenError, Context};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use cranelift_module::{FuncId, Linkage, Module, ModuleError};

use crate::abi::{AbiType, Ctx, ErrorSite, FuncDesc, ModuleDesc, ParamDesc};
use crate::source::{SourceFile, Span};
use crate::tir::{self, ExcKind, FloatKind, Raise, Ty};
use crate::InternalError;

/// The error site recorded with `Ctx::ERR_PYTHON` for the traceback (never raised as is).
const PYTHON_ERROR: Raise = Raise::new(ExcKind::SystemError, "(the Python exception a runtime service set)");

/// The status type every compiled function returns last: 0 = ok, 1 = error recorded.
pub(crate) const STATUS_TY: Type = types::I8;

/// What the caller wants back besides the code, for `--emit clif` / `--emit asm`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Dump {
    /// The CLIF of every function, with `; line N` comments.
    pub(crate) clif: bool,
    /// The machine code of every function, as Cranelift's disassembly (VCode text).
    pub(crate) disasm: bool,
}

/// What [`codegen_module`] produced, besides the functions defined in the module.
pub(crate) struct CodegenOutput {
    pub(crate) desc: ModuleDesc,
    /// The entry wrappers, in `desc.functions` order.
    pub(crate) entry_ids: Vec<FuncId>,
    /// The requested dumps (empty when none).
    pub(crate) text: String,
    /// The symbols of the interpreter the code uses (C-API functions, `_Py_NoneStruct`).
    pub(crate) python_symbols: Vec<&'static str>,
}

/// Module-level codegen state, shared by every function of one Cranelift module.
pub(crate) struct ModuleCx {
    /// Cranelift ids of the TIR functions, indexed by `tir::FuncId`.
    fn_ids: Vec<FuncId>,
    fn_sigs: Vec<Signature>,
    /// libm imports, declared on first use.
    libm: HashMap<&'static str, FuncId>,
    /// C-API functions, declared on first use (`object.rs`), and `_Py_NoneStruct`.
    imports: HashMap<&'static str, FuncId>,
    none_data: Option<cranelift_module::DataId>,
    /// The storage of the module's C globals (`tir::Module::cglobals`), 8 bytes each.
    pub(crate) cglobals: Vec<cranelift_module::DataId>,
    /// How many `LoadGlobal` caches (`abi::GlobalCache`, one per site) are declared.
    pub(crate) global_caches: u32,
    /// Reference counts are inlined (`CompileOptions::inline_refcounts`).
    pub(crate) inline_refcounts: bool,
    sites: Vec<ErrorSite>,
    site_index: HashMap<SiteKey, u32>,
    pub(crate) call_conv: CallConv,
    pub(crate) ptr_ty: Type,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct SiteKey {
    func: u32,
    frame: Option<&'static str>,
    span: Span,
    exc: ExcKind,
    msg: &'static str,
}

impl ModuleCx {
    /// The 1-based index of the error site for `raise` at `span` in `func`; one site per
    /// distinct (function, span, raise).
    /// `frame`: the Python frame the code runs in when it is not the function's own (a
    /// comprehension's `<listcomp>`), named in the traceback as CPython names it.
    fn site(&mut self, file: &SourceFile, func: &tir::Function, frame: Option<&'static str>, span: Span, raise: Raise) -> u32 {
        let key = SiteKey { func: func.id.0, frame, span, exc: raise.exc, msg: raise.msg };
        if let Some(&idx) = self.site_index.get(&key) {
            return idx;
        }
        self.sites.push(ErrorSite {
            exc: raise.exc,
            msg: raise.msg.to_string(),
            func: frame.map_or_else(|| func.name.clone(), str::to_string),
            line: file.line_col(span.start).line,
        });
        let idx = self.sites.len() as u32;
        self.site_index.insert(key, idx);
        idx
    }

    /// Declares (once per module) the libm function `name` taking `nargs` doubles.
    fn libm_func<M: Module>(&mut self, module: &mut M, name: &'static str, nargs: usize) -> Result<FuncId, InternalError> {
        if let Some(&id) = self.libm.get(name) {
            return Ok(id);
        }
        let mut sig = Signature::new(self.call_conv);
        sig.params.extend(std::iter::repeat_n(AbiParam::new(types::F64), nargs));
        sig.returns.push(AbiParam::new(types::F64));
        let id = module.declare_function(name, Linkage::Import, &sig).map_err(|e| module_error(name, e))?;
        self.libm.insert(name, id);
        Ok(id)
    }
}

/// The Cranelift type of a value of type `ty` (`Void` has none).
pub(crate) fn clif_type(ty: Ty) -> Result<Type, InternalError> {
    Ok(match ty {
        Ty::Int(k) => match k.bits() {
            8 => types::I8,
            16 => types::I16,
            32 => types::I32,
            64 => types::I64,
            b => return Err(InternalError::bug(format!("no Cranelift type for a {b}-bit integer"))),
        },
        Ty::Bool => types::I8,
        Ty::Float(FloatKind::Float) => types::F32,
        Ty::Float(FloatKind::Double) => types::F64,
        Ty::Void => return Err(InternalError::bug("a `void` value was used")),
        // A pointer to the `abi::ViewDesc` (64-bit targets only, as everything here).
        Ty::View(_) => types::I64,
        // A `PyObject *`.
        Ty::Object(_) => types::I64,
    })
}

/// The internal signature of a compiled function: `(ctx, params...) -> (ret?, status)`.
fn function_signature(func: &tir::Function, call_conv: CallConv, ptr_ty: Type) -> Result<Signature, InternalError> {
    let mut sig = Signature::new(call_conv);
    sig.params.push(AbiParam::new(ptr_ty));
    for p in &func.params {
        sig.params.push(AbiParam::new(clif_type(p.ty)?));
    }
    if func.ret != Ty::Void {
        sig.returns.push(AbiParam::new(clif_type(func.ret)?));
    }
    sig.returns.push(AbiParam::new(STATUS_TY));
    Ok(sig)
}

pub(crate) fn function_symbol(tir_module: &tir::Module, func: &tir::Function) -> String {
    format!("__pycc_fn_{}", symbol_stem(tir_module, func))
}

pub(crate) fn entry_symbol(tir_module: &tir::Module, func: &tir::Function) -> String {
    format!("__pycc_entry_{}", symbol_stem(tir_module, func))
}

/// The function's name in its symbols: the name, unless another function of the module
/// has it first or it is not an identifier (lambdas, nested `def`s): then the name made an
/// identifier, with the function's id.
fn symbol_stem(tir_module: &tir::Module, func: &tir::Function) -> String {
    let plain = func.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let first = tir_module.funcs.iter().find(|f| f.name == func.name).is_none_or(|f| f.id == func.id);
    if plain && first {
        return func.name.clone();
    }
    let stem: String = func.name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    format!("{stem}_{}", func.id.0)
}

/// Turns a Cranelift module error into an internal error naming the function.
pub(crate) fn module_error(name: &str, e: ModuleError) -> InternalError {
    InternalError::Cranelift(format!("`{name}`: {e}"))
}

/// Compiles one function held in `ctx` into the module, with readable verifier errors.
pub(crate) fn define_function<M: Module>(module: &mut M, id: FuncId, ctx: &mut Context, name: &str) -> Result<(), InternalError> {
    match module.define_function(id, ctx) {
        Ok(()) => Ok(()),
        Err(ModuleError::Compilation(CodegenError::Verifier(errors))) => Err(InternalError::Cranelift(format!(
            "function `{name}` failed the verifier:\n{}",
            cranelift_codegen::print_errors::pretty_verifier_error(&ctx.func, None, errors)
        ))),
        Err(e) => Err(module_error(name, e)),
    }
}

/// Lowers a whole TIR module into `module`: every function, every entry wrapper, and the
/// descriptor. The caller finalizes (JIT) or adds `PyInit` and emits (object).
pub(crate) fn codegen_module<M: Module>(
    module: &mut M,
    tir_module: &tir::Module,
    file: &SourceFile,
    dump: Dump,
    inline_refcounts: bool,
) -> Result<CodegenOutput, InternalError> {
    let call_conv = module.isa().default_call_conv();
    let ptr_ty = module.target_config().pointer_type();
    let mut mcx = ModuleCx {
        fn_ids: Vec::with_capacity(tir_module.funcs.len()),
        fn_sigs: Vec::with_capacity(tir_module.funcs.len()),
        libm: HashMap::new(),
        imports: HashMap::new(),
        none_data: None,
        cglobals: Vec::with_capacity(tir_module.cglobals.len()),
        global_caches: 0,
        inline_refcounts,
        sites: Vec::new(),
        site_index: HashMap::new(),
        call_conv,
        ptr_ty,
    };
    for (i, g) in tir_module.cglobals.iter().enumerate() {
        let symbol = format!("__pycc_global_{i}_{}", g.name);
        let id = module.declare_data(&symbol, Linkage::Local, true, false).map_err(|e| module_error(&g.name, e))?;
        let mut data = cranelift_module::DataDescription::new();
        data.define_zeroinit(8);
        data.set_align(8);
        module.define_data(id, &data).map_err(|e| module_error(&g.name, e))?;
        mcx.cglobals.push(id);
    }
    for (i, func) in tir_module.funcs.iter().enumerate() {
        if func.id.0 as usize != i {
            return Err(InternalError::bug(format!("function `{}` has id {} at index {i}", func.name, func.id.0)));
        }
        let sig = function_signature(func, call_conv, ptr_ty)?;
        let symbol = function_symbol(tir_module, func);
        let id = module.declare_function(&symbol, Linkage::Local, &sig).map_err(|e| module_error(&func.name, e))?;
        mcx.fn_ids.push(id);
        mcx.fn_sigs.push(sig);
    }

    let mut text = String::new();
    let mut ctx = module.make_context();
    let mut fbcx = FunctionBuilderContext::new();
    // Every body is built before any is compiled, so that calls can be inlined.
    let mut bodies = Vec::with_capacity(tir_module.funcs.len());
    for func in &tir_module.funcs {
        codegen_function(module, &mut mcx, tir_module, file, func, &mut ctx, &mut fbcx)?;
        bodies.push(std::mem::replace(&mut ctx.func, ir::Function::new()));
        module.clear_context(&mut ctx);
    }
    let optimize = module.isa().flags().opt_level() != cranelift_codegen::settings::OptLevel::None;
    let inline_cx = optimize.then(|| inline::InlineCx::new(&tir_module.funcs, &bodies, &mcx.fn_ids));
    match inline_cx.filter(|cx| cx.any_candidate()) {
        Some(inline_cx) => {
            for (i, func) in tir_module.funcs.iter().enumerate() {
                ctx.func = bodies[i].clone();
                inline_calls(module, &inline_cx, &mut ctx, &func.name)?;
                finish_function(module, mcx.fn_ids[i], &mut ctx, &func.name, &function_symbol(tir_module, func), dump, &mut text)?;
            }
        }
        None => {
            for (i, (func, body)) in tir_module.funcs.iter().zip(bodies).enumerate() {
                ctx.func = body;
                finish_function(module, mcx.fn_ids[i], &mut ctx, &func.name, &function_symbol(tir_module, func), dump, &mut text)?;
            }
        }
    }

    let mut desc = ModuleDesc {
        name: tir_module.name.clone(),
        doc: tir_module.doc.clone(),
        file: file.path.clone(),
        functions: Vec::new(),
        error_sites: Vec::new(),
        constants: tir_module.constants.clone(),
        uses_globals: uses_globals(tir_module),
        body: None,
    };
    let mut entry_ids = Vec::new();
    for func in tir_module.exported() {
        if func.kind == tir::FuncKind::ModuleBody {
            desc.body = Some(desc.functions.len());
        }
        let symbol = entry_symbol(tir_module, func);
        let id = entry::codegen_entry(module, &mcx, func, &symbol, &mut ctx, &mut fbcx)?;
        finish_function(module, id, &mut ctx, &func.name, &symbol, dump, &mut text)?;
        entry_ids.push(id);
        desc.functions.push(FuncDesc {
            name: func.name.clone(),
            doc: func.doc.clone(),
            params: func
                .params
                .iter()
                .map(|p| ParamDesc { name: p.name.clone(), ty: AbiType::param(p), ty_name: p.ty.to_string(), default: p.default, kind: p.kind })
                .collect(),
            ret: AbiType::of(func.ret),
            entry_symbol: symbol,
            nogil: func.nogil,
        });
    }
    desc.error_sites = std::mem::take(&mut mcx.sites);
    let mut python_symbols: Vec<&'static str> = mcx.imports.keys().copied().collect();
    if mcx.none_data.is_some() {
        python_symbols.push("_Py_NoneStruct");
    }
    python_symbols.sort_unstable();
    Ok(CodegenOutput { desc, entry_ids, text, python_symbols })
}

/// The `object` parameters of `func` that its body never writes.
fn borrowed_params(func: &tir::Function) -> std::collections::HashSet<tir::LocalId> {
    let written = tir::visit::written_locals(&func.body);
    (0..func.params.len() as u32).map(tir::LocalId).filter(|id| func.locals[id.0 as usize].ty.is_object() && !written.contains(id)).collect()
}

/// Whether compiled code of the module looks up globals (the runtime then gives it the
/// module's globals in `Ctx::globals`).
fn uses_globals(module: &tir::Module) -> bool {
    let mut found = false;
    for f in &module.funcs {
        tir::visit::for_each_expr(&f.body, &mut |e| found |= matches!(e.kind, tir::ExprKind::LoadGlobal { .. } | tir::ExprKind::Globals));
        found |= f.kind == tir::FuncKind::ModuleBody;
        tir::visit::for_each_stmt(&f.body, &mut |s| found |= matches!(s.kind, tir::StmtKind::DelGlobal { .. }));
    }
    found
}

/// Inlines the calls of the function in `ctx` that `inline_cx` chooses, then runs the
/// verifier when it is enabled (the inlined result is new CLIF).
fn inline_calls<M: Module>(module: &M, inline_cx: &inline::InlineCx<'_>, ctx: &mut Context, name: &str) -> Result<(), InternalError> {
    let mut inliner = inline_cx.inliner();
    let mut changed = false;
    // Each round inlines one more level of the recursive callees.
    for _ in 0..inline::RECURSIVE_LEVELS {
        let again = ctx.inline(&mut inliner).map_err(|e| InternalError::Cranelift(format!("inlining calls in `{name}`: {e}")))?;
        changed |= again;
        if !again || !inliner.inlined_recursive {
            break;
        }
        inliner.inlined_recursive = false;
    }
    if changed {
        inline::thread_constant_status(&mut ctx.func);
    }
    if changed && module.isa().flags().enable_verifier() {
        if let Err(errors) = ctx.verify(module.isa()) {
            return Err(InternalError::Cranelift(format!(
                "function `{name}` failed the verifier after inlining:\n{}",
                cranelift_codegen::print_errors::pretty_verifier_error(&ctx.func, None, errors)
            )));
        }
    }
    Ok(())
}

/// Defines the function built in `ctx` (`name` in errors, `label` in dumps), appending its
/// dumps to `text`, and clears `ctx`.
#[allow(clippy::too_many_arguments)]
fn finish_function<M: Module>(
    module: &mut M,
    id: FuncId,
    ctx: &mut Context,
    name: &str,
    label: &str,
    dump: Dump,
    text: &mut String,
) -> Result<(), InternalError> {
    if dump.clif {
        text.push_str(&dump::clif_text(&ctx.func, label));
        text.push('\n');
    }
    ctx.set_disasm(dump.disasm);
    define_function(module, id, ctx, name)?;
    if dump.disasm {
        let vcode = ctx.compiled_code().and_then(|c| c.vcode.clone());
        match vcode {
            Some(asm) => {
                text.push_str(&format!("; {label}\n{asm}\n"));
            }
            None => return Err(InternalError::Cranelift(format!("Cranelift gave no disassembly for `{name}`"))),
        }
    }
    module.clear_context(ctx);
    Ok(())
}

/// Where `break` and `continue` go in the innermost loop.
#[derive(Clone, Copy)]
pub(crate) struct LoopTargets {
    pub(crate) break_block: Block,
    pub(crate) continue_block: Block,
}

/// Per-function codegen state (`fx`).
pub(crate) struct FunctionCx<'a, M: Module> {
    pub(crate) bcx: FunctionBuilder<'a>,
    pub(crate) module: &'a mut M,
    pub(crate) mcx: &'a mut ModuleCx,
    pub(crate) tir_module: &'a tir::Module,
    pub(crate) func: &'a tir::Function,
    pub(crate) file: &'a SourceFile,
    pub(crate) ptr_ty: Type,
    /// The hidden `ctx: *mut Ctx` parameter.
    pub(crate) ctx_ptr: Value,
    /// One SSA variable per local, indexed by `LocalId` (`None` for `void` locals).
    vars: Vec<Option<Variable>>,
    pub(crate) loops: Vec<LoopTargets>,
    /// The shared error exit (returns status 1), created on first use, filled at the end.
    error_exit: Option<Block>,
    /// Cold blocks that record one error site each, filled at the end.
    site_blocks: Vec<(Block, u32)>,
    site_block_of: HashMap<u32, Block>,
    func_refs: HashMap<FuncId, ir::FuncRef>,
    /// The current block ended in a terminator (`return`, `break`, ...): the statements after
    /// it in the same block are dead and are not emitted.
    pub(crate) terminated: bool,
    /// The Python frame the code being emitted runs in, when not the function's (the body
    /// of a `Seq` with a frame name).
    pub(crate) frame: Option<&'static str>,
    /// How many loops enclose the code being emitted (headers included), and the most
    /// there have been.
    loop_depth: u32,
    max_loop_depth: u32,
    /// The float constants used inside loops (Cranelift type, bits), anchored in the entry
    /// block at the end when loops nest (see [`FunctionCx::anchor_float_constants`]).
    loop_float_consts: Vec<(Type, u64)>,
    /// The saved thread state while inside `with nogil:` (null outside); declared only in
    /// functions that have such a block.
    pub(crate) thread_state: Option<Variable>,
    /// The enclosing `with nogil:` block, if any.
    pub(crate) nogil: Option<view::NoGilFrame>,
    /// View locals with a descriptor slot of their own (see `slice.rs`), and the slots.
    pub(crate) slotted: std::collections::HashSet<tir::LocalId>,
    pub(crate) view_slots: HashMap<tir::LocalId, ir::StackSlot>,
    /// The `object` parameters the body never assigns: they borrow the caller's reference
    /// (the caller holds its arguments for the call) instead of taking one of their own.
    pub(crate) borrowed_params: std::collections::HashSet<tir::LocalId>,
    /// The descriptor slot of each `Slice` node, by the node's address.
    pub(crate) slice_slots: HashMap<usize, ir::StackSlot>,
    /// The frame slots of the arrays the function creates (`None` when it creates none).
    pub(crate) arrays: Option<alloc::ArraySlots>,
    /// The temporary object slots (`tir::ExprKind::Temp`), indexed by slot.
    pub(crate) temps: Vec<Variable>,
}

/// Lowers one TIR function into `ctx.func`.
pub(crate) fn codegen_function<M: Module>(
    module: &mut M,
    mcx: &mut ModuleCx,
    tir_module: &tir::Module,
    file: &SourceFile,
    func: &tir::Function,
    ctx: &mut Context,
    fbcx: &mut FunctionBuilderContext,
) -> Result<(), InternalError> {
    let target_config = module.target_config();
    ctx.func.signature = mcx.fn_sigs[func.id.0 as usize].clone();
    ctx.func.name = UserFuncName::testcase(function_symbol(tir_module, func));
    let ptr_ty = mcx.ptr_ty;
    let mut bcx = FunctionBuilder::new(&mut ctx.func, fbcx);
    let entry = bcx.create_block();
    bcx.append_block_params_for_function_params(entry);
    bcx.seal_block(entry);
    bcx.switch_to_block(entry);
    bcx.set_srcloc(SourceLoc::new(file.line_col(func.span.start).line));
    let params = bcx.block_params(entry).to_vec();
    let ctx_ptr = params[0];

    let mut vars = Vec::with_capacity(func.locals.len());
    for local in &func.locals {
        vars.push(if local.ty == Ty::Void { None } else { Some(bcx.declare_var(clif_type(local.ty)?)) });
    }
    if params.len() != func.params.len() + 1 {
        return Err(InternalError::bug(format!("function `{}`: signature does not match its parameters", func.name)));
    }

    let mut fx = FunctionCx {
        bcx,
        module,
        mcx,
        tir_module,
        func,
        file,
        ptr_ty,
        ctx_ptr,
        vars,
        loops: Vec::new(),
        error_exit: None,
        site_blocks: Vec::new(),
        site_block_of: HashMap::new(),
        func_refs: HashMap::new(),
        terminated: false,
        frame: None,
        loop_depth: 0,
        max_loop_depth: 0,
        loop_float_consts: Vec::new(),
        thread_state: None,
        nogil: None,
        slotted: slice::locals_needing_slots(&func.body),
        view_slots: HashMap::new(),
        slice_slots: HashMap::new(),
        arrays: None,
        temps: Vec::new(),
        borrowed_params: borrowed_params(func),
    };
    slice::create_local_slots(&mut fx);
    fx.arrays = alloc::declare_array_slots(&mut fx);
    fx.thread_state = view::declare_thread_state(&mut fx);
    for (param, &value) in func.params.iter().zip(&params[1..]) {
        let var = fx.var(param.local)?;
        fx.bcx.def_var(var, value);
    }
    fx.declare_object_slots(&params[1..])?;
    if func.recursive {
        codegen_stack_check(&mut fx)?;
    }
    stmt::codegen_block(&mut fx, &func.body)?;
    if !fx.terminated {
        if func.ret == Ty::Void {
            alloc::codegen_release_all(&mut fx, false)?;
            let ok = fx.bcx.ins().iconst(STATUS_TY, 0);
            fx.bcx.ins().return_(&[ok]);
        } else {
            // The checker guarantees every path returns; reaching the end is a pycc bug,
            // reported as SystemError rather than as garbage.
            let raise = Raise::new(ExcKind::SystemError, "compiled function ended without returning a value (pycc bug)");
            let site_block = fx.site_block(func.span, raise);
            fx.bcx.ins().jump(site_block, &[]);
        }
    }
    fx.fill_error_blocks()?;
    fx.anchor_float_constants(entry)?;
    // Every block is sealed as soon as its last predecessor is emitted (see `stmt.rs`), so
    // variables that a loop does not assign reach its body directly instead of as header
    // parameters. Debug builds check this (`finalize` asserts every block is sealed); in
    // release builds a missed seal would cost speed, never correctness.
    #[cfg(not(debug_assertions))]
    fx.bcx.seal_all_blocks();
    fx.bcx.finalize(target_config);
    Ok(())
}

/// The prologue check of functions on a call-graph cycle: `sp < ctx.stack_limit` raises
/// RecursionError instead of overflowing the C stack.
fn codegen_stack_check<M: Module>(fx: &mut FunctionCx<'_, M>) -> Result<(), InternalError> {
    let ptr_ty = fx.ptr_ty;
    let sp = fx.bcx.ins().get_stack_pointer(ptr_ty);
    let limit = fx.bcx.ins().load(ptr_ty, MemFlagsData::trusted(), fx.ctx_ptr, Ctx::OFFSET_STACK_LIMIT);
    let below = fx.bcx.ins().icmp(ir::condcodes::IntCC::UnsignedLessThan, sp, limit);
    let raise = Raise::new(ExcKind::RecursionError, "maximum recursion depth exceeded");
    fx.raise_if(below, fx.func.span, raise);
    Ok(())
}

impl<'a, M: Module> FunctionCx<'a, M> {
    pub(crate) fn var(&self, local: tir::LocalId) -> Result<Variable, InternalError> {
        match self.vars.get(local.0 as usize) {
            Some(Some(var)) => Ok(*var),
            Some(None) => Err(InternalError::bug(format!("function `{}`: local {} is `void`", self.func.name, local.0))),
            None => Err(InternalError::bug(format!("function `{}`: local {} out of range", self.func.name, local.0))),
        }
    }

    /// Marks the following instructions as belonging to the source line of `span`.
    pub(crate) fn set_span(&mut self, span: Span) {
        self.bcx.set_srcloc(SourceLoc::new(self.file.line_col(span.start).line));
    }

    /// An integer constant of type `ty`; `v` is taken modulo 2^bits (Cranelift wants narrow
    /// immediates zero-extended).
    pub(crate) fn iconst(&mut self, ty: Type, v: i64) -> Value {
        let bits = ty.bits();
        let v = if bits < 64 { v & ((1i64 << bits) - 1) } else { v };
        self.bcx.ins().iconst(ty, v)
    }

    /// Enters a loop (its header and body): see [`FunctionCx::anchor_float_constants`].
    pub(crate) fn enter_loop(&mut self) {
        self.loop_depth += 1;
        self.max_loop_depth = self.max_loop_depth.max(self.loop_depth);
    }

    pub(crate) fn leave_loop(&mut self) {
        self.loop_depth -= 1;
    }

    /// A float constant of Cranelift type `ty` (F32 or F64).
    pub(crate) fn fconst(&mut self, ty: Type, v: f64) -> Value {
        let (value, bits) = if ty == types::F32 {
            (self.bcx.ins().f32const(v as f32), (v as f32).to_bits() as u64)
        } else {
            (self.bcx.ins().f64const(v), v.to_bits())
        };
        if self.loop_depth >= 1 && !self.loop_float_consts.contains(&(ty, bits)) {
            self.loop_float_consts.push((ty, bits));
        }
        value
    }

    /// In a function with nested loops, stores each float constant used in a loop to a
    /// stack slot in the entry block (before its terminator): a few dead stores per call
    /// that let loop invariants leave every loop they do not depend on.
    ///
    /// Cranelift's egraph rematerializes constants in each block that uses them and places
    /// a pure instruction at its first use, hoisted out of every loop its operands do not
    /// depend on; a constant operand met there for the first time counts as defined one
    /// loop up from the use. So `ci = -1.25 + 2.5 * y / height`, first used in an inner
    /// loop two levels below `y`'s, would be recomputed (with its `fdiv`) in the loop in
    /// between. A store in the entry block uses each constant there first: the constant
    /// then counts as defined outside every loop, and `ci` is hoisted as far as `y` allows
    /// (the constant itself is still rematerialized next to its use).
    fn anchor_float_constants(&mut self, entry: Block) -> Result<(), InternalError> {
        use cranelift_codegen::cursor::{Cursor, FuncCursor};
        use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
        use cranelift_codegen::ir::{StackSlotData, StackSlotKind};

        if self.max_loop_depth < 2 || self.loop_float_consts.is_empty() {
            return Ok(());
        }
        let ptr_ty = self.ptr_ty;
        // One 8-byte cell per constant: Cranelift drops a store that the next one overwrites.
        let size = 8 * self.loop_float_consts.len() as u32;
        let slot = self.bcx.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3));
        let terminator = self
            .bcx
            .func
            .layout
            .last_inst(entry)
            .ok_or_else(|| InternalError::bug(format!("function `{}`: empty entry block", self.func.name)))?;
        let mut cursor = FuncCursor::new(self.bcx.func).at_inst(terminator);
        for (i, &(ty, bits)) in self.loop_float_consts.iter().enumerate() {
            let value = if ty == types::F32 {
                cursor.ins().f32const(Ieee32::with_bits(bits as u32))
            } else {
                cursor.ins().f64const(Ieee64::with_bits(bits))
            };
            cursor.ins().stack_store(ptr_ty, value, slot, 8 * i as i32);
        }
        Ok(())
    }

    /// A zero of any Cranelift scalar type (for the dummy return of the error exit).
    fn zero(&mut self, ty: Type) -> Value {
        if ty.is_float() { self.fconst(ty, 0.0) } else { self.iconst(ty, 0) }
    }

    /// Declares that every jump to `block` has been emitted (cranelift-frontend then resolves
    /// the variables it uses from its predecessors, adding block parameters only for those
    /// that differ between them).
    pub(crate) fn seal(&mut self, block: Block) {
        self.bcx.seal_block(block);
    }

    pub(crate) fn jump(&mut self, block: Block, args: &[Value]) {
        let args: Vec<BlockArg> = args.iter().map(|&v| BlockArg::Value(v)).collect();
        self.bcx.ins().jump(block, &args);
    }

    pub(crate) fn brif(&mut self, cond: Value, then_block: Block, then_args: &[Value], else_block: Block, else_args: &[Value]) {
        let t: Vec<BlockArg> = then_args.iter().map(|&v| BlockArg::Value(v)).collect();
        let e: Vec<BlockArg> = else_args.iter().map(|&v| BlockArg::Value(v)).collect();
        self.bcx.ins().brif(cond, then_block, &t, else_block, &e);
    }

    /// The cold block that records the error site of `raise` at `span` and leaves.
    pub(crate) fn site_block(&mut self, span: Span, raise: Raise) -> Block {
        let idx = self.mcx.site(self.file, self.func, self.frame, span, raise);
        if let Some(&block) = self.site_block_of.get(&idx) {
            return block;
        }
        let block = self.bcx.create_block();
        self.bcx.set_cold_block(block);
        self.site_blocks.push((block, idx));
        self.site_block_of.insert(idx, block);
        block
    }

    /// Raises `raise` (attributed to `span`) when `cond` is nonzero; continues in a new block.
    pub(crate) fn raise_if(&mut self, cond: Value, span: Span, raise: Raise) {
        let site_block = self.site_block(span, raise);
        let cont = self.bcx.create_block();
        self.brif(cond, site_block, &[], cont, &[]);
        self.bcx.seal_block(cont);
        self.bcx.switch_to_block(cont);
    }

    /// The block that returns status 1 (the error is already recorded in `ctx`).
    pub(crate) fn error_exit(&mut self) -> Block {
        if let Some(block) = self.error_exit {
            return block;
        }
        let block = self.bcx.create_block();
        self.bcx.set_cold_block(block);
        self.error_exit = Some(block);
        block
    }

    /// When `cond` is nonzero: leaves through the error exit with the Python exception a
    /// C-API call or a service set (`Ctx::ERR_PYTHON`; `err_args[0]` names the function and
    /// the line of `span` for the traceback). Continues in a new block.
    pub(crate) fn python_error_if(&mut self, cond: Value, span: Span) -> Result<(), InternalError> {
        self.python_error_releasing(cond, span, None)
    }

    /// [`FunctionCx::python_error_if`], releasing `owned` first on the way out (a new
    /// reference not yet held by any local or temporary slot).
    pub(crate) fn python_error_releasing(&mut self, cond: Value, span: Span, owned: Option<Value>) -> Result<(), InternalError> {
        let fail = self.bcx.create_block();
        let cont = self.bcx.create_block();
        self.bcx.set_cold_block(fail);
        self.brif(cond, fail, &[], cont, &[]);
        self.seal(fail);
        self.seal(cont);
        self.bcx.switch_to_block(fail);
        if let Some(obj) = owned {
            self.decref(obj)?;
        }
        let code = self.iconst(types::I32, Ctx::ERR_PYTHON as i64);
        self.bcx.ins().store(MemFlagsData::trusted(), code, self.ctx_ptr, Ctx::OFFSET_ERR_SITE);
        let where_ = self.mcx.site(self.file, self.func, self.frame, span, PYTHON_ERROR);
        let where_ = self.iconst(types::I64, where_ as i64);
        self.bcx.ins().store(MemFlagsData::trusted(), where_, self.ctx_ptr, Ctx::OFFSET_ERR_ARGS);
        let exit = self.error_exit();
        self.jump(exit, &[]);
        self.bcx.switch_to_block(cont);
        Ok(())
    }

    /// After a call: a nonzero status leaves through the error exit.
    pub(crate) fn propagate_status(&mut self, status: Value) {
        let exit = self.error_exit();
        let cont = self.bcx.create_block();
        self.brif(status, exit, &[], cont, &[]);
        self.bcx.seal_block(cont);
        self.bcx.switch_to_block(cont);
    }

    /// Emits the bodies of the site blocks and of the error exit (deferred because the
    /// builder cannot leave a block half-filled). Every jump to them has been emitted by now,
    /// so each is sealed here.
    fn fill_error_blocks(&mut self) -> Result<(), InternalError> {
        let sites = std::mem::take(&mut self.site_blocks);
        for (block, idx) in sites {
            self.bcx.seal_block(block);
            self.bcx.switch_to_block(block);
            let idx = self.iconst(types::I32, idx as i64);
            self.bcx.ins().store(MemFlagsData::trusted(), idx, self.ctx_ptr, Ctx::OFFSET_ERR_SITE);
            let exit = self.error_exit();
            self.bcx.ins().jump(exit, &[]);
        }
        if let Some(exit) = self.error_exit {
            self.bcx.seal_block(exit);
            self.bcx.switch_to_block(exit);
            view::codegen_error_restore(self);
            alloc::codegen_release_all(self, true)?;
            let mut rets = Vec::new();
            if self.func.ret != Ty::Void {
                let ty = clif_type(self.func.ret)?;
                rets.push(self.zero(ty));
            }
            rets.push(self.iconst(STATUS_TY, 1));
            self.bcx.ins().return_(&rets);
        }
        Ok(())
    }
}
