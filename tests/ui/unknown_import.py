# Imports of modules or names pycc does not know.

import scipy  # error: [unknown-import]
from math import no_such_function  # error: [unknown-import]


def f(x: float) -> float:
    return x
