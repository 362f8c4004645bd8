# An integer literal that meets a C `float` is the `double` constant `100.0` in the C that
# Cython writes, so `v + 100` computes in `double` (C's usual arithmetic conversions),
# although Cython's type for it is `float`. Where Cython keeps such a value in a temporary
# of its type (an inferred local, `x if c else y`, `or`, `min`, `abs`, the operands of a
# division it checks for zero, of `%`), it is rounded to `float`; elsewhere it is not.
# pycc computed `v + 100` in `float` (found by the random program generator: seed 7,
# pyx module 32). The expected values are Cython 3.3.1's (checked against a Cython build).

# ref: lit_then_double = lambda v: (round_f32(v) + 100.0) + 2.0
# call: lit_then_double(float(-1e6, 1e6))
cpdef double lit_then_double(float v):
    return (v + 100) - (-2.0)


# ref: lit_times_float = lambda v, w: -(round_f32(v) * 3.0) * round_f32(w)
# call: lit_times_float(float(-1e4, 1e4), float(-1e4, 1e4))
cpdef double lit_times_float(float v, float w):
    return -(v * 3) * w


# ref: inferred_local = lambda v: round_f32(round_f32(v) * 3.0) + 0.5
# call: inferred_local(float(-1e6, 1e6))
cpdef double inferred_local(float v):
    x = v * 3
    return x + 0.5


# ref: choice_rounds = lambda v, w, c: round_f32(round_f32(v) + 100.0) if c else round_f32(w)
# call: choice_rounds(float(-1e6, 1e6), float(-1e6, 1e6), bool())
cpdef double choice_rounds(float v, float w, bint c):
    return (v + 100) if c else w


# ref: choice_with_double = lambda v, c: (round_f32(v) + 100.0) if c else 2.5
# call: choice_with_double(float(-1e6, 1e6), bool())
cpdef double choice_with_double(float v, bint c):
    return (v + 100) if c else 2.5


# ref: or_rounds = lambda v, w: round_f32(round_f32(v) + 100.0) or round_f32(w)
# call: or_rounds(float(-1e6, 1e6), float(-1e6, 1e6))
cpdef double or_rounds(float v, float w):
    return (v + 100) or w


# ref: min_abs_round = lambda v, w: round_f32(min(round_f32(round_f32(v) + 100.0), round_f32(w)) + abs(round_f32(round_f32(v) * 7.0)))
# call: min_abs_round(float(-1e6, 1e6), float(-1e6, 1e6))
cpdef double min_abs_round(float v, float w):
    return min(v + 100, w) + abs(v * 7)


# ref: div_by_lit = lambda v: round_f32(v) / 3.0 + (round_f32(v) * 3.0) // 7.0
# call: div_by_lit(float(-1e6, 1e6))
cpdef double div_by_lit(float v):
    return v / 3 + (v * 3) // 7


# ref: div_checked = lambda v, w: round_f32(round_f32(round_f32(v) + 100.0) / round_f32(w))
# call: div_checked(float(-1e6, 1e6), float(0.5, 1e3))
cpdef double div_checked(float v, float w):
    return (v + 100) / w


# ref: mod_in_float = lambda v: round_f32(round_f32(round_f32(v) * 3.0) % 7.0)
# call: mod_in_float(float(-1e6, -0.001))
cpdef double mod_in_float(float v):
    return (v * 3) % 7


# ref: compare_in_double = lambda v: round_f32(v) * 3.0 < 16777217
# call: compare_in_double(choice(5592405.0, 5592405.5, 5592406.0, -1.0))
cpdef bint compare_in_double(float v):
    return v * 3 < 16777217
