# Values whose type does not fit where they are used.


def f(x: float) -> int:
    n: int = x  # error: [invalid-assignment]
    return n


def g(x: float) -> int:
    return x  # error: [invalid-assignment]


def takes_int(n: int) -> int:
    return n


def h(x: float) -> int:
    return takes_int(x)  # error: [invalid-assignment]
