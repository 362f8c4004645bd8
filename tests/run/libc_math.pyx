# `libc.math`: C semantics, so NaN and infinities come back as values where Python's `math`
# raises. The references call the C math library itself (through ctypes).

from libc.math cimport sqrt, exp, log, log10, sin, cos, tan, fabs, floor, ceil, pow, atan2, fmod, hypot
from libc.math cimport isnan, isinf, INFINITY, NAN, M_PI


# ref: c_math1 = lambda k, x: [libm.sqrt, libm.exp, libm.log, libm.log10, libm.sin, libm.cos, libm.tan, libm.fabs, libm.floor, libm.ceil][k](x)
# call[n=400]: c_math1(int(0, 9), floats_special())
cpdef double c_math1(int k, double x):
    if k == 0:
        return sqrt(x)
    elif k == 1:
        return exp(x)
    elif k == 2:
        return log(x)
    elif k == 3:
        return log10(x)
    elif k == 4:
        return sin(x)
    elif k == 5:
        return cos(x)
    elif k == 6:
        return tan(x)
    elif k == 7:
        return fabs(x)
    elif k == 8:
        return floor(x)
    return ceil(x)


# ref: c_math2 = lambda k, x, y: [libm.pow, libm.atan2, libm.fmod, libm.hypot][k](x, y)
# call[n=400]: c_math2(int(0, 3), floats_special(), floats_special())
cpdef double c_math2(int k, double x, double y):
    if k == 0:
        return pow(x, y)
    elif k == 1:
        return atan2(x, y)
    elif k == 2:
        return fmod(x, y)
    return hypot(x, y)


# ref: c_classify = lambda x: (1 if x != x else 0) + (2 if x in (math.inf, -math.inf) else 0) + (4 if x == math.inf else 0) + 8
# call: c_classify(floats_special())
cpdef int c_classify(double x):
    cdef int r = 0
    if isnan(x):
        r += 1
    if isinf(x):
        r += 2
    if x == INFINITY:
        r += 4
    if isnan(NAN):
        r += 8
    return r


# ref: c_pi = lambda r: math.pi * r * r
# call: c_pi(float(0, 100))
cpdef double c_pi(double r):
    return M_PI * r * r


# Inside the domain, libc.math and Python's math agree: the translated source is the oracle.
# call: safe_log(float(-10, 10))
cpdef double safe_log(double x):
    if x > 0.0:
        return log(x) + sqrt(x)
    return -1.0
