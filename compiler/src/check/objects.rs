//! Check: the object layer's TIR. C-API calls (`ExprKind::CApi`), chosen from the table in
//! `capi.rs`; boxing (C value → object) and unboxing (object → C value, with the errors
//! Cython raises) at the points Cython coerces; the generic protocol for operators on
//! objects. References are not handled here: `refs.rs` makes them explicit afterwards.

use crate::abi::ConstObj;
use crate::capi;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{CastKind, Const, ExcKind, Expr, ExprKind, FloatKind, IntKind, ObjKind, Raise, Ty};

use super::convert::{cast, constant, too_large_msg};
use super::expr::Val;
use super::scope::FnCx;

/// A call of the C-API function `name`; its arguments already have the parameter types.
/// A name missing from the table is a pycc bug that `validate.rs` reports (as an internal
/// error, never a panic).
pub(crate) fn capi(name: &'static str, args: Vec<Expr>, span: Span) -> Expr {
    let func = capi::lookup(name).unwrap_or(&capi::MISSING);
    Expr::new(ExprKind::CApi { func, args }, func.ret.ty(), span)
}

/// A C scalar as a new Python object (`int`, `float` or `bool`).
pub(crate) fn boxed(e: Expr) -> Expr {
    let span = e.span;
    match e.ty {
        Ty::Object(_) => e,
        Ty::Bool => capi("PyBool_FromLong", vec![cast(CastKind::FromBool, e, Ty::Int(IntKind::Long))], span),
        Ty::Int(k) if k.signed() => {
            let e = if k.bits() == 64 { retyped(e, Ty::Int(IntKind::LongLong)) } else { cast(CastKind::IntWrap, e, Ty::Int(IntKind::LongLong)) };
            capi("PyLong_FromLongLong", vec![e], span)
        }
        Ty::Int(k) => {
            let e = if k.bits() == 64 { retyped(e, Ty::Int(IntKind::ULongLong)) } else { cast(CastKind::IntWrap, e, Ty::Int(IntKind::ULongLong)) };
            capi("PyLong_FromUnsignedLongLong", vec![e], span)
        }
        Ty::Float(FloatKind::Double) => capi("PyFloat_FromDouble", vec![e], span),
        Ty::Float(FloatKind::Float) => capi("PyFloat_FromDouble", vec![cast(CastKind::FloatResize, e, Ty::DOUBLE)], span),
        // The checker never boxes these (views and `void` are refused before).
        Ty::Void | Ty::View(_) => e,
    }
}

/// A 64-bit integer seen as another 64-bit integer type of the same signedness (a no-op
/// `IntWrap`; constants are rewritten in place).
fn retyped(e: Expr, to: Ty) -> Expr {
    if e.ty == to {
        return e;
    }
    match e.kind {
        ExprKind::Const(c) => constant(c, to, e.span),
        _ => cast(CastKind::IntWrap, e, to),
    }
}

/// An integer literal as a Python `int`.
pub(crate) fn boxed_literal(v: i64, span: Span) -> Expr {
    capi("PyLong_FromLongLong", vec![constant(Const::Int(v), Ty::Int(IntKind::LongLong), span)], span)
}

/// An object converted to the C type `to`, raising what Cython raises: `TypeError` for a
/// value of the wrong type (`PyLong_As*` use `__index__`, `PyFloat_AsDouble` `__float__`),
/// `OverflowError` for an integer out of the type's range.
pub(crate) fn unboxed(e: Expr, to: Ty) -> Expr {
    let span = e.span;
    match to {
        Ty::Object(_) | Ty::Void | Ty::View(_) => e,
        Ty::Bool => truth(e),
        Ty::Float(FloatKind::Double) => capi("PyFloat_AsDouble", vec![e], span),
        Ty::Float(FloatKind::Float) => cast(CastKind::FloatResize, capi("PyFloat_AsDouble", vec![e], span), to),
        Ty::Int(k) if k.signed() => narrowed(capi("PyLong_AsLongLong", vec![e], span), k),
        Ty::Int(k) => {
            // `PyLong_AsUnsignedLongLong` takes only `int`s: `__index__` first, as Cython.
            let index = capi("PyNumber_Index", vec![e], span);
            narrowed(capi("PyLong_AsUnsignedLongLong", vec![index], span), k)
        }
    }
}

/// A 64-bit result narrowed to `k` with Cython's `OverflowError`.
fn narrowed(e: Expr, k: IntKind) -> Expr {
    let to = Ty::Int(k);
    if k.bits() == 64 {
        return retyped(e, to);
    }
    cast(CastKind::IntChecked(Raise::new(ExcKind::OverflowError, too_large_msg(k))), e, to)
}

/// The truth value of an object (`PyObject_IsTrue`), as `bint`.
pub(crate) fn truth(e: Expr) -> Expr {
    let span = e.span;
    cast(CastKind::ToBool, capi("PyObject_IsTrue", vec![e], span), Ty::Bool)
}

/// Boxes of constants (`PyLong_FromLongLong(3)`, `PyFloat_FromDouble(2.0)`) become the
/// module's constant objects, made once and borrowed where they are used (Cython's cached
/// constants), so `x * 2.0` on an object allocates no `float` for the `2.0`.
pub(crate) fn share_constant_boxes(body: &mut crate::tir::Block, env: &super::scope::ModuleEnv) {
    crate::tir::visit::for_each_expr_mut(body, &mut |e| {
        let ExprKind::CApi { func, args } = &e.kind else { return };
        let c = match (func.name, args.as_slice()) {
            ("PyLong_FromLongLong", [Expr { kind: ExprKind::Const(Const::Int(v)), .. }]) => ConstObj::Int(*v),
            ("PyFloat_FromDouble", [Expr { kind: ExprKind::Const(Const::Float(v)), .. }]) => ConstObj::Float(v.to_bits()),
            _ => return,
        };
        *e = Expr::new(ExprKind::ModConst(env.constant(c)), Ty::OBJECT, e.span);
    });
}

/// Python's builtin names: a name the module does not define that is one of these is
/// looked up at run time without a warning.
const BUILTIN_NAMES: &[&str] = &[
    "abs", "all", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod",
    "compile", "complex", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec", "filter", "float", "format",
    "frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass",
    "iter", "len", "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord", "pow",
    "print", "property", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str",
    "sum", "super", "tuple", "type", "vars", "zip", "exit", "quit", "NotImplemented", "Ellipsis", "__name__", "__doc__",
    "__file__", "__builtins__", "BaseException", "Exception", "ArithmeticError", "AssertionError", "AttributeError",
    "EOFError", "FloatingPointError", "ImportError", "IndexError", "KeyError", "KeyboardInterrupt", "LookupError",
    "MemoryError", "NameError", "NotImplementedError", "OSError", "OverflowError", "RecursionError", "RuntimeError",
    "StopIteration", "SystemError", "TypeError", "ValueError", "ZeroDivisionError", "UnicodeError", "Warning",
    "UserWarning", "DeprecationWarning", "RuntimeWarning",
];

impl FnCx<'_> {
    /// The module's constant object `c`, borrowed.
    pub(crate) fn const_obj(&self, c: ConstObj, span: Span) -> Expr {
        let kind = match c {
            ConstObj::Str(_) => ObjKind::Str,
            ConstObj::Bytes(_) => ObjKind::Bytes,
            ConstObj::StrTuple(_) | ConstObj::Tuple(_) => ObjKind::Tuple,
            _ => ObjKind::Any,
        };
        Expr::new(ExprKind::ModConst(self.env.constant(c)), Ty::Object(kind), span)
    }

    /// The `None` literal as the module's `None` constant (borrowed: no reference count)
    /// where it is only compared (`x is None`); other values as they are.
    pub(crate) fn borrowed_none(&self, e: Expr) -> Expr {
        match e.kind {
            ExprKind::NoneObj => Expr::new(ExprKind::ModConst(self.env.constant(ConstObj::None)), e.ty, e.span),
            _ => e,
        }
    }

    fn str_index(&self, s: &str) -> u32 {
        self.env.constant(ConstObj::Str(s.to_string()))
    }

    /// The global `name`, looked up when it runs (the module's globals, then the builtins).
    /// A name that is neither a builtin nor known to the module gets a warning: it raises
    /// `NameError` unless something defines it at run time.
    pub(crate) fn load_global(&mut self, name: &str, sp: Span) -> Val {
        if self.env.global(name).is_none() && self.env.func_id(name).is_none() && !BUILTIN_NAMES.contains(&name) {
            let d = Diagnostic::warning(Code::UndefinedName, sp, format!("`{name}` is not defined in this module"))
                .with_note("it is looked up when this line runs, and raises `NameError` unless something defines it by then");
            self.push(d);
        }
        Val::new(Expr::new(ExprKind::LoadGlobal { name: self.str_index(name) }, Ty::OBJECT, sp))
    }

    /// The arguments of a Python call, boxed, and the keyword names (`None` without).
    fn python_args(&mut self, call: &ast::ExprCall) -> (Vec<Expr>, Option<u32>, bool, bool) {
        let (mut err, mut tainted) = (false, false);
        let mut args = Vec::with_capacity(call.args.len() + call.keywords.len());
        let mut names = Vec::new();
        let values = call.args.iter().map(|a| (None, a)).chain(call.keywords.iter().map(|k| (k.arg.as_ref().map(|n| n.to_string()), &k.value)));
        for (name, value) in values {
            let v = self.check_value(value);
            err |= v.err;
            tainted |= v.tainted;
            if let Some(n) = name {
                names.push(n);
            }
            args.push(self.operand(v, Ty::OBJECT));
        }
        let kwnames = if names.is_empty() { None } else { Some(self.env.constant(ConstObj::StrTuple(names))) };
        (args, kwnames, err, tainted)
    }

    /// `callee(args...)` for any Python callable.
    pub(crate) fn python_call(&mut self, callee: Val, call: &ast::ExprCall, sp: Span) -> Val {
        let (args, kwnames, err, tainted) = self.python_args(call);
        let callee_expr = self.operand(callee.clone(), Ty::OBJECT);
        let expr = Expr::new(ExprKind::CallObject { callee: Box::new(callee_expr), args, kwnames }, Ty::OBJECT, sp);
        Val { expr, lit: None, err: err || callee.err, tainted: tainted || callee.tainted }
    }

    /// `recv.name(args...)`.
    pub(crate) fn method_call(&mut self, recv: Val, name: &str, call: &ast::ExprCall, sp: Span) -> Val {
        if let Some(fast) = self.kind_append(&recv, name, call, sp) {
            return fast;
        }
        let recv_expr = self.operand(recv.clone(), Ty::OBJECT);
        let (args, kwnames, err, tainted) = self.python_args(call);
        let args = std::iter::once(recv_expr).chain(args).collect();
        let expr = Expr::new(ExprKind::CallMethod { name: self.str_index(name), args, kwnames }, Ty::OBJECT, sp);
        Val { expr, lit: None, err: err || recv.err, tainted: tainted || recv.tainted }
    }

    /// `obj.name`.
    pub(crate) fn get_attr(&mut self, obj: Val, name: &str, sp: Span) -> Val {
        let tainted = obj.tainted;
        let o = self.operand(obj, Ty::OBJECT);
        let n = self.const_obj(ConstObj::Str(name.to_string()), sp);
        Val { expr: capi("PyObject_GetAttr", vec![o, n], sp), lit: None, err: false, tainted }
    }

    /// The key of `obj[key]`: an object, or a `slice` object for `a:b:c`.
    pub(crate) fn subscript_key(&mut self, slice: &ast::Expr) -> Val {
        if let ast::Expr::Slice(s) = slice {
            let sp = super::scope::span(slice);
            let mut tainted = false;
            let mut part = |cx: &mut Self, e: &Option<Box<ast::Expr>>| match e {
                Some(e) => {
                    let v = cx.check_value(e);
                    tainted |= v.tainted;
                    cx.operand(v, Ty::OBJECT)
                }
                None => Expr::new(ExprKind::NoneObj, Ty::OBJECT, sp),
            };
            let (a, b, c) = (part(self, &s.lower), part(self, &s.upper), part(self, &s.step));
            return Val { expr: capi("PySlice_New", vec![a, b, c], sp), lit: None, err: false, tainted };
        }
        self.check_value(slice)
    }

    /// `obj[key]`.
    pub(crate) fn get_item(&mut self, obj: Val, slice: &ast::Expr, sp: Span) -> Val {
        let key = self.subscript_key(slice);
        if let Some(fast) = self.kind_get_item(&obj, &key, sp) {
            return fast;
        }
        let tainted = obj.tainted || key.tainted;
        let err = obj.err || key.err;
        let (o, k) = (self.operand(obj, Ty::OBJECT), self.operand(key, Ty::OBJECT));
        Val { expr: capi("PyObject_GetItem", vec![o, k], sp), lit: None, err, tainted }
    }
}
