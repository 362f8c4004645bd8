# cython: language_level=3
"""Array kernels compiled by pycc (`pycc.compile_file`) and by Cython (`cythonize -i`) from
this same file. Each kernel comes twice: `NAME_on` with Cython's default checks
(boundscheck and wraparound on) and `NAME_off` with both off (decorators).
`kernels.py` is the same code without C declarations, for CPython and Numba."""

cimport cython
from libc.math cimport sqrt


def asum_on(double[:] a):
    cdef double s = 0.0
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        s += a[i]
    return s


@cython.boundscheck(False)
@cython.wraparound(False)
def asum_off(double[:] a):
    cdef double s = 0.0
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        s += a[i]
    return s


def dot_on(double[:] a, double[:] b):
    cdef double s = 0.0
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


@cython.boundscheck(False)
@cython.wraparound(False)
def dot_off(double[:] a, double[:] b):
    cdef double s = 0.0
    cdef Py_ssize_t i
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


def matmul_on(double[:, :] a, double[:, :] b, double[:, :] c):
    cdef double s
    cdef Py_ssize_t i, j, k
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            s = 0.0
            for k in range(a.shape[1]):
                s += a[i, k] * b[k, j]
            c[i, j] = s
    return c[0, 0]


@cython.boundscheck(False)
@cython.wraparound(False)
def matmul_off(double[:, :] a, double[:, :] b, double[:, :] c):
    cdef double s
    cdef Py_ssize_t i, j, k
    for i in range(a.shape[0]):
        for j in range(b.shape[1]):
            s = 0.0
            for k in range(a.shape[1]):
                s += a[i, k] * b[k, j]
            c[i, j] = s
    return c[0, 0]


def stencil_on(double[:, :] u, double[:, :] out):
    cdef Py_ssize_t i, j
    for i in range(1, u.shape[0] - 1):
        for j in range(1, u.shape[1] - 1):
            out[i, j] = u[i, j] + 0.1 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j])
    return out[1, 1]


@cython.boundscheck(False)
@cython.wraparound(False)
def stencil_off(double[:, :] u, double[:, :] out):
    cdef Py_ssize_t i, j
    for i in range(1, u.shape[0] - 1):
        for j in range(1, u.shape[1] - 1):
            out[i, j] = u[i, j] + 0.1 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j])
    return out[1, 1]


def nbody_on(double[:, :] p, double dt):
    cdef Py_ssize_t i, j
    cdef double ax, ay, az, dx, dy, dz, d2, w
    for i in range(p.shape[0]):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(p.shape[0]):
            if i != j:
                dx = p[j, 0] - p[i, 0]
                dy = p[j, 1] - p[i, 1]
                dz = p[j, 2] - p[i, 2]
                d2 = dx * dx + dy * dy + dz * dz + 0.01
                w = p[j, 6] / (d2 * sqrt(d2))
                ax += dx * w
                ay += dy * w
                az += dz * w
        p[i, 3] += dt * ax
        p[i, 4] += dt * ay
        p[i, 5] += dt * az
    for i in range(p.shape[0]):
        p[i, 0] += dt * p[i, 3]
        p[i, 1] += dt * p[i, 4]
        p[i, 2] += dt * p[i, 5]
    return p[0, 0]


@cython.boundscheck(False)
@cython.wraparound(False)
def nbody_off(double[:, :] p, double dt):
    cdef Py_ssize_t i, j
    cdef double ax, ay, az, dx, dy, dz, d2, w
    for i in range(p.shape[0]):
        ax = 0.0
        ay = 0.0
        az = 0.0
        for j in range(p.shape[0]):
            if i != j:
                dx = p[j, 0] - p[i, 0]
                dy = p[j, 1] - p[i, 1]
                dz = p[j, 2] - p[i, 2]
                d2 = dx * dx + dy * dy + dz * dz + 0.01
                w = p[j, 6] / (d2 * sqrt(d2))
                ax += dx * w
                ay += dy * w
                az += dz * w
        p[i, 3] += dt * ax
        p[i, 4] += dt * ay
        p[i, 5] += dt * az
    for i in range(p.shape[0]):
        p[i, 0] += dt * p[i, 3]
        p[i, 1] += dt * p[i, 4]
        p[i, 2] += dt * p[i, 5]
    return p[0, 0]
