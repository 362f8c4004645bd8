# Only imports and function definitions may appear at module level.

import math

SCALE = 2.5  # error: [unsupported-syntax]

for k in range(3):  # error: [unsupported-syntax]
    pass


def f(x: float) -> float:
    return x * math.pi
