# Calls with too many or too few arguments, or an unknown keyword.

import math


def add(a: int, b: int) -> int:
    return a + b


def too_many(x: int) -> int:
    return add(x, 1, 2)  # error: [wrong-argument-count]


def too_few(x: int) -> int:
    return add(x)  # error: [wrong-argument-count]


def unknown_keyword(x: int) -> int:
    return add(x, c=1)  # error: [wrong-argument-count]


def builtin_arity(x: float) -> float:
    return math.sqrt(x, 2.0)  # error: [wrong-argument-count]
