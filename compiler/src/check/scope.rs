//! Check: the module's symbol table (functions, imports, directives) and the per-function
//! table of locals (declared and inferred), consumed by every other part of `check/`.

use super::infer::InferState;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::{ast, span_of};
use crate::tir::{self, FuncId, FuncKind, LocalId, Ty};
use std::collections::{BTreeSet, HashMap, HashSet};

/// The span of any AST node.
pub(crate) fn span<T: ast::Ranged>(node: &T) -> Span {
    span_of(node.range())
}

/// The blocks a statement contains (not the bodies of nested functions or classes), in
/// source order: for walkers over a body's statements at any depth.
pub(crate) fn nested_blocks(s: &ast::Stmt) -> Vec<&[ast::Stmt]> {
    match s {
        ast::Stmt::If(i) => vec![&i.body, &i.orelse],
        ast::Stmt::While(w) => vec![&w.body, &w.orelse],
        ast::Stmt::For(f) => vec![&f.body, &f.orelse],
        ast::Stmt::With(w) => vec![&w.body],
        ast::Stmt::Try(t) => {
            let mut out: Vec<&[ast::Stmt]> = vec![&t.body];
            out.extend(t.handlers.iter().map(|h| {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                h.body.as_slice()
            }));
            out.extend([t.orelse.as_slice(), t.finalbody.as_slice()]);
            out
        }
        _ => Vec::new(),
    }
}

/// A module pycc knows how to compile references to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModKind {
    /// Python's `math`: domain and range errors raise as CPython does.
    Math,
    /// Cython's `libc.math` (`from libc cimport math`): C semantics.
    LibcMath,
    /// `cython` (pure-Python mode names and decorators).
    Cython,
    /// `pycc` or `numba`: only their `jit`/`njit` decorators are used.
    Jit,
    /// `numpy` (`import numpy as np`, `cimport numpy`): only `empty`, `zeros` and `ones`
    /// are compiled (see `alloc.rs`), and its dtypes as their `dtype=` argument.
    Numpy,
    /// `typing`, `typing_extensions`, `mypy_extensions`: names for annotations only.
    Typing,
}

/// What a module-level name refers to, other than a function of the module.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Global {
    Module(ModKind),
    /// A math function imported by name; `libc` for `from libc.math cimport ...`.
    MathFn { name: String, libc: bool },
    MathConst(f64),
    /// A name imported from `cython` (`from cython import double, cfunc`), by its cython name.
    Cython(String),
    /// `jit`/`njit` imported from pycc or numba.
    Jit,
    /// A name imported from `typing` (or `typing_extensions`, `mypy_extensions`), by its
    /// name there: `List`, `Optional`, `i64`. Annotations read it (`check/ty.rs`).
    Typing(String),
    /// A name of the module's Python namespace (a global variable, a module or name
    /// imported at run time, a class; for `@jit`, a global of the function's module, with
    /// `what` its kind): read from the globals, then the builtins, when the line runs.
    Python { what: String },
    /// A C global of the module (`cdef int counter` at module level): index into
    /// `ModuleEnv::cglobals`.
    CVar(u32),
}

/// Cython compiler directives in effect for a function (or a `with cython.X(...):` block).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Directives {
    /// C semantics for `//` and `%` on ints, and no zero checks on `/`, `//`, `%`.
    pub cdivision: bool,
    /// Overflow-checked arithmetic on C integers too.
    pub overflowcheck: bool,
    /// Memoryview indices are checked against the shape (Cython's default: on).
    pub boundscheck: bool,
    /// Negative memoryview indices count from the end (Cython's default: on).
    pub wraparound: bool,
}

impl Default for Directives {
    /// Cython's defaults.
    fn default() -> Directives {
        Directives { cdivision: false, overflowcheck: false, boundscheck: true, wraparound: true }
    }
}

/// A function's signature, resolved once before any body is checked.
#[derive(Clone, Debug)]
pub(crate) struct FuncSig {
    pub name: String,
    /// The whole `def`, and just its name.
    pub span: Span,
    pub name_span: Span,
    pub kind: FuncKind,
    pub doc: Option<String>,
    pub params: Vec<tir::Param>,
    /// The declared return type; `None` means inferred from the `return` statements.
    pub declared_ret: Option<Ty>,
    /// Types from `@cython.locals(...)`.
    pub locals: HashMap<String, (Ty, Span)>,
    pub directives: Directives,
    pub nogil: bool,
    /// `cdef inline` / `@cython.inline`.
    pub inline: bool,
}

impl FuncSig {
    /// The signature of the module body (`FuncKind::ModuleBody`): `<module>()`, returning
    /// `None`, spanning the module's own code.
    pub fn module_body(body: &[ast::Stmt], directives: Directives) -> FuncSig {
        let sp = match (body.first(), body.last()) {
            (Some(a), Some(b)) => span(a).to(span(b)),
            _ => Span::new(0, 0),
        };
        FuncSig {
            name: "<module>".into(),
            span: sp,
            name_span: Span::new(sp.start, sp.start),
            kind: FuncKind::ModuleBody,
            doc: None,
            params: Vec::new(),
            declared_ret: Some(Ty::OBJECT),
            locals: HashMap::new(),
            directives,
            nogil: false,
            inline: false,
        }
    }
}

/// In `for var in range(lo, view.shape[axis] - hi)` (constants `lo`, `hi` >= 0, positive
/// step, neither `var` nor `view` assigned in the body), `var + c` is a valid index of that
/// axis for every constant `-lo <= c <= hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SafeIndex {
    pub var: LocalId,
    pub view: LocalId,
    pub axis: u8,
    pub lo: i128,
    pub hi: i128,
}

impl SafeIndex {
    pub fn covers(&self, var: LocalId, view: LocalId, axis: u8, offset: i128) -> bool {
        self.var == var && self.view == view && self.axis == axis && -self.lo <= offset && offset <= self.hi
    }
}

/// The module-level symbol table.
#[derive(Debug, Default)]
pub(crate) struct ModuleEnv {
    pub is_pyx: bool,
    pub funcs: Vec<FuncSig>,
    pub func_ids: HashMap<String, FuncId>,
    pub globals: HashMap<String, Global>,
    pub directives: Directives,
    /// The module's constant objects (`tir::Module::constants`), each once.
    pub constants: std::cell::RefCell<Vec<crate::abi::ConstObj>>,
    /// The module's C globals (`tir::Module::cglobals`).
    pub cglobals: Vec<tir::CGlobal>,
    /// Every name the module's own code binds (assignments, imports, loop targets,
    /// `global` declarations in functions): the globals of the module body.
    pub module_names: HashSet<String>,
    /// Non-constant defaults of object parameters may be evaluated by the module's code
    /// (`ParamDefault::Global`): not in a `@jit` unit, which has none.
    pub deferred_defaults: bool,
    /// The module's lambdas and nested `def`s, by the start of their node (`nested.rs`).
    pub nested: HashMap<u32, super::nested::NestedFn>,
    /// The import statements written as `cimport` (by start), as `CythonInfo::cimports`.
    pub cimports: HashSet<u32>,
}

impl ModuleEnv {
    pub fn global(&self, name: &str) -> Option<&Global> {
        self.globals.get(name)
    }

    pub fn func_id(&self, name: &str) -> Option<FuncId> {
        self.func_ids.get(name).copied()
    }

    pub fn sig(&self, id: FuncId) -> &FuncSig {
        &self.funcs[id.0 as usize]
    }

    /// The index of the constant object `c` (added on first use).
    pub fn constant(&self, c: crate::abi::ConstObj) -> u32 {
        let mut pool = self.constants.borrow_mut();
        if let Some(i) = pool.iter().position(|x| *x == c) {
            return i as u32;
        }
        pool.push(c);
        (pool.len() - 1) as u32
    }
}

/// The current estimate of each function's return type, across the module's inference
/// rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetEst {
    Known(Ty),
    /// Inferred, and no `return` whose value does not depend on a pending call was seen yet.
    Pending,
}

/// The state of one function's check (one pass over its body).
pub(crate) struct FnCx<'a> {
    pub env: &'a ModuleEnv,
    pub sig: &'a FuncSig,
    pub rets: &'a [RetEst],
    /// This function's return type for this pass (`None` while pending).
    pub ret: Option<Ty>,
    pub locals: Vec<tir::Local>,
    pub names: HashMap<String, LocalId>,
    /// Locals whose type is declared (parameters, annotations, `cdef`, `@cython.locals`).
    pub declared: HashMap<String, Ty>,
    /// Locals declared twice with different types: assignments to them report nothing more.
    pub conflicted: HashSet<String>,
    pub infer: &'a mut InferState,
    pub diags: Vec<Diagnostic>,
    pub loop_depth: u32,
    pub calls: BTreeSet<FuncId>,
    /// The types of the values of this pass's `return` statements (for inferred returns).
    pub ret_obs: super::infer::RetObs,
    pub ntemps: u32,
    /// The directives in effect here: the function's, changed by `with cython.X(...):`.
    pub directives: Directives,
    /// View locals certainly assigned at this point (parameters, and locals assigned
    /// earlier on every path); reading another view local is an error.
    pub views_set: HashSet<LocalId>,
    /// The enclosing `for` loops whose variable is provably a valid index of a view's axis,
    /// give or take a constant (see `view.rs`).
    pub safe_indices: Vec<SafeIndex>,
    /// Inside a `with nogil:` block.
    pub in_nogil: bool,
    /// Names that are globals here, not locals: every name of the module body, and the
    /// names of a function's `global` declarations.
    pub globals_here: HashSet<String>,
    /// The locals of comprehension scopes (`comprehension.rs`): typed when declared, not
    /// inferred.
    pub comp_locals: HashSet<LocalId>,
    /// Locals bound by `import math` / `import numpy as np` in the body itself, with the
    /// end of that statement: later uses compile as the module's (`nested::local_modules`).
    pub local_modules: HashMap<String, (ModKind, u32)>,
    /// Locals bound once by a nested `def` of the body itself, with the end of that `def`:
    /// later calls are direct calls (`nested::local_functions`).
    pub local_funcs: HashMap<String, (FuncId, u32)>,
    /// Cython's type of a C expression where it is not the C type, by span, with the C
    /// type: an integer literal meeting a C `float` is the `double` constant `100.0`, so
    /// `v + 100` computes in `double` and is a `float` for Cython; a shift computes in its
    /// promoted left operand and is the wider of both operands' types for Cython. Where
    /// Cython keeps such a value in a temporary of its type (an inferred local, `x if c
    /// else y`, `or`, `min`, `abs`, a checked divisor's operands) or boxes an integer, the
    /// value is converted to Cython's type ([`FnCx::narrowed`]).
    pub narrow: HashMap<Span, (Ty, Ty)>,
    /// Negative integer literals that Cython writes as C `long` constants (`-100L`), by
    /// span: a minus sign on a literal and a folded `+`/`-` (`(3 - 5)` is `-2L`; a folded
    /// `*` or `~` is an `int`, as Cython writes it). `(-100) ^ c` is a `long`.
    pub long_lits: HashSet<Span>,
}

impl<'a> FnCx<'a> {
    pub fn error(&mut self, code: Code, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, span, msg));
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn unsupported(&mut self, span: Span, msg: impl Into<String>) {
        self.error(Code::UnsupportedSyntax, span, msg);
    }

    pub fn is_pyx(&self) -> bool {
        self.env.is_pyx
    }

    /// Checking the module's own code (`FuncKind::ModuleBody`).
    pub fn in_module_body(&self) -> bool {
        self.sig.kind == FuncKind::ModuleBody
    }

    /// The compile-time module `name` is at `sp`: a module-level import, or a local bound
    /// by an earlier `import math` of this function (`local_modules`).
    pub fn module_kind(&self, name: &str, sp: Span) -> Option<ModKind> {
        if self.names.contains_key(name) {
            return self.local_modules.get(name).filter(|(_, end)| sp.start >= *end).map(|(k, _)| *k);
        }
        match self.env.global(name) {
            Some(Global::Module(k)) => Some(*k),
            _ => None,
        }
    }

    pub fn directives(&self) -> Directives {
        self.directives
    }

    /// A fresh local for a value the checker needs to evaluate once.
    pub fn temp(&mut self, ty: Ty, span: Span) -> LocalId {
        let id = LocalId(self.locals.len() as u32);
        self.locals.push(tir::Local { name: format!("$t{}", self.ntemps), ty, span });
        self.ntemps += 1;
        id
    }

    pub fn local_ty(&self, id: LocalId) -> Ty {
        self.locals[id.0 as usize].ty
    }

    /// The return type a call to `id` has in this pass: the declared or estimated type, or
    /// `None` while it is pending.
    pub fn ret_of(&self, id: FuncId) -> Option<Ty> {
        match self.rets.get(id.0 as usize) {
            Some(RetEst::Known(t)) => Some(*t),
            _ => None,
        }
    }
}
