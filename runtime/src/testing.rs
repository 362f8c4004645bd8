//! Runtime: hand-written entry points with the compiled-code ABI, for the runtime's own tests
//! (`tests/python/test_runtime_*.py`). They let the call path, the converter, error sites and
//! the AOT `make_module` be tested without the compiler. Not a public API.

use crate::compile::functions_dict;
use crate::function::build_functions;
use pycc_compiler::abi::{AbiType, Ctx, ElemKind, ErrorSite, FuncDesc, ModuleDesc, ParamDesc, Slot, ViewAbi, ViewDesc};
use pycc_compiler::driver::EntryFn;
use pycc_compiler::tir::{Const, ExcKind};
use pyo3::prelude::*;
use pyo3::types::PyDict;

const SITE_OVERFLOW: u32 = 1;
const SITE_ZERO_DIVISION: u32 = 2;
// Error sites of the views module.
const SITE_EMPTY: u32 = 1;
const SITE_SHAPES: u32 = 2;

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

// --- memoryview entries: they read `args[i]` as a `*const ViewDesc`, as compiled code does --

unsafe fn view<'a>(args: *const Slot, i: usize) -> &'a ViewDesc {
    &*(*args.add(i) as *const ViewDesc)
}

/// The address of item `index` (one index per axis) of a view.
unsafe fn item(v: &ViewDesc, index: &[isize]) -> *mut u8 {
    let offset: isize = index.iter().zip(&v.strides).map(|(i, s)| i * s).sum();
    v.data.offset(offset)
}

/// `sum1d(a: double[:]) -> double`: walks `shape[0]` / `strides[0]`.
unsafe extern "C" fn sum1d(_ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    let a = view(args, 0);
    let mut total = 0.0;
    for i in 0..a.shape[0] {
        total += *(item(a, &[i]) as *const f64);
    }
    *ret = f64::to_bits(total);
    0
}

/// `scale2d(m: double[:, ::1], k: double)`: `m *= k` in place.
unsafe extern "C" fn scale2d(_ctx: *mut Ctx, args: *const Slot, _ret: *mut Slot) -> u32 {
    let m = view(args, 0);
    let k = f64::from_bits(*args.add(1));
    for i in 0..m.shape[0] {
        for j in 0..m.shape[1] {
            *(item(m, &[i, j]) as *mut f64) *= k;
        }
    }
    0
}

/// `first(a: const int[:]) -> int`: `a[0]`, IndexError (an error site) when empty.
unsafe extern "C" fn first(ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    let a = view(args, 0);
    if a.shape[0] == 0 {
        (*ctx).err_site = SITE_EMPTY;
        return 1;
    }
    *ret = *(a.data as *const i32) as i64 as Slot;
    0
}

/// `sum3d(a: const long[:, :, :]) -> long`: `sum(a[i, j, k] * (1 + i * 10000 + j * 100 + k))`,
/// so the result shows which item sits at which position.
unsafe extern "C" fn sum3d(_ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    let a = view(args, 0);
    let mut total: i64 = 0;
    for i in 0..a.shape[0] {
        for j in 0..a.shape[1] {
            for k in 0..a.shape[2] {
                let weight = (1 + i * 10000 + j * 100 + k) as i64;
                total = total.wrapping_add((*(item(a, &[i, j, k]) as *const i64)).wrapping_mul(weight));
            }
        }
    }
    *ret = total as Slot;
    0
}

/// `view_len_<elem>(a: const T[:]) -> long`: `a.shape[0]` (one entry for every element kind).
unsafe extern "C" fn view_len(_ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    *ret = view(args, 0).shape[0] as Slot;
    0
}

/// `fill_u8(a: unsigned char[:], v: unsigned char)`: `a[:] = v`.
unsafe extern "C" fn fill_u8(_ctx: *mut Ctx, args: *const Slot, _ret: *mut Slot) -> u32 {
    let a = view(args, 0);
    for i in 0..a.shape[0] {
        *item(a, &[i]) = *args.add(1) as u8;
    }
    0
}

/// `count5(a, b, c, d, e: const unsigned char[:]) -> long`: `sum(len(x) * 10**i)` (more
/// views than the runtime keeps on the stack).
unsafe extern "C" fn count5(_ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    let mut total: i64 = 0;
    for i in 0..5 {
        total += view(args, i).shape[0] as i64 * 10i64.pow(i as u32);
    }
    *ret = total as Slot;
    0
}

/// `axpy(alpha: double, x: const double[:], y: double[:])`: `y += alpha * x`; ValueError (an
/// error site) when the lengths differ.
unsafe extern "C" fn axpy(ctx: *mut Ctx, args: *const Slot, _ret: *mut Slot) -> u32 {
    let alpha = f64::from_bits(*args);
    let (x, y) = (view(args, 1), view(args, 2));
    if x.shape[0] != y.shape[0] {
        (*ctx).err_site = SITE_SHAPES;
        return 1;
    }
    for i in 0..x.shape[0] {
        *(item(y, &[i]) as *mut f64) += alpha * *(item(x, &[i]) as *const f64);
    }
    0
}

/// `sum_slow(a: const double[:], ms: long) -> double`, declared `nogil`: sleeps `ms`, then
/// sums `a`. The buffer stays held while the GIL is released.
unsafe extern "C" fn sum_slow(ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    std::thread::sleep(std::time::Duration::from_millis(*args.add(1) as i64 as u64));
    sum1d(ctx, args, ret)
}

/// `gil_service() -> bool`: calls `ctx.services.save_thread` / `restore_thread` as a
/// `with nogil:` block does; true if the GIL was released in between.
unsafe extern "C" fn gil_service(ctx: *mut Ctx, _args: *const Slot, ret: *mut Slot) -> u32 {
    let services = &*(*ctx).services;
    let state = (services.save_thread)();
    let released = pyo3::ffi::PyGILState_Check() == 0;
    (services.restore_thread)(state);
    *ret = released as Slot;
    0
}

/// `mod_service(a: double, b: double) -> double`: `ctx.services.float_mod(a, b)`.
unsafe extern "C" fn mod_service(ctx: *mut Ctx, args: *const Slot, ret: *mut Slot) -> u32 {
    let services = &*(*ctx).services;
    *ret = (services.float_mod)(f64::from_bits(*args), f64::from_bits(*args.add(1))).to_bits();
    0
}

fn view_param(name: &str, elem: ElemKind, ndim: u8, c_contig: bool, readonly: bool) -> ParamDesc {
    let axes: Vec<&str> = (0..ndim).map(|k| if c_contig && k + 1 == ndim { "::1" } else { ":" }).collect();
    let ty_name = format!("{}{}[{}]", if readonly { "const " } else { "" }, elem.c_name(), axes.join(", "));
    param(name, AbiType::View(ViewAbi { elem, ndim, c_contig, readonly }), &ty_name, None)
}

fn param(name: &str, ty: AbiType, ty_name: &str, default: Option<Const>) -> ParamDesc {
    ParamDesc { name: name.into(), ty, ty_name: ty_name.into(), default: default.map(pycc_compiler::tir::ParamDefault::Const), kind: Default::default() }
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
        constants: Vec::new(),
        uses_globals: false,
        body: None,
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

/// A second module, with memoryview parameters and the services entries (kept apart so the
/// first one's shape, which other tests count, does not change).
fn views_module() -> (ModuleDesc, Vec<EntryFn>) {
    let mut functions = Vec::new();
    let mut entries: Vec<EntryFn> = Vec::new();
    let i64p = |name: &str| param(name, AbiType::I64, "long", None);
    functions.push(func("sum1d", None, vec![view_param("a", ElemKind::F64, 1, false, false)], AbiType::F64));
    entries.push(sum1d);
    let f64p = |name: &str| param(name, AbiType::F64, "double", None);
    functions.push(func("scale2d", None, vec![view_param("m", ElemKind::F64, 2, true, false), f64p("k")], AbiType::Void));
    entries.push(scale2d);
    functions.push(func("first", None, vec![view_param("a", ElemKind::I32, 1, false, true)], AbiType::I32));
    entries.push(first);
    functions.push(func("sum3d", None, vec![view_param("a", ElemKind::I64, 3, false, true)], AbiType::I64));
    entries.push(sum3d);
    for &elem in ElemKind::ALL {
        functions.push(func(&format!("view_len_{}", elem.code()), None, vec![view_param("a", elem, 1, false, true)], AbiType::I64));
        entries.push(view_len);
    }
    functions.push(func(
        "fill_u8",
        None,
        vec![view_param("a", ElemKind::U8, 1, false, false), param("v", AbiType::U8, "unsigned char", None)],
        AbiType::Void,
    ));
    entries.push(fill_u8);
    let five = ["a", "b", "c", "d", "e"].iter().map(|n| view_param(n, ElemKind::U8, 1, false, true)).collect();
    functions.push(func("count5", None, five, AbiType::I64));
    entries.push(count5);
    functions.push(func(
        "axpy",
        None,
        vec![f64p("alpha"), view_param("x", ElemKind::F64, 1, false, true), view_param("y", ElemKind::F64, 1, false, false)],
        AbiType::Void,
    ));
    entries.push(axpy);
    let mut slow = func("sum_slow", None, vec![view_param("a", ElemKind::F64, 1, false, true), i64p("ms")], AbiType::F64);
    slow.nogil = true;
    functions.push(slow);
    entries.push(sum_slow);
    functions.push(func("gil_service", None, vec![], AbiType::Bool));
    entries.push(gil_service);
    functions.push(func("mod_service", None, vec![f64p("a"), f64p("b")], AbiType::F64));
    entries.push(mod_service);
    let desc = ModuleDesc {
        name: "pycc_testing_views".into(),
        doc: Some("Hand-written entries with memoryview parameters, for the runtime tests.".into()),
        file: "<pycc-testing-views>".into(),
        constants: Vec::new(),
        uses_globals: false,
        body: None,
        functions,
        error_sites: vec![
            ErrorSite {
                exc: ExcKind::IndexError,
                msg: "index 0 is out of bounds for axis 0 with size 0".into(),
                func: "first".into(),
                line: 11,
            },
            ErrorSite { exc: ExcKind::ValueError, msg: "x and y differ in length".into(), func: "axpy".into(), line: 13 },
        ],
    };
    (desc, entries)
}

/// `(descriptor text, entry addresses)` of the testing module (or, with `views`, of the
/// memoryview one), for calling the `_C_API` capsule's `make_module` from a test (through
/// ctypes), as an AOT module's `PyInit` does.
#[pyfunction]
#[pyo3(signature = (views = false))]
pub(crate) fn _testing_entries(views: bool) -> (String, Vec<usize>) {
    let (desc, entries) = if views { views_module() } else { testing_module() };
    (desc.encode(), entries.into_iter().map(|e| e as usize).collect())
}

/// The functions of both testing modules built as the JIT path builds them (`compile_source`'s
/// result shape, `__doc__` the first module's), with the functions named in `nogil` given the descriptor's `nogil` flag
/// (as `@jit(nogil=True)` does).
#[pyfunction]
#[pyo3(signature = (nogil = Vec::new()))]
pub(crate) fn _testing_functions(py: Python<'_>, nogil: Vec<String>) -> PyResult<Bound<'_, PyDict>> {
    let (mut views_desc, views_entries) = views_module();
    request_nogil(&mut views_desc, &nogil);
    let funcs = build_functions(&views_desc, &views_entries, None).map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    let out = functions_dict(py, funcs, &views_desc.name, None)?;
    let (mut desc, entries) = testing_module();
    request_nogil(&mut desc, &nogil);
    let funcs = build_functions(&desc, &entries, None).map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    out.update(functions_dict(py, funcs, &desc.name, desc.doc.as_deref())?.as_mapping())?;
    Ok(out)
}

/// Sets `FuncDesc::nogil` on the functions named in `names`, as if the source declared them
/// `nogil` (the testing modules are built by hand, not checked).
fn request_nogil(desc: &mut pycc_compiler::abi::ModuleDesc, names: &[String]) {
    for func in &mut desc.functions {
        if names.iter().any(|n| n == &func.name) {
            func.nogil = true;
        }
    }
}

/// The compiler's C-API table (`pycc_compiler::capi`) as `(name, [arg kinds], ret, fails,
/// steals)` tuples of strings and ints, for the test that checks it against the headers.
#[pyfunction]
pub(crate) fn _capi_table() -> Vec<(String, Vec<String>, String, String, u8)> {
    pycc_compiler::capi::C_API
        .iter()
        .map(|e| {
            let args = e.args.iter().map(|a| format!("{a:?}")).collect();
            (e.name.to_string(), args, format!("{:?}", e.ret), format!("{:?}", e.fails), e.steals)
        })
        .collect()
}

/// The object layout compiled code reads (`pycc_compiler::capi::layout`): `{field: offset}`
/// (the C member names, and `tuple.ob_item`/`list.ob_item`), for the test that checks the
/// offsets against the running interpreter; and the builtin types a type constant may name
/// with the type object the runtime gives each.
#[pyfunction]
pub(crate) fn _object_layout(py: Python<'_>) -> PyResult<(Vec<(String, i32)>, Vec<(String, Py<PyAny>)>)> {
    use pycc_compiler::capi::layout;
    use pycc_compiler::tir::Field;
    let mut fields: Vec<(String, i32)> = Field::ALL.iter().map(|&f| (f.name().to_string(), layout::offset(f))).collect();
    fields.push(("tuple.ob_item".to_string(), layout::TUPLE_ITEMS));
    fields.push(("list.ob_item".to_string(), layout::LIST_ITEMS));
    let mut types = Vec::new();
    for &name in pycc_compiler::abi::BUILTIN_TYPES {
        // SAFETY: GIL held; `const_object` returns a new reference or null with an exception set.
        let obj = unsafe { crate::convert::const_object(&pycc_compiler::abi::ConstObj::Type(name.to_string())) };
        if obj.is_null() {
            return Err(PyErr::fetch(py));
        }
        // SAFETY: a new reference, owned from here.
        types.push((name.to_string(), unsafe { Bound::from_owned_ptr(py, obj) }.unbind()));
    }
    Ok((fields, types))
}
