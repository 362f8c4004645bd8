//! Check: star arguments and star items. `f(a, *xs, k=1, **kw)` and displays with `*xs` /
//! `**d` are lowered as CPython 3.11 compiles them: a list built from the positional parts
//! (`LIST_APPEND`/`LIST_EXTEND`), a dict from the keyword parts (`DICT_MERGE`), then
//! `PyObject_Call`; `[*a, 1]`, `{*a}`, `{**d, 'k': 1}` the same way, without the call. Each
//! is an `ExprKind::Seq` over checker temporaries, read once with `Move`; the star parts are
//! `ExprKind::Merge` (the runtime's `merge` service, with CPython's messages).

use super::expr::Val;
use super::objects::capi;
use super::scope::{span, FnCx, Global};
use crate::abi::ConstObj;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{BuildKind, Expr, ExprKind, LocalId, MergeOp, ObjKind, Stmt, StmtKind, Ty};

/// One item of a display or one positional argument: plain or starred.
enum Part<'a> {
    Plain(&'a ast::Expr),
    Star(&'a ast::Expr),
}

fn part(e: &ast::Expr) -> Part<'_> {
    match e {
        ast::Expr::Starred(s) => Part::Star(&s.value),
        other => Part::Plain(other),
    }
}

/// Whether a call has a `*` or `**` argument.
pub(crate) fn has_star_args(call: &ast::ExprCall) -> bool {
    call.args.iter().any(|a| matches!(a, ast::Expr::Starred(_))) || call.keywords.iter().any(|k| k.arg.is_none())
}

/// Statements and flags collected while lowering.
#[derive(Default)]
struct Lowered {
    body: Vec<Stmt>,
    err: bool,
    tainted: bool,
}

impl FnCx<'_> {
    fn local_expr(&self, id: LocalId, sp: Span) -> Expr {
        Expr::new(ExprKind::Local(id), self.local_ty(id), sp)
    }

    fn moved_expr(&self, id: LocalId, sp: Span) -> Expr {
        Expr::new(ExprKind::Move(id), self.local_ty(id), sp)
    }

    /// A checked value, boxed, with its flags noted.
    fn boxed_value(&mut self, e: &ast::Expr, out: &mut Lowered) -> Expr {
        let v = self.check_value(e);
        out.err |= v.err;
        out.tainted |= v.tainted;
        self.operand(v, Ty::OBJECT)
    }

    /// A new temporary holding `value` (owned or not: `refs.rs` takes a reference).
    fn hold_temp(&mut self, value: Expr, kind: ObjKind, out: &mut Lowered) -> LocalId {
        let sp = value.span;
        let t = self.temp(Ty::Object(kind), sp);
        out.body.push(Stmt { kind: StmtKind::Assign { local: t, value }, span: sp });
        t
    }

    fn push_merge(&self, op: MergeOp, target: LocalId, value: Expr, func: Option<LocalId>, sp: Span, out: &mut Lowered) {
        let func = func.map(|f| Box::new(self.local_expr(f, sp)));
        let e = Expr::new(ExprKind::Merge { op, target: Box::new(self.local_expr(target, sp)), value: Box::new(value), func }, Ty::Int(crate::tir::IntKind::Int), sp);
        out.body.push(Stmt { kind: StmtKind::Expr(e), span: sp });
    }

    fn push_add(&self, func: &'static str, target: LocalId, items: Vec<Expr>, sp: Span, out: &mut Lowered) {
        let args = std::iter::once(self.local_expr(target, sp)).chain(items).collect();
        out.body.push(Stmt { kind: StmtKind::Expr(capi(func, args, sp)), span: sp });
    }

    /// A list, tuple or set display with star items (`[*a, 1, *b]`, `(*a,)`, `{*a, *b}`).
    pub(crate) fn star_display(&mut self, kind: BuildKind, items: &[&ast::Expr], sp: Span) -> Val {
        let mut out = Lowered::default();
        let (build, obj) = if kind == BuildKind::Set { (BuildKind::Set, ObjKind::Set) } else { (BuildKind::List, ObjKind::List) };
        let lead = items.iter().take_while(|e| !matches!(e, ast::Expr::Starred(_))).count();
        let first: Vec<Expr> = items[..lead].iter().map(|e| self.boxed_value(e, &mut out)).collect();
        let acc = self.hold_temp(Expr::new(ExprKind::Build { kind: build, items: first }, Ty::Object(obj), sp), obj, &mut out);
        for e in &items[lead..] {
            match part(e) {
                Part::Star(value) => {
                    let v = self.boxed_value(value, &mut out);
                    let op = if kind == BuildKind::Set { MergeOp::SetUpdate } else { MergeOp::ListExtend };
                    self.push_merge(op, acc, v, None, span(*e), &mut out);
                }
                Part::Plain(value) => {
                    let v = self.boxed_value(value, &mut out);
                    let add = if kind == BuildKind::Set { "PySet_Add" } else { "PyList_Append" };
                    self.push_add(add, acc, vec![v], span(*e), &mut out);
                }
            }
        }
        // (`PyList_AsTuple` is typed `object`, as every C-API result.)
        let (value, ty) = match kind {
            BuildKind::Tuple => (capi("PyList_AsTuple", vec![self.moved_expr(acc, sp)], sp), Ty::OBJECT),
            _ => (self.moved_expr(acc, sp), Ty::Object(kind.obj_kind())),
        };
        self.finish_seq(out, value, ty, sp)
    }

    /// A dict display with `**` items (`{**d, 'k': 1, **e}`; later keys win).
    pub(crate) fn star_dict(&mut self, d: &ast::ExprDict, sp: Span) -> Val {
        let mut out = Lowered::default();
        let lead = d.keys.iter().take_while(|k| k.is_some()).count();
        let mut first = Vec::with_capacity(2 * lead);
        for (k, v) in d.keys[..lead].iter().flatten().zip(&d.values) {
            first.push(self.boxed_value(k, &mut out));
            first.push(self.boxed_value(v, &mut out));
        }
        let acc = self.hold_temp(Expr::new(ExprKind::Build { kind: BuildKind::Dict, items: first }, Ty::Object(ObjKind::Dict), sp), ObjKind::Dict, &mut out);
        for (k, v) in d.keys[lead..].iter().zip(d.values.get(lead..).unwrap_or_default()) {
            match k {
                None => {
                    let value = self.boxed_value(v, &mut out);
                    self.push_merge(MergeOp::DictUpdate, acc, value, None, span(v), &mut out);
                }
                Some(k) => {
                    let key = self.boxed_value(k, &mut out);
                    let value = self.boxed_value(v, &mut out);
                    self.push_add("PyDict_SetItem", acc, vec![key, value], span(k).to(span(v)), &mut out);
                }
            }
        }
        let value = self.moved_expr(acc, sp);
        self.finish_seq(out, value, Ty::Object(ObjKind::Dict), sp)
    }

    fn finish_seq(&self, out: Lowered, value: Expr, ty: Ty, sp: Span) -> Val {
        let expr = Expr::new(ExprKind::Seq { body: out.body, value: Box::new(value), frame: None }, ty, sp);
        Val { expr, lit: None, err: out.err, tainted: out.tainted }
    }

    /// The callee of a call with star arguments: a Python object (a compiled `def` of the
    /// module through its Python function object), or an error for what has none.
    pub(crate) fn star_callee(&mut self, func: &ast::Expr) -> Option<Val> {
        let sp = span(func);
        if let ast::Expr::Name(n) = func {
            let id = n.id.as_str();
            if !self.names.contains_key(id) {
                let refuse = if id.starts_with('<') {
                    Some("a cast takes one value, not `*args` or `**kwargs`".to_string())
                } else if let Some(fid) = self.env.func_id(id).filter(|f| !self.env.sig(*f).kind.is_exported()) {
                    let name = &self.env.sig(fid).name;
                    Some(format!("the `cdef` function `{name}` cannot be called with `*args` or `**kwargs` (it has no Python object); pass its arguments one by one"))
                } else if matches!(self.env.global(id), Some(Global::MathFn { .. } | Global::Cython(_))) {
                    Some(format!("`{id}` cannot be called with `*args` or `**kwargs`"))
                } else {
                    None
                };
                if let Some(msg) = refuse {
                    self.unsupported(sp, msg);
                    return None;
                }
            }
        }
        if let ast::Expr::Attribute(a) = func {
            if let ast::Expr::Name(base) = &*a.value {
                let compile_time = matches!(self.env.global(&base.id), Some(Global::Module(super::scope::ModKind::Cython | super::scope::ModKind::LibcMath)));
                if compile_time && !self.names.contains_key(base.id.as_str()) {
                    self.unsupported(sp, format!("`{}.{}` cannot be called with `*args` or `**kwargs`", base.id, a.attr));
                    return None;
                }
            }
        }
        let callee = self.check_value(func);
        if callee.err {
            return None;
        }
        if !callee.ty().is_object() {
            self.unsupported(sp, format!("a `{}` value is not callable", callee.ty()));
            return None;
        }
        Some(callee)
    }

    /// `callee(a, *xs, k=1, **kw)`: CPython 3.11's `CALL_FUNCTION_EX`.
    pub(crate) fn star_call(&mut self, callee: Val, call: &ast::ExprCall, sp: Span) -> Val {
        let mut out = Lowered { err: callee.err, tainted: callee.tainted, ..Lowered::default() };
        let callee_expr = self.operand(callee, Ty::OBJECT);
        let func = self.hold_temp(callee_expr, ObjKind::Any, &mut out);
        // Positional parts. One star argument alone keeps its value until the keywords are
        // built, then is made a tuple with the call's own message (`f() argument after *
        // must be an iterable`); otherwise a list is built as the arguments come.
        let single_star = match call.args.as_slice() {
            [ast::Expr::Starred(s)] => {
                let v = self.boxed_value(&s.value, &mut out);
                Some(self.hold_temp(v, ObjKind::Any, &mut out))
            }
            _ => None,
        };
        let mut positional = None;
        if single_star.is_none() && !call.args.is_empty() {
            let lead = call.args.iter().take_while(|a| !matches!(a, ast::Expr::Starred(_))).count();
            let first: Vec<Expr> = call.args[..lead].iter().map(|e| self.boxed_value(e, &mut out)).collect();
            let list = self.hold_temp(Expr::new(ExprKind::Build { kind: BuildKind::List, items: first }, Ty::Object(ObjKind::List), sp), ObjKind::List, &mut out);
            for a in &call.args[lead..] {
                match part(a) {
                    Part::Star(value) => {
                        let v = self.boxed_value(value, &mut out);
                        self.push_merge(MergeOp::ListExtend, list, v, None, span(a), &mut out);
                    }
                    Part::Plain(value) => {
                        let v = self.boxed_value(value, &mut out);
                        self.push_add("PyList_Append", list, vec![v], span(a), &mut out);
                    }
                }
            }
            positional = Some(list);
        }
        // Keyword parts: the named ones before the first `**` make the dict; each `**` and
        // each later run of named ones is merged into it, duplicates refused.
        let mut kwargs = None;
        let mut run: Vec<Expr> = Vec::new();
        let mut run_span = sp;
        for k in &call.keywords {
            match &k.arg {
                Some(name) => {
                    if run.is_empty() {
                        run_span = span(k);
                    }
                    run.push(self.const_obj(ConstObj::Str(name.to_string()), span(k)));
                    let v = self.boxed_value(&k.value, &mut out);
                    run.push(v);
                }
                None => {
                    self.flush_keywords(&mut kwargs, &mut run, run_span, func, &mut out);
                    let v = self.boxed_value(&k.value, &mut out);
                    let dict = self.kwargs_dict(&mut kwargs, sp, &mut out);
                    self.push_merge(MergeOp::CallKwargs, dict, v, Some(func), span(k), &mut out);
                }
            }
        }
        self.flush_keywords(&mut kwargs, &mut run, run_span, func, &mut out);
        let args = match (single_star, positional) {
            (Some(star), _) => {
                let list = self.hold_temp(Expr::new(ExprKind::Build { kind: BuildKind::List, items: Vec::new() }, Ty::Object(ObjKind::List), sp), ObjKind::List, &mut out);
                let value = self.moved_expr(star, sp);
                self.push_merge(MergeOp::CallStar, list, value, Some(func), sp, &mut out);
                capi("PyList_AsTuple", vec![self.moved_expr(list, sp)], sp)
            }
            (None, Some(list)) => capi("PyList_AsTuple", vec![self.moved_expr(list, sp)], sp),
            (None, None) => self.const_obj(ConstObj::Tuple(Vec::new()), sp),
        };
        let value = match kwargs {
            Some(d) => capi("PyObject_Call", vec![self.moved_expr(func, sp), args, self.moved_expr(d, sp)], sp),
            None => capi("PyObject_CallObject", vec![self.moved_expr(func, sp), args], sp),
        };
        self.finish_seq(out, value, Ty::OBJECT, sp)
    }

    /// The call's keyword dict, made empty on first use.
    fn kwargs_dict(&mut self, kwargs: &mut Option<LocalId>, sp: Span, out: &mut Lowered) -> LocalId {
        match *kwargs {
            Some(d) => d,
            None => {
                let d = self.hold_temp(Expr::new(ExprKind::Build { kind: BuildKind::Dict, items: Vec::new() }, Ty::Object(ObjKind::Dict), sp), ObjKind::Dict, out);
                *kwargs = Some(d);
                d
            }
        }
    }

    /// A run of named keywords (key, value pairs in `run`): the keyword dict itself when it
    /// comes first, else merged into it (`k=1` after `**kw` may repeat a key).
    fn flush_keywords(&mut self, kwargs: &mut Option<LocalId>, run: &mut Vec<Expr>, run_span: Span, func: LocalId, out: &mut Lowered) {
        if run.is_empty() {
            return;
        }
        let items = std::mem::take(run);
        let build = Expr::new(ExprKind::Build { kind: BuildKind::Dict, items }, Ty::Object(ObjKind::Dict), run_span);
        match *kwargs {
            None => *kwargs = Some(self.hold_temp(build, ObjKind::Dict, out)),
            Some(d) => self.push_merge(MergeOp::CallKwargs, d, build, Some(func), run_span, out),
        }
    }

    /// Checks the arguments of a star call that is an error anyway, for their own errors.
    pub(crate) fn check_star_args_for_errors(&mut self, call: &ast::ExprCall) {
        for a in &call.args {
            let _ = match a {
                ast::Expr::Starred(s) => self.check_expr(&s.value),
                other => self.check_expr(other),
            };
        }
        for k in &call.keywords {
            let _ = self.check_expr(&k.value);
        }
    }
}
