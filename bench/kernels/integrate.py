"""The trapezoid rule of examples/integrate.pyx as plain Python (CPython and Numba columns)."""
from math import exp, sin, sqrt


def f(x: float) -> float:
    return sin(x) * exp(-x * 0.1) + sqrt(x)


def trapezoid(a: float, b: float, n: int) -> float:
    h = (b - a) / n
    total = 0.5 * (f(a) + f(b))
    for i in range(1, n):
        total += f(a + i * h)
    return total * h
