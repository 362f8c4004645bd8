//! Runtime: the array services compiled code calls (`abi::Services::new_array`, `view_of`,
//! `incref`, `decref`), with the GIL held.
//!
//! Consumes a `tir::ArrayKind` code, an element kind and the sizes; produces a new Python
//! object (a `bytearray`, or a NumPy array from `numpy.empty/zeros/ones`) and its
//! `ViewDesc`, read through the buffer protocol and released at once: the object owns its
//! memory, and compiled code holds a reference to it for as long as it uses the
//! descriptor (a `bytearray` cannot be resized by anyone meanwhile: only compiled code
//! sees it until the function returns it). NumPy is imported on the first creation, never
//! at `import pycc`; a failure (no NumPy, a negative size, no memory) leaves the Python
//! exception set and returns null, which compiled code reports as `Ctx::ERR_PYTHON`.

use crate::errors::raise;
use pycc_compiler::abi::{ElemKind, ViewAbi, ViewDesc};
use pycc_compiler::tir::ArrayKind;
use pyo3::ffi;
use std::ffi::{c_void, CStr};
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, Ordering};

/// `numpy.empty`, `numpy.zeros`, `numpy.ones` (new references, kept for the process),
/// imported on first use. GIL held.
static NUMPY_FUNCS: [AtomicPtr<ffi::PyObject>; 3] = [AtomicPtr::new(null_mut()), AtomicPtr::new(null_mut()), AtomicPtr::new(null_mut())];

/// The NumPy dtype name of an element kind (native byte order).
fn dtype_name(elem: ElemKind) -> &'static CStr {
    match elem {
        ElemKind::I8 => c"int8",
        ElemKind::I16 => c"int16",
        ElemKind::I32 => c"int32",
        ElemKind::I64 => c"int64",
        ElemKind::U8 => c"uint8",
        ElemKind::U16 => c"uint16",
        ElemKind::U32 => c"uint32",
        ElemKind::U64 => c"uint64",
        ElemKind::F32 => c"float32",
        ElemKind::F64 => c"float64",
    }
}

/// The NumPy function for `kind` (borrowed), importing NumPy the first time; null with an
/// exception set when NumPy cannot be imported.
unsafe fn numpy_func(kind: ArrayKind) -> *mut ffi::PyObject {
    let (index, name) = match kind {
        ArrayKind::Empty => (0, c"empty"),
        ArrayKind::Zeros => (1, c"zeros"),
        ArrayKind::Ones => (2, c"ones"),
        ArrayKind::ByteArray | ArrayKind::Buffer => return null_mut(),
    };
    let cached = NUMPY_FUNCS[index].load(Ordering::Acquire);
    if !cached.is_null() {
        return cached;
    }
    let numpy = ffi::PyImport_ImportModule(c"numpy".as_ptr());
    if numpy.is_null() {
        return null_mut();
    }
    let func = ffi::PyObject_GetAttrString(numpy, name.as_ptr());
    ffi::Py_DECREF(numpy);
    if func.is_null() {
        return null_mut();
    }
    // Importing may release the GIL: another thread may have cached it meanwhile.
    match NUMPY_FUNCS[index].compare_exchange(null_mut(), func, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => func,
        Err(existing) => {
            ffi::Py_DECREF(func);
            existing
        }
    }
}

/// `numpy.<kind>(shape, dtype=<elem>)`: a new reference, or null with an exception set.
unsafe fn new_numpy(kind: ArrayKind, elem: ElemKind, sizes: &[isize]) -> *mut ffi::PyObject {
    let func = numpy_func(kind);
    if func.is_null() {
        return null_mut();
    }
    let shape = ffi::PyTuple_New(sizes.len() as ffi::Py_ssize_t);
    if shape.is_null() {
        return null_mut();
    }
    for (k, &n) in sizes.iter().enumerate() {
        let item = ffi::PyLong_FromSsize_t(n);
        if item.is_null() {
            ffi::Py_DECREF(shape);
            return null_mut();
        }
        ffi::PyTuple_SET_ITEM(shape, k as ffi::Py_ssize_t, item);
    }
    let dtype = ffi::PyUnicode_FromString(dtype_name(elem).as_ptr());
    if dtype.is_null() {
        ffi::Py_DECREF(shape);
        return null_mut();
    }
    let array = ffi::PyObject_CallFunctionObjArgs(func, shape, dtype, null_mut::<ffi::PyObject>());
    ffi::Py_DECREF(shape);
    ffi::Py_DECREF(dtype);
    array
}

/// `bytearray(n)`, zero-filled: a new reference, or null with an exception set.
unsafe fn new_bytearray(n: isize) -> *mut ffi::PyObject {
    if n < 0 {
        // CPython's message for `bytearray(-1)`.
        raise(ffi::PyExc_ValueError, "negative count");
        return null_mut();
    }
    let obj = ffi::PyByteArray_FromStringAndSize(std::ptr::null(), n);
    if !obj.is_null() && n > 0 {
        std::ptr::write_bytes(ffi::PyByteArray_AsString(obj) as *mut u8, 0, n as usize);
    }
    obj
}

/// `Services::new_array`: see `abi::Services`.
pub(crate) extern "C" fn new_array(kind: u32, elem: u32, ndim: u32, shape: *const isize, out: *mut ViewDesc) -> *mut ViewDesc {
    // SAFETY: compiled code calls this with the GIL held (the checker refuses creations in
    // `nogil` code), `ndim` sizes at `shape`, and `out` pointing at its descriptor slot.
    unsafe {
        let (Some(kind), Some(&elem)) = (ArrayKind::from_code(kind), ElemKind::ALL.get(elem as usize)) else {
            raise(ffi::PyExc_SystemError, "pycc: compiled code asked for an unknown kind of array (a pycc bug)");
            return null_mut();
        };
        if !(1..=ViewDesc::MAX_DIMS as u32).contains(&ndim) || kind == ArrayKind::Buffer || (kind == ArrayKind::ByteArray && (ndim != 1 || elem != ElemKind::U8)) {
            raise(ffi::PyExc_SystemError, "pycc: compiled code asked for an array of an unsupported shape (a pycc bug)");
            return null_mut();
        }
        let sizes = std::slice::from_raw_parts(shape, ndim as usize);
        let obj = match kind {
            ArrayKind::ByteArray => new_bytearray(sizes[0]),
            _ => new_numpy(kind, elem, sizes),
        };
        if obj.is_null() {
            return null_mut();
        }
        match describe(obj, elem, ndim) {
            Some(desc) => {
                out.write(desc);
                out
            }
            None => {
                ffi::Py_DECREF(obj);
                null_mut()
            }
        }
    }
}

/// The descriptor of a new array (owner = `obj`, whose reference passes to compiled
/// code); None with an exception set if its buffer is not what was asked for.
unsafe fn describe(obj: *mut ffi::PyObject, elem: ElemKind, ndim: u32) -> Option<ViewDesc> {
    let mut buffer = std::mem::MaybeUninit::<ffi::Py_buffer>::uninit();
    if ffi::PyObject_GetBuffer(obj, buffer.as_mut_ptr(), ffi::PyBUF_RECORDS) != 0 {
        return None;
    }
    let buffer = buffer.assume_init_mut();
    let ok = buffer.ndim == ndim as i32 && buffer.itemsize == elem.size() as isize && ffi::PyBuffer_IsContiguous(buffer, b'C' as std::ffi::c_char) != 0;
    let desc = ok.then(|| crate::views::view_desc(buffer));
    ffi::PyBuffer_Release(buffer);
    match desc {
        Some(mut desc) => {
            desc.owner = obj as *mut c_void;
            Some(desc)
        }
        None => {
            raise(ffi::PyExc_SystemError, "pycc: a new array does not have the layout compiled code expects");
            None
        }
    }
}

/// The capsule name of a buffer holder (`Services::view_of`).
const HOLDER: &CStr = c"pycc.buffer";

/// `Services::view_of`: see `abi::Services`. The holder is a capsule owning a boxed
/// `Py_buffer` (boxed before it is filled: some exporters point `shape` into it), which
/// its destructor releases.
pub(crate) extern "C" fn view_of(obj: *mut c_void, view: u32, out: *mut ViewDesc, keep: *mut *mut c_void) -> *mut ViewDesc {
    // SAFETY: compiled code calls this with the GIL held (object operands are refused in
    // `nogil` code), a live object, and `out`/`keep` pointing at the site's slots.
    unsafe {
        let Some(abi) = ViewAbi::from_code(view) else {
            raise(ffi::PyExc_SystemError, "pycc: compiled code asked for an unknown kind of memoryview (a pycc bug)");
            return null_mut();
        };
        let buffer: *mut ffi::Py_buffer = Box::into_raw(Box::new(std::mem::zeroed()));
        // As Cython asks: writability and C-contiguity are the exporter's to refuse, with its
        // own errors (`BufferError: Object is not writable.` from `bytes`), as is what is no
        // buffer at all (`TypeError: a bytes-like object is required`).
        let mut flags = ffi::PyBUF_RECORDS_RO;
        if !abi.readonly {
            flags |= ffi::PyBUF_WRITABLE;
        }
        if abi.c_contig {
            flags |= ffi::PyBUF_C_CONTIGUOUS;
        }
        if ffi::PyObject_GetBuffer(obj as *mut ffi::PyObject, buffer, flags) != 0 {
            drop(Box::from_raw(buffer));
            return null_mut();
        }
        // Cython names the element as declared, `const` included.
        let expected = if abi.readonly { format!("const {}", abi.elem.c_name()) } else { abi.elem.c_name().to_string() };
        let checked = crate::views::check_buffer(&*buffer, abi, &expected);
        let holder = match checked {
            Ok(()) => ffi::PyCapsule_New(buffer as *mut c_void, HOLDER.as_ptr(), Some(release_holder)),
            Err((exc, why)) => {
                raise(exc, &why);
                null_mut()
            }
        };
        if holder.is_null() {
            ffi::PyBuffer_Release(buffer);
            drop(Box::from_raw(buffer));
            return null_mut();
        }
        out.write(crate::views::view_desc(&*buffer));
        *keep = holder as *mut c_void;
        out
    }
}

/// The holder's destructor: gives the buffer back (GIL held, as for any object's free).
unsafe extern "C" fn release_holder(capsule: *mut ffi::PyObject) {
    let buffer = ffi::PyCapsule_GetPointer(capsule, HOLDER.as_ptr()) as *mut ffi::Py_buffer;
    if !buffer.is_null() {
        ffi::PyBuffer_Release(buffer);
        drop(Box::from_raw(buffer));
    }
}

/// `Services::incref` (GIL held; null does nothing).
pub(crate) extern "C" fn incref(obj: *mut c_void) {
    // SAFETY: compiled code passes an object it holds (or a parameter's owner), GIL held.
    unsafe { ffi::Py_XINCREF(obj as *mut ffi::PyObject) }
}

/// `Services::decref` (GIL held; null does nothing).
pub(crate) extern "C" fn decref(obj: *mut c_void) {
    // SAFETY: compiled code releases a reference it owns, GIL held.
    unsafe { ffi::Py_XDECREF(obj as *mut ffi::PyObject) }
}
