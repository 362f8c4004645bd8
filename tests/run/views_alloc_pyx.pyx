# Arrays created in compiled code in Cython syntax: `cdef unsigned char[:] s = bytearray(n)`
# (the sieve idiom) and `cdef double[:, ::1] a = np.zeros(...)`, declared with C types.

import numpy as np
cimport numpy as cnp


# call: count_primes(int(0, 5000))
def count_primes(int n):
    cdef unsigned char[:] sieve = bytearray(n + 1)
    cdef int i, j, count = 0
    for i in range(2, n + 1):
        if sieve[i] == 0:
            count += 1
            for j in range(i * i, n + 1, i):
                sieve[j] = 1
    return count


# call: trace(int(0, 30))
def trace(int n):
    cdef double[:, ::1] a = np.zeros((n, n))
    cdef int i, j
    cdef double t = 0.0
    for i in range(n):
        for j in range(n):
            a[i, j] = i * 0.25 - j
    for i in range(n):
        t += a[i, i]
    return float(t)


# call: int_table(int(1, 10), int(0, 9))
def int_table(int n, int k):
    cdef long long[:, ::1] t = np.zeros((n, n), dtype=np.int64)
    cdef int i, j
    for i in range(n):
        for j in range(n):
            t[i, j] = i * j - k
    return int(t[n - 1, k % n])
