# Bugs found by the random program generator (tests/python/progen.py), reduced by hand.
# Cython (the reference for C types) compiles each of these; expected values are Cython's.


# The type of a shift is its promoted left operand (C, Cython): `unsigned int << unsigned
# long` is an `unsigned int` (7 << 30 wraps to 3221225472), `int >> unsigned long` is an
# arithmetic shift of an `int`. pycc converted both operands to their common type first, so
# the shift happened in 64 bits (7516192768), unsigned (-8 >> 1 = 2**63 - 4), or unwrapped
# (3 << 31 = 6442450944 instead of -2147483648).
# ref: shl_uint_by_ulong = lambda a, n: wrap(a << n, "u32")
# call: shl_uint_by_ulong(int(0, 2**32 - 1), int(0, 31))
cpdef unsigned long long shl_uint_by_ulong(unsigned int a, unsigned long n):
    return a << n


# ref: shr_int_by_ulong = lambda a, n: a >> n
# call: shr_int_by_ulong(int(-2**31, 2**31 - 1), int(0, 31))
cpdef long long shr_int_by_ulong(int a, unsigned long n):
    return a >> n


# ref: shl_int_by_long = lambda a, n: wrap(a << n, "i32")
# call: shl_int_by_long(int(-2**31, 2**31 - 1), int(0, 31))
cpdef long long shl_int_by_long(int a, long n):
    return a << n

