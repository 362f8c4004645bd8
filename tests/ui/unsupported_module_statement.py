# Only imports and function definitions may appear at module level.
# xfail: the underline of a multi-line statement (for) runs over the trailing comment

import math

SCALE = 2.5  # error: [unsupported-syntax]

for k in range(3):  # error: [unsupported-syntax]
    pass


def f(x: float) -> float:
    return x * math.pi
