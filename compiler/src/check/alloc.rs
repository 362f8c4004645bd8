//! Check: creating arrays in compiled code (AST calls → TIR `NewArray`), and the ownership
//! rules the function's TIR must follow once checked (`finish_arrays`).
//!
//! `bytearray(n)` is an `unsigned char[::1]` view of a new, zero-filled `bytearray`;
//! `numpy.empty/zeros/ones(shape, dtype=...)` a C-contiguous view of a new NumPy array,
//! with `shape` an integer or a tuple display of 1 to 4 integers and `dtype` a NumPy type
//! (`np.float64`, `np.int32`, ...), its name as a string (`"f8"`, `"int32"`), or Python's
//! `float`/`int` (NumPy's `float64`/`int64`); float64 when omitted.
//!
//! The function owns one reference per creation site, released when the site runs again
//! and on every exit (see `tir::ExprKind::NewArray`). What that design cannot express is
//! refused here, after the body is checked: a copy of a view made by a site inside a loop
//! into another local (the copy would outlive the next run of the site), creating arrays
//! or returning views in `nogil` functions (reference counts need the GIL), and returning
//! or using as a Python object (`CastKind::ViewObject`) a view that is not its owner's
//! whole memory. Objects become views through their buffer (`ArrayKind::Buffer`, a site
//! like the others); a call of a view-returning function is the owner object it returns.

use super::convert::Target;
use super::expr::Val;
use super::scope::{span, FnCx};
use crate::diagnostics::Code;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{visit, ArrayKind, Block, CastKind, Expr, ExprKind, FloatKind, IntKind, LocalId, StmtKind, Ty, ViewElem, ViewTy};
use std::collections::HashSet;

const SSIZE: Ty = Ty::Int(IntKind::SSizeT);

/// The element type of a NumPy dtype name (`float64`, `f8`, `intc`, ...), as Cython types
/// them on x86-64 Linux (`np.int64` is `long`).
fn dtype_elem(name: &str) -> Option<ViewElem> {
    use IntKind::*;
    let int = ViewElem::Int;
    Some(match name {
        "float64" | "f8" | "d" | "double" | "float_" => ViewElem::Float(FloatKind::Double),
        "float32" | "f4" | "f" | "single" => ViewElem::Float(FloatKind::Float),
        "int64" | "i8" | "q" | "l" | "int_" | "intp" | "longlong" | "long" => int(Long),
        "int32" | "i4" | "i" | "intc" => int(Int),
        "int16" | "i2" | "h" | "short" => int(Short),
        "int8" | "i1" | "b" | "byte" => int(SChar),
        "uint64" | "u8" | "Q" | "L" | "uint" | "uintp" | "ulonglong" | "ulong" => int(ULong),
        "uint32" | "u4" | "I" | "uintc" => int(UInt),
        "uint16" | "u2" | "H" | "ushort" => int(UShort),
        "uint8" | "u1" | "B" | "ubyte" => int(UChar),
        _ => return None,
    })
}

impl FnCx<'_> {
    /// `bytearray(n)`.
    pub(crate) fn call_bytearray(&mut self, call: &ast::ExprCall, name_span: Span, sp: Span) -> Val {
        let [size] = call.args.as_slice() else {
            self.check_args_for_errors(call);
            let msg = "`bytearray` is only supported with one argument, its size (`bytearray(n)`)";
            self.unsupported(if call.args.is_empty() { sp } else { name_span }, msg);
            return Val::error(sp);
        };
        if !call.keywords.is_empty() {
            self.check_args_for_errors(call);
            self.unsupported(sp, "`bytearray` takes no keyword arguments");
            return Val::error(sp);
        }
        if self.is_object_value(size) {
            // `bytearray(obj)`: Python's constructor (an iterable, bytes, a size object).
            let callee = self.check_name("bytearray", name_span);
            return self.python_call(callee, call, sp);
        }
        let Some(size) = self.array_size(size) else { return Val::error(sp) };
        let ty = Ty::View(ViewTy { elem: ViewElem::Int(IntKind::UChar), ndim: 1, c_contig: true, readonly: false });
        Val::new(Expr::new(ExprKind::NewArray { kind: ArrayKind::ByteArray, args: vec![size], site: 0 }, ty, sp))
    }

    /// `numpy.<attr>(...)`: `empty`, `zeros` and `ones` are compiled; anything else is a
    /// call of the module's function through Python.
    pub(crate) fn call_numpy(&mut self, attr: &str, full: &str, func_span: Span, call: &ast::ExprCall, sp: Span) -> Val {
        let kind = match attr {
            "empty" => ArrayKind::Empty,
            "zeros" => ArrayKind::Zeros,
            "ones" => ArrayKind::Ones,
            // Any other function of the module object: called through Python.
            _ => {
                let base = full.split('.').next().unwrap_or(full);
                let recv = self.check_name(base, func_span);
                return self.method_call(recv, attr, call, sp);
            }
        };
        // A shape that is a Python object (not C integers): NumPy's own function.
        let shape = call.args.first().or_else(|| call.keywords.iter().find(|k| k.arg.as_deref() == Some("shape")).map(|k| &k.value));
        let object_shape = match shape {
            Some(ast::Expr::Tuple(t)) => t.elts.iter().any(|e| self.is_object_value(e)),
            Some(e) => self.is_object_value(e),
            None => false,
        };
        if object_shape {
            let base = full.split('.').next().unwrap_or(full);
            let recv = self.check_name(base, func_span);
            return self.method_call(recv, attr, call, sp);
        }
        let (mut shape_arg, mut dtype_arg) = (call.args.first(), call.args.get(1));
        let mut ok = true;
        if call.args.len() > 2 {
            self.error(Code::WrongArgumentCount, sp, format!("`{full}` takes at most 2 positional arguments (`shape`, `dtype`)"));
            ok = false;
        }
        for k in &call.keywords {
            let name = k.arg.as_deref().unwrap_or("");
            match name {
                "shape" if shape_arg.is_none() => shape_arg = Some(&k.value),
                "dtype" if dtype_arg.is_none() => dtype_arg = Some(&k.value),
                "order" if matches!(&k.value, ast::Expr::Constant(c) if matches!(&c.value, ast::Constant::Str(s) if s == "C")) => {}
                "order" => {
                    self.unsupported(span(&k.value), "only `order=\"C\"` arrays can be created in compiled code");
                    ok = false;
                }
                "shape" | "dtype" => {
                    self.error(Code::WrongArgumentCount, span(k), format!("`{full}` got multiple values for argument `{name}`"));
                    ok = false;
                }
                _ => {
                    self.unsupported(span(k), format!("`{full}` is only supported with `shape`, `dtype` and `order=\"C\"`"));
                    ok = false;
                }
            }
        }
        let Some(shape_arg) = shape_arg else {
            self.error(Code::WrongArgumentCount, sp, format!("missing argument `shape` in call to `{full}`"));
            return Val::error(sp);
        };
        let elem = match dtype_arg {
            None => Some(ViewElem::Float(FloatKind::Double)),
            Some(d) => self.dtype(d),
        };
        let items: Vec<&ast::Expr> = match shape_arg {
            ast::Expr::Tuple(t) => t.elts.iter().collect(),
            other => vec![other],
        };
        if items.is_empty() || items.len() > crate::abi::ViewDesc::MAX_DIMS {
            let msg = format!("arrays of 1 to {} dimensions can be created in compiled code, not {}", crate::abi::ViewDesc::MAX_DIMS, items.len());
            self.unsupported(span(shape_arg), msg);
            return Val::error(sp);
        }
        let mut shape = Vec::with_capacity(items.len());
        for item in &items {
            match self.array_size(item) {
                Some(size) => shape.push(size),
                None => ok = false,
            }
        }
        let Some(elem) = elem.filter(|_| ok) else { return Val::error(sp) };
        let ty = Ty::View(ViewTy { elem, ndim: items.len() as u8, c_contig: true, readonly: false });
        Val::new(Expr::new(ExprKind::NewArray { kind, args: shape, site: 0 }, ty, sp))
    }

    /// Whether `e` checks to a Python object (without errors). A probe: its diagnostics are
    /// dropped, since the caller checks `e` again whichever way it decides.
    fn is_object_value(&mut self, e: &ast::Expr) -> bool {
        let reported = self.diags.len();
        let val = self.check_value(e);
        self.diags.truncate(reported);
        !val.err && val.ty().is_object()
    }

    /// One size of a new array, as `Py_ssize_t`; `None` after an error (reported).
    fn array_size(&mut self, e: &ast::Expr) -> Option<Expr> {
        if let ast::Expr::List(_) | ast::Expr::Tuple(_) = e {
            self.unsupported(span(e), "an array size must be an integer (the shape: an integer or a tuple of integers)");
            return None;
        }
        let val = self.check_value(e);
        if val.err {
            return None;
        }
        let ty = val.ty();
        if !(ty.is_int() || ty == Ty::Bool) {
            self.error(Code::InvalidOperand, val.expr.span, format!("an array size must be an integer, found `{ty}`"));
            return None;
        }
        Some(self.coerce(val, SSIZE, Target::Operand))
    }

    /// The element type a `dtype=` argument names; `None` after an error (reported).
    fn dtype(&mut self, e: &ast::Expr) -> Option<ViewElem> {
        let sp = span(e);
        let name: Option<String> = match e {
            ast::Expr::Attribute(a) => match &*a.value {
                ast::Expr::Name(base)
                    if self.module_kind(&base.id, span(base)) == Some(super::scope::ModKind::Numpy) =>
                {
                    Some(a.attr.to_string())
                }
                _ => None,
            },
            ast::Expr::Constant(c) => match &c.value {
                ast::Constant::Str(s) => Some(s.clone()),
                _ => None,
            },
            // Python's `float` and `int`, unless the module rebinds them.
            ast::Expr::Name(n) if !self.names.contains_key(n.id.as_str()) && self.env.global(&n.id).is_none() => match n.id.as_str() {
                "float" => Some("float64".to_string()),
                "int" => Some("int64".to_string()),
                _ => None,
            },
            _ => None,
        };
        match name.as_deref().and_then(dtype_elem) {
            Some(elem) => Some(elem),
            None => {
                let shown = name.map(|n| format!("`{n}`")).unwrap_or_else(|| "this dtype".to_string());
                let msg = format!("{shown} is not a dtype pycc can create arrays of; use a NumPy integer or float type (`np.float64`, `np.int32`, `\"f8\"`, ...)");
                self.unsupported(sp, msg);
                None
            }
        }
    }

    /// The ownership rules of the module docs, on the checked body; numbers the creation
    /// sites in order. Run on every pass (only the last pass's diagnostics are kept).
    pub(crate) fn finish_arrays(&mut self, body: &mut Block) {
        let mut w = ArrayWalk::default();
        w.block(body, 0);
        let nogil = self.sig.nogil;
        let fname = self.sig.name.clone();
        for (sp, kind) in &w.creations {
            // A view of an object: its operand is an object, refused in `nogil` code already.
            if nogil && *kind != ArrayKind::Buffer {
                self.error(Code::InvalidControlFlow, *sp, format!("creating an array (`{}`) needs the GIL, and `{fname}` is `nogil`", kind.name()));
            }
        }
        // A copy of a view a looped site made, into another local.
        for (sp, dst, src) in &w.copies {
            if w.looped.contains(src) && dst != src {
                let (d, s) = (self.locals[dst.0 as usize].name.clone(), self.locals[src.0 as usize].name.clone());
                let note = format!("the array in `{s}` is made again on each pass of the loop, and its previous one is then released");
                let msg = format!("cannot copy `{s}`, an array created in a loop, into `{d}`; use `{s}` itself");
                self.push(crate::diagnostics::Diagnostic::error(Code::UnsupportedSyntax, *sp, msg).with_note(note));
            }
        }
        let returns_view = self.ret.is_some_and(|t| t.is_view());
        if returns_view && nogil {
            self.error(Code::InvalidControlFlow, self.sig.name_span, format!("returning a memoryview needs the GIL, and `{fname}` is `nogil`"));
            return;
        }
        if !returns_view && w.objects.is_empty() {
            return;
        }
        // Locals whose value is always its owner's whole memory: parameters and created
        // arrays, and locals only ever assigned those (a greatest fixpoint).
        let mut whole: HashSet<LocalId> = (0..self.locals.len() as u32).map(LocalId).filter(|l| self.local_ty(*l).is_view()).collect();
        loop {
            let before = whole.len();
            for (local, value) in &w.assigns {
                if !is_whole(value, &whole) {
                    whole.remove(local);
                }
            }
            if whole.len() == before {
                break;
            }
        }
        for value in w.returns.iter().filter(|_| returns_view) {
            if !is_whole(value, &whole) {
                self.unsupported(value.span, "only a whole memoryview (a parameter or an array created here) can be returned; a slice of one is not its owner object");
            }
        }
        for value in &w.objects {
            if !is_whole(value, &whole) {
                self.unsupported(value.span, "only a whole memoryview (a parameter, an array created here or an object's buffer) can be used as a Python object; a slice of one is not its owner object");
            }
        }
    }
}

/// Whether a view expression is its owner's whole memory (see `finish_arrays`).
fn is_whole(e: &Expr, whole: &HashSet<LocalId>) -> bool {
    match &e.kind {
        ExprKind::NewArray { .. } => true,
        ExprKind::Local(l) => whole.contains(l),
        ExprKind::Cast { kind: CastKind::ViewRelax, operand } => is_whole(operand, whole),
        _ => false,
    }
}

/// What `finish_arrays` collects from a body.
#[derive(Default)]
struct ArrayWalk {
    next_site: u32,
    creations: Vec<(Span, ArrayKind)>,
    /// Locals assigned an array made by a site inside a loop.
    looped: HashSet<LocalId>,
    /// `dst = src` between view locals (through `ViewRelax`).
    copies: Vec<(Span, LocalId, LocalId)>,
    /// Every assignment of a view value.
    assigns: Vec<(LocalId, Expr)>,
    /// Every returned view value.
    returns: Vec<Expr>,
    /// Every view used as a Python object (`CastKind::ViewObject`).
    objects: Vec<Expr>,
}

impl ArrayWalk {
    fn block(&mut self, b: &mut Block, loops: u32) {
        for s in b.iter_mut() {
            let sp = s.span;
            match &mut s.kind {
                StmtKind::Assign { local, value } => {
                    self.expr(value);
                    if value.ty.is_view() {
                        // A relaxed view or a slice of a local shares that local's memory.
                        let mut v: &Expr = value;
                        loop {
                            match &v.kind {
                                ExprKind::Cast { kind: CastKind::ViewRelax, operand } => v = operand,
                                ExprKind::Slice { view, .. } => v = view,
                                _ => break,
                            }
                        }
                        match &v.kind {
                            ExprKind::NewArray { .. } if loops > 0 => {
                                self.looped.insert(*local);
                            }
                            ExprKind::Local(src) => self.copies.push((sp, *local, *src)),
                            _ => {}
                        }
                        self.assigns.push((*local, value.clone()));
                    }
                }
                StmtKind::Expr(e) | StmtKind::StoreCGlobal { value: e, .. } => self.expr(e),
                StmtKind::DelGlobal { .. } => {}
                StmtKind::Return(value) => {
                    if let Some(e) = value {
                        self.expr(e);
                        if e.ty.is_view() {
                            self.returns.push(e.clone());
                        }
                    }
                }
                StmtKind::If { cond, then_body, else_body } => {
                    self.expr(cond);
                    self.block(then_body, loops);
                    self.block(else_body, loops);
                }
                StmtKind::While { cond, body, orelse } => {
                    self.expr(cond);
                    self.block(body, loops + 1);
                    self.block(orelse, loops);
                }
                StmtKind::ForIter { body, orelse, .. } => {
                    self.block(body, loops + 1);
                    self.block(orelse, loops);
                }
                StmtKind::Unpack { value, .. } | StmtKind::Check { cond: value, .. } => self.expr(value),
                StmtKind::ForRange { start, stop, step, body, orelse, .. } => {
                    self.expr(start);
                    self.expr(stop);
                    self.expr(step);
                    self.block(body, loops + 1);
                    self.block(orelse, loops);
                }
                StmtKind::Store { indices, value, .. } => {
                    self.expr(value);
                    indices.iter_mut().for_each(|e| self.expr(e));
                }
                StmtKind::NoGil { body } => self.block(body, loops),
                StmtKind::ViewFill { view: a, value: b } | StmtKind::ViewCopy { dst: a, src: b, .. } => {
                    self.expr(a);
                    self.expr(b);
                }
                StmtKind::Break | StmtKind::Continue => {}
            }
        }
    }

    fn expr(&mut self, e: &mut Expr) {
        let sp = e.span;
        match &mut e.kind {
            ExprKind::NewArray { kind, site, .. } => {
                *site = self.next_site;
                self.next_site += 1;
                self.creations.push((sp, *kind));
            }
            ExprKind::Cast { kind: CastKind::ViewObject, operand } => self.objects.push((**operand).clone()),
            // A comprehension's loops (the checker refuses arrays made inside them).
            ExprKind::Seq { body, .. } => self.block(body, 1),
            _ => {}
        }
        for child in visit::child_exprs_mut(e) {
            self.expr(child);
        }
    }
}
