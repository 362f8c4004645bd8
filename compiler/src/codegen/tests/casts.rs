//! Every `CastKind`, and the slot conventions of the entry wrappers for each type.

use super::*;

fn cast_func(id: u32, name: &str, kind: CastKind, from: Ty, to: Ty) -> Function {
    func(id, name, &[("x", from)], to, &[], vec![ret(cast(kind, local(0, from), to))])
}

const NAN: Raise = Raise::new(ExcKind::ValueError, "cannot convert float NaN to integer");
const FLOAT_OVERFLOW: Raise = Raise::new(ExcKind::OverflowError, "cannot convert float infinity to integer");

#[test]
fn integer_casts() {
    let m = module(vec![
        cast_func(0, "to_i8", CastKind::IntChecked(OVERFLOW), I64, C_SCHAR),
        cast_func(1, "to_u32", CastKind::IntChecked(OVERFLOW), I64, C_UINT),
        cast_func(2, "wrap_i8", CastKind::IntWrap, I64, C_SCHAR),
        cast_func(3, "wrap_u8", CastKind::IntWrap, I64, C_UCHAR),
        cast_func(4, "ext_i8", CastKind::IntWrap, C_SCHAR, I64),
        cast_func(5, "ext_u8", CastKind::IntWrap, C_UCHAR, I64),
        cast_func(6, "u64_to_i64", CastKind::IntChecked(OVERFLOW), C_ULONG, I64),
        cast_func(7, "i64_to_u64", CastKind::IntChecked(OVERFLOW), I64, C_ULONG),
        cast_func(8, "u32_to_i32", CastKind::IntChecked(OVERFLOW), C_UINT, C_INT),
    ]);
    let j = jit(&m);
    for &v in &grid64() {
        assert_eq!(j.i64_exc("to_i8", &[v]), i8::try_from(v).map(|x| x as i64).map_err(|_| ExcKind::OverflowError), "{v}");
        assert_eq!(j.i64_exc("to_u32", &[v]), u32::try_from(v).map(|x| x as i64).map_err(|_| ExcKind::OverflowError), "{v}");
        assert_eq!(j.i64("wrap_i8", &[v]), Ok(v as i8 as i64));
        assert_eq!(j.call("wrap_u8", &[v as u64]), Ok(v as u8 as u64));
        assert_eq!(j.call("i64_to_u64", &[v as u64]).map_err(|r| r.exc), u64::try_from(v).map_err(|_| ExcKind::OverflowError));
        assert_eq!(j.i64_exc("u64_to_i64", &[v]), if v >= 0 { Ok(v) } else { Err(ExcKind::OverflowError) }, "{}", v as u64);
    }
    for v in [-128i64, -1, 0, 5, 127] {
        assert_eq!(j.i64("ext_i8", &[v]), Ok(v));
    }
    for v in [0u64, 1, 200, 255] {
        assert_eq!(j.i64("ext_u8", &[v as i64]), Ok(v as i64));
    }
    for v in [0u32, 1, i32::MAX as u32, i32::MAX as u32 + 1, u32::MAX] {
        let want = i32::try_from(v).map(|x| x as i64).map_err(|_| ExcKind::OverflowError);
        assert_eq!(j.call("u32_to_i32", &[v as u64]).map(|s| s as i64).map_err(|r| r.exc), want);
    }
}

#[test]
fn float_casts() {
    let checked = CastKind::FloatToIntChecked { nan: NAN, inf: FLOAT_OVERFLOW, overflow: FLOAT_OVERFLOW };
    let m = module(vec![
        cast_func(0, "trunc64", CastKind::FloatToIntTrunc, F64, I64),
        cast_func(1, "trunc8", CastKind::FloatToIntTrunc, F64, C_SCHAR),
        cast_func(2, "truncu8", CastKind::FloatToIntTrunc, F64, C_UCHAR),
        cast_func(3, "truncu64", CastKind::FloatToIntTrunc, F64, C_ULONG),
        cast_func(4, "int64", checked, F64, I64),
        cast_func(5, "int8", checked, F64, C_SCHAR),
        cast_func(6, "intu32", checked, F64, C_UINT),
        cast_func(7, "i2f", CastKind::IntToFloat, I64, F64),
        cast_func(8, "u2f", CastKind::IntToFloat, C_ULONG, F64),
        cast_func(9, "i8_2f32", CastKind::IntToFloat, C_SCHAR, F32),
        cast_func(10, "demote", CastKind::FloatResize, F64, F32),
        cast_func(11, "promote", CastKind::FloatResize, F32, F64),
        cast_func(12, "f32_int", checked, F32, C_INT),
    ]);
    let j = jit(&m);
    let mut values = floats();
    values.extend([9.2e18, -9.2e18, 9.3e18, -9.3e18, -9223372036854775808.0, 9223372036854775808.0, 127.9, 128.0, -128.9, -129.0, 255.5, 256.0, -0.9, 4294967295.5, 4294967296.0, 1.8e19, 1.9e19]);
    for x in values {
        // Rust's `as` saturates and maps NaN to 0: exactly a C cast made total.
        assert_eq!(j.f64("trunc64", &[x]).map(f64::to_bits), Ok(x as i64 as u64), "{x}");
        assert_eq!(j.f64("trunc8", &[x]).map(f64::to_bits), Ok(x as i8 as i64 as u64), "{x}");
        assert_eq!(j.f64("truncu8", &[x]).map(f64::to_bits), Ok(x as u8 as u64), "{x}");
        assert_eq!(j.f64("truncu64", &[x]).map(f64::to_bits), Ok(x as u64), "{x}");
        // Python's int(x) then a range check: NaN → ValueError, inf or out of range → OverflowError.
        let py = |min: f64, max_plus_1: f64| -> Result<u64, ExcKind> {
            if x.is_nan() {
                Err(ExcKind::ValueError)
            } else if x.trunc() < min || x.trunc() >= max_plus_1 {
                Err(ExcKind::OverflowError)
            } else {
                Ok(x.trunc() as i64 as u64)
            }
        };
        assert_eq!(j.f64("int64", &[x]).map(f64::to_bits).map_err(|r| r.exc), py(-9223372036854775808.0, 9223372036854775808.0), "{x}");
        assert_eq!(j.f64("int8", &[x]).map(f64::to_bits).map_err(|r| r.exc), py(-128.0, 128.0), "{x}");
        assert_eq!(j.f64("intu32", &[x]).map(f64::to_bits).map_err(|r| r.exc), py(0.0, 4294967296.0), "{x}");
        let demoted = f64::from_bits(j.f64("demote", &[x]).unwrap().to_bits());
        assert!(same_f64(demoted, x as f32 as f64), "{x} as f32");
    }
    assert_eq!(j.f64("int64", &[f64::NAN]).unwrap_err().msg, "cannot convert float NaN to integer");
    for &v in &grid64() {
        assert_eq!(j.i64("i2f", &[v]).map(|b| f64::from_bits(b as u64)), Ok(v as f64));
        assert_eq!(j.call("u2f", &[v as u64]).map(f64::from_bits), Ok(v as u64 as f64));
    }
    assert_eq!(j.call("i8_2f32", &[-5i64 as u64]).map(f64::from_bits), Ok(-5.0));
    assert_eq!(j.call("promote", &[(0.1f32 as f64).to_bits()]).map(f64::from_bits), Ok(0.1f32 as f64));
    assert_eq!(j.call("f32_int", &[(3e9f64).to_bits()]).unwrap_err().exc, ExcKind::OverflowError);
    assert_eq!(j.call("f32_int", &[(-7.9f64).to_bits()]).map(|s| s as i64), Ok(-7));
}

#[test]
fn bool_casts() {
    let m = module(vec![
        cast_func(0, "f2b", CastKind::ToBool, F64, BOOL),
        cast_func(1, "i2b", CastKind::ToBool, I64, BOOL),
        cast_func(2, "b2i", CastKind::FromBool, BOOL, I64),
        cast_func(3, "b2f", CastKind::FromBool, BOOL, F64),
        cast_func(4, "u8_2b", CastKind::ToBool, C_UCHAR, BOOL),
    ]);
    let j = jit(&m);
    for x in floats() {
        // Python: bool(x) is x != 0.0, and NaN is true.
        assert_eq!(j.call("f2b", &[x.to_bits()]), Ok((x != 0.0) as u64), "{x}");
    }
    for &v in &grid64() {
        assert_eq!(j.call("i2b", &[v as u64]), Ok((v != 0) as u64));
    }
    assert_eq!(j.call("b2i", &[1]), Ok(1));
    assert_eq!(j.call("b2i", &[0]), Ok(0));
    assert_eq!(j.call("b2f", &[1]).map(f64::from_bits), Ok(1.0));
    assert_eq!(j.call("u8_2b", &[0]), Ok(0));
    assert_eq!(j.call("u8_2b", &[200]), Ok(1));
}

#[test]
fn slots_extend_by_signedness_and_widen_f32() {
    let ident = |id: u32, name: &str, ty: Ty| func(id, name, &[("x", ty)], ty, &[], vec![ret(local(0, ty))]);
    let m = module(vec![
        ident(0, "i8", C_SCHAR),
        ident(1, "u8", C_UCHAR),
        ident(2, "i16", C_SHORT),
        ident(3, "i32", C_INT),
        ident(4, "u32", C_UINT),
        ident(5, "f32", F32),
        ident(6, "b", BOOL),
    ]);
    let j = jit(&m);
    // The wrapper reads the low bytes of the slot and extends the result to 64 bits.
    assert_eq!(j.call("i8", &[0xff]), Ok(u64::MAX));
    assert_eq!(j.call("u8", &[0xff]), Ok(0xff));
    assert_eq!(j.call("i16", &[0x8000]), Ok(-32768i64 as u64));
    assert_eq!(j.call("i32", &[0xffff_ffff]), Ok(u64::MAX));
    assert_eq!(j.call("u32", &[0xffff_ffff]), Ok(0xffff_ffff));
    assert_eq!(j.call("f32", &[1.5f64.to_bits()]), Ok(1.5f64.to_bits()));
    assert_eq!(j.call("f32", &[0.1f64.to_bits()]), Ok((0.1f32 as f64).to_bits()));
    assert_eq!(j.call("b", &[1]), Ok(1));
}
