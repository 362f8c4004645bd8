//! `Ty`: pycc's types. (Cranelift's are `types::Type`; the two are never aliased.)
//!
//! Widths are those of x86-64 Linux (LP64). Typed memoryviews are `Ty::View`. Python objects are
//! `Ty::Object` with an `ObjKind`. Later kinds (structs, extension classes) are new variants here, each with its `AbiType`.

use std::fmt;

/// Integer types. `PyInt` is a Python `int` annotation: 64-bit, and never wraps silently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntKind {
    Char,
    SChar,
    UChar,
    Short,
    UShort,
    Int,
    UInt,
    Long,
    ULong,
    LongLong,
    ULongLong,
    SSizeT,
    SizeT,
    PyInt,
}

impl IntKind {
    pub fn bits(self) -> u32 {
        use IntKind::*;
        match self {
            Char | SChar | UChar => 8,
            Short | UShort => 16,
            Int | UInt => 32,
            Long | ULong | LongLong | ULongLong | SSizeT | SizeT | PyInt => 64,
        }
    }

    /// `char` is signed on x86-64 Linux.
    pub fn signed(self) -> bool {
        use IntKind::*;
        !matches!(self, UChar | UShort | UInt | ULong | ULongLong | SizeT)
    }

    /// Arithmetic on this type raises OverflowError instead of wrapping.
    pub fn checked(self) -> bool {
        self == IntKind::PyInt
    }

    /// C's integer conversion rank, for the usual arithmetic conversions.
    pub fn rank(self) -> u32 {
        use IntKind::*;
        match self {
            Char | SChar | UChar => 1,
            Short | UShort => 2,
            Int | UInt => 3,
            Long | ULong | SSizeT | SizeT => 4,
            LongLong | ULongLong => 5,
            PyInt => 6,
        }
    }

    pub fn min_value(self) -> i128 {
        if self.signed() { -(1i128 << (self.bits() - 1)) } else { 0 }
    }

    pub fn max_value(self) -> i128 {
        if self.signed() { (1i128 << (self.bits() - 1)) - 1 } else { (1i128 << self.bits()) - 1 }
    }

    pub fn name(self) -> &'static str {
        use IntKind::*;
        match self {
            Char => "char",
            SChar => "signed char",
            UChar => "unsigned char",
            Short => "short",
            UShort => "unsigned short",
            Int => "int",
            UInt => "unsigned int",
            Long => "long",
            ULong => "unsigned long",
            LongLong => "long long",
            ULongLong => "unsigned long long",
            SSizeT => "Py_ssize_t",
            SizeT => "size_t",
            PyInt => "int (Python)",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatKind {
    /// C `float`, 32 bits.
    Float,
    /// C `double` and Python `float`.
    Double,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    Int(IntKind),
    Float(FloatKind),
    /// `bint` / Python `bool`.
    Bool,
    /// The return type of a function without a value (`None` to Python).
    Void,
    /// A typed memoryview (`double[:, ::1]`): a pointer to an `abi::ViewDesc` (the
    /// caller's for a parameter, the function's own for an array it created). As a return
    /// type, the function returns the view's owner object instead (see `StmtKind::Return`).
    View(ViewTy),
    /// A Python object: a `PyObject *` (`object`, untyped parameters and locals, and every
    /// Python operation's result). How references to it are owned is the TIR's rule (see
    /// `ExprKind::CApi` and `check/refs.rs`). The kind is what the checker knows of the
    /// object's type (`cdef list xs`, `xs: list`, a list display): `None` or an object of
    /// exactly that builtin type. Every kind has one representation, so code that only
    /// cares that a value is an object matches `Ty::Object(_)`.
    Object(ObjKind),
}

/// The builtin type a Python object is known to have (besides `None`, which every kind
/// allows: Cython's rule for `cdef list xs` and `def f(list xs)`). Cython tests these types
/// exactly (`PyList_CheckExact`): a subclass is not a `list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjKind {
    /// Any object.
    Any,
    Str,
    Bytes,
    ByteArray,
    List,
    Tuple,
    Dict,
    Set,
    FrozenSet,
}

impl ObjKind {
    pub const ALL: &'static [ObjKind] =
        &[ObjKind::Any, ObjKind::Str, ObjKind::Bytes, ObjKind::ByteArray, ObjKind::List, ObjKind::Tuple, ObjKind::Dict, ObjKind::Set, ObjKind::FrozenSet];

    /// The Python name of the type (`object` for `Any`), as messages and annotations spell it.
    pub fn name(self) -> &'static str {
        match self {
            ObjKind::Any => "object",
            ObjKind::Str => "str",
            ObjKind::Bytes => "bytes",
            ObjKind::ByteArray => "bytearray",
            ObjKind::List => "list",
            ObjKind::Tuple => "tuple",
            ObjKind::Dict => "dict",
            ObjKind::Set => "set",
            ObjKind::FrozenSet => "frozenset",
        }
    }

    /// The kind a builtin type name denotes (`list`, `str`; `unicode` is Cython's `str`).
    pub fn from_name(name: &str) -> Option<ObjKind> {
        if name == "unicode" {
            return Some(ObjKind::Str);
        }
        ObjKind::ALL.iter().copied().find(|k| k.name() == name)
    }

    /// The code the runtime's `check_kind` service and the descriptor text use.
    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(code: u32) -> Option<ObjKind> {
        ObjKind::ALL.iter().copied().find(|k| k.code() == code)
    }
}

/// A typed memoryview's type, as Cython spells it: `double[:, ::1]`, `const int[:]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ViewTy {
    pub elem: ViewElem,
    /// 1 to `abi::ViewDesc::MAX_DIMS`.
    pub ndim: u8,
    /// `::1` on the last axis: the whole buffer is C-contiguous, the last stride is the
    /// element size.
    pub c_contig: bool,
    /// `const`: the elements cannot be assigned.
    pub readonly: bool,
}

/// The element types a memoryview can have: every C integer type and `float`/`double`
/// (not Python's `int`, not `bint`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ViewElem {
    Int(IntKind),
    Float(FloatKind),
}

impl ViewElem {
    /// The element type for a scalar type, if it can be one.
    pub fn of(ty: Ty) -> Option<ViewElem> {
        match ty {
            Ty::Int(IntKind::PyInt) => None,
            Ty::Int(k) => Some(ViewElem::Int(k)),
            Ty::Float(k) => Some(ViewElem::Float(k)),
            _ => None,
        }
    }

    /// The type of an element read from the view.
    pub fn ty(self) -> Ty {
        match self {
            ViewElem::Int(k) => Ty::Int(k),
            ViewElem::Float(k) => Ty::Float(k),
        }
    }

    pub fn kind(self) -> crate::abi::ElemKind {
        use crate::abi::ElemKind as E;
        match self {
            ViewElem::Float(FloatKind::Float) => E::F32,
            ViewElem::Float(FloatKind::Double) => E::F64,
            ViewElem::Int(k) => match (k.bits(), k.signed()) {
                (8, true) => E::I8,
                (16, true) => E::I16,
                (32, true) => E::I32,
                (_, true) => E::I64,
                (8, false) => E::U8,
                (16, false) => E::U16,
                (32, false) => E::U32,
                (_, false) => E::U64,
            },
        }
    }

    /// Size in bytes.
    pub fn size(self) -> u32 {
        self.kind().size() as u32
    }
}

impl ViewTy {
    /// What the runtime must check of the buffer it is given.
    pub fn abi(self) -> crate::abi::ViewAbi {
        crate::abi::ViewAbi { elem: self.elem.kind(), ndim: self.ndim, c_contig: self.c_contig, readonly: self.readonly }
    }

    /// Whether a view of type `self` can be used where `to` is expected: elements of the
    /// same machine type (`long` and `long long` are both 64-bit signed: NumPy's `int64`
    /// arrays go to either) and the same dimensions; a C-contiguous view may go where a
    /// strided one is expected, and a writable one where a `const` one is (not the reverse).
    pub fn converts_to(self, to: ViewTy) -> bool {
        self.elem.kind() == to.elem.kind() && self.ndim == to.ndim && (self.c_contig || !to.c_contig) && (!self.readonly || to.readonly)
    }
}

impl fmt::Display for ViewTy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.readonly {
            f.write_str("const ")?;
        }
        write!(f, "{}[", self.elem.ty())?;
        for axis in 0..self.ndim {
            if axis > 0 {
                f.write_str(", ")?;
            }
            f.write_str(if self.c_contig && axis + 1 == self.ndim { "::1" } else { ":" })?;
        }
        f.write_str("]")
    }
}

impl Ty {
    pub const PY_INT: Ty = Ty::Int(IntKind::PyInt);
    pub const DOUBLE: Ty = Ty::Float(FloatKind::Double);

    pub fn is_int(self) -> bool {
        matches!(self, Ty::Int(_))
    }

    pub fn is_float(self) -> bool {
        matches!(self, Ty::Float(_))
    }

    pub fn is_numeric(self) -> bool {
        matches!(self, Ty::Int(_) | Ty::Float(_) | Ty::Bool)
    }

    /// Any object (`object`, with no known kind).
    pub const OBJECT: Ty = Ty::Object(ObjKind::Any);

    pub fn is_object(self) -> bool {
        matches!(self, Ty::Object(_))
    }

    /// The kind of an object type (`None` for other types).
    pub fn obj_kind(self) -> Option<ObjKind> {
        match self {
            Ty::Object(k) => Some(k),
            _ => None,
        }
    }

    pub fn is_view(self) -> bool {
        matches!(self, Ty::View(_))
    }

    pub fn view(self) -> Option<ViewTy> {
        match self {
            Ty::View(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Int(IntKind::PyInt) => f.write_str("int"),
            Ty::Int(k) => f.write_str(k.name()),
            Ty::Float(FloatKind::Float) => f.write_str("float"),
            Ty::Float(FloatKind::Double) => f.write_str("double"),
            Ty::Bool => f.write_str("bint"),
            Ty::Void => f.write_str("void"),
            Ty::View(v) => write!(f, "{v}"),
            Ty::Object(k) => f.write_str(k.name()),
        }
    }
}
