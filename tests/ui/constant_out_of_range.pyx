# A constant expression is folded (C's constant expressions, as in Cython), and a folded
# constant that does not fit the C type it meets is an error, as a bare literal is: Cython
# wraps it with a C compiler warning (1001 -> 233 as unsigned char). The help says how to
# get the wrap. Found by the random program generator (tests/python/progen.py).


cpdef long const_expr_wraps(int a):
    cdef unsigned char v = 1000 + 1  # error: [invalid-assignment]
    return v + a


cpdef long const_invert_wraps(int a):
    cdef unsigned char v = (~(-1000))  # error: [invalid-assignment]
    return v + a


cpdef long cast_wraps(int a):
    cdef unsigned char v = <unsigned char>(1000 + 1)
    return v + a
