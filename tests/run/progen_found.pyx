# Bugs found by the random program generator (tests/python/progen.py), reduced by hand.
# Cython (the reference for C types) compiles each of these; expected values are Cython's.


# A constant expression that does not fit the C type it is assigned to wraps, as any C
# conversion does (Cython, gcc: 1001 -> 233 as unsigned char). pycc folds it and then
# raises OverflowError at run time ("can't convert negative or too large value to
# unsigned char"); a bare literal that does not fit is a compile-time error instead.
# ref: const_expr_wraps = lambda a: wrap(1001, "u8") + a
# call[xfail=pycc raises OverflowError converting a folded constant to a narrower C type]: const_expr_wraps(int(-100, 100))
cpdef long const_expr_wraps(int a):
    cdef unsigned char v = 1000 + 1
    return v + a


# ref: const_invert_wraps = lambda a: wrap(~(-1000), "u8") + a
# call[xfail=pycc raises OverflowError converting a folded constant to a narrower C type]: const_invert_wraps(int(-100, 100))
cpdef long const_invert_wraps(int a):
    cdef unsigned char v = (~(-1000))
    return v + a
