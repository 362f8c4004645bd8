//! The object backend (cranelift-object): the same codegen as the JIT into an `ObjectModule`,
//! plus the data the runtime needs at import (the encoded `ModuleDesc`, the entry table) and
//! `PyInit_<module>`, emitted in Cranelift. The result is a relocatable object that
//! `driver::link_shared` turns into an extension module; Python's symbols stay undefined
//! and are resolved by the interpreter at import.
//!
//! `PyInit_<name>` does, in CLIF (NumPy's `import_array` in spirit):
//! ```text
//! m = PyImport_ImportModule("pycc._pycc")              // NULL → no runtime
//! cap = PyObject_GetAttrString(m, "_C_API"); Py_DecRef(m)  // NULL → no runtime
//! api = PyCapsule_GetPointer(cap, "pycc._pycc._C_API"); Py_DecRef(cap)
//! if api == NULL: PyErr_SetString(PyExc_ImportError, "<needs the runtime>"); return NULL
//! if api->version != AOT_API_VERSION: PyErr_SetString(PyExc_ImportError, "<version>"); return NULL
//! return api->make_module(desc, desc_len, entries, n_entries)
//! ```
//! Not `PyCapsule_Import`: it imports only the top-level package and then walks attributes,
//! so it fails whenever `pycc` does not expose `_pycc` as an attribute (a lazy package
//! `__init__`, or `pycc._pycc` already in `sys.modules` without the attribute). Importing
//! the submodule itself has no such condition. The capsule stays alive as an attribute of
//! the runtime module, which is never unloaded, so `api` outlives the dropped references.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData, Signature, UserFuncName};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{default_libcall_names, DataDescription, DataId, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};

use crate::abi::{AOT_API_VERSION, AOT_CAPSULE_NAME};
use crate::codegen::{self, module_error, CodegenOutput, Dump};
use crate::driver::CompileOptions;
use crate::source::SourceFile;
use crate::{tir, InternalError};

/// Byte offsets in `abi::AotApi` (`#[repr(C)]`: a u32, padding, then a pointer).
const AOT_API_OFFSET_VERSION: i32 = 0;
const AOT_API_OFFSET_MAKE_MODULE: i32 = 8;

pub(crate) fn emit(module: &tir::Module, file: &SourceFile, opts: &CompileOptions) -> Result<Vec<u8>, InternalError> {
    let (object, _) = build(module, file, opts, Dump::default())?;
    object.finish().emit().map_err(|e| InternalError::Cranelift(format!("writing the object file: {e}")))
}

pub(crate) fn emit_clif(module: &tir::Module, file: &SourceFile, opts: &CompileOptions) -> Result<String, InternalError> {
    Ok(build(module, file, opts, Dump { clif: true, disasm: false })?.1)
}

pub(crate) fn emit_asm(module: &tir::Module, file: &SourceFile, opts: &CompileOptions) -> Result<String, InternalError> {
    Ok(build(module, file, opts, Dump { clif: false, disasm: true })?.1)
}

/// Builds the whole object module; returns it with the requested dumps.
fn build(module: &tir::Module, file: &SourceFile, opts: &CompileOptions, dump: Dump) -> Result<(ObjectModule, String), InternalError> {
    let isa = super::host_isa(opts, true)?;
    let builder = ObjectBuilder::new(isa, module.name.as_bytes().to_vec(), default_libcall_names())
        .map_err(|e| InternalError::Cranelift(format!("creating the object module: {e}")))?;
    let mut object = ObjectModule::new(builder);
    let mut out = codegen::codegen_module(&mut object, module, file, dump, opts.inline_refcounts)?;
    emit_pyinit(&mut object, &mut out, dump)?;
    Ok((object, out.text))
}

/// Defines a local read-only data object holding `bytes`.
fn define_bytes(object: &mut ObjectModule, name: &str, bytes: Vec<u8>) -> Result<DataId, InternalError> {
    let id = object.declare_data(name, Linkage::Local, false, false).map_err(|e| module_error(name, e))?;
    let mut data = DataDescription::new();
    data.define(bytes.into_boxed_slice());
    object.define_data(id, &data).map_err(|e| module_error(name, e))?;
    Ok(id)
}

fn c_string(s: &str) -> Vec<u8> {
    let mut bytes: Vec<u8> = s.bytes().filter(|&b| b != 0).collect();
    bytes.push(0);
    bytes
}

fn emit_pyinit(object: &mut ObjectModule, out: &mut CodegenOutput, dump: Dump) -> Result<(), InternalError> {
    let name = out.desc.name.clone();
    let ptr_ty = object.target_config().pointer_type();
    let call_conv = object.isa().default_call_conv();

    // The descriptor text and the entry table (`define` with zeros, not `define_zeroinit`:
    // a zero-init table with relocations lands in `.bss`; see research/stack.md §4).
    let desc_bytes = out.desc.encode().into_bytes();
    let desc_len = desc_bytes.len();
    let desc_id = define_bytes(object, "__pycc_desc", desc_bytes)?;
    let entries_id = object.declare_data("__pycc_entries", Linkage::Local, false, false).map_err(|e| module_error("entries", e))?;
    let mut table = DataDescription::new();
    let slot = ptr_ty.bytes() as usize;
    table.define(vec![0u8; slot * out.entry_ids.len().max(1)].into_boxed_slice());
    for (i, &id) in out.entry_ids.iter().enumerate() {
        let func_ref = object.declare_func_in_data(id, &mut table);
        table.write_function_addr((i * slot) as u32, func_ref);
    }
    object.define_data(entries_id, &table).map_err(|e| module_error("entries", e))?;

    let capsule_id = define_bytes(object, "__pycc_capsule_name", c_string(AOT_CAPSULE_NAME))?;
    let no_runtime = format!(
        "module `{name}` was built by pycc and needs its runtime: install the `pycc` package (pip install pycc)"
    );
    let no_runtime_id = define_bytes(object, "__pycc_msg_no_runtime", c_string(&no_runtime))?;
    let bad_version = format!(
        "module `{name}` was built by a pycc version incompatible with the installed pycc runtime \
         (runtime API version {AOT_API_VERSION} expected): rebuild it with the installed pycc"
    );
    let bad_version_id = define_bytes(object, "__pycc_msg_bad_version", c_string(&bad_version))?;

    let (runtime_module, capsule_attr) = AOT_CAPSULE_NAME
        .rsplit_once('.')
        .ok_or_else(|| InternalError::bug("the capsule name has no module part"))?;
    let runtime_module_id = define_bytes(object, "__pycc_runtime_module", c_string(runtime_module))?;
    let capsule_attr_id = define_bytes(object, "__pycc_capsule_attr", c_string(capsule_attr))?;

    // Imports from the interpreter.
    let mut import_fn = |name: &str, params: &[types::Type], ret: Option<types::Type>| {
        let mut sig = Signature::new(call_conv);
        sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        sig.returns.extend(ret.map(AbiParam::new));
        object.declare_function(name, Linkage::Import, &sig).map_err(|e| module_error(name, e))
    };
    let import_module = import_fn("PyImport_ImportModule", &[ptr_ty], Some(ptr_ty))?;
    let get_attr = import_fn("PyObject_GetAttrString", &[ptr_ty, ptr_ty], Some(ptr_ty))?;
    let get_pointer = import_fn("PyCapsule_GetPointer", &[ptr_ty, ptr_ty], Some(ptr_ty))?;
    let dec_ref = import_fn("Py_DecRef", &[ptr_ty], None)?;
    let set_string = import_fn("PyErr_SetString", &[ptr_ty, ptr_ty], None)?;
    let import_error = object
        .declare_data("PyExc_ImportError", Linkage::Import, false, false)
        .map_err(|e| module_error("PyExc_ImportError", e))?;

    let mut init_sig = Signature::new(call_conv);
    init_sig.returns.push(AbiParam::new(ptr_ty));
    let init_name = init_symbol(&name);
    let init_id = object.declare_function(&init_name, Linkage::Export, &init_sig).map_err(|e| module_error(&init_name, e))?;

    let mut ctx = object.make_context();
    ctx.func.signature = init_sig;
    ctx.func.name = UserFuncName::testcase(&init_name);
    let mut fbcx = FunctionBuilderContext::new();
    let target_config = object.target_config();
    {
        let mut bcx = FunctionBuilder::new(&mut ctx.func, &mut fbcx);
        let import_module = object.declare_func_in_func(import_module, bcx.func);
        let get_attr = object.declare_func_in_func(get_attr, bcx.func);
        let get_pointer = object.declare_func_in_func(get_pointer, bcx.func);
        let dec_ref = object.declare_func_in_func(dec_ref, bcx.func);
        let set_string = object.declare_func_in_func(set_string, bcx.func);
        let import_error = object.declare_data_in_func(import_error, bcx.func);
        let runtime_module = object.declare_data_in_func(runtime_module_id, bcx.func);
        let capsule_attr = object.declare_data_in_func(capsule_attr_id, bcx.func);
        let capsule_name = object.declare_data_in_func(capsule_id, bcx.func);
        let no_runtime = object.declare_data_in_func(no_runtime_id, bcx.func);
        let bad_version = object.declare_data_in_func(bad_version_id, bcx.func);
        let desc = object.declare_data_in_func(desc_id, bcx.func);
        let entries = object.declare_data_in_func(entries_id, bcx.func);
        let flags = MemFlagsData::trusted();

        let entry = bcx.create_block();
        let got_module = bcx.create_block();
        let got_capsule = bcx.create_block();
        let fail_no_runtime = bcx.create_block();
        let check_version = bcx.create_block();
        let fail_version = bcx.create_block();
        let make = bcx.create_block();
        let fail = bcx.create_block();
        let msg = bcx.append_block_param(fail, ptr_ty);
        bcx.set_cold_block(fail_no_runtime);
        bcx.set_cold_block(fail_version);
        bcx.set_cold_block(fail);

        bcx.seal_block(entry);
        bcx.switch_to_block(entry);
        let name_ptr = bcx.ins().symbol_value(ptr_ty, runtime_module);
        let call = bcx.ins().call(import_module, &[name_ptr]);
        let module_obj = bcx.inst_results(call)[0];
        bcx.ins().brif(module_obj, got_module, &[], fail_no_runtime, &[]);
        bcx.seal_block(got_module);

        bcx.switch_to_block(got_module);
        let attr_ptr = bcx.ins().symbol_value(ptr_ty, capsule_attr);
        let call = bcx.ins().call(get_attr, &[module_obj, attr_ptr]);
        let capsule = bcx.inst_results(call)[0];
        bcx.ins().call(dec_ref, &[module_obj]);
        bcx.ins().brif(capsule, got_capsule, &[], fail_no_runtime, &[]);
        bcx.seal_block(got_capsule);

        bcx.switch_to_block(got_capsule);
        let cname_ptr = bcx.ins().symbol_value(ptr_ty, capsule_name);
        let call = bcx.ins().call(get_pointer, &[capsule, cname_ptr]);
        let api = bcx.inst_results(call)[0];
        bcx.ins().call(dec_ref, &[capsule]);
        bcx.ins().brif(api, check_version, &[], fail_no_runtime, &[]);
        bcx.seal_block(check_version);
        bcx.seal_block(fail_no_runtime);

        bcx.switch_to_block(fail_no_runtime);
        let m = bcx.ins().symbol_value(ptr_ty, no_runtime);
        bcx.ins().jump(fail, &[m.into()]);

        bcx.switch_to_block(check_version);
        let version = bcx.ins().load(types::I32, flags, api, AOT_API_OFFSET_VERSION);
        let ok = bcx.ins().icmp_imm_u(IntCC::Equal, version, AOT_API_VERSION as i64);
        bcx.ins().brif(ok, make, &[], fail_version, &[]);
        bcx.seal_block(make);
        bcx.seal_block(fail_version);

        bcx.switch_to_block(fail_version);
        let m = bcx.ins().symbol_value(ptr_ty, bad_version);
        bcx.ins().jump(fail, &[m.into()]);
        bcx.seal_block(fail);

        bcx.switch_to_block(make);
        let make_module = bcx.ins().load(ptr_ty, flags, api, AOT_API_OFFSET_MAKE_MODULE);
        let mut make_sig = Signature::new(call_conv);
        make_sig.params.extend([AbiParam::new(ptr_ty), AbiParam::new(ptr_ty), AbiParam::new(ptr_ty), AbiParam::new(ptr_ty)]);
        make_sig.returns.push(AbiParam::new(ptr_ty));
        let make_sig = bcx.import_signature(make_sig);
        let desc_ptr = bcx.ins().symbol_value(ptr_ty, desc);
        let desc_len = bcx.ins().iconst(ptr_ty, desc_len as i64);
        let entries_ptr = bcx.ins().symbol_value(ptr_ty, entries);
        let n_entries = bcx.ins().iconst(ptr_ty, out.entry_ids.len() as i64);
        let call = bcx.ins().call_indirect(make_sig, make_module, &[desc_ptr, desc_len, entries_ptr, n_entries]);
        let result = bcx.inst_results(call)[0];
        bcx.ins().return_(&[result]);

        bcx.switch_to_block(fail);
        let exc_addr = bcx.ins().symbol_value(ptr_ty, import_error);
        let exc = bcx.ins().load(ptr_ty, flags, exc_addr, 0);
        bcx.ins().call(set_string, &[exc, msg]);
        let null = bcx.ins().iconst(ptr_ty, 0);
        bcx.ins().return_(&[null]);
        bcx.finalize(target_config);
    }
    if dump.clif {
        out.text.push_str(&crate::codegen::clif_text(&ctx.func, &init_name));
    }
    ctx.set_disasm(dump.disasm);
    codegen::define_function(object, init_id, &mut ctx, &init_name)?;
    if dump.disasm {
        if let Some(asm) = ctx.compiled_code().and_then(|c| c.vcode.clone()) {
            out.text.push_str(&format!("; {init_name}\n{asm}\n"));
        }
    }
    Ok(())
}
/// The symbol CPython's import looks up in an extension module (PEP 489):
/// `PyInit_<name>` for an ASCII name, else `PyInitU_` and the name in punycode with `-`
/// written `_` (`café` is `PyInitU_caf_dma`).
pub(crate) fn init_symbol(name: &str) -> String {
    if name.is_ascii() {
        format!("PyInit_{name}")
    } else {
        format!("PyInitU_{}", punycode(name).replace('-', "_"))
    }
}

/// RFC 3492 punycode of `input`, as Python's `str.encode("punycode")` writes it.
fn punycode(input: &str) -> String {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    const SKEW: u32 = 38;
    const DAMP: u32 = 700;
    fn digit(d: u32) -> char {
        char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 })
    }
    fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
        delta = if first { delta / DAMP } else { delta / 2 };
        delta += delta / points;
        let mut k = 0;
        while delta > ((BASE - TMIN) * TMAX) / 2 {
            delta /= BASE - TMIN;
            k += BASE;
        }
        k + (BASE - TMIN + 1) * delta / (delta + SKEW)
    }
    let chars: Vec<u32> = input.chars().map(u32::from).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = out.len() as u32;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (0x80u32, 0u32, 72u32, basic);
    while (handled as usize) < chars.len() {
        let m = chars.iter().copied().filter(|&c| c >= n).min().unwrap_or(n);
        delta = delta.saturating_add((m - n).saturating_mul(handled + 1));
        n = m;
        for &c in &chars {
            if c < n {
                delta = delta.saturating_add(1);
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias { TMIN } else if k >= bias + TMAX { TMAX } else { k - bias };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.saturating_add(1);
        n += 1;
    }
    out
}

#[cfg(test)]
mod init_symbol_tests {
    use super::init_symbol;

    #[test]
    fn non_ascii_names_use_punycode_as_cpython_does() {
        // Expected values: CPython, `"PyInitU_" + name.encode("punycode").decode().replace("-", "_")`.
        assert_eq!(init_symbol("fib"), "PyInit_fib");
        assert_eq!(init_symbol("café"), "PyInitU_caf_dma");
        assert_eq!(init_symbol("наука"), "PyInitU_80aa3ak5a");
        assert_eq!(init_symbol("a_é"), "PyInitU_a__cja");
        assert_eq!(init_symbol("éé"), "PyInitU_9caa");
    }
}

