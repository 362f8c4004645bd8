# The benchmark kernels of kernels.py with C types: compiled by pycc's .pyx front end and,
# where installed, by Cython.

from libc.math cimport sin


cpdef long fib(long n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


cpdef long mandel(int n, int max_iter):
    cdef long inside = 0
    cdef int x, y, i
    cdef double cr, ci, zr, zi, t
    for y in range(n):
        ci = -1.2 + 2.4 * y / n
        for x in range(n):
            cr = -2.0 + 2.6 * x / n
            zr = 0.0
            zi = 0.0
            i = 0
            while i < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                i += 1
            if i == max_iter:
                inside += 1
    return inside


cpdef long count_primes(long n):
    cdef long count = 0, k, d
    cdef bint prime
    for k in range(2, n + 1):
        d = 2
        prime = True
        while d * d <= k:
            if k % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count


cpdef double integrate(double a, double b, int n):
    cdef double h = (b - a) / n
    cdef double s = 0.5 * (a * a * sin(a) + b * b * sin(b))
    cdef double x
    cdef int i
    for i in range(1, n):
        x = a + i * h
        s += x * x * sin(x)
    return s * h
