# The numeric kernels again with C types, cdef locals, casts and `for i from` loops.

from libc.math cimport sin, sqrt


cdef inline double integrand(double x):
    return x * x * sin(x) + 1.0 / (1.0 + x * x)


# call[n=80]: mandel_escape_c(float(-2, 0.6), float(-1.2, 1.2), int(0, 300))
cpdef int mandel_escape_c(double cr, double ci, int max_iter):
    cdef double zr = 0.0, zi = 0.0, zr2, zi2
    cdef int i
    for i in range(max_iter):
        zr2 = zr * zr
        zi2 = zi * zi
        if zr2 + zi2 > 4.0:
            return i
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
    return max_iter


# call[n=8]: mandel_count_c(int(1, 40), int(1, 60))
cpdef long mandel_count_c(int n, int max_iter):
    cdef long inside = 0
    cdef int x, y, i
    cdef double cr, ci, zr, zi, t
    for y from 0 <= y < n:
        ci = -1.2 + 2.4 * <double>y / n
        for x from 0 <= x < n:
            cr = -2.0 + 2.6 * <double>x / n
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


# call[n=30]: trapezoid_c(float(-5, 5), float(-5, 5), int(0, 2000))
cpdef double trapezoid_c(double a, double b, int n):
    cdef double h = (b - a) / n
    cdef double s = 0.5 * (integrand(a) + integrand(b))
    cdef int i
    for i from 1 <= i < n:
        s += integrand(a + i * h)
    return s * h


# call[n=30]: count_primes_c(int(-5, 3000))
cpdef int count_primes_c(int n):
    cdef int count = 0, k, d
    cdef bint prime
    for k from 2 <= k <= n:
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


# call: gcd_c(int(-10**12, 10**12), int(-10**12, 10**12))
cpdef long gcd_c(long a, long b):
    cdef long t
    while b != 0:
        t = a % b
        a = b
        b = t
    return a


# call[n=100]: collatz_c(int(1, 10**5))
cpdef int collatz_c(long long n):
    cdef int steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


# call: newton_c(float(0, 1e6))
cpdef double newton_c(double x):
    cdef double y = x if x > 1.0 else 1.0
    cdef int k
    for k in range(60):
        y = 0.5 * (y + x / y)
    return y


# call: rms_c(int(0, 500))
cpdef double rms_c(int n):
    cdef double acc = 0.0
    cdef int i
    for i in range(n):
        acc += <double>(i * i) * 0.001
    if n == 0:
        return 0.0
    return sqrt(acc / n)
