"""A float accumulation over `for i in range(n)`."""


def sumf(n: int) -> float:
    total = 0.0
    for i in range(n):
        total += i * 0.5
    return total
