//! `math` functions: libm calls, inline forms, Python's domain/range errors, min/max.

use super::*;

mod c {
    extern "C" {
        pub fn asinh(x: f64) -> f64;
        pub fn acosh(x: f64) -> f64;
        pub fn atanh(x: f64) -> f64;
    }
}

const PY: MathCheck = MathCheck::Python { can_overflow: false };
const PY_OVF: MathCheck = MathCheck::Python { can_overflow: true };

fn math1(id: u32, name: &str, f: MathFn, check: MathCheck) -> Function {
    func(id, name, &[("x", F64)], F64, &[], vec![ret(at(math(f, vec![local(0, F64)], check, F64), 9))])
}

fn math2(id: u32, name: &str, f: MathFn, check: MathCheck, ty: Ty) -> Function {
    func(id, name, &[("x", ty), ("y", ty)], ty, &[], vec![ret(math(f, vec![local(0, ty), local(1, ty)], check, ty))])
}

#[test]
fn libm_and_inline_functions_match_rust() {
    type F = fn(f64) -> f64;
    let unary: &[(MathFn, F)] = &[
        (MathFn::Sqrt, f64::sqrt),
        (MathFn::Exp, f64::exp),
        (MathFn::Expm1, f64::exp_m1),
        (MathFn::Log, f64::ln),
        (MathFn::Log2, f64::log2),
        (MathFn::Log10, f64::log10),
        (MathFn::Log1p, f64::ln_1p),
        (MathFn::Sin, f64::sin),
        (MathFn::Cos, f64::cos),
        (MathFn::Tan, f64::tan),
        (MathFn::Asin, f64::asin),
        (MathFn::Acos, f64::acos),
        (MathFn::Atan, f64::atan),
        (MathFn::Sinh, f64::sinh),
        (MathFn::Cosh, f64::cosh),
        (MathFn::Tanh, f64::tanh),
        // Rust computes these three itself; compare with the C library's.
        (MathFn::Asinh, |x| unsafe { c::asinh(x) }),
        (MathFn::Acosh, |x| unsafe { c::acosh(x) }),
        (MathFn::Atanh, |x| unsafe { c::atanh(x) }),
        (MathFn::Floor, f64::floor),
        (MathFn::Ceil, f64::ceil),
        (MathFn::Trunc, f64::trunc),
        (MathFn::Fabs, f64::abs),
    ];
    type F2 = fn(f64, f64) -> f64;
    let binary: &[(MathFn, F2)] =
        &[(MathFn::Atan2, f64::atan2), (MathFn::Pow, f64::powf), (MathFn::Hypot, f64::hypot), (MathFn::Copysign, f64::copysign), (MathFn::Fmod, |a, b| a % b)];
    let mut funcs = Vec::new();
    for (i, (f, _)) in unary.iter().enumerate() {
        funcs.push(math1(i as u32, &format!("u{i}"), *f, MathCheck::None));
    }
    for (i, (f, _)) in binary.iter().enumerate() {
        funcs.push(math2((unary.len() + i) as u32, &format!("b{i}"), *f, MathCheck::None, F64));
    }
    let j = jit(&module(funcs));
    let xs = [-3.5, -1.0, -0.5, -0.0, 0.0, 0.25, 0.5, 1.0, 2.0, 10.0, 800.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN];
    for (i, (f, reference)) in unary.iter().enumerate() {
        for x in xs {
            let got = j.f64(&format!("u{i}"), &[x]).unwrap();
            // Rust's methods call the same libm (or compute exactly, for the inline ones).
            assert!(same_f64(got, reference(x)), "{f:?}({x}) = {got}, want {}", reference(x));
        }
    }
    for (i, (f, reference)) in binary.iter().enumerate() {
        for x in xs {
            for y in xs {
                let got = j.f64(&format!("b{i}"), &[x, y]).unwrap();
                assert!(same_f64(got, reference(x, y)), "{f:?}({x}, {y}) = {got}, want {}", reference(x, y));
            }
        }
    }
}

#[test]
fn python_math_errors() {
    let m = module(vec![
        math1(0, "sqrt", MathFn::Sqrt, PY),
        math1(1, "log", MathFn::Log, PY),
        math1(2, "exp", MathFn::Exp, PY_OVF),
        math2(3, "fmod", MathFn::Fmod, PY, F64),
        math1(4, "sin", MathFn::Sin, PY),
        math2(5, "pow", MathFn::Pow, PY_OVF, F64),
        math1(6, "c_sqrt", MathFn::Sqrt, MathCheck::None),
        math2(7, "hypot", MathFn::Hypot, PY_OVF, F64),
        math2(8, "atan2", MathFn::Atan2, PY, F64),
    ]);
    let j = jit(&m);
    let domain = |r: Result<f64, Raised>| r.map_err(|e| (e.exc, e.msg, e.line));
    let domain_err = Err((ExcKind::ValueError, "math domain error".to_string(), 9));
    // CPython: math.sqrt(-1) and math.log(0) and math.log(-1) and math.sin(inf) and
    // math.fmod(inf, 1) raise ValueError: math domain error.
    assert_eq!(domain(j.f64("sqrt", &[-1.0])), domain_err);
    assert_eq!(domain(j.f64("log", &[0.0])), domain_err);
    assert_eq!(domain(j.f64("log", &[-1.0])), domain_err);
    assert_eq!(domain(j.f64("sin", &[f64::INFINITY])), domain_err);
    assert_eq!(j.f64("fmod", &[f64::INFINITY, 1.0]).unwrap_err().msg, "math domain error");
    assert_eq!(j.f64("fmod", &[1.0, 0.0]).unwrap_err().exc, ExcKind::ValueError);
    // math.exp(1000) and math.pow(10, 400) raise OverflowError: math range error.
    let e = j.f64("exp", &[1000.0]).unwrap_err();
    assert_eq!((e.exc, e.msg.as_str()), (ExcKind::OverflowError, "math range error"));
    assert_eq!(j.f64("pow", &[10.0, 400.0]).unwrap_err().exc, ExcKind::OverflowError);
    // CPython: math.pow(0.0, -1.0) and math.pow(-0.0, -3.0) raise ValueError (x == 0 is a
    // domain error, not a range error); math.hypot(1.7e308, 1.7e308) is inf, no error.
    assert_eq!(j.f64("pow", &[0.0, -1.0]).unwrap_err().msg, "math domain error");
    assert_eq!(j.f64("pow", &[-0.0, -3.0]).unwrap_err().exc, ExcKind::ValueError);
    assert_eq!(j.f64("pow", &[-8.0, 0.5]).unwrap_err().exc, ExcKind::ValueError);
    assert_eq!(j.f64("pow", &[2.0, 0.5]), Ok(2f64.sqrt()));
    assert_eq!(j.f64("hypot", &[1.7e308, 1.7e308]), Ok(f64::INFINITY));
    assert_eq!(j.f64("hypot", &[3.0, 4.0]), Ok(5.0));
    assert_eq!(j.f64("atan2", &[0.0, -0.0]), Ok(std::f64::consts::PI));
    // No error for NaN in, NaN out, or infinity in, infinity out.
    assert!(j.f64("sqrt", &[f64::NAN]).unwrap().is_nan());
    assert_eq!(j.f64("sqrt", &[f64::INFINITY]), Ok(f64::INFINITY));
    assert_eq!(j.f64("exp", &[f64::INFINITY]), Ok(f64::INFINITY));
    assert_eq!(j.f64("log", &[f64::INFINITY]), Ok(f64::INFINITY));
    assert_eq!(j.f64("exp", &[f64::NEG_INFINITY]), Ok(0.0));
    assert_eq!(j.f64("sqrt", &[4.0]), Ok(2.0));
    // libc.math: no checks.
    assert!(j.f64("c_sqrt", &[-1.0]).unwrap().is_nan());
}

#[test]
fn floor_and_ceil_to_integers() {
    let floor_int = |id: u32, name: &str, f: MathFn, check: MathCheck, ty: Ty| {
        func(id, name, &[("x", F64)], ty, &[], vec![ret(math(f, vec![local(0, F64)], check, ty))])
    };
    let m = module(vec![
        floor_int(0, "floor", MathFn::Floor, PY, I64),
        floor_int(1, "ceil", MathFn::Ceil, PY, I64),
        floor_int(2, "floor8", MathFn::Floor, PY, C_SCHAR),
        floor_int(3, "c_floor", MathFn::Floor, MathCheck::None, I64),
    ]);
    let j = jit(&m);
    for x in [-2.5f64, -2.0, -0.5, -0.0, 0.0, 0.5, 2.5, 1e15 + 0.5, -9.2e18] {
        assert_eq!(j.i64("floor", &[x.to_bits() as i64]), Ok(x.floor() as i64), "floor({x})");
        assert_eq!(j.i64("ceil", &[x.to_bits() as i64]), Ok(x.ceil() as i64), "ceil({x})");
    }
    let err = |name: &str, x: f64| j.f64(name, &[x]).unwrap_err();
    // CPython: math.floor(nan) → ValueError: cannot convert float NaN to integer;
    // math.floor(inf) → OverflowError: cannot convert float infinity to integer.
    assert_eq!((err("floor", f64::NAN).exc, err("floor", f64::NAN).msg), (ExcKind::ValueError, "cannot convert float NaN to integer".to_string()));
    assert_eq!(err("floor", f64::INFINITY).msg, "cannot convert float infinity to integer");
    assert_eq!(err("ceil", f64::NEG_INFINITY).exc, ExcKind::OverflowError);
    assert_eq!(err("floor", 1e300).exc, ExcKind::OverflowError);
    assert_eq!(j.i64("floor8", &[(-128.5f64).to_bits() as i64]).unwrap_err().exc, ExcKind::OverflowError);
    assert_eq!(j.i64("floor8", &[(127.9f64).to_bits() as i64]), Ok(127));
    assert_eq!(j.i64("c_floor", &[f64::NAN.to_bits() as i64]), Ok(0));
    assert_eq!(j.i64("c_floor", &[1e300f64.to_bits() as i64]), Ok(i64::MAX));
}

#[test]
fn min_max_and_classification() {
    let class = |id: u32, name: &str, f: MathFn| func(id, name, &[("x", F64)], BOOL, &[], vec![ret(math(f, vec![local(0, F64)], PY, BOOL))]);
    let m = module(vec![
        math2(0, "fmin", MathFn::Min, MathCheck::None, F64),
        math2(1, "fmax", MathFn::Max, MathCheck::None, F64),
        math2(2, "imin", MathFn::Min, MathCheck::None, I64),
        math2(3, "umax", MathFn::Max, MathCheck::None, C_ULONG),
        class(4, "isnan", MathFn::IsNan),
        class(5, "isinf", MathFn::IsInf),
        class(6, "isfinite", MathFn::IsFinite),
    ]);
    let j = jit(&m);
    for a in floats() {
        for b in floats() {
            // Python: min(a, b) is `b if b < a else a`; max(a, b) is `b if b > a else a`.
            let want_min = if b < a { b } else { a };
            let want_max = if b > a { b } else { a };
            assert!(same_f64(j.f64("fmin", &[a, b]).unwrap(), want_min), "min({a}, {b})");
            assert!(same_f64(j.f64("fmax", &[a, b]).unwrap(), want_max), "max({a}, {b})");
        }
        assert_eq!(j.call("isnan", &[a.to_bits()]), Ok(a.is_nan() as u64));
        assert_eq!(j.call("isinf", &[a.to_bits()]), Ok(a.is_infinite() as u64));
        assert_eq!(j.call("isfinite", &[a.to_bits()]), Ok(a.is_finite() as u64));
    }
    // min(nan, 1.0) is nan but min(1.0, nan) is 1.0, as in Python.
    assert!(j.f64("fmin", &[f64::NAN, 1.0]).unwrap().is_nan());
    assert_eq!(j.f64("fmin", &[1.0, f64::NAN]), Ok(1.0));
    for &a in &grid64() {
        for &b in &grid64() {
            assert_eq!(j.i64("imin", &[a, b]), Ok(a.min(b)));
            assert_eq!(j.call("umax", &[a as u64, b as u64]), Ok((a as u64).max(b as u64)));
        }
    }
}
