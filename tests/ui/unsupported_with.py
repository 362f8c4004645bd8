# Context managers are not compiled.
# xfail: the underline of a multi-line statement (with) runs over the trailing comment


def f(n: int) -> int:
    with n:  # error: [unsupported-syntax]
        pass
    return n
