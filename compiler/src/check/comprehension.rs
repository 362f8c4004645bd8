//! Check: list, set and dict comprehensions, and the generator expressions that are the
//! only argument of a call pycc compiles as a loop (`sum`, `any`, `all`, `list`, `tuple`,
//! `set`, `sorted`, `min`, `max`, `dict`, `str.join`), as `ExprKind::Seq`: a fresh result
//! (an empty container, `0`, a flag), the loops of the `for`/`if` clauses, then the result.
//!
//! Each comprehension has its own scope, as in Python 3: its targets are new locals that
//! shadow the function's names while it is checked (they do not leak, and do not clobber a
//! local of the same name); the first iterable is evaluated in the enclosing scope. Loop
//! variables are objects, except that `for i in range(...)` takes the C range loop of
//! `for` statements, with the variable typed by the bounds (in a `.pyx`, by the enclosing
//! function's `cdef` declaration of the name, as Cython does). After the loops, the
//! comprehension's object locals are released (`Move`), as its frame would be.

use super::convert::constant;
use super::expr::Val;
use super::infer::TypeObs;
use super::objects::{boxed, capi};
use super::scope::{span, FnCx};
use super::stmt::RANGE_STEP_ZERO;
use super::ty::bool_as_int;
use crate::diagnostics::Code;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{Block, BuildKind, CmpOp, Const, Expr, ExprKind, Frame, LocalId, StepCheck, Stmt, StmtKind, Ty, UnaryOp};

/// What a comprehension computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CompKind {
    List,
    Set,
    Dict,
    /// `sum(...)`: `PyNumber_Add` from `start` (int `0`).
    Sum,
    /// `any(...)` / `all(...)`: stop at the first true (false) item.
    Any,
    All,
}

/// The builtins that consume a generator expression, compiled as a loop.
const GENEXP_CALLS: &[&str] = &["sum", "any", "all", "list", "tuple", "set", "sorted", "min", "max", "dict"];

/// The parts of the loop being built.
struct Nest {
    kind: CompKind,
    /// The result: an object local (container or sum), or the `bint` flag of `any`/`all`.
    acc: LocalId,
    /// The object locals to release after the loops.
    owned: Vec<LocalId>,
    err: bool,
    tainted: bool,
    genexp: bool,
}

impl FnCx<'_> {
    /// `[elt for ...]`, `{elt for ...}`, `{elt: value for ...}`, and the loops of
    /// `sum`/`any`/`all` over a generator expression.
    /// `genexp`: a generator expression consumed by a call (its frame is `<genexpr>`, and
    /// what the consumer does with each item is in the function's frame).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn comprehension(&mut self, kind: CompKind, elt: &ast::Expr, value: Option<&ast::Expr>, generators: &[ast::Comprehension], genexp: bool, sp: Span) -> Val {
        if let Some(g) = generators.iter().find(|g| g.is_async) {
            self.unsupported(span(&g.iter), "asynchronous comprehensions are not supported");
            return Val::error(sp);
        }
        let mut body = Vec::new();
        let acc_ty = if matches!(kind, CompKind::Any | CompKind::All) { Ty::Bool } else { Ty::OBJECT };
        let acc = self.temp(acc_ty, sp);
        let init = match kind {
            CompKind::List => Expr::new(ExprKind::Build { kind: BuildKind::List, items: Vec::new() }, Ty::OBJECT, sp),
            CompKind::Set => Expr::new(ExprKind::Build { kind: BuildKind::Set, items: Vec::new() }, Ty::OBJECT, sp),
            CompKind::Dict => Expr::new(ExprKind::Build { kind: BuildKind::Dict, items: Vec::new() }, Ty::OBJECT, sp),
            CompKind::Sum => super::objects::boxed_literal(0, sp),
            CompKind::Any | CompKind::All => constant(Const::Bool(false), Ty::Bool, sp),
        };
        body.push(Stmt { kind: StmtKind::Assign { local: acc, value: init }, span: sp });
        let mut nest = Nest { kind, acc, owned: Vec::new(), err: false, tainted: false, genexp };
        let saved = self.names.clone();
        // The first iterable (and its `iter()`, or the bounds of its `range`) is evaluated in
        // the enclosing frame (`body`), the loops in the comprehension's (`inner`).
        let mut inner = Vec::new();
        self.clause(&mut nest, generators, elt, value, sp, &mut inner, Some(&mut body));
        self.names = saved;
        for local in std::mem::take(&mut nest.owned) {
            let release = Expr::new(ExprKind::Move(local), Ty::OBJECT, sp);
            inner.push(Stmt { kind: StmtKind::Expr(release), span: sp });
        }
        let result = match kind {
            CompKind::List | CompKind::Set | CompKind::Dict | CompKind::Sum => Expr::new(ExprKind::Move(acc), Ty::OBJECT, sp),
            CompKind::Any => boxed(Expr::new(ExprKind::Local(acc), Ty::Bool, sp)),
            CompKind::All => {
                let flag = Expr::new(ExprKind::Local(acc), Ty::Bool, sp);
                boxed(Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(flag) }, Ty::Bool, sp))
            }
        };
        let frame = match kind {
            _ if genexp => "<genexpr>",
            CompKind::List => "<listcomp>",
            CompKind::Set => "<setcomp>",
            _ => "<dictcomp>",
        };
        let loops = Expr::new(ExprKind::Seq { body: inner, value: Box::new(result), frame: Some(Frame::Named(frame)) }, Ty::OBJECT, sp);
        let expr = Expr::new(ExprKind::Seq { body, value: Box::new(loops), frame: None }, Ty::OBJECT, sp);
        if !nest.err {
            let mut arrays = false;
            crate::tir::visit::for_each_expr(&vec![Stmt { kind: StmtKind::Expr(expr.clone()), span: sp }], &mut |e| {
                arrays |= matches!(e.kind, ExprKind::NewArray { .. })
            });
            if arrays {
                self.unsupported(sp, "creating an array inside a comprehension is not supported; use a `for` loop");
                nest.err = true;
            }
        }
        Val { expr, lit: None, err: nest.err, tainted: nest.tainted }
    }

    /// The loop of `generators[0]` (its iterable checked in the current scope), with the
    /// rest nested inside, and the element innermost.
    #[allow(clippy::too_many_arguments)]
    fn clause(&mut self, nest: &mut Nest, generators: &[ast::Comprehension], elt: &ast::Expr, value: Option<&ast::Expr>, sp: Span, out: &mut Block, outer: Option<&mut Block>) {
        let Some((g, rest)) = generators.split_first() else {
            self.element(nest, elt, value, sp, out);
            return;
        };
        if let Some(range) = self.comp_range(g, sp) {
            let (var, mut start, mut stop, mut step, step_check) = range;
            if let Some(outer) = outer {
                for bound in [&mut start, &mut stop, &mut step] {
                    if !matches!(bound.kind, ExprKind::Const(_)) {
                        let (ty, bspan) = (bound.ty, bound.span);
                        let t = self.temp(ty, bspan);
                        let value = std::mem::replace(bound, Expr::new(ExprKind::Local(t), ty, bspan));
                        outer.push(Stmt { kind: StmtKind::Assign { local: t, value }, span: sp });
                    }
                }
                // `range()` raises for a zero step before the loop starts, in this frame.
                if let StepCheck::Dynamic(raise) = step_check {
                    let zero = constant(Const::Int(0), step.ty, step.span);
                    let cond = Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: Box::new(step.clone()), rhs: Box::new(zero) }, Ty::Bool, step.span);
                    outer.push(Stmt { kind: StmtKind::Check { cond, raise }, span: span(&g.iter) });
                }
            }
            self.loop_depth += 1;
            let body = self.clause_body(nest, g, rest, elt, value, sp, Vec::new());
            self.loop_depth -= 1;
            out.push(Stmt { kind: StmtKind::ForRange { var, start, stop, step, step_check, body, orelse: Vec::new() }, span: sp });
        } else {
            let iterable = self.check_value(&g.iter);
            nest.err |= iterable.err;
            nest.tainted |= iterable.tainted;
            let isp = span(&g.iter);
            let tsp = span(&g.target);
            let it = self.temp(Ty::OBJECT, isp);
            let item = self.temp(Ty::OBJECT, tsp);
            nest.owned.extend([it, item]);
            let iterable = self.operand(iterable, Ty::OBJECT);
            let get_iter = Stmt { kind: StmtKind::Assign { local: it, value: capi("PyObject_GetIter", vec![iterable], isp) }, span: sp };
            outer.unwrap_or(out).push(get_iter);
            self.declare_targets(&g.target, None, nest);
            let mut first = Vec::new();
            let item_val = Val::new(Expr::new(ExprKind::Move(item), Ty::OBJECT, tsp));
            self.assign_target(&g.target, item_val, tsp, &mut first);
            self.loop_depth += 1;
            let body = self.clause_body(nest, g, rest, elt, value, sp, first);
            self.loop_depth -= 1;
            out.push(Stmt { kind: StmtKind::ForIter { iter: it, item, body, orelse: Vec::new() }, span: sp });
        }
    }

    /// A loop's body: the target assignment (`first`), then the `if` clauses around the
    /// rest of the clauses.
    #[allow(clippy::too_many_arguments)]
    fn clause_body(&mut self, nest: &mut Nest, g: &ast::Comprehension, rest: &[ast::Comprehension], elt: &ast::Expr, value: Option<&ast::Expr>, sp: Span, first: Block) -> Block {
        let mut body = first;
        let mut inner = Vec::new();
        self.clause(nest, rest, elt, value, sp, &mut inner, None);
        if !rest.is_empty() && matches!(nest.kind, CompKind::Any | CompKind::All) {
            // The flag set in a nested loop leaves this loop as well.
            let flag = Expr::new(ExprKind::Local(nest.acc), Ty::Bool, sp);
            inner.push(Stmt { kind: StmtKind::If { cond: flag, then_body: vec![Stmt { kind: StmtKind::Break, span: sp }], else_body: Vec::new() }, span: sp });
        }
        for cond in g.ifs.iter().rev() {
            let c = self.check_cond(cond);
            inner = vec![Stmt { kind: StmtKind::If { cond: c, then_body: inner, else_body: Vec::new() }, span: span(cond) }];
        }
        body.extend(inner);
        body
    }

    /// The innermost statement: the element added to the result. For a generator
    /// expression, the element is computed in its frame and the consumer's step (`sum`'s
    /// addition, `any`'s truth test, `set`'s insertion) in the function's.
    fn element(&mut self, nest: &mut Nest, elt: &ast::Expr, value: Option<&ast::Expr>, sp: Span, out: &mut Block) {
        let flag = matches!(nest.kind, CompKind::Any | CompKind::All);
        let acc = Expr::new(ExprKind::Local(nest.acc), if flag { Ty::Bool } else { Ty::OBJECT }, sp);
        let esp = span(elt);
        let mut vals = Vec::new();
        for e in std::iter::once(elt).chain(value) {
            let v = self.check_value(e);
            nest.err |= v.err;
            nest.tainted |= v.tainted;
            vals.push(v);
        }
        if nest.genexp && nest.kind != CompKind::List {
            // (a list's append cannot fail: it stays in the generator's frame)
            vals = vals.into_iter().map(|v| self.hold(v, esp, out)).collect();
        }
        let in_function = nest.genexp && nest.kind != CompKind::List;
        let consumer = |e: Expr| if in_function { Expr::new(ExprKind::Seq { body: Vec::new(), value: Box::new(e.clone()), frame: Some(Frame::Function) }, e.ty, e.span) } else { e };
        match nest.kind {
            CompKind::Any | CompKind::All => {
                let Some(v) = vals.pop() else { return };
                let c = super::expr::to_bool(self.operand_or_self(v));
                let c = consumer(c);
                let c = if nest.kind == CompKind::All { Expr::new(ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(c) }, Ty::Bool, esp) } else { c };
                let set = Stmt { kind: StmtKind::Assign { local: nest.acc, value: constant(Const::Bool(true), Ty::Bool, esp) }, span: esp };
                let then_body = vec![set, Stmt { kind: StmtKind::Break, span: esp }];
                out.push(Stmt { kind: StmtKind::If { cond: c, then_body, else_body: Vec::new() }, span: esp });
            }
            CompKind::Sum => {
                let Some(v) = vals.pop() else { return };
                let v = self.operand(v, Ty::OBJECT);
                let add = consumer(capi("PyNumber_Add", vec![acc, v], esp));
                out.push(Stmt { kind: StmtKind::Assign { local: nest.acc, value: add }, span: esp });
            }
            CompKind::List | CompKind::Set | CompKind::Dict => {
                let mut args = vec![acc];
                for v in vals {
                    args.push(self.operand(v, Ty::OBJECT));
                }
                let func = match nest.kind {
                    CompKind::List => "PyList_Append",
                    CompKind::Set => "PySet_Add",
                    _ => "PyDict_SetItem",
                };
                out.push(Stmt { kind: StmtKind::Expr(consumer(capi(func, args, esp))), span: esp });
            }
        }
    }

    /// A value as it is (a C value, tested in C) or as an object.
    fn operand_or_self(&mut self, v: Val) -> Expr {
        if v.ty().is_object() || v.ty().is_numeric() {
            return v.expr;
        }
        self.operand(v, Ty::OBJECT)
    }

    /// New locals for the names of a comprehension target, shadowing the function's
    /// (`ty`: the type of a plain name target; objects otherwise).
    fn declare_targets(&mut self, target: &ast::Expr, ty: Option<Ty>, nest: &mut Nest) {
        match target {
            ast::Expr::Name(n) => {
                // Cython: a name the function declares keeps its C type in a comprehension.
                let declared = self.declared.get(n.id.as_str()).copied().filter(|t| self.is_pyx() && (t.is_int() || t.is_float() || *t == Ty::Bool));
                let ty = ty.or(declared).unwrap_or(Ty::OBJECT);
                let id = LocalId(self.locals.len() as u32);
                self.locals.push(crate::tir::Local { name: n.id.to_string(), ty, span: span(n) });
                self.names.insert(n.id.to_string(), id);
                self.comp_locals.insert(id);
                if ty.is_object() {
                    nest.owned.push(id);
                }
            }
            ast::Expr::Tuple(t) => t.elts.iter().for_each(|e| self.declare_targets(e, None, nest)),
            ast::Expr::List(t) => t.elts.iter().for_each(|e| self.declare_targets(e, None, nest)),
            ast::Expr::Starred(s) => self.declare_targets(&s.value, None, nest),
            // Attributes and items: assigned as they are (Python allows them).
            _ => {}
        }
    }

    /// `for name in range(...)` with integer bounds: the C range loop (its variable
    /// declared), as for `for` statements.
    #[allow(clippy::type_complexity)]
    fn comp_range(&mut self, g: &ast::Comprehension, sp: Span) -> Option<(LocalId, Expr, Expr, Expr, StepCheck)> {
        let ast::Expr::Name(target) = &g.target else { return None };
        let ast::Expr::Call(call) = &g.iter else { return None };
        let is_range = matches!(&*call.func, ast::Expr::Name(n) if n.id.as_str() == "range"
            && !self.names.contains_key("range") && self.env.func_id("range").is_none() && self.env.global("range").is_none());
        if !is_range || call.args.is_empty() || call.args.len() > 3 || !call.keywords.is_empty() {
            return None;
        }
        if call.args.iter().any(|a| matches!(a, ast::Expr::Starred(_)) || super::expr::float_literal(a).is_some()) {
            return None;
        }
        let step_lit = call.args.get(2).and_then(super::expr::int_literal);
        if step_lit == Some(0) {
            return None;
        }
        // The bounds, in the enclosing scope; a float bound is Python's TypeError, at run time.
        let mut diags = std::mem::take(&mut self.diags);
        let mut vals = Vec::new();
        for a in &call.args {
            vals.push(self.check_value(a));
        }
        std::mem::swap(&mut diags, &mut self.diags);
        if vals.iter().any(|v| v.ty().is_float() || v.err) {
            // Checked again as an object iterable (with its diagnostics once).
            return None;
        }
        self.diags.extend(diags);
        let is_pyx = self.is_pyx();
        let int_of_bool = Ty::Int(bool_as_int(is_pyx));
        let mut obs = TypeObs::default();
        let vals: Vec<Val> = vals
            .into_iter()
            .map(|v| match v.ty() {
                Ty::Bool => Val { expr: self.operand(v.clone(), int_of_bool), ..v },
                Ty::Object(_) => Val { expr: self.operand(v.clone(), Ty::PY_INT), ..v },
                _ => v,
            })
            .collect();
        for v in &vals {
            obs.add(v.ty(), v.lit, is_pyx);
        }
        let declared = self.declared.get(target.id.as_str()).copied().filter(|t| is_pyx && t.is_int());
        let ty = declared.or(obs.ty(is_pyx)).filter(|t| t.is_int())?;
        let step_check = match step_lit {
            None if call.args.len() < 3 => StepCheck::Positive,
            None => StepCheck::Dynamic(RANGE_STEP_ZERO),
            Some(v) if v > 0 => StepCheck::Positive,
            Some(_) => StepCheck::Negative,
        };
        let name = target.id.to_string();
        let mut it = vals.into_iter();
        let (start, stop, step) = match (it.next(), it.next(), it.next()) {
            (Some(stop), None, _) => (None, stop, None),
            (Some(start), Some(stop), step) => (Some(start), stop, step),
            _ => return None,
        };
        let target_kind = super::convert::Target::Local(&name);
        let start = match start {
            Some(v) => self.coerce(v, ty, target_kind),
            None => constant(Const::Int(0), ty, sp),
        };
        let stop = self.coerce(stop, ty, super::convert::Target::Local(&name));
        let step = match step {
            Some(v) => self.coerce(v, ty, super::convert::Target::Local(&name)),
            None => constant(Const::Int(1), ty, sp),
        };
        let mut scratch = Nest { kind: CompKind::List, acc: LocalId(0), owned: Vec::new(), err: false, tainted: false, genexp: false };
        self.declare_targets(&g.target, Some(ty), &mut scratch);
        let var = *self.names.get(name.as_str())?;
        Some((var, start, stop, step, step_check))
    }

    /// A call whose only argument is a generator expression, for the builtins above
    /// (and `sep.join(...)`); `None` when it is not one (the generator expression is then
    /// refused where it is checked).
    pub(crate) fn genexp_call(&mut self, call: &ast::ExprCall, sp: Span) -> Option<Val> {
        let ast::Expr::GeneratorExp(g) = call.args.first()? else { return None };
        // Other arguments are evaluated before the generator runs in CPython, after it here:
        // only names and constants, whose evaluation order cannot be seen.
        let simple = |e: &ast::Expr| match e {
            ast::Expr::Name(_) | ast::Expr::Constant(_) => true,
            ast::Expr::Attribute(a) => matches!(&*a.value, ast::Expr::Name(_)),
            ast::Expr::UnaryOp(u) => matches!(&*u.operand, ast::Expr::Constant(_)),
            _ => false,
        };
        let extra_simple = call.args[1..].iter().all(simple) && call.keywords.iter().all(|k| k.arg.is_some() && simple(&k.value));
        match &*call.func {
            ast::Expr::Name(n) if GENEXP_CALLS.contains(&n.id.as_str()) => {
                let name = n.id.as_str();
                let builtin = !self.names.contains_key(name) && self.env.func_id(name).is_none() && self.env.global(name).is_none();
                if !builtin || !extra_simple {
                    return None;
                }
                let extra = call.args.len() > 1 || !call.keywords.is_empty();
                match name {
                    "sum" if call.keywords.is_empty() && call.args.len() <= 2 => {
                        let start = call.args.get(1);
                        if start.is_some_and(|s| super::expr::int_literal(s).is_none() && super::expr::float_literal(s).is_none()) {
                            return None;
                        }
                        let mut v = self.comprehension(CompKind::Sum, &g.elt, None, &g.generators, true, sp);
                        if let (Some(start), ExprKind::Seq { body, .. }) = (start, &mut v.expr.kind) {
                            let s = self.check_value(start);
                            let s = self.operand(s, Ty::OBJECT);
                            if let Some(Stmt { kind: StmtKind::Assign { value, .. }, .. }) = body.first_mut() {
                                *value = s;
                            }
                        }
                        Some(v)
                    }
                    "any" | "all" if !extra => {
                        let kind = if name == "any" { CompKind::Any } else { CompKind::All };
                        Some(self.comprehension(kind, &g.elt, None, &g.generators, true, sp))
                    }
                    "list" if !extra => Some(self.comprehension(CompKind::List, &g.elt, None, &g.generators, true, sp)),
                    "set" if !extra => Some(self.comprehension(CompKind::Set, &g.elt, None, &g.generators, true, sp)),
                    "tuple" if !extra => {
                        let v = self.comprehension(CompKind::List, &g.elt, None, &g.generators, true, sp);
                        Some(Val { expr: capi("PyList_AsTuple", vec![v.expr], sp), ..v })
                    }
                    "sorted" | "min" | "max" | "dict" => {
                        let callee = self.load_global(name, span(n));
                        let list = self.comprehension(CompKind::List, &g.elt, None, &g.generators, true, sp);
                        Some(self.call_with_first(callee, None, list, call, sp))
                    }
                    _ => None,
                }
            }
            ast::Expr::Attribute(a) if a.attr.as_str() == "join" && call.args.len() == 1 && call.keywords.is_empty() => {
                let recv = self.check_value(&a.value);
                if !recv.ty().is_object() && !recv.err {
                    return None;
                }
                let list = self.comprehension(CompKind::List, &g.elt, None, &g.generators, true, sp);
                Some(self.call_with_first(recv, Some("join"), list, call, sp))
            }
            _ => None,
        }
    }

    /// `callee(first, *rest)` (or `callee.method(first, ...)`), `rest` the call's other
    /// arguments and keywords.
    fn call_with_first(&mut self, callee: Val, method: Option<&str>, first: Val, call: &ast::ExprCall, sp: Span) -> Val {
        let (mut err, mut tainted) = (callee.err || first.err, callee.tainted || first.tainted);
        let callee_expr = self.operand(callee, Ty::OBJECT);
        let mut args = vec![self.operand(first, Ty::OBJECT)];
        let mut names = Vec::new();
        let values = call.args[1..].iter().map(|a| (None, a)).chain(call.keywords.iter().map(|k| (k.arg.as_ref().map(|n| n.to_string()), &k.value)));
        for (name, value) in values {
            let v = self.check_value(value);
            err |= v.err;
            tainted |= v.tainted;
            names.extend(name);
            args.push(self.operand(v, Ty::OBJECT));
        }
        let kwnames = if names.is_empty() { None } else { Some(self.env.constant(crate::abi::ConstObj::StrTuple(names))) };
        let expr = match method {
            Some(m) => {
                let name = self.env.constant(crate::abi::ConstObj::Str(m.to_string()));
                let args = std::iter::once(callee_expr).chain(args).collect();
                Expr::new(ExprKind::CallMethod { name, args, kwnames }, Ty::OBJECT, sp)
            }
            None => Expr::new(ExprKind::CallObject { callee: Box::new(callee_expr), args, kwnames }, Ty::OBJECT, sp),
        };
        Val { expr, lit: None, err, tainted }
    }

    /// A generator expression anywhere else.
    pub(crate) fn refuse_genexp(&mut self, sp: Span) -> Val {
        self.push(
            crate::diagnostics::Diagnostic::error(Code::UnsupportedSyntax, sp, "generator expressions are not supported here")
                .with_note("generator expressions come with generators; until then, one is compiled as a loop only as the only argument of `sum`, `any`, `all`, `list`, `tuple`, `set`, `sorted`, `min`, `max`, `dict` or `str.join`")
                .with_help("use a list comprehension (`[... for ...]`)"),
        );
        Val::error(sp)
    }
}
