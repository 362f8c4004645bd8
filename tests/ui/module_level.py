# The module's own code runs at import; what CPython refuses at module level is an error.

import math
from os import *  # error: [unsupported-syntax]

SCALE = 2.5

for k in range(3):
    SCALE += k

if SCALE > 100:
    return SCALE  # error: [invalid-control-flow]


class Vector:  # error: [unsupported-syntax]
    pass


def f(x: float) -> float:
    return x * math.pi * SCALE
