# Names declared twice: a local with two types, a function defined twice.


def f(n: int) -> float:
    x: int = n
    x: float = 1.0  # error: [redefinition]
    return x


def g(n: int) -> int:
    return n


def g(n: int) -> int:  # error: [redefinition]
    return n + 1
