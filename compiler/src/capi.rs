//! The C API as data: every CPython function that compiled code may call, with its ABI
//! signature, how it reports failure and what it does to references. The object layer
//! (ARCHITECTURE.md, "Python objects") emits calls from this table and nothing else knows
//! these facts; a wrong entry is a one-line fix here, and `tests/python/test_capi_table.py`
//! checks every entry against the prototypes in the running interpreter's headers.
//!
//! The compiler never links or imports Python: like an assembler, it knows names and
//! signatures. Consumed by the object layer's codegen (not yet written; see issue 8).

/// A C parameter type, as far as the calling convention cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CArg {
    /// `PyObject *`.
    Obj,
    /// `const char *` (a NUL-terminated UTF-8 string in the object's data).
    CStr,
    Int,
    Long,
    LongLong,
    ULongLong,
    Ssize,
    Double,
    /// `size_t` (the `nargsf` of vectorcall).
    SizeT,
    /// Any other pointer (`PyObject *const *` argument arrays).
    Ptr,
}

/// What a function returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CRet {
    /// `PyObject *`, a new reference the caller owns.
    NewRef,
    /// `PyObject *`, borrowed: valid while its container lives; never released.
    Borrowed,
    Int,
    Long,
    LongLong,
    ULongLong,
    Ssize,
    Double,
    Void,
}

/// How a function reports that it failed (a Python exception is then set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fails {
    /// Returns NULL, and NULL only on error.
    Null,
    /// Returns NULL on error, and also NULL without an exception for "no result" (the end
    /// of an iterator, a missing dict key): the caller tests `PyErr_Occurred`.
    NullMaybeError,
    /// Returns -1, and -1 only on error.
    MinusOne,
    /// Returns -1 (or `(unsigned)-1`, `-1.0`) on error, but that is also a valid result:
    /// the caller tests `PyErr_Occurred` when it sees it.
    MinusOneMaybeError,
    /// Cannot fail.
    Never,
}

/// One C-API function.
#[derive(Clone, Copy, Debug)]
pub struct CApiFn {
    pub name: &'static str,
    pub args: &'static [CArg],
    pub ret: CRet,
    pub fails: Fails,
    /// Bit `k` set: the function steals the reference passed as argument `k`.
    pub steals: u8,
}

const fn f(name: &'static str, args: &'static [CArg], ret: CRet, fails: Fails) -> CApiFn {
    CApiFn { name, args, ret, fails, steals: 0 }
}

const fn stealing(name: &'static str, args: &'static [CArg], ret: CRet, fails: Fails, steals: u8) -> CApiFn {
    CApiFn { name, args, ret, fails, steals }
}

use crate::tir::{IntKind, Ty};
use CArg::{CStr, Double, Int, LongLong, Obj, Ptr, Ssize, ULongLong};
use CRet::{Borrowed, NewRef};
use Fails::{MinusOne, MinusOneMaybeError, Never, Null, NullMaybeError};

const O: &[CArg] = &[Obj];
const OO: &[CArg] = &[Obj, Obj];
const OOO: &[CArg] = &[Obj, Obj, Obj];

/// The table. Sorted by family; names are unique (a unit test checks).
pub static C_API: &[CApiFn] = &[
    // References.
    f("Py_IncRef", O, CRet::Void, Never),
    f("Py_DecRef", O, CRet::Void, Never),
    // What `Py_DECREF` calls when the count reaches zero (the inlined form, 3.11).
    f("_Py_Dealloc", O, CRet::Void, Never),
    // The number protocol: `a + b` and friends, with Python's dispatch and errors.
    f("PyNumber_Add", OO, NewRef, Null),
    f("PyNumber_Subtract", OO, NewRef, Null),
    f("PyNumber_Multiply", OO, NewRef, Null),
    f("PyNumber_TrueDivide", OO, NewRef, Null),
    f("PyNumber_FloorDivide", OO, NewRef, Null),
    f("PyNumber_Remainder", OO, NewRef, Null),
    f("PyNumber_Power", OOO, NewRef, Null),
    f("PyNumber_Lshift", OO, NewRef, Null),
    f("PyNumber_Rshift", OO, NewRef, Null),
    f("PyNumber_And", OO, NewRef, Null),
    f("PyNumber_Or", OO, NewRef, Null),
    f("PyNumber_Xor", OO, NewRef, Null),
    f("PyNumber_MatrixMultiply", OO, NewRef, Null),
    f("PyNumber_InPlaceAdd", OO, NewRef, Null),
    f("PyNumber_InPlaceSubtract", OO, NewRef, Null),
    f("PyNumber_InPlaceMultiply", OO, NewRef, Null),
    f("PyNumber_InPlaceTrueDivide", OO, NewRef, Null),
    f("PyNumber_InPlaceFloorDivide", OO, NewRef, Null),
    f("PyNumber_InPlaceRemainder", OO, NewRef, Null),
    f("PyNumber_InPlacePower", OOO, NewRef, Null),
    f("PyNumber_InPlaceLshift", OO, NewRef, Null),
    f("PyNumber_InPlaceRshift", OO, NewRef, Null),
    f("PyNumber_InPlaceAnd", OO, NewRef, Null),
    f("PyNumber_InPlaceOr", OO, NewRef, Null),
    f("PyNumber_InPlaceXor", OO, NewRef, Null),
    f("PyNumber_Negative", O, NewRef, Null),
    f("PyNumber_Positive", O, NewRef, Null),
    f("PyNumber_Invert", O, NewRef, Null),
    f("PyNumber_Absolute", O, NewRef, Null),
    f("PyNumber_Index", O, NewRef, Null),
    f("PyNumber_Long", O, NewRef, Null),
    f("PyNumber_Float", O, NewRef, Null),
    // The object protocol.
    f("PyObject_RichCompare", &[Obj, Obj, Int], NewRef, Null),
    f("PyObject_RichCompareBool", &[Obj, Obj, Int], CRet::Int, MinusOne),
    f("PyObject_IsTrue", O, CRet::Int, MinusOne),
    f("PyObject_Not", O, CRet::Int, MinusOne),
    f("PyObject_IsInstance", OO, CRet::Int, MinusOne),
    f("PyObject_Hash", O, CRet::Ssize, MinusOne),
    f("PyObject_Size", O, CRet::Ssize, MinusOne),
    f("PyObject_Repr", O, NewRef, Null),
    f("PyObject_Str", O, NewRef, Null),
    f("PyObject_ASCII", O, NewRef, Null),
    f("PyObject_Format", OO, NewRef, Null),
    f("PyObject_Type", O, NewRef, Null),
    f("PyObject_GetAttr", OO, NewRef, Null),
    f("PyObject_SetAttr", OOO, CRet::Int, MinusOne),
    f("PyObject_GetItem", OO, NewRef, Null),
    f("PyObject_SetItem", OOO, CRet::Int, MinusOne),
    f("PyObject_DelItem", OO, CRet::Int, MinusOne),
    f("PyObject_GetIter", O, NewRef, Null),
    f("PyIter_Next", O, NewRef, NullMaybeError),
    f("PySequence_Contains", OO, CRet::Int, MinusOne),
    f("PySequence_SetItem", &[Obj, Ssize, Obj], CRet::Int, MinusOne),
    // Calls: `f(*args)` as a vector (`PY_VECTORCALL_ARGUMENTS_OFFSET` allowed), with
    // keyword names as a tuple; and the general form with a tuple and a dict.
    f("PyObject_Vectorcall", &[Obj, Ptr, CArg::SizeT, Obj], NewRef, Null),
    f("PyObject_VectorcallMethod", &[Obj, Ptr, CArg::SizeT, Obj], NewRef, Null),
    f("PyObject_Call", OOO, NewRef, Null),
    f("PyObject_CallObject", OO, NewRef, Null),
    // Numbers.
    f("PyLong_FromLongLong", &[LongLong], NewRef, Null),
    f("PyLong_FromUnsignedLongLong", &[ULongLong], NewRef, Null),
    f("PyLong_FromSsize_t", &[Ssize], NewRef, Null),
    f("PyLong_FromDouble", &[Double], NewRef, Null),
    f("PyLong_AsLongLong", O, CRet::LongLong, MinusOneMaybeError),
    f("PyLong_AsUnsignedLongLong", O, CRet::ULongLong, MinusOneMaybeError),
    f("PyLong_AsSsize_t", O, CRet::Ssize, MinusOneMaybeError),
    f("PyLong_AsDouble", O, CRet::Double, MinusOneMaybeError),
    f("PyFloat_FromDouble", &[Double], NewRef, Null),
    f("PyFloat_AsDouble", O, CRet::Double, MinusOneMaybeError),
    f("PyBool_FromLong", &[CArg::Long], NewRef, Never),
    // Containers. `PyList_SetItem` and `PyTuple_SetItem` steal the item, even on failure.
    f("PyList_New", &[Ssize], NewRef, Null),
    f("PyList_Append", OO, CRet::Int, MinusOne),
    stealing("PyList_SetItem", &[Obj, Ssize, Obj], CRet::Int, MinusOne, 1 << 2),
    f("PyList_GetItem", &[Obj, Ssize], Borrowed, Null),
    f("PyList_AsTuple", O, NewRef, Null),
    f("PyList_Size", O, CRet::Ssize, MinusOne),
    f("PyTuple_New", &[Ssize], NewRef, Null),
    stealing("PyTuple_SetItem", &[Obj, Ssize, Obj], CRet::Int, MinusOne, 1 << 2),
    f("PyTuple_GetItem", &[Obj, Ssize], Borrowed, Null),
    f("PyTuple_Size", O, CRet::Ssize, MinusOne),
    f("PyDict_New", &[], NewRef, Null),
    f("PyDict_SetItem", OOO, CRet::Int, MinusOne),
    f("PyDict_GetItemWithError", OO, Borrowed, NullMaybeError),
    f("PyDict_DelItem", OO, CRet::Int, MinusOne),
    f("PyDict_Size", O, CRet::Ssize, MinusOne),
    f("PyDict_Contains", OO, CRet::Int, MinusOne),
    f("PySet_New", O, NewRef, Null),
    f("PySet_Add", OO, CRet::Int, MinusOne),
    f("PySet_Size", O, CRet::Ssize, MinusOne),
    f("PySet_Contains", OO, CRet::Int, MinusOne),
    f("PySlice_New", OOO, NewRef, Null),
    // Strings.
    f("PyUnicode_FromStringAndSize", &[CStr, Ssize], NewRef, Null),
    f("PyUnicode_InternFromString", &[CStr], NewRef, Null),
    f("PyUnicode_Concat", OO, NewRef, Null),
    f("PyUnicode_Join", OO, NewRef, Null),
    f("PyBytes_FromStringAndSize", &[CStr, Ssize], NewRef, Null),
    f("PyBytes_Size", O, CRet::Ssize, MinusOne),
    f("PyByteArray_Size", O, CRet::Ssize, MinusOne),
    f("PyUnicode_GetLength", O, CRet::Ssize, MinusOne),
    // Names and errors.
    f("PyEval_GetBuiltins", &[], Borrowed, Never),
    f("PyImport_ImportModule", &[CStr], NewRef, Null),
    // `import a.b` / `from a import b` (name, globals, locals, fromlist, level).
    f("PyImport_ImportModuleLevelObject", &[Obj, Obj, Obj, Obj, Int], NewRef, Null),
    f("PyErr_Occurred", &[], Borrowed, Never),
];

/// Where compiled code reads an object's fields without a call, as Cython's C does through
/// CPython's macros (`Py_TYPE`, `Py_SIZE`, `PyTuple_GET_ITEM`, `PyList_GET_ITEM`,
/// `PyFloat_AS_DOUBLE`): byte offsets in the 64-bit object structs, the same in CPython 3.8
/// to 3.13 (a `Py_TRACE_REFS` build differs). The one place these facts live;
/// `tests/python/test_capi_table.py` checks them against the running interpreter.
pub mod layout {
    use crate::tir::Field;

    /// `PyTupleObject.ob_item`: the items, inline after the header.
    pub const TUPLE_ITEMS: i32 = 24;
    /// `PyListObject.ob_item`: a pointer to the items.
    pub const LIST_ITEMS: i32 = 24;

    /// The byte offset of `field` in the objects that have it.
    pub const fn offset(field: Field) -> i32 {
        match field {
            // `PyObject.ob_type`, after `ob_refcnt`.
            Field::Type => 8,
            // `PyVarObject.ob_size`; `PyDictObject.ma_used`; `PyFloatObject.ob_fval`.
            Field::VarSize | Field::DictUsed | Field::FloatValue => 16,
            // `PySetObject.used`, after `fill`.
            Field::SetUsed => 24,
        }
    }
}

impl CRet {
    /// The TIR type of the result.
    pub fn ty(self) -> Ty {
        match self {
            CRet::NewRef | CRet::Borrowed => Ty::OBJECT,
            CRet::Int => Ty::Int(IntKind::Int),
            CRet::Long => Ty::Int(IntKind::Long),
            CRet::LongLong => Ty::Int(IntKind::LongLong),
            CRet::ULongLong => Ty::Int(IntKind::ULongLong),
            CRet::Ssize => Ty::Int(IntKind::SSizeT),
            CRet::Double => Ty::DOUBLE,
            CRet::Void => Ty::Void,
        }
    }
}

impl CArg {
    /// The TIR type of the parameter (`None`: pointers, which TIR has no type for).
    pub fn ty(self) -> Option<Ty> {
        Some(match self {
            CArg::Obj => Ty::OBJECT,
            CArg::Int => Ty::Int(IntKind::Int),
            CArg::Long => Ty::Int(IntKind::Long),
            CArg::LongLong => Ty::Int(IntKind::LongLong),
            CArg::ULongLong => Ty::Int(IntKind::ULongLong),
            CArg::Ssize => Ty::Int(IntKind::SSizeT),
            CArg::SizeT => Ty::Int(IntKind::SizeT),
            CArg::Double => Ty::DOUBLE,
            CArg::CStr | CArg::Ptr => return None,
        })
    }
}

/// What `check::objects::capi` uses for a name missing from the table (a pycc bug):
/// `tir::validate` refuses it, so it never reaches codegen.
pub static MISSING: CApiFn = f("<missing from the C-API table>", &[], CRet::Void, Never);

/// The entry named `name`.
pub fn lookup(name: &str) -> Option<&'static CApiFn> {
    C_API.iter().find(|entry| entry.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_consistent() {
        let mut names: Vec<&str> = C_API.iter().map(|e| e.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), C_API.len(), "duplicate names in the C-API table");
        for e in C_API {
            let pointer = matches!(e.ret, CRet::NewRef | CRet::Borrowed);
            match e.fails {
                Fails::Null | Fails::NullMaybeError => assert!(pointer, "{}: NULL failure needs a pointer result", e.name),
                Fails::MinusOne => assert!(matches!(e.ret, CRet::Int | CRet::Ssize), "{}: -1 failure needs an integer result", e.name),
                Fails::MinusOneMaybeError => assert!(!pointer && e.ret != CRet::Void, "{}", e.name),
                Fails::Never => {}
            }
            for k in 0..8 {
                if e.steals & (1 << k) != 0 {
                    assert_eq!(e.args.get(k), Some(&CArg::Obj), "{}: steals a non-object argument {k}", e.name);
                }
            }
        }
        assert!(lookup("PyNumber_Add").is_some() && lookup("PyNumber_Nope").is_none());
    }
}
