"""Every memoryview element type in pure-Python mode, on NumPy arrays: reads (negative
indices wrap around), stores, `+=`, and C wrapping of element arithmetic stored back.

The `rw_*` cases keep values small enough that no element overflows (NumPy raises or warns
where C wraps); the checksum runs in `cython.longlong` (C wrapping, `wrap=i64` reduces the
oracle's Python int). The `mulw_*` cases store a product that overflows the element type:
NumPy scalars wrap as C does (with a RuntimeWarning), so the oracle needs no reference.
Results go through `int()`/`float()` so CPython returns Python numbers."""

from __future__ import annotations

import cython

# call[wrap=i64]: rw_i8(array("i1", 7, -60, 60), int(-7, 6), int(0, 6), int(-60, 60))
# call[wrap=i64]: rw_i8(array("i1", 7, -60, 60, step=-2), int(-7, 6), int(0, 6), int(-60, 60))
def rw_i8(a: cython.schar[:], i: int, j: int, v: int) -> int:
    x: cython.longlong = cython.cast(cython.longlong, a[i])
    a[j] = v
    a[-1 - j] += v
    s: cython.longlong = x
    for k in range(a.shape[0]):
        s = s * 31 + cython.cast(cython.longlong, a[k])
    return s

# call[wrap=i64]: rw_i16(array("i2", 7, -16000, 16000), int(-7, 6), int(0, 6), int(-16000, 16000))
# call[wrap=i64]: rw_i16(array("i2", 7, -16000, 16000, step=-2), int(-7, 6), int(0, 6), int(-16000, 16000))
def rw_i16(a: cython.short[:], i: int, j: int, v: int) -> int:
    x: cython.longlong = cython.cast(cython.longlong, a[i])
    a[j] = v
    a[-1 - j] += v
    s: cython.longlong = x
    for k in range(a.shape[0]):
        s = s * 31 + cython.cast(cython.longlong, a[k])
    return s

# call[wrap=i64]: rw_i32(array("i4", 7, -1073741823, 1073741823), int(-7, 6), int(0, 6), int(-1073741823, 1073741823))
# call[wrap=i64]: rw_i32(array("i4", 7, -1073741823, 1073741823, step=-2), int(-7, 6), int(0, 6), int(-1073741823, 1073741823))
def rw_i32(a: cython.int[:], i: int, j: int, v: int) -> int:
    x: cython.longlong = cython.cast(cython.longlong, a[i])
    a[j] = v
    a[-1 - j] += v
    s: cython.longlong = x
    for k in range(a.shape[0]):
        s = s * 31 + cython.cast(cython.longlong, a[k])
    return s

# call[wrap=i64]: rw_i64(array("i8", 7, -4611686018427387903, 4611686018427387903), int(-7, 6), int(0, 6), int(-4611686018427387903, 4611686018427387903))
# call[wrap=i64]: rw_i64(array("i8", 7, -4611686018427387903, 4611686018427387903, step=-2), int(-7, 6), int(0, 6), int(-4611686018427387903, 4611686018427387903))
def rw_i64(a: cython.longlong[:], i: int, j: int, v: int) -> int:
    x: cython.longlong = cython.cast(cython.longlong, a[i])
    a[j] = v
    a[-1 - j] += v
    s: cython.longlong = x
    for k in range(a.shape[0]):
        s = s * 31 + cython.cast(cython.longlong, a[k])
    return s

# call[wrap=i64]: rw_u8(array("u1", 7, 0, 120), int(-7, 6), int(0, 6), int(0, 120))
# call[wrap=i64]: rw_u8(array("u1", 7, 0, 120, step=-2), int(-7, 6), int(0, 6), int(0, 120))
def rw_u8(a: cython.uchar[:], i: int, j: int, v: int) -> int:
    x: cython.longlong = cython.cast(cython.longlong, a[i])
    a[j] = v
    a[-1 - j] += v
    s: cython.longlong = x
    for k in range(a.shape[0]):
        s = s * 31 + cython.cast(cython.longlong, a[k])
    return s

# call[wrap=i64]: rw_u16(array("u2", 7, 0, 30000), int(-7, 6), int(0, 6), int(0, 30000))
# call[wrap=i64]: rw_u16(array("u2", 7, 0, 30000, step=-2), int(-7, 6), int(0, 6), int(0, 30000))
def rw_u16(a: cython.ushort[:], i: int, j: int, v: int) -> int:
    x: cython.longlong = cython.cast(cython.longlong, a[i])
    a[j] = v
    a[-1 - j] += v
    s: cython.longlong = x
    for k in range(a.shape[0]):
        s = s * 31 + cython.cast(cython.longlong, a[k])
    return s

# call[wrap=i64]: rw_u32(array("u4", 7, 0, 2147483647), int(-7, 6), int(0, 6), int(0, 2147483647))
# call[wrap=i64]: rw_u32(array("u4", 7, 0, 2147483647, step=-2), int(-7, 6), int(0, 6), int(0, 2147483647))
def rw_u32(a: cython.uint[:], i: int, j: int, v: int) -> int:
    x: cython.longlong = cython.cast(cython.longlong, a[i])
    a[j] = v
    a[-1 - j] += v
    s: cython.longlong = x
    for k in range(a.shape[0]):
        s = s * 31 + cython.cast(cython.longlong, a[k])
    return s

# call[wrap=i64]: rw_u64(array("u8", 7, 0, 4611686018427387903), int(-7, 6), int(0, 6), int(0, 4611686018427387903))
# call[wrap=i64]: rw_u64(array("u8", 7, 0, 4611686018427387903, step=-2), int(-7, 6), int(0, 6), int(0, 4611686018427387903))
def rw_u64(a: cython.ulonglong[:], i: int, j: int, v: int) -> int:
    x: cython.longlong = cython.cast(cython.longlong, a[i])
    a[j] = v
    a[-1 - j] += v
    s: cython.longlong = x
    for k in range(a.shape[0]):
        s = s * 31 + cython.cast(cython.longlong, a[k])
    return s

# call: mulw_i8(array("i1", 5, -128, 127), int(-5, 4), int(0, 4))
def mulw_i8(a: cython.schar[:], i: int, j: int) -> cython.schar:
    a[i] *= a[j]
    a[j] += a[i]
    return cython.cast(cython.schar, a[j])

# call: mulw_u8(array("u1", 5, 0, 255), int(-5, 4), int(0, 4))
def mulw_u8(a: cython.uchar[:], i: int, j: int) -> cython.uchar:
    a[i] *= a[j]
    a[j] += a[i]
    return cython.cast(cython.uchar, a[j])

# call: mulw_i16(array("i2", 5, -32768, 32767), int(-5, 4), int(0, 4))
def mulw_i16(a: cython.short[:], i: int, j: int) -> cython.short:
    a[i] *= a[j]
    a[j] += a[i]
    return cython.cast(cython.short, a[j])

# call: mulw_u16(array("u2", 5, 0, 65535), int(-5, 4), int(0, 4))
def mulw_u16(a: cython.ushort[:], i: int, j: int) -> cython.ushort:
    a[i] *= a[j]
    a[j] += a[i]
    return cython.cast(cython.ushort, a[j])

# call: mulw_i32(array("i4", 5, -2147483648, 2147483647), int(-5, 4), int(0, 4))
def mulw_i32(a: cython.int[:], i: int, j: int) -> cython.int:
    a[i] *= a[j]
    a[j] += a[i]
    return cython.cast(cython.int, a[j])

# call: mulw_u32(array("u4", 5, 0, 4294967295), int(-5, 4), int(0, 4))
def mulw_u32(a: cython.uint[:], i: int, j: int) -> cython.uint:
    a[i] *= a[j]
    a[j] += a[i]
    return cython.cast(cython.uint, a[j])

# call: mulw_i64(array("i8", 5, -9223372036854775808, 9223372036854775807), int(-5, 4), int(0, 4))
def mulw_i64(a: cython.longlong[:], i: int, j: int) -> cython.longlong:
    a[i] *= a[j]
    a[j] += a[i]
    return cython.cast(cython.longlong, a[j])

# call: mulw_u64(array("u8", 5, 0, 18446744073709551615), int(-5, 4), int(0, 4))
def mulw_u64(a: cython.ulonglong[:], i: int, j: int) -> cython.ulonglong:
    a[i] *= a[j]
    a[j] += a[i]
    return cython.cast(cython.ulonglong, a[j])

# call: rw_f32(array("f4", 7, -1e3, 1e3), int(-7, 6), int(0, 6), f32(-1e3, 1e3))
# call: rw_f32(array("f4", 7, -1e3, 1e3, step=-3), int(-7, 6), int(0, 6), f32(-1e3, 1e3))
def rw_f32(a: cython.float[:], i: int, j: int, v: float) -> float:
    x: float = float(a[i])
    a[j] = v
    a[-1 - j] += v
    a[j] *= a[i]
    s: float = x
    for k in range(a.shape[0]):
        s = s * 0.5 + float(a[k])
    return s

# call: rw_f64(array("f8", 7, -1e3, 1e3), int(-7, 6), int(0, 6), float(-1e3, 1e3))
# call: rw_f64(array("f8", 7, -1e3, 1e3, step=-3), int(-7, 6), int(0, 6), float(-1e3, 1e3))
def rw_f64(a: cython.double[:], i: int, j: int, v: float) -> float:
    x: float = float(a[i])
    a[j] = v
    a[-1 - j] += v
    a[j] *= a[i]
    s: float = x
    for k in range(a.shape[0]):
        s = s * 0.5 + float(a[k])
    return s
