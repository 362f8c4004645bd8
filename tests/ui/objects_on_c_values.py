# Python operations on C numbers: `len`, an item, a method, setting an attribute. (The same
# on an object compiles, and raises what CPython raises when it runs; `int` methods of a C
# number are not supported yet.)


def f(x: int) -> int:
    return len(x)  # error: [invalid-operand]


def g(x: float) -> float:
    return x[0]  # error: [unsupported-syntax]


def h(x: int) -> int:
    return x.bit_length()  # error: [unsupported-syntax]


def k(x: int) -> int:
    x.attr = 1  # error: [unsupported-syntax]
    return x
