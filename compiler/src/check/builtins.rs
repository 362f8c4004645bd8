//! Check: calls. Functions of the module, the builtins pycc compiles (`abs`, `min`, `max`,
//! `int`, `float`, `bool`, `pow`), `math` / `libc.math` functions, and casts (`<T>x`,
//! `cython.cast`). Every other call is a Python call, looked up when it runs.

use super::convert::{cast, constant, explicit, implicit, Target};
use super::expr::{is_pure, to_bool, Val};
use super::scope::{span, FnCx, Global, ModKind};
use super::ty::{resolve_c_type, resolve_type, TypeUse};
use crate::diagnostics::Code;
use crate::source::Span;
use crate::syntax::ast;
use crate::tir::{CastKind, ExcKind, Expr, ExprKind, FuncId, IntKind, MathCheck, MathFn, ParamDefault, Raise, Ty, UnaryOp};

pub(crate) const FLOAT_NAN_TO_INT: Raise = Raise::new(ExcKind::ValueError, "cannot convert float NaN to integer");
pub(crate) const FLOAT_INF_TO_INT: Raise = Raise::new(ExcKind::OverflowError, "cannot convert float infinity to integer");
/// CPython gives a big int here; pycc's `int` is 64-bit.
pub(crate) const FLOAT_BEYOND_INT: Raise =
    Raise::new(ExcKind::OverflowError, "float value does not fit in a 64-bit integer (pycc's `int` is 64-bit)");

/// What a `math` function returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MathRet {
    Double,
    Bool,
    /// `math.floor`/`ceil`/`trunc`: a Python `int` (`libc.math` ones return `double`).
    Int,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct MathSpec {
    pub func: MathFn,
    pub arity: usize,
    pub ret: MathRet,
    /// How Python's `math` reports errors for it (`libc.math` never does).
    pub check: MathCheck,
}

/// The functions of `math` and `libc.math` pycc compiles. `check` follows CPython's
/// `Modules/mathmodule.c`: `FUNC1(name, func, can_overflow, ...)`.
pub(crate) fn math_spec(name: &str) -> Option<MathSpec> {
    use MathFn::*;
    let py = |can_overflow| MathCheck::Python { can_overflow };
    let (func, arity, ret, check) = match name {
        "sqrt" => (Sqrt, 1, MathRet::Double, py(false)),
        "exp" => (Exp, 1, MathRet::Double, py(true)),
        "expm1" => (Expm1, 1, MathRet::Double, py(true)),
        "log" => (Log, 1, MathRet::Double, py(false)),
        "log2" => (Log2, 1, MathRet::Double, py(false)),
        "log10" => (Log10, 1, MathRet::Double, py(false)),
        "log1p" => (Log1p, 1, MathRet::Double, py(false)),
        "sin" => (Sin, 1, MathRet::Double, py(false)),
        "cos" => (Cos, 1, MathRet::Double, py(false)),
        "tan" => (Tan, 1, MathRet::Double, py(false)),
        "asin" => (Asin, 1, MathRet::Double, py(false)),
        "acos" => (Acos, 1, MathRet::Double, py(false)),
        "atan" => (Atan, 1, MathRet::Double, py(false)),
        // CPython's atan2 and hypot never raise (hypot returns inf on overflow).
        "atan2" => (Atan2, 2, MathRet::Double, MathCheck::None),
        "hypot" => (Hypot, 2, MathRet::Double, MathCheck::None),
        "sinh" => (Sinh, 1, MathRet::Double, py(true)),
        "cosh" => (Cosh, 1, MathRet::Double, py(true)),
        "tanh" => (Tanh, 1, MathRet::Double, py(false)),
        "asinh" => (Asinh, 1, MathRet::Double, py(false)),
        "acosh" => (Acosh, 1, MathRet::Double, py(false)),
        "atanh" => (Atanh, 1, MathRet::Double, py(false)),
        "pow" => (Pow, 2, MathRet::Double, py(true)),
        "fmod" => (Fmod, 2, MathRet::Double, py(false)),
        "floor" => (Floor, 1, MathRet::Int, MathCheck::None),
        "ceil" => (Ceil, 1, MathRet::Int, MathCheck::None),
        "trunc" => (Trunc, 1, MathRet::Int, MathCheck::None),
        "fabs" => (Fabs, 1, MathRet::Double, MathCheck::None),
        "copysign" => (Copysign, 2, MathRet::Double, MathCheck::None),
        "isnan" => (IsNan, 1, MathRet::Bool, MathCheck::None),
        "isinf" => (IsInf, 1, MathRet::Bool, MathCheck::None),
        "isfinite" => (IsFinite, 1, MathRet::Bool, MathCheck::None),
        _ => return None,
    };
    Some(MathSpec { func, arity, ret, check })
}

/// The constants of Python's `math`.
pub(crate) fn math_const(name: &str) -> Option<f64> {
    Some(match name {
        "pi" => std::f64::consts::PI,
        "e" => std::f64::consts::E,
        "tau" => std::f64::consts::TAU,
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => return None,
    })
}

/// The constants Cython's `libc/math.pxd` declares.
pub(crate) fn libc_const(name: &str) -> Option<f64> {
    use std::f64::consts;
    Some(match name {
        "M_E" => consts::E,
        "M_LOG2E" => consts::LOG2_E,
        "M_LOG10E" => consts::LOG10_E,
        "M_LN2" => consts::LN_2,
        "M_LN10" => consts::LN_10,
        "M_PI" => consts::PI,
        "M_PI_2" => consts::FRAC_PI_2,
        "M_PI_4" => consts::FRAC_PI_4,
        "M_1_PI" => consts::FRAC_1_PI,
        "M_2_PI" => consts::FRAC_2_PI,
        "M_2_SQRTPI" => consts::FRAC_2_SQRT_PI,
        "M_SQRT2" => consts::SQRT_2,
        "M_SQRT1_2" => consts::FRAC_1_SQRT_2,
        "INFINITY" | "HUGE_VAL" => f64::INFINITY,
        "NAN" => f64::NAN,
        _ => return None,
    })
}


impl FnCx<'_> {
    pub(crate) fn check_call(&mut self, call: &ast::ExprCall, sp: Span) -> Val {
        if super::callargs::has_star_args(call) {
            return match self.star_callee(&call.func) {
                Some(callee) => self.star_call(callee, call, sp),
                None => {
                    self.check_star_args_for_errors(call);
                    Val::error(sp)
                }
            };
        }
        if let Some(v) = self.genexp_call(call, sp) {
            return v;
        }
        match &*call.func {
            ast::Expr::Name(n) => self.call_name(&n.id, span(n), call, sp),
            ast::Expr::Attribute(a) => self.call_attribute(a, call, sp),
            other => {
                let callee = self.check_value(other);
                if callee.ty().is_object() || callee.err {
                    return self.python_call(callee, call, sp);
                }
                self.check_args_for_errors(call);
                self.unsupported(sp, format!("a `{}` value is not callable", callee.ty()));
                Val::error(sp)
            }
        }
    }

    fn call_name(&mut self, id: &str, name_span: Span, call: &ast::ExprCall, sp: Span) -> Val {
        if let Some(inner) = id.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
            return self.pyx_cast(inner.trim_end_matches('?'), name_span, call, sp);
        }
        if let Some(&local) = self.names.get(id) {
            // A nested `def` certainly bound here: called directly.
            if let Some(&(fid, _)) = self.local_funcs.get(id).filter(|(_, end)| name_span.start >= *end) {
                return self.call_function(fid, call, sp);
            }
            if self.local_ty(local).is_object() {
                let callee = self.check_value(&call.func);
                return self.python_call(callee, call, sp);
            }
            self.error(Code::InvalidOperand, name_span, format!("`{id}` is a local variable, not a function"));
            self.check_args_for_errors(call);
            return Val::error(sp);
        }
        if let Some(fid) = self.env.func_id(id) {
            return self.call_function(fid, call, sp);
        }
        match self.env.global(id).cloned() {
            Some(Global::MathFn { name, libc }) => return self.call_math(&name, libc, id, call, sp),
            Some(Global::Cython(name)) => return self.call_cython(&name, id, call, sp),
            Some(Global::CVar(_)) => {
                let callee = self.check_value(&call.func);
                return self.python_call(callee, call, sp);
            }
            // A Python callable of the module's namespace, called through Python.
            Some(Global::Python { .. }) => {
                let callee = self.load_global(id, name_span);
                return self.python_call(callee, call, sp);
            }
            Some(_) => {
                self.error(Code::InvalidOperand, name_span, format!("`{id}` is not a function"));
                return Val::error(sp);
            }
            None => {}
        }
        match id {
            "abs" => self.call_abs(call, sp),
            "min" | "max" => self.call_min_max(id, call, sp),
            "int" | "float" | "bool" => self.call_conversion(id, call, sp),
            "pow" => {
                if call.args.len() != 2 || !call.keywords.is_empty() {
                    self.arity_error("pow", "2 arguments (`pow` with a modulus is not supported)", call, sp);
                    return Val::error(sp);
                }
                let a = self.check_value(&call.args[0]);
                let b = self.check_value(&call.args[1]);
                self.binary(&ast::Operator::Pow, a, b, sp)
            }
            "len" => self.call_len(call, name_span, sp),
            "str" => self.call_str(call, name_span, sp),
            "bytearray" => self.call_bytearray(call, name_span, sp),
            // The module's own dict (the builtin would return the calling frame's).
            "globals" if call.args.is_empty() && call.keywords.is_empty() => {
                Val::new(Expr::new(ExprKind::Globals, Ty::OBJECT, sp))
            }
            // Every other name (builtins included): the Python callable it names when the
            // line runs.
            _ => {
                let callee = self.load_global(id, name_span);
                self.python_call(callee, call, sp)
            }
        }
    }

    fn call_attribute(&mut self, a: &ast::ExprAttribute, call: &ast::ExprCall, sp: Span) -> Val {
        let attr = a.attr.as_str();
        if let ast::Expr::Name(base) = &*a.value {
            let base_id = base.id.as_str();
            let full = format!("{base_id}.{attr}");
            match self.module_kind(base_id, span(base)) {
                Some(ModKind::Math) => return self.call_math(attr, false, &full, call, sp),
                Some(ModKind::LibcMath) => return self.call_math(attr, true, &full, call, sp),
                Some(ModKind::Cython) => return self.call_cython(attr, &full, call, sp),
                Some(ModKind::Numpy) => return self.call_numpy(attr, &full, span(a), call, sp),
                _ => {}
            }
        }
        let recv = self.check_value(&a.value);
        if recv.err {
            self.check_args_for_errors(call);
            return recv;
        }
        // (A C number is not boxed for a method: during inference a local not typed yet
        // reads as a number, and boxing would make what depends on it an object.)
        if !recv.ty().is_object() {
            self.check_args_for_errors(call);
            self.unsupported(sp, format!("methods of a `{}` value are not supported", recv.ty()));
            return Val { tainted: recv.tainted, ..Val::error(sp) };
        }
        self.method_call(recv, &a.attr, call, sp)
    }

    /// Checks the arguments of a call that is an error anyway, to report their errors too.
    pub(crate) fn check_args_for_errors(&mut self, call: &ast::ExprCall) {
        for a in &call.args {
            let _ = self.check_expr(a);
        }
        for k in &call.keywords {
            let _ = self.check_expr(&k.value);
        }
    }

    fn arity_error(&mut self, name: &str, expected: &str, call: &ast::ExprCall, sp: Span) {
        self.check_args_for_errors(call);
        let given = call.args.len();
        let msg = if !call.keywords.is_empty() {
            format!("`{name}` takes {expected} and no keyword arguments")
        } else {
            format!("`{name}` takes {expected}, but {given} {} given", if given == 1 { "was" } else { "were" })
        };
        self.error(Code::WrongArgumentCount, sp, msg);
    }

    /// Positional arguments only, exactly `n` of them.
    fn expect_args(&mut self, name: &str, n: usize, call: &ast::ExprCall, sp: Span) -> bool {
        if call.args.len() == n && call.keywords.is_empty() {
            return true;
        }
        let expected = if n == 1 { "1 positional argument".to_string() } else { format!("{n} positional arguments") };
        self.arity_error(name, &expected, call, sp);
        false
    }

    fn call_function(&mut self, fid: FuncId, call: &ast::ExprCall, sp: Span) -> Val {
        use crate::tir::ParamKind;
        self.calls.insert(fid);
        let sig = self.env.sig(fid);
        let fname = sig.name.clone();
        let nparams = sig.params.len();
        let n_pos = sig.params.iter().filter(|p| p.kind.positional()).count();
        let varargs = sig.params.iter().position(|p| p.kind == ParamKind::VarArgs);
        let varkw = sig.params.iter().position(|p| p.kind == ParamKind::VarKw);
        // Each slot: the checked argument and its position in the source.
        let mut slots: Vec<Option<(Val, usize)>> = vec![None; nparams];
        // What `*args` and `**kwargs` collect (with the keyword's name).
        let mut extra_pos: Vec<(Val, usize)> = Vec::new();
        let mut extra_kw: Vec<(String, Val, usize)> = Vec::new();
        let mut ok = true;
        if call.args.len() > n_pos && varargs.is_none() {
            let s = if n_pos == 1 { "" } else { "s" };
            let n = call.args.len();
            let what = if n_pos == nparams { "" } else { "positional " };
            self.error(Code::WrongArgumentCount, sp, format!("`{fname}` takes {n_pos} {what}argument{s}, but {n} {} given", if n == 1 { "was" } else { "were" }));
            ok = false;
        }
        let mut order = 0;
        for (i, a) in call.args.iter().enumerate() {
            let v = self.check_value_or_view(a);
            if i < n_pos {
                slots[i] = Some((v, order));
            } else if varargs.is_some() {
                extra_pos.push((v, order));
            }
            order += 1;
        }
        for k in &call.keywords {
            let v = self.check_value_or_view(&k.value);
            let Some(name) = &k.arg else { continue };
            let found = sig.params.iter().position(|p| p.name == name.as_str() && matches!(p.kind, ParamKind::Positional | ParamKind::KwOnly));
            match found {
                None if varkw.is_some() => {
                    if extra_kw.iter().any(|(n, _, _)| n == name.as_str()) {
                        self.error(Code::WrongArgumentCount, span(k), format!("`{fname}` got multiple values for argument `{name}`"));
                        ok = false;
                    }
                    extra_kw.push((name.to_string(), v, order));
                }
                None => {
                    let posonly = sig.params.iter().any(|p| p.name == name.as_str() && p.kind == ParamKind::PosOnly);
                    let msg = if posonly {
                        format!("`{fname}` got a positional-only argument passed as a keyword argument: `{name}`")
                    } else {
                        format!("`{fname}` has no parameter named `{name}`")
                    };
                    self.error(Code::WrongArgumentCount, span(k), msg);
                    ok = false;
                }
                Some(i) if slots[i].is_some() => {
                    self.error(Code::WrongArgumentCount, span(k), format!("`{fname}` got multiple values for argument `{name}`"));
                    ok = false;
                }
                Some(i) => slots[i] = Some((v, order)),
            }
            order += 1;
        }
        let mut args = Vec::with_capacity(nparams);
        let mut bound: Vec<(usize, crate::tir::LocalId, Expr)> = Vec::new();
        let mut tainted = false;
        let reordered = !call.keywords.is_empty();
        for (i, slot) in slots.into_iter().enumerate() {
            let param = &sig.params[i];
            match slot {
                Some((v, pos)) => {
                    tainted |= v.tainted;
                    let mut e = self.coerce(v, param.ty, Target::Arg { func: &fname, param: &param.name });
                    // A typed object parameter: the test a call from Python makes.
                    if let (Ty::Object(kind), false) = (param.ty, matches!(e.kind, ExprKind::Const(_))) {
                        if kind != crate::tir::ObjKind::Any && e.ty.is_object() {
                            let name = self.env.constant(crate::abi::ConstObj::Str(param.name.clone()));
                            let arg = crate::tir::ArgCheck { name, none_ok: !param.not_none, annotated: param.annotated };
                            e = super::convert::check_arg(e, kind, arg);
                        }
                    }
                    args.push(self.in_source_order(e, pos, reordered, &mut bound));
                }
                None if param.kind == ParamKind::VarArgs => {
                    let items = std::mem::take(&mut extra_pos);
                    let mut out = Vec::with_capacity(items.len());
                    for (v, pos) in items {
                        tainted |= v.tainted;
                        let e = self.operand(v, Ty::OBJECT);
                        out.push(self.in_source_order(e, pos, reordered, &mut bound));
                    }
                    args.push(Expr::new(ExprKind::Build { kind: crate::tir::BuildKind::Tuple, items: out }, param.ty, sp));
                }
                None if param.kind == ParamKind::VarKw => {
                    let items = std::mem::take(&mut extra_kw);
                    let mut out = Vec::with_capacity(2 * items.len());
                    for (name, v, pos) in items {
                        tainted |= v.tainted;
                        let vsp = v.expr.span;
                        out.push(self.const_obj(crate::abi::ConstObj::Str(name), vsp));
                        let e = self.operand(v, Ty::OBJECT);
                        out.push(self.in_source_order(e, pos, reordered, &mut bound));
                    }
                    args.push(Expr::new(ExprKind::Build { kind: crate::tir::BuildKind::Dict, items: out }, param.ty, sp));
                }
                None => match param.default {
                    // An object parameter's default: the Python value it spells, made here.
                    Some(ParamDefault::Const(c)) if param.ty.is_object() => args.push(super::objects::boxed(constant(c, c.natural_ty(), sp))),
                    Some(ParamDefault::Const(c)) => args.push(constant(c, param.ty, sp)),
                    // The module's constant object, borrowed.
                    Some(ParamDefault::Object(k)) => args.push(Expr::new(ExprKind::ModConst(k), param.ty, sp)),
                    Some(ParamDefault::Global(k)) => args.push(Expr::new(ExprKind::CGlobal(k), param.ty, sp)),
                    None => {
                        if ok {
                            let what = if param.kind == ParamKind::KwOnly { "keyword-only argument" } else { "argument" };
                            self.error(Code::WrongArgumentCount, sp, format!("missing {what} `{}` in call to `{fname}`", param.name));
                        }
                        ok = false;
                        args.push(super::convert::zero(param.ty, sp));
                    }
                },
            }
        }
        let (ret, pending) = match self.ret_of(fid) {
            // A function returning a view hands back its owner object (a new reference).
            Some(t) if t.is_view() => (Ty::OBJECT, false),
            Some(t) => (t, false),
            None => (Ty::PY_INT, true),
        };
        let mut expr = Expr::new(ExprKind::Call { func: fid, args }, ret, sp);
        bound.sort_by_key(|b| b.0);
        for (_, t, value) in bound.into_iter().rev() {
            expr = Expr::new(ExprKind::Let { local: t, value: Box::new(value), body: Box::new(expr) }, ret, sp);
        }
        Val { expr, lit: None, err: !ok, tainted: tainted || pending }
    }

    /// An argument of a call with keywords: evaluated in source order (`pos`) into a
    /// temporary, passed in parameter order.
    fn in_source_order(&mut self, e: Expr, pos: usize, reordered: bool, bound: &mut Vec<(usize, crate::tir::LocalId, Expr)>) -> Expr {
        if reordered && !is_pure(&e) {
            let t = self.temp(e.ty, e.span);
            let local = Expr::new(ExprKind::Local(t), e.ty, e.span);
            bound.push((pos, t, e));
            local
        } else {
            e
        }
    }

    fn call_abs(&mut self, call: &ast::ExprCall, sp: Span) -> Val {
        if !self.expect_args("abs", 1, call, sp) {
            return Val::error(sp);
        }
        // Cython's `fabsf` of a `float` (see `FnCx::narrow`).
        let v = self.check_value(&call.args[0]);
        let v = self.narrowed(v);
        if v.err {
            return v;
        }
        if let Some(n) = v.lit.and_then(|n| n.checked_abs()) {
            return Val::int_literal(n, sp);
        }
        let tainted = v.tainted;
        // Cython has a C `abs` only for `int`, `long`, `long long`, their unsigned kinds and
        // floats (exact signatures): `abs` of a `bint`, `char` or `short` (signed or not)
        // boxes its argument and returns a Python `int` (`abs(<signed char>-128)` is 128,
        // and arithmetic on it is Python's).
        let narrow = matches!(v.ty(), Ty::Bool | Ty::Int(IntKind::Char | IntKind::SChar | IntKind::UChar | IntKind::Short | IntKind::UShort));
        if self.is_pyx() && narrow {
            let arg = if v.ty() == Ty::Bool { cast(CastKind::FromBool, v.expr, Ty::PY_INT) } else { cast(CastKind::IntWrap, v.expr, Ty::PY_INT) };
            let expr = Expr::new(ExprKind::Unary { op: UnaryOp::Abs { overflow: Some(super::ops::overflow_raise("abs")) }, operand: Box::new(arg) }, Ty::PY_INT, sp);
            return Val { expr, lit: None, err: false, tainted };
        }
        let expr = match v.ty() {
            Ty::Bool => cast(CastKind::FromBool, v.expr, Ty::Int(super::ty::bool_as_int(self.is_pyx()))),
            Ty::Int(k) => {
                let overflow = if k.checked() || (self.directives().overflowcheck && k.signed()) { Some(super::ops::overflow_raise("abs")) } else { None };
                let ty = v.ty();
                if k.signed() {
                    Expr::new(ExprKind::Unary { op: UnaryOp::Abs { overflow }, operand: Box::new(v.expr) }, ty, sp)
                } else {
                    v.expr
                }
            }
            Ty::Float(_) => {
                let ty = v.ty();
                let arg = implicit(v.expr, None, Ty::DOUBLE).unwrap_or_else(|_| super::convert::zero(Ty::DOUBLE, sp));
                let e = Expr::new(ExprKind::Math { func: MathFn::Fabs, args: vec![arg], check: MathCheck::None }, Ty::DOUBLE, sp);
                if ty == Ty::DOUBLE { e } else { cast(CastKind::FloatResize, e, ty) }
            }
            Ty::Object(_) => super::objects::capi("PyNumber_Absolute", vec![v.expr], sp),
            Ty::Void | Ty::View(_) => return Val::error(sp),
        };
        Val { expr, lit: None, err: false, tainted }
    }

    /// `str(x)` of one positional argument: `PyObject_Str`, what the builtin calls (CPython
    /// 3.11 specialises `str(x)` the same way), without the type's call machinery, when
    /// the name `str` is still the builtin type when the line runs; else a call of whatever
    /// it names. Other forms (`str()`, `str(b, "utf-8")`) call it.
    fn call_str(&mut self, call: &ast::ExprCall, name_span: Span, sp: Span) -> Val {
        let callee = self.load_global("str", name_span);
        let ([arg], true) = (call.args.as_slice(), call.keywords.is_empty()) else {
            return self.python_call(callee, call, sp);
        };
        let v = self.check_value(arg);
        let (err, tainted) = (v.err, v.tainted);
        let o = self.operand(v, Ty::OBJECT);
        Val { expr: self.builtin_str(callee.expr, o, sp), lit: None, err, tainted }
    }

    fn call_min_max(&mut self, name: &str, call: &ast::ExprCall, sp: Span) -> Val {
        // Of an iterable, with `key=`/`default=`, or of objects: Python's builtin.
        if call.args.len() < 2 || !call.keywords.is_empty() || self.any_object_arg(call) {
            let callee = self.load_global(name, span(&*call.func));
            return self.python_call(callee, call, sp);
        }
        if call.args.len() < 2 || !call.keywords.is_empty() {
            self.check_args_for_errors(call);
            let msg = if call.args.len() == 1 {
                format!("`{name}` of an iterable is not supported; pass two or more numbers")
            } else {
                format!("`{name}` takes two or more positional numbers")
            };
            self.error(Code::WrongArgumentCount, sp, msg);
            return Val::error(sp);
        }
        let func = if name == "min" { MathFn::Min } else { MathFn::Max };
        let vals: Vec<Val> = call.args.iter().map(|a| self.check_value(a)).collect();
        if vals.iter().any(|v| v.err) {
            return Val { tainted: vals.iter().any(|v| v.tainted), ..Val::error(sp) };
        }
        // An operand that turned out to be an object (`max(n, 1 << 70)`): Python's builtin.
        if vals.iter().any(|v| v.ty().is_object()) {
            let tainted = vals.iter().any(|v| v.tainted);
            let callee = self.load_global(name, span(&*call.func)).expr;
            let args = vals.into_iter().map(|v| self.operand(v, Ty::OBJECT)).collect();
            let expr = Expr::new(ExprKind::CallObject { callee: Box::new(callee), args, kwnames: None }, Ty::OBJECT, sp);
            return Val { expr, lit: None, err: false, tainted };
        }
        let mut iter = vals.into_iter();
        let Some(mut acc) = iter.next() else { return Val::error(sp) };
        for next in iter {
            // Cython keeps each operand in a temporary of its own type (see `FnCx::narrow`).
            let (acc_v, next) = (self.narrowed(acc), self.narrowed(next));
            acc = acc_v;
            let ty = self.common_type(&acc, &next, true);
            // Cython compares the two values as C does (`<signed char>-35 < <unsigned
            // short>3` in `int`), then stores the winner in the choice's type.
            let cmp_ty = match (self.is_pyx(), ty, self.common_type(&acc, &next, false)) {
                (true, Ty::Int(_), c @ Ty::Int(_)) => c,
                _ => ty,
            };
            let tainted = acc.tainted || next.tainted;
            let (a, b) = (self.operand(acc, cmp_ty), self.operand(next, cmp_ty));
            let s = a.span.to(b.span);
            let expr = Expr::new(ExprKind::Math { func, args: vec![a, b], check: MathCheck::None }, cmp_ty, s);
            let expr = if cmp_ty == ty { expr } else { implicit(expr, None, ty).unwrap_or_else(|_| super::convert::zero(ty, s)) };
            acc = Val { expr, lit: None, err: false, tainted };
        }
        acc.expr.span = sp;
        acc
    }

    /// Whether an argument of `call` is an object, judged without checking it twice: a
    /// local of type `object`, a constant object, or a call or attribute of one.
    fn any_object_arg(&self, call: &ast::ExprCall) -> bool {
        call.args.iter().any(|a| self.looks_object(a))
    }

    fn looks_object(&self, e: &ast::Expr) -> bool {
        match e {
            ast::Expr::Name(n) => match self.names.get(n.id.as_str()) {
                Some(&id) => self.local_ty(id).is_object(),
                None => self.env.global(&n.id).is_none() && self.env.func_id(&n.id).is_none() || matches!(self.env.global(&n.id), Some(Global::Python { .. })),
            },
            ast::Expr::Constant(c) => matches!(c.value, ast::Constant::Str(_) | ast::Constant::Bytes(_) | ast::Constant::None),
            ast::Expr::List(_) | ast::Expr::Tuple(_) | ast::Expr::Dict(_) | ast::Expr::Set(_) | ast::Expr::ListComp(_) | ast::Expr::GeneratorExp(_) => true,
            ast::Expr::Attribute(a) => self.looks_object(&a.value),
            ast::Expr::Subscript(s) => self.looks_object(&s.value) && self.view_local(&s.value).is_none(),
            ast::Expr::Call(c) => match &*c.func {
                ast::Expr::Attribute(a) => self.looks_object(&a.value),
                ast::Expr::Name(n) => self.env.func_id(&n.id).is_some_and(|id| self.env.sig(id).declared_ret.is_some_and(|t| t.is_object())),
                _ => true,
            },
            ast::Expr::BinOp(b) => self.looks_object(&b.left) || self.looks_object(&b.right),
            ast::Expr::UnaryOp(u) => self.looks_object(&u.operand),
            _ => false,
        }
    }

    /// `int(x)`, `float(x)`, `bool(x)`: Python's conversions.
    fn call_conversion(&mut self, name: &str, call: &ast::ExprCall, sp: Span) -> Val {
        // Of an object (or with a base): Python's `int`, which is exact for every size, and
        // `float`, which parses strings too.
        if (name != "bool" && self.any_object_arg(call)) || call.args.len() != 1 || !call.keywords.is_empty() {
            let callee = self.load_global(name, span(&*call.func));
            let v = self.python_call(callee, call, sp);
            if name == "float" && !v.err {
                return Val { expr: super::objects::unboxed(v.expr, Ty::DOUBLE), ..v };
            }
            return v;
        }
        if name == "int" && call.args.len() == 2 {
            self.check_args_for_errors(call);
            self.unsupported(sp, "`int` with a base is not supported");
            return Val::error(sp);
        }
        if !self.expect_args(name, 1, call, sp) {
            return Val::error(sp);
        }
        let v = self.check_value(&call.args[0]);
        if v.err {
            return v;
        }
        let tainted = v.tainted;
        // An argument that turned out to be an object (`int(max(-1e6, x))`, `float(repr(x))`):
        // Python's `int`/`float` too (a C conversion would refuse a float or a str).
        if name != "bool" && v.ty().is_object() {
            let callee = self.load_global(name, span(&*call.func)).expr;
            let args = vec![self.operand(v, Ty::OBJECT)];
            let expr = Expr::new(ExprKind::CallObject { callee: Box::new(callee), args, kwnames: None }, Ty::OBJECT, sp);
            let expr = if name == "float" { super::objects::unboxed(expr, Ty::DOUBLE) } else { expr };
            return Val { expr, lit: None, err: false, tainted };
        }
        let expr = match name {
            "bool" => to_bool(v.expr),
            "float" => implicit(v.expr, v.lit, Ty::DOUBLE).unwrap_or_else(|_| super::convert::zero(Ty::DOUBLE, sp)),
            _ => match v.ty() {
                Ty::Float(_) => float_to_pyint(v.expr),
                Ty::Int(_) if v.lit.is_some() => return Val { expr: Expr { span: sp, ..v.expr }, ..v },
                _ => implicit(v.expr, None, Ty::PY_INT).unwrap_or_else(|_| super::convert::zero(Ty::PY_INT, sp)),
            },
        };
        Val { expr: Expr { span: sp, ..expr }, lit: None, err: false, tainted }
    }

    fn call_math(&mut self, name: &str, libc: bool, shown: &str, call: &ast::ExprCall, sp: Span) -> Val {
        // Python's `math` functions pycc does not compile: called through the module.
        if !libc && (math_spec(name).is_none() || (name == "log" && call.args.len() == 2)) {
            let fspan = span(&*call.func);
            return match shown.split_once('.') {
                Some((base, _)) => {
                    let recv = self.check_name(base, fspan);
                    self.method_call(recv, name, call, sp)
                }
                None => {
                    let callee = self.load_global(shown, fspan);
                    self.python_call(callee, call, sp)
                }
            };
        }
        let Some(spec) = math_spec(name) else {
            self.check_args_for_errors(call);
            let module = if libc { "libc.math" } else { "math" };
            self.unsupported(sp, format!("`{module}.{name}` is not supported"));
            return Val::error(sp);
        };
        if name == "log" && call.args.len() == 2 {
            self.check_args_for_errors(call);
            self.unsupported(sp, "`log` with a base is not supported; divide by `log(base)`");
            return Val::error(sp);
        }
        if !self.expect_args(shown, spec.arity, call, sp) {
            return Val::error(sp);
        }
        let vals: Vec<Val> = call.args.iter().map(|a| self.check_value(a)).collect();
        if vals.iter().any(|v| v.err) {
            return Val { tainted: vals.iter().any(|v| v.tainted), ..Val::error(sp) };
        }
        let tainted = vals.iter().any(|v| v.tainted);
        // Python's floor/ceil/trunc of an int return it unchanged.
        if spec.ret == MathRet::Int && !libc && !vals[0].ty().is_float() && !vals[0].ty().is_object() {
            let v = vals.into_iter().next().unwrap_or_else(|| Val::error(sp));
            let expr = if v.ty() == Ty::Bool { cast(CastKind::FromBool, v.expr, Ty::PY_INT) } else { v.expr };
            return Val { expr: Expr { span: sp, ..expr }, lit: v.lit, err: false, tainted };
        }
        let args: Vec<Expr> = vals
            .into_iter()
            .map(|v| {
                let s = v.expr.span;
                implicit(v.expr, v.lit, Ty::DOUBLE).unwrap_or_else(|_| super::convert::zero(Ty::DOUBLE, s))
            })
            .collect();
        let check = if libc { MathCheck::None } else { spec.check };
        let expr = match spec.ret {
            MathRet::Double => Expr::new(ExprKind::Math { func: spec.func, args, check }, Ty::DOUBLE, sp),
            MathRet::Bool => Expr::new(ExprKind::Math { func: spec.func, args, check }, Ty::Bool, sp),
            MathRet::Int if libc => Expr::new(ExprKind::Math { func: spec.func, args, check }, Ty::DOUBLE, sp),
            MathRet::Int => {
                // `math.floor(x)` is `int(floor(x))`: NaN and infinities raise as `int()` does.
                let arg = match spec.func {
                    MathFn::Trunc => args.into_iter().next().unwrap_or_else(|| super::convert::zero(Ty::DOUBLE, sp)),
                    f => Expr::new(ExprKind::Math { func: f, args, check: MathCheck::None }, Ty::DOUBLE, sp),
                };
                float_to_pyint(arg)
            }
        };
        Val { expr, lit: None, err: false, tainted }
    }

    /// A `cython.X(...)` call (or a name imported from cython).
    fn call_cython(&mut self, name: &str, shown: &str, call: &ast::ExprCall, sp: Span) -> Val {
        match name {
            "cast" => {
                let typecheck_only = call.keywords.iter().all(|k| k.arg.as_deref() == Some("typecheck"));
                if call.args.len() != 2 || !typecheck_only {
                    self.arity_error(shown, "2 positional arguments (a type and a value)", call, sp);
                    return Val::error(sp);
                }
                let ty = match resolve_type(self.env, &call.args[0], TypeUse::Return) {
                    Ok(Ty::Void) => {
                        self.error(Code::InvalidCast, span(&call.args[0]), "cannot cast to `void`");
                        let _ = self.check_expr(&call.args[1]);
                        return Val::error(sp);
                    }
                    Ok(t) => t,
                    Err(d) => {
                        self.push(d);
                        let _ = self.check_expr(&call.args[1]);
                        return Val::error(sp);
                    }
                };
                let v = self.check_value(&call.args[1]);
                self.explicit_cast(v, ty, sp)
            }
            "declare" => {
                self.unsupported(sp, "`cython.declare` is only supported as `name = cython.declare(type)` or `name = cython.declare(type, value)`");
                Val::error(sp)
            }
            _ => {
                // `cython.double(x)` and friends convert like a C cast.
                if let Ok(ty) = super::ty::resolve_cython_name(name) {
                    if ty != Ty::Void && call.args.len() == 1 && call.keywords.is_empty() {
                        let v = self.check_value(&call.args[0]);
                        return self.explicit_cast(v, ty, sp);
                    }
                }
                self.check_args_for_errors(call);
                self.unsupported(sp, format!("`{shown}` is not supported"));
                Val::error(sp)
            }
        }
    }

    /// `<T>x` / `<T?>x` from the `.pyx` front end.
    fn pyx_cast(&mut self, type_text: &str, name_span: Span, call: &ast::ExprCall, sp: Span) -> Val {
        if call.args.len() != 1 || !call.keywords.is_empty() {
            self.check_args_for_errors(call);
            self.error(Code::SyntaxError, sp, "a cast applies to exactly one value");
            return Val::error(sp);
        }
        let v = self.check_value(&call.args[0]);
        match resolve_c_type(type_text) {
            Ok(Ty::Void) => {
                self.error(Code::InvalidCast, name_span, "cannot cast to `void`");
                Val::error(sp)
            }
            Ok(ty) => self.explicit_cast(v, ty, sp),
            Err((code, msg)) => {
                self.error(code, name_span, msg);
                Val::error(sp)
            }
        }
    }

    fn explicit_cast(&mut self, v: Val, ty: Ty, sp: Span) -> Val {
        if v.err {
            return v;
        }
        let tainted = v.tainted;
        // Cython: a cast of a Python object to a C integer converts it with a range check
        // (`<unsigned char>(abs(s) - 300)` raises OverflowError); pycc's Python `int` values
        // in a `.pyx` are those objects. A literal still wraps as in C.
        if self.is_pyx() && v.lit.is_none() && v.ty() == Ty::PY_INT && matches!(ty, Ty::Int(k) if k != IntKind::PyInt) {
            // (a Python `int` converts to every C integer type)
            let e = implicit(v.expr, None, ty).unwrap_or_else(|_| super::convert::zero(ty, sp));
            return Val { expr: Expr { span: sp, ..e }, lit: None, err: false, tainted };
        }
        match explicit(v.expr, v.lit, ty) {
            Ok(e) => Val { expr: Expr { span: sp, ..e }, lit: None, err: false, tainted },
            Err(_) => {
                self.error(Code::InvalidCast, sp, format!("cannot cast a `void` value to `{ty}`"));
                Val::error(sp)
            }
        }
    }
}

/// Python's `int(x)` of a float: NaN and out-of-range values raise.
pub(crate) fn float_to_pyint(e: Expr) -> Expr {
    let e = if e.ty == Ty::DOUBLE { e } else { cast(CastKind::FloatResize, e, Ty::DOUBLE) };
    cast(CastKind::FloatToIntChecked { nan: FLOAT_NAN_TO_INT, inf: FLOAT_INF_TO_INT, overflow: FLOAT_BEYOND_INT }, e, Ty::PY_INT)
}
