//! `Ty`: pycc's types. (Cranelift's are `types::Type`; the two are never aliased.)
//!
//! Widths are those of x86-64 Linux (LP64). Later kinds (memoryviews, Python objects,
//! structs, extension classes) are new variants here, each with its `AbiType`.

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
        }
    }
}
