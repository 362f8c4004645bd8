# Calls to Python callables that pycc does not compile: a class of this module, a function
# of an unsupported module, and a NumPy function other than `empty`/`zeros`/`ones`.

import numpy as np
import scipy  # error: [unknown-import]


class Vector:  # error: [unsupported-syntax]
    pass


def f(x: int) -> int:
    v = Vector(x)  # error: [uncompiled-call]
    return x


def g(x: float) -> float:
    return np.sqrt(x)  # error: [uncompiled-call]


def h(x: float) -> float:
    return scipy.erf(x)  # error: [uncompiled-call]
