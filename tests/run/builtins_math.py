# Builtins (abs, min, max, int, float, bool) and the `math` module: functions raise
# ValueError / OverflowError exactly where CPython's do; constants.

import math
from math import sqrt, pi, floor


# call: abs_int(int(-10**6, 10**6))
def abs_int(x: int) -> int:
    return abs(x)


# call: abs_float(floats_special())
def abs_float(x: float) -> float:
    return abs(x)


# call: min_int(int64(), int64())
def min_int(a: int, b: int) -> int:
    return min(a, b)


# call: max_int(int64(), int64())
def max_int(a: int, b: int) -> int:
    return max(a, b)


# min/max keep the first argument unless the second compares smaller/larger (NaN, -0.0).
# call: min_float(floats_special(), floats_special())
def min_float(a: float, b: float) -> float:
    return min(a, b)


# call: max_float(floats_special(), floats_special())
def max_float(a: float, b: float) -> float:
    return max(a, b)


# An int and a float: CPython's min returns whichever object wins (an int, maybe), so the
# result is multiplied by 1.0 to compare values of one type.
# call: min_max_mixed(int(-10, 10), float(-10, 10))
def min_max_mixed(a: int, x: float) -> float:
    return max(min(a, x), -2.5) * 1.0


# call: int_of_float(float(-1e15, 1e15))
# call[overflow]: int_of_float(floats_special())
def int_of_float(x: float) -> int:
    return int(x)


# call: float_of_int(int64())
def float_of_int(a: int) -> float:
    return float(a)


# call: bool_of(int(-3, 3), floats_special())
def bool_of(a: int, x: float) -> int:
    r = 0
    if bool(a):
        r += 1
    if bool(x):
        r += 2
    return r


# call: int_float_roundtrip(int(-2**53, 2**53))
def int_float_roundtrip(a: int) -> int:
    return int(float(a))


# One-argument `math` functions: k selects the function.
# call[n=600]: math1(int(0, 23), floats_special())
# call[n=300]: math1(int(0, 23), float(-1.5, 1.5))
def math1(k: int, x: float) -> float:
    if k == 0:
        return math.sqrt(x)
    elif k == 1:
        return math.exp(x)
    elif k == 2:
        return math.log(x)
    elif k == 3:
        return math.log2(x)
    elif k == 4:
        return math.log10(x)
    elif k == 5:
        return math.log1p(x)
    elif k == 6:
        return math.expm1(x)
    elif k == 7:
        return math.sin(x)
    elif k == 8:
        return math.cos(x)
    elif k == 9:
        return math.tan(x)
    elif k == 10:
        return math.asin(x)
    elif k == 11:
        return math.acos(x)
    elif k == 12:
        return math.atan(x)
    elif k == 13:
        return math.sinh(x)
    elif k == 14:
        return math.cosh(x)
    elif k == 15:
        return math.tanh(x)
    elif k == 16:
        return math.asinh(x)
    elif k == 17:
        return math.acosh(x)
    elif k == 18:
        return math.atanh(x)
    elif k == 19:
        return math.fabs(x)
    elif k == 20:
        return sqrt(x)
    elif k == 21:
        return math.exp(x) * pi
    elif k == 22:
        return float(math.isnan(x))
    return -1.0


# Two-argument `math` functions.
# call[n=500]: math2(int(0, 4), floats_special(), floats_special())
# call[n=300]: math2(int(0, 4), float(-4, 4), float(-4, 4))
def math2(k: int, x: float, y: float) -> float:
    if k == 0:
        return math.pow(x, y)
    elif k == 1:
        return math.atan2(x, y)
    elif k == 2:
        return math.fmod(x, y)
    elif k == 3:
        return math.copysign(x, y)
    return math.pow(x, 2.0) + math.pow(y, 0.5)


# CPython computes math.hypot itself (correctly rounded in most cases), not with libm's
# hypot, which can differ in the last bit.
# call[n=500]: hypot2(floats_special(), floats_special())
# call[n=300, xfail=pycc calls libm hypot; CPython's own algorithm differs in the last bit]: hypot2(float(-4, 4), float(-4, 4))
def hypot2(x: float, y: float) -> float:
    return math.hypot(x, y)


# math.floor / ceil / trunc return int, raising like int() does.
# call[n=400, overflow]: floor_ceil_trunc(int(0, 3), floats_special())
# call[n=300]: floor_ceil_trunc(int(0, 3), float(-1e6, 1e6))
def floor_ceil_trunc(k: int, x: float) -> int:
    if k == 0:
        return math.floor(x)
    elif k == 1:
        return math.ceil(x)
    elif k == 2:
        return math.trunc(x)
    return floor(x)


# call: classify_float(floats_special())
def classify_float(x: float) -> int:
    r = 0
    if math.isnan(x):
        r += 1
    if math.isinf(x):
        r += 2
    if math.isfinite(x):
        r += 4
    return r


# call: constants()
def constants() -> float:
    return math.pi * 1000.0 + math.e * 100.0 + math.tau - pi


# call: special_constants(floats_special())
def special_constants(x: float) -> int:
    r = 0
    if x == math.inf:
        r += 1
    if x == -math.inf:
        r += 2
    if math.isnan(math.nan + x):
        r += 4
    return r


# sqrt(x*x + y*y) with a float accumulator: the usual numeric code.
# call: norm3(float(-1e3, 1e3), float(-1e3, 1e3), float(-1e3, 1e3))
def norm3(x: float, y: float, z: float) -> float:
    return math.sqrt(x * x + y * y + z * z)
