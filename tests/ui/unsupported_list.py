# Lists, tuples as values, and dicts are not compiled.


def first(n: int) -> int:
    xs = [n, n + 1]  # error: [unsupported-syntax]
    return n


def mapping(n: int) -> int:
    d = {n: 1}  # error: [unsupported-syntax]
    return n
