//! Runtime: the one converter between Python objects and `Slot`s, driven by `AbiType`,
//! and the argument-binding errors (worded as CPython words them for a Python function).
//!
//! Consumes the `ParamSpec`s built in `function.rs`; produces slots for the entry wrapper and
//! Python objects for its result. Integers accept `int`, `bool` and `__index__` objects and
//! are range-checked into their C type; floats accept anything with `__float__`/`__index__`;
//! `bint` takes any object's truth value (all as Cython does).

use crate::errors::raise;
use crate::function::{FuncData, ParamSpec};
use pycc_compiler::abi::{AbiType, ObjAbi, Slot};
use pycc_compiler::tir::{Const, ObjKind, ParamDefault};
use pyo3::ffi;
use std::ffi::{c_long, CStr};
use std::ptr::null_mut;

/// The C name of an ABI type, when the descriptor gives none.
pub(crate) fn default_type_name(ty: AbiType) -> &'static str {
    match ty {
        AbiType::I8 => "signed char",
        AbiType::I16 => "short",
        AbiType::I32 => "int",
        AbiType::I64 => "long long",
        AbiType::U8 => "unsigned char",
        AbiType::U16 => "unsigned short",
        AbiType::U32 => "unsigned int",
        AbiType::U64 => "unsigned long long",
        AbiType::F32 => "float",
        AbiType::F64 => "double",
        AbiType::Bool => "bint",
        AbiType::Void => "void",
        AbiType::View(_) => "memoryview",
        AbiType::Object(o) => o.kind.name(),
    }
}

fn is_int(ty: AbiType) -> bool {
    ty.int_range().is_some()
}

/// A parameter default, converted once into its slot. An object default is one of the
/// module's constants (`consts`, which live as long as the module's functions), borrowed.
pub(crate) fn default_slot(ty: AbiType, value: &ParamDefault, consts: &[*mut ffi::PyObject]) -> Result<Slot, String> {
    let value = match *value {
        ParamDefault::Object(k) => {
            return match (ty, consts.get(k as usize)) {
                (AbiType::Object(_), Some(&obj)) => Ok(obj as Slot),
                (AbiType::Object(_), None) => Err(format!("constant {k} of {}", consts.len())),
                _ => Err("an object default for a C parameter".into()),
            }
        }
        // Null: the entry wrapper reads the default from its C global.
        ParamDefault::Global(_) if matches!(ty, AbiType::Object(_)) => return Ok(0),
        ParamDefault::Global(_) => return Err("a default of a C parameter in a C global".into()),
        ParamDefault::Const(c) => c,
    };
    match (ty, value) {
        (AbiType::Void, _) => Err("a `void` parameter cannot have a default".into()),
        // The Python object the default spells, made once and kept for the module's life
        // (the slot is borrowed by every call that uses it).
        // SAFETY: called with the GIL held, when the module's functions are made.
        (AbiType::Object(_), c) => match unsafe { const_to_object(ty, &c) } {
            obj if obj.is_null() => {
                unsafe { ffi::PyErr_Clear() };
                Err("the default object could not be made".into())
            }
            obj => Ok(obj as Slot),
        },
        (AbiType::U64, Const::Int(v)) => Ok(v as u64),
        (t, Const::Int(v)) if is_int(t) => match t.int_range() {
            Some((lo, hi)) if (lo..=hi).contains(&(v as i128)) => Ok(v as u64),
            _ => Err(format!("value {v} out of range for `{}`", default_type_name(t))),
        },
        (t, Const::Bool(b)) if is_int(t) => Ok(b as u64),
        (t, Const::Float(_)) if is_int(t) => Err("a float default for an integer parameter".into()),
        (AbiType::F32 | AbiType::F64, Const::Float(v)) => Ok(v.to_bits()),
        (AbiType::F32 | AbiType::F64, Const::Int(v)) => Ok((v as f64).to_bits()),
        (AbiType::F32 | AbiType::F64, Const::Bool(b)) => Ok((b as u8 as f64).to_bits()),
        (AbiType::Bool, Const::Bool(b)) => Ok(b as u64),
        (AbiType::Bool, Const::Int(v)) => Ok((v != 0) as u64),
        (AbiType::Bool, Const::Float(v)) => Ok((v != 0.0) as u64),
        (_, _) => Err("unsupported default".into()),
    }
}

/// A default as the Python object the user wrote (new reference).
pub(crate) unsafe fn const_to_object(ty: AbiType, value: &Const) -> *mut ffi::PyObject {
    match *value {
        Const::Int(v) if ty == AbiType::U64 => ffi::PyLong_FromUnsignedLongLong(v as u64),
        Const::Int(v) => ffi::PyLong_FromLongLong(v),
        Const::Float(v) => ffi::PyFloat_FromDouble(v),
        Const::Bool(b) => ffi::PyBool_FromLong(b as c_long),
    }
}

/// A module constant as a Python object (new reference; null with an exception set).
pub(crate) unsafe fn const_object(c: &pycc_compiler::abi::ConstObj) -> *mut ffi::PyObject {
    use pycc_compiler::abi::ConstObj;
    match c {
        ConstObj::Str(s) => {
            let obj = ffi::PyUnicode_FromStringAndSize(s.as_ptr() as *const std::ffi::c_char, s.len() as ffi::Py_ssize_t);
            if !obj.is_null() {
                // Names and keys compare by identity first: intern them, as CPython does.
                let mut obj = obj;
                ffi::PyUnicode_InternInPlace(&mut obj);
                return obj;
            }
            obj
        }
        ConstObj::Bytes(b) => ffi::PyBytes_FromStringAndSize(b.as_ptr() as *const std::ffi::c_char, b.len() as ffi::Py_ssize_t),
        ConstObj::BigInt(digits) => match std::ffi::CString::new(digits.as_str()) {
            Ok(text) => ffi::PyLong_FromString(text.as_ptr(), null_mut(), 10),
            Err(_) => {
                raise(ffi::PyExc_SystemError, "pycc: a malformed integer constant");
                null_mut()
            }
        },
        ConstObj::None => {
            ffi::Py_INCREF(ffi::Py_None());
            ffi::Py_None()
        }
        // A placeholder: `function::build_functions` puts the function there.
        ConstObj::Func { .. } => {
            ffi::Py_INCREF(ffi::Py_None());
            ffi::Py_None()
        }
        ConstObj::Bool(b) => ffi::PyBool_FromLong(*b as c_long),
        ConstObj::Type(name) => {
            let ty: *mut ffi::PyTypeObject = match name.as_str() {
                "tuple" => &raw mut ffi::PyTuple_Type,
                "list" => &raw mut ffi::PyList_Type,
                "dict" => &raw mut ffi::PyDict_Type,
                "set" => &raw mut ffi::PySet_Type,
                "frozenset" => &raw mut ffi::PyFrozenSet_Type,
                "str" => &raw mut ffi::PyUnicode_Type,
                "bytes" => &raw mut ffi::PyBytes_Type,
                "bytearray" => &raw mut ffi::PyByteArray_Type,
                "int" => &raw mut ffi::PyLong_Type,
                "float" => &raw mut ffi::PyFloat_Type,
                "bool" => &raw mut ffi::PyBool_Type,
                _ => {
                    raise(ffi::PyExc_SystemError, "pycc: a constant of an unknown builtin type");
                    return null_mut();
                }
            };
            let obj = ty as *mut ffi::PyObject;
            ffi::Py_INCREF(obj);
            obj
        }
        ConstObj::Int(v) => ffi::PyLong_FromLongLong(*v),
        ConstObj::Float(bits) => ffi::PyFloat_FromDouble(f64::from_bits(*bits)),
        // Items are earlier constants: `const_object_in` is given them.
        ConstObj::Tuple(_) | ConstObj::List { .. } | ConstObj::Dict { .. } => {
            raise(ffi::PyExc_SystemError, "pycc: a constant tuple made without its items");
            null_mut()
        }
        ConstObj::StrTuple(items) => {
            let tuple = ffi::PyTuple_New(items.len() as ffi::Py_ssize_t);
            if tuple.is_null() {
                return tuple;
            }
            for (i, s) in items.iter().enumerate() {
                let item = const_object(&ConstObj::Str(s.clone()));
                if item.is_null() {
                    ffi::Py_DECREF(tuple);
                    return null_mut();
                }
                ffi::PyTuple_SetItem(tuple, i as ffi::Py_ssize_t, item);
            }
            tuple
        }
    }
}

/// A module constant, given the constants made before it (the items of a constant tuple
/// are earlier constants). New reference; null with an exception set.
pub(crate) unsafe fn const_object_in(c: &pycc_compiler::abi::ConstObj, made: &[*mut ffi::PyObject]) -> *mut ffi::PyObject {
    use pycc_compiler::abi::ConstObj;
    let item = |k: u32| -> *mut ffi::PyObject {
        match made.get(k as usize) {
            Some(&o) => o,
            None => {
                raise(ffi::PyExc_SystemError, "pycc: a constant's item is not an earlier constant");
                null_mut()
            }
        }
    };
    match c {
        ConstObj::List { items, .. } => {
            let list = ffi::PyList_New(0);
            for &k in items {
                let o = item(k);
                if list.is_null() || o.is_null() || ffi::PyList_Append(list, o) < 0 {
                    ffi::Py_XDECREF(list);
                    return null_mut();
                }
            }
            return list;
        }
        ConstObj::Dict { items, .. } => {
            let dict = ffi::PyDict_New();
            for pair in items.chunks(2) {
                let (key, value) = (item(pair[0]), pair.get(1).map_or(null_mut(), |&v| item(v)));
                if dict.is_null() || key.is_null() || value.is_null() || ffi::PyDict_SetItem(dict, key, value) < 0 {
                    ffi::Py_XDECREF(dict);
                    if !ffi::PyErr_Occurred().is_null() {
                        return null_mut();
                    }
                    raise(ffi::PyExc_SystemError, "pycc: a malformed dict constant");
                    return null_mut();
                }
            }
            return dict;
        }
        _ => {}
    }
    let ConstObj::Tuple(items) = c else { return const_object(c) };
    let tuple = ffi::PyTuple_New(items.len() as ffi::Py_ssize_t);
    if tuple.is_null() {
        return tuple;
    }
    for (i, &k) in items.iter().enumerate() {
        let Some(&item) = made.get(k as usize) else {
            ffi::Py_DECREF(tuple);
            raise(ffi::PyExc_SystemError, "pycc: a constant tuple's item is not an earlier constant");
            return null_mut();
        };
        ffi::Py_INCREF(item);
        ffi::PyTuple_SET_ITEM(tuple, i as ffi::Py_ssize_t, item);
    }
    tuple
}

/// The builtin type of a kind (`None` for `Any`: every object).
#[inline(always)]
fn kind_type(kind: ObjKind) -> Option<*mut ffi::PyTypeObject> {
    Some(match kind {
        ObjKind::Any => return None,
        ObjKind::Str => std::ptr::addr_of_mut!(ffi::PyUnicode_Type),
        ObjKind::Bytes => std::ptr::addr_of_mut!(ffi::PyBytes_Type),
        ObjKind::ByteArray => std::ptr::addr_of_mut!(ffi::PyByteArray_Type),
        ObjKind::List => std::ptr::addr_of_mut!(ffi::PyList_Type),
        ObjKind::Tuple => std::ptr::addr_of_mut!(ffi::PyTuple_Type),
        ObjKind::Dict => std::ptr::addr_of_mut!(ffi::PyDict_Type),
        ObjKind::Set => std::ptr::addr_of_mut!(ffi::PySet_Type),
        ObjKind::FrozenSet => std::ptr::addr_of_mut!(ffi::PyFrozenSet_Type),
    })
}

/// Whether `obj` is exactly of the kind's builtin type (`Any`: every object). Cython tests
/// builtin types exactly (`PyList_CheckExact`).
#[inline(always)]
pub(crate) unsafe fn is_kind(obj: *mut ffi::PyObject, kind: ObjKind) -> bool {
    kind_type(kind).is_none_or(|t| ffi::Py_TYPE(obj) == t)
}

/// Whether `obj` is an instance of the kind's type or of a subclass.
unsafe fn is_kind_or_subclass(obj: *mut ffi::PyObject, kind: ObjKind) -> bool {
    kind_type(kind).is_none_or(|t| ffi::Py_TYPE(obj) == t || ffi::PyType_IsSubtype(ffi::Py_TYPE(obj), t) != 0)
}

/// The C name of an object's type (`tp_name`), as Cython's messages print it.
pub(crate) unsafe fn type_name(obj: *mut ffi::PyObject) -> String {
    CStr::from_ptr((*ffi::Py_TYPE(obj)).tp_name).to_string_lossy().into_owned()
}

/// Cython's `__Pyx_ArgTypeTest` failing: `Argument 'xs' has incorrect type (expected list,
/// got tuple)`; for an annotated parameter given a subclass, Cython (on Python < 3.12) adds
/// its note to the message.
#[cold]
unsafe fn wrong_kind(param: &ParamSpec, o: ObjAbi, obj: *mut ffi::PyObject) -> Option<Slot> {
    raise_wrong_kind(&param.name, o, obj);
    None
}

/// Raises the `TypeError` of [`wrong_kind`] for the parameter `name`.
#[cold]
pub(crate) unsafe fn raise_wrong_kind(name: &str, o: ObjAbi, obj: *mut ffi::PyObject) {
    let mut msg = format!("Argument '{name}' has incorrect type (expected {}, got {})", o.kind.name(), type_name(obj));
    if o.annotated && obj != ffi::Py_None() && is_kind_or_subclass(obj, o.kind) {
        msg.push_str(
            ". Note that Cython is deliberately stricter than PEP-484 and rejects subclasses of builtin types. \
             If you need to pass subclasses then set the 'annotation_typing' directive to False.",
        );
    }
    raise(ffi::PyExc_TypeError, &msg);
}

/// The index of the parameter named `key`: pointer equality with the interned names first
/// (keywords written in source are interned), then string comparison.
#[inline]
pub(crate) unsafe fn keyword_index(params: &[ParamSpec], key: *mut ffi::PyObject) -> Option<usize> {
    if let Some(i) = params.iter().position(|p| p.key == key) {
        return Some(i);
    }
    if ffi::PyUnicode_Check(key) == 0 {
        return None;
    }
    params.iter().position(|p| ffi::PyUnicode_Compare(p.key, key) == 0)
}

/// `f() takes 2 positional arguments but 3 were given` (CPython's `too_many_positional`;
/// `kwonly` holds the keyword-only parameters' arguments, counted when given).
#[cold]
pub(crate) unsafe fn too_many_positional(data: &FuncData, given: usize, kwonly: &[*mut ffi::PyObject]) -> *mut ffi::PyObject {
    let argcount = data.n_positional;
    let (sig, plural) = if data.n_defaults > 0 {
        (format!("from {} to {argcount}", argcount - data.n_defaults), true)
    } else {
        (argcount.to_string(), argcount != 1)
    };
    let kwonly_given = kwonly.iter().filter(|o| !o.is_null()).count();
    let kwonly_sig = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {kwonly_given} keyword-only argument{})",
            if given != 1 { "s" } else { "" },
            if kwonly_given != 1 { "s" } else { "" }
        )
    } else {
        String::new()
    };
    let msg = format!(
        "{}() takes {sig} positional argument{} but {given}{kwonly_sig} {} given",
        data.name,
        if plural { "s" } else { "" },
        if given == 1 && kwonly_given == 0 { "was" } else { "were" }
    );
    raise(ffi::PyExc_TypeError, &msg);
    null_mut()
}

/// `f() got an unexpected keyword argument 'z'` (or `keywords must be strings`).
#[cold]
pub(crate) unsafe fn unexpected_keyword(data: &FuncData, key: *mut ffi::PyObject) -> *mut ffi::PyObject {
    if ffi::PyUnicode_Check(key) == 0 {
        raise(ffi::PyExc_TypeError, &format!("{}() keywords must be strings", data.name));
        return null_mut();
    }
    let key_text = str_of(key);
    raise(ffi::PyExc_TypeError, &format!("{}() got an unexpected keyword argument '{key_text}'", data.name));
    null_mut()
}

/// `f() got some positional-only arguments passed as keyword arguments: 'a, b'` when a
/// keyword names a positional-only parameter (CPython's `positional_only_passed_as_keyword`,
/// raised in place of "unexpected keyword"); false (nothing raised) when none does.
#[cold]
pub(crate) unsafe fn positional_only_as_keyword(data: &FuncData, kwnames: *mut ffi::PyObject) -> bool {
    let nkw = ffi::PyTuple_GET_SIZE(kwnames);
    let mut names = Vec::new();
    for p in &data.params[..data.n_posonly] {
        for k in 0..nkw {
            let key = ffi::PyTuple_GET_ITEM(kwnames, k);
            if key == p.key || (ffi::PyUnicode_Check(key) != 0 && ffi::PyUnicode_Compare(p.key, key) == 0) {
                names.push(p.name.clone());
            }
        }
    }
    if names.is_empty() {
        return false;
    }
    let msg = format!("{}() got some positional-only arguments passed as keyword arguments: '{}'", data.name, names.join(", "));
    raise(ffi::PyExc_TypeError, &msg);
    true
}

/// `f() got multiple values for argument 'x'`.
#[cold]
pub(crate) unsafe fn multiple_values(data: &FuncData, index: usize) -> *mut ffi::PyObject {
    let name = &data.params[index].name;
    raise(ffi::PyExc_TypeError, &format!("{}() got multiple values for argument '{name}'", data.name));
    null_mut()
}

/// `f() missing 2 required positional arguments: 'x' and 'y'` (CPython's `format_missing`):
/// `bound` holds the arguments of the parameters from index `first` on, `kind` is
/// `positional` or `keyword-only`.
#[cold]
pub(crate) unsafe fn missing_arguments(data: &FuncData, bound: &[*mut ffi::PyObject], first: usize, kind: &str) -> *mut ffi::PyObject {
    let names: Vec<String> = data.params[first..]
        .iter()
        .zip(bound)
        .filter(|(p, obj)| obj.is_null() && p.default_slot.is_none())
        .map(|(p, _)| format!("'{}'", p.name))
        .collect();
    let listed = match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., a, b] => format!("{}, {a}, and {b}", init.join(", ")),
    };
    let msg = format!(
        "{}() missing {} required {kind} argument{}: {listed}",
        data.name,
        names.len(),
        if names.len() == 1 { "" } else { "s" }
    );
    raise(ffi::PyExc_TypeError, &msg);
    null_mut()
}

/// Converts one argument into its slot; None with a Python exception set.
#[inline(always)]
pub(crate) unsafe fn arg_to_slot(data: &FuncData, param: &ParamSpec, obj: *mut ffi::PyObject) -> Option<Slot> {
    match param.ty {
        AbiType::F64 | AbiType::F32 => float_arg(data, param, obj).map(f64::to_bits),
        AbiType::Bool => match ffi::PyObject_IsTrue(obj) {
            t if t < 0 => None,
            t => Some(t as Slot),
        },
        AbiType::Void => {
            raise(ffi::PyExc_SystemError, "pycc: a parameter of type void");
            None
        }
        AbiType::View(_) => {
            raise(ffi::PyExc_SystemError, "pycc: memoryview parameters are not supported by this runtime");
            None
        }
        // Borrowed for the call (the caller's reference keeps it alive).
        AbiType::Object(o) => {
            if o.kind == ObjKind::Any || is_kind(obj, o.kind) || (o.none_ok && obj == ffi::Py_None()) {
                Some(obj as Slot)
            } else {
                wrong_kind(param, o, obj)
            }
        }
        _ => int_arg(data, param, obj),
    }
}

#[inline(always)]
unsafe fn int_arg(data: &FuncData, param: &ParamSpec, obj: *mut ffi::PyObject) -> Option<Slot> {
    if ffi::PyLong_Check(obj) != 0 {
        return int_value(data, param, obj);
    }
    if ffi::PyFloat_Check(obj) == 0 && has_index(obj) {
        let index = ffi::PyNumber_Index(obj);
        if index.is_null() {
            return None;
        }
        let res = int_value(data, param, index);
        ffi::Py_DECREF(index);
        return res;
    }
    wrong_type(data, param, "int", obj)
}

/// The value of an `int` of at most one digit (|v| < 2**30), read from CPython's layout
/// without a call, as Cython's `__Pyx_PyLong_CompactValue` does; None for larger ones.
#[inline(always)]
unsafe fn compact_value(obj: *mut ffi::PyObject) -> Option<i64> {
    #[cfg(all(Py_3_12, not(any(Py_LIMITED_API, PyPy, GraalPy))))]
    {
        // Objects/longobject.c (3.12+): `lv_tag` = ndigits << 3 | sign (0 +, 1 zero, 2 -).
        #[repr(C)]
        struct Long {
            ob_base: ffi::PyObject,
            lv_tag: usize,
            digit0: u32,
        }
        let long = obj as *const Long;
        let tag = (*long).lv_tag;
        if tag < (2 << 3) {
            let sign = 1 - (tag & 3) as i64;
            return Some(sign * (*long).digit0 as i64);
        }
        None
    }
    #[cfg(all(not(Py_3_12), not(any(Py_LIMITED_API, PyPy, GraalPy))))]
    {
        // Include/longintrepr.h (3.9-3.11): `ob_size` is the signed digit count.
        #[repr(C)]
        struct Long {
            ob_base: ffi::PyVarObject,
            digit0: u32,
        }
        let long = obj as *const Long;
        match (*long).ob_base.ob_size {
            0 => Some(0),
            1 => Some((*long).digit0 as i64),
            -1 => Some(-((*long).digit0 as i64)),
            _ => None,
        }
    }
    #[cfg(any(Py_LIMITED_API, PyPy, GraalPy))]
    {
        let _ = obj;
        None
    }
}

/// A Python `int` (or subclass) into the parameter's C type, range-checked.
#[inline(always)]
unsafe fn int_value(data: &FuncData, param: &ParamSpec, obj: *mut ffi::PyObject) -> Option<Slot> {
    if let Some(v) = compact_value(obj) {
        if let Some((lo, hi)) = param.range {
            if v >= lo && v <= hi {
                return Some(v as Slot);
            }
        } else {
            return Some(v as Slot);
        }
    }
    int_value_slow(data, param, obj)
}

#[inline(never)]
unsafe fn int_value_slow(data: &FuncData, param: &ParamSpec, obj: *mut ffi::PyObject) -> Option<Slot> {
    let mut overflow = 0;
    let v = ffi::PyLong_AsLongLongAndOverflow(obj, &mut overflow);
    if overflow == 0 {
        if v == -1 && !ffi::PyErr_Occurred().is_null() {
            return None;
        }
        if param.ty == AbiType::I64 {
            return Some(v as Slot);
        }
        let (lo, hi) = param.ty.int_range().unwrap_or((i64::MIN as i128, i64::MAX as i128));
        if (lo..=hi).contains(&(v as i128)) {
            return Some(v as Slot);
        }
        return out_of_range(data, param, obj, v < 0 && lo == 0);
    }
    if overflow > 0 && param.ty == AbiType::U64 {
        let u = ffi::PyLong_AsUnsignedLongLong(obj);
        if u == u64::MAX && !ffi::PyErr_Occurred().is_null() {
            ffi::PyErr_Clear();
            return out_of_range(data, param, obj, false);
        }
        return Some(u);
    }
    let unsigned = matches!(param.ty.int_range(), Some((0, _)));
    out_of_range(data, param, obj, overflow < 0 && unsigned)
}

unsafe fn has_index(obj: *mut ffi::PyObject) -> bool {
    let nb = (*ffi::Py_TYPE(obj)).tp_as_number;
    !nb.is_null() && (*nb).nb_index.is_some()
}

unsafe fn has_float(obj: *mut ffi::PyObject) -> bool {
    let nb = (*ffi::Py_TYPE(obj)).tp_as_number;
    !nb.is_null() && ((*nb).nb_float.is_some() || (*nb).nb_index.is_some())
}

#[inline(always)]
unsafe fn float_arg(data: &FuncData, param: &ParamSpec, obj: *mut ffi::PyObject) -> Option<f64> {
    if ffi::PyFloat_CheckExact(obj) != 0 {
        return Some(ffi::PyFloat_AS_DOUBLE(obj));
    }
    // Exact ints only: a subclass may define `__float__`, which `PyFloat_AsDouble` calls
    // (as `math.sqrt` and Cython do).
    if ffi::PyLong_CheckExact(obj) != 0 {
        let v = ffi::PyLong_AsDouble(obj);
        if v == -1.0 && !ffi::PyErr_Occurred().is_null() {
            ffi::PyErr_Clear();
            raise(
                ffi::PyExc_OverflowError,
                &format!("{}() argument '{}': int too large to convert to {}", data.name, param.name, param.ty_name),
            );
            return None;
        }
        return Some(v);
    }
    if has_float(obj) {
        let v = ffi::PyFloat_AsDouble(obj);
        if v == -1.0 && !ffi::PyErr_Occurred().is_null() {
            return None;
        }
        return Some(v);
    }
    wrong_type(data, param, "float", obj)
}

/// `f() argument 'x' must be int, not float`.
#[cold]
unsafe fn wrong_type<T>(data: &FuncData, param: &ParamSpec, expected: &str, obj: *mut ffi::PyObject) -> Option<T> {
    let got = CStr::from_ptr((*ffi::Py_TYPE(obj)).tp_name).to_string_lossy();
    raise(ffi::PyExc_TypeError, &format!("{}() argument '{}' must be {expected}, not {got}", data.name, param.name));
    None
}

/// `f() argument 'x': value 300 out of range for unsigned char`, or, for a negative value
/// into an unsigned type, `... can't convert negative value -1 to unsigned int` (Cython's).
#[cold]
unsafe fn out_of_range<T>(data: &FuncData, param: &ParamSpec, obj: *mut ffi::PyObject, negative_to_unsigned: bool) -> Option<T> {
    let value = str_of(obj);
    let msg = if negative_to_unsigned {
        format!("{}() argument '{}': can't convert negative value {value} to {}", data.name, param.name, param.ty_name)
    } else {
        format!("{}() argument '{}': value {value} out of range for {}", data.name, param.name, param.ty_name)
    };
    raise(ffi::PyExc_OverflowError, &msg);
    None
}

/// `str(obj)` as Rust text, for messages; never fails (clears any error).
pub(crate) unsafe fn str_of(obj: *mut ffi::PyObject) -> String {
    let s = ffi::PyObject_Str(obj);
    if s.is_null() {
        ffi::PyErr_Clear();
        return "<unprintable>".to_string();
    }
    let mut len: ffi::Py_ssize_t = 0;
    let p = ffi::PyUnicode_AsUTF8AndSize(s, &mut len);
    let text = if p.is_null() {
        ffi::PyErr_Clear();
        "<unprintable>".to_string()
    } else {
        String::from_utf8_lossy(std::slice::from_raw_parts(p as *const u8, len as usize)).into_owned()
    };
    ffi::Py_DECREF(s);
    text
}

/// The entry's result slot as a Python object (new reference).
#[inline]
pub(crate) unsafe fn slot_to_object(ty: AbiType, slot: Slot) -> *mut ffi::PyObject {
    match ty {
        AbiType::I64 => ffi::PyLong_FromLongLong(slot as i64),
        AbiType::I32 => ffi::PyLong_FromLong(slot as u32 as i32 as c_long),
        AbiType::I16 => ffi::PyLong_FromLong(slot as u16 as i16 as c_long),
        AbiType::I8 => ffi::PyLong_FromLong(slot as u8 as i8 as c_long),
        AbiType::U64 => ffi::PyLong_FromUnsignedLongLong(slot),
        AbiType::U32 => ffi::PyLong_FromLongLong(slot as u32 as i64),
        AbiType::U16 => ffi::PyLong_FromLong(slot as u16 as c_long),
        AbiType::U8 => ffi::PyLong_FromLong(slot as u8 as c_long),
        // F32 results are widened to f64 in the slot (see `abi::Slot`).
        AbiType::F64 | AbiType::F32 => ffi::PyFloat_FromDouble(f64::from_bits(slot)),
        AbiType::Bool => ffi::PyBool_FromLong((slot != 0) as c_long),
        AbiType::Void => {
            let none = ffi::Py_None();
            ffi::Py_INCREF(none);
            none
        }
        // The view's owner, a new reference (see `abi::AbiType::View`).
        AbiType::View(_) if slot != 0 => slot as *mut ffi::PyObject,
        AbiType::View(_) => {
            ffi::PyErr_SetString(ffi::PyExc_TypeError, c"pycc: the returned memoryview has no Python object to return".as_ptr());
            null_mut()
        }
        // A new reference (see `abi::AbiType::Object`).
        AbiType::Object(_) if slot != 0 => slot as *mut ffi::PyObject,
        AbiType::Object(_) => {
            ffi::PyErr_SetString(ffi::PyExc_SystemError, c"pycc: a compiled function returned a null object".as_ptr());
            null_mut()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_slot_of(ty: AbiType, c: &Const) -> Result<Slot, String> {
        default_slot(ty, &ParamDefault::Const(*c), &[])
    }

    #[test]
    fn defaults_are_range_checked_into_their_slot() {
        assert_eq!(default_slot_of(AbiType::I8, &Const::Int(-1)), Ok(u64::MAX));
        assert!(default_slot_of(AbiType::U8, &Const::Int(256)).is_err());
        assert!(default_slot_of(AbiType::U8, &Const::Int(-1)).is_err());
        assert_eq!(default_slot_of(AbiType::U64, &Const::Int(-1)), Ok(u64::MAX));
        assert_eq!(default_slot_of(AbiType::F64, &Const::Int(2)), Ok(2.0f64.to_bits()));
        assert_eq!(default_slot_of(AbiType::F32, &Const::Float(0.5)), Ok(0.5f64.to_bits()));
        assert_eq!(default_slot_of(AbiType::Bool, &Const::Int(5)), Ok(1));
        assert!(default_slot_of(AbiType::I32, &Const::Float(1.0)).is_err());
        assert!(default_slot_of(AbiType::Void, &Const::Int(0)).is_err());
    }
}
