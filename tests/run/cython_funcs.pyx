# cdef, cpdef and def functions; `for i from` loops; cdef locals; exceptions raised in a
# cdef function reach Python through the cpdef caller. cdef functions are not exported.

cimport cython

# not-exported: twice_plus_one, square, checked_div, cdef_void


cdef int twice_plus_one(int x):
    return x * 2 + 1


cdef inline double square(double x):
    return x * x


cdef int checked_div(int a, int b) except? -1:
    return a // b


cdef void cdef_void(int x):
    pass


# call: sum_helper(int(-5, 200))
cpdef long sum_helper(int n):
    """Sums 2*i + 1 through a cdef function."""
    cdef int i
    cdef long total = 0
    for i from 0 <= i < n:
        total += twice_plus_one(i)
    cdef_void(n)
    return total


# call: hyp2(float(-100, 100), float(-100, 100))
cpdef double hyp2(double a, double b):
    return square(a) + square(b)


# A def function with C-typed parameters and an inferred return type.
# call: def_with_c_args(int(-1000, 1000), float(-10, 10))
def def_with_c_args(int a, double b):
    return a * b


# call: through_cdef(int(-100, 100), int(-5, 5))
cpdef int through_cdef(int a, int b):
    return checked_div(a, b) + 1


# cpdef functions call each other (and themselves).
# call: cpdef_caller(int(0, 20))
cpdef long cpdef_caller(int n):
    if n <= 1:
        return sum_helper(n) + 1
    return cpdef_caller(n - 1) + through_cdef(n, 2)


# call: for_from_by(int(-10, 100), int(1, 7))
cpdef long for_from_by(int n, int s):
    cdef int i
    cdef long total = 0
    for i from 0 <= i < n by s:
        total = total * 3 % 1000003 + i
    return total


# call: for_from_down(int(-10, 100))
cpdef long for_from_down(int n):
    cdef int i
    cdef long total = 0
    for i from n > i >= 0:
        total = total * 3 % 1000003 + i
    for i from n >= i > 0 by 2:
        total = total * 5 % 1000003 + i
    return total


# call: for_from_inclusive(int(-20, 20), int(-20, 20))
cpdef long for_from_inclusive(int a, int b):
    cdef int i
    cdef long total = 0
    for i from a <= i <= b:
        total = total * 7 % 1000003 + i
    for i from a < i < b:
        total = total * 11 % 1000003 + i
    return total


# Nested for-from loops over a C double accumulator.
# call[n=60]: for_from_nested(int(0, 60), int(0, 60))
cpdef double for_from_nested(int n, int m):
    cdef int i, j
    cdef double acc = 0.0
    for i from 0 <= i < n:
        for j from 0 <= j < m:
            acc += (i - j) * 0.125
    return acc


# Python-annotated parameters in a .pyx file.
# call: annotated_def(float(-10, 10), int(-10, 10))
def annotated_def(x: float, n: int) -> float:
    cdef double y = x * 2
    return y + n


# cdef declarations in nested blocks.
# call: cdef_in_branch(int(-10, 10))
cpdef double cdef_in_branch(int n):
    cdef double r = 0.0
    if n > 0:
        r = n * 1.5
    else:
        r = -n * 0.25
    return r
