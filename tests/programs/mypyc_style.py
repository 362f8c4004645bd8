"""Annotated code in the style of mypyc's benchmarks: typing annotations, typed lists and
dicts, helper functions, a big-int result."""

from typing import Dict, List, Tuple


def sieve(n: int) -> List[int]:
    flags = [True] * (n + 1)
    flags[0] = flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    return [k for k in range(n + 1) if flags[k]]


def collatz_len(n: int, cache: Dict[int, int]) -> int:
    steps = 0
    m = n
    while m != 1 and m not in cache:
        m = m // 2 if m % 2 == 0 else 3 * m + 1
        steps += 1
    total = steps + cache.get(m, 0)
    cache[n] = total
    return total


def longest_collatz(limit: int) -> Tuple[int, int]:
    cache: Dict[int, int] = {1: 0}
    best = (0, 0)
    for n in range(1, limit):
        length = collatz_len(n, cache)
        if length > best[1]:
            best = (n, length)
    return best


# Not `-> int`: pycc's annotated `int` is 64-bit (README, "Where pycc differs").
def product_of(xs: List[int]):
    p = 1
    for x in xs:
        p *= x
    return p


def main() -> None:
    primes = sieve(200)
    print(len(primes), primes[:10], primes[-3:])
    print(longest_collatz(20000))
    big = product_of(primes)
    print(big % 1000000007, len(str(big)))


if __name__ == "__main__":
    main()
