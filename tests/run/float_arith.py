# Python `float` (C double) arithmetic, including NaN, infinities, signed zeros and the
# Python rules for `/`, `//`, `%` and `**` (ZeroDivisionError with CPython's messages).


# call: fadd(floats_special(), floats_special())
def fadd(a: float, b: float) -> float:
    return a + b


# call: fsub(floats_special(), floats_special())
def fsub(a: float, b: float) -> float:
    return a - b


# call: fmul(floats_special(), floats_special())
def fmul(a: float, b: float) -> float:
    return a * b


# call: fdiv(floats_special(), floats_special())
# call: fdiv(float(-100, 100), float(-3, 3))
def fdiv(a: float, b: float) -> float:
    return a / b


# call: ffloordiv(floats_special(), floats_special())
# call: ffloordiv(float(-100, 100), float(-10, 10))
def ffloordiv(a: float, b: float) -> float:
    return a // b


# call: fmodulo(floats_special(), floats_special())
# call: fmodulo(float(-100, 100), float(-10, 10))
def fmodulo(a: float, b: float) -> float:
    return a % b


# Non-negative bases: a negative base with a fractional exponent is complex in CPython.
# call: fpow(float(0, 10), float(-5, 5))
# call: fpow(float(-10, 10), choice(-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 31.0))
# call: fpow(choice(nan, inf, -inf, 0.0, -0.0, 1.0, -1.0, 2.0), choice(nan, inf, -inf, 0.0, -0.0, 1.0, -1.0, 2.0, 3.0))
def fpow(a: float, b: float) -> float:
    return a ** b


# CPython raises OverflowError when `**` overflows; pycc follows Cython (C `pow`, giving
# inf) and keeps only Python's ZeroDivisionError for `0.0 ** negative`.
# ref: fpow_overflow = lambda a, b: Raises(ZeroDivisionError, "0.0 cannot be raised to a negative power") if a == 0.0 and b < 0.0 else libm.pow(a, b)
# call: fpow_overflow(float(0, 1e10), float(-40, 40))
def fpow_overflow(a: float, b: float) -> float:
    return a ** b


# `x ** 2` with an integer literal exponent (floats that do not overflow).
# call: fsquare(float(-1e150, 1e150))
# call: fsquare(choice(nan, inf, -inf, 0.0, -0.0, 5e-324, -1.5))
def fsquare(x: float) -> float:
    return x ** 2 + x ** 1 - x ** 0


# call: fneg(floats_special())
def fneg(a: float) -> float:
    return -a


# Every comparison operator, NaN included: the result is a bit mask.
# call: fcompare(floats_special(), floats_special())
def fcompare(a: float, b: float) -> int:
    r = 0
    if a < b:
        r += 1
    if a <= b:
        r += 2
    if a == b:
        r += 4
    if a != b:
        r += 8
    if a > b:
        r += 16
    if a >= b:
        r += 32
    return r


# int and float operands together: the int is converted to double.
# call: mixed(int(-10**6, 10**6), float(-100, 100))
# call: mixed(int(-2**53, 2**53), floats_special())
def mixed(a: int, x: float) -> float:
    return a * x + a - x / 2.0


# call: int_true_div_to_float(int(-1000, 1000), int(-10, 10))
def int_true_div_to_float(a: int, b: int) -> float:
    y = 0.5
    y += a / b
    return y * 2.0


# call: faugmented(float(-100, 100), float(-10, 10))
def faugmented(x: float, y: float) -> float:
    x += y
    x *= 1.5
    x -= y
    x /= y
    x //= 0.25
    x %= 7.5
    return x


# Horner evaluation; inferred `double` locals and return type.
# call: horner(float(-3, 3))
def horner(x: float):
    acc = 0.0
    acc = acc * x + 1.5
    acc = acc * x - 2.25
    acc = acc * x + 0.125
    acc = acc * x - 7.0
    return acc


# call: int_literal_in_float(float(-1e6, 1e6))
def int_literal_in_float(x: float) -> float:
    y: float = 3
    return x * 2 + y - 1
