# Lambdas and nested functions in Cython: untyped parameters are objects, typed nested
# `def`s convert at their boundary, C locals of the enclosing function are passed in as
# defaults (a default is not a free variable), and imports inside functions bind locals.

import functools

cdef int BASE = 7


def apply(f, x):
    return f(x)


# call: sort_pairs(ints())
def sort_pairs(xs):
    pairs = [(v, i) for i, v in enumerate(xs)]
    return sorted(pairs, key=lambda p: (p[0] % 5, -p[1]))


# call: c_local_default(int(-1000, 1000))
def c_local_default(int n):
    cdef int doubled = n * 2
    f = lambda v, d=doubled: v + d
    return f(1), f(1, 0)


# call: c_param_default(float(-10, 10))
def c_param_default(double x):
    f = lambda v, x=x: v * x
    return f(2.0)


# call: typed_nested(int(-1000, 1000))
def typed_nested(int n):
    def sq(int v):
        return v * v

    return sq(n)


# call: typed_nested_double(float(-100, 100))
def typed_nested_double(double x):
    def half(double v):
        return v / 2

    return half(x) + apply(half, x)


# call: nested_reads_cglobal(int(-100, 100))
def nested_reads_cglobal(int n):
    def shift(v):
        return v + BASE

    return shift(n)


# call: lambda_map_reduce(ints())
def lambda_map_reduce(xs):
    return functools.reduce(lambda a, b: a + b, map(lambda v: v * v, xs), 0)


# call: lambda_filter_sorted(ints())
def lambda_filter_sorted(xs):
    return sorted(filter(lambda v: v > 0, xs), key=lambda v: -v)


# call: lambda_error(obj())
def lambda_error(x):
    return apply(lambda v: v * 2 - 1, x)


# call: lambda_qualname()
def lambda_qualname():
    f = lambda: 0
    return f.__qualname__


# call: lambda_loop_defaults(int(0, 8))
def lambda_loop_defaults(int n):
    cdef int i
    fs = []
    for i in range(n):
        fs.append(lambda v, i=i: v * i)
    return [f(3) for f in fs]


# call: local_import(float(0, 100))
def local_import(double x):
    import math
    return math.sqrt(x)


# call: local_from_import(ints())
def local_from_import(xs):
    from collections import Counter
    return sorted(Counter(xs).values())


# call: module_level_lambda(int(-100, 100))
def module_level_lambda(x):
    return TRIPLE(x)


TRIPLE = lambda v: v * 3
