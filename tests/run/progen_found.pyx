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


# The type of a shift is its promoted left operand (C, Cython): `unsigned int << unsigned
# long` is an `unsigned int` (7 << 30 wraps to 3221225472), `int >> unsigned long` is an
# arithmetic shift of an `int`. pycc converts both operands to their common type first, so
# the shift happens in 64 bits (7516192768), unsigned (-8 >> 1 = 2**63 - 4), or unwrapped
# (3 << 31 = 6442450944 instead of -2147483648).
# ref: shl_uint_by_ulong = lambda a, n: wrap(a << n, "u32")
# call[xfail=pycc types a shift by the common type of both operands instead of the promoted left operand]: shl_uint_by_ulong(int(0, 2**32 - 1), int(0, 31))
cpdef unsigned long long shl_uint_by_ulong(unsigned int a, unsigned long n):
    return a << n


# ref: shr_int_by_ulong = lambda a, n: a >> n
# call[xfail=pycc types a shift by the common type of both operands instead of the promoted left operand]: shr_int_by_ulong(int(-2**31, 2**31 - 1), int(0, 31))
cpdef long long shr_int_by_ulong(int a, unsigned long n):
    return a >> n


# ref: shl_int_by_long = lambda a, n: wrap(a << n, "i32")
# call[xfail=pycc types a shift by the common type of both operands instead of the promoted left operand]: shl_int_by_long(int(-2**31, 2**31 - 1), int(0, 31))
cpdef long long shl_int_by_long(int a, long n):
    return a << n
