//! Integer and float arithmetic against Rust reference implementations of Python/C semantics.

use super::*;

/// Python's `a // b` and `a % b` on exact integers (no overflow in i128).
fn py_divmod(a: i64, b: i64) -> (i128, i128) {
    let (a, b) = (a as i128, b as i128);
    let m = ((a % b) + b) % b;
    ((a - m) / b, m)
}

fn fits_i64(v: i128) -> Result<i64, ExcKind> {
    i64::try_from(v).map_err(|_| ExcKind::OverflowError)
}

#[test]
fn checked_add_sub_mul_raise_overflow_error_at_the_op_line() {
    let ck = Overflow::Check(OVERFLOW);
    let m = module(vec![
        binop_func(0, "add", I64, BinOp::Add(ck)),
        binop_func(1, "sub", I64, BinOp::Sub(ck)),
        binop_func(2, "mul", I64, BinOp::Mul(ck)),
    ]);
    let j = jit(&m);
    for &a in &grid64() {
        for &b in &grid64() {
            assert_eq!(j.i64_exc("add", &[a, b]), a.checked_add(b).ok_or(ExcKind::OverflowError), "{a} + {b}");
            assert_eq!(j.i64_exc("sub", &[a, b]), a.checked_sub(b).ok_or(ExcKind::OverflowError), "{a} - {b}");
            assert_eq!(j.i64_exc("mul", &[a, b]), a.checked_mul(b).ok_or(ExcKind::OverflowError), "{a} * {b}");
        }
    }
    let err = j.i64("add", &[i64::MAX, 1]).unwrap_err();
    assert_eq!(err, Raised { exc: ExcKind::OverflowError, msg: "integer overflow".into(), func: "add".into(), line: 7 });
    // One site per (function, span, raise): three functions, three sites.
    assert_eq!(j.art.desc.error_sites.len(), 3);
}

#[test]
fn wrapping_arithmetic_on_c_types() {
    let m = module(vec![
        binop_func(0, "add32", C_INT, BinOp::Add(Overflow::Wrap)),
        binop_func(1, "mul32", C_INT, BinOp::Mul(Overflow::Wrap)),
        binop_func(2, "sub8", C_UCHAR, BinOp::Sub(Overflow::Wrap)),
        binop_func(3, "mul16", C_SHORT, BinOp::Mul(Overflow::Wrap)),
    ]);
    let j = jit(&m);
    for &a in &grid_signed(32) {
        for &b in &grid_signed(32) {
            let (a32, b32) = (a as i32, b as i32);
            assert_eq!(j.i64("add32", &[a, b]), Ok(a32.wrapping_add(b32) as i64));
            assert_eq!(j.i64("mul32", &[a, b]), Ok(a32.wrapping_mul(b32) as i64));
        }
    }
    for a in [0u8, 1, 2, 100, 200, 255] {
        for b in [0u8, 1, 3, 200, 255] {
            // Unsigned results come back zero-extended.
            assert_eq!(j.call("sub8", &[a as u64, b as u64]), Ok(a.wrapping_sub(b) as u64));
        }
    }
    for &a in &grid_signed(16) {
        for &b in &grid_signed(16) {
            assert_eq!(j.i64("mul16", &[a, b]), Ok((a as i16).wrapping_mul(b as i16) as i64), "{a} * {b}");
        }
    }
}

#[test]
fn python_floor_division_and_modulo_on_checked_ints() {
    let m = module(vec![
        binop_func(0, "fdiv", I64, BinOp::FloorDiv { python: true, zero: Some(ZERO_DIV), overflow: Some(OVERFLOW) }),
        binop_func(1, "mod", I64, BinOp::Mod { python: true, zero: Some(ZERO_DIV) }),
    ]);
    let j = jit(&m);
    for &a in &grid64() {
        for &b in &grid64() {
            let (want_q, want_m) = if b == 0 {
                (Err(ExcKind::ZeroDivisionError), Err(ExcKind::ZeroDivisionError))
            } else {
                let (q, m) = py_divmod(a, b);
                (fits_i64(q), fits_i64(m))
            };
            assert_eq!(j.i64_exc("fdiv", &[a, b]), want_q, "{a} // {b}");
            assert_eq!(j.i64_exc("mod", &[a, b]), want_m, "{a} % {b}");
        }
    }
    assert_eq!(j.i64("fdiv", &[i64::MIN, -1]).unwrap_err().exc, ExcKind::OverflowError);
    assert_eq!(j.i64("mod", &[i64::MIN, -1]), Ok(0));
    assert_eq!(j.i64("fdiv", &[5, 0]).unwrap_err().msg, "integer division or modulo by zero");
}

#[test]
fn c_division_and_python_division_on_wrapping_types() {
    let m = module(vec![
        // cdivision: truncating, unchecked (no trap on MIN / -1 or / 0).
        binop_func(0, "cdiv", C_INT, BinOp::FloorDiv { python: false, zero: None, overflow: None }),
        binop_func(1, "cmod", C_INT, BinOp::Mod { python: false, zero: None }),
        // Python semantics on a wrapping `signed char`: MIN // -1 wraps to MIN.
        binop_func(2, "pdiv8", C_SCHAR, BinOp::FloorDiv { python: true, zero: Some(ZERO_DIV), overflow: None }),
        binop_func(3, "pmod8", C_SCHAR, BinOp::Mod { python: true, zero: Some(ZERO_DIV) }),
        binop_func(4, "udiv", C_UINT, BinOp::FloorDiv { python: true, zero: Some(ZERO_DIV), overflow: None }),
        binop_func(5, "umod", C_UINT, BinOp::Mod { python: true, zero: Some(ZERO_DIV) }),
    ]);
    let j = jit(&m);
    for &a in &grid_signed(32) {
        for &b in &grid_signed(32) {
            let (a32, b32) = (a as i32, b as i32);
            let (q, r) = if b32 == 0 { (a32, 0) } else { (a32.wrapping_div(b32), a32.wrapping_rem(b32)) };
            assert_eq!(j.i64("cdiv", &[a, b]), Ok(q as i64), "{a} / {b}");
            assert_eq!(j.i64("cmod", &[a, b]), Ok(r as i64), "{a} % {b}");
        }
    }
    for a in -128i64..=127 {
        for b in [-128i64, -127, -7, -2, -1, 0, 1, 2, 3, 7, 127] {
            if b == 0 {
                assert_eq!(j.i64_exc("pdiv8", &[a, b]), Err(ExcKind::ZeroDivisionError));
                continue;
            }
            let (q, m) = py_divmod(a, b);
            assert_eq!(j.i64("pdiv8", &[a, b]), Ok(q as i8 as i64), "{a} // {b}");
            assert_eq!(j.i64("pmod8", &[a, b]), Ok(m as i64), "{a} % {b}");
        }
    }
    for a in [0u32, 1, 7, 100, u32::MAX - 1, u32::MAX] {
        for b in [1u32, 2, 7, u32::MAX] {
            assert_eq!(j.call("udiv", &[a as u64, b as u64]), Ok((a / b) as u64));
            assert_eq!(j.call("umod", &[a as u64, b as u64]), Ok((a % b) as u64));
        }
        assert_eq!(j.call("udiv", &[a as u64, 0]).unwrap_err().exc, ExcKind::ZeroDivisionError);
    }
}

#[test]
fn integer_power_checked_and_wrapping() {
    let ck = Overflow::Check(OVERFLOW);
    let m = module(vec![
        binop_func(0, "pow", I64, BinOp::Pow { overflow: ck, neg_exp: Some(NEG_EXP), zero: None }),
        binop_func(1, "wpow", C_INT, BinOp::Pow { overflow: Overflow::Wrap, neg_exp: None, zero: None }),
    ]);
    let j = jit(&m);
    for base in [-10i64, -3, -2, -1, 0, 1, 2, 3, 7, 10, 1 << 31, i64::MIN, i64::MAX] {
        for exp in (0i64..=65).chain([1000, i64::MAX]) {
            let want = match base.checked_pow(exp.min(u32::MAX as i64) as u32) {
                Some(v) => Ok(v),
                None => Err(ExcKind::OverflowError),
            };
            assert_eq!(j.i64_exc("pow", &[base, exp]), want, "{base} ** {exp}");
        }
        assert_eq!(j.i64_exc("pow", &[base, -1]), Err(ExcKind::ValueError));
    }
    assert_eq!(j.i64("pow", &[-2, 63]), Ok(i64::MIN));
    for base in [-3i64, -2, -1, 0, 1, 2, 3, 12345, i32::MIN as i64] {
        for exp in 0i64..=40 {
            assert_eq!(j.i64("wpow", &[base, exp]), Ok((base as i32).wrapping_pow(exp as u32) as i64), "{base} ** {exp}");
        }
        // Cython's C `**` gives 0 for a negative exponent.
        assert_eq!(j.i64("wpow", &[base, -3]), Ok(0));
    }
}

/// Python's `a << n` / `a >> n` for a 64-bit value (`None` = ValueError or OverflowError).
fn py_shl(a: i64, n: i64) -> Result<i64, ExcKind> {
    if n < 0 {
        return Err(ExcKind::ValueError);
    }
    if a == 0 {
        return Ok(0);
    }
    if n >= 64 {
        return Err(ExcKind::OverflowError);
    }
    fits_i64((a as i128) << n)
}

fn py_shr(a: i64, n: i64) -> Result<i64, ExcKind> {
    if n < 0 {
        return Err(ExcKind::ValueError);
    }
    Ok(a >> n.min(63))
}

#[test]
fn shifts_follow_python() {
    let m = module(vec![
        binop_func(0, "shl", I64, BinOp::Shl { neg_count: Some(NEG_COUNT), overflow: Some(OVERFLOW) }),
        binop_func(1, "shr", I64, BinOp::Shr { neg_count: Some(NEG_COUNT) }),
        binop_func(2, "wshl", C_UINT, BinOp::Shl { neg_count: None, overflow: None }),
        binop_func(3, "ushr", C_UINT, BinOp::Shr { neg_count: None }),
    ]);
    let j = jit(&m);
    for &a in &grid64() {
        for n in (-2i64..=70).chain([1000, i64::MAX, i64::MIN]) {
            assert_eq!(j.i64_exc("shl", &[a, n]), py_shl(a, n), "{a} << {n}");
            assert_eq!(j.i64_exc("shr", &[a, n]), py_shr(a, n), "{a} >> {n}");
        }
    }
    for a in [0u32, 1, 3, 0x8000_0001, u32::MAX] {
        for n in [0u32, 1, 5, 31, 32, 33, 100, u32::MAX] {
            let want_shl = if n >= 32 { 0 } else { a << n };
            let want_shr = if n >= 32 { 0 } else { a >> n };
            assert_eq!(j.call("wshl", &[a as u64, n as u64]), Ok(want_shl as u64), "{a} << {n}");
            assert_eq!(j.call("ushr", &[a as u64, n as u64]), Ok(want_shr as u64), "{a} >> {n}");
        }
    }
}

#[test]
fn unary_ops_and_bitwise() {
    let neg = Some(OVERFLOW);
    let m = module(vec![
        func(0, "neg", &[("a", I64)], I64, &[], vec![ret(unary(UnaryOp::Neg { overflow: neg }, local(0, I64)))]),
        func(1, "abs", &[("a", I64)], I64, &[], vec![ret(unary(UnaryOp::Abs { overflow: neg }, local(0, I64)))]),
        func(2, "wneg", &[("a", C_INT)], C_INT, &[], vec![ret(unary(UnaryOp::Neg { overflow: None }, local(0, C_INT)))]),
        func(3, "inv", &[("a", I64)], I64, &[], vec![ret(unary(UnaryOp::Invert, local(0, I64)))]),
        func(4, "not", &[("a", BOOL)], BOOL, &[], vec![ret(unary(UnaryOp::Not, local(0, BOOL)))]),
        func(5, "fneg", &[("a", F64)], F64, &[], vec![ret(unary(UnaryOp::Neg { overflow: None }, local(0, F64)))]),
        func(6, "fabs", &[("a", F64)], F64, &[], vec![ret(unary(UnaryOp::Abs { overflow: None }, local(0, F64)))]),
        binop_func(7, "and", I64, BinOp::BitAnd),
        binop_func(8, "or", I64, BinOp::BitOr),
        binop_func(9, "xor", I64, BinOp::BitXor),
        binop_func(10, "band", BOOL, BinOp::BitAnd),
    ]);
    let j = jit(&m);
    for &a in &grid64() {
        assert_eq!(j.i64_exc("neg", &[a]), a.checked_neg().ok_or(ExcKind::OverflowError));
        assert_eq!(j.i64_exc("abs", &[a]), a.checked_abs().ok_or(ExcKind::OverflowError));
        assert_eq!(j.i64("inv", &[a]), Ok(!a));
        for &b in &grid64() {
            assert_eq!(j.i64("and", &[a, b]), Ok(a & b));
            assert_eq!(j.i64("or", &[a, b]), Ok(a | b));
            assert_eq!(j.i64("xor", &[a, b]), Ok(a ^ b));
        }
    }
    assert_eq!(j.i64("wneg", &[i32::MIN as i64]), Ok(i32::MIN as i64));
    assert_eq!(j.call("not", &[0]), Ok(1));
    assert_eq!(j.call("not", &[1]), Ok(0));
    assert_eq!(j.call("band", &[1, 1]), Ok(1));
    assert_eq!(j.call("band", &[1, 0]), Ok(0));
    for x in floats() {
        assert!(same_f64(j.f64("fneg", &[x]).unwrap(), -x));
        assert!(same_f64(j.f64("fabs", &[x]).unwrap(), x.abs()));
    }
}

#[test]
fn float_division_modulo_and_power() {
    let m = module(vec![
        binop_func(0, "div", F64, BinOp::TrueDiv { zero: Some(FLOAT_ZERO_DIV) }),
        binop_func(1, "fdiv", F64, BinOp::FloorDiv { python: true, zero: Some(FLOAT_ZERO_DIV), overflow: None }),
        binop_func(2, "mod", F64, BinOp::Mod { python: true, zero: Some(FLOAT_ZERO_DIV) }),
        binop_func(3, "cmod", F64, BinOp::Mod { python: false, zero: None }),
        binop_func(4, "cfdiv", F64, BinOp::FloorDiv { python: false, zero: None, overflow: None }),
        binop_func(
            5,
            "pow",
            F64,
            BinOp::Pow {
                overflow: Overflow::Check(Raise::new(ExcKind::OverflowError, "(34, 'Numerical result out of range')")),
                neg_exp: None,
                zero: Some(Raise::new(ExcKind::ZeroDivisionError, "0.0 cannot be raised to a negative power")),
            },
        ),
        binop_func(6, "mod32", F32, BinOp::Mod { python: true, zero: Some(FLOAT_ZERO_DIV) }),
        binop_func(7, "add", F64, BinOp::Add(Overflow::Wrap)),
        binop_func(8, "mul32", F32, BinOp::Mul(Overflow::Wrap)),
    ]);
    let j = jit(&m);
    for a in floats() {
        for b in floats() {
            let zero = b == 0.0;
            let check = |name: &str, want: f64| {
                let got = j.f64(name, &[a, b]);
                if zero {
                    assert_eq!(got.map_err(|r| r.exc), Err(ExcKind::ZeroDivisionError), "{name}({a}, {b})");
                } else {
                    let got = got.unwrap();
                    assert!(same_f64(got, want), "{name}({a}, {b}) = {got}, want {want}");
                }
            };
            check("div", a / b);
            check("fdiv", crate::helpers::float_floordiv(a, b));
            check("mod", crate::helpers::float_mod(a, b));
            assert!(same_f64(j.f64("cmod", &[a, b]).unwrap(), a % b), "fmod({a}, {b})");
            assert!(same_f64(j.f64("cfdiv", &[a, b]).unwrap(), (a / b).floor()));
            assert!(same_f64(j.f64("add", &[a, b]).unwrap(), a + b));
            let pow = j.f64("pow", &[a, b]);
            // Python's float_pow: 0.0 ** (finite negative) raises; 0.0 ** -inf is inf.
            if a == 0.0 && b < 0.0 && b.is_finite() {
                assert_eq!(pow.unwrap_err().exc, ExcKind::ZeroDivisionError, "{a} ** {b}");
            } else if a.powf(b).is_infinite() && a.is_finite() && b.is_finite() {
                assert_eq!(pow.unwrap_err().exc, ExcKind::OverflowError, "{a} ** {b}");
            } else {
                assert!(same_f64(pow.unwrap(), a.powf(b)), "{a} ** {b}");
            }
        }
    }
    // Python: -7.0 % 2.0 == 1.0, 7.0 // -2.0 == -4.0, 0.0 % -5.0 == -0.0
    assert_eq!(j.f64("mod", &[-7.0, 2.0]), Ok(1.0));
    assert_eq!(j.f64("fdiv", &[7.0, -2.0]), Ok(-4.0));
    assert!(j.f64("mod", &[0.0, -5.0]).unwrap().is_sign_negative());
    assert_eq!(j.f64("pow", &[0.0, f64::NEG_INFINITY]), Ok(f64::INFINITY));
    assert_eq!(j.f64("pow", &[-0.0, -3.0]).unwrap_err().exc, ExcKind::ZeroDivisionError);
    // `float` operands go through the f64 service and come back as f32 (widened in the slot).
    let r = j.call("mod32", &[(-7.5f32 as f64).to_bits(), (2.0f32 as f64).to_bits()]).unwrap();
    assert_eq!(f64::from_bits(r), 0.5);
    let r = j.call("mul32", &[(1e30f64).to_bits(), (1e30f64).to_bits()]).unwrap();
    assert_eq!(f64::from_bits(r), f64::INFINITY, "f32 arithmetic overflows at f32 range");
}

#[test]
fn comparisons_signed_unsigned_and_nan() {
    let ops = [CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge];
    let mut funcs = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        for (k, ty) in [I64, F64, C_ULONG].into_iter().enumerate() {
            let id = (i * 3 + k) as u32;
            funcs.push(func(id, &format!("c{i}_{k}"), &[("a", ty), ("b", ty)], BOOL, &[], vec![ret(cmp(*op, local(0, ty), local(1, ty)))]));
        }
    }
    let j = jit(&module(funcs));
    fn expect<T: PartialOrd>(op: CmpOp, a: T, b: T) -> bool {
        match op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        }
    }
    for (i, &op) in ops.iter().enumerate() {
        for &a in &grid64() {
            for &b in &grid64() {
                assert_eq!(j.i64(&format!("c{i}_0"), &[a, b]), Ok(expect(op, a, b) as i64));
                assert_eq!(j.i64(&format!("c{i}_2"), &[a, b]), Ok(expect(op, a as u64, b as u64) as i64));
            }
        }
        for a in floats() {
            for b in floats() {
                // Rust's float comparisons are IEEE's, as C's and Python's: `!=` is true for NaN.
                assert_eq!(j.f64(&format!("c{i}_1"), &[a, b]).map(f64::to_bits), Ok(expect(op, a, b) as u64), "{op:?} {a} {b}");
            }
        }
    }
}

#[test]
fn float_ops_with_constant_operands() {
    // The checks a constant decides are left out (a nonzero divisor, an exponent that is not
    // finite and negative, a nonzero base); the results and errors must not change.
    let pow_op = BinOp::Pow {
        overflow: Overflow::Check(Raise::new(ExcKind::OverflowError, "(34, 'Numerical result out of range')")),
        neg_exp: None,
        zero: Some(Raise::new(ExcKind::ZeroDivisionError, "0.0 cannot be raised to a negative power")),
    };
    let ops: [(&str, BinOp); 4] = [
        ("div", BinOp::TrueDiv { zero: Some(FLOAT_ZERO_DIV) }),
        ("fdiv", BinOp::FloorDiv { python: true, zero: Some(FLOAT_ZERO_DIV), overflow: None }),
        ("mod", BinOp::Mod { python: true, zero: Some(FLOAT_ZERO_DIV) }),
        ("pow", pow_op),
    ];
    let consts = floats();
    let mut funcs = Vec::new();
    for (k, &c) in consts.iter().enumerate() {
        for (name, op) in ops {
            // def {name}_r{k}(a): return a op c        def {name}_l{k}(a): return c op a
            let id = funcs.len() as u32;
            funcs.push(func(id, &format!("{name}_r{k}"), &[("a", F64)], F64, &[], vec![ret(bin(op, local(0, F64), konst(Const::Float(c), F64)))]));
            funcs.push(func(id + 1, &format!("{name}_l{k}"), &[("a", F64)], F64, &[], vec![ret(bin(op, konst(Const::Float(c), F64), local(0, F64)))]));
        }
    }
    let j = jit(&module(funcs));
    let reference = |name: &str, a: f64, b: f64| -> Result<f64, ExcKind> {
        match name {
            "pow" if a == 0.0 && b < 0.0 && b.is_finite() => Err(ExcKind::ZeroDivisionError),
            "pow" if a.powf(b).is_infinite() && a.is_finite() && b.is_finite() => Err(ExcKind::OverflowError),
            "pow" => Ok(a.powf(b)),
            _ if b == 0.0 => Err(ExcKind::ZeroDivisionError),
            "div" => Ok(a / b),
            "fdiv" => Ok(crate::helpers::float_floordiv(a, b)),
            _ => Ok(crate::helpers::float_mod(a, b)),
        }
    };
    for (k, &c) in consts.iter().enumerate() {
        for a in floats() {
            for (name, _) in ops {
                for (side, x, y) in [("r", a, c), ("l", c, a)] {
                    let f = format!("{name}_{side}{k}");
                    let got = j.f64(&f, &[a]).map_err(|r| r.exc);
                    match (got, reference(name, x, y)) {
                        (Ok(g), Ok(w)) => assert!(same_f64(g, w), "{f}: {x} {name} {y} = {g}, want {w}"),
                        (got, want) => assert_eq!(got, want, "{f}: {x} {name} {y}"),
                    }
                }
            }
        }
    }
}
