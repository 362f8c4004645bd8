# cython: cdivision=True
# With the cdivision directive, `//` and `%` on C integers truncate toward zero as in C (no
# zero check: zero divisors are left out, as is INT_MIN // -1), `%` on doubles is C's fmod
# and `/` on doubles gives C's infinities. Python `int` values keep Python's rules, and a
# function can turn the directive off with a decorator.

cimport cython


# ref: c_div = lambda a, b: c_trunc_div(a, b)
# call: c_div(int(-1000, 1000), int(1, 50))
# call: c_div(int(-1000, 1000), int(-50, -1))
# call: c_div(int(-2**31 + 1, 2**31 - 1), choice(-2**31, -3, 3, 2**31 - 1))
cpdef int c_div(int a, int b):
    return a // b


# ref: c_mod = lambda a, b: c_rem(a, b)
# call: c_mod(int(-1000, 1000), int(1, 50))
# call: c_mod(int(-1000, 1000), int(-50, -1))
cpdef int c_mod(int a, int b):
    return a % b


# ref: c_long_divmod = lambda a, b: c_trunc_div(a, b) * 1000 + c_rem(a, b)
# call: c_long_divmod(int(-10**12, 10**12), choice(-7, -3, 3, 7, 1000))
cpdef long c_long_divmod(long a, long b):
    return (a // b) * 1000 + a % b


# ref: c_fmod = lambda a, b: libm.fmod(a, b)
# call: c_fmod(float(-100, 100), choice(-7.5, -2.0, 0.3, 3.0, 1e-3))
# call: c_fmod(floats_special(), floats_special())
cpdef double c_fmod(double a, double b):
    return a % b


# ref: c_fdiv = lambda a, b: ieee_div(a, b)
# call: c_fdiv(floats_special(), floats_special())
cpdef double c_fdiv(double a, double b):
    return a / b


# A decorator turns the directive off for one function: Python semantics again.
# call: py_div(int(-1000, 1000), int(-50, 50))
@cython.cdivision(False)
cpdef int py_div(int a, int b):
    return a // b + a % b


# Python `int` annotations are Python integers: the directive does not apply to them.
# call: py_int_div(int(-1000, 1000), int(-50, 50))
def py_int_div(a: int, b: int) -> int:
    return a // b * 1000 + a % b


# Issue 7: a divisor that is a constant expression is a C constant too: C division. An
# expression made only of literals is folded with Python's operators, as Cython folds it
# (`(-1) // (3 + 4)` is -1, `(-8) % (3 + 4)` is 6; checked against Cython 3.3).
# ref: c_const_divisor = lambda a: c_trunc_div(a, 7) * 1000 + c_rem(a, 7) + (-1) // 7 + (-8) % 7
# call: c_const_divisor(int(-1000, 1000))
cpdef long c_const_divisor(long a):
    return (a // (3 + 4)) * 1000 + a % (3 + 4) + (-1) // (3 + 4) + (-8) % (3 + 4)


# An integer literal is a C constant, so `(-10) / x` has no zero
# check (Cython: -inf for 0.0); pycc checked it as a Python int operand.
# ref: cdiv_literal_dividend = lambda x: -10 / x if x else -math.inf
# call: cdiv_literal_dividend(choice(0.0, 2.5, -4.0, 1e-300))
cpdef double cdiv_literal_dividend(double x):
    return (-10) / x


# `/` on C integers (a literal is a C constant) is C's integer division under cdivision, as
# in Cython, whose true division is off with the directive: `a / 7` truncates, `7 / 2` is 3,
# `(-7) / 2` is -3 (checked against Cython 3.3).
# ref: c_int_truediv = lambda a, b: float(c_trunc_div(a, b)) + float(c_trunc_div(a, 7)) * 1000 + 3.0 - 3.0 * 10
# call: c_int_truediv(int(-1000, 1000), choice(-7, -3, 2, 5, 1000))
cpdef double c_int_truediv(long a, long b):
    return a / b + (a / 7) * 1000 + 7 / 2 + ((-7) / 2) * 10


# A double operand keeps true division.
# ref: c_mixed_truediv = lambda a: a / 7.0 + a / 2.0
# call: c_mixed_truediv(int(-1000, 1000))
cpdef double c_mixed_truediv(long a):
    return a / 7.0 + <double>a / 2
