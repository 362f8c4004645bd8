# C's integer promotions and the usual arithmetic conversions with literals (issue 7): unary
# `-`, `+` and `~` on types narrower than `int` compute in `int`; an integer literal that
# does not fit the other operand's type is a C `long`, so an `unsigned long` meeting a
# negative literal or a folded constant stays unsigned, as in C and Cython.


# ref: neg_uchar = lambda a: -wrap(a, "u8")
# call: neg_uchar(int(0, 255))
cpdef int neg_uchar(unsigned char a):
    return -a


# ref: invert_uchar = lambda a: ~wrap(a, "u8")
# call: invert_uchar(int(0, 255))
cpdef int invert_uchar(unsigned char a):
    return ~a


# ref: neg_schar = lambda a: -a
# call: neg_schar(int(-128, 127))
cpdef int neg_schar(signed char a):
    return -a


# ref: neg_ushort = lambda a: -a * 2 + (~a)
# call: neg_ushort(int(0, 65535))
cpdef long neg_ushort(unsigned short a):
    return -a * 2 + (~a)


# ref: cast_neg = lambda a: -1 + a
# call: cast_neg(int(-5, 5))
cpdef int cast_neg(int a):
    return -<unsigned char>1 + a


# ref: ulong_eq_neg = lambda v: v == 2**64 - 1
# call: ulong_eq_neg(choice(0, 1, 2**63, 2**63 + 5, 2**64 - 2, 2**64 - 1))
cpdef bint ulong_eq_neg(unsigned long v):
    return v == -1


# ref: ulong_and_neg = lambda v: v & (2**64 - 1)
# call: ulong_and_neg(choice(0, 1, 2**63, 2**63 + 5, 2**64 - 1))
cpdef unsigned long ulong_and_neg(unsigned long v):
    return v & -1


# ref: ulong_minus_const = lambda v: wrap(v - 6, "u64")
# call: ulong_minus_const(choice(0, 5, 6, 7, 2**63, 2**63 + 5, 2**64 - 1))
cpdef unsigned long ulong_minus_const(unsigned long v):
    return v - (2 * 3)


# ref: uint_lt_neg = lambda v: v < -1
# call: uint_lt_neg(choice(0, 1, 2**31, 2**32 - 1))
cpdef bint uint_lt_neg(unsigned int v):
    return v < -1
