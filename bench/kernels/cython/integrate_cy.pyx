# cython: cdivision=True, language_level=3
"""Numerical integration with the trapezoid rule, in Cython syntax with libc.math."""
from libc.math cimport sin, exp, sqrt


cdef inline double f(double x) nogil:
    return sin(x) * exp(-x * 0.1) + sqrt(x)


def trapezoid(double a, double b, int n):
    """Integral of f over [a, b] with n trapezoids."""
    cdef double h = (b - a) / n
    cdef double total = 0.5 * (f(a) + f(b))
    cdef int i
    for i from 1 <= i < n:
        total += f(a + i * h)
    return total * h
