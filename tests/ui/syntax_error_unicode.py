# A syntax error next to a non-ASCII character: columns count characters, as CPython's do.


def f(x: int) -> int:
    return x é  # error: [syntax-error]
