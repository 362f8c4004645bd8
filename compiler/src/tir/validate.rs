//! Checks the TIR's typing rules after lowering (debug builds): a checker bug shows up here
//! as an internal error naming the function, instead of as wrong code.
//!
//! The rules are the ones documented on the TIR nodes in `tir/mod.rs`: ids in range,
//! operands of the same type, conditions of type `bint`, calls with the callee's arity and
//! parameter types, returns of the function's type, `break`/`continue` inside loops, and
//! each op on the types it is defined for.

use super::*;

/// `Ok` when every function of `module` follows the typing rules.
pub fn validate_module(module: &Module) -> Result<(), String> {
    for (i, func) in module.funcs.iter().enumerate() {
        if func.id.0 as usize != i {
            return Err(format!("function `{}` has id {} but sits at index {i}", func.name, func.id.0));
        }
        let mut v = Validator { module, func, loop_depth: 0, nogil: false, in_seq: false };
        v.function().map_err(|e| format!("function `{}`: {e}", func.name))?;
    }
    Ok(())
}

struct Validator<'a> {
    module: &'a Module,
    func: &'a Function,
    loop_depth: usize,
    /// Inside a `NoGil` block.
    nogil: bool,
    /// Inside the body of a `Seq` expression (no `return` there).
    in_seq: bool,
}

type VResult = Result<(), String>;

/// `found` must be `expected`; an object of a known kind may go where any object is expected
/// (`object` is the widest kind; the checker narrows only through `CheckKind`).
fn expect_ty(what: &str, found: Ty, expected: Ty) -> VResult {
    let widens = found.is_object() && expected == Ty::OBJECT;
    if found == expected || widens { Ok(()) } else { Err(format!("{what}: expected `{expected}`, found `{found}`")) }
}

impl<'a> Validator<'a> {
    fn local_ty(&self, id: LocalId) -> Result<Ty, String> {
        self.func.locals.get(id.0 as usize).map(|l| l.ty).ok_or_else(|| format!("local {} out of range ({} locals)", id.0, self.func.locals.len()))
    }

    fn function(&mut self) -> VResult {
        let func = self.func;
        if func.locals.len() < func.params.len() {
            return Err("fewer locals than parameters".to_string());
        }
        for (i, p) in func.params.iter().enumerate() {
            if p.local.0 as usize != i {
                return Err(format!("parameter `{}` is local {}, expected {i}", p.name, p.local.0));
            }
            expect_ty(&format!("parameter `{}`", p.name), func.locals[i].ty, p.ty)?;
            if p.ty == Ty::Void {
                return Err(format!("parameter `{}` has type `void`", p.name));
            }
            if let Ty::View(v) = p.ty {
                if p.default.is_some() || v.ndim == 0 || v.ndim as usize > crate::abi::ViewDesc::MAX_DIMS {
                    return Err(format!("view parameter `{}` of type `{}` (or with a default)", p.name, p.ty));
                }
            }
            match p.default {
                Some(crate::tir::ParamDefault::Const(c)) => const_fits(c, p.ty).map_err(|e| format!("default of `{}`: {e}", p.name))?,
                Some(crate::tir::ParamDefault::Object(k)) => {
                    self.constant(k)?;
                    if !p.ty.is_object() {
                        return Err(format!("object default of the `{}` parameter `{}`", p.ty, p.name));
                    }
                }
                Some(crate::tir::ParamDefault::Global(k)) => {
                    if !p.ty.is_object() || self.module.cglobals.get(k as usize).is_none_or(|g| !g.ty.is_object()) {
                        return Err(format!("C global {k} as the default of the `{}` parameter `{}`", p.ty, p.name));
                    }
                }
                None => {}
            }
        }
        for (i, l) in func.locals.iter().enumerate() {
            if l.ty == Ty::Void {
                return Err(format!("local `{}`%{i} has type `void`", l.name));
            }
        }
        if func.ret.is_view() && func.nogil {
            return Err("a `nogil` function returning a memoryview".to_string());
        }
        self.block(&func.body)
    }

    fn block(&mut self, block: &Block) -> VResult {
        block.iter().try_for_each(|s| self.stmt(s))
    }

    fn cond(&mut self, what: &str, e: &Expr) -> VResult {
        self.expr(e)?;
        expect_ty(what, e.ty, Ty::Bool)
    }

    fn stmt(&mut self, stmt: &Stmt) -> VResult {
        match &stmt.kind {
            StmtKind::Assign { local, value } => {
                self.expr(value)?;
                self.owning("assigned value", value)?;
                let ty = self.local_ty(*local)?;
                expect_ty(&format!("assignment to `{}`", self.func.locals[local.0 as usize].name), value.ty, ty)
            }
            StmtKind::Expr(e) => self.expr_or_void(e),
            StmtKind::If { cond, then_body, else_body } => {
                self.cond("`if` condition", cond)?;
                self.block(then_body)?;
                self.block(else_body)
            }
            StmtKind::While { cond, body, orelse } => {
                self.cond("`while` condition", cond)?;
                self.loop_body(body)?;
                self.block(orelse)
            }
            StmtKind::ForIter { iter, item, body, orelse } => {
                expect_ty("iterator", self.local_ty(*iter)?, Ty::OBJECT)?;
                expect_ty("loop item", self.local_ty(*item)?, Ty::OBJECT)?;
                if self.nogil {
                    return Err("a `for` over an object in a `nogil` block".to_string());
                }
                self.loop_body(body)?;
                self.block(orelse)
            }
            StmtKind::Unpack { value, targets, star } => {
                self.expr(value)?;
                expect_ty("unpacked value", value.ty, Ty::OBJECT)?;
                self.owning("unpacked value", value)?;
                for t in targets {
                    expect_ty("unpacking target", self.local_ty(*t)?, Ty::OBJECT)?;
                }
                if star.is_some_and(|k| k as usize >= targets.len()) || targets.len() > i32::MAX as usize {
                    return Err(format!("unpacking into {} targets with the star at {star:?}", targets.len()));
                }
                if self.nogil {
                    return Err("unpacking in a `nogil` block".to_string());
                }
                Ok(())
            }
            StmtKind::Check { cond, .. } => self.cond("check", cond),
            StmtKind::ForRange { var, start, stop, step, step_check, body, orelse } => {
                let ty = self.local_ty(*var)?;
                if !ty.is_int() {
                    return Err(format!("`for ... in range` variable of type `{ty}`"));
                }
                for (what, e) in [("start", start), ("stop", stop), ("step", step)] {
                    self.expr(e)?;
                    expect_ty(&format!("range {what}"), e.ty, ty)?;
                }
                if let (StepCheck::Positive | StepCheck::Negative, ExprKind::Const(Const::Int(v))) = (step_check, &step.kind) {
                    let positive = *step_check == StepCheck::Positive;
                    let ok = if positive { *v > 0 || (!is_signed(ty) && *v != 0) } else { *v < 0 };
                    if !ok {
                        return Err(format!("range step {v} marked {step_check:?}"));
                    }
                }
                self.loop_body(body)?;
                self.block(orelse)
            }
            StmtKind::StoreCGlobal { global, value } => {
                let g = self.cglobal(*global)?;
                self.expr(value)?;
                self.owning("value stored in a C global", value)?;
                expect_ty(&format!("store to the C global `{}`", g.name), value.ty, g.ty)
            }
            StmtKind::DelGlobal { name } => self.str_constant(*name),
            StmtKind::Break | StmtKind::Continue if self.loop_depth == 0 => Err("`break`/`continue` outside a loop".to_string()),
            StmtKind::Break | StmtKind::Continue => Ok(()),
            StmtKind::Return(_) if self.in_seq => Err("`return` inside a `seq` expression".to_string()),
            StmtKind::Return(None) => expect_ty("`return` without a value", Ty::Void, self.func.ret),
            StmtKind::Return(Some(e)) => {
                self.expr_or_void(e)?;
                self.owning("returned value", e)?;
                expect_ty("return value", e.ty, self.func.ret)
            }
            StmtKind::Store { view, indices, checks, value } => {
                self.expr(value)?;
                let v = self.view_access(*view, indices, checks)?;
                if v.readonly {
                    return Err(format!("store through the `const` view `{}`", self.func.locals[view.0 as usize].name));
                }
                expect_ty("stored value", value.ty, v.elem.ty())
            }
            StmtKind::ViewFill { view, value } => {
                self.expr(value)?;
                self.expr(view)?;
                let Ty::View(v) = view.ty else { return Err(format!("fill of a `{}`", view.ty)) };
                if v.readonly {
                    return Err("fill of a `const` view".to_string());
                }
                expect_ty("fill value", value.ty, v.elem.ty())
            }
            StmtKind::ViewCopy { dst, src, extents } => {
                self.expr(src)?;
                self.expr(dst)?;
                let (Ty::View(d), Ty::View(s)) = (dst.ty, src.ty) else { return Err(format!("copy from `{}` to `{}`", src.ty, dst.ty)) };
                if d.readonly || d.elem != s.elem || d.ndim != s.ndim || extents.len() != d.ndim as usize {
                    return Err(format!("copy from `{s}` to `{d}` with {} extent checks", extents.len()));
                }
                Ok(())
            }
            StmtKind::NoGil { body } => {
                if self.nogil || self.func.nogil {
                    return Err("`nogil` block inside a `nogil` context".to_string());
                }
                self.nogil = true;
                let r = self.block(body);
                self.nogil = false;
                r
            }
        }
    }

    /// The view type of `view`, after checking the indices and their checks against it.
    fn view_access(&mut self, view: LocalId, indices: &[Expr], checks: &[AxisCheck]) -> Result<ViewTy, String> {
        let Ty::View(v) = self.local_ty(view)? else {
            return Err(format!("indexing local {} of type `{}`", view.0, self.local_ty(view)?));
        };
        if indices.len() != v.ndim as usize || checks.len() != indices.len() {
            return Err(format!("{} indices and {} checks for a {}-dimensional view", indices.len(), checks.len(), v.ndim));
        }
        for (k, index) in indices.iter().enumerate() {
            expect_ty(&format!("index {k}"), self.operand(index)?, Ty::Int(IntKind::SSizeT))?;
        }
        Ok(v)
    }

    fn loop_body(&mut self, body: &Block) -> VResult {
        self.loop_depth += 1;
        let r = self.block(body);
        self.loop_depth -= 1;
        r
    }

    /// An expression whose value may be `void` (a call evaluated for effects).
    fn expr_or_void(&mut self, e: &Expr) -> VResult {
        if e.ty == Ty::Void {
            return match &e.kind {
                ExprKind::Call { .. } => self.call(e),
                _ => Err("a `void` expression that is not a call".to_string()),
            };
        }
        self.expr(e)
    }

    fn constant(&self, k: u32) -> Result<&crate::abi::ConstObj, String> {
        self.module.constants.get(k as usize).ok_or_else(|| format!("constant {k} of {}", self.module.constants.len()))
    }

    fn cglobal(&self, k: u32) -> Result<&'a super::CGlobal, String> {
        self.module.cglobals.get(k as usize).ok_or_else(|| format!("C global {k} of {}", self.module.cglobals.len()))
    }

    fn str_constant(&self, k: u32) -> VResult {
        match self.constant(k)? {
            crate::abi::ConstObj::Str(_) => Ok(()),
            c => Err(format!("constant {k} ({c:?}) is not a `str`")),
        }
    }

    /// The arguments of a Python call: borrowed objects, the last ones named by `kwnames`.
    fn object_args(&mut self, args: &[Expr], kwnames: Option<u32>) -> VResult {
        for a in args {
            expect_ty("argument", self.operand(a)?, Ty::OBJECT)?;
            self.borrowing("argument", a)?;
        }
        if let Some(k) = kwnames {
            match self.constant(k)? {
                crate::abi::ConstObj::StrTuple(names) if names.len() <= args.len() => {}
                c => return Err(format!("keyword names {c:?} for {} arguments", args.len())),
            }
        }
        Ok(())
    }

    /// An owning position (see `ExprKind::CApi`): an `object` value here must be owned.
    fn owning(&self, what: &str, e: &Expr) -> VResult {
        if e.ty.is_object() && !is_owned(e) {
            return Err(format!("{what}: a borrowed object where a new reference is needed"));
        }
        Ok(())
    }

    /// A borrowing position: an `object` value here must be borrowed (an owned one would leak).
    fn borrowing(&self, what: &str, e: &Expr) -> VResult {
        if e.ty.is_object() && is_owned(e) {
            return Err(format!("{what}: a new reference where a borrowed object is needed (it would leak)"));
        }
        Ok(())
    }

    fn operand(&mut self, e: &Expr) -> Result<Ty, String> {
        self.expr(e)?;
        Ok(e.ty)
    }

    /// An expression that produces a value.
    fn expr(&mut self, e: &Expr) -> VResult {
        let ty = e.ty;
        if ty == Ty::Void {
            return Err("a `void` value is used".to_string());
        }
        match &e.kind {
            ExprKind::Const(c) => const_fits(*c, ty),
            ExprKind::Local(id) => expect_ty(&format!("local {}", id.0), self.local_ty(*id)?, ty),
            ExprKind::Unary { op, operand } => {
                expect_ty(&format!("operand of {op:?}"), self.operand(operand)?, ty)?;
                let ok = match op {
                    UnaryOp::Neg { .. } | UnaryOp::Abs { .. } => ty.is_int() || ty.is_float(),
                    UnaryOp::Invert => ty.is_int(),
                    UnaryOp::Not => ty == Ty::Bool,
                };
                if ok { Ok(()) } else { Err(format!("{op:?} on `{ty}`")) }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                expect_ty(&format!("left operand of {op:?}"), self.operand(lhs)?, ty)?;
                let count = self.operand(rhs)?;
                if matches!(op, BinOp::Shl { .. } | BinOp::Shr { .. }) {
                    // A shift count keeps its own integer type.
                    if !count.is_int() {
                        return Err(format!("shift count of type `{count}`"));
                    }
                } else {
                    expect_ty(&format!("right operand of {op:?}"), count, ty)?;
                }
                let ok = match op {
                    BinOp::Add(_) | BinOp::Sub(_) | BinOp::Mul(_) | BinOp::FloorDiv { .. } | BinOp::Mod { .. } | BinOp::Pow { .. } => {
                        ty.is_int() || ty.is_float()
                    }
                    BinOp::TrueDiv { .. } | BinOp::CyFloatMod { .. } => ty.is_float(),
                    BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => ty.is_int() || ty == Ty::Bool,
                    BinOp::Shl { .. } | BinOp::Shr { .. } => ty.is_int(),
                };
                if ok { Ok(()) } else { Err(format!("{op:?} on `{ty}`")) }
            }
            ExprKind::Compare { op, lhs, rhs } => {
                let l = self.operand(lhs)?;
                let r = self.operand(rhs)?;
                // The exact comparison of a Python `int` with a `double`.
                let exact = matches!((l, r), (Ty::PY_INT, Ty::DOUBLE) | (Ty::DOUBLE, Ty::PY_INT));
                if !(exact || l.is_object() && r.is_object()) {
                    expect_ty(&format!("right operand of {op:?}"), r, l)?;
                }
                self.borrowing("operand of `is`", lhs)?;
                self.borrowing("operand of `is`", rhs)?;
                // Objects compare by identity (`is`, `is not`) only; the rest is the C API.
                if !(l.is_numeric() || l.is_object() && matches!(op, CmpOp::Eq | CmpOp::Ne)) {
                    return Err(format!("comparison of `{l}`"));
                }
                expect_ty("comparison result", ty, Ty::Bool)
            }
            ExprKind::BoolOp { op, lhs, rhs } => {
                self.cond(&format!("left operand of {op:?}"), lhs)?;
                self.cond(&format!("right operand of {op:?}"), rhs)?;
                expect_ty(&format!("{op:?} result"), ty, Ty::Bool)
            }
            ExprKind::IfExp { cond, then_expr, else_expr } => {
                self.owning("conditional expression arm", then_expr)?;
                self.owning("conditional expression arm", else_expr)?;
                self.cond("conditional expression condition", cond)?;
                expect_ty("conditional expression `then` arm", self.operand(then_expr)?, ty)?;
                expect_ty("conditional expression `else` arm", self.operand(else_expr)?, ty)
            }
            ExprKind::Let { local, value, body } => {
                self.owning("`let` value", value)?;
                let local_ty = self.local_ty(*local)?;
                expect_ty("`let` value", self.operand(value)?, local_ty)?;
                expect_ty("`let` body", self.operand(body)?, ty)
            }
            ExprKind::Cast { kind, operand } => {
                let from = self.operand(operand)?;
                let ok = match kind {
                    CastKind::IntWrap | CastKind::IntChecked(_) => from.is_int() && ty.is_int(),
                    CastKind::IntToFloat => from.is_int() && ty.is_float(),
                    CastKind::FloatToIntTrunc | CastKind::FloatToIntChecked { .. } => from.is_float() && ty.is_int(),
                    CastKind::FloatResize => from.is_float() && ty.is_float(),
                    CastKind::ToBool => from.is_numeric() && ty == Ty::Bool,
                    CastKind::FromBool => from == Ty::Bool && ty.is_numeric(),
                    CastKind::ViewRelax => matches!((from, ty), (Ty::View(a), Ty::View(b)) if a != b && a.converts_to(b)),
                    CastKind::ViewObject => from.is_view() && ty == Ty::OBJECT,
                };
                if ok { Ok(()) } else { Err(format!("{kind:?} from `{from}` to `{ty}`")) }
            }
            ExprKind::Call { .. } => self.call(e),
            ExprKind::CApi { func, args } => {
                if func.args.len() != args.len() {
                    return Err(format!("C-API call of `{}` with {} arguments, expected {}", func.name, args.len(), func.args.len()));
                }
                if func.steals != 0 {
                    return Err(format!("C-API call of `{}`, which steals a reference", func.name));
                }
                for (k, (a, p)) in args.iter().zip(func.args).enumerate() {
                    let want = p.ty().ok_or_else(|| format!("`{}` argument {k}: a pointer", func.name))?;
                    expect_ty(&format!("`{}` argument {k}", func.name), self.operand(a)?, want)?;
                    self.borrowing(&format!("`{}` argument {k}", func.name), a)?;
                }
                expect_ty(&format!("result of `{}`", func.name), func.ret.ty(), ty)
            }
            ExprKind::NoneObj => expect_ty("None", ty, Ty::OBJECT),
                        ExprKind::Move(local) => {
                expect_ty("moved local", self.local_ty(*local)?, Ty::OBJECT)?;
                expect_ty("move", ty, Ty::OBJECT)
            }
            ExprKind::Seq { body, value, .. } => {
                let (loops, in_seq) = (self.loop_depth, self.in_seq);
                self.loop_depth = 0;
                self.in_seq = true;
                let r = self.block(body);
                self.loop_depth = loops;
                self.in_seq = in_seq;
                r?;
                expect_ty("`seq` value", self.operand(value)?, ty)
            }
            ExprKind::Build { kind, items } => {
                if *kind == BuildKind::Dict && items.len() % 2 != 0 {
                    return Err("a dict display with an odd number of items".to_string());
                }
                self.object_args(items, None)?;
                expect_ty("display", ty, Ty::OBJECT)
            }
            ExprKind::ModConst(k) => {
                self.constant(*k)?;
                expect_ty("constant object", ty, Ty::OBJECT)
            }
            ExprKind::LoadGlobal { name } => {
                self.str_constant(*name)?;
                expect_ty("global", ty, Ty::OBJECT)
            }
            ExprKind::Globals => expect_ty("the globals dict", ty, Ty::OBJECT),
            ExprKind::CGlobal(k) => {
                let g = self.cglobal(*k)?;
                expect_ty(&format!("the C global `{}`", g.name), ty, g.ty)
            }
            ExprKind::ImportFrom { module, name } => {
                self.str_constant(*name)?;
                expect_ty("imported module", self.operand(module)?, Ty::OBJECT)?;
                self.borrowing("imported module", module)?;
                expect_ty("imported name", ty, Ty::OBJECT)
            }
            ExprKind::Merge { op, target, value, func } => {
                if op.needs_func() != func.is_some() {
                    return Err(format!("merge.{} {} a callee", op.name(), if func.is_some() { "with" } else { "without" }));
                }
                for part in [&**target, &**value].into_iter().chain(func.as_deref()) {
                    expect_ty("merge operand", self.operand(part)?, Ty::OBJECT)?;
                    self.borrowing("merge operand", part)?;
                }
                expect_ty("merge status", ty, Ty::Int(crate::tir::IntKind::Int))
            }
            ExprKind::CallObject { callee, args, kwnames } => {
                expect_ty("callee", self.operand(callee)?, Ty::OBJECT)?;
                self.borrowing("callee", callee)?;
                self.object_args(args, *kwnames)?;
                expect_ty("call result", ty, Ty::OBJECT)
            }
            ExprKind::CallMethod { name, args, kwnames } => {
                self.str_constant(*name)?;
                if args.is_empty() {
                    return Err("a method call without its object".to_string());
                }
                self.object_args(args, *kwnames)?;
                expect_ty("method call result", ty, Ty::OBJECT)
            }
            ExprKind::Temp { slot, value } => {
                if *slot >= self.func.temps {
                    return Err(format!("temporary {slot} of {}", self.func.temps));
                }
                expect_ty("temporary", self.operand(value)?, Ty::OBJECT)?;
                self.owning("temporary's value", value)?;
                expect_ty("temporary", ty, Ty::OBJECT)
            }
            ExprKind::Release { value, slots } => {
                if let Some(s) = slots.iter().find(|s| **s >= self.func.temps) {
                    return Err(format!("release of temporary {s} of {}", self.func.temps));
                }
                expect_ty("released expression", self.operand(value)?, ty)
            }
            ExprKind::CheckKind { value, kind, arg } => {
                if let Some(a) = arg {
                    self.str_constant(a.name)?;
                }
                expect_ty("checked object", self.operand(value)?, Ty::OBJECT)?;
                self.borrowing("checked object", value)?;
                if *kind == crate::tir::ObjKind::Any {
                    return Err("a kind check for `object`".to_string());
                }
                expect_ty("checked object", ty, Ty::Object(*kind))
            }
            ExprKind::Field { obj, field } => {
                expect_ty("object whose field is read", self.operand(obj)?, Ty::OBJECT)?;
                self.borrowing("object whose field is read", obj)?;
                expect_ty("field", ty, field.ty())
            }
            ExprKind::Item { obj, index, kind } => {
                if !matches!(kind, crate::tir::ObjKind::List | crate::tir::ObjKind::Tuple) {
                    return Err(format!("an item read of a `{}`", kind.name()));
                }
                expect_ty("object whose item is read", self.operand(obj)?, Ty::OBJECT)?;
                self.borrowing("object whose item is read", obj)?;
                expect_ty("item index", self.operand(index)?, Ty::Int(IntKind::SSizeT))?;
                expect_ty("item", ty, Ty::OBJECT)
            }
            ExprKind::NewRef(value) => {
                expect_ty("new reference", self.operand(value)?, Ty::OBJECT)?;
                self.borrowing("new reference's operand", value)?;
                expect_ty("new reference", ty, Ty::OBJECT)
            }
            ExprKind::Math { func, args, .. } => self.math(*func, args, ty),
            ExprKind::Index { view, indices, checks } => {
                let v = self.view_access(*view, indices, checks)?;
                expect_ty("view element", ty, v.elem.ty())
            }
            ExprKind::Slice { view, axes } => {
                self.expr(view)?;
                let Ty::View(v) = view.ty else { return Err(format!("slice of a `{}`", view.ty)) };
                if axes.len() != v.ndim as usize || !axes.iter().any(|a| matches!(a, SliceAxis::Range { .. })) {
                    return Err(format!("{} slice axes for a {}-dimensional view", axes.len(), v.ndim));
                }
                for axis in axes {
                    match axis {
                        SliceAxis::Index { index, .. } => expect_ty("slice index", self.operand(index)?, Ty::Int(IntKind::SSizeT))?,
                        SliceAxis::Range { start, stop, step, zero_step } => {
                            for e in [start, stop, step].into_iter().flatten() {
                                expect_ty("slice bound", self.operand(e)?, Ty::Int(IntKind::SSizeT))?;
                            }
                            let constant = matches!(step, Some(Expr { kind: ExprKind::Const(_), .. }));
                            if matches!(step, Some(Expr { kind: ExprKind::Const(Const::Int(0)), .. })) || (zero_step.is_none() && step.is_some() && !constant) {
                                return Err("a slice step that may be zero without its check".to_string());
                            }
                        }
                    }
                }
                expect_ty("slice", ty, Ty::View(v.sliced(axes)))
            }
            ExprKind::ViewShape { view, axis } => {
                let Ty::View(v) = self.local_ty(*view)? else { return Err(format!("shape of local {} of type `{}`", view.0, self.local_ty(*view)?)) };
                if *axis >= v.ndim {
                    return Err(format!("shape axis {axis} of a {}-dimensional view", v.ndim));
                }
                expect_ty("view shape", ty, Ty::Int(IntKind::SSizeT))
            }
            ExprKind::NewArray { kind, args, .. } => {
                let Ty::View(v) = ty else { return Err(format!("{} of type `{ty}`", kind.name())) };
                if self.nogil || self.func.nogil {
                    return Err(format!("{} in a `nogil` context", kind.name()));
                }
                if *kind == ArrayKind::Buffer {
                    let [obj] = args.as_slice() else { return Err(format!("{} with {} operands", kind.name(), args.len())) };
                    if !self.operand(obj)?.is_object() || is_owned(obj) {
                        return Err(format!("{} of a value that is not a borrowed object", kind.name()));
                    }
                    return Ok(());
                }
                if !v.c_contig || v.readonly || args.len() != v.ndim as usize {
                    return Err(format!("{} of type `{ty}` with {} sizes", kind.name(), args.len()));
                }
                for size in args {
                    expect_ty("array size", self.operand(size)?, Ty::Int(IntKind::SSizeT))?;
                }
                Ok(())
            }
        }
    }

    fn call(&mut self, e: &Expr) -> VResult {
        let ExprKind::Call { func, args } = &e.kind else { return Err("not a call".to_string()) };
        let callee = self.module.funcs.get(func.0 as usize).ok_or_else(|| format!("call of function {} out of range", func.0))?;
        if args.len() != callee.params.len() {
            return Err(format!("call of `{}` with {} arguments, expected {}", callee.name, args.len(), callee.params.len()));
        }
        for (arg, param) in args.iter().zip(&callee.params) {
            self.expr(arg)?;
            self.borrowing(&format!("argument `{}` of `{}`", param.name, callee.name), arg)?;
            expect_ty(&format!("argument `{}` of `{}`", param.name, callee.name), arg.ty, param.ty)?;
        }
        if callee.ret.is_view() {
            // The callee hands back the view's owner, a new reference.
            return expect_ty(&format!("result of `{}`", callee.name), e.ty, Ty::OBJECT);
        }
        expect_ty(&format!("result of `{}`", callee.name), e.ty, callee.ret)
    }

    fn math(&mut self, func: MathFn, args: &[Expr], ty: Ty) -> VResult {
        let arity = match func {
            MathFn::Atan2 | MathFn::Pow | MathFn::Fmod | MathFn::Hypot | MathFn::Copysign | MathFn::Min | MathFn::Max => 2,
            _ => 1,
        };
        if args.len() != arity {
            return Err(format!("{func:?} with {} arguments, expected {arity}", args.len()));
        }
        let arg_ty = if matches!(func, MathFn::Min | MathFn::Max) { ty } else { Ty::DOUBLE };
        for (i, arg) in args.iter().enumerate() {
            expect_ty(&format!("argument {} of {func:?}", i + 1), self.operand(arg)?, arg_ty)?;
        }
        let ok = match func {
            MathFn::IsNan | MathFn::IsInf | MathFn::IsFinite => ty == Ty::Bool,
            MathFn::Floor | MathFn::Ceil => ty == Ty::DOUBLE || ty.is_int(),
            MathFn::Min | MathFn::Max => ty.is_numeric(),
            _ => ty == Ty::DOUBLE,
        };
        if ok { Ok(()) } else { Err(format!("{func:?} of type `{ty}`")) }
    }
}

fn is_signed(ty: Ty) -> bool {
    matches!(ty, Ty::Int(k) if k.signed())
}

/// Which constants may carry which types (what codegen materializes without a cast).
/// Whether an `object` expression is a new reference (see `ExprKind::CApi`).
pub fn is_owned(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Local(_) | ExprKind::Temp { .. } | ExprKind::ModConst(_) | ExprKind::CheckKind { .. } | ExprKind::Globals | ExprKind::CGlobal(_) => false,
        ExprKind::Field { .. } | ExprKind::Item { .. } => false,
        ExprKind::CApi { func, .. } => func.ret == crate::capi::CRet::NewRef,
        ExprKind::IfExp { then_expr, .. } => is_owned(then_expr),
        ExprKind::Let { body, .. } => is_owned(body),
        ExprKind::Release { value, .. } | ExprKind::Seq { value, .. } => is_owned(value),
        _ => true,
    }
}

fn const_fits(c: Const, ty: Ty) -> VResult {
    let ok = match (c, ty) {
        (Const::Int(v), Ty::Int(k)) => {
            let v = v as i128;
            // Unsigned 64-bit values above i64::MAX are stored wrapped (see `Const::Int`).
            (k.min_value() <= v && v <= k.max_value()) || (k.bits() == 64 && !k.signed())
        }
        (Const::Int(_), Ty::Float(_) | Ty::Bool) => true,
        (Const::Float(_), Ty::Float(_)) => true,
        (Const::Bool(_), Ty::Bool | Ty::Int(_) | Ty::Float(_)) => true,
        // A parameter default for an `object` parameter (the Python value it spells).
        (_, Ty::Object(_)) => true,
        _ => false,
    };
    if ok { Ok(()) } else { Err(format!("constant {c:?} of type `{ty}`")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn e(kind: ExprKind, ty: Ty) -> Expr {
        Expr::new(kind, ty, Span::default())
    }

    fn module_with(body: Block, ret: Ty) -> Module {
        let local = |name: &str, ty| Local { name: name.into(), ty, span: Span::default() };
        Module {
            name: "m".into(),
            doc: None,
            constants: Vec::new(),
            cglobals: Vec::new(),
            funcs: vec![Function {
                id: FuncId(0),
                name: "f".into(),
                kind: FuncKind::Def,
                doc: None,
                span: Span::default(),
                params: vec![Param { local: LocalId(0), name: "x".into(), ty: Ty::PY_INT, default: Some(ParamDefault::Const(Const::Int(3))), not_none: false, annotated: false, kind: crate::tir::ParamKind::Positional, span: Span::default() }],
                ret,
                locals: vec![local("x", Ty::PY_INT), local("y", Ty::DOUBLE)],
                body,
                recursive: false,
                nogil: false,
                inline: false,
                temps: 0,
            }],
        }
    }

    fn x() -> Expr {
        e(ExprKind::Local(LocalId(0)), Ty::PY_INT)
    }

    fn stmt(kind: StmtKind) -> Stmt {
        Stmt { kind, span: Span::default() }
    }

    #[test]
    fn accepts_a_well_typed_function() {
        let add = e(ExprKind::Binary { op: BinOp::Add(Overflow::Wrap), lhs: Box::new(x()), rhs: Box::new(x()) }, Ty::PY_INT);
        let cond = e(ExprKind::Compare { op: CmpOp::Lt, lhs: Box::new(x()), rhs: Box::new(x()) }, Ty::Bool);
        let body = vec![
            stmt(StmtKind::While { cond, body: vec![stmt(StmtKind::Break)], orelse: vec![] }),
            stmt(StmtKind::Assign { local: LocalId(1), value: e(ExprKind::Cast { kind: CastKind::IntToFloat, operand: Box::new(add.clone()) }, Ty::DOUBLE) }),
            stmt(StmtKind::Return(Some(add))),
        ];
        assert_eq!(validate_module(&module_with(body, Ty::PY_INT)), Ok(()));
    }

    #[test]
    fn rejects_each_kind_of_violation_naming_the_function() {
        let cases: Vec<(Block, Ty, &str)> = vec![
            (vec![stmt(StmtKind::Return(Some(x())))], Ty::DOUBLE, "return value: expected `double`, found `int`"),
            (vec![stmt(StmtKind::If { cond: x(), then_body: vec![], else_body: vec![] })], Ty::Void, "`if` condition: expected `bint`"),
            (vec![stmt(StmtKind::Assign { local: LocalId(1), value: x() })], Ty::Void, "assignment to `y`"),
            (vec![stmt(StmtKind::Assign { local: LocalId(9), value: x() })], Ty::Void, "local 9 out of range"),
            (vec![stmt(StmtKind::Break)], Ty::Void, "outside a loop"),
            (vec![stmt(StmtKind::Expr(e(ExprKind::Call { func: FuncId(0), args: vec![] }, Ty::PY_INT)))], Ty::Void, "with 0 arguments, expected 1"),
            (vec![stmt(StmtKind::Expr(e(ExprKind::Call { func: FuncId(0), args: vec![x()] }, Ty::Void)))], Ty::PY_INT, "result of `f`"),
            (
                vec![stmt(StmtKind::Expr(e(
                    ExprKind::Binary { op: BinOp::Add(Overflow::Wrap), lhs: Box::new(x()), rhs: Box::new(e(ExprKind::Local(LocalId(1)), Ty::DOUBLE)) },
                    Ty::PY_INT,
                )))],
                Ty::Void,
                "right operand of Add(Wrap): expected `int`, found `double`",
            ),
            (
                vec![stmt(StmtKind::Expr(e(ExprKind::Math { func: MathFn::Sin, args: vec![x()], check: MathCheck::None }, Ty::DOUBLE)))],
                Ty::Void,
                "argument 1 of Sin",
            ),
            (vec![stmt(StmtKind::Return(None))], Ty::PY_INT, "`return` without a value"),
            (vec![stmt(StmtKind::Expr(e(ExprKind::Const(Const::Int(300)), Ty::Int(IntKind::UChar))))], Ty::Void, "constant Int(300)"),
        ];
        for (body, ret, want) in cases {
            let err = validate_module(&module_with(body, ret)).expect_err(want);
            assert!(err.starts_with("function `f`: ") && err.contains(want), "{err:?} does not contain {want:?}");
        }
    }
}
