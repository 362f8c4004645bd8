"""Prime counting by trial division: an integer loop with `%` on Python ints."""


def count_primes(limit: int) -> int:
    count = 0
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
