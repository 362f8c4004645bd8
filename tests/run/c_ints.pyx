# C integer types of each width and signedness. CPython has no C integers, so inputs stay in
# each type's range, and results that wrap are compared modulo 2**bits (`wrap=`), which is
# exact for + - * and conversions. Without `cdivision`, `//` and `%` follow Python.


# Integer promotion: `signed char + signed char` is computed in `int`, so it does not wrap.
# call: schar_sum(int(-128, 127), int(-128, 127))
cpdef int schar_sum(signed char a, signed char b):
    return a + b


# call[wrap=i8]: schar_wrap(int(-128, 127), int(-128, 127))
cpdef signed char schar_wrap(signed char a, signed char b):
    cdef signed char r = a + b
    return r


# call[wrap=u8]: uchar_wrap(int(0, 255), int(0, 255))
cpdef unsigned char uchar_wrap(unsigned char a, unsigned char b):
    cdef unsigned char r = a * b + a - b
    return r


# `char` is signed on x86-64 Linux.
# call[wrap=i8]: char_inc(int(-128, 127))
cpdef char char_inc(char c):
    c += 1
    return c


# call[wrap=i16]: short_ops(int(-32768, 32767), int(-32768, 32767))
cpdef short short_ops(short a, short b):
    cdef short r = a * b - a
    return r


# call[wrap=u16]: ushort_ops(int(0, 65535), int(0, 65535))
cpdef unsigned short ushort_ops(unsigned short a, unsigned short b):
    cdef unsigned short r = a - b
    r = r * 3 + b
    return r


# call[wrap=i32]: int_wrap(int(-2**31, 2**31 - 1), int(-2**31, 2**31 - 1))
cpdef int int_wrap(int a, int b):
    cdef int r = a * b + a
    return r


# call[wrap=u32]: uint_wrap(int(0, 2**32 - 1), int(0, 2**32 - 1))
cpdef unsigned int uint_wrap(unsigned int a, unsigned int b):
    return a * b - b


# call[wrap=i64]: long_wrap(int64(), int64())
cpdef long long_wrap(long a, long b):
    return a * b + a - b


# call[wrap=u64]: ulong_wrap(int(0, 2**64 - 1), int(0, 2**64 - 1))
cpdef unsigned long ulong_wrap(unsigned long a, unsigned long b):
    return a * b - a


# call[wrap=i64]: longlong_wrap(int64(), int64())
cpdef long long longlong_wrap(long long a, long long b):
    return a - b * 3


# call[wrap=u64]: ulonglong_wrap(int(0, 2**64 - 1), int(0, 2**64 - 1))
cpdef unsigned long long ulonglong_wrap(unsigned long long a, unsigned long long b):
    return b - a * 5


# call[wrap=i64]: ssize_wrap(int64(), int64())
cpdef Py_ssize_t ssize_wrap(Py_ssize_t a, Py_ssize_t b):
    return a + b


# call[wrap=u64]: size_wrap(int(0, 2**64 - 1), int(0, 2**64 - 1))
cpdef size_t size_wrap(size_t a, size_t b):
    return a - b


# Unsigned values above 2**63 cross the boundary as positive Python ints.
# call: ulong_big(int(2**63, 2**64 - 1))
cpdef unsigned long long ulong_big(unsigned long long a):
    return a


# Mixed widths promote to the wider type: no wrap.
# call: mixed_widths(int(-32768, 32767), int(0, 255), int(-2**40, 2**40))
cpdef long long mixed_widths(short s, unsigned char c, long long i):
    return s * c + i


# Python semantics for `//` and `%` on C integers (floor, ZeroDivisionError).
# call: int_floordiv(int(-1000, 1000), int(-50, 50))
# call: int_floordiv(int(-2**31 + 1, 2**31 - 1), int(-2**31, 2**31 - 1))
cpdef int int_floordiv(int a, int b):
    return a // b


# call: int_mod(int(-1000, 1000), int(-50, 50))
# call: int_mod(int(-2**31, 2**31 - 1), int(-2**31, 2**31 - 1))
cpdef int int_mod(int a, int b):
    return a % b


# call[wrap=u32]: uint_divmod(int(0, 2**32 - 1), int(0, 1000))
cpdef unsigned int uint_divmod(unsigned int a, unsigned int b):
    return a // b + a % b


# (LONG_MIN // -1 is left out: CPython's answer does not fit, and C has none.)
# call: long_floordiv_mod(int(-2**63 + 1, 2**63 - 1), int(-1000, 1000))
cpdef long long_floordiv_mod(long a, long b):
    return (a // b) % 1000 + a % b


# `/` on C integers is true division (language_level=3).
# call: int_truediv(int(-1000, 1000), int(-1000, 1000))
cpdef double int_truediv(int a, int b):
    return a / b


# C compares `int` with `unsigned int` as unsigned (the usual arithmetic conversions).
# ref: mixed_sign_lt = lambda a, b: wrap(a, "u32") < b
# call: mixed_sign_lt(int(-100, 100), int(0, 100))
cpdef bint mixed_sign_lt(int a, unsigned int b):
    return a < b


# Bitwise operators and shifts on C integers.
# call[wrap=u32]: uint_bits(int(0, 2**32 - 1), int(0, 2**32 - 1), int(0, 31))
cpdef unsigned int uint_bits(unsigned int a, unsigned int b, int n):
    return ((a & b) | (a ^ b)) + (a << n) + (b >> n)


# call: int_shr(int(-2**31, 2**31 - 1), int(0, 31))
cpdef int int_shr(int a, int n):
    return a >> n


# call[wrap=i32]: int_invert(int(-2**31, 2**31 - 1))
cpdef int int_invert(int a):
    return ~a


# Casts: `<int>` of a double truncates toward zero.
# call: cast_trunc(float(-2e9, 2e9))
cpdef int cast_trunc(double x):
    return <int>x


# pycc's documented float -> C integer cast: truncate, saturate at the bounds, NaN -> 0.
# ref: cast_saturate = lambda x: c_saturate(x, "i32")
# call: cast_saturate(floats_special())
cpdef int cast_saturate(double x):
    return <int>x


# call[wrap=i32]: cast_narrow(int64())
cpdef int cast_narrow(long long a):
    return <int>a


# call[wrap=u8]: cast_uchar(int(-1000, 1000))
cpdef int cast_uchar(int a):
    return <unsigned char>a


# call: cast_double(int(-2**53, 2**53), int(1, 1000))
cpdef double cast_double(long long a, long long b):
    return <double>a / b


# cdef locals: several on one line, with and without initial values.
# call: cdef_locals(int(-100, 100))
cpdef double cdef_locals(int n):
    cdef int i, total = 0
    cdef double acc = 0.5
    cdef long long big = n
    for i in range(n):
        total += i
        acc += i * 0.5
    return total + acc + big


# Arguments out of a C type's range raise OverflowError.
# ref: ident_int = lambda a: a if -2**31 <= a < 2**31 else Raises(OverflowError)
# call: ident_int(int64())
cpdef int ident_int(int a):
    return a


# ref: ident_uchar = lambda a: a if 0 <= a < 256 else Raises(OverflowError)
# call: ident_uchar(int(-300, 300))
cpdef unsigned char ident_uchar(unsigned char a):
    return a


# ref: ident_ulong = lambda a: a if 0 <= a < 2**64 else Raises(OverflowError)
# call: ident_ulong(int(-2**65, 2**65))
cpdef unsigned long ident_ulong(unsigned long a):
    return a


# call: bint_ops(int(-3, 3), bool())
cpdef bint bint_ops(int a, bint p):
    cdef bint q = a > 0
    return (p and q) or (not p and a == 0)
