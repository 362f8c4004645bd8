# Cython's pure-Python mode: `cython.int` annotations, `@cython.cfunc` / `@cython.ccall`,
# `cython.cast`, and directives as decorators. CPython runs it with a stand-in `cython`
# module whose types are Python's, so wrapping results are compared with `wrap=`.

import cython

# not-exported: helper_cfunc


@cython.cfunc
def helper_cfunc(x: cython.int) -> cython.int:
    return x * 3


# call: use_cfunc(int(-1000, 1000))
@cython.ccall
def use_cfunc(n: cython.int) -> cython.long:
    return helper_cfunc(n) + 1


# call[wrap=i32]: pure_int_wrap(int(-2**31, 2**31 - 1), int(-2**31, 2**31 - 1))
def pure_int_wrap(a: cython.int, b: cython.int) -> cython.int:
    r: cython.int = a * b
    return r


# call[wrap=u32]: pure_uint(int(0, 100), int(0, 100))
def pure_uint(a: cython.uint, b: cython.uint) -> cython.uint:
    return a - b


# call: pure_cast(float(-1e6, 1e6))
def pure_cast(x: cython.double) -> cython.int:
    return cython.cast(cython.int, x)


# call: pure_double(int(-1000, 1000), int(1, 100))
def pure_double(a: cython.long, b: cython.long) -> cython.double:
    return cython.cast(cython.double, a) / b


# call: pure_locals(int(-5, 100))
def pure_locals(n: cython.int) -> cython.double:
    i: cython.int
    acc: cython.double = 0.0
    for i in range(n):
        acc += i * 0.25
    return acc


# ref: pure_cdiv = lambda a, b: c_trunc_div(a, b) * 100 + c_rem(a, b)
# call: pure_cdiv(int(-1000, 1000), choice(-7, -3, 2, 5))
@cython.cdivision(True)
def pure_cdiv(a: cython.int, b: cython.int) -> cython.int:
    return a // b * 100 + a % b


# call: pure_pydiv(int(-1000, 1000), int(-9, 9))
def pure_pydiv(a: cython.int, b: cython.int) -> cython.int:
    return a // b * 100 + a % b


# call: pure_bint(int(-5, 5), bool())
def pure_bint(a: cython.int, p: cython.bint) -> cython.bint:
    return a > 0 and not p


# call[wrap=i8]: pure_char(int(-128, 127))
def pure_char(c: cython.char) -> cython.char:
    d: cython.char = c * 3
    return d
