# `cython.cast` to `void` in pure-Python mode.
# xfail: `cython.cast(cython.void, n)` is reported as unknown-type where `<void>n` in a .pyx is invalid-cast

import cython


def f(n: cython.int) -> cython.int:
    return cython.cast(cython.void, n)  # error: [invalid-cast]
