# Generators are not compiled.


def count(n: int) -> int:
    i = 0
    while i < n:
        yield i  # error: [unsupported-syntax]
        i += 1
    return 0
