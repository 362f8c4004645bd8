"""Benchmark kernels in annotated Python: run by CPython as they are, compiled by pycc
(`pycc.compile_file` / `@jit`) and, where installed, by Numba. `kernels.pyx` holds the same
algorithms with C types for pycc's `.pyx` front end and Cython."""

import math


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def mandel(n: int, max_iter: int) -> int:
    inside = 0
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


def count_primes(n: int) -> int:
    count = 0
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


def integrate(a: float, b: float, n: int) -> float:
    h = (b - a) / n
    s = 0.5 * (a * a * math.sin(a) + b * b * math.sin(b))
    for i in range(1, n):
        x = a + i * h
        s += x * x * math.sin(x)
    return s * h
