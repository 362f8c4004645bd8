# Small numeric kernels in annotated Python: the kind of code pycc exists for. Float results
# must agree bit for bit, so evaluation order and every rounding must be CPython's.

import math


# call[n=80]: mandel_escape(float(-2, 0.6), float(-1.2, 1.2), int(0, 300))
def mandel_escape(cr: float, ci: float, max_iter: int) -> int:
    zr = 0.0
    zi = 0.0
    for i in range(max_iter):
        zr2 = zr * zr
        zi2 = zi * zi
        if zr2 + zi2 > 4.0:
            return i
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
    return max_iter


# call[n=8]: mandel_count(int(1, 40), int(1, 60))
def mandel_count(n: int, max_iter: int) -> int:
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


# A float accumulator over a nested loop: every rounding step counts.
# call[n=8]: mandel_sum(int(1, 30), int(1, 40))
def mandel_sum(n: int, max_iter: int) -> float:
    total = 0.0
    for y in range(n):
        for x in range(n):
            cr = -2.0 + 2.6 * x / n
            ci = -1.2 + 2.4 * y / n
            zr = cr
            zi = ci
            for i in range(max_iter):
                if zr * zr + zi * zi > 4.0:
                    break
                zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
            total += math.sqrt(zr * zr + zi * zi) / (1.0 + x + y)
    return total


def integrand(x: float) -> float:
    return x * x * math.sin(x) + 1.0 / (1.0 + x * x)


# n = 0 raises ZeroDivisionError (float division by zero).
# call[n=30]: trapezoid(float(-5, 5), float(-5, 5), int(0, 2000))
def trapezoid(a: float, b: float, n: int) -> float:
    h = (b - a) / n
    s = 0.5 * (integrand(a) + integrand(b))
    for i in range(1, n):
        s += integrand(a + i * h)
    return s * h


# call[n=30]: count_primes(int(-5, 3000))
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


# Euclid with Python's `%` (the sign of the result follows the divisor).
# call: gcd(int(-10**12, 10**12), int(-10**12, 10**12))
# call: gcd(int64(), int64())
def gcd(a: int, b: int) -> int:
    while b != 0:
        a, b = b, a % b
    return a


# call[n=100]: collatz_steps(int(1, 10**5))
def collatz_steps(n: int) -> int:
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


# call: newton_sqrt(float(0, 1e6))
# call: newton_sqrt(floats_special())
def newton_sqrt(x: float) -> float:
    y = x if x > 1.0 else 1.0
    for _ in range(60):
        y = 0.5 * (y + x / y)
    return y


# call[n=20]: leibniz_pi(int(0, 5000))
def leibniz_pi(n: int) -> float:
    s = 0.0
    sign = 1.0
    for k in range(n):
        s += sign / (2 * k + 1)
        sign = -sign
    return 4.0 * s


# Sum of digits by repeated `//` and `%`.
# call: digit_sum(int64())
def digit_sum(n: int) -> int:
    if n < 0:
        n = -(n + 1)
    s = 0
    while n > 0:
        s += n % 10
        n //= 10
    return s
