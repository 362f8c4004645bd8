//! Runtime: errors into Python exceptions.
//!
//! Consumes an `ErrorSite` (what a failed check in compiled code recorded in `Ctx::err_site`)
//! and a `CompileError` (from the driver); produces the Python exception: the builtin type
//! with the site's message and a traceback line naming the user's file, function and line;
//! `pycc.CompileError` / `pycc.InternalCompilerError` for compile failures.

use crate::function::FuncData;
use pycc_compiler::abi::{Ctx, ErrorSite};
use pycc_compiler::driver::CompileError;
use pycc_compiler::tir::ExcKind;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::{ffi, PyErr};
use std::ffi::{c_char, c_int, CString};
use std::ptr::null_mut;
use std::sync::OnceLock;

/// Sets `exc(msg)` as the current exception. GIL held.
pub(crate) unsafe fn raise(exc: *mut ffi::PyObject, msg: &str) {
    let text = ffi::PyUnicode_FromStringAndSize(msg.as_ptr() as *const c_char, msg.len() as ffi::Py_ssize_t);
    if text.is_null() {
        return;
    }
    ffi::PyErr_SetObject(exc, text);
    ffi::Py_DECREF(text);
}

/// A C string of `s`, with any NUL replaced (paths and names never hold one in practice).
pub(crate) fn c_string_lossy(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{fffd}")).unwrap_or_default()
}

/// An error site, with its strings ready for the raise path.
pub(crate) struct RaiseSite {
    exc: ExcKind,
    msg: String,
    func: CString,
    line: u32,
}

impl RaiseSite {
    pub(crate) fn new(site: &ErrorSite) -> RaiseSite {
        RaiseSite { exc: site.exc, msg: site.msg.clone(), func: c_string_lossy(&site.func), line: site.line }
    }
}

unsafe fn exception_type(kind: ExcKind) -> *mut ffi::PyObject {
    match kind {
        ExcKind::ZeroDivisionError => ffi::PyExc_ZeroDivisionError,
        ExcKind::OverflowError => ffi::PyExc_OverflowError,
        ExcKind::ValueError => ffi::PyExc_ValueError,
        ExcKind::IndexError => ffi::PyExc_IndexError,
        ExcKind::RecursionError => ffi::PyExc_RecursionError,
        ExcKind::TypeError => ffi::PyExc_TypeError,
        ExcKind::MemoryError => ffi::PyExc_MemoryError,
        ExcKind::SystemError => ffi::PyExc_SystemError,
    }
}

/// Turns a non-zero entry status into the Python exception the compiled code recorded.
/// Returns null, for the call path to return.
#[cold]
pub(crate) unsafe fn raise_from_ctx(data: &FuncData, status: u32, ctx: &Ctx) -> *mut ffi::PyObject {
    let sites = &data.module.sites;
    if status == 1 && ctx.err_site == Ctx::ERR_PYTHON {
        // A service already set the exception (creating an array): raise it as it is.
        if ffi::PyErr_Occurred().is_null() {
            raise(ffi::PyExc_SystemError, &format!("{}(): compiled code reported a Python error, but none is set (a pycc bug)", data.name));
        } else if let Some(site) = (ctx.err_args[0] as usize).checked_sub(1).and_then(|i| sites.get(i)) {
            add_traceback(&site.func, &data.module.file, site.line);
        }
        return null_mut();
    }
    let site = (ctx.err_site as usize).checked_sub(1).and_then(|i| sites.get(i));
    match (status, site) {
        (1, Some(site)) if site.msg.contains('{') => {
            // `{0}`/`{1}`: values the compiled code stored in `ctx.err_args`.
            let msg = site.msg.replace("{0}", &ctx.err_args[0].to_string()).replace("{1}", &ctx.err_args[1].to_string());
            raise(exception_type(site.exc), &msg);
            add_traceback(&site.func, &data.module.file, site.line);
        }
        (1, Some(site)) => {
            raise(exception_type(site.exc), &site.msg);
            add_traceback(&site.func, &data.module.file, site.line);
        }
        (1, None) => raise(
            ffi::PyExc_SystemError,
            &format!("{}(): compiled code reported error site {} of {} (a pycc bug)", data.name, ctx.err_site, sites.len()),
        ),
        (other, _) => raise(ffi::PyExc_SystemError, &format!("{}(): compiled code returned status {other} (a pycc bug)", data.name)),
    }
    null_mut()
}

type TracebackAdd = unsafe extern "C" fn(*const c_char, *const c_char, c_int);

/// `_PyTraceback_Add(funcname, filename, lineno)`: exported by CPython 3.9-3.13 but private,
/// so looked up at run time (a missing symbol must not break `import pycc`).
fn traceback_add_fn() -> Option<TracebackAdd> {
    static FN: OnceLock<usize> = OnceLock::new();
    let addr = *FN.get_or_init(|| {
        // SAFETY: dlsym with RTLD_DEFAULT and a NUL-terminated name only reads.
        unsafe { libc::dlsym(libc::RTLD_DEFAULT, c"_PyTraceback_Add".as_ptr()) as usize }
    });
    // SAFETY: the symbol, when present, has this signature in every CPython that has it.
    (addr != 0).then(|| unsafe { std::mem::transmute::<usize, TracebackAdd>(addr) })
}

/// Adds a traceback entry `File "<file>", line <line>, in <func>` to the current exception.
unsafe fn add_traceback(func: &CString, file: &CString, line: u32) {
    if let Some(add) = traceback_add_fn() {
        add(func.as_ptr(), file.as_ptr(), line.min(c_int::MAX as u32) as c_int);
    }
}

/// A `CompileError` as the Python exception: `pycc.CompileError` (with `.diagnostics`, the
/// rendered text) or `pycc.InternalCompilerError`.
pub(crate) fn compile_error_to_py(py: Python<'_>, err: CompileError) -> PyErr {
    match err {
        CompileError::Diagnostics { rendered, .. } => compile_error(py, &rendered),
        CompileError::Internal(internal) => {
            let text = internal.to_string();
            let text = if text.starts_with("internal compiler error") { text } else { format!("internal compiler error: {text}") };
            make_error(py, "InternalCompilerError", (text,)).unwrap_or_else(|e| e)
        }
    }
}

/// `pycc.CompileError(message)`; `rendered` is the diagnostics text.
pub(crate) fn compile_error(py: Python<'_>, rendered: &str) -> PyErr {
    let message = rendered.trim_end().to_string();
    make_error(py, "CompileError", (message, rendered.to_string())).unwrap_or_else(|e| e)
}

fn make_error<'py, A>(py: Python<'py>, class: &str, args: A) -> Result<PyErr, PyErr>
where
    A: pyo3::call::PyCallArgs<'py>,
{
    let module = py.import("pycc.errors").map_err(|e| {
        PyRuntimeError::new_err(format!("pycc: cannot import pycc.errors to raise {class}: {e}"))
    })?;
    let instance = module.getattr(class)?.call1(args)?;
    Ok(PyErr::from_value(instance))
}
