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



# Cython has a C `abs` only for `int`, `long`, `long long`, their unsigned kinds and floats
# (exact signatures): `abs` of a `bint`, `char` or `short` (signed or not) boxes its argument
# and gives a Python `int`. `abs(<signed char>-128)` is 128 and `abs(<short>-32768) * 1000`
# does not wrap; `abs(u) - 1` of an `unsigned char` 0 is -1, which does not fit when stored
# back (OverflowError). pycc kept the argument's C type (-128, -32768000, 255).
# ref: abs_schar = lambda a: abs(a) + 0
# call: abs_schar(int(-128, 127))
cpdef long abs_schar(signed char a):
    return abs(a) + 0


# ref: abs_short_times = lambda a: abs(a) * 1000
# call: abs_short_times(int(-32768, 32767))
cpdef long abs_short_times(short a):
    return abs(a) * 1000


# ref: abs_uchar_store = lambda a: a - 1 if a >= 1 else Raises(OverflowError)
# call: abs_uchar_store(int(0, 255))
cpdef long abs_uchar_store(unsigned char a):
    cdef unsigned char b = 0
    b = abs(a) - 1
    return b


# An integer literal of 32 bits is a C `long` in Cython, so `2 if c else 65535` is a C
# `long` and `~` of it wraps when stored in an `unsigned short`. pycc typed a choice between
# two literals as a Python `int` (OverflowError on the store).
# ref: invert_literal_choice = lambda c: wrap(~(2 if c else 65535), "u16")
# call: invert_literal_choice(bool())
cpdef long invert_literal_choice(bint c):
    cdef unsigned short v = 0
    v = ~(2 if c else 65535)
    return v


# Cython's `//` of C floats is C's `floor(a / b)`: `1.0 // 0.001` is 1000.0 (Python: 999.0,
# from the exact remainder) and `-1.0 // inf` is -0.0 (Python: -1.0). pycc used Python's.
# ref: float_floordiv = lambda a, b: libm.floor(a / b) if b != 0 else Raises(ZeroDivisionError)
# call: float_floordiv(float(-10, 10), choice(0.001, 0.1, -0.3, 3.0, 0.0, inf, -inf))
cpdef double float_floordiv(double a, double b):
    return a // b


# Cython's `%` of C floats (`__Pyx_mod_double`) is `fmod` plus the divisor where a nonzero
# remainder's sign differs from the divisor's: a zero remainder keeps the dividend's sign
# (`0.0 % -2.0` is 0.0; Python: -0.0) and `5.0 % inf` is NaN (`0 * inf`; Python: 5.0).
# pycc used Python's rule.
# ref: float_mod = lambda a, b: Raises(ZeroDivisionError) if b == 0 else (lambda r: r + (1.0 if r != 0 and (r < 0) != (b < 0) else 0.0) * b)(libm.fmod(a, b))
# call: float_mod(float(-10, 10), choice(2.0, -2.0, 0.3, -0.7, 0.0, inf, -inf))
cpdef double float_mod(double a, double b):
    return a % b


# Where a literal meets a C integer in `x if c else 5`, `x or 5` or `min(x, 5)`, Cython's
# type is the wider of the other operand's and the literal's own `long`: with an `unsigned
# int` the choice is a `long`, and `(u if c else 5) - 10` is -7. pycc kept `unsigned int`
# (4294967289). Arithmetic (`u - 10`) stays C's in both.
# ref: literal_choice_widens = lambda v, c: (v if c else 5) - 10
# call: literal_choice_widens(int(0, 2**32 - 1), bool())
cpdef long long literal_choice_widens(unsigned int v, bint c):
    return (v if c else 5) - 10


# ref: literal_or_widens = lambda v: (v or 1000) - 2000
# call: literal_or_widens(int(0, 2**32 - 1))
cpdef long long literal_or_widens(unsigned int v):
    return (v or 1000) - 2000


# ref: literal_min_widens = lambda v: min(v, 5) - 10
# call: literal_min_widens(int(0, 2**32 - 1))
cpdef long long literal_min_widens(unsigned int v):
    return min(v, 5) - 10


# Cython casts a Python object to a C integer with a range check, and `abs` of a `short` is
# a Python `int` (above): `<unsigned char>(abs(s) - 300)` raises OverflowError where the
# value is out of range. pycc wrapped it as a C cast.
# ref: cast_python_int_checked = lambda s: abs(s) - 300 if 0 <= abs(s) - 300 <= 255 else Raises(OverflowError)
# call: cast_python_int_checked(int(-600, 600))
cpdef long cast_python_int_checked(short s):
    return <unsigned char>(abs(s) - 300)


# Cython types a choice between two C integers (`x if c else y`, `x or y`) by rank, without
# C's promotion to `int`: a `char` with an `unsigned short` is an `unsigned short` (-6
# becomes 65530). pycc promoted both to `int`, as C's `?:` does.
# ref: choice_char_ushort = lambda a, b, c: (a if c else b) % 65536
# call: choice_char_ushort(int(-128, 127), int(0, 65535), bool())
cpdef long choice_char_ushort(char a, unsigned short b, bint c):
    return (a if c else b)


# ref: or_char_ushort = lambda a, b: (a or b) % 65536
# call: or_char_ushort(int(-128, 127), int(0, 65535))
cpdef long or_char_ushort(char a, unsigned short b):
    return (a or b)


# Cython's `max` of C integers compares them as C does (a `signed char` and an `unsigned
# short` in `int`), then stores the winner in the choice's type (`unsigned short`): -35
# loses to 3, and `min` gives 65501. pycc compared and stored in one type (C's `int`: `min`
# gave -35).
# ref: max_schar_ushort = lambda a, b: max(a, b) % 65536
# call: max_schar_ushort(int(-128, 127), int(0, 65535))
cpdef long max_schar_ushort(signed char a, unsigned short b):
    return max(a, b)


# ref: min_schar_ushort = lambda a, b: min(a, b) % 65536
# call: min_schar_ushort(int(-128, 127), int(0, 65535))
cpdef long min_schar_ushort(signed char a, unsigned short b):
    return min(a, b)


# Cython writes a negative integer literal (a minus sign on a literal, or a folded `+`/`-`)
# as a C `long` constant (`-100L`), so `(-100) ^ c` and `-100 + i` are `long`s, and compare
# with an `unsigned int` as `long`s (True for 0); a positive literal and a folded `*` are C
# `int`s (`i * 3` wraps in 32 bits). pycc gave the literal the other operand's type
# (found by progen: seed 11, pyx module 433).
# ref: negative_literal_is_long = lambda v, i, u: ((-100 ^ v) < u, (-100 + i) < u, (-2 ^ v) < u, wrap(-10 + i, "u32") < u, wrap(i * 3, "i32"), wrap(u - 5, "u32"))
# call: negative_literal_is_long(int(-128, 127), int(-2**31 + 200, 2**31 - 1), int(0, 2**32 - 1))
cpdef tuple negative_literal_is_long(signed char v, int i, unsigned int u):
    return (((-100) ^ v) < u, (-100 + i) < u, ((3 - 5) ^ v) < u, ((-5) * 2 + i) < u, i * 3, u - 5)



# Cython folds an integer literal on the left of `and`/`or`: `255 and p` is `p`, with `p`'s
# type (`int`), so `u // (255 and p)` divides as `unsigned int` (C's conversions; for
# p = -8 the divisor is 4294967288). pycc gave the choice Cython's widest type, `long`
# (found by progen: seed 11, pyx module 8808).
# ref: literal_and_folds = lambda u, p: (u // wrap(p, "u32"), 0, 5, p)
# call: literal_and_folds(int(0, 2**32 - 1), choice(-8, -1, 1, 7, 2**31 - 1))
cpdef tuple literal_and_folds(unsigned int u, int p):
    return (u // (255 and p), (0 and p), (5 or p), (0 or p))


# Cython's type of a shift is the wider of its operands' types (`int >> unsigned long` is an
# `unsigned long`), while C computes it in the promoted left operand: the value is an
# `int` (so `< 0` can be true) and is boxed, or stored in an inferred local, as an
# `unsigned long` (-64 is 2**64 - 64). pycc boxed the `int` (found by progen: seed 11, pyx
# module 9412).
# ref: shift_boxes_in_wider_type = lambda a, n: (wrap(a >> n, "u64"), wrap(a >> n, "u64"), (a >> n) < 0)
# call: shift_boxes_in_wider_type(int(-2**31, 2**31 - 1), int(0, 31))
def shift_boxes_in_wider_type(int a, unsigned long n):
    x = a >> n
    return (a >> n), x, (a >> n) < 0


# ref: shift_returns_wider_type = lambda a, n: wrap(a >> n, "u64")
# call: shift_returns_wider_type(int(-2**31, 2**31 - 1), int(0, 31))
def shift_returns_wider_type(int a, unsigned long n):
    return a >> n


# Cython types a literal as a C `long` (C sees an `int`), so `i * 3` is a `long` for it:
# an inferred local holds it as a `long` (`x * 1000000` does not wrap), `x // 7` divides in
# `long`, and `min` keeps each operand in a temporary of its own Cython type before it
# compares (`min(a, (u << (v & 31)) - 1)` compares as `long`s). pycc typed them `int` /
# `unsigned int` (found by progen: seed 12, pyx module 31).
# ref: literal_is_long_for_cython = lambda i, u, v: (wrap(wrap(i * 3, "i32") * 1000000, "i64"), wrap(u - 5, "u32") - 10, min(i // 2, wrap(wrap(u << (v & 31), "u32") - 1, "u32")))
# call: literal_is_long_for_cython(int(-2**31, 2**31 - 1), int(0, 2**32 - 1), int(0, 65535))
def literal_is_long_for_cython(int i, unsigned int u, unsigned short v):
    x = i * 3
    y = u - 5
    return x * 1000000, y - 10, min(i // 2, ((<unsigned int>u) << (v & 31)) - 1)
