# Builtins that compiled code cannot call (no strings, no containers, no I/O).


def f(x: int) -> int:
    print(x)  # error: [unsupported-syntax]
    return x


def g(x: int) -> int:
    return len(x)  # error: [unsupported-syntax]
