//! The typed IR (TIR): the one contract between the checker (`check/`) and codegen.
//!
//! Every expression carries its resolved [`Ty`] and a [`Span`]. Python and Cython semantics
//! are decided by the checker and written here as explicit operations (checked arithmetic,
//! floor division with its zero check, conversions); codegen maps each one 1:1 and decides
//! nothing. Control flow stays structured. Functions and locals live in arenas indexed by
//! newtype ids. `display.rs` gives the stable text form behind `--emit tir`; `validate.rs`
//! checks the typing rules after lowering.

mod display;
mod ty;
pub mod validate;
pub mod visit;

pub use ty::{FloatKind, IntKind, ObjKind, Ty, ViewElem, ViewTy};

use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalId(pub u32);

/// A checked compilation unit: one source file (or one `@jit` group of functions).
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub doc: Option<String>,
    /// Indexed by `FuncId`.
    pub funcs: Vec<Function>,
    /// The constant objects of `ExprKind::ModConst` (and the names of globals, methods and
    /// keywords), made once when the module is made.
    pub constants: Vec<crate::abi::ConstObj>,
    /// The module's C globals (`cdef int counter` at module level): storage of the module's
    /// code, not in its dict; read with [`ExprKind::CGlobal`], written with
    /// [`StmtKind::StoreCGlobal`]. Zero before the module body runs; `object` ones are set
    /// to `None` first thing in the module body.
    pub cglobals: Vec<CGlobal>,
}

/// A C global of the module: a value of `ty` that lives as long as the module's code.
#[derive(Clone, Debug, PartialEq)]
pub struct CGlobal {
    pub name: String,
    pub ty: Ty,
    pub span: Span,
}

impl Module {
    pub fn func(&self, id: FuncId) -> &Function {
        &self.funcs[id.0 as usize]
    }

    /// The functions Python can call (`def` and `cpdef`), in source order.
    pub fn exported(&self) -> impl Iterator<Item = &Function> {
        self.funcs.iter().filter(|f| f.kind.is_exported())
    }

    /// The module body, if the module has code outside its functions.
    pub fn body(&self) -> Option<&Function> {
        self.funcs.iter().find(|f| f.kind == FuncKind::ModuleBody)
    }
}

/// How a function was declared; decides whether Python sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncKind {
    /// `def` (and every `@jit` function): callable from Python and from compiled code.
    Def,
    /// `cdef` / `@cython.cfunc`: internal to the module.
    Cdef,
    /// `cpdef` / `@cython.ccall`: both.
    Cpdef,
    /// The module's own code (every statement outside a function, in source order), named
    /// `<module>`: run once by the runtime when the module is made, after its functions
    /// are in its dict, with the module's dict as its globals. No parameters; returns
    /// `None`. Its names are globals of the module, not locals.
    ModuleBody,
}

impl FuncKind {
    /// Whether the function gets an entry the runtime calls (the module body is called
    /// once, not put in the dict).
    pub fn is_exported(self) -> bool {
        !matches!(self, FuncKind::Cdef)
    }
}

#[derive(Clone, Debug)]
pub struct Function {
    pub id: FuncId,
    pub name: String,
    pub kind: FuncKind,
    pub doc: Option<String>,
    pub span: Span,
    /// The first `params.len()` locals are the parameters, in order.
    pub params: Vec<Param>,
    pub ret: Ty,
    /// Indexed by `LocalId`; parameters first, then named locals, then checker temporaries.
    pub locals: Vec<Local>,
    pub body: Block,
    /// True when the function is on a call-graph cycle: its prologue checks the stack limit
    /// and raises RecursionError instead of overflowing the C stack.
    pub recursive: bool,
    /// `nogil` functions: nothing in them may need the GIL (checked, not assumed).
    pub nogil: bool,
    /// Declared `cdef inline` / `@cython.inline`: codegen inlines its calls when optimizing
    /// (small functions are inlined without it).
    pub inline: bool,
    /// The number of temporary object slots (`ExprKind::Temp`), numbered from 0.
    pub temps: u32,
}

impl Function {
    pub fn local(&self, id: LocalId) -> &Local {
        &self.locals[id.0 as usize]
    }
}

#[derive(Clone, Debug)]
pub struct Param {
    pub local: LocalId,
    pub name: String,
    pub ty: Ty,
    pub default: Option<ParamDefault>,
    /// An object parameter of a known kind refuses `None` (`list xs not None` in `.pyx`;
    /// `xs: list` in pure-Python mode, Cython 3's rule for annotations).
    pub not_none: bool,
    /// The type comes from an annotation (Cython's message for a subclass then adds a note).
    pub annotated: bool,
    pub kind: ParamKind,
    pub span: Span,
}

/// How a parameter is bound. A function's parameters come in this order: positional-only,
/// positional-or-keyword, keyword-only, then `*args`, then `**kwargs` (CPython's order of
/// `co_varnames`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ParamKind {
    #[default]
    Positional,
    /// Before `/`.
    PosOnly,
    /// After `*` or `*args`.
    KwOnly,
    /// `*args`: the extra positional arguments, a `tuple`.
    VarArgs,
    /// `**kwargs`: the extra keyword arguments, a `dict`.
    VarKw,
}

impl ParamKind {
    pub const ALL: &'static [ParamKind] = &[ParamKind::Positional, ParamKind::PosOnly, ParamKind::KwOnly, ParamKind::VarArgs, ParamKind::VarKw];

    /// The name in the descriptor text and in `__pycc_params__`.
    pub fn name(self) -> &'static str {
        match self {
            ParamKind::Positional => "pos",
            ParamKind::PosOnly => "posonly",
            ParamKind::KwOnly => "kwonly",
            ParamKind::VarArgs => "varargs",
            ParamKind::VarKw => "varkw",
        }
    }

    pub fn from_name(s: &str) -> Option<ParamKind> {
        ParamKind::ALL.iter().copied().find(|k| k.name() == s)
    }

    /// Filled from positional arguments (`PosOnly` and `Positional`).
    pub fn positional(self) -> bool {
        matches!(self, ParamKind::Positional | ParamKind::PosOnly)
    }
}

/// A parameter's default value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamDefault {
    /// A scalar, converted to the parameter's type (for an object parameter, the Python
    /// `int`, `float` or `bool` it spells).
    Const(Const),
    /// The module's constant object `Module::constants[k]` (`None`, a `str`, a tuple, ...),
    /// for object parameters; the runtime and compiled callers pass it borrowed.
    Object(u32),
    /// Any other expression, for an object parameter: evaluated when the module's code
    /// reaches the `def` (CPython's rule) into the `object` C global `Module::cglobals[k]`,
    /// which callers pass borrowed (the runtime passes null and the entry wrapper reads the
    /// C global). `None` before the `def` has run.
    Global(u32),
}

#[derive(Clone, Debug)]
pub struct Local {
    pub name: String,
    pub ty: Ty,
    pub span: Span,
}

/// A compile-time constant of a scalar type.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Const {
    /// Any integer type, stored sign-extended (unsigned values above `i64::MAX` wrap).
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Const {
    /// The type a constant has on its own: Python's `int`, `float` or `bool`.
    pub fn natural_ty(self) -> Ty {
        match self {
            Const::Int(_) => Ty::PY_INT,
            Const::Float(_) => Ty::DOUBLE,
            Const::Bool(_) => Ty::Bool,
        }
    }
}

pub type Block = Vec<Stmt>;

#[derive(Clone, Debug)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum StmtKind {
    /// `local = value`; `value.ty` equals the local's type (the checker inserted any cast).
    Assign { local: LocalId, value: Expr },
    /// An expression evaluated for its effects (a call, usually).
    Expr(Expr),
    If { cond: Expr, then_body: Block, else_body: Block },
    /// `cond` has type `bint`. `orelse` runs when the loop ends without `break`.
    While { cond: Expr, body: Block, orelse: Block },
    /// `for var in range(start, stop, step)` with Python's semantics: bounds evaluated once,
    /// the trip count fixed before the first iteration, assignments to `var` in the body not
    /// affecting the iteration, and `var` keeping its last value afterwards.
    /// `start`, `stop` and `step` all have `var`'s type.
    ForRange { var: LocalId, start: Expr, stop: Expr, step: Expr, step_check: StepCheck, body: Block, orelse: Block },
    /// `for x in obj`: each iteration takes the next item of the iterator held by the
    /// `object` local `iter` (`PyIter_Next`) into the `object` local `item` (releasing the
    /// one before), then runs `body`; the end of the iterator runs `orelse`; an error from
    /// the iterator leaves through the error exit. The checker assigns `iter` first
    /// (`iter(obj)`), and `body` starts by assigning `item` to the loop's target.
    ForIter { iter: LocalId, item: LocalId, body: Block, orelse: Block },
    /// `t0, t1, ... = value` (and `t0, *t1, t2 = value` with `star: Some(1)`): the items of
    /// the owned object `value`, which is released afterwards, into the `object` locals
    /// `targets` (each releasing what it held), by the runtime's `unpack` service:
    /// CPython's `UNPACK_SEQUENCE`/`UNPACK_EX`, with its errors (`ValueError: too many
    /// values to unpack (expected 2)`, `TypeError: cannot unpack non-iterable int object`).
    /// The starred target gets a new list of the middle items. The checker then assigns
    /// each of `targets` (checker temporaries, read once with `Move`) to the real target.
    Unpack { value: Expr, targets: Vec<LocalId>, star: Option<u32> },
    /// Raises `raise` when the `bint` `cond` is true (a check done before the statement that
    /// needs it, in the frame it belongs to: a comprehension's `range` step of zero).
    Check { cond: Expr, raise: Raise },
    Break,
    Continue,
    /// `None` in a `void` function. The value has the function's return type.
    ///
    /// A function whose return type is a view returns the view's *owner* (the Python object
    /// its memory belongs to) as a new reference, internally and at the entry (see
    /// `abi::AbiType::View`): an array it created, or the object a view parameter was
    /// given. The checker allows only values whose owner is the whole view (a parameter, a
    /// created array, a local only ever assigned those), refuses view returns in `nogil`
    /// functions (a reference count needs the GIL), and refuses calls of view-returning
    /// functions from compiled code, so the owner is all a caller ever needs.
    Return(Option<Expr>),
    /// `view[indices] = value`: `view` is a local of a writable (`readonly == false`) view
    /// type, one index per dimension, each of type `Py_ssize_t`, and `value` has the
    /// element type. Evaluation order (Python's): `value`, then the indices left to right,
    /// then each index's check in axis order, then the store. See [`AxisCheck`].
    Store { view: LocalId, indices: Vec<Expr>, checks: Vec<AxisCheck>, value: Expr },
    /// `with nogil:`: the GIL is released (the runtime's `save_thread`) before `body` and
    /// taken back (`restore_thread`) on every way out of it: falling off the end, `break`
    /// and `continue` to a loop outside the block, `return`, and errors. Never nested, and
    /// never inside a `nogil` function; the checker refuses in `body` what needs the GIL.
    NoGil { body: Block },
    /// `view[...] = value` / `view[:] = value` (and any slice target): every element of the
    /// view (of any ndim) is set to `value`, which has the element type. `value` is
    /// evaluated first, then `view` (usually a [`ExprKind::Slice`]), then the elements are
    /// written in C order. The view type is writable.
    ViewFill { view: Expr, value: Expr },
    /// `dst[:] = src`: element-by-element copy between views of the same element type and
    /// ndim (`dst` writable). `src` is evaluated first, then `dst`. Per axis `k`, Cython's
    /// broadcasting rule: if the extents differ and `src`'s is 1, `src` is repeated along
    /// that axis; otherwise `extents[k]` is raised with `ctx.err_args = [dst extent, src
    /// extent]` (Cython: `ValueError: got differing extents in dimension k (got D and S)`).
    /// The copy runs forward in C order: overlapping `src` and `dst` are not supported
    /// (Cython copies through a temporary when they overlap; pycc gives the forward copy's
    /// result).
    ViewCopy { dst: Expr, src: Expr, extents: Vec<Raise> },
    /// `Module::cglobals[global] = value`; `value` has the global's type (owned if an
    /// object: the old value is released).
    StoreCGlobal { global: u32, value: Expr },
    /// `del name` of a global: removes the `str` constant `name` from the module's globals
    /// (`NameError: name 'x' is not defined` if absent, as CPython's `DELETE_GLOBAL`).
    DelGlobal { name: u32 },
}

/// One axis of a [`ExprKind::Slice`].
#[derive(Clone, Debug)]
pub enum SliceAxis {
    /// An integer index (type `Py_ssize_t`): the axis is dropped. `check` as for
    /// [`ExprKind::Index`], with Cython's slicing message (`SLICE_OUT_OF_BOUNDS`).
    Index { index: Expr, check: AxisCheck },
    /// `start:stop:step` with Python's slice semantics (`slice.indices(len)`): missing bounds
    /// default by the step's sign, negative bounds count from the end, then both are clamped
    /// to the axis. `start`/`stop`/`step` have type `Py_ssize_t`; a missing step is 1.
    /// `zero_step` is `Some` when the step may be zero at run time (it raises then); a
    /// constant step is never zero.
    Range { start: Option<Expr>, stop: Option<Expr>, step: Option<Expr>, zero_step: Option<Raise> },
}

impl ViewTy {
    /// The type of `self[axes]` (one axis per dimension, at least one `Range`): the
    /// element type and `readonly` of the source, one dimension per `Range`, C-contiguous
    /// when the source is and the result covers one contiguous run of it: integer indices
    /// first, then a `Range` of step 1, then only whole axes (`m[i]`, `m[1:3]`, `m[i, 2:]`).
    pub fn sliced(self, axes: &[SliceAxis]) -> ViewTy {
        let ndim = axes.iter().filter(|a| matches!(a, SliceAxis::Range { .. })).count() as u8;
        let first = axes.iter().position(|a| matches!(a, SliceAxis::Range { .. }));
        let keeps = first.is_some_and(|k| {
            matches!(axes[k], SliceAxis::Range { step: None, .. }) && axes[k + 1..].iter().all(SliceAxis::is_full)
        });
        ViewTy { ndim, c_contig: self.c_contig && keeps, ..self }
    }
}

impl SliceAxis {
    /// The whole axis (`:`).
    pub const FULL: SliceAxis = SliceAxis::Range { start: None, stop: None, step: None, zero_step: None };

    pub fn is_full(&self) -> bool {
        matches!(self, SliceAxis::Range { start: None, stop: None, step: None, .. })
    }
}

/// The checks on one index of a memoryview access, decided by the checker (Cython's
/// `wraparound` and `boundscheck` directives, and what it can prove).
///
/// With `wraparound`, a negative index has the axis length added (`a[-1]` is the last
/// element). Then, with `bounds`, an index outside `0 <= i < shape[axis]` raises it
/// (Cython: `IndexError: Out of bounds on buffer access (axis N)`). Without either, the
/// index is used as it is (C semantics: out of range is undefined behaviour, as in Cython).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AxisCheck {
    pub wraparound: bool,
    pub bounds: Option<Raise>,
}

impl AxisCheck {
    /// Neither check: the index is known to be in range (or the directives say so).
    pub const NONE: AxisCheck = AxisCheck { wraparound: false, bounds: None };
}

/// Cython's message for an out-of-bounds memoryview index, by axis.
pub const OUT_OF_BOUNDS: [Raise; 4] = [
    Raise::new(ExcKind::IndexError, "Out of bounds on buffer access (axis 0)"),
    Raise::new(ExcKind::IndexError, "Out of bounds on buffer access (axis 1)"),
    Raise::new(ExcKind::IndexError, "Out of bounds on buffer access (axis 2)"),
    Raise::new(ExcKind::IndexError, "Out of bounds on buffer access (axis 3)"),
];

/// Cython's message for an out-of-range integer index in a slicing expression (`m[i, :]`).
pub const SLICE_OUT_OF_BOUNDS: [Raise; 4] = [
    Raise::new(ExcKind::IndexError, "Index out of bounds (axis 0)"),
    Raise::new(ExcKind::IndexError, "Index out of bounds (axis 1)"),
    Raise::new(ExcKind::IndexError, "Index out of bounds (axis 2)"),
    Raise::new(ExcKind::IndexError, "Index out of bounds (axis 3)"),
];

/// Cython's message for a zero slice step, by axis.
pub const SLICE_STEP_ZERO: [Raise; 4] = [
    Raise::new(ExcKind::ValueError, "Step may not be zero (axis 0)"),
    Raise::new(ExcKind::ValueError, "Step may not be zero (axis 1)"),
    Raise::new(ExcKind::ValueError, "Step may not be zero (axis 2)"),
    Raise::new(ExcKind::ValueError, "Step may not be zero (axis 3)"),
];

/// Cython's message for a copy between views of different extents; `{0}` and `{1}` are
/// `ctx.err_args[0]` (the destination's extent) and `[1]` (the source's).
pub const DIFFERING_EXTENTS: [Raise; 4] = [
    Raise::new(ExcKind::ValueError, "got differing extents in dimension 0 (got {0} and {1})"),
    Raise::new(ExcKind::ValueError, "got differing extents in dimension 1 (got {0} and {1})"),
    Raise::new(ExcKind::ValueError, "got differing extents in dimension 2 (got {0} and {1})"),
    Raise::new(ExcKind::ValueError, "got differing extents in dimension 3 (got {0} and {1})"),
];

/// What the checker knows of a `range` step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepCheck {
    /// A constant step of known sign: no runtime check.
    Positive,
    Negative,
    /// A runtime step: zero raises `ValueError: range() arg 3 must not be zero`.
    Dynamic(Raise),
}

/// An exception that an operation raises when its check fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Raise {
    pub exc: ExcKind,
    pub msg: &'static str,
}

impl Raise {
    pub const fn new(exc: ExcKind, msg: &'static str) -> Raise {
        Raise { exc, msg }
    }
}

/// The Python exception types compiled code can raise. The runtime maps each to the
/// builtin exception; the numbering is part of the ABI (see `abi::ErrorSite`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ExcKind {
    ZeroDivisionError = 1,
    OverflowError = 2,
    ValueError = 3,
    IndexError = 4,
    RecursionError = 5,
    TypeError = 6,
    MemoryError = 7,
    SystemError = 8,
}

impl ExcKind {
    pub const ALL: &'static [ExcKind] = &[
        ExcKind::ZeroDivisionError,
        ExcKind::OverflowError,
        ExcKind::ValueError,
        ExcKind::IndexError,
        ExcKind::RecursionError,
        ExcKind::TypeError,
        ExcKind::MemoryError,
        ExcKind::SystemError,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ExcKind::ZeroDivisionError => "ZeroDivisionError",
            ExcKind::OverflowError => "OverflowError",
            ExcKind::ValueError => "ValueError",
            ExcKind::IndexError => "IndexError",
            ExcKind::RecursionError => "RecursionError",
            ExcKind::TypeError => "TypeError",
            ExcKind::MemoryError => "MemoryError",
            ExcKind::SystemError => "SystemError",
        }
    }

    pub fn from_u8(v: u8) -> Option<ExcKind> {
        ExcKind::ALL.iter().copied().find(|k| *k as u8 == v)
    }
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Ty,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Const(Const),
    Local(LocalId),
    /// Operand and result have the expression's type.
    Unary { op: UnaryOp, operand: Box<Expr> },
    /// Both operands have the same type as each other; the result type is the expression's
    /// (equal to the operands' for arithmetic, `double` for `TrueDiv` of integers is made
    /// explicit by casting the operands first, so operands and result always agree).
    Binary { op: BinOp, lhs: Box<Expr>, rhs: Box<Expr> },
    /// Both operands have the same type; the result is `bint`.
    /// Both operands have one type, except that a Python `int` and a `double` may meet:
    /// they are compared exactly, as CPython compares them.
    Compare { op: CmpOp, lhs: Box<Expr>, rhs: Box<Expr> },
    /// Short-circuit `and`/`or` over `bint` operands, result `bint`.
    BoolOp { op: BoolOpKind, lhs: Box<Expr>, rhs: Box<Expr> },
    /// `then if cond else else_`: `cond` is `bint`, both arms have the expression's type.
    IfExp { cond: Box<Expr>, then_expr: Box<Expr>, else_expr: Box<Expr> },
    /// Evaluates `value` into `local`, then evaluates to `body`. Used for chained
    /// comparisons (`a < b < c` evaluates `b` once) and other single-evaluation needs.
    Let { local: LocalId, value: Box<Expr>, body: Box<Expr> },
    /// A conversion between scalar types; see [`CastKind`].
    Cast { kind: CastKind, operand: Box<Expr> },
    /// A call to a compiled function of the module. Arguments are already converted to the
    /// parameter types, defaults filled in, in parameter order.
    Call { func: FuncId, args: Vec<Expr> },
    /// A math function; see [`MathFn`] for the operand types.
    Math { func: MathFn, args: Vec<Expr>, check: MathCheck },
    /// `view[indices]`: one index per dimension of the view local, each of type
    /// `Py_ssize_t`, with one [`AxisCheck`] each; the result has the element type. The
    /// indices are all evaluated (left to right) before any check.
    Index { view: LocalId, indices: Vec<Expr>, checks: Vec<AxisCheck> },
    /// `view.shape[axis]` (and `len(view)`, axis 0): `axis < ndim`, type `Py_ssize_t`.
    ViewShape { view: LocalId, axis: u8 },
    /// `view[a, b:c, ::d]`: a new view of the same memory. `view` has a view type; one
    /// [`SliceAxis`] per dimension of it (the checker fills missing trailing axes and `...`
    /// with [`SliceAxis::FULL`]); at least one is a `Range`. The result type has the source's
    /// element type and `readonly`, one dimension per `Range` axis, and is `c_contig` only
    /// when the source is and the axes keep it so (see `ViewTy::slice_keeps_c_contig`).
    /// Evaluation: `view`, then each axis's expressions (start, stop, step) left to right,
    /// then the checks in axis order. The value points at a descriptor that codegen writes
    /// into a stack slot of the function (one per `Slice` node, rewritten at each
    /// evaluation, so valid until then). Codegen gives a view local that can be assigned
    /// such a value a slot of its own and copies the descriptor into it on assignment, so
    /// view locals keep value semantics (`prev = cur` in a loop keeps the old slice).
    Slice { view: Box<Expr>, axes: Vec<SliceAxis> },
    /// A new array (`bytearray(n)`, `numpy.empty/zeros/ones(shape, dtype=...)`): the type is
    /// a writable C-contiguous view (`double[:, ::1]`) with one `Py_ssize_t` in `args` per
    /// axis, evaluated left to right. Fails with the exception Python raises (a negative
    /// size: `ValueError`). Needs the GIL (never in a `nogil` block or function).
    ///
    /// With `ArrayKind::Buffer`, the view of an existing object (Cython's coercion of an
    /// object to a memoryview: `cdef double[:] v = arr`, an object passed to a view
    /// parameter): `args` is that one object, borrowed; the type is any view, whose element
    /// type, dimensions, layout and writability are checked when it runs, with the errors
    /// of a view argument. The site's reference is a holder of the acquired buffer (so the
    /// exporter can neither go away nor resize while the view is used); the descriptor's
    /// owner is the exporter, which a returned view hands back.
    ///
    /// Ownership: `site` numbers the creation sites of the function from 0 (the checker's
    /// last step numbers them in order). The function keeps one reference per site, in a
    /// frame slot that is null at entry; executing the site again first releases the
    /// object it made before; every exit (each `return`, falling off the end, the error
    /// exit) releases them all, exactly once. Because of that reuse, the checker refuses to
    /// copy a view made by a site inside a loop into another local (`prev = cur`): the
    /// copy would outlive the next execution of the site.
    NewArray { kind: ArrayKind, args: Vec<Expr>, site: u32 },
    /// A call of the C-API function `func` (an entry of `capi::C_API`, which says how it
    /// fails and what it does to references). One argument per C parameter: `object`
    /// arguments are *borrowed* by the call (functions that steal are not used), other
    /// arguments have the C parameter's type. The type is the function's result type
    /// (`object` for `PyObject *`). A failure (per `func.fails`) leaves the function through
    /// the error exit with the Python exception set (`Ctx::ERR_PYTHON`).
    ///
    /// References (the rule `check/refs.rs` establishes, and `validate.rs` checks): an
    /// `object` expression is *owned* (a new reference the consumer must release or keep)
    /// when it is a `CApi` with a new-reference result, a `Call`, `NoneObj`, `NewRef`, or an
    /// `IfExp`/`Let`/`Release` whose value is owned; it is *borrowed* when it is a `Local` or
    /// a `Temp`. Borrowing positions (arguments of `CApi` and `Call`) take only borrowed
    /// values; owning positions (`Assign`, `Return`, `Let`, `IfExp` arms) take only owned
    /// ones. An `Assign` to an `object` local releases the value it held. `object`
    /// parameters are owned by the callee (a reference is taken at entry), and every
    /// `object` local and temporary slot is released on every exit.
    CApi { func: &'static crate::capi::CApiFn, args: Vec<Expr> },
    /// `None`, owned.
    NoneObj,
    /// Evaluates the owned `value` into temporary slot `slot` (null before, by the rule
    /// below) and is that object, borrowed. The slot is released by the enclosing `Release`.
    Temp { slot: u32, value: Box<Expr> },
    /// Evaluates `value`, then releases the temporary slots `slots` (and nulls them, so
    /// that the error exit, which releases every slot, releases each reference once).
    Release { value: Box<Expr>, slots: Vec<u32> },
    /// A new reference to the borrowed object `value` (`Py_INCREF`).
    NewRef(Box<Expr>),
    /// The borrowed object `value`, checked to be `None` or exactly of the kind `kind` (not
    /// `Any`); the expression's type is `Object(kind)`, and it is `value`, borrowed.
    /// Otherwise `TypeError: Expected list, got tuple` (Cython's `__Pyx_TypeTest` for an
    /// assignment to a typed variable or a typed `return`), through the runtime's
    /// `check_kind` service. With `arg`, the check of an argument of a compiled call, as
    /// the call from Python checks it (`Argument 'xs' has incorrect type ...`).
    CheckKind { value: Box<Expr>, kind: ObjKind, arg: Option<ArgCheck> },
    /// The module's constant object `Module::constants[k]` (a `str`, `bytes`, big `int`),
    /// borrowed (the module keeps it alive).
    ModConst(u32),
    /// The global named by the `str` constant `name`: the module's globals, then the
    /// builtins, at the time it runs (CPython's `LOAD_GLOBAL`). Owned; a missing name raises
    /// `NameError: name 'x' is not defined`.
    LoadGlobal { name: u32 },
    /// The module's globals dict (`Ctx::globals`), borrowed: stores to a global are
    /// `PyDict_SetItem(Globals, name, value)`.
    Globals,
    /// The value of `Module::cglobals[k]`, of that global's type (borrowed if an object).
    CGlobal(u32),
    /// `from <module> import <name>` once the module object `module` (borrowed) is
    /// imported: the runtime's `import_from` (CPython's `IMPORT_FROM`: the attribute, else
    /// the submodule, else `ImportError`). `name` is a `str` constant; owned.
    ImportFrom { module: Box<Expr>, name: u32 },
    /// `callee(*args)` through the vectorcall protocol. With `kwnames` (a tuple-of-`str`
    /// constant), the last `len(kwnames)` arguments are the keyword arguments' values.
    /// `callee` and every argument are objects, borrowed; the result is owned. Evaluation:
    /// the callee, then the arguments left to right (Python's order).
    CallObject { callee: Box<Expr>, args: Vec<Expr>, kwnames: Option<u32> },
    /// `args[0].<name>(*args[1..])` (`PyObject_VectorcallMethod`; `name` a `str` constant);
    /// otherwise as `CallObject`.
    CallMethod { name: u32, args: Vec<Expr>, kwnames: Option<u32> },
    /// A tuple, list or set display of `items`, or a dict display of `items` taken as key,
    /// value pairs, evaluated left to right. Items are objects, borrowed (the container
    /// takes its own references); the result is owned. A dict or set raises what hashing a
    /// key raises (`TypeError: unhashable type`).
    Build { kind: BuildKind, items: Vec<Expr> },
    /// Runs `body`, then is `value` (owned when `value` is). Comprehensions and the
    /// generator expressions compiled as loops: `body` has their loops, which assign only
    /// locals of their own (the comprehension's scope); `break`/`continue` in `body` leave
    /// only loops inside it, and `body` has no `return`. `frame` names the Python frame
    /// the body and value run in (`<listcomp>`, `<genexpr>`), for tracebacks.
    Seq { body: Block, value: Box<Expr>, frame: Option<Frame> },
    /// The reference held by the `object` local `local` (a checker temporary that is not
    /// read again before it is assigned), owned: the local is left null, which its
    /// releases on exit skip.
    Move(LocalId),
    /// `target.extend(value)` and friends for star arguments and star items (`f(*xs)`,
    /// `[*xs]`, `{**d}`), by the runtime's `merge` service, with CPython 3.11's errors (see
    /// [`MergeOp`]). `target` (the list, set or dict being built), `value` and `func` (the
    /// callee, named in call messages) are objects, borrowed. Type `int`: 0; a failure
    /// leaves through the error exit with the Python exception set.
    Merge { op: MergeOp, target: Box<Expr>, value: Box<Expr>, func: Option<Box<Expr>> },
    /// A field of the borrowed object `obj`, read without a call (CPython's `Py_TYPE`,
    /// `Py_SIZE`, `PyFloat_AS_DOUBLE` macros; offsets in `capi::layout`). The type is the
    /// field's ([`Field::ty`]); the checker reads a field only of an object it knows (or
    /// has just tested) to be exactly of the type that has it.
    Field { obj: Box<Expr>, field: Field },
    /// `PyTuple_GET_ITEM(obj, index)` / `PyList_GET_ITEM(obj, index)` (`kind` is `Tuple` or
    /// `List`): the item of the borrowed object `obj`, exactly of that kind, at the
    /// `Py_ssize_t` `index`, which the checker has compared with its size. Borrowed.
    Item { obj: Box<Expr>, index: Box<Expr>, kind: ObjKind },
}

/// A field an [`ExprKind::Field`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `ob_type`: the object's type, borrowed (compared by identity with a type constant).
    Type,
    /// `ob_size` of a list, tuple, bytes or bytearray: its length.
    VarSize,
    /// `ma_used` of a dict: its length.
    DictUsed,
    /// `used` of a set or frozenset: its length.
    SetUsed,
    /// `ob_fval` of a float.
    FloatValue,
}

impl Field {
    pub const ALL: &'static [Field] = &[Field::Type, Field::VarSize, Field::DictUsed, Field::SetUsed, Field::FloatValue];

    /// The type of the value read.
    pub fn ty(self) -> Ty {
        match self {
            Field::Type => Ty::OBJECT,
            Field::VarSize | Field::DictUsed | Field::SetUsed => Ty::Int(IntKind::SSizeT),
            Field::FloatValue => Ty::DOUBLE,
        }
    }

    /// The name `--emit tir` shows (the C struct member).
    pub fn name(self) -> &'static str {
        match self {
            Field::Type => "ob_type",
            Field::VarSize => "ob_size",
            Field::DictUsed => "ma_used",
            Field::SetUsed => "used",
            Field::FloatValue => "ob_fval",
        }
    }

    /// The length field of an object of kind `kind`, if it has one that is exactly its
    /// `len()` (a `str`'s length needs the string to be ready: it is a call).
    pub fn len_of(kind: ObjKind) -> Option<Field> {
        match kind {
            ObjKind::List | ObjKind::Tuple | ObjKind::Bytes | ObjKind::ByteArray => Some(Field::VarSize),
            ObjKind::Dict => Some(Field::DictUsed),
            ObjKind::Set | ObjKind::FrozenSet => Some(Field::SetUsed),
            ObjKind::Any | ObjKind::Str => None,
        }
    }
}

/// What an [`ExprKind::Merge`] does; the code is `abi::Services::merge`'s `op`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeOp {
    /// `LIST_EXTEND` (a star item of a list or tuple display, or of a call's positional
    /// arguments): `TypeError: Value after * must be an iterable, not int`.
    ListExtend = 0,
    /// The one star argument of a call (`f(*xs)`, `CALL_FUNCTION_EX`'s own check):
    /// `TypeError: f() argument after * must be an iterable, not int` (needs `func`).
    CallStar = 1,
    /// `SET_UPDATE` (a star item of a set display): `'int' object is not iterable`.
    SetUpdate = 2,
    /// `DICT_UPDATE` (`**` in a dict display; later keys win): `'int' object is not a mapping`.
    DictUpdate = 3,
    /// `DICT_MERGE` (`**` and the keywords after one in a call; needs `func`):
    /// `f() argument after ** must be a mapping, not int`, `f() got multiple values for
    /// keyword argument 'k'`.
    CallKwargs = 4,
}

impl MergeOp {
    pub fn name(self) -> &'static str {
        match self {
            MergeOp::ListExtend => "list_extend",
            MergeOp::CallStar => "call_star",
            MergeOp::SetUpdate => "set_update",
            MergeOp::DictUpdate => "dict_update",
            MergeOp::CallKwargs => "call_kwargs",
        }
    }

    pub fn needs_func(self) -> bool {
        matches!(self, MergeOp::CallStar | MergeOp::CallKwargs)
    }
}

/// The Python frame code runs in, for tracebacks (see `ExprKind::Seq`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// The function's own (the consumer of a generator expression: `sum`'s additions).
    Function,
    /// A comprehension's or generator expression's (`<listcomp>`, `<genexpr>`).
    Named(&'static str),
}

/// The parameter a [`ExprKind::CheckKind`] checks an argument for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArgCheck {
    /// The parameter's name, a `str` constant.
    pub name: u32,
    pub none_ok: bool,
    /// The parameter's type is an annotation (Cython's message for a subclass adds a note).
    pub annotated: bool,
}

impl ArgCheck {
    /// The `check_kind` service's flags: bit 8, `None` refused; bit 9, an annotation.
    pub fn flags(arg: Option<ArgCheck>) -> u32 {
        match arg {
            None => 0,
            Some(a) => (u32::from(!a.none_ok) << 8) | (u32::from(a.annotated) << 9),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildKind {
    Tuple,
    List,
    Set,
    Dict,
}

impl BuildKind {
    /// The kind of object the display makes.
    pub fn obj_kind(self) -> ObjKind {
        match self {
            BuildKind::Tuple => ObjKind::Tuple,
            BuildKind::List => ObjKind::List,
            BuildKind::Set => ObjKind::Set,
            BuildKind::Dict => ObjKind::Dict,
        }
    }
}

/// What kind of object a `NewArray` creates; the code is `abi::Services::new_array`'s `kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayKind {
    /// `numpy.empty`: uninitialised elements.
    Empty = 0,
    /// `numpy.zeros`.
    Zeros = 1,
    /// `numpy.ones`.
    Ones = 2,
    /// `bytearray(n)`: `unsigned char[::1]`, zero-filled.
    ByteArray = 3,
    /// The buffer of an object that already exists (an object converted to a view).
    Buffer = 4,
}

impl ArrayKind {
    pub fn code(self) -> u32 {
        self as u32
    }

    pub fn from_code(code: u32) -> Option<ArrayKind> {
        [ArrayKind::Empty, ArrayKind::Zeros, ArrayKind::Ones, ArrayKind::ByteArray, ArrayKind::Buffer].into_iter().find(|k| k.code() == code)
    }

    /// The name the TIR text and messages use.
    pub fn name(self) -> &'static str {
        match self {
            ArrayKind::Empty => "numpy.empty",
            ArrayKind::Zeros => "numpy.zeros",
            ArrayKind::Ones => "numpy.ones",
            ArrayKind::ByteArray => "bytearray",
            ArrayKind::Buffer => "memoryview of an object",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`; `overflow` is `Some` for checked integers (`-(-2**63)` raises).
    Neg { overflow: Option<Raise> },
    /// `~x` on integers.
    Invert,
    /// `not x` on `bint`.
    Not,
    /// `abs(x)`; integers: `overflow` as for `Neg`.
    Abs { overflow: Option<Raise> },
}

/// Integer overflow behaviour of `+ - *`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// C semantics: wrap modulo 2^bits (Cython `cdef int`).
    Wrap,
    /// Python `int` values: raise instead of wrapping.
    Check(Raise),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add(Overflow),
    Sub(Overflow),
    Mul(Overflow),
    /// Float division. `zero` is `Some` unless cdivision: `x / 0.0` raises.
    TrueDiv { zero: Option<Raise> },
    /// `//`. `python`: round toward negative infinity (Python) instead of toward zero (C).
    /// `zero` as for `TrueDiv`; integers also check `MIN // -1` when `overflow` is `Some`.
    FloorDiv { python: bool, zero: Option<Raise>, overflow: Option<Raise> },
    /// `%`. `python`: the result takes the divisor's sign (Python) instead of the dividend's (C).
    Mod { python: bool, zero: Option<Raise> },
    /// `%` of floats as Cython computes it without `cdivision` (`__Pyx_mod_double`):
    /// `r = fmod(a, b); r += ((r != 0) & ((r < 0) != (b < 0))) * b`. Unlike Python's, a zero
    /// remainder keeps the dividend's sign and `5.0 % inf` is NaN (`0 * inf`). `zero` as
    /// for `TrueDiv`.
    CyFloatMod { zero: Option<Raise> },
    /// `**`. Integers: `exponent < 0` raises `neg_exp` (the checker only types `int ** int`
    /// as an integer when that is Python's result type); `overflow` as for `Mul`.
    /// Floats: C `pow`; `zero` raises for `0.0 ** negative` (Python's rule).
    Pow { overflow: Overflow, neg_exp: Option<Raise>, zero: Option<Raise> },
    BitAnd,
    BitOr,
    BitXor,
    /// `<<` and `>>`: a negative count raises `neg_count` (Python) when `Some`. Shifts by the
    /// width or more give Python's result (0, or -1 for `>>` of a negative value); a `<<` of
    /// a checked integer that loses bits raises `overflow`.
    Shl { neg_count: Option<Raise>, overflow: Option<Raise> },
    Shr { neg_count: Option<Raise> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// The operator with its operands swapped: `a < b` is `b > a`.
    pub fn swapped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            op => op,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolOpKind {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CastKind {
    /// Integer to integer: truncate or extend by the source's signedness (C).
    IntWrap,
    /// Integer to integer, raising when the value does not fit (Python `int` targets).
    IntChecked(Raise),
    /// Integer to float (rounds to nearest).
    IntToFloat,
    /// Float to integer, C cast: truncate toward zero, saturating (no undefined values).
    FloatToIntTrunc,
    /// Float to integer as Python `int(x)`: NaN raises `nan`, infinities raise `inf`, finite
    /// values out of the target's range raise `overflow`.
    FloatToIntChecked { nan: Raise, inf: Raise, overflow: Raise },
    /// `float` <-> `double`.
    FloatResize,
    /// Any scalar to `bint`: nonzero is true (NaN is true, as in Python).
    ToBool,
    /// `bint` to an integer or float type (0 or 1).
    FromBool,
    /// A memoryview used where a less constrained view type is expected (C-contiguous →
    /// strided, writable → `const`; see `ViewTy::converts_to`): the same descriptor.
    ViewRelax,
    /// A whole memoryview used as a Python object: its owner (the array, or the object the
    /// view was taken from), a new reference. Only on whole views (a parameter, an array
    /// made here, an object's buffer, or a local only ever assigned those: `check/alloc.rs`
    /// refuses the others, whose owner is more than the view).
    ViewObject,
}

/// Functions of `math` / `libc.math`, and the `min`/`max` builtins. All take and return
/// `double`, except: `Floor`/`Ceil` return the expression's integer type when it is one
/// (Python's `math.floor` returns `int`), `IsNan`/`IsInf`/`IsFinite` return `bint`,
/// `Min`/`Max` take two operands of the expression's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathFn {
    Sqrt,
    Exp,
    Expm1,
    Log,
    Log2,
    Log10,
    Log1p,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Pow,
    Floor,
    Ceil,
    Trunc,
    Fabs,
    Fmod,
    Hypot,
    Copysign,
    IsNan,
    IsInf,
    IsFinite,
    Min,
    Max,
}

impl MathFn {
    /// The libm symbol that computes it, or `None` for those codegen emits inline.
    pub fn libm_symbol(self) -> Option<&'static str> {
        use MathFn::*;
        Some(match self {
            Exp => "exp",
            Expm1 => "expm1",
            Log => "log",
            Log2 => "log2",
            Log10 => "log10",
            Log1p => "log1p",
            Sin => "sin",
            Cos => "cos",
            Tan => "tan",
            Asin => "asin",
            Acos => "acos",
            Atan => "atan",
            Atan2 => "atan2",
            Sinh => "sinh",
            Cosh => "cosh",
            Tanh => "tanh",
            Asinh => "asinh",
            Acosh => "acosh",
            Atanh => "atanh",
            Pow => "pow",
            Fmod => "fmod",
            Hypot => "hypot",
            Sqrt | Floor | Ceil | Trunc | Fabs | Copysign | IsNan | IsInf | IsFinite | Min | Max => return None,
        })
    }
}

/// How a math call reports domain and range errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathCheck {
    /// C semantics (`libc.math`): NaN and infinities come back as values.
    None,
    /// Python's `math` module: a NaN result from non-NaN arguments raises
    /// `ValueError: math domain error`; an infinite result from finite arguments raises
    /// `OverflowError: math range error` when `can_overflow`, else the domain error.
    /// `Floor`/`Ceil` to an integer raise as `int()` does.
    Python { can_overflow: bool },
}

impl Expr {
    pub fn new(kind: ExprKind, ty: Ty, span: Span) -> Expr {
        Expr { kind, ty, span }
    }
}
