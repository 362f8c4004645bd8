//! Runtime: hand-written entry points with the compiled-code ABI, for the runtime's own tests
//! (`tests/python/test_runtime_*.py`). They let the call path, the converter, error sites and
//! the AOT `make_module` be tested without the compiler. Not a public API.

use crate::compile::functions_dict;
use crate::function::build_functions;
use pycc_compiler::abi::{AbiType, Ctx, ErrorSite, FuncDesc, ModuleDesc, ParamDesc, Slot};
use pycc_compiler::driver::EntryFn;
use pycc_compiler::tir::{Const, ExcKind};
use pyo3::prelude::*;
use pyo3::types::PyDict;

const SITE_OVERFLOW: u32 = 1;
const SITE_ZERO_DIVISION: u32 = 2;

unsafe extern "C" fn ident(_ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    *ret = *args;
    0
}

unsafe extern "C" fn add(ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    match (*args as i64).checked_add(*args.add(1) as i64) {
        Some(v) => {
            *ret = v as Slot;
            0
        }
        None => {
            (*ctx).err_site = SITE_OVERFLOW;
            1
        }
    }
}

/// Python's `//` on i64.
unsafe extern "C" fn floordiv(ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    let (a, b) = (*args as i64, *args.add(1) as i64);
    if b == 0 {
        (*ctx).err_site = SITE_ZERO_DIVISION;
        return 1;
    }
    let Some(q) = a.checked_div(b) else {
        (*ctx).err_site = SITE_OVERFLOW;
        return 1;
    };
    let q = if a % b != 0 && ((a < 0) != (b < 0)) { q - 1 } else { q };
    *ret = q as Slot;
    0
}

/// `a + 1000 * b + c + (1e6 if d else 0)`: every argument visible in the result.
unsafe extern "C" fn combine(_ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    let a = *args as i64 as f64;
    let b = *args.add(1) as u8 as f64;
    let c = f64::from_bits(*args.add(2));
    let d = if *args.add(3) != 0 { 1e6 } else { 0.0 };
    *ret = (a + 1000.0 * b + c + d).to_bits();
    0
}

unsafe extern "C" fn nothing(_ctx: *mut Ctx, _args: *const Slot, _ret: *mut Slot) -> u32 {
    0
}

/// Bytes between this frame and `ctx.stack_limit`.
unsafe extern "C" fn headroom(ctx: *mut Ctx, _args: *const Slot, ret: *mut Slot) -> u32 {
    let marker = 0u8;
    let sp = std::hint::black_box(&marker) as *const u8 as usize;
    *ret = sp.wrapping_sub((*ctx).stack_limit) as Slot;
    0
}

unsafe extern "C" fn bad_site(ctx: *mut Ctx, _args: *const Slot, _ret: *mut Slot) -> u32 {
    (*ctx).err_site = 99;
    1
}

unsafe extern "C" fn bad_status(_ctx: *mut Ctx, _args: *const Slot, _ret: *mut Slot) -> u32 {
    7
}

unsafe extern "C" fn sleep_ms(_ctx: *mut Ctx, args: *const Slot, _ret: *mut Slot) -> u32 {
    std::thread::sleep(std::time::Duration::from_millis(*args as i64 as u64));
    0
}

unsafe extern "C" fn sum_all(_ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    let mut total: i64 = 0;
    for i in 0..crate::function::MAX_PARAMS {
        total = total.wrapping_add(*args.add(i) as i64);
    }
    *ret = total as Slot;
    0
}

fn param(name: &str, ty: AbiType, ty_name: &str, default: Option<Const>) -> ParamDesc {
    ParamDesc { name: name.into(), ty, ty_name: ty_name.into(), default }
}

fn func(name: &str, doc: Option<&str>, params: Vec<ParamDesc>, ret: AbiType) -> FuncDesc {
    FuncDesc { name: name.into(), doc: doc.map(Into::into), params, ret, entry_symbol: format!("__pycc_entry_{name}"), nogil: false }
}

fn testing_module() -> (ModuleDesc, Vec<EntryFn>) {
    let mut functions = Vec::new();
    let mut entries: Vec<EntryFn> = Vec::new();
    let idents = [
        (AbiType::I8, "signed char"),
        (AbiType::I16, "short"),
        (AbiType::I32, "int"),
        (AbiType::I64, "long"),
        (AbiType::U8, "unsigned char"),
        (AbiType::U16, "unsigned short"),
        (AbiType::U32, "unsigned int"),
        (AbiType::U64, "unsigned long"),
        (AbiType::F32, "float"),
        (AbiType::F64, "double"),
        (AbiType::Bool, "bint"),
    ];
    for (ty, ty_name) in idents {
        functions.push(func(&format!("ident_{}", ty.name()), None, vec![param("x", ty, ty_name, None)], ty));
        entries.push(ident);
    }
    let i64p = |name: &str| param(name, AbiType::I64, "long", None);
    functions.push(func("add", None, vec![i64p("a"), i64p("b")], AbiType::I64));
    entries.push(add);
    functions.push(func("floordiv", None, vec![i64p("a"), i64p("b")], AbiType::I64));
    entries.push(floordiv);
    functions.push(func(
        "combine",
        Some("Combine four values."),
        vec![
            i64p("a"),
            param("b", AbiType::U8, "unsigned char", None),
            param("c", AbiType::F64, "double", Some(Const::Float(0.5))),
            param("d", AbiType::Bool, "bint", Some(Const::Bool(true))),
        ],
        AbiType::F64,
    ));
    entries.push(combine);
    functions.push(func("nothing", None, vec![], AbiType::Void));
    entries.push(nothing);
    functions.push(func("headroom", None, vec![], AbiType::U64));
    entries.push(headroom);
    functions.push(func("bad_site", None, vec![], AbiType::I64));
    entries.push(bad_site);
    functions.push(func("bad_status", None, vec![], AbiType::I64));
    entries.push(bad_status);
    functions.push(func("sleep_ms", None, vec![i64p("ms")], AbiType::Void));
    entries.push(sleep_ms);
    let many = (0..crate::function::MAX_PARAMS).map(|i| i64p(&format!("a{i}"))).collect();
    functions.push(func("sum_all", None, many, AbiType::I64));
    entries.push(sum_all);
    let desc = ModuleDesc {
        name: "pycc_testing".into(),
        doc: Some("Hand-written entries for the runtime tests.".into()),
        file: "<pycc-testing>".into(),
        functions,
        error_sites: vec![
            ErrorSite { exc: ExcKind::OverflowError, msg: "integer overflow".into(), func: "add".into(), line: 3 },
            ErrorSite {
                exc: ExcKind::ZeroDivisionError,
                msg: "integer division or modulo by zero".into(),
                func: "floordiv".into(),
                line: 7,
            },
        ],
    };
    (desc, entries)
}

/// `(descriptor text, entry addresses)` of the testing module, for calling the `_C_API`
/// capsule's `make_module` from a test (through ctypes), as an AOT module's `PyInit` does.
#[pyfunction]
pub(crate) fn _testing_entries() -> (String, Vec<usize>) {
    let (desc, entries) = testing_module();
    (desc.encode(), entries.into_iter().map(|e| e as usize).collect())
}

/// The testing module's functions built as the JIT path builds them (`compile_source`'s
/// result shape), with the functions named in `nogil` releasing the GIL.
#[pyfunction]
#[pyo3(signature = (nogil = Vec::new()))]
pub(crate) fn _testing_functions(py: Python<'_>, nogil: Vec<String>) -> PyResult<Bound<'_, PyDict>> {
    let (desc, entries) = testing_module();
    let funcs = build_functions(&desc, &entries, None, &nogil).map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    functions_dict(py, funcs, &desc.name, desc.doc.as_deref())
}
