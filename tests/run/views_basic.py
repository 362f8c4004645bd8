"""Typed memoryviews in pure-Python mode (`cython.double[:]`) on NumPy arrays: reads, writes,
`shape`/`len`/`ndim`, negative and non-contiguous strides, directives, `with nogil:`.
Results go through `float()`/`int()` so CPython returns Python numbers, not NumPy scalars."""

from __future__ import annotations

import cython


# call: total(array("f8", 10, -100.0, 100.0))
# call: total(array("f8", 6, -1.0, 1.0, step=-1))
# call: total(array("f8", 5, 0.0, 3.0, step=2))
def total(a: cython.double[:]) -> float:
    s: float = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return float(s)


# call: at(array("f8", 7, -5.0, 5.0), int(-9, 8))
# ref: at = lambda a, i: Raises(IndexError, "Out of bounds on buffer access (axis 0)") if not -len(a) <= i < len(a) else float(a[i])
def at(a: cython.double[:], i: int) -> float:
    return float(a[i])


# call: trace2(array("i4", (4, 4), -1000, 1000))
# call: trace2(array("i4", (3, 5), -1000, 1000, transpose=True))
def trace2(m: cython.int[:, :]) -> int:
    t: int = 0
    for i in range(min(m.shape[0], m.shape[1])):
        t += m[i, i]
    return int(t)


# call: scale(array("f8", 8, -10.0, 10.0), float(-3.0, 3.0))
# call: scale(array("f8", 4, -10.0, 10.0, step=-2), float(-3.0, 3.0))
def scale(a: cython.double[:], x: float) -> float:
    for i in range(len(a)):
        a[i] *= x
    s: float = 0.0
    for i in range(len(a)):
        s += a[i] * (i + 1)
    return float(s)


# call: bump(array("i1", 6, -100, 100), int(0, 5))
def bump(a: cython.schar[:], i: int) -> int:
    a[i] += 1
    a[-1 - i] -= 2
    return int(a[i]) * 1000 + int(a[-1 - i])


# call: unchecked_sum(array("f8", (3, 4), -1.0, 1.0))
@cython.boundscheck(False)
@cython.wraparound(False)
def unchecked_sum(m: cython.double[:, ::1]) -> float:
    s: float = 0.0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            s += m[i, j]
    with cython.boundscheck(True), cython.wraparound(True):
        s += m[-1, -1]
    return float(s)


# call: corner(array("u2", (3, 2, 2), 0, 60000, step=-1))
def corner(t: cython.ushort[:, :, :]) -> int:
    return int(t[0, 0, 0]) + int(t[-1, -1, -1]) * 100000 + t.ndim


# call: nogil_sum(array("f4", 9, -2.0, 2.0))
def nogil_sum(a: cython.float[:]) -> float:
    s: cython.double = 0.0
    with cython.nogil:
        for i in range(a.shape[0]):
            s += float(a[i])
    return float(s)
