# Bugs in object code found by the random program generator (tests/python/progen.py, its
# object functions), reduced by hand. CPython is the oracle.


# `int(x)` and `float(x)` of a value that is an object only once checked (a call of a
# Python builtin such as `max`, `repr` or `str`) called the C conversion (`PyLong_AsLongLong`,
# `PyFloat_AsDouble`): TypeError for a float or a str, OverflowError beyond 64 bits, where
# Python's `int` and `float` truncate, parse and give big ints.
# call: int_of_clamped(float(-1e7, 1e7))
# call: int_of_clamped(floats_special())
def int_of_clamped(p0):
    return int(max(-1e6, min(1e6, p0)))


# call: float_of_repr(float(-1e6, 1e6))
# call: float_of_repr(floats_special())
def float_of_repr(p0):
    return float(repr(p0))


# call: int_of_str(int64())
# call: int_of_str(choice(2**64, -2**100, 10**30))
def int_of_str(p0):
    return int(str(p0)) * 3


# A self-assignment (`v = v`) or a copy of a local that has no type yet made inference
# take the placeholder `int` for it: a bool local became an int (`1` for `True`), and a
# counter became an object.
# call: self_copy_bool(choice([], [1], [1, 2], (), "ab"))
def self_copy_bool(p0):
    v7 = (True if p0 else False)
    for x in p0:
        v7 = v7
    return v7


# call: copy_before_assign(int(0, 3))
def copy_before_assign(n: int):
    c = False
    for x in range(n):
        if x > 0:
            c = b
        b = True
    return c


# call: self_copy_counter(int(0, 10))
def self_copy_counter(n: int):
    b = 1
    for i in range(n):
        b = b
        b += 1
    return b
