# Annotations naming no type pycc knows. (A bare name pycc does not know is an object, as
# in Cython: a class, a forward reference; these are not.)
import cython


def f(x: cython.matrix) -> int:  # error: [unknown-type]
    return 1


def g(x: int) -> "1 +":  # error: [unknown-type]
    return x


def h(x: int) -> int:
    y: double = x  # error: [unknown-type]
    return x
