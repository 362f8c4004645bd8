"""Typed memoryviews in Cython syntax on 1-, 2- and 3-D NumPy arrays: reads, stores and `+=`
through strided, transposed and reversed arrays; out-of-bounds indices (Cython's
`IndexError: Out of bounds on buffer access (axis N)`, so every raising case has a `# ref:`:
NumPy's own message differs); `wraparound(False)` (a negative index is out of bounds: Cython
compares the index unsigned), `boundscheck(False)` with in-range indices, both as
decorators and as `with` blocks.

Multi-axis rule (checked against Cython 3.3.1): when several indices of one access are out
of bounds, Cython names the LAST failing axis (it evaluates every axis' check, each one
overwriting the failing axis number, then raises once)."""

cimport cython


# call: get2(array("f8", (3, 4), -10.0, 10.0), int(-3, 2), int(-9, 8))
# call: get2(array("f8", (3, 4), -10.0, 10.0, step=-2), int(-3, 2), int(-9, 8))
# ref: get2 = lambda m, i, j: Raises(IndexError, "Out of bounds on buffer access (axis 1)") if not -m.shape[1] <= j < m.shape[1] else float(m[i, j])
def get2(double[:, :] m, Py_ssize_t i, Py_ssize_t j):
    return m[i, j]


# call: get2_rows(array("f8", (3, 4), -10.0, 10.0, transpose=True), int(-9, 8), int(-3, 2))
# ref: get2_rows = lambda m, i, j: Raises(IndexError, "Out of bounds on buffer access (axis 0)") if not -m.shape[0] <= i < m.shape[0] else float(m[i, j])
def get2_rows(double[:, :] m, Py_ssize_t i, Py_ssize_t j):
    return m[i, j]


# Both indices may be out of range at once: Cython (and pycc) raise for the last failing axis.
# call: get2_both(array("i2", (3, 4), -999, 999), int(-6, 5), int(-7, 6))
# ref: get2_both = lambda m, i, j: Raises(IndexError, "Out of bounds on buffer access (axis %d)" % (1 if not -4 <= j < 4 else 0)) if not (-3 <= i < 3 and -4 <= j < 4) else int(m[i, j])
def get2_both(short[:, :] m, Py_ssize_t i, Py_ssize_t j):
    return m[i, j]


# Only the middle axis may fail.
# call: get3(array("u4", (2, 3, 4), 0, 4000000000), int(-2, 1), int(-5, 4), int(-4, 3))
# call: get3(array("u4", (4, 3, 2), 0, 4000000000, transpose=True), int(-2, 1), int(-5, 4), int(-4, 3))
# call: get3(array("u4", (2, 3, 4), 0, 4000000000, step=-1), int(-2, 1), int(-5, 4), int(-4, 3))
# ref: get3 = lambda t, i, j, k: Raises(IndexError, "Out of bounds on buffer access (axis 1)") if not -3 <= j < 3 else int(t[i, j, k])
def get3(unsigned int[:, :, :] t, Py_ssize_t i, Py_ssize_t j, Py_ssize_t k):
    return t[i, j, k]


# call: put3(array("i8", (2, 2, 3), -1000, 1000), int(-2, 1), int(-2, 1), int(-5, 4), int(-10**15, 10**15))
# ref: put3 = lambda t, i, j, k, v: Raises(IndexError, "Out of bounds on buffer access (axis 2)") if not -3 <= k < 3 else (lambda u: (u.__setitem__((i, j, k), v), int((u * [[[1, 3, 5]]]).sum()))[1])(t)
def put3(long long[:, :, :] t, Py_ssize_t i, Py_ssize_t j, Py_ssize_t k, long long v):
    t[i, j, k] = v
    cdef long long s = 0
    cdef Py_ssize_t a, b, c
    for a in range(t.shape[0]):
        for b in range(t.shape[1]):
            for c in range(t.shape[2]):
                s += t[a, b, c] * (2 * c + 1)
    return s


# call: bump2(array("i4", (4, 3), -1000, 1000, step=2), int(-6, 5), int(-3, 2), int(-1000, 1000))
# ref: bump2 = lambda m, i, j, v: Raises(IndexError, "Out of bounds on buffer access (axis 0)") if not -4 <= i < 4 else (lambda u: (u.__setitem__((i, j), u[i, j] + v), int(u[i, j]) * 7 + int(u[-1 - i, -1 - j]))[1])(m)
def bump2(int[:, :] m, Py_ssize_t i, Py_ssize_t j, int v):
    m[i, j] += v
    return m[i, j] * 7 + m[-1 - i, -1 - j]


# wraparound off, bounds on: negative indices raise, as indices past the end do.
# call: nowrap1(array("f4", 6, -100.0, 100.0, step=-1), int(-8, 8))
# ref: nowrap1 = lambda a, i: Raises(IndexError, "Out of bounds on buffer access (axis 0)") if not 0 <= i < 6 else float(a[i])
@cython.wraparound(False)
def nowrap1(float[:] a, Py_ssize_t i):
    return a[i]


# wraparound off, non-negative indices only: plain reads and stores.
# call: nowrap2(array("u2", (5, 4), 0, 30000, transpose=True), int(0, 3), int(0, 4), int(0, 30000))
@cython.wraparound(False)
def nowrap2(unsigned short[:, :] m, Py_ssize_t i, Py_ssize_t j, unsigned short v):
    cdef unsigned short old = m[i, j]
    m[i, j] = v
    m[m.shape[0] - 1 - i, j] += 1
    return <long long>old * 100000 + <long long>m[i, j]


# boundscheck off, in-range indices (negative ones still wrap around).
# call: nocheck3(array("i1", (3, 2, 4), -100, 100, step=-1), int(-3, 2), int(-2, 1), int(-4, 3))
@cython.boundscheck(False)
def nocheck3(signed char[:, :, :] t, Py_ssize_t i, Py_ssize_t j, Py_ssize_t k):
    t[i, j, k] = 5
    t[-1 - i, j, k] -= 3
    return <int>t[i, j, k] * 1000 + <int>t[-1 - i, -1 - j, -1 - k]


# Both off: the raw access, non-negative in-range indices.
# call: raw2(array("f8", (4, 5), -1.0, 1.0, step=-1), int(0, 3), int(0, 4))
# call: raw2(array("f8", (5, 4), -1.0, 1.0, transpose=True), int(0, 3), int(0, 4))
@cython.boundscheck(False)
@cython.wraparound(False)
def raw2(double[:, :] m, Py_ssize_t i, Py_ssize_t j):
    m[i, j] *= 2.0
    cdef double s = 0.0
    cdef Py_ssize_t a, b
    for a in range(m.shape[0]):
        for b in range(m.shape[1]):
            s = s * 0.75 + m[a, b]
    return float(s)


# `with` blocks: checks off inside, on again outside.
# call: blocks(array("u8", 6, 0, 2**40), int(0, 5), int(-9, 8))
# ref: blocks = lambda a, i, j: Raises(IndexError, "Out of bounds on buffer access (axis 0)") if not -6 <= j < 6 else int(a[i]) + int(a[j]) * 3
def blocks(unsigned long long[:] a, Py_ssize_t i, Py_ssize_t j):
    cdef unsigned long long x
    with cython.boundscheck(False), cython.wraparound(False):
        x = a[i]
    return x + a[j] * 3


# Loops over the shape (checks removed) on every kind of stride, reading and writing.
# call: smooth3(array("f8", (3, 4, 5), -10.0, 10.0))
# call: smooth3(array("f8", (5, 4, 3), -10.0, 10.0, transpose=True))
# call: smooth3(array("f8", (3, 4, 5), -10.0, 10.0, step=-1))
# call: smooth3(array("f8", (2, 4, 5), -10.0, 10.0, step=3))
def smooth3(double[:, :, :] t):
    cdef Py_ssize_t i, j, k
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            for k in range(1, t.shape[2]):
                t[i, j, k] += 0.5 * t[i, j, k - 1]
    cdef double s = 0.0
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            for k in range(t.shape[2]):
                s = s * 0.5 + t[i, j, k] * (i + 2 * j + 3 * k + 1)
    return float(s) + t.ndim * 1000 + t.shape[0] * 100 + t.shape[1] * 10 + len(t)


# A reversed loop with negative indices into a C-contiguous 2-D view.
# call: rev_rows(array("i8", (4, 3), -10**12, 10**12))
def rev_rows(long long[:, ::1] m):
    cdef long long s = 0
    cdef Py_ssize_t i, j
    for i in range(1, m.shape[0] + 1):
        for j in range(1, m.shape[1] + 1):
            s = s * 3 + m[-i, -j]
    return int(s)


# Loop bounds from the shape with `nogil`, on a const (read-only-capable) view.
# call: const_dot(array("f4", 7, -5.0, 5.0, step=-2), array("f4", 7, -5.0, 5.0))
def const_dot(const float[:] a, const float[:] b):
    cdef double s = 0.0
    cdef Py_ssize_t i
    with nogil:
        for i in range(a.shape[0]):
            s += <double>a[i] * <double>b[i]
    return float(s)


# A 5-point stencil: `range(1, n - 1)` proves `i - 1` and `i + 1` in range, so those reads
# carry no checks; shapes too small for any interior point run no iteration.
# call: stencil(array("f8", (1, 1), -10.0, 10.0))
# call: stencil(array("f8", (2, 3), -10.0, 10.0))
# call: stencil(array("f8", (5, 7), -10.0, 10.0, step=-1))
# call: stencil(array("f8", (6, 4), -10.0, 10.0, transpose=True))
def stencil(double[:, :] u):
    cdef double s = 0.0
    cdef Py_ssize_t i, j
    for i in range(1, u.shape[0] - 1):
        for j in range(1, u.shape[1] - 1):
            s += u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
    return <double>s  # a Python float under CPython too (NumPy would give np.float64)
