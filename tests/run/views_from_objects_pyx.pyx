# Objects converted to typed memoryviews in Cython syntax: untyped glue hands NumPy arrays,
# `bytearray`s and memoryviews to `def`/`cdef` kernels and `cdef` view locals. The oracle is
# CPython on the translated source, where a view is the object itself, so every object
# here has the element type and dimensions the view needs (the failures are in
# tests/python/test_views_from_objects.py, against Cython).

import numpy as np


def total(double[:] a):
    cdef double s = 0.0
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        s += a[i]
    return float(s)


cdef double first(double[:] a):
    return a[0]


cdef long long isum(const long long[:] a):
    cdef long long s = 0
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        s += a[i]
    return s


# call: glue(int(1, 30))
def glue(n):
    arr = np.arange(n, dtype=np.float64)
    cdef double[:] v = arr
    v[0] = 0.5
    return float(total(arr) * 2 + first(arr) + v[n - 1])


# call: bytes_view(int(0, 30))
def bytes_view(n):
    buf = bytearray(range(n))
    cdef unsigned char[:] v = memoryview(buf)
    cdef Py_ssize_t i
    cdef int s = 0
    for i in range(v.shape[0]):
        v[i] = v[i] + 1
        s += v[i]
    return int(s), bytes(buf)


# call: ints_of(ints(-1000, 1000, 8))
def ints_of(items):
    arr = np.array(items, dtype=np.int64)
    return int(isum(arr) + isum(memoryview(arr)))


# call: in_loop(ints(0, 6, 5))
def in_loop(sizes):
    cdef double[:] v
    t = 0.0
    for n in sizes:
        v = np.full(n + 1, 1.5)
        t += v[0] * v.shape[0]
    return float(t)


# call: grid(int(1, 5), int(1, 5))
def grid(r, c):
    cdef double[:, :] m = np.arange(r * c, dtype=np.float64).reshape(r, c)
    cdef Py_ssize_t i, j
    t = 0.0
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            t += m[i, j] * (i + 1)
    return float(t)
