//! Check: typed memoryviews (AST → TIR `Index`, `Store`, `ViewShape`; slicing is in `slice.rs`), the `with` blocks
//! (`with nogil:`, `with cython.boundscheck(False):`), and the proof that lets a loop's
//! indices go unchecked.
//!
//! Cython's semantics: `boundscheck` and `wraparound` are on by default; a negative index
//! counts from the end (wraparound) unless its type is unsigned or it is a non-negative
//! constant; an index out of range raises `IndexError: Out of bounds on buffer access
//! (axis N)`. In `for i in range(a.shape[k])` (or `len(a)`, `range(c, a.shape[k])`,
//! `range(c, a.shape[k], s)` with constants `c >= 0`, `s > 0`), when neither `i` nor `a`
//! is assigned in the body, `a[..., i, ...]` on axis `k` needs no check at all.

use super::convert::Target;
use super::decl::{apply_directive, KNOWN_DIRECTIVES};
use super::expr::{int_literal, Val};
use super::scope::{span, FnCx, Global, ModKind, SafeIndex};
use super::slice::{is_slicing, subscript_items};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{AxisCheck, Block, Expr, ExprKind, IntKind, LocalId, Stmt, StmtKind, Ty, ViewTy, OUT_OF_BOUNDS};

const SSIZE: Ty = Ty::Int(IntKind::SSizeT);

/// What a `with` item is.
enum WithItem {
    NoGil,
    Gil,
    /// `cython.boundscheck(False)` and the other directives: (name, value as text).
    Directive(String, String),
    Other,
}

impl FnCx<'_> {
    /// The view local named by `e`, if `e` is a bare name of one.
    pub(crate) fn view_local(&self, e: &ast::Expr) -> Option<(LocalId, ViewTy)> {
        let ast::Expr::Name(n) = e else { return None };
        let id = *self.names.get(n.id.as_str())?;
        self.local_ty(id).view().map(|v| (id, v))
    }

    /// Whether the view local `id` is certainly assigned here.
    pub(crate) fn view_is_set(&self, id: LocalId) -> bool {
        (id.0 as usize) < self.sig.params.len() || self.views_set.contains(&id)
    }

    /// A block whose assignments to view locals do not count after it (it may not run).
    pub(crate) fn scoped_block(&mut self, stmts: &[ast::Stmt]) -> Block {
        let saved = self.views_set.clone();
        let block = self.check_block(stmts);
        self.views_set = saved;
        block
    }

    /// `a[i, j]` as a value.
    pub(crate) fn check_subscript(&mut self, s: &ast::ExprSubscript, sp: Span) -> Val {
        if let ast::Expr::Attribute(a) = &*s.value {
            if a.attr.as_str() == "shape" {
                if let Some((id, v)) = self.view_local(&a.value) {
                    let _ = self.check_expr(&a.value);
                    return match int_literal(&s.slice) {
                        Some(k) if (0..v.ndim as i128).contains(&k) => {
                            Val::new(Expr::new(ExprKind::ViewShape { view: id, axis: k as u8 }, SSIZE, sp))
                        }
                        _ => {
                            let msg = format!("`.shape` of a {}-dimensional memoryview takes a constant index from 0 to {}", v.ndim, v.ndim - 1);
                            self.error(Code::InvalidOperand, span(&*s.slice), msg);
                            Val::error(sp)
                        }
                    };
                }
            }
        }
        let Some((id, v)) = self.view_local(&s.value) else {
            if let Some(val) = self.check_subscript_of_expr(s, sp) {
                return val;
            }
            let base = self.check_value(&s.value);
            if base.ty().is_object() {
                return self.get_item(base, &s.slice, sp);
            }
            let _ = self.check_expr(&s.slice);
            if !base.err {
                self.unsupported(sp, format!("a `{}` value cannot be indexed", base.ty()));
            }
            return Val::error(sp);
        };
        let base = self.check_expr(&s.value);
        if is_slicing(&s.slice, v.ndim) {
            return match self.check_slice(base.expr, v, &s.slice, sp) {
                Some(e) => Val::new(e),
                None => Val::error(sp),
            };
        }
        match self.view_indices(id, v, &s.slice, sp) {
            Some((indices, checks)) => Val::new(Expr::new(ExprKind::Index { view: id, indices, checks }, v.elem.ty(), sp)),
            None => Val::error(sp),
        }
    }

    /// The indices of `view[slice]` converted to `Py_ssize_t`, with their checks; `None`
    /// after an error (reported).
    /// Only for subscripts that are not slicing (see `slice::is_slicing`).
    pub(crate) fn view_indices(&mut self, view: LocalId, v: ViewTy, slice: &ast::Expr, _sp: Span) -> Option<(Vec<Expr>, Vec<AxisCheck>)> {
        let items = subscript_items(slice);
        if let Some(starred) = items.iter().find(|e| matches!(e, ast::Expr::Starred(_))) {
            self.unsupported(span(*starred), "starred expressions are not supported in memoryview indices");
            return None;
        }
        let (n, ndim) = (items.len(), v.ndim as usize);
        if n > ndim {
            self.error(Code::InvalidOperand, span(slice), format!("too many indices for a {ndim}-dimensional memoryview: {n}"));
            return None;
        }
        let dirs = self.directives();
        let mut indices = Vec::with_capacity(n);
        let mut checks = Vec::with_capacity(n);
        let mut ok = true;
        for (axis, item) in items.into_iter().enumerate() {
            let safe = self.index_is_safe(item, view, axis as u8);
            let val = self.check_value(item);
            if val.err {
                ok = false;
                continue;
            }
            let ty = val.ty();
            // An object index is converted to `Py_ssize_t` (`__index__`), as Cython does.
            if !(ty.is_int() || ty == Ty::Bool || ty.is_object()) {
                self.error(Code::InvalidOperand, val.expr.span, format!("memoryview indices must be integers, found `{ty}`"));
                ok = false;
                continue;
            }
            let unsigned = matches!(ty, Ty::Int(k) if !k.signed()) || ty == Ty::Bool;
            let non_negative = val.lit.is_some_and(|l| l >= 0);
            checks.push(if safe {
                AxisCheck::NONE
            } else {
                AxisCheck { wraparound: dirs.wraparound && !unsigned && !non_negative, bounds: dirs.boundscheck.then_some(OUT_OF_BOUNDS[axis]) }
            });
            indices.push(self.coerce(val, SSIZE, Target::Operand));
        }
        ok.then_some((indices, checks))
    }

    /// The view local that `target` (an item assignment) writes through, reporting why not.
    fn store_target(&mut self, target: &ast::ExprSubscript) -> Option<(LocalId, ViewTy)> {
        let Some((id, v)) = self.view_local(&target.value) else {
            let _ = self.check_expr(&target.value);
            self.unsupported(span(target), "assignment to an item is only supported on memoryviews");
            return None;
        };
        let _ = self.check_expr(&target.value);
        if v.readonly {
            let name = self.locals[id.0 as usize].name.clone();
            self.error(Code::InvalidAssignment, span(target), format!("cannot assign to an element of `{name}`, a `const` memoryview (`{v}`)"));
            return None;
        }
        Some((id, v))
    }

    /// `a[i, j] = value`.
    pub(crate) fn check_store(&mut self, target: &ast::ExprSubscript, value: &ast::Expr, sp: Span, out: &mut Block) {
        let val = self.check_value_or_view(value);
        self.store_val(target, val, sp, out);
    }

    /// `view[...] = val`, the value already checked (and evaluated before the target).
    pub(crate) fn store_val(&mut self, target: &ast::ExprSubscript, val: Val, sp: Span, out: &mut Block) {
        if matches!(&*target.value, ast::Expr::Subscript(_)) {
            self.check_store_through_expr(target, val, sp, out);
            return;
        }
        let Some((id, v)) = self.store_target(target) else { return };
        if is_slicing(&target.slice, v.ndim) {
            self.check_slice_store(id, v, target, val, sp, out);
            return;
        }
        let val = self.scalar_only(val);
        if val.err {
            let _ = self.view_indices(id, v, &target.slice, span(target));
            return;
        }
        let Some((indices, checks)) = self.view_indices(id, v, &target.slice, span(target)) else { return };
        let name = self.locals[id.0 as usize].name.clone();
        let value = self.coerce(val, v.elem.ty(), Target::Element(&name));
        out.push(Stmt { kind: StmtKind::Store { view: id, indices, checks, value }, span: sp });
    }

    /// `a[i, j] op= value`: the indices are evaluated once (into temporaries), then the
    /// element is read, combined with `value` and stored back.
    pub(crate) fn check_aug_store(&mut self, target: &ast::ExprSubscript, op: &ast::Operator, value: &ast::Expr, sp: Span, out: &mut Block) {
        let Some((id, v)) = self.store_target(target) else {
            let _ = self.check_expr(value);
            return;
        };
        let tsp = span(target);
        if is_slicing(&target.slice, v.ndim) {
            let _ = self.check_expr(value);
            self.unsupported(sp, "augmented assignment to a memoryview slice is not supported; loop over the elements");
            return;
        }
        let Some((indices, checks)) = self.view_indices(id, v, &target.slice, tsp) else {
            let _ = self.check_expr(value);
            return;
        };
        let mut once = Vec::with_capacity(indices.len());
        for index in indices {
            if matches!(index.kind, ExprKind::Const(_) | ExprKind::Local(_)) {
                once.push(index);
            } else {
                let t = self.temp(SSIZE, index.span);
                let ispan = index.span;
                out.push(Stmt { kind: StmtKind::Assign { local: t, value: index }, span: sp });
                once.push(Expr::new(ExprKind::Local(t), SSIZE, ispan));
            }
        }
        let current = Val::new(Expr::new(ExprKind::Index { view: id, indices: once.clone(), checks: checks.clone() }, v.elem.ty(), tsp));
        let rhs = self.check_value(value);
        let result = self.binary(op, current, rhs, sp);
        let name = self.locals[id.0 as usize].name.clone();
        let value = self.coerce(result, v.elem.ty(), Target::Element(&name));
        // The read already checked the bounds of the same indices.
        let store_checks = checks.iter().map(|c| AxisCheck { bounds: None, ..*c }).collect();
        out.push(Stmt { kind: StmtKind::Store { view: id, indices: once, checks: store_checks, value }, span: sp });
    }

    /// `a.ndim` and the other attributes of a view local; `None` when `base` is not one.
    pub(crate) fn check_view_attribute(&mut self, a: &ast::ExprAttribute, sp: Span) -> Option<Val> {
        let (_, v) = self.view_local(&a.value)?;
        let _ = self.check_expr(&a.value);
        Some(match a.attr.as_str() {
            "ndim" => Val::int_literal(v.ndim as i64, sp),
            "shape" => {
                self.unsupported(sp, "`.shape` is only supported indexed by a constant (`a.shape[0]`)");
                Val::error(sp)
            }
            other => {
                self.unsupported(sp, format!("the memoryview attribute `{other}` is not supported (only `shape[k]` and `ndim`)"));
                Val::error(sp)
            }
        })
    }

    /// `len(a)` of a memoryview: `a.shape[0]`.
    pub(crate) fn call_len(&mut self, call: &ast::ExprCall, name_span: Span, sp: Span) -> Val {
        if let ([arg], true) = (call.args.as_slice(), call.keywords.is_empty()) {
            if let Some((id, _)) = self.view_local(arg) {
                let _ = self.check_expr(arg);
                return Val::new(Expr::new(ExprKind::ViewShape { view: id, axis: 0 }, SSIZE, sp));
            }
        }
        if let ([arg], true) = (call.args.as_slice(), call.keywords.is_empty()) {
            let v = self.check_value(arg);
            if v.ty().is_object() {
                let tainted = v.tainted;
                return Val { expr: self.kind_len(v.expr, sp), lit: None, err: false, tainted };
            }
            if !v.err {
                self.error(Code::InvalidOperand, span(arg), format!("object of type `{}` has no len()", v.ty()));
            }
            return Val::error(sp);
        }
        let callee = self.load_global("len", name_span);
        self.python_call(callee, call, sp)
    }

    fn with_item(&self, e: &ast::Expr) -> WithItem {
        let cython_name = |e: &ast::Expr| -> Option<String> {
            match e {
                ast::Expr::Attribute(a) => match &*a.value {
                    ast::Expr::Name(b) if !self.names.contains_key(b.id.as_str()) => match self.env.global(&b.id) {
                        Some(Global::Module(ModKind::Cython)) => Some(a.attr.to_string()),
                        None if b.id.as_str() == "cython" => Some(a.attr.to_string()),
                        _ => None,
                    },
                    _ => None,
                },
                ast::Expr::Name(n) => match self.env.global(&n.id) {
                    Some(Global::Cython(name)) => Some(name.clone()),
                    _ => None,
                },
                _ => None,
            }
        };
        match e {
            ast::Expr::Name(n) if matches!(n.id.as_str(), "nogil" | "gil") && self.env.global(&n.id).is_none() => {
                if n.id.as_str() == "nogil" { WithItem::NoGil } else { WithItem::Gil }
            }
            ast::Expr::Call(c) => match cython_name(&c.func) {
                Some(d) if KNOWN_DIRECTIVES.contains(&d.as_str()) => {
                    let value = match (c.args.as_slice(), c.keywords.is_empty()) {
                        ([ast::Expr::Constant(k)], true) => match &k.value {
                            ast::Constant::Bool(b) => if *b { "True" } else { "False" }.to_string(),
                            ast::Constant::Int(v) => v.to_string(),
                            _ => String::new(),
                        },
                        _ => String::new(),
                    };
                    WithItem::Directive(d, value)
                }
                _ => WithItem::Other,
            },
            other => match cython_name(other).as_deref() {
                Some("nogil") => WithItem::NoGil,
                Some("gil") => WithItem::Gil,
                _ => WithItem::Other,
            },
        }
    }

    /// `with nogil:`, `with gil:`, `with cython.boundscheck(False):` (and several of them in
    /// one statement).
    pub(crate) fn check_with(&mut self, w: &ast::StmtWith, sp: Span, out: &mut Block) {
        let mut dirs = self.directives();
        let (mut nogil, mut gil, mut ok) = (false, false, true);
        if w.items.iter().any(|i| i.optional_vars.is_some()) {
            self.unsupported(sp, "`with` statements are not supported (except `with nogil:` and `with gil:`)");
            return;
        }
        for item in &w.items {
            let isp = span(&item.context_expr);
            match self.with_item(&item.context_expr) {
                WithItem::NoGil => nogil = true,
                WithItem::Gil => gil = true,
                WithItem::Directive(name, value) => {
                    let mut diags = Vec::new();
                    apply_directive(&mut dirs, &name, &value, isp, &mut diags);
                    ok &= !diags.iter().any(Diagnostic::is_error);
                    self.diags.extend(diags);
                }
                WithItem::Other => {
                    self.unsupported(sp, "`with` statements are not supported (except `with nogil:` and `with gil:`)");
                    return;
                }
            }
        }
        if gil && self.in_nogil {
            self.unsupported(sp, "`with gil:` inside a `nogil` block is not supported yet");
            ok = false;
        }
        if nogil && self.in_nogil {
            self.error(Code::InvalidControlFlow, sp, "`with nogil:` inside a `nogil` block: the GIL is already released");
            nogil = false;
        }
        // In a `nogil` function the GIL may or may not be held (Python callers release it,
        // compiled callers may not): the block only gets the nogil checks.
        let release = nogil && !self.sig.nogil;
        let saved = self.directives;
        self.directives = dirs;
        let outer_nogil = self.in_nogil;
        self.in_nogil |= nogil;
        let body = self.check_block(&w.body);
        self.in_nogil = outer_nogil;
        self.directives = saved;
        if !ok {
            return;
        }
        if nogil {
            self.check_nogil_body(&body);
        }
        if release {
            out.push(Stmt { kind: StmtKind::NoGil { body }, span: sp });
        } else {
            out.extend(body);
        }
    }

    /// Whether the index `item` (`i`, `i + c`, `c + i`, `i - c`) on `axis` of `view` is
    /// covered by an enclosing loop's proof, so it needs neither wraparound nor a bounds check.
    pub(crate) fn index_is_safe(&self, item: &ast::Expr, view: LocalId, axis: u8) -> bool {
        let (name, offset) = match item {
            ast::Expr::Name(name) => (name, 0),
            ast::Expr::BinOp(b) => match (&*b.left, &b.op, &*b.right) {
                (ast::Expr::Name(name), ast::Operator::Add, c) | (c, ast::Operator::Add, ast::Expr::Name(name)) => match int_literal(c) {
                    Some(c) => (name, c),
                    None => return false,
                },
                (ast::Expr::Name(name), ast::Operator::Sub, c) => match int_literal(c).map(|c| -c) {
                    Some(c) => (name, c),
                    None => return false,
                },
                _ => return false,
            },
            _ => return false,
        };
        let Some(&var) = self.names.get(name.id.as_str()) else { return false };
        self.safe_indices.iter().any(|s| s.covers(var, view, axis, offset))
    }

    /// The `for` loop proof (see the module docs and [`SafeIndex`]): `Some` when the loop
    /// variable, plus or minus a margin, is a valid index of a view's axis throughout `body`.
    pub(crate) fn loop_index_proof(&self, f: &ast::StmtFor, call: &ast::ExprCall) -> Option<SafeIndex> {
        let ast::Expr::Name(target) = &*f.target else { return None };
        let var = *self.names.get(target.id.as_str())?;
        if !self.local_ty(var).is_int() || !call.keywords.is_empty() {
            return None;
        }
        let (lo, stop) = match call.args.as_slice() {
            [stop] => (0, stop),
            [start, stop] => (int_literal(start).filter(|v| *v >= 0)?, stop),
            [start, stop, step] if int_literal(step).is_some_and(|v| v > 0) => (int_literal(start).filter(|v| *v >= 0)?, stop),
            _ => return None,
        };
        // `view.shape[axis] - hi` stops `hi` items early.
        let (stop, hi) = match stop {
            ast::Expr::BinOp(b) if matches!(b.op, ast::Operator::Sub) => (&*b.left, int_literal(&b.right).filter(|v| *v >= 0)?),
            _ => (stop, 0),
        };
        let (view_expr, axis) = match stop {
            ast::Expr::Call(c) if matches!(&*c.func, ast::Expr::Name(n) if n.id.as_str() == "len" && !self.names.contains_key("len")) => {
                match c.args.as_slice() {
                    [a] if c.keywords.is_empty() => (a, 0),
                    _ => return None,
                }
            }
            ast::Expr::Subscript(s) => match &*s.value {
                ast::Expr::Attribute(a) if a.attr.as_str() == "shape" => (&*a.value, u8::try_from(int_literal(&s.slice)?).ok()?),
                _ => return None,
            },
            _ => return None,
        };
        let (view, v) = self.view_local(view_expr)?;
        let ast::Expr::Name(view_name) = view_expr else { return None };
        if axis >= v.ndim || assigns_any(&f.body, &[target.id.as_str(), view_name.id.as_str()]) {
            return None;
        }
        Some(SafeIndex { var, view, axis, lo, hi })
    }
}

/// Whether any statement in `body` (at any depth) may assign one of `names`.
fn assigns_any(body: &[ast::Stmt], names: &[&str]) -> bool {
    fn target_has(e: &ast::Expr, names: &[&str]) -> bool {
        match e {
            ast::Expr::Name(n) => names.contains(&n.id.as_str()),
            ast::Expr::Tuple(t) => t.elts.iter().any(|e| target_has(e, names)),
            ast::Expr::List(t) => t.elts.iter().any(|e| target_has(e, names)),
            ast::Expr::Starred(s) => target_has(&s.value, names),
            _ => false,
        }
    }
    body.iter().any(|s| match s {
        ast::Stmt::Assign(a) => a.targets.iter().any(|t| target_has(t, names)),
        ast::Stmt::AugAssign(a) => target_has(&a.target, names),
        ast::Stmt::AnnAssign(a) => target_has(&a.target, names),
        ast::Stmt::For(f) => target_has(&f.target, names) || assigns_any(&f.body, names) || assigns_any(&f.orelse, names),
        ast::Stmt::While(w) => assigns_any(&w.body, names) || assigns_any(&w.orelse, names),
        ast::Stmt::If(i) => assigns_any(&i.body, names) || assigns_any(&i.orelse, names),
        ast::Stmt::With(w) => {
            w.items.iter().any(|i| i.optional_vars.as_deref().is_some_and(|v| target_has(v, names))) || assigns_any(&w.body, names)
        }
        // Anything else that could bind a name (nested functions, `try`, `match`, ...) is
        // not compiled; count it as assigning.
        ast::Stmt::FunctionDef(_) | ast::Stmt::ClassDef(_) | ast::Stmt::Try(_) | ast::Stmt::TryStar(_) | ast::Stmt::Match(_) => true,
        ast::Stmt::Global(_) | ast::Stmt::Nonlocal(_) | ast::Stmt::Import(_) | ast::Stmt::ImportFrom(_) | ast::Stmt::Delete(_) => true,
        _ => false,
    })
}
