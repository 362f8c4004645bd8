//! The native call boundary, as data: what the runtime needs to call compiled code.
//!
//! Consumed by codegen (which emits one *entry* wrapper per exported function and reads
//! [`Ctx`] field offsets) and by the runtime (one converter for every function, JIT or AOT).
//! The runtime never sees the AST or the TIR: only a [`ModuleDesc`] and entry addresses.
//!
//! ## Calling convention
//! Every compiled function takes a hidden first parameter `ctx: *mut Ctx` and returns its
//! value (if any) followed by an `i8` status: 0 = ok, 1 = an exception is recorded in `ctx`.
//! Each exported function also gets an entry wrapper with one fixed C signature:
//!
//! ```text
//! extern "C" fn entry(ctx: *mut Ctx, args: *const u64, ret: *mut u64) -> u32   // 0 ok, 1 error
//! ```
//!
//! `args[i]` holds parameter `i` as a [`Slot`]; the result is written to `*ret` the same way.
//! So the runtime needs one generic converter, not one trampoline per signature.
//!
//! ## Errors
//! A failing check stores a 1-based index into [`ModuleDesc::error_sites`] in
//! `Ctx::err_site` and returns status 1 through every caller. Nothing is raised while native
//! code runs: the runtime turns the site into the Python exception once, with the GIL held.
//! The one exception is [`Ctx::ERR_PYTHON`]: a runtime service that failed with a Python
//! exception already set (creating an array); the runtime then leaves that exception as it is.

use crate::tir::{Const, ExcKind, FloatKind, IntKind, ObjKind, ParamDefault, ParamKind, Ty};
use std::fmt::Write;

/// The per-call context: the hidden first parameter of every compiled function.
/// Field offsets are part of the ABI (codegen reads them via `Ctx::OFFSET_*`).
#[repr(C)]
#[derive(Debug)]
pub struct Ctx {
    /// 0 = no error; else a 1-based index into `ModuleDesc::error_sites`, or
    /// [`Ctx::ERR_PYTHON`].
    pub err_site: u32,
    pub _reserved: u32,
    /// Functions that can recurse compare the stack pointer against this in their
    /// prologue and raise RecursionError below it.
    pub stack_limit: usize,
    /// Runtime services compiled code calls (helpers that are not inline code or libm).
    pub services: *const Services,
    /// Values for the error message: the runtime replaces `{0}` and `{1}` in an error
    /// site's message by `err_args[0]` and `[1]` (decimal). Written by codegen before it
    /// records such a site (memoryview copies: "got differing extents ... (got {0} and {1})").
    pub err_args: [i64; 2],
    /// The module's globals (a dict, borrowed), for names compiled code looks up at run
    /// time; null in modules that look up none.
    pub globals: *mut std::ffi::c_void,
    /// The module's constant objects (`ModuleDesc::constants`, made once by the runtime),
    /// borrowed; null in modules that have none.
    pub consts: *const *mut std::ffi::c_void,
}

impl Ctx {
    pub const OFFSET_ERR_SITE: i32 = 0;
    pub const OFFSET_STACK_LIMIT: i32 = 8;
    pub const OFFSET_SERVICES: i32 = 16;
    pub const OFFSET_ERR_ARGS: i32 = 24;
    pub const OFFSET_GLOBALS: i32 = 40;
    pub const OFFSET_CONSTS: i32 = 48;
    /// The reserved `err_site`: a Python exception is already set (by a runtime service
    /// compiled code called with the GIL held); the runtime must raise it unchanged.
    /// `err_args[0]` then holds the 1-based index of an error site naming the function and
    /// line for the traceback (its exception and message are not used).
    pub const ERR_PYTHON: u32 = u32::MAX;

    pub fn new(stack_limit: usize) -> Ctx {
        Ctx {
            err_site: 0,
            _reserved: 0,
            stack_limit,
            services: &crate::helpers::SERVICES,
            err_args: [0; 2],
            globals: std::ptr::null_mut(),
            consts: std::ptr::null(),
        }
    }
}

/// The cache of one `LoadGlobal` site, zeroed storage of the module's code (Cython's
/// dict-version caching): the value found, borrowed, while the globals dict and the
/// builtins dict still have the versions (CPython's `ma_version_tag`, unique across dicts
/// and changed by every write) they had then. A zero version never matches.
#[repr(C)]
#[derive(Debug)]
pub struct GlobalCache {
    pub globals_version: u64,
    pub builtins_version: u64,
    pub value: *mut std::ffi::c_void,
}

impl GlobalCache {
    pub const SIZE: u32 = 24;
}

/// Function pointers compiled code calls through `ctx.services`, so that JIT code and AOT
/// objects need no symbols from the runtime. Field order is the ABI: append, never reorder.
#[repr(C)]
#[derive(Debug)]
pub struct Services {
    /// Python float `//`: `(a, b) -> a // b` (b != 0).
    pub float_floordiv: extern "C" fn(f64, f64) -> f64,
    /// Python float `%`: `(a, b) -> a % b` (b != 0), sign of `b`.
    pub float_mod: extern "C" fn(f64, f64) -> f64,
    /// Entering a `with nogil:` block: releases the GIL and returns the thread state to
    /// hand back to `restore_thread` (`PyEval_SaveThread`). The runtime provides it.
    pub save_thread: extern "C" fn() -> *mut std::ffi::c_void,
    /// Leaving a `with nogil:` block (`PyEval_RestoreThread`).
    pub restore_thread: extern "C" fn(*mut std::ffi::c_void),
    /// Creating an array (GIL held): `new_array(kind, elem, ndim, shape, out)` makes a new
    /// Python object (`kind` is a `tir::ArrayKind` code, `elem` an index into
    /// [`ElemKind::ALL`], `shape` points at `ndim` sizes), fills `*out` with its C-contiguous,
    /// writable descriptor (`out.owner` = the object, a *new reference* the caller owns) and
    /// returns `out`; or returns null, with a Python exception set and `*out` untouched.
    /// Returning `out` makes every read of the descriptor depend on the call in the IR.
    pub new_array: extern "C" fn(u32, u32, u32, *const isize, *mut ViewDesc) -> *mut ViewDesc,
    /// `Py_INCREF` (GIL held).
    pub incref: extern "C" fn(*mut std::ffi::c_void),
    /// `Py_XDECREF` (GIL held; null does nothing).
    pub decref: extern "C" fn(*mut std::ffi::c_void),
    /// `load_global(globals, name, cache)` (GIL held): the value of the global `name` (a
    /// `str`) in the dict `globals` (may be null), else in the builtins, as a new reference;
    /// or null with `NameError` (or the lookup's error) set. `cache` is the site's
    /// [`GlobalCache`], which the service reads and fills.
    pub load_global: extern "C" fn(*mut std::ffi::c_void, *mut std::ffi::c_void, *mut GlobalCache) -> *mut std::ffi::c_void,
    /// `check_kind(obj, code, name)` (GIL held): 0 when `obj` is `None` or exactly of the
    /// builtin type `tir::ObjKind::from_code(code & 0xff)`; else -1 with Cython's
    /// `TypeError: Expected list, got tuple` set, or, with the parameter `name` (a `str`;
    /// null for an assignment), its argument test's error (`tir::ArgCheck::flags`).
    pub check_kind: extern "C" fn(*mut std::ffi::c_void, u32, *mut std::ffi::c_void) -> i32,
    /// `import_from(module, name)` (GIL held): `from module import name` once `module` is
    /// imported (CPython's `IMPORT_FROM`: the attribute, else the submodule in
    /// `sys.modules`, else `ImportError: cannot import name ...`), a new reference or null.
    pub import_from: extern "C" fn(*mut std::ffi::c_void, *mut std::ffi::c_void) -> *mut std::ffi::c_void,
    /// `del_global(globals, name)` (GIL held): `del name` at module level or under `global`
    /// (`NameError` if absent, as CPython's `DELETE_GLOBAL`); 0, or -1 with the error set.
    pub del_global: extern "C" fn(*mut std::ffi::c_void, *mut std::ffi::c_void) -> i32,
    /// `unpack(obj, before, after, out)` (GIL held): CPython 3.11's `UNPACK_SEQUENCE`
    /// (`after < 0`: exactly `before` items) and `UNPACK_EX` (`before` items, a list of the
    /// rest, `after` items) of the object `obj` (borrowed), with CPython's errors. Fills
    /// `out[0..before]`, then (with a star) the list and `after` items, with new references
    /// and returns 0; or returns -1 with a Python exception set (and `out` not to be read).
    pub unpack: extern "C" fn(*mut std::ffi::c_void, u32, i32, *mut *mut std::ffi::c_void) -> i32,
    /// `merge(op, target, value, func)` (GIL held): a star argument or star item into the
    /// list, set or dict `target` being built, by `tir::MergeOp` code `op`, with CPython
    /// 3.11's errors (`func`, the callee named in call messages, may be null for displays).
    /// All borrowed. 0, or -1 with a Python exception set.
    pub merge: extern "C" fn(u32, *mut std::ffi::c_void, *mut std::ffi::c_void, *mut std::ffi::c_void) -> i32,
    /// `view_of(obj, view, out, keep)` (GIL held): an object converted to a view
    /// (`tir::ArrayKind::Buffer`). Acquires `obj`'s buffer (borrowed), checks it against the
    /// [`ViewAbi`] whose [`ViewAbi::code`] is `view`, with a view argument's errors, fills
    /// `*out` (`out.owner` = the exporter, borrowed) and stores in `*keep` a new reference to
    /// an object holding the buffer (releasing it when freed); returns `out`. Or returns null
    /// with a Python exception set, `*keep` untouched.
    pub view_of: extern "C" fn(*mut std::ffi::c_void, u32, *mut ViewDesc, *mut *mut std::ffi::c_void) -> *mut ViewDesc,
}

impl Services {
    /// Byte offset of a service's pointer in the table.
    pub const OFFSET_FLOAT_FLOORDIV: i32 = 0;
    pub const OFFSET_FLOAT_MOD: i32 = 8;
    pub const OFFSET_SAVE_THREAD: i32 = 16;
    pub const OFFSET_RESTORE_THREAD: i32 = 24;
    pub const OFFSET_NEW_ARRAY: i32 = 32;
    pub const OFFSET_INCREF: i32 = 40;
    pub const OFFSET_DECREF: i32 = 48;
    pub const OFFSET_LOAD_GLOBAL: i32 = 56;
    pub const OFFSET_CHECK_KIND: i32 = 64;
    pub const OFFSET_IMPORT_FROM: i32 = 72;
    pub const OFFSET_DEL_GLOBAL: i32 = 80;
    pub const OFFSET_UNPACK: i32 = 88;
    pub const OFFSET_MERGE: i32 = 96;
    pub const OFFSET_VIEW_OF: i32 = 104;
}

/// How one value crosses the boundary. A `Slot` is 8 bytes: integers are sign- or
/// zero-extended to 64 bits, `F32` is widened to f64 in the slot, `Bool` is 0 or 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbiType {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    Bool,
    /// Returns only: the function returns `None`.
    Void,
    /// A typed memoryview parameter: the slot holds a `*const ViewDesc` that the runtime
    /// filled from the argument's buffer and keeps valid (buffer held) for the whole call.
    /// As a return type: the slot holds a *new reference* to the view's owner (the Python
    /// object the memory belongs to), which the runtime hands to the caller as it is.
    View(ViewAbi),
    /// A Python object: the slot holds a `PyObject *`, borrowed from the caller for a
    /// parameter; as a return type, a *new reference* the runtime hands to the caller.
    /// A parameter of a known kind is checked as Cython's `__Pyx_ArgTypeTest` checks it.
    Object(ObjAbi),
}

/// What an object parameter requires of its argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ObjAbi {
    /// `Any`: every object. Otherwise exactly that builtin type (Cython tests builtin types
    /// exactly), or `None` when `none_ok`.
    pub kind: ObjKind,
    pub none_ok: bool,
    /// The type comes from an annotation: Cython's message for a subclass adds a note.
    pub annotated: bool,
}

impl ObjAbi {
    pub const ANY: ObjAbi = ObjAbi { kind: ObjKind::Any, none_ok: true, annotated: false };
}

/// What a memoryview parameter requires of the buffer it is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ViewAbi {
    pub elem: ElemKind,
    /// 1 to `ViewDesc::MAX_DIMS`.
    pub ndim: u8,
    /// `double[:, ::1]`: the last axis must be contiguous, and the whole buffer C-contiguous.
    pub c_contig: bool,
    /// `const double[:]`: read-only buffers are accepted; otherwise a writable one is required.
    pub readonly: bool,
}

impl ViewAbi {
    /// As one number (the `view_of` service's argument): the element's index in
    /// [`ElemKind::ALL`], `ndim << 8`, then the `c_contig` and `readonly` bits.
    pub fn code(self) -> u32 {
        let elem = ElemKind::ALL.iter().position(|e| *e == self.elem).unwrap_or(0) as u32;
        elem | (self.ndim as u32) << 8 | (self.c_contig as u32) << 16 | (self.readonly as u32) << 17
    }

    /// The inverse of [`ViewAbi::code`]; None for a code no view has.
    pub fn from_code(code: u32) -> Option<ViewAbi> {
        let elem = *ElemKind::ALL.get((code & 0xff) as usize)?;
        let ndim = ((code >> 8) & 0xff) as u8;
        if !(1..=ViewDesc::MAX_DIMS as u8).contains(&ndim) || code >> 18 != 0 {
            return None;
        }
        Some(ViewAbi { elem, ndim, c_contig: code & (1 << 16) != 0, readonly: code & (1 << 17) != 0 })
    }
}

/// A memoryview's element type, as the buffer protocol's format describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ElemKind {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
}

impl ElemKind {
    pub const ALL: &'static [ElemKind] = &[
        ElemKind::I8,
        ElemKind::I16,
        ElemKind::I32,
        ElemKind::I64,
        ElemKind::U8,
        ElemKind::U16,
        ElemKind::U32,
        ElemKind::U64,
        ElemKind::F32,
        ElemKind::F64,
    ];

    pub fn size(self) -> usize {
        match self {
            ElemKind::I8 | ElemKind::U8 => 1,
            ElemKind::I16 | ElemKind::U16 => 2,
            ElemKind::I32 | ElemKind::U32 | ElemKind::F32 => 4,
            ElemKind::I64 | ElemKind::U64 | ElemKind::F64 => 8,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ElemKind::I8 => "i8",
            ElemKind::I16 => "i16",
            ElemKind::I32 => "i32",
            ElemKind::I64 => "i64",
            ElemKind::U8 => "u8",
            ElemKind::U16 => "u16",
            ElemKind::U32 => "u32",
            ElemKind::U64 => "u64",
            ElemKind::F32 => "f32",
            ElemKind::F64 => "f64",
        }
    }

    /// The C name Cython uses in buffer messages (`expected 'double' but got 'long'`).
    pub fn c_name(self) -> &'static str {
        match self {
            ElemKind::I8 => "signed char",
            ElemKind::I16 => "short",
            ElemKind::I32 => "int",
            ElemKind::I64 => "long",
            ElemKind::U8 => "unsigned char",
            ElemKind::U16 => "unsigned short",
            ElemKind::U32 => "unsigned int",
            ElemKind::U64 => "unsigned long",
            ElemKind::F32 => "float",
            ElemKind::F64 => "double",
        }
    }
}

/// A memoryview as compiled code sees it (`#[repr(C)]`; offsets are ABI). Axes past `ndim`
/// are unused. Strides are in bytes and may be negative or zero.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ViewDesc {
    pub data: *mut u8,
    pub shape: [isize; ViewDesc::MAX_DIMS],
    pub strides: [isize; ViewDesc::MAX_DIMS],
    /// The Python object the memory belongs to (a borrowed `PyObject*`: the argument for a
    /// parameter, the new array for one compiled code made); null when there is none.
    pub owner: *mut std::ffi::c_void,
}

impl ViewDesc {
    pub const MAX_DIMS: usize = 4;
    pub const OFFSET_DATA: i32 = 0;
    pub const OFFSET_SHAPE: i32 = 8;
    pub const OFFSET_STRIDES: i32 = 8 + 8 * Self::MAX_DIMS as i32;
    pub const OFFSET_OWNER: i32 = 8 + 16 * Self::MAX_DIMS as i32;
    pub const SIZE: u32 = 16 + 16 * Self::MAX_DIMS as u32;
}

pub type Slot = u64;

impl AbiType {
    pub fn of(ty: Ty) -> AbiType {
        match ty {
            Ty::Int(k) => match (k.bits(), k.signed()) {
                (8, true) => AbiType::I8,
                (16, true) => AbiType::I16,
                (32, true) => AbiType::I32,
                (_, true) => AbiType::I64,
                (8, false) => AbiType::U8,
                (16, false) => AbiType::U16,
                (32, false) => AbiType::U32,
                (_, false) => AbiType::U64,
            },
            Ty::Float(FloatKind::Float) => AbiType::F32,
            Ty::Float(FloatKind::Double) => AbiType::F64,
            Ty::Bool => AbiType::Bool,
            Ty::Void => AbiType::Void,
            Ty::View(v) => AbiType::View(v.abi()),
            Ty::Object(kind) => AbiType::Object(ObjAbi { kind, none_ok: true, annotated: false }),
        }
    }

    /// A parameter's type at the boundary: `AbiType::of` its type, with its `None` rule.
    pub fn param(p: &crate::tir::Param) -> AbiType {
        match AbiType::of(p.ty) {
            AbiType::Object(o) if o.kind != ObjKind::Any => AbiType::Object(ObjAbi { none_ok: !p.not_none, annotated: p.annotated, ..o }),
            t => t,
        }
    }

    /// Inclusive integer range, for OverflowError at the boundary.
    pub fn int_range(self) -> Option<(i128, i128)> {
        let k = match self {
            AbiType::I8 => IntKind::SChar,
            AbiType::I16 => IntKind::Short,
            AbiType::I32 => IntKind::Int,
            AbiType::I64 => IntKind::LongLong,
            AbiType::U8 => IntKind::UChar,
            AbiType::U16 => IntKind::UShort,
            AbiType::U32 => IntKind::UInt,
            AbiType::U64 => IntKind::ULongLong,
            _ => return None,
        };
        Some((k.min_value(), k.max_value()))
    }

    /// The name used in the descriptor text: `i64`, `f64`, `view:f64:2:C:w` (element, ndim,
    /// `C`-contiguous or `S`trided, `r`eadonly or `w`ritable), `object`, `object:list:n:a`
    /// (kind, `n`: `None` allowed or `-`, `a`: from an annotation or `d`eclared).
    pub fn text(self) -> String {
        match self {
            AbiType::Object(o) if o == ObjAbi::ANY => "object".to_string(),
            AbiType::Object(o) => {
                format!("object:{}:{}:{}", o.kind.name(), if o.none_ok { "n" } else { "-" }, if o.annotated { "a" } else { "d" })
            }
            AbiType::View(v) => format!(
                "view:{}:{}:{}:{}",
                v.elem.code(),
                v.ndim,
                if v.c_contig { "C" } else { "S" },
                if v.readonly { "r" } else { "w" }
            ),
            scalar => scalar.name().to_string(),
        }
    }

    fn from_text(s: &str) -> Option<AbiType> {
        if let Some(obj) = s.strip_prefix("object:") {
            let parts: Vec<&str> = obj.split(':').collect();
            let [kind, none, origin] = parts.as_slice() else { return None };
            let kind = ObjKind::from_name(kind).filter(|k| k.name() == *kind)?;
            let none_ok = match *none {
                "n" => true,
                "-" => false,
                _ => return None,
            };
            let annotated = match *origin {
                "a" => true,
                "d" => false,
                _ => return None,
            };
            return Some(AbiType::Object(ObjAbi { kind, none_ok, annotated }));
        }
        let Some(view) = s.strip_prefix("view:") else {
            return AbiType::from_name(s);
        };
        let parts: Vec<&str> = view.split(':').collect();
        let [elem, ndim, layout, access] = parts.as_slice() else {
            return None;
        };
        let elem = ElemKind::ALL.iter().copied().find(|e| e.code() == *elem)?;
        let ndim: u8 = ndim.parse().ok().filter(|n| (1..=ViewDesc::MAX_DIMS as u8).contains(n))?;
        let c_contig = match *layout {
            "C" => true,
            "S" => false,
            _ => return None,
        };
        let readonly = match *access {
            "r" => true,
            "w" => false,
            _ => return None,
        };
        Some(AbiType::View(ViewAbi { elem, ndim, c_contig, readonly }))
    }

    /// The name of a scalar type (`i64`, `f64`, `bool`, `void`); `view` for memoryviews.
    pub fn name(self) -> &'static str {
        match self {
            AbiType::I8 => "i8",
            AbiType::I16 => "i16",
            AbiType::I32 => "i32",
            AbiType::I64 => "i64",
            AbiType::U8 => "u8",
            AbiType::U16 => "u16",
            AbiType::U32 => "u32",
            AbiType::U64 => "u64",
            AbiType::F32 => "f32",
            AbiType::F64 => "f64",
            AbiType::Bool => "bool",
            AbiType::Void => "void",
            AbiType::View(_) => "view",
            AbiType::Object(_) => "object",
        }
    }

    fn from_name(s: &str) -> Option<AbiType> {
        [
            AbiType::I8,
            AbiType::I16,
            AbiType::I32,
            AbiType::I64,
            AbiType::U8,
            AbiType::U16,
            AbiType::U32,
            AbiType::U64,
            AbiType::F32,
            AbiType::F64,
            AbiType::Bool,
            AbiType::Void,
            AbiType::Object(ObjAbi::ANY),
        ]
        .into_iter()
        .find(|t| t.name() == s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamDesc {
    pub name: String,
    pub ty: AbiType,
    /// The source type's name for messages (`int`, `double`, `unsigned char`).
    pub ty_name: String,
    pub default: Option<ParamDefault>,
    /// How the argument is bound (positional-only, keyword-only, `*args`, `**kwargs`).
    pub kind: ParamKind,
}

/// One exported function as Python sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct FuncDesc {
    pub name: String,
    pub doc: Option<String>,
    pub params: Vec<ParamDesc>,
    pub ret: AbiType,
    /// The symbol of the entry wrapper in an object file (`__pycc_entry_<name>`).
    pub entry_symbol: String,
    /// Declared `nogil`: the runtime releases the GIL for the whole call.
    pub nogil: bool,
}

/// Where a compiled check can fail, and what it raises.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorSite {
    pub exc: ExcKind,
    pub msg: String,
    /// The function the check is in, and its 1-based source line, for the traceback.
    pub func: String,
    pub line: u32,
}

/// Everything the runtime needs to turn a compiled artifact into a Python module.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ModuleDesc {
    pub name: String,
    pub doc: Option<String>,
    pub file: String,
    pub functions: Vec<FuncDesc>,
    pub error_sites: Vec<ErrorSite>,
    /// The constant objects compiled code uses (`tir::ExprKind::ModConst` indexes them).
    pub constants: Vec<ConstObj>,
    /// Compiled code looks names up in the module's globals (`Ctx::globals`).
    pub uses_globals: bool,
    /// `functions[i]` is the module body (`tir::FuncKind::ModuleBody`): the runtime runs it
    /// once, after the other functions are in the module's dict, and does not add it.
    pub body: Option<usize>,
}

/// A constant Python object of a module, made once when the module is made.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ConstObj {
    Str(String),
    Bytes(Vec<u8>),
    /// An integer too large for 64 bits, in decimal.
    BigInt(String),
    /// A tuple of strings (the keyword names of a call).
    StrTuple(Vec<String>),
    /// `None`, `True`/`False`, a 64-bit `int`, a `float` (its bits): parameter defaults
    /// and the items of constant tuples.
    None,
    Bool(bool),
    Int(i64),
    Float(u64),
    /// A tuple of earlier constants (indices below this one's).
    Tuple(Vec<u32>),
    /// A list, or a dict (`items` alternate keys and values), of earlier constants: a
    /// mutable parameter default (`def f(xs=[])`), made once and shared by every call as
    /// in CPython. `site` (the default's source offset) keeps two equal defaults apart.
    List { items: Vec<u32>, site: u32 },
    Dict { items: Vec<u32>, site: u32 },
    /// The function object of `functions[func]`, a function the module does not put in its
    /// dict (a `lambda` or a nested `def`, `tir::Function::qualname`): the runtime makes it
    /// once, after the module's functions, with this `__qualname__`. Such functions are
    /// the last ones of `ModuleDesc::functions`.
    Func { func: u32, qualname: String },
    /// A builtin type object (`tuple`, `list`, `float`, ... : one of [`BUILTIN_TYPES`]),
    /// borrowed from the interpreter: what exact-type tests compare `ob_type` with.
    Type(String),
}

/// The builtin types a [`ConstObj::Type`] may name.
pub const BUILTIN_TYPES: &[&str] = &["tuple", "list", "dict", "set", "frozenset", "str", "bytes", "bytearray", "int", "float", "bool"];

/// Text form of a `ModuleDesc`, embedded in AOT objects and read back by the runtime at
/// import. One record a line, fields separated by tabs, strings escaped; versioned.
impl ModuleDesc {
    pub const FORMAT: &'static str = "pycc-module-desc 7";

    pub fn encode(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", Self::FORMAT);
        let _ = writeln!(out, "module\t{}\t{}\t{}", esc(&self.name), esc_opt(&self.doc), esc(&self.file));
        for f in &self.functions {
            let nogil = if f.nogil { "nogil" } else { "gil" };
            let _ = writeln!(out, "func\t{}\t{}\t{}\t{}\t{nogil}", esc(&f.name), esc_opt(&f.doc), f.ret.text(), esc(&f.entry_symbol));
            for p in &f.params {
                let default = match p.default {
                    None => "-".to_string(),
                    Some(ParamDefault::Const(Const::Int(v))) => format!("i{v}"),
                    Some(ParamDefault::Const(Const::Float(v))) => format!("f{}", v.to_bits()),
                    Some(ParamDefault::Const(Const::Bool(v))) => format!("b{}", v as u8),
                    Some(ParamDefault::Object(k)) => format!("c{k}"),
                    Some(ParamDefault::Global(k)) => format!("g{k}"),
                };
                let _ = writeln!(out, "param\t{}\t{}\t{}\t{}\t{}", esc(&p.name), p.ty.text(), esc(&p.ty_name), default, p.kind.name());
            }
        }
        for s in &self.error_sites {
            let _ = writeln!(out, "site\t{}\t{}\t{}\t{}", s.exc as u8, esc(&s.msg), esc(&s.func), s.line);
        }
        for c in &self.constants {
            let _ = match c {
                ConstObj::Str(s) => writeln!(out, "const\tstr\t{}", hex(s.as_bytes())),
                ConstObj::Bytes(b) => writeln!(out, "const\tbytes\t{}", hex(b)),
                ConstObj::BigInt(d) => writeln!(out, "const\tint\t{d}"),
                ConstObj::StrTuple(items) => {
                    let items: Vec<String> = items.iter().map(|s| format!("h{}", hex(s.as_bytes()))).collect();
                    writeln!(out, "const\ttuple\t{}", items.join(","))
                }
                ConstObj::None => writeln!(out, "const\tnone\t-"),
                ConstObj::Bool(b) => writeln!(out, "const\tbool\t{}", *b as u8),
                ConstObj::Int(v) => writeln!(out, "const\tint\t{v}"),
                ConstObj::Float(bits) => writeln!(out, "const\tfloat\t{bits}"),
                ConstObj::Tuple(items) => {
                    let items: Vec<String> = items.iter().map(|k| k.to_string()).collect();
                    writeln!(out, "const\tobjtuple\t{}", if items.is_empty() { "-".to_string() } else { items.join(",") })
                }
                ConstObj::List { items, site } | ConstObj::Dict { items, site } => {
                    let kind = if matches!(c, ConstObj::List { .. }) { "list" } else { "dict" };
                    let items: Vec<String> = std::iter::once(site.to_string()).chain(items.iter().map(|k| k.to_string())).collect();
                    writeln!(out, "const\t{kind}\t{}", items.join(","))
                }
                ConstObj::Func { func, qualname } => writeln!(out, "const\tfunc\t{func},{}", hex(qualname.as_bytes())),
                ConstObj::Type(name) => writeln!(out, "const\ttype\t{name}"),
            };
        }
        if self.uses_globals {
            let _ = writeln!(out, "globals");
        }
        if let Some(i) = self.body {
            let _ = writeln!(out, "body\t{i}");
        }
        out
    }

    pub fn decode(text: &str) -> Result<ModuleDesc, String> {
        let mut lines = text.lines();
        if lines.next() != Some(Self::FORMAT) {
            return Err(format!("not a `{}` descriptor (built by another pycc version?)", Self::FORMAT));
        }
        let mut desc = ModuleDesc::default();
        for line in lines {
            let fields: Vec<&str> = line.split('\t').collect();
            let bad = || format!("malformed descriptor line: {line:?}");
            match fields.as_slice() {
                ["module", name, doc, file] => {
                    desc.name = unesc(name);
                    desc.doc = unesc_opt(doc);
                    desc.file = unesc(file);
                }
                ["func", name, doc, ret, sym, gil] => desc.functions.push(FuncDesc {
                    name: unesc(name),
                    doc: unesc_opt(doc),
                    params: Vec::new(),
                    ret: AbiType::from_text(ret).ok_or_else(bad)?,
                    entry_symbol: unesc(sym),
                    nogil: match *gil {
                        "nogil" => true,
                        "gil" => false,
                        _ => return Err(bad()),
                    },
                }),
                ["param", name, ty, ty_name, default, kind] => {
                    let default = match default.split_at(1.min(default.len())) {
                        ("-", _) => None,
                        ("i", v) => Some(ParamDefault::Const(Const::Int(v.parse().map_err(|_| bad())?))),
                        ("f", v) => Some(ParamDefault::Const(Const::Float(f64::from_bits(v.parse().map_err(|_| bad())?)))),
                        ("b", v) => Some(ParamDefault::Const(Const::Bool(v == "1"))),
                        ("c", v) => Some(ParamDefault::Object(v.parse().map_err(|_| bad())?)),
                        ("g", v) => Some(ParamDefault::Global(v.parse().map_err(|_| bad())?)),
                        _ => return Err(bad()),
                    };
                    let kind = ParamKind::from_name(kind).ok_or_else(bad)?;
                    let param = ParamDesc { name: unesc(name), ty: AbiType::from_text(ty).ok_or_else(bad)?, ty_name: unesc(ty_name), default, kind };
                    desc.functions.last_mut().ok_or_else(bad)?.params.push(param);
                }
                ["globals"] => desc.uses_globals = true,
                ["body", i] => desc.body = Some(i.parse().map_err(|_| bad())?),
                ["const", kind, data] => desc.constants.push(match *kind {
                    "str" => ConstObj::Str(String::from_utf8(unhex(data).ok_or_else(bad)?).map_err(|_| bad())?),
                    "bytes" => ConstObj::Bytes(unhex(data).ok_or_else(bad)?),
                    "int" if !data.is_empty() && data.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit()) => match data.parse::<i64>() {
                        Ok(v) => ConstObj::Int(v),
                        Err(_) => ConstObj::BigInt(data.to_string()),
                    },
                    "none" => ConstObj::None,
                    "bool" => ConstObj::Bool(*data == "1"),
                    "float" => ConstObj::Float(data.parse().map_err(|_| bad())?),
                    "objtuple" if *data == "-" => ConstObj::Tuple(Vec::new()),
                    "objtuple" => ConstObj::Tuple(data.split(',').map(|k| k.parse().map_err(|_| bad())).collect::<Result<_, _>>()?),
                    "list" | "dict" => {
                        let mut numbers = data.split(',').map(|k| k.parse::<u32>().map_err(|_| bad()));
                        let site = numbers.next().ok_or_else(bad)??;
                        let items = numbers.collect::<Result<Vec<u32>, _>>()?;
                        if *kind == "list" {
                            ConstObj::List { items, site }
                        } else if items.len() % 2 == 0 {
                            ConstObj::Dict { items, site }
                        } else {
                            return Err(bad());
                        }
                    }
                    "func" => {
                        let (func, qualname) = data.split_once(',').ok_or_else(bad)?;
                        let qualname = String::from_utf8(unhex(qualname).ok_or_else(bad)?).map_err(|_| bad())?;
                        ConstObj::Func { func: func.parse().map_err(|_| bad())?, qualname }
                    }
                    "type" if BUILTIN_TYPES.contains(data) => ConstObj::Type(data.to_string()),
                    "tuple" => ConstObj::StrTuple(
                        data.split(',')
                            .filter(|s| !s.is_empty())
                            .map(|s| s.strip_prefix('h').and_then(unhex).and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad))
                            .collect::<Result<_, _>>()?,
                    ),
                    _ => return Err(bad()),
                }),
                ["site", exc, msg, func, line] => desc.error_sites.push(ErrorSite {
                    exc: exc.parse().ok().and_then(ExcKind::from_u8).ok_or_else(bad)?,
                    msg: unesc(msg),
                    func: unesc(func),
                    line: line.parse().map_err(|_| bad())?,
                }),
                _ => return Err(bad()),
            }
        }
        Ok(desc)
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    if out.is_empty() { "\\0".to_string() } else { out }
}

fn esc_opt(s: &Option<String>) -> String {
    match s {
        None => "\\-".to_string(),
        Some(s) => esc(s),
    }
}

fn unesc(s: &str) -> String {
    if s == "\\0" {
        return String::new();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn unesc_opt(s: &str) -> Option<String> {
    if s == "\\-" { None } else { Some(unesc(s)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_round_trips() {
        let desc = ModuleDesc {
            name: "m".into(),
            doc: Some("line one\n\tline two \\ end".into()),
            file: "/tmp/m.pyx".into(),
            functions: vec![FuncDesc {
                name: "f".into(),
                doc: None,
                params: vec![
                    ParamDesc { name: "x".into(), ty: AbiType::I32, ty_name: "int".into(), default: None, kind: ParamKind::Positional },
                    ParamDesc { name: "y".into(), ty: AbiType::F64, ty_name: "double".into(), default: Some(ParamDefault::Const(Const::Float(-0.5))), kind: ParamKind::Positional },
                    ParamDesc { name: "z".into(), ty: AbiType::Bool, ty_name: "bint".into(), default: Some(ParamDefault::Const(Const::Bool(true))), kind: ParamKind::Positional },
                    ParamDesc { name: "w".into(), ty: AbiType::I64, ty_name: "int".into(), default: Some(ParamDefault::Const(Const::Int(-7))), kind: ParamKind::Positional },
                    ParamDesc {
                        name: "o".into(),
                        ty: AbiType::Object(ObjAbi { kind: ObjKind::List, none_ok: false, annotated: true }),
                        ty_name: "list".into(),
                        default: Some(ParamDefault::Object(4)),
                        kind: ParamKind::KwOnly,
                    },
                    ParamDesc { name: "p".into(), ty: AbiType::Object(ObjAbi::ANY), ty_name: "object".into(), default: None, kind: ParamKind::Positional },
                    ParamDesc {
                        name: "a".into(),
                        ty: AbiType::View(ViewAbi { elem: ElemKind::U8, ndim: 3, c_contig: true, readonly: true }),
                        ty_name: "const unsigned char[:, :, ::1]".into(),
                        default: None,
                        kind: ParamKind::VarArgs,
                    },
                ],
                ret: AbiType::Void,
                entry_symbol: "__pycc_entry_f".into(),
                nogil: true,
            }],
            error_sites: vec![ErrorSite { exc: ExcKind::ZeroDivisionError, msg: "division by zero".into(), func: "f".into(), line: 3 }],
            constants: vec![
                ConstObj::Str("tab\tnew\nline é".into()),
                ConstObj::Bytes(vec![0, 255, 9]),
                ConstObj::BigInt("-123456789012345678901234567890".into()),
                ConstObj::StrTuple(vec!["key".into(), "".into(), "x,y".into()]),
                ConstObj::StrTuple(vec![]),
                ConstObj::None,
                ConstObj::Bool(true),
                ConstObj::Int(-5),
                ConstObj::Float((-0.0f64).to_bits()),
                ConstObj::Tuple(vec![5, 6, 0]),
                ConstObj::Tuple(vec![]),
                ConstObj::List { items: vec![], site: 7 },
                ConstObj::List { items: vec![5, 6], site: 9 },
                ConstObj::Dict { items: vec![0, 5], site: 11 },
                ConstObj::Func { func: 0, qualname: "f.<locals>.<lambda>".into() },
                ConstObj::Func { func: 0, qualname: String::new() },
                ConstObj::Type("tuple".into()),
            ],
            uses_globals: true,
            body: Some(0),
        };
        assert_eq!(ModuleDesc::decode(&desc.encode()).unwrap(), desc);
        assert!(ModuleDesc::decode("garbage").is_err());
    }
}

/// The most parameters a function called from Python may have: the runtime converts the
/// arguments into a fixed array of this many slots. The checker refuses more.
pub const MAX_PYTHON_PARAMS: usize = 32;

/// The version of [`AotApi`]; bumped on any incompatible change of this file's ABI.
pub const AOT_API_VERSION: u32 = 1;

/// The name of the capsule the runtime exports as `pycc._pycc._C_API`, which an AOT
/// module's `PyInit_<name>` reads after importing `pycc._pycc` (NumPy's `import_array` style:
/// `PyImport_ImportModule`, then the `_C_API` attribute, then `PyCapsule_GetPointer`).
pub const AOT_CAPSULE_NAME: &str = "pycc._pycc._C_API";

/// What the `_C_API` capsule points at.
#[repr(C)]
pub struct AotApi {
    pub version: u32,
    /// `make_module(desc, desc_len, entries, n_entries)`: builds the Python module from the
    /// descriptor text (`ModuleDesc::encode`) and the entry wrappers (in `desc.functions`
    /// order). Returns a new reference, or NULL with a Python exception set.
    pub make_module: unsafe extern "C" fn(*const u8, usize, *const crate::driver::EntryFn, usize) -> *mut std::ffi::c_void,
}

#[cfg(test)]
mod layout_tests {
    use super::*;

    #[test]
    fn view_desc_offsets_match_the_struct() {
        let d = ViewDesc { data: std::ptr::null_mut(), shape: [0; 4], strides: [0; 4], owner: std::ptr::null_mut() };
        let base = &d as *const ViewDesc as usize;
        assert_eq!(&d.shape as *const _ as usize - base, ViewDesc::OFFSET_SHAPE as usize);
        assert_eq!(&d.strides as *const _ as usize - base, ViewDesc::OFFSET_STRIDES as usize);
        assert_eq!(&d.owner as *const _ as usize - base, ViewDesc::OFFSET_OWNER as usize);
        assert_eq!(std::mem::size_of::<ViewDesc>(), ViewDesc::SIZE as usize);
    }

    #[test]
    fn service_offsets_match_the_struct() {
        let s = &crate::helpers::SERVICES;
        let base = s as *const Services as usize;
        assert_eq!(&s.save_thread as *const _ as usize - base, Services::OFFSET_SAVE_THREAD as usize);
        assert_eq!(&s.restore_thread as *const _ as usize - base, Services::OFFSET_RESTORE_THREAD as usize);
        assert_eq!(&s.new_array as *const _ as usize - base, Services::OFFSET_NEW_ARRAY as usize);
        assert_eq!(&s.incref as *const _ as usize - base, Services::OFFSET_INCREF as usize);
        assert_eq!(&s.decref as *const _ as usize - base, Services::OFFSET_DECREF as usize);
        assert_eq!(&s.load_global as *const _ as usize - base, Services::OFFSET_LOAD_GLOBAL as usize);
        assert_eq!(&s.check_kind as *const _ as usize - base, Services::OFFSET_CHECK_KIND as usize);
        assert_eq!(&s.import_from as *const _ as usize - base, Services::OFFSET_IMPORT_FROM as usize);
        assert_eq!(&s.del_global as *const _ as usize - base, Services::OFFSET_DEL_GLOBAL as usize);
        assert_eq!(&s.unpack as *const _ as usize - base, Services::OFFSET_UNPACK as usize);
        assert_eq!(&s.merge as *const _ as usize - base, Services::OFFSET_MERGE as usize);
        assert_eq!(&s.view_of as *const _ as usize - base, Services::OFFSET_VIEW_OF as usize);
    }
}

/// Bytes as lowercase hex (constants in the descriptor text).
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}
