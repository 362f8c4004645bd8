"""Memoryview slices in pure-Python mode on NumPy arrays: `a[lo:hi:step]` with runtime
bounds and steps, `m[i]`, `m[i, :]`, `m[:, j]`, `m[1:, ::2]`, slices of slices, slices
passed to compiled functions and assigned in loops, `a[:] = x`, `a[...] = x`, `a[:] = b`.
NumPy's slicing is memoryview's for these cases; where Cython's messages differ from
NumPy's (zero step, integer index out of range, differing extents) a `# ref:` says so."""

from __future__ import annotations

import cython


def weighted(b: cython.double[:]) -> float:
    s: float = 0.0
    for i in range(b.shape[0]):
        s += b[i] * (i + 1)
    return float(s * 1000 + b.shape[0])


# call: sliced(array("f8", 9, -4.0, 4.0), int(-12, 12), int(-12, 12), choice(-10, -3, -2, -1, 1, 2, 3, 10))
# call: sliced(array("f8", 5, -4.0, 4.0, step=-2), int(-7, 7), int(-7, 7), choice(-2, -1, 1, 3))
# call[n=60]: sliced(array("f8", 4, -4.0, 4.0), int(-5, 5), int(-5, 5), const(0))
# ref: sliced = lambda a, lo, hi, st: Raises(ValueError, "Step may not be zero (axis 0)") if st == 0 else sliced(a, lo, hi, st)
def sliced(a: cython.double[:], lo: int, hi: int, st: int) -> float:
    return weighted(a[lo:hi:st])


# call: ends(array("f8", 7, -4.0, 4.0), int(-9, 9))
def ends(a: cython.double[:], k: int) -> float:
    return weighted(a[k:]) + weighted(a[:k]) * 3 + weighted(a[::-1]) * 7 + weighted(a[k::-2]) * 11


# call: rows(array("f8", (3, 4), -10.0, 10.0), int(-4, 3))
# call: rows(array("f8", (4, 3), -10.0, 10.0, transpose=True), int(-4, 3))
# ref: rows = lambda m, i: Raises(IndexError, "Index out of bounds (axis 0)") if not -m.shape[0] <= i < m.shape[0] else rows(m, i)
def rows(m: cython.double[:, :], i: int) -> float:
    return weighted(m[i]) + weighted(m[i, 1:]) * 3


# call: cols(array("f8", (3, 4), -10.0, 10.0), int(-5, 4))
# ref: cols = lambda m, j: Raises(IndexError, "Index out of bounds (axis 1)") if not -m.shape[1] <= j < m.shape[1] else cols(m, j)
def cols(m: cython.double[:, :], j: int) -> float:
    return weighted(m[:, j])


# call: corner(array("i4", (4, 5), -100, 100))
# call: corner(array("i4", (5, 4), -100, 100, transpose=True))
def corner(m: cython.int[:, :]) -> int:
    t = m[1:, ::2]
    s: int = 0
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            s += t[i, j] * (i * 10 + j + 1)
    return int(s * 100 + t.shape[0] * 10 + t.shape[1])


# call: chained(array("i8", 10, -1000, 1000), int(0, 7), int(-2, 1))
def chained(a: cython.longlong[:], lo: int, j: int) -> int:
    return int(a[lo:][::2][j] + a[::-1][lo])


# call: last_rows(array("f8", (4, 3), -5.0, 5.0))
def last_rows(m: cython.double[:, ::1]) -> float:
    prev = m[0]
    s: float = 0.0
    for i in range(1, m.shape[0]):
        cur = m[i, ::-1]
        s = s * 10 + prev[0]
        prev = cur
    return float(s * 10 + prev[0])


# call: fill(array("i2", (3, 4), -100, 100), int(-3, 2), int(-50, 50))
# ref: fill = lambda m, i, x: Raises(IndexError, "Index out of bounds (axis 0)") if not -3 <= i < 3 else fill(m, i, x)
def fill(m: cython.short[:, :], i: int, x: int) -> int:
    m[i, 1:] = x
    m[i][0] = -x
    s: int = 0
    for r in range(m.shape[0]):
        for c in range(m.shape[1]):
            s = s * 3 + int(m[r, c])
    m[...] = 1
    return int(s + int(m[2, 3]))


# call: copy(array("f8", 6, -9.0, 9.0), array("f8", 6, -9.0, 9.0, step=-1))
# call: copy(array("f8", 6, -9.0, 9.0), array("f8", 5, -9.0, 9.0))
# ref: copy = lambda d, s: Raises(ValueError, f"got differing extents in dimension 0 (got {len(d)} and {len(s)})") if len(s) not in (1, len(d)) else copy(d, s)
def copy(dst: cython.double[:], src: cython.double[:]) -> float:
    dst[:] = src
    dst[::2] = src[1::2]
    return weighted(dst)

