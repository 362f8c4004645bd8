# cython: language_level=3
"""Typed memoryviews: a sieve on a bytearray, a 5-point stencil, an array built and returned."""
import numpy as np
cimport cython


def count_primes(Py_ssize_t n):
    """How many primes are below n (sieve of Eratosthenes on a bytearray)."""
    cdef unsigned char[:] composite = bytearray(n)
    cdef Py_ssize_t i, j, count = 0
    for i in range(2, n):
        if composite[i] == 0:
            count += 1
            for j in range(i * i, n, i):
                composite[j] = 1
    return count


@cython.boundscheck(False)
@cython.wraparound(False)
def laplacian(double[:, ::1] u):
    """The 5-point Laplacian of a 2-D grid, as a new NumPy array (edges left at 0)."""
    out = np.zeros((u.shape[0], u.shape[1]))
    cdef double[:, ::1] o = out
    cdef Py_ssize_t i, j
    for i in range(1, u.shape[0] - 1):
        for j in range(1, u.shape[1] - 1):
            o[i, j] = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
    return out
