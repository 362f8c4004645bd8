"""Prime counting by trial division, in Cython's pure-Python mode."""
import cython


@cython.cfunc
def is_prime(n: cython.long) -> cython.bint:
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d: cython.long = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(limit: cython.long) -> cython.long:
    """How many primes are below `limit`."""
    count: cython.long = 0
    for n in range(limit):
        if is_prime(n):
            count += 1
    return count
