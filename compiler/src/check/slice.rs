//! Check: memoryview slicing (AST subscripts with `:`/`...` or fewer indices than axes →
//! TIR `Slice`), and the slice assignments `a[:] = x` (`ViewFill`) and `a[:] = b`
//! (`ViewCopy`).
//!
//! Cython's semantics: an integer index drops its axis (negative indices wrap and are
//! bounds-checked per the `wraparound`/`boundscheck` directives, raising `IndexError: Index
//! out of bounds (axis N)`); a `start:stop:step` axis follows Python's `slice.indices()`;
//! a zero step raises `ValueError: Step may not be zero (axis N)`; missing trailing axes and
//! `...` are whole axes. The result is C-contiguous only when provably so
//! (`ViewTy::sliced`).

use super::convert::Target;
use super::expr::{int_literal, Val};
use super::scope::{span, FnCx};
use crate::diagnostics::Code;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{
    AxisCheck, Block, Expr, ExprKind, IntKind, LocalId, SliceAxis, Stmt, StmtKind, Ty, ViewTy, DIFFERING_EXTENTS, SLICE_OUT_OF_BOUNDS,
    SLICE_STEP_ZERO,
};

const SSIZE: Ty = Ty::Int(IntKind::SSizeT);

/// Whether an item of a subscript is a slice (`a:b`) or `...`.
fn is_slice_item(e: &ast::Expr) -> bool {
    matches!(e, ast::Expr::Slice(_)) || is_ellipsis(e)
}

fn is_ellipsis(e: &ast::Expr) -> bool {
    matches!(e, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::Ellipsis))
}

fn is_none(e: &ast::Expr) -> bool {
    matches!(e, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::None))
}

/// The items of a subscript: the elements of a tuple, or the one expression.
pub(crate) fn subscript_items(slice: &ast::Expr) -> Vec<&ast::Expr> {
    match slice {
        ast::Expr::Tuple(t) => t.elts.iter().collect(),
        other => vec![other],
    }
}

/// Whether `view[slice]` on a view of `ndim` dimensions makes a sub-view (a slice, `...`,
/// or fewer indices than axes) rather than reading one element.
pub(crate) fn is_slicing(slice: &ast::Expr, ndim: u8) -> bool {
    let items = subscript_items(slice);
    items.iter().any(|e| is_slice_item(e)) || items.len() < ndim as usize
}

impl FnCx<'_> {
    /// The axes of `view[slice]` (slicing, see [`is_slicing`]) on a view of type `v`; `None`
    /// after an error (reported). `base` is the view local when there is one (for the loop
    /// proof of integer indices).
    fn slice_axes(&mut self, v: ViewTy, base: Option<LocalId>, slice: &ast::Expr) -> Option<Vec<SliceAxis>> {
        let items = subscript_items(slice);
        let ndim = v.ndim as usize;
        let ellipses = items.iter().filter(|e| is_ellipsis(e)).count();
        if ellipses > 1 {
            self.error(Code::InvalidOperand, span(slice), "an index can only have a single ellipsis (`...`)");
            return None;
        }
        let given = items.len() - ellipses;
        if given > ndim {
            self.error(Code::InvalidOperand, span(slice), format!("too many indices for a {ndim}-dimensional memoryview: {given}"));
            return None;
        }
        let dirs = self.directives();
        let mut axes = Vec::with_capacity(ndim);
        let mut ok = true;
        for item in items {
            if is_ellipsis(item) {
                axes.extend(std::iter::repeat_n(SliceAxis::FULL, ndim - given));
                continue;
            }
            let axis = axes.len();
            match item {
                ast::Expr::Slice(s) => {
                    let bound = |this: &mut Self, e: &Option<Box<ast::Expr>>| -> Option<Option<Expr>> {
                        match e.as_deref() {
                            None => Some(None),
                            Some(e) if is_none(e) => Some(None),
                            Some(e) => this.slice_int(e).map(Some),
                        }
                    };
                    let start = bound(self, &s.lower);
                    let stop = bound(self, &s.upper);
                    let (step, zero_step) = match s.step.as_deref() {
                        None => (Some(None), None),
                        Some(e) if is_none(e) => (Some(None), None),
                        Some(e) => match int_literal(e) {
                            Some(0) => {
                                self.error(Code::InvalidOperand, span(e), "slice step cannot be zero");
                                (None, None)
                            }
                            Some(1) => (Some(None), None),
                            Some(_) => (self.slice_int(e).map(Some), None),
                            None => (self.slice_int(e).map(Some), Some(SLICE_STEP_ZERO[axis])),
                        },
                    };
                    match (start, stop, step) {
                        (Some(start), Some(stop), Some(step)) => axes.push(SliceAxis::Range { start, stop, step, zero_step }),
                        _ => ok = false,
                    }
                }
                ast::Expr::Starred(_) => {
                    self.unsupported(span(item), "starred expressions are not supported in memoryview indices");
                    ok = false;
                }
                _ => {
                    let safe = base.is_some_and(|view| self.index_is_safe(item, view, axis as u8));
                    let val = self.check_value(item);
                    if val.err {
                        ok = false;
                        axes.push(SliceAxis::FULL);
                        continue;
                    }
                    let ty = val.ty();
                    // An object index is converted to `Py_ssize_t` (`__index__`), as Cython does.
                    if !(ty.is_int() || ty == Ty::Bool || ty.is_object()) {
                        self.error(Code::InvalidOperand, val.expr.span, format!("memoryview indices must be integers, found `{ty}`"));
                        ok = false;
                        axes.push(SliceAxis::FULL);
                        continue;
                    }
                    let unsigned = matches!(ty, Ty::Int(k) if !k.signed()) || ty == Ty::Bool;
                    let non_negative = val.lit.is_some_and(|l| l >= 0);
                    let check = if safe {
                        AxisCheck::NONE
                    } else {
                        AxisCheck {
                            wraparound: dirs.wraparound && !unsigned && !non_negative,
                            bounds: dirs.boundscheck.then_some(SLICE_OUT_OF_BOUNDS[axis]),
                        }
                    };
                    let index = self.coerce(val, SSIZE, Target::Operand);
                    axes.push(SliceAxis::Index { index, check });
                }
            }
        }
        axes.extend(std::iter::repeat_n(SliceAxis::FULL, ndim.saturating_sub(axes.len())));
        if ok && !axes.iter().any(|a| matches!(a, SliceAxis::Range { .. })) {
            // `a[..., 0]` of a 1-dimensional view: a 0-dimensional view.
            self.unsupported(span(slice), "0-dimensional memoryviews are not supported; index every axis without `...`");
            return None;
        }
        ok.then_some(axes)
    }

    /// A slice bound or step: an integer converted to `Py_ssize_t`.
    fn slice_int(&mut self, e: &ast::Expr) -> Option<Expr> {
        let val = self.check_value(e);
        if val.err {
            return None;
        }
        let ty = val.ty();
        if !(ty.is_int() || ty == Ty::Bool) {
            self.error(Code::InvalidOperand, val.expr.span, format!("slice indices must be integers, found `{ty}`"));
            return None;
        }
        Some(self.coerce(val, SSIZE, Target::Operand))
    }

    /// `base[slice]` as a new view, `base` being an expression of view type `v` (already
    /// checked); `None` after an error.
    pub(crate) fn check_slice(&mut self, base: Expr, v: ViewTy, slice: &ast::Expr, sp: Span) -> Option<Expr> {
        let local = match base.kind {
            ExprKind::Local(id) => Some(id),
            _ => None,
        };
        let axes = self.slice_axes(v, local, slice)?;
        let ty = v.sliced(&axes);
        Some(Expr::new(ExprKind::Slice { view: Box::new(base), axes }, Ty::View(ty), sp))
    }

    /// `base[slice]` when `base` is not a view local: a view-valued expression (`a[1:][0]`,
    /// `m[i][j]`). `Some(value)` when `base` has a view type.
    pub(crate) fn check_subscript_of_expr(&mut self, s: &ast::ExprSubscript, sp: Span) -> Option<Val> {
        if !matches!(&*s.value, ast::Expr::Subscript(_)) {
            return None;
        }
        let base = self.check_value_or_view(&s.value);
        if base.err {
            let _ = self.check_expr(&s.slice);
            return Some(Val::error(sp));
        }
        let Ty::View(v) = base.ty() else {
            if base.ty().is_object() {
                return Some(self.get_item(base, &s.slice, sp));
            }
            let _ = self.check_expr(&s.slice);
            self.unsupported(sp, format!("a `{}` value cannot be indexed", base.ty()));
            return Some(Val::error(sp));
        };
        if is_slicing(&s.slice, v.ndim) {
            return Some(match self.check_slice(base.expr, v, &s.slice, sp) {
                Some(e) => Val::new(e),
                None => Val::error(sp),
            });
        }
        // One element of a view-valued expression: evaluate it into a temporary first.
        let bspan = base.expr.span;
        let t = self.temp(Ty::View(v), bspan);
        let Some((indices, checks)) = self.view_indices(t, v, &s.slice, sp) else { return Some(Val::error(sp)) };
        let index = Expr::new(ExprKind::Index { view: t, indices, checks }, v.elem.ty(), sp);
        Some(Val::new(Expr::new(ExprKind::Let { local: t, value: Box::new(base.expr), body: Box::new(index) }, v.elem.ty(), sp)))
    }

    /// `view[slice] = value` where the subscript slices (see [`is_slicing`]): a fill with a
    /// scalar or a copy from another view. `view` is a writable view local.
    pub(crate) fn check_slice_store(&mut self, view: LocalId, v: ViewTy, target: &ast::ExprSubscript, val: Val, sp: Span, out: &mut Block) {
        let tsp = span(target);
        let base = Expr::new(ExprKind::Local(view), Ty::View(v), span(&*target.value));
        let Some(axes) = self.slice_axes(v, Some(view), &target.slice) else { return };
        let dst_ty = v.sliced(&axes);
        // `a[:]` and `a[...]`: the view itself.
        let dst = if axes.iter().all(SliceAxis::is_full) {
            base
        } else {
            Expr::new(ExprKind::Slice { view: Box::new(base), axes }, Ty::View(dst_ty), tsp)
        };
        if val.err {
            return;
        }
        match val.ty() {
            Ty::View(src) => {
                if src.elem != dst_ty.elem || src.ndim != dst_ty.ndim {
                    let msg = format!("cannot copy a `{src}` memoryview into `{dst_ty}`: the element type and number of dimensions must match");
                    self.error(Code::InvalidAssignment, val.expr.span, msg);
                    return;
                }
                let extents = DIFFERING_EXTENTS[..dst_ty.ndim as usize].to_vec();
                out.push(Stmt { kind: StmtKind::ViewCopy { dst, src: val.expr, extents }, span: sp });
            }
            _ => {
                let name = self.locals[view.0 as usize].name.clone();
                let value = self.coerce(val, v.elem.ty(), Target::Element(&name));
                out.push(Stmt { kind: StmtKind::ViewFill { view: dst, value }, span: sp });
            }
        }
    }
}

impl FnCx<'_> {
    /// The error for a memoryview value where a scalar is needed; `val` unchanged otherwise.
    pub(crate) fn scalar_only(&mut self, val: Val) -> Val {
        if val.ty().is_view() && !val.err {
            self.error(Code::InvalidOperand, val.expr.span, format!("a memoryview (`{}`) cannot be used here; index it (`a[i]`)", val.ty()));
            return Val::error(val.expr.span);
        }
        val
    }

    /// `m[i][j] = value` and `m[i][:] = value`: the target's base is itself a subscript of a
    /// view. `value` is evaluated first (into a temporary), then the base view (into a
    /// temporary), then the store (Python's order).
    pub(crate) fn check_store_through_expr(&mut self, target: &ast::ExprSubscript, val: Val, sp: Span, out: &mut Block) {
        let base = self.check_value_or_view(&target.value);
        if base.err || val.err {
            let _ = self.check_expr(&target.slice);
            return;
        }
        let Ty::View(v) = base.ty() else {
            let _ = self.check_expr(&target.slice);
            self.unsupported(span(target), "assignment to an item is only supported on memoryviews");
            return;
        };
        if v.readonly {
            self.error(Code::InvalidAssignment, span(target), format!("cannot assign to an element of a `const` memoryview (`{v}`)"));
            return;
        }
        let val = if matches!(val.expr.kind, ExprKind::Const(_) | ExprKind::Local(_)) {
            val
        } else {
            let (ty, vspan) = (val.ty(), val.expr.span);
            let t = self.temp(ty, vspan);
            out.push(Stmt { kind: StmtKind::Assign { local: t, value: val.expr.clone() }, span: sp });
            Val { expr: Expr::new(ExprKind::Local(t), ty, vspan), ..val }
        };
        let bspan = base.expr.span;
        let view = self.temp(Ty::View(v), bspan);
        out.push(Stmt { kind: StmtKind::Assign { local: view, value: base.expr }, span: sp });
        if is_slicing(&target.slice, v.ndim) {
            self.check_slice_store(view, v, target, val, sp, out);
            return;
        }
        let val = self.scalar_only(val);
        if val.err {
            return;
        }
        let Some((indices, checks)) = self.view_indices(view, v, &target.slice, span(target)) else { return };
        let value = self.coerce(val, v.elem.ty(), Target::Element("the memoryview"));
        out.push(Stmt { kind: StmtKind::Store { view, indices, checks, value }, span: sp });
    }
}
