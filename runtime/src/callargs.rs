//! Runtime: the `merge` service, star arguments and star items as CPython 3.11's
//! `LIST_EXTEND`, `SET_UPDATE`, `DICT_UPDATE`, `DICT_MERGE` and `CALL_FUNCTION_EX`
//! (Python/ceval.c) do them, with their error messages.
//!
//! Consumes the objects compiled code passes (`tir::ExprKind::Merge`, borrowed); produces
//! nothing but the updated container, or a Python exception.

use pycc_compiler::tir::MergeOp;
use pyo3::ffi;
use std::ffi::c_void;

/// `Services::merge`.
pub(crate) extern "C" fn merge(op: u32, target: *mut c_void, value: *mut c_void, func: *mut c_void) -> i32 {
    let (target, value, func) = (target as *mut ffi::PyObject, value as *mut ffi::PyObject, func as *mut ffi::PyObject);
    // SAFETY: called by compiled code with the GIL held; `target` is the container being
    // built (a list, set or dict as the op says), `value` a live object, `func` a live
    // object or null.
    unsafe {
        match op {
            o if o == MergeOp::ListExtend as u32 => list_extend(target, value, None),
            o if o == MergeOp::CallStar as u32 => list_extend(target, value, Some(func)),
            o if o == MergeOp::SetUpdate as u32 => set_update(target, value),
            o if o == MergeOp::DictUpdate as u32 => {
                if ffi::PyDict_Update(target, value) == 0 {
                    return 0;
                }
                if ffi::PyErr_ExceptionMatches(ffi::PyExc_AttributeError) != 0 {
                    ffi::PyErr_Format(ffi::PyExc_TypeError, c"'%.200s' object is not a mapping".as_ptr(), (*ffi::Py_TYPE(value)).tp_name);
                }
                -1
            }
            o if o == MergeOp::CallKwargs as u32 => call_kwargs(target, value, func),
            _ => {
                crate::errors::raise(ffi::PyExc_SystemError, "pycc: unknown merge operation");
                -1
            }
        }
    }
}

/// Whether `obj` can be iterated (`tp_iter` or the sequence protocol), CPython's test
/// before its "must be an iterable" messages.
unsafe fn iterable(obj: *mut ffi::PyObject) -> bool {
    (*ffi::Py_TYPE(obj)).tp_iter.is_some() || ffi::PySequence_Check(obj) != 0
}

/// `list.extend(value)`. `call` (the callee): the single star argument of a call, whose
/// message names the function; otherwise `LIST_EXTEND`'s.
unsafe fn list_extend(list: *mut ffi::PyObject, value: *mut ffi::PyObject, call: Option<*mut ffi::PyObject>) -> i32 {
    if let Some(func) = call {
        if !iterable(value) {
            not_iterable(func, value);
            return -1;
        }
    }
    if ffi::PyList_CheckExact(value) != 0 || ffi::PyTuple_CheckExact(value) != 0 {
        let n = ffi::PyList_Size(list);
        return ffi::PyList_SetSlice(list, n, n, value);
    }
    let it = ffi::PyObject_GetIter(value);
    if it.is_null() {
        if call.is_none() && ffi::PyErr_ExceptionMatches(ffi::PyExc_TypeError) != 0 && !iterable(value) {
            ffi::PyErr_Clear();
            ffi::PyErr_Format(ffi::PyExc_TypeError, c"Value after * must be an iterable, not %.200s".as_ptr(), (*ffi::Py_TYPE(value)).tp_name);
        }
        return -1;
    }
    let status = drain(it, |item| ffi::PyList_Append(list, item));
    ffi::Py_DECREF(it);
    status
}

/// Each item of the iterator `it` to `sink` (which borrows it): 0, or -1 with the error.
unsafe fn drain(it: *mut ffi::PyObject, mut sink: impl FnMut(*mut ffi::PyObject) -> i32) -> i32 {
    loop {
        let item = ffi::PyIter_Next(it);
        if item.is_null() {
            return if ffi::PyErr_Occurred().is_null() { 0 } else { -1 };
        }
        let status = sink(item);
        ffi::Py_DECREF(item);
        if status < 0 {
            return -1;
        }
    }
}

/// `set.update(value)` (`_PySet_Update`: `'int' object is not iterable`).
unsafe fn set_update(set: *mut ffi::PyObject, value: *mut ffi::PyObject) -> i32 {
    let it = ffi::PyObject_GetIter(value);
    if it.is_null() {
        return -1;
    }
    let status = drain(it, |item| ffi::PySet_Add(set, item));
    ffi::Py_DECREF(it);
    status
}

/// `DICT_MERGE`: `value`'s items into the keyword dict `dict` (`_PyDict_MergeEx(dict,
/// value, 2)`: a key already there is an error), then `format_kwargs_error`.
unsafe fn call_kwargs(dict: *mut ffi::PyObject, value: *mut ffi::PyObject, func: *mut ffi::PyObject) -> i32 {
    let status = merge_unique(dict, value, func);
    if status < 0 && ffi::PyErr_ExceptionMatches(ffi::PyExc_AttributeError) != 0 {
        ffi::PyErr_Clear();
        let name = function_str(func);
        if !name.is_null() {
            ffi::PyErr_Format(
                ffi::PyExc_TypeError,
                c"%U argument after ** must be a mapping, not %.200s".as_ptr(),
                name,
                (*ffi::Py_TYPE(value)).tp_name,
            );
            ffi::Py_DECREF(name);
        }
    }
    status
}

/// CPython's `dict_merge(a, b, 2)`: a dict's items in order, or a mapping's `keys()` then
/// each `b[key]`; a key already in `dict` raises `f() got multiple values for keyword
/// argument 'k'` (what `format_kwargs_error` makes of the `KeyError`).
unsafe fn merge_unique(dict: *mut ffi::PyObject, value: *mut ffi::PyObject, func: *mut ffi::PyObject) -> i32 {
    let duplicate = |key: *mut ffi::PyObject| -> i32 {
        match ffi::PyDict_Contains(dict, key) {
            0 => 0,
            c if c < 0 => -1,
            _ => {
                let name = function_str(func);
                if !name.is_null() {
                    ffi::PyErr_Format(ffi::PyExc_TypeError, c"%U got multiple values for keyword argument '%S'".as_ptr(), name, key);
                    ffi::Py_DECREF(name);
                }
                -1
            }
        }
    };
    if ffi::PyDict_Check(value) != 0 && (*ffi::Py_TYPE(value)).tp_iter.map(|f| f as usize) == (*std::ptr::addr_of_mut!(ffi::PyDict_Type)).tp_iter.map(|f| f as usize) {
        let mut pos: ffi::Py_ssize_t = 0;
        let (mut key, mut item) = (std::ptr::null_mut(), std::ptr::null_mut());
        while ffi::PyDict_Next(value, &mut pos, &mut key, &mut item) != 0 {
            // Borrowed from `value`: hold them across the calls, which may run Python code.
            ffi::Py_INCREF(key);
            ffi::Py_INCREF(item);
            let status = if duplicate(key) < 0 { -1 } else { ffi::PyDict_SetItem(dict, key, item) };
            ffi::Py_DECREF(key);
            ffi::Py_DECREF(item);
            if status < 0 {
                return -1;
            }
        }
        return 0;
    }
    let keys = ffi::PyMapping_Keys(value);
    if keys.is_null() {
        return -1;
    }
    let it = ffi::PyObject_GetIter(keys);
    ffi::Py_DECREF(keys);
    if it.is_null() {
        return -1;
    }
    let status = drain(it, |key| {
        if duplicate(key) < 0 {
            return -1;
        }
        let item = ffi::PyObject_GetItem(value, key);
        if item.is_null() {
            return -1;
        }
        let status = ffi::PyDict_SetItem(dict, key, item);
        ffi::Py_DECREF(item);
        status
    });
    ffi::Py_DECREF(it);
    status
}

/// `f() argument after * must be an iterable, not int` (`check_args_iterable`).
unsafe fn not_iterable(func: *mut ffi::PyObject, value: *mut ffi::PyObject) {
    let name = function_str(func);
    if !name.is_null() {
        ffi::PyErr_Format(ffi::PyExc_TypeError, c"%U argument after * must be an iterable, not %.200s".as_ptr(), name, (*ffi::Py_TYPE(value)).tp_name);
        ffi::Py_DECREF(name);
    }
}

/// An attribute, or null without an error when it is missing (`_PyObject_LookupAttr`);
/// `Err` with the error set when looking it up failed otherwise.
unsafe fn lookup_attr(obj: *mut ffi::PyObject, name: &std::ffi::CStr) -> Result<*mut ffi::PyObject, ()> {
    let v = ffi::PyObject_GetAttrString(obj, name.as_ptr());
    if !v.is_null() {
        return Ok(v);
    }
    if ffi::PyErr_ExceptionMatches(ffi::PyExc_AttributeError) != 0 {
        ffi::PyErr_Clear();
        return Ok(std::ptr::null_mut());
    }
    Err(())
}

/// CPython's `_PyObject_FunctionStr`: `module.qualname()`, `qualname()` for builtins,
/// else `str(func)`. New reference, or null with an error set.
pub(crate) unsafe fn function_str(func: *mut ffi::PyObject) -> *mut ffi::PyObject {
    if func.is_null() {
        return ffi::PyUnicode_FromString(c"function".as_ptr());
    }
    let Ok(qualname) = lookup_attr(func, c"__qualname__") else { return std::ptr::null_mut() };
    if qualname.is_null() {
        return ffi::PyObject_Str(func);
    }
    let result = match lookup_attr(func, c"__module__") {
        Err(()) => std::ptr::null_mut(),
        Ok(module) if !module.is_null() && module != ffi::Py_None() => {
            let builtins = ffi::PyUnicode_FromString(c"builtins".as_ptr());
            let ne = if builtins.is_null() { -1 } else { ffi::PyObject_RichCompareBool(module, builtins, ffi::Py_NE) };
            ffi::Py_XDECREF(builtins);
            let r = match ne {
                n if n < 0 => std::ptr::null_mut(),
                0 => ffi::PyUnicode_FromFormat(c"%S()".as_ptr(), qualname),
                _ => ffi::PyUnicode_FromFormat(c"%S.%S()".as_ptr(), module, qualname),
            };
            ffi::Py_DECREF(module);
            r
        }
        Ok(module) => {
            ffi::Py_XDECREF(module);
            ffi::PyUnicode_FromFormat(c"%S()".as_ptr(), qualname)
        }
    };
    ffi::Py_DECREF(qualname);
    result
}
