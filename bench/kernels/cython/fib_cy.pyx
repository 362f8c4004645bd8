# cython: language_level=3
# Same C types as pycc gives the annotated kernel: int -> long (Cython does not check
# overflow on C longs; pycc does, as Python ints would).


cdef long fib_c(long n):
    if n < 2:
        return n
    return fib_c(n - 1) + fib_c(n - 2)


def fib(long n):
    return fib_c(n)
