# Annotations naming no type pycc knows.


def f(x: matrix) -> int:  # error: [unknown-type]
    return 1


def g(x: int) -> vector:  # error: [unknown-type]
    return x


def h(x: int) -> int:
    y: quaternion = x  # error: [unknown-type]
    return x
