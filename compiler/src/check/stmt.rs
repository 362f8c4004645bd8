//! Check: statements (AST) → TIR statements, and the reachability analysis behind
//! `missing-return`.

use super::convert::{constant, implicit, Target};
use super::expr::{int_literal, is_pure, Val};
use super::scope::{span, FnCx};
use super::ty::bool_as_int;
use crate::diagnostics::Code;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{Block, Const, ExcKind, Expr, ExprKind, LocalId, Raise, StepCheck, Stmt, StmtKind, Ty};

pub(crate) const RANGE_STEP_ZERO: Raise = Raise::new(ExcKind::ValueError, "range() arg 3 must not be zero");

impl FnCx<'_> {
    pub(crate) fn check_block(&mut self, stmts: &[ast::Stmt]) -> Block {
        let mut out = Vec::new();
        for s in stmts {
            self.check_stmt(s, &mut out);
        }
        out
    }

    fn check_stmt(&mut self, s: &ast::Stmt, out: &mut Block) {
        let sp = span(s);
        let push = |out: &mut Block, kind| out.push(Stmt { kind, span: sp });
        match s {
            ast::Stmt::Assign(a) => self.check_assign(a, sp, out),
            ast::Stmt::AugAssign(a) => {
                let object_target = match &*a.target {
                    ast::Expr::Subscript(t) => self.view_local(&t.value).is_none() && !matches!(&*t.value, ast::Expr::Subscript(_)),
                    ast::Expr::Attribute(_) => true,
                    _ => false,
                };
                if object_target {
                    self.object_store(&a.target, &a.value, Some(&a.op), sp, out);
                    return;
                }
                if let ast::Expr::Subscript(t) = &*a.target {
                    self.check_aug_store(t, &a.op, &a.value, sp, out);
                    return;
                }
                let ast::Expr::Name(n) = &*a.target else {
                    self.unsupported(span(&*a.target), "only local variables can be assigned to");
                    return;
                };
                let cur = self.check_name_for_update(&n.id, span(n));
                let rhs = self.check_value(&a.value);
                let res = self.aug_binary(&a.op, cur, rhs, sp);
                if let Some(st) = self.assign_name(&n.id, res, sp) {
                    out.push(st);
                }
            }
            ast::Stmt::AnnAssign(a) => {
                let ast::Expr::Name(n) = &*a.target else {
                    self.unsupported(span(&*a.target), "only local variables can be declared");
                    return;
                };
                if let Some(value) = &a.value {
                    let v = self.check_value_or_view(value);
                    if let Some(st) = self.assign_name(&n.id, v, sp) {
                        out.push(st);
                    }
                }
            }
            ast::Stmt::If(i) => {
                let cond = self.check_cond(&i.test);
                let then_body = self.scoped_block(&i.body);
                let else_body = self.scoped_block(&i.orelse);
                push(out, StmtKind::If { cond, then_body, else_body });
            }
            ast::Stmt::While(w) => {
                let cond = self.check_cond(&w.test);
                self.loop_depth += 1;
                let body = self.scoped_block(&w.body);
                self.loop_depth -= 1;
                let orelse = self.scoped_block(&w.orelse);
                push(out, StmtKind::While { cond, body, orelse });
            }
            ast::Stmt::For(f) => self.check_for(f, sp, out),
            ast::Stmt::Break(_) | ast::Stmt::Continue(_) => {
                let is_break = matches!(s, ast::Stmt::Break(_));
                if self.loop_depth == 0 {
                    let kw = if is_break { "break" } else { "continue" };
                    self.error(Code::InvalidControlFlow, sp, format!("`{kw}` outside a loop"));
                } else {
                    push(out, if is_break { StmtKind::Break } else { StmtKind::Continue });
                }
            }
            ast::Stmt::Return(_) if self.in_module_body() => self.error(Code::InvalidControlFlow, sp, "`return` outside a function"),
            ast::Stmt::Return(r) => self.check_return(r.value.as_deref(), sp, out),
            ast::Stmt::Pass(_) => {}
            ast::Stmt::Expr(e) => {
                // Bare strings and `...` are comments and placeholders.
                if let ast::Expr::Constant(c) = &*e.value {
                    if matches!(c.value, ast::Constant::Str(_) | ast::Constant::Ellipsis) {
                        return;
                    }
                }
                let v = self.check_expr(&e.value);
                if !v.err {
                    push(out, StmtKind::Expr(v.expr));
                }
            }
            ast::Stmt::With(w) => self.check_with(w, sp, out),
            ast::Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete_target(t, sp, out);
                }
            }
            ast::Stmt::Import(i) => self.check_import(i, sp, out),
            ast::Stmt::ImportFrom(i) => self.check_import_from(i, sp, out),
            ast::Stmt::FunctionDef(f) => {
                // `def` binds the name to a new function object (`nested.rs`).
                let value = self.check_nested_function(sp.start, &f.args, sp);
                if let Some(st) = self.assign_name(&f.name, value, sp) {
                    out.push(st);
                }
            }
            // The names are globals for the whole function (`FnCx::globals_here`).
            ast::Stmt::Global(_) => {}
            _ => {
                let what = match s {
                    ast::Stmt::AsyncFunctionDef(_) => "`async` functions are not supported",
                    ast::Stmt::ClassDef(_) => "classes are not supported",
                    ast::Stmt::TypeAlias(_) => "`type` aliases are not supported",
                    ast::Stmt::AsyncFor(_) | ast::Stmt::AsyncWith(_) => "`async` statements are not supported",
                    ast::Stmt::Match(_) => "`match` statements are not supported",
                    ast::Stmt::Raise(_) => "`raise` statements are not supported",
                    ast::Stmt::Try(_) | ast::Stmt::TryStar(_) => "`try` statements are not supported",
                    ast::Stmt::Assert(_) => "`assert` statements are not supported",
                    ast::Stmt::Nonlocal(_) => "`nonlocal` declarations are not supported",
                    _ => "this statement is not supported",
                };
                self.unsupported(sp, what);
            }
        }
    }

    /// `obj[key] = value` and `obj.name = value` (with `op`: `obj[key] op= value`, which
    /// evaluates `obj` and `key` once). Python's order: `value` first for a plain store, the
    /// target first for an augmented one.
    fn object_store(&mut self, target: &ast::Expr, value: &ast::Expr, op: Option<&ast::Operator>, sp: Span, out: &mut Block) {
        let Some(op) = op else {
            let val = self.check_value(value);
            let (val, bind) = self.bind_once(val, sp);
            out.extend(bind);
            self.object_store_val(target, val, sp, out);
            return;
        };
        let Some((base, key, name)) = self.object_target(target, Some(value), sp, out) else { return };
        let cur = match (&key, &name) {
            (Some(k), _) => Val::new(super::objects::capi("PyObject_GetItem", vec![base.expr.clone(), k.expr.clone()], sp)),
            (None, Some(n)) => Val::new(super::objects::capi("PyObject_GetAttr", vec![base.expr.clone(), n.clone()], sp)),
            (None, None) => return,
        };
        let rhs = self.check_value(value);
        let value = self.aug_binary(op, cur, rhs, sp);
        self.object_store_finish(base, key, name, value, sp, out);
    }

    /// `obj[key] = val` / `obj.name = val` with the value already computed (`val` is
    /// evaluated after the target's parts: a constant, a local or a `Move`).
    pub(crate) fn object_store_val(&mut self, target: &ast::Expr, val: Val, sp: Span, out: &mut Block) {
        let Some((base, key, name)) = self.object_target(target, None, sp, out) else { return };
        self.object_store_finish(base, key, name, val, sp, out);
    }

    /// The parts of an item or attribute target, each evaluated once (`aug_value`: the
    /// right side of an augmented store, checked for errors when the target is refused).
    fn object_target(&mut self, target: &ast::Expr, aug_value: Option<&ast::Expr>, sp: Span, out: &mut Block) -> Option<(Val, Option<Val>, Option<Expr>)> {
        let (base_ast, key_ast, attr) = match target {
            ast::Expr::Subscript(s) => (&*s.value, Some(&*s.slice), None),
            ast::Expr::Attribute(a) => (&*a.value, None, Some(a.attr.as_str())),
            _ => return None,
        };
        let base = self.check_value(base_ast);
        if !base.ty().is_object() {
            if let Some(k) = key_ast {
                let _ = self.check_expr(k);
            }
            if let Some(v) = aug_value {
                let _ = self.check_expr(v);
            }
            if !base.err {
                self.unsupported(span(target), format!("cannot set an item or attribute of a `{}` value", base.ty()));
            }
            return None;
        }
        let (base, bind) = self.bind_once(base, sp);
        out.extend(bind);
        let key = match key_ast {
            Some(k) => {
                let key = self.subscript_key(k);
                // A plain store into a list keeps a C index (`object_store_finish`).
                if aug_value.is_none() && base.ty() == Ty::Object(crate::tir::ObjKind::List) && !key.ty().is_object() && !key.err {
                    let (key, bind) = self.bind_once(key, sp);
                    out.extend(bind);
                    return Some((base, Some(key), None));
                }
                let key = Val::new(self.operand(key, Ty::OBJECT));
                let (key, bind) = self.bind_once(key, sp);
                out.extend(bind);
                Some(key)
            }
            None => None,
        };
        let name = attr.map(|n| self.const_obj(crate::abi::ConstObj::Str(n.to_string()), sp));
        Some((base, key, name))
    }

    fn object_store_finish(&mut self, base: Val, key: Option<Val>, name: Option<Expr>, value: Val, sp: Span, out: &mut Block) {
        if value.err || base.err {
            return;
        }
        let value = self.operand(value, Ty::OBJECT);
        let store = match (key, name) {
            // A list with a C integer index: `PySequence_SetItem`.
            (Some(k), _) if !k.ty().is_object() => match self.kind_set_item(&base, &k, &value, sp) {
                Some(store) => store,
                None => {
                    let k = self.operand(k, Ty::OBJECT);
                    super::objects::capi("PyObject_SetItem", vec![base.expr, k, value], sp)
                }
            },
            (Some(k), _) => super::objects::capi("PyObject_SetItem", vec![base.expr, k.expr, value], sp),
            (None, Some(n)) => super::objects::capi("PyObject_SetAttr", vec![base.expr, n, value], sp),
            (None, None) => return,
        };
        out.push(Stmt { kind: StmtKind::Expr(store), span: sp });
    }

    /// `del obj[key]`, `del obj.name`.
    pub(crate) fn object_delete(&mut self, target: &ast::Expr, sp: Span, out: &mut Block) {
        let (base_ast, key_ast, attr) = match target {
            ast::Expr::Subscript(s) => (&*s.value, Some(&*s.slice), None),
            ast::Expr::Attribute(a) => (&*a.value, None, Some(a.attr.as_str())),
            _ => {
                self.unsupported(span(target), "`del` of a name is not supported; `del` an item or an attribute");
                return;
            }
        };
        let base = self.check_value(base_ast);
        let key = key_ast.map(|k| self.subscript_key(k));
        if base.err || key.as_ref().is_some_and(|k| k.err) {
            return;
        }
        if !base.ty().is_object() {
            self.unsupported(span(target), format!("`del` on a `{}` value is not supported", base.ty()));
            return;
        }
        let base = self.operand(base, Ty::OBJECT);
        let del = match (key, attr) {
            (Some(k), _) => {
                let k = self.operand(k, Ty::OBJECT);
                super::objects::capi("PyObject_DelItem", vec![base, k], sp)
            }
            (None, Some(n)) => {
                // `delattr(obj, "name")` (`PyObject_DelAttr` is a macro before 3.13).
                let n = self.const_obj(crate::abi::ConstObj::Str(n.to_string()), sp);
                let delattr = self.load_global("delattr", sp).expr;
                Expr::new(ExprKind::CallObject { callee: Box::new(delattr), args: vec![base, n], kwnames: None }, Ty::OBJECT, sp)
            }
            (None, None) => return,
        };
        out.push(Stmt { kind: StmtKind::Expr(del), span: sp });
    }

    /// Reads a local for `x += ...`.
    fn check_name_for_update(&mut self, name: &str, sp: Span) -> Val {
        match self.names.get(name) {
            Some(&id) => {
                let ty = self.local_ty(id);
                let tainted = !self.declared.contains_key(name) && self.infer.tainted(name);
                Val { expr: Expr::new(ExprKind::Local(id), ty, sp), lit: None, err: false, tainted }
            }
            None if self.globals_here.contains(name) => self.check_name(name, sp),
            None => Val::error(sp),
        }
    }

    fn check_assign(&mut self, a: &ast::StmtAssign, sp: Span, out: &mut Block) {
        // `x = cython.declare(T)` / `x = cython.declare(T, value)`: a declaration.
        if let Some(decl_value) = declare_value(a) {
            if let (Some(value), [ast::Expr::Name(n)]) = (decl_value, a.targets.as_slice()) {
                let v = self.check_value_or_view(value);
                if let Some(st) = self.assign_name(&n.id, v, sp) {
                    out.push(st);
                }
            }
            return;
        }
        if let [target] = a.targets.as_slice() {
            match target {
                ast::Expr::Name(n) => {
                    let v = self.check_value_or_view(&a.value);
                    if let Some(st) = self.assign_name(&n.id, v, sp) {
                        out.push(st);
                    }
                }
                ast::Expr::Subscript(s) if self.view_local(&s.value).is_none() && !matches!(&*s.value, ast::Expr::Subscript(_)) => {
                    self.object_store(target, &a.value, None, sp, out)
                }
                ast::Expr::Attribute(_) => self.object_store(target, &a.value, None, sp, out),
                ast::Expr::Subscript(s) => self.check_store(s, &a.value, sp, out),
                ast::Expr::Tuple(t) => self.check_unpack_assign(&t.elts, &a.value, sp, out),
                ast::Expr::List(t) => self.check_unpack_assign(&t.elts, &a.value, sp, out),
                _ => {
                    let _ = self.check_expr(&a.value);
                    self.unsupported(span(target), assign_target_msg(target));
                }
            }
            return;
        }
        // `a = b = value`: evaluate once, assign left to right.
        let v = self.check_value_or_view(&a.value);
        let (src, bind) = self.bind_once(v, sp);
        out.extend(bind);
        for t in &a.targets {
            self.assign_target(t, src.clone(), sp, out);
        }
    }

    /// Evaluates `v` into a temporary unless it is already a constant or a local.
    fn bind_once(&mut self, v: Val, sp: Span) -> (Val, Option<Stmt>) {
        if is_pure(&v.expr) || v.err {
            return (v, None);
        }
        self.bind_once_always(v, sp)
    }

    pub(crate) fn bind_once_always(&mut self, v: Val, sp: Span) -> (Val, Option<Stmt>) {
        if v.err {
            return (v, None);
        }
        let ty = v.ty();
        let vspan = v.expr.span;
        let t = self.temp(ty, vspan);
        let local = Val { expr: Expr::new(ExprKind::Local(t), ty, vspan), ..v.clone() };
        (local, Some(Stmt { kind: StmtKind::Assign { local: t, value: v.expr }, span: sp }))
    }

    /// `b = b`, or `c = b` where `b` is an inferred local that nothing is assigned to yet
    /// (its type is a placeholder until then): the assignment observes nothing (the next
    /// pass of the fixpoint sees `b`'s real type).
    fn placeholder_copy(&self, id: LocalId, val: &Val) -> bool {
        let ExprKind::Local(src) = val.expr.kind else { return false };
        let name = &self.locals[src.0 as usize].name;
        src == id || (!self.declared.contains_key(name) && !self.infer.observed(name))
    }

    /// `name = val`: converts to a declared local's type, or records the type for inference.
    pub(crate) fn assign_name(&mut self, name: &str, mut val: Val, sp: Span) -> Option<Stmt> {
        let Some(&id) = self.names.get(name) else {
            return self.store_global(name, val, sp);
        };
        if !self.declared.contains_key(name) && !self.comp_locals.contains(&id) && !self.placeholder_copy(id, &val) {
            // An inferred local has Cython's type (`x = v + 100` is a `float`).
            val = self.narrowed(val);
            let is_pyx = self.is_pyx();
            self.infer.assign(name, &val, is_pyx);
        }
        if val.err {
            return None;
        }
        if self.conflicted.contains(name) {
            // Convert silently: the conflicting declaration is already reported.
            val.err = implicit(val.expr.clone(), val.lit, self.local_ty(id)).is_err();
        }
        let ty = self.local_ty(id);
        if ty.is_view() {
            self.views_set.insert(id);
        }
        let value = self.coerce(val, ty, Target::Local(name));
        Some(Stmt { kind: StmtKind::Assign { local: id, value }, span: sp })
    }

    /// `for target in obj`: the iterator protocol over any iterable object; the target is
    /// any assignment target (`for k, v in d.items()`).
    fn check_for_iter(&mut self, f: &ast::StmtFor, sp: Span, out: &mut Block) {
        let iterable = self.check_value(&f.iter);
        if !iterable.ty().is_object() && !iterable.err {
            self.unsupported(span(&*f.iter), format!("a `for` loop over a `{}` value is not supported; use `range(...)`", iterable.ty()));
        }
        let isp = span(&*f.iter);
        let tsp = span(&*f.target);
        let it = self.temp(Ty::OBJECT, isp);
        let item = self.temp(Ty::OBJECT, tsp);
        let bad = iterable.err || !iterable.ty().is_object();
        if !bad {
            let get_iter = super::objects::capi("PyObject_GetIter", vec![iterable.expr], isp);
            out.push(Stmt { kind: StmtKind::Assign { local: it, value: get_iter }, span: sp });
        }
        // The item moves to the target: an iterator that reuses its result when nothing
        // else holds it (`dict.items()`'s tuples) can, as under CPython.
        let item_val = Val::new(Expr::new(ExprKind::Move(item), Ty::OBJECT, tsp));
        let mut body: Block = Vec::new();
        self.assign_target(&f.target, item_val, tsp, &mut body);
        self.loop_depth += 1;
        body.extend(self.scoped_block(&f.body));
        self.loop_depth -= 1;
        let orelse = self.scoped_block(&f.orelse);
        if !bad {
            out.push(Stmt { kind: StmtKind::ForIter { iter: it, item, body, orelse }, span: sp });
        }
    }

    fn check_for(&mut self, f: &ast::StmtFor, sp: Span, out: &mut Block) {
        let range_args = match &*f.iter {
            ast::Expr::Call(c)
                if matches!(&*c.func, ast::Expr::Name(n) if n.id.as_str() == "range"
                    && !self.names.contains_key("range") && self.env.func_id("range").is_none() && self.env.global("range").is_none()) =>
            {
                Some(c)
            }
            _ => None,
        };
        // A global loop variable (module level, `global`) or an object one is an object:
        // the loop goes through the iterator of the `range` object, as in Cython.
        let object_target = matches!(&*f.target, ast::Expr::Name(n)
            if self.names.get(n.id.as_str()).is_none_or(|&id| self.local_ty(id).is_object()));
        let Some(call) = range_args.filter(|_| !object_target) else {
            self.check_for_iter(f, sp, out);
            return;
        };
        let ast::Expr::Name(target) = &*f.target else {
            self.unsupported(span(&*f.target), "the target of a `for` loop must be a single name");
            return;
        };
        let name = target.id.as_str();
        if call.args.is_empty() || call.args.len() > 3 || !call.keywords.is_empty() {
            let msg = if call.keywords.is_empty() {
                format!("`range` takes 1 to 3 positional arguments, but {} were given", call.args.len())
            } else {
                "`range` takes no keyword arguments".to_string()
            };
            self.error(Code::WrongArgumentCount, span(call), msg);
            return;
        }
        let mut vals = Vec::new();
        let mut bad = false;
        let int_of_bool = Ty::Int(bool_as_int(self.is_pyx()));
        for a in &call.args {
            let mut v = self.check_value(a);
            if v.ty().is_float() && !v.err {
                self.error(Code::InvalidOperand, v.expr.span, format!("`range` arguments must be integers, found `{}`", v.ty()));
                bad = true;
            }
            if v.ty() == Ty::Bool {
                v = Val { expr: self.operand(v.clone(), int_of_bool), ..v };
            }
            // An object bound: its integer value (`__index__`; TypeError otherwise, as
            // `range` raises), in 64 bits.
            if v.ty().is_object() && !v.err {
                v = Val { expr: self.operand(v.clone(), Ty::PY_INT), ..v };
            }
            vals.push(v);
        }
        let Some(&var) = self.names.get(name) else { return };
        if !self.declared.contains_key(name) && !bad {
            let is_pyx = self.is_pyx();
            for v in &vals {
                self.infer.assign(name, v, is_pyx);
            }
        }
        let ty = self.local_ty(var);
        if !ty.is_int() {
            let msg = if self.declared.contains_key(name) {
                format!("the loop variable `{name}` has type `{ty}`; a `range` loop needs an integer variable")
            } else {
                format!("the loop variable `{name}` is also assigned a `{ty}`; a `range` loop needs an integer variable")
            };
            self.error(Code::InvalidAssignment, span(target), msg);
            bad = true;
        }
        // A constant step decides the direction; a runtime one is checked for zero.
        let step_lit = call.args.get(2).and_then(int_literal);
        let step_check = match step_lit {
            None if call.args.len() < 3 => StepCheck::Positive,
            None => StepCheck::Dynamic(RANGE_STEP_ZERO),
            Some(0) => {
                self.error(Code::InvalidOperand, span(&call.args[2]), "`range` step must not be zero");
                bad = true;
                StepCheck::Positive
            }
            Some(v) if v > 0 => StepCheck::Positive,
            Some(_) => StepCheck::Negative,
        };
        let proof = self.loop_index_proof(f, call);
        self.loop_depth += 1;
        self.safe_indices.extend(proof);
        let body = self.scoped_block(&f.body);
        if proof.is_some() {
            self.safe_indices.pop();
        }
        self.loop_depth -= 1;
        let orelse = self.scoped_block(&f.orelse);
        if bad {
            return;
        }
        let mut it = vals.into_iter();
        let (start, stop, step) = match (it.next(), it.next(), it.next()) {
            (Some(stop), None, _) => (None, stop, None),
            (Some(start), Some(stop), step) => (Some(start), stop, step),
            _ => return,
        };
        let start = match start {
            Some(v) => self.coerce(v, ty, Target::Local(name)),
            None => constant(Const::Int(0), ty, sp),
        };
        let stop = self.coerce(stop, ty, Target::Local(name));
        let step = match step {
            Some(v) => self.coerce(v, ty, Target::Local(name)),
            None => constant(Const::Int(1), ty, sp),
        };
        out.push(Stmt { kind: StmtKind::ForRange { var, start, stop, step, step_check, body, orelse }, span: sp });
    }

    fn check_return(&mut self, value: Option<&ast::Expr>, sp: Span, out: &mut Block) {
        let fname = self.sig.name.clone();
        let value = value.filter(|v| !matches!(v, ast::Expr::Constant(c) if c.value.is_none()));
        let Some(value) = value else {
            if self.sig.declared_ret.is_none() {
                self.ret_obs.has_none = true;
            }
            if self.ret.is_some_and(|t| t.is_object()) {
                let none = Expr::new(ExprKind::NoneObj, Ty::OBJECT, sp);
                out.push(Stmt { kind: StmtKind::Return(Some(none)), span: sp });
                return;
            }
            if let Some(ret) = self.ret.filter(|t| *t != Ty::Void) {
                self.error(Code::InvalidControlFlow, sp, format!("`return` without a value in `{fname}`, which returns `{ret}`"));
            }
            out.push(Stmt { kind: StmtKind::Return(None), span: sp });
            return;
        };
        // A view is returned as its owner object; `alloc.rs` checks that it is one.
        let v = self.check_value_or_view(value);
        if self.sig.declared_ret.is_none() {
            // An object for Cython: an integer is boxed in Cython's type of it.
            let obs = if v.ty().is_int() { self.narrowed(v.clone()) } else { v.clone() };
            let is_pyx = self.is_pyx();
            self.ret_obs.add(&obs, is_pyx);
        }
        match self.ret {
            Some(Ty::Void) => {
                self.error(Code::InvalidControlFlow, span(value), format!("`return` with a value in `{fname}`, which returns nothing"));
            }
            Some(ty) => {
                let e = self.coerce(v, ty, Target::Return(&fname));
                out.push(Stmt { kind: StmtKind::Return(Some(e)), span: sp });
            }
            // The return type is still being inferred: this pass is not the final one.
            None => out.push(Stmt { kind: StmtKind::Return(Some(v.expr)), span: sp }),
        }
    }
}

fn assign_target_msg(target: &ast::Expr) -> &'static str {
    match target {
        ast::Expr::Subscript(_) => "assignment to an item is only supported as a single target (`a[i] = x`)",
        ast::Expr::Attribute(_) => "assignment to an attribute is not supported",
        ast::Expr::Starred(_) => "starred assignment targets are not supported",
        _ => "only local variables can be assigned to",
    }
}

/// For `x = cython.declare(T[, value])`: `Some(value)`.
pub(crate) fn declare_value(a: &ast::StmtAssign) -> Option<Option<&ast::Expr>> {
    let (_, call) = declare_call(&a.value)?;
    Some(call.args.get(1))
}

/// `cython.declare(T, ...)` (or `declare(T, ...)`): the type expression and the call.
pub(crate) fn declare_call(e: &ast::Expr) -> Option<(&ast::Expr, &ast::ExprCall)> {
    let ast::Expr::Call(c) = e else { return None };
    let is_declare = match &*c.func {
        ast::Expr::Attribute(a) => a.attr.as_str() == "declare" && matches!(&*a.value, ast::Expr::Name(_)),
        ast::Expr::Name(n) => n.id.as_str() == "declare",
        _ => false,
    };
    if !is_declare || c.args.is_empty() || c.args.len() > 2 {
        return None;
    }
    Some((&c.args[0], c))
}

/// Whether control can reach the end of a block (Python's implicit `return None`).
pub(crate) fn falls_through(stmts: &[ast::Stmt]) -> bool {
    !stmts.iter().any(always_exits)
}

/// A statement that never completes normally: it returns (or raises) on every path, or
/// loops forever.
fn always_exits(s: &ast::Stmt) -> bool {
    match s {
        ast::Stmt::Return(_) | ast::Stmt::Raise(_) => true,
        ast::Stmt::If(i) => !falls_through(&i.body) && !i.orelse.is_empty() && !falls_through(&i.orelse),
        ast::Stmt::While(w) => {
            let forever = is_truthy_const(&w.test) && !contains_break(&w.body);
            forever || (!contains_break(&w.body) && !w.orelse.is_empty() && !falls_through(&w.orelse))
        }
        ast::Stmt::For(f) => !contains_break(&f.body) && !f.orelse.is_empty() && !falls_through(&f.orelse),
        ast::Stmt::With(w) => !falls_through(&w.body),
        // Not compiled (already an error): do not add a `missing-return` to it.
        ast::Stmt::Try(_) | ast::Stmt::TryStar(_) | ast::Stmt::Match(_) => true,
        _ => false,
    }
}

fn is_truthy_const(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::Constant(c) => match &c.value {
            ast::Constant::Bool(b) => *b,
            ast::Constant::Int(v) => v.to_string() != "0",
            ast::Constant::Float(f) => *f != 0.0,
            _ => false,
        },
        _ => false,
    }
}

/// A `break` that leaves this loop (not one of a nested loop).
fn contains_break(stmts: &[ast::Stmt]) -> bool {
    stmts.iter().any(|s| match s {
        ast::Stmt::Break(_) => true,
        ast::Stmt::If(i) => contains_break(&i.body) || contains_break(&i.orelse),
        ast::Stmt::With(w) => contains_break(&w.body),
        ast::Stmt::While(w) => contains_break(&w.orelse),
        ast::Stmt::For(f) => contains_break(&f.orelse),
        _ => false,
    })
}
