# Context managers are not compiled.


def f(n: int) -> int:
    with n:  # error: [unsupported-syntax]
        pass
    return n
