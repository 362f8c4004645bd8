# Calls to Python callables that pycc does not compile: a class of this module and a
# function of an unsupported module.

import numpy as np  # error: [unknown-import]


class Vector:  # error: [unsupported-syntax]
    pass


def f(x: int) -> int:
    v = Vector(x)  # error: [uncompiled-call]
    return x


def g(x: float) -> float:
    return np.sqrt(x)  # error: [uncompiled-call]
