"""Arrays created in compiled code in pure-Python mode: `bytearray(n)` (the sieve) and
`numpy.empty/zeros/ones` with shapes and dtypes, filled and reduced in loops, and the errors
CPython and NumPy raise for negative sizes. Results go through `float()`/`int()` so CPython
returns Python numbers, not NumPy scalars."""

from __future__ import annotations

import cython
import numpy as np


# call: primes(int(0, 3000))
def primes(n: int) -> int:
    sieve = bytearray(n + 1)
    count = 0
    for i in range(2, n + 1):
        if sieve[i] == 0:
            count += 1
            for j in range(i * i, n + 1, i):
                sieve[j] = 1
    return count


# call: neg_bytes(int(-3, 3))
def neg_bytes(n: int) -> int:
    b = bytearray(n)
    return len(b)


# call: matrix_sum(int(0, 12), int(0, 12))
# call: matrix_sum(int(-2, 2), int(0, 3))
def matrix_sum(n: int, m: int) -> float:
    a = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            a[i, j] = 0.5 * i - j
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * (j + 1)
    return float(s)


# call: ones_total(int(0, 50), choice(1, 2, 3))
def ones_total(n: int, which: int) -> int:
    t: int = 0
    if which == 1:
        a = np.ones(n, dtype=np.int32)
        for i in range(n):
            t += a[i]
    elif which == 2:
        b = np.ones((n, 2), dtype="u1")
        for i in range(n):
            t += b[i, 0] + b[i, 1]
    else:
        c = np.ones((2, n), int)
        for i in range(n):
            t += c[1, i]
    return int(t)


# call: prefix(int(1, 40), int(-45, 45))
# ref: prefix = lambda n, k: Raises(IndexError, "Out of bounds on buffer access (axis 0)") if not -n <= k < n else float(sum(range(0, (k % n) + 1)))
def prefix(n: int, k: int) -> float:
    acc = np.empty(n, dtype=np.float64)
    s = 0.0
    for i in range(n):
        s += i
        acc[i] = s
    return float(acc[k])


# call: rounds(int(1, 20), int(0, 30))
def rounds(n: int, k: int) -> float:
    s = 0.0
    for r in range(k):
        a = np.zeros(n, dtype=np.float32)
        a[r % n] = r
        s += a[r % n] + a.shape[0]
    return float(s)
