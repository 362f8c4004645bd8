# `global` and `nonlocal` are not compiled (there is no module state).


def f(n: int) -> int:
    global counter  # error: [unsupported-syntax]
    return n
