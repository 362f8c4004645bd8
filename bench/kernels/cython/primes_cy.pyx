# cython: language_level=3
# Python `%` semantics (cdivision off, Cython's default), as pycc's `int`.


def count_primes(long limit):
    cdef long count = 0, n, d
    cdef bint prime
    for n in range(2, limit):
        d = 2
        prime = True
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count
