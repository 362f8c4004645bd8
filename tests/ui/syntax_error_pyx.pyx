# A malformed Cython form: a cast with no operand.


cpdef double f(int x):
    cdef double y = <double>  # error: [syntax-error]
    return y
