# `break`/`continue` outside a loop, a value returned from a void function.


def f(n: int) -> int:
    if n > 0:
        break  # error: [invalid-control-flow]
    return n


def g(n: int) -> int:
    continue  # error: [invalid-control-flow]
    return n


def h(n: int) -> None:
    return n  # error: [invalid-control-flow]
