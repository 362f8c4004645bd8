# Lambdas are not compiled.


def f(n: int) -> int:
    g = lambda x: x + 1  # error: [unsupported-syntax]
    return n
