//! Runtime: the `abi::Services` table every `Ctx` the runtime creates points at.
//!
//! Consumes nothing; provides the compiler's float helpers, the GIL services
//! (`PyEval_SaveThread` / `PyEval_RestoreThread`) that `with nogil:` blocks call, and the
//! array services of `alloc.rs`, instead of the compiler's default table, whose GIL
//! services are no-ops and which cannot create arrays.

use pycc_compiler::abi::{Ctx, GlobalCache, Services};
use pycc_compiler::helpers;
use pyo3::ffi;
use std::ffi::c_void;

pub(crate) static SERVICES: Services = Services {
    float_floordiv: helpers::float_floordiv,
    float_mod: helpers::float_mod,
    save_thread,
    restore_thread,
    new_array: crate::alloc::new_array,
    incref: crate::alloc::incref,
    decref: crate::alloc::decref,
    load_global,
    check_kind,
    import_from,
    del_global,
    unpack,
    merge: crate::callargs::merge,
    view_of: crate::alloc::view_of,
};

/// `Services::import_from`: CPython 3.11's `import_from` (Python/ceval.c): the attribute,
/// else the submodule `module.__name__ + "." + name` in `sys.modules`, else ImportError.
extern "C" fn import_from(module: *mut c_void, name: *mut c_void) -> *mut c_void {
    let (module, name) = (module as *mut ffi::PyObject, name as *mut ffi::PyObject);
    // SAFETY: called by compiled code with the GIL held; both are live objects (`name` a
    // `str` constant).
    unsafe {
        let x = ffi::PyObject_GetAttr(module, name);
        if !x.is_null() || ffi::PyErr_ExceptionMatches(ffi::PyExc_AttributeError) == 0 {
            return x as *mut c_void;
        }
        ffi::PyErr_Clear();
        let pkgname = ffi::PyObject_GetAttrString(module, c"__name__".as_ptr());
        if pkgname.is_null() || ffi::PyUnicode_Check(pkgname) == 0 {
            ffi::Py_XDECREF(pkgname);
            ffi::PyErr_Clear();
            ffi::PyErr_Format(ffi::PyExc_ImportError, c"cannot import name %R from '<unknown module name>' (unknown location)".as_ptr(), name);
            return std::ptr::null_mut();
        }
        let full = ffi::PyUnicode_FromFormat(c"%U.%U".as_ptr(), pkgname, name);
        if !full.is_null() {
            let sub = ffi::PyImport_GetModule(full);
            ffi::Py_DECREF(full);
            if !sub.is_null() {
                ffi::Py_DECREF(pkgname);
                return sub as *mut c_void;
            }
        }
        ffi::PyErr_Clear();
        let path = ffi::PyModule_GetFilenameObject(module);
        if path.is_null() || ffi::PyUnicode_Check(path) == 0 {
            ffi::PyErr_Clear();
            ffi::PyErr_Format(ffi::PyExc_ImportError, c"cannot import name %R from %R (unknown location)".as_ptr(), name, pkgname);
        } else {
            ffi::PyErr_Format(ffi::PyExc_ImportError, c"cannot import name %R from %R (%S)".as_ptr(), name, pkgname, path);
        }
        ffi::Py_XDECREF(path);
        ffi::Py_DECREF(pkgname);
        std::ptr::null_mut()
    }
}

/// `Services::del_global`: `del name` of a global (CPython's `DELETE_GLOBAL`).
extern "C" fn del_global(globals: *mut c_void, name: *mut c_void) -> i32 {
    let (globals, name) = (globals as *mut ffi::PyObject, name as *mut ffi::PyObject);
    // SAFETY: called by compiled code with the GIL held; `globals` is a dict or null and
    // `name` a `str` constant.
    unsafe {
        if !globals.is_null() && ffi::PyDict_DelItem(globals, name) == 0 {
            return 0;
        }
        if globals.is_null() || ffi::PyErr_ExceptionMatches(ffi::PyExc_KeyError) != 0 {
            ffi::PyErr_Clear();
            ffi::PyErr_Format(ffi::PyExc_NameError, c"name '%U' is not defined".as_ptr(), name);
        }
        -1
    }
}

/// `Services::check_kind`: `None` or an object of exactly the kind's type; else Cython's
/// `TypeError: Expected list, got tuple` (`__Pyx_RaiseUnexpectedTypeError`), or with a
/// parameter `name`, its argument test's error (`tir::ArgCheck::flags`: bit 8 refuses
/// `None`, bit 9 adds the note for an annotation).
extern "C" fn check_kind(obj: *mut c_void, code: u32, name: *mut c_void) -> i32 {
    let obj = obj as *mut ffi::PyObject;
    let (none_ok, annotated) = (code & (1 << 8) == 0, code & (1 << 9) != 0);
    let Some(kind) = pycc_compiler::tir::ObjKind::from_code(code & 0xff) else {
        // SAFETY: GIL held (compiled code's contract).
        unsafe { crate::errors::raise(ffi::PyExc_SystemError, "pycc: an unknown object kind") };
        return -1;
    };
    // SAFETY: called by compiled code with the GIL held; `obj` is a live object.
    unsafe {
        if (none_ok && obj == ffi::Py_None()) || crate::convert::is_kind(obj, kind) {
            return 0;
        }
        if name.is_null() {
            let got = crate::convert::type_name(obj);
            crate::errors::raise(ffi::PyExc_TypeError, &format!("Expected {}, got {got}", kind.name()));
        } else {
            let name = crate::convert::str_of(name as *mut ffi::PyObject);
            let check = pycc_compiler::abi::ObjAbi { kind, none_ok, annotated };
            crate::convert::raise_wrong_kind(&name, check, obj);
        }
    }
    -1
}

/// `Services::unpack`: CPython 3.11's `UNPACK_SEQUENCE` (with its exact tuple/list fast
/// path) and `unpack_iterable` (Python/ceval.c), with the same messages.
extern "C" fn unpack(obj: *mut c_void, before: u32, after: i32, out: *mut *mut c_void) -> i32 {
    let mut items = Items { out: out as *mut *mut ffi::PyObject, len: 0 };
    // SAFETY: called by compiled code with the GIL held; `obj` is a live object and `out`
    // has room for `before` (+ 1 + `after` with a star) pointers.
    unsafe {
        if unpack_into(obj as *mut ffi::PyObject, before as usize, after as isize, &mut items) {
            return 0;
        }
        for k in 0..items.len {
            ffi::Py_DECREF(*items.out.add(k));
        }
    }
    -1
}

/// The items written so far (new references) into the caller's array.
struct Items {
    out: *mut *mut ffi::PyObject,
    len: usize,
}

impl Items {
    unsafe fn push(&mut self, item: *mut ffi::PyObject) {
        *self.out.add(self.len) = item;
        self.len += 1;
    }
}

/// The items of `v` into `items` (new references); false with an exception set (the
/// caller releases what `items` holds).
unsafe fn unpack_into(v: *mut ffi::PyObject, argcnt: usize, argcntafter: isize, items: &mut Items) -> bool {
    if argcntafter < 0 {
        let exact = if ffi::PyTuple_CheckExact(v) != 0 {
            Some((ffi::PyTuple_Size(v), true))
        } else if ffi::PyList_CheckExact(v) != 0 {
            Some((ffi::PyList_Size(v), false))
        } else {
            None
        };
        if let Some((len, tuple)) = exact.filter(|(len, _)| *len == argcnt as isize) {
            for k in 0..len {
                let item = if tuple { ffi::PyTuple_GetItem(v, k) } else { ffi::PyList_GetItem(v, k) };
                ffi::Py_INCREF(item);
                items.push(item);
            }
            return true;
        }
    }
    let it = ffi::PyObject_GetIter(v);
    if it.is_null() {
        let tp = ffi::Py_TYPE(v);
        if ffi::PyErr_ExceptionMatches(ffi::PyExc_TypeError) != 0 && (*tp).tp_iter.is_none() && ffi::PySequence_Check(v) == 0 {
            ffi::PyErr_Format(ffi::PyExc_TypeError, c"cannot unpack non-iterable %.200s object".as_ptr(), (*tp).tp_name);
        }
        return false;
    }
    let ok = unpack_from_iter(it, argcnt, argcntafter, items);
    ffi::Py_DECREF(it);
    ok
}

unsafe fn unpack_from_iter(it: *mut ffi::PyObject, argcnt: usize, argcntafter: isize, items: &mut Items) -> bool {
    use std::ffi::c_int;
    for got in 0..argcnt {
        let w = ffi::PyIter_Next(it);
        if w.is_null() {
            if ffi::PyErr_Occurred().is_null() {
                if argcntafter < 0 {
                    let msg = c"not enough values to unpack (expected %d, got %d)";
                    ffi::PyErr_Format(ffi::PyExc_ValueError, msg.as_ptr(), argcnt as c_int, got as c_int);
                } else {
                    let msg = c"not enough values to unpack (expected at least %d, got %d)";
                    ffi::PyErr_Format(ffi::PyExc_ValueError, msg.as_ptr(), (argcnt as isize + argcntafter) as c_int, got as c_int);
                }
            }
            return false;
        }
        items.push(w);
    }
    if argcntafter < 0 {
        let w = ffi::PyIter_Next(it);
        if w.is_null() {
            return ffi::PyErr_Occurred().is_null();
        }
        ffi::Py_DECREF(w);
        ffi::PyErr_Format(ffi::PyExc_ValueError, c"too many values to unpack (expected %d)".as_ptr(), argcnt as c_int);
        return false;
    }
    let l = ffi::PySequence_List(it);
    if l.is_null() {
        return false;
    }
    items.push(l);
    let ll = ffi::PyList_Size(l);
    if ll < argcntafter {
        let msg = c"not enough values to unpack (expected at least %d, got %zd)";
        ffi::PyErr_Format(ffi::PyExc_ValueError, msg.as_ptr(), (argcnt as isize + argcntafter) as c_int, argcnt as isize + ll);
        return false;
    }
    // The "after" items leave the end of the list.
    for k in ll - argcntafter..ll {
        let item = ffi::PyList_GetItem(l, k);
        ffi::Py_INCREF(item);
        items.push(item);
    }
    ffi::PyList_SetSlice(l, ll - argcntafter, ll, std::ptr::null_mut()) == 0
}

/// `Services::load_global`: the globals dict, then the builtins (CPython's `LOAD_GLOBAL`),
/// answered from the site's cache while neither dict has changed since it was filled.
extern "C" fn load_global(globals: *mut c_void, name: *mut c_void, cache: *mut GlobalCache) -> *mut c_void {
    let (globals, name) = (globals as *mut ffi::PyObject, name as *mut ffi::PyObject);
    // SAFETY: called by compiled code with the GIL held; `name` is a `str` constant,
    // `globals` a dict or null, `cache` the site's zeroed-or-filled `GlobalCache`.
    unsafe {
        let builtins = ffi::PyEval_GetBuiltins();
        let versions = (dict_version(globals), dict_version(builtins));
        let cache = &mut *cache;
        // A dict without a version (a subclass) is never cached; null globals are version 0.
        let cacheable = versions.1 != 0 && (globals.is_null() || versions.0 != 0);
        if cacheable && (cache.globals_version, cache.builtins_version) == versions && !cache.value.is_null() {
            let v = cache.value as *mut ffi::PyObject;
            ffi::Py_INCREF(v);
            return v as *mut c_void;
        }
        for dict in [globals, builtins] {
            if dict.is_null() {
                continue;
            }
            let v = ffi::PyDict_GetItemWithError(dict, name);
            if !v.is_null() {
                if cacheable {
                    (cache.globals_version, cache.builtins_version, cache.value) = (versions.0, versions.1, v as *mut c_void);
                }
                ffi::Py_INCREF(v);
                return v as *mut c_void;
            }
            if !ffi::PyErr_Occurred().is_null() {
                return std::ptr::null_mut();
            }
        }
        ffi::PyErr_Format(ffi::PyExc_NameError, c"name '%U' is not defined".as_ptr(), name);
        std::ptr::null_mut()
    }
}

/// The version of a dict (CPython's `ma_version_tag`: a global counter, so unique across
/// dicts, renewed by every change), or 0 (never cached) for null or where it is gone.
///
/// # Safety
/// `dict` is null or an exact `dict`, and the GIL is held.
unsafe fn dict_version(dict: *mut ffi::PyObject) -> u64 {
    #[cfg(not(any(Py_3_14, Py_LIMITED_API, PyPy, GraalPy)))]
    if !dict.is_null() && ffi::PyDict_CheckExact(dict) != 0 {
        #[allow(deprecated)]
        return (*(dict as *mut ffi::PyDictObject)).ma_version_tag;
    }
    let _ = dict;
    0
}

/// A context for one call on this thread, with the runtime's services.
#[inline(always)]
pub(crate) fn new_ctx() -> Ctx {
    let mut ctx = Ctx::new(crate::stack::stack_limit());
    ctx.services = &SERVICES;
    ctx
}

/// Releases the GIL and returns the thread state. Returns null without doing anything when
/// this thread does not hold the GIL (a `with nogil:` block inside a function the runtime
/// already called without the GIL, e.g. `@jit(nogil=True)`), so nesting is harmless.
extern "C" fn save_thread() -> *mut c_void {
    // SAFETY: `PyGILState_Check` may be called without the GIL; `PyEval_SaveThread` is only
    // called when this thread holds it.
    unsafe {
        if ffi::PyGILState_Check() == 0 {
            return std::ptr::null_mut();
        }
        ffi::PyEval_SaveThread() as *mut c_void
    }
}

/// Re-acquires the GIL released by `save_thread` (nothing for the null state).
extern "C" fn restore_thread(state: *mut c_void) {
    if state.is_null() {
        return;
    }
    // SAFETY: `state` is what `PyEval_SaveThread` returned on this thread.
    unsafe { ffi::PyEval_RestoreThread(state as *mut ffi::PyThreadState) }
}
