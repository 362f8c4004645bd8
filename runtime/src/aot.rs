//! Runtime: the AOT boundary. An extension module built by `pycc build` calls
//! `PyCapsule_Import("pycc._pycc._C_API")` in its `PyInit_<name>` and then
//! `make_module(descriptor, entries)`, which is defined here.
//!
//! Consumes the descriptor text (`ModuleDesc::encode`) and the entry addresses; produces the
//! Python module, holding one compiled-function object per exported function (the same type
//! and converter as the JIT path).

use crate::errors;
use crate::function::{build_functions, new_function};
use pycc_compiler::abi::{AotApi, ModuleDesc, AOT_API_VERSION};
use pycc_compiler::driver::EntryFn;
use pyo3::ffi;
use std::ffi::{c_void, CString};
use std::ptr::null_mut;

/// What the `_C_API` capsule points at.
pub(crate) static AOT_API: AotApi = AotApi { version: AOT_API_VERSION, make_module };

/// The capsule's name: `abi::AOT_CAPSULE_NAME` as a C string (checked in a test).
pub(crate) const CAPSULE_NAME: &std::ffi::CStr = c"pycc._pycc._C_API";

/// The `_C_API` capsule (new reference), or null with an exception set. GIL held.
pub(crate) unsafe fn new_capsule() -> *mut ffi::PyObject {
    ffi::PyCapsule_New(&AOT_API as *const AotApi as *mut c_void, CAPSULE_NAME.as_ptr(), None)
}

/// `AotApi::make_module`. Called from `PyInit_<name>`, so with the GIL held. Returns a new
/// reference, or null with ImportError (bad descriptor) or another exception set.
unsafe extern "C" fn make_module(desc: *const u8, len: usize, entries: *const EntryFn, n: usize) -> *mut c_void {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| make_module_impl(desc, len, entries, n)));
    match result {
        Ok(Ok(module)) => module as *mut c_void,
        Ok(Err(None)) => null_mut(),
        Ok(Err(Some(reason))) => {
            errors::raise(ffi::PyExc_ImportError, &format!("cannot load a module built by pycc: {reason}"));
            null_mut()
        }
        Err(_) => {
            errors::raise(ffi::PyExc_SystemError, "pycc: internal error (panic) while creating a compiled module");
            null_mut()
        }
    }
}

/// `Err(Some(reason))` is raised as ImportError; `Err(None)` means an exception is set.
unsafe fn make_module_impl(desc: *const u8, len: usize, entries: *const EntryFn, n: usize) -> Result<*mut ffi::PyObject, Option<String>> {
    if desc.is_null() {
        return Err(Some("no module descriptor".into()));
    }
    let text = std::str::from_utf8(std::slice::from_raw_parts(desc, len)).map_err(|_| Some("the module descriptor is not UTF-8".to_string()))?;
    let desc = ModuleDesc::decode(text).map_err(Some)?;
    let entries: &[EntryFn] = if n == 0 || entries.is_null() { &[] } else { std::slice::from_raw_parts(entries, n) };
    let mut funcs = build_functions(&desc, entries, None).map_err(|why| Some(format!("module `{}`: {why}", desc.name)))?;
    let body = take_body(&desc, &mut funcs)?;
    if !desc.name.is_ascii() {
        return multi_phase_def(&desc, funcs, body);
    }

    // Single-phase init needs a module made from a PyModuleDef (PyModule_New is rejected:
    // "initialization of X did not return an extension module"). The def lives forever,
    // as the module's code does.
    let name = CString::new(desc.name.as_str()).map_err(|_| Some("module name holds a NUL byte".to_string()))?;
    let doc = match &desc.doc {
        Some(d) => errors::c_string_lossy(d).into_raw() as *const _,
        None => std::ptr::null(),
    };
    let def = Box::leak(Box::new(ffi::PyModuleDef {
        m_base: ffi::PyModuleDef_HEAD_INIT,
        m_name: name.into_raw(),
        m_doc: doc,
        m_size: -1,
        m_methods: null_mut(),
        m_slots: null_mut(),
        m_traverse: None,
        m_clear: None,
        m_free: None,
    }));
    let module = ffi::PyModule_Create2(def, ffi::PYTHON_API_VERSION);
    if module.is_null() {
        return Err(None);
    }
    // The full dotted name (PyModule_Create2 applies the package context).
    let module_name = ffi::PyModule_GetNameObject(module);
    if module_name.is_null() {
        ffi::Py_DECREF(module);
        return Err(None);
    }
    let filled = add_functions(module, module_name, funcs, body);
    ffi::Py_DECREF(module_name);
    if let Err(e) = filled {
        ffi::Py_DECREF(module);
        return Err(e);
    }
    Ok(module)
}

type Funcs = Vec<std::rc::Rc<crate::function::FuncData>>;
type Body = Option<std::rc::Rc<crate::function::FuncData>>;

/// Takes the module body (`ModuleDesc::body`) out of `funcs`: it is run, not added.
fn take_body(desc: &ModuleDesc, funcs: &mut Funcs) -> Result<Option<std::rc::Rc<crate::function::FuncData>>, Option<String>> {
    match desc.body {
        None => Ok(None),
        Some(i) if i < funcs.len() => Ok(Some(funcs.remove(i))),
        Some(i) => Err(Some(format!("module `{}`: its body is function {i}, which does not exist", desc.name))),
    }
}

/// Puts one function object per entry of `funcs` into `module`'s dict, then runs the
/// module's body, if it has one (as CPython runs a module's code at import).
unsafe fn add_functions(
    module: *mut ffi::PyObject,
    module_name: *mut ffi::PyObject,
    funcs: Funcs,
    body: Option<std::rc::Rc<crate::function::FuncData>>,
) -> Result<(), Option<String>> {
    let dict = ffi::PyModule_GetDict(module);
    // Compiled code looks globals up in the module's own dict.
    if let Some(first) = funcs.first().or(body.as_ref()) {
        first.module.set_globals(dict);
    }
    for data in funcs {
        let Ok(fname) = CString::new(data.name.as_str()) else {
            return Err(Some("function name holds a NUL byte".into()));
        };
        let obj = new_function(data, module_name);
        if obj.is_null() || ffi::PyDict_SetItemString(dict, fname.as_ptr(), obj) != 0 {
            ffi::Py_XDECREF(obj);
            return Err(None);
        }
        ffi::Py_DECREF(obj);
    }
    if let Some(body) = body {
        if crate::function::run_body(body, module_name) != 0 {
            return Err(None);
        }
    }
    Ok(())
}

/// The functions a multi-phase module's `Py_mod_exec` slot adds, by the address of its
/// (leaked) `PyModuleDef`. Only touched with the GIL held; the `Rc`s inside never leave
/// that thread-of-control, which the GIL serialises.
struct PendingModules(Vec<(usize, (Funcs, Body))>);
// SAFETY: accessed only with the GIL held (see above), so never from two threads at once.
unsafe impl Send for PendingModules {}
static PENDING: std::sync::Mutex<PendingModules> = std::sync::Mutex::new(PendingModules(Vec::new()));

/// CPython loads a module with a non-ASCII name only through multi-phase init (PEP 489:
/// `PyInitU_<punycode>` must return a `PyModuleDef`). The def gets one `Py_mod_exec` slot,
/// which adds the functions to the module CPython creates from it.
unsafe fn multi_phase_def(
    desc: &ModuleDesc,
    funcs: Funcs,
    body: Option<std::rc::Rc<crate::function::FuncData>>,
) -> Result<*mut ffi::PyObject, Option<String>> {
    let name = CString::new(desc.name.as_str()).map_err(|_| Some("module name holds a NUL byte".to_string()))?;
    let doc = match &desc.doc {
        Some(d) => errors::c_string_lossy(d).into_raw() as *const _,
        None => std::ptr::null(),
    };
    let slots = Box::leak(Box::new([
        ffi::PyModuleDef_Slot { slot: ffi::Py_mod_exec, value: exec_module as *mut c_void },
        ffi::PyModuleDef_Slot::default(),
    ]));
    let def = Box::leak(Box::new(ffi::PyModuleDef {
        m_base: ffi::PyModuleDef_HEAD_INIT,
        m_name: name.into_raw(),
        m_doc: doc,
        m_size: 0,
        m_methods: null_mut(),
        m_slots: slots.as_mut_ptr(),
        m_traverse: None,
        m_clear: None,
        m_free: None,
    }));
    PENDING.lock().map_err(|_| Some("module registry poisoned".to_string()))?.0.push((def as *mut _ as usize, (funcs, body)));
    Ok(ffi::PyModuleDef_Init(def))
}

/// The `Py_mod_exec` slot of [`multi_phase_def`]: 0, or -1 with an exception set.
unsafe extern "C" fn exec_module(module: *mut ffi::PyObject) -> std::ffi::c_int {
    let def = ffi::PyModule_GetDef(module) as usize;
    let funcs = PENDING.lock().ok().and_then(|mut p| p.0.iter().position(|(d, _)| *d == def).map(|i| p.0.swap_remove(i).1));
    let Some((funcs, body)) = funcs else {
        errors::raise(ffi::PyExc_ImportError, "cannot load a module built by pycc: it was already initialised");
        return -1;
    };
    let module_name = ffi::PyModule_GetNameObject(module);
    if module_name.is_null() {
        return -1;
    }
    let filled = add_functions(module, module_name, funcs, body);
    ffi::Py_DECREF(module_name);
    match filled {
        Ok(()) => 0,
        Err(Some(reason)) => {
            errors::raise(ffi::PyExc_ImportError, &format!("cannot load a module built by pycc: {reason}"));
            -1
        }
        Err(None) => -1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capsule_name_matches_the_abi() {
        assert_eq!(CAPSULE_NAME.to_str().unwrap(), pycc_compiler::abi::AOT_CAPSULE_NAME);
    }
}
