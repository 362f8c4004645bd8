# cython: language_level=3


def sumf(long n):
    cdef double total = 0.0
    cdef long i
    for i in range(n):
        total += i * 0.5
    return total
