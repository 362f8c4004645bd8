# `cython.cast` to `void` in pure-Python mode.

import cython


def f(n: cython.int) -> cython.int:
    return cython.cast(cython.void, n)  # error: [invalid-cast]
