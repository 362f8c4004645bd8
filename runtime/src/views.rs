//! Runtime: memoryview parameters at the call boundary (`AbiType::View`).
//!
//! Consumes a Python object and the parameter's `ViewAbi`; acquires the object's buffer with
//! `PyObject_GetBuffer(PyBUF_RECORDS_RO)`, checks it against the view (writability,
//! C-contiguity, ndim, element type, in the order Cython reports them), and fills an
//! `abi::ViewDesc` in per-call storage (`ViewStore`: on the stack for up to
//! `INLINE_VIEWS` views, a heap vector above that) whose address goes in the slot. The store
//! releases every buffer it acquired when dropped, so every path (success, an error in
//! compiled code, a later argument failing to convert) gives the buffers back. GIL held
//! throughout: acquire before a `nogil` call releases the GIL, drop after it re-acquires it.

use crate::errors::raise;
use crate::function::{FuncData, ParamSpec};
use pycc_compiler::abi::{ElemKind, Slot, ViewAbi, ViewDesc};
use pyo3::ffi;
use std::ffi::{c_char, CStr};
use std::mem::MaybeUninit;

/// Views per call kept on the stack; a function with more takes one heap allocation a call.
pub(crate) const INLINE_VIEWS: usize = 4;

/// One acquired buffer and the descriptor compiled code reads. Neither moves once filled:
/// some exporters point `shape` into the `Py_buffer` itself (`PyBuffer_FillInfo`).
pub(crate) struct Held {
    buffer: ffi::Py_buffer,
    desc: ViewDesc,
}

/// Stack room for a call's views (`INLINE_VIEWS` of them), declared in the call path's
/// frame and lent to a `ViewStore`; kept apart from the store so that nothing copies it.
pub(crate) type InlineViews = MaybeUninit<[Held; INLINE_VIEWS]>;

/// The per-call storage of a function's view arguments: `entries` points at the caller's
/// `InlineViews`, or at `_heap` for more views. Owns (and releases on drop) the first `len`
/// entries. Must be dropped with the GIL held, and the storage must not move while any slot
/// points into it.
pub(crate) struct ViewStore {
    len: usize,
    capacity: usize,
    entries: *mut Held,
    _heap: Vec<MaybeUninit<Held>>,
}

impl ViewStore {
    /// Storage for `n_views` views: `inline` for up to `INLINE_VIEWS`, one heap
    /// allocation above that.
    #[inline(always)]
    pub(crate) fn new(n_views: usize, inline: &mut InlineViews) -> ViewStore {
        if n_views <= INLINE_VIEWS {
            return ViewStore { len: 0, capacity: n_views, entries: inline.as_mut_ptr() as *mut Held, _heap: Vec::new() };
        }
        let mut heap: Vec<MaybeUninit<Held>> = (0..n_views).map(|_| MaybeUninit::uninit()).collect();
        ViewStore { len: 0, capacity: n_views, entries: heap.as_mut_ptr() as *mut Held, _heap: heap }
    }

    #[inline(always)]
    fn next_entry(&mut self) -> Option<*mut Held> {
        if self.len >= self.capacity {
            return None;
        }
        // SAFETY: `entries` has room for `capacity` entries (`new`).
        Some(unsafe { self.entries.add(self.len) })
    }

    /// Acquires and checks `obj`'s buffer for `param`; the slot (a `*const ViewDesc`), or
    /// None with a Python exception set. A buffer acquired here is released by the store's
    /// drop, whether or not its checks pass.
    #[inline(always)]
    pub(crate) unsafe fn acquire(&mut self, data: &FuncData, param: &ParamSpec, abi: ViewAbi, obj: *mut ffi::PyObject) -> Option<Slot> {
        let Some(held) = self.next_entry() else {
            raise(ffi::PyExc_SystemError, &format!("{}(): more memoryview arguments than described (a pycc bug)", data.name));
            return None;
        };
        if obj == ffi::Py_None() || ffi::PyObject_CheckBuffer(obj) == 0 {
            return not_a_buffer(data, param, abi, obj);
        }
        let buffer = &raw mut (*held).buffer;
        if ffi::PyObject_GetBuffer(obj, buffer, ffi::PyBUF_RECORDS_RO) != 0 {
            return exporter_refused(data, param);
        }
        self.len += 1;
        let buffer = &*buffer;
        if let Err((exc, why)) = check_buffer(buffer, abi, element_name(param, abi)) {
            raise(exc, &format!("{}() argument '{}': {why}", data.name, param.name));
            return None;
        }
        let desc = &raw mut (*held).desc;
        desc.write(view_desc(buffer));
        Some(desc as *const ViewDesc as Slot)
    }
}

impl Drop for ViewStore {
    #[inline(always)]
    fn drop(&mut self) {
        for i in 0..self.len {
            // SAFETY: entries below `len` hold a buffer acquired by `PyObject_GetBuffer` and
            // not yet released (`_heap`, when used, is still alive: fields drop after this);
            // the call path drops the store with the GIL held.
            unsafe { ffi::PyBuffer_Release(&raw mut (*self.entries.add(i)).buffer) };
        }
        self.len = 0;
    }
}

/// The checks, in Cython's order (writable and contiguous are what its `GetBuffer` flags
/// ask the exporter for; then ndim, format, itemsize). The error: exception type, message.
/// The element type as the source spelled it (`const long long` for `const long long[:]`),
/// which is what Cython's messages name; the ABI's C name when the source type is unknown.
fn element_name(param: &ParamSpec, abi: ViewAbi) -> &str {
    match param.ty_name.split_once('[') {
        Some((elem, _)) if !elem.trim().is_empty() => elem.trim(),
        _ => abi.elem.c_name(),
    }
}

pub(crate) unsafe fn check_buffer(buffer: &ffi::Py_buffer, abi: ViewAbi, expected: &str) -> Result<(), (*mut ffi::PyObject, String)> {
    if buffer.readonly != 0 && !abi.readonly {
        return Err((ffi::PyExc_ValueError, "buffer source array is read-only".into()));
    }
    if abi.c_contig && ffi::PyBuffer_IsContiguous(buffer, b'C' as c_char) == 0 {
        return Err((ffi::PyExc_ValueError, "ndarray is not C-contiguous".into()));
    }
    if buffer.ndim != abi.ndim as i32 {
        return Err((
            ffi::PyExc_ValueError,
            format!("Buffer has wrong number of dimensions (expected {}, got {})", abi.ndim, buffer.ndim),
        ));
    }
    // No format means unsigned bytes (the buffer protocol's default).
    let format: &[u8] = if buffer.format.is_null() { b"B" } else { CStr::from_ptr(buffer.format).to_bytes() };
    match format_matches(format, abi.elem) {
        Ok(()) => {}
        Err(FormatMismatch::ByteOrder(why)) => return Err((ffi::PyExc_ValueError, why.into())),
        Err(FormatMismatch::Got(got)) => {
            return Err((ffi::PyExc_ValueError, format!("Buffer dtype mismatch, expected '{expected}' but got {got}")));
        }
    }
    let want = abi.elem.size() as isize;
    if buffer.itemsize != want {
        let plural = |n: isize| if n > 1 { "s" } else { "" };
        return Err((
            ffi::PyExc_ValueError,
            format!(
                "Item size of buffer ({} byte{}) does not match size of '{}' ({want} byte{})",
                buffer.itemsize,
                plural(buffer.itemsize),
                abi.elem.c_name(),
                plural(want)
            ),
        ));
    }
    if !buffer.suboffsets.is_null() && (0..abi.ndim as usize).any(|k| *buffer.suboffsets.add(k) >= 0) {
        return Err((ffi::PyExc_ValueError, "indirect buffers (with suboffsets) are not supported".into()));
    }
    Ok(())
}

/// The descriptor of a checked buffer (`ndim` matches the view's, at most `MAX_DIMS`).
pub(crate) unsafe fn view_desc(buffer: &ffi::Py_buffer) -> ViewDesc {
    let ndim = (buffer.ndim.max(0) as usize).min(ViewDesc::MAX_DIMS);
    let mut desc = ViewDesc {
        data: buffer.buf as *mut u8,
        shape: [0; ViewDesc::MAX_DIMS],
        strides: [0; ViewDesc::MAX_DIMS],
        owner: buffer.obj as *mut std::ffi::c_void,
    };
    for k in 0..ndim {
        desc.shape[k] = if buffer.shape.is_null() { buffer.len / buffer.itemsize.max(1) } else { *buffer.shape.add(k) };
    }
    if buffer.strides.is_null() {
        // C order: the last axis moves by one item.
        let mut stride = buffer.itemsize;
        for k in (0..ndim).rev() {
            desc.strides[k] = stride;
            stride *= desc.shape[k];
        }
    } else {
        for k in 0..ndim {
            desc.strides[k] = *buffer.strides.add(k);
        }
    }
    desc
}

pub(crate) enum FormatMismatch {
    /// A multi-byte type in the other byte order (Cython's message).
    ByteOrder(&'static str),
    /// The received type as the message names it (`'long'`, `format 'Zd'`).
    Got(String),
}

/// Whether a struct-module format string describes `elem` on this machine. Accepts an
/// optional byte-order prefix (`@ = < > !`) and one type code; `@` (or none) uses native
/// sizes (`l` is 8 bytes on LP64), the others standard sizes (`l` is 4). As in Cython, `?`
/// (bool) is an unsigned byte and so matches `unsigned char`.
pub(crate) fn format_matches(format: &[u8], elem: ElemKind) -> Result<(), FormatMismatch> {
    let (order, rest) = match format.first() {
        Some(&c @ (b'@' | b'=' | b'<' | b'>' | b'!')) => (c, &format[1..]),
        _ => (b'@', format),
    };
    let &[code] = rest else {
        return Err(FormatMismatch::Got(describe_format(format)));
    };
    let native_sizes = order == b'@';
    let long_size = std::mem::size_of::<std::ffi::c_long>();
    let (signedness, size) = match code {
        b'b' => (Some(true), 1),
        b'B' | b'?' => (Some(false), 1),
        b'h' => (Some(true), 2),
        b'H' => (Some(false), 2),
        b'i' => (Some(true), 4),
        b'I' => (Some(false), 4),
        b'l' => (Some(true), if native_sizes { long_size } else { 4 }),
        b'L' => (Some(false), if native_sizes { long_size } else { 4 }),
        b'q' => (Some(true), 8),
        b'Q' => (Some(false), 8),
        b'n' if native_sizes => (Some(true), std::mem::size_of::<isize>()),
        b'N' if native_sizes => (Some(false), std::mem::size_of::<usize>()),
        b'f' => (None, 4),
        b'd' => (None, 8),
        _ => return Err(FormatMismatch::Got(describe_format(format))),
    };
    let non_native = if cfg!(target_endian = "little") { matches!(order, b'>' | b'!') } else { order == b'<' };
    if non_native && size != 1 {
        return Err(FormatMismatch::ByteOrder(if cfg!(target_endian = "little") {
            "Big-endian buffer not supported on little-endian compiler"
        } else {
            "Little-endian buffer not supported on big-endian compiler"
        }));
    }
    let got = match (signedness, size) {
        (Some(true), 1) => ElemKind::I8,
        (Some(true), 2) => ElemKind::I16,
        (Some(true), 4) => ElemKind::I32,
        (Some(true), 8) => ElemKind::I64,
        (Some(false), 1) => ElemKind::U8,
        (Some(false), 2) => ElemKind::U16,
        (Some(false), 4) => ElemKind::U32,
        (Some(false), 8) => ElemKind::U64,
        (None, 4) => ElemKind::F32,
        (None, 8) => ElemKind::F64,
        _ => return Err(FormatMismatch::Got(describe_format(format))),
    };
    if got == elem {
        Ok(())
    } else {
        Err(FormatMismatch::Got(describe_format(format)))
    }
}

/// The received type in a mismatch message: Cython's quoted C name for a single code
/// (`'long'`, `'complex double'`), else the format string itself.
fn describe_format(format: &[u8]) -> String {
    let rest = match format.first() {
        Some(b'@' | b'=' | b'<' | b'>' | b'!') => &format[1..],
        _ => format,
    };
    let name = match rest {
        b"?" => "'bool'",
        b"c" => "'char'",
        b"b" => "'signed char'",
        b"B" => "'unsigned char'",
        b"h" => "'short'",
        b"H" => "'unsigned short'",
        b"i" => "'int'",
        b"I" => "'unsigned int'",
        b"l" => "'long'",
        b"L" => "'unsigned long'",
        b"q" => "'long long'",
        b"Q" => "'unsigned long long'",
        b"n" => "'Py_ssize_t'",
        b"N" => "'size_t'",
        b"f" => "'float'",
        b"d" => "'double'",
        b"g" => "'long double'",
        b"Zf" => "'complex float'",
        b"Zd" => "'complex double'",
        b"Zg" => "'complex long double'",
        b"O" => "Python object",
        _ => return format!("buffer format '{}'", String::from_utf8_lossy(format)),
    };
    name.to_string()
}

/// `f() argument 'a' must be a buffer (memoryview of double), not None`.
#[cold]
unsafe fn not_a_buffer(data: &FuncData, param: &ParamSpec, abi: ViewAbi, obj: *mut ffi::PyObject) -> Option<Slot> {
    let got = if obj == ffi::Py_None() { "None".into() } else { CStr::from_ptr((*ffi::Py_TYPE(obj)).tp_name).to_string_lossy() };
    let dims = if abi.ndim == 1 { String::new() } else { format!("{}-D ", abi.ndim) };
    let msg = format!("{}() argument '{}' must be a buffer ({dims}memoryview of {}), not {got}", data.name, param.name, abi.elem.c_name());
    raise(ffi::PyExc_TypeError, &msg);
    None
}

/// The exporter's own error from `PyObject_GetBuffer`, re-raised (same type) with the
/// function and parameter named in front.
#[cold]
unsafe fn exporter_refused(data: &FuncData, param: &ParamSpec) -> Option<Slot> {
    let mut exc_type = std::ptr::null_mut();
    let mut value = std::ptr::null_mut();
    let mut traceback = std::ptr::null_mut();
    ffi::PyErr_Fetch(&mut exc_type, &mut value, &mut traceback);
    if exc_type.is_null() {
        raise(ffi::PyExc_SystemError, &format!("{}() argument '{}': buffer export failed without an error", data.name, param.name));
        return None;
    }
    ffi::PyErr_NormalizeException(&mut exc_type, &mut value, &mut traceback);
    let why = if value.is_null() { String::new() } else { crate::convert::str_of(value) };
    raise(exc_type, &format!("{}() argument '{}': {why}", data.name, param.name));
    ffi::Py_DECREF(exc_type);
    ffi::Py_XDECREF(value);
    ffi::Py_XDECREF(traceback);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(format: &str, elem: ElemKind) -> bool {
        format_matches(format.as_bytes(), elem).is_ok()
    }

    #[test]
    fn formats_match_by_kind_and_native_size() {
        assert!(ok("d", ElemKind::F64) && ok("@d", ElemKind::F64) && ok("=d", ElemKind::F64));
        assert!(ok("l", ElemKind::I64) && ok("q", ElemKind::I64) && ok("L", ElemKind::U64) && ok("Q", ElemKind::U64));
        // Standard sizes: `l` is 4 bytes after `=`, `<`.
        assert!(ok("=l", ElemKind::I32) && ok("<l", ElemKind::I32) && !ok("=l", ElemKind::I64));
        assert!(ok("?", ElemKind::U8) && !ok("?", ElemKind::I8));
        assert!(ok(">b", ElemKind::I8) && ok("!B", ElemKind::U8));
        assert!(!ok("d", ElemKind::F32) && !ok("i", ElemKind::U32) && !ok("", ElemKind::U8) && !ok("2d", ElemKind::F64));
        assert!(!ok("=n", ElemKind::I64) && ok("n", ElemKind::I64));
    }

    #[test]
    fn mismatches_say_what_was_received() {
        let got = |format: &str, elem| match format_matches(format.as_bytes(), elem) {
            Err(FormatMismatch::Got(g)) => g,
            Err(FormatMismatch::ByteOrder(b)) => b.to_string(),
            Ok(()) => "ok".into(),
        };
        assert_eq!(got("l", ElemKind::F64), "'long'");
        assert_eq!(got("Zd", ElemKind::F64), "'complex double'");
        assert_eq!(got("e", ElemKind::F64), "buffer format 'e'");
        assert_eq!(got("T{d:a:}", ElemKind::F64), "buffer format 'T{d:a:}'");
        assert_eq!(got(">d", ElemKind::F64), "Big-endian buffer not supported on little-endian compiler");
    }
}
