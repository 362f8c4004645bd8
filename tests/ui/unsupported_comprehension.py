# Comprehensions and generator expressions are not compiled.


def squares(n: int) -> int:
    xs = [i * i for i in range(n)]  # error: [unsupported-syntax]
    return n


def total(n: int) -> int:
    g = (i for i in range(n))  # error: [unsupported-syntax]
    return n
