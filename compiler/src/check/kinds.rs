//! Check: the fast paths for objects of a known builtin kind (`cdef list xs`, `xs: list`,
//! a list display), as Cython takes them: `len()` from the object's size field
//! (`PyList_GET_SIZE`; `PyUnicode_GetLength` for a `str`), `xs[i]` with a C integer index
//! from the items (`PyList_GET_ITEM`, after a bounds test), `xs[i] = v` through
//! `PySequence_SetItem`, `xs.append(v)` through `PyList_Append`, `k in d` through
//! `PyDict_Contains` and `x in s` through `PySet_Contains`. `x[i]` on an object of unknown
//! kind tests for an exact tuple or list when it runs (Cython's `__Pyx_GetItemInt`).
//!
//! Every kind allows `None`, and the typed functions do not accept it (they raise
//! `SystemError`, or worse): each fast path tests for `None` first and takes the generic
//! protocol then, so that `None` raises exactly what CPython raises (`'NoneType' object is
//! not subscriptable`, `object of type 'NoneType' has no len()`). The test is a pointer
//! comparison with the module's `None` constant (no reference count).

use crate::abi::ConstObj;
use crate::source::Span;
use crate::tir::{BinOp, CastKind, CmpOp, Const, Expr, ExprKind, Field, IntKind, ObjKind, Overflow, Ty};

use super::convert::{cast, constant};
use super::expr::Val;
use super::objects::{boxed, capi};
use super::scope::FnCx;

const SSIZE: Ty = Ty::Int(IntKind::SSizeT);

impl FnCx<'_> {
    /// `e` as something that can be read more than once: a local or a constant as it is,
    /// anything else evaluated into a fresh local by the `Let` that [`wrap`] puts around
    /// the result.
    fn reusable(&mut self, e: Expr, binds: &mut Vec<(crate::tir::LocalId, Expr)>) -> Expr {
        if matches!(e.kind, ExprKind::Local(_) | ExprKind::Const(_) | ExprKind::ModConst(_)) {
            return e;
        }
        let (ty, sp) = (e.ty, e.span);
        let t = self.temp(ty, sp);
        binds.push((t, e));
        Expr::new(ExprKind::Local(t), ty, sp)
    }

    /// `obj is None`, without a reference count (the module's `None` constant is borrowed).
    fn is_none(&self, obj: &Expr, sp: Span) -> Expr {
        let none = Expr::new(ExprKind::ModConst(self.env.constant(ConstObj::None)), Ty::OBJECT, sp);
        Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: Box::new(obj.clone()), rhs: Box::new(none) }, Ty::Bool, sp)
    }

    /// `generic if obj is None else fast`, inside the bindings.
    fn none_guarded(&self, obj: &Expr, generic: Expr, fast: Expr, binds: Vec<(crate::tir::LocalId, Expr)>, sp: Span) -> Expr {
        let ty = fast.ty;
        let choice = Expr::new(
            ExprKind::IfExp { cond: Box::new(self.is_none(obj, sp)), then_expr: Box::new(generic), else_expr: Box::new(fast) },
            ty,
            sp,
        );
        wrap(binds, choice)
    }

    /// `len(obj)` for an object of a known kind: its size field (`PyList_GET_SIZE`), or
    /// `PyUnicode_GetLength` for a `str`.
    pub(crate) fn kind_len(&mut self, obj: Expr, sp: Span) -> Expr {
        let kind = match obj.ty.obj_kind() {
            Some(k) if k != ObjKind::Any => k,
            _ => return capi("PyObject_Size", vec![obj], sp),
        };
        let mut binds = Vec::new();
        let o = self.reusable(obj, &mut binds);
        let generic = capi("PyObject_Size", vec![o.clone()], sp);
        let fast = match Field::len_of(kind) {
            Some(f) => field(&o, f, sp),
            None => capi("PyUnicode_GetLength", vec![o.clone()], sp),
        };
        self.none_guarded(&o, generic, fast, binds, sp)
    }

    /// The index of a fast `xs[i]` as a `Py_ssize_t`, when it is a C integer that converts
    /// without loss (not an unsigned 64-bit one, not a `bint`).
    fn ssize_index(&self, key: &Val) -> Option<Expr> {
        if key.err {
            return None;
        }
        if let Some(v) = key.lit {
            return Some(constant(Const::Int(v), SSIZE, key.expr.span));
        }
        match key.expr.ty {
            Ty::Int(IntKind::SSizeT) => Some(key.expr.clone()),
            Ty::Int(k) if k.signed() || k.bits() < 64 => Some(cast(CastKind::IntWrap, key.expr.clone(), SSIZE)),
            _ => None,
        }
    }

    /// `obj[key]` with a C integer index, as Cython's `__Pyx_GetItemInt`: on an exact list
    /// or tuple an index in range (negative ones count from the end, unless `wraparound`
    /// is off) is read from the items (`PyList_GET_ITEM`); out of range, the typed function
    /// raises CPython's `IndexError: list index out of range` / `tuple index out of range`.
    /// An object of unknown kind is tested for exactly `tuple`, then `list`; anything
    /// else (a subclass, a dict, `None`) takes `PyObject_GetItem` with the index boxed.
    /// `None` if there is no fast path (another kind, an index that is not a C integer).
    pub(crate) fn kind_get_item(&mut self, obj: &Val, key: &Val, sp: Span) -> Option<Val> {
        let kind = obj.expr.ty.obj_kind()?;
        let getter = match kind {
            ObjKind::List => "PyList_GetItem",
            ObjKind::Tuple => "PyTuple_GetItem",
            ObjKind::Any => "",
            _ => return None,
        };
        let index = self.ssize_index(key)?;
        let mut binds = Vec::new();
        let o = self.reusable(obj.expr.clone(), &mut binds);
        let i = self.reusable(index, &mut binds);
        // A literal index boxed is a module constant.
        let boxed_key = if key.lit.is_some() { self.operand(key.clone(), Ty::OBJECT) } else { boxed(i.clone()) };
        let generic = capi("PyObject_GetItem", vec![o.clone(), boxed_key], sp);
        let expr = if kind == ObjKind::Any {
            let tuple_item = self.item_in_range(&o, &i, ObjKind::Tuple, generic.clone(), sp);
            let list_item = self.item_in_range(&o, &i, ObjKind::List, generic.clone(), sp);
            let list_or_generic = self.if_exact(&o, ObjKind::List, list_item, generic, sp);
            wrap(binds, self.if_exact(&o, ObjKind::Tuple, tuple_item, list_or_generic, sp))
        } else {
            let out_of_range = capi(getter, vec![o.clone(), i.clone()], sp);
            let fast = self.item_in_range(&o, &i, kind, out_of_range, sp);
            self.none_guarded(&o, generic, fast, binds, sp)
        };
        Some(Val { expr, lit: None, err: obj.err || key.err, tainted: obj.tainted || key.tainted })
    }

    /// `then if type(o) is <kind> else otherwise` (the exact type: a subclass is not it).
    fn if_exact(&mut self, o: &Expr, kind: ObjKind, then: Expr, otherwise: Expr, sp: Span) -> Expr {
        let exact = self.is_exact(o, kind.name(), sp);
        let ty = then.ty;
        Expr::new(ExprKind::IfExp { cond: Box::new(exact), then_expr: Box::new(then), else_expr: Box::new(otherwise) }, ty, sp)
    }

    /// `type(o) is <builtin type name>`, a pointer comparison.
    fn is_exact(&mut self, o: &Expr, type_name: &str, sp: Span) -> Expr {
        let k = self.env.constant(ConstObj::Type(type_name.to_string()));
        let rhs = Expr::new(ExprKind::ModConst(k), Ty::OBJECT, sp);
        Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: Box::new(field(o, Field::Type, sp)), rhs: Box::new(rhs) }, Ty::Bool, sp)
    }

    /// `callee(arg)` where `callee` (evaluated first) is what the name `str` names:
    /// `PyObject_Str(arg)` when it is the builtin type, else the call. Not of kind `Str`:
    /// a `__str__` may return an instance of a subclass of `str`.
    pub(crate) fn builtin_str(&mut self, callee: Expr, arg: Expr, sp: Span) -> Expr {
        let mut binds = Vec::new();
        let f = self.reusable(callee, &mut binds);
        let k = self.env.constant(ConstObj::Type("str".to_string()));
        let builtin = Expr::new(ExprKind::ModConst(k), Ty::OBJECT, sp);
        let is_builtin = Expr::new(ExprKind::Compare { op: CmpOp::Eq, lhs: Box::new(f.clone()), rhs: Box::new(builtin) }, Ty::Bool, sp);
        let fast = capi("PyObject_Str", vec![arg.clone()], sp);
        let call = Expr::new(ExprKind::CallObject { callee: Box::new(f), args: vec![arg], kwnames: None }, Ty::OBJECT, sp);
        wrap(binds, Expr::new(ExprKind::IfExp { cond: Box::new(is_builtin), then_expr: Box::new(fast), else_expr: Box::new(call) }, Ty::OBJECT, sp))
    }

    /// `l <op> r` for `+`, `-`, `*`, `/` where each operand is an object or a C `double`
    /// (at least one an object): when every object operand is exactly a `float`, the C
    /// operation on the values, boxed (what `float`'s own `nb_add` does; `/` by zero raises
    /// its `ZeroDivisionError: float division by zero`); otherwise `generic(l, r)`, given
    /// the operands as they are evaluated once (objects borrowed, C doubles as they are).
    /// `None` for other operators or operand types.
    pub(crate) fn float_binary(&mut self, op: BinOp, l: Expr, r: Expr, generic: impl FnOnce(Expr, Expr) -> Expr, sp: Span) -> Option<Expr> {
        if !matches!(op, BinOp::Add(_) | BinOp::Sub(_) | BinOp::Mul(_) | BinOp::TrueDiv { .. }) {
            return None;
        }
        let fits = |e: &Expr| e.ty.is_object() || e.ty == Ty::DOUBLE;
        if !fits(&l) || !fits(&r) || !(l.ty.is_object() || r.ty.is_object()) {
            return None;
        }
        let mut binds = Vec::new();
        let l = self.reusable(l, &mut binds);
        let r = self.reusable(r, &mut binds);
        let value = |e: &Expr| if e.ty.is_object() { field(e, Field::FloatValue, sp) } else { e.clone() };
        let c_op = Expr::new(ExprKind::Binary { op, lhs: Box::new(value(&l)), rhs: Box::new(value(&r)) }, Ty::DOUBLE, sp);
        let fast = capi("PyFloat_FromDouble", vec![c_op], sp);
        let mut tests = [&l, &r].into_iter().filter(|e| e.ty.is_object()).map(|e| self.is_exact(e, "float", sp)).collect::<Vec<_>>();
        let mut cond = tests.remove(0);
        for t in tests {
            cond = Expr::new(ExprKind::BoolOp { op: crate::tir::BoolOpKind::And, lhs: Box::new(cond), rhs: Box::new(t) }, Ty::Bool, sp);
        }
        let slow = generic(l, r);
        let choice = Expr::new(ExprKind::IfExp { cond: Box::new(cond), then_expr: Box::new(fast), else_expr: Box::new(slow) }, Ty::OBJECT, sp);
        Some(wrap(binds, choice))
    }

    /// `o[i]` read from the items of `o`, exactly a `kind` (list or tuple), when `i`
    /// (wrapped) is in range; `otherwise` when it is not.
    fn item_in_range(&mut self, o: &Expr, i: &Expr, kind: ObjKind, otherwise: Expr, sp: Span) -> Expr {
        let mut binds = Vec::new();
        let wrapped = self.wrapped_index(i.clone(), field(o, Field::VarSize, sp), sp);
        let w = self.reusable(wrapped, &mut binds);
        let unsigned = |e: Expr| cast(CastKind::IntWrap, e, Ty::Int(IntKind::SizeT));
        let in_range = Expr::new(
            ExprKind::Compare { op: CmpOp::Lt, lhs: Box::new(unsigned(w.clone())), rhs: Box::new(unsigned(field(o, Field::VarSize, sp))) },
            Ty::Bool,
            sp,
        );
        let item = Expr::new(ExprKind::Item { obj: Box::new(o.clone()), index: Box::new(w), kind }, Ty::OBJECT, sp);
        wrap(binds, Expr::new(ExprKind::IfExp { cond: Box::new(in_range), then_expr: Box::new(item), else_expr: Box::new(otherwise) }, Ty::OBJECT, sp))
    }

    /// `i + len` when `i < 0` (Python's negative indices), unless `wraparound` is off.
    fn wrapped_index(&self, i: Expr, len: Expr, sp: Span) -> Expr {
        if !self.directives().wraparound || matches!(i.kind, ExprKind::Const(Const::Int(v)) if v >= 0) {
            return i;
        }
        let zero = constant(Const::Int(0), SSIZE, sp);
        let negative = Expr::new(ExprKind::Compare { op: CmpOp::Lt, lhs: Box::new(i.clone()), rhs: Box::new(zero) }, Ty::Bool, sp);
        let from_end = Expr::new(ExprKind::Binary { op: BinOp::Add(Overflow::Wrap), lhs: Box::new(i.clone()), rhs: Box::new(len) }, SSIZE, sp);
        Expr::new(ExprKind::IfExp { cond: Box::new(negative), then_expr: Box::new(from_end), else_expr: Box::new(i) }, SSIZE, sp)
    }

    /// `obj[key] = value` on a list with a C integer index (`PySequence_SetItem`: negative
    /// indices from the end, `IndexError: list assignment index out of range`); `None`
    /// when there is no fast path. `value` is already an object, evaluated before.
    pub(crate) fn kind_set_item(&mut self, obj: &Val, key: &Val, value: &Expr, sp: Span) -> Option<Expr> {
        if obj.expr.ty.obj_kind() != Some(ObjKind::List) || !self.directives().wraparound {
            return None;
        }
        let index = self.ssize_index(key)?;
        let mut binds = Vec::new();
        let o = self.reusable(obj.expr.clone(), &mut binds);
        let i = self.reusable(index, &mut binds);
        let fast = capi("PySequence_SetItem", vec![o.clone(), i.clone(), value.clone()], sp);
        let generic = capi("PyObject_SetItem", vec![o.clone(), boxed(i), value.clone()], sp);
        Some(self.none_guarded(&o, generic, fast, binds, sp))
    }

    /// `recv.append(value)` on a list (`PyList_Append`), evaluating to `None`; `None` when
    /// there is no fast path (another method, keywords, another number of arguments).
    pub(crate) fn kind_append(&mut self, recv: &Val, name: &str, call: &crate::syntax::ast::ExprCall, sp: Span) -> Option<Val> {
        if recv.expr.ty.obj_kind() != Some(ObjKind::List) || name != "append" || call.args.len() != 1 || !call.keywords.is_empty() {
            return None;
        }
        if matches!(call.args[0], crate::syntax::ast::Expr::Starred(_)) {
            return None;
        }
        let mut binds = Vec::new();
        let o = self.reusable(recv.expr.clone(), &mut binds);
        let v = self.check_value(&call.args[0]);
        let (err, tainted) = (recv.err || v.err, recv.tainted || v.tainted);
        let item = self.operand(v, Ty::OBJECT);
        // CPython looks the method up before it evaluates the argument: with `None`, the
        // `AttributeError` comes first, so the argument is evaluated in each arm.
        let name_const = self.env.constant(ConstObj::Str(name.to_string()));
        let generic = Expr::new(ExprKind::CallMethod { name: name_const, args: vec![o.clone(), item.clone()], kwnames: None }, Ty::OBJECT, sp);
        let status = self.temp(Ty::Int(IntKind::Int), sp);
        let append = capi("PyList_Append", vec![o.clone(), item], sp);
        let none = Expr::new(ExprKind::NoneObj, Ty::OBJECT, sp);
        let fast = Expr::new(ExprKind::Let { local: status, value: Box::new(append), body: Box::new(none) }, Ty::OBJECT, sp);
        let expr = self.none_guarded(&o, generic, fast, binds, sp);
        Some(Val { expr, lit: None, err, tainted })
    }

    /// `item in container` as an `int` (1, 0, or -1 on error): `PyDict_Contains` for a
    /// dict, `PySet_Contains` for a set or frozenset, else `PySequence_Contains`.
    pub(crate) fn kind_contains(&mut self, container: Expr, item: Expr, sp: Span) -> Expr {
        let contains = match container.ty.obj_kind() {
            Some(ObjKind::Dict) => "PyDict_Contains",
            Some(ObjKind::Set | ObjKind::FrozenSet) => "PySet_Contains",
            _ => return capi("PySequence_Contains", vec![container, item], sp),
        };
        // Python's order: the item, then the container.
        let mut binds = Vec::new();
        let i = self.reusable(item, &mut binds);
        let c = self.reusable(container, &mut binds);
        let generic = capi("PySequence_Contains", vec![c.clone(), i.clone()], sp);
        let fast = capi(contains, vec![c.clone(), i], sp);
        self.none_guarded(&c, generic, fast, binds, sp)
    }
}

/// The `field` of the borrowed object `o`.
fn field(o: &Expr, field: Field, sp: Span) -> Expr {
    Expr::new(ExprKind::Field { obj: Box::new(o.clone()), field }, field.ty(), sp)
}

/// `body` inside the `Let`s of `binds` (the first binding outermost, so evaluated first).
fn wrap(binds: Vec<(crate::tir::LocalId, Expr)>, body: Expr) -> Expr {
    binds.into_iter().rev().fold(body, |body, (local, value)| {
        let (ty, sp) = (body.ty, body.span);
        Expr::new(ExprKind::Let { local, value: Box::new(value), body: Box::new(body) }, ty, sp)
    })
}
