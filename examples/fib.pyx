# cython: language_level=3
"""Recursive Fibonacci, in Cython syntax."""


cdef long fib_c(int n):
    if n < 2:
        return n
    return fib_c(n - 1) + fib_c(n - 2)


def fib(int n):
    """The n-th Fibonacci number, computed the slow (recursive) way."""
    return fib_c(n)


cpdef long fib_iter(int n):
    cdef long a = 0, b = 1
    cdef int i
    for i in range(n):
        a, b = b, a + b
    return a
