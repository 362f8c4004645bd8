"""Objects converted to typed memoryviews (Cython's coercion): untyped glue passes NumPy
arrays, `array.array`s and `bytearray`s it holds as objects to typed kernels, binds them
to view locals (`v: cython.double[:] = x`), rebinds them in loops, and returns them.

The oracle is CPython running the same code, where a view is the object itself; so every
case here is one where the object has the element type and dimensions the view needs
(the failures, pycc's and Cython's alone, are in `tests/python/test_views_from_objects.py`)."""

from __future__ import annotations

import array as pyarray

import cython
import numpy as np


def total(a: cython.double[:]) -> float:
    s: cython.double = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return float(s)


def dot(a: cython.double[:], b: cython.double[:]) -> float:
    s: cython.double = 0.0
    for i in range(min(a.shape[0], b.shape[0])):
        s += a[i] * b[i]
    return float(s)


def row_sums(m: cython.double[:, :], out: cython.double[:]) -> None:
    for i in range(m.shape[0]):
        t: cython.double = 0.0
        for j in range(m.shape[1]):
            t += m[i, j]
        out[i] = t


def isum(a: cython.longlong[:]) -> int:
    s: cython.longlong = 0
    for i in range(a.shape[0]):
        s += a[i]
    return int(s)


# call: glue_total(array("f8", 6, -10.0, 10.0))
# call: glue_total(array("f8", 6, -10.0, 10.0, step=-2))
def glue_total(x):
    # An object argument of a typed kernel: its buffer, checked when the call runs.
    return total(x) * 2 + 1


# call: glue_made(int(0, 40))
def glue_made(n):
    # Objects made by Python calls, converted for the kernels.
    xs = np.arange(n, dtype=np.float64)
    ys = np.ones(n) * 0.5
    return dot(xs, ys) + total(np.linspace(0.0, 1.0, n + 1))


# call: glue_rows(int(1, 6), int(1, 5))
def glue_rows(r, c):
    m = np.arange(r * c, dtype=np.float64).reshape(r, c)
    out = np.zeros(r)
    row_sums(m, out)
    # The kernel wrote into the caller's array.
    return [float(v) for v in out]


# call: local_view(array("f8", 5, -3.0, 3.0))
def local_view(x):
    v: cython.double[:] = x
    t: cython.double = 0.0
    for i in range(v.shape[0]):
        v[i] = v[i] * 2
        t += v[i]
    t = float(t)
    # Writes through the view are writes to the object.
    return t, [float(e) for e in x]


# call: rebind(ints(0, 5, 4))
def rebind(sizes):
    v: cython.double[:]
    t = 0.0
    for n in sizes:
        v = np.full(n + 1, float(n))
        t += v[0] + v.shape[0]
    return float(t)


# call: ints_of(ints(-1000, 1000, 8))
def ints_of(items):
    return isum(np.array(items, dtype=np.int64)) + isum(memoryview(pyarray.array("q", items)))


def returned(x) -> cython.double[:]:
    v: cython.double[:] = x
    return v


# call: returned_is_exporter(array("f8", 4, 0.0, 1.0))
def returned_is_exporter(x):
    return returned(x) is x


# call: returned_again(array("f8", 4, 0.0, 1.0))
def returned_again(x):
    # A view-returning function's result (its owner object) taken as a view again.
    return total(returned(x)) + returned(x).shape[0]


# call: as_python(array("f8", 5, -4.0, 4.0))
# call: as_python(array("f8", 5, -4.0, 4.0, step=-1))
def as_python(a: cython.double[:]):
    # A whole view met by Python operations is the object it views (here a NumPy array).
    doubled = a * 2
    return float(doubled.sum()) + float(np.sum(a)) + len(a) + float(max(a))


# call: made_then_python(int(1, 20))
def made_then_python(n):
    # An array made in compiled code and then used as a Python object.
    z = np.zeros(n)
    for i in range(n):
        z[i] = i * 0.5
    return float(z.sum()), z.shape[0], [float(e) for e in z]
