# cython: boundscheck=True, wraparound=True
"""Typed memoryviews in Cython syntax on NumPy arrays: C-contiguous and strided 2-D views,
views passed to a `cdef` function, `const` views, element writes."""


cdef double row_sum(double[:, :] m, Py_ssize_t i):
    cdef double s = 0.0
    cdef Py_ssize_t j
    for j in range(m.shape[1]):
        s += m[i, j]
    return s


# call: weighted(array("f8", (4, 3), -10.0, 10.0))
# call: weighted(array("f8", (3, 4), -10.0, 10.0, transpose=True))
def weighted(double[:, :] m):
    cdef double s = 0.0
    cdef Py_ssize_t i
    for i in range(m.shape[0]):
        s += row_sum(m, i) * (i + 1)
    return float(s)


# call: contiguous(array("f8", (2, 5), -10.0, 10.0))
def contiguous(double[:, ::1] m):
    return float(row_sum(m, 0) - row_sum(m, m.shape[0] - 1))


# call: read_only(array("i8", 5, -1000000, 1000000), int(-5, 4))
def read_only(const long long[:] a, int i):
    return int(a[i]) + len(a)


# call: fill(array("i4", 6, 0, 0), int(-50, 50))
def fill(int[:] a, int x):
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        a[i] = x * i
    cdef long total = 0
    for i in range(a.shape[0]):
        total += a[i]
    return int(total)
