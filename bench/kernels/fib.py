"""Recursive Fibonacci on Python ints (checked arithmetic, a call per node)."""


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
