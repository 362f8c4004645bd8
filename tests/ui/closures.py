# Lambdas and nested functions compile when they read only their parameters, their own
# locals, globals and builtins; reading a local of an enclosing function is a closure,
# which is refused (closures come later).

import math

SCALE = 2


def reads_local(n):
    g = lambda x: x + n  # error: [unsupported-syntax]
    return g


def nested_reads_param(items):
    def key(v):
        return v in items  # error: [unsupported-syntax]

    return sorted(items, key=key)


def recursive_helper(n):
    def fact(k):
        return 1 if k <= 1 else k * fact(k - 1)  # error: [unsupported-syntax]

    return fact(n)


def reads_comprehension_variable(n):
    return [lambda: i for i in range(n)]  # error: [unsupported-syntax]


def deep(n):
    f = lambda: lambda: n  # error: [unsupported-syntax]
    return f


def typed_default_from_local(n: int):
    def g(x: int = n):  # error: [unsupported-syntax]
        return x

    return g


def compile_time_import_inside():
    from cython import double  # error: [unsupported-syntax]
    return 0


def local_import_read_by_lambda(xs):
    import math
    return sorted(xs, key=lambda v: math.floor(v))  # error: [unsupported-syntax]


def fine(xs, k):
    f = lambda v, k=k: v * k + SCALE + math.floor(v)

    def g(v, w=len(xs)):
        return v + w

    return sorted(xs, key=lambda v: -v), f, g
