//! Runtime: the `abi::Services` table every `Ctx` the runtime creates points at.
//!
//! Consumes nothing; provides the compiler's float helpers, the GIL services
//! (`PyEval_SaveThread` / `PyEval_RestoreThread`) that `with nogil:` blocks call, and the
//! array services of `alloc.rs`, instead of the compiler's default table, whose GIL
//! services are no-ops and which cannot create arrays.

use pycc_compiler::abi::{Ctx, Services};
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
    unpack,
};

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

/// `Services::load_global`: the globals dict, then the builtins (CPython's `LOAD_GLOBAL`).
extern "C" fn load_global(globals: *mut c_void, name: *mut c_void) -> *mut c_void {
    let (globals, name) = (globals as *mut ffi::PyObject, name as *mut ffi::PyObject);
    // SAFETY: called by compiled code with the GIL held; `name` is a `str` constant and
    // `globals` a dict or null.
    unsafe {
        for dict in [globals, ffi::PyEval_GetBuiltins()] {
            if dict.is_null() {
                continue;
            }
            let v = ffi::PyDict_GetItemWithError(dict, name);
            if !v.is_null() {
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
